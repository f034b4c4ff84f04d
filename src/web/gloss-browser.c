/* gloss-browser.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The live web view and what Gloss needs to know about the page in it. */

#define G_LOG_DOMAIN "gloss-browser"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gloss-browser.h"
#include "gloss-clipper.h"
#include "gloss-error.h"
#include "gloss-web-context.h"
#include "gloss-web-shell.h"

struct _GlossBrowser
{
  GObject        parent_instance;

  WebKitWebView *web_view;
  char          *uri;
  guint          readerable : 1;
};

G_DEFINE_FINAL_TYPE (GlossBrowser, gloss_browser, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WEB_VIEW,
  PROP_READERABLE,
  PROP_URI,
  N_PROPS
};

enum {
  LOAD_ERROR,
  READERABLE_CHECKED,
  MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_readerable (GlossBrowser *self,
                gboolean      readerable)
{
  readerable = !!readerable;

  if (self->readerable != readerable)
    {
      self->readerable = readerable;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READERABLE]);
    }
}

static void
set_uri (GlossBrowser *self,
         const char   *uri)
{
  if (g_strcmp0 (self->uri, uri) == 0)
    return;

  g_free (self->uri);
  self->uri = g_strdup (uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
}

static void
emit_load_error (GlossBrowser *self,
                 const char   *uri,
                 const char   *title,
                 const char   *description)
{
  set_readerable (self, FALSE);
  g_signal_emit (self, signals[LOAD_ERROR], 0, uri, title, description);
}

static char *
host_of (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  if (parsed != NULL && g_uri_get_host (parsed) != NULL)
    return g_strdup (g_uri_get_host (parsed));

  return g_strdup (uri);
}

static void
script_message_received_cb (GlossBrowser  *self,
                            JSCValue      *message,
                            WebKitUserContentManager *manager)
{
  g_autofree char *type = gloss_web_message_dup_string (message, "type");
  g_autofree char *url = gloss_web_message_dup_string (message, "url");
  const char *current;
  gboolean readerable;

  g_assert (GLOSS_IS_BROWSER (self));

  /* The live annotator's (gloss-live.js), checked there. */
  if (type != NULL && !g_str_equal (type, "readerable"))
    {
      g_signal_emit (self, signals[MESSAGE], 0, message);
      return;
    }

  /* Only our world can post here, but the page still shapes what our
   * script sees: check the message before believing it. */
  if (g_strcmp0 (type, "readerable") != 0 ||
      !gloss_web_message_get_boolean (message, "readerable", &readerable))
    {
      g_debug ("Ignoring a page message of unexpected shape");
      return;
    }

  /* A late answer about a page we already left says nothing about this one. */
  current = webkit_web_view_get_uri (self->web_view);
  if (url == NULL || g_strcmp0 (url, current) != 0)
    return;

  set_readerable (self, readerable);
  g_signal_emit (self, signals[READERABLE_CHECKED], 0, readerable);
}

static void
load_changed_cb (GlossBrowser    *self,
                 WebKitLoadEvent  event,
                 WebKitWebView   *web_view)
{
  WebKitWebResource *resource;
  WebKitURIResponse *response;
  guint status;

  g_assert (GLOSS_IS_BROWSER (self));

  switch (event)
    {
    case WEBKIT_LOAD_STARTED:
      set_readerable (self, FALSE);
      set_uri (self, webkit_web_view_get_uri (web_view));
      break;

    case WEBKIT_LOAD_REDIRECTED:
      set_uri (self, webkit_web_view_get_uri (web_view));
      break;

    case WEBKIT_LOAD_COMMITTED:
      set_uri (self, webkit_web_view_get_uri (web_view));

      /* A 404 or 500 for the page itself is a failed load to the user,
       * however nicely the server dressed it up. */
      resource = webkit_web_view_get_main_resource (web_view);
      response = resource ? webkit_web_resource_get_response (resource) : NULL;
      status = response ? webkit_uri_response_get_status_code (response) : 0;

      if (status >= 400)
        {
          g_autofree char *title = NULL;
          g_autofree char *description = NULL;
          const char *uri = webkit_web_view_get_uri (web_view);

          title = g_strdup_printf (_("The Server Answered “%u %s”"),
                                   status, soup_status_get_phrase (status));
          if (status >= 500)
            description = g_strdup_printf (_("The server at %s had a problem showing this page. "
                                             "It may work again later."),
                                           uri);
          else
            description = g_strdup_printf (_("The page %s could not be shown. "
                                             "Check the address, or try again."),
                                           uri);

          emit_load_error (self, uri, title, description);
        }
      break;

    case WEBKIT_LOAD_FINISHED:
    default:
      break;
    }
}

static gboolean
load_failed_cb (GlossBrowser    *self,
                WebKitLoadEvent  event,
                const char      *failing_uri,
                GError          *error,
                WebKitWebView   *web_view)
{
  g_autofree char *host = host_of (failing_uri);
  g_autofree char *description = NULL;
  const char *title;

  g_assert (GLOSS_IS_BROWSER (self));

  /* The user stopped the load or went elsewhere: nothing failed. */
  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED) ||
      g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE) ||
      g_error_matches (error, WEBKIT_DOWNLOAD_ERROR, WEBKIT_DOWNLOAD_ERROR_CANCELLED_BY_USER))
    return FALSE;

  set_uri (self, failing_uri);

  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) ||
      g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
    {
      title = _("Server Not Found");
      description = g_strdup_printf (_("Gloss could not find the server %s. "
                                       "Check the address for typing errors, and your connection."),
                                     host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      title = _("Connection Refused");
      description = g_strdup_printf (_("%s refused the connection. "
                                       "The site may be down, or the address may be wrong."),
                                     host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      title = _("The Connection Timed Out");
      description = g_strdup_printf (_("%s took too long to answer. It may be busy; try again later."),
                                     host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    {
      title = _("No Network Connection");
      description = g_strdup_printf (_("Gloss could not reach %s. Check your network connection."),
                                     host);
    }
  else
    {
      title = _("The Page Could Not Be Loaded");
      description = g_strdup_printf (_("Loading %s failed: %s"), failing_uri, error->message);
    }

  emit_load_error (self, failing_uri, title, description);

  /* We show our own page instead of WebKit's. */
  return TRUE;
}

static gboolean
load_failed_with_tls_errors_cb (GlossBrowser         *self,
                                const char           *failing_uri,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                WebKitWebView        *web_view)
{
  g_autofree char *host = host_of (failing_uri);
  g_autofree char *description = NULL;
  const char *reason;

  g_assert (GLOSS_IS_BROWSER (self));

  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    reason = _("The certificate is not signed by an authority Gloss trusts.");
  else if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    reason = _("The certificate belongs to another site.");
  else if (errors & G_TLS_CERTIFICATE_EXPIRED)
    reason = _("The certificate has expired.");
  else if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    reason = _("The certificate is not valid yet.");
  else if (errors & G_TLS_CERTIFICATE_REVOKED)
    reason = _("The certificate has been revoked.");
  else
    reason = _("The certificate could not be checked.");

  set_uri (self, failing_uri);

  /* Never accepted, not even on request: someone may be impersonating
   * the site, and a clip of a forged page would be kept as if genuine. */
  description = g_strdup_printf (_("Gloss could not confirm that this is really %s, so it did not load the page. %s"),
                                 host, reason);
  emit_load_error (self, failing_uri, _("This Site’s Identity Could Not Be Verified"), description);

  return TRUE;
}

static void
web_process_terminated_cb (GlossBrowser                      *self,
                           WebKitWebProcessTerminationReason  reason,
                           WebKitWebView                     *web_view)
{
  const char *uri = self->uri ? self->uri : webkit_web_view_get_uri (web_view);
  g_autofree char *description = NULL;

  /* A crashed or replaced page shows nothing and loads nothing: say so,
   * and let Retry load it in a fresh process. */
  if (reason == WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT)
    description = g_strdup_printf (_("The page %s used too much memory and was closed."), uri ? uri : "");
  else
    description = g_strdup_printf (_("The page %s stopped responding and was closed."), uri ? uri : "");

  emit_load_error (self, uri, _("The Page Stopped Working"), description);
}

static gboolean
decide_policy_cb (GlossBrowser             *self,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  WebKitWebView            *web_view)
{
  WebKitNavigationAction *action;
  WebKitURIRequest *request;

  g_assert (GLOSS_IS_BROWSER (self));

  /* Links that ask for a new window open here: Gloss has one view. */
  if (type != WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
    return FALSE;

  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  request = webkit_navigation_action_get_request (action);
  webkit_web_view_load_request (web_view, request);
  webkit_policy_decision_ignore (decision);

  return TRUE;
}

static void
gloss_browser_dispose (GObject *object)
{
  GlossBrowser *self = (GlossBrowser *)object;

  if (self->web_view != NULL)
    {
      WebKitUserContentManager *manager = webkit_web_view_get_user_content_manager (self->web_view);

      g_signal_handlers_disconnect_by_data (manager, self);
      g_signal_handlers_disconnect_by_data (self->web_view, self);
    }

  g_clear_object (&self->web_view);

  G_OBJECT_CLASS (gloss_browser_parent_class)->dispose (object);
}

static void
gloss_browser_finalize (GObject *object)
{
  GlossBrowser *self = (GlossBrowser *)object;

  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (gloss_browser_parent_class)->finalize (object);
}

static void
gloss_browser_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GlossBrowser *self = GLOSS_BROWSER (object);

  switch (prop_id)
    {
    case PROP_WEB_VIEW:
      g_value_set_object (value, self->web_view);
      break;

    case PROP_READERABLE:
      g_value_set_boolean (value, self->readerable);
      break;

    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_browser_class_init (GlossBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_browser_dispose;
  object_class->finalize = gloss_browser_finalize;
  object_class->get_property = gloss_browser_get_property;

  properties[PROP_WEB_VIEW] =
    g_param_spec_object ("web-view", NULL, NULL,
                         WEBKIT_TYPE_WEB_VIEW,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_READERABLE] =
    g_param_spec_boolean ("readerable", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GlossBrowser::load-error:
   * @uri: the address that failed
   * @title: a short headline
   * @description: what went wrong, in a sentence or two
   */
  signals[LOAD_ERROR] =
    g_signal_new ("load-error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * GlossBrowser::readerable-checked:
   * @readerable: whether Readability considers the page an article
   *
   * Emitted once per loaded page when the check has run, whatever its
   * answer (the "readerable" property only tells of changes).
   */
  signals[READERABLE_CHECKED] =
    g_signal_new ("readerable-checked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  /**
   * GlossBrowser::message:
   * @message: a JSCValue posted by one of our scripts in the gloss world
   *
   * A message other than the readerable check's, for the live annotator.
   * Untrusted in its content (the page shapes what our scripts see):
   * check every member.
   */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSC_TYPE_VALUE);
}

static void
gloss_browser_init (GlossBrowser *self)
{
  g_autoptr(WebKitUserContentManager) manager = webkit_user_content_manager_new ();
  g_autoptr(WebKitUserScript) readerable = NULL;
  WebKitSettings *settings;

  readerable = gloss_web_user_script_new (WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_END,
                                          "Readability-readerable.js",
                                          "gloss-readerable.js",
                                          NULL);
  webkit_user_content_manager_add_script (manager, readerable);
  /* glossClip (), which the clipper calls in our world. */
  gloss_clipper_add_scripts (manager);

  gloss_web_listen_for_messages (manager, G_CALLBACK (script_message_received_cb), self);

  self->web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                 "network-session", gloss_web_shell_get_network_session (gloss_web_shell_get_default ()),
                                 "user-content-manager", manager,
                                 NULL);
  g_object_ref_sink (self->web_view);

  settings = webkit_web_view_get_settings (self->web_view);
  webkit_settings_set_enable_developer_extras (settings, DEVELOPMENT_BUILD);
  webkit_settings_set_enable_back_forward_navigation_gestures (settings, TRUE);

  g_signal_connect_object (self->web_view, "load-changed",
                           G_CALLBACK (load_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "load-failed",
                           G_CALLBACK (load_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "load-failed-with-tls-errors",
                           G_CALLBACK (load_failed_with_tls_errors_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "web-process-terminated",
                           G_CALLBACK (web_process_terminated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "decide-policy",
                           G_CALLBACK (decide_policy_cb), self, G_CONNECT_SWAPPED);
}

GlossBrowser *
gloss_browser_new (void)
{
  return g_object_new (GLOSS_TYPE_BROWSER, NULL);
}

WebKitWebView *
gloss_browser_get_web_view (GlossBrowser *self)
{
  g_return_val_if_fail (GLOSS_IS_BROWSER (self), NULL);

  return self->web_view;
}

gboolean
gloss_browser_get_readerable (GlossBrowser *self)
{
  g_return_val_if_fail (GLOSS_IS_BROWSER (self), FALSE);

  return self->readerable;
}

const char *
gloss_browser_get_uri (GlossBrowser *self)
{
  g_return_val_if_fail (GLOSS_IS_BROWSER (self), NULL);

  return self->uri;
}

void
gloss_browser_load (GlossBrowser *self,
                    const char   *uri)
{
  g_return_if_fail (GLOSS_IS_BROWSER (self));
  g_return_if_fail (uri != NULL);

  set_uri (self, uri);
  webkit_web_view_load_uri (self->web_view, uri);
}

void
gloss_browser_reload (GlossBrowser *self)
{
  g_return_if_fail (GLOSS_IS_BROWSER (self));

  /* After a failed load the view still holds the previous page (or none):
   * retry the address that failed rather than reloading that one. */
  if (self->uri != NULL && g_strcmp0 (self->uri, webkit_web_view_get_uri (self->web_view)) != 0)
    webkit_web_view_load_uri (self->web_view, self->uri);
  else if (self->uri != NULL && webkit_web_view_get_uri (self->web_view) != NULL)
    webkit_web_view_reload (self->web_view);
  else if (self->uri != NULL)
    webkit_web_view_load_uri (self->web_view, self->uri);
}

static gboolean
looks_like_host (const char *text)
{
  const char *end = text + strcspn (text, "/?#");
  g_autofree char *host = g_strndup (text, end - text);
  char *colon = strrchr (host, ':');

  if (colon != NULL)
    {
      char *after = colon + 1;

      if (*after == '\0')
        return FALSE;
      for (const char *p = after; *p; p++)
        if (!g_ascii_isdigit (*p))
          return FALSE;
      *colon = '\0';
    }

  if (*host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_hostname_is_ip_address (host))
    return TRUE;

  /* A name with a dot and no characters a host cannot have. */
  if (strchr (host, '.') == NULL || host[0] == '.' || g_str_has_suffix (host, "."))
    return FALSE;

  for (const char *p = host; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && !g_ascii_isalnum (c) && c != '-' && c != '.')
        return FALSE;
    }

  return TRUE;
}

char *
gloss_browser_normalize_uri (const char  *text,
                             GError     **error)
{
  g_autofree char *stripped = NULL;
  const char *scheme = NULL;
  g_autofree char *candidate = NULL;
  g_autoptr(GUri) parsed = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                           _("Type the address of a page to open"));
      return NULL;
    }

  if (stripped[0] == '/' || g_str_has_prefix (stripped, "~/"))
    {
      g_autofree char *path = stripped[0] == '~'
        ? g_build_filename (g_get_home_dir (), stripped + 2, NULL)
        : g_strdup (stripped);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_filename_to_uri (path, NULL, error);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                   _("There is no file “%s”"), path);
      return NULL;
    }

  scheme = g_uri_peek_scheme (stripped);

  if (scheme != NULL && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https") ||
                         g_str_equal (scheme, "file")))
    candidate = g_strdup (stripped);
  else if (scheme != NULL && !looks_like_host (stripped))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("Gloss opens web pages only; “%s:” addresses are not supported"),
                   scheme);
      return NULL;
    }
  else if (strchr (stripped, ' ') == NULL && looks_like_host (stripped))
    {
      /* Local servers seldom speak TLS; everything else is asked for it. */
      gboolean local = g_str_has_prefix (stripped, "localhost") ||
                       g_str_has_prefix (stripped, "127.") ||
                       g_str_has_prefix (stripped, "[::1]");

      candidate = g_strconcat (local ? "http://" : "https://", stripped, NULL);
    }

  if (candidate != NULL)
    parsed = g_uri_parse (candidate, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, NULL);

  if (parsed == NULL ||
      (!g_str_equal (g_uri_get_scheme (parsed), "file") &&
       (g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("“%s” is not a web address"), stripped);
      return NULL;
    }

  /* Host names are case-insensitive: show them the way browsers do. */
  if (g_uri_get_host (parsed) != NULL)
    {
      g_autofree char *host = g_ascii_strdown (g_uri_get_host (parsed), -1);
      GUri *lowered = g_uri_build (g_uri_get_flags (parsed),
                                   g_uri_get_scheme (parsed),
                                   g_uri_get_userinfo (parsed),
                                   host,
                                   g_uri_get_port (parsed),
                                   g_uri_get_path (parsed),
                                   g_uri_get_query (parsed),
                                   g_uri_get_fragment (parsed));

      g_uri_unref (parsed);
      parsed = lowered;
    }

  return g_uri_to_string (parsed);
}

void
gloss_browser_run_script (GlossBrowser        *self,
                          const char          *script,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (GLOSS_IS_BROWSER (self));

  gloss_web_run_script (self->web_view, self, gloss_browser_run_script, script, cancellable, callback, user_data);
}

JSCValue *
gloss_browser_run_script_finish (GlossBrowser  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (GLOSS_IS_BROWSER (self), NULL);

  return gloss_web_run_script_finish (self, result, error);
}
