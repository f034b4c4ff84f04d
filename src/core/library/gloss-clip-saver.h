/* gloss-clip-saver.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-clip.h"
#include "gloss-library.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_CLIP_SAVER (gloss_clip_saver_get_type ())

/* The one owner of saving a clip's clip.json while it is being edited
 * (DESIGN.md "one object saves a clip"). Every editor of a clip (the
 * reader's annotations, the panel's page note and tags) asks the same
 * saver, gloss_clip_saver_get_for_clip(), to save: changes close together
 * are written once, after a pause; the durable write runs on a worker
 * thread, never on the main loop; writes of one clip never overlap and
 * land in order; flush() writes what is pending before the clip is closed
 * or deleted.
 *
 * Signals:
 *   "error" (GError *): a write failed; what it says is for a person to
 *     read (a toast). The changes stay in memory and are written again
 *     with the next change or flush.
 *   "saved": clip.json now holds every change made before the write. */
G_DECLARE_FINAL_TYPE (GlossClipSaver, gloss_clip_saver, GLOSS, CLIP_SAVER, GObject)

/* The saver of @clip, shared by everyone who edits it while it lives. */
GlossClipSaver *gloss_clip_saver_get_for_clip   (GlossLibrary    *library,
                                                 GlossClip       *clip);
GlossClip      *gloss_clip_saver_get_clip       (GlossClipSaver  *self);
/* The clip changed: write it after a short pause (typing goes on), and
 * at the latest a little later, however long the changes go on. */
void            gloss_clip_saver_queue          (GlossClipSaver  *self);
/* Writes what is pending now and waits for it (closing, deleting, quitting):
 * the one call that blocks. FALSE with @error when the write failed ("error"
 * is emitted too). */
gboolean        gloss_clip_saver_flush          (GlossClipSaver  *self,
                                                 GError         **error);
/* TRUE while a change is not yet on disk. */
gboolean        gloss_clip_saver_get_pending    (GlossClipSaver  *self);
/* TRUE while the library is told about a write of @clip by its saver:
 * "clip-changed" handlers tell our own writes from changes on disk. */
gboolean        gloss_clip_saver_is_notifying   (GlossClip       *clip);

G_END_DECLS
