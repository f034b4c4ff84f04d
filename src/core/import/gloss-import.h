/* gloss-import.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-export.h"
#include "gloss-library.h"

G_BEGIN_DECLS

/* Keep first, clip later:
 *
 * 1. gloss_import_read() parses the whole file into a plan (pages grouped
 *    by URL with their annotations, notes, tags, saved time and articles).
 *    A damaged or unrecognised file fails here, before anything is
 *    written, saying which formats Gloss reads.
 * 2. gloss_import_apply() keeps every page as a clip at once, with no
 *    network: with the article an export carries, or "not clipped yet"
 *    (FORMAT.md). It never changes or removes what is there, and what was
 *    imported before is recognised, so importing twice adds nothing.
 * 3. The pages not clipped yet are clipped later (GlossClipQueue, the
 *    library's Clip Now, `gloss --clip-pending`), keeping the clip's id,
 *    tags, notes and annotations.
 *
 * See docs/import.md. */

typedef enum
{
  GLOSS_IMPORT_FORMAT_W3C,         /* W3C Web Annotation JSON-LD, Gloss's own export */
  GLOSS_IMPORT_FORMAT_HYPOTHESIS,  /* Hypothesis's JSON export or API rows */
  GLOSS_IMPORT_FORMAT_URL_LIST,    /* one URL a line */
  GLOSS_IMPORT_FORMAT_POCKET,      /* Pocket's HTML export or its CSV */
  GLOSS_IMPORT_FORMAT_OMNIVORE,    /* Omnivore's export zip or its metadata JSON */
  GLOSS_IMPORT_FORMAT_INSTAPAPER,  /* Instapaper's CSV */
  GLOSS_IMPORT_FORMAT_WALLABAG,    /* wallabag's JSON export */
  GLOSS_IMPORT_FORMAT_BOOKMARKS,   /* Netscape bookmark HTML (browsers, Pinboard, Raindrop, Shaarli) */
  GLOSS_IMPORT_FORMAT_READWISE,    /* Readwise's CSV of highlights */
  GLOSS_IMPORT_FORMAT_CSV,         /* any other CSV with a url column */
} GlossImportFormat;

const char *gloss_import_format_to_string (GlossImportFormat format);

typedef struct _GlossImportPlan GlossImportPlan;

GlossImportPlan   *gloss_import_read                 (GFile               *file,
                                                      GCancellable        *cancellable,
                                                      GError             **error);
void               gloss_import_read_async           (GFile               *file,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GlossImportPlan   *gloss_import_read_finish          (GAsyncResult        *result,
                                                      GError             **error);
/* The same on bytes in memory; @name is used in messages. */
GlossImportPlan   *gloss_import_parse                (const char          *data,
                                                      gsize                length,
                                                      const char          *name,
                                                      GError             **error);
void               gloss_import_plan_free            (GlossImportPlan     *plan);

GlossImportFormat  gloss_import_plan_get_format      (GlossImportPlan     *plan);
guint              gloss_import_plan_get_n_pages     (GlossImportPlan     *plan);
guint              gloss_import_plan_get_n_annotations (GlossImportPlan   *plan);
/* Every page's URL, in the order of the file. */
GStrv              gloss_import_plan_dup_urls        (GlossImportPlan     *plan);
/* Things in the file that the import leaves out, as sentences. */
const char * const *gloss_import_plan_get_warnings   (GlossImportPlan     *plan);
/* The items of the file that could not be kept, each with its reason
 * ("Row 7: …"): an import that has any exits with status 1. */
const char * const *gloss_import_plan_get_rejected   (GlossImportPlan     *plan);
/* The format found, as a person names it (“Pocket CSV export”). */
const char         *gloss_import_plan_get_found      (GlossImportPlan     *plan);
/* The formats an import reads, for a message about a file it does not. */
const char         *gloss_import_get_expected_formats (void);
/* The web pages (http and https) of the plan that have no clip in
 * @library yet: what the window should clip before applying. */
GStrv              gloss_import_plan_dup_missing_urls (GlossImportPlan    *plan,
                                                      GlossLibrary        *library);

typedef enum
{
  GLOSS_IMPORT_NONE                = 0,
  /* Kept for callers of the first version: every page is kept now. */
  GLOSS_IMPORT_CREATE_PLACEHOLDERS = 1 << 0,
} GlossImportFlags;

typedef struct
{
  guint      pages;                /* pages in the plan */
  guint      clips_added;          /* new clips */
  guint      pending;              /* of them, not clipped yet (no article) */
  guint      articles;             /* clips given the article the export carries */
  guint      clips_updated;        /* existing clips that gained something */
  guint      annotations_added;
  guint      annotations_present;  /* already in the library: left alone */
  guint      orphans;              /* added to an article, but not found in it */
  guint      tags_added;
  guint      notes_added;
  GPtrArray *urls_to_clip;         /* char *: web pages whose clip waits for its article */
  GPtrArray *images_to_fetch;      /* char *: ids of new clips whose article shows web images */
} GlossImportSummary;

void                gloss_import_summary_free        (GlossImportSummary  *summary);

/* Merges @plan into @library (loaded), on the calling thread. Each clip is
 * saved atomically as it is done; an error stops at that clip and says
 * which. */
GlossImportSummary *gloss_import_apply               (GlossImportPlan     *plan,
                                                      GlossLibrary        *library,
                                                      GlossImportFlags     flags,
                                                      GlossProgressFunc    progress,
                                                      gpointer             progress_data,
                                                      GCancellable        *cancellable,
                                                      GError             **error);
/* The same, a page per main-loop iteration, so that the window stays
 * responsive and the library's signals stay on its thread. @plan must
 * live until the callback. */
void                gloss_import_apply_async         (GlossImportPlan     *plan,
                                                      GlossLibrary        *library,
                                                      GlossImportFlags     flags,
                                                      GlossProgressFunc    progress,
                                                      gpointer             progress_data,
                                                      GDestroyNotify       progress_notify,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GlossImportSummary *gloss_import_apply_finish        (GAsyncResult        *result,
                                                      GError             **error);

/* The pictures of an article an export carried (Omnivore, wallabag) are
 * on the web until they are fetched (GlossClipQueue; the import itself
 * never touches the network). TRUE when @html, the clip's article.html,
 * shows images from web addresses (relative ones resolved against
 * @base_url, the clip's page); @urls_out gets them, each once. With
 * @token, @html_out is the article with each such <img> showing
 * "gloss-image-TOKEN-N" for @urls_out[N] (gloss_clip_writer_set_images())
 * and no srcset, and @text_out its text, which the caller compares with
 * article.txt: a change of text would move the highlights. */
gboolean            gloss_import_article_images      (const char         *html,
                                                      const char         *base_url,
                                                      const char         *token,
                                                      char              **html_out,
                                                      char              **text_out,
                                                      GStrv              *urls_out);

/* TRUE for a clip that is "not clipped yet" (FORMAT.md): on disk, with
 * neither article.html nor article.txt. */
gboolean            gloss_import_clip_is_pending     (GlossClip          *clip);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossImportPlan, gloss_import_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossImportSummary, gloss_import_summary_free)

G_END_DECLS
