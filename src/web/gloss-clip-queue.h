/* gloss-clip-queue.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

#include "gloss-clipper.h"
#include "gloss-library.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_CLIP_QUEUE (gloss_clip_queue_get_type ())

/* Clips pages in the background, one after another, in a web view that is
 * never shown: for imports of URL lists and `gloss --clip`. Emits
 * "item-done" (url, clip, skipped, failure) and "progress" (done, total)
 * after each page, and "finished" when the queue is empty. */
G_DECLARE_FINAL_TYPE (GlossClipQueue, gloss_clip_queue, GLOSS, CLIP_QUEUE, GObject)

GlossClipQueue *gloss_clip_queue_new          (GlossLibrary   *library);
/* With @update_existing, a page already in the library is clipped again
 * and its clip updated (annotations re-anchored); else it is skipped. */
void            gloss_clip_queue_add          (GlossClipQueue *self,
                                               const char     *url,
                                               gboolean        update_existing);
void            gloss_clip_queue_cancel       (GlossClipQueue *self);
gboolean        gloss_clip_queue_get_busy     (GlossClipQueue *self);
guint           gloss_clip_queue_get_clipped  (GlossClipQueue *self);
guint           gloss_clip_queue_get_skipped  (GlossClipQueue *self);
/* "URL: reason" for each page that failed. */
const char * const *gloss_clip_queue_get_failures (GlossClipQueue *self);
/* Forgets the counts and failures of the last run. */
void            gloss_clip_queue_reset        (GlossClipQueue *self);
/* The clipper, made with the first page (NULL before): for its stats. */
GlossClipper   *gloss_clip_queue_get_clipper  (GlossClipQueue *self);
/* Per-page limit, for tests. */
void            gloss_clip_queue_set_timeout  (GlossClipQueue *self,
                                               guint           seconds);

G_END_DECLS
