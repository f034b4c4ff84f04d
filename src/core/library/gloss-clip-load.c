/* gloss-clip-load.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A GlossClip from clip.json: what the one reader (gloss-clip-file.h)
 * found, kept in summary for the list or in full (the json-glib tree, so
 * that unknown members survive a save) for a clip that is opened. */

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

#define properties _gloss_clip_properties

/* Builds the annotations from the json-glib tree, for a clip read in
 * full; the reader has already vouched for them. */
static gboolean
build_annotations (GlossClip   *self,
                   JsonObject  *root,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (root, "annotations");
  JsonArray *array;
  guint n;

  self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GlossAnnotation) annotation = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !(annotation = gloss_annotation_new_from_json (json_node_get_object (element), &local_error)))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED, _("annotation %u: %s"), i + 1,
                       local_error ? local_error->message : _("not an object"));
          return FALSE;
        }
      g_list_store_append (self->annotations, annotation);
    }

  return TRUE;
}

/* Remembers what the file holds now as the base of the next merge. */
void
_gloss_clip_remember_base (GlossClip  *self,
                           const char *data,
                           gsize       length)
{
  g_clear_pointer (&self->base, g_bytes_unref);
  self->base = g_bytes_new (data, length);
}

/* A clip from what the one reader of clip.json (gloss-clip-file.h) found
 * in the file, keeping as much of it as @mode asks for. */
GlossClip *
_gloss_clip_new_from_file (GFile              *folder,
                           GlossClipFile      *file,
                           GlossClipLoadMode   mode,
                           GError            **error)
{
  g_autoptr(GlossClip) self = g_object_new (GLOSS_TYPE_CLIP, NULL);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();

  self->folder = g_object_ref (folder);
  self->format = file->format;
  self->read_only = file->read_only;
  self->id = g_strdup (file->id);
  self->url = g_strdup (file->url);
  self->title = g_strdup (file->title);
  self->created = g_strdup (file->created);
  self->modified = g_strdup (file->modified);
  self->created_usec = file->created_usec;
  self->byline = g_strdup (file->byline);
  self->site_name = g_strdup (file->site_name);
  self->excerpt = g_strdup (file->excerpt);
  self->lang = g_strdup (file->lang);
  self->dir = g_strdup (file->dir);
  self->published = g_strdup (file->published);
  self->note = g_strdup (file->note);
  self->word_count = file->word_count;
  self->n_annotations = file->n_annotations;
  self->file_hash = file->hash;

  _gloss_clip_normalize_tags (tags, (const char * const *) file->tags);
  g_ptr_array_add (tags, NULL);
  g_strfreev (self->tags);
  self->tags = (GStrv) g_ptr_array_free (g_steal_pointer (&tags), FALSE);

  /* A summary keeps no base: the clip is read in full (and its base
   * taken then) before anything of it is written. */
  if (mode == GLOSS_CLIP_LOAD_SUMMARY)
    return g_steal_pointer (&self);

  if (mode == GLOSS_CLIP_LOAD_CHECK)
    {
      self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);
      for (GlossScanValue *e = file->annotations ? file->annotations->first : NULL; e != NULL; e = e->next)
        {
          g_autoptr(GlossAnnotation) a = gloss_annotation_new_from_scan (e);
          g_list_store_append (self->annotations, a);
        }
      return g_steal_pointer (&self);
    }

  /* Opened or about to be saved: the mutable tree, kept so that unknown
   * members survive. The scanner accepted this document (and its depth),
   * so json-glib, which is more lenient, does too. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, file->data, file->length, &local_error))
    {
      /* json-glib quotes the input, and may cut a character in half. */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("clip.json is not valid JSON: %s"), reason);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                           _("clip.json does not hold a JSON object"));
      return NULL;
    }

  self->root = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  if (!build_annotations (self, self->root, error))
    return NULL;

  _gloss_clip_remember_base (self, file->data, file->length);
  return g_steal_pointer (&self);
}

GlossClip *
gloss_clip_load_from_data (GFile              *folder,
                           const char         *data,
                           gsize               length,
                           GlossClipLoadMode   mode,
                           GError            **error)
{
  g_autofree char *folder_name = NULL;
  g_autoptr(GlossClipFile) file = NULL;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  folder_name = g_file_get_basename (folder);
  file = gloss_clip_file_parse (folder_name, data, length, error);
  if (file == NULL)
    return NULL;

  return _gloss_clip_new_from_file (folder, file, mode, error);
}

GlossClip *
gloss_clip_load_with_mode (GFile              *folder,
                           GlossClipLoadMode   mode,
                           GError            **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GlossClipFile) file = NULL;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  path = g_file_get_path (folder);
  if (path == NULL)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                           _("The library must be a local folder"));
      return NULL;
    }

  file = gloss_clip_file_read (path, error);
  if (file == NULL)
    return NULL;

  /* A clip read in full is about to be shown or written: the temporary
   * files an interrupted write left in its folder go now, the ones old
   * enough that no writer can still be busy with them. The list and
   * --verify (summary and check) change nothing. */
  if (mode == GLOSS_CLIP_LOAD_FULL && !file->read_only && gloss_fs_remove_leftovers (path) > 0)
    g_debug ("Removed leftover temporary files of clip %s", file->id);

  return _gloss_clip_new_from_file (folder, file, mode, error);
}

GlossClip *
gloss_clip_load (GFile   *folder,
                 GError **error)
{
  return gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_FULL, error);
}


/* A summary-loaded clip reads its JSON and annotations again the first
 * time they are needed. Metadata changed in memory since wins over the
 * file, as it will be written back over it. */
gboolean
_gloss_clip_ensure_full (GlossClip  *self,
                         GError    **error)
{
  g_autoptr(GlossClip) full = NULL;

  if (self->root != NULL)
    return TRUE;

  if (self->damage != NULL || self->folder == NULL)
    {
      if (self->annotations == NULL)
        self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   _("The clip %s could not be read: %s"), self->id,
                   self->damage ? self->damage : _("it is not saved"));
      return FALSE;
    }

  full = gloss_clip_load_with_mode (self->folder, GLOSS_CLIP_LOAD_FULL, error);
  if (full == NULL)
    {
      if (self->annotations == NULL)
        self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);
      return FALSE;
    }

  self->root = g_steal_pointer (&full->root);
  if (self->annotations != NULL)
    {
      /* A stand-in was handed out after a failed read: fill it so that
       * whoever holds it sees the annotations, keeping any added to it
       * since (they would be lost in the save that follows). */
      guint n = g_list_model_get_n_items (G_LIST_MODEL (full->annotations));
      guint n_added = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < n; i++)
        {
          GlossAnnotation *a = g_list_model_get_item (G_LIST_MODEL (full->annotations), i);

          g_hash_table_add (ids, (gpointer) gloss_annotation_get_id (a));
          g_ptr_array_add (items, a);
        }
      for (guint i = 0; i < n_added; i++)
        {
          GlossAnnotation *a = g_list_model_get_item (G_LIST_MODEL (self->annotations), i);

          if (g_hash_table_contains (ids, gloss_annotation_get_id (a)))
            g_object_unref (a);
          else
            g_ptr_array_add (items, a);
        }
      g_list_store_splice (self->annotations, 0, n_added, items->pdata, items->len);
      g_list_store_sort (self->annotations, _gloss_clip_compare_annotations, NULL);
    }
  else
    self->annotations = g_steal_pointer (&full->annotations);
  self->n_annotations = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));
  self->file_hash = full->file_hash;

  /* The file as it is now is the base; the metadata changed in memory
   * since stays ours (gloss_merge_clips3() sees it differ). */
  g_clear_pointer (&self->base, g_bytes_unref);
  self->base = g_steal_pointer (&full->base);

  return TRUE;
}

