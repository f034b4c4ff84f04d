/* test-clipper.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Clipping real pages in real WebKit: fixture pages from a SoupServer on
 * 127.0.0.1 (tests/fixtures/clip/), the clip checked on disk against
 * FORMAT.md. */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gloss-anchor.h"
#include "gloss-browser.h"
#include "gloss-cli-clip.h"
#include "gloss-clipper.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-test-server.h"
#include "gloss-test-util.h"

static GlossTestServer *server;
static guint slow_pending;
static char *image_user_agent;

/* Never answers within the test's image time limit. */
static gboolean
slow_answer_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC, "late", 4);
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  slow_pending--;

  return G_SOURCE_REMOVE;
}

static void
slow_image_cb (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  soup_server_message_pause (msg);
  slow_pending++;
  g_timeout_add (3000, slow_answer_cb, g_object_ref (msg));
}

static void
not_image_cb (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  static const char page[] = "<html><body>not an image</body></html>";

  g_free (image_user_agent);
  image_user_agent = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                             "User-Agent"));

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
}

typedef struct
{
  GlossLibrary *library;
  GlossClipper *clipper;
  GlossBrowser *browser;
  GtkWidget    *window;
  char         *folder;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  static guint n;
  g_autofree char *name = g_strdup_printf ("library-%u", n++);

  fixture->folder = gloss_test_make_dir (name);
  folder = g_file_new_for_path (fixture->folder);
  fixture->library = gloss_library_new (folder);
  g_assert_true (gloss_library_load (fixture->library, NULL, &error));
  g_assert_no_error (error);

  fixture->clipper = gloss_clipper_new (fixture->library);
  /* The slow image answers after 3 s; the test gives up after 0.5 s. */
  gloss_clipper_set_image_limits (fixture->clipper, GLOSS_CLIP_MAX_IMAGE_SIZE, 500);

  fixture->browser = gloss_browser_new ();
  fixture->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (fixture->window),
                        GTK_WIDGET (gloss_browser_get_web_view (fixture->browser)));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->browser);
  g_clear_object (&fixture->clipper);
  g_clear_object (&fixture->library);
  g_free (fixture->folder);
}

static void
load_page (Fixture    *fixture,
           const char *path)
{
  WebKitWebView *web_view = gloss_browser_get_web_view (fixture->browser);
  g_autofree char *uri = gloss_test_server_uri (server, path);

  gloss_browser_load (fixture->browser, uri);
  gloss_test_wait_until (!webkit_web_view_is_loading (web_view) &&
                         g_strcmp0 (webkit_web_view_get_uri (web_view), uri) == 0, 20000);
}

typedef struct
{
  gboolean   done;
  GlossClip *clip;
  guint      orphans;
  GError    *error;
} Result;

static void
clip_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Result *res = user_data;

  res->clip = gloss_clipper_clip_finish (GLOSS_CLIPPER (object), result, &res->orphans, &res->error);
  res->done = TRUE;
}

static GlossClip *
clip_page (Fixture        *fixture,
           const char     *path,
           GlossClipMode   mode,
           GlossClip      *update,
           guint          *orphans,
           GError        **error)
{
  Result res = { 0 };

  if (path != NULL)
    load_page (fixture, path);

  gloss_clipper_clip_async (fixture->clipper, gloss_browser_get_web_view (fixture->browser),
                            mode, update, NULL, clip_done_cb, &res);
  gloss_test_wait_until (res.done, 30000);

  if (orphans != NULL)
    *orphans = res.orphans;
  if (res.error != NULL)
    g_propagate_error (error, res.error);

  return res.clip;
}

static char *
clip_file (GlossClip  *clip,
           const char *name)
{
  g_autofree char *path = g_build_filename (g_file_peek_path (gloss_clip_get_folder (clip)), name, NULL);

  return gloss_test_read_file (path);
}

/* FORMAT.md: the folder is the id, the four files are there, clip.json
 * parses with its required members, and article.txt is valid UTF-8. */
static void
check_on_disk (Fixture   *fixture,
               GlossClip *clip)
{
  g_autofree char *json = clip_file (clip, "clip.json");
  g_autofree char *html = clip_file (clip, "article.html");
  g_autofree char *text = clip_file (clip, "article.txt");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_file_get_basename (gloss_clip_get_folder (clip));
  g_autofree char *clips = g_build_filename (fixture->folder, "clips", NULL);
  g_autofree char *parent = g_file_get_path (g_file_get_parent (gloss_clip_get_folder (clip)));
  JsonObject *object;

  g_assert_cmpstr (parent, ==, clips);
  g_assert_true (gloss_id_is_valid (base));
  g_assert_cmpstr (base, ==, gloss_clip_get_id (clip));

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (object, "format"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, base);
  g_assert_nonnull (json_object_get_string_member (object, "url"));
  g_assert_nonnull (json_object_get_string_member (object, "title"));
  g_assert_true (gloss_time_is_valid (json_object_get_string_member (object, "created")));
  g_assert_true (gloss_time_is_valid (json_object_get_string_member (object, "modified")));
  g_assert_cmpint (json_object_get_int_member (object, "word_count"), ==, gloss_count_words (text));

  g_assert_true (g_utf8_validate (html, -1, NULL));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (strlen (text), >, 0);
  g_assert_null (strstr (html, "gloss-image-"));
}

static void
test_blog (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  g_autofree char *markdown = NULL;
  g_autofree char *url = gloss_test_server_uri (server, "clip/blog.html");

  clip = clip_page (fixture, "clip/blog.html", GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (clip);

  check_on_disk (fixture, clip);
  g_assert_cmpstr (gloss_clip_get_url (clip), ==, url);
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "The Night the Bridge Held");
  g_assert_cmpstr (gloss_clip_get_byline (clip), ==, "Maria Ostrander");
  g_assert_cmpstr (gloss_clip_get_site_name (clip), ==, "Valley Chronicle");
  g_assert_cmpstr (gloss_clip_get_lang (clip), ==, "en");
  g_assert_cmpstr (gloss_clip_get_published (clip), ==, "2025-05-02T08:00:00Z");
  g_assert_cmpstr (gloss_clip_get_excerpt (clip), ==, "How a village saved its bridge from the great flood.");
  g_assert_cmpint (gloss_clip_get_word_count (clip), >, 350);
  g_assert_true (gloss_library_lookup (fixture->library, gloss_clip_get_id (clip)) == clip);

  html = clip_file (clip, "article.html");
  text = clip_file (clip, "article.txt");
  markdown = clip_file (clip, "article.md");

  /* Only the article: no navigation, share bar, comments or footer. */
  for (guint i = 0; i < 2; i++)
    {
      const char *s = i == 0 ? html : text;

      g_assert_nonnull (strstr (s, "The river had been rising for three days"));
      g_assert_nonnull (strstr (s, "and every spring, when the snow melted in the hills"));
      g_assert_null (strstr (s, "Subscribe now"));
      g_assert_null (strstr (s, "Share on Facebook"));
      g_assert_null (strstr (s, "SHOUTING"));
      g_assert_null (strstr (s, "Post comment"));
      g_assert_null (strstr (s, "FOOTERTEXT"));
    }
  g_assert_null (strstr (html, "<script"));
  g_assert_nonnull (strstr (markdown, "The river had been rising"));

  /* Clipping records the URL: the library finds it again. */
  g_assert_true (gloss_library_find_by_url (fixture->library, url) == clip);
}

static void
test_images (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *html = NULL;
  g_autofree char *assets = NULL;
  g_autofree char *heron_path = gloss_test_source_path ("fixtures/clip/images/heron.png");
  g_autofree char *heron = NULL;
  g_autofree char *heron_name = NULL;
  g_autofree char *heron_ref = NULL;
  g_autofree char *missing = gloss_test_server_uri (server, "clip/images/missing.png");
  g_autofree char *slow = gloss_test_server_uri (server, "clip/images/slow.png");
  g_autoptr(GDir) dir = NULL;
  gsize heron_len;
  guint n_assets = 0;
  const GlossClipStats *stats;
  gint64 started;

  /* The page itself waits for its slow image; the clip must not. */
  load_page (fixture, "clip/images.html");
  started = g_get_monotonic_time ();
  clip = clip_page (fixture, NULL, GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (clip);
  check_on_disk (fixture, clip);

  /* The slow image was given up at the limit, not waited for. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2500 * 1000);

  stats = gloss_clipper_get_stats (fixture->clipper);
  g_assert_cmpuint (stats->n_images, ==, 6);
  g_assert_cmpuint (stats->n_images_saved, ==, 2);

  /* Two distinct images saved (the heron twice in the page, once on disk),
   * under content-derived names. */
  assets = g_build_filename (g_file_peek_path (gloss_clip_get_folder (clip)), "assets", NULL);
  dir = g_dir_open (assets, 0, NULL);
  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n_assets++;
  g_assert_cmpuint (n_assets, ==, 2);

  g_assert_true (g_file_get_contents (heron_path, &heron, &heron_len, NULL));
  heron_name = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)heron, heron_len);
  heron_name[24] = '\0';
  heron_ref = g_strdup_printf ("src=\"assets/%s.png\"", heron_name);

  html = clip_file (clip, "article.html");
  g_assert_nonnull (strstr (html, heron_ref));
  g_assert_nonnull (strstr (strstr (html, heron_ref) + 1, heron_ref));
  {
    g_autofree char *saved_path = g_strdup_printf ("%s/%s.png", assets, heron_name);
    g_autofree char *saved = NULL;
    gsize saved_len;

    g_assert_true (g_file_get_contents (saved_path, &saved, &saved_len, NULL));
    g_assert_cmpmem (saved, saved_len, heron, heron_len);
  }
  g_assert_nonnull (strstr (html, ".jpg\""));

  /* A failed image keeps its original address. */
  g_assert_nonnull (strstr (html, missing));
  g_assert_nonnull (strstr (html, slow));
  g_assert_nonnull (strstr (html, "clip/images/notimage.png"));

  /* Asked for with the web view's user agent (the last request for it was
   * the clipper's; the page's own came first). */
  g_assert_cmpstr (image_user_agent, ==,
                   webkit_settings_get_user_agent (webkit_web_view_get_settings (gloss_browser_get_web_view (fixture->browser))));
}

/* Images in every form a page uses are kept (the best srcset candidate up
 * to the reader's width), and embedded media leave a visible placeholder
 * with a link. The files are missing, so every image keeps its address,
 * which says which candidate was chosen. */
static void
test_image_forms (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *html = NULL;
  g_autofree char *markdown = NULL;
  static const char * const kept[] = {
    "clip/forms/s1600.jpg", "clip/forms/d-big.jpg", "clip/forms/noscript-real.jpg",
    "clip/forms/noscript-only.jpg", "clip/forms/p-1400.webp", "clip/forms/lazy-1200.jpg",
  };
  static const char * const not_kept[] = {
    "s400.jpg", "s3200.jpg", "d-small.jpg", "p-800.webp", "p-1200.jpg", "data:image/gif",
    "lazy-small.jpg", "lazy-400.jpg",
    "<video", "<audio", "<iframe", "<source", "<noscript", "<picture", "srcset=",
  };

  clip = clip_page (fixture, "clip/images-forms.html", GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_no_error (error);
  check_on_disk (fixture, clip);
  html = clip_file (clip, "article.html");
  markdown = clip_file (clip, "article.md");
  g_test_message ("%s", html);

  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *url = gloss_test_server_uri (server, kept[i]);
      g_autofree char *src = g_strdup_printf ("src=\"%s\"", url);

      if (strstr (html, src) == NULL)
        g_error ("%s is not in the clip", src);
    }
  for (guint i = 0; i < G_N_ELEMENTS (not_kept); i++)
    if (strstr (html, not_kept[i]) != NULL)
      g_error ("%s is in the clip", not_kept[i]);

  /* The video: its poster, linked to the video; the frame and the audio:
   * a link each. */
  {
    g_autofree char *movie = gloss_test_server_uri (server, "clip/forms/movie.mp4");
    g_autofree char *poster = gloss_test_server_uri (server, "clip/forms/poster.jpg");
    g_autofree char *player = gloss_test_server_uri (server, "clip/embed/player.html?v=42");
    g_autofree char *song = gloss_test_server_uri (server, "clip/forms/song.ogg");
    g_autofree char *movie_link = g_strdup_printf ("href=\"%s\"", movie);
    g_autofree char *poster_src = g_strdup_printf ("src=\"%s\"", poster);
    g_autofree char *player_link = g_strdup_printf ("href=\"%s\"", player);
    g_autofree char *song_link = g_strdup_printf ("href=\"%s\"", song);

    g_assert_nonnull (strstr (html, movie_link));
    g_assert_nonnull (strstr (html, poster_src));
    g_assert_nonnull (strstr (html, player_link));
    g_assert_nonnull (strstr (html, "Harbour film"));
    g_assert_nonnull (strstr (html, song_link));
    g_assert_nonnull (strstr (markdown, movie));
    g_assert_nonnull (strstr (markdown, player));
  }
}

static void
test_rtl (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *text = NULL;

  clip = clip_page (fixture, "clip/rtl.html", GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_no_error (error);
  check_on_disk (fixture, clip);

  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "الليلة التي صمد فيها الجسر");
  g_assert_cmpstr (gloss_clip_get_byline (clip), ==, "مريم الحسيني");
  g_assert_cmpstr (gloss_clip_get_lang (clip), ==, "ar");
  g_assert_cmpstr (gloss_clip_get_dir (clip), ==, "rtl");

  text = clip_file (clip, "article.txt");
  g_assert_nonnull (strstr (text, "كان النهر يرتفع منذ ثلاثة أيام"));
}

static void
test_non_latin (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *text = NULL;

  clip = clip_page (fixture, "clip/japanese.html", GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_no_error (error);
  check_on_disk (fixture, clip);

  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "橋が持ちこたえた夜");
  g_assert_cmpstr (gloss_clip_get_byline (clip), ==, "山田花子");
  g_assert_cmpstr (gloss_clip_get_lang (clip), ==, "ja");
  /* Each ideograph and kana counts as a word in a script without spaces. */
  g_assert_cmpint (gloss_clip_get_word_count (clip), >, 500);

  text = clip_file (clip, "article.txt");
  g_assert_nonnull (strstr (text, "川は三日間増水し続けていたが"));
  /* The article as Readability gives it, its own heading included. */
  g_assert_nonnull (strstr (text, "橋が持ちこたえた夜"));
  g_assert_null (strstr (text, "ホーム"));
}

static void
test_not_article (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *html = NULL;

  clip = clip_page (fixture, "clip/not-article.html", GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_null (clip);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_ARTICLE);
  g_assert_cmpstr (error->message, ==, "This page does not look like an article");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 0);
  g_clear_error (&error);

  /* The whole page, cleaned. */
  clip = clip_page (fixture, NULL, GLOSS_CLIP_MODE_WHOLE_PAGE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (clip);
  check_on_disk (fixture, clip);

  html = clip_file (clip, "article.html");
  g_assert_nonnull (strstr (html, "Sign in"));
  g_assert_nonnull (strstr (html, "Help"));
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "<style"));
  g_assert_null (strstr (html, "<form"));
  g_assert_null (strstr (html, "<input"));
  g_assert_null (strstr (html, "<iframe"));
  g_assert_null (strstr (html, "onclick"));
  g_assert_null (strstr (html, "onload"));
  g_assert_null (strstr (html, "javascript:"));
}

static void
evaluate_string_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, NULL);

  *out = value ? jsc_value_to_string (value) : g_strdup ("(error)");
}

static char *
page_eval (Fixture    *fixture,
           const char *script,
           const char *world)
{
  char *out = NULL;

  webkit_web_view_evaluate_javascript (gloss_browser_get_web_view (fixture->browser), script, -1,
                                       world, NULL, NULL, evaluate_string_cb, &out);
  gloss_test_wait_until (out != NULL, 10000);

  return out;
}

static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  g_autofree char *results = NULL;
  g_autofree char *ours = NULL;

  clip = clip_page (fixture, "clip/hostile.html", GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_no_error (error);
  check_on_disk (fixture, clip);

  /* Our world's Readability and cloneNode were untouched by the page's. */
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "A Perfectly Normal Article");
  html = clip_file (clip, "article.html");
  text = clip_file (clip, "article.txt");
  g_assert_null (strstr (html, "PWNED"));
  g_assert_null (strstr (text, "PWNED"));
  g_assert_nonnull (strstr (text, "The river had been rising"));
  g_assert_null (strstr (html, "javascript:"));
  g_assert_null (strstr (html, "onmouseover"));
  g_assert_null (strstr (html, "onerror"));

  /* The page's world has no way to our handler… */
  results = page_eval (fixture, "String (window.hostileResults[0])", NULL);
  g_assert_true (g_str_has_prefix (results, "no handler"));
  /* …and its globals are not ours. */
  ours = page_eval (fixture, "typeof Readability + ' ' + (new Readability (document.cloneNode (true)).parse () !== null)",
                    "gloss");
  g_assert_cmpstr (ours, ==, "function true");

  /* Only one clip, however often the page posted. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);
}

/* A page that hangs in a view a person uses: the clip fails with a
 * message once its time is up, the web process is replaced, and the next
 * page clips in the same view. */
static void
test_hung_live (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *started = NULL;

  gloss_clipper_set_page_timeout (fixture->clipper, 2000);
  load_page (fixture, "clip/fight/plain-1.html");
  /* The page's own script, from now on, never ends. */
  started = page_eval (fixture, "setTimeout (function () { for (;;) {} }, 0); 'started'", NULL);
  g_assert_cmpstr (started, ==, "started");

  clip = clip_page (fixture, NULL, GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_null (clip);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "The page stopped responding while it was being clipped");
  g_clear_error (&error);

  clip = clip_page (fixture, "clip/fight/plain-2.html", GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "The Pier, Part Two");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);
}

static void
test_navigate_away (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *other = gloss_test_server_uri (server, "clip/blog.html");
  g_autofree char *runaway = gloss_test_server_uri (server, "clip/runaway.html");
  WebKitWebView *web_view = gloss_browser_get_web_view (fixture->browser);
  Result res = { 0 };

  load_page (fixture, "clip/rtl.html");

  /* The page goes elsewhere while the clip is under way. */
  gloss_clipper_clip_async (fixture->clipper, web_view, GLOSS_CLIP_MODE_ARTICLE, NULL,
                            NULL, clip_done_cb, &res);
  webkit_web_view_load_uri (web_view, other);
  gloss_test_wait_until (res.done, 30000);

  if (res.clip != NULL)
    {
      /* Correct: the page as it was asked for. */
      g_assert_cmpstr (gloss_clip_get_title (res.clip), ==, "الليلة التي صمد فيها الجسر");
      g_clear_object (&res.clip);
    }
  else
    {
      g_assert_error (res.error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (res.error->message, "changed while it was being clipped"));
      g_clear_error (&res.error);
    }

  /* A page that runs away by itself right after loading (to the blog).
   * A load only shows in is-loading once it has started: wait until the
   * view has left the page of the first part. */
  gloss_browser_load (fixture->browser, runaway);
  gloss_test_wait_until (!webkit_web_view_is_loading (web_view) &&
                         (g_strcmp0 (webkit_web_view_get_uri (web_view), runaway) == 0 ||
                          g_strcmp0 (webkit_web_view_get_uri (web_view), other) == 0), 20000);
  clip = clip_page (fixture, NULL, GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  if (clip != NULL)
    {
      g_test_message ("The runaway page clipped as “%s” at %s", gloss_clip_get_title (clip), gloss_clip_get_url (clip));
      /* The page the article came from, whichever it was: the view may
       * have run on while the clip was written off the main thread. */
      if (g_str_equal (gloss_clip_get_title (clip), "Runaway"))
        g_assert_cmpstr (gloss_clip_get_url (clip), ==, runaway);
      else
        {
          g_assert_cmpstr (gloss_clip_get_title (clip), ==, "The Night the Bridge Held");
          g_assert_cmpstr (gloss_clip_get_url (clip), ==, other);
        }
    }
  else
    g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
}

static void
test_update (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GlossClip) updated = NULL;
  g_autoptr(GlossText) text = NULL;
  g_autofree char *article = NULL;
  g_autofree char *new_text = NULL;
  const char *quotes[] = { "the miller tied his boats", "She spoke for a long time about sandbags" };
  const char *ids[2];
  guint orphans = 99;

  clip = clip_page (fixture, "clip/blog.html", GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_no_error (error);

  article = clip_file (clip, "article.txt");
  text = gloss_text_new (article, -1);

  for (guint i = 0; i < G_N_ELEMENTS (quotes); i++)
    {
      const char *at = strstr (article, quotes[i]);
      guint start = g_utf8_pointer_to_offset (article, at);
      guint end = start + g_utf8_strlen (quotes[i], -1);
      g_autofree char *prefix = NULL;
      g_autofree char *suffix = NULL;
      g_autoptr(GlossAnnotation) annotation = NULL;

      gloss_text_get_context (text, start, end, &prefix, &suffix);
      annotation = gloss_annotation_new (quotes[i], prefix, suffix, start, end, GLOSS_COLOR_YELLOW);
      ids[i] = g_intern_string (gloss_annotation_get_id (annotation));
      g_assert_true (gloss_clip_add_annotation (clip, annotation));
    }
  g_assert_true (gloss_library_save (fixture->library, clip, &error));
  g_assert_no_error (error);

  /* The page changed: a note added at the top, a paragraph removed. */
  updated = clip_page (fixture, "clip/blog-v2.html", GLOSS_CLIP_MODE_ARTICLE, clip, &orphans, &error);
  g_assert_no_error (error);
  g_assert_true (updated == clip);
  g_assert_cmpuint (orphans, ==, 1);

  new_text = clip_file (clip, "article.txt");
  g_assert_nonnull (strstr (new_text, "An editor's note"));
  g_assert_null (strstr (new_text, "The mayor called a meeting"));

  /* Nothing dropped: both annotations are in clip.json; the first moved
   * with its text, the second is an orphan. */
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 2);
  {
    GlossAnnotation *moved = gloss_clip_find_annotation (clip, ids[0]);
    GlossAnnotation *lost = gloss_clip_find_annotation (clip, ids[1]);
    g_autoptr(GlossText) t = gloss_text_new (new_text, -1);
    g_autofree char *at = NULL;

    g_assert_nonnull (moved);
    g_assert_nonnull (lost);
    g_assert_false (gloss_annotation_get_orphan (moved));
    g_assert_true (gloss_annotation_get_orphan (lost));
    at = gloss_text_substring (t, gloss_annotation_get_start (moved), gloss_annotation_get_end (moved));
    g_assert_cmpstr (at, ==, quotes[0]);
  }

  {
    g_autofree char *json = clip_file (clip, "clip.json");

    g_assert_nonnull (strstr (json, ids[0]));
    g_assert_nonnull (strstr (json, ids[1]));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);
}

static void
test_limits (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GlossClip) small = NULL;
  const GlossClipStats *stats;

  /* An image over the size limit is not saved; the clip still is. */
  gloss_clipper_set_image_limits (fixture->clipper, 50, 500);
  load_page (fixture, "clip/images.html");
  clip = clip_page (fixture, NULL, GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_no_error (error);
  stats = gloss_clipper_get_stats (fixture->clipper);
  g_assert_cmpuint (stats->n_images_saved, ==, 0);
  check_on_disk (fixture, clip);

  /* A message over the size limit is refused with a clear message, and
   * nothing is written. */
  gloss_clipper_set_max_message_size (fixture->clipper, 1000);
  small = clip_page (fixture, "clip/blog.html", GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, &error);
  g_assert_null (small);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "This page is too large to clip: Gloss keeps articles of up to 20 MB");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result res = { 0 };

  /* Cancelled while the page is being read, then while the images are
   * being saved: no clip, nothing in the library. */
  load_page (fixture, "clip/blog.html");
  gloss_clipper_clip_async (fixture->clipper, gloss_browser_get_web_view (fixture->browser),
                            GLOSS_CLIP_MODE_ARTICLE, NULL, cancellable, clip_done_cb, &res);
  g_cancellable_cancel (cancellable);
  gloss_test_wait_until (res.done, 30000);
  g_assert_null (res.clip);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&res.error);

  g_cancellable_reset (cancellable);
  memset (&res, 0, sizeof res);
  load_page (fixture, "clip/images.html");
  gloss_clipper_clip_async (fixture->clipper, gloss_browser_get_web_view (fixture->browser),
                            GLOSS_CLIP_MODE_ARTICLE, NULL, cancellable, clip_done_cb, &res);
  g_timeout_add_once (100, (GSourceOnceFunc)g_cancellable_cancel, cancellable);
  gloss_test_wait_until (res.done, 30000);
  if (res.clip != NULL)
    g_clear_object (&res.clip);  /* done before the cancel came */
  else
    g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&res.error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), <=, 1);

  /* No unfinished clip folder is left behind. */
  {
    g_autofree char *clips = g_build_filename (fixture->folder, "clips", NULL);
    g_autoptr(GDir) dir = g_dir_open (clips, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *json = g_build_filename (clips, name, "clip.json", NULL);

        g_assert_true (g_file_test (json, G_FILE_TEST_EXISTS));
      }
  }
}

static void
test_count_words (void)
{
  g_assert_cmpint (gloss_count_words (""), ==, 0);
  g_assert_cmpint (gloss_count_words ("  one, two;three  "), ==, 3);
  g_assert_cmpint (gloss_count_words ("don’t stop-gap"), ==, 2);
  g_assert_cmpint (gloss_count_words ("橋が持つ"), ==, 4);
  g_assert_cmpint (gloss_count_words ("مرحبا بالعالم"), ==, 2);
}

static void
test_cli (void)
{
  g_autofree char *dir = gloss_test_make_dir ("cli-library");
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autofree char *blog = gloss_test_server_uri (server, "clip/blog.html");
  g_autofree char *missing = gloss_test_server_uri (server, "clip/no-such-page.html");
  g_autofree char *not_article = gloss_test_server_uri (server, "clip/not-article.html");
  const char *urls[] = { blog, missing, not_article, NULL };
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) err_lines = NULL;
  int status;

  status = gloss_cli_clip (folder, urls, out, err);
  g_assert_cmpint (status, ==, 1);

  lines = g_strsplit (g_strchomp (out->str), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_true (gloss_id_is_valid (lines[0]));

  err_lines = g_strsplit (g_strchomp (err->str), "\n", -1);
  g_assert_cmpuint (g_strv_length (err_lines), ==, 3);
  g_assert_nonnull (strstr (err_lines[0], "clipped"));
  g_assert_nonnull (strstr (err_lines[1], "404"));
  if (strstr (err_lines[2], "does not look like an article") == NULL)
    g_error ("Unexpected: %s", err_lines[2]);

  {
    g_autofree char *json = g_build_filename (dir, "clips", lines[0], "clip.json", NULL);

    g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));
  }

  /* Clipping it again finds the saved clip. */
  g_string_truncate (out, 0);
  g_string_truncate (err, 0);
  urls[1] = NULL;
  status = gloss_cli_clip (folder, urls, out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out->str, lines[0]));
  g_assert_nonnull (strstr (err->str, "already in the library"));
}

/* A host that takes every connection and never says a word, as far-away
 * ad and analytics servers do when they are overloaded. */
static GSocketService *tarpit;
static GPtrArray *tarpit_connections;
static guint tarpit_port;

static gboolean
tarpit_incoming_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source,
                    gpointer           user_data)
{
  g_ptr_array_add (tarpit_connections, g_object_ref (connection));
  return TRUE;
}

static void
tarpit_start (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  tarpit_connections = g_ptr_array_new_with_free_func (g_object_unref);
  tarpit = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (tarpit), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  tarpit_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (tarpit, "incoming", G_CALLBACK (tarpit_incoming_cb), NULL);
  g_socket_service_start (tarpit);
}

/* tests/fixtures/clip/fight/tarpit*.html, their TARPIT replaced by the
 * tarpit's address. */
static void
tarpit_page_cb (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  g_autofree char *relative = g_strconcat ("fixtures", path, NULL);
  g_autofree char *file = gloss_test_source_path (relative);
  g_autofree char *contents = gloss_test_read_file (file);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", tarpit_port);
  g_auto(GStrv) parts = g_strsplit (contents, "TARPIT", -1);
  char *page = g_strjoinv (host, parts);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page, strlen (page));
}

/* A long page that arrives slowly, a paragraph every 600 ms for 12 s:
 * longer than the queue waits for a document that makes no progress. */
typedef struct
{
  SoupServerMessage *msg;
  guint              sent;
} Trickle;

#define TRICKLE_PARTS 20

static gboolean
trickle_cb (gpointer user_data)
{
  Trickle *trickle = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (trickle->msg);
  g_autofree char *part = NULL;

  if (trickle->sent == 0)
    part = g_strdup ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<title>A Page That Trickles</title></head><body><article>"
                     "<h1>A Page That Trickles</h1>");
  else if (trickle->sent < TRICKLE_PARTS)
    part = g_strdup_printf ("<p>Paragraph %u of the slow page: the harbour was quiet for most of "
                            "the winter, and the fishermen who still went out did so early, before "
                            "the fog came in from the sea.</p>\n", trickle->sent);
  else
    part = g_strdup ("<p>Trickled to the very end, word Sandbar.</p></article></body></html>");

  soup_message_body_append (body, SOUP_MEMORY_TAKE, g_steal_pointer (&part), strlen (part));
  if (trickle->sent == TRICKLE_PARTS)
    soup_message_body_complete (body);
  soup_server_message_unpause (trickle->msg);

  if (trickle->sent++ < TRICKLE_PARTS)
    return G_SOURCE_CONTINUE;

  g_object_unref (trickle->msg);
  g_free (trickle);
  slow_pending--;
  return G_SOURCE_REMOVE;
}

static void
trickle_page_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Trickle *trickle = g_new0 (Trickle, 1);

  trickle->msg = g_object_ref (msg);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "text/html; charset=utf-8", NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_server_message_pause (msg);
  slow_pending++;
  trickle_cb (trickle);
  g_timeout_add (600, trickle_cb, trickle);
}

/* A page behind a password nobody will type. */
static void
auth_page_cb (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  g_autofree char *file = gloss_test_source_path ("fixtures/clip/fight/auth.html");
  char *page = gloss_test_read_file (file);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Basic realm=\"Members\"");
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page, strlen (page));
}

static char *
read_clip_file (const char *library,
                const char *id,
                const char *name)
{
  g_autofree char *path = g_build_filename (library, "clips", id, name, NULL);

  return gloss_test_read_file (path);
}

/* Pages that fight back, each followed by an ordinary page, in one
 * `gloss --clip` run: dialogs never wait for anyone, a script that never
 * ends costs that page only (and its web process), far-away hosts that
 * never answer hold nothing up, and content that arrives late or that
 * scripts write as text is handled. */
static void
test_fight (void)
{
  g_autofree char *dir = gloss_test_make_dir ("fight-library");
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  const char *names[] = {
    "dialogs", "plain-1", "endless", "plain-2", "endless-later", "plain-3",
    "tarpit", "plain-4", "tarpit-blocking", "plain-5", "print", "plain-1.html?again",
    "auth", "plain-2.html?again", "late", "written", "rewritten", "trickle",
  };
  const char *failing[] = { "endless", "endless-later", "auth", NULL };
  g_autoptr(GPtrArray) urls = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_ids, id_index = 0;
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strdup_printf (strchr (names[i], '.') ? "clip/fight/%s" : "clip/fight/%s.html",
                                               names[i]);

      g_ptr_array_add (urls, gloss_test_server_uri (server, path));
    }

  status = gloss_cli_clip (folder, (const char * const *) urls->pdata, out, err);
  g_test_message ("%s", err->str);
  g_assert_cmpint (status, ==, 1);

  /* One line per page, in order: the two endless pages failed with a
   * message, every other page was clipped. */
  lines = g_strsplit (g_strchomp (err->str), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (names));
  ids = g_strsplit (g_strchomp (out->str), "\n", -1);
  n_ids = g_strv_length (ids);
  g_assert_cmpuint (n_ids, ==, G_N_ELEMENTS (names) - (G_N_ELEMENTS (failing) - 1));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gboolean fails = g_strv_contains (failing, names[i]);

      g_assert_nonnull (strstr (lines[i], g_ptr_array_index (urls, i)));
      if (fails)
        g_assert_nonnull (strstr (lines[i], g_str_equal (names[i], "auth") ? "401" : "stopped"));
      else
        {
          g_assert_nonnull (strstr (lines[i], "clipped"));
          g_hash_table_insert (by_name, (gpointer) names[i], ids[id_index++]);
        }
    }

  {
    g_autofree char *text = read_clip_file (dir, g_hash_table_lookup (by_name, "dialogs"), "article.txt");

    g_assert_nonnull (strstr (text, "Bosun"));
  }

  for (guint i = 1; i <= 5; i++)
    {
      static const char *markers[] = { NULL, "Lanternfish", "Cormorant", "Barnacle", "Kittiwake", "Samphire" };
      g_autofree char *name = g_strdup_printf ("plain-%u", i);
      g_autofree char *text = read_clip_file (dir, g_hash_table_lookup (by_name, name), "article.txt");

      g_assert_nonnull (strstr (text, markers[i]));
    }

  /* The image that never came keeps its address; no network hint stays. */
  {
    const char *id = g_hash_table_lookup (by_name, "tarpit");
    g_autofree char *html = read_clip_file (dir, id, "article.html");
    g_autofree char *text = read_clip_file (dir, id, "article.txt");
    g_autofree char *photo = g_strdup_printf ("http://127.0.0.1:%u/photo.jpg", tarpit_port);

    g_assert_nonnull (strstr (text, "Molasses"));
    g_assert_nonnull (strstr (html, photo));
    g_assert_null (strstr (html, "preconnect"));
    g_assert_null (strstr (html, "dns-prefetch"));
    g_assert_null (strstr (html, "<link"));
  }

  /* A page whose parser waits for ever on a far-away script is clipped
   * as far as it got; one that asks to be printed is not held up. */
  {
    g_autofree char *text = read_clip_file (dir, g_hash_table_lookup (by_name, "tarpit-blocking"), "article.txt");

    g_assert_nonnull (strstr (text, "Stuckfast"));
    g_assert_null (strstr (text, "Never parsed"));
  }
  {
    g_autofree char *text = read_clip_file (dir, g_hash_table_lookup (by_name, "print"), "article.txt");

    g_assert_nonnull (strstr (text, "Printer"));
  }
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *text = read_clip_file (dir, g_hash_table_lookup (by_name, i == 0 ? "plain-1.html?again" : "plain-2.html?again"),
                                              "article.txt");

      g_assert_nonnull (strstr (text, i == 0 ? "Lanternfish" : "Cormorant"));
    }

  /* A long page that arrives slowly is clipped whole. */
  {
    g_autofree char *text = read_clip_file (dir, g_hash_table_lookup (by_name, "trickle"), "article.txt");

    g_assert_nonnull (strstr (text, "Paragraph 19 of the slow page"));
    g_assert_nonnull (strstr (text, "Sandbar"));
  }

  /* A page that replaced its article once loaded (a paywall, an overlay)
   * is clipped as it was parsed. */
  {
    g_autofree char *text = read_clip_file (dir, g_hash_table_lookup (by_name, "rewritten"), "article.txt");

    g_assert_nonnull (strstr (text, "Turnstile"));
    g_assert_null (strstr (text, "Subscribe"));
  }

  /* Content that came after the document was ready is in. */
  {
    g_autofree char *text = read_clip_file (dir, g_hash_table_lookup (by_name, "late"), "article.txt");

    g_assert_nonnull (strstr (text, "Driftwood"));
    g_assert_nonnull (strstr (text, "Flotsam"));
  }

  /* What the page wrote as markup is in; markup it wrote as text is not. */
  {
    const char *id = g_hash_table_lookup (by_name, "written");
    g_autofree char *html = read_clip_file (dir, id, "article.html");
    g_autofree char *text = read_clip_file (dir, id, "article.txt");

    g_assert_nonnull (strstr (text, "Inkwell"));
    g_assert_nonnull (strstr (text, "Quill"));
    g_assert_null (strstr (text, "<script"));
    g_assert_null (strstr (text, "showAd"));
    g_assert_null (strstr (html, "script"));
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gloss_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  /* Images from hosts that never answer are given up quickly. */
  g_setenv ("GLOSS_IMAGE_TIMEOUT_MS", "500", TRUE);

  server = gloss_test_server_new ();
  tarpit_start ();
  soup_server_add_handler (gloss_test_server_get_server (server), "/clip/fight/tarpit.html",
                           tarpit_page_cb, NULL, NULL);
  soup_server_add_handler (gloss_test_server_get_server (server), "/clip/fight/tarpit-blocking.html",
                           tarpit_page_cb, NULL, NULL);
  soup_server_add_handler (gloss_test_server_get_server (server), "/clip/fight/auth.html",
                           auth_page_cb, NULL, NULL);
  soup_server_add_handler (gloss_test_server_get_server (server), "/clip/fight/trickle.html",
                           trickle_page_cb, NULL, NULL);
  soup_server_add_handler (gloss_test_server_get_server (server), "/clip/images/slow.png",
                           slow_image_cb, NULL, NULL);
  soup_server_add_handler (gloss_test_server_get_server (server), "/clip/images/notimage.png",
                           not_image_cb, NULL, NULL);

  g_test_add_func ("/clipper/count-words", test_count_words);
  g_test_add ("/clipper/blog", Fixture, NULL, fixture_set_up, test_blog, fixture_tear_down);
  g_test_add ("/clipper/images", Fixture, NULL, fixture_set_up, test_images, fixture_tear_down);
  g_test_add ("/clipper/image-forms", Fixture, NULL, fixture_set_up, test_image_forms, fixture_tear_down);
  g_test_add ("/clipper/rtl", Fixture, NULL, fixture_set_up, test_rtl, fixture_tear_down);
  g_test_add ("/clipper/non-latin", Fixture, NULL, fixture_set_up, test_non_latin, fixture_tear_down);
  g_test_add ("/clipper/not-article", Fixture, NULL, fixture_set_up, test_not_article, fixture_tear_down);
  g_test_add ("/clipper/hostile", Fixture, NULL, fixture_set_up, test_hostile, fixture_tear_down);
  g_test_add ("/clipper/navigate-away", Fixture, NULL, fixture_set_up, test_navigate_away, fixture_tear_down);
  g_test_add ("/clipper/hung-live", Fixture, NULL, fixture_set_up, test_hung_live, fixture_tear_down);
  g_test_add ("/clipper/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/clipper/limits", Fixture, NULL, fixture_set_up, test_limits, fixture_tear_down);
  g_test_add ("/clipper/update", Fixture, NULL, fixture_set_up, test_update, fixture_tear_down);
  g_test_add_func ("/clipper/cli", test_cli);
  g_test_add_func ("/clipper/fight", test_fight);

  status = g_test_run ();

  /* Let the slow handler answer before the server goes. */
  while (slow_pending > 0)
    g_main_context_iteration (NULL, TRUE);
  gloss_test_server_free (server);
  g_socket_service_stop (tarpit);
  g_clear_object (&tarpit);
  g_clear_pointer (&tarpit_connections, g_ptr_array_unref);

  return status;
}
