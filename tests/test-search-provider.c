/* test-search-provider.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The GNOME Shell search provider. A generated library with words planted
 * in a few clips of our own; the program of the build folder started by
 * D-Bus activation on a private bus and asked for those words as the
 * Shell asks; and, in this process, a result opened in the reader at its
 * match and a search handed to the window. */

#include "config.h"

#include <glib/gstdio.h>

#include "gloss-application.h"
#include "gloss-index.h"
#include "gloss-library-view.h"
#include "gloss-reader-view.h"
#include "gloss-search-provider.h"
#include "gloss-test-activation.h"
#include "gloss-test-server.h"
#include "gloss-test-util.h"
#include "gloss-window.h"

#define N_WOMBATS 25
#define PROVIDER_IFACE "org.gnome.Shell.SearchProvider2"

static const char * const quokka_ids[] = { "planted-quokka-1", "planted-quokka-2", "planted-quokka-3" };

static void
plant_clip (const char *id,
            const char *title,
            const char *site,
            const char *text)
{
  g_autofree char *dir = g_build_filename (g_getenv ("GLOSS_LIBRARY"), "clips", id, NULL);
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *html = g_strdup_printf ("<p>%s</p>", escaped);
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\n"
                          "  \"format\": 1,\n"
                          "  \"id\": \"%s\",\n"
                          "  \"url\": \"https://%s/%s\",\n"
                          "  \"title\": \"%s\",\n"
                          "  \"site_name\": \"%s\",\n"
                          "  \"created\": \"2026-11-01T10:00:00Z\",\n"
                          "  \"modified\": \"2026-11-01T10:00:00Z\"\n"
                          "}\n",
                          id, site, id, title, site);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  gloss_test_write_file (dir, "article.html", html);
  gloss_test_write_file (dir, "article.txt", text);
  gloss_test_write_file (dir, "clip.json", json);
}

/* 80 generated clips, and ours: "quokka" in three, "wombat" in 25 (each
 * a different number of times, so that the ranking has no ties), "zebu"
 * with "quokka" in one. */
static void
make_library (void)
{
  g_autofree char *gen = g_build_filename (g_getenv ("GLOSS_BUILD_DIR"), "tests", "gloss-gen-library", NULL);
  const char *argv[] = { gen, g_getenv ("GLOSS_LIBRARY"), "80", "--seed", "7", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  plant_clip (quokka_ids[0], "Marsupials of Rottnest Island", "wildlife.example.org",
              "Rottnest Island lies off the coast near Perth. The island is home to the quokka, "
              "a small wallaby that visitors photograph all day long.");
  plant_clip (quokka_ids[1], "A Day on the Ferry", "travel.example.net",
              "We took the early ferry and walked the island trails. A quokka watched us eat; "
              "the zebu on the postcard in the café had nothing on it.");
  plant_clip (quokka_ids[2], "Notes on Small Mammals", "notes.example.com",
              "Among the small mammals of Western Australia, the quokka is the best known.");

  for (guint i = 0; i < N_WOMBATS; i++)
    {
      g_autofree char *id = g_strdup_printf ("planted-wombat-%02u", i);
      g_autofree char *title = g_strdup_printf ("Burrows, part %u", i + 1);
      g_autoptr(GString) text = g_string_new ("Burrowing animals dig at night. ");

      for (guint j = 0; j <= i; j++)
        g_string_append (text, "The wombat digs. ");
      g_string_append (text, "Then the ground settles again.");
      plant_clip (id, title, "burrows.example.org", text->str);
    }
}

static GStrv
search_ids (GDBusConnection    *connection,
            const char         *object_path,
            const char * const *terms)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GStrv ids = NULL;

  /* The first call starts the program and builds its index. */
  reply = g_dbus_connection_call_sync (connection, APP_ID, object_path, PROVIDER_IFACE,
                                       "GetInitialResultSet", g_variant_new ("(^as)", terms),
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                       120000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(^as)", &ids);
  return ids;
}

static gboolean
strv_contains_all (const char * const *haystack,
                   const char * const *needles,
                   guint               n_needles)
{
  for (guint i = 0; i < n_needles; i++)
    if (!g_strv_contains (haystack, needles[i]))
      return FALSE;
  return TRUE;
}

/* What the window's search would list first for @query, from an index of
 * this process in a cache folder of its own. */
static GStrv
in_process_ids (const char *query)
{
  g_autoptr(GFile) folder = g_file_new_for_path (g_getenv ("GLOSS_LIBRARY"));
  g_autoptr(GlossIndex) index = gloss_index_new (folder);
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  results = gloss_index_search (index, query, GLOSS_SEARCH_PROVIDER_LIMIT, NULL, &error);
  g_assert_no_error (error);
  return gloss_search_results_dup_clip_ids (results);
}

static void
test_activation (void)
{
  static const char * const quokka[] = { "quokka", NULL };
  static const char * const quokka_zebu[] = { "quokka", "zebu", NULL };
  static const char * const wombat[] = { "wombat", NULL };
  static const char * const bad[] = { "color:chartreuse", NULL };
  static const char * const blank[] = { " ", NULL };
  static const char * const none[] = { "xylophonics", NULL };
  g_autofree char *object_path = g_strconcat (gloss_test_activation_path (), "/SearchProvider", NULL);
  g_autofree char *provider_cache = gloss_test_make_dir ("provider-cache");
  g_autofree char *own_cache = g_strdup (g_getenv ("XDG_CACHE_HOME"));
  g_autofree char *session_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) metas = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) expected = NULL;
  GVariantIter iter;
  GVariant *meta;
  GTestDBus *bus;
  guint n_metas = 0;

  /* The activated program gets an index of its own: the ranking checked
   * below comes from an index that it did not build. */
  g_setenv ("XDG_CACHE_HOME", provider_cache, TRUE);
  bus = gloss_test_activation_bus_up ();
  g_setenv ("XDG_CACHE_HOME", own_cache, TRUE);
  connection = gloss_test_activation_connect (bus);

  /* The planted word finds exactly the planted clips. */
  ids = search_ids (connection, object_path, quokka);
  g_assert_cmpuint (g_strv_length (ids), ==, G_N_ELEMENTS (quokka_ids));
  g_assert_true (strv_contains_all ((const char * const *) ids, quokka_ids, G_N_ELEMENTS (quokka_ids)));

  /* Metas: the title, and the site with the matching text. */
  metas = g_dbus_connection_call_sync (connection, APP_ID, object_path, PROVIDER_IFACE,
                                       "GetResultMetas", g_variant_new ("(^as)", ids),
                                       G_VARIANT_TYPE ("(aa{sv})"), G_DBUS_CALL_FLAGS_NONE,
                                       30000, NULL, &error);
  g_assert_no_error (error);
  g_variant_iter_init (&iter, g_variant_get_child_value (metas, 0));
  while ((meta = g_variant_iter_next_value (&iter)))
    {
      g_autoptr(GVariant) owned = meta;
      const char *id = NULL;
      const char *name = NULL;
      const char *description = NULL;

      g_assert_true (g_variant_lookup (meta, "id", "&s", &id));
      g_assert_true (g_variant_lookup (meta, "name", "&s", &name));
      g_assert_true (g_variant_lookup (meta, "description", "&s", &description));
      g_assert_null (strchr (description, '\n'));
      g_assert_null (strchr (description, '\002'));
      g_assert_nonnull (strstr (description, "quokka"));
      if (g_str_equal (id, quokka_ids[0]))
        {
          g_assert_cmpstr (name, ==, "Marsupials of Rottnest Island");
          g_assert_true (g_str_has_prefix (description, "wildlife.example.org — "));
        }
      else if (g_str_equal (id, quokka_ids[2]))
        g_assert_cmpstr (name, ==, "Notes on Small Mammals");
      n_metas++;
    }
  g_assert_cmpuint (n_metas, ==, G_N_ELEMENTS (quokka_ids));
  g_clear_pointer (&metas, g_variant_unref);

  /* An id the provider never gave out gets no meta. */
  metas = g_dbus_connection_call_sync (connection, APP_ID, object_path, PROVIDER_IFACE,
                                       "GetResultMetas", g_variant_new ("(^as)", (const char *[]) { "../../etc", NULL }),
                                       G_VARIANT_TYPE ("(aa{sv})"), G_DBUS_CALL_FLAGS_NONE,
                                       30000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (g_variant_get_child_value (metas, 0)), ==, 0);
  g_clear_pointer (&metas, g_variant_unref);

  /* A narrower search, as the Shell asks when a word is added. */
  {
    g_autoptr(GVariant) reply = NULL;
    g_auto(GStrv) narrowed = NULL;

    reply = g_dbus_connection_call_sync (connection, APP_ID, object_path, PROVIDER_IFACE,
                                         "GetSubsearchResultSet",
                                         g_variant_new ("(^as^as)", ids, quokka_zebu),
                                         G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                         30000, NULL, &error);
    g_assert_no_error (error);
    g_variant_get (reply, "(^as)", &narrowed);
    g_assert_cmpuint (g_strv_length (narrowed), ==, 1);
    g_assert_cmpstr (narrowed[0], ==, quokka_ids[1]);
  }
  g_clear_pointer (&ids, g_strfreev);

  /* At most 20, in the order the window's search gives. */
  ids = search_ids (connection, object_path, wombat);
  g_assert_cmpuint (g_strv_length (ids), ==, GLOSS_SEARCH_PROVIDER_LIMIT);
  expected = in_process_ids ("wombat");
  g_assert_cmpstrv (ids, expected);
  g_clear_pointer (&ids, g_strfreev);

  /* A query with a mistake, a blank one, a word in no clip: nothing,
   * and no error for the Shell to log. */
  ids = search_ids (connection, object_path, bad);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_pointer (&ids, g_strfreev);
  ids = search_ids (connection, object_path, blank);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_pointer (&ids, g_strfreev);
  ids = search_ids (connection, object_path, none);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);

  /* Started for a search, the program leaves by itself once the Shell
   * stops asking (GApplication's inactivity timeout), without a window. */
  g_assert_true (gloss_test_activation_wait_gone (connection, 60000));

  /* DBusActivatable: the desktop opens a gloss: link from a browser by
   * org.freedesktop.Application.Open, which starts the program again. */
  {
    g_autoptr(GlossTestServer) server = gloss_test_server_new ();
    g_autofree char *page = gloss_test_server_uri (server, "browser/article.html");
    g_autofree char *escaped = g_uri_escape_string (page, NULL, FALSE);
    g_autofree char *link = g_strconcat ("gloss:open?url=", escaped, NULL);
    g_autofree char *app_path = gloss_test_activation_path ();
    const char *uris[] = { link, NULL };
    g_autoptr(GVariant) reply = NULL;

    reply = g_dbus_connection_call_sync (connection, APP_ID, app_path, "org.freedesktop.Application", "Open",
                                         g_variant_new ("(^asa{sv})", uris, NULL), NULL,
                                         G_DBUS_CALL_FLAGS_NONE, 60000, NULL, &error);
    g_assert_no_error (error);
    g_clear_pointer (&reply, g_variant_unref);
    gloss_test_wait_until (gloss_test_server_count (server, "/browser/article.html") > 0, 60000);

    /* A window keeps it running, until Quit. */
    reply = g_dbus_connection_call_sync (connection, APP_ID, app_path, "org.gtk.Actions", "Activate",
                                         g_variant_new ("(sava{sv})", "quit", NULL, NULL), NULL,
                                         G_DBUS_CALL_FLAGS_NONE, 60000, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (gloss_test_activation_wait_gone (connection, 60000));
  }

  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_clear_object (&connection);
  g_test_dbus_down (bus);
  g_object_unref (bus);
  /* GTestDBus unsets both. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", session_bus, TRUE);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
}

typedef struct
{
  GVariant *reply;
  GError   *error;
  gboolean  done;
} Call;

static void
call_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &call->error);
  call->done = TRUE;
}

/* A method call from another connection, answered by this process's main
 * loop. */
static GVariant *
call_provider (GDBusConnection *connection,
               const char      *method,
               GVariant        *parameters)
{
  g_autofree char *object_path = g_strconcat (gloss_test_activation_path (), "/SearchProvider", NULL);
  Call call = { NULL, NULL, FALSE };

  g_dbus_connection_call (connection, APP_ID, object_path, PROVIDER_IFACE, method, parameters,
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 60000, NULL, call_done_cb, &call);
  gloss_test_wait_until (call.done, 60000);
  g_assert_no_error (call.error);
  return call.reply;
}

typedef struct
{
  char     *text;
  gboolean  done;
} Selection;

static void
selection_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Selection *selection = user_data;
  g_autoptr(JSCValue) value = gloss_reader_view_run_script_finish (GLOSS_READER_VIEW (object), result, NULL);

  g_free (selection->text);
  selection->text = value && jsc_value_is_string (value) ? jsc_value_to_string (value) : NULL;
  selection->done = TRUE;
}

/* What the reader has selected now. */
static char *
reader_selection (GlossReaderView *reader)
{
  Selection selection = { NULL, FALSE };

  gloss_reader_view_run_script (reader, "String (window.getSelection ())", NULL, selection_cb, &selection);
  gloss_test_wait_until (selection.done, 20000);
  return selection.text;
}

static void
test_activate_result (void)
{
  static const char * const quokka[] = { "quokka", NULL };
  static const char * const wombat[] = { "wombat", NULL };
  g_autoptr(GlossApplication) app = gloss_application_new ();
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  GlossReaderView *reader;
  GtkWindow *window;
  gint64 deadline;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);

  reply = call_provider (connection, "GetInitialResultSet", g_variant_new ("(^as)", quokka));
  g_variant_get (reply, "(^as)", &ids);
  g_assert_true (g_strv_contains ((const char * const *) ids, quokka_ids[1]));
  g_clear_pointer (&reply, g_variant_unref);
  /* No window for a search. */
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));

  /* The chosen result opens in the reader, with its first match selected
   * and scrolled to. */
  reply = call_provider (connection, "ActivateResult",
                         g_variant_new ("(s^asu)", quokka_ids[1], quokka, 0));
  g_clear_pointer (&reply, g_variant_unref);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (GLOSS_IS_WINDOW (window));
  gloss_test_wait_until (g_strcmp0 (gloss_window_get_view (GLOSS_WINDOW (window)), "reader") == 0, 30000);
  reader = gloss_window_get_reader (GLOSS_WINDOW (window));
  gloss_test_wait_until (gloss_reader_view_get_clip (reader) != NULL &&
                         g_str_equal (gloss_clip_get_id (gloss_reader_view_get_clip (reader)), quokka_ids[1]),
                         30000);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (TRUE)
    {
      g_autofree char *selected = reader_selection (reader);

      if (g_strcmp0 (selected, "quokka") == 0)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  /* "Search in the app" puts the words in the library's search entry. */
  reply = call_provider (connection, "LaunchSearch", g_variant_new ("(^asu)", wombat, 0));
  g_clear_pointer (&reply, g_variant_unref);
  g_assert_cmpstr (gloss_library_view_get_query (gloss_window_get_library_view (GLOSS_WINDOW (window))), ==,
                   "wombat");
  gloss_test_wait_until (g_strcmp0 (gloss_library_view_get_page (gloss_window_get_library_view (GLOSS_WINDOW (window))),
                                    "results") == 0, 30000);
  g_assert_cmpuint (g_list_model_get_n_items (gloss_library_view_get_results (gloss_window_get_library_view (GLOSS_WINDOW (window)))),
                    ==, N_WOMBATS);

  gtk_window_destroy (window);
  g_dbus_connection_close_sync (connection, NULL, NULL);
}

static void
test_describe (void)
{
  g_autofree char *plain = gloss_search_provider_describe ("example.org", "a \002match\003\nover\t two lines");
  g_autofree char *no_site = gloss_search_provider_describe (NULL, "just text");
  g_autofree char *no_text = gloss_search_provider_describe ("example.org", "");
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *cut = NULL;

  g_assert_cmpstr (plain, ==, "example.org — a match over two lines");
  g_assert_cmpstr (no_site, ==, "just text");
  g_assert_cmpstr (no_text, ==, "example.org");

  for (guint i = 0; i < 100; i++)
    g_string_append (long_text, "é word ");
  cut = gloss_search_provider_describe (NULL, long_text->str);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (cut, -1), ==, 121);
  g_assert_true (g_str_has_suffix (cut, "…"));
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);
  make_library ();

  g_test_add_func ("/search-provider/describe", test_describe);
  /* In this order: the activation test brings a bus of its own and takes
   * it down again, which waits for the g_bus_get() singleton to go; the
   * in-process application then takes one on the session bus for good. */
  g_test_add_func ("/search-provider/activation", test_activation);
  g_test_add_func ("/search-provider/activate-result", test_activate_result);

  return g_test_run ();
}
