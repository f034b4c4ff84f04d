/* gloss-library-load.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reading the library folder: every clip.json in summary mode, on
 * several threads, damaged clips as stand-ins, links and unfinished
 * folders left out. Shared with --list and --verify. */

#define G_LOG_DOMAIN "gloss-library"

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>

#include "gloss-error.h"
#include "gloss-clip-file.h"
#include "gloss-fs.h"
#include "gloss-id.h"
#include "gloss-library-private.h"
#include "gloss-merge.h"
#include "gloss-merge-check.h"

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
  gboolean       merge;
  GlossMergeCheck *check;   /* the start-up check, when merging */
} ScanJob;

typedef struct
{
  GlossFolderFunc  func;
  gpointer         user_data;
  GCancellable    *cancellable;
  guint            n_folders;
  gint             next;
} FolderRun;

static gpointer
folder_worker (gpointer data)
{
  FolderRun *run = data;
  gint i;

  while ((i = g_atomic_int_add (&run->next, 1)) < (gint) run->n_folders)
    {
      if (g_cancellable_is_cancelled (run->cancellable))
        break;
      run->func ((guint) i, run->user_data);
    }

  return NULL;
}

void
gloss_library_for_each_folder (guint            n_folders,
                               guint            n_alone,
                               const char      *thread_name,
                               GCancellable    *cancellable,
                               GlossFolderFunc  func,
                               gpointer         user_data)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  FolderRun run = { func, user_data, cancellable, n_folders, 0 };
  guint n_threads;

  g_return_if_fail (thread_name != NULL);
  g_return_if_fail (func != NULL);

  /* GObject types are registered once, before threads race for them. */
  g_type_ensure (GLOSS_TYPE_CLIP);
  g_type_ensure (GLOSS_TYPE_ANNOTATION);

  /* Twice the processors: a thread waiting for a file to be read leaves
   * its processor to another that parses. */
  n_threads = CLAMP (2 * g_get_num_processors (), 2, 8);
  if (n_folders < n_alone)
    n_threads = 1;

  for (guint i = 1; i < n_threads; i++)
    g_ptr_array_add (threads, g_thread_new (thread_name, folder_worker, &run));
  folder_worker (&run);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
}

gboolean
_gloss_library_is_clip_folder (const char *clips_path,
                               const char *name)
{
  g_autofree char *path = g_build_filename (clips_path, name, NULL);
  struct stat st;

  return lstat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

/* The names in clips/ that may be clips: ids, and folders. A link to a
 * folder elsewhere is not a clip of this library: never listed, so never
 * written (issue 15); --verify names it. readdir() says which is which
 * without a stat of each. */
static GPtrArray *
list_clip_names (const char  *clips_path,
                 GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  struct dirent *entry;
  DIR *dir;

  if (!(dir = opendir (clips_path)))
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s", g_strerror (saved_errno));
      return NULL;
    }

  while ((entry = readdir (dir)) != NULL)
    {
      if (!gloss_id_is_valid (entry->d_name))
        continue;
      if (entry->d_type != DT_DIR &&
          (entry->d_type != DT_UNKNOWN || !_gloss_library_is_clip_folder (clips_path, entry->d_name)))
        continue;
      g_ptr_array_add (names, g_strdup (entry->d_name));
    }
  closedir (dir);

  return g_steal_pointer (&names);
}

/* The app's scan (gloss_library_set_merging()): a sync tool's conflict
 * copies are merged before the clip is read (FORMAT.md "Several
 * machines"). The folder is opened once, and clip.json read through the
 * same descriptor; its names are read only when @check (the scan's
 * record, at @index) cannot tell that the folder is as it was when it was
 * last listed without a copy (gloss-merge-check.h): no second walk, and
 * mostly one fstat per clip. NULL with @error as
 * gloss_clip_load_with_mode(); *@merged when copies were merged. */
static GlossClip *
load_merging (GFile            *clips_folder,
              GFile            *folder,
              GlossMergeCheck  *check,
              guint             index,
              gboolean         *merged,
              GError          **error)
{
  const char *path = g_file_peek_path (folder);
  g_autoptr(GlossClipFile) file = NULL;
  int dir_fd;

  *merged = FALSE;
  if (path == NULL || (dir_fd = gloss_fs_open_folder (path, NULL)) < 0)
    return gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_SUMMARY, error);

  if (check != NULL ? gloss_merge_check_folder (check, index, dir_fd, path)
                    : gloss_merge_folder_fd_has_copies (dir_fd, path))
    {
      g_autoptr(GFile) library_folder = g_file_get_parent (clips_folder);
      g_autoptr(GlossMergeReport) report = NULL;
      g_autoptr(GError) local_error = NULL;

      close (dir_fd);
      report = gloss_merge_clip_folder (library_folder, folder, &local_error);
      if (report == NULL)
        g_debug ("%s", local_error->message);
      *merged = report != NULL && report->changed;
      /* clip.json was replaced: read it as usual. */
      return gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_SUMMARY, error);
    }

  file = gloss_clip_file_read_at (dir_fd, path, error);
  close (dir_fd);
  if (file == NULL)
    return NULL;
  return _gloss_clip_new_from_file (folder, file, GLOSS_CLIP_LOAD_SUMMARY, error);
}

static GlossClip *
load_one (GFile           *clips_folder,
          const char      *name,
          gboolean         merge,
          GlossMergeCheck *check,
          guint            index)
{
  g_autoptr(GFile) folder = g_file_get_child (clips_folder, name);
  g_autoptr(GError) error = NULL;
  gboolean merged = FALSE;
  GlossClip *clip;

  if (merge)
    clip = load_merging (clips_folder, folder, check, index, &merged, &error);
  else
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

static void
scan_one_cb (guint    index,
             gpointer user_data)
{
  ScanJob *job = user_data;

  job->results[index] = load_one (job->clips_folder, job->names->pdata[index],
                                  job->merge, job->check, index);
}

static GPtrArray *scan_clips (GFile         *clips_folder,
                              gboolean       merge,
                              guint         *n_listed,
                              GCancellable  *cancellable,
                              GError       **error);

GPtrArray *
gloss_library_scan_clips (GFile         *clips_folder,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return scan_clips (clips_folder, FALSE, NULL, cancellable, error);
}

/* *@n_listed: how many clip folders the conflict-copy check listed. */
static GPtrArray *
scan_clips (GFile         *clips_folder,
            gboolean       merge,
            guint         *n_listed,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *path = g_file_get_path (clips_folder);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) local_error = NULL;
  GPtrArray *clips;
  ScanJob job = { 0, };

  if (path == NULL)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                           _("The library must be a local folder"));
      return NULL;
    }

  clips = g_ptr_array_new_with_free_func (g_object_unref);

  /* Only names that can be ids can be clips; anything else (a sync
   * tool's folder, a stray file) is left alone, and --verify says so. */
  if (!(names = list_clip_names (path, &local_error)))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return clips;
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not read “%s”: %s"), path, local_error->message);
      g_ptr_array_unref (clips);
      return NULL;
    }

  job.clips_folder = clips_folder;
  job.names = names;
  job.results = g_new0 (GlossClip *, MAX (names->len, 1));
  job.merge = merge;
  if (merge)
    {
      g_autoptr(GFile) library_folder = g_file_get_parent (clips_folder);

      job.check = gloss_merge_check_new (library_folder, path, names->len);
    }

  gloss_library_for_each_folder (names->len, 64, "gloss-load", cancellable, scan_one_cb, &job);

  for (guint i = 0; i < names->len; i++)
    if (job.results[i] != NULL)
      g_ptr_array_add (clips, job.results[i]);
  g_free (job.results);

  if (job.check != NULL)
    {
      if (n_listed != NULL)
        *n_listed = gloss_merge_check_get_n_listed (job.check);
      /* A cancelled scan did not look at every folder: its record would
       * be short, not wrong, but it is not worth the write. */
      if (!g_cancellable_is_cancelled (cancellable))
        gloss_merge_check_save (job.check);
      gloss_merge_check_free (job.check);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_ptr_array_unref (clips);
      return NULL;
    }

  g_ptr_array_sort (clips, gloss_library_compare);
  return clips;
}

static void
gloss_library_load_thread_cb (GTask        *task,
                              gpointer      source_object,
                              gpointer      task_data,
                              GCancellable *cancellable)
{
  GlossLibrary *self = source_object;
  GFile *clips_folder = task_data;
  GError *error = NULL;
  GPtrArray *clips = scan_clips (clips_folder, self->merging, &self->n_folders_listed,
                                 cancellable, &error);

  if (clips == NULL)
    g_task_return_error (task, error);
  else
    {
      _gloss_library_prepare_url_keys (clips);  /* off the main loop */
      g_task_return_pointer (task, clips, (GDestroyNotify) g_ptr_array_unref);
    }
}

static void
gloss_library_load_done_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  GlossLibrary *self = GLOSS_LIBRARY (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GPtrArray) clips = NULL;
  GError *error = NULL;

  g_assert (GLOSS_IS_LIBRARY (self));

  clips = g_task_propagate_pointer (G_TASK (result), &error);
  if (clips == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }

  /* The model changes on the main thread only. */
  _gloss_library_set_clips (self, clips);
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

  inner = g_task_new (self, cancellable, gloss_library_load_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, gloss_library_load_thread_cb);
  g_task_set_task_data (inner, g_object_ref (self->clips_folder), g_object_unref);
  g_task_run_in_thread (inner, gloss_library_load_thread_cb);
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

  clips = scan_clips (self->clips_folder, self->merging, &self->n_folders_listed,
                      cancellable, error);
  if (clips == NULL)
    return FALSE;

  _gloss_library_set_clips (self, clips);
  return TRUE;
}

void
_gloss_library_add_new_from_disk (GlossLibrary *self)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) names = NULL;

  g_assert (GLOSS_IS_LIBRARY (self));

  path = g_file_get_path (self->clips_folder);
  if (path == NULL || !(names = list_clip_names (path, NULL)))
    return;

  /* Reading the names is cheap; only folders we do not know are read. */
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autoptr(GlossClip) clip = NULL;

      if (gloss_library_lookup (self, name) != NULL)
        continue;
      clip = load_one (self->clips_folder, name, self->merging, NULL, 0);
      if (clip != NULL && gloss_clip_get_damage (clip) == NULL)
        {
          gboolean merged = g_object_steal_data (G_OBJECT (clip), "gloss-copies-merged") != NULL;

          _gloss_library_insert_clip (self, clip);
          if (merged)
            g_signal_emit (self, _gloss_library_signals[GLOSS_LIBRARY_COPIES_MERGED], 0, 1, clip);
        }
    }
}
