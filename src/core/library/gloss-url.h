/* gloss-url.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one rule by which two addresses are the same page: the live view's
 * "already clipped", imports and duplicate detection all compare these
 * keys. NULL when @url is not an absolute http, https or file address. */
char     *gloss_url_match_key  (const char *url);
gboolean  gloss_url_same_page  (const char *a,
                                const char *b);

G_END_DECLS
