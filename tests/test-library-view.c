/* test-library-view.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The library sidebar over a real library and search index: the empty
 * state, the list of clips, results as the user types, a search that finds
 * nothing, a query with a mistake in it, and Enter opening the best match. */

#include "config.h"

#include <adwaita.h>

#include "gloss-library-view.h"
#include "gloss-search-result.h"
#include "gloss-test-server.h"
#include "gloss-test-util.h"

typedef struct
{
  char             *folder;
  GlossLibrary     *library;
  GlossIndex       *index;
  GtkWindow        *window;
  GlossLibraryView *view;
} Fixture;

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  gloss_library_load_finish (GLOSS_LIBRARY (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("library-%u", counter++);
  g_autoptr(GFile) folder = NULL;
  gboolean done = FALSE;

  fixture->folder = gloss_test_make_dir (name);
  folder = g_file_new_for_path (fixture->folder);
  fixture->library = gloss_library_new (folder);
  fixture->index = gloss_index_new (folder);
  gloss_index_watch_library (fixture->index, fixture->library);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 360, 600);
  fixture->view = GLOSS_LIBRARY_VIEW (gloss_library_view_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);

  gloss_library_view_set_library (fixture->view, fixture->library);
  gloss_library_view_set_index (fixture->view, fixture->index);
  g_assert_cmpstr (gloss_library_view_get_page (fixture->view), ==, "loading");

  gloss_library_load_async (fixture->library, NULL, load_done_cb, &done);
  gloss_test_wait_until (done, 10000);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->index);
  g_clear_object (&fixture->library);
  g_clear_pointer (&fixture->folder, g_free);
}

static void
add_clip (Fixture    *fixture,
          const char *title,
          const char *site,
          const char *text)
{
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/a", title);
  g_autoptr(GError) error = NULL;
  g_autofree char *html = g_markup_printf_escaped ("<p>%s</p>", text);

  gloss_clip_set_site_name (clip, site);
  gloss_library_add (fixture->library, clip, html, text, &error);
  g_assert_no_error (error);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_assert_cmpstr (gloss_library_view_get_page (fixture->view), ==, "empty");
}

static void
search_and_wait (Fixture    *fixture,
                 const char *query,
                 const char *page)
{
  g_autoptr(GError) error = NULL;

  gloss_index_flush (fixture->index, NULL, &error);
  g_assert_no_error (error);

  gloss_library_view_set_query (fixture->view, query);
  gloss_test_wait_until (g_strcmp0 (gloss_library_view_get_page (fixture->view), page) == 0 &&
                         (g_strcmp0 (page, "results") != 0 ||
                          gloss_library_view_get_results (fixture->view) != NULL), 10000);
}

static void
activated_cb (GlossLibraryView *view,
              const char       *clip_id,
              const char       *annotation_id,
              char            **out)
{
  g_free (*out);
  *out = g_strdup (clip_id);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_list_and_search (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GlossSearchResult) best = NULL;
  g_autofree char *activated = NULL;
  GListModel *results;
  GtkWidget *entry;

  add_clip (fixture, "Bread and Butter", "The Kitchen", "A long essay about sourdough and patience.");
  add_clip (fixture, "River Report", "Tech Weekly", "The river rose after a week of rain in the valley.");
  add_clip (fixture, "Mountain Notes", NULL, "Snow, rock and the résumé of a climber.");

  gloss_test_wait_until (g_strcmp0 (gloss_library_view_get_page (fixture->view), "clips") == 0, 10000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 3);

  /* Ranked results as the user types; diacritics do not matter. */
  search_and_wait (fixture, "river", "results");
  results = gloss_library_view_get_results (fixture->view);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  best = g_list_model_get_item (results, 0);
  g_assert_cmpstr (gloss_search_result_get_title (best), ==, "River Report");

  search_and_wait (fixture, "resume", "results");
  g_assert_cmpuint (g_list_model_get_n_items (gloss_library_view_get_results (fixture->view)), ==, 1);

  /* Enter opens the best match. */
  g_signal_connect (fixture->view, "clip-activated", G_CALLBACK (activated_cb), &activated);
  entry = find_widget (GTK_WIDGET (fixture->view), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (activated);

  /* Nothing found, and a query with a mistake: each says so. */
  search_and_wait (fixture, "zeppelinzzz", "no-results");
  search_and_wait (fixture, "before:someday", "no-results");

  /* Clearing the search shows every clip again. */
  search_and_wait (fixture, "", "clips");
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add ("/library-view/empty", Fixture, NULL, fixture_setup, test_empty, fixture_teardown);
  g_test_add ("/library-view/list-and-search", Fixture, NULL, fixture_setup, test_list_and_search, fixture_teardown);

  return g_test_run ();
}
