/* test-reader.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The reader in real WebKit: a clip shown from disk through gloss-clip://,
 * with no network request, no page script, links handed to the window,
 * and its text checked against article.txt. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gloss-library.h"
#include "gloss-reader-view.h"
#include "gloss-test-server.h"
#include "gloss-test-web.h"
#include "gloss-web-context.h"
#include "gloss-test-util.h"
#include "gloss-web-shell.h"

static GlossTestServer *server;

typedef struct
{
  GlossLibrary    *library;
  GlossReaderView *reader;
  GtkWidget       *window;
  char            *folder;
  gboolean         loaded;
  gboolean         text_changed;
  char            *link;
} Fixture;

static void
article_loaded_cb (GlossReaderView *reader,
                   gboolean         text_changed,
                   Fixture         *fixture)
{
  fixture->loaded = TRUE;
  fixture->text_changed = text_changed;
}

static void
open_link_cb (GlossReaderView *reader,
              const char      *uri,
              Fixture         *fixture)
{
  g_free (fixture->link);
  fixture->link = g_strdup (uri);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  static guint n;
  g_autofree char *name = g_strdup_printf ("reader-library-%u", n++);

  fixture->folder = gloss_test_make_dir (name);
  folder = g_file_new_for_path (fixture->folder);
  fixture->library = gloss_library_new (folder);
  g_assert_true (gloss_library_load (fixture->library, NULL, &error));

  fixture->reader = gloss_reader_view_new ();
  g_signal_connect (fixture->reader, "article-loaded", G_CALLBACK (article_loaded_cb), fixture);
  g_signal_connect (fixture->reader, "open-link", G_CALLBACK (open_link_cb), fixture);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (fixture->window),
                        GTK_WIDGET (gloss_reader_view_get_web_view (fixture->reader)));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* The reader may outlive this fixture for a moment (a page message on
   * its way): its handlers must not. */
  g_signal_handlers_disconnect_by_data (fixture->reader, fixture);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->reader);
  g_clear_object (&fixture->library);
  g_free (fixture->folder);
  g_free (fixture->link);
}

/* A clip written as the clipper would, with assets/ first. */
static GlossClip *
add_clip (Fixture    *fixture,
          const char *html,
          const char *text,
          const char *lang,
          const char *dir)
{
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/story", "A Story");
  g_autoptr(GError) error = NULL;
  g_autofree char *assets = g_build_filename (fixture->folder, "clips", gloss_clip_get_id (clip), "assets", NULL);
  g_autofree char *heron_path = gloss_test_source_path ("fixtures/clip/images/heron.png");
  g_autofree char *heron = NULL;
  g_autofree char *target = g_build_filename (assets, "heron.png", NULL);
  gsize length;

  gloss_clip_set_byline (clip, "Ann Author");
  gloss_clip_set_site_name (clip, "Example News");
  gloss_clip_set_published (clip, "2025-05-02T00:00:00Z");
  gloss_clip_set_lang (clip, lang);
  gloss_clip_set_dir (clip, dir);
  gloss_clip_set_word_count (clip, 600);

  g_assert_cmpint (g_mkdir_with_parents (assets, 0755), ==, 0);
  g_assert_true (g_file_get_contents (heron_path, &heron, &length, NULL));
  g_assert_true (g_file_set_contents (target, heron, length, NULL));

  g_assert_true (gloss_library_add (fixture->library, clip, html, text, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&clip);
}

static void
show_clip (Fixture   *fixture,
           GlossClip *clip)
{
  fixture->loaded = FALSE;
  gloss_reader_view_load_clip (fixture->reader, clip);
  gloss_test_wait_until (fixture->loaded, 20000);
}

/* Runs @script in the reader's gloss world, as the annotation code will. */
static char *
reader_eval (Fixture    *fixture,
             const char *script)
{
  return gloss_test_web_eval (gloss_reader_view_get_web_view (fixture->reader), GLOSS_SCRIPT_WORLD, script, 10000);
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *tracker = gloss_test_server_uri (server, "clip/tracker.png");
  g_autofree char *style = gloss_test_server_uri (server, "clip/tracker.css");
  g_autofree char *html = NULL;
  g_autofree char *ran = NULL;
  g_autofree char *width = NULL;
  g_autofree char *classes = NULL;
  g_autofree char *header = NULL;
  g_autoptr(GlossClip) clip = NULL;
  /* With page scripts off WebKit drops <script> from the DOM, so its
   * source is no part of the text. */
  const char *text = "Hello worldSecond paragraph, with a link.";

  html = g_strdup_printf ("<p>Hello <b>world</b></p>"
                          "<script>document.body.setAttribute ('data-script-ran', 'yes');</script>"
                          "<p onclick=\"document.body.setAttribute ('data-script-ran', 'click')\">Second paragraph, with "
                          "<a id=\"ext\" href=\"https://example.org/elsewhere\">a link</a>.</p>"
                          "<img id=\"local\" src=\"assets/heron.png\" alt=\"\">"
                          "<img id=\"remote\" src=\"%s\" alt=\"\">"
                          "<link rel=\"stylesheet\" href=\"%s\">"
                          "<link rel=\"preconnect\" href=\"%s\">"
                          "<LINK REL='dns-prefetch' href=\"%s\">"
                          "<link href=\"%s\" rel=\"prefetch\">",
                          tracker, style, tracker, tracker, tracker);
  clip = add_clip (fixture, html, text, "en", NULL);

  show_clip (fixture, clip);

  /* The text the reader computed is article.txt. */
  g_assert_cmpstr (gloss_reader_view_get_article_text (fixture->reader), ==, text);
  g_assert_false (fixture->text_changed);
  g_assert_false (gloss_reader_view_get_text_changed (fixture->reader));
  g_assert_cmpstr (gloss_reader_view_get_article_text (fixture->reader), ==, text);

  /* The saved image shows, from the clip folder. */
  for (guint i = 0; i < 200; i++)
    {
      g_clear_pointer (&width, g_free);
      width = reader_eval (fixture, "String (document.getElementById ('local').naturalWidth)");
      if (g_str_equal (width, "40"))
        break;
      g_usleep (10000);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpstr (width, ==, "40");

  /* No page script ran, and nothing went to the network. */
  ran = reader_eval (fixture, "String (document.body.getAttribute ('data-script-ran'))");
  g_assert_cmpstr (ran, ==, "null");
  g_clear_pointer (&ran, g_free);
  ran = reader_eval (fixture, "document.getElementById ('ext').parentNode.click (); "
                              "String (document.body.getAttribute ('data-script-ran'))");
  g_assert_cmpstr (ran, ==, "null");
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (gloss_test_server_count (server, "/clip/tracker.png"), ==, 0);
  g_assert_cmpuint (gloss_test_server_count (server, "/clip/tracker.css"), ==, 0);

  /* Network hints open connections before any CSP check: taken out of
   * the page (the stylesheet link stays, blocked by the CSP). */
  {
    g_autofree char *links = reader_eval (fixture, "Array.from (document.querySelectorAll ('link')).map (l => l.rel).join (',')");

    g_assert_cmpstr (links, ==, "stylesheet");
  }

  /* Our template around it. */
  classes = reader_eval (fixture, "document.documentElement.className");
  g_assert_nonnull (strstr (classes, "font-serif"));
  g_assert_null (strstr (classes, "dark"));
  header = reader_eval (fixture, "document.querySelector ('.gloss-meta').textContent + '|' + "
                                 "document.querySelector ('.gloss-title').textContent + '|' + "
                                 "document.querySelector ('.gloss-original a').href");
  g_assert_cmpstr (header, ==, "Ann Author · 2 May 2025 · 3 minutes read|A Story|https://example.org/story");

  /* The font setting applies at once. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_string (settings, "reader-font", "sans");
    g_clear_pointer (&classes, g_free);
    classes = reader_eval (fixture, "document.documentElement.className");
    g_assert_nonnull (strstr (classes, "font-sans"));
    g_assert_null (strstr (classes, "font-serif"));
    g_settings_reset (settings, "reader-font");
  }

  /* Dark follows the window's style manager, without a reload. */
  gloss_reader_view_set_dark (fixture->reader, TRUE);
  g_clear_pointer (&classes, g_free);
  classes = reader_eval (fixture, "document.documentElement.className");
  g_assert_nonnull (strstr (classes, "dark"));
}

static void
test_links (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *clicked = NULL;

  clip = add_clip (fixture,
                   "<p>See <a id=\"ext\" href=\"https://example.org/elsewhere\">elsewhere</a> "
                   "and <a id=\"note\" href=\"#fn1\">note</a>.</p><p id=\"fn1\">Footnote.</p>",
                   "See elsewhere and note.Footnote.", "en", NULL);
  show_clip (fixture, clip);
  uri = g_strdup_printf ("gloss-clip://%s/", gloss_clip_get_id (clip));

  clicked = reader_eval (fixture, "document.getElementById ('ext').click (); 'clicked'");
  g_assert_cmpstr (clicked, ==, "clicked");
  gloss_test_wait_until (fixture->link != NULL, 10000);

  /* Handed to the window, never followed in the reader. */
  g_assert_cmpstr (fixture->link, ==, "https://example.org/elsewhere");
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (webkit_web_view_get_uri (gloss_reader_view_get_web_view (fixture->reader)), ==, uri);
}

static void
notified_cb (GObject    *object,
             GParamSpec *pspec,
             gboolean   *notified)
{
  *notified = TRUE;
}

static void
test_text_changed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *path = NULL;
  gboolean notified = FALSE;

  clip = add_clip (fixture, "<p>One two three.</p>", "One two three.", "en", NULL);
  show_clip (fixture, clip);
  g_assert_false (gloss_reader_view_get_text_changed (fixture->reader));

  /* article.txt no longer matches what the reader computes. */
  path = g_build_filename (g_file_peek_path (gloss_clip_get_folder (clip)), "article.txt", NULL);
  g_assert_true (g_file_set_contents (path, "One two three, four.", -1, NULL));

  g_signal_connect (fixture->reader, "notify::text-changed", G_CALLBACK (notified_cb), &notified);
  show_clip (fixture, clip);
  g_assert_true (fixture->text_changed);
  g_assert_true (gloss_reader_view_get_text_changed (fixture->reader));
  g_assert_true (notified);
}

static void
test_rtl (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *dir = NULL;

  clip = add_clip (fixture, "<h2>A Story</h2><p>كان النهر يرتفع</p>", "A Storyكان النهر يرتفع", "ar", "rtl");
  show_clip (fixture, clip);
  g_assert_false (fixture->text_changed);

  /* The article's own heading repeats the title: shown once. */
  {
    g_autofree char *hidden = reader_eval (fixture, "String (document.querySelector ('.gloss-title').hidden)");

    g_assert_cmpstr (hidden, ==, "true");
  }

  dir = reader_eval (fixture, "document.documentElement.dir + ' ' + document.documentElement.lang + ' ' + "
                              "getComputedStyle (document.getElementById ('gloss-article')).direction");
  g_assert_cmpstr (dir, ==, "rtl ar rtl");
}

/* The scheme serves what readers show now, and nothing else: a clip shown
 * before is pruned, so that a long session does not keep them all. */
static void
test_served (Fixture       *fixture,
             gconstpointer  data)
{
  GlossClipScheme *scheme = gloss_web_shell_get_clip_scheme (gloss_web_shell_get_default ());
  g_autoptr(GlossClip) first = add_clip (fixture, "<p>One</p>", "One", "en", NULL);
  g_autoptr(GlossClip) second = add_clip (fixture, "<p>Two</p>", "Two", "en", NULL);
  guint before = gloss_clip_scheme_get_n_served (scheme);
  g_autofree char *fetched = NULL;

  show_clip (fixture, first);
  g_assert_cmpuint (gloss_clip_scheme_get_n_served (scheme), ==, before + 1);
  show_clip (fixture, second);
  g_assert_cmpuint (gloss_clip_scheme_get_n_served (scheme), ==, before + 1);

  /* An image of the first clip no longer loads; the shown clip's does. */
  {
    g_autofree char *script = g_strdup_printf ("for (const [id, clip] of [['probe', '%s'], ['own', '%s']]) {"
                                               "  const i = new Image (); i.id = id;"
                                               "  i.src = 'gloss-clip://' + clip + '/assets/heron.png';"
                                               "  document.body.appendChild (i); }"
                                               "'added'",
                                               gloss_clip_get_id (first), gloss_clip_get_id (second));
    g_autofree char *added = reader_eval (fixture, script);

    g_assert_cmpstr (added, ==, "added");
    for (guint i = 0; i < 500; i++)
      {
        g_clear_pointer (&fetched, g_free);
        fetched = reader_eval (fixture, "(function (p, o) {"
                                        "  return (p.complete && o.complete) ? p.naturalWidth + ' ' + o.naturalWidth : 'waiting';"
                                        "}) (document.getElementById ('probe'), document.getElementById ('own'))");
        if (!g_str_equal (fetched, "waiting"))
          break;
        g_usleep (10000);
      }
    g_assert_cmpstr (fetched, ==, "0 40");
  }
}

static void
test_asset_names (void)
{
  g_assert_true (gloss_reader_asset_name_is_valid ("0a1b2c.png"));
  g_assert_true (gloss_reader_asset_name_is_valid ("heron_2-x.jpg"));
  g_assert_false (gloss_reader_asset_name_is_valid (NULL));
  g_assert_false (gloss_reader_asset_name_is_valid (""));
  g_assert_false (gloss_reader_asset_name_is_valid ("."));
  g_assert_false (gloss_reader_asset_name_is_valid (".."));
  g_assert_false (gloss_reader_asset_name_is_valid ("../clip.json"));
  g_assert_false (gloss_reader_asset_name_is_valid ("a/b.png"));
  g_assert_false (gloss_reader_asset_name_is_valid ("a..png"));
  g_assert_false (gloss_reader_asset_name_is_valid (".hidden"));
  g_assert_false (gloss_reader_asset_name_is_valid ("a%2Fb"));
  g_assert_false (gloss_reader_asset_name_is_valid ("a\\b"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gloss_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  server = gloss_test_server_new ();

  g_test_add_func ("/reader/asset-names", test_asset_names);
  g_test_add ("/reader/offline", Fixture, NULL, fixture_set_up, test_offline, fixture_tear_down);
  g_test_add ("/reader/links", Fixture, NULL, fixture_set_up, test_links, fixture_tear_down);
  g_test_add ("/reader/text-changed", Fixture, NULL, fixture_set_up, test_text_changed, fixture_tear_down);
  g_test_add ("/reader/rtl", Fixture, NULL, fixture_set_up, test_rtl, fixture_tear_down);
  g_test_add ("/reader/served", Fixture, NULL, fixture_set_up, test_served, fixture_tear_down);

  status = g_test_run ();
  gloss_test_server_free (server);

  return status;
}
