/* gloss-clip-file.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one reader of clip.json (DESIGN.md: "one reader parses clip.json").
 * GlossClip, the search index and export all read through it, so that a
 * file is valid or damaged, with the same reason, whoever reads it. It is
 * built on the strict scanner (gloss-json-scan.h), which refuses nesting
 * deeper than clip.json needs before anything recurses over it, keeps no
 * state between calls and is safe on any number of threads. */

#pragma once

#include <gio/gio.h>

#include "gloss-annotation.h"
#include "gloss-json-scan.h"

G_BEGIN_DECLS

/* Far beyond any real clip.json (a few kilobytes); a bigger file is
 * damage or an attack, not something to hold in memory. */
#define GLOSS_CLIP_FILE_MAX_SIZE (64 * 1024 * 1024)

/* clip.json needs four levels; the scanner refuses anything deeper than
 * this before a recursive reader (json-glib) sees it. */
#define GLOSS_CLIP_FILE_MAX_DEPTH 128

/* A clip.json that passed every check of FORMAT.md. The strings point into
 * the file's scan and live as long as it does; optional ones are NULL
 * when absent or null. */
typedef struct
{
  gint64           format;
  gboolean         read_only;       /* format is newer than this Gloss */
  const char      *id;
  const char      *url;
  const char      *title;
  const char      *created;
  const char      *modified;
  gint64           created_usec;
  const char      *byline;
  const char      *site_name;
  const char      *excerpt;
  const char      *lang;
  const char      *dir;
  const char      *published;
  const char      *note;
  gint64           word_count;      /* -1 when absent */
  /* The tags as the file has them (not trimmed or deduplicated). */
  const char     **tags;
  guint            n_tags;
  /* The "annotations" array (each checked), or NULL. */
  GlossScanValue  *annotations;
  guint            n_annotations;
  GlossScanValue  *root;
  /* Of the bytes read, to tell an unchanged file from a changed one. */
  guint64          hash;
  /* The bytes themselves, NUL-terminated (for json-glib's tree). */
  const char      *data;
  gsize            length;
} GlossClipFile;

/* One annotation of a checked file, its strings in the same scan. */
typedef struct
{
  const char  *id;
  const char  *created;
  const char  *modified;
  GlossColor   color;
  const char  *note;       /* "" when absent or null */
  const char  *exact;
  const char  *prefix;     /* "" when absent or null */
  const char  *suffix;
  guint        start;
  guint        end;
} GlossClipFileAnnotation;

/* Reads <@folder_path>/clip.json, never through a symbolic link (the
 * folder's or the file's). NULL with GLOSS_ERROR_NOT_FOUND when there is
 * no clip.json (an unfinished clip), GLOSS_ERROR_DAMAGED or
 * GLOSS_ERROR_INVALID_ID with a reason a person understands, or
 * GLOSS_ERROR_IO. */
GlossClipFile *gloss_clip_file_read      (const char               *folder_path,
                                          GError                  **error);
/* The same in the folder already open as @dir_fd (O_DIRECTORY|O_NOFOLLOW,
 * gloss_fs_open_folder()), which is @folder_path: the library's scan reads
 * the folder's names through the same descriptor. */
GlossClipFile *gloss_clip_file_read_at   (int                       dir_fd,
                                          const char               *folder_path,
                                          GError                  **error);
/* The same checks on bytes already read; @folder_name is the id the file
 * must hold. The bytes are copied. */
GlossClipFile *gloss_clip_file_parse     (const char               *folder_name,
                                          const char               *data,
                                          gsize                     length,
                                          GError                  **error);
void           gloss_clip_file_free      (GlossClipFile            *file);

/* Fills @out from one element of @file->annotations. */
void           gloss_clip_file_get_annotation (GlossScanValue           *element,
                                               GlossClipFileAnnotation  *out);

/* A hash of bytes, to tell "the same" from "changed" (not for security). */
guint64        gloss_clip_file_hash      (const char               *data,
                                          gsize                     length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossClipFile, gloss_clip_file_free)

G_END_DECLS
