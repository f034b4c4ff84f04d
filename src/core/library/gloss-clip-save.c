/* gloss-clip-save.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A GlossClip written back: clip.json serialised from the tree it was
 * read from, merged with what another writer saved meanwhile under the
 * clip's lock, and replaced atomically. */

#define G_LOG_DOMAIN "gloss-clip"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-clip-file.h"
#include "gloss-clip-private.h"
#include "gloss-error.h"
#include "gloss-fs.h"
#include "gloss-id.h"
#include "gloss-json-private.h"
#include "gloss-lock.h"
#include "gloss-merge.h"

#define properties _gloss_clip_properties

gboolean
gloss_write_file_atomic (GFile       *file,
                         const char  *contents,
                         gssize       length,
                         GError     **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;

  if (path == NULL)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                           _("The library must be a local folder"));
      return FALSE;
    }

  if (length < 0)
    length = strlen (contents);

  /* A temporary file in the same folder, flushed, renamed over the old
   * one, so that a crash leaves the old file or the new one, never a mix
   * (FORMAT.md); never through a link (gloss-fs.h). */
  folder = g_path_get_dirname (path);
  name = g_path_get_basename (path);
  return gloss_fs_write (folder, name, contents, length, TRUE, error);
}

/* --- writing ------------------------------------------------------------ */

static void
write_optional_string (JsonObject *root,
                       const char *member,
                       const char *value)
{
  /* Absent and null mean the same; keep whichever the file had. */
  if (value != NULL || json_object_has_member (root, member))
    gloss_json_set_string (root, member, value);
}

/* The clip's own members written into its tree; the annotations are
 * left to the caller. */
static JsonObject *
update_root (GlossClip *self)
{
  JsonObject *root = self->root;
  JsonNode *node;

  if (!json_object_has_member (root, "format"))
    json_object_set_int_member (root, "format", GLOSS_FORMAT_VERSION);
  json_object_set_string_member (root, "id", self->id);
  json_object_set_string_member (root, "url", self->url);
  json_object_set_string_member (root, "title", self->title);
  write_optional_string (root, "byline", self->byline);
  write_optional_string (root, "site_name", self->site_name);
  write_optional_string (root, "excerpt", self->excerpt);
  write_optional_string (root, "lang", self->lang);
  write_optional_string (root, "dir", self->dir);
  write_optional_string (root, "published", self->published);
  json_object_set_string_member (root, "created", self->created);
  json_object_set_string_member (root, "modified", self->modified);

  node = json_object_get_member (root, "word_count");
  if (self->word_count >= 0)
    json_object_set_int_member (root, "word_count", self->word_count);
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    json_object_remove_member (root, "word_count");

  if (self->tags[0] != NULL || json_object_has_member (root, "tags"))
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; self->tags[i] != NULL; i++)
        json_array_add_string_element (array, self->tags[i]);
      json_object_set_array_member (root, "tags", array);
    }

  if ((self->note != NULL && self->note[0] != '\0') || json_object_has_member (root, "note"))
    json_object_set_string_member (root, "note", gloss_clip_get_note (self));

  return root;
}

JsonObject *
gloss_clip_to_json (GlossClip *self)
{
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);

  if (!_gloss_clip_ensure_full (self, &error))
    {
      g_warning ("%s", error->message);
      return NULL;
    }

  root = update_root (self);

  if (self->n_annotations > 0 || json_object_has_member (root, "annotations"))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));
      JsonArray *array = json_array_sized_new (n);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GlossAnnotation) a = g_list_model_get_item (G_LIST_MODEL (self->annotations), i);

          json_array_add_object_element (array, json_object_ref (gloss_annotation_to_json (a)));
        }
      json_object_set_array_member (root, "annotations", array);
    }

  return root;
}

JsonNode *
gloss_clip_dup_extra_member (GlossClip  *self,
                             const char *name)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (_gloss_clip_is_known_member (name))
    return NULL;
  if (!_gloss_clip_ensure_full (self, &error))
    return NULL;

  node = json_object_get_member (self->root, name);
  return node != NULL ? gloss_json_deep_copy (node) : NULL;
}

gboolean
gloss_clip_set_extra_member (GlossClip  *self,
                             const char *name,
                             JsonNode   *value)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (_gloss_clip_is_known_member (name) || !_gloss_clip_ensure_full (self, &error))
    return FALSE;

  if (value == NULL)
    json_object_remove_member (self->root, name);
  else
    json_object_set_member (self->root, name, gloss_json_deep_copy (value));
  return TRUE;
}

/* --- what clip.json is to hold, taken cheaply ---------------------------
 *
 * Saving must not cost a serialisation of every annotation on the main
 * thread (a clip may hold a thousand). A snapshot is the clip's own
 * members as text, with an empty "annotations" where the annotations go,
 * and each annotation's frozen text (gloss_annotation_freeze(): made once
 * per change, then shared): a reference per annotation. Any thread puts
 * the bytes together, the same bytes json-glib's generator makes of the
 * whole tree (two-space indent, a final newline). */

/* Where the annotations go in the head: the root's member at the first
 * level of indentation. A JSON string holds no raw newline, so nothing
 * else in the text can look like this. */
#define ANNOTATIONS_SLOT "\n  \"annotations\" : []"
/* An annotation is two levels down: inside the root, inside the array. */
#define ANNOTATION_INDENT "    "

typedef struct
{
  GBytes    *head;
  GPtrArray *annotations;   /* of GBytes, in the clip's order */
} Snapshot;

static void
snapshot_clear (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->head, g_bytes_unref);
  g_clear_pointer (&snapshot->annotations, g_ptr_array_unref);
}

static void
snapshot_take (GlossClip *self,
               Snapshot  *snapshot)
{
  JsonObject *root = update_root (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));
  gsize length;
  char *text;

  /* The member keeps its place among the others; gloss_clip_to_json()
   * fills it again whenever the tree itself is asked for. */
  if (n > 0 || json_object_has_member (root, "annotations"))
    json_object_set_array_member (root, "annotations", json_array_new ());

  text = gloss_json_to_data (root, &length);
  snapshot->head = g_bytes_new_take (text, length);

  snapshot->annotations = g_ptr_array_new_full (n, (GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossAnnotation) a = g_list_model_get_item (G_LIST_MODEL (self->annotations), i);

      g_ptr_array_add (snapshot->annotations, gloss_annotation_freeze (a));
    }
}

/* @text, made at the top level, as it reads two levels down: every line
 * indented further, and json-glib's empty object, whose inside is as
 * wide as its depth ("{" and "}" with spaces between), widened to match.
 * A scan that knows where strings are, so that their text stays as is. */
static void
append_indented (GString *out,
                 GBytes  *text)
{
  gsize length;
  const char *data = g_bytes_get_data (text, &length);
  const char *end = data + length;
  const char *run = data;
  gboolean in_string = FALSE;

  g_string_append (out, ANNOTATION_INDENT);
  for (const char *p = data; p < end; p++)
    {
      if (in_string)
        {
          if (*p == '\\')
            p++;
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }

      if (*p == '"')
        in_string = TRUE;
      else if (*p == '\n')
        {
          g_string_append_len (out, run, p + 1 - run);
          g_string_append (out, ANNOTATION_INDENT);
          run = p + 1;
        }
      else if (*p == '{')
        {
          const char *q = p + 1;

          while (q < end && *q == ' ')
            q++;
          if (q < end && *q == '}')
            {
              g_string_append_len (out, run, q - run);
              g_string_append (out, ANNOTATION_INDENT);
              run = q;
              p = q - 1;
            }
        }
    }
  g_string_append_len (out, run, end - run);
}

/* The bytes of clip.json: on any thread, from the snapshot only. */
static GBytes *
snapshot_to_data (const Snapshot  *snapshot,
                  GError         **error)
{
  gsize head_length, total;
  const char *head = g_bytes_get_data (snapshot->head, &head_length);
  const char *slot;
  GString *out;

  if (snapshot->annotations->len == 0)
    {
      out = g_string_sized_new (head_length + 1);
      g_string_append_len (out, head, head_length);
      g_string_append_c (out, '\n');
      return g_string_free_to_bytes (out);
    }

  slot = g_strstr_len (head, head_length, ANNOTATIONS_SLOT);
  if (slot == NULL)
    {
      /* snapshot_take() always writes the member when there are
       * annotations: a bug, said rather than losing them. */
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                           _("The annotations could not be placed in clip.json"));
      return NULL;
    }

  total = head_length + 16;
  for (guint i = 0; i < snapshot->annotations->len; i++)
    total += g_bytes_get_size (snapshot->annotations->pdata[i]) * 5 / 4 + 8;
  out = g_string_sized_new (total);

  /* Up to and with the "[", the annotations, then "]" and the rest. */
  g_string_append_len (out, head, slot + strlen (ANNOTATIONS_SLOT) - 1 - head);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < snapshot->annotations->len; i++)
    {
      if (i > 0)
        g_string_append (out, ",\n");
      append_indented (out, snapshot->annotations->pdata[i]);
    }
  g_string_append (out, "\n  ]");
  slot += strlen (ANNOTATIONS_SLOT);
  g_string_append_len (out, slot, head + head_length - slot);
  g_string_append_c (out, '\n');

  return g_string_free_to_bytes (out);
}

static GBytes *
clip_to_data (GlossClip  *self,
              GError    **error)
{
  Snapshot snapshot = { 0 };
  GBytes *data;

  snapshot_take (self, &snapshot);
  data = snapshot_to_data (&snapshot, error);
  snapshot_clear (&snapshot);

  return data;
}

gboolean
gloss_clip_check_writable (GlossClip  *self,
                           GError    **error)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);

  if (self->damage != NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   _("The clip %s is damaged and is never written: %s"), self->id, self->damage);
      return FALSE;
    }
  if (self->read_only)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   /* Translators: a clip id and the “format” number in clip.json. */
                   _("The clip %s was written by a newer Gloss (format %lld) and is read-only"),
                   self->id, (long long) self->format);
      return FALSE;
    }
  return TRUE;
}

#define check_writable gloss_clip_check_writable

/* Written files and read articles are the clip folder's: a clip made in
 * memory (an import not applied yet, a test) has none. */
static gboolean
check_in_library (GlossClip  *self,
                  GError    **error)
{
  if (self->folder != NULL)
    return TRUE;

  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
               _("The clip %s is not in a library yet"), self->id);
  return FALSE;
}

void
gloss_clip_set_folder (GlossClip *self,
                       GFile     *folder)
{
  g_return_if_fail (GLOSS_IS_CLIP (self));

  if (g_set_object (&self->folder, folder))
    g_object_notify_by_pspec (G_OBJECT (self), properties[GLOSS_CLIP_PROP_FOLDER]);
}

static gboolean
write_clip_json (GlossClip  *self,
                 GError    **error)
{
  g_autoptr(GFile) file = g_file_get_child (self->folder, "clip.json");
  g_autoptr(GBytes) data = NULL;
  const char *bytes;
  gsize length;

  if (!_gloss_clip_ensure_full (self, error))
    return FALSE;

  if (!(data = clip_to_data (self, error)))
    return FALSE;
  bytes = g_bytes_get_data (data, &length);
  if (!gloss_write_file_atomic (file, bytes, length, error))
    return FALSE;

  self->file_hash = gloss_clip_hash_data (bytes, length);
  g_clear_pointer (&self->base, g_bytes_unref);
  self->base = g_steal_pointer (&data);
  return TRUE;
}

/* --- merging another writer's changes ----------------------------------- */

static const char * const known_members[] = {
  "format", "id", "url", "title", "byline", "site_name", "excerpt", "lang", "dir",
  "published", "created", "modified", "word_count", "tags", "note", "annotations",
};

gboolean
_gloss_clip_is_known_member (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_members); i++)
    if (g_str_equal (name, known_members[i]))
      return TRUE;
  return FALSE;
}

/* Whether @a and @b say the same of one annotation: the merge gave back
 * ours, so whoever holds that object (the annotations panel) keeps it. */
static gboolean
same_annotation (GlossAnnotation *a,
                 GlossAnnotation *b)
{
  return g_str_equal (gloss_annotation_get_modified (a), gloss_annotation_get_modified (b)) &&
         g_strcmp0 (gloss_annotation_get_note (a), gloss_annotation_get_note (b)) == 0 &&
         gloss_annotation_get_color (a) == gloss_annotation_get_color (b) &&
         gloss_annotation_get_start (a) == gloss_annotation_get_start (b) &&
         gloss_annotation_get_end (a) == gloss_annotation_get_end (b) &&
         g_strcmp0 (gloss_annotation_get_exact (a), gloss_annotation_get_exact (b)) == 0;
}

/* The library folder of a clip folder: <library>/clips/<id>. */
static char *library_path_of (GFile *folder);

/* What a merge found that lost to the other side's text, kept beside the
 * library (gloss_merge_lost_remember ()) so that the user can take it
 * back; a failure to keep it does not fail the save. */
static void
remember_lost (GlossClip  *self,
               JsonObject *lost)
{
  g_autofree char *library = library_path_of (self->folder);
  g_autoptr(GFile) library_folder = library ? g_file_new_for_path (library) : NULL;
  g_autoptr(GError) error = NULL;

  if (lost == NULL || library_folder == NULL)
    return;
  if (!gloss_merge_lost_remember (library_folder, self->id, lost, &error))
    g_warning ("Could not keep the texts that lost in the merge of clip %s: %s",
               self->id, error->message);
}

/* The merge base from its bytes (gloss_merge_read(): the tree as a clip
 * writes it), or NULL, merging two ways, when there is none or it cannot
 * be read. */
static JsonObject *
read_base (GBytes     *base,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *data;
  gsize length;

  if (base == NULL)
    return NULL;

  data = g_bytes_get_data (base, &length);
  object = gloss_merge_read (data, length, id, &error);
  if (object == NULL)
    g_debug ("Merging clip %s without its base: %s", id, error->message);
  return object;
}
static gboolean update_from_merged (GlossClip   *self,
                                    JsonObject  *merged,
                                    GError     **error);

gboolean
gloss_clip_merge_from_disk (GlossClip  *self,
                            GError    **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GlossClipFile) file = NULL;
  g_autoptr(GlossClip) theirs = NULL;
  g_autoptr(JsonObject) theirs_root = NULL;
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(JsonObject) lost = NULL;
  g_autoptr(JsonObject) base = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *ours_root;
  guint64 theirs_hash;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);

  if (self->folder == NULL)
    return TRUE;
  if (!_gloss_clip_ensure_full (self, error))
    return FALSE;

  path = g_file_get_path (self->folder);
  file = gloss_clip_file_read (path, &local_error);
  if (file == NULL)
    {
      /* Gone, or unreadable just now: what we hold is written whole, as
       * before there was a merge. */
      g_debug ("Not merging clip %s: %s", self->id, local_error->message);
      return TRUE;
    }

  if (file->hash == self->file_hash)
    return TRUE;
  theirs_hash = file->hash;

  theirs = _gloss_clip_new_from_file (self->folder, file, GLOSS_CLIP_LOAD_FULL, &local_error);
  if (theirs == NULL)
    {
      g_debug ("Not merging clip %s: %s", self->id, local_error->message);
      return TRUE;
    }

  if (theirs->read_only)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   _("The clip %s was written by a newer Gloss (format %lld) meanwhile and is read-only"),
                   self->id, (long long) theirs->format);
      return FALSE;
    }

  /* The one merge of FORMAT.md "Several machines": what this clip was
   * when last read or written is the base, the clip in memory is ours,
   * the file as the other writer left it is theirs. "removed", "changed"
   * and "removed_tags" decide, so that a deletion made there is not
   * undone here, nor an edit made there lost. */
  theirs_root = json_object_ref (gloss_clip_to_json (theirs));
  ours_root = gloss_clip_to_json (self);
  if (theirs_root == NULL || ours_root == NULL)
    return TRUE;
  base = read_base (self->base, self->id);
  merged = gloss_merge_clips3 (base, ours_root, theirs_root, &lost);
  if (merged == NULL)
    {
      /* Another clip's file in this folder: the reader checks the id
       * against the folder, so this is never reached; keep ours. */
      g_debug ("Not merging clip %s: the file on disk is another clip", self->id);
      return TRUE;
    }

  if (!update_from_merged (self, merged, error))
    return FALSE;

  /* Theirs is now the base of what we write. */
  self->file_hash = theirs_hash;
  g_clear_pointer (&self->base, g_bytes_unref);
  self->base = g_bytes_new (file->data, file->length);

  /* Our text that lost to theirs is kept aside, as for conflict copies. */
  remember_lost (self, lost);

  return TRUE;
}

/* The library folder of a clip folder: <library>/clips/<id>. */
static char *
library_path_of (GFile *folder)
{
  g_autofree char *path = g_file_get_path (folder);
  g_autofree char *clips = path ? g_path_get_dirname (path) : NULL;

  return clips ? g_path_get_dirname (clips) : NULL;
}

gboolean
gloss_clip_write (GlossClip  *self,
                  gboolean    touch,
                  gboolean    take_lock,
                  GError    **error)
{
  g_autofree char *old_modified = NULL;
  g_autoptr(GlossLock) lock = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error) || !check_in_library (self, error))
    return FALSE;

  /* Another process (an import, a second window's app) may write this
   * clip too: under the clip's lock, read what it wrote and fold it in,
   * so that neither loses the other's annotations. */
  if (take_lock)
    {
      g_autofree char *library = library_path_of (self->folder);

      if (library != NULL)
        lock = gloss_lock_acquire_clip (library, self->id);
      if (!gloss_clip_merge_from_disk (self, error))
        return FALSE;
    }

  if (touch)
    {
      old_modified = g_steal_pointer (&self->modified);
      self->modified = gloss_time_now_string ();
    }

  if (!write_clip_json (self, error))
    {
      /* Memory says what the disk says. */
      if (old_modified != NULL)
        {
          g_free (self->modified);
          self->modified = g_steal_pointer (&old_modified);
        }
      return FALSE;
    }

  if (old_modified != NULL && !g_str_equal (old_modified, self->modified))
    g_object_notify_by_pspec (G_OBJECT (self), properties[GLOSS_CLIP_PROP_MODIFIED]);

  /* Temporary files an interrupted write left here: the ones old enough
   * that no writer can still be busy with them (gloss-fs.h). */
  {
    g_autofree char *path = g_file_get_path (self->folder);

    if (gloss_fs_remove_leftovers (path) > 0)
      g_debug ("Removed leftover temporary files of clip %s", self->id);
  }

  return TRUE;
}

gboolean
gloss_clip_save (GlossClip  *self,
                 gboolean    touch,
                 GError    **error)
{
  return gloss_clip_write (self, touch, TRUE, error);
}

/* --- saving on a worker thread (GlossClipSaver) --------------------------- */

struct _GlossClipSaveJob
{
  char       *id;
  GFile      *folder;
  Snapshot    snapshot;      /* ours, as taken on the main thread */
  guint64     file_hash;     /* of the file ours was based on */
  GBytes     *base;          /* that file's bytes: the merge base */

  /* Results of the run. */
  gboolean    merged;
  guint64     written_hash;
  GBytes     *written_data;  /* what clip.json now holds */
  JsonObject *sent;          /* when merged: ours, as read back */
  JsonObject *written;       /* when merged: what clip.json now holds */
  JsonObject *lost;          /* our texts that lost to theirs */
};

void
gloss_clip_save_job_free (GlossClipSaveJob *job)
{
  if (job == NULL)
    return;

  g_free (job->id);
  g_clear_object (&job->folder);
  snapshot_clear (&job->snapshot);
  g_clear_pointer (&job->base, g_bytes_unref);
  g_clear_pointer (&job->written_data, g_bytes_unref);
  g_clear_pointer (&job->sent, json_object_unref);
  g_clear_pointer (&job->written, json_object_unref);
  g_clear_pointer (&job->lost, json_object_unref);
  g_free (job);
}

GlossClipSaveJob *
gloss_clip_save_job_new (GlossClip  *self,
                         gboolean    touch,
                         GError    **error)
{
  GlossClipSaveJob *job;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_writable (self, error) || !_gloss_clip_ensure_full (self, error) ||
      !check_in_library (self, error))
    return NULL;

  if (touch)
    {
      g_autofree char *old_modified = g_steal_pointer (&self->modified);

      self->modified = gloss_time_now_string ();
      if (g_strcmp0 (old_modified, self->modified) != 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[GLOSS_CLIP_PROP_MODIFIED]);
    }

  job = g_new0 (GlossClipSaveJob, 1);
  job->id = g_strdup (self->id);
  job->folder = g_file_dup (self->folder);
  /* The clip's members as text and a reference per annotation: the
   * worker puts the bytes together. */
  snapshot_take (self, &job->snapshot);
  job->file_hash = self->file_hash;
  /* Immutable: the clip replaces its base, never changes it. */
  job->base = self->base ? g_bytes_ref (self->base) : NULL;

  return job;
}

gboolean
gloss_clip_save_job_run (GlossClipSaveJob  *job,
                         GError           **error)
{
  g_autofree char *path = NULL;
  g_autofree char *library = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GlossLock) lock = NULL;
  g_autoptr(GlossClipFile) on_disk = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (job->folder);
  if (path == NULL)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                           _("The library must be a local folder"));
      return FALSE;
    }
  library = library_path_of (job->folder);
  file = g_file_get_child (job->folder, "clip.json");

  out = snapshot_to_data (&job->snapshot, error);
  if (out == NULL)
    return FALSE;

  /* As gloss_clip_write(), but every object here is this thread's own. */
  if (library != NULL)
    lock = gloss_lock_acquire_clip (library, job->id);

  on_disk = gloss_clip_file_read (path, &local_error);
  if (on_disk == NULL)
    {
      /* Gone, or unreadable just now: ours is written whole. */
      g_debug ("Not merging clip %s: %s", job->id, local_error->message);
      g_clear_error (&local_error);
    }
  else if (on_disk->hash != job->file_hash)
    {
      g_autoptr(GlossClip) theirs = NULL;

      theirs = _gloss_clip_new_from_file (job->folder, on_disk, GLOSS_CLIP_LOAD_FULL, &local_error);
      if (theirs == NULL)
        {
          g_debug ("Not merging clip %s: %s", job->id, local_error->message);
          g_clear_error (&local_error);
        }
      else if (theirs->read_only)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                       _("The clip %s was written by a newer Gloss (format %lld) meanwhile and is read-only"),
                       job->id, (long long) theirs->format);
          return FALSE;
        }
      else
        {
          JsonObject *theirs_root = gloss_clip_to_json (theirs);
          g_autoptr(JsonObject) base = read_base (job->base, job->id);
          g_autoptr(JsonObject) merged = NULL;

          /* Only now are the trees needed: ours read back from the
           * bytes, the base from its bytes. */
          job->sent = gloss_merge_read (g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                                        job->id, error);
          if (job->sent == NULL)
            return FALSE;

          /* The one merge of FORMAT.md "Several machines", as in
           * gloss_clip_merge_from_disk(). */
          if (theirs_root != NULL)
            merged = gloss_merge_clips3 (base, job->sent, theirs_root, &job->lost);
          if (merged != NULL)
            {
              char *merged_data;
              gsize length;

              merged_data = gloss_merge_to_data (merged, &length);
              g_clear_pointer (&out, g_bytes_unref);
              out = g_bytes_new_take (merged_data, length);
              job->merged = TRUE;
            }
        }
    }

  if (!gloss_write_file_atomic (file, g_bytes_get_data (out, NULL), g_bytes_get_size (out), error))
    return FALSE;

  job->written_hash = gloss_clip_hash_data (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  job->written_data = g_bytes_ref (out);
  if (job->merged)
    {
      /* What the main thread folds in. */
      job->written = gloss_merge_read (g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                                       job->id, &local_error);
      if (job->written == NULL)
        {
          g_warning ("Could not read back clip %s as merged: %s", job->id, local_error->message);
          g_clear_error (&local_error);
        }
    }

  /* The snapshot's references go here, not on the main thread. */
  snapshot_clear (&job->snapshot);

  if (gloss_fs_remove_leftovers (path) > 0)
    g_debug ("Removed leftover temporary files of clip %s", job->id);

  return TRUE;
}

gboolean
gloss_clip_save_job_get_merged (GlossClipSaveJob *job)
{
  g_return_val_if_fail (job != NULL, FALSE);

  return job->merged;
}

/* Makes @self say what @merged (a whole clip.json object) says, keeping
 * the annotation objects the merge left as they were, so that whoever
 * holds them (the annotations panel) keeps them. */
static gboolean
update_from_merged (GlossClip   *self,
                    JsonObject  *merged,
                    GError     **error)
{
  g_autofree char *merged_data = NULL;
  g_autoptr(GlossClipFile) merged_file = NULL;
  g_autoptr(GlossClip) merged_clip = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize merged_length;

  merged_data = gloss_merge_to_data (merged, &merged_length);
  merged_file = gloss_clip_file_parse (self->id, merged_data, merged_length, &local_error);
  if (merged_file != NULL)
    merged_clip = _gloss_clip_new_from_file (self->folder, merged_file, GLOSS_CLIP_LOAD_FULL, &local_error);
  if (merged_clip == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("The clip %s could not be merged with the version saved meanwhile: %s"),
                   self->id, local_error->message);
      return FALSE;
    }

  if (self->annotations != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (merged_clip->annotations));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GlossAnnotation) m = g_list_model_get_item (G_LIST_MODEL (merged_clip->annotations), i);
          GlossAnnotation *mine = gloss_clip_find_annotation (self, gloss_annotation_get_id (m));

          if (mine != NULL && same_annotation (mine, m))
            g_list_store_splice (merged_clip->annotations, i, 1, (gpointer *) &mine, 1);
        }
    }

  gloss_clip_update_from (self, merged_clip);
  return TRUE;
}

gboolean
gloss_clip_save_job_apply (GlossClip         *self,
                           GlossClipSaveJob  *job,
                           GError           **error)
{
  gboolean ret = TRUE;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (job->merged && job->written != NULL && job->sent != NULL)
    {
      g_autoptr(JsonObject) merged = NULL;
      g_autoptr(JsonObject) lost = NULL;
      JsonObject *ours = gloss_clip_to_json (self);

      /* Three ways again, here: against what was sent, the file (ours
       * merged with theirs) is "theirs", and the clip as it is now,
       * changes made while the file was written included, is "ours". */
      if (ours != NULL)
        merged = gloss_merge_clips3 (job->sent, ours, job->written, &lost);
      if (merged != NULL && !update_from_merged (self, merged, error))
        ret = FALSE;

      /* Texts the worker's merge (ours lost to the other writer's) or this
       * one set aside, for the panel's notice. */
      remember_lost (self, job->lost);
      remember_lost (self, lost);
    }

  if (job->written_data == NULL || (job->merged && job->written == NULL) || !ret)
    {
      /* Not written, not read back, or not folded in: the next save
       * merges with the file again. */
      self->file_hash = 0;
      return ret;
    }

  /* What the disk holds now is the base of the next merge. */
  self->file_hash = job->written_hash;
  g_clear_pointer (&self->base, g_bytes_unref);
  self->base = g_steal_pointer (&job->written_data);
  return TRUE;
}

static gboolean
write_articles (GFile       *folder,
                const char  *article_html,
                const char  *article_text,
                GError     **error)
{
  g_autoptr(GFile) html = g_file_get_child (folder, "article.html");
  g_autoptr(GFile) text = g_file_get_child (folder, "article.txt");

  return gloss_write_file_atomic (html, article_html, -1, error) &&
         gloss_write_file_atomic (text, article_text, -1, error);
}

gboolean
gloss_clip_replace_article (GlossClip   *self,
                            const char  *article_html,
                            const char  *article_text,
                            GError     **error)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (article_html != NULL, FALSE);
  g_return_val_if_fail (article_text != NULL, FALSE);

  if (!check_writable (self, error) || !check_in_library (self, error))
    return FALSE;

  return write_articles (self->folder, article_html, article_text, error);
}

/* Article files are read as clip.json is: never through a link, so that
 * a link planted in a clip folder cannot make Gloss show, index or export
 * another file of the disk. */
#define MAX_ARTICLE_SIZE (256 * 1024 * 1024)

static char *
load_article (GlossClip   *self,
              const char  *name,
              GError     **error)
{
  g_autofree char *folder_path = NULL;
  char *contents = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);

  if (!check_in_library (self, error))
    return NULL;

  folder_path = g_file_get_path (self->folder);
  if (!gloss_fs_read (folder_path, name, MAX_ARTICLE_SIZE, &contents, NULL, error))
    return NULL;

  return contents;
}

char *
gloss_clip_load_article_text (GlossClip  *self,
                              GError    **error)
{
  return load_article (self, "article.txt", error);
}

char *
gloss_clip_load_article_html (GlossClip  *self,
                              GError    **error)
{
  return load_article (self, "article.html", error);
}

