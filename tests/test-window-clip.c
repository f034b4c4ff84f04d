/* test-window-clip.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Clipping from the window: Clip opens the new clip in the reader, Clip
 * Whole Page works where Clip does not, the reader's links and zoom, and
 * the way back to the live page. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gloss-test-server.h"
#include "gloss-test-util.h"
#include "gloss-window.h"

static GlossTestServer *server;

typedef struct
{
  GlossLibrary    *library;
  GlossWindow     *window;
  GlossReaderView *reader;
  gulong           loaded_id;
  gboolean         loaded;
} Fixture;

static void
article_loaded_cb (GlossReaderView *reader,
                   gboolean         text_changed,
                   Fixture         *fixture)
{
  g_assert_false (text_changed);
  fixture->loaded = TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("window-library-%u", n++);
  g_autofree char *dir = gloss_test_make_dir (name);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;

  fixture->library = gloss_library_new (folder);
  g_assert_true (gloss_library_load (fixture->library, NULL, &error));

  fixture->window = gloss_window_new (NULL);
  gloss_window_set_library (fixture->window, fixture->library, NULL);
  /* The reader can outlive its window for a moment (a page message on its
   * way): the handler must not outlive this fixture. */
  fixture->reader = g_object_ref (gloss_window_get_reader (fixture->window));
  fixture->loaded_id = g_signal_connect (fixture->reader, "article-loaded",
                                         G_CALLBACK (article_loaded_cb), fixture);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_signal_handler (&fixture->loaded_id, fixture->reader);
  g_clear_object (&fixture->reader);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->library);
}

static void
open_page (Fixture    *fixture,
           const char *path)
{
  g_autofree char *uri = gloss_test_server_uri (server, path);
  WebKitWebView *web_view;

  gloss_window_open (fixture->window, uri);
  web_view = gloss_browser_get_web_view (gloss_window_get_browser (fixture->window));
  gloss_test_wait_until (!webkit_web_view_is_loading (web_view) &&
                         g_strcmp0 (webkit_web_view_get_uri (web_view), uri) == 0, 20000);
}

static void
test_clip_opens_reader (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *uri = gloss_test_server_uri (server, "clip/blog.html");
  GlossReaderView *reader = gloss_window_get_reader (fixture->window);
  GlossBrowser *browser;
  GlossClip *clip;

  open_page (fixture, "clip/blog.html");
  browser = gloss_window_get_browser (fixture->window);
  gloss_test_wait_until (gloss_browser_get_readerable (browser), 10000);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.clip", NULL);
  gloss_test_wait_until (fixture->loaded, 30000);

  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "reader");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);
  clip = gloss_reader_view_get_clip (reader);
  g_assert_nonnull (clip);
  g_assert_cmpstr (gloss_clip_get_url (clip), ==, uri);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "The Night the Bridge Held");

  /* Zoom belongs to the reader, kept in GSettings. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    WebKitWebView *web_view = gloss_reader_view_get_web_view (reader);

    g_settings_set_double (settings, "reader-zoom", 1.0);
    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.zoom-in", NULL);
    g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "reader-zoom"), 1.1, 0.001);
    g_assert_cmpfloat_with_epsilon (webkit_web_view_get_zoom_level (web_view), 1.1, 0.001);
    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.zoom-reset", NULL);
    g_assert_cmpfloat_with_epsilon (webkit_web_view_get_zoom_level (web_view), 1.0, 0.001);
  }

  /* A link in the reader opens in the live view. */
  {
    g_autofree char *other = gloss_test_server_uri (server, "clip/rtl.html");

    g_signal_emit_by_name (reader, "open-link", other);
    g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "web");
    g_assert_cmpstr (gloss_browser_get_uri (browser), ==, other);
  }

  /* And back to the reader, then to the live page of the clip. */
  gloss_window_open_clip (fixture->window, clip);
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "reader");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL);
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "web");
  g_assert_cmpstr (gloss_browser_get_uri (browser), ==, uri);
}

static void
test_clip_whole_page (Fixture       *fixture,
                      gconstpointer  data)
{
  GlossReaderView *reader = gloss_window_get_reader (fixture->window);
  g_autofree char *html = NULL;
  g_autofree char *path = NULL;

  open_page (fixture, "clip/not-article.html");
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.clip-whole-page", NULL);
  gloss_test_wait_until (fixture->loaded, 30000);

  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "reader");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);

  path = g_build_filename (g_file_peek_path (gloss_clip_get_folder (gloss_reader_view_get_clip (reader))),
                           "article.html", NULL);
  html = gloss_test_read_file (path);
  g_assert_nonnull (strstr (html, "Sign in"));
  g_assert_null (strstr (html, "<script"));
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

  g_test_add ("/window-clip/opens-reader", Fixture, NULL, fixture_set_up, test_clip_opens_reader, fixture_tear_down);
  g_test_add ("/window-clip/whole-page", Fixture, NULL, fixture_set_up, test_clip_whole_page, fixture_tear_down);

  status = g_test_run ();
  gloss_test_server_free (server);

  return status;
}
