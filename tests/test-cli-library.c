/* test-cli-library.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `gloss --list` and `gloss --verify`: what they report, their exit
 * status, and that they never write a byte into the library. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "gloss-cli-library.h"
#include "gloss-cli-merge.h"
#include "gloss-test-util.h"

#define GOOD_ID "good"

static const char *article = "The minister told reporters that the US “will not be the mediators” going forward. 😀 Fin.";

static char *
annotation_json (const char *id,
                 const char *exact,
                 guint       start,
                 guint       end)
{
  return g_strdup_printf ("{ \"id\": \"%s\", \"created\": \"2026-01-01T00:00:00Z\", "
                          "\"modified\": \"2026-01-01T00:00:00Z\", \"color\": \"blue\", \"note\": \"\", "
                          "\"target\": { \"selector\": [ { \"type\": \"TextQuoteSelector\", \"exact\": \"%s\" }, "
                          "{ \"type\": \"TextPositionSelector\", \"start\": %u, \"end\": %u } ] } }",
                          id, exact, start, end);
}

static void
write_clip (const char *library,
            const char *id,
            const char *title,
            const char *annotations)
{
  g_autofree char *folder = g_build_filename (library, "clips", id, NULL);
  g_autofree char *json = g_strdup_printf ("{ \"format\": 1, \"id\": \"%s\", \"url\": \"https://example.org/%s\", "
                                           "\"title\": \"%s\", \"site_name\": \"Example\", "
                                           "\"created\": \"2026-01-0%uT00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", "
                                           "\"tags\": [\"a\"], \"annotations\": [ %s ] }",
                                           id, id, title, (guint) (strlen (id) % 9) + 1,
                                           annotations ? annotations : "");

  g_autofree char *html = g_strdup_printf ("<p>%s</p>\n", article);

  gloss_test_write_file (folder, "article.html", html);
  gloss_test_write_file (folder, "article.txt", article);
  gloss_test_write_file (folder, "clip.json", json);
}

static char *
make_good_library (const char *name)
{
  char *path = gloss_test_make_dir (name);
  g_autofree char *a1 = annotation_json ("a1", "will not be the mediators", 41, 66);

  write_clip (path, GOOD_ID, "Good “clip”\\twith a tab", a1);
  write_clip (path, "plain", "Plain", NULL);
  return path;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every path under @root with its bytes and modification time. */
static void
tree_snapshot (const char *root,
               GString    *out)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  GStatBuf st;

  g_assert_cmpint (g_lstat (root, &st), ==, 0);
  g_string_append_printf (out, "%s %ld.%09ld %o\n", root, (long) st.st_mtim.tv_sec,
                          (long) st.st_mtim.tv_nsec, st.st_mode);
  if (dir == NULL)
    {
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_get_contents (root, &contents, &len, NULL))
        g_string_append_len (out, contents, len);
      return;
    }

  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (root, names->pdata[i], NULL);
      tree_snapshot (child, out);
    }
}

static void
test_list (void)
{
  g_autofree char *path = make_good_library ("list");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = g_build_filename (path, "clips", "broken", NULL);
  g_auto(GStrv) lines = NULL;
  JsonArray *array;

  gloss_test_write_file (broken, "clip.json", "{ \"format\": 1");

  g_assert_cmpint (gloss_cli_list (folder, FALSE, out, err), ==, 0);
  g_assert_cmpstr (err->str, ==, "");
  lines = g_strsplit (out->str, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  /* Newest first; the tab in the title does not break the line. */
  g_assert_cmpstr (lines[0], ==, "2026-01-06  Plain — Example  (0 highlights)");
  g_assert_cmpstr (lines[1], ==, "2026-01-05  Good “clip” with a tab — Example  (1 highlight)");
  g_assert_true (g_str_has_prefix (lines[2], "damaged     broken: clip.json is not valid JSON"));

  g_string_truncate (out, 0);
  g_assert_cmpint (gloss_cli_list (folder, TRUE, out, err), ==, 0);
  json_parser_load_from_data (parser, out->str, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  {
    JsonObject *o = json_array_get_object_element (array, 1);

    g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, GOOD_ID);
    g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, "Good “clip”\twith a tab");
    g_assert_cmpstr (json_object_get_string_member (o, "url"), ==, "https://example.org/good");
    g_assert_cmpstr (json_object_get_string_member (o, "site_name"), ==, "Example");
    g_assert_cmpstr (json_object_get_string_member (o, "created"), ==, "2026-01-05T00:00:00Z");
    g_assert_cmpint (json_object_get_int_member (o, "highlights"), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "tags"), 0), ==, "a");
    g_assert_false (json_object_has_member (o, "damaged"));

    o = json_array_get_object_element (array, 2);
    g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, "broken");
    g_assert_nonnull (strstr (json_object_get_string_member (o, "damaged"), "not valid JSON"));
  }
}

static void
test_verify_clean (void)
{
  g_autofree char *path = make_good_library ("clean");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);

  g_assert_cmpint (gloss_cli_verify (folder, out, err), ==, 0);
  g_test_message ("%s", out->str);
  g_assert_nonnull (strstr (out->str, "Checked 2 clip folders and 1 annotation: 1 at its position"));
  g_assert_nonnull (strstr (out->str, "All is well."));
  g_assert_cmpstr (err->str, ==, "");
}

static void
test_verify_problems (void)
{
  g_autofree char *path = make_good_library ("problems");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  g_autofree char *clips = g_build_filename (path, "clips", NULL);
  g_autofree char *good = g_build_filename (clips, GOOD_ID, NULL);
  g_autofree char *no_text = g_build_filename (clips, "no-text", NULL);
  g_autofree char *bad_text = g_build_filename (clips, "bad-text", NULL);
  g_autofree char *unfinished = g_build_filename (clips, "unfinished", NULL);
  g_autofree char *bad_name = g_build_filename (clips, "Bad..Name", NULL);
  g_autofree char *newer = g_build_filename (clips, "newer", NULL);
  g_autofree char *damaged = g_build_filename (clips, "damaged", NULL);
  g_autofree char *stversions = g_build_filename (clips, ".stversions", NULL);
  g_autofree char *orphan = annotation_json ("o1", "cheese and wine", 3, 18);
  g_autofree char *moved = annotation_json ("m1", "will not be the mediators", 10, 35);
  g_autofree char *fuzzy = annotation_json ("f1", "will nut be the mediatars", 41, 66);
  g_autofree char *anns = g_strjoin (", ", moved, fuzzy, orphan, NULL);

  write_clip (path, "anchors", "Anchors", anns);
  gloss_test_write_file (good, "clip.sync-conflict-20260101-120000-ABCDEFG.json", "{}");
  write_clip (path, "no-text", "No text", NULL);
  {
    g_autofree char *p = g_build_filename (no_text, "article.txt", NULL);
    g_unlink (p);
  }
  write_clip (path, "bad-text", "Bad text", NULL);
  {
    g_autofree char *p = g_build_filename (bad_text, "article.txt", NULL);
    g_assert_true (g_file_set_contents (p, "ok \xff\xfe not", -1, NULL));
  }
  gloss_test_write_file (unfinished, "article.txt", "half");
  write_clip (path, "cut", "Cut", NULL);
  {
    g_autofree char *cut = g_build_filename (clips, "cut", NULL);
    gloss_test_write_file (cut, "article.txt", "The minister told");
  }
  gloss_test_write_file (bad_name, "clip.json", "{}");
  gloss_test_write_file (newer, "clip.json",
                         "{ \"format\": 2, \"id\": \"newer\", \"url\": \"u\", \"title\": \"t\", "
                         "\"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }");
  gloss_test_write_file (damaged, "clip.json", "{ \"format\": 1, \"id\": \"damaged\", \"url\": 3 }");
  gloss_test_write_file (stversions, "old", "left alone");

  tree_snapshot (path, before);
  g_assert_cmpint (gloss_cli_verify (folder, out, err), ==, 1);
  tree_snapshot (path, after);
  g_assert_true (g_str_equal (before->str, after->str));

  g_test_message ("%s", out->str);
  g_assert_nonnull (strstr (out->str, "! clips/good: sync conflict copy clip.sync-conflict-20260101-120000-ABCDEFG.json"));
  g_assert_nonnull (strstr (out->str, "! clips/no-text: article.txt is missing"));
  g_assert_nonnull (strstr (out->str, "! clips/bad-text: article.txt is not valid UTF-8"));
  g_assert_nonnull (strstr (out->str, "! clips/unfinished: unfinished clip"));
  g_assert_nonnull (strstr (out->str, "! clips/Bad..Name: the folder name is not a valid clip id"));
  g_assert_nonnull (strstr (out->str, "  clips/newer: written by a newer Gloss (format 2)"));
  g_assert_nonnull (strstr (out->str, "! clips/damaged: damaged: “url” in clip.json is an integer, not a string"));
  g_assert_nonnull (strstr (out->str, "  clips/anchors: annotation m1 anchors by its quote at 41–66"));
  g_assert_nonnull (strstr (out->str, "  clips/anchors: annotation f1 anchors only approximately at 41–66"));
  g_assert_nonnull (strstr (out->str, "! clips/anchors: annotation o1 is an orphan"));
  g_assert_null (strstr (out->str, "stversions"));
  g_assert_nonnull (strstr (out->str, "  clips/cut: article.txt differs from the text of article.html from character 17 on (article.txt is shorter: cut off?)"));
  /* Consistent clips get no such note. */
  g_assert_null (strstr (out->str, "clips/good: article.txt differs"));
  g_assert_nonnull (strstr (out->str, "clip folders and 4 annotations: 1 at its position"));
  g_assert_nonnull (strstr (out->str, "1 by quote, 1 approximately, 1 orphan."));
  g_assert_nonnull (strstr (out->str, "7 problems need attention"));
}

static void
test_never_writes (void)
{
  g_autofree char *path = gloss_test_make_dir ("never-writes");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  const char *build_dir = g_getenv ("GLOSS_BUILD_DIR");
  g_autofree char *gen = g_build_filename (build_dir ? build_dir : ".", "tests", "gloss-gen-library", NULL);
  const char *argv[] = { gen, path, "60", "--seed", "3", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  /* An empty library folder: nothing is created in it. */
  tree_snapshot (path, before);
  g_assert_cmpint (gloss_cli_list (folder, FALSE, out, err), ==, 0);
  g_assert_cmpint (gloss_cli_verify (folder, out, err), ==, 0);
  tree_snapshot (path, after);
  g_assert_true (g_str_equal (before->str, after->str));

  /* A generated library: all well, all at their position, untouched. */
  if (!g_file_test (gen, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("gloss-gen-library not found: run under meson test");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_string_truncate (before, 0);
  g_string_truncate (after, 0);
  g_string_truncate (out, 0);
  tree_snapshot (path, before);
  g_assert_cmpint (gloss_cli_list (folder, TRUE, out, err), ==, 0);
  g_string_truncate (out, 0);
  g_assert_cmpint (gloss_cli_verify (folder, out, err), ==, 0);
  tree_snapshot (path, after);
  g_assert_true (g_str_equal (before->str, after->str));
  g_assert_nonnull (strstr (out->str, "Checked 60 clip folders"));
  g_assert_nonnull (strstr (out->str, "0 by quote, 0 approximately, 0 orphans"));
}

static void
test_missing_library (void)
{
  g_autofree char *path = g_build_filename (gloss_test_get_root (), "nowhere", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);

  g_assert_cmpint (gloss_cli_list (folder, FALSE, out, err), ==, 1);
  g_assert_nonnull (strstr (err->str, "There is no library at"));
  /* One line. */
  g_assert_cmpuint (strchr (err->str, '\n') - err->str, ==, strlen (err->str) - 1);
  g_string_truncate (err, 0);
  g_assert_cmpint (gloss_cli_verify (folder, out, err), ==, 1);
  g_assert_nonnull (strstr (err->str, "There is no library at"));
  g_string_truncate (err, 0);
  g_assert_cmpint (gloss_cli_merge_conflicts (folder, out, err), ==, 1);
  g_assert_nonnull (strstr (err->str, "There is no library at"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* A file where the library should be: every command says the same. */
  g_assert_true (g_file_set_contents (path, "not a library", -1, NULL));
  g_string_truncate (err, 0);
  g_assert_cmpint (gloss_cli_list (folder, FALSE, out, err), ==, 1);
  g_assert_nonnull (strstr (err->str, "is not a folder"));
  g_string_truncate (err, 0);
  g_assert_cmpint (gloss_cli_merge_conflicts (folder, out, err), ==, 1);
  g_assert_nonnull (strstr (err->str, "is not a folder"));
  g_assert_cmpint (g_remove (path), ==, 0);
}

/* FORMAT.md: a clip with neither article file is not clipped yet, which
 * is a state, not damage: --verify says so and is content. */
static void
test_verify_not_clipped_yet (void)
{
  g_autofree char *path = make_good_library ("pending");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autofree char *pending = g_build_filename (path, "clips", "pending", NULL);
  g_autofree char *quote = annotation_json ("q1", "imported words", 120, 134);

  write_clip (path, "pending", "Pending", quote);
  {
    g_autofree char *html = g_build_filename (pending, "article.html", NULL);
    g_autofree char *text = g_build_filename (pending, "article.txt", NULL);
    g_unlink (html);
    g_unlink (text);
  }

  g_assert_cmpint (gloss_cli_verify (folder, out, err), ==, 0);
  g_test_message ("%s", out->str);
  g_assert_nonnull (strstr (out->str, "  clips/pending: not clipped yet: its 1 annotation will be anchored when the page is clipped"));
  g_assert_null (strstr (out->str, "is missing"));
  g_assert_nonnull (strstr (out->str, "All is well."));
}

int
main (int    argc,
      char **argv)
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/cli/list", test_list);
  g_test_add_func ("/cli/verify-clean", test_verify_clean);
  g_test_add_func ("/cli/verify-problems", test_verify_problems);
  g_test_add_func ("/cli/verify-not-clipped-yet", test_verify_not_clipped_yet);
  g_test_add_func ("/cli/never-writes", test_never_writes);
  g_test_add_func ("/cli/missing-library", test_missing_library);

  return g_test_run ();
}
