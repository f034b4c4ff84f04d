/* gloss-library-watch.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Watching the library for changes made by others (a sync tool, an
 * editor, another Gloss): one inotify watch per clip folder (a
 * GFileMonitor where there is no inotify), bursts of events folded into
 * one reload of just the clips that changed. */

#define G_LOG_DOMAIN "gloss-library"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
# include <glib-unix.h>
# include <sys/inotify.h>
# define HAVE_INOTIFY 1
#endif

#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-library-private.h"
#include "gloss-merge.h"

/* Changes arrive as bursts (a temporary file, a rename, an attribute
 * change): wait this long after the first event, then reload once. */
#define RELOAD_DELAY_MS 200

static void
reload_one (GlossLibrary *self,
            const char   *id)
{
  g_autoptr(GFile) folder = g_file_get_child (self->clips_folder, id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) fresh = NULL;
  GlossClip *existing = gloss_library_lookup (self, id);
  g_autofree char *clips_path = g_file_get_path (self->clips_folder);

  /* A link put in place of a clip folder: the clip is gone from this
   * library, and what the link leads to is not listed. */
  if (!_gloss_library_is_clip_folder (clips_path, id))
    {
      if (existing != NULL)
        _gloss_library_remove_clip (self, existing);
      _gloss_library_unwatch_folder (self, id);
      return;
    }

  /* A conflict copy that came while the app runs: merged, then the clip
   * is read as usual (the merge's own write brings it back here, and
   * finds nothing left to merge). */
  if (self->merging && gloss_merge_folder_has_copies (folder))
    {
      g_autoptr(GlossMergeReport) report = gloss_merge_clip_folder (self->folder, folder, &error);

      if (report == NULL)
        g_debug ("%s", error->message);
      else if (report->changed)
        g_signal_emit (self, _gloss_library_signals[GLOSS_LIBRARY_COPIES_MERGED], 0, 1, existing);
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
            _gloss_library_remove_clip (self, existing);
          if (g_file_query_file_type (folder, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) == G_FILE_TYPE_DIRECTORY)
            _gloss_library_watch_folder (self, id);
          else
            _gloss_library_unwatch_folder (self, id);
          return;
        }
      fresh = gloss_clip_new_damaged (folder, error->message);
    }

  if (existing == NULL)
    {
      _gloss_library_insert_clip (self, fresh);
      return;
    }

  /* Our own save, or a touch that changed nothing. */
  if (gloss_clip_get_file_hash (existing) == gloss_clip_get_file_hash (fresh) &&
      g_strcmp0 (gloss_clip_get_damage (existing), gloss_clip_get_damage (fresh)) == 0)
    return;

  gloss_clip_update_from (existing, fresh);
  _gloss_library_clip_changed (self, existing);
}

static gboolean
gloss_library_reload_pending_cb (gpointer user_data)
{
  GlossLibrary *self = user_data;
  g_autoptr(GHashTable) pending = g_steal_pointer (&self->pending);
  GHashTableIter iter;
  gpointer key;

  g_assert (GLOSS_IS_LIBRARY (self));

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
    self->reload_source = g_timeout_add (RELOAD_DELAY_MS, gloss_library_reload_pending_cb, self);
}

static void
gloss_library_clips_changed_cb (GFileMonitor      *monitor,
                                GFile             *file,
                                GFile             *other_file,
                                GFileMonitorEvent  event,
                                gpointer           user_data)
{
  GlossLibrary *self = user_data;
  g_autofree char *name = g_file_get_basename (file);

  g_assert (GLOSS_IS_LIBRARY (self));

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
gloss_library_folder_changed_cb (GFileMonitor      *monitor,
                                 GFile             *file,
                                 GFile             *other_file,
                                 GFileMonitorEvent  event,
                                 gpointer           user_data)
{
  GlossLibrary *self = user_data;
  const char *id = g_object_get_data (G_OBJECT (monitor), "gloss-clip-id");

  g_assert (GLOSS_IS_LIBRARY (self));

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
gloss_library_inotify_ready_cb (int          fd,
                                GIOCondition condition,
                                gpointer     user_data)
{
  GlossLibrary *self = user_data;
  /* Aligned as struct inotify_event requires. */
  char buf[16384] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
  ssize_t len;

  g_assert (GLOSS_IS_LIBRARY (self));

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

void
_gloss_library_unwatch_folder (GlossLibrary *self,
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

void
_gloss_library_watch_folder (GlossLibrary *self,
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
  g_signal_connect_object (monitor, "changed", G_CALLBACK (gloss_library_folder_changed_cb), self, 0);
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
                             G_CALLBACK (gloss_library_clips_changed_cb), self, 0);
}

/* clips/ was made (by a sync tool, or by our first add) after the
 * watching began: a watch on a folder that did not exist sees nothing,
 * so start again and look at what is already inside. */
static void
gloss_library_root_changed_cb (GFileMonitor      *monitor,
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

  g_assert (GLOSS_IS_LIBRARY (self));

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
        self->inotify_source = g_unix_fd_add (self->inotify_fd, G_IO_IN, gloss_library_inotify_ready_cb, self);
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
                                 G_CALLBACK (gloss_library_root_changed_cb), self, 0);
      else
        g_debug ("Not watching the library folder: %s", error->message);

      watch_clips_folder (self);

      for (guint i = 0; i < self->clips->len; i++)
        _gloss_library_watch_folder (self, gloss_clip_get_id (self->clips->pdata[i]));
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
