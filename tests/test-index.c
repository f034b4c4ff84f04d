/* test-index.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The search index against clip folders written straight to disk: every
 * operator on real data, ranking, diacritics, snippets and matching
 * highlights, keeping in step with changes, and rebuilding a missing,
 * stale or corrupt index file. */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-index.h"
#include "gloss-test-clips.h"

static const TestClip clips[] = {
  {
    .id = "peace",
    .title = "US stepping back from peace talks role",
    .url = "https://www.example.org/2025/05/02/peace-talks",
    .created = "2025-05-02T10:00:00Z",
    .site_name = "Example News",
    .byline = "Wgon Reporter",
    .note = "Page note about **diplomacy**.",
    .tags = { "Ukraine", "diplomacy", "Foreign Policy" },
    .annotations = {
      { "a1", 0, "will not be the mediators", "Why now? Compare with the minerals deal.", 40 },
      { "a2", 2, "reflecting frustration", "", 90 },
    },
    .text = "The US told reporters that the US will not be the mediators going forward, "
            "reflecting frustration with slow progress. Officials described a résumé of "
            "the negotiations so far.",
  },
  {
    .id = "zebra-title",
    .title = "Zebra migration across the plains",
    .url = "https://news.nature.example.com/zebra",
    .created = "2024-03-01T00:00:00Z",
    .site_name = "Nature Example",
    .text = "Herds move every year in search of grass and water. The journey is long.",
  },
  {
    .id = "zebra-body",
    .title = "Wildlife of the savanna",
    .url = "https://blog.example.net/savanna",
    .created = "2025-12-24T00:00:00Z",
    .text = "Lions, elephants, giraffes and many other animals live here. Among them a "
            "single zebra was seen near the river, but most of this text is about other "
            "things entirely: the weather, the roads, the lodges and the food. Cooking "
            "over an open fire is a tradition. The night sky is full of stars.",
  },
  {
    .id = "cooking",
    .title = "Cooking with fire",
    .url = "https://cooking.example.org/fire",
    .created = "2023-07-15T12:00:00Z",
    .site_name = "Cooks",
    .tags = { "food" },
    .annotations = {
      { "c1", 1, "open fire", "try this at the cabin", 0 },
    },
    .text = "open fire cooking needs patience; diplomats rarely cook",
  },
};

static char *library;

static GlossIndex *
new_synced_index (void)
{
  g_autoptr(GFile) folder = g_file_new_for_path (library);
  g_autoptr(GError) error = NULL;
  GlossIndex *index = gloss_index_new (folder);

  gloss_index_sync (index, NULL, &error);
  g_assert_no_error (error);
  return index;
}

static GListModel *
search (GlossIndex *index,
        const char *query)
{
  g_autoptr(GError) error = NULL;
  GListModel *results = gloss_index_search (index, query, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

/* The ids found, in order, joined with spaces. */
static char *
search_ids (GlossIndex *index,
            const char *query)
{
  g_autoptr(GListModel) results = search (index, query);
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(GlossSearchResult) result = g_list_model_get_item (results, i);

      if (i > 0)
        g_string_append_c (ids, ' ');
      g_string_append (ids, gloss_search_result_get_clip_id (result));
    }
  return g_string_free (ids, FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Same set, any order. */
static void
assert_finds (GlossIndex *index,
              const char *query,
              const char *expected)
{
  g_autofree char *found = search_ids (index, query);
  g_auto(GStrv) a = g_strsplit (found, " ", -1);
  g_auto(GStrv) b = g_strsplit (expected, " ", -1);
  g_autoptr(GPtrArray) sa = g_ptr_array_new ();
  g_autoptr(GPtrArray) sb = g_ptr_array_new ();
  g_autofree char *ja = NULL;
  g_autofree char *jb = NULL;

  for (guint i = 0; a[i] && *a[i]; i++)
    g_ptr_array_add (sa, a[i]);
  for (guint i = 0; b[i] && *b[i]; i++)
    g_ptr_array_add (sb, b[i]);
  g_ptr_array_sort (sa, compare_strings);
  g_ptr_array_sort (sb, compare_strings);
  g_ptr_array_add (sa, NULL);
  g_ptr_array_add (sb, NULL);
  ja = g_strjoinv (" ", (char **) sa->pdata);
  jb = g_strjoinv (" ", (char **) sb->pdata);
  if (g_strcmp0 (ja, jb) != 0)
    g_error ("“%s” found [%s], expected [%s]", query, ja, jb);
}

static void
write_all (void)
{
  g_autofree char *clips_dir = g_build_filename (library, "clips", NULL);

  gloss_test_remove_tree (clips_dir);
  for (guint i = 0; i < G_N_ELEMENTS (clips); i++)
    test_write_clip (library, &clips[i]);
}

static void
test_operators (void)
{
  g_autoptr(GlossIndex) index = NULL;
  g_autofree char *ordered = NULL;

  write_all ();
  index = new_synced_index ();

  assert_finds (index, "zebra", "zebra-title zebra-body");
  assert_finds (index, "peace talks", "peace");
  assert_finds (index, "\"will not be the mediators\"", "peace");
  assert_finds (index, "\"mediators will\"", "");
  assert_finds (index, "zebra -lions", "zebra-title");
  assert_finds (index, "zebra -\"single zebra\"", "zebra-title");
  assert_finds (index, "-zebra", "peace cooking");
  assert_finds (index, "NOT zebra", "peace cooking");
  assert_finds (index, "giraffes OR minerals", "zebra-body peace");
  assert_finds (index, "fire giraffes OR minerals", "zebra-body");
  assert_finds (index, "diplom*", "peace cooking");
  assert_finds (index, "di*", "peace cooking");
  assert_finds (index, "title:zebra", "zebra-title");
  assert_finds (index, "title:fire", "cooking");
  assert_finds (index, "note:cabin", "cooking");
  assert_finds (index, "note:diplomacy", "peace");
  assert_finds (index, "note:minerals", "peace");
  assert_finds (index, "quote:mediators", "peace");
  assert_finds (index, "quote:fire", "cooking");
  assert_finds (index, "url:savanna", "zebra-body");
  assert_finds (index, "byline:wgon", "peace");
  assert_finds (index, "tag:ukraine", "peace");
  assert_finds (index, "tag:UKRAINE", "peace");
  assert_finds (index, "tag:\"foreign policy\"", "peace");
  assert_finds (index, "tag:foreign", "");
  assert_finds (index, "tag:fo*", "peace cooking");
  assert_finds (index, "-tag:food", "peace zebra-title zebra-body");
  assert_finds (index, "tag:food OR tag:ukraine", "peace cooking");
  assert_finds (index, "fire OR tag:ukraine", "peace cooking zebra-body");
  assert_finds (index, "site:example.org", "peace cooking");
  assert_finds (index, "site:www.example.org", "peace cooking");
  assert_finds (index, "site:cooking.example.org", "cooking");
  assert_finds (index, "site:example.com", "zebra-title");
  assert_finds (index, "site:example", "peace cooking zebra-title zebra-body");
  assert_finds (index, "site:nature", "zebra-title");
  assert_finds (index, "site:ample.org", "");
  assert_finds (index, "site:\"Example News\"", "peace");
  assert_finds (index, "color:yellow", "peace");
  assert_finds (index, "color:blue", "peace");
  assert_finds (index, "color:green", "cooking");
  assert_finds (index, "color:pink", "");
  assert_finds (index, "-color:green has:highlights", "peace");
  assert_finds (index, "has:notes", "peace cooking");
  assert_finds (index, "has:highlights", "peace cooking");
  assert_finds (index, "has:tags", "peace cooking");
  assert_finds (index, "-has:highlights", "zebra-title zebra-body");
  assert_finds (index, "before:2025-01-01", "zebra-title cooking");
  assert_finds (index, "after:2025-01-01", "peace zebra-body");
  assert_finds (index, "after:2024 before:2025-06", "peace zebra-title");
  assert_finds (index, "zebra after:2025", "zebra-body");
  assert_finds (index, "", "peace zebra-title zebra-body cooking");
  assert_finds (index, "\"", "peace zebra-title zebra-body cooking");

  ordered = search_ids (index, "sort:newest");
  g_assert_cmpstr (ordered, ==, "zebra-body peace zebra-title cooking");
  g_clear_pointer (&ordered, g_free);
  ordered = search_ids (index, "sort:oldest");
  g_assert_cmpstr (ordered, ==, "cooking zebra-title peace zebra-body");
  g_clear_pointer (&ordered, g_free);
  ordered = search_ids (index, "zebra sort:oldest");
  g_assert_cmpstr (ordered, ==, "zebra-title zebra-body");
}

static void
test_ranking (void)
{
  g_autoptr(GlossIndex) index = NULL;
  g_autofree char *ordered = NULL;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GlossSearchResult) first = NULL;
  g_autoptr(GlossSearchResult) second = NULL;

  write_all ();
  index = new_synced_index ();

  /* A title match beats a body match, whatever the dates. */
  ordered = search_ids (index, "zebra");
  g_assert_cmpstr (ordered, ==, "zebra-title zebra-body");
  g_clear_pointer (&ordered, g_free);

  /* A highlight (and tag, note) outweighs the body. */
  ordered = search_ids (index, "fire");
  g_assert_cmpstr (ordered, ==, "cooking zebra-body");

  results = search (index, "zebra");
  first = g_list_model_get_item (results, 0);
  second = g_list_model_get_item (results, 1);
  g_assert_cmpfloat (gloss_search_result_get_score (first), >, gloss_search_result_get_score (second));
  g_assert_cmpfloat (gloss_search_result_get_score (second), >, 0);
}

static void
test_diacritics (void)
{
  g_autoptr(GlossIndex) index = NULL;

  write_all ();
  index = new_synced_index ();

  assert_finds (index, "resume", "peace");
  assert_finds (index, "résumé", "peace");
  assert_finds (index, "RÉSUMÉ", "peace");
  assert_finds (index, "resu*", "peace");
  assert_finds (index, "Zébra", "zebra-title zebra-body");

  /* The snippet marks the word as written in the article. */
  {
    g_autoptr(GListModel) results = search (index, "resume");
    g_autoptr(GlossSearchResult) result = g_list_model_get_item (results, 0);

    g_assert_nonnull (strstr (gloss_search_result_get_snippet (result),
                              GLOSS_SEARCH_MATCH_START "résumé" GLOSS_SEARCH_MATCH_END));
  }
}

static void
test_snippets (void)
{
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GlossSearchResult) result = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *plain = NULL;
  GPtrArray *annotations;
  GlossSearchAnnotation *annotation;

  write_all ();
  index = new_synced_index ();

  results = search (index, "mediators");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  result = g_list_model_get_item (results, 0);
  g_assert_cmpstr (gloss_search_result_get_title (result), ==, "US stepping back from peace talks role");
  g_assert_cmpstr (gloss_search_result_get_url (result), ==, "https://www.example.org/2025/05/02/peace-talks");
  g_assert_cmpstr (gloss_search_result_get_site_name (result), ==, "Example News");
  g_assert_cmpint (gloss_search_result_get_created (result), ==, 1746180000);
  g_assert_nonnull (strstr (gloss_search_result_get_snippet (result),
                            GLOSS_SEARCH_MATCH_START "mediators" GLOSS_SEARCH_MATCH_END));
  markup = gloss_search_marked_to_markup (gloss_search_result_get_snippet (result));
  g_assert_nonnull (strstr (markup, "<b>mediators</b>"));
  /* "mediators" starts at code point 50 of the article. */
  g_assert_cmpint (gloss_search_result_get_match_offset (result), ==, 50);
  plain = gloss_search_marked_to_plain (gloss_search_result_get_snippet (result));
  g_assert_null (strchr (plain, GLOSS_SEARCH_MATCH_START[0]));

  annotations = gloss_search_result_get_annotations (result);
  g_assert_cmpuint (annotations->len, ==, 1);
  annotation = annotations->pdata[0];
  g_assert_cmpstr (annotation->id, ==, "a1");
  g_assert_cmpint (annotation->color, ==, 0);
  g_assert_cmpstr (annotation->quote, ==, "will not be the " GLOSS_SEARCH_MATCH_START "mediators" GLOSS_SEARCH_MATCH_END);
  g_assert_cmpstr (annotation->note, ==, "Why now? Compare with the minerals deal.");
  g_clear_object (&result);
  g_clear_object (&results);

  /* A note match lists the annotation too; a title-only field does not. */
  results = search (index, "minerals OR frustration");
  result = g_list_model_get_item (results, 0);
  annotations = gloss_search_result_get_annotations (result);
  g_assert_cmpuint (annotations->len, ==, 2);
  g_assert_cmpstr (((GlossSearchAnnotation *) annotations->pdata[0])->id, ==, "a1");
  g_assert_cmpstr (((GlossSearchAnnotation *) annotations->pdata[1])->id, ==, "a2");
  g_clear_object (&result);
  g_clear_object (&results);

  results = search (index, "title:peace");
  result = g_list_model_get_item (results, 0);
  g_assert_cmpuint (gloss_search_result_get_annotations (result)->len, ==, 0);
  /* Title-only match: the snippet shows it in the title. */
  g_assert_nonnull (strstr (gloss_search_result_get_snippet (result), GLOSS_SEARCH_MATCH_START "peace"));
  g_assert_cmpint (gloss_search_result_get_match_offset (result), ==, -1);
  g_clear_object (&result);
  g_clear_object (&results);

  /* Filters only: no score, the start of the text. */
  results = search (index, "tag:food");
  result = g_list_model_get_item (results, 0);
  g_assert_cmpfloat (gloss_search_result_get_score (result), ==, 0.0);
  g_assert_true (g_str_has_prefix (gloss_search_result_get_snippet (result), "open fire"));
}

/* Past the rank bound, relevance looks at the newest part of the
 * library first, and at all of it when that part has too few matches. */
static void
test_rank_bound (void)
{
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GListModel) one = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GError) error = NULL;

  write_all ();
  g_setenv ("GLOSS_INDEX_RANK_BOUND", "1", TRUE);
  index = new_synced_index ();
  g_unsetenv ("GLOSS_INDEX_RANK_BOUND");

  one = gloss_index_search (index, "zebra", 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (one), ==, 1);
  all = gloss_index_search (index, "zebra OR fire", 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 3);
  g_clear_object (&all);
  all = gloss_index_search (index, "zebra", 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 2);
}

static void
test_limit (void)
{
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  write_all ();
  index = new_synced_index ();
  results = gloss_index_search (index, "", 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 2);
}

static void
test_in_step (void)
{
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  TestClip clip = {
    .id = "later",
    .title = "Aardvark habits",
    .text = "Nocturnal burrowing mammal.",
  };

  write_all ();
  index = new_synced_index ();
  assert_finds (index, "aardvark", "");

  /* Add. */
  test_write_clip (library, &clip);
  gloss_index_update_clip (index, "later");
  gloss_index_flush (index, NULL, &error);
  g_assert_no_error (error);
  assert_finds (index, "aardvark", "later");
  assert_finds (index, "burrowing", "later");

  /* Edit. */
  clip.title = "Pangolin habits, revised";
  clip.text = "Scaly anteater.";
  test_write_clip (library, &clip);
  gloss_index_update_clip (index, "later");
  gloss_index_flush (index, NULL, &error);
  g_assert_no_error (error);
  assert_finds (index, "aardvark", "");
  assert_finds (index, "burrowing", "");
  assert_finds (index, "pangolin scaly", "later");

  /* Delete. */
  dir = g_build_filename (library, "clips", "later", NULL);
  gloss_test_remove_tree (dir);
  gloss_index_remove_clip (index, "later");
  gloss_index_flush (index, NULL, &error);
  g_assert_no_error (error);
  assert_finds (index, "pangolin", "");

  /* Changes made while nobody was told: a sync finds them by size and
   * mtime, as at start-up. */
  clip.title = "Okapi";
  test_write_clip (library, &clip);
  {
    g_autofree char *cooking = g_build_filename (library, "clips", "cooking", NULL);
    TestClip edited = clips[1];

    gloss_test_remove_tree (cooking);
    edited.title = "Zebra stripes explained at length";
    test_write_clip (library, &edited);
  }
  gloss_index_sync (index, NULL, &error);
  g_assert_no_error (error);
  assert_finds (index, "okapi", "later");
  assert_finds (index, "fire", "zebra-body");
  assert_finds (index, "stripes", "zebra-title");
  assert_finds (index, "migration", "");

  /* An unfinished clip (no clip.json) is not listed; a damaged one is
   * not found but does not stop the others. */
  {
    g_autofree char *unfinished = g_build_filename (library, "clips", "unfinished", NULL);
    g_autofree char *damaged = g_build_filename (library, "clips", "damaged", NULL);

    gloss_test_write_file (unfinished, "article.txt", "unfinished quagga");
    gloss_test_write_file (damaged, "article.txt", "damaged quagga");
    gloss_test_write_file (damaged, "clip.json", "{ not json");
    gloss_index_sync (index, NULL, &error);
    g_assert_no_error (error);
    assert_finds (index, "quagga", "");
    assert_finds (index, "", "peace zebra-title zebra-body later");
  }
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
assert_rebuilds (void (*damage) (const char *path))
{
  g_autoptr(GFile) folder = g_file_new_for_path (library);
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint notified = 0;

  write_all ();
  index = new_synced_index ();
  assert_finds (index, "zebra", "zebra-title zebra-body");
  path = g_strdup (gloss_index_get_path (index));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_object (&index);

  damage (path);

  index = gloss_index_new (folder);
  g_signal_connect (index, "notify::indexing", G_CALLBACK (on_notify), &notified);
  /* Searching first: the index rebuilds itself before answering. */
  assert_finds (index, "zebra", "zebra-title zebra-body");
  assert_finds (index, "tag:food", "cooking");
  gloss_index_sync (index, NULL, &error);
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* indexing went TRUE then FALSE. */
  g_assert_cmpuint (notified, ==, 2);
  g_assert_false (gloss_index_get_indexing (index));
  g_assert_cmpfloat (gloss_index_get_progress (index), ==, 1.0);
}

static void
delete_file (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_unlink (wal);
}

static void
garbage_file (const char *path)
{
  g_autofree char *garbage = g_strnfill (100000, 'x');
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, garbage, -1, &error);
  g_assert_no_error (error);
}

/* Keep a valid header but wreck the pages after it. */
static void
corrupt_pages (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 4096);
  memset (contents + 100, 0xa5, length - 100);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
old_schema (const char *path)
{
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A crash during a bulk build leaves its marker behind. */
static void
interrupted_build (const char *path)
{
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO meta (key, value) VALUES ('bulk', '1')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_rebuild_interrupted (void)
{
  assert_rebuilds (interrupted_build);
}

static void
test_rebuild_deleted (void)
{
  assert_rebuilds (delete_file);
}

static void
test_rebuild_garbage (void)
{
  assert_rebuilds (garbage_file);
}

static void
test_rebuild_corrupt_pages (void)
{
  assert_rebuilds (corrupt_pages);
}

static void
test_rebuild_stale (void)
{
  assert_rebuilds (old_schema);
}

static void
on_progress (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  GArray *values = user_data;
  double progress = gloss_index_get_progress (GLOSS_INDEX (object));

  g_array_append_val (values, progress);
}

/* A large first sync reports its progress batch by batch. */
static void
test_progress (void)
{
  g_autofree char *path = gloss_test_make_dir ("bulk");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossIndex) index = gloss_index_new (folder);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) results = NULL;

  /* More than BULK_SIZE (gloss-index.c): written without syncs, then
   * made durable, with no marker left behind. */
  for (guint i = 0; i < 1050; i++)
    {
      g_autofree char *id = g_strdup_printf ("bulk-%03u", i);
      g_autofree char *title = g_strdup_printf ("Bulk clip %u", i);
      TestClip clip = { .id = id, .title = title, .text = i == 1049 ? "the last one: wombat" : "filler" };

      test_write_clip (path, &clip);
    }

  g_signal_connect (index, "notify::progress", G_CALLBACK (on_progress), values);
  gloss_index_sync_async (index, NULL, NULL, NULL);
  gloss_index_flush (index, NULL, &error);
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* 0, then after each batch of 200, then 1. */
  g_assert_cmpuint (values->len, >=, 3);
  for (guint i = 1; i < values->len; i++)
    g_assert_cmpfloat (g_array_index (values, double, i), >, g_array_index (values, double, i - 1));
  g_assert_cmpfloat (g_array_index (values, double, values->len - 1), ==, 1.0);
  g_assert_false (gloss_index_get_indexing (index));

  results = gloss_index_search (index, "wombat", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);

  {
    sqlite3 *db;
    sqlite3_stmt *stmt;

    g_assert_cmpint (sqlite3_open (gloss_index_get_path (index), &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM meta WHERE key = 'bulk'", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_finalize (stmt);

    /* Merged into one segment, which each word is looked up in. */
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(DISTINCT segid) FROM clip_fts_idx", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
}

static void
test_path (void)
{
  g_autoptr(GFile) folder = g_file_new_for_path (library);
  g_autoptr(GFile) other = g_file_new_for_path ("/tmp/some/other/library");
  g_autoptr(GlossIndex) index = gloss_index_new (folder);
  g_autoptr(GlossIndex) index2 = gloss_index_new (other);
  const char *path = gloss_index_get_path (index);
  g_autofree char *cache = g_build_filename (g_getenv ("XDG_CACHE_HOME"), "gloss", NULL);

  g_assert_true (g_str_has_prefix (path, cache));
  g_assert_false (g_str_has_prefix (path, library));
  g_assert_cmpstr (path, !=, gloss_index_get_path (index2));
}

static void
test_bad_queries (void)
{
  g_autoptr(GlossIndex) index = NULL;
  static const char * const queries[] = {
    "\"", "NEAR(", "*", "col:", "AND AND", "OR", "-", "\"\"", "title:", "x:", "((", "a\"b\"c",
    "tag:\"", "-\"", "NEAR(a b, 3)", "{title}: x", "^x", "x AND", "'", "\\\"", "zebra*lion",
    "site:", "site:*", "color:", "before:", "before:x", "sort:", "has:", "\xc3\x28",
  };
  g_autofree char *paste = g_strnfill (10000, 'w');

  write_all ();
  index = new_synced_index ();

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) results = gloss_index_search (index, queries[i], 0, NULL, &error);

      if (results == NULL)
        {
          g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY);
          g_assert_null (strstr (error->message, "SQL"));
          g_assert_null (strstr (error->message, "fts5"));
        }
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) results = gloss_index_search (index, paste, 0, NULL, &error);

    g_assert_null (results);
    g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY);
  }
}

/* Random queries against a real index: results or a message, never an
 * SQLite error, whatever the highlighter is given. */
static void
test_random_queries (void)
{
  static const char * const pieces[] = {
    "\"", "-", "*", ":", "(", " ", " ", " ", "OR", "NOT", "NEAR", "tag:", "site:", "title:",
    "note:", "quote:", "color:", "has:", "zebra", "zeb", "résumé", "resume", "fire", "the",
    "will not", "mediators", "é", "\xcc\x81", "ukraine", "blue", "notes", "2025", "a",
  };
  g_autoptr(GlossIndex) index = NULL;
  GRand *rand = g_rand_new_with_seed (7);

  write_all ();
  index = new_synced_index ();
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) results = NULL;
      guint n = g_rand_int_range (rand, 0, 8);

      for (guint j = 0; j < n; j++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      results = gloss_index_search (index, text->str, 10, NULL, &error);
      if (results == NULL)
        g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY);
    }
  g_rand_free (rand);
}

/* Short-lived indexes, as --search makes them: results come back and
 * the index goes away while its worker is still letting go of the job.
 * (Once hung here: the worker touched a context the result had freed.) */
static void
test_lifecycle (void)
{
  g_autoptr(GFile) folder = g_file_new_for_path (library);

  write_all ();
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GlossIndex) index = gloss_index_new (folder);
      g_autoptr(GListModel) results = NULL;
      g_autoptr(GError) error = NULL;

      gloss_index_sync (index, NULL, &error);
      g_assert_no_error (error);
      results = gloss_index_search (index, "zebra", 10, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (results), ==, 2);
    }
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GListModel) results = gloss_index_search_finish (GLOSS_INDEX (object), result, error);

  g_assert_true ((results == NULL) == (*error != NULL));
}

static void
test_cancel (void)
{
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  write_all ();
  index = new_synced_index ();
  g_cancellable_cancel (cancellable);
  gloss_index_search_async (index, "zebra", 0, cancellable, search_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  gloss_index_search_async (index, "color:orange", 0, NULL, search_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY);
  g_clear_error (&error);
}

/* article.txt runs the words on either side of a <br> or a paragraph
 * edge together (it is the article's textContent); the index keeps them
 * apart, and a match's position is still one in article.txt. */
static void
test_boundaries (void)
{
  static const char html[] =
    "<h2>The interview</h2><p>An exclusive interview<br>Mr Okafor spoke from "
    "Washington</p><p>Nine people &amp; a dog listened.</p><ul><li>first"
    "</li><li>second</li></ul><p>Caf\xc3\xa9<br/>cr\xc3\xa8me &lt;b&gt; and "
    "<b>bold</b>text</p>";
  static const char text[] =
    "The interviewAn exclusive interviewMr Okafor spoke from WashingtonNine people "
    "& a dog listened.firstsecondCaf\xc3\xa9" "cr\xc3\xa8me <b> and boldtext";
  const TestClip clip = {
    .id = "boundaries",
    .title = "Glued words",
    .url = "https://example.org/glued",
    .text = text,
  };
  g_autofree char *dir = g_build_filename (library, "clips", "boundaries", NULL);
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GlossSearchResult) result = NULL;
  const char *at;

  write_all ();
  test_write_clip (library, &clip);
  gloss_test_write_file (dir, "article.html", html);
  index = new_synced_index ();

  assert_finds (index, "interview", "boundaries");
  assert_finds (index, "Mr", "boundaries");
  assert_finds (index, "Okafor", "boundaries");
  assert_finds (index, "Washington", "boundaries");
  assert_finds (index, "nine", "boundaries");
  assert_finds (index, "first", "boundaries");
  assert_finds (index, "second", "boundaries");
  assert_finds (index, "café", "boundaries");
  assert_finds (index, "crème", "boundaries");
  /* Inline elements part nothing. */
  assert_finds (index, "boldtext", "boundaries");
  assert_finds (index, "\"interview mr okafor\"", "boundaries");
  assert_finds (index, "interviewMr", "");

  results = search (index, "Washington");
  result = g_list_model_get_item (results, 0);
  at = strstr (text, "Washington");
  g_assert_cmpint (gloss_search_result_get_match_offset (result), ==, g_utf8_pointer_to_offset (text, at));
  g_assert_null (strchr (gloss_search_result_get_snippet (result), '\x1f'));
  g_assert_nonnull (strstr (gloss_search_result_get_snippet (result), "Washington" GLOSS_SEARCH_MATCH_END " Nine"));
  g_clear_object (&result);
  g_clear_object (&results);

  /* An article.html that is not article.txt's source changes nothing. */
  gloss_test_write_file (dir, "article.html", "<p>something else entirely</p>");
  gloss_test_write_file (dir, "article.txt", "An interviewMr Okafor and more text than the page.");
  g_clear_object (&index);
  index = new_synced_index ();
  assert_finds (index, "interviewMr", "boundaries");
  assert_finds (index, "Mr", "");
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gboolean
finds_after_sync (GFile      *folder,
                  const char *query)
{
  g_autoptr(GlossIndex) index = gloss_index_new (folder);
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  gloss_index_sync (index, NULL, &error);
  g_assert_no_error (error);
  results = search (index, query);
  return g_list_model_get_n_items (results) > 0;
}

/* The check reads the folders table's copy beside the index, and only a
 * copy of the table as it is now: not one the table changed after (any
 * writer counts a generation), not a damaged one. Each step marks the
 * clip "look again" in the table and changes its text in place, which
 * changes no folder: it is found only when the table was read. Settled
 * stamps (GLOSS_INDEX_RACY_SECONDS=0), so that the file-by-file look at
 * folders changed a moment ago plays no part. */
static void
test_folders_copy (void)
{
  g_autofree char *path = gloss_test_make_dir ("folders-copy");
  g_autofree char *text = g_build_filename (path, "clips", "okapi", "article.txt", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autofree char *index_path = NULL;
  g_autofree char *copy_path = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GError) error = NULL;
  TestClip clip = { .id = "okapi", .title = "Okapi", .text = "A forest giraffe." };
  const char *look_again = "UPDATE folders SET mtime = -1, ctime = -1 WHERE name = 'okapi'";
  gsize length;

  g_setenv ("GLOSS_INDEX_RACY_SECONDS", "0", TRUE);
  test_write_clip (path, &clip);
  {
    g_autoptr(GlossIndex) index = gloss_index_new (folder);

    gloss_index_sync (index, NULL, &error);
    g_assert_no_error (error);
    index_path = g_strdup (gloss_index_get_path (index));
  }
  copy_path = g_strconcat (index_path, "-folders", NULL);
  g_file_get_contents (copy_path, &copy, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpmem (copy, 8, "GLOSSFL1", 8);
  g_clear_pointer (&copy, g_free);

  /* A change to the table that counts no generation is not seen: the
   * check read the copy (which is why every writer must count). */
  gloss_test_write_in_place (text, "A striped giraffe.");
  exec_sql (index_path, look_again);
  g_assert_false (finds_after_sync (folder, "striped"));

  /* Counted: the copy is not of the table any more, and is not used. */
  exec_sql (index_path, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'folders_gen'");
  g_assert_true (finds_after_sync (folder, "striped"));

  /* A damaged copy (here its checksum) is not used either, and is
   * written again. */
  gloss_test_write_in_place (text, "A spotted giraffe.");
  exec_sql (index_path, look_again);
  g_file_get_contents (copy_path, &copy, &length, &error);
  g_assert_no_error (error);
  copy[length - 1] ^= 0x5a;
  g_file_set_contents (copy_path, copy, length, &error);
  g_assert_no_error (error);
  g_assert_true (finds_after_sync (folder, "spotted"));
  {
    g_autofree char *again = NULL;
    gsize again_length;

    g_file_get_contents (copy_path, &again, &again_length, &error);
    g_assert_no_error (error);
    g_assert_false (again_length == length && memcmp (again, copy, length) == 0);
  }

  /* Nor one that is no copy at all. */
  gloss_test_write_in_place (text, "A dappled giraffe.");
  exec_sql (index_path, look_again);
  g_file_set_contents (copy_path, "GLOSSFL1 and then nothing of the kind", -1, &error);
  g_assert_no_error (error);
  g_assert_true (finds_after_sync (folder, "dappled"));

  g_unsetenv ("GLOSS_INDEX_RACY_SECONDS");
}

/* The index files as they are (@save) or back as they were (a commit
 * that a crash lost: the index is not synced to disk at each). */
static void
save_or_restore_index (const char *index_path,
                       gboolean    save)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (index_path, suffixes[i], NULL);
      g_autofree char *saved = g_strconcat (file, ".saved", NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_get_contents (save ? file : saved, &contents, &length, NULL))
        {
          g_autoptr(GError) error = NULL;

          g_file_set_contents (save ? saved : file, contents, length, &error);
          g_assert_no_error (error);
        }
    }
}

static char *
folders_generation (const char *index_path)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open (index_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'folders_gen'", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Two clips in the library @path, indexed; the index file's path. */
static char *
write_okapi_and_zebra (const char     *path,
                       const TestClip *okapi,
                       const TestClip *zebra)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossIndex) index = gloss_index_new (folder);
  g_autoptr(GError) error = NULL;

  test_write_clip (path, okapi);
  test_write_clip (path, zebra);
  gloss_index_sync (index, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (gloss_index_get_path (index));
}

/* A crash lost the commit of a sync but not the copy written after it;
 * the window then changes the table again, any number of times, before
 * a sync copies it: the copy must never pass for the table. */
static void
test_folders_copy_lost_commit (void)
{
  g_autofree char *path = gloss_test_make_dir ("folders-copy-lost");
  g_autofree char *text = g_build_filename (path, "clips", "okapi", "article.txt", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autofree char *index_path = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  TestClip okapi = { .id = "okapi", .title = "Okapi", .text = "A forest giraffe." };
  TestClip zebra = { .id = "zebra", .title = "Zebra", .text = "Stripes." };
  g_autoptr(GError) error = NULL;

  g_setenv ("GLOSS_INDEX_RACY_SECONDS", "0", TRUE);
  index_path = write_okapi_and_zebra (path, &okapi, &zebra);
  save_or_restore_index (index_path, TRUE);

  /* A change in okapi's folder (a file removed and written again), found
   * by a sync that commits it and copies the table. */
  g_assert_cmpint (g_unlink (text), ==, 0);
  okapi.text = "A striped giraffe.";
  test_write_clip (path, &okapi);
  g_assert_true (finds_after_sync (folder, "striped"));
  g_ptr_array_add (seen, folders_generation (index_path));

  /* The crash: the index as before that sync, the copy as after it. */
  save_or_restore_index (index_path, FALSE);

  /* The window indexes zebra again and again without a sync. */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GlossIndex) index = gloss_index_new (folder);
      g_autofree char *generation = NULL;

      gloss_index_update_clip (index, "zebra");
      gloss_index_flush (index, NULL, &error);
      g_assert_no_error (error);
      generation = folders_generation (index_path);
      for (guint j = 0; j < seen->len; j++)
        g_assert_cmpstr (generation, !=, seen->pdata[j]);
      g_ptr_array_add (seen, g_steal_pointer (&generation));
    }

  /* The table (as the crash left it) says okapi's folder changed. */
  g_assert_true (finds_after_sync (folder, "striped"));
  g_unsetenv ("GLOSS_INDEX_RACY_SECONDS");
}

/* The table shrinks (a clip deleted): the copy written after it is used,
 * not left longer than it is and failing its checksum every time. */
static void
test_folders_copy_shrinks (void)
{
  g_autofree char *path = gloss_test_make_dir ("folders-copy-shrinks");
  g_autofree char *text = g_build_filename (path, "clips", "okapi", "article.txt", NULL);
  g_autofree char *zebra_dir = g_build_filename (path, "clips", "zebra", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autofree char *index_path = NULL;
  TestClip okapi = { .id = "okapi", .title = "Okapi", .text = "A forest giraffe." };
  TestClip zebra = { .id = "zebra", .title = "Zebra", .text = "Stripes." };

  g_setenv ("GLOSS_INDEX_RACY_SECONDS", "0", TRUE);
  index_path = write_okapi_and_zebra (path, &okapi, &zebra);

  gloss_test_remove_tree (zebra_dir);
  g_assert_false (finds_after_sync (folder, "stripes"));

  /* As in /index/folders-copy/checked: a change only the table shows is
   * not seen when the copy is used. */
  gloss_test_write_in_place (text, "A striped giraffe.");
  exec_sql (index_path, "UPDATE folders SET mtime = -1, ctime = -1 WHERE name = 'okapi'");
  g_assert_false (finds_after_sync (folder, "striped"));
  g_unsetenv ("GLOSS_INDEX_RACY_SECONDS");
}

/* The generation the copy beside the index says it is of, and the one
 * the table is at, as text. */
static char *
copy_generation (const char *index_path)
{
  g_autofree char *copy_path = g_strconcat (index_path, "-folders", NULL);
  g_autofree char *copy = NULL;
  gsize length;
  guint64 generation;

  if (!g_file_get_contents (copy_path, &copy, &length, NULL) || length < 24)
    return NULL;
  memcpy (&generation, copy + 16, 8);
  return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) GUINT64_FROM_LE (generation));
}

/* The window's updates (outside a sync) leave the copy behind the table;
 * it is copied again once they have been quiet for a while, and when the
 * index closes, so that the next `gloss --search` reads the copy. */
static void
test_folders_copy_after_updates (void)
{
  g_autofree char *path = gloss_test_make_dir ("folders-copy-updates");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autofree char *index_path = NULL;
  TestClip okapi = { .id = "okapi", .title = "Okapi", .text = "A forest giraffe." };
  TestClip zebra = { .id = "zebra", .title = "Zebra", .text = "Stripes." };
  g_autoptr(GError) error = NULL;

  g_setenv ("GLOSS_INDEX_RACY_SECONDS", "0", TRUE);
  index_path = write_okapi_and_zebra (path, &okapi, &zebra);

  /* Closing: an hour's delay, so only the close can have copied. */
  g_setenv ("GLOSS_INDEX_COPY_DELAY_MS", "3600000", TRUE);
  {
    g_autoptr(GlossIndex) index = gloss_index_new (folder);
    g_autofree char *before = NULL;
    g_autofree char *table = NULL;

    gloss_index_update_clip (index, "zebra");
    gloss_index_flush (index, NULL, &error);
    g_assert_no_error (error);
    before = copy_generation (index_path);
    table = folders_generation (index_path);
    g_assert_cmpstr (before, !=, table);
  }
  {
    g_autofree char *copied = copy_generation (index_path);
    g_autofree char *table = folders_generation (index_path);

    g_assert_cmpstr (copied, ==, table);
  }

  /* Quiet for the delay (none here) while the index stays open. */
  g_setenv ("GLOSS_INDEX_COPY_DELAY_MS", "0", TRUE);
  {
    g_autoptr(GlossIndex) index = gloss_index_new (folder);
    g_autofree char *table = NULL;
    gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    gloss_index_update_clip (index, "okapi");
    gloss_index_flush (index, NULL, &error);
    g_assert_no_error (error);
    table = folders_generation (index_path);
    while (TRUE)
      {
        g_autofree char *copied = copy_generation (index_path);

        if (g_strcmp0 (copied, table) == 0)
          break;
        g_assert_cmpint (g_get_monotonic_time (), <, give_up);
        g_usleep (10000);
      }
  }

  g_unsetenv ("GLOSS_INDEX_COPY_DELAY_MS");
  g_unsetenv ("GLOSS_INDEX_RACY_SECONDS");
}

/* A blocking call given a cancelled cancellable says it was cancelled,
 * as its async half's _finish() does, whether it runs here (no worker
 * yet) or waits for the worker. */
static void
test_blocking_cancelled (void)
{
  g_autoptr(GFile) folder = g_file_new_for_path (library);
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  write_all ();
  index = gloss_index_new (folder);
  g_cancellable_cancel (cancellable);

  for (guint round = 0; round < 2; round++)
    {
      g_assert_false (gloss_index_sync (index, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_assert_false (gloss_index_flush (index, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      results = gloss_index_search (index, "zebra", 0, cancellable, &error);
      g_assert_null (results);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);

      /* Then the same with a worker. */
      gloss_index_update_clip (index, clips[0].id);
      g_assert_true (gloss_index_flush (index, NULL, &error));
      g_assert_no_error (error);
    }
}

/* A connection opened while this is set can grow its file to this many
 * pages at most (SQLITE_FULL past it): a disk with that much room. */
static int max_pages;

static int
limit_pages_cb (sqlite3                           *db,
                const char                       **message,
                const struct sqlite3_api_routines *api)
{
  if (max_pages > 0)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %d", max_pages);

      sqlite3_exec (db, sql, NULL, NULL, NULL);
    }
  return SQLITE_OK;
}

static char *
make_bulk_library (const char *name)
{
  char *path = gloss_test_make_dir (name);

  for (guint i = 0; i < 1050; i++)
    {
      g_autofree char *id = g_strdup_printf ("bulk-%03u", i);
      g_autofree char *title = g_strdup_printf ("Bulk clip %u", i);
      TestClip clip = { .id = id, .title = title, .text = i == 1049 ? "the last one: wombat" : "filler" };

      test_write_clip (path, &clip);
    }
  return path;
}

static int
query_index_int (const char *index_path,
                 const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  int value;

  g_assert_cmpint (sqlite3_open (index_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Merging the full-text index after a build needs room for the merged
 * copy beside the segments: on a disk with room for the build but not
 * for that, the build must still be kept, else every start throws it
 * away and builds it again, and search never works. */
static void
test_bulk_no_room_to_merge (void)
{
  g_autofree char *probe_path = make_bulk_library ("bulk-probe");
  g_autofree char *path = make_bulk_library ("bulk-no-room");
  g_autoptr(GFile) probe_folder = g_file_new_for_path (probe_path);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossIndex) probe = gloss_index_new (probe_folder);
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;
  int pages, free_pages;

  /* The same build with room: the file ends as large as the merge made
   * it, and the old segments' pages are free in it. Half of them is
   * room enough for the build, not for the merge. */
  g_assert_true (gloss_index_sync (probe, NULL, &error));
  g_assert_no_error (error);
  pages = query_index_int (gloss_index_get_path (probe), "PRAGMA page_count");
  free_pages = query_index_int (gloss_index_get_path (probe), "PRAGMA freelist_count");
  g_assert_cmpint (free_pages, >, 4);

  sqlite3_auto_extension ((void (*) (void)) limit_pages_cb);
  max_pages = pages - free_pages / 2;
  index = gloss_index_new (folder);
  gloss_index_sync (index, NULL, &error);
  max_pages = 0;
  sqlite3_cancel_auto_extension ((void (*) (void)) limit_pages_cb);
  g_assert_no_error (error);

  g_assert_cmpint (query_index_int (gloss_index_get_path (index), "SELECT count(*) FROM meta WHERE key = 'bulk'"), ==, 0);
  results = gloss_index_search (index, "wombat", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
}

static gboolean
has_thread (const char *name)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *task;

  g_assert_nonnull (tasks);
  while ((task = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", task, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_equal (g_strchomp (comm), name))
        return TRUE;
    }
  return FALSE;
}

/* The blocking calls on an index with no worker run on the calling
 * thread, so that the command line starts no thread for them. An async
 * call then starts the worker, and the blocking calls wait for it. */
static void
test_blocking_here (void)
{
  g_autofree char *path = gloss_test_make_dir ("blocking-here");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GListModel) after = NULL;
  TestClip okapi = { .id = "okapi", .title = "Okapi", .text = "A forest giraffe." };
  TestClip zebra = { .id = "zebra", .title = "Zebra", .text = "Stripes." };
  g_autoptr(GError) error = NULL;

  test_write_clip (path, &okapi);
  test_write_clip (path, &zebra);
  g_assert_false (has_thread ("gloss-index"));

  index = gloss_index_new (folder);
  g_assert_true (gloss_index_sync (index, NULL, &error));
  g_assert_no_error (error);
  results = gloss_index_search (index, "giraffe", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  g_assert_false (has_thread ("gloss-index"));

  zebra.text = "Stripes, and taller than a giraffe.";
  test_write_clip (path, &zebra);
  gloss_index_update_clip (index, "zebra");
  g_assert_true (gloss_index_flush (index, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (has_thread ("gloss-index"));
  after = gloss_index_search (index, "giraffe", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);
  library = g_strdup (g_getenv ("GLOSS_LIBRARY"));

  g_test_add_func ("/index/path", test_path);
  g_test_add_func ("/index/operators", test_operators);
  g_test_add_func ("/index/ranking", test_ranking);
  g_test_add_func ("/index/diacritics", test_diacritics);
  g_test_add_func ("/index/snippets", test_snippets);
  g_test_add_func ("/index/boundaries", test_boundaries);
  g_test_add_func ("/index/limit", test_limit);
  g_test_add_func ("/index/rank-bound", test_rank_bound);
  g_test_add_func ("/index/in-step", test_in_step);
  g_test_add_func ("/index/folders-copy/checked", test_folders_copy);
  g_test_add_func ("/index/folders-copy/lost-commit", test_folders_copy_lost_commit);
  g_test_add_func ("/index/folders-copy/shrinks", test_folders_copy_shrinks);
  g_test_add_func ("/index/folders-copy/after-updates", test_folders_copy_after_updates);
  g_test_add_func ("/index/rebuild/deleted", test_rebuild_deleted);
  g_test_add_func ("/index/rebuild/garbage", test_rebuild_garbage);
  g_test_add_func ("/index/rebuild/corrupt-pages", test_rebuild_corrupt_pages);
  g_test_add_func ("/index/rebuild/stale", test_rebuild_stale);
  g_test_add_func ("/index/rebuild/interrupted", test_rebuild_interrupted);
  g_test_add_func ("/index/bad-queries", test_bad_queries);
  g_test_add_func ("/index/cancel", test_cancel);
  g_test_add_func ("/index/lifecycle", test_lifecycle);
  g_test_add_func ("/index/random-queries", test_random_queries);
  g_test_add_func ("/index/progress", test_progress);
  g_test_add_func ("/index/blocking-here", test_blocking_here);
  g_test_add_func ("/index/bulk-no-room-to-merge", test_bulk_no_room_to_merge);
  g_test_add_func ("/index/blocking-cancelled", test_blocking_cancelled);

  return g_test_run ();
}
