/* gloss-clipper.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

#include "gloss-image-fetch.h"
#include "gloss-library.h"

G_BEGIN_DECLS

typedef enum
{
  GLOSS_CLIP_MODE_ARTICLE,     /* Readability's article */
  GLOSS_CLIP_MODE_WHOLE_PAGE,  /* the page's body, cleaned */
} GlossClipMode;

/* The most a page message may hold, all strings together. */
#define GLOSS_CLIP_MAX_MESSAGE_SIZE (20 * 1024 * 1024)
/* Image limits (DESIGN.md, issue 4); one image's are gloss-image-fetch.h's.
 * The test suite lowers them with gloss_clipper_set_image_limits() or
 * $GLOSS_IMAGE_TIMEOUT_MS. */
#define GLOSS_CLIP_MAX_IMAGE_SIZE   GLOSS_IMAGE_FETCH_MAX_BYTES
#define GLOSS_CLIP_IMAGE_TIMEOUT_MS GLOSS_IMAGE_FETCH_TIMEOUT_MS
#define GLOSS_CLIP_MAX_IMAGES       200
/* All images together: past this, those not saved keep their address. */
#define GLOSS_CLIP_IMAGES_TIMEOUT_MS (30 * 1000)

/* Where the time of the last clip went, in milliseconds. */
typedef struct
{
  double extract_ms;   /* from the call into the page until its message */
  double in_page_ms;   /* Readability + Turndown, as the page measured it */
  double images_ms;
  double save_ms;
  guint  n_images;
  guint  n_images_saved;
} GlossClipStats;

#define GLOSS_TYPE_CLIPPER (gloss_clipper_get_type ())

/* Clips the page shown in a web view (DESIGN.md "How a clip travels", step
 * 2): runs gloss-clip.js in the gloss world, checks its message, saves the
 * images with libsoup into assets/, and writes the clip into the library.
 * The web view must carry gloss-clip.js (gloss_clipper_add_scripts()).
 *
 * Signals: "progress" (double fraction, const char *what) while it runs. */
G_DECLARE_FINAL_TYPE (GlossClipper, gloss_clipper, GLOSS, CLIPPER, GObject)

GlossClipper *gloss_clipper_new              (GlossLibrary        *library);
GlossLibrary *gloss_clipper_get_library      (GlossClipper        *self);

/* Adds the clipping scripts (Readability, Turndown, gloss-clip.js) to a
 * user content manager, in the gloss world. */
void          gloss_clipper_add_scripts      (WebKitUserContentManager *manager);

/* Makes a web view that clips in the background (nobody sees it) safe
 * from pages that fight back: script dialogs are answered at once, as a
 * person closing them would (a "leave this page?" lets it go), printing,
 * log-in, file and permission requests are refused, and a web
 * process that stops answering for a few seconds is terminated, so that
 * the next page loads in a fresh one ("web-process-terminated" tells).
 * Never for a view a person uses. */
void          gloss_clipper_prepare_background_view (WebKitWebView *web_view);

void          gloss_clipper_set_image_limits (GlossClipper        *self,
                                              gsize                max_bytes,
                                              guint                timeout_ms);
/* How long the page may take to give up its article (30 s unless a test
 * lowers it); a page that has not even run the call by then has hung, and
 * its web process is replaced. */
void          gloss_clipper_set_page_timeout (GlossClipper        *self,
                                              guint                timeout_ms);
/* GLOSS_CLIP_MAX_MESSAGE_SIZE unless a test lowers it. */
void          gloss_clipper_set_max_message_size (GlossClipper    *self,
                                                  gsize            max_bytes);

/* Clips the page in @web_view. With @update (a clip of the same page already
 * in the library) its article is replaced and its annotations re-anchored
 * instead of a new clip being made. Fails with GLOSS_ERROR_NOT_ARTICLE when
 * Readability finds no article (offer GLOSS_CLIP_MODE_WHOLE_PAGE then),
 * GLOSS_ERROR_TOO_LARGE, GLOSS_ERROR_INVALID_INPUT for a message of the
 * wrong shape or a page that navigated away, G_IO_ERROR_CANCELLED. */
void          gloss_clipper_clip_async       (GlossClipper        *self,
                                              WebKitWebView       *web_view,
                                              GlossClipMode        mode,
                                              GlossClip           *update,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* The new or updated clip; @n_orphans (optional) is how many annotations
 * did not anchor in the updated article. */
GlossClip    *gloss_clipper_clip_finish      (GlossClipper        *self,
                                              GAsyncResult        *result,
                                              guint               *n_orphans,
                                              GError             **error);

const GlossClipStats *gloss_clipper_get_stats (GlossClipper       *self);

/* Counts words as a reader would: runs of letters and digits, and each
 * ideograph or kana on its own (scripts written without spaces). */
gint64        gloss_count_words              (const char          *text);

G_END_DECLS
