/* gloss-clip.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gloss-annotation.h"

G_BEGIN_DECLS

#define GLOSS_FORMAT_VERSION 1

#define GLOSS_TYPE_CLIP (gloss_clip_get_type ())

G_DECLARE_FINAL_TYPE (GlossClip, gloss_clip, GLOSS, CLIP, GObject)

/* A new clip that is not on disk yet: a new id, created = modified = now. */
GlossClip  *gloss_clip_new                 (const char   *url,
                                            const char   *title);
/* Reads <folder>/clip.json. NULL with GLOSS_ERROR_DAMAGED (and a reason a
 * person understands) when it is not valid JSON or misses a required field,
 * GLOSS_ERROR_NOT_FOUND when there is no clip.json (an unfinished clip),
 * GLOSS_ERROR_INVALID_ID when the folder name or "id" is not a valid id or
 * they differ. A format greater than 1 loads read-only. Keeps the JsonObject
 * it read: unknown members survive a save. */
GlossClip  *gloss_clip_load                (GFile        *folder,
                                            GError      **error);
/* A stand-in for a clip that could not be read, so that the list can show
 * it with its reason. Always read-only: never written, never deleted. */
GlossClip  *gloss_clip_new_damaged         (GFile        *folder,
                                            const char   *reason);

/* Writes clip.json atomically (temporary file, flushed, renamed), under
 * the clip's lock and after folding in what another writer saved since
 * this clip read the file (nothing either wrote is lost). Fails
 * with GLOSS_ERROR_READ_ONLY for a damaged or newer-format clip, and with
 * GLOSS_ERROR_IO naming the path and the reason when the disk refuses; the
 * old file is then left as it was. Sets "modified" to now when @touch. */
gboolean    gloss_clip_save                (GlossClip    *self,
                                            gboolean      touch,
                                            GError      **error);
/* Replaces article.html and article.txt of a saved clip, each atomically.
 * Clips are written through GlossClipWriter (gloss-clip-writer.h), which
 * also anchors the annotations again; this is for tests that need an
 * article changed under a clip. */
gboolean    gloss_clip_replace_article     (GlossClip    *self,
                                            const char   *article_html,
                                            const char   *article_text,
                                            GError      **error);
char       *gloss_clip_load_article_text   (GlossClip    *self,
                                            GError      **error);
char       *gloss_clip_load_article_html   (GlossClip    *self,
                                            GError      **error);

/* The folder of a clip that is on disk, else NULL. */
GFile      *gloss_clip_get_folder          (GlossClip    *self);
gboolean    gloss_clip_get_read_only       (GlossClip    *self);
/* The reason a damaged clip could not be read, else NULL. */
const char *gloss_clip_get_damage          (GlossClip    *self);
/* A member of clip.json that this version has no field for (an import's
 * mark, a newer Gloss's data), a copy; NULL when absent. Setting one that
 * is a FORMAT.md field is refused; @value NULL removes it. Written with
 * the next save. */
JsonNode   *gloss_clip_dup_extra_member    (GlossClip    *self,
                                            const char   *name);
gboolean    gloss_clip_set_extra_member    (GlossClip    *self,
                                            const char   *name,
                                            JsonNode     *value);
/* The clip.json object as it will be written (for export and tests). */
JsonObject *gloss_clip_to_json             (GlossClip    *self);

const char *gloss_clip_get_id              (GlossClip    *self);
const char *gloss_clip_get_url             (GlossClip    *self);
void        gloss_clip_set_url             (GlossClip    *self,
                                            const char   *url);
const char *gloss_clip_get_title           (GlossClip    *self);
void        gloss_clip_set_title           (GlossClip    *self,
                                            const char   *title);
/* The optional string fields are NULL when absent or null in the file. */
const char *gloss_clip_get_byline          (GlossClip    *self);
void        gloss_clip_set_byline          (GlossClip    *self,
                                            const char   *byline);
const char *gloss_clip_get_site_name       (GlossClip    *self);
void        gloss_clip_set_site_name       (GlossClip    *self,
                                            const char   *site_name);
const char *gloss_clip_get_excerpt         (GlossClip    *self);
void        gloss_clip_set_excerpt         (GlossClip    *self,
                                            const char   *excerpt);
const char *gloss_clip_get_lang            (GlossClip    *self);
void        gloss_clip_set_lang            (GlossClip    *self,
                                            const char   *lang);
const char *gloss_clip_get_dir             (GlossClip    *self);
void        gloss_clip_set_dir             (GlossClip    *self,
                                            const char   *dir);
const char *gloss_clip_get_published       (GlossClip    *self);
void        gloss_clip_set_published       (GlossClip    *self,
                                            const char   *published);
const char *gloss_clip_get_created         (GlossClip    *self);
const char *gloss_clip_get_modified        (GlossClip    *self);
/* -1 when absent. */
gint64      gloss_clip_get_word_count      (GlossClip    *self);
void        gloss_clip_set_word_count      (GlossClip    *self,
                                            gint64        word_count);
/* The page-level note, Markdown; "" when absent. */
const char *gloss_clip_get_note            (GlossClip    *self);
void        gloss_clip_set_note            (GlossClip    *self,
                                            const char   *note);

/* Tags: trimmed, non-empty, case kept, compared case-insensitively. */
const char * const *gloss_clip_get_tags    (GlossClip    *self);
void        gloss_clip_set_tags            (GlossClip    *self,
                                            const char * const *tags);
gboolean    gloss_clip_add_tag             (GlossClip    *self,
                                            const char   *tag);
gboolean    gloss_clip_remove_tag          (GlossClip    *self,
                                            const char   *tag);
gboolean    gloss_clip_has_tag             (GlossClip    *self,
                                            const char   *tag);

/* The annotations in document order of their start (a GListModel of
 * GlossAnnotation, owned by the clip). */
GListModel      *gloss_clip_get_annotations     (GlossClip       *self);
guint            gloss_clip_get_n_annotations   (GlossClip       *self);
GlossAnnotation *gloss_clip_find_annotation     (GlossClip       *self,
                                                 const char      *annotation_id);
/* Inserts in document order. Fails (FALSE) if the id is already there. */
gboolean         gloss_clip_add_annotation      (GlossClip       *self,
                                                 GlossAnnotation *annotation);
gboolean         gloss_clip_remove_annotation   (GlossClip       *self,
                                                 const char      *annotation_id);
/* Call after an annotation's target moved, to keep document order. */
void             gloss_clip_sort_annotations    (GlossClip       *self);

/* The parsed "created" time, for sorting newest first. */
gint64      gloss_clip_get_created_unix    (GlossClip    *self);

G_END_DECLS
