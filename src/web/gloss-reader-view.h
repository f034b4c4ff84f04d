/* gloss-reader-view.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

#include "gloss-clip.h"

G_BEGIN_DECLS

#define GLOSS_READER_SCHEME "gloss-clip"

#define GLOSS_TYPE_READER_VIEW (gloss_reader_view_get_type ())

/* The reader: a clip shown from the library, never from the network
 * (DESIGN.md "How a clip travels", step 3). Its web view lives in its own
 * WebKitWebContext, where the gloss-clip:// scheme serves the reader page
 * and the clip's assets, on an ephemeral network session whose proxy leads
 * nowhere; page scripts are off and the page's CSP forbids them.
 *
 * Signals:
 *   "article-loaded" (gboolean text_changed): the reader has shown the clip
 *     and computed its text; text_changed when that text is not article.txt
 *     (then anchor by quote, never by the stored positions blindly).
 *   "open-link" (const char *uri): a link was clicked; the reader never
 *     follows it itself.
 *   "message" (JSCValue *message): any other message a gloss-world script
 *     in the reader posted to the "gloss" handler (already checked to be an
 *     object with a string "type"; check the rest of its shape). */
G_DECLARE_FINAL_TYPE (GlossReaderView, gloss_reader_view, GLOSS, READER_VIEW, GObject)

GlossReaderView *gloss_reader_view_new               (void);
WebKitWebView   *gloss_reader_view_get_web_view      (GlossReaderView     *self);
/* Where annotation scripts go: add them with gloss_web_user_script_new()
 * (gloss world) before gloss_reader_view_load_clip(). */
WebKitUserContentManager *gloss_reader_view_get_user_content_manager (GlossReaderView *self);

void             gloss_reader_view_load_clip         (GlossReaderView     *self,
                                                      GlossClip           *clip);
GlossClip       *gloss_reader_view_get_clip          (GlossReaderView     *self);
/* Starts the reader's web process ahead of the first clip (it loads
 * about:blank), so that Clip does not wait for it. Does nothing once a
 * clip has been loaded. */
void             gloss_reader_view_prewarm           (GlossReaderView     *self);
/* Valid after "article-loaded". */
gboolean         gloss_reader_view_get_text_changed  (GlossReaderView     *self);
/* The article text as the reader computed it, or NULL before "article-loaded". */
const char      *gloss_reader_view_get_article_text  (GlossReaderView     *self);

void             gloss_reader_view_set_dark          (GlossReaderView     *self,
                                                      gboolean             dark);
/* Runs @script in the gloss world of the reader page. */
void             gloss_reader_view_run_script        (GlossReaderView     *self,
                                                      const char          *script,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
JSCValue        *gloss_reader_view_run_script_finish (GlossReaderView     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* The classes of the reader page's root (font, dark), for the scheme. */
char            *gloss_reader_view_dup_page_classes  (GlossReaderView     *self);

/* Checks the asset part of gloss-clip://ID/assets/NAME: a single plain
 * file name, no "..", no slashes. */
gboolean         gloss_reader_asset_name_is_valid    (const char          *name);

G_END_DECLS
