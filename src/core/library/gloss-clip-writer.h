/* gloss-clip-writer.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one API that writes a clip folder (DESIGN.md "Each job has one
 * owner"). The clipper hands over what the page sent and the images it
 * fetched; an import hands over the clip it built. The writer names and
 * writes assets/ (by their content), article.md, article.html,
 * article.txt and clip.json last, in FORMAT.md's order; removes what it
 * wrote of a new clip when the clip is not finished (a failure, a
 * cancel, a writer dropped before its commit); and for an update keeps
 * the clip's id, tags, notes and annotations and anchors them again in
 * the new text. Every write is atomic, none goes through a link, and
 * writers of one library in other threads and processes are waited for
 * (gloss-lock.h). */

#pragma once

#include <gio/gio.h>

#include "gloss-library.h"

G_BEGIN_DECLS

/* What a clipped page gives the clip. NULL strings leave the clip's own
 * value as it is (an import's clip already holds its metadata). */
typedef struct
{
  const char *title;
  const char *byline;
  const char *site_name;
  const char *excerpt;
  const char *lang;
  const char *dir;
  const char *published;
  gint64      word_count;   /* -1: leave as it is */
  /* The article, with image placeholders (gloss_clip_writer_set_images());
   * @html and @text are required, @markdown is optional. */
  const char *html;
  const char *text;
  const char *markdown;
} GlossClipPage;

#define GLOSS_TYPE_CLIP_WRITER (gloss_clip_writer_get_type ())

G_DECLARE_FINAL_TYPE (GlossClipWriter, gloss_clip_writer, GLOSS, CLIP_WRITER, GObject)

/* A writer for @clip in @library: a clip that is in the library is
 * updated, any other (gloss_clip_new(), perhaps with tags and
 * annotations already) is written as a new clip. */
GlossClipWriter *gloss_clip_writer_new          (GlossLibrary     *library,
                                                 GlossClip        *clip);
GlossClip       *gloss_clip_writer_get_clip     (GlossClipWriter  *self);

/* A new clip is refused (GLOSS_ERROR_EXISTS, and
 * gloss_clip_writer_get_existing() says which) when the library already
 * holds a clip of the same address, looked for under a lock so that two
 * processes never both make it. Off by default. */
void             gloss_clip_writer_set_unique_url (GlossClipWriter *self,
                                                   gboolean         unique);
GlossClip       *gloss_clip_writer_get_existing (GlossClipWriter  *self);

/* A new clip is left out of the library's model at commit, so that
 * writers may commit on several threads (an import writing thousands of
 * clips: their disk flushes then go together); the caller adds it on the
 * library's thread with gloss_library_add_written(). Off by default. */
void             gloss_clip_writer_set_add_later (GlossClipWriter *self,
                                                  gboolean         later);

/* The article's images: "gloss-image-@token-N" in the page's HTML and
 * Markdown stands for @urls[N]. At commit each becomes "assets/NAME" when
 * its bytes were added, else its address. */
void             gloss_clip_writer_set_images   (GlossClipWriter  *self,
                                                 const char       *token,
                                                 const char * const *urls);

/* Writes the bytes of the image at @url into assets/, named by their
 * content and @content_type. Safe from any thread. */
gboolean         gloss_clip_writer_add_image    (GlossClipWriter  *self,
                                                 const char       *url,
                                                 GBytes           *bytes,
                                                 const char       *content_type,
                                                 GError          **error);
/* The same on a worker thread. */
void             gloss_clip_writer_add_image_async  (GlossClipWriter     *self,
                                                     const char          *url,
                                                     GBytes              *bytes,
                                                     const char          *content_type,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         gloss_clip_writer_add_image_finish (GlossClipWriter     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Writes the article files and clip.json, adds a new clip to the library
 * or saves the updated one, and returns the clip (owned by the writer).
 * On failure a new clip's files are removed and an update's clip.json is
 * left as it was. A writer commits once. */
GlossClip       *gloss_clip_writer_commit       (GlossClipWriter     *self,
                                                 const GlossClipPage *page,
                                                 GError             **error);
/* gloss_clip_writer_commit () with the writing on a worker thread, so
 * that a clip of many images or annotations never holds up the main loop:
 * assets still being added are waited for by the caller; the articles,
 * clip.json (last), the clip's lock, the clean-up after a failure and the
 * anchoring of an update's annotations in the new text all run there, on
 * the writer's own copy of the clip. Back on the calling thread (the one
 * that owns the library's model) a new clip is added to the library, and
 * an updated one takes what was written, with any change made to it in
 * memory meanwhile merged in. The clip finish returns is the one the
 * library holds: when the library read the new folder first (its watcher)
 * and holds an object of its own, that object takes what was written and
 * is returned instead of the writer's (gloss_clip_writer_get_clip () then
 * returns it too). @page is copied. A cancel stops the commit
 * until the articles are being written; past that, it completes. Not for
 * gloss_clip_writer_set_unique_url () (whose look-up waits on a lock):
 * an import in the command line, which has no main loop to keep, commits
 * with gloss_clip_writer_commit (). */
void             gloss_clip_writer_commit_async  (GlossClipWriter     *self,
                                                  const GlossClipPage *page,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GlossClip       *gloss_clip_writer_commit_finish (GlossClipWriter     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* An update that is no person's edit (the merge of a sync tool's conflict
 * copies, FORMAT.md "Several machines"): clip.json keeps its "modified".
 * Off by default. */
void             gloss_clip_writer_set_not_an_edit (GlossClipWriter *self,
                                                    gboolean         not_an_edit);

/* After committing an update: how many annotations no longer anchor. */
guint            gloss_clip_writer_get_n_orphans (GlossClipWriter *self);

/* Removes what was written of a new clip that is not committed (also done
 * when the writer is finalised uncommitted). Nothing for an update. */
void             gloss_clip_writer_abort        (GlossClipWriter  *self);

G_END_DECLS
