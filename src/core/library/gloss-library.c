/* gloss-library.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The library folder as a GListModel of clips, newest first. It loads the
 * clips on worker threads, keeps only what the list shows, writes through
 * GlossClip's atomic saves, deletes to a trash it can restore from, and
 * watches the folder so that a sync tool's or an editor's change shows up
 * without a restart. */

#define G_LOG_DOMAIN "gloss-library"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
# include <glib-unix.h>
# include <sys/inotify.h>
# define HAVE_INOTIFY 1
#endif

#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-library.h"
#include "gloss-library-private.h"
#include "gloss-merge.h"

/* Changes arrive as bursts (a temporary file, a rename, an attribute
 * change): wait this long after the first event, then reload once. */
#define RELOAD_DELAY_MS 200

struct _GlossLibrary
{
  GObject       parent_instance;

  GFile        *folder;
  GFile        *clips_folder;
  GPtrArray    *clips;
  GHashTable   *by_id;

  GFileMonitor *library_monitor;   /* for clips/ appearing */
  GFileMonitor *clips_monitor;
  GHashTable   *folder_monitors;   /* id → GFileMonitor, without inotify */
  /* One inotify watch per clip folder costs about a hundred bytes, where
   * a GFileMonitor costs two kilobytes and a main-loop source: with
   * 10,000 clips that is 1 MB instead of 20. GFileMonitor stays for the
   * two folders above, and for every folder where there is no inotify. */
  int           inotify_fd;
  guint         inotify_source;
  GHashTable   *wd_to_id;          /* watch descriptor → id */
  GHashTable   *id_to_wd;          /* id → watch descriptor */
  GHashTable   *pending;           /* ids to reload */
  guint         reload_source;

  /* Where this session's fallback deletes went, for restore. */
  GHashTable   *trashed;           /* id → GFile */

  guint         loaded : 1;
  guint         monitoring : 1;
  guint         merging : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GlossLibrary, gloss_library, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_FOLDER,
  PROP_LOADED,
  N_PROPS
};

enum {
  CLIP_ADDED,
  CLIP_CHANGED,
  CLIP_REMOVED,
  COPIES_MERGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void watch_folder   (GlossLibrary *self,
                            const char   *id);
static void unwatch_folder (GlossLibrary *self,
                            const char   *id);

/* --- GListModel --------------------------------------------------------- */

static GType
gloss_library_get_item_type (GListModel *model)
{
  return GLOSS_TYPE_CLIP;
}

static guint
gloss_library_get_n_items (GListModel *model)
{
  return GLOSS_LIBRARY (model)->clips->len;
}

static gpointer
gloss_library_get_item (GListModel *model,
                        guint       position)
{
  GlossLibrary *self = GLOSS_LIBRARY (model);

  if (position >= self->clips->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->clips, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = gloss_library_get_item_type;
  iface->get_n_items = gloss_library_get_n_items;
  iface->get_item = gloss_library_get_item;
}

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

  signals[CLIP_ADDED] =
    g_signal_new ("clip-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GLOSS_TYPE_CLIP);
  signals[CLIP_CHANGED] =
    g_signal_new ("clip-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GLOSS_TYPE_CLIP);
  signals[CLIP_REMOVED] =
    g_signal_new ("clip-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GLOSS_TYPE_CLIP);
  /* Conflict copies were merged into this many clips (the clip when it is
   * one, else NULL), at load or while watching: for a toast. */
  signals[COPIES_MERGED] =
    g_signal_new ("copies-merged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, GLOSS_TYPE_CLIP);
}

static void
gloss_library_init (GlossLibrary *self)
{
  self->clips = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->folder_monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->inotify_fd = -1;
  /* Both maps share the id string, owned by wd_to_id. */
  self->wd_to_id = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->id_to_wd = g_hash_table_new (g_str_hash, g_str_equal);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->trashed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* --- where the library lives -------------------------------------------- */

GFile *
gloss_library_resolve_folder (const char *command_line,
                              const char *setting)
{
  const char *env;

  if (command_line != NULL && command_line[0] != '\0')
    return g_file_new_for_commandline_arg (command_line);

  env = g_getenv ("GLOSS_LIBRARY");
  if (env != NULL && env[0] != '\0')
    return g_file_new_for_commandline_arg (env);

  if (setting != NULL && setting[0] != '\0')
    {
      if (g_str_has_prefix (setting, "~/"))
        {
          g_autofree char *path = g_build_filename (g_get_home_dir (), setting + 2, NULL);
          return g_file_new_for_path (path);
        }
      return g_file_new_for_commandline_arg (setting);
    }

  {
    g_autofree char *path = g_build_filename (g_get_user_data_dir (), "gloss", "library", NULL);
    return g_file_new_for_path (path);
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

/* --- scanning ----------------------------------------------------------- */

int
gloss_library_compare (gconstpointer a,
                       gconstpointer b)
{
  GlossClip *ca = *(GlossClip **) a;
  GlossClip *cb = *(GlossClip **) b;
  gint64 ta = gloss_clip_get_created_usec (ca);
  gint64 tb = gloss_clip_get_created_usec (cb);

  if (ta != tb)
    return ta > tb ? -1 : 1;
  return strcmp (gloss_clip_get_id (ca), gloss_clip_get_id (cb));
}

typedef struct
{
  GFile         *clips_folder;
  GPtrArray     *names;
  GlossClip    **results;
  GCancellable  *cancellable;
  gint           next;
  gboolean       merge;
} ScanJob;

static GlossClip *
load_one (GFile      *clips_folder,
          const char *name,
          gboolean    merge)
{
  g_autoptr(GFile) folder = g_file_get_child (clips_folder, name);
  g_autoptr(GError) error = NULL;
  GlossClip *clip;

  gboolean merged = FALSE;

  /* A sync tool's conflict copies are merged before the clip is read
   * (FORMAT.md "Several machines"), in the scan that reads it anyway. */
  if (merge && gloss_merge_folder_has_copies (folder))
    {
      g_autoptr(GFile) library_folder = g_file_get_parent (clips_folder);
      g_autoptr(GlossMergeReport) report = gloss_merge_clip_folder (library_folder, folder, &error);

      if (report == NULL)
        g_debug ("%s", error->message);
      merged = report != NULL && report->changed;
      g_clear_error (&error);
    }

  clip = gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_SUMMARY, &error);
  if (clip != NULL)
    {
      if (merged)
        g_object_set_data (G_OBJECT (clip), "gloss-copies-merged", GINT_TO_POINTER (TRUE));
      return clip;
    }

  /* A folder without clip.json is a clip being written: not shown. */
  if (g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND))
    return NULL;

  return gloss_clip_new_damaged (folder, error->message);
}

static gpointer
scan_worker (gpointer data)
{
  ScanJob *job = data;
  gint i;

  while ((i = g_atomic_int_add (&job->next, 1)) < (gint) job->names->len)
    {
      if (g_cancellable_is_cancelled (job->cancellable))
        break;
      job->results[i] = load_one (job->clips_folder, job->names->pdata[i], job->merge);
    }

  return NULL;
}

static GPtrArray *
scan_clips (GFile         *clips_folder,
            gboolean       merge,
            GCancellable  *cancellable,
            GError       **error);

GPtrArray *
gloss_library_scan_clips (GFile         *clips_folder,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return scan_clips (clips_folder, FALSE, cancellable, error);
}

static GPtrArray *
scan_clips (GFile         *clips_folder,
            gboolean       merge,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *path = g_file_get_path (clips_folder);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  GPtrArray *clips;
  ScanJob job = { 0, };
  const char *name;
  guint n_threads;

  if (path == NULL)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                           _("The library must be a local folder"));
      return NULL;
    }

  clips = g_ptr_array_new_with_free_func (g_object_unref);

  if (!(dir = g_dir_open (path, 0, &local_error)))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return clips;
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not read “%s”: %s"), path, local_error->message);
      g_ptr_array_unref (clips);
      return NULL;
    }

  /* Only names that can be ids can be clips; anything else (a sync
   * tool's folder, a stray file) is left alone, and --verify says so. */
  while ((name = g_dir_read_name (dir)))
    if (gloss_id_is_valid (name))
      g_ptr_array_add (names, g_strdup (name));

  /* GObject types are registered once, before threads race for them. */
  g_type_ensure (GLOSS_TYPE_CLIP);
  g_type_ensure (GLOSS_TYPE_ANNOTATION);

  job.clips_folder = clips_folder;
  job.names = names;
  job.results = g_new0 (GlossClip *, MAX (names->len, 1));
  job.cancellable = cancellable;
  job.merge = merge;

  /* Twice the processors: a thread waiting for a file to be read leaves
   * its processor to another that parses. */
  n_threads = CLAMP (2 * g_get_num_processors (), 2, 8);
  if (names->len < 64)
    n_threads = 1;

  for (guint i = 1; i < n_threads; i++)
    g_ptr_array_add (threads, g_thread_new ("gloss-load", scan_worker, &job));
  scan_worker (&job);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);

  for (guint i = 0; i < names->len; i++)
    if (job.results[i] != NULL)
      g_ptr_array_add (clips, job.results[i]);
  g_free (job.results);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_ptr_array_unref (clips);
      return NULL;
    }

  g_ptr_array_sort (clips, gloss_library_compare);
  return clips;
}

static void
set_clips (GlossLibrary *self,
           GPtrArray    *clips)
{
  guint old_n = self->clips->len;

  g_hash_table_remove_all (self->by_id);
  g_ptr_array_unref (self->clips);
  self->clips = g_ptr_array_ref (clips);

  for (guint i = 0; i < clips->len; i++)
    g_hash_table_insert (self->by_id,
                         (gpointer) gloss_clip_get_id (clips->pdata[i]),
                         clips->pdata[i]);

  if (self->monitoring)
    for (guint i = 0; i < clips->len; i++)
      watch_folder (self, gloss_clip_get_id (clips->pdata[i]));

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, clips->len);

  {
    GlossClip *one = NULL;
    guint n_merged = 0;

    for (guint i = 0; i < clips->len; i++)
      if (g_object_steal_data (clips->pdata[i], "gloss-copies-merged") != NULL)
        {
          one = clips->pdata[i];
          n_merged++;
        }
    if (n_merged > 0)
      g_signal_emit (self, signals[COPIES_MERGED], 0, n_merged, n_merged == 1 ? one : NULL);
  }

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GlossLibrary *self = source_object;
  GError *error = NULL;
  GPtrArray *clips = scan_clips (self->clips_folder, self->merging, cancellable, &error);

  if (clips == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, clips, (GDestroyNotify) g_ptr_array_unref);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GlossLibrary *self = GLOSS_LIBRARY (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GPtrArray) clips = NULL;
  GError *error = NULL;

  clips = g_task_propagate_pointer (G_TASK (result), &error);
  if (clips == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }

  /* The model changes on the main thread only. */
  set_clips (self, clips);
  g_task_return_boolean (outer, TRUE);
}

void
gloss_library_load_async (GlossLibrary        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;

  g_return_if_fail (GLOSS_IS_LIBRARY (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, gloss_library_load_async);

  inner = g_task_new (self, cancellable, load_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, load_thread);
  g_task_set_task_data (inner, g_object_ref (self->clips_folder), g_object_unref);
  g_task_run_in_thread (inner, load_thread);
}

gboolean
gloss_library_load_finish (GlossLibrary  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
gloss_library_load (GlossLibrary  *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GPtrArray) clips = NULL;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);

  clips = scan_clips (self->clips_folder, self->merging, cancellable, error);
  if (clips == NULL)
    return FALSE;

  set_clips (self, clips);
  return TRUE;
}

/* --- the model ---------------------------------------------------------- */

static guint
find_position (GlossLibrary *self,
               GlossClip    *clip)
{
  guint i;

  if (g_ptr_array_find (self->clips, clip, &i))
    return i;
  return G_MAXUINT;
}

static guint
sorted_position (GlossLibrary *self,
                 GlossClip    *clip)
{
  guint lo = 0, hi = self->clips->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (gloss_library_compare (&self->clips->pdata[mid], &clip) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
insert_clip (GlossLibrary *self,
             GlossClip    *clip)
{
  guint pos = sorted_position (self, clip);

  g_ptr_array_insert (self->clips, pos, g_object_ref (clip));
  g_hash_table_insert (self->by_id, (gpointer) gloss_clip_get_id (clip), clip);
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, 1);

  if (self->monitoring)
    watch_folder (self, gloss_clip_get_id (clip));

  g_signal_emit (self, signals[CLIP_ADDED], 0, clip);
}

static void
remove_clip (GlossLibrary *self,
             GlossClip    *clip)
{
  g_autoptr(GlossClip) hold = g_object_ref (clip);
  guint pos = find_position (self, clip);

  if (pos == G_MAXUINT)
    return;

  g_hash_table_remove (self->by_id, gloss_clip_get_id (clip));
  unwatch_folder (self, gloss_clip_get_id (clip));
  g_ptr_array_remove_index (self->clips, pos);
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);

  g_signal_emit (self, signals[CLIP_REMOVED], 0, hold);
}

/* After a clip changed: move it if its date did, tell the list to redraw
 * its row, and tell the listeners. */
static void
changed_clip (GlossLibrary *self,
              GlossClip    *clip)
{
  guint pos = find_position (self, clip);

  if (pos == G_MAXUINT)
    return;

  g_ptr_array_steal_index (self->clips, pos);
  {
    guint new_pos = sorted_position (self, clip);

    g_ptr_array_insert (self->clips, new_pos, clip);
    if (new_pos == pos)
      g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 1);
    else
      {
        g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);
        g_list_model_items_changed (G_LIST_MODEL (self), new_pos, 0, 1);
      }
  }

  g_signal_emit (self, signals[CLIP_CHANGED], 0, clip);
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

static gsize
url_length_without_fragment (const char *url)
{
  const char *hash = strchr (url, '#');

  return hash ? (gsize) (hash - url) : strlen (url);
}

GlossClip *
gloss_library_find_by_url (GlossLibrary *self,
                           const char   *url)
{
  gsize len;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  len = url_length_without_fragment (url);
  for (guint i = 0; i < self->clips->len; i++)
    {
      GlossClip *clip = self->clips->pdata[i];
      const char *other = gloss_clip_get_url (clip);

      if (gloss_clip_get_damage (clip) == NULL && other != NULL &&
          url_length_without_fragment (other) == len && strncmp (url, other, len) == 0)
        return clip;
    }

  return NULL;
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
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (GLOSS_IS_CLIP (clip), FALSE);

  if (gloss_library_lookup (self, gloss_clip_get_id (clip)) != NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS,
                   _("The library already has a clip %s"), gloss_clip_get_id (clip));
      return FALSE;
    }

  if (!g_file_make_directory_with_parents (self->clips_folder, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *path = g_file_get_parse_name (self->clips_folder);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not create “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  if (!gloss_clip_save_new (clip, self->clips_folder, article_html, article_text, error))
    return FALSE;

  insert_clip (self, clip);
  return TRUE;
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

  changed_clip (self, clip);
  return TRUE;
}

/* --- trash -------------------------------------------------------------- */

static gboolean
move_to_own_trash (GlossLibrary  *self,
                   GFile         *folder,
                   const char    *id,
                   GError       **error)
{
  g_autoptr(GFile) trash = g_file_get_child (self->folder, ".trash");
  g_autoptr(GFile) dest = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_make_directory_with_parents (trash, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *path = g_file_get_parse_name (trash);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not create “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  /* An earlier delete of the same id may still be there: never overwrite
   * it, as nothing is ever lost. */
  dest = g_file_get_child (trash, id);
  for (guint n = 1; g_file_query_exists (dest, NULL); n++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%u", id, n);

      g_object_unref (dest);
      dest = g_file_get_child (trash, name);
    }

  g_clear_error (&local_error);
  if (!g_file_move (folder, dest, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, &local_error))
    {
      g_autofree char *path = g_file_get_parse_name (folder);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not move “%s” to the trash: %s"), path, local_error->message);
      return FALSE;
    }

  g_hash_table_replace (self->trashed, g_strdup (id), g_object_ref (dest));
  return TRUE;
}

gboolean
gloss_library_delete (GlossLibrary  *self,
                      GlossClip     *clip,
                      GError       **error)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *id;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (GLOSS_IS_CLIP (clip), FALSE);

  id = gloss_clip_get_id (clip);
  if (gloss_library_lookup (self, id) != clip)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                   _("The clip %s is not in this library"), id);
      return FALSE;
    }

  if (gloss_clip_get_damage (clip) != NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   _("The clip %s is damaged and is never deleted by Gloss: %s"),
                   id, gloss_clip_get_damage (clip));
      return FALSE;
    }

  folder = g_file_get_child (self->clips_folder, id);
  unwatch_folder (self, id);

  if (!g_file_trash (folder, NULL, &local_error))
    {
      g_debug ("No desktop trash for %s (%s); using the library's own",
               id, local_error->message);
      if (!move_to_own_trash (self, folder, id, error))
        {
          if (self->monitoring)
            watch_folder (self, id);
          return FALSE;
        }
    }
  else
    g_hash_table_remove (self->trashed, id);

  remove_clip (self, clip);
  return TRUE;
}

typedef struct
{
  GFile *file;        /* files/<name> */
  GFile *info;        /* info/<name>.trashinfo */
  char  *deleted;     /* DeletionDate, to take the latest */
} TrashEntry;

static void
trash_entry_clear (TrashEntry *entry)
{
  g_clear_object (&entry->file);
  g_clear_object (&entry->info);
  g_clear_pointer (&entry->deleted, g_free);
}

/* Looks in a freedesktop.org trash folder (Trash specification 1.0) for
 * the latest item whose original path is @path. @topdir is set for a
 * per-volume trash, whose paths may be relative to the volume's top. */
static void
search_trash_dir (const char *trash_dir,
                  const char *topdir,
                  const char *path,
                  TrashEntry *best)
{
  g_autofree char *info_dir = g_build_filename (trash_dir, "info", NULL);
  g_autoptr(GDir) dir = g_dir_open (info_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *info_path = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *item = NULL;
      g_autofree char *original = NULL;
      g_autofree char *deleted = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_str_has_suffix (name, ".trashinfo"))
        continue;

      info_path = g_build_filename (info_dir, name, NULL);
      if (!g_file_get_contents (info_path, &contents, NULL, NULL))
        continue;

      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_strchomp (lines[i]);
          if (g_str_has_prefix (lines[i], "Path=") && original == NULL)
            {
              g_autofree char *unescaped = g_uri_unescape_string (lines[i] + 5, NULL);

              if (unescaped == NULL)
                continue;
              if (!g_path_is_absolute (unescaped) && topdir != NULL)
                original = g_build_filename (topdir, unescaped, NULL);
              else
                original = g_steal_pointer (&unescaped);
            }
          else if (g_str_has_prefix (lines[i], "DeletionDate=") && deleted == NULL)
            deleted = g_strdup (lines[i] + 13);
        }

      if (original == NULL || g_strcmp0 (original, path) != 0)
        continue;

      if (best->file != NULL && g_strcmp0 (deleted ? deleted : "", best->deleted ? best->deleted : "") < 0)
        continue;

      item = g_strndup (name, strlen (name) - strlen (".trashinfo"));
      {
        g_autofree char *file_path = g_build_filename (trash_dir, "files", item, NULL);

        if (!g_file_test (file_path, G_FILE_TEST_EXISTS))
          continue;

        trash_entry_clear (best);
        best->file = g_file_new_for_path (file_path);
        best->info = g_file_new_for_path (info_path);
        best->deleted = g_steal_pointer (&deleted);
      }
    }
}

/* The top of the file system holding @path, where a per-volume trash
 * lives. */
static char *
find_topdir (const char *path)
{
  g_autofree char *current = g_strdup (path);
  GStatBuf st;
  dev_t dev;

  if (g_stat (current, &st) != 0)
    return NULL;
  dev = st.st_dev;

  for (;;)
    {
      g_autofree char *parent = g_path_get_dirname (current);

      if (g_str_equal (parent, current) || g_stat (parent, &st) != 0 || st.st_dev != dev)
        return g_steal_pointer (&current);
      g_free (current);
      current = g_steal_pointer (&parent);
    }
}

static gboolean
find_in_desktop_trash (GlossLibrary *self,
                       GFile        *original,
                       TrashEntry   *entry)
{
  g_autofree char *path = g_file_get_path (original);
  g_autofree char *home_trash = g_build_filename (g_get_user_data_dir (), "Trash", NULL);
  g_autofree char *library_path = g_file_get_path (self->folder);
  g_autofree char *topdir = library_path ? find_topdir (library_path) : NULL;

  search_trash_dir (home_trash, NULL, path, entry);

  if (topdir != NULL)
    {
      g_autofree char *uid = g_strdup_printf ("%u", (guint) getuid ());
      g_autofree char *shared = g_build_filename (topdir, ".Trash", uid, NULL);
      g_autofree char *own = g_strdup_printf ("%s/.Trash-%s", topdir, uid);

      search_trash_dir (shared, topdir, path, entry);
      search_trash_dir (own, topdir, path, entry);
    }

  return entry->file != NULL;
}

static GFile *
find_in_own_trash (GlossLibrary *self,
                   const char   *id)
{
  g_autoptr(GFile) trash = g_file_get_child (self->folder, ".trash");
  g_autoptr(GFile) best = NULL;
  GFile *remembered = g_hash_table_lookup (self->trashed, id);
  guint n;

  if (remembered != NULL && g_file_query_exists (remembered, NULL))
    return g_object_ref (remembered);

  /* From an earlier session: the highest numbered copy is the latest. */
  best = g_file_get_child (trash, id);
  if (!g_file_query_exists (best, NULL))
    return NULL;

  for (n = 1;; n++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%u", id, n);
      g_autoptr(GFile) next = g_file_get_child (trash, name);

      if (!g_file_query_exists (next, NULL))
        break;
      g_set_object (&best, next);
    }

  return g_steal_pointer (&best);
}

gboolean
gloss_library_restore (GlossLibrary  *self,
                       const char    *clip_id,
                       GError       **error)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  TrashEntry entry = { 0, };

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);

  if (!gloss_id_check (clip_id, error))
    return FALSE;

  folder = g_file_get_child (self->clips_folder, clip_id);
  if (g_file_query_exists (folder, NULL))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS,
                   _("The clip %s is already in the library"), clip_id);
      return FALSE;
    }

  /* The copy this session put in .trash/ first, then the desktop trash
   * (where a delete goes when it can), and only then a copy an earlier
   * session left in .trash/: the latest deletion is the one to undo. */
  if (g_hash_table_contains (self->trashed, clip_id))
    source = find_in_own_trash (self, clip_id);
  if (source == NULL && find_in_desktop_trash (self, folder, &entry))
    source = g_object_ref (entry.file);
  if (source == NULL)
    source = find_in_own_trash (self, clip_id);

  if (source == NULL)
    {
      trash_entry_clear (&entry);
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                   _("The clip %s is not in the trash"), clip_id);
      return FALSE;
    }

  /* It may exist already; if it cannot be made, the move says why. */
  (void) g_file_make_directory_with_parents (self->clips_folder, NULL, NULL);

  if (!g_file_move (source, folder, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, &local_error))
    {
      g_autofree char *path = g_file_get_parse_name (source);

      trash_entry_clear (&entry);
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not restore “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  /* The item is back: its .trashinfo would now describe nothing. */
  if (entry.info != NULL)
    g_file_delete (entry.info, NULL, NULL);
  trash_entry_clear (&entry);
  g_hash_table_remove (self->trashed, clip_id);

  clip = gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_SUMMARY, &local_error);
  if (clip == NULL)
    {
      if (g_error_matches (local_error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      clip = gloss_clip_new_damaged (folder, local_error->message);
    }

  if (gloss_library_lookup (self, clip_id) == NULL)
    insert_clip (self, clip);

  return TRUE;
}

/* --- watching ----------------------------------------------------------- */

static void
reload_one (GlossLibrary *self,
            const char   *id)
{
  g_autoptr(GFile) folder = g_file_get_child (self->clips_folder, id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) fresh = NULL;
  GlossClip *existing = gloss_library_lookup (self, id);

  /* A conflict copy that came while the app runs: merged, then the clip
   * is read as usual (the merge's own write brings it back here, and
   * finds nothing left to merge). */
  if (self->merging && gloss_merge_folder_has_copies (folder))
    {
      g_autoptr(GlossMergeReport) report = gloss_merge_clip_folder (self->folder, folder, &error);

      if (report == NULL)
        g_debug ("%s", error->message);
      else if (report->changed)
        g_signal_emit (self, signals[COPIES_MERGED], 0, 1, existing);
      g_clear_error (&error);
    }

  fresh = gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_SUMMARY, &error);
  if (fresh == NULL)
    {
      if (g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND))
        {
          /* Gone, or not finished yet: watch it while the folder is
           * there, so that its clip.json is noticed when it comes. */
          if (existing != NULL)
            remove_clip (self, existing);
          if (g_file_query_file_type (folder, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) == G_FILE_TYPE_DIRECTORY)
            watch_folder (self, id);
          else
            unwatch_folder (self, id);
          return;
        }
      fresh = gloss_clip_new_damaged (folder, error->message);
    }

  if (existing == NULL)
    {
      insert_clip (self, fresh);
      return;
    }

  /* Our own save, or a touch that changed nothing. */
  if (gloss_clip_get_file_hash (existing) == gloss_clip_get_file_hash (fresh) &&
      g_strcmp0 (gloss_clip_get_damage (existing), gloss_clip_get_damage (fresh)) == 0)
    return;

  gloss_clip_update_from (existing, fresh);
  changed_clip (self, existing);
}

static gboolean
reload_pending_cb (gpointer user_data)
{
  GlossLibrary *self = user_data;
  g_autoptr(GHashTable) pending = g_steal_pointer (&self->pending);
  GHashTableIter iter;
  gpointer key;

  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->reload_source = 0;

  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    reload_one (self, key);

  return G_SOURCE_REMOVE;
}

static void
schedule_reload (GlossLibrary *self,
                 const char   *id)
{
  if (!gloss_id_is_valid (id))
    return;

  g_hash_table_add (self->pending, g_strdup (id));
  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_pending_cb, self);
}

static void
clips_changed_cb (GFileMonitor      *monitor,
                  GFile             *file,
                  GFile             *other_file,
                  GFileMonitorEvent  event,
                  gpointer           user_data)
{
  GlossLibrary *self = user_data;
  g_autofree char *name = g_file_get_basename (file);

  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
    return;

  schedule_reload (self, name);
  if (other_file != NULL)
    {
      g_autofree char *other = g_file_get_basename (other_file);
      schedule_reload (self, other);
    }
}

static void
folder_changed_cb (GFileMonitor      *monitor,
                   GFile             *file,
                   GFile             *other_file,
                   GFileMonitorEvent  event,
                   gpointer           user_data)
{
  GlossLibrary *self = user_data;
  const char *id = g_object_get_data (G_OBJECT (monitor), "gloss-clip-id");

  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT || id == NULL)
    return;

  schedule_reload (self, id);
}

#ifdef HAVE_INOTIFY
static void
forget_wd (GlossLibrary *self,
           int           wd)
{
  const char *id = g_hash_table_lookup (self->wd_to_id, GINT_TO_POINTER (wd));

  if (id == NULL)
    return;
  if (GPOINTER_TO_INT (g_hash_table_lookup (self->id_to_wd, id)) == wd)
    g_hash_table_remove (self->id_to_wd, id);
  g_hash_table_remove (self->wd_to_id, GINT_TO_POINTER (wd));
}

static gboolean
inotify_ready_cb (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  GlossLibrary *self = user_data;
  /* Aligned as struct inotify_event requires. */
  char buf[16384] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
  ssize_t len;

  while ((len = read (fd, buf, sizeof buf)) > 0)
    {
      for (char *p = buf; p < buf + len;)
        {
          const struct inotify_event *event = (const struct inotify_event *) p;
          const char *id = g_hash_table_lookup (self->wd_to_id, GINT_TO_POINTER (event->wd));

          p += sizeof (struct inotify_event) + event->len;

          if (event->mask & IN_Q_OVERFLOW)
            {
              /* Events were lost: look at every clip again. */
              for (guint i = 0; i < self->clips->len; i++)
                schedule_reload (self, gloss_clip_get_id (self->clips->pdata[i]));
              continue;
            }

          if (id != NULL)
            schedule_reload (self, id);

          /* The folder is gone (deleted, moved away): so is its watch. */
          if (event->mask & IN_IGNORED)
            forget_wd (self, event->wd);
        }
    }

  return G_SOURCE_CONTINUE;
}
#endif

static void
unwatch_folder (GlossLibrary *self,
                const char   *id)
{
#ifdef HAVE_INOTIFY
  gpointer wd;

  if (self->inotify_fd >= 0 && g_hash_table_lookup_extended (self->id_to_wd, id, NULL, &wd))
    {
      inotify_rm_watch (self->inotify_fd, GPOINTER_TO_INT (wd));
      forget_wd (self, GPOINTER_TO_INT (wd));
    }
#endif

  g_hash_table_remove (self->folder_monitors, id);
}

static void
watch_folder (GlossLibrary *self,
              const char   *id)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->monitoring || g_hash_table_contains (self->folder_monitors, id) ||
      g_hash_table_contains (self->id_to_wd, id))
    return;

#ifdef HAVE_INOTIFY
  if (self->inotify_fd >= 0)
    {
      g_autofree char *clips_path = g_file_get_path (self->clips_folder);
      g_autofree char *path = g_build_filename (clips_path, id, NULL);
      int wd = inotify_add_watch (self->inotify_fd, path,
                                  IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                  IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB |
                                  IN_ONLYDIR);

      if (wd < 0)
        {
          /* Most likely the per-user watch limit: the clip is still
           * listed, only changes made by others show on the next start. */
          g_debug ("Not watching clip %s: %s", id, g_strerror (errno));
          return;
        }

      forget_wd (self, wd);
      {
        char *owned = g_strdup (id);

        g_hash_table_insert (self->wd_to_id, GINT_TO_POINTER (wd), owned);
        g_hash_table_insert (self->id_to_wd, owned, GINT_TO_POINTER (wd));
      }
      return;
    }
#endif

  folder = g_file_get_child (self->clips_folder, id);
  monitor = g_file_monitor_directory (folder, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (monitor == NULL)
    {
      g_debug ("Not watching clip %s: %s", id, error->message);
      return;
    }

  g_object_set_data_full (G_OBJECT (monitor), "gloss-clip-id", g_strdup (id), g_free);
  g_signal_connect_object (monitor, "changed", G_CALLBACK (folder_changed_cb), self, 0);
  g_hash_table_insert (self->folder_monitors, g_strdup (id), g_steal_pointer (&monitor));
}

static void
watch_clips_folder (GlossLibrary *self)
{
  g_autoptr(GError) error = NULL;

  if (self->clips_monitor != NULL)
    {
      g_file_monitor_cancel (self->clips_monitor);
      g_clear_object (&self->clips_monitor);
    }

  self->clips_monitor = g_file_monitor_directory (self->clips_folder,
                                                  G_FILE_MONITOR_WATCH_MOVES,
                                                  NULL, &error);
  if (self->clips_monitor == NULL)
    g_warning ("Cannot watch the library for changes: %s", error->message);
  else
    g_signal_connect_object (self->clips_monitor, "changed",
                             G_CALLBACK (clips_changed_cb), self, 0);
}

/* clips/ was made (by a sync tool, or by our first add) after the
 * watching began: a watch on a folder that did not exist sees nothing,
 * so start again and look at what is already inside. */
static void
library_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  GlossLibrary *self = user_data;
  GFile *created = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (event == G_FILE_MONITOR_EVENT_CREATED || event == G_FILE_MONITOR_EVENT_MOVED_IN)
    created = file;
  else if (event == G_FILE_MONITOR_EVENT_RENAMED)
    created = other_file;

  if (created == NULL || !g_file_equal (created, self->clips_folder))
    return;

  watch_clips_folder (self);

  path = g_file_get_path (self->clips_folder);
  if ((dir = g_dir_open (path, 0, NULL)))
    while ((name = g_dir_read_name (dir)))
      schedule_reload (self, name);
}

static void
cancel_monitor (gpointer data)
{
  g_file_monitor_cancel (data);
  g_object_unref (data);
}

void
gloss_library_set_monitoring (GlossLibrary *self,
                              gboolean      monitoring)
{
  g_return_if_fail (GLOSS_IS_LIBRARY (self));

  monitoring = !!monitoring;
  if (self->monitoring == (guint) monitoring)
    return;
  self->monitoring = monitoring;

  if (monitoring)
    {
      g_autoptr(GError) error = NULL;

      g_hash_table_unref (self->folder_monitors);
      self->folder_monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cancel_monitor);

#ifdef HAVE_INOTIFY
      self->inotify_fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
      if (self->inotify_fd >= 0)
        self->inotify_source = g_unix_fd_add (self->inotify_fd, G_IO_IN, inotify_ready_cb, self);
      else
        g_debug ("No inotify (%s): one GFileMonitor per clip", g_strerror (errno));
#endif

      /* One watch for clips/ itself appearing, one for clips appearing
       * and going, one per clip folder for clip.json being replaced
       * inside it (inotify is not recursive). */
      self->library_monitor = g_file_monitor_directory (self->folder,
                                                        G_FILE_MONITOR_WATCH_MOVES,
                                                        NULL, &error);
      if (self->library_monitor != NULL)
        g_signal_connect_object (self->library_monitor, "changed",
                                 G_CALLBACK (library_changed_cb), self, 0);
      else
        g_debug ("Not watching the library folder: %s", error->message);

      watch_clips_folder (self);

      for (guint i = 0; i < self->clips->len; i++)
        watch_folder (self, gloss_clip_get_id (self->clips->pdata[i]));
    }
  else
    {
      if (self->clips_monitor != NULL)
        g_file_monitor_cancel (self->clips_monitor);
      g_clear_object (&self->clips_monitor);
      if (self->library_monitor != NULL)
        g_file_monitor_cancel (self->library_monitor);
      g_clear_object (&self->library_monitor);
      g_hash_table_remove_all (self->folder_monitors);
      g_clear_handle_id (&self->inotify_source, g_source_remove);
      if (self->inotify_fd >= 0)
        close (self->inotify_fd);
      self->inotify_fd = -1;
      g_hash_table_remove_all (self->id_to_wd);
      g_hash_table_remove_all (self->wd_to_id);
    }
}

void
gloss_library_set_merging (GlossLibrary *self,
                           gboolean      merging)
{
  g_return_if_fail (GLOSS_IS_LIBRARY (self));

  self->merging = !!merging;
}
