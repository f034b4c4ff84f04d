/* gloss-library-private.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The library's folder scan, shared with --list and --verify, which must
 * read exactly what the app reads without ever writing. */

#pragma once

#include "gloss-clip-private.h"

G_BEGIN_DECLS

/* Every clip in @clips_folder in summary mode, damaged ones as stand-ins,
 * unfinished folders and names that are not ids left out; newest first.
 * Loads on several threads. A missing folder is an empty library. */
GPtrArray *gloss_library_scan_clips (GFile         *clips_folder,
                                     GCancellable  *cancellable,
                                     GError       **error);
/* Newest first, then by id: the library's order. */
int        gloss_library_compare    (gconstpointer  a,
                                     gconstpointer  b);

G_END_DECLS
