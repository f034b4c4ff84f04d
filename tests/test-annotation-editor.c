/* test-annotation-editor.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Editing annotations with no display (GlossAnnotationEditor) and saving
 * them (GlossClipSaver): targets from the text, checks, undo, one debounced
 * asynchronous write per burst of changes, errors reported, flush, and
 * gloss_clip_anchor_all (). Checks clip.json on disk. */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gloss-annotation-editor.h"
#include "gloss-clip-anchor.h"
#include "gloss-clip-private.h"
#include "gloss-clip-saver.h"
#include "gloss-error.h"
#include "gloss-library.h"
#include "gloss-merge.h"
#include "gloss-test-util.h"

#define TEXT "The first paragraph talks about bread and flour mills in the valley." \
             "The second has emphasis and strong words about yeast." \
             "The third paragraph ends the story quietly."

typedef struct
{
  char                  *folder;
  GlossLibrary          *library;
  GlossClip             *clip;
  GlossAnnotationEditor *editor;
  GPtrArray             *errors;
  GPtrArray             *repainted;
  guint                  reanchored;
} Fixture;

static void
error_cb (GlossAnnotationEditor *editor,
          const char            *message,
          Fixture               *fixture)
{
  g_ptr_array_add (fixture->errors, g_strdup (message));
}

static void
repaint_cb (GlossAnnotationEditor *editor,
            const char            *id,
            Fixture               *fixture)
{
  g_ptr_array_add (fixture->repainted, g_strdup (id));
}

static void
reanchored_cb (GlossAnnotationEditor *editor,
               Fixture               *fixture)
{
  fixture->reanchored++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("editor-library-%u", n++);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;

  fixture->folder = gloss_test_make_dir (name);
  folder = g_file_new_for_path (fixture->folder);
  fixture->library = gloss_library_new (folder);
  g_assert_true (gloss_library_load (fixture->library, NULL, &error));
  g_assert_no_error (error);

  fixture->clip = gloss_clip_new ("https://example.org/story", "A Story");
  g_assert_true (gloss_library_add (fixture->library, fixture->clip, "<p>" TEXT "</p>", TEXT, &error));
  g_assert_no_error (error);

  fixture->errors = g_ptr_array_new_with_free_func (g_free);
  fixture->repainted = g_ptr_array_new_with_free_func (g_free);
  fixture->editor = gloss_annotation_editor_new ();
  gloss_annotation_editor_set_library (fixture->editor, fixture->library);
  g_signal_connect (fixture->editor, "error", G_CALLBACK (error_cb), fixture);
  g_signal_connect (fixture->editor, "repaint", G_CALLBACK (repaint_cb), fixture);
  g_signal_connect (fixture->editor, "reanchored", G_CALLBACK (reanchored_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->editor);
  g_clear_object (&fixture->clip);
  g_clear_object (&fixture->library);
  g_ptr_array_unref (fixture->errors);
  g_ptr_array_unref (fixture->repainted);
  g_free (fixture->folder);
}

static guint
offset_of (const char *text,
           const char *needle)
{
  const char *at = strstr (text, needle);

  g_assert_nonnull (at);
  return g_utf8_pointer_to_offset (text, at);
}

/* clip.json as written. */
static JsonObject *
read_disk (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->folder, "clips", gloss_clip_get_id (fixture->clip),
                                            "clip.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static guint
disk_count (Fixture *fixture)
{
  g_autoptr(JsonObject) root = read_disk (fixture);

  if (!json_object_has_member (root, "annotations"))
    return 0;
  return json_array_get_length (json_object_get_array_member (root, "annotations"));
}

static void
wait_saved (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (gloss_annotation_editor_get_save_pending (fixture->editor))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean disk_has (Fixture    *fixture,
                          const char *id);

static void
test_add (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GlossAnnotation) a = NULL;
  g_autoptr(GError) error = NULL;
  guint start = offset_of (TEXT, "bread and flour");
  guint s, e;

  gloss_annotation_editor_set_clip (fixture->editor, fixture->clip, TEXT, NULL);

  a = gloss_annotation_editor_add (fixture->editor, start, start + 15, GLOSS_COLOR_GREEN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  g_assert_cmpstr (gloss_annotation_get_exact (a), ==, "bread and flour");
  g_assert_cmpstr (gloss_annotation_get_prefix (a), ==, "The first paragraph talks about ");
  g_assert_cmpstr (gloss_annotation_get_suffix (a), ==, " mills in the valley.The second ");
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, start);
  g_assert_true (gloss_annotation_editor_get_range (fixture->editor, gloss_annotation_get_id (a), &s, &e));
  g_assert_cmpuint (s, ==, start);
  g_assert_cmpuint (e, ==, start + 15);
  g_assert_cmpstr (gloss_annotation_editor_find_enclosing (fixture->editor, start + 1, start + 5), ==,
                   gloss_annotation_get_id (a));
  g_assert_null (gloss_annotation_editor_find_enclosing (fixture->editor, start - 1, start + 5));

  /* Saved after a pause, not at once: the main loop never waits. */
  g_assert_true (gloss_annotation_editor_get_save_pending (fixture->editor));
  g_assert_cmpuint (disk_count (fixture), ==, 0);
  wait_saved (fixture);
  g_assert_cmpuint (disk_count (fixture), ==, 1);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  /* What cannot be highlighted. */
  g_assert_null (gloss_annotation_editor_add (fixture->editor, 5, 5, GLOSS_COLOR_YELLOW, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (gloss_annotation_editor_add (fixture->editor, 5, 100000, GLOSS_COLOR_YELLOW, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (gloss_annotation_editor_add (fixture->editor, 5, 6, GLOSS_N_COLORS, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  start = offset_of (TEXT, " talks");
  g_assert_null (gloss_annotation_editor_add (fixture->editor, start, start + 1, GLOSS_COLOR_YELLOW, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
  g_assert_cmpuint (gloss_clip_get_n_annotations (fixture->clip), ==, 1);
}

/* Many changes close together: written together, in one go, with the
 * last state. */
static void
test_burst (Fixture       *fixture,
            gconstpointer  data)
{
  guint start = offset_of (TEXT, "The second");
  g_autoptr(GlossAnnotation) a = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *first;
  const char *id;

  gloss_annotation_editor_set_clip (fixture->editor, fixture->clip, TEXT, NULL);
  a = gloss_annotation_editor_add (fixture->editor, start, start + 10, GLOSS_COLOR_YELLOW, NULL);
  id = gloss_annotation_get_id (a);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *note = g_strdup_printf ("Typed %u", i);

      gloss_annotation_editor_edit_note (fixture->editor, id, note);
    }
  gloss_annotation_editor_set_color (fixture->editor, id, GLOSS_COLOR_BLUE);
  wait_saved (fixture);

  root = read_disk (fixture);
  first = json_array_get_object_element (json_object_get_array_member (root, "annotations"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "note"), ==, "Typed 19");
  g_assert_cmpstr (json_object_get_string_member (first, "color"), ==, "blue");

  /* The note as typed is one undo step; the colour another. */
  g_assert_true (gloss_annotation_editor_undo (fixture->editor));
  g_assert_cmpint (gloss_annotation_get_color (gloss_annotation_editor_lookup (fixture->editor, id)), ==, GLOSS_COLOR_YELLOW);
  g_assert_cmpstr (gloss_annotation_get_note (gloss_annotation_editor_lookup (fixture->editor, id)), ==, "Typed 19");
  g_assert_true (gloss_annotation_editor_undo (fixture->editor));
  g_assert_cmpstr (gloss_annotation_get_note (gloss_annotation_editor_lookup (fixture->editor, id)), ==, "");
  g_assert_true (gloss_annotation_editor_undo (fixture->editor));
  g_assert_null (gloss_annotation_editor_lookup (fixture->editor, id));
  g_assert_false (gloss_annotation_editor_undo (fixture->editor));

  /* flush: on disk when it returns. */
  g_assert_true (gloss_annotation_editor_flush (fixture->editor, NULL));
  g_assert_false (gloss_annotation_editor_get_save_pending (fixture->editor));
  g_assert_cmpuint (disk_count (fixture), ==, 0);
}

static void
test_delete_restore (Fixture       *fixture,
                     gconstpointer  data)
{
  guint start = offset_of (TEXT, "strong words");
  g_autoptr(GlossAnnotation) a = NULL;
  g_autofree char *id = NULL;
  g_autofree char *markdown = NULL;
  g_autofree char *removed = NULL;

  gloss_annotation_editor_set_clip (fixture->editor, fixture->clip, TEXT, NULL);
  a = gloss_annotation_editor_add (fixture->editor, start, start + 12, GLOSS_COLOR_PINK, NULL);
  id = g_strdup (gloss_annotation_get_id (a));
  gloss_annotation_editor_edit_note (fixture->editor, id, "Bold.");
  markdown = gloss_annotation_editor_dup_markdown (fixture->editor, id);
  g_assert_cmpstr (markdown, ==, "> strong words\n\nBold.\n");

  g_ptr_array_set_size (fixture->repainted, 0);
  g_assert_true (gloss_annotation_editor_delete (fixture->editor, id));
  g_assert_cmpuint (fixture->repainted->len, ==, 1);
  g_assert_false (gloss_annotation_editor_get_range (fixture->editor, id, NULL, NULL));
  g_assert_true (gloss_annotation_editor_flush (fixture->editor, NULL));
  g_assert_cmpuint (disk_count (fixture), ==, 0);
  /* FORMAT.md "Several machines": the deletion is recorded, so that a
   * merge with another copy does not bring the highlight back. */
  {
    g_autoptr(JsonObject) root = read_disk (fixture);

    g_assert_true (json_object_has_member (root, "removed"));
    removed = g_strdup (json_object_get_string_member (json_object_get_object_member (root, "removed"), id));
    g_assert_nonnull (removed);
  }

  g_assert_true (gloss_annotation_editor_restore (fixture->editor, a));
  g_assert_false (gloss_annotation_editor_restore (fixture->editor, a));
  g_assert_true (gloss_annotation_editor_get_range (fixture->editor, id, NULL, NULL));
  g_assert_true (gloss_annotation_editor_flush (fixture->editor, NULL));
  g_assert_cmpuint (disk_count (fixture), ==, 1);
  /* Undo: back with a "modified" later than the deletion, which a merge
   * keeps. */
  g_assert_true (disk_has (fixture, id));
  {
    GlossAnnotation *back = gloss_clip_find_annotation (fixture->clip, id);

    g_assert_nonnull (back);
    g_assert_cmpint (gloss_merge_compare_times (gloss_annotation_get_modified (back), removed), >, 0);
  }
}

/* The text shown is not article.txt: a new highlight is stored where its
 * passage is in article.txt. */
static void
test_text_differs (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *shown = "An added line." TEXT;
  guint start = offset_of (shown, "ends the story");
  g_autoptr(GlossAnnotation) a = NULL;
  g_autoptr(GError) error = NULL;

  gloss_annotation_editor_set_clip (fixture->editor, fixture->clip, shown, TEXT);
  a = gloss_annotation_editor_add (fixture->editor, start, start + 14, GLOSS_COLOR_YELLOW, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, offset_of (TEXT, "ends the story"));

  /* Only in the shown text: refused. */
  g_assert_null (gloss_annotation_editor_add (fixture->editor, 0, 14, GLOSS_COLOR_YELLOW, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
}

/* A write that fails is reported, and the change written with the next
 * one once it can be. */
static void
test_save_error (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *clip_folder = g_build_filename (fixture->folder, "clips", gloss_clip_get_id (fixture->clip), NULL);
  g_autofree char *moved = g_strconcat (clip_folder, ".away", NULL);
  g_autoptr(GError) error = NULL;
  guint start = offset_of (TEXT, "quietly");

  gloss_annotation_editor_set_clip (fixture->editor, fixture->clip, TEXT, NULL);
  g_assert_cmpint (g_rename (clip_folder, moved), ==, 0);

  g_assert_nonnull (gloss_annotation_editor_add (fixture->editor, start, start + 7, GLOSS_COLOR_YELLOW, NULL));
  while (fixture->errors->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->errors, 0), "A Story"));

  /* Still pending; flush says so too. */
  g_assert_true (gloss_annotation_editor_get_save_pending (fixture->editor));
  g_assert_false (gloss_annotation_editor_flush (fixture->editor, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_IO);

  g_assert_cmpint (g_rename (moved, clip_folder), ==, 0);
  g_assert_true (gloss_annotation_editor_flush (fixture->editor, NULL));
  g_assert_cmpuint (disk_count (fixture), ==, 1);
}

/* Someone else changes clip.json: anchored again; our own saves are not
 * taken for that. */
static void
test_changed_elsewhere (Fixture       *fixture,
                        gconstpointer  data)
{
  guint start = offset_of (TEXT, "yeast");

  gloss_annotation_editor_set_clip (fixture->editor, fixture->clip, TEXT, NULL);
  g_assert_nonnull (gloss_annotation_editor_add (fixture->editor, start, start + 5, GLOSS_COLOR_YELLOW, NULL));
  wait_saved (fixture);
  g_assert_cmpuint (fixture->reanchored, ==, 0);

  g_signal_emit_by_name (fixture->library, "clip-changed", fixture->clip);
  g_assert_cmpuint (fixture->reanchored, ==, 1);
  g_assert_false (gloss_annotation_editor_can_undo (fixture->editor));
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->folder, "clips", gloss_clip_get_id (fixture->clip), "clip.json", NULL);
  g_autofree char *json = gloss_test_read_file (path);
  g_autoptr(GString) newer = g_string_new (json);
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  GlossClip *clip;

  g_string_replace (newer, "\"format\" : 1", "\"format\" : 99", 1);
  g_assert_true (g_file_set_contents (path, newer->str, -1, NULL));
  g_assert_true (gloss_library_load (library, NULL, NULL));
  clip = gloss_library_lookup (library, gloss_clip_get_id (fixture->clip));
  g_assert_true (gloss_clip_get_read_only (clip));

  gloss_annotation_editor_set_library (fixture->editor, library);
  gloss_annotation_editor_set_clip (fixture->editor, clip, TEXT, NULL);
  g_assert_null (gloss_annotation_editor_add (fixture->editor, 0, 3, GLOSS_COLOR_YELLOW, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY);
  g_assert_false (gloss_annotation_editor_get_save_pending (fixture->editor));
  gloss_annotation_editor_set_clip (fixture->editor, NULL, NULL, NULL);

  {
    g_autofree char *after = gloss_test_read_file (path);

    g_assert_cmpstr (after, ==, newer->str);
  }
}

/* One saver per clip, whoever asks. */
static void
test_one_saver (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GlossClipSaver) a = gloss_clip_saver_get_for_clip (fixture->library, fixture->clip);
  g_autoptr(GlossClipSaver) b = gloss_clip_saver_get_for_clip (fixture->library, fixture->clip);

  g_assert_true (a == b);
  gloss_clip_set_note (fixture->clip, "A page note.");
  gloss_clip_saver_queue (a);
  g_assert_true (gloss_clip_saver_flush (b, NULL));
  {
    g_autoptr(JsonObject) root = read_disk (fixture);

    g_assert_cmpstr (json_object_get_string_member (root, "note"), ==, "A page note.");
  }
}

static gboolean
has_annotation (GlossClip  *clip,
                const char *id)
{
  return gloss_clip_find_annotation (clip, id) != NULL;
}

static gboolean
disk_has (Fixture    *fixture,
          const char *id)
{
  g_autoptr(JsonObject) root = read_disk (fixture);
  JsonArray *array;

  if (!json_object_has_member (root, "annotations"))
    return FALSE;
  array = json_object_get_array_member (root, "annotations");
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (array, i), "id"), id) == 0)
      return TRUE;
  return FALSE;
}

/* Another writer of the clip (a second library over the same folder, as
 * another process has): deletes @remove_id when not NULL, adds a
 * highlight of @quote, saves; returns the new one's id. */
static char *
write_elsewhere (Fixture    *fixture,
                 const char *remove_id,
                 const char *quote)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossAnnotation) added = NULL;
  g_autoptr(GError) error = NULL;
  guint start = offset_of (TEXT, quote);
  GlossClip *clip;

  g_assert_true (gloss_library_load (library, NULL, &error));
  g_assert_no_error (error);
  clip = gloss_library_lookup (library, gloss_clip_get_id (fixture->clip));
  g_assert_nonnull (clip);
  g_assert_true (_gloss_clip_ensure_full (clip, &error));
  g_assert_no_error (error);
  if (remove_id != NULL)
    g_assert_true (gloss_clip_remove_annotation (clip, remove_id));
  added = gloss_annotation_new (quote, "", "", start, start + strlen (quote), GLOSS_COLOR_BLUE);
  g_assert_true (gloss_clip_add_annotation (clip, added));
  g_assert_true (gloss_library_save (library, clip, &error));
  g_assert_no_error (error);

  return g_strdup (gloss_annotation_get_id (added));
}

/* The saver writes through the save path: what another writer saved
 * meanwhile is merged in, on disk and in the clip being edited. */
static void
test_merge_elsewhere (Fixture       *fixture,
                      gconstpointer  data)
{
  guint start = offset_of (TEXT, "yeast");
  g_autoptr(GlossAnnotation) first = NULL;
  g_autoptr(GlossAnnotation) ours = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *first_id = NULL;

  gloss_annotation_editor_set_clip (fixture->editor, fixture->clip, TEXT, NULL);
  first = g_object_ref (gloss_annotation_editor_add (fixture->editor, start, start + 5, GLOSS_COLOR_YELLOW, NULL));
  first_id = g_strdup (gloss_annotation_get_id (first));
  wait_saved (fixture);

  /* There, the first is deleted and another added; here, a third. */
  theirs = write_elsewhere (fixture, first_id, "flour mills");
  start = offset_of (TEXT, "quietly");
  ours = g_object_ref (gloss_annotation_editor_add (fixture->editor, start, start + 7, GLOSS_COLOR_GREEN, NULL));
  g_assert_cmpuint (fixture->reanchored, ==, 0);
  wait_saved (fixture);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
  /* The other writer's highlight is news: anchored (and painted). */
  g_assert_cmpuint (fixture->reanchored, ==, 1);

  g_assert_false (disk_has (fixture, first_id));
  g_assert_true (disk_has (fixture, theirs));
  g_assert_true (disk_has (fixture, gloss_annotation_get_id (ours)));
  g_assert_cmpuint (disk_count (fixture), ==, 2);

  g_assert_false (has_annotation (fixture->clip, first_id));
  g_assert_true (has_annotation (fixture->clip, theirs));
  g_assert_true (has_annotation (fixture->clip, gloss_annotation_get_id (ours)));
  g_assert_cmpuint (gloss_clip_get_n_annotations (fixture->clip), ==, 2);
}

/* The save job's three steps by hand: a change made to the clip while
 * the worker merges and writes is kept, and written by the next save
 * without losing the other writer's. */
static void
test_save_job_during_write (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GlossClipSaveJob) job = NULL;
  g_autoptr(GlossAnnotation) during = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *theirs = NULL;
  guint start;

  g_assert_true (_gloss_clip_ensure_full (fixture->clip, NULL));
  job = gloss_clip_save_job_new (fixture->clip, TRUE, &error);
  g_assert_no_error (error);

  theirs = write_elsewhere (fixture, NULL, "flour mills");

  start = offset_of (TEXT, "quietly");
  during = gloss_annotation_new ("quietly", "", "", start, start + 7, GLOSS_COLOR_GREEN);
  g_assert_true (gloss_clip_add_annotation (fixture->clip, during));

  g_assert_true (gloss_clip_save_job_run (job, &error));
  g_assert_no_error (error);
  g_assert_true (gloss_clip_save_job_get_merged (job));
  g_assert_true (gloss_clip_save_job_apply (fixture->clip, job, &error));
  g_assert_no_error (error);

  g_assert_true (disk_has (fixture, theirs));
  g_assert_false (disk_has (fixture, gloss_annotation_get_id (during)));
  g_assert_true (has_annotation (fixture->clip, theirs));
  g_assert_true (has_annotation (fixture->clip, gloss_annotation_get_id (during)));

  /* The next save: nothing to merge, both written. */
  g_clear_pointer (&job, gloss_clip_save_job_free);
  job = gloss_clip_save_job_new (fixture->clip, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gloss_clip_save_job_run (job, &error));
  g_assert_no_error (error);
  g_assert_false (gloss_clip_save_job_get_merged (job));
  g_assert_true (gloss_clip_save_job_apply (fixture->clip, job, &error));
  g_assert_no_error (error);
  g_assert_true (disk_has (fixture, theirs));
  g_assert_true (disk_has (fixture, gloss_annotation_get_id (during)));
  g_assert_cmpuint (disk_count (fixture), ==, 2);
}

static void
test_anchor_all (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *edited = "Intro. The first paragraph talks about bread and flour mills in the valley."
                       "The third paragraph ends the story quietly.";
  g_autoptr(GlossAnnotation) moved = NULL;
  g_autoptr(GlossAnnotation) gone = NULL;
  g_autoptr(GArray) result = NULL;
  g_autoptr(GlossText) text = NULL;
  guint start = offset_of (TEXT, "bread");
  guint orphans = 0;

  moved = gloss_annotation_new ("bread", "talks about ", " and flour", start, start + 5, GLOSS_COLOR_YELLOW);
  start = offset_of (TEXT, "emphasis");
  gone = gloss_annotation_new ("emphasis and strong", "The second has ", " words about", start, start + 19,
                               GLOSS_COLOR_YELLOW);
  gloss_clip_add_annotation (fixture->clip, moved);
  gloss_clip_add_annotation (fixture->clip, gone);

  /* Only orphan status: nothing in the clip changes. */
  result = gloss_clip_anchor_all (fixture->clip, edited, NULL, GLOSS_CLIP_ANCHOR_ORPHANS_ONLY, &orphans);
  g_assert_cmpuint (result->len, ==, 2);
  g_assert_cmpuint (orphans, ==, 1);
  g_assert_false (gloss_annotation_get_orphan (gone));
  g_clear_pointer (&result, g_array_unref);

  result = gloss_clip_anchor_all (fixture->clip, edited, &text, GLOSS_CLIP_ANCHOR_RETARGET, &orphans);
  g_assert_nonnull (text);
  g_assert_cmpuint (orphans, ==, 1);
  g_assert_true (gloss_annotation_get_orphan (gone));
  g_assert_false (gloss_annotation_get_orphan (moved));
  g_assert_cmpuint (gloss_annotation_get_start (moved), ==, offset_of (edited, "bread"));
  for (guint i = 0; i < result->len; i++)
    {
      const GlossAnchoring *a = &g_array_index (result, GlossAnchoring, i);

      if (a->annotation == moved)
        {
          g_assert_cmpint (a->method, ==, GLOSS_ANCHOR_QUOTE);
          g_assert_cmpuint (a->start, ==, offset_of (edited, "bread"));
        }
      else
        g_assert_cmpint (a->method, ==, GLOSS_ANCHOR_ORPHAN);
    }
}

/* clip.json's bytes as json-glib writes the clip's whole tree: what the
 * save job puts together from the clip's own members and each
 * annotation's frozen text must be the very same bytes. */
static char *
whole_tree_data (GlossClip *clip)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_alloc ();
  g_autofree char *text = NULL;

  json_node_init_object (node, gloss_clip_to_json (clip));
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

static char *
read_disk_data (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->folder, "clips", gloss_clip_get_id (fixture->clip),
                                            "clip.json", NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, NULL, &error);
  g_assert_no_error (error);
  return data;
}

static void
save_by_job (Fixture *fixture)
{
  g_autoptr(GlossClipSaveJob) job = NULL;
  g_autoptr(GError) error = NULL;

  job = gloss_clip_save_job_new (fixture->clip, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gloss_clip_save_job_run (job, &error));
  g_assert_no_error (error);
  g_assert_true (gloss_clip_save_job_apply (fixture->clip, job, &error));
  g_assert_no_error (error);
}

static void
test_snapshot_bytes (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GlossAnnotation) plain = NULL;
  g_autoptr(GlossAnnotation) extra = NULL;
  g_autoptr(JsonNode) member = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *written = NULL;
  guint start = offset_of (TEXT, "bread and flour");

  g_assert_true (_gloss_clip_ensure_full (fixture->clip, NULL));

  /* Unknown members at every level, escapes, non-ASCII text. */
  object = json_object_ref (json_node_get_object (json_from_string (
    "{ \"id\": \"x-1\", \"created\": \"2026-01-02T03:04:05Z\", \"modified\": \"2026-01-02T03:04:05Z\","
    "  \"color\": \"pink\", \"note\": \"Line one\\nline \\\"two\\\" \\\\ tab\\t é 🙂\","
    "  \"tags\": [\"a\", \"b\"], \"x-other\": { \"deep\": [1, { \"deeper\": null }, []], \"empty\": {} },"
    "  \"target\": { \"selector\": [ { \"type\": \"TextQuoteSelector\", \"exact\": \"flour\" },"
    "                               { \"type\": \"TextPositionSelector\", \"start\": 48, \"end\": 53 },"
    "                               { \"type\": \"CssSelector\", \"value\": \"p:nth-child(1)\" } ] } }",
    &error)));
  g_assert_no_error (error);
  extra = gloss_annotation_new_from_json (object, &error);
  g_assert_no_error (error);
  plain = gloss_annotation_new ("bread and flour", "talks about ", " mills", start, start + 15, GLOSS_COLOR_BLUE);
  gloss_annotation_set_note (plain, "A “quoted” note,\nover two lines.");
  g_assert_true (gloss_clip_add_annotation (fixture->clip, plain));
  g_assert_true (gloss_clip_add_annotation (fixture->clip, extra));
  gloss_clip_set_note (fixture->clip, "Page\nnote");
  gloss_clip_add_tag (fixture->clip, "tag");
  member = json_from_string ("{ \"nested\": [ { \"a\": 1 }, [] ], \"s\": \"\\\"annotations\\\" : []\" }", &error);
  g_assert_no_error (error);
  g_assert_true (gloss_clip_set_extra_member (fixture->clip, "x-tool", member));

  save_by_job (fixture);
  written = read_disk_data (fixture);
  expected = whole_tree_data (fixture->clip);
  g_assert_cmpstr (written, ==, expected);
  g_assert_cmpuint (disk_count (fixture), ==, 2);

  /* And by the synchronous path too. */
  gloss_annotation_set_color (plain, GLOSS_COLOR_GREEN);
  g_assert_true (gloss_clip_save (fixture->clip, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&written, g_free);
  g_clear_pointer (&expected, g_free);
  written = read_disk_data (fixture);
  expected = whole_tree_data (fixture->clip);
  g_assert_cmpstr (written, ==, expected);

  /* No annotations left: the member stays, empty. */
  g_assert_true (gloss_clip_remove_annotation (fixture->clip, gloss_annotation_get_id (plain)));
  g_assert_true (gloss_clip_remove_annotation (fixture->clip, gloss_annotation_get_id (extra)));
  save_by_job (fixture);
  g_clear_pointer (&written, g_free);
  g_clear_pointer (&expected, g_free);
  written = read_disk_data (fixture);
  expected = whole_tree_data (fixture->clip);
  g_assert_cmpstr (written, ==, expected);
  g_assert_nonnull (strstr (written, "\n  \"annotations\" : [],\n"));
  g_assert_cmpuint (disk_count (fixture), ==, 0);
}

/* An annotation's frozen text is made once and shared until it changes;
 * a save job holds the text of the moment it was made, whatever happens
 * to the annotation while the worker writes. */
static void
test_snapshot_frozen (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GlossAnnotation) a = NULL;
  g_autoptr(GlossClipSaveJob) job = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) changed = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  guint start = offset_of (TEXT, "yeast");
  JsonObject *on_disk;

  g_assert_true (_gloss_clip_ensure_full (fixture->clip, NULL));
  a = gloss_annotation_new ("yeast", "words about ", ".", start, start + 5, GLOSS_COLOR_YELLOW);
  g_assert_true (gloss_clip_add_annotation (fixture->clip, a));

  first = gloss_annotation_freeze (a);
  again = gloss_annotation_freeze (a);
  g_assert_true (first == again);
  gloss_annotation_set_orphan (a, TRUE);   /* never written */
  g_clear_pointer (&again, g_bytes_unref);
  again = gloss_annotation_freeze (a);
  g_assert_true (first == again);

  job = gloss_clip_save_job_new (fixture->clip, TRUE, &error);
  g_assert_no_error (error);

  /* Changed while the job is on its way. */
  gloss_annotation_set_note (a, "Written next time");
  changed = gloss_annotation_freeze (a);
  g_assert_false (g_bytes_equal (first, changed));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (changed, NULL), g_bytes_get_size (changed),
                                  "\"Written next time\""));

  g_assert_true (gloss_clip_save_job_run (job, &error));
  g_assert_no_error (error);
  g_assert_true (gloss_clip_save_job_apply (fixture->clip, job, &error));
  g_assert_no_error (error);
  root = read_disk (fixture);
  on_disk = json_array_get_object_element (json_object_get_array_member (root, "annotations"), 0);
  g_assert_cmpstr (json_object_get_string_member (on_disk, "note"), ==, "");
  g_assert_cmpstr (gloss_annotation_get_note (a), ==, "Written next time");

  save_by_job (fixture);
  g_clear_pointer (&root, json_object_unref);
  root = read_disk (fixture);
  on_disk = json_array_get_object_element (json_object_get_array_member (root, "annotations"), 0);
  g_assert_cmpstr (json_object_get_string_member (on_disk, "note"), ==, "Written next time");

  /* Each kind of change makes new text. */
  g_clear_pointer (&first, g_bytes_unref);
  first = gloss_annotation_freeze (a);
  gloss_annotation_set_color (a, GLOSS_COLOR_PURPLE);
  g_clear_pointer (&again, g_bytes_unref);
  again = gloss_annotation_freeze (a);
  g_assert_false (first == again);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (again, NULL), -1, "\"purple\""));
  gloss_annotation_set_target (a, "yeast.", "words about ", "", start, start + 6);
  g_clear_pointer (&first, g_bytes_unref);
  first = gloss_annotation_freeze (a);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (first, NULL), -1, "\"yeast.\""));
  gloss_annotation_set_modified (a, "2030-01-01T00:00:00Z");
  g_clear_pointer (&again, g_bytes_unref);
  again = gloss_annotation_freeze (a);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (again, NULL), -1, "\"2030-01-01T00:00:00Z\""));
}

/* Finding an annotation by id (every edit does) is a look-up, kept right
 * through every way the list changes. */
static void
test_find_by_id (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GlossClip) other = NULL;
  g_autoptr(GlossAnnotation) again = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *list;

  g_assert_true (_gloss_clip_ensure_full (fixture->clip, NULL));
  for (guint i = 0; i < 40; i++)
    {
      guint start = (i * 7) % 100;
      g_autoptr(GlossAnnotation) a = gloss_annotation_new ("x", "", "", start, start + 1, GLOSS_COLOR_YELLOW);

      g_assert_true (gloss_clip_add_annotation (fixture->clip, a));
      g_ptr_array_add (ids, g_strdup (gloss_annotation_get_id (a)));
      /* Looked up between additions: the index is made, then kept. */
      g_assert_true (gloss_clip_find_annotation (fixture->clip, ids->pdata[i / 2]) != NULL);
    }
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (gloss_annotation_get_id (gloss_clip_find_annotation (fixture->clip, ids->pdata[i])), ==,
                     ids->pdata[i]);
  g_assert_null (gloss_clip_find_annotation (fixture->clip, "no-such-id"));

  /* The same id again is refused. */
  again = gloss_annotation_copy (gloss_clip_find_annotation (fixture->clip, ids->pdata[3]));
  g_assert_false (gloss_clip_add_annotation (fixture->clip, again));

  /* Removed, sorted, replaced as a whole. */
  g_assert_true (gloss_clip_remove_annotation (fixture->clip, ids->pdata[0]));
  g_assert_null (gloss_clip_find_annotation (fixture->clip, ids->pdata[0]));
  g_assert_false (gloss_clip_remove_annotation (fixture->clip, ids->pdata[0]));
  gloss_clip_sort_annotations (fixture->clip);
  g_assert_nonnull (gloss_clip_find_annotation (fixture->clip, ids->pdata[1]));

  g_assert_true (gloss_clip_save (fixture->clip, TRUE, &error));
  g_assert_no_error (error);
  other = gloss_clip_load (gloss_clip_get_folder (fixture->clip), &error);
  g_assert_no_error (error);
  g_assert_true (gloss_clip_remove_annotation (other, ids->pdata[1]));
  gloss_clip_update_from (fixture->clip, other);
  g_assert_null (gloss_clip_find_annotation (fixture->clip, ids->pdata[1]));
  list = gloss_clip_get_annotations (fixture->clip);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, ids->len - 2);
  for (guint i = 2; i < ids->len; i++)
    {
      g_autoptr(GlossAnnotation) found = NULL;
      guint position;

      g_assert_nonnull (gloss_clip_find_annotation (fixture->clip, ids->pdata[i]));
      g_assert_true (g_list_store_find (G_LIST_STORE (list), gloss_clip_find_annotation (fixture->clip, ids->pdata[i]),
                                        &position));
      found = g_list_model_get_item (list, position);
      g_assert_cmpstr (gloss_annotation_get_id (found), ==, ids->pdata[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/annotation-editor/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("add", test_add);
  ADD ("burst", test_burst);
  ADD ("delete-restore", test_delete_restore);
  ADD ("text-differs", test_text_differs);
  ADD ("save-error", test_save_error);
  ADD ("changed-elsewhere", test_changed_elsewhere);
  ADD ("read-only", test_read_only);
  ADD ("one-saver", test_one_saver);
  ADD ("anchor-all", test_anchor_all);
  ADD ("merge-elsewhere", test_merge_elsewhere);
  ADD ("save-job-during-write", test_save_job_during_write);
  ADD ("snapshot-bytes", test_snapshot_bytes);
  ADD ("snapshot-frozen", test_snapshot_frozen);
  ADD ("find-by-id", test_find_by_id);
#undef ADD

  return g_test_run ();
}
