/* gloss-reader-view.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The reader view: a clip shown from the library through the gloss-clip://
 * scheme (gloss-clip-scheme.c), in a web view on the reader's web context
 * (gloss-web-shell.c). Nothing here reaches the network. */

#define G_LOG_DOMAIN "gloss-reader-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-reader-view.h"
#include "gloss-web-context.h"
#include "gloss-web-shell.h"


struct _GlossReaderView
{
  GObject         parent_instance;

  WebKitWebView  *web_view;
  GSettings      *settings;
  GlossClip      *clip;
  char           *uri;           /* gloss-clip://ID/ */
  char           *expected_text; /* article.txt */
  char           *article_text;  /* as the reader computed it */
  guint           dark : 1;
  guint           text_changed : 1;
  guint           loaded : 1;
  guint           prewarmed : 1;
  guint           reloaded_after_crash : 1;
};

G_DEFINE_FINAL_TYPE (GlossReaderView, gloss_reader_view, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIP,
  PROP_TEXT_CHANGED,
  N_PROPS
};

enum {
  ARTICLE_LOADED,
  OPEN_LINK,
  MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];


/* The view. */

char *
gloss_reader_view_dup_page_classes (GlossReaderView *self)
{
  gboolean serif;

  g_return_val_if_fail (GLOSS_IS_READER_VIEW (self), NULL);

  serif = self->settings != NULL && g_settings_get_enum (self->settings, "reader-font") == 1;
  return g_strdup_printf ("%s%s", serif ? "font-serif" : "font-sans", self->dark ? " dark" : "");
}

static void
apply_style (GlossReaderView *self)
{
  g_autofree char *script = NULL;
  gboolean serif = self->settings != NULL && g_settings_get_enum (self->settings, "reader-font") == 1;

  if (self->uri == NULL)
    return;

  script = g_strdup_printf ("window.glossReader && glossReader.setStyle (%s, '%s');",
                            self->dark ? "true" : "false", serif ? "serif" : "sans");
  webkit_web_view_evaluate_javascript (self->web_view, script, -1, GLOSS_SCRIPT_WORLD,
                                       NULL, NULL, NULL, NULL);
}

static gboolean
is_reader_page (GlossReaderView *self,
                const char      *uri)
{
  g_autofree char *without_fragment = NULL;
  const char *hash;

  if (self->uri == NULL || uri == NULL)
    return FALSE;

  hash = strchr (uri, '#');
  without_fragment = hash ? g_strndup (uri, hash - uri) : g_strdup (uri);

  return g_str_equal (without_fragment, self->uri);
}

static gboolean
decide_policy_cb (GlossReaderView          *self,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  WebKitWebView            *web_view)
{
  WebKitNavigationAction *action;
  WebKitURIRequest *request;
  const char *uri;

  g_assert (GLOSS_IS_READER_VIEW (self));

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    {
      /* Nothing the reader shows is ever downloaded. */
      if (!webkit_response_policy_decision_is_mime_type_supported (WEBKIT_RESPONSE_POLICY_DECISION (decision)))
        {
          webkit_policy_decision_ignore (decision);
          return TRUE;
        }
      return FALSE;
    }

  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  request = webkit_navigation_action_get_request (action);
  uri = webkit_uri_request_get_uri (request);

  /* The clip itself, and jumps inside it (footnotes); the blank page of
   * gloss_reader_view_prewarm (). */
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION &&
      (is_reader_page (self, uri) || (self->uri == NULL && g_strcmp0 (uri, "about:blank") == 0)))
    {
      webkit_policy_decision_use (decision);
      return TRUE;
    }

  webkit_policy_decision_ignore (decision);

  /* Never inside the reader: the window opens it in the live view or the
   * default browser. Only what the user clicked, and only web pages. */
  if (webkit_navigation_action_get_navigation_type (action) == WEBKIT_NAVIGATION_TYPE_LINK_CLICKED &&
      uri != NULL && (g_str_has_prefix (uri, "http://") || g_str_has_prefix (uri, "https://")))
    g_signal_emit (self, signals[OPEN_LINK], 0, uri);

  return TRUE;
}

static void
script_message_received_cb (GlossReaderView          *self,
                            JSCValue                 *message,
                            WebKitUserContentManager *manager)
{
  g_autofree char *type = gloss_web_message_dup_string (message, "type");
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;

  g_assert (GLOSS_IS_READER_VIEW (self));

  if (type == NULL)
    return;

  if (!g_str_equal (type, "reader-loaded"))
    {
      g_signal_emit (self, signals[MESSAGE], 0, message);
      return;
    }

  url = gloss_web_message_dup_string (message, "url");
  text = gloss_web_message_dup_string (message, "text");

  /* An answer about another page (or a late one) says nothing of this. */
  if (text == NULL || !is_reader_page (self, url))
    return;

  g_debug ("Reader loaded %s", url);
  g_free (self->article_text);
  self->article_text = g_steal_pointer (&text);
  self->loaded = TRUE;

  if (self->text_changed != (g_strcmp0 (self->article_text, self->expected_text) != 0))
    {
      self->text_changed = !self->text_changed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_CHANGED]);
    }

  if (self->text_changed)
    g_message ("The reader's text of clip %s differs from its article.txt: anchoring by quote",
               gloss_clip_get_id (self->clip));

  g_signal_emit (self, signals[ARTICLE_LOADED], 0, (gboolean)self->text_changed);
}

static void
gloss_reader_view_load_changed_cb (GlossReaderView *self,
                                   WebKitLoadEvent  event,
                                   WebKitWebView   *web_view)
{
  g_assert (GLOSS_IS_READER_VIEW (self));

  g_debug ("Load event %d of %s", event, webkit_web_view_get_uri (web_view));
}

static void
gloss_reader_view_focus_cb (GlossReaderView *self,
                            GParamSpec      *pspec,
                            WebKitWebView   *web_view)
{
  g_assert (GLOSS_IS_READER_VIEW (self));

  g_debug ("Web view focus: %d", gtk_widget_has_focus (GTK_WIDGET (web_view)));
}

/* The web process went away under the page (a crash, or out of memory):
 * the page is blank and nothing answers; show the clip again, once per
 * clip shown, so that a process that keeps crashing does not loop. */
static void
gloss_reader_view_web_process_terminated_cb (GlossReaderView                   *self,
                                             WebKitWebProcessTerminationReason  reason,
                                             WebKitWebView                     *web_view)
{
  g_assert (GLOSS_IS_READER_VIEW (self));

  g_message ("The reader's web process ended (reason %d)", reason);
  if (self->clip != NULL && !self->reloaded_after_crash &&
      gtk_widget_get_realized (GTK_WIDGET (web_view)) &&
      reason != WEBKIT_WEB_PROCESS_TERMINATED_BY_API)
    {
      self->reloaded_after_crash = TRUE;
      webkit_web_view_load_uri (self->web_view, self->uri);
    }
}

static void
settings_changed_cb (GlossReaderView *self,
                     const char      *key,
                     GSettings       *settings)
{
  g_assert (GLOSS_IS_READER_VIEW (self));

  if (g_strcmp0 (key, "reader-font") == 0)
    apply_style (self);
}

static void
gloss_reader_view_dispose (GObject *object)
{
  GlossReaderView *self = (GlossReaderView *)object;

  if (self->web_view != NULL)
    {
      WebKitUserContentManager *manager = webkit_web_view_get_user_content_manager (self->web_view);

      g_signal_handlers_disconnect_by_data (manager, self);
      g_signal_handlers_disconnect_by_data (self->web_view, self);
      g_object_set_data (G_OBJECT (self->web_view), "gloss-reader-view", NULL);
    }

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  /* What the scheme serves is what readers show now. */
  if (self->clip != NULL)
    gloss_clip_scheme_unserve (gloss_web_shell_get_clip_scheme (gloss_web_shell_get_default ()), self->clip);

  g_clear_object (&self->web_view);
  g_clear_object (&self->settings);
  g_clear_object (&self->clip);

  G_OBJECT_CLASS (gloss_reader_view_parent_class)->dispose (object);
}

static void
gloss_reader_view_finalize (GObject *object)
{
  GlossReaderView *self = (GlossReaderView *)object;

  g_free (self->uri);
  g_free (self->expected_text);
  g_free (self->article_text);

  G_OBJECT_CLASS (gloss_reader_view_parent_class)->finalize (object);
}

static void
gloss_reader_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GlossReaderView *self = GLOSS_READER_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIP:
      g_value_set_object (value, self->clip);
      break;

    case PROP_TEXT_CHANGED:
      g_value_set_boolean (value, self->text_changed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_reader_view_class_init (GlossReaderViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_reader_view_dispose;
  object_class->finalize = gloss_reader_view_finalize;
  object_class->get_property = gloss_reader_view_get_property;

  properties[PROP_CLIP] =
    g_param_spec_object ("clip", NULL, NULL,
                         GLOSS_TYPE_CLIP,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TEXT_CHANGED] =
    g_param_spec_boolean ("text-changed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ARTICLE_LOADED] =
    g_signal_new ("article-loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  signals[OPEN_LINK] =
    g_signal_new ("open-link",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSC_TYPE_VALUE);
}

static gboolean
have_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  return schema != NULL;
}

static void
gloss_reader_view_init (GlossReaderView *self)
{
  g_autoptr(WebKitUserContentManager) manager = webkit_user_content_manager_new ();
  g_autoptr(WebKitUserScript) script = NULL;
  GlossWebShell *shell = gloss_web_shell_get_default ();
  WebKitSettings *settings;

  script = gloss_web_user_script_new (WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_END,
                                      "gloss-reader.js",
                                      NULL);
  webkit_user_content_manager_add_script (manager, script);
  gloss_web_listen_for_messages (manager, G_CALLBACK (script_message_received_cb), self);

  settings = webkit_settings_new_with_settings ("enable-javascript-markup", FALSE,
                                                "enable-developer-extras", DEVELOPMENT_BUILD,
                                                "enable-back-forward-navigation-gestures", FALSE,
                                                "enable-html5-local-storage", FALSE,
                                                "enable-html5-database", FALSE,
                                                "enable-webaudio", FALSE,
                                                "enable-webgl", FALSE,
                                                "enable-media", FALSE,
                                                "auto-load-images", TRUE,
                                                NULL);
  /* There is no going back inside the reader, and suspending the previous
   * clip into the back/forward cache cost ~100 ms per open (bench-clip). */
  webkit_settings_set_enable_page_cache (settings, FALSE);

  self->web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                 "web-context", gloss_web_shell_get_reader_context (shell),
                                 "network-session", gloss_web_shell_get_reader_network_session (shell),
                                 "user-content-manager", manager,
                                 "settings", settings,
                                 NULL);
  g_object_unref (settings);
  g_object_ref_sink (self->web_view);
  g_object_set_data (G_OBJECT (self->web_view), "gloss-reader-view", self);

  g_signal_connect_object (self->web_view, "load-changed",
                           G_CALLBACK (gloss_reader_view_load_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "web-process-terminated",
                           G_CALLBACK (gloss_reader_view_web_process_terminated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "notify::has-focus",
                           G_CALLBACK (gloss_reader_view_focus_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "decide-policy",
                           G_CALLBACK (decide_policy_cb), self, G_CONNECT_SWAPPED);

  /* The command line and some tests run without the installed schema. */
  if (have_schema ())
    {
      self->settings = g_settings_new (APP_ID);
      g_settings_bind (self->settings, "reader-zoom", self->web_view, "zoom-level", G_SETTINGS_BIND_GET);
      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

GlossReaderView *
gloss_reader_view_new (void)
{
  return g_object_new (GLOSS_TYPE_READER_VIEW, NULL);
}

WebKitWebView *
gloss_reader_view_get_web_view (GlossReaderView *self)
{
  g_return_val_if_fail (GLOSS_IS_READER_VIEW (self), NULL);

  return self->web_view;
}

WebKitUserContentManager *
gloss_reader_view_get_user_content_manager (GlossReaderView *self)
{
  g_return_val_if_fail (GLOSS_IS_READER_VIEW (self), NULL);

  return webkit_web_view_get_user_content_manager (self->web_view);
}

void
gloss_reader_view_load_clip (GlossReaderView *self,
                             GlossClip       *clip)
{
  g_autoptr(GError) error = NULL;
  GlossClipScheme *scheme;

  g_return_if_fail (GLOSS_IS_READER_VIEW (self));
  g_return_if_fail (GLOSS_IS_CLIP (clip));

  /* Served from now on; the clip shown before, no longer. */
  scheme = gloss_web_shell_get_clip_scheme (gloss_web_shell_get_default ());
  gloss_clip_scheme_serve (scheme, clip);
  if (self->clip != NULL)
    gloss_clip_scheme_unserve (scheme, self->clip);

  g_set_object (&self->clip, clip);
  self->reloaded_after_crash = FALSE;
  g_clear_pointer (&self->article_text, g_free);
  g_clear_pointer (&self->expected_text, g_free);
  self->loaded = FALSE;

  /* article.txt is what the reader's text is checked against. */
  self->expected_text = gloss_clip_load_article_text (clip, &error);
  if (self->expected_text == NULL)
    g_warning ("Could not read article.txt of clip %s: %s", gloss_clip_get_id (clip), error->message);

  g_free (self->uri);
  self->uri = g_strdup_printf (GLOSS_READER_SCHEME "://%s/", gloss_clip_get_id (clip));

  if (self->text_changed)
    {
      self->text_changed = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_CHANGED]);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIP]);

  webkit_web_view_load_uri (self->web_view, self->uri);
}

void
gloss_reader_view_prewarm (GlossReaderView *self)
{
  g_return_if_fail (GLOSS_IS_READER_VIEW (self));

  if (self->uri != NULL || self->prewarmed)
    return;

  self->prewarmed = TRUE;
  webkit_web_view_load_uri (self->web_view, "about:blank");
}

GlossClip *
gloss_reader_view_get_clip (GlossReaderView *self)
{
  g_return_val_if_fail (GLOSS_IS_READER_VIEW (self), NULL);

  return self->clip;
}

gboolean
gloss_reader_view_get_text_changed (GlossReaderView *self)
{
  g_return_val_if_fail (GLOSS_IS_READER_VIEW (self), FALSE);

  return self->text_changed;
}

const char *
gloss_reader_view_get_article_text (GlossReaderView *self)
{
  g_return_val_if_fail (GLOSS_IS_READER_VIEW (self), NULL);

  return self->article_text;
}

void
gloss_reader_view_set_dark (GlossReaderView *self,
                            gboolean         dark)
{
  g_return_if_fail (GLOSS_IS_READER_VIEW (self));

  dark = !!dark;
  if (self->dark == (guint)dark)
    return;

  self->dark = dark;
  apply_style (self);
}

void
gloss_reader_view_run_script (GlossReaderView     *self,
                              const char          *script,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (GLOSS_IS_READER_VIEW (self));

  gloss_web_run_script (self->web_view, self, gloss_reader_view_run_script, script, cancellable, callback, user_data);
}

JSCValue *
gloss_reader_view_run_script_finish (GlossReaderView  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (GLOSS_IS_READER_VIEW (self), NULL);

  return gloss_web_run_script_finish (self, result, error);
}
