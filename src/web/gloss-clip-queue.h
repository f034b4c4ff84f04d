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

/* Clips pages in the background, in web views that are never shown: for
 * imports, pages not clipped yet, and `gloss --clip`. Pages of different
 * sites load side by side, never two of one site at once. The waiting
 * list is kept in the cache; gloss_clip_queue_resume() takes it up again
 * after a restart. Emits "item-done" (url, clip, skipped, failure) and
 * "progress" (done, total) after each page, and "finished" when the queue
 * is empty. A clip not clipped yet gets its article (same id, tags, notes,
 * annotations anchored in it). */
G_DECLARE_FINAL_TYPE (GlossClipQueue, gloss_clip_queue, GLOSS, CLIP_QUEUE, GObject)

/* The one queue of @library in this process (made on first use, alive
 * while someone holds it): Import, Clip Now, Clip All Not Clipped and
 * `gloss --clip` share it. Transfer full. */
GlossClipQueue *gloss_clip_queue_ref_for_library (GlossLibrary *library);
/* With @update_existing, a page already in the library is clipped again
 * and its clip updated (annotations re-anchored); else it is skipped.
 * FALSE when @url waits or is being clipped already: it is there once,
 * and "item-done" comes once for it. */
gboolean        gloss_clip_queue_add          (GlossClipQueue *self,
                                               const char     *url,
                                               gboolean        update_existing);
/* Fetches the pictures of @clip's article that are still on the web (an
 * article an export carried: the import never touches the network), as
 * the clip's assets; the article then shows them. An image that cannot
 * be fetched keeps its address, and is tried again by the next
 * gloss_clip_queue_add_pending(). "item-done" comes with the clip's URL.
 * FALSE when they wait already. */
gboolean        gloss_clip_queue_add_images   (GlossClipQueue *self,
                                               GlossClip      *clip);
/* For the item done last: how many images were saved of how many; TRUE
 * when it was the images of an imported article, FALSE for a page. */
gboolean        gloss_clip_queue_get_last_images (GlossClipQueue *self,
                                               guint          *n_saved,
                                               guint          *n_images);
/* Adds the web page of every clip not clipped yet; how many. The
 * imported articles whose pictures are still on the web are looked for
 * on a thread and added as they are found ("finished" waits for them). */
guint           gloss_clip_queue_add_pending  (GlossClipQueue *self);
/* Adds again what was waiting when the last queue of this library went
 * away (a quit), less what has been clipped since; how many. */
guint           gloss_clip_queue_resume       (GlossClipQueue *self);
void            gloss_clip_queue_cancel       (GlossClipQueue *self);
gboolean        gloss_clip_queue_get_busy     (GlossClipQueue *self);
/* Whether the waiting list is kept in the cache (TRUE by default). A
 * run that is not to be resumed (`gloss --clip` in a terminal) keeps none,
 * so that it never writes over the list of the window's queue of the
 * same library, in another process. */
void            gloss_clip_queue_set_keep_list (GlossClipQueue *self,
                                                gboolean        keep);
/* Writes the waiting list to the cache now (it is otherwise written
 * shortly after each change, and when the queue goes). */
void            gloss_clip_queue_flush        (GlossClipQueue *self);
/* Whether @url waits or is being clipped. */
gboolean        gloss_clip_queue_has_url      (GlossClipQueue *self,
                                               const char     *url);
/* Pages loading now (each of another site). */
guint           gloss_clip_queue_get_n_loading (GlossClipQueue *self);
/* At most @n pages at once (3 by default). */
void            gloss_clip_queue_set_max_loading (GlossClipQueue *self,
                                               guint           n);
guint           gloss_clip_queue_get_clipped  (GlossClipQueue *self);
guint           gloss_clip_queue_get_skipped  (GlossClipQueue *self);
/* "URL: reason" for each page that failed. */
const char * const *gloss_clip_queue_get_failures (GlossClipQueue *self);
/* Forgets the counts and failures of the last run (they are shared by
 * everyone who uses the queue: a caller that wants its own counts follows
 * "item-done" for the pages it added). */
void            gloss_clip_queue_reset        (GlossClipQueue *self);
/* The clipper of the page done last (NULL before): for its stats. */
GlossClipper   *gloss_clip_queue_get_clipper  (GlossClipQueue *self);
/* Per-page limit, for tests. */
void            gloss_clip_queue_set_timeout  (GlossClipQueue *self,
                                               guint           seconds);

G_END_DECLS
