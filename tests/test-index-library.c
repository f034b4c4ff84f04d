/* test-index-library.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The index kept in step by GlossLibrary's signals: changes made through
 * the library (add, save, delete, restore) and changes made by another
 * process that the library's file monitor notices. */

#include "config.h"

#include <string.h>

#include "gloss-error.h"
#include "gloss-index.h"
#include "gloss-library.h"
#include "gloss-test-clips.h"

static char *
search_ids (GlossIndex *index,
            const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) results = gloss_index_search (index, query, 0, NULL, &error);
  GString *ids = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(GlossSearchResult) result = g_list_model_get_item (results, i);

      if (i > 0)
        g_string_append_c (ids, ' ');
      g_string_append (ids, gloss_search_result_get_clip_id (result));
    }
  return g_string_free (ids, FALSE);
}

static void
assert_finds (GlossIndex *index,
              const char *query,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  gloss_index_flush (index, NULL, &error);
  g_assert_no_error (error);
  found = search_ids (index, query);
  if (g_strcmp0 (found, expected) != 0)
    g_error ("“%s” found [%s], expected [%s]", query, found, expected);
}

/* Runs the main loop (where the library's monitor reports) until the
 * search gives @expected, for at most ten seconds. */
static void
wait_until_finds (GlossIndex *index,
                  const char *query,
                  const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autofree char *found = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      gloss_index_flush (index, NULL, &error);
      g_assert_no_error (error);
      g_free (found);
      found = search_ids (index, query);
      if (g_strcmp0 (found, expected) == 0)
        return;
      g_usleep (20000);
    }
  g_error ("“%s” still finds [%s], expected [%s]", query, found, expected);
}

static void
on_changed (GlossIndex *index,
            gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_library_signals (void)
{
  g_autofree char *path = gloss_test_make_dir ("signals");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossIndex) index = gloss_index_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/okapi", "The okapi");
  g_autoptr(GlossAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (gloss_clip_get_id (clip));
  guint changed = 0;

  gloss_library_load (library, NULL, &error);
  g_assert_no_error (error);
  gloss_index_watch_library (index, library);
  g_signal_connect (index, "changed", G_CALLBACK (on_changed), &changed);
  gloss_index_sync (index, NULL, &error);
  g_assert_no_error (error);
  assert_finds (index, "okapi", "");

  /* Add. */
  gloss_library_add (library, clip, "<p>A forest giraffe.</p>", "A forest giraffe.", &error);
  g_assert_no_error (error);
  assert_finds (index, "okapi", id);
  assert_finds (index, "forest giraffe", id);

  /* Edit: title, tag, a highlight with a note. */
  gloss_clip_set_title (clip, "The shy okapi");
  gloss_clip_add_tag (clip, "Mammals");
  annotation = gloss_annotation_new ("forest giraffe", "A ", ".", 2, 16, GLOSS_COLOR_PINK);
  gloss_annotation_set_note (annotation, "striped legs");
  g_assert_true (gloss_clip_add_annotation (clip, annotation));
  gloss_library_save (library, clip, &error);
  g_assert_no_error (error);
  assert_finds (index, "title:shy", id);
  assert_finds (index, "tag:mammals color:pink note:striped", id);

  /* Delete and restore (Undo). */
  gloss_library_delete (library, clip, &error);
  g_assert_no_error (error);
  assert_finds (index, "okapi", "");
  gloss_library_restore (library, id, &error);
  g_assert_no_error (error);
  assert_finds (index, "okapi", id);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, >=, 4);
}

static void
test_other_process (void)
{
  g_autofree char *path = gloss_test_make_dir ("monitored");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *clip_dir = NULL;
  TestClip clip = {
    .id = "from-elsewhere",
    .title = "Quagga notes",
    .url = "https://example.org/quagga",
    .text = "An extinct subspecies of plains zebra.",
  };

  {
    g_autofree char *clips = g_build_filename (path, "clips", NULL);
    g_assert_cmpint (g_mkdir_with_parents (clips, 0700), ==, 0);
  }

  library = gloss_library_new (folder);
  gloss_library_load (library, NULL, &error);
  g_assert_no_error (error);
  gloss_library_set_monitoring (library, TRUE);
  index = gloss_index_new (folder);
  gloss_index_watch_library (index, library);
  gloss_index_sync (index, NULL, &error);
  g_assert_no_error (error);

  /* A sync tool drops a new clip in. */
  test_write_clip (path, &clip);
  wait_until_finds (index, "quagga", "from-elsewhere");

  /* A text editor changes it. */
  clip.title = "Tarpan notes";
  test_write_clip (path, &clip);
  wait_until_finds (index, "tarpan", "from-elsewhere");
  assert_finds (index, "title:quagga", "");

  /* Someone deletes the folder. */
  clip_dir = g_build_filename (path, "clips", "from-elsewhere", NULL);
  gloss_test_remove_tree (clip_dir);
  wait_until_finds (index, "tarpan", "");
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/index-library/signals", test_library_signals);
  g_test_add_func ("/index-library/other-process", test_other_process);

  return g_test_run ();
}
