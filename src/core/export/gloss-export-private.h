/* gloss-export-private.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the export knows of a clip: a plain copy taken on the caller's
 * thread, so that rendering and writing can run on a worker thread while
 * the window goes on changing the live GlossClip objects. Also what the
 * tests render without a library. */

#pragma once

#include <json-glib/json-glib.h>

#include "gloss-template.h"

G_BEGIN_DECLS

typedef struct
{
  char     *id;
  char     *created;
  char     *modified;
  char     *color;
  char     *note;
  char     *exact;
  char     *prefix;
  char     *suffix;
  guint     start;
  guint     end;
  gboolean  orphan;
} GlossExportAnnotation;

typedef struct
{
  char       *id;
  char       *url;
  char       *title;
  char       *byline;
  char       *site_name;
  char       *published;
  char       *created;
  char       *modified;
  char       *excerpt;
  char       *lang;
  char       *note;
  GStrv       tags;
  GPtrArray  *annotations;  /* of GlossExportAnnotation, in document order */
  char       *folder;       /* the clip folder on disk, or NULL */
} GlossExportClip;

GlossExportClip       *gloss_export_clip_new          (void);
void                   gloss_export_clip_free         (GlossExportClip *clip);
GlossExportAnnotation *gloss_export_annotation_new    (void);
void                   gloss_export_annotation_free   (GlossExportAnnotation *annotation);

/* The names a Markdown template may use (docs/templates.md). */
const char * const    *gloss_export_template_names    (void);
/* The built-in templates: one file per clip, or a clip inside the
 * combined file. */
const char            *gloss_export_default_template  (gboolean combined);

/* Renders one clip. @article_text (article.txt, for telling whether a
 * quote is unique on the page) and @article_markdown (article.md, shown
 * when the template asks for {{article}}) may be NULL. */
void                   gloss_export_render_markdown   (GlossExportClip *clip,
                                                       GlossTemplate   *tmpl,
                                                       const char      *article_text,
                                                       const char      *article_markdown,
                                                       GString         *out);
/* The header of the combined file. */
void                   gloss_export_render_combined_header (guint     n_clips,
                                                            const char *exported,
                                                            GString  *out);

/* The W3C Web Annotation context of every export (docs/jsonld.md). */
JsonNode              *gloss_export_jsonld_context    (void);
/* The clip as W3C annotations: one "bookmarking" annotation for the page
 * (its note, tags and metadata) and one per highlight, appended to @out
 * as JsonObjects, each starting with a copy of @context when not NULL. */
void                   gloss_export_clip_to_jsonld    (GlossExportClip *clip,
                                                       JsonNode        *context,
                                                       GPtrArray       *out);

#define GLOSS_JSONLD_NAMESPACE "https://glossapp.github.io/ns/1#"
#define GLOSS_JSONLD_ID_PREFIX "urn:gloss:"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossExportClip, gloss_export_clip_free)

G_END_DECLS
