/* gloss-uri-handler.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's side of a gloss: URI (gloss-uri.h reads it): a page sent
 * from a browser's bookmarklet is opened, and clipped when asked, as if
 * the person had pressed Clip once the page was there. */

#define G_LOG_DOMAIN "gloss-uri-handler"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-uri-handler.h"

typedef struct
{
  GlossWindow  *window;     /* weak */
  GlossBrowser *browser;    /* weak */
  GlossLibrary *library;    /* weak, while waiting for it */
  char         *url;
  guint         idle_id;
  gboolean      checked;
  gboolean      readerable;
} PendingClip;

/* Freed with the window's data: also when the window goes first. */
static void
pending_clip_free (PendingClip *pending)
{
  g_clear_handle_id (&pending->idle_id, g_source_remove);
  if (pending->browser != NULL)
    {
      g_signal_handlers_disconnect_by_data (pending->browser, pending);
      g_signal_handlers_disconnect_by_data (gloss_browser_get_web_view (pending->browser), pending);
    }
  if (pending->library != NULL)
    g_signal_handlers_disconnect_by_data (pending->library, pending);
  g_clear_weak_pointer (&pending->browser);
  g_clear_weak_pointer (&pending->library);
  g_clear_weak_pointer (&pending->window);
  g_free (pending->url);
  g_free (pending);
}

static void
disconnect_all (PendingClip *pending);

static void
clip_now (PendingClip *pending)
{
  GlossWindow *window = pending->window;
  AdwToast *toast;

  if (pending->readerable)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.clip", NULL);
      return;
    }

  /* As Clip itself answers for a page that is not an article. */
  toast = adw_toast_new (_("This page does not look like an article"));
  adw_toast_set_button_label (toast, _("Clip Whole Page"));
  adw_toast_set_action_name (toast, "win.clip-whole-page");
  adw_toast_set_timeout (toast, 8);
  gloss_window_add_toast (window, toast);
}

static gboolean
library_ready (PendingClip *pending)
{
  GlossLibrary *library = gloss_window_get_library (pending->window);

  return library != NULL && gloss_library_get_loaded (library);
}

static gboolean
page_ready (PendingClip *pending)
{
  WebKitWebView *web_view = gloss_browser_get_web_view (pending->browser);

  return pending->checked && !webkit_web_view_is_loading (web_view);
}

static gboolean
clip_idle_cb (gpointer data)
{
  PendingClip *pending = data;

  pending->idle_id = 0;
  clip_now (pending);
  disconnect_all (pending);

  return G_SOURCE_REMOVE;
}

/* Clip once the page is checked and loaded and the library read: what
 * the Clip button waits for too. */
static void
try_clip (PendingClip *pending)
{
  GlossLibrary *library;

  if (pending->window == NULL || pending->browser == NULL || !page_ready (pending) ||
      pending->idle_id != 0)
    return;

  if (library_ready (pending))
    {
      /* After the window has updated its actions for this state. */
      pending->idle_id = g_idle_add (clip_idle_cb, pending);
      return;
    }

  /* A window made for this link reads its library after its first
   * frame; the page may well be quicker. */
  library = gloss_window_get_library (pending->window);
  if (library == NULL)
    {
      gloss_window_show_toast (pending->window, _("The library is not available"));
      disconnect_all (pending);
      return;
    }
  if (pending->library == NULL)
    {
      g_set_weak_pointer (&pending->library, library);
      g_signal_connect_swapped (library, "notify::loaded", G_CALLBACK (try_clip), pending);
    }
}

static void
gloss_uri_handler_checked_cb (GlossBrowser *browser,
                              gboolean      readerable,
                              PendingClip  *pending)
{
  g_assert (GLOSS_IS_BROWSER (browser));

  if (pending->checked)
    return;

  pending->checked = TRUE;
  pending->readerable = readerable;
  try_clip (pending);
}

static void
gloss_uri_handler_loading_cb (WebKitWebView *web_view,
                              GParamSpec    *pspec,
                              PendingClip   *pending)
{
  g_assert (WEBKIT_IS_WEB_VIEW (web_view));

  try_clip (pending);
}

/* The page did not load: the window shows why, and there is nothing to
 * clip. */
static void
gloss_uri_handler_load_error_cb (GlossBrowser *browser,
                                 const char   *uri,
                                 const char   *title,
                                 const char   *description,
                                 PendingClip  *pending)
{
  g_assert (GLOSS_IS_BROWSER (browser));

  disconnect_all (pending);
}

static void
disconnect_all (PendingClip *pending)
{
  /* Frees @pending. */
  if (pending->window != NULL)
    g_object_set_data (G_OBJECT (pending->window), "gloss-pending-clip", NULL);
}

void
gloss_uri_handler_follow (GlossWindow    *window,
                          GlossUriAction  action,
                          const char     *url)
{
  GlossBrowser *browser;
  PendingClip *pending;

  g_return_if_fail (GLOSS_IS_WINDOW (window));
  g_return_if_fail (url != NULL);

  /* A link that follows replaces one still waiting. */
  if (g_object_get_data (G_OBJECT (window), "gloss-pending-clip") != NULL)
    disconnect_all (g_object_get_data (G_OBJECT (window), "gloss-pending-clip"));

  if (action != GLOSS_URI_CLIP)
    return;

  pending = g_new0 (PendingClip, 1);
  g_set_weak_pointer (&pending->window, window);
  pending->url = g_strdup (url);
  /* Freed with the window, or when done. */
  g_object_set_data_full (G_OBJECT (window), "gloss-pending-clip", pending,
                          (GDestroyNotify) pending_clip_free);

  browser = gloss_window_get_browser (window);
  g_set_weak_pointer (&pending->browser, browser);
  g_signal_connect (browser, "readerable-checked",
                    G_CALLBACK (gloss_uri_handler_checked_cb), pending);
  g_signal_connect (gloss_browser_get_web_view (browser), "notify::is-loading",
                    G_CALLBACK (gloss_uri_handler_loading_cb), pending);
  g_signal_connect (browser, "load-error",
                    G_CALLBACK (gloss_uri_handler_load_error_cb), pending);
}

void
gloss_uri_handler_refuse (GlossWindow  *window,
                          const GError *error)
{
  g_autofree char *markup = NULL;

  g_return_if_fail (GLOSS_IS_WINDOW (window));
  g_return_if_fail (error != NULL);

  /* A toast's title is markup. */
  markup = g_markup_escape_text (error->message, -1);
  gloss_window_show_toast (window, markup);
}
