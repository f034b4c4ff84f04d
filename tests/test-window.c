/* test-window.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window and the live web view, with real WebKit: pages served by a
 * SoupServer on 127.0.0.1, the error page, the private script world and
 * the readerable check; and the real program started, reached through
 * its running instance, and quit. */

#include "config.h"

#include <adwaita.h>

#include "gloss-test-server.h"
#include "gloss-test-util.h"
#include "gloss-export-dialog.h"
#include "gloss-preferences-window.h"
#include "gloss-window.h"

static GlossTestServer *server;

/* The sensitivity of the button bound to @action, as the user sees it. */
static gboolean
action_button_sensitive (GtkWidget  *widget,
                         const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0 &&
          gtk_widget_get_mapped (child))
        return gtk_widget_get_sensitive (child);

      if (action_button_sensitive (child, action))
        return TRUE;
    }

  return FALSE;
}

static GlossWindow *
new_window (void)
{
  GlossWindow *window = gloss_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_title_follows_page (void)
{
  GlossWindow *window = new_window ();
  g_autofree char *uri = gloss_test_server_uri (server, "browser/article.html");

  g_assert_cmpstr (gloss_window_get_view (window), ==, "empty");

  gloss_window_open (window, uri);
  gloss_test_wait_until (g_strcmp0 (gtk_window_get_title (GTK_WINDOW (window)),
                                    "A Quiet Revolution in Bread") == 0, 20000);
  g_assert_cmpstr (gloss_window_get_view (window), ==, "web");
  g_assert_cmpuint (gloss_test_server_count (server, "/browser/article.html"), >=, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_refused_shows_error_page (void)
{
  GlossWindow *window = new_window ();
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/", gloss_test_closed_port ());

  gloss_window_open (window, uri);
  gloss_test_wait_until (g_strcmp0 (gloss_window_get_view (window), "error") == 0, 20000);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Connection Refused");
  /* Retry is offered, and Clip is not. */
  g_assert_true (action_button_sensitive (GTK_WIDGET (window), "win.reload"));
  g_assert_false (action_button_sensitive (GTK_WIDGET (window), "win.clip"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  gloss_test_wait_until (g_strcmp0 (gloss_window_get_view (window), "error") == 0, 20000);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_http_error_shows_error_page (void)
{
  GlossWindow *window = new_window ();
  g_autofree char *uri = gloss_test_server_uri (server, "browser/no-such-page.html");

  gloss_window_open (window, uri);
  gloss_test_wait_until (g_strcmp0 (gloss_window_get_view (window), "error") == 0, 20000);
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)),
                                   "The Server Answered “404"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
evaluate_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object),
                                                                          result, &error);

  g_assert_no_error (error);
  *done = TRUE;
}

static void
checked_cb (GlossBrowser *browser,
            gboolean      readerable,
            int          *answer)
{
  *answer = readerable ? 1 : 0;
}

static void
test_isolated_world (void)
{
  GlossWindow *window = new_window ();
  GlossBrowser *browser = gloss_window_get_browser (window);
  WebKitWebView *web_view = gloss_browser_get_web_view (browser);
  g_autofree char *uri = gloss_test_server_uri (server, "browser/isolated.html");
  g_autofree char *script = NULL;
  gboolean done = FALSE;
  int answer = -1;

  g_signal_connect (browser, "readerable-checked", G_CALLBACK (checked_cb), &answer);

  gloss_window_open (window, uri);
  gloss_test_wait_until (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "handler:"), 20000);

  /* The page's own script cannot see our handler, let alone post to it. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "handler:hidden post:refused");
  gloss_test_wait_until (answer != -1, 20000);
  g_assert_cmpint (answer, ==, 0);
  g_assert_false (gloss_browser_get_readerable (browser));

  /* Our world can. */
  answer = -1;
  script = g_strdup_printf ("window.webkit.messageHandlers.gloss.postMessage ("
                            "{ type: 'readerable', readerable: true, url: '%s' }); true", uri);
  webkit_web_view_evaluate_javascript (web_view, script, -1, "gloss", NULL, NULL,
                                       evaluate_done_cb, &done);
  gloss_test_wait_until (done && answer != -1, 20000);
  g_assert_cmpint (answer, ==, 1);
  g_assert_true (gloss_browser_get_readerable (browser));

  /* A message of the wrong shape is ignored, not believed. */
  done = FALSE;
  answer = -1;
  webkit_web_view_evaluate_javascript (web_view,
                                       "window.webkit.messageHandlers.gloss.postMessage ("
                                       "{ type: 'readerable', readerable: 'no' }); true",
                                       -1, "gloss", NULL, NULL, evaluate_done_cb, &done);
  gloss_test_wait_until (done, 20000);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (answer, ==, -1);
  g_assert_true (gloss_browser_get_readerable (browser));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
check_readerable (const char *path,
                  gboolean    expected)
{
  GlossWindow *window = new_window ();
  GlossBrowser *browser = gloss_window_get_browser (window);
  g_autofree char *uri = gloss_test_server_uri (server, path);
  int answer = -1;

  g_signal_connect (browser, "readerable-checked", G_CALLBACK (checked_cb), &answer);
  gloss_window_open (window, uri);
  gloss_test_wait_until (answer != -1 && !webkit_web_view_is_loading (gloss_browser_get_web_view (browser)),
                         20000);

  g_assert_cmpint (answer, ==, expected);
  g_assert_cmpint (gloss_browser_get_readerable (browser), ==, expected);
  /* The Clip button follows the answer. */
  g_assert_cmpint (action_button_sensitive (GTK_WIDGET (window), "win.clip"), ==, expected);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_readerable_article (void)
{
  check_readerable ("browser/article.html", TRUE);
}

static void
test_readerable_links (void)
{
  check_readerable ("browser/links.html", FALSE);
}

static void
wait_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static void
wait_for_exit (GSubprocess *process)
{
  gboolean done = FALSE;

  g_subprocess_wait_async (process, NULL, wait_done_cb, &done);
  gloss_test_wait_until (done, 30000);
}

static void
test_program_single_instance (void)
{
  g_autofree char *program = g_build_filename (g_getenv ("GLOSS_BUILD_DIR"), "src", "gloss", NULL);
  g_autofree char *first = gloss_test_server_uri (server, "browser/article.html");
  g_autofree char *second = gloss_test_server_uri (server, "browser/links.html");
  g_autofree char *object_path = NULL;
  g_autoptr(GSubprocess) primary = NULL;
  g_autoptr(GSubprocess) remote = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint first_count = gloss_test_server_count (server, "/browser/article.html");
  guint second_count = gloss_test_server_count (server, "/browser/links.html");

  primary = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, program, first, NULL);
  g_assert_no_error (error);
  gloss_test_wait_until (gloss_test_server_count (server, "/browser/article.html") > first_count, 30000);

  /* A second `gloss URL` hands the address to the running instance and
   * exits at once. */
  remote = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, program, second, NULL);
  g_assert_no_error (error);
  wait_for_exit (remote);
  g_assert_true (g_subprocess_get_successful (remote));
  gloss_test_wait_until (gloss_test_server_count (server, "/browser/links.html") > second_count, 30000);
  g_assert_nonnull (g_subprocess_get_identifier (primary));

  /* app.quit, as the menu or Ctrl+Q would, ends it cleanly. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  object_path = g_strdelimit (g_strconcat ("/", APP_ID, NULL), ".", '/');
  reply = g_dbus_connection_call_sync (bus, APP_ID, object_path, "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", "quit", NULL, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  wait_for_exit (primary);
  g_assert_true (g_subprocess_get_if_exited (primary));
  g_assert_cmpint (g_subprocess_get_exit_status (primary), ==, 0);
}

/* Every dialog builds from its template without a warning (the tests run
 * with G_DEBUG=fatal-criticals), and its settings take effect. */
static void
test_dialogs (void)
{
  GlossWindow *window = new_window ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *library_path = gloss_test_make_dir ("dialog-library");
  g_autoptr(GFile) folder = g_file_new_for_path (library_path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  GtkWidget *preferences;
  GlossExportDialog *export;

  preferences = gloss_preferences_window_new (GTK_WINDOW (window), NULL);
  gtk_window_present (GTK_WINDOW (preferences));
  g_settings_set_string (settings, "library-folder", library_path);
  g_settings_reset (settings, "library-folder");
  gtk_window_destroy (GTK_WINDOW (preferences));

  gloss_library_load (library, NULL, &error);
  g_assert_no_error (error);
  gloss_window_set_library (window, library, NULL);
  export = gloss_export_dialog_new (GTK_WINDOW (window), library, gloss_window_get_index (window), NULL, NULL);
  gtk_window_present (GTK_WINDOW (export));
  gtk_window_destroy (GTK_WINDOW (export));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Delete from the library's row menu: the clip goes to the trash and out
 * of the list, and the window offers Undo. */
static void
test_delete_clip (void)
{
  GlossWindow *window = new_window ();
  g_autofree char *library_path = gloss_test_make_dir ("delete-library");
  g_autoptr(GFile) folder = g_file_new_for_path (library_path);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/doomed", "A Doomed Clip");
  g_autofree char *clip_folder = NULL;
  g_autoptr(GError) error = NULL;

  gloss_library_load (library, NULL, &error);
  g_assert_no_error (error);
  gloss_library_add (library, clip, "<p>Gone soon.</p>", "Gone soon.", &error);
  g_assert_no_error (error);
  clip_folder = g_build_filename (library_path, "clips", gloss_clip_get_id (clip), NULL);
  g_assert_true (g_file_test (clip_folder, G_FILE_TEST_IS_DIR));

  gloss_window_set_library (window, library, NULL);
  g_signal_emit_by_name (gloss_window_get_library_view (window), "clip-delete", gloss_clip_get_id (clip));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 0);
  g_assert_false (g_file_test (clip_folder, G_FILE_TEST_EXISTS));

  /* What Undo does. */
  gloss_library_restore (library, gloss_clip_get_id (clip), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 1);
  g_assert_true (g_file_test (clip_folder, G_FILE_TEST_IS_DIR));

  gtk_window_destroy (GTK_WINDOW (window));
}

static int
run_program (const char *first_arg,
             ...)
{
  g_autofree char *program = g_build_filename (g_getenv ("GLOSS_BUILD_DIR"), "src", "gloss", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, program);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  wait_for_exit (process);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

/* gloss --clip from a session with no display (cron, SSH) makes its own
 * headless one with xvfb-run and clips all the same. */
static void
test_program_clip_without_display (void)
{
  g_autofree char *program = g_build_filename (g_getenv ("GLOSS_BUILD_DIR"), "src", "gloss", NULL);
  g_autofree char *library = gloss_test_make_dir ("headless-library");
  g_autofree char *uri = gloss_test_server_uri (server, "browser/article.html");
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *json = NULL;
  g_autofree char *xvfb_run = g_find_program_in_path ("xvfb-run");

  if (xvfb_run == NULL)
    {
      g_test_skip ("xvfb-run is not installed");
      return;
    }

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  process = g_subprocess_launcher_spawn (launcher, &error, program, "--library", library, "--clip", uri, NULL);
  g_assert_no_error (error);
  wait_for_exit (process);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  {
    GInputStream *stdout_pipe = g_subprocess_get_stdout_pipe (process);
    char buffer[128] = { 0 };
    gsize read = 0;

    g_input_stream_read_all (stdout_pipe, buffer, sizeof buffer - 1, &read, NULL, &error);
    g_assert_no_error (error);
    id = g_strstrip (g_strdup (buffer));
  }

  json = g_build_filename (library, "clips", id, "clip.json", NULL);
  g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));
}

/* DESIGN.md: 0 on success, 1 on a user error, 2 on bad usage. */
static void
test_program_exit_status (void)
{
  g_autofree char *missing = g_build_filename (gloss_test_get_root (), "no-such-library", NULL);

  g_assert_cmpint (run_program ("--version", NULL), ==, 0);
  g_assert_cmpint (run_program ("--no-such-option", NULL), ==, 2);
  g_assert_cmpint (run_program ("--search", NULL), ==, 2);
  g_assert_cmpint (run_program ("--json", NULL), ==, 2);
  g_assert_cmpint (run_program ("--list", "--verify", NULL), ==, 2);
  g_assert_cmpint (run_program ("--library", missing, "--list", NULL), ==, 1);
  g_assert_cmpint (run_program ("javascript:alert(1)", NULL), ==, 1);
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

  g_test_add_func ("/window/title-follows-page", test_title_follows_page);
  g_test_add_func ("/window/error-page/refused", test_refused_shows_error_page);
  g_test_add_func ("/window/error-page/http-404", test_http_error_shows_error_page);
  g_test_add_func ("/window/isolated-world", test_isolated_world);
  g_test_add_func ("/window/readerable/article", test_readerable_article);
  g_test_add_func ("/window/readerable/links", test_readerable_links);
  g_test_add_func ("/window/dialogs", test_dialogs);
  g_test_add_func ("/window/delete-clip", test_delete_clip);
  g_test_add_func ("/window/program/single-instance", test_program_single_instance);
  g_test_add_func ("/window/program/exit-status", test_program_exit_status);
  g_test_add_func ("/window/program/clip-without-display", test_program_clip_without_display);

  return g_test_run ();
}
