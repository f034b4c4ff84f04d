/* test-clip-queue.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The background clipper that imports use: pages served on 127.0.0.1 are
 * clipped one after another; a page already in the library is skipped,
 * or updated when asked; a page that fails is reported with its reason and
 * does not stop the others. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gloss-clip-private.h"
#include "gloss-clip-queue.h"
#include "gloss-clip-writer.h"
#include "gloss-import.h"
#include "gloss-test-server.h"
#include "gloss-test-util.h"

static GlossTestServer *server;

static void
finished_cb (GlossClipQueue *queue,
             gboolean       *finished)
{
  *finished = TRUE;
}

static GlossLibrary *
new_library (void)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("queue-library-%u", counter++);
  g_autofree char *path = gloss_test_make_dir (name);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  GlossLibrary *library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;

  gloss_library_load (library, NULL, &error);
  g_assert_no_error (error);

  return library;
}

static void
run_queue (GlossClipQueue     *queue,
           const char * const *paths,
           gboolean            update_existing)
{
  gboolean finished = FALSE;
  gulong id = g_signal_connect (queue, "finished", G_CALLBACK (finished_cb), &finished);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *uri = gloss_test_server_uri (server, paths[i]);

      gloss_clip_queue_add (queue, uri, update_existing);
    }

  gloss_test_wait_until (finished, 60000);
  g_signal_handler_disconnect (queue, id);
}

static void
test_clips_skips_and_reports (void)
{
  g_autoptr(GlossLibrary) library = new_library ();
  g_autoptr(GlossClipQueue) queue = gloss_clip_queue_ref_for_library (library);
  static const char *first[] = { "browser/article.html", "browser/no-such-page.html", NULL };
  static const char *again[] = { "browser/article.html", NULL };
  const char * const *failures;
  g_autofree char *missing = gloss_test_server_uri (server, "browser/no-such-page.html");

  run_queue (queue, first, FALSE);

  g_assert_cmpuint (gloss_clip_queue_get_clipped (queue), ==, 1);
  g_assert_cmpuint (gloss_clip_queue_get_skipped (queue), ==, 0);
  failures = gloss_clip_queue_get_failures (queue);
  g_assert_cmpuint (g_strv_length ((char **) failures), ==, 1);
  g_assert_true (g_str_has_prefix (failures[0], missing));
  g_assert_nonnull (strstr (failures[0], "404"));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 1);
  {
    g_autoptr(GlossClip) clip = g_list_model_get_item (G_LIST_MODEL (library), 0);

    g_assert_cmpstr (gloss_clip_get_title (clip), ==, "A Quiet Revolution in Bread");
  }

  /* The same page again: skipped, not clipped twice. */
  gloss_clip_queue_reset (queue);
  run_queue (queue, again, FALSE);
  g_assert_cmpuint (gloss_clip_queue_get_clipped (queue), ==, 0);
  g_assert_cmpuint (gloss_clip_queue_get_skipped (queue), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 1);

  /* Asked to update: the same clip is clipped again, still one clip. */
  gloss_clip_queue_reset (queue);
  run_queue (queue, again, TRUE);
  g_assert_cmpstr (gloss_clip_queue_get_failures (queue)[0], ==, NULL);
  g_assert_cmpuint (gloss_clip_queue_get_clipped (queue), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 1);
}

/* A page kept by an import but not clipped yet (no article files) gets
 * its article, keeps its id, tags, note, `import` and highlights, and the
 * highlights are anchored in the article; the queue needs no "update" for
 * that. */
static void
test_pending_gets_article (void)
{
  g_autoptr(GlossLibrary) library = new_library ();
  g_autoptr(GlossClipQueue) queue = gloss_clip_queue_ref_for_library (library);
  g_autofree char *uri = gloss_test_server_uri (server, "browser/article.html");
  g_autoptr(GlossClip) pending = gloss_clip_new (uri, "Imported page");
  g_autoptr(GlossAnnotation) highlight = NULL;
  static const char *pages[] = { "browser/article.html", NULL };
  const char *quote = "the ovens start before four in the morning";
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (gloss_clip_get_id (pending));
  JsonObject *import = json_object_new ();
  GlossClip *clip;

  /* As an import keeps it: the quote, no place in any text yet. */
  highlight = gloss_annotation_new (quote, "", "", 0, 0, GLOSS_COLOR_GREEN);
  gloss_clip_add_annotation (pending, highlight);
  gloss_clip_add_tag (pending, "bread");
  gloss_clip_set_note (pending, "Read this one.");
  json_object_set_string_member (import, "status", "unread");
  json_object_set_object_member (gloss_clip_to_json (pending), "import", import);
  gloss_library_add (library, pending, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gloss_import_clip_is_pending (pending));

  run_queue (queue, pages, FALSE);

  g_assert_cmpuint (gloss_clip_queue_get_clipped (queue), ==, 1);
  g_assert_cmpuint (gloss_clip_queue_get_skipped (queue), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 1);
  clip = gloss_library_lookup (library, id);
  g_assert_nonnull (clip);
  g_assert_false (gloss_import_clip_is_pending (clip));
  g_assert_true (gloss_clip_has_tag (clip, "bread"));
  g_assert_cmpstr (gloss_clip_get_note (clip), ==, "Read this one.");
  g_assert_true (json_object_has_member (gloss_clip_to_json (clip), "import"));
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);

  {
    g_autofree char *text = gloss_clip_load_article_text (clip, &error);
    g_autoptr(GlossAnnotation) a = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, "older varieties of wheat"));
    g_assert_false (gloss_annotation_get_orphan (a));
    g_assert_cmpuint (gloss_annotation_get_start (a), ==,
                      g_utf8_pointer_to_offset (text, strstr (text, quote)));
  }

  /* Clipped again: a real clip now, so left alone. */
  gloss_clip_queue_reset (queue);
  run_queue (queue, pages, FALSE);
  g_assert_cmpuint (gloss_clip_queue_get_skipped (queue), ==, 1);
}

/* A clip as an import makes it: clip.json text read by the clip loader. */
static GlossClip *
imported_clip (GlossLibrary *library,
               const char   *url,
               const char   *title,
               const char   *members,
               const char   *created)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *data = g_strdup_printf ("{ \"format\": 1, \"id\": \"%s\", \"url\": \"%s\", \"title\": \"%s\", "
                                           "\"created\": \"%s\", \"modified\": \"%s\", %s }",
                                           id, url, title, created, created, members);
  g_autoptr(GFile) folder = g_file_get_child (gloss_library_get_clips_folder (library), id);
  g_autoptr(GError) error = NULL;
  GlossClip *clip = gloss_clip_load_from_data (folder, data, strlen (data), GLOSS_CLIP_LOAD_FULL, &error);

  g_assert_no_error (error);
  gloss_clip_set_folder (clip, NULL);
  return clip;
}

/* Clipping later gives the clip the page's article but keeps what the
 * import (or the person) gave it: the title, unless the import had none
 * (it is the address then); `created`, the time it was saved there; and
 * `import`. The page's byline and excerpt are taken (FORMAT.md: "as the
 * extractor found them"), the imported ones kept in `import`. */
static void
test_pending_keeps_given_metadata (void)
{
  g_autoptr(GlossLibrary) library = new_library ();
  g_autoptr(GlossClipQueue) queue = gloss_clip_queue_ref_for_library (library);
  g_autofree char *named_uri = gloss_test_server_uri (server, "clip/blog.html");
  g_autofree char *unnamed_uri = gloss_test_server_uri (server, "browser/article.html");
  g_autoptr(GlossClip) named = NULL;
  g_autoptr(GlossClip) unnamed = NULL;
  g_autoptr(JsonNode) import_node = NULL;
  static const char *pages[] = { "clip/blog.html", "browser/article.html", NULL };
  const char *created = "2019-05-06T07:08:09Z";
  g_autoptr(GError) error = NULL;
  JsonObject *import;
  GlossClip *clip;

  /* As gloss-import-keep.c makes and writes them. */
  named = imported_clip (library, named_uri, "The bridge (my title)",
                         "\"byline\": \"Imported Author\", "
                         "\"excerpt\": \"The excerpt the reading list showed.\", "
                         "\"import\": { \"status\": \"archive\" }", created);
  unnamed = imported_clip (library, unnamed_uri, unnamed_uri, "\"import\": { \"source\": \"url-list\" }", created);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GlossClipWriter) writer = gloss_clip_writer_new (library, i == 0 ? named : unnamed);
      GlossClipPage none = { .word_count = -1 };

      g_assert_nonnull (gloss_clip_writer_commit (writer, &none, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpstr (gloss_clip_get_created (named), ==, created);

  run_queue (queue, pages, FALSE);
  g_assert_cmpstr (gloss_clip_queue_get_failures (queue)[0], ==, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 2);

  clip = gloss_library_lookup (library, gloss_clip_get_id (named));
  g_assert_false (gloss_import_clip_is_pending (clip));
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "The bridge (my title)");
  g_assert_cmpstr (gloss_clip_get_created (clip), ==, created);
  g_assert_cmpstr (gloss_clip_get_byline (clip), !=, "Imported Author");
  g_assert_nonnull (strstr (gloss_clip_get_byline (clip), "Maria Ostrander"));
  g_assert_cmpstr (gloss_clip_get_excerpt (clip), !=, "The excerpt the reading list showed.");
  import_node = gloss_clip_dup_extra_member (clip, "import");
  g_assert_nonnull (import_node);
  import = json_node_get_object (import_node);
  g_assert_cmpstr (json_object_get_string_member (import, "status"), ==, "archive");
  g_assert_cmpstr (json_object_get_string_member (import, "byline"), ==, "Imported Author");
  g_assert_cmpstr (json_object_get_string_member (import, "excerpt"), ==, "The excerpt the reading list showed.");

  /* As it is on disk, read by another library. */
  {
    g_autoptr(GlossLibrary) again = gloss_library_new (gloss_library_get_folder (library));
    GlossClip *read;

    gloss_library_load (again, NULL, &error);
    g_assert_no_error (error);
    read = gloss_library_lookup (again, gloss_clip_get_id (named));
    g_assert_cmpstr (gloss_clip_get_title (read), ==, "The bridge (my title)");
    g_assert_cmpstr (gloss_clip_get_created (read), ==, created);
  }

  /* The import had no title: the page's. */
  clip = gloss_library_lookup (library, gloss_clip_get_id (unnamed));
  g_assert_false (gloss_import_clip_is_pending (clip));
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "A Quiet Revolution in Bread");

  /* Clipped again (Update Clip): still the given title, `import` as it was. */
  gloss_clip_queue_reset (queue);
  run_queue (queue, pages, TRUE);
  clip = gloss_library_lookup (library, gloss_clip_get_id (named));
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "The bridge (my title)");
  g_clear_pointer (&import_node, json_node_unref);
  import_node = gloss_clip_dup_extra_member (clip, "import");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (import_node), "byline"), ==, "Imported Author");
}

/* Never two pages of one site at once; pages of other sites meanwhile. */
static void
test_one_page_per_site (void)
{
  g_autoptr(GlossLibrary) library = new_library ();
  g_autoptr(GlossClipQueue) queue = gloss_clip_queue_ref_for_library (library);
  g_autofree char *a = gloss_test_server_uri (server, "browser/article.html");
  g_autofree char *b = gloss_test_server_uri (server, "clip/rtl.html");
  g_autofree char *c = gloss_test_server_uri (server, "clip/blog.html");
  g_autofree char *other_site = NULL;
  gboolean finished = FALSE;
  guint max_loading = 0;
  GString *elsewhere = g_string_new (c);

  /* The same server under another name is another site. */
  g_string_replace (elsewhere, "127.0.0.1", "localhost", 1);
  other_site = g_string_free (elsewhere, FALSE);

  g_signal_connect (queue, "finished", G_CALLBACK (finished_cb), &finished);
  gloss_clip_queue_add (queue, a, FALSE);
  gloss_clip_queue_add (queue, b, FALSE);
  gloss_clip_queue_add (queue, other_site, FALSE);

  /* Started together: the first page of each site. */
  while (gloss_clip_queue_get_n_loading (queue) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (gloss_clip_queue_get_n_loading (queue), ==, 2);
  g_assert_true (gloss_clip_queue_has_url (queue, a));
  g_assert_true (gloss_clip_queue_has_url (queue, other_site));

  while (!finished)
    {
      max_loading = MAX (max_loading, gloss_clip_queue_get_n_loading (queue));
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (max_loading, ==, 2);
  g_assert_cmpstr (gloss_clip_queue_get_failures (queue)[0], ==, NULL);
  g_assert_cmpuint (gloss_clip_queue_get_clipped (queue), ==, 3);
}

/* What waited when the queue went away (a quit) is taken up again by the
 * next one, less what is clipped by then. */
static void
test_resume (void)
{
  g_autoptr(GlossLibrary) library = new_library ();
  GlossClipQueue *first = gloss_clip_queue_ref_for_library (library);
  g_autoptr(GlossClipQueue) second = NULL;
  g_autofree char *a = gloss_test_server_uri (server, "browser/article.html");
  g_autofree char *b = gloss_test_server_uri (server, "clip/blog.html");
  gboolean finished = FALSE;

  gloss_clip_queue_add (first, a, FALSE);
  gloss_clip_queue_add (first, b, FALSE);
  /* The last holder lets go (a quit): the list is written down. */
  g_object_unref (first);

  second = gloss_clip_queue_ref_for_library (library);

  g_signal_connect (second, "finished", G_CALLBACK (finished_cb), &finished);
  g_assert_cmpuint (gloss_clip_queue_resume (second), ==, 2);
  gloss_test_wait_until (finished, 60000);
  g_assert_cmpuint (gloss_clip_queue_get_clipped (second), ==, 2);
  g_clear_object (&second);

  {
    g_autoptr(GlossClipQueue) third = gloss_clip_queue_ref_for_library (library);

    g_assert_cmpuint (gloss_clip_queue_resume (third), ==, 0);
  }
}

/* --- one queue per library -------------------------------------------- */

/* Requests for /held/… wait until release_held(): a page that is loading
 * while the test does something else. */
static GPtrArray *held;

static void
held_cb (SoupServer        *soup_server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  g_ptr_array_add (held, g_object_ref (message));
  soup_server_message_pause (message);
}

static void
release_held (void)
{
  g_autofree char *path = gloss_test_source_path ("fixtures/browser/article.html");
  g_autofree char *body = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &body, &length, NULL));
  for (guint i = 0; i < held->len; i++)
    {
      SoupServerMessage *message = g_ptr_array_index (held, i);

      soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (message, "text/html; charset=utf-8", SOUP_MEMORY_COPY, body, length);
      soup_server_message_unpause (message);
    }
  g_ptr_array_set_size (held, 0);
}

/* The URLs of the waiting list as it is kept in the cache. */
static GPtrArray *
read_kept_list (GlossLibrary *library)
{
  g_autofree char *folder = g_file_get_path (gloss_library_get_folder (library));
  g_autofree char *key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, folder, -1);
  g_autofree char *name = g_strconcat (key, ".json", NULL);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "gloss", "clip-queue", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *urls = g_ptr_array_new_with_free_func (g_free);
  JsonArray *pages;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  pages = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "pages");
  for (guint i = 0; i < json_array_get_length (pages); i++)
    g_ptr_array_add (urls, g_strdup (json_object_get_string_member (json_array_get_object_element (pages, i), "url")));
  return urls;
}

static guint
count_url (GPtrArray  *urls,
           const char *url)
{
  guint n = 0;

  for (guint i = 0; i < urls->len; i++)
    n += g_str_equal (g_ptr_array_index (urls, i), url);
  return n;
}

static void
count_done_cb (GlossClipQueue *queue,
               const char     *url,
               GlossClip      *clip,
               gboolean        skipped,
               const char     *failure,
               GHashTable     *done)
{
  g_assert_null (failure);
  g_hash_table_insert (done, g_strdup (url),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (done, url)) + 1));
}

/* An import made while Clip All Not Clipped runs goes to the same queue:
 * the list kept in the cache holds every page once — the one loading,
 * the ones waiting, the import's new ones — and each page is clipped
 * once. (With a queue per caller, each wrote its own list over the
 * other's, and a page of both was loaded twice.) */
static void
test_import_while_running (void)
{
  g_autoptr(GlossLibrary) library = new_library ();
  g_autoptr(GlossClipQueue) queue = gloss_clip_queue_ref_for_library (library);
  g_autoptr(GlossClipQueue) import_queue = NULL;
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *loading = gloss_test_server_uri (server, "held/first.html");
  g_autofree char *waiting = gloss_test_server_uri (server, "browser/article.html");
  g_autofree char *added = gloss_test_server_uri (server, "clip/blog.html");
  g_autofree char *list = g_strdup_printf ("%s\n%s\n%s\n", waiting, loading, added);
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;
  gboolean finished = FALSE;

  g_signal_connect (queue, "item-done", G_CALLBACK (count_done_cb), done);
  g_signal_connect (queue, "finished", G_CALLBACK (finished_cb), &finished);

  /* Clip All Not Clipped is running: one page loading, one waiting
   * behind it (the same site). */
  g_assert_true (gloss_clip_queue_add (queue, loading, FALSE));
  g_assert_true (gloss_clip_queue_add (queue, waiting, FALSE));
  gloss_test_wait_until (held->len == 1, 30000);
  g_assert_true (gloss_clip_queue_get_busy (queue));

  /* The window's Import, as gloss-window-import.c does it. */
  plan = gloss_import_parse (list, strlen (list), "urls.txt", &error);
  g_assert_no_error (error);
  summary = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->urls_to_clip->len, ==, 3);
  import_queue = gloss_clip_queue_ref_for_library (library);
  g_assert_true (import_queue == queue);
  g_assert_false (gloss_clip_queue_add (import_queue, g_ptr_array_index (summary->urls_to_clip, 0), FALSE));
  g_assert_false (gloss_clip_queue_add (import_queue, g_ptr_array_index (summary->urls_to_clip, 1), FALSE));
  g_assert_true (gloss_clip_queue_add (import_queue, g_ptr_array_index (summary->urls_to_clip, 2), FALSE));

  gloss_clip_queue_flush (queue);
  kept = read_kept_list (library);
  g_assert_cmpuint (kept->len, ==, 3);
  g_assert_cmpuint (count_url (kept, loading), ==, 1);
  g_assert_cmpuint (count_url (kept, waiting), ==, 1);
  g_assert_cmpuint (count_url (kept, added), ==, 1);
  g_clear_pointer (&kept, g_ptr_array_unref);

  release_held ();
  gloss_test_wait_until (finished, 60000);

  /* Each page clipped once, into the clip the import kept for it. */
  g_assert_cmpuint (g_hash_table_size (done), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (done, loading)), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (done, waiting)), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (done, added)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GlossClip) clip = g_list_model_get_item (G_LIST_MODEL (library), i);

      g_assert_false (gloss_import_clip_is_pending (clip));
    }

  gloss_clip_queue_flush (queue);
  kept = read_kept_list (library);
  g_assert_cmpuint (kept->len, ==, 0);
  g_signal_handlers_disconnect_by_data (queue, done);
  g_signal_handlers_disconnect_by_data (queue, &finished);
}

/* --- the images of imported articles ------------------------------------ */

/* /flaky/… answers 404 until flaky_ok: a picture that comes back. */
static gboolean flaky_ok;

static void
flaky_cb (SoupServer        *soup_server,
          SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  g_autofree char *file = gloss_test_source_path ("fixtures/clip/images/egret.jpg");
  g_autofree char *body = NULL;
  gsize length = 0;

  if (!flaky_ok)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  g_assert_true (g_file_get_contents (file, &body, &length, NULL));
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "image/jpeg", SOUP_MEMORY_COPY, body, length);
}

static guint
count_assets (GlossClip *clip)
{
  g_autoptr(GFile) assets = g_file_get_child (gloss_clip_get_folder (clip), "assets");
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (assets, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NONE, NULL, NULL);
  GFileInfo *info;
  guint n = 0;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      n++;
      g_object_unref (info);
    }
  return n;
}

static char *
load_article (GlossClip  *clip,
              const char *name)
{
  g_autoptr(GFile) file = g_file_get_child (gloss_clip_get_folder (clip), name);
  char *contents = NULL;

  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));
  return contents;
}

/* An article an export carries is kept with no network, its pictures on
 * the web; the queue fetches them from 127.0.0.1 as the clip's assets and
 * the article shows assets/NAME. The one that answers 404 keeps its
 * address and nothing is lost; the next Clip All Not Clipped fetches it
 * once it is there. The text, and so the highlights, do not move. */
static void
test_imported_article_images (void)
{
  g_autoptr(GlossLibrary) library = new_library ();
  g_autoptr(GlossClipQueue) queue = gloss_clip_queue_ref_for_library (library);
  g_autofree char *heron = gloss_test_server_uri (server, "clip/images/heron.png");
  g_autofree char *egret = gloss_test_server_uri (server, "flaky/egret.jpg");
  g_autofree char *page = gloss_test_server_uri (server, "herons.html");
  g_autofree char *json = NULL;
  g_autofree char *text_before = NULL;
  g_autofree char *text_after = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = NULL;
  g_autoptr(GlossAnnotation) a = NULL;
  g_autoptr(GError) error = NULL;
  gboolean finished = FALSE;
  guint start, n_saved = 0, n_images = 0;
  GlossClip *clip;

  flaky_ok = FALSE;
  json = g_strdup_printf ("[{\"is_archived\": 0, \"title\": \"Herons\", \"url\": \"%s\", \"created_at\": \"2023-06-01T12:00:00+00:00\", "
                          "\"content\": \"<p>Herons wait by the water.</p>"
                          "<p><img src='%s' srcset='%s 2x' alt='A heron'></p>"
                          "<p>Egrets fly low over the reeds.</p><p><img src='%s'></p>\", "
                          "\"tags\": [], \"annotations\": [{\"quote\": \"Egrets fly low\", \"text\": \"\", "
                          "\"ranges\": [], \"created_at\": \"2023-06-01T12:30:00+00:00\"}]}]",
                          page, heron, heron, egret);
  plan = gloss_import_parse (json, strlen (json), "wallabag.json", &error);
  g_assert_no_error (error);
  summary = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->articles, ==, 1);
  g_assert_cmpuint (summary->images_to_fetch->len, ==, 1);
  clip = gloss_library_lookup (library, g_ptr_array_index (summary->images_to_fetch, 0));
  g_assert_nonnull (clip);

  /* Kept with no network: the pictures are still on the web. */
  html = load_article (clip, "article.html");
  g_assert_nonnull (strstr (html, heron));
  g_assert_cmpuint (count_assets (clip), ==, 0);
  g_clear_pointer (&html, g_free);
  text_before = load_article (clip, "article.txt");
  a = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  start = gloss_annotation_get_start (a);
  g_assert_false (gloss_annotation_get_orphan (a));
  g_clear_object (&a);

  g_signal_connect (queue, "finished", G_CALLBACK (finished_cb), &finished);
  g_assert_true (gloss_clip_queue_add_images (queue, clip));
  g_assert_false (gloss_clip_queue_add_images (queue, clip));
  gloss_test_wait_until (finished, 60000);
  g_assert_cmpstr (gloss_clip_queue_get_failures (queue)[0], ==, NULL);
  g_assert_true (gloss_clip_queue_get_last_images (queue, &n_saved, &n_images));
  g_assert_cmpuint (n_saved, ==, 1);
  g_assert_cmpuint (n_images, ==, 2);

  clip = gloss_library_lookup (library, gloss_clip_get_id (clip));
  html = load_article (clip, "article.html");
  g_assert_cmpuint (count_assets (clip), ==, 1);
  g_assert_null (strstr (html, heron));
  g_assert_null (strstr (html, "srcset"));
  g_assert_nonnull (strstr (html, "src=\"assets/"));
  g_assert_nonnull (strstr (html, egret));      /* the 404: its address kept */
  g_assert_null (strstr (html, "gloss-image-"));
  g_clear_pointer (&html, g_free);
  text_after = load_article (clip, "article.txt");
  g_assert_cmpstr (text_after, ==, text_before);
  a = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, start);
  g_assert_false (gloss_annotation_get_orphan (a));
  g_clear_object (&a);

  /* Later, the picture is there: Clip All Not Clipped fetches it. */
  flaky_ok = TRUE;
  finished = FALSE;
  gloss_clip_queue_reset (queue);
  gloss_clip_queue_add_pending (queue);
  gloss_test_wait_until (finished, 60000);
  g_assert_cmpstr (gloss_clip_queue_get_failures (queue)[0], ==, NULL);
  clip = gloss_library_lookup (library, gloss_clip_get_id (clip));
  html = load_article (clip, "article.html");
  g_assert_cmpuint (count_assets (clip), ==, 2);
  g_assert_null (strstr (html, egret));
  g_assert_null (strstr (html, "http://"));
  g_clear_pointer (&html, g_free);
  g_clear_pointer (&text_after, g_free);
  text_after = load_article (clip, "article.txt");
  g_assert_cmpstr (text_after, ==, text_before);

  /* Nothing left on the web: nothing to do, and "finished" still comes. */
  finished = FALSE;
  gloss_clip_queue_add_pending (queue);
  gloss_test_wait_until (finished, 60000);
  g_assert_cmpuint (count_assets (clip), ==, 2);
  g_signal_handlers_disconnect_by_data (queue, &finished);
}

/* Offline (nothing answers): the article is left as it is, and the list
 * kept in the cache keeps the job, so that the next start tries again by
 * itself; a 404 does not (Clip All Not Clipped tries those). */
static void
test_images_offline_kept_for_next_start (void)
{
  g_autoptr(GlossLibrary) library = new_library ();
  GlossClipQueue *queue = gloss_clip_queue_ref_for_library (library);
  g_autofree char *offline = g_strdup_printf ("http://127.0.0.1:%u/picture.png", gloss_test_closed_port ());
  g_autofree char *gone = gloss_test_server_uri (server, "clip/images/no-such-picture.png");
  g_autofree char *page = gloss_test_server_uri (server, "offline.html");
  g_autofree char *json = g_strdup_printf ("[{\"is_archived\": 0, \"title\": \"Offline\", \"url\": \"%s\", "
                                           "\"content\": \"<p>A picture from a host that is down.</p>"
                                           "<p><img src='%s'></p>\"}, "
                                           "{\"is_archived\": 0, \"title\": \"Gone\", \"url\": \"%s/gone\", "
                                           "\"content\": \"<p>A picture that is gone.</p><p><img src='%s'></p>\"}]",
                                           page, offline, page, gone);
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  gboolean finished = FALSE;
  GlossClip *clip;

  plan = gloss_import_parse (json, strlen (json), "wallabag.json", &error);
  g_assert_no_error (error);
  summary = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->images_to_fetch->len, ==, 2);

  g_signal_connect (queue, "finished", G_CALLBACK (finished_cb), &finished);
  for (guint i = 0; i < 2; i++)
    gloss_clip_queue_add_images (queue, gloss_library_lookup (library, g_ptr_array_index (summary->images_to_fetch, i)));
  gloss_test_wait_until (finished, 60000);
  g_assert_cmpstr (gloss_clip_queue_get_failures (queue)[0], ==, NULL);

  clip = gloss_library_find_by_url (library, page);
  html = load_article (clip, "article.html");
  g_assert_nonnull (strstr (html, offline));
  g_assert_cmpuint (count_assets (clip), ==, 0);

  gloss_clip_queue_flush (queue);
  kept = read_kept_list (library);
  g_assert_cmpuint (kept->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (kept, 0), ==, page);
  g_signal_handlers_disconnect_by_data (queue, &finished);

  /* A restart: the next queue of the library takes it up. */
  g_object_unref (queue);
  queue = gloss_clip_queue_ref_for_library (library);
  g_assert_cmpuint (gloss_clip_queue_resume (queue), ==, 1);
  finished = FALSE;
  g_signal_connect (queue, "finished", G_CALLBACK (finished_cb), &finished);
  gloss_test_wait_until (finished, 60000);
  g_signal_handlers_disconnect_by_data (queue, &finished);
  g_object_unref (queue);
}

/* `gloss --clip` in a terminal, while the window's queue of the same
 * library has pages waiting: the terminal's run keeps no list, so the
 * window's list in the cache is left as it was. */
static void
test_other_process_keeps_no_list (void)
{
  g_autoptr(GlossLibrary) library = new_library ();
  g_autoptr(GlossClipQueue) window_queue = gloss_clip_queue_ref_for_library (library);
  g_autofree char *waiting = gloss_test_server_uri (server, "held/waiting.html");
  static const char *pages[] = { "clip/rtl.html", NULL };
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;

  gloss_clip_queue_add (window_queue, waiting, FALSE);
  gloss_clip_queue_flush (window_queue);
  gloss_test_wait_until (held->len == 1, 30000);

  {
    /* Another process: its own library object of the same folder. */
    g_autoptr(GlossLibrary) other = gloss_library_new (gloss_library_get_folder (library));
    g_autoptr(GlossClipQueue) terminal_queue = NULL;

    gloss_library_load (other, NULL, &error);
    g_assert_no_error (error);
    terminal_queue = gloss_clip_queue_ref_for_library (other);
    g_assert_true (terminal_queue != window_queue);
    gloss_clip_queue_set_keep_list (terminal_queue, FALSE);
    run_queue (terminal_queue, pages, FALSE);
    g_assert_cmpuint (gloss_clip_queue_get_clipped (terminal_queue), ==, 1);
  }

  kept = read_kept_list (library);
  g_assert_cmpuint (kept->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (kept, 0), ==, waiting);

  gloss_clip_queue_cancel (window_queue);
  release_held ();
}

static void
test_bad_address (void)
{
  g_autoptr(GlossLibrary) library = new_library ();
  g_autoptr(GlossClipQueue) queue = gloss_clip_queue_ref_for_library (library);
  gboolean finished = FALSE;

  g_signal_connect (queue, "finished", G_CALLBACK (finished_cb), &finished);
  gloss_clip_queue_add (queue, "javascript:alert(1)", FALSE);
  gloss_test_wait_until (finished, 10000);

  g_assert_cmpuint (gloss_clip_queue_get_clipped (queue), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) gloss_clip_queue_get_failures (queue)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GlossTestServer) the_server = NULL;

  gloss_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  the_server = server = gloss_test_server_new ();
  held = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (gloss_test_server_get_server (server), "/held", held_cb, NULL, NULL);
  soup_server_add_handler (gloss_test_server_get_server (server), "/flaky", flaky_cb, NULL, NULL);

  g_test_add_func ("/clip-queue/clips-skips-and-reports", test_clips_skips_and_reports);
  g_test_add_func ("/clip-queue/pending-gets-article", test_pending_gets_article);
  g_test_add_func ("/clip-queue/pending-keeps-given-metadata", test_pending_keeps_given_metadata);
  g_test_add_func ("/clip-queue/bad-address", test_bad_address);
  g_test_add_func ("/clip-queue/one-page-per-site", test_one_page_per_site);
  g_test_add_func ("/clip-queue/resume", test_resume);
  g_test_add_func ("/clip-queue/import-while-running", test_import_while_running);
  g_test_add_func ("/clip-queue/other-process-keeps-no-list", test_other_process_keeps_no_list);
  g_test_add_func ("/clip-queue/imported-article-images", test_imported_article_images);
  g_test_add_func ("/clip-queue/images-offline-kept-for-next-start", test_images_offline_kept_for_next_start);

  return g_test_run ();
}
