/* test-desktop-uri.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* gloss: URIs, as a browser's bookmarklet sends them: the parser on
 * untrusted input; the application opening and clipping a page of the
 * tests' own server; a refused link told in the window; and the real
 * program refusing one on the command line. */

#include "config.h"

#include "gloss-application.h"
#include "gloss-error.h"
#include "gloss-test-server.h"
#include "gloss-test-util.h"
#include "gloss-uri.h"
#include "gloss-window.h"

static GlossTestServer *server;
static GlossApplication *app;

static void
test_parse (void)
{
  static const struct
  {
    const char     *uri;
    GlossUriAction  action;
    const char     *url;     /* NULL: refused */
  } cases[] = {
    { "gloss:clip?url=https%3A%2F%2Fexample.org%2Fa%3Fb%3D1%26c%3D2", GLOSS_URI_CLIP, "https://example.org/a?b=1&c=2" },
    { "gloss:open?url=http%3A%2F%2Fexample.org%2F", GLOSS_URI_OPEN, "http://example.org/" },
    { "GLOSS:Clip?url=HTTPS%3A%2F%2Fexample.org%2Fx", GLOSS_URI_CLIP, "https://example.org/x" },
    { "gloss://clip?url=https%3A%2F%2Fexample.org%2F", GLOSS_URI_CLIP, "https://example.org/" },
    { "gloss:clip?title=A&url=https%3A%2F%2Fexample.org%2F%23part", GLOSS_URI_CLIP, "https://example.org/#part" },
    { "gloss:clip?url=https://example.org/plain", GLOSS_URI_CLIP, "https://example.org/plain" },
    /* Untrusted input that must be refused. */
    { "gloss:clip?url=javascript%3Aalert(1)", 0, NULL },
    { "gloss:clip?url=file%3A%2F%2F%2Fetc%2Fpasswd", 0, NULL },
    { "gloss:open?url=data%3Atext%2Fhtml%2C%3Cscript%3E", 0, NULL },
    { "gloss:clip?url=gloss%3Aclip%3Furl%3Dhttps%253A%252F%252Fexample.org", 0, NULL },
    { "gloss:clip?url=ftp%3A%2F%2Fexample.org%2F", 0, NULL },
    { "gloss:clip?url=https%3A%2F%2Fuser%3Apass%40example.org%2F", 0, NULL },
    { "gloss:clip?url=https%3A%2F%2F%2Fno-host", 0, NULL },
    { "gloss:clip?url=%2Frelative%2Fpath", 0, NULL },
    { "gloss:clip?url=", 0, NULL },
    { "gloss:clip", 0, NULL },
    { "gloss:delete?url=https%3A%2F%2Fexample.org%2F", 0, NULL },
    { "gloss:", 0, NULL },
    { "https://example.org/", 0, NULL },
    { "gloss:clip?url=https%3A%2F%2Fexample.org%2F%C3%28", 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GlossUriAction action = -1;
      g_autofree char *url = gloss_uri_parse (cases[i].uri, &action, &error);

      g_test_message ("%s", cases[i].uri);
      if (cases[i].url == NULL)
        {
          g_assert_null (url);
          g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
          /* The message never repeats the untrusted text. */
          g_assert_null (strstr (error->message, "passwd"));
          g_assert_null (strstr (error->message, "alert"));
          g_assert_null (strstr (error->message, "<script"));
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpstr (url, ==, cases[i].url);
          g_assert_cmpint (action, ==, cases[i].action);
        }
    }

  /* Too long. */
  {
    g_autoptr(GString) uri = g_string_new ("gloss:clip?url=https%3A%2F%2Fexample.org%2F");
    g_autoptr(GError) error = NULL;
    GlossUriAction action;
    g_autofree char *url = NULL;

    while (uri->len <= GLOSS_URI_MAX_LENGTH)
      g_string_append (uri, "aaaaaaaa");
    url = gloss_uri_parse (uri->str, &action, &error);
    g_assert_null (url);
    g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
  }
}

static char *
gloss_link (const char *action,
            const char *url)
{
  g_autofree char *encoded = g_uri_escape_string (url, NULL, FALSE);

  return g_strdup_printf ("gloss:%s?url=%s", action, encoded);
}

static void
open_link (const char *link)
{
  g_autoptr(GFile) file = g_file_new_for_uri (link);

  g_application_open (G_APPLICATION (app), &file, 1, "");
}

static GlossWindow *
active_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (GLOSS_IS_WINDOW (window));
  return GLOSS_WINDOW (window);
}

static void
test_open (void)
{
  g_autofree char *url = gloss_test_server_uri (server, "browser/links.html");
  g_autofree char *link = gloss_link ("open", url);
  guint count = gloss_test_server_count (server, "/browser/links.html");
  GlossWindow *window;

  open_link (link);
  window = active_window ();
  gloss_test_wait_until (gloss_test_server_count (server, "/browser/links.html") > count, 30000);
  gloss_test_wait_until (g_strcmp0 (gloss_window_get_view (window), "web") == 0, 30000);
  g_assert_cmpstr (gloss_browser_get_uri (gloss_window_get_browser (window)), ==, url);
}

static void
test_clip (void)
{
  g_autofree char *url = gloss_test_server_uri (server, "browser/article.html");
  g_autofree char *link = gloss_link ("clip", url);
  GlossLibrary *library = gloss_application_get_library (app);
  GlossWindow *window;

  g_assert_null (gloss_library_get_loaded (library) ? gloss_library_find_by_url (library, url) : NULL);

  open_link (link);
  window = active_window ();

  /* Clipped as soon as the page is there, and shown in the reader. */
  gloss_test_wait_until (gloss_library_get_loaded (library) &&
                         gloss_library_find_by_url (library, url) != NULL, 60000);
  gloss_test_wait_until (g_strcmp0 (gloss_window_get_view (window), "reader") == 0, 30000);
}

/* Whether a label under @widget reads @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static void
test_refused (void)
{
  g_autofree char *article = gloss_test_server_uri (server, "browser/article.html");
  g_autofree char *sneaky = g_strdup_printf ("javascript:location='%s'", article);
  g_autofree char *link = gloss_link ("clip", sneaky);
  g_autoptr(GError) error = NULL;
  GlossUriAction action;
  g_autofree char *refused = gloss_uri_parse (link, &action, &error);
  guint count = gloss_test_server_count (server, "/browser/article.html");
  GlossWindow *window;

  g_assert_null (refused);
  open_link (link);
  window = active_window ();

  /* The window says why, and nothing was loaded. */
  gloss_test_wait_until (shows_text (GTK_WIDGET (window), error->message), 10000);
  g_assert_cmpuint (gloss_test_server_count (server, "/browser/article.html"), ==, count);
}

/* The real program, `gloss` (no GTK): a refused link is a one-line
 * message on stderr and exit status 1, before any window or running
 * instance is involved. The dynamic linker's report (LD_DEBUG=libs) shows
 * that the GUI program never started: `gloss` hands it over with execv(),
 * in the same process, so GTK would be in the report. */
static void
test_command_line (void)
{
  g_autofree char *program = g_build_filename (g_getenv ("GLOSS_BUILD_DIR"), "src", "gloss", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  const char *message = NULL;
  gboolean linker_reported = FALSE;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "LD_DEBUG", "libs", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error,
                                         program, "gloss:clip?url=file%3A%2F%2F%2Fetc%2Fpasswd", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);

  lines = g_strsplit (err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *init = strstr (lines[i], "calling init: ");

      if (g_str_has_prefix (lines[i], "gloss: "))
        {
          g_assert_null (message);
          message = lines[i];
        }
      else if (init != NULL)
        {
          g_autofree char *base = g_path_get_basename (init + strlen ("calling init: "));

          linker_reported = TRUE;
          g_assert_false (g_str_has_prefix (base, "libgtk"));
          g_assert_false (g_str_has_prefix (base, "libadwaita"));
          g_assert_false (g_str_has_prefix (base, "libwebkit"));
        }
    }
  g_assert_true (linker_reported);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "gloss: Gloss opens only web pages"));
  g_assert_null (strstr (err, "passwd"));
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

/* A good link on the command line: `gloss` hands it to the GUI program,
 * which gives it to the running instance (this test's) over D-Bus. */
static void
test_command_line_hands_over (void)
{
  g_autofree char *program = g_build_filename (g_getenv ("GLOSS_BUILD_DIR"), "src", "gloss", NULL);
  g_autofree char *url = gloss_test_server_uri (server, "browser/isolated.html");
  g_autofree char *link = gloss_link ("open", url);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  GlossWindow *window;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, program, link, NULL);
  g_assert_no_error (error);
  /* This process answers the D-Bus call the other one makes. */
  g_subprocess_wait_check_async (process, NULL, communicate_cb, &done);
  gloss_test_wait_until (done, 60000);

  window = active_window ();
  gloss_test_wait_until (g_strcmp0 (gloss_browser_get_uri (gloss_window_get_browser (window)), url) == 0, 30000);
  gloss_test_wait_until (g_strcmp0 (gloss_window_get_view (window), "web") == 0, 30000);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gloss_test_init (&argc, &argv);
  server = gloss_test_server_new ();

  app = gloss_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/desktop-uri/parse", test_parse);
  g_test_add_func ("/desktop-uri/command-line", test_command_line);
  g_test_add_func ("/desktop-uri/open", test_open);
  g_test_add_func ("/desktop-uri/command-line-hands-over", test_command_line_hands_over);
  g_test_add_func ("/desktop-uri/clip", test_clip);
  g_test_add_func ("/desktop-uri/refused", test_refused);

  status = g_test_run ();
  g_clear_object (&app);
  gloss_test_server_free (server);
  return status;
}
