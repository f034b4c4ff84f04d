/* gloss-web-shell.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* WebKit's state, in one place: which sessions and contexts exist, how
 * they are set up, and the scheme handler the reader's context serves. */

#define G_LOG_DOMAIN "gloss-web-shell"

#include "config.h"

#include "gloss-reader-view.h"
#include "gloss-web-shell.h"

struct _GlossWebShell
{
  GObject               parent_instance;

  WebKitNetworkSession *network_session;
  WebKitWebContext     *reader_context;
  WebKitNetworkSession *reader_session;
  GlossClipScheme      *clip_scheme;
};

G_DEFINE_FINAL_TYPE (GlossWebShell, gloss_web_shell, G_TYPE_OBJECT)

static GlossWebShell *default_shell;

static void
gloss_web_shell_dispose (GObject *object)
{
  GlossWebShell *self = (GlossWebShell *)object;

  g_clear_object (&self->clip_scheme);
  g_clear_object (&self->reader_context);
  g_clear_object (&self->reader_session);
  g_clear_object (&self->network_session);

  G_OBJECT_CLASS (gloss_web_shell_parent_class)->dispose (object);
}

static void
gloss_web_shell_class_init (GlossWebShellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_web_shell_dispose;
}

static void
gloss_web_shell_init (GlossWebShell *self)
{
}

GlossWebShell *
gloss_web_shell_get_default (void)
{
  if (default_shell == NULL)
    default_shell = g_object_new (GLOSS_TYPE_WEB_SHELL, NULL);

  return default_shell;
}

void
gloss_web_shell_shutdown (void)
{
  g_clear_object (&default_shell);
}

WebKitNetworkSession *
gloss_web_shell_get_network_session (GlossWebShell *self)
{
  g_return_val_if_fail (GLOSS_IS_WEB_SHELL (self), NULL);

  if (self->network_session == NULL)
    {
      g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "gloss", "webkit", NULL);
      g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "gloss", "webkit", NULL);

      self->network_session = webkit_network_session_new (data_dir, cache_dir);
      /* Never ask the user to accept a bad certificate, never accept one
       * silently: a TLS error ends in our error page. */
      webkit_network_session_set_tls_errors_policy (self->network_session, WEBKIT_TLS_ERRORS_POLICY_FAIL);
    }

  return self->network_session;
}

WebKitNetworkSession *
gloss_web_shell_get_reader_network_session (GlossWebShell *self)
{
  g_return_val_if_fail (GLOSS_IS_WEB_SHELL (self), NULL);

  if (self->reader_session == NULL)
    {
      g_autoptr(WebKitNetworkProxySettings) proxy = NULL;

      /* Nothing is stored, and anything that slipped past the CSP would go
       * to a proxy on the discard port of this machine and fail. */
      self->reader_session = webkit_network_session_new_ephemeral ();
      proxy = webkit_network_proxy_settings_new ("http://127.0.0.1:9", NULL);
      webkit_network_session_set_proxy_settings (self->reader_session, WEBKIT_NETWORK_PROXY_MODE_CUSTOM, proxy);
    }

  return self->reader_session;
}

GlossClipScheme *
gloss_web_shell_get_clip_scheme (GlossWebShell *self)
{
  g_return_val_if_fail (GLOSS_IS_WEB_SHELL (self), NULL);

  if (self->clip_scheme == NULL)
    self->clip_scheme = gloss_clip_scheme_new ();

  return self->clip_scheme;
}

WebKitWebContext *
gloss_web_shell_get_reader_context (GlossWebShell *self)
{
  g_return_val_if_fail (GLOSS_IS_WEB_SHELL (self), NULL);

  if (self->reader_context == NULL)
    {
      self->reader_context = webkit_web_context_new ();
      /* One document at a time, no going back: no page cache, and no
       * web process kept for a clip that was shown before. Each clip is
       * its own origin (gloss-clip://ID/), so otherwise every clip opened
       * would leave a process behind in WebKit's process cache. */
      webkit_web_context_set_cache_model (self->reader_context, WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER);
      gloss_clip_scheme_register (gloss_web_shell_get_clip_scheme (self), self->reader_context);
    }

  return self->reader_context;
}
