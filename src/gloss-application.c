/* gloss-application.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The application: one instance per user, app actions, and the part of
 * the command line that needs GTK (windows, `gloss URL`, --clip). The
 * commands that need no window are src/cli/gloss-cli.c's; `gloss` runs
 * them without ever starting this program. */

#define G_LOG_DOMAIN "gloss-application"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "gloss-application.h"
#include "gloss-browser.h"
#include "gloss-cli.h"
#include "gloss-cli-clip.h"
#include "gloss-cli-clip-pending.h"
#include "gloss-error.h"
#include "gloss-index.h"
#include "gloss-library.h"
#include "gloss-preferences-window.h"
#include "gloss-accessible.h"
#include "gloss-search-provider.h"
#include "gloss-uri-handler.h"
#include "gloss-web-shell.h"
#include "gloss-window.h"

struct _GlossApplication
{
  AdwApplication  parent_instance;

  char           *library_option;
  GlossLibrary   *library;
  GlossIndex     *index;
  GCancellable   *cancellable;
  GSettings      *settings;
  GlossSearchProvider *search_provider;
  guint           load_source;
  gboolean        load_pending;
  gboolean        options_parsed;
};

G_DEFINE_FINAL_TYPE (GlossApplication, gloss_application, ADW_TYPE_APPLICATION)

static void
show_library_error (GlossApplication *self,
                    const GError     *error)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  g_warning ("%s", error->message);
  if (GLOSS_IS_WINDOW (window))
    gloss_window_show_toast (GLOSS_WINDOW (window), error->message);
}

static void
index_sync_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GlossApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gloss_index_sync_finish (GLOSS_INDEX (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_library_error (self, error);
}

static void
library_load_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GlossApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gloss_library_load_finish (GLOSS_LIBRARY (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_library_error (self, error);
      return;
    }

  gloss_library_set_monitoring (self->library, TRUE);

  /* The list is usable now; the index catches up in its own thread,
   * with the check that also sees files written in place. */
  gloss_index_set_thorough_sync (self->index, TRUE);
  gloss_index_sync_async (self->index, self->cancellable, index_sync_cb, g_object_ref (self));
}

static gboolean
load_library_cb (gpointer user_data)
{
  GlossApplication *self = user_data;

  self->load_source = 0;
  gloss_library_set_merging (self->library, TRUE);
  gloss_library_load_async (self->library, self->cancellable, library_load_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

/* Not at a lower priority than default: the loading spinner's frames
 * would starve it. */
static void
schedule_load (GlossApplication *self)
{
  if (!self->load_pending || self->load_source != 0)
    return;

  self->load_pending = FALSE;
  self->load_source = g_idle_add_full (G_PRIORITY_DEFAULT, load_library_cb, self, NULL);
}

GlossLibrary *
gloss_application_get_library (GlossApplication *self)
{
  g_return_val_if_fail (GLOSS_IS_APPLICATION (self), NULL);

  if (self->library == NULL)
    {
      g_autoptr(GFile) folder = gloss_cli_resolve_library_folder (self->library_option);

      self->library = gloss_library_new (folder);
      self->index = gloss_index_new (folder);
      gloss_index_watch_library (self->index, self->library);

      /* The library is read once a window has drawn its first frame, never
       * before: start-up does no library or index work ahead of it (see
       * tests/bench-startup.c). A window already on screen (the library
       * folder changed) needs no wait. */
      self->load_pending = TRUE;
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
        if (gtk_widget_get_mapped (l->data))
          schedule_load (self);
    }

  return self->library;
}

GlossIndex *
gloss_application_get_index (GlossApplication *self)
{
  g_return_val_if_fail (GLOSS_IS_APPLICATION (self), NULL);

  gloss_application_get_library (self);

  return self->index;
}

static void
first_frame_cb (GdkFrameClock    *clock,
                GlossApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  schedule_load (self);
}

static void
window_realize_cb (GtkWidget        *window,
                   GlossApplication *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  if (self->load_pending && clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (first_frame_cb), self, 0);
  else
    schedule_load (self);
}

static GlossWindow *
new_window (GlossApplication *self)
{
  GlossWindow *window = gloss_window_new (ADW_APPLICATION (self));
  GlossLibrary *library = gloss_application_get_library (self);

  /* Made together with the library, so only after the call above. */
  gloss_window_set_library (window, library, self->index);

  if (self->load_pending)
    g_signal_connect_object (window, "realize", G_CALLBACK (window_realize_cb), self, 0);

  return window;
}

static GlossWindow *
get_or_create_window (GlossApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (new_window (self));

  return GLOSS_WINDOW (window);
}

static void
gloss_application_activate (GApplication *app)
{
  GlossApplication *self = GLOSS_APPLICATION (app);

  gtk_window_present (GTK_WINDOW (get_or_create_window (self)));
}

typedef struct
{
  GlossWindow *window;
  char        *uri;
} PendingOpen;

static void
pending_open_free (gpointer data,
                   GClosure *closure)
{
  PendingOpen *open = data;

  g_free (open->uri);
  g_free (open);
}

static void
open_when_drawn_cb (GdkFrameClock *clock,
                    PendingOpen   *open)
{
  GlossWindow *window = open->window;
  g_autofree char *uri = g_strdup (open->uri);

  /* Disconnecting frees @open. */
  g_signal_handlers_disconnect_by_func (clock, open_when_drawn_cb, open);
  gloss_window_open (window, uri);
}

/* A window asked to open a page draws its first frame before the web
 * engine starts, which takes longer than all the rest of start-up. */
static void
open_in_window (GlossWindow *window,
                const char  *uri)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  PendingOpen *open;

  if (clock == NULL || gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      gloss_window_open (window, uri);
      return;
    }

  open = g_new0 (PendingOpen, 1);
  open->window = window;
  open->uri = g_strdup (uri);
  g_signal_connect_data (clock, "after-paint", G_CALLBACK (open_when_drawn_cb),
                         open, pending_open_free, 0);
}

static void
gloss_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  GlossApplication *self = GLOSS_APPLICATION (app);
  GlossWindow *window = get_or_create_window (self);

  /* One live view per window: the last address wins, the others get a
   * window each, as a browser does. */
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      GlossWindow *target = i == 0 ? window : new_window (self);

      gtk_window_present (GTK_WINDOW (target));

      /* gloss:clip?url=… from a browser: untrusted, read again here. */
      if (gloss_uri_is_gloss (uri))
        {
          g_autoptr(GError) error = NULL;
          GlossUriAction action;
          g_autofree char *url = gloss_uri_parse (uri, &action, &error);

          if (url == NULL)
            {
              gloss_uri_handler_refuse (target, error);
              continue;
            }
          gloss_uri_handler_follow (target, action, url);
          g_free (uri);
          uri = g_steal_pointer (&url);
        }

      open_in_window (target, uri);
    }
}

static char **program_argv;

/* The web engine needs a display even for a view never shown. With none
 * (a cron job, an SSH session), run the same command again under a
 * private headless X server when xvfb-run is installed. Returns whether
 * GTK is ready; on success of the re-run this does not return. */
static gboolean
ensure_display (void)
{
  g_autofree char *xvfb_run = NULL;
  g_autoptr(GPtrArray) argv = NULL;

  if (gtk_init_check ())
    {
      adw_init ();
      return TRUE;
    }

  if (program_argv == NULL || g_getenv ("GLOSS_UNDER_XVFB") != NULL ||
      !(xvfb_run = g_find_program_in_path ("xvfb-run")))
    return FALSE;

  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, xvfb_run);
  g_ptr_array_add (argv, (char *) "-a");
  g_ptr_array_add (argv, (char *) "-s");
  g_ptr_array_add (argv, (char *) "-screen 0 1280x1024x24 -nolisten tcp");
  for (guint i = 0; program_argv[i] != NULL; i++)
    g_ptr_array_add (argv, program_argv[i]);
  g_ptr_array_add (argv, NULL);

  g_setenv ("GLOSS_UNDER_XVFB", "1", TRUE);
  /* Nothing is shown on that server and it has no GPU: Mesa's software
   * driver crashes now and then in WebKit's threaded compositor there
   * (swrast_dri.so), which would end a clip for nothing. */
  g_setenv ("WEBKIT_DISABLE_COMPOSITING_MODE", "1", FALSE);
  execv (xvfb_run, (char **) argv->pdata);

  g_warning ("Could not run %s: %s", xvfb_run, g_strerror (errno));
  return FALSE;
}

void
gloss_application_set_argv (char **argv)
{
  g_strfreev (program_argv);
  program_argv = g_strdupv (argv);
}

/* `gloss --clip URL…`, and the pages a `gloss --import` found
 * (@imported): the web engine needs GTK, but never a window. */
static int
run_clip (GFile     *library,
          GPtrArray *urls,
          gboolean   imported)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);

  if (!ensure_display ())
    {
      if (!imported)
        {
          g_printerr ("gloss: %s\n", _("--clip needs a display to run the web engine on, or xvfb-run (package xvfb) to make one"));
          return GLOSS_CLI_FAILED;
        }

      /* The import itself worked; `gloss --clip URL` later gives those
       * stand-in clips their article. */
      g_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "gloss: %u page was not clipped yet: there is no display for the web engine. Clip it later with gloss --clip.\n",
                               "gloss: %u pages were not clipped yet: there is no display for the web engine. Clip them later with gloss --clip.\n",
                               urls->len),
                  urls->len);
      return GLOSS_CLI_OK;
    }

  g_ptr_array_add (urls, NULL);
  /* The clips an import made from its own data get their real article
   * (GlossClipQueue finds them by their mark); other clips are left
   * alone. */
  return gloss_cli_finish (gloss_cli_clip_full (library, (const char * const *) urls->pdata, TRUE, out, err),
                           out, err);
}

/* The arguments after the options, as UTF-8. */
static GPtrArray *
dup_remaining (GVariantDict  *options,
               GError       **error)
{
  g_auto(GStrv) remaining = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &remaining) && remaining != NULL)
    for (guint i = 0; remaining[i] != NULL; i++)
      {
        char *text = gloss_cli_dup_text (_("An address to open"), remaining[i], error);

        if (text == NULL)
          return NULL;
        g_ptr_array_add (texts, text);
      }

  return g_steal_pointer (&texts);
}

static int
gloss_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  g_autoptr(GPtrArray) remaining = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) clip_urls = NULL;
  g_autoptr(GFile) library = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  GLOSS_APPLICATION (app)->options_parsed = TRUE;

  /* The commands that need no window: `gloss` runs them itself and never
   * starts this program for them, but they work here too. */
  status = gloss_cli_run (options, &library, &clip_urls);
  if (status != GLOSS_CLI_NEEDS_GUI)
    return status;

  if (clip_urls != NULL)
    return run_clip (library, clip_urls, TRUE);

  if (!(remaining = dup_remaining (options, &error)))
    {
      g_printerr ("gloss: %s\n", error->message);
      return gloss_cli_status_for_error (error);
    }

  if (g_variant_dict_contains (options, "clip-pending"))
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GString) err = g_string_new (NULL);

      if (!ensure_display ())
        {
          g_printerr ("gloss: %s\n", _("--clip-pending needs a display to run the web engine on, or xvfb-run (package xvfb) to make one"));
          return GLOSS_CLI_FAILED;
        }
      library = gloss_cli_resolve_library (options);
      return gloss_cli_finish (gloss_cli_clip_pending (library, out, err), out, err);
    }

  if (g_variant_dict_contains (options, "clip"))
    {
      if (remaining->len == 0)
        {
          g_printerr ("gloss: %s\n", _("--clip needs at least one URL"));
          return GLOSS_CLI_USAGE;
        }
      library = gloss_cli_resolve_library (options);
      return run_clip (library, remaining, g_variant_dict_contains (options, "clip-imported"));
    }

  /* Kept for the window's library, read after the first frame. */
  g_variant_dict_lookup (options, "library", "^ay", &GLOSS_APPLICATION (app)->library_option);

  if (remaining->len == 0)
    return -1;

  /* Addresses are normalised here, before they travel to the running
   * instance: "example.org" is a web page, not a file in this folder. */
  files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < remaining->len; i++)
    {
      const char *argument = remaining->pdata[i];
      g_autofree char *uri = NULL;

      /* A gloss: link goes to the window as it is, once checked (the
       * window reads it again: D-Bus may bring it from anywhere). */
      if (gloss_uri_is_gloss (argument))
        {
          GlossUriAction action;
          g_autofree char *url = gloss_uri_parse (argument, &action, &error);

          uri = url ? g_strdup (argument) : NULL;
        }
      else
        uri = gloss_browser_normalize_uri (argument, &error);

      if (uri == NULL)
        {
          g_printerr ("gloss: %s\n", error->message);
          return GLOSS_CLI_FAILED;
        }

      g_ptr_array_add (files, g_file_new_for_uri (uri));
    }

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("gloss: %s\n", error->message);
      return GLOSS_CLI_FAILED;
    }

  g_application_open (app, (GFile **)files->pdata, files->len, "");

  /* A running instance took them; otherwise this one goes on to run. */
  return g_application_get_is_remote (app) ? GLOSS_CLI_OK : -1;
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* Close each window so that it saves its state, then quit. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));

  g_application_quit (app);
}

static void
new_window_action_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (new_window (GLOSS_APPLICATION (user_data))));
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  GlossApplication *self = GLOSS_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GFile) override = NULL;

  if (self->library_option != NULL || g_getenv ("GLOSS_LIBRARY") != NULL)
    override = gloss_library_resolve_folder (self->library_option, NULL);

  gtk_window_present (GTK_WINDOW (gloss_preferences_window_new (parent, override)));
}

/* A new library folder in the preferences: every window moves to it at
 * once (unless --library or GLOSS_LIBRARY chose the folder). */
static void
library_folder_changed_cb (GlossApplication *self)
{
  GlossLibrary *library;

  if (self->library_option != NULL || g_getenv ("GLOSS_LIBRARY") != NULL || self->library == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->load_source, g_source_remove);
  g_clear_object (&self->index);
  g_clear_object (&self->library);

  library = gloss_application_get_library (self);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (GLOSS_IS_WINDOW (l->data))
      gloss_window_set_library (l->data, library, self->index);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Gloss developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Gloss"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Gloss developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Clip web articles, highlight them and keep your notes, in a library on your own disk."),
                         "website", "https://github.com/glossapp/gloss",
                         "issue-url", "https://github.com/glossapp/gloss/issues",
                         "developers", developers,
                         "copyright", "© 2026 The Gloss developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
gloss_application_startup (GApplication *app)
{
  static const GActionEntry app_actions[] = {
    { "quit", quit_action_cb },
    { "new-window", new_window_action_cb },
    { "about", about_action_cb },
    { "preferences", preferences_action_cb },
  };
  static const char *preferences_accels[] = { "<Primary>comma", NULL };
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *new_window_accels[] = { "<Primary>n", NULL };
  static const char *help_accels[] = { "<Primary>question", NULL };
  static const char *close_accels[] = { "<Primary>w", NULL };

  G_APPLICATION_CLASS (gloss_application_parent_class)->startup (app);
  gloss_accessible_init ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.new-window", new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-shortcuts", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);

  GLOSS_APPLICATION (app)->settings = g_settings_new (APP_ID);
  g_signal_connect_object (GLOSS_APPLICATION (app)->settings, "changed::library-folder",
                           G_CALLBACK (library_folder_changed_cb), app, G_CONNECT_SWAPPED);
}

/* An unknown option or a missing value is bad usage: exit status 2
 * (DESIGN.md), where GApplication would give 1. */
static gboolean
gloss_application_local_command_line (GApplication   *app,
                                      char         ***arguments,
                                      int            *exit_status)
{
  gboolean done;

  done = G_APPLICATION_CLASS (gloss_application_parent_class)->local_command_line (app, arguments, exit_status);

  if (done && *exit_status == EXIT_FAILURE && !GLOSS_APPLICATION (app)->options_parsed)
    *exit_status = GLOSS_CLI_USAGE;

  return done;
}

/* The Shell's search provider lives on the application's own name. */
static gboolean
gloss_application_dbus_register (GApplication     *app,
                                 GDBusConnection  *connection,
                                 const char       *object_path,
                                 GError          **error)
{
  GlossApplication *self = GLOSS_APPLICATION (app);
  g_autofree char *provider_path = g_strconcat (object_path, "/SearchProvider", NULL);

  if (!G_APPLICATION_CLASS (gloss_application_parent_class)->dbus_register (app, connection, object_path, error))
    return FALSE;

  self->search_provider = gloss_search_provider_new (self);
  return gloss_search_provider_register (self->search_provider, connection, provider_path, error);
}

static void
gloss_application_dbus_unregister (GApplication    *app,
                                   GDBusConnection *connection,
                                   const char      *object_path)
{
  GlossApplication *self = GLOSS_APPLICATION (app);

  if (self->search_provider != NULL)
    gloss_search_provider_unregister (self->search_provider);
  g_clear_object (&self->search_provider);

  G_APPLICATION_CLASS (gloss_application_parent_class)->dbus_unregister (app, connection, object_path);
}

static void
gloss_application_shutdown (GApplication *app)
{
  GlossApplication *self = GLOSS_APPLICATION (app);

  g_autoptr(GList) windows = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->load_source, g_source_remove);

  /* Windows still open (the last one closes by itself), and with them
   * their web views, go before the web engine's state. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));

  G_APPLICATION_CLASS (gloss_application_parent_class)->shutdown (app);

  /* The network sessions, the reader's context and what it serves: once
   * the last web view has let go of them, their web and network processes
   * end with them. */
  gloss_web_shell_shutdown ();
}

static void
gloss_application_finalize (GObject *object)
{
  GlossApplication *self = GLOSS_APPLICATION (object);

  g_clear_object (&self->index);
  g_clear_object (&self->library);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->library_option, g_free);

  G_OBJECT_CLASS (gloss_application_parent_class)->finalize (object);
}

static void
gloss_application_class_init (GlossApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = gloss_application_finalize;
  app_class->shutdown = gloss_application_shutdown;
  app_class->local_command_line = gloss_application_local_command_line;
  app_class->dbus_register = gloss_application_dbus_register;
  app_class->dbus_unregister = gloss_application_dbus_unregister;

  app_class->activate = gloss_application_activate;
  app_class->open = gloss_application_open;
  app_class->startup = gloss_application_startup;
  app_class->handle_local_options = gloss_application_handle_local_options;
}

static void
gloss_application_init (GlossApplication *self)
{
  self->cancellable = g_cancellable_new ();

  /* One table for both programs: gloss-cli.c. */
  g_application_add_main_option_entries (G_APPLICATION (self), gloss_cli_get_option_entries ());
  g_application_set_option_context_summary (G_APPLICATION (self), gloss_cli_get_summary ());
  g_application_set_option_context_description (G_APPLICATION (self), gloss_cli_get_description ());
}

GlossApplication *
gloss_application_new (void)
{
  return g_object_new (GLOSS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
