/* gloss-clip-queue-private.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-clip-queue.h"

G_BEGIN_DECLS

/* The images of an imported article (gloss-clip-queue-images.c). */
typedef struct _GlossImagesJob GlossImagesJob;

GlossImagesJob *gloss_images_job_start      (GlossClipQueue  *queue,
                                             GlossClip       *clip,
                                             const char      *url);
void            gloss_images_job_cancel     (GlossImagesJob  *job);
/* The queue lets go of the job (freed when nothing of it is under way). */
void            gloss_images_job_release    (GlossImagesJob  *job);
const char     *gloss_images_job_get_url    (GlossImagesJob  *job);
/* @n_unreachable: images that failed for want of network (offline, a
 * timeout, a server error), not because the server said no (a 4xx). */
void            gloss_images_job_get_counts (GlossImagesJob  *job,
                                             guint           *n_saved,
                                             guint           *n_images,
                                             guint           *n_unreachable);

/* The ids of the imported clips whose article shows web images, found on
 * a thread. */
void            gloss_images_scan_async     (GlossLibrary        *library,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray      *gloss_images_scan_finish    (GAsyncResult        *result,
                                             GError             **error);

GlossLibrary   *gloss_clip_queue_get_library (GlossClipQueue *self);
/* Called by the job when it is done, once. */
void            _gloss_clip_queue_images_done (GlossClipQueue *self,
                                               GlossImagesJob *job,
                                               GlossClip      *clip,
                                               const char     *failure);

G_END_DECLS
