/* gloss-clip-private.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the library, --verify and the fuzz target need of a clip beyond its
 * public API. */

#pragma once

#include "gloss-clip.h"
#include "gloss-clip-file.h"

G_BEGIN_DECLS

/* How much of clip.json a loaded clip keeps in memory. */
typedef enum
{
  /* Everything: the JsonObject and the annotations (gloss_clip_load). */
  GLOSS_CLIP_LOAD_FULL,
  /* The metadata a list needs; clip.json is read again, once, the first
   * time the annotations or the JSON are asked for. This is what keeps a
   * library of 10,000 clips in a few megabytes. */
  GLOSS_CLIP_LOAD_SUMMARY,
  /* The summary and the annotations as the scanner read them, without
   * json-glib: for --verify, which anchors them and writes nothing. */
  GLOSS_CLIP_LOAD_CHECK,
} GlossClipLoadMode;

GlossClip *gloss_clip_load_with_mode   (GFile              *folder,
                                        GlossClipLoadMode   mode,
                                        GError            **error);
/* The loader itself, on bytes already read: the fuzz target's entry. */
GlossClip *gloss_clip_load_from_data   (GFile              *folder,
                                        const char         *data,
                                        gsize               length,
                                        GlossClipLoadMode   mode,
                                        GError            **error);
/* A hash of the clip.json bytes last read or written, to tell our own
 * writes (and unchanged files) from real changes. */
guint64    gloss_clip_get_file_hash    (GlossClip          *self);
guint64    gloss_clip_hash_data        (const char         *data,
                                        gsize               length);
/* The format number read from the file. */
gint64     gloss_clip_get_format       (GlossClip          *self);
gint64     gloss_clip_get_created_usec (GlossClip          *self);
/* Makes @self what @other is (a reload after a change on disk), emitting
 * notify for each property that changed. */
void       gloss_clip_update_from      (GlossClip          *self,
                                        GlossClip          *other);

/* gloss_clip_save() in three steps, for GlossClipSaver's write on a
 * worker thread, where no object the main thread uses is touched:
 * gloss_clip_save_job_new(), on the main thread, checks that the clip may
 * be written, stamps "modified" (with @touch) and takes a snapshot: the
 * clip's own members as text, a reference to each annotation's frozen
 * text (gloss_annotation_freeze()) and to the merge base's bytes, so it
 * costs no serialisation of the annotations; gloss_clip_save_job_run(),
 * on any thread, puts clip.json's bytes together, takes the clip's lock,
 * reads clip.json again, folds in what another writer saved since (on
 * private trees, parsed only then) and writes atomically;
 * gloss_clip_save_job_apply(), back on the main thread after a run that
 * succeeded, folds what the other writer saved into the clip too, keeping
 * changes made to it meanwhile, and records what the disk now holds. */
typedef struct _GlossClipSaveJob GlossClipSaveJob;

GlossClipSaveJob *gloss_clip_save_job_new   (GlossClip          *self,
                                             gboolean            touch,
                                             GError            **error);
gboolean          gloss_clip_save_job_run   (GlossClipSaveJob   *job,
                                             GError            **error);
/* TRUE when the run folded in another writer's changes. */
gboolean          gloss_clip_save_job_get_merged (GlossClipSaveJob *job);
/* FALSE with @error when clip.json was written but what another writer
 * saved could not be folded into the clip in memory. */
gboolean          gloss_clip_save_job_apply (GlossClip          *self,
                                             GlossClipSaveJob   *job,
                                             GError            **error);
void              gloss_clip_save_job_free  (GlossClipSaveJob   *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossClipSaveJob, gloss_clip_save_job_free)

/* GLOSS_ERROR_READ_ONLY for a damaged or newer-format clip. */
gboolean   gloss_clip_check_writable   (GlossClip          *self,
                                        GError            **error);
/* Where a new clip now lives (the clip writer), or NULL. */
void       gloss_clip_set_folder       (GlossClip          *self,
                                        GFile              *folder);
/* Reads clip.json again and, when another writer changed it since this
 * clip last read or wrote it, folds those changes in (annotations added
 * or deleted there, tags, title and note changed there, unknown members).
 * Call with the clip's lock held (gloss-lock.h). */
gboolean   gloss_clip_merge_from_disk  (GlossClip          *self,
                                        GError            **error);
/* gloss_clip_save(), with the lock taken and the merge done only when
 * @take_lock; a caller that holds the clip's lock passes FALSE. */
gboolean   gloss_clip_write            (GlossClip          *self,
                                        gboolean            touch,
                                        gboolean            take_lock,
                                        GError            **error);

/* Writes @contents to @file atomically and durably (FORMAT.md); errors as
 * GLOSS_ERROR_IO naming the path. */
gboolean   gloss_write_file_atomic     (GFile              *file,
                                        const char         *contents,
                                        gssize              length,
                                        GError            **error);

/* --- shared by the siblings gloss-clip.c (the object), gloss-clip-load.c
 * and gloss-clip-save.c ---------------------------------------------- */

struct _GlossClip
{
  GObject      parent_instance;

  GFile       *folder;
  /* NULL for a summary-loaded clip until the JSON is needed. */
  JsonObject  *root;
  GListStore  *annotations;

  char        *id;
  char        *url;
  char        *title;
  char        *byline;
  char        *site_name;
  char        *excerpt;
  char        *lang;
  char        *dir;
  char        *published;
  char        *created;
  char        *modified;
  char        *note;
  GStrv        tags;
  gint64       word_count;
  gint64       created_usec;
  gint64       format;
  guint        n_annotations;
  char        *damage;
  guint64      file_hash;
  guint        read_only : 1;

  /* What the file said when it was last read or written, so that a save
   * can tell another writer's changes from ours (merge_from_disk()): its
   * bytes, read only when a merge needs the base of gloss_merge_clips3()
   * (FORMAT.md "Several machines"), and immutable, so that a save on a
   * worker thread shares them; NULL when not read in full. */
  GBytes      *base;

  /* Annotation id → annotation of @index_store (the annotations list
   * it was made for, kept alive): finding one by id is not a walk of
   * the list. Made when first needed, kept up to date by the list's
   * items-changed (one added), dropped by any other change. */
  GListStore  *index_store;
  GHashTable  *index;
};

enum {
  GLOSS_CLIP_PROP_0,
  GLOSS_CLIP_PROP_ID,
  GLOSS_CLIP_PROP_URL,
  GLOSS_CLIP_PROP_TITLE,
  GLOSS_CLIP_PROP_BYLINE,
  GLOSS_CLIP_PROP_SITE_NAME,
  GLOSS_CLIP_PROP_EXCERPT,
  GLOSS_CLIP_PROP_LANG,
  GLOSS_CLIP_PROP_DIR,
  GLOSS_CLIP_PROP_PUBLISHED,
  GLOSS_CLIP_PROP_CREATED,
  GLOSS_CLIP_PROP_MODIFIED,
  GLOSS_CLIP_PROP_WORD_COUNT,
  GLOSS_CLIP_PROP_NOTE,
  GLOSS_CLIP_PROP_TAGS,
  GLOSS_CLIP_PROP_N_ANNOTATIONS,
  GLOSS_CLIP_PROP_READ_ONLY,
  GLOSS_CLIP_PROP_DAMAGE,
  GLOSS_CLIP_PROP_FOLDER,
  GLOSS_CLIP_N_PROPS
};

extern GParamSpec *_gloss_clip_properties[GLOSS_CLIP_N_PROPS];

/* gloss-clip.c */
char      *_gloss_clip_tag_key              (const char          *tag);
gboolean   _gloss_clip_tag_matches          (const char          *tag,
                                             const char          *key);
void       _gloss_clip_normalize_tags       (GPtrArray           *out,
                                             const char * const  *tags);
int        _gloss_clip_compare_annotations  (gconstpointer        a,
                                             gconstpointer        b,
                                             gpointer             user_data);
void       _gloss_clip_update_n_annotations (GlossClip           *self);

/* gloss-clip-load.c */
GlossClip *_gloss_clip_new_from_file        (GFile               *folder,
                                             GlossClipFile       *file,
                                             GlossClipLoadMode    mode,
                                             GError             **error);
/* A summary-loaded clip reads its JSON and annotations the first time
 * they are needed. */
gboolean   _gloss_clip_ensure_full          (GlossClip           *self,
                                             GError             **error);
/* Remembers what the file holds now (@data) as the base of the next merge. */
void       _gloss_clip_remember_base        (GlossClip           *self,
                                             const char          *data,
                                             gsize                length);

/* gloss-clip-save.c */
gboolean   _gloss_clip_is_known_member      (const char          *name);

G_END_DECLS
