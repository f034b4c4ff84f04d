/* gloss-application.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The application: one instance per user, the command line, app actions.
 * Options that need no window run here, before GTK starts, and exit. */

#define G_LOG_DOMAIN "gloss-application"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "gloss-application.h"
#include "gloss-browser.h"
#include "gloss-cli-clip.h"
#include "gloss-cli-export.h"
#include "gloss-cli-library.h"
#include "gloss-cli-merge.h"
#include "gloss-cli-search.h"
#include "gloss-error.h"
#include "gloss-index.h"
#include "gloss-search-result.h"
#include "gloss-library.h"
#include "gloss-preferences-window.h"
#include "gloss-window.h"

struct _GlossApplication
{
  AdwApplication  parent_instance;

  char           *library_option;
  GlossLibrary   *library;
  GlossIndex     *index;
  GCancellable   *cancellable;
  GSettings      *settings;
  guint           load_source;
  gboolean        load_pending;
  gboolean        options_parsed;
};

G_DEFINE_FINAL_TYPE (GlossApplication, gloss_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { "library", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Use the library in DIR"), N_("DIR") },
  { "list", 0, 0, G_OPTION_ARG_NONE, NULL, N_("List the clips in the library"), NULL },
  { "verify", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Check every file of the library and report what needs attention"), NULL },
  { "merge-conflicts", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Merge the conflict copies that sync tools left in the library"), NULL },
  { "merge-clip", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Merge BASE, OURS and THEIRS versions of a clip.json into OURS (git’s merge driver)"), NULL },
  { "search", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Search the library and print the ranked results"), N_("QUERY") },
  { "limit", 0, 0, G_OPTION_ARG_INT, NULL, N_("Print at most N results (with --search)"), N_("N") },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print JSON (with --list or --search)"), NULL },
  { "clip", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Clip the pages at URL… into the library without showing a window"), NULL },
  { "export-markdown", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Export highlights and notes as Markdown files into DIR (of the clips QUERY finds, or all)"), N_("DIR") },
  { "export-jsonld", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Export annotations as W3C Web Annotation JSON-LD into FILE (of the clips QUERY finds, or all)"), N_("FILE") },
  { "import", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Import a Hypothesis or W3C JSON export, a list of URLs, or a Pocket or Omnivore export"), N_("FILE") },
  { "template", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Markdown template file (with --export-markdown; see docs/templates.md)"), N_("FILE") },
  { "combined", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Write one combined Markdown file (with --export-markdown)"), NULL },
  { "with-article", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Add the whole article after the highlights (with --export-markdown)"), NULL },
  { "json-lines", 0, 0, G_OPTION_ARG_NONE, NULL, N_("One annotation per line (with --export-jsonld)"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, N_("[URL…]") },
  { NULL }
};

/* The library-folder setting, when the schema is installed: the command
 * line must work from a build folder too, where it may not be. */
static char *
dup_library_setting (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source == NULL || !(schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)))
    return NULL;

  settings = g_settings_new (APP_ID);
  return g_settings_get_string (settings, "library-folder");
}

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

  /* The list is usable now; the index catches up in its own thread. */
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
      g_autofree char *setting = dup_library_setting ();
      g_autoptr(GFile) folder = gloss_library_resolve_folder (self->library_option, setting);

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
      open_in_window (target, uri);
    }
}

static GFile *
resolve_library_folder (GVariantDict *options)
{
  g_autofree char *command_line = NULL;
  g_autofree char *setting = NULL;

  g_variant_dict_lookup (options, "library", "^ay", &command_line);
  setting = dup_library_setting ();

  return gloss_library_resolve_folder (command_line, setting);
}

static int
finish_tool (int      status,
             GString *out,
             GString *err)
{
  if (out->len > 0)
    {
      fputs (out->str, stdout);
      fflush (stdout);
    }
  if (err->len > 0)
    fputs (err->str, stderr);

  return status;
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

/* The ids of the clips @query finds, through the search index (brought
 * up to date first). 2 (bad usage) for a query with a mistake in it. */
static int
find_query_ids (GFile       *library,
                const char  *query,
                GStrv       *out_ids,
                GString     *err)
{
  g_autoptr(GlossIndex) index = gloss_index_new (library);
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  if (!gloss_index_sync (index, NULL, &error) ||
      !(results = gloss_index_search (index, query, 0, NULL, &error)))
    {
      g_string_append_printf (err, "gloss: %s\n", error->message);
      return g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY) ? 2 : 1;
    }

  *out_ids = gloss_search_results_dup_clip_ids (results);
  return 0;
}

static int
run_export (GFile        *library,
            GVariantDict *options,
            GString      *out,
            GString      *err)
{
  g_autofree const char **remaining = NULL;
  g_autofree char *query = NULL;
  g_autofree char *destination = NULL;
  g_autofree char *template_path = NULL;
  g_auto(GStrv) ids = NULL;
  GlossExportFlags flags = GLOSS_EXPORT_NONE;
  int status;

  /* Whatever follows the options is the query: `--export-markdown DIR
   * tag:work has:notes` exports what that search finds. */
  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &remaining) && remaining != NULL)
    query = g_strjoinv (" ", (char **) remaining);

  if (query != NULL && (status = find_query_ids (library, query, &ids, err)) != 0)
    return finish_tool (status, out, err);

  if (g_variant_dict_contains (options, "combined"))
    flags |= GLOSS_EXPORT_COMBINED;
  if (g_variant_dict_contains (options, "with-article"))
    flags |= GLOSS_EXPORT_WITH_ARTICLE;
  if (g_variant_dict_contains (options, "json-lines"))
    flags |= GLOSS_EXPORT_JSON_LINES;
  g_variant_dict_lookup (options, "template", "^ay", &template_path);

  if (g_variant_dict_lookup (options, "export-markdown", "^ay", &destination))
    status = gloss_cli_export_markdown_full (library, destination, (const char * const *) ids,
                                             template_path, flags, out, err);
  else
    {
      g_variant_dict_lookup (options, "export-jsonld", "^ay", &destination);
      status = gloss_cli_export_jsonld_full (library, destination, (const char * const *) ids,
                                             flags, out, err);
    }

  return finish_tool (status, out, err);
}

static int
run_import (GFile        *library,
            GVariantDict *options,
            GString      *out,
            GString      *err)
{
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *file = NULL;
  gboolean display;
  int status;

  /* Before the import: a re-run under xvfb-run starts it over. */
  display = ensure_display ();

  g_variant_dict_lookup (options, "import", "^ay", &file);
  status = gloss_cli_import (library, file, urls, out, err);

  if (status != 0 || urls->len == 0)
    return finish_tool (status, out, err);

  /* The pages themselves are clipped as `gloss --clip` would, when there
   * is a display for the web engine; otherwise the import data is kept
   * and the user is told which pages still need clipping. */
  if (!display)
    {
      /* The import itself worked; `gloss --clip URL` later gives those
       * stand-in clips their article. */
      g_string_append_printf (err,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "gloss: %u page was not clipped yet: there is no display for the web engine. Clip it later with gloss --clip.\n",
                                           "gloss: %u pages were not clipped yet: there is no display for the web engine. Clip them later with gloss --clip.\n",
                                           urls->len),
                              urls->len);
      return finish_tool (0, out, err);
    }

  g_ptr_array_add (urls, NULL);
  /* The import's own summary first, then one line per page as it goes.
   * The clips the import made from its own data get their real article
   * (GlossClipQueue finds them by their mark); other clips are left alone. */
  finish_tool (0, out, err);
  g_string_truncate (out, 0);
  g_string_truncate (err, 0);

  return finish_tool (gloss_cli_clip_full (library, (const char * const *) urls->pdata, TRUE, out, err),
                      out, err);
}

/* Options that work without a window; -1 when none was given. */
static int
run_tool (GVariantDict *options)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GFile) library = NULL;
  gboolean json = g_variant_dict_contains (options, "json");
  guint n_tools = 0;

  n_tools += g_variant_dict_contains (options, "list");
  n_tools += g_variant_dict_contains (options, "verify");
  n_tools += g_variant_dict_contains (options, "merge-conflicts");
  n_tools += g_variant_dict_contains (options, "merge-clip");
  n_tools += g_variant_dict_contains (options, "search");
  n_tools += g_variant_dict_contains (options, "clip");
  n_tools += g_variant_dict_contains (options, "export-markdown");
  n_tools += g_variant_dict_contains (options, "export-jsonld");
  n_tools += g_variant_dict_contains (options, "import");

  if (n_tools == 0)
    {
      if (g_variant_dict_contains (options, "limit"))
        {
          g_printerr ("gloss: %s\n", _("--limit goes with --search"));
          return 2;
        }
      if (json)
        {
          g_printerr ("gloss: %s\n", _("--json goes with --list or --search"));
          return 2;
        }
      return -1;
    }

  if (n_tools > 1)
    {
      g_printerr ("gloss: %s\n", _("Give one of --list, --verify, --search, --export-markdown, --export-jsonld, --import or --clip at a time"));
      return 2;
    }

  if (g_variant_dict_contains (options, "merge-clip"))
    {
      g_autofree const char **files = NULL;

      g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &files);
      if (files == NULL || g_strv_length ((char **) files) != 3)
        {
          g_printerr ("gloss: %s\n", _("--merge-clip takes three files: BASE OURS THEIRS"));
          return 2;
        }
      return finish_tool (gloss_cli_merge_clip (files[0], files[1], files[2], out, err), out, err);
    }

  library = resolve_library_folder (options);

  if (g_variant_dict_contains (options, "merge-conflicts"))
    return finish_tool (gloss_cli_merge_conflicts (library, out, err), out, err);

  if (g_variant_dict_contains (options, "clip"))
    {
      g_autofree const char **urls = NULL;
      static const char *none[] = { NULL };

      /* Clipping needs a web view, so GTK, but never a window. */
      if (!ensure_display ())
        {
          g_printerr ("gloss: %s\n", _("--clip needs a display to run the web engine on, or xvfb-run (package xvfb) to make one"));
          return 1;
        }

      g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &urls);
      return finish_tool (gloss_cli_clip_full (library, urls ? urls : none, TRUE, out, err), out, err);
    }

  if (g_variant_dict_contains (options, "export-markdown") ||
      g_variant_dict_contains (options, "export-jsonld"))
    return run_export (library, options, out, err);

  if (g_variant_dict_contains (options, "import"))
    return run_import (library, options, out, err);

  if (g_variant_dict_contains (options, "list"))
    return finish_tool (gloss_cli_list (library, json, out, err), out, err);

  if (g_variant_dict_contains (options, "search"))
    {
      const char *query = NULL;
      int limit = 20;

      g_variant_dict_lookup (options, "search", "&s", &query);
      if (g_variant_dict_lookup (options, "limit", "i", &limit) && limit <= 0)
        {
          g_printerr ("gloss: %s\n", _("--limit takes a number greater than 0"));
          return 2;
        }

      return finish_tool (gloss_cli_search (library, query, json, limit, out, err), out, err);
    }

  return finish_tool (gloss_cli_verify (library, out, err), out, err);
}

static int
gloss_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  g_autofree const char **remaining = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  GLOSS_APPLICATION (app)->options_parsed = TRUE;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  if ((status = run_tool (options)) != -1)
    return status;

  /* Kept for the window's library, read after the first frame. */
  g_variant_dict_lookup (options, "library", "^ay", &GLOSS_APPLICATION (app)->library_option);

  if (!g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &remaining) || remaining == NULL)
    return -1;

  /* Addresses are normalised here, before they travel to the running
   * instance: "example.org" is a web page, not a file in this folder. */
  files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; remaining[i] != NULL; i++)
    {
      g_autofree char *uri = gloss_browser_normalize_uri (remaining[i], &error);

      if (uri == NULL)
        {
          g_printerr ("gloss: %s\n", error->message);
          return 1;
        }

      g_ptr_array_add (files, g_file_new_for_uri (uri));
    }

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("gloss: %s\n", error->message);
      return 1;
    }

  g_application_open (app, (GFile **)files->pdata, files->len, "");

  /* A running instance took them; otherwise this one goes on to run. */
  return g_application_get_is_remote (app) ? 0 : -1;
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
    *exit_status = 2;

  return done;
}

static void
gloss_application_shutdown (GApplication *app)
{
  GlossApplication *self = GLOSS_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->load_source, g_source_remove);

  G_APPLICATION_CLASS (gloss_application_parent_class)->shutdown (app);
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

  app_class->activate = gloss_application_activate;
  app_class->open = gloss_application_open;
  app_class->startup = gloss_application_startup;
  app_class->handle_local_options = gloss_application_handle_local_options;
}

static void
gloss_application_init (GlossApplication *self)
{
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Clip web articles and annotate them."));
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
