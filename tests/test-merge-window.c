/* test-merge-window.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* "Changed on another machine too" in the real window (FORMAT.md "Several
 * machines"): a clip whose title and highlight notes were changed on two
 * machines, merged at start-up from a Syncthing conflict copy; the
 * annotations panel shows the texts that lost on the title and on each
 * highlight's row, and Use This … and Dismiss do what they say, on disk
 * too. */

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "gloss-annotations-panel.h"
#include "gloss-library.h"
#include "gloss-merge.h"
#include "gloss-merge-notice.h"
#include "gloss-test-server.h"
#include "gloss-test-util.h"
#include "gloss-window.h"

#define HTML "<p>Alpha beta gamma delta.</p><p>Epsilon zeta eta theta.</p>"
#define TEXT "Alpha beta gamma delta.Epsilon zeta eta theta."

static char *
annotation_json (const char *id,
                 const char *exact,
                 const char *modified,
                 const char *note)
{
  guint start = strstr (TEXT, exact) - TEXT;

  return g_strdup_printf ("{\"id\": \"%s\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"%s\","
                          " \"color\": \"yellow\", \"note\": \"%s\", \"target\": {\"selector\": ["
                          "{\"type\": \"TextQuoteSelector\", \"exact\": \"%s\", \"prefix\": \"\", \"suffix\": \"\"},"
                          "{\"type\": \"TextPositionSelector\", \"start\": %u, \"end\": %u}]}}",
                          id, modified, note, exact, start, start + (guint) strlen (exact));
}

/* One machine's clip.json: its title and two highlight notes, changed at
 * @when. */
static char *
version (const char *title,
         const char *note1,
         const char *note2,
         const char *when)
{
  g_autofree char *a1 = annotation_json ("a1", "beta gamma", when, note1);
  g_autofree char *a2 = annotation_json ("a2", "zeta eta", when, note2);

  return g_strdup_printf ("{\"format\": 1, \"id\": \"c1\", \"url\": \"https://example.org/story\","
                          " \"title\": \"%s\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"%s\","
                          " \"changed\": {\"title\": \"%s\"}, \"tags\": [], \"annotations\": [%s, %s]}",
                          title, when, when, a1, a2);
}

static void
collect_notices (GtkWidget *widget,
                 GPtrArray *out)
{
  if (GLOSS_IS_MERGE_NOTICE (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_notices (child, out);
}

/* The notice shown for @key ("title" for the title's; an annotation id
 * for a row's), or NULL when none shows. */
static GlossMergeNotice *
shown_notice (GtkWidget  *panel,
              const char *key)
{
  g_autoptr(GPtrArray) notices = g_ptr_array_new ();

  collect_notices (panel, notices);
  for (guint i = 0; i < notices->len; i++)
    {
      GlossMergeNotice *notice = notices->pdata[i];
      const char *k = gloss_merge_notice_get_key (notice);

      if (!gtk_widget_get_visible (GTK_WIDGET (notice)) || gloss_merge_notice_get_text (notice) == NULL)
        continue;
      if (g_strcmp0 (k, key) == 0)
        return notice;
    }
  return NULL;
}

static void
find_buttons (GtkWidget  *widget,
              GPtrArray  *out)
{
  if (GTK_IS_BUTTON (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_buttons (child, out);
}

/* Clicks the notice's button labelled @mnemonic, as a person would. */
static void
click (GlossMergeNotice *notice,
       const char       *mnemonic)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  find_buttons (GTK_WIDGET (notice), buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), mnemonic) == 0)
      {
        g_assert_true (gtk_widget_is_sensitive (buttons->pdata[i]));
        g_signal_emit_by_name (buttons->pdata[i], "clicked");
        return;
      }
  g_error ("No button %s in the notice", mnemonic);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;

  return g_file_get_contents (path, &data, NULL, NULL) && strstr (data, needle) != NULL;
}

static void
test_changed_on_another_machine (void)
{
  g_autofree char *folder = gloss_test_make_dir ("merge-window");
  g_autofree char *clip_dir = g_build_filename (folder, "clips", "c1", NULL);
  g_autofree char *json_path = g_build_filename (clip_dir, "clip.json", NULL);
  /* Bob's machine changed the title and both notes last; Ada's copy came
   * in from Syncthing with her earlier changes of the same. */
  g_autofree char *bob = version ("Bob’s title", "Bob’s note", "Bob’s second note", "2026-01-03T00:00:00Z");
  g_autofree char *ada = version ("Ada’s title", "Ada’s note", "Ada’s second note", "2026-01-02T00:00:00Z");
  g_autoptr(GFile) library_folder = g_file_new_for_path (folder);
  g_autoptr(GlossLibrary) library = gloss_library_new (library_folder);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) lost = NULL;
  GlossWindow *window;
  GlossReaderPane *pane;
  GtkWidget *panel;
  GlossAnnotator *annotator;
  GlossClip *clip;
  GlossMergeNotice *notice;

  gloss_test_write_file (clip_dir, "article.html", HTML);
  gloss_test_write_file (clip_dir, "article.txt", TEXT);
  gloss_test_write_file (clip_dir, "clip.json", bob);
  gloss_test_write_file (clip_dir, "clip.sync-conflict-20260102-000000-ADAADAA.json", ada);

  /* The app's start-up: the copy is merged in the load. */
  gloss_library_set_merging (library, TRUE);
  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_no_error (error);
  clip = gloss_library_lookup (library, "c1");
  g_assert_nonnull (clip);
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "Bob’s title");

  window = gloss_window_new (NULL);
  gloss_window_set_library (window, library, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  pane = gloss_window_get_reader_pane (window);
  annotator = gloss_reader_pane_get_annotator (pane);
  panel = gloss_reader_pane_get_panel (pane);
  gloss_reader_pane_set_show_annotations (pane, TRUE);
  gloss_window_open_clip (window, clip);
  gloss_test_wait_until (gloss_annotator_get_clip (annotator) != NULL &&
                         gloss_annotator_get_painted (annotator), 20000);
  clip = gloss_annotator_get_clip (annotator);

  /* Each text that lost shows where it belongs: the title's above the
   * page note, each note on its highlight's row; not the page note,
   * which was not changed. */
  gloss_test_wait_until (shown_notice (panel, "a1") != NULL && shown_notice (panel, "a2") != NULL, 10000);
  g_assert_cmpstr (gloss_merge_notice_get_text (shown_notice (panel, "a1")), ==, "Ada’s note");
  g_assert_cmpstr (gloss_merge_notice_get_text (shown_notice (panel, "a2")), ==, "Ada’s second note");
  notice = shown_notice (panel, NULL);
  g_assert_nonnull (notice);
  g_assert_cmpstr (gloss_merge_notice_get_text (notice), ==, "Ada’s title");

  /* For a screenshot by hand: GLOSS_TEST_PAUSE=MS keeps the window as it
   * is for that long (the test is run directly, on a display of one's
   * own). */
  if (g_getenv ("GLOSS_TEST_PAUSE") != NULL)
    {
      gint64 until = g_get_monotonic_time () + atoi (g_getenv ("GLOSS_TEST_PAUSE")) * 1000;

      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
    }

  /* Use This Instead: the highlight takes the other note, saved. */
  click (shown_notice (panel, "a1"), "_Use This Instead");
  g_assert_cmpstr (gloss_annotation_get_note (gloss_clip_find_annotation (clip, "a1")), ==, "Ada’s note");
  gloss_test_wait_until (shown_notice (panel, "a1") == NULL, 10000);
  gloss_test_wait_until (file_contains (json_path, "Ada’s note"), 10000);

  /* Dismiss: the row keeps its note, the notice goes. */
  click (shown_notice (panel, "a2"), "_Dismiss");
  gloss_test_wait_until (shown_notice (panel, "a2") == NULL, 10000);
  g_assert_cmpstr (gloss_annotation_get_note (gloss_clip_find_annotation (clip, "a2")), ==, "Bob’s second note");

  /* Use This Title: the clip's title is the other machine's, saved with
   * a later "changed.title" so that it wins the next merge. */
  click (shown_notice (panel, NULL), "_Use This Title");
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "Ada’s title");
  gloss_test_wait_until (shown_notice (panel, NULL) == NULL, 10000);
  gloss_test_wait_until (file_contains (json_path, "\"title\" : \"Ada’s title\"") ||
                         file_contains (json_path, "\"title\": \"Ada’s title\""), 10000);

  /* Nothing is left to say, after a restart too. */
  lost = gloss_merge_lost_lookup (library_folder, "c1", gloss_clip_to_json (clip));
  g_assert_null (lost);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/merge-window/changed-on-another-machine", test_changed_on_another_machine);

  return g_test_run ();
}
