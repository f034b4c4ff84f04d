/* gloss-export.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-clip.h"
#include "gloss-library.h"

G_BEGIN_DECLS

typedef enum
{
  GLOSS_EXPORT_NONE         = 0,
  /* Markdown: one file for all the clips instead of one file per clip. */
  GLOSS_EXPORT_COMBINED     = 1 << 0,
  /* Markdown: the whole article (article.md, when the clip has one) after
   * the highlights. */
  GLOSS_EXPORT_WITH_ARTICLE = 1 << 1,
  /* JSON-LD: one annotation per line (JSON Lines) instead of one
   * AnnotationCollection. */
  GLOSS_EXPORT_JSON_LINES   = 1 << 2,
} GlossExportFlags;

/* Called on the thread-default main context of the caller of the _async
 * function (directly, for the blocking ones), at most every 50 ms and
 * once at the end with done == total. */
typedef void (*GlossProgressFunc) (guint     done,
                                   guint     total,
                                   gpointer  user_data);

typedef struct
{
  guint  clips;            /* clips exported */
  guint  annotations;      /* highlights exported */
  guint  skipped;          /* damaged clips left out */
  guint  files_written;    /* files created or changed */
  guint  files_unchanged;  /* files already up to date */
  char  *path;             /* the folder or file written */
} GlossExportSummary;

void                gloss_export_summary_free     (GlossExportSummary  *summary);

/* The clips to export: those of @clip_ids in that order (the result of a
 * search, a selection), or every clip of the library when @clip_ids is
 * NULL. An unknown id is an error (GLOSS_ERROR_NOT_FOUND). The library
 * must be loaded. */
GPtrArray          *gloss_export_collect_clips    (GlossLibrary        *library,
                                                   const char * const  *clip_ids,
                                                   GError             **error);

/* Markdown (docs/templates.md). @destination is a folder (created if
 * needed) that gets one file per clip, named after the title; a file of a
 * clip exported before is found by its gloss_id and updated in place. With
 * GLOSS_EXPORT_COMBINED @destination is the file to write (or a folder,
 * which gets gloss-export.md). @template_file, if not NULL, replaces the
 * built-in template. Clips are read from their files on a worker thread:
 * @clips (GlossClip) is only looked at on the calling thread. Library files
 * are never written; a destination inside the library is refused. */
void                gloss_export_markdown_async   (GPtrArray           *clips,
                                                   GFile               *destination,
                                                   GFile               *template_file,
                                                   GlossExportFlags     flags,
                                                   GlossProgressFunc    progress,
                                                   gpointer             progress_data,
                                                   GDestroyNotify       progress_notify,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GlossExportSummary *gloss_export_markdown_finish  (GAsyncResult        *result,
                                                   GError             **error);
GlossExportSummary *gloss_export_markdown         (GPtrArray           *clips,
                                                   GFile               *destination,
                                                   GFile               *template_file,
                                                   GlossExportFlags     flags,
                                                   GlossProgressFunc    progress,
                                                   gpointer             progress_data,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* W3C Web Annotation JSON-LD (docs/jsonld.md) into the file @destination,
 * replaced atomically. */
void                gloss_export_jsonld_async     (GPtrArray           *clips,
                                                   GFile               *destination,
                                                   GlossExportFlags     flags,
                                                   GlossProgressFunc    progress,
                                                   gpointer             progress_data,
                                                   GDestroyNotify       progress_notify,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GlossExportSummary *gloss_export_jsonld_finish    (GAsyncResult        *result,
                                                   GError             **error);
GlossExportSummary *gloss_export_jsonld           (GPtrArray           *clips,
                                                   GFile               *destination,
                                                   GlossExportFlags     flags,
                                                   GlossProgressFunc    progress,
                                                   gpointer             progress_data,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* One clip as Markdown with the built-in template, for "Copy as
 * Markdown". Reads article.txt (and article.md with
 * GLOSS_EXPORT_WITH_ARTICLE) when the clip is on disk. */
char               *gloss_export_clip_to_markdown (GlossClip           *clip,
                                                   GlossExportFlags     flags);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossExportSummary, gloss_export_summary_free)

G_END_DECLS
