/* gloss-cli-search.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* `gloss --search QUERY [--json] [--limit N]`: brings the library's index
 * up to date, then prints the ranked results to @out. Text: per result
 * the title, then the clipped date and URL, the snippet with matches in
 * **double stars**, and any matching highlight or note. JSON: an array of
 * objects with id, title, url, site_name, created, score, snippet (plain),
 * snippet_markup (matches in <b></b>, escaped) and annotations (id, color,
 * quote, note). @limit <= 0 prints every result.
 *
 * Returns the exit status: 0 with results, 1 with none (or when the
 * library or its index cannot be read, with a message in @err), 2 on a bad
 * query (the message, one line, in @err). */
int gloss_cli_search (GFile      *library_folder,
                      const char *query,
                      gboolean    json,
                      int         limit,
                      GString    *out,
                      GString    *err);

G_END_DECLS
