/* gloss-cli-clip.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* `gloss --clip URL…`: loads each page in a hidden web view, clips it into
 * the library in @library_folder, appends one line of progress per URL to
 * @err and each new (or already saved) clip id to @out. Runs its own main
 * loop; GTK must be initialised. Returns the exit status: 0 when every page
 * was clipped, 1 when any failed (its reason in @err). */
int gloss_cli_clip      (GFile              *library_folder,
                         const char * const *urls,
                         GString            *out,
                         GString            *err);
/* The same; with @live the progress lines go to stderr as they happen
 * instead of into @err. A page already in the library is left alone,
 * unless its clip is an import's stand-in, which gets the real article. */
int gloss_cli_clip_full (GFile              *library_folder,
                         const char * const *urls,
                         gboolean            live,
                         GString            *out,
                         GString            *err);

/* The same; with @pending, also what gloss_clip_queue_add_pending()
 * adds: the pictures of the imported articles that are still on the web
 * (each a line of progress, no id in @out). */
int gloss_cli_clip_run  (GFile              *library_folder,
                         const char * const *urls,
                         gboolean            pending,
                         gboolean            live,
                         GString            *out,
                         GString            *err);

G_END_DECLS
