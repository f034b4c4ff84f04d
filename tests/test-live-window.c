/* test-live-window.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The live page in the real window and real WebKit (issue 14's window
 * part): the header bar says Open Clip on a page that is in the library
 * and Clip on another, the library row of that clip is selected, Update
 * Clip keeps the highlights, Highlight on a page not clipped yet clips it
 * and stores the highlight (which the reader then shows at the same
 * words), and the panel lists a highlight the changed page lacks under
 * "Not on this page". Pages come from a SoupServer on 127.0.0.1, made
 * here so that a test can change one between two loads. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gloss-annotations-panel.h"
#include "gloss-import.h"
#include "gloss-library-view.h"
#include "gloss-test-server.h"
#include "gloss-test-web.h"
#include "gloss-web-context.h"
#include "gloss-test-util.h"
#include "gloss-url.h"
#include "gloss-window.h"

static GlossTestServer *server;
/* Served at /live-window/changing: 1 the article as clipped, 2 without
 * its second paragraph. */
static int changing_version = 1;

#define PARAGRAPH_1 "The lighthouse keeper climbed the stairs every evening at dusk, counting the steps aloud."
#define PARAGRAPH_2 "Her logbook recorded every ship that passed, with its flag, its cargo and the state of the sea."
#define PARAGRAPH_3 "When the lamp was finally automated, she kept writing in the logbook anyway, out of habit."
#define PARAGRAPH_4 "Visitors who climbed the tower later found her notes and read them by the light of the lamp."

static char *
article_page (const char *title,
              gboolean    with_second)
{
  return g_strdup_printf ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<title>%s</title></head><body><main><article>"
                          "<h1>%s</h1>"
                          "<p>" PARAGRAPH_1 " The island had no trees, only grass bent flat by the wind, and a path of white stones.</p>"
                          "%s"
                          "<p>" PARAGRAPH_3 " The automatic lamp never needed her, and she never needed it to need her.</p>"
                          "<p>" PARAGRAPH_4 " Some of them copied whole pages, others only the weather at the top.</p>"
                          "</article></main></body></html>",
                          title, title,
                          with_second ? "<p>" PARAGRAPH_2 " Storms got a page of their own, written by candlelight when the power failed.</p>" : "");
}

static void
page_cb (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  g_autofree char *body = NULL;
  g_autofree char *page = g_strdup (path);

  /* One page under both spellings, with and without a trailing slash. */
  if (g_str_has_suffix (page, "/"))
    page[strlen (page) - 1] = '\0';
  path = page;

  if (g_str_equal (path, "/live-window/changing"))
    body = article_page ("The Keeper of the Light", changing_version == 1);
  else if (g_str_equal (path, "/live-window/keeper"))
    body = article_page ("The Keeper of the Light", TRUE);
  else if (g_str_equal (path, "/live-window/other"))
    body = article_page ("Another Lighthouse Story", TRUE);
  else if (g_str_equal (path, "/live-window/short"))
    /* Too little text for Readability: not an article. */
    body = g_strdup ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Tide table</title></head>"
                     "<body><p>High water at nine, low water at three.</p></body></html>");
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, body, strlen (body));
}

typedef struct
{
  GlossLibrary *library;
  GlossWindow  *window;
  guint         highlighted;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("live-window-%u", n++);
  g_autofree char *dir = gloss_test_make_dir (name);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;

  changing_version = 1;
  fixture->library = gloss_library_new (folder);
  g_assert_true (gloss_library_load (fixture->library, NULL, &error));

  fixture->window = gloss_window_new (NULL);
  gloss_window_set_library (fixture->window, fixture->library, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->library);
}

static GlossAnnotator *
live_annotator (Fixture *fixture)
{
  return gloss_reader_pane_get_annotator (gloss_window_get_live_pane (fixture->window));
}

static WebKitWebView *
live_web_view (Fixture *fixture)
{
  return gloss_browser_get_web_view (gloss_window_get_browser (fixture->window));
}

static const char *
clip_stack_page (Fixture *fixture)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                             GLOSS_TYPE_WINDOW, "clip_stack"));

  return gtk_stack_get_visible_child_name (stack);
}

static GtkWidget *
clip_progress (Fixture *fixture)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                    GLOSS_TYPE_WINDOW, "clip_progress"));
}

/* Opens @uri in the live view and waits until it has loaded and, if it is
 * a clipped page, until its highlights are anchored and painted. */
static void
open_live (Fixture    *fixture,
           const char *uri)
{
  WebKitWebView *web_view;

  gloss_window_open (fixture->window, uri);
  web_view = live_web_view (fixture);
  gloss_test_wait_until (!webkit_web_view_is_loading (web_view) &&
                         g_strcmp0 (webkit_web_view_get_uri (web_view), uri) == 0, 20000);
  if (gloss_window_get_live_clip (fixture->window) != NULL)
    gloss_test_wait_until (gloss_annotator_get_clip (live_annotator (fixture)) ==
                             gloss_window_get_live_clip (fixture->window) &&
                           gloss_annotator_get_painted (live_annotator (fixture)), 20000);
}

static void
article_loaded_cb (GlossReaderView *reader,
                   gboolean         text_changed,
                   gboolean        *loaded)
{
  *loaded = TRUE;
}

/* Clips the page in the live view with the window's Clip and waits until
 * the reader shows the clip. */
static GlossClip *
clip_live_page (Fixture *fixture)
{
  GlossReaderView *reader = gloss_window_get_reader (fixture->window);
  gboolean loaded = FALSE;
  gulong id;

  gloss_test_wait_until (gloss_browser_get_readerable (gloss_window_get_browser (fixture->window)), 10000);
  id = g_signal_connect (reader, "article-loaded", G_CALLBACK (article_loaded_cb), &loaded);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.clip", NULL);
  gloss_test_wait_until (loaded, 30000);
  g_signal_handler_disconnect (reader, id);

  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "reader");
  return gloss_reader_view_get_clip (reader);
}

/* Highlights @quote of the clip shown in the reader, by its place in
 * article.txt. */
static GlossAnnotation *
highlight_in_reader (Fixture    *fixture,
                     const char *quote)
{
  GlossAnnotator *annotator = gloss_reader_pane_get_annotator (gloss_window_get_reader_pane (fixture->window));
  GlossClip *clip = gloss_annotator_get_clip (annotator);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GlossAnnotation *annotation;
  const char *at;
  guint start;

  gloss_test_wait_until (gloss_annotator_get_painted (annotator), 20000);
  text = gloss_clip_load_article_text (clip, &error);
  g_assert_no_error (error);
  at = strstr (text, quote);
  g_assert_nonnull (at);
  start = g_utf8_pointer_to_offset (text, at);

  annotation = gloss_annotator_add (annotator, start, start + g_utf8_strlen (quote, -1),
                                    GLOSS_COLOR_GREEN, &error);
  g_assert_no_error (error);
  gloss_annotator_flush (annotator);
  return annotation;
}

static void
test_header_follows_page (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *keeper = gloss_test_server_uri (server, "live-window/keeper");
  g_autofree char *other = gloss_test_server_uri (server, "live-window/other");
  g_autofree char *tracked = g_strconcat (keeper, "/?utm_source=newsletter&fbclid=abc#comments", NULL);
  GlossLibraryView *library_view = gloss_window_get_library_view (fixture->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GlossClip *clip;

  /* Not in the library: Clip. */
  open_live (fixture, keeper);
  g_assert_null (gloss_window_get_live_clip (fixture->window));
  g_assert_cmpstr (clip_stack_page (fixture), ==, "clip");
  g_assert_null (gloss_library_view_get_selected_clip (library_view));

  clip = clip_live_page (fixture);
  id = g_strdup (gloss_clip_get_id (clip));
  /* The reader's clip is the selected row too. */
  g_assert_true (gloss_library_view_get_selected_clip (library_view) == clip);

  /* Back to the live page (Ctrl+Shift+L): Open Clip, its row selected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "web");
  g_assert_true (gloss_window_get_live_clip (fixture->window) == clip);
  g_assert_cmpstr (clip_stack_page (fixture), ==, "open");
  g_assert_true (gloss_library_view_get_selected_clip (library_view) == clip);
  g_assert_true (gloss_annotator_get_clip (live_annotator (fixture)) == clip);

  /* Another page: Clip again, no row selected. */
  open_live (fixture, other);
  g_assert_null (gloss_window_get_live_clip (fixture->window));
  g_assert_cmpstr (clip_stack_page (fixture), ==, "clip");
  g_assert_null (gloss_library_view_get_selected_clip (library_view));
  g_assert_null (gloss_annotator_get_clip (live_annotator (fixture)));

  /* The same page spelled with a trailing slash, tracking and a fragment. */
  open_live (fixture, tracked);
  g_assert_true (gloss_window_get_live_clip (fixture->window) == clip);
  g_assert_cmpstr (clip_stack_page (fixture), ==, "open");

  /* Open Clip opens it in the reader. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-live-clip", NULL));
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "reader");
  g_assert_true (gloss_reader_view_get_clip (gloss_window_get_reader (fixture->window)) == clip);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "web");
  /* Ctrl+Shift+L goes both ways on a clipped page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "reader");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "web");

  /* The library changes while the page is shown: deleted, then back. */
  g_assert_true (gloss_library_delete (fixture->library, clip, &error));
  g_assert_no_error (error);
  g_assert_null (gloss_window_get_live_clip (fixture->window));
  g_assert_cmpstr (clip_stack_page (fixture), ==, "clip");
  g_assert_true (gloss_library_restore (fixture->library, id, &error));
  g_assert_no_error (error);
  clip = gloss_window_get_live_clip (fixture->window);
  g_assert_nonnull (clip);
  g_assert_cmpstr (gloss_clip_get_id (clip), ==, id);
  g_assert_cmpstr (clip_stack_page (fixture), ==, "open");
  g_assert_true (gloss_library_view_get_selected_clip (library_view) == clip);
}

static void
test_update_keeps_annotations (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *keeper = gloss_test_server_uri (server, "live-window/keeper");
  GlossReaderView *reader = gloss_window_get_reader (fixture->window);
  g_autofree char *id = NULL;
  g_autofree char *annotation_id = NULL;
  gboolean loaded = FALSE;
  GlossClip *clip;
  gulong handler;

  open_live (fixture, keeper);
  clip = clip_live_page (fixture);
  id = g_strdup (gloss_clip_get_id (clip));
  annotation_id = g_strdup (gloss_annotation_get_id (highlight_in_reader (fixture, "counting the steps aloud")));
  gloss_clip_add_tag (clip, "sea");
  gloss_annotator_save_clip (gloss_reader_pane_get_annotator (gloss_window_get_reader_pane (fixture->window)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  g_assert_cmpstr (clip_stack_page (fixture), ==, "open");

  handler = g_signal_connect (reader, "article-loaded", G_CALLBACK (article_loaded_cb), &loaded);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.update-clip", NULL));
  gloss_test_wait_until (loaded, 30000);
  g_signal_handler_disconnect (reader, handler);

  /* The same clip, its highlight and tag kept and anchored again. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);
  clip = gloss_reader_view_get_clip (reader);
  g_assert_cmpstr (gloss_clip_get_id (clip), ==, id);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);
  {
    g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);

    g_assert_cmpstr (gloss_annotation_get_id (annotation), ==, annotation_id);
    g_assert_cmpstr (gloss_annotation_get_exact (annotation), ==, "counting the steps aloud");
    g_assert_false (gloss_annotation_get_orphan (annotation));
  }
  g_assert_true (g_strv_contains (gloss_clip_get_tags (clip), "sea"));

  /* And on the live page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  gloss_test_wait_until (gloss_annotator_get_clip (live_annotator (fixture)) == clip &&
                         gloss_annotator_get_painted (live_annotator (fixture)), 20000);
  g_assert_true (gloss_annotator_is_on_page (live_annotator (fixture), annotation_id));
}

/* Selects @quote in the live page (the page's own world: the selection is
 * the document's, as a user's drag makes it). */
static void
select_live (Fixture    *fixture,
             const char *quote)
{
  g_autofree char *script = g_strdup_printf (
    "(function (quote) {"
    "  const walker = document.createTreeWalker (document.body, NodeFilter.SHOW_TEXT);"
    "  for (let n = walker.nextNode (); n; n = walker.nextNode ()) {"
    "    const i = n.data.indexOf (quote);"
    "    if (i < 0) continue;"
    "    const range = document.createRange ();"
    "    range.setStart (n, i); range.setEnd (n, i + quote.length);"
    "    const sel = window.getSelection ();"
    "    sel.removeAllRanges (); sel.addRange (range);"
    "    return sel.toString ();"
    "  }"
    "  return '';"
    "}) ('%s')", quote);
  g_autofree char *out = gloss_test_web_eval (live_web_view (fixture), NULL, script, 10000);

  g_assert_cmpstr (out, ==, quote);
}

static void
highlighted_cb (GlossAnnotator  *annotator,
                GlossAnnotation *annotation,
                Fixture         *fixture)
{
  fixture->highlighted++;
}

static void
test_highlight_clips_first (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *other = gloss_test_server_uri (server, "live-window/other");
  GlossReaderPane *live_pane;
  GlossClip *clip;
  g_autoptr(GlossAnnotation) annotation = NULL;

  open_live (fixture, other);
  g_assert_null (gloss_window_get_live_clip (fixture->window));
  live_pane = gloss_window_get_live_pane (fixture->window);
  g_signal_connect (live_annotator (fixture), "highlighted", G_CALLBACK (highlighted_cb), fixture);

  /* Ctrl+H on the live page of a page not in the library. */
  select_live (fixture, "with its flag, its cargo");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (live_pane), "reader.highlight", NULL));
  gloss_test_wait_until (fixture->highlighted == 1, 30000);

  /* Clipped, the live page stays, and the highlight is in the clip. */
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "web");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);
  clip = gloss_window_get_live_clip (fixture->window);
  g_assert_nonnull (clip);
  g_assert_true (gloss_annotator_get_clip (live_annotator (fixture)) == clip);
  g_assert_cmpstr (clip_stack_page (fixture), ==, "open");
  g_assert_true (gloss_library_view_get_selected_clip (gloss_window_get_library_view (fixture->window)) == clip);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);
  annotation = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpstr (gloss_annotation_get_exact (annotation), ==, "with its flag, its cargo");

  /* On disk, and in the reader at the same words. */
  gloss_annotator_flush (live_annotator (fixture));
  {
    g_autoptr(GlossClip) read = NULL;
    g_autoptr(GFile) folder = g_file_get_child (gloss_library_get_clips_folder (fixture->library),
                                                gloss_clip_get_id (clip));
    g_autoptr(GError) error = NULL;

    read = gloss_clip_load (folder, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (gloss_clip_get_n_annotations (read), ==, 1);
  }
  {
    GlossAnnotator *reader_annotator;
    g_autofree char *text = NULL;
    guint start, end;

    gloss_window_open_clip (fixture->window, clip);
    reader_annotator = gloss_reader_pane_get_annotator (gloss_window_get_reader_pane (fixture->window));
    gloss_test_wait_until (gloss_annotator_get_clip (reader_annotator) == clip &&
                           gloss_annotator_get_painted (reader_annotator), 20000);
    g_assert_true (gloss_annotator_get_range (reader_annotator, gloss_annotation_get_id (annotation), &start, &end));
    text = gloss_clip_load_article_text (clip, NULL);
    g_assert_nonnull (text);
    {
      g_autofree char *words = g_utf8_substring (text, start, end);

      g_assert_cmpstr (words, ==, "with its flag, its cargo");
    }
  }
}

/* A page that is no article is clipped whole for its highlight: still one
 * action for the person. */
static void
test_highlight_clips_whole_page (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *short_page = gloss_test_server_uri (server, "live-window/short");
  GlossClip *clip;
  g_autoptr(GlossAnnotation) annotation = NULL;

  open_live (fixture, short_page);
  g_signal_connect (live_annotator (fixture), "highlighted", G_CALLBACK (highlighted_cb), fixture);
  select_live (fixture, "low water at three");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gloss_window_get_live_pane (fixture->window)),
                                             "reader.highlight", NULL));
  gloss_test_wait_until (fixture->highlighted == 1, 30000);

  clip = gloss_window_get_live_clip (fixture->window);
  g_assert_nonnull (clip);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);
  annotation = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpstr (gloss_annotation_get_exact (annotation), ==, "low water at three");
}

/* The page cannot be clipped (the library's clips/ is a file): nothing is
 * stored, and the highlight is not kept for a later clip either. */
static void
test_highlight_clip_fails (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *other = gloss_test_server_uri (server, "live-window/other");
  GFile *clips = gloss_library_get_clips_folder (fixture->library);
  g_autofree char *clips_path = g_file_get_path (clips);
  g_autofree char *aside = g_strconcat (clips_path, ".aside", NULL);
  GlossClip *clip;

  open_live (fixture, other);
  g_signal_connect (live_annotator (fixture), "highlighted", G_CALLBACK (highlighted_cb), fixture);
  if (g_file_test (clips_path, G_FILE_TEST_IS_DIR))
    g_assert_cmpint (g_rename (clips_path, aside), ==, 0);
  g_assert_true (g_file_set_contents (clips_path, "not a folder", -1, NULL));

  select_live (fixture, "with its flag, its cargo");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gloss_window_get_live_pane (fixture->window)),
                                             "reader.highlight", NULL));
  /* The clip is made and fails: the window's progress shows, then goes
   * (a WebKit round trip at least lies between the two). */
  gloss_test_wait_until (gtk_widget_get_visible (clip_progress (fixture)), 20000);
  gloss_test_wait_until (!gtk_widget_get_visible (clip_progress (fixture)), 30000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 0);
  g_assert_null (gloss_window_get_live_clip (fixture->window));
  g_assert_null (gloss_annotator_get_clip (live_annotator (fixture)));
  g_assert_cmpuint (fixture->highlighted, ==, 0);

  /* The folder back, the page clipped by hand: the failed highlight does
   * not turn up in it. */
  g_assert_cmpint (g_unlink (clips_path), ==, 0);
  if (g_file_test (aside, G_FILE_TEST_IS_DIR))
    g_assert_cmpint (g_rename (aside, clips_path), ==, 0);
  clip = clip_live_page (fixture);
  g_assert_nonnull (clip);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  gloss_test_wait_until (gloss_annotator_get_clip (live_annotator (fixture)) == clip &&
                         gloss_annotator_get_painted (live_annotator (fixture)), 20000);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 0);
  g_assert_cmpuint (fixture->highlighted, ==, 0);
}

/* For test_highlight_leave_while_clipping: the page is left once the
 * clip has what it needs of it and is about to be written. */
typedef struct
{
  Fixture    *fixture;
  const char *uri;
  const char *quote;  /* highlighted on the new page, if not NULL */
  gboolean    left;
} LeaveData;

static void
leave_while_saving_cb (GtkProgressBar *bar,
                       GParamSpec     *pspec,
                       LeaveData      *leave)
{
  WebKitWebView *web_view = live_web_view (leave->fixture);

  /* "Saving the clip" (0.95): the page was read, the folder not written;
   * the writing starts when this handler returns. */
  if (leave->left || gtk_progress_bar_get_fraction (bar) < 0.95 ||
      gtk_progress_bar_get_fraction (bar) >= 1.0)
    return;

  leave->left = TRUE;
  gloss_window_open (leave->fixture->window, leave->uri);
  gloss_test_wait_until (!webkit_web_view_is_loading (web_view) &&
                         g_strcmp0 (webkit_web_view_get_uri (web_view), leave->uri) == 0, 20000);

  /* Highlight on the new page while the old one is still being clipped. */
  if (leave->quote != NULL)
    {
      select_live (leave->fixture, leave->quote);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gloss_window_get_live_pane (leave->fixture->window)),
                                                 "reader.highlight", NULL));
    }
}

/* Highlight on page A, and the person goes to page B while A is being
 * clipped for it: A is clipped, but B does not become A's clip (its
 * header, highlights and Update Clip would all be A's), and the
 * highlight is not claimed kept. */
static void
test_highlight_leave_while_clipping (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *other = gloss_test_server_uri (server, "live-window/other");
  g_autofree char *keeper = gloss_test_server_uri (server, "live-window/keeper");
  LeaveData leave = { fixture, keeper, NULL, FALSE };
  g_autoptr(GlossClip) clip = NULL;
  gulong handler;

  open_live (fixture, other);
  g_signal_connect (live_annotator (fixture), "highlighted", G_CALLBACK (highlighted_cb), fixture);
  handler = g_signal_connect (clip_progress (fixture), "notify::fraction",
                              G_CALLBACK (leave_while_saving_cb), &leave);

  select_live (fixture, "with its flag, its cargo");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gloss_window_get_live_pane (fixture->window)),
                                             "reader.highlight", NULL));
  gloss_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)) == 1 &&
                         !gtk_widget_get_visible (clip_progress (fixture)), 30000);
  g_signal_handler_disconnect (clip_progress (fixture), handler);
  g_assert_true (leave.left);

  /* Page A is in the library, under its own address. */
  clip = g_list_model_get_item (G_LIST_MODEL (fixture->library), 0);
  g_assert_true (gloss_url_same_page (gloss_clip_get_url (clip), other));

  /* Page B is shown, not clipped, with nothing of A on it. */
  g_assert_cmpstr (webkit_web_view_get_uri (live_web_view (fixture)), ==, keeper);
  g_assert_null (gloss_window_get_live_clip (fixture->window));
  g_assert_cmpstr (clip_stack_page (fixture), ==, "clip");
  g_assert_null (gloss_annotator_get_clip (live_annotator (fixture)));
  g_assert_null (gloss_library_view_get_selected_clip (gloss_window_get_library_view (fixture->window)));

  /* The highlight went with page A: not stored, not claimed. */
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 0);
  g_assert_cmpuint (fixture->highlighted, ==, 0);
}

/* As above, and the person highlights on page B while A is still being
 * clipped: B is clipped next, for its highlight, which is stored in B's
 * clip; A's clip keeps nothing. */
static void
test_highlight_on_next_page_while_clipping (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autofree char *other = gloss_test_server_uri (server, "live-window/other");
  g_autofree char *keeper = gloss_test_server_uri (server, "live-window/keeper");
  LeaveData leave = { fixture, keeper, "counting the steps aloud", FALSE };
  g_autoptr(GlossAnnotation) annotation = NULL;
  GlossClip *clip;
  gulong handler;

  open_live (fixture, other);
  g_signal_connect (live_annotator (fixture), "highlighted", G_CALLBACK (highlighted_cb), fixture);
  handler = g_signal_connect (clip_progress (fixture), "notify::fraction",
                              G_CALLBACK (leave_while_saving_cb), &leave);

  select_live (fixture, "with its flag, its cargo");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gloss_window_get_live_pane (fixture->window)),
                                             "reader.highlight", NULL));
  gloss_test_wait_until (fixture->highlighted == 1, 60000);
  g_signal_handler_disconnect (clip_progress (fixture), handler);
  g_assert_true (leave.left);

  /* Both pages clipped; B is the live clip, with B's highlight. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 2);
  clip = gloss_window_get_live_clip (fixture->window);
  g_assert_nonnull (clip);
  g_assert_true (gloss_url_same_page (gloss_clip_get_url (clip), keeper));
  g_assert_true (gloss_annotator_get_clip (live_annotator (fixture)) == clip);
  g_assert_cmpstr (clip_stack_page (fixture), ==, "open");
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);
  annotation = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpstr (gloss_annotation_get_exact (annotation), ==, "counting the steps aloud");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GlossClip) each = g_list_model_get_item (G_LIST_MODEL (fixture->library), i);

      if (each != clip)
        {
          g_assert_true (gloss_url_same_page (gloss_clip_get_url (each), other));
          g_assert_cmpuint (gloss_clip_get_n_annotations (each), ==, 0);
        }
    }
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

/* A highlight made on the live page while the reader holds the same clip
 * (both annotators share the clip object and its saver): the reader shows
 * it at the same words when the person goes back to it. */
static void
test_live_highlight_in_open_reader (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *keeper = gloss_test_server_uri (server, "live-window/keeper");
  GlossReaderView *reader = gloss_window_get_reader (fixture->window);
  GlossAnnotator *reader_annotator = gloss_reader_pane_get_annotator (gloss_window_get_reader_pane (fixture->window));
  g_autoptr(GlossAnnotation) annotation = NULL;
  g_autofree char *marks = NULL;
  g_autofree char *expected = NULL;
  guint painted = 0;
  GlossClip *clip;
  gulong id;

  open_live (fixture, keeper);
  clip = clip_live_page (fixture);
  gloss_test_wait_until (gloss_annotator_get_painted (reader_annotator), 20000);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  gloss_test_wait_until (gloss_annotator_get_clip (live_annotator (fixture)) == clip &&
                         gloss_annotator_get_painted (live_annotator (fixture)), 20000);
  g_signal_connect (live_annotator (fixture), "highlighted", G_CALLBACK (highlighted_cb), fixture);
  select_live (fixture, "out of habit");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gloss_window_get_live_pane (fixture->window)),
                                             "reader.highlight", NULL));
  gloss_test_wait_until (fixture->highlighted == 1, 20000);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);
  annotation = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);

  /* Back to the reader that held the clip all along: painted again, the
   * new mark among its marks, over the same words. */
  g_assert_true (gloss_annotator_get_clip (reader_annotator) == clip);
  id = g_signal_connect (reader_annotator, "painted", G_CALLBACK (count_cb), &painted);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "reader");
  gloss_test_wait_until (painted > 0, 20000);
  g_signal_handler_disconnect (reader_annotator, id);

  marks = gloss_test_web_eval (gloss_reader_view_get_web_view (reader), GLOSS_SCRIPT_WORLD,
                               "JSON.stringify (Object.entries (glossHighlight.painted ())"
                               ".filter (([k]) => k !== '#markers').map (([k, v]) => [k, v.text]))", 10000);
  expected = g_strdup_printf ("[[\"%s\",\"out of habit\"]]", gloss_annotation_get_id (annotation));
  g_assert_cmpstr (marks, ==, expected);
}

/* Highlights changed in the reader (one deleted, one added) are so on the
 * live page when the person goes back to it. */
static void
test_reader_changes_reach_live (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *keeper = gloss_test_server_uri (server, "live-window/keeper");
  GlossAnnotator *reader_annotator = gloss_reader_pane_get_annotator (gloss_window_get_reader_pane (fixture->window));
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  guint painted = 0;
  GlossClip *clip;
  gulong id;

  open_live (fixture, keeper);
  clip = clip_live_page (fixture);
  first = g_strdup (gloss_annotation_get_id (highlight_in_reader (fixture, "counting the steps aloud")));

  /* The highlight made in the reader is painted on the live page. */
  id = g_signal_connect (live_annotator (fixture), "painted", G_CALLBACK (count_cb), &painted);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  gloss_test_wait_until (painted > 0, 20000);
  g_signal_handler_disconnect (live_annotator (fixture), id);
  g_assert_true (gloss_annotator_get_clip (live_annotator (fixture)) == clip);
  g_assert_true (gloss_annotator_is_on_page (live_annotator (fixture), first));
  painted = 0;

  /* In the reader: the first deleted, another made. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "reader");
  gloss_test_wait_until (gloss_annotator_get_painted (reader_annotator), 20000);
  g_assert_true (gloss_annotator_delete (reader_annotator, first));
  second = g_strdup (gloss_annotation_get_id (highlight_in_reader (fixture, "only grass bent flat by the wind")));

  /* Back on the live page: anchored and painted again. */
  id = g_signal_connect (live_annotator (fixture), "painted", G_CALLBACK (count_cb), &painted);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "web");
  gloss_test_wait_until (painted > 0, 20000);
  g_signal_handler_disconnect (live_annotator (fixture), id);
  g_assert_true (gloss_annotator_is_on_page (live_annotator (fixture), second));
  g_assert_false (gloss_annotator_is_on_page (live_annotator (fixture), first));
}

static void
test_not_on_this_page (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *changing = gloss_test_server_uri (server, "live-window/changing");
  GlossReaderPane *live_pane;
  GtkWidget *panel;
  GtkListBox *apart;
  GtkWidget *heading;
  g_autofree char *kept_id = NULL;
  g_autofree char *gone_id = NULL;
  GlossClip *clip;

  open_live (fixture, changing);
  clip = clip_live_page (fixture);
  kept_id = g_strdup (gloss_annotation_get_id (highlight_in_reader (fixture, "counting the steps aloud")));
  gone_id = g_strdup (gloss_annotation_get_id (highlight_in_reader (fixture, "its cargo and the state of the sea")));

  /* The page loses its second paragraph; the clip keeps it. */
  changing_version = 2;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reload", NULL));
  gloss_test_wait_until (!webkit_web_view_is_loading (live_web_view (fixture)), 20000);
  gloss_test_wait_until (gloss_annotator_get_clip (live_annotator (fixture)) == clip &&
                         gloss_annotator_get_painted (live_annotator (fixture)), 20000);
  g_assert_true (gloss_annotator_is_on_page (live_annotator (fixture), kept_id));
  g_assert_false (gloss_annotator_is_on_page (live_annotator (fixture), gone_id));

  /* The panel of the live page: one highlight listed, one apart. */
  live_pane = gloss_window_get_live_pane (fixture->window);
  gloss_reader_pane_set_show_annotations (live_pane, TRUE);
  panel = gloss_reader_pane_get_panel (live_pane);
  apart = gloss_annotations_panel_get_orphans (GLOSS_ANNOTATIONS_PANEL (panel));
  gloss_test_wait_until (g_list_model_get_n_items (gloss_annotations_panel_get_shown (GLOSS_ANNOTATIONS_PANEL (panel))) == 1 &&
                         gtk_list_box_get_row_at_index (apart, 0) != NULL &&
                         gtk_list_box_get_row_at_index (apart, 1) == NULL, 10000);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (apart, 0)), "gloss-id"), ==, gone_id);
  /* The box of the list apart: its heading, then the list. */
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (GTK_WIDGET (apart), GTK_TYPE_BOX)));
  heading = gtk_widget_get_first_child (gtk_widget_get_ancestor (GTK_WIDGET (apart), GTK_TYPE_BOX));
  g_assert_true (GTK_IS_LABEL (heading));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (heading)), ==, "Not on this page");

  /* Still in the clip, and the reader still finds both. */
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 2);
}

static void
error_cb (GlossAnnotator *annotator,
          const char     *message,
          guint          *errors)
{
  g_test_message ("Error shown: %s", message);
  (*errors)++;
}

/* An item of an imported reading list, in the library but not clipped
 * yet (FORMAT.md: no article): Highlight on its live page clips the page
 * into that clip first (its id, tag and import kept), as on a page not
 * in the library, and then stores the highlight in it. */
static void
test_highlight_clips_not_clipped_yet (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *keeper = gloss_test_server_uri (server, "live-window/keeper");
  g_autoptr(GlossClip) pending = gloss_clip_new (keeper, "Imported page");
  g_autoptr(GlossAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (gloss_clip_get_id (pending));
  g_autofree char *text = NULL;
  JsonObject *import = json_object_new ();
  guint errors = 0;
  GlossClip *clip;

  gloss_clip_add_tag (pending, "sea");
  json_object_set_string_member (import, "status", "unread");
  json_object_set_object_member (gloss_clip_to_json (pending), "import", import);
  g_assert_true (gloss_library_add (fixture->library, pending, NULL, NULL, &error));
  g_assert_no_error (error);
  clip = gloss_library_lookup (fixture->library, id);
  g_assert_true (gloss_import_clip_is_pending (clip));

  open_live (fixture, keeper);
  g_assert_true (gloss_window_get_live_clip (fixture->window) == clip);
  g_signal_connect (live_annotator (fixture), "highlighted", G_CALLBACK (highlighted_cb), fixture);
  g_signal_connect (live_annotator (fixture), "error", G_CALLBACK (error_cb), &errors);

  select_live (fixture, "with its flag, its cargo");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gloss_window_get_live_pane (fixture->window)),
                                             "reader.highlight", NULL));
  gloss_test_wait_until (fixture->highlighted == 1 || errors > 0, 30000);
  g_assert_cmpuint (errors, ==, 0);

  /* The same clip, clipped now, on the live page still. */
  g_assert_cmpstr (gloss_window_get_view (fixture->window), ==, "web");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);
  g_assert_true (gloss_library_lookup (fixture->library, id) == clip);
  g_assert_true (gloss_window_get_live_clip (fixture->window) == clip);
  g_assert_true (gloss_annotator_get_clip (live_annotator (fixture)) == clip);
  g_assert_false (gloss_import_clip_is_pending (clip));
  g_assert_true (gloss_clip_has_tag (clip, "sea"));
  g_assert_true (json_object_has_member (gloss_clip_to_json (clip), "import"));
  text = gloss_clip_load_article_text (clip, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, PARAGRAPH_2));

  /* The highlight is in it, at its words in article.txt. */
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);
  annotation = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpstr (gloss_annotation_get_exact (annotation), ==, "with its flag, its cargo");
  {
    g_autofree char *words = g_utf8_substring (text, gloss_annotation_get_start (annotation),
                                               gloss_annotation_get_end (annotation));

    g_assert_cmpstr (words, ==, "with its flag, its cargo");
  }
  g_assert_true (gloss_annotator_is_on_page (live_annotator (fixture), gloss_annotation_get_id (annotation)));
}

/* For test_live_highlight_listed_on_page: whether the panel listed an
 * annotation apart as the clip's list told of it. */
typedef struct
{
  GtkListBox *apart;
  guint       added;
  guint       apart_when_added;
} ListedData;

static void
annotations_added_cb (GListModel *annotations,
                      guint       position,
                      guint       removed,
                      guint       added,
                      ListedData *listed)
{
  if (added == 0)
    return;

  listed->added++;
  if (gtk_list_box_get_row_at_index (listed->apart, 0) != NULL)
    listed->apart_when_added++;
}

/* A highlight made on the live page, and one put back by Undo, are on the
 * page: the live panel lists them with the others, never under "Not on
 * this page", from the moment the clip has them. */
static void
test_live_highlight_listed_on_page (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *keeper = gloss_test_server_uri (server, "live-window/keeper");
  GlossAnnotator *annotator;
  GlossAnnotationsPanel *panel;
  ListedData listed = { NULL, 0, 0 };
  g_autoptr(GlossAnnotation) annotation = NULL;
  g_autofree char *id = NULL;
  GlossClip *clip;

  open_live (fixture, keeper);
  clip = clip_live_page (fixture);
  highlight_in_reader (fixture, "counting the steps aloud");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-live", NULL));
  annotator = live_annotator (fixture);
  gloss_test_wait_until (gloss_annotator_get_clip (annotator) == clip &&
                         gloss_annotator_get_painted (annotator), 20000);

  /* The panel lists the clip's highlight (it follows the clip now). */
  gloss_reader_pane_set_show_annotations (gloss_window_get_live_pane (fixture->window), TRUE);
  panel = GLOSS_ANNOTATIONS_PANEL (gloss_reader_pane_get_panel (gloss_window_get_live_pane (fixture->window)));
  listed.apart = gloss_annotations_panel_get_orphans (panel);
  gloss_test_wait_until (g_list_model_get_n_items (gloss_annotations_panel_get_shown (panel)) == 1, 10000);
  g_signal_connect_after (gloss_clip_get_annotations (clip), "items-changed",
                          G_CALLBACK (annotations_added_cb), &listed);
  g_signal_connect (annotator, "highlighted", G_CALLBACK (highlighted_cb), fixture);

  /* Made on the live page. */
  select_live (fixture, "out of habit");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gloss_window_get_live_pane (fixture->window)),
                                             "reader.highlight", NULL));
  gloss_test_wait_until (fixture->highlighted == 1, 20000);
  g_assert_cmpuint (listed.added, ==, 1);
  g_assert_cmpuint (listed.apart_when_added, ==, 0);
  g_assert_null (gtk_list_box_get_row_at_index (listed.apart, 0));
  g_assert_cmpuint (g_list_model_get_n_items (gloss_annotations_panel_get_shown (panel)), ==, 2);

  /* Deleted, then put back by Undo (Ctrl+Z): on the page again. */
  for (guint i = 0; i < gloss_clip_get_n_annotations (clip) && annotation == NULL; i++)
    {
      g_autoptr(GlossAnnotation) a = g_list_model_get_item (gloss_clip_get_annotations (clip), i);

      if (g_str_equal (gloss_annotation_get_exact (a), "out of habit"))
        annotation = g_object_ref (a);
    }
  g_assert_nonnull (annotation);
  id = g_strdup (gloss_annotation_get_id (annotation));
  g_assert_true (gloss_annotator_delete (annotator, id));
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);
  g_assert_true (gloss_annotator_undo (annotator));
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 2);
  g_assert_cmpuint (listed.added, ==, 2);
  g_assert_cmpuint (listed.apart_when_added, ==, 0);
  g_assert_true (gloss_annotator_is_on_page (annotator, id));
  g_assert_null (gtk_list_box_get_row_at_index (listed.apart, 0));

  /* Deleted, then put back by the toast's Undo. */
  g_assert_true (gloss_annotator_delete (annotator, id));
  g_assert_true (gloss_annotator_restore (annotator, annotation));
  g_assert_cmpuint (listed.added, ==, 3);
  g_assert_cmpuint (listed.apart_when_added, ==, 0);
  g_assert_true (gloss_annotator_is_on_page (annotator, id));
  g_assert_null (gtk_list_box_get_row_at_index (listed.apart, 0));
  g_assert_cmpuint (g_list_model_get_n_items (gloss_annotations_panel_get_shown (panel)), ==, 2);

  g_signal_handlers_disconnect_by_data (gloss_clip_get_annotations (clip), &listed);
}

int
main (int    argc,
      char **argv)
{
  int status;

  gloss_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  server = gloss_test_server_new ();
  soup_server_add_handler (gloss_test_server_get_server (server), "/live-window", page_cb, NULL, NULL);

  g_test_add ("/live-window/header-follows-page", Fixture, NULL,
              fixture_set_up, test_header_follows_page, fixture_tear_down);
  g_test_add ("/live-window/update-keeps-annotations", Fixture, NULL,
              fixture_set_up, test_update_keeps_annotations, fixture_tear_down);
  g_test_add ("/live-window/highlight-clips-first", Fixture, NULL,
              fixture_set_up, test_highlight_clips_first, fixture_tear_down);
  g_test_add ("/live-window/highlight-clips-whole-page", Fixture, NULL,
              fixture_set_up, test_highlight_clips_whole_page, fixture_tear_down);
  g_test_add ("/live-window/highlight-clip-fails", Fixture, NULL,
              fixture_set_up, test_highlight_clip_fails, fixture_tear_down);
  g_test_add ("/live-window/highlight-leave-while-clipping", Fixture, NULL,
              fixture_set_up, test_highlight_leave_while_clipping, fixture_tear_down);
  g_test_add ("/live-window/highlight-on-next-page-while-clipping", Fixture, NULL,
              fixture_set_up, test_highlight_on_next_page_while_clipping, fixture_tear_down);
  g_test_add ("/live-window/highlight-clips-not-clipped-yet", Fixture, NULL,
              fixture_set_up, test_highlight_clips_not_clipped_yet, fixture_tear_down);
  g_test_add ("/live-window/live-highlight-in-open-reader", Fixture, NULL,
              fixture_set_up, test_live_highlight_in_open_reader, fixture_tear_down);
  g_test_add ("/live-window/reader-changes-reach-live", Fixture, NULL,
              fixture_set_up, test_reader_changes_reach_live, fixture_tear_down);
  g_test_add ("/live-window/live-highlight-listed-on-page", Fixture, NULL,
              fixture_set_up, test_live_highlight_listed_on_page, fixture_tear_down);
  g_test_add ("/live-window/not-on-this-page", Fixture, NULL,
              fixture_set_up, test_not_on_this_page, fixture_tear_down);

  status = g_test_run ();
  gloss_test_server_free (server);
  return status;
}
