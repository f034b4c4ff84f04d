/* gloss-test-export-clips.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-library.h"

G_BEGIN_DECLS

typedef struct
{
  const char *exact;  /* found in the article; the first occurrence */
  const char *color;
  const char *note;
} GlossTestHighlight;

/* A loaded library in a new folder under the test root. */
GlossLibrary *gloss_test_library_new  (const char               *name);
/* Adds a clip whose article.txt is @article (and article.html its
 * paragraphs), with @highlights anchored at their first occurrence. */
GlossClip    *gloss_test_add_clip     (GlossLibrary             *library,
                                       const char               *url,
                                       const char               *title,
                                       const char               *article,
                                       const GlossTestHighlight *highlights,
                                       guint                     n_highlights);
/* A checksum of every file under @path, names and contents, to tell
 * whether anything in a folder changed. */
char         *gloss_test_snapshot_tree (const char              *path);

G_END_DECLS
