/* test-library.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* GlossLibrary: the model's order and contents, writes with their
 * signals, delete to the trash and restore, changes made by another
 * process picked up while running, and damaged clips never touched. */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "gloss-cli-library.h"
#include "gloss-clip-saver.h"
#include "gloss-clip-writer.h"
#include "gloss-error.h"
#include "gloss-export.h"
#include "gloss-fs.h"
#include "gloss-index-db.h"
#include "gloss-search-result.h"
#include "gloss-library.h"
#include "gloss-lock.h"
#include "gloss-test-util.h"

static char *
clip_json (const char *id,
           const char *title,
           const char *created,
           const char *url)
{
  return g_strdup_printf ("{\n  \"format\": 1,\n  \"id\": \"%s\",\n  \"url\": \"%s\",\n"
                          "  \"title\": \"%s\",\n  \"created\": \"%s\",\n"
                          "  \"modified\": \"%s\",\n  \"tags\": [\"Alpha\", \"beta\"]\n}\n",
                          id, url ? url : "https://example.org/x", title, created, created);
}

static void
write_clip (const char *library,
            const char *id,
            const char *title,
            const char *created)
{
  g_autofree char *folder = g_build_filename (library, "clips", id, NULL);
  g_autofree char *json = clip_json (id, title, created, NULL);

  gloss_test_write_file (folder, "article.html", "<p>Text</p>");
  gloss_test_write_file (folder, "article.txt", "Text");
  gloss_test_write_file (folder, "clip.json", json);
}

static GlossClip *
item (GlossLibrary *library,
      guint         position)
{
  GlossClip *clip = g_list_model_get_item (G_LIST_MODEL (library), position);

  /* The model holds a reference; so may the caller, briefly. */
  g_object_unref (clip);
  return clip;
}

static void
test_load_order (void)
{
  g_autofree char *path = gloss_test_make_dir ("order");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_name = g_build_filename (path, "clips", "Bad Name", NULL);
  g_autofree char *unfinished = g_build_filename (path, "clips", "unfinished", NULL);
  g_autofree char *damaged = g_build_filename (path, "clips", "damaged", NULL);
  g_autofree char *conflict = g_build_filename (path, "clips", "bbb", NULL);
  g_autoptr(GListModel) annotations = NULL;

  write_clip (path, "aaa", "Oldest", "2020-01-01T00:00:00Z");
  write_clip (path, "bbb", "Middle", "2023-06-01T12:00:00.5Z");
  write_clip (path, "ccc", "Newest", "2026-01-01T00:00:00Z");
  write_clip (path, "ddd", "Same time as middle", "2023-06-01T12:00:00.5Z");
  gloss_test_write_file (bad_name, "clip.json", "{}");
  gloss_test_write_file (unfinished, "article.txt", "half written");
  gloss_test_write_file (damaged, "clip.json", "{ \"format\": 1, ");
  /* A sync tool's conflict copy is not read. */
  gloss_test_write_file (conflict, "clip.sync-conflict-20260101-000000-ABCDEF.json", "not json");

  g_assert_false (gloss_library_get_loaded (library));
  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gloss_library_get_loaded (library));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 5);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (library)) == GLOSS_TYPE_CLIP);
  g_assert_cmpstr (gloss_clip_get_title (item (library, 0)), ==, "Newest");
  g_assert_cmpstr (gloss_clip_get_title (item (library, 1)), ==, "Middle");
  g_assert_cmpstr (gloss_clip_get_title (item (library, 2)), ==, "Same time as middle");
  g_assert_cmpstr (gloss_clip_get_title (item (library, 3)), ==, "Oldest");
  /* The damaged clip is listed, with its reason. */
  g_assert_cmpstr (gloss_clip_get_id (item (library, 4)), ==, "damaged");
  g_assert_nonnull (strstr (gloss_clip_get_damage (item (library, 4)), "not valid JSON"));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (library), 5));

  g_assert_true (gloss_library_lookup (library, "bbb") == item (library, 1));
  g_assert_null (gloss_library_lookup (library, "unfinished"));
  g_assert_null (gloss_library_lookup (library, "../x"));

  {
    g_auto(GStrv) tags = gloss_library_dup_all_tags (library);

    g_assert_cmpuint (g_strv_length (tags), ==, 2);
  }

  g_assert_true (gloss_library_find_by_url (library, "https://example.org/x#part") != NULL);
  g_assert_null (gloss_library_find_by_url (library, "https://example.org/y"));
  annotations = g_object_ref (gloss_clip_get_annotations (item (library, 0)));
  g_assert_cmpuint (g_list_model_get_n_items (annotations), ==, 0);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (gloss_library_load_finish (GLOSS_LIBRARY (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_load_async (void)
{
  g_autofree char *path = gloss_test_make_dir ("async");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  gboolean done = FALSE;

  /* Enough clips for the loader to use several threads. */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("clip-%03u", i);
      g_autofree char *created = g_strdup_printf ("2026-01-01T00:%02u:%02uZ", i / 60, i % 60);

      write_clip (path, id, id, created);
    }

  gloss_library_load_async (library, NULL, load_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 200);
  g_assert_cmpstr (gloss_clip_get_id (item (library, 0)), ==, "clip-199");
  g_assert_cmpstr (gloss_clip_get_id (item (library, 199)), ==, "clip-000");
  /* The page keys worked out on the loading threads went into the table
   * (all 200 share one address: the newest is the clip of that page). */
  g_assert_true (gloss_library_find_by_url (library, "https://example.org/x/?utm_campaign=a") == item (library, 0));
  g_assert_null (g_object_get_data (G_OBJECT (item (library, 199)), "gloss-url-key"));
}

static void
test_empty_library (void)
{
  g_autofree char *path = g_build_filename (gloss_test_get_root (), "never-made", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;

  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 0);
  /* Reading created nothing. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

typedef struct
{
  guint added;
  guint changed;
  guint removed;
  GlossClip *last;
} Counts;

static void
added_cb (GlossLibrary *library,
          GlossClip    *clip,
          Counts       *counts)
{
  counts->added++;
  counts->last = clip;
}

static void
changed_cb (GlossLibrary *library,
            GlossClip    *clip,
            Counts       *counts)
{
  counts->changed++;
  counts->last = clip;
}

static void
removed_cb (GlossLibrary *library,
            GlossClip    *clip,
            Counts       *counts)
{
  counts->removed++;
  counts->last = clip;
}

static void
connect_counts (GlossLibrary *library,
                Counts       *counts)
{
  g_signal_connect (library, "clip-added", G_CALLBACK (added_cb), counts);
  g_signal_connect (library, "clip-changed", G_CALLBACK (changed_cb), counts);
  g_signal_connect (library, "clip-removed", G_CALLBACK (removed_cb), counts);
}

static void
test_add_save_delete_restore (void)
{
  g_autofree char *path = gloss_test_make_dir ("writes");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/new", "Neu");
  g_autoptr(GError) error = NULL;
  g_autofree char *clip_path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *trash_info = NULL;
  Counts counts = { 0, };

  connect_counts (library, &counts);
  g_assert_true (gloss_library_load (library, NULL, &error));

  g_assert_true (gloss_library_add (library, clip, "<p>Hallo</p>", "Hallo", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 1);
  id = g_strdup (gloss_clip_get_id (clip));
  clip_path = g_build_filename (path, "clips", id, NULL);
  g_assert_true (g_file_test (clip_path, G_FILE_TEST_IS_DIR));

  g_assert_false (gloss_library_add (library, clip, "x", "x", &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS);
  g_clear_error (&error);

  gloss_clip_set_title (clip, "Neuer Titel");
  g_assert_true (gloss_library_save (library, clip, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.changed, ==, 1);

  /* Delete: to the desktop trash (XDG_DATA_HOME is the test's). */
  g_assert_true (gloss_library_delete (library, clip, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 0);
  g_assert_false (g_file_test (clip_path, G_FILE_TEST_EXISTS));
  trash_info = g_build_filename (g_get_user_data_dir (), "Trash", "info", NULL);
  g_assert_true (g_file_test (trash_info, G_FILE_TEST_IS_DIR));

  /* Undo. */
  g_assert_true (gloss_library_restore (library, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.added, ==, 2);
  g_assert_true (g_file_test (clip_path, G_FILE_TEST_IS_DIR));
  {
    GlossClip *back = gloss_library_lookup (library, id);
    g_autofree char *text = NULL;

    g_assert_nonnull (back);
    g_assert_cmpstr (gloss_clip_get_title (back), ==, "Neuer Titel");
    text = gloss_clip_load_article_text (back, &error);
    g_assert_cmpstr (text, ==, "Hallo");
  }

  /* Restoring twice, or something never deleted, says why not. */
  g_assert_false (gloss_library_restore (library, id, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (gloss_library_restore (library, "never-there", &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (gloss_library_restore (library, "../../etc", &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID);
}

static void
test_own_trash (void)
{
  g_autofree char *path = gloss_test_make_dir ("own-trash");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autofree char *desktop_trash = g_build_filename (g_get_user_data_dir (), "Trash", NULL);
  g_autofree char *moved_aside = g_strconcat (desktop_trash, ".aside", NULL);
  g_autofree char *own = g_build_filename (path, ".trash", "abc", NULL);
  g_autoptr(GError) error = NULL;
  gboolean had_trash;

  write_clip (path, "abc", "To delete", "2026-01-01T00:00:00Z");
  g_assert_true (gloss_library_load (library, NULL, &error));

  /* No desktop trash can be made: a file stands where it would go. */
  had_trash = g_file_test (desktop_trash, G_FILE_TEST_EXISTS);
  if (had_trash)
    g_assert_cmpint (g_rename (desktop_trash, moved_aside), ==, 0);
  gloss_test_write_file (g_get_user_data_dir (), "Trash", "not a folder");

  g_assert_true (gloss_library_delete (library, gloss_library_lookup (library, "abc"), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (own, G_FILE_TEST_IS_DIR));

  g_assert_true (gloss_library_restore (library, "abc", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (own, G_FILE_TEST_EXISTS));
  g_assert_nonnull (gloss_library_lookup (library, "abc"));

  /* A second library object (a later session) finds it too. */
  g_assert_true (gloss_library_delete (library, gloss_library_lookup (library, "abc"), &error));
  {
    g_autoptr(GlossLibrary) later = gloss_library_new (folder);

    g_assert_true (gloss_library_load (later, NULL, &error));
    g_assert_true (gloss_library_restore (later, "abc", &error));
    g_assert_no_error (error);
    g_assert_nonnull (gloss_library_lookup (later, "abc"));
  }

  /* A clip deleted while an earlier one of the same id is still in the
   * trash goes beside it, never over it; Undo brings back the latest. */
  {
    g_autoptr(GlossLibrary) first = gloss_library_new (folder);

    g_assert_true (gloss_library_load (first, NULL, &error));
    g_assert_true (gloss_library_delete (first, gloss_library_lookup (first, "abc"), &error));
    g_assert_no_error (error);
  }
  write_clip (path, "abc", "Made again", "2026-01-02T00:00:00Z");
  {
    g_autoptr(GlossLibrary) again = gloss_library_new (folder);
    g_autofree char *second = g_strconcat (own, ".1", NULL);

    g_assert_true (gloss_library_load (again, NULL, &error));
    g_assert_true (gloss_library_delete (again, gloss_library_lookup (again, "abc"), &error));
    g_assert_no_error (error);
    g_assert_true (g_file_test (own, G_FILE_TEST_IS_DIR));
    g_assert_true (g_file_test (second, G_FILE_TEST_IS_DIR));

    g_assert_true (gloss_library_restore (again, "abc", &error));
    g_assert_no_error (error);
    g_assert_cmpstr (gloss_clip_get_title (gloss_library_lookup (again, "abc")), ==, "Made again");
    g_assert_true (g_file_test (own, G_FILE_TEST_IS_DIR));
    g_assert_false (g_file_test (second, G_FILE_TEST_EXISTS));
  }

  g_unlink (desktop_trash);
  if (had_trash)
    g_assert_cmpint (g_rename (moved_aside, desktop_trash), ==, 0);
}

static gint clip_saved;

static gpointer
save_clip_thread (gpointer data)
{
  GlossClip *clip = data;
  gboolean ok = gloss_clip_save (clip, TRUE, NULL);

  g_atomic_int_set (&clip_saved, 1);
  return GINT_TO_POINTER (ok);
}

/* A clip's lock, as another process holding it would: saving the clip
 * waits for it (every writer of clip.json takes the same lock). */
static void
test_clip_lock (void)
{
  g_autofree char *path = gloss_test_make_dir ("clip-lock");
  g_autofree char *clip_path = g_build_filename (path, "clips", "abc", NULL);
  g_autoptr(GFile) clip_folder = g_file_new_for_path (clip_path);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;
  GlossLock *lock;
  GThread *thread;

  write_clip (path, "abc", "Locked", "2026-01-01T00:00:00Z");
  clip = gloss_clip_load (clip_folder, &error);
  g_assert_no_error (error);
  gloss_clip_set_note (clip, "after the lock");

  lock = gloss_lock_acquire_clip (path, "abc");
  g_atomic_int_set (&clip_saved, 0);
  thread = g_thread_new ("save", save_clip_thread, clip);
  /* Only a lower bound: a save that did not wait would be done by now. */
  g_usleep (200 * 1000);
  g_assert_cmpint (g_atomic_int_get (&clip_saved), ==, 0);

  gloss_lock_release (lock);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
  g_assert_cmpint (g_atomic_int_get (&clip_saved), ==, 1);
  {
    g_autoptr(GlossClip) again = gloss_clip_load (clip_folder, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (gloss_clip_get_note (again), ==, "after the lock");
  }
}

static void
test_damaged_never_written (void)
{
  g_autofree char *path = gloss_test_make_dir ("never-written");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autofree char *clip_dir = g_build_filename (path, "clips", "broken", NULL);
  g_autofree char *json_path = g_build_filename (clip_dir, "clip.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  GlossClip *clip;

  gloss_test_write_file (clip_dir, "clip.json", "{ \"format\": 1, \"id\": \"broken\" }");
  g_assert_true (gloss_library_load (library, NULL, &error));
  clip = gloss_library_lookup (library, "broken");
  g_assert_nonnull (clip);
  g_assert_nonnull (strstr (gloss_clip_get_damage (clip), "“url”"));

  gloss_clip_set_title (clip, "fixed?");
  g_assert_false (gloss_library_save (library, clip, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (gloss_library_delete (library, clip, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY);

  after = gloss_test_read_file (json_path);
  g_assert_cmpstr (after, ==, "{ \"format\": 1, \"id\": \"broken\" }");
}

static void
test_resolve_folder (void)
{
  g_autoptr(GFile) a = NULL;
  g_autoptr(GFile) b = NULL;
  g_autoptr(GFile) c = NULL;
  g_autoptr(GFile) d = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("GLOSS_LIBRARY"));
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;
  g_autofree char *pc = NULL;
  g_autofree char *pd = NULL;
  g_autofree char *xdg = g_build_filename (g_get_user_data_dir (), "gloss", "library", NULL);

  g_setenv ("GLOSS_LIBRARY", "/from/env", TRUE);
  a = gloss_library_resolve_folder ("/from/cli", "/from/setting");
  b = gloss_library_resolve_folder (NULL, "/from/setting");
  g_unsetenv ("GLOSS_LIBRARY");
  c = gloss_library_resolve_folder (NULL, "/from/setting");
  d = gloss_library_resolve_folder (NULL, "");
  pa = g_file_get_path (a);
  pb = g_file_get_path (b);
  pc = g_file_get_path (c);
  pd = g_file_get_path (d);
  g_assert_cmpstr (pa, ==, "/from/cli");
  g_assert_cmpstr (pb, ==, "/from/env");
  g_assert_cmpstr (pc, ==, "/from/setting");
  g_assert_cmpstr (pd, ==, xdg);

  /* Written as on a command line: relative to the working folder, a
   * file: URI, dots; each the same as GIO would make of it. */
  {
    static const char * const args[] = { "some/library", "file:///from/uri", "/from/../dots/./x", "~user" };

    for (guint i = 0; i < G_N_ELEMENTS (args); i++)
      {
        g_autoptr(GFile) resolved = gloss_library_resolve_folder (args[i], NULL);
        g_autoptr(GFile) gio = g_file_new_for_commandline_arg (args[i]);

        g_assert_true (g_file_equal (resolved, gio));
        g_assert_nonnull (g_file_peek_path (resolved));
      }
  }

  if (saved != NULL)
    g_setenv ("GLOSS_LIBRARY", saved, TRUE);
}

/* --- changes made by another process ------------------------------------ */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @counter passes @target or 10 s pass. */
static void
wait_for (guint *counter,
          guint  target)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (10000, timeout_cb, &timed_out);

  while (*counter < target && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_cmpuint (*counter, >=, target);
}

static void
spin (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static void
run_shell (const char *script)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
test_external_changes (void)
{
  g_autofree char *path = gloss_test_make_dir ("external");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *json = NULL;
  g_autofree char *clip_dir = g_build_filename (path, "clips", "watched", NULL);
  g_autofree char *new_dir = g_build_filename (path, "clips", "arrived", NULL);
  g_autofree char *tmp_path = g_build_filename (gloss_test_get_root (), "new.json", NULL);
  g_autoptr(GListModel) annotations = NULL;
  Counts counts = { 0, };
  GlossClip *clip;

  write_clip (path, "watched", "Before", "2026-01-01T00:00:00Z");
  g_assert_true (gloss_library_load (library, NULL, &error));
  gloss_library_set_monitoring (library, TRUE);
  connect_counts (library, &counts);
  clip = gloss_library_lookup (library, "watched");
  /* Someone is showing its annotations. */
  annotations = g_object_ref (gloss_clip_get_annotations (clip));

  /* A sync tool: a temporary file renamed over clip.json. */
  json = clip_json ("watched", "After", "2026-01-01T00:00:00Z", NULL);
  g_assert_true (g_file_set_contents (tmp_path, json, -1, NULL));
  script = g_strdup_printf ("cp '%s' '%s/.syncthing.clip.json.tmp' && mv '%s/.syncthing.clip.json.tmp' '%s/clip.json'",
                            tmp_path, clip_dir, clip_dir, clip_dir);
  run_shell (script);

  wait_for (&counts.changed, 1);
  g_assert_true (counts.last == clip);
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "After");
  g_assert_true (gloss_library_lookup (library, "watched") == clip);

  /* A text editor writing in place, breaking it: listed as damaged. */
  g_free (script);
  script = g_strdup_printf ("printf '{ broken' > '%s/clip.json'", clip_dir);
  run_shell (script);
  wait_for (&counts.changed, 2);
  g_assert_nonnull (gloss_clip_get_damage (clip));
  g_assert_true (gloss_clip_get_read_only (clip));

  /* And fixed again. */
  g_free (script);
  script = g_strdup_printf ("cp '%s' '%s/clip.json'", tmp_path, clip_dir);
  run_shell (script);
  wait_for (&counts.changed, 3);
  g_assert_null (gloss_clip_get_damage (clip));

  /* A clip arriving from another machine: folder, articles, clip.json. */
  g_free (json);
  json = clip_json ("arrived", "From afar", "2026-02-01T00:00:00Z", NULL);
  g_assert_true (g_file_set_contents (tmp_path, json, -1, NULL));
  g_free (script);
  script = g_strdup_printf ("mkdir '%s' && echo text > '%s/article.txt' && echo '<p>text</p>' > '%s/article.html' && sleep 0.3 && cp '%s' '%s/clip.json'",
                            new_dir, new_dir, new_dir, tmp_path, new_dir);
  run_shell (script);
  wait_for (&counts.added, 1);
  g_assert_nonnull (gloss_library_lookup (library, "arrived"));
  g_assert_cmpstr (gloss_clip_get_title (item (library, 0)), ==, "From afar");

  /* Removed by someone else. */
  g_free (script);
  script = g_strdup_printf ("rm -rf '%s'", new_dir);
  run_shell (script);
  wait_for (&counts.removed, 1);
  g_assert_null (gloss_library_lookup (library, "arrived"));

  /* Our own save is not taken for someone else's change. */
  counts.changed = 0;
  gloss_clip_set_title (clip, "Ours");
  g_assert_true (gloss_library_save (library, clip, &error));
  g_assert_no_error (error);
  spin (800);
  g_assert_cmpuint (counts.changed, ==, 1);

  gloss_library_set_monitoring (library, FALSE);
}

/* A new library: no clips/ yet when the watching starts. */
static void
test_external_into_empty (void)
{
  g_autofree char *path = gloss_test_make_dir ("external-empty");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = clip_json ("first", "First", "2026-01-01T00:00:00Z", NULL);
  g_autofree char *tmp_path = g_build_filename (gloss_test_get_root (), "first.json", NULL);
  g_autofree char *script = NULL;
  Counts counts = { 0, };

  g_assert_true (gloss_library_load (library, NULL, &error));
  gloss_library_set_monitoring (library, TRUE);
  connect_counts (library, &counts);

  g_assert_true (g_file_set_contents (tmp_path, json, -1, NULL));
  script = g_strdup_printf ("mkdir -p '%s/clips/first' && cp '%s' '%s/clips/first/clip.json'",
                            path, tmp_path, path);
  run_shell (script);

  wait_for (&counts.added, 1);
  g_assert_nonnull (gloss_library_lookup (library, "first"));
}

/* A highlight added while clip.json could not be read (a sync tool was
 * halfway through writing it) is kept when the file is readable again and
 * the clip is saved, not replaced by the file's annotations. */
static void
test_add_while_unreadable (void)
{
  g_autofree char *path = gloss_test_make_dir ("unreadable-library");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) first = gloss_library_new (folder);
  g_autoptr(GlossLibrary) second = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/a", "A page");
  g_autoptr(GlossAnnotation) old = gloss_annotation_new ("one", "", " two", 0, 3, GLOSS_COLOR_YELLOW);
  g_autoptr(GlossAnnotation) added = gloss_annotation_new ("two", "one ", "", 4, 7, GLOSS_COLOR_BLUE);
  g_autofree char *json_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  GlossClip *summary;

  gloss_library_load (first, NULL, &error);
  g_assert_no_error (error);
  gloss_clip_add_annotation (clip, old);
  gloss_library_add (first, clip, "<p>one two</p>", "one two", &error);
  g_assert_no_error (error);
  json_path = g_build_filename (path, "clips", gloss_clip_get_id (clip), "clip.json", NULL);
  contents = gloss_test_read_file (json_path);

  /* Another process's view of the same library, listing metadata only. */
  gloss_library_load (second, NULL, &error);
  g_assert_no_error (error);
  summary = gloss_library_lookup (second, gloss_clip_get_id (clip));
  g_assert_nonnull (summary);

  g_assert_true (g_file_set_contents (json_path, "{\"format\": 1, \"id\"", -1, NULL));
  g_test_expect_message ("gloss-clip", G_LOG_LEVEL_WARNING, "*Could not read the annotations*");
  g_assert_cmpuint (g_list_model_get_n_items (gloss_clip_get_annotations (summary)), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_true (gloss_clip_add_annotation (summary, added));

  g_assert_true (g_file_set_contents (json_path, contents, -1, NULL));
  gloss_library_save (second, summary, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (gloss_clip_get_n_annotations (summary), ==, 2);
  saved = gloss_test_read_file (json_path);
  g_assert_nonnull (strstr (saved, gloss_annotation_get_id (old)));
  g_assert_nonnull (strstr (saved, gloss_annotation_get_id (added)));
}

/* Issue 15: the strict scanner trusted errno after g_ascii_strtoll(),
 * which the first calls on several threads at once can leave set (GLib
 * makes its C locale once, and the threads that wait for it come back
 * with EAGAIN from the futex): healthy clips then read as "an integer too
 * large to hold" in one load of five to ten. The race is at the first
 * number parsed in a process, so each load runs in a fresh one. */
static char *threaded_library;

static void
make_threaded_library (void)
{
  if (threaded_library != NULL)
    return;

  threaded_library = gloss_test_make_dir ("threaded");
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("clip-%03u", i);
      g_autofree char *folder = g_build_filename (threaded_library, "clips", id, NULL);
      g_autofree char *json = g_strdup_printf (
        "{\"format\": 1, \"id\": \"%s\", \"url\": \"https://example.org/%u\",\n"
        " \"title\": \"Clip %u\", \"created\": \"2026-01-01T00:00:00Z\",\n"
        " \"modified\": \"2026-01-01T00:00:00Z\", \"word_count\": %u,\n"
        " \"annotations\": [{\"id\": \"a%u\", \"created\": \"2026-01-01T00:00:00Z\",\n"
        "   \"modified\": \"2026-01-01T00:00:00Z\", \"color\": \"yellow\", \"note\": \"\",\n"
        "   \"target\": {\"selector\": [{\"type\": \"TextQuoteSelector\", \"exact\": \"Text\"},\n"
        "     {\"type\": \"TextPositionSelector\", \"start\": 0, \"end\": 4}]}}]}\n",
        id, i, i, 1000 + i, i);

      gloss_test_write_file (folder, "article.txt", "Text");
      gloss_test_write_file (folder, "article.html", "<p>Text</p>");
      gloss_test_write_file (folder, "clip.json", json);
    }
}

static void
threaded_load_child (void)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  /* The parent made the library: nothing here parses a number before
   * the load. */
  folder = g_file_new_for_path (g_getenv ("GLOSS_TEST_THREADED_LIBRARY"));
  library = gloss_library_new (folder);
  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_no_error (error);

  n = g_list_model_get_n_items (G_LIST_MODEL (library));
  g_assert_cmpuint (n, ==, 200);
  for (guint i = 0; i < n; i++)
    g_assert_null (gloss_clip_get_damage (item (library, i)));
}

static void
test_threaded_load_same_every_time (void)
{
  make_threaded_library ();
  g_setenv ("GLOSS_TEST_THREADED_LIBRARY", threaded_library, TRUE);
  for (guint run = 0; run < 50; run++)
    {
      g_test_trap_subprocess ("/library/threaded-load/child", 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
    }
}

/* Issue 15: one clip.json of 100,000 "[" crashed every search and the
 * window's start-up, because the index parsed it with json-glib, which
 * recurses once per level. Every reader goes through the strict scanner
 * (and its depth limit) first: the clip is listed as damaged, the index
 * is built and answers, nothing crashes. */
static void
test_deep_nesting_everywhere (void)
{
  g_autofree char *path = gloss_test_make_dir ("deep");
  g_autofree char *deep_folder = g_build_filename (path, "clips", "deep", NULL);
  g_autofree char *clips_path = g_build_filename (path, "clips", NULL);
  g_autofree char *db_path = g_build_filename (path, "index.sqlite", NULL);
  g_autofree char *brackets = g_strnfill (100000, '[');
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GlossQuery) query = NULL;
  GlossIndexDb *db;
  GlossClip *deep;

  write_clip (path, "healthy", "A healthy giraffe", "2026-01-01T00:00:00Z");
  gloss_test_write_file (deep_folder, "article.txt", "giraffe");
  gloss_test_write_file (deep_folder, "clip.json", brackets);

  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_no_error (error);
  deep = gloss_library_lookup (library, "deep");
  g_assert_nonnull (deep);
  g_assert_nonnull (strstr (gloss_clip_get_damage (deep), "deep"));

  db = gloss_index_db_open (db_path, clips_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gloss_index_db_plan (db, NULL, &changed, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_true (gloss_index_db_update (db, (const char **) changed->pdata, changed->len, &error));
  g_assert_no_error (error);

  query = gloss_query_parse ("giraffe", &error);
  g_assert_no_error (error);
  results = gloss_index_db_search (db, query, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (gloss_search_result_get_clip_id (results->pdata[0]), ==, "healthy");
  gloss_index_db_close (db);
}

/* --- the one clip writer ---------------------------------------------- */

static char *
read_in (const char *folder,
         const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

static void
test_writer_new_clip (void)
{
  g_autofree char *path = gloss_test_make_dir ("writer-new");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/pics", "Pictures");
  g_autoptr(GlossClipWriter) writer = NULL;
  g_autoptr(GBytes) png = g_bytes_new_static ("not really a png", 16);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *asset_name = NULL;
  g_autofree char *clip_folder = NULL;
  g_autofree char *html = NULL;
  g_autofree char *md = NULL;
  g_autofree char *asset = NULL;
  const char * const urls[] = { "https://example.org/a.png", "https://example.org/b&c.png",
                                "https://example.org/a.png", NULL };
  GlossClipPage page = { .word_count = 3, };

  g_assert_true (gloss_library_load (library, NULL, &error));
  writer = gloss_clip_writer_new (library, clip);
  gloss_clip_writer_set_images (writer, "tok", urls);
  g_assert_true (gloss_clip_writer_add_image (writer, urls[0], png, "image/png", &error));
  g_assert_no_error (error);

  page.byline = "Ada";
  page.html = "<p><img src=\"gloss-image-tok-0\"><img src=\"gloss-image-tok-1\">"
              "<img src=\"gloss-image-tok-2\"> Three small words</p>";
  page.text = " Three small words";
  page.markdown = "![](gloss-image-tok-0) ![](gloss-image-tok-1) Three small words";
  g_assert_true (gloss_clip_writer_commit (writer, &page, &error) == clip);
  g_assert_no_error (error);

  /* Assets are named by their content; an image not saved keeps its
   * address (escaped in HTML), a repeat shares the file. */
  hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  hash[24] = '\0';
  asset_name = g_strconcat ("assets/", hash, ".png", NULL);
  clip_folder = g_build_filename (path, "clips", gloss_clip_get_id (clip), NULL);
  asset = read_in (clip_folder, asset_name);
  g_assert_cmpstr (asset, ==, "not really a png");
  html = read_in (clip_folder, "article.html");
  g_assert_nonnull (strstr (html, asset_name));
  g_assert_nonnull (strstr (html, "https://example.org/b&amp;c.png"));
  g_assert_null (strstr (html, "gloss-image-tok"));
  md = read_in (clip_folder, "article.md");
  g_assert_nonnull (strstr (md, asset_name));
  g_assert_nonnull (strstr (md, "https://example.org/b&c.png"));

  g_assert_true (gloss_library_lookup (library, gloss_clip_get_id (clip)) == clip);
  g_assert_cmpstr (gloss_clip_get_byline (clip), ==, "Ada");
  g_assert_cmpint (gloss_clip_get_word_count (clip), ==, 3);
}

/* A new clip that is not finished leaves nothing behind. */
static void
test_writer_abort (void)
{
  g_autofree char *path = gloss_test_make_dir ("writer-abort");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/gone", "Gone");
  g_autoptr(GBytes) png = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *clip_folder = g_build_filename (path, "clips", gloss_clip_get_id (clip), NULL);
  GlossClipWriter *writer;

  writer = gloss_clip_writer_new (library, clip);
  g_assert_true (gloss_clip_writer_add_image (writer, "https://example.org/x.png", png, "image/png", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (clip_folder, G_FILE_TEST_IS_DIR));
  g_object_unref (writer);
  g_assert_false (g_file_test (clip_folder, G_FILE_TEST_EXISTS));
  g_assert_null (gloss_clip_get_folder (clip));
}

static void
test_writer_update (void)
{
  g_autofree char *path = gloss_test_make_dir ("writer-update");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/u", "Before");
  g_autoptr(GlossAnnotation) kept = gloss_annotation_new ("three", "two ", " four", 8, 13, GLOSS_COLOR_BLUE);
  g_autoptr(GlossAnnotation) lost = gloss_annotation_new ("one", "", " two", 0, 3, GLOSS_COLOR_PINK);
  g_autoptr(GlossClipWriter) writer = NULL;
  g_autoptr(GlossClip) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GlossClipPage page = { .word_count = -1, };
  GlossAnnotation *a;

  g_assert_true (gloss_library_load (library, NULL, &error));
  gloss_clip_add_annotation (clip, kept);
  gloss_clip_add_annotation (clip, lost);
  gloss_clip_add_tag (clip, "Kept");
  gloss_clip_set_note (clip, "A page note");
  g_assert_true (gloss_library_add (library, clip, "<p>one two three four</p>", "one two three four", &error));
  g_assert_no_error (error);
  id = g_strdup (gloss_clip_get_id (clip));

  writer = gloss_clip_writer_new (library, clip);
  page.title = "After";
  page.html = "<p>zero, two, three four</p>";
  page.text = "zero, two, three four";
  g_assert_true (gloss_clip_writer_commit (writer, &page, &error) == clip);
  g_assert_no_error (error);
  g_assert_cmpuint (gloss_clip_writer_get_n_orphans (writer), ==, 1);

  again = gloss_clip_load (gloss_clip_get_folder (clip), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_clip_get_id (again), ==, id);
  g_assert_cmpstr (gloss_clip_get_title (again), ==, "After");
  g_assert_cmpstr (gloss_clip_get_note (again), ==, "A page note");
  g_assert_true (gloss_clip_has_tag (again, "kept"));
  g_assert_cmpuint (gloss_clip_get_n_annotations (again), ==, 2);
  a = gloss_clip_find_annotation (again, gloss_annotation_get_id (kept));
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 11);
  g_assert_cmpuint (gloss_annotation_get_end (a), ==, 16);
  g_assert_nonnull (gloss_clip_find_annotation (again, gloss_annotation_get_id (lost)));
}

static void
commit_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;
  GlossClip *clip = gloss_clip_writer_commit_finish (GLOSS_CLIP_WRITER (object), result, error);

  g_assert_true ((clip != NULL) == (*error == NULL));
  g_object_set_data (object, "test-done", GINT_TO_POINTER (TRUE));
}

static void
wait_commit (GlossClipWriter *writer)
{
  while (g_object_get_data (G_OBJECT (writer), "test-done") == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* The writing on a worker thread: a new clip reaches the library's model
 * only back on the main thread, an update is anchored there and takes a
 * change made to the clip while it was written, and a cancel before the
 * write leaves nothing behind. */
static void
test_writer_async (void)
{
  g_autofree char *path = gloss_test_make_dir ("writer-async");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/async", "Before");
  g_autoptr(GlossAnnotation) kept = gloss_annotation_new ("three", "two ", " four", 8, 13, GLOSS_COLOR_BLUE);
  g_autoptr(GlossAnnotation) meanwhile = NULL;
  g_autoptr(GlossAnnotation) theirs = NULL;
  g_autoptr(GlossClip) other = NULL;
  g_autoptr(GlossClipWriter) writer = NULL;
  g_autoptr(GlossClipSaver) saver = NULL;
  g_autoptr(GlossClip) again = NULL;
  g_autoptr(GlossClip) cancelled = gloss_clip_new ("https://example.org/cancelled", "Cancelled");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) png = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *cancelled_folder = NULL;
  GlossClipPage page = { .word_count = -1, };
  GlossAnnotation *a;

  g_assert_true (gloss_library_load (library, NULL, &error));
  gloss_clip_add_annotation (clip, kept);

  writer = gloss_clip_writer_new (library, clip);
  page.html = "<p>one two three four</p>";
  page.text = "one two three four";
  gloss_clip_writer_commit_async (writer, &page, NULL, commit_done_cb, &error);
  g_assert_null (gloss_library_lookup (library, gloss_clip_get_id (clip)));
  wait_commit (writer);
  g_assert_no_error (error);
  g_assert_true (gloss_library_lookup (library, gloss_clip_get_id (clip)) == clip);
  g_clear_object (&writer);

  /* Another writer's highlight, which the clip in memory has not seen:
   * merged in under the clip's lock, anchored with the rest. */
  other = gloss_clip_load (gloss_clip_get_folder (clip), &error);
  g_assert_no_error (error);
  theirs = gloss_annotation_new ("two", "one ", " three", 4, 7, GLOSS_COLOR_PINK);
  gloss_clip_add_annotation (other, theirs);
  g_assert_true (gloss_clip_save (other, TRUE, &error));
  g_assert_no_error (error);

  /* An update, and a highlight made before the result is back, in the
   * text shown then, by a reader that holds the clip's saver. */
  saver = gloss_clip_saver_get_for_clip (library, clip);
  writer = gloss_clip_writer_new (library, clip);
  page.title = "After";
  page.html = "<p>zero, two, three four</p>";
  page.text = "zero, two, three four";
  gloss_clip_writer_commit_async (writer, &page, NULL, commit_done_cb, &error);
  meanwhile = gloss_annotation_new ("four", "three ", "", 14, 18, GLOSS_COLOR_GREEN);
  gloss_clip_add_annotation (clip, meanwhile);
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "Before");
  wait_commit (writer);
  g_assert_no_error (error);

  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "After");
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 3);
  a = gloss_clip_find_annotation (clip, gloss_annotation_get_id (theirs));
  g_assert_nonnull (a);
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 6);
  a = gloss_clip_find_annotation (clip, gloss_annotation_get_id (kept));
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 11);
  g_assert_cmpuint (gloss_annotation_get_end (a), ==, 16);
  a = gloss_clip_find_annotation (clip, gloss_annotation_get_id (meanwhile));
  g_assert_nonnull (a);
  g_assert_false (gloss_annotation_get_orphan (a));
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 17);
  g_assert_cmpuint (gloss_clip_writer_get_n_orphans (writer), ==, 0);

  /* The file has the update; the highlight made meanwhile, moved into
   * the new text, is the clip's saver's to write: queued, and that save
   * keeps both. */
  again = gloss_clip_load (gloss_clip_get_folder (clip), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_clip_get_title (again), ==, "After");
  g_assert_cmpuint (gloss_clip_get_n_annotations (again), ==, 2);
  a = gloss_clip_find_annotation (again, gloss_annotation_get_id (kept));
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 11);
  g_clear_object (&again);
  g_assert_true (gloss_clip_saver_get_pending (saver));
  g_assert_true (gloss_clip_saver_flush (saver, &error));
  g_assert_no_error (error);
  again = gloss_clip_load (gloss_clip_get_folder (clip), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gloss_clip_get_n_annotations (again), ==, 3);
  a = gloss_clip_find_annotation (again, gloss_annotation_get_id (kept));
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 11);
  a = gloss_clip_find_annotation (again, gloss_annotation_get_id (theirs));
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 6);
  a = gloss_clip_find_annotation (again, gloss_annotation_get_id (meanwhile));
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 17);
  g_clear_object (&writer);
  g_clear_object (&again);

  /* Left alone while it was written: the clip takes the file as it is. */
  writer = gloss_clip_writer_new (library, clip);
  page.title = "Again";
  page.html = "<p>Now: zero, two, three four</p>";
  page.text = "Now: zero, two, three four";
  gloss_clip_writer_commit_async (writer, &page, NULL, commit_done_cb, &error);
  wait_commit (writer);
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "Again");
  a = gloss_clip_find_annotation (clip, gloss_annotation_get_id (meanwhile));
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 22);
  again = gloss_clip_load (gloss_clip_get_folder (clip), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gloss_clip_get_n_annotations (again), ==, 3);
  a = gloss_clip_find_annotation (again, gloss_annotation_get_id (kept));
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 16);
  g_clear_object (&writer);

  /* Cancelled before the worker began: no folder, no clip. */
  writer = gloss_clip_writer_new (library, cancelled);
  g_assert_true (gloss_clip_writer_add_image (writer, "https://example.org/x.png", png, "image/png", &error));
  cancelled_folder = g_build_filename (path, "clips", gloss_clip_get_id (cancelled), NULL);
  g_assert_true (g_file_test (cancelled_folder, G_FILE_TEST_IS_DIR));
  g_cancellable_cancel (cancellable);
  gloss_clip_writer_commit_async (writer, &page, cancellable, commit_done_cb, &error);
  wait_commit (writer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (cancelled_folder, G_FILE_TEST_EXISTS));
  g_assert_null (gloss_library_lookup (library, gloss_clip_get_id (cancelled)));
}

static void
commit_kept_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GlossClip **clip = user_data;
  g_autoptr(GError) error = NULL;

  *clip = gloss_clip_writer_commit_finish (GLOSS_CLIP_WRITER (object), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*clip);
}

/* The library's watcher reads a new clip's folder, and puts a clip of
 * its own in the model, before the asynchronous commit is back on the
 * main thread: the commit hands out the library's object, which holds
 * what was written, never a second object for the same clip. The
 * commit's callback runs on a context of its own, iterated only once the
 * watcher has done its part, so the order is the same every time. */
static void
test_writer_async_watched (void)
{
  g_autofree char *path = gloss_test_make_dir ("writer-async-watched");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/watched", "Watched");
  g_autoptr(GlossAnnotation) annotation = gloss_annotation_new ("two", "one ", " three", 4, 7, GLOSS_COLOR_GREEN);
  g_autoptr(GlossClipWriter) writer = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GlossClipPage page = { .word_count = 3, };
  GlossClip *held;
  GlossClip *returned = NULL;
  Counts counts = { 0, };

  write_clip (path, "older", "Older", "2026-01-01T00:00:00Z");
  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_no_error (error);
  gloss_library_set_monitoring (library, TRUE);
  connect_counts (library, &counts);
  gloss_clip_add_annotation (clip, annotation);
  id = g_strdup (gloss_clip_get_id (clip));

  writer = gloss_clip_writer_new (library, clip);
  page.byline = "Ada";
  page.html = "<p>one two three</p>";
  page.text = "one two three";
  g_main_context_push_thread_default (context);
  gloss_clip_writer_commit_async (writer, &page, NULL, commit_kept_cb, &returned);
  g_main_context_pop_thread_default (context);

  /* The watcher first. */
  wait_for (&counts.added, 1);
  held = gloss_library_lookup (library, id);
  g_assert_nonnull (held);
  g_assert_true (held != clip);
  g_assert_null (returned);

  /* Then the commit's return. */
  while (returned == NULL)
    g_main_context_iteration (context, TRUE);

  g_assert_true (gloss_library_lookup (library, id) == held);
  g_assert_true (returned == held);
  g_assert_true (gloss_clip_writer_get_clip (writer) == held);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 2);
  g_assert_cmpuint (counts.added, ==, 1);
  g_assert_cmpstr (gloss_clip_get_title (held), ==, "Watched");
  g_assert_cmpstr (gloss_clip_get_byline (held), ==, "Ada");
  g_assert_cmpuint (gloss_clip_get_n_annotations (held), ==, 1);
  g_assert_nonnull (gloss_clip_find_annotation (held, gloss_annotation_get_id (annotation)));
  /* The caller's own object is left whole. */
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "Watched");

  gloss_library_set_monitoring (library, FALSE);
}

/* --- symbolic links ------------------------------------------------------ */

static void
test_symlinks (void)
{
  g_autofree char *path = gloss_test_make_dir ("links");
  g_autofree char *outside = gloss_test_make_dir ("links-outside/elsewhere");
  g_autofree char *secret = gloss_test_make_dir ("links-secret");
  g_autofree char *secret_txt = g_build_filename (secret, "notes.txt", NULL);
  g_autofree char *outside_json = clip_json ("elsewhere", "Outside", "2026-01-01T00:00:00Z", NULL);
  g_autofree char *outside_json_path = g_build_filename (outside, "clip.json", NULL);
  g_autofree char *link = g_build_filename (path, "clips", "elsewhere", NULL);
  g_autofree char *healthy = g_build_filename (path, "clips", "healthy", NULL);
  g_autofree char *linked_txt = g_build_filename (healthy, "article.txt", NULL);
  g_autofree char *clips_path = g_build_filename (path, "clips", NULL);
  g_autofree char *db_path = g_build_filename (path, "index.sqlite", NULL);
  g_autofree char *export_link = g_build_filename (path, "export-here", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GFile) export_dest = g_file_new_for_path (export_link);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) clips = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GlossQuery) query = NULL;
  g_autoptr(GlossExportSummary) summary = NULL;
  g_autofree char *text = NULL;
  GlossIndexDb *db;
  GlossClip *clip;

  gloss_test_write_file (outside, "clip.json", outside_json);
  gloss_test_write_file (outside, "article.txt", "An outside giraffe");
  gloss_test_write_file (secret, "notes.txt", "secret okapi");
  write_clip (path, "healthy", "Healthy", "2026-01-01T00:00:00Z");
  g_assert_cmpint (symlink (outside, link), ==, 0);
  g_assert_cmpint (g_unlink (linked_txt), ==, 0);
  g_assert_cmpint (symlink (secret_txt, linked_txt), ==, 0);
  before = gloss_test_read_file (outside_json_path);

  /* A clip folder that is a link is not a clip of this library. */
  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 1);
  g_assert_null (gloss_library_lookup (library, "elsewhere"));

  /* A linked article.txt is not read, nor indexed. */
  clip = gloss_library_lookup (library, "healthy");
  text = gloss_clip_load_article_text (clip, &error);
  g_assert_null (text);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  g_clear_error (&error);

  db = gloss_index_db_open (db_path, clips_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gloss_index_db_plan (db, NULL, &changed, &removed, &error));
  g_assert_true (gloss_index_db_update (db, (const char **) changed->pdata, changed->len, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      query = gloss_query_parse (i == 0 ? "okapi" : "giraffe", &error);
      g_assert_no_error (error);
      results = gloss_index_db_search (db, query, 0, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (results->len, ==, 0);
      g_clear_pointer (&results, g_ptr_array_unref);
      g_clear_pointer (&query, gloss_query_unref);
    }
  gloss_index_db_close (db);

  /* Saving the clip writes into its own folder only. */
  gloss_clip_set_note (clip, "changed");
  g_assert_true (gloss_library_save (library, clip, &error));
  g_assert_no_error (error);
  after = gloss_test_read_file (outside_json_path);
  g_assert_cmpstr (before, ==, after);

  /* An export reached through a link into clips/ is refused. */
  g_assert_cmpint (symlink (healthy, export_link), ==, 0);
  g_ptr_array_add (clips, g_object_ref (clip));
  summary = gloss_export_markdown (clips, export_dest, NULL, GLOSS_EXPORT_NONE,
                                   NULL, NULL, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
}

/* --- leftovers and messages ---------------------------------------------- */

static void
age_file (const char *path)
{
  struct utimbuf times = { time (NULL) - 3600, time (NULL) - 3600 };

  g_assert_cmpint (utime (path, &times), ==, 0);
}

static void
test_leftovers (void)
{
  g_autofree char *path = gloss_test_make_dir ("leftovers");
  g_autofree char *clip_folder = g_build_filename (path, "clips", "left", NULL);
  g_autofree char *assets = g_build_filename (clip_folder, "assets", NULL);
  g_autofree char *old_json = g_build_filename (clip_folder, "clip.json.AbC123", NULL);
  g_autofree char *old_asset = g_build_filename (assets, "0123456789abcdef01234567.png.QwErTy", NULL);
  g_autofree char *young = g_build_filename (clip_folder, "article.txt.XyZ789", NULL);
  g_autofree char *not_ours = g_build_filename (clip_folder, "notes.backup", NULL);
  g_autofree char *old_html = g_build_filename (clip_folder, "article.html.Old123", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) found = NULL;
  g_auto(GStrv) stale = NULL;

  write_clip (path, "left", "Left", "2026-01-01T00:00:00Z");
  gloss_test_write_file (clip_folder, "clip.json.AbC123", "{\"half");
  gloss_test_write_file (assets, "0123456789abcdef01234567.png.QwErTy", "half an image");
  gloss_test_write_file (clip_folder, "article.txt.XyZ789", "being written");
  gloss_test_write_file (clip_folder, "notes.backup", "the user's");
  age_file (old_json);
  age_file (old_asset);
  age_file (not_ours);

  found = gloss_fs_find_leftovers (clip_folder, 0);
  g_assert_cmpuint (g_strv_length (found), ==, 3);
  g_assert_cmpstr (found[0], ==, "article.txt.XyZ789");
  g_assert_cmpstr (found[1], ==, "assets/0123456789abcdef01234567.png.QwErTy");
  g_assert_cmpstr (found[2], ==, "clip.json.AbC123");
  stale = gloss_fs_find_leftovers (clip_folder, GLOSS_FS_STALE_AGE_S);
  g_assert_cmpuint (g_strv_length (stale), ==, 2);

  /* The next write removes the stale ones; one that may belong to a
   * writer still at work stays, and so does what is not ours. */
  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_true (gloss_library_save (library, gloss_library_lookup (library, "left"), &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (old_json, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_asset, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (young, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (not_ours, G_FILE_TEST_EXISTS));

  /* So does the next full read of the clip (opening it); the list's
   * summary read changes nothing. */
  gloss_test_write_file (clip_folder, "article.html.Old123", "half");
  age_file (old_html);
  g_clear_object (&library);
  library = gloss_library_new (folder);
  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_true (g_file_test (old_html, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (gloss_clip_get_annotations (gloss_library_lookup (library, "left"))), ==, 0);
  g_assert_false (g_file_test (old_html, G_FILE_TEST_EXISTS));
}

static void
test_disk_full_message (void)
{
  g_autoptr(GError) error = NULL;

  gloss_fs_set_error (&error, ENOSPC, TRUE, "/some/clip.json");
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/some/clip.json"));
  g_assert_nonnull (strstr (error->message, "disk is full"));
}

/* --- two processes at once ------------------------------------------------ */

#define HAMMER_ROUNDS 25
#define HAMMER_CLIPS 3
#define HAMMER_URLS 20

/* Run as a separate process: adds HAMMER_ROUNDS annotations to each
 * shared clip, saving after each, as an import or the app would. */
static int
hammer_annotations (const char *library_path)
{
  g_autoptr(GFile) folder = g_file_new_for_path (library_path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;

  if (!gloss_library_load (library, NULL, &error))
    return 1;

  for (guint round = 0; round < HAMMER_ROUNDS; round++)
    for (guint k = 0; k < HAMMER_CLIPS; k++)
      {
        g_autofree char *id = g_strdup_printf ("shared-%u", k);
        GlossClip *clip = gloss_library_lookup (library, id);
        g_autoptr(GlossAnnotation) a = gloss_annotation_new ("Text", "", "", 0, 4, GLOSS_COLOR_GREEN);

        if (clip == NULL || !gloss_clip_add_annotation (clip, a) ||
            !gloss_library_save (library, clip, &error))
          {
            g_printerr ("hammer: %s\n", error ? error->message : "no clip");
            return 1;
          }
      }
  return 0;
}

/* Run as a separate process: a clip for each of HAMMER_URLS addresses
 * unless there is one, as two imports of one file at once do. */
static int
hammer_create (const char *library_path)
{
  g_autoptr(GFile) folder = g_file_new_for_path (library_path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;

  if (!gloss_library_load (library, NULL, &error))
    return 1;

  for (guint i = 0; i < HAMMER_URLS; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://example.org/page/%u", i);
      g_autoptr(GlossClip) clip = gloss_clip_new (url, "Page");
      g_autoptr(GlossClipWriter) writer = gloss_clip_writer_new (library, clip);
      GlossClipPage page = { .word_count = -1, .html = "<p>Text</p>", .text = "Text" };

      gloss_clip_writer_set_unique_url (writer, TRUE);
      if (gloss_clip_writer_commit (writer, &page, &error) == NULL)
        {
          if (!g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS))
            {
              g_printerr ("hammer: %s\n", error->message);
              return 1;
            }
          g_clear_error (&error);
        }
    }
  return 0;
}

static const char *self_path;

static void
run_two (const char *mode,
         const char *library_path)
{
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;

  first = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_path, mode, library_path, NULL);
  g_assert_no_error (error);
  second = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_path, mode, library_path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (first, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (second, NULL, &error));
  g_assert_no_error (error);
}

/* Issue 15: two imports at once lost annotations (27 of 40 trials) and
 * made duplicate clips (25 of 25). */
static void
test_two_processes (void)
{
  g_autofree char *path = gloss_test_make_dir ("two-processes");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GError) error = NULL;
  guint n_pages = 0;

  for (guint k = 0; k < HAMMER_CLIPS; k++)
    {
      g_autofree char *id = g_strdup_printf ("shared-%u", k);

      write_clip (path, id, "Shared", "2026-01-01T00:00:00Z");
    }

  run_two ("--hammer-annotations", path);
  run_two ("--hammer-create", path);

  library = gloss_library_new (folder);
  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_no_error (error);
  for (guint k = 0; k < HAMMER_CLIPS; k++)
    {
      g_autofree char *id = g_strdup_printf ("shared-%u", k);
      GlossClip *clip = gloss_library_lookup (library, id);

      g_assert_nonnull (clip);
      g_assert_null (gloss_clip_get_damage (clip));
      g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 2 * HAMMER_ROUNDS);
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (library)); i++)
    if (g_str_has_prefix (gloss_clip_get_url (item (library, i)), "https://example.org/page/"))
      n_pages++;
  g_assert_cmpuint (n_pages, ==, HAMMER_URLS);
}

/* --verify said "All is well" beside leftover temporary files (issue 15). */
static void
test_verify_reports (void)
{
  g_autofree char *path = gloss_test_make_dir ("verify-leftovers");
  g_autofree char *clip_folder = g_build_filename (path, "clips", "left", NULL);
  g_autofree char *outside = gloss_test_make_dir ("verify-outside");
  g_autofree char *link = g_build_filename (path, "clips", "linked", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);

  write_clip (path, "left", "Left", "2026-01-01T00:00:00Z");
  gloss_test_write_file (clip_folder, "clip.json.AbC123", "{\"half");
  g_assert_cmpint (symlink (outside, link), ==, 0);

  g_assert_cmpint (gloss_cli_verify (folder, out, err), ==, 1);
  g_assert_nonnull (strstr (out->str, "clip.json.AbC123"));
  g_assert_nonnull (strstr (out->str, "symbolic link"));
  g_assert_null (strstr (out->str, "All is well"));
}

/* Run inside a private mount namespace on a 128 KB tmpfs at @path: a new
 * clip too large for it, and a save that no longer fits, must each fail
 * saying the disk is full, leave no half-written folder and keep the old
 * clip.json. */
static int
full_disk_child (const char *path)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossClip) small = gloss_clip_new ("https://example.org/small", "Small");
  g_autoptr(GlossClip) big = gloss_clip_new ("https://example.org/big", "Big");
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill (200 * 1024, 'x');
  g_autofree char *big_folder = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (!gloss_library_load (library, NULL, &error) ||
      !gloss_library_add (library, small, "<p>a</p>", "a", &error))
    {
      g_printerr ("full-disk: %s\n", error->message);
      return 1;
    }

  if (gloss_library_add (library, big, huge, huge, &error) ||
      !g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_IO) ||
      strstr (error->message, "disk is full") == NULL)
    {
      g_printerr ("full-disk: new clip: %s\n", error ? error->message : "written");
      return 1;
    }
  g_clear_error (&error);
  big_folder = g_build_filename (path, "clips", gloss_clip_get_id (big), NULL);
  if (g_file_test (big_folder, G_FILE_TEST_EXISTS))
    {
      g_printerr ("full-disk: the half-written folder is still there\n");
      return 1;
    }

  json_path = g_build_filename (path, "clips", gloss_clip_get_id (small), "clip.json", NULL);
  g_file_get_contents (json_path, &before, NULL, NULL);
  gloss_clip_set_note (small, huge);
  if (gloss_library_save (library, small, &error) ||
      strstr (error->message, "disk is full") == NULL)
    {
      g_printerr ("full-disk: save: %s\n", error ? error->message : "written");
      return 1;
    }
  g_file_get_contents (json_path, &after, NULL, NULL);
  if (g_strcmp0 (before, after) != 0)
    {
      g_printerr ("full-disk: clip.json changed\n");
      return 1;
    }
  return 0;
}

static void
test_full_disk (void)
{
  g_autofree char *path = gloss_test_make_dir ("full-disk");
  g_autofree char *unshare = g_find_program_in_path ("unshare");
  g_autoptr(GSubprocess) probe = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;

  /* A small file system of its own needs a mount namespace. */
  if (unshare != NULL)
    probe = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              NULL, unshare, "-rm", "sh", "-c",
                              "mount -t tmpfs -o size=128k none \"$1\"", "sh", path, NULL);
  if (probe == NULL || !g_subprocess_wait_check (probe, NULL, NULL))
    {
      g_test_skip ("No unprivileged mount namespace to make a full disk in");
      return;
    }

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, unshare, "-rm", "sh", "-c",
                            "mount -t tmpfs -o size=128k none \"$1\" && exec \"$2\" --full-disk-child \"$1\"",
                            "sh", path, self_path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (child, NULL, &error));
  g_assert_no_error (error);
}

/* Two writers of one clip (two processes: two library objects here): what
 * each added is kept, what each deleted stays deleted. */
static void
test_merge_on_save (void)
{
  g_autofree char *path = gloss_test_make_dir ("merge-on-save");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) first = gloss_library_new (folder);
  g_autoptr(GlossLibrary) second = gloss_library_new (folder);
  g_autoptr(GlossLibrary) third = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/m", "Merged");
  g_autoptr(GlossAnnotation) a1 = gloss_annotation_new ("one", "", " two", 0, 3, GLOSS_COLOR_BLUE);
  g_autoptr(GlossAnnotation) a2 = gloss_annotation_new ("two", "one ", "", 4, 7, GLOSS_COLOR_BLUE);
  g_autoptr(GlossAnnotation) a3 = gloss_annotation_new ("one two", "", "", 0, 7, GLOSS_COLOR_PINK);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GlossClip *mine, *theirs, *merged;

  gloss_clip_add_annotation (clip, a1);
  gloss_clip_add_annotation (clip, a2);
  gloss_clip_add_tag (clip, "x");
  gloss_clip_add_tag (clip, "y");
  g_assert_true (gloss_library_load (first, NULL, &error));
  g_assert_true (gloss_library_add (first, clip, "<p>one two</p>", "one two", &error));
  g_assert_no_error (error);
  id = g_strdup (gloss_clip_get_id (clip));

  g_assert_true (gloss_library_load (second, NULL, &error));
  mine = gloss_library_lookup (first, id);
  theirs = gloss_library_lookup (second, id);
  g_assert_cmpuint (g_list_model_get_n_items (gloss_clip_get_annotations (theirs)), ==, 2);

  g_assert_true (gloss_clip_remove_annotation (theirs, gloss_annotation_get_id (a1)));
  g_assert_true (gloss_clip_remove_tag (theirs, "x"));
  g_assert_true (gloss_clip_add_tag (theirs, "z"));
  g_assert_true (gloss_library_save (second, theirs, &error));
  g_assert_no_error (error);

  g_assert_true (gloss_clip_add_annotation (mine, a3));
  gloss_clip_set_note (mine, "Mine");
  g_assert_true (gloss_library_save (first, mine, &error));
  g_assert_no_error (error);

  g_assert_true (gloss_library_load (third, NULL, &error));
  merged = gloss_library_lookup (third, id);
  g_assert_cmpuint (g_list_model_get_n_items (gloss_clip_get_annotations (merged)), ==, 2);
  g_assert_null (gloss_clip_find_annotation (merged, gloss_annotation_get_id (a1)));
  g_assert_nonnull (gloss_clip_find_annotation (merged, gloss_annotation_get_id (a2)));
  g_assert_nonnull (gloss_clip_find_annotation (merged, gloss_annotation_get_id (a3)));
  g_assert_false (gloss_clip_has_tag (merged, "x"));
  g_assert_true (gloss_clip_has_tag (merged, "y"));
  g_assert_true (gloss_clip_has_tag (merged, "z"));
  g_assert_cmpstr (gloss_clip_get_note (merged), ==, "Mine");
  /* The writer that merged holds the result too. */
  g_assert_cmpuint (gloss_clip_get_n_annotations (mine), ==, 2);
}

/* Run as a separate process: another Gloss deletes one annotation of
 * @clip_id (which writes its "removed" entry) and retitles the clip. */
static int
delete_annotation_child (const char *library_path,
                         const char *clip_id,
                         const char *annotation_id)
{
  g_autoptr(GFile) folder = g_file_new_for_path (library_path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  GlossClip *clip;

  if (!gloss_library_load (library, NULL, &error) ||
      !(clip = gloss_library_lookup (library, clip_id)) ||
      !gloss_clip_remove_annotation (clip, annotation_id))
    return 1;
  gloss_clip_set_title (clip, "Their title");
  if (!gloss_library_save (library, clip, &error))
    {
      g_printerr ("delete-annotation: %s\n", error->message);
      return 1;
    }
  return 0;
}

static JsonObject *
read_clip_json (const char *library_path,
                const char *clip_id)
{
  g_autofree char *file = g_build_filename (library_path, "clips", clip_id, "clip.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, file, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Another process deleted an annotation (FORMAT.md: with its "removed"
 * entry) while the app, which still shows it, edits another one: the
 * app's save never brings the deleted one back, and keeps both edits. */
static void
test_merge_on_save_removed (void)
{
  g_autofree char *path = gloss_test_make_dir ("merge-on-save-removed");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) app = gloss_library_new (folder);
  g_autoptr(GlossLibrary) check = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/r", "Our title");
  g_autoptr(GlossAnnotation) a1 = gloss_annotation_new ("one", "", " two", 0, 3, GLOSS_COLOR_BLUE);
  g_autoptr(GlossAnnotation) a2 = gloss_annotation_new ("two", "one ", "", 4, 7, GLOSS_COLOR_BLUE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autofree char *id = NULL;
  g_autofree char *a1_id = g_strdup (gloss_annotation_get_id (a1));
  g_autofree char *a2_id = g_strdup (gloss_annotation_get_id (a2));
  JsonObject *removed;
  GlossClip *mine, *merged;

  gloss_clip_add_annotation (clip, a1);
  gloss_clip_add_annotation (clip, a2);
  g_assert_true (gloss_library_load (app, NULL, &error));
  g_assert_true (gloss_library_add (app, clip, "<p>one two</p>", "one two", &error));
  g_assert_no_error (error);
  id = g_strdup (gloss_clip_get_id (clip));
  mine = gloss_library_lookup (app, id);
  g_assert_cmpuint (g_list_model_get_n_items (gloss_clip_get_annotations (mine)), ==, 2);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_path,
                            "--delete-annotation", path, id, a1_id, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (child, NULL, &error));
  g_assert_no_error (error);

  /* The other process left its deletion written down. */
  theirs = read_clip_json (path, id);
  g_assert_true (json_object_has_member (theirs, "removed"));
  g_assert_true (json_object_has_member (json_object_get_object_member (theirs, "removed"), a1_id));

  /* The app still holds the deleted annotation, and edits the other. */
  g_assert_nonnull (gloss_clip_find_annotation (mine, a1_id));
  gloss_annotation_set_note (gloss_clip_find_annotation (mine, a2_id), "Edited here");
  g_assert_true (gloss_library_save (app, mine, &error));
  g_assert_no_error (error);

  g_assert_true (gloss_library_load (check, NULL, &error));
  merged = gloss_library_lookup (check, id);
  g_assert_null (gloss_clip_find_annotation (merged, a1_id));
  g_assert_nonnull (gloss_clip_find_annotation (merged, a2_id));
  g_assert_cmpstr (gloss_annotation_get_note (gloss_clip_find_annotation (merged, a2_id)), ==, "Edited here");
  g_assert_cmpstr (gloss_clip_get_title (merged), ==, "Their title");

  saved = read_clip_json (path, id);
  removed = json_object_get_object_member (saved, "removed");
  g_assert_nonnull (removed);
  g_assert_true (json_object_has_member (removed, a1_id));

  /* The app holds the merge too; a second save changes nothing. */
  g_assert_null (gloss_clip_find_annotation (mine, a1_id));
  g_assert_cmpstr (gloss_clip_get_title (mine), ==, "Their title");
  g_assert_true (gloss_library_save (app, mine, &error));
  g_assert_no_error (error);
  g_clear_object (&check);
  check = gloss_library_new (folder);
  g_assert_true (gloss_library_load (check, NULL, &error));
  g_assert_null (gloss_clip_find_annotation (gloss_library_lookup (check, id), a1_id));
}

/* Clips are found again by the one rule for "the same page" (gloss-url.c),
 * as the clipper's duplicate check and imports look for them. */
static void
test_find_by_url (void)
{
  g_autofree char *path = gloss_test_make_dir ("find-by-url");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://Example.org/story/?id=7&utm_source=mail#top", "Story");
  g_autoptr(GError) error = NULL;

  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_true (gloss_library_add (library, clip, "<p>Text</p>", "Text", &error));
  g_assert_no_error (error);

  g_assert_true (gloss_library_find_by_url (library, "https://Example.org/story/?id=7&utm_source=mail#top") == clip);
  g_assert_true (gloss_library_find_by_url (library, "https://example.org/story?id=7") == clip);
  g_assert_true (gloss_library_find_by_url (library, "https://example.org:443/story/?fbclid=x&id=7#comments") == clip);
  g_assert_null (gloss_library_find_by_url (library, "https://example.org/story?id=8"));
  g_assert_null (gloss_library_find_by_url (library, "http://example.org/story?id=7"));
  g_assert_null (gloss_library_find_by_url (library, "not an address"));
}

/* The table behind gloss_library_find_by_url() follows every change of
 * the model: a clip added, deleted, restored, its address changed by us
 * or by another program, a damaged clip.json, a reload of the folder. */
static void
test_find_by_url_kept (void)
{
  g_autofree char *path = gloss_test_make_dir ("find-by-url-kept");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/a/?utm_medium=feed", "A");
  g_autoptr(GlossClip) twin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *clip_dir = NULL;
  g_autofree char *json = NULL;
  g_autofree char *script = NULL;
  g_autofree char *tmp_path = g_build_filename (gloss_test_get_root (), "kept.json", NULL);
  Counts counts = { 0, };
  GlossClip *back;

  write_clip (path, "other", "Other", "2026-01-01T00:00:00Z");
  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_nonnull (gloss_library_find_by_url (library, "https://example.org/x/#top"));
  g_assert_null (gloss_library_find_by_url (library, "https://example.org/a"));

  /* Added. */
  g_assert_true (gloss_library_add (library, clip, "<p>A</p>", "A", &error));
  g_assert_no_error (error);
  id = g_strdup (gloss_clip_get_id (clip));
  clip_dir = g_build_filename (path, "clips", id, NULL);
  g_assert_true (gloss_library_find_by_url (library, "https://example.org/a#b") == clip);
  g_assert_true (gloss_library_find_by_url (library, "https://example.org:443/a?gclid=1") == clip);

  /* Deleted, then restored (a new object for the same clip). */
  g_assert_true (gloss_library_delete (library, clip, &error));
  g_assert_no_error (error);
  g_assert_null (gloss_library_find_by_url (library, "https://example.org/a"));
  g_assert_true (gloss_library_restore (library, id, &error));
  g_assert_no_error (error);
  back = gloss_library_find_by_url (library, "https://example.org/a");
  g_assert_nonnull (back);
  g_assert_cmpstr (gloss_clip_get_id (back), ==, id);
  g_assert_true (back == gloss_library_lookup (library, id));

  /* Its address changed and saved: found under the new one only. */
  g_object_set (back, "url", "https://example.org/b?fbclid=z", NULL);
  g_assert_true (gloss_library_save (library, back, &error));
  g_assert_no_error (error);
  g_assert_null (gloss_library_find_by_url (library, "https://example.org/a"));
  g_assert_true (gloss_library_find_by_url (library, "https://example.org/b/") == back);

  /* Two clips of one page: the one saved under this very address wins;
   * deleting one leaves the other. */
  twin = gloss_clip_new ("https://example.org/b", "B again");
  g_assert_true (gloss_library_add (library, twin, "<p>B</p>", "B", &error));
  g_assert_no_error (error);
  g_assert_true (gloss_library_find_by_url (library, "https://example.org/b?fbclid=z") == back);
  g_assert_true (gloss_library_find_by_url (library, "https://example.org/b") == twin);
  g_assert_true (gloss_library_delete (library, twin, &error));
  g_assert_no_error (error);
  g_assert_true (gloss_library_find_by_url (library, "https://example.org/b") == back);

  /* The first clip of a page deleted: the second is found, then none. */
  {
    g_autoptr(GlossClip) d1 = gloss_clip_new ("https://example.org/d", "D");
    g_autoptr(GlossClip) d2 = gloss_clip_new ("https://example.org/d?utm_source=x", "D again");

    g_assert_true (gloss_library_add (library, d1, "<p>D</p>", "D", &error));
    g_assert_true (gloss_library_add (library, d2, "<p>D</p>", "D", &error));
    g_assert_no_error (error);
    g_assert_true (gloss_library_find_by_url (library, "https://example.org/d") == d1);
    g_assert_true (gloss_library_delete (library, d1, &error));
    g_assert_true (gloss_library_find_by_url (library, "https://example.org/d") == d2);
    g_assert_true (gloss_library_delete (library, d2, &error));
    g_assert_no_error (error);
    g_assert_null (gloss_library_find_by_url (library, "https://example.org/d"));
  }

  /* Another program changes the address in clip.json. */
  gloss_library_set_monitoring (library, TRUE);
  connect_counts (library, &counts);
  json = clip_json (id, "B", "2026-03-01T00:00:00Z", "https://example.org/c");
  g_assert_true (g_file_set_contents (tmp_path, json, -1, NULL));
  script = g_strdup_printf ("cp '%s' '%s/.sync.tmp' && mv '%s/.sync.tmp' '%s/clip.json'",
                            tmp_path, clip_dir, clip_dir, clip_dir);
  run_shell (script);
  wait_for (&counts.changed, 1);
  g_assert_null (gloss_library_find_by_url (library, "https://example.org/b"));
  g_assert_true (gloss_library_find_by_url (library, "https://example.org/c") == back);

  /* Damaged: not a clip of that page until it reads again. */
  g_free (script);
  script = g_strdup_printf ("printf '{ broken' > '%s/clip.json'", clip_dir);
  run_shell (script);
  wait_for (&counts.changed, 2);
  g_assert_nonnull (gloss_clip_get_damage (back));
  g_assert_null (gloss_library_find_by_url (library, "https://example.org/c"));
  g_free (script);
  script = g_strdup_printf ("cp '%s' '%s/clip.json'", tmp_path, clip_dir);
  run_shell (script);
  wait_for (&counts.changed, 3);
  g_assert_true (gloss_library_find_by_url (library, "https://example.org/c") == back);
  gloss_library_set_monitoring (library, FALSE);

  /* A fresh read of the folder builds the table again. */
  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_no_error (error);
  back = gloss_library_find_by_url (library, "https://example.org/c");
  g_assert_nonnull (back);
  g_assert_cmpstr (gloss_clip_get_id (back), ==, id);
  g_assert_nonnull (gloss_library_find_by_url (library, "https://example.org/x"));
  g_assert_null (gloss_library_find_by_url (library, "https://example.org/a"));
}

int
main (int    argc,
      char **argv)
{
  /* The other process of /library/two-processes. */
  if (argc == 3 && g_str_equal (argv[1], "--hammer-annotations"))
    return hammer_annotations (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--hammer-create"))
    return hammer_create (argv[2]);
  if (argc == 5 && g_str_equal (argv[1], "--delete-annotation"))
    return delete_annotation_child (argv[2], argv[3], argv[4]);
  if (argc == 3 && g_str_equal (argv[1], "--full-disk-child"))
    return full_disk_child (argv[2]);

  self_path = argv[0];
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/library/load-order", test_load_order);
  g_test_add_func ("/library/load-async", test_load_async);
  g_test_add_func ("/library/empty", test_empty_library);
  g_test_add_func ("/library/add-save-delete-restore", test_add_save_delete_restore);
  g_test_add_func ("/library/find-by-url", test_find_by_url);
  g_test_add_func ("/library/find-by-url-kept", test_find_by_url_kept);
  g_test_add_func ("/library/own-trash", test_own_trash);
  g_test_add_func ("/library/clip-lock", test_clip_lock);
  g_test_add_func ("/library/damaged-never-written", test_damaged_never_written);
  g_test_add_func ("/library/resolve-folder", test_resolve_folder);
  g_test_add_func ("/library/external-changes", test_external_changes);
  g_test_add_func ("/library/external-into-empty", test_external_into_empty);
  g_test_add_func ("/library/add-while-unreadable", test_add_while_unreadable);
  g_test_add_func ("/library/deep-nesting", test_deep_nesting_everywhere);
  g_test_add_func ("/library/writer/new-clip", test_writer_new_clip);
  g_test_add_func ("/library/writer/abort", test_writer_abort);
  g_test_add_func ("/library/writer/update", test_writer_update);
  g_test_add_func ("/library/writer/async", test_writer_async);
  g_test_add_func ("/library/writer/async-watched", test_writer_async_watched);
  g_test_add_func ("/library/symlinks", test_symlinks);
  g_test_add_func ("/library/leftovers", test_leftovers);
  g_test_add_func ("/library/disk-full-message", test_disk_full_message);
  g_test_add_func ("/library/full-disk", test_full_disk);
  g_test_add_func ("/library/merge-on-save", test_merge_on_save);
  g_test_add_func ("/library/two-processes", test_two_processes);
  g_test_add_func ("/library/merge-on-save-removed", test_merge_on_save_removed);
  g_test_add_func ("/library/verify-reports", test_verify_reports);
  g_test_add_func ("/library/threaded-load", test_threaded_load_same_every_time);
  g_test_add_func ("/library/threaded-load/child", threaded_load_child);

  return g_test_run ();
}
