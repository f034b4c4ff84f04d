/* test-cli-search.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `gloss --search`: exit statuses, the text and JSON output. */

#include "config.h"

#include <string.h>

#include "gloss-cli.h"
#include "gloss-cli-search.h"
#include "gloss-index.h"
#include "gloss-test-clips.h"

static const TestClip clips[] = {
  {
    .id = "one",
    .title = "Zebra migration",
    .url = "https://example.org/zebra",
    .created = "2025-05-02T10:00:00Z",
    .site_name = "Example",
    .annotations = { { "h1", 2, "the zebra herd", "stripes\nmatter", 3 } },
    .text = "Follow the zebra herd across the plains for many weeks.",
  },
  {
    .id = "two",
    .title = "Horses",
    .url = "https://example.org/horses",
    .created = "2024-01-01T00:00:00Z",
    .text = "A zebra is not a horse, though it looks like one.",
  },
};

static GFile *folder;

static int
run (const char *query,
     gboolean    json,
     int         limit,
     char      **out,
     char      **err)
{
  g_autoptr(GString) o = g_string_new (NULL);
  g_autoptr(GString) e = g_string_new (NULL);
  int status = gloss_cli_search (folder, query, json, limit, o, e);

  *out = g_string_free (g_steal_pointer (&o), FALSE);
  *err = g_string_free (g_steal_pointer (&e), FALSE);
  return status;
}

static void
test_text (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run ("zebra", FALSE, 0, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, "Zebra migration\n  2025-05-02  https://example.org/zebra\n"));
  g_assert_nonnull (strstr (out, "**zebra**"));
  g_assert_nonnull (strstr (out, "  > “the **zebra** herd” — stripes matter\n"));
  g_assert_nonnull (strstr (out, "\nHorses\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run ("zebra", FALSE, 1, &out, &err), ==, 0);
  g_assert_null (strstr (out, "Horses"));
}

static void
test_json (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *first;
  JsonObject *annotation;

  g_assert_cmpint (run ("zebra", TRUE, 0, &out, &err), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "one");
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, "Zebra migration");
  g_assert_cmpstr (json_object_get_string_member (first, "url"), ==, "https://example.org/zebra");
  g_assert_cmpstr (json_object_get_string_member (first, "created"), ==, "2025-05-02T10:00:00Z");
  g_assert_cmpfloat (json_object_get_double_member (first, "score"), >, 0);
  g_assert_nonnull (strstr (json_object_get_string_member (first, "snippet"), "zebra herd"));
  g_assert_nonnull (strstr (json_object_get_string_member (first, "snippet_markup"), "<b>zebra</b>"));
  annotation = json_array_get_object_element (json_object_get_array_member (first, "annotations"), 0);
  g_assert_cmpstr (json_object_get_string_member (annotation, "id"), ==, "h1");
  g_assert_cmpstr (json_object_get_string_member (annotation, "color"), ==, "blue");
  g_assert_cmpstr (json_object_get_string_member (annotation, "quote"), ==, "the zebra herd");
  g_assert_cmpstr (json_object_get_string_member (annotation, "note"), ==, "stripes\nmatter");
}

static void
test_status (void)
{
  static const char * const fine[] = { "\"", "NEAR(", "*", "AND AND", "-", "((" };
  g_autofree char *paste = g_strnfill (10000, 'x');
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/library");

  for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = run (fine[i], FALSE, 0, &out, &err);

      /* Results, or none (said in one line): never an error. */
      g_assert_true (status == 0 || status == 1);
      if (status == 0)
        g_assert_cmpstr (err, ==, "");
      else
        g_assert_true (g_str_has_prefix (err, "No clip matches “"));
    }

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run ("okapi", FALSE, 0, &out, &err), ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run ("okapi", TRUE, 0, &out, &err), ==, 1);
    g_assert_cmpstr (out, ==, "[]\n");
  }

  {
    static const char * const bad[] = { "col:", "color:orange", "before:someday", "has:", "sort:random" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;

        g_assert_cmpint (run (bad[i], FALSE, 0, &out, &err), ==, 2);
        g_assert_cmpstr (out, ==, "");
        g_assert_true (g_str_has_prefix (err, "Bad search: "));
        g_assert_true (g_str_has_suffix (err, "\n"));
        g_assert_null (strchr (err, '\n') + 1 == err + strlen (err) ? NULL : "two lines");
      }
  }

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run (paste, FALSE, 0, &out, &err), ==, 2);
  }

  {
    g_autoptr(GString) o = g_string_new (NULL);
    g_autoptr(GString) e = g_string_new (NULL);

    g_assert_cmpint (gloss_cli_search (missing, "zebra", FALSE, 0, o, e), ==, 1);
    g_assert_nonnull (strstr (e->str, "There is no library"));
  }
}

static gboolean
index_finds (GlossIndex *index,
             const char *query)
{
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  results = gloss_index_search (index, query, 0, NULL, &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (results) > 0;
}

/* A write into article.txt in place (no rename: `cat > article.txt`)
 * changes no folder. The thorough check of the app's start-up compares
 * the files too and sees it; the quick one of --search looks at the
 * folders only. Settled stamps (GLOSS_INDEX_RACY_SECONDS=0), so that the
 * file-by-file look at folders changed a moment ago plays no part. */
static void
test_written_in_place (void)
{
  g_autofree char *path = gloss_test_make_dir ("in-place");
  g_autofree char *dir = g_build_filename (path, "clips", "okapi", NULL);
  g_autofree char *text = g_build_filename (dir, "article.txt", NULL);
  g_autoptr(GFile) library = g_file_new_for_path (path);
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GError) error = NULL;
  TestClip clip = { .id = "okapi", .title = "Okapi", .text = "A forest giraffe." };
  const char *edited = "A striped giraffe of the forest.";

  g_setenv ("GLOSS_INDEX_RACY_SECONDS", "0", TRUE);
  test_write_clip (path, &clip);
  index = gloss_index_new (library);
  gloss_index_sync (index, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (index_finds (index, "forest"));
  g_assert_false (index_finds (index, "striped"));

  gloss_test_write_in_place (text, edited);

  gloss_index_set_thorough_sync (index, TRUE);
  gloss_index_sync (index, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (index_finds (index, "striped"));

  g_unsetenv ("GLOSS_INDEX_RACY_SECONDS");
}

/* Text from web pages on one line of a terminal, whatever it holds. */
static void
test_one_line (void)
{
  static const struct
  {
    const char *text;
    gboolean    keep_marks;
    const char *expected;
  } cases[] = {
    { "plain", FALSE, "plain" },
    { NULL, FALSE, "" },
    { "two\r\nlines\n\n\tand a tab", FALSE, "two lines and a tab" },
    { "sep\u2028ara\u2029tors", FALSE, "sep ara tors" },
    { "bell\a\aand escape\x1b[31m", FALSE, "bell and escape [31m" },
    { "bad \xff byte", FALSE, "bad \uFFFD byte" },
    /* Match marks stay only where the caller replaces them. */
    { "a \x02match\x03 here", TRUE, "a \x02match\x03 here" },
    { "a\x02match\x03here", FALSE, "a match here" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = gloss_cli_one_line (cases[i].text, cases[i].keep_marks);

      g_assert_cmpstr (line, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  const char *library;

  gloss_test_init (&argc, &argv);
  library = g_getenv ("GLOSS_LIBRARY");
  for (guint i = 0; i < G_N_ELEMENTS (clips); i++)
    test_write_clip (library, &clips[i]);
  folder = g_file_new_for_path (library);

  g_test_add_func ("/cli-search/one-line", test_one_line);
  g_test_add_func ("/cli-search/text", test_text);
  g_test_add_func ("/cli-search/json", test_json);
  g_test_add_func ("/cli-search/status", test_status);
  g_test_add_func ("/cli-search/written-in-place", test_written_in_place);

  return g_test_run ();
}
