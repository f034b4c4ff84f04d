/* gloss-cli-clip.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `gloss --clip URL…`: the clipper without a window. Pages load one after
 * the other in a hidden GlossBrowser, which carries the same scripts as
 * the window's, so a clip from the command line equals one from the
 * window. */

#define G_LOG_DOMAIN "gloss-cli-clip"

#include "config.h"

#include <glib/gi18n.h>

#include <gtk/gtk.h>

#include "gloss-browser.h"
#include "gloss-cli-clip.h"
#include "gloss-clipper.h"
#include "gloss-error.h"
#include "gloss-library.h"

#define LOAD_TIMEOUT_S 60
/* Once the document is parsed, how long its images, styles and scripts
 * may still load before the page is clipped as it is. */
#define SUBRESOURCE_GRACE_MS 3000

typedef struct
{
  gboolean   done;
  gboolean   started;
  gboolean   loaded;
  guint      grace_id;
  guint      timeout_id;
  char      *load_error;
  GlossClip *clip;
  GError    *error;
} Wait;

static void
load_changed_cb (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 Wait            *wait)
{
  /* A FINISHED without our STARTED is the end of the previous page's
   * load (stopped after an error), not this one. */
  if (event == WEBKIT_LOAD_STARTED)
    wait->started = TRUE;
  else if (event == WEBKIT_LOAD_FINISHED && wait->started)
    {
      wait->loaded = TRUE;
      wait->done = TRUE;
    }
}

static void
load_error_cb (GlossBrowser *browser,
               const char   *uri,
               const char   *title,
               const char   *description,
               Wait         *wait)
{
  g_free (wait->load_error);
  /* One line: the headline says what (often the HTTP status), the
   * description why. */
  wait->load_error = g_strdup_printf ("%s: %s", title, description ? description : "");
  wait->done = TRUE;
}

static gboolean
grace_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->grace_id = 0;
  wait->loaded = TRUE;
  wait->done = TRUE;

  return G_SOURCE_REMOVE;
}

/* The readerable check runs when the document has been parsed: enough to
 * clip, even if a far-away server still holds an image or a script. */
static void
readerable_checked_cb (GlossBrowser *browser,
                       gboolean      readerable,
                       Wait         *wait)
{
  if (wait->started && wait->grace_id == 0 && !wait->done)
    wait->grace_id = g_timeout_add (SUBRESOURCE_GRACE_MS, grace_cb, wait);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->timeout_id = 0;
  if (wait->load_error == NULL)
    wait->load_error = g_strdup (_("The page took too long to load"));
  wait->done = TRUE;

  return G_SOURCE_REMOVE;
}

static void
clip_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->clip = gloss_clipper_clip_finish (GLOSS_CLIPPER (object), result, NULL, &wait->error);
  wait->done = TRUE;
}

static void
run_until_done (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
load_page (GlossBrowser  *browser,
           const char    *uri,
           GError       **error)
{
  WebKitWebView *web_view = gloss_browser_get_web_view (browser);
  Wait wait = { 0 };
  gulong changed_id, error_id, checked_id;

  changed_id = g_signal_connect (web_view, "load-changed", G_CALLBACK (load_changed_cb), &wait);
  error_id = g_signal_connect (browser, "load-error", G_CALLBACK (load_error_cb), &wait);
  checked_id = g_signal_connect (browser, "readerable-checked", G_CALLBACK (readerable_checked_cb), &wait);
  wait.timeout_id = g_timeout_add_seconds (LOAD_TIMEOUT_S, timeout_cb, &wait);

  gloss_browser_load (browser, uri);
  run_until_done (&wait);

  /* A load error comes before the load finishes, or instead of it. */
  g_signal_handler_disconnect (web_view, changed_id);
  g_signal_handler_disconnect (browser, error_id);
  g_signal_handler_disconnect (browser, checked_id);
  g_clear_handle_id (&wait.grace_id, g_source_remove);
  g_clear_handle_id (&wait.timeout_id, g_source_remove);

  if (wait.load_error != NULL)
    {
      webkit_web_view_stop_loading (web_view);
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_FAILED, wait.load_error);
      g_free (wait.load_error);
      return FALSE;
    }

  return TRUE;
}

int
gloss_cli_clip (GFile              *library_folder,
                const char * const *urls,
                GString            *out,
                GString            *err)
{
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GlossClipper) clipper = NULL;
  g_autoptr(GlossBrowser) browser = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = NULL;
  guint failed = 0;

  g_return_val_if_fail (G_IS_FILE (library_folder), 1);
  g_return_val_if_fail (urls != NULL, 1);
  g_return_val_if_fail (out != NULL && err != NULL, 1);

  if (urls[0] == NULL)
    {
      g_string_append_printf (err, "gloss: %s\n", _("--clip needs at least one URL"));
      return 2;
    }

  library = gloss_library_new (library_folder);
  if (!gloss_library_load (library, NULL, &error))
    {
      g_string_append_printf (err, "gloss: %s\n", error->message);
      return 1;
    }

  clipper = gloss_clipper_new (library);
  browser = gloss_browser_new ();

  /* WebKit expects its view inside a toplevel, even one never shown. */
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (gloss_browser_get_web_view (browser)));

  for (guint i = 0; urls[i] != NULL; i++)
    {
      g_autofree char *uri = NULL;
      GlossClip *existing;
      Wait wait = { 0 };

      g_clear_error (&error);

      if (!(uri = gloss_browser_normalize_uri (urls[i], &error)) ||
          !load_page (browser, uri, &error))
        {
          g_string_append_printf (err, "gloss: %s: %s\n", urls[i], error->message);
          failed++;
          continue;
        }

      /* The address after redirects is the one the clip keeps. */
      existing = gloss_library_find_by_url (library, webkit_web_view_get_uri (gloss_browser_get_web_view (browser)));
      if (existing == NULL)
        existing = gloss_library_find_by_url (library, uri);
      if (existing != NULL)
        {
          g_string_append_printf (err, "gloss: %s: %s\n", urls[i], _("already in the library"));
          g_string_append_printf (out, "%s\n", gloss_clip_get_id (existing));
          continue;
        }

      gloss_clipper_clip_async (clipper, gloss_browser_get_web_view (browser),
                                GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, clip_done_cb, &wait);
      run_until_done (&wait);

      if (wait.clip == NULL)
        {
          g_string_append_printf (err, "gloss: %s: %s\n", urls[i], wait.error->message);
          g_clear_error (&wait.error);
          failed++;
          continue;
        }

      {
        const GlossClipStats *stats = gloss_clipper_get_stats (clipper);

        g_string_append_printf (err, "gloss: %s: %s “%s” (%u of %u images saved)\n",
                                urls[i], _("clipped"), gloss_clip_get_title (wait.clip),
                                stats->n_images_saved, stats->n_images);
      }
      g_string_append_printf (out, "%s\n", gloss_clip_get_id (wait.clip));
      g_clear_object (&wait.clip);
    }

  gtk_window_destroy (GTK_WINDOW (window));

  return failed > 0 ? 1 : 0;
}
