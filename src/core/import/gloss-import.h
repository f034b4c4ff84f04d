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

/* Import runs in two phases because clipping a page needs the web view:
 *
 * 1. gloss_import_read() parses the whole file into a plan (pages grouped
 *    by URL with their annotations, notes and tags, and plain URLs). A
 *    damaged file fails here, before anything is written.
 * 2. gloss_import_plan_dup_missing_urls() says which pages have no clip;
 *    the window clips them (the command line cannot).
 * 3. gloss_import_apply() merges the plan into the library: it never
 *    changes or removes an annotation that is there, and an annotation
 *    imported before is recognised, so importing twice adds nothing.
 *
 * See docs/import.md. */

typedef enum
{
  GLOSS_IMPORT_FORMAT_W3C,         /* W3C Web Annotation JSON-LD, Gloss's own export */
  GLOSS_IMPORT_FORMAT_HYPOTHESIS,  /* Hypothesis's JSON export or API rows */
  GLOSS_IMPORT_FORMAT_URL_LIST,    /* one URL a line */
  GLOSS_IMPORT_FORMAT_POCKET,      /* Pocket's HTML export or its CSV */
  GLOSS_IMPORT_FORMAT_OMNIVORE,    /* Omnivore's metadata JSON */
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
/* The web pages (http and https) of the plan that have no clip in
 * @library yet: what the window should clip before applying. */
GStrv              gloss_import_plan_dup_missing_urls (GlossImportPlan    *plan,
                                                      GlossLibrary        *library);

typedef enum
{
  GLOSS_IMPORT_NONE                = 0,
  /* A page with highlights or a note but no clip gets a clip made from the
   * import data (its quotes as the article), so that nothing is lost when
   * no clipper is at hand. Without it such a page is only listed in
   * urls_to_clip. */
  GLOSS_IMPORT_CREATE_PLACEHOLDERS = 1 << 0,
} GlossImportFlags;

typedef struct
{
  guint      pages;                /* pages in the plan */
  guint      clips_updated;        /* existing clips that gained something */
  guint      placeholders;         /* clips made from the import data */
  guint      annotations_added;
  guint      annotations_present;  /* already in the library: left alone */
  guint      orphans;              /* added, but not found in the article */
  guint      tags_added;
  guint      notes_added;
  GPtrArray *urls_to_clip;         /* char *: pages to clip (web pages only) */
  GPtrArray *placeholder_ids;      /* char *: ids of the clips made */
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

/* TRUE for a clip an import made from its own data (its quotes as the
 * article), marked "gloss_import": {"placeholder": true} in clip.json:
 * clipping its page replaces that stand-in with the real article. */
gboolean            gloss_import_clip_is_placeholder (GlossClip          *clip);
/* Drops that mark once the real article is in (the caller saves). */
void                gloss_import_clip_clear_placeholder (GlossClip       *clip);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossImportPlan, gloss_import_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossImportSummary, gloss_import_summary_free)

G_END_DECLS
