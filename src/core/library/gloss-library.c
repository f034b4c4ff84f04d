/* gloss-library.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The library folder as a GListModel of clips, newest first: the object,
 * where the library lives, lookups, and writes (through the one clip
 * writer, gloss-clip-writer.h). Its other jobs are siblings sharing
 * gloss-library-private.h: the model, loading, trash, watching. */

#define G_LOG_DOMAIN "gloss-library"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-clip-writer.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-library.h"
#include "gloss-url.h"
#include "gloss-library-private.h"

G_DEFINE_FINAL_TYPE_WITH_CODE (GlossLibrary, gloss_library, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, _gloss_library_list_model_init))

enum {
  PROP_0,
  PROP_FOLDER,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint _gloss_library_signals[GLOSS_LIBRARY_N_SIGNALS];

/* --- object ------------------------------------------------------------- */

static void
gloss_library_dispose (GObject *object)
{
  GlossLibrary *self = (GlossLibrary *) object;

  gloss_library_set_monitoring (self, FALSE);
  g_clear_handle_id (&self->reload_source, g_source_remove);

  G_OBJECT_CLASS (gloss_library_parent_class)->dispose (object);
}

static void
gloss_library_finalize (GObject *object)
{
  GlossLibrary *self = (GlossLibrary *) object;

  g_clear_object (&self->folder);
  g_clear_object (&self->clips_folder);
  g_clear_pointer (&self->clips, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->url_key_of, g_hash_table_unref);
  g_clear_pointer (&self->url_key_more, g_hash_table_unref);
  g_clear_pointer (&self->by_url_key, g_hash_table_unref);
  g_clear_pointer (&self->folder_monitors, g_hash_table_unref);
  g_clear_pointer (&self->wd_to_id, g_hash_table_unref);
  g_clear_pointer (&self->id_to_wd, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->trashed, g_hash_table_unref);

  G_OBJECT_CLASS (gloss_library_parent_class)->finalize (object);
}

static void
gloss_library_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GlossLibrary *self = GLOSS_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      g_value_set_object (value, self->folder);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_library_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GlossLibrary *self = GLOSS_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      self->folder = g_value_dup_object (value);
      self->clips_folder = g_file_get_child (self->folder, "clips");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_library_class_init (GlossLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_library_dispose;
  object_class->finalize = gloss_library_finalize;
  object_class->get_property = gloss_library_get_property;
  object_class->set_property = gloss_library_set_property;

  properties[PROP_FOLDER] =
    g_param_spec_object ("folder", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  _gloss_library_signals[GLOSS_LIBRARY_CLIP_ADDED] =
    g_signal_new ("clip-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GLOSS_TYPE_CLIP);
  _gloss_library_signals[GLOSS_LIBRARY_CLIP_CHANGED] =
    g_signal_new ("clip-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GLOSS_TYPE_CLIP);
  _gloss_library_signals[GLOSS_LIBRARY_CLIP_REMOVED] =
    g_signal_new ("clip-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GLOSS_TYPE_CLIP);
  /* Conflict copies were merged into this many clips (the clip when it is
   * one, else NULL), at load or while watching: for a toast. */
  _gloss_library_signals[GLOSS_LIBRARY_COPIES_MERGED] =
    g_signal_new ("copies-merged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, GLOSS_TYPE_CLIP);
}

static void
gloss_library_init (GlossLibrary *self)
{
  self->clips = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_url_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->url_key_of = g_hash_table_new (NULL, NULL);
  self->url_key_more = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) g_ptr_array_unref);
  self->folder_monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->inotify_fd = -1;
  /* Both maps share the id string, owned by wd_to_id. */
  self->wd_to_id = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->id_to_wd = g_hash_table_new (g_str_hash, g_str_equal);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->trashed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* --- where the library lives -------------------------------------------- */

/* A folder named by the user: a path, absolute or relative to the
 * working folder, or a URI. A path (and a file: URI) gets a file of the
 * local VFS, as GIO would give, but without asking GIO which VFS is the
 * default: that loads the list of GIO's modules, a millisecond of every
 * `gloss --search`. */
static GFile *
folder_for_arg (const char *arg)
{
  const char *scheme = g_uri_peek_scheme (arg);
  g_autofree char *path = NULL;

  if (scheme == NULL || g_str_equal (scheme, "file"))
    {
      if (scheme != NULL)
        path = g_filename_from_uri (arg, NULL, NULL);
      else if (g_path_is_absolute (arg))
        path = g_canonicalize_filename (arg, NULL);
      else
        {
          g_autofree char *cwd = g_get_current_dir ();

          path = g_canonicalize_filename (arg, cwd);
        }
    }
  if (path == NULL)
    return g_file_new_for_commandline_arg (arg);
  return g_vfs_get_file_for_path (g_vfs_get_local (), path);
}

GFile *
gloss_library_resolve_folder (const char *command_line,
                              const char *setting)
{
  const char *env;

  if (command_line != NULL && command_line[0] != '\0')
    return folder_for_arg (command_line);

  env = g_getenv ("GLOSS_LIBRARY");
  if (env != NULL && env[0] != '\0')
    return folder_for_arg (env);

  if (setting != NULL && setting[0] != '\0')
    {
      if (g_str_has_prefix (setting, "~/"))
        {
          g_autofree char *path = g_build_filename (g_get_home_dir (), setting + 2, NULL);
          return folder_for_arg (path);
        }
      return folder_for_arg (setting);
    }

  {
    g_autofree char *path = g_build_filename (g_get_user_data_dir (), "gloss", "library", NULL);
    return folder_for_arg (path);
  }
}

GlossLibrary *
gloss_library_new (GFile *folder)
{
  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  return g_object_new (GLOSS_TYPE_LIBRARY, "folder", folder, NULL);
}

GFile *
gloss_library_get_folder (GlossLibrary *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), NULL);
  return self->folder;
}

GFile *
gloss_library_get_clips_folder (GlossLibrary *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), NULL);
  /* Created by the first write (gloss_library_add): reading a library,
   * as --list and --verify do, never changes it. */
  return self->clips_folder;
}

gboolean
gloss_library_get_loaded (GlossLibrary *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);
  return self->loaded;
}

void
_gloss_library_notify_loaded (GlossLibrary *self)
{
  g_assert (GLOSS_IS_LIBRARY (self));

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

GlossClip *
gloss_library_lookup (GlossLibrary *self,
                      const char   *clip_id)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), NULL);

  if (clip_id == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_id, clip_id);
}

/* FORMAT.md's clips are found by the one rule for "the same page"
 * (gloss-url.c), in the model's table of keys: one key computed, one hash
 * lookup, whatever the size of the library (the live view asks on every
 * page it shows). Among clips of the same page, the one saved under this
 * very address wins, then the newest. */
GlossClip *
gloss_library_find_by_url (GlossLibrary *self,
                           const char   *url)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  if ((key = _gloss_library_url_key (url)) == NULL)
    return NULL;
  return _gloss_library_find_by_url_key (self, key, url);
}

static int
compare_tags (gconstpointer a,
              gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

GStrv
gloss_library_dup_all_tags (GlossLibrary *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), NULL);

  for (guint i = 0; i < self->clips->len; i++)
    {
      const char * const *clip_tags = gloss_clip_get_tags (self->clips->pdata[i]);

      for (guint j = 0; clip_tags[j] != NULL; j++)
        if (g_hash_table_add (seen, g_utf8_casefold (clip_tags[j], -1)))
          g_ptr_array_add (tags, g_strdup (clip_tags[j]));
    }

  g_ptr_array_sort (tags, compare_tags);
  g_ptr_array_add (tags, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
}

/* --- writes ------------------------------------------------------------- */

gboolean
gloss_library_add (GlossLibrary  *self,
                   GlossClip     *clip,
                   const char    *article_html,
                   const char    *article_text,
                   GError       **error)
{
  g_autoptr(GlossClipWriter) writer = NULL;
  GlossClipPage page = { .word_count = -1, };

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (GLOSS_IS_CLIP (clip), FALSE);
  /* Both NULL: a page not clipped yet (FORMAT.md). */
  g_return_val_if_fail ((article_html == NULL) == (article_text == NULL), FALSE);

  if (gloss_clip_get_folder (clip) != NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS,
                   _("The library already has a clip %s"), gloss_clip_get_id (clip));
      return FALSE;
    }

  /* The one writer of a clip folder (FORMAT.md order, cleaned up after a
   * failure). */
  writer = gloss_clip_writer_new (self, clip);
  page.html = article_html;
  page.text = article_text;
  return gloss_clip_writer_commit (writer, &page, error) != NULL;
}

void
gloss_library_add_written (GlossLibrary *self,
                           GlossClip    *clip)
{
  g_return_if_fail (GLOSS_IS_LIBRARY (self));
  g_return_if_fail (GLOSS_IS_CLIP (clip));
  g_return_if_fail (gloss_library_lookup (self, gloss_clip_get_id (clip)) == NULL);

  _gloss_library_insert_clip (self, clip);
}

gboolean
gloss_library_save (GlossLibrary  *self,
                    GlossClip     *clip,
                    GError       **error)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (GLOSS_IS_CLIP (clip), FALSE);

  if (!gloss_clip_save (clip, TRUE, error))
    return FALSE;

  _gloss_library_clip_changed (self, clip);
  return TRUE;
}

void
gloss_library_clip_saved (GlossLibrary *self,
                          GlossClip    *clip)
{
  g_return_if_fail (GLOSS_IS_LIBRARY (self));
  g_return_if_fail (GLOSS_IS_CLIP (clip));

  _gloss_library_clip_changed (self, clip);
}

GlossLock *
gloss_library_lock_clip (GlossLibrary  *self,
                         GlossClip     *clip,
                         GError       **error)
{
  g_autofree char *library = NULL;
  g_autoptr(GlossLock) lock = NULL;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (GLOSS_IS_CLIP (clip), NULL);

  library = g_file_get_path (self->folder);
  lock = gloss_lock_acquire_clip (library, gloss_clip_get_id (clip));

  if (gloss_clip_get_damage (clip) == NULL && !gloss_clip_get_read_only (clip) &&
      !gloss_clip_merge_from_disk (clip, error))
    return NULL;

  return g_steal_pointer (&lock);
}

gboolean
gloss_library_save_locked (GlossLibrary  *self,
                           GlossClip     *clip,
                           GError       **error)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (GLOSS_IS_CLIP (clip), FALSE);

  if (!gloss_clip_write (clip, TRUE, FALSE, error))
    return FALSE;

  _gloss_library_clip_changed (self, clip);
  return TRUE;
}

void
gloss_library_set_merging (GlossLibrary *self,
                           gboolean      merging)
{
  g_return_if_fail (GLOSS_IS_LIBRARY (self));

  self->merging = !!merging;
}
