/* gloss-reader-view.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The reader view and the gloss-clip:// scheme that feeds it from the
 * library: the reader page (our template, our stylesheet, article.html)
 * and the clip's saved images. Nothing here reaches the network. */

#define G_LOG_DOMAIN "gloss-reader-view"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-reader-view.h"
#include "gloss-web-context.h"

/* Page scripts are off already; this also keeps out anything that would
 * reach the network: only our scheme and inline styles load. */
#define READER_CSP "default-src 'none'; script-src 'none'; object-src 'none'; " \
                   "img-src gloss-clip: data:; style-src 'unsafe-inline'; "     \
                   "media-src 'none'; frame-src 'none'; font-src 'none'; "      \
                   "connect-src 'none'; form-action 'none'; base-uri 'none'"

#define WORDS_PER_MINUTE 230

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

/* The clips a reader has opened, by id: the scheme serves only these. */
static GHashTable *served_clips;

gboolean
gloss_reader_asset_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 128 ||
      g_str_equal (name, ".") || g_str_equal (name, "..") || name[0] == '.')
    return FALSE;

  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;

  return strstr (name, "..") == NULL;
}

/* Building the reader page. */

typedef struct
{
  GFile *folder;
  char  *id;
  char  *title;
  char  *url;
  char  *byline;
  char  *site_name;
  char  *published;
  char  *lang;
  char  *dir;
  char  *classes;
  gint64 word_count;
  char  *asset;      /* NULL for the page */
} PageRequest;

static void
page_request_free (PageRequest *request)
{
  g_clear_object (&request->folder);
  g_free (request->id);
  g_free (request->title);
  g_free (request->url);
  g_free (request->byline);
  g_free (request->site_name);
  g_free (request->published);
  g_free (request->lang);
  g_free (request->dir);
  g_free (request->classes);
  g_free (request->asset);
  g_free (request);
}

static char *
escape (const char *text)
{
  return g_markup_escape_text (text ? text : "", -1);
}

/* "Byline · date · reading time", each part isolated in <bdi> so that an
 * English reading time keeps its order in a right-to-left article. */
static char *
format_meta (PageRequest *request)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  GString *meta = g_string_new (NULL);

  if (request->byline != NULL)
    g_ptr_array_add (parts, g_strdup (request->byline));

  if (request->published != NULL)
    {
      g_autoptr(GDateTime) time = gloss_time_parse (request->published);

      if (time == NULL)
        time = g_date_time_new_from_iso8601 (request->published, NULL);
      if (time != NULL)
        g_ptr_array_add (parts, g_date_time_format (time, "%-d %B %Y"));
    }

  if (request->word_count > 0)
    {
      gint64 minutes = MAX (1, (request->word_count + WORDS_PER_MINUTE / 2) / WORDS_PER_MINUTE);

      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute read", "%d minutes read", minutes),
                                               (int)minutes));
    }

  for (guint i = 0; i < parts->len; i++)
    {
      g_autofree char *escaped = escape (g_ptr_array_index (parts, i));

      if (i > 0)
        g_string_append (meta, " · ");
      g_string_append_printf (meta, "<bdi>%s</bdi>", escaped);
    }

  return g_string_free (meta, FALSE);
}

static char *
build_page (PageRequest  *request,
            GError      **error)
{
  g_autoptr(GBytes) template = NULL;
  g_autoptr(GBytes) style = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *article = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *original = NULL;
  g_autoptr(GString) page = NULL;
  const char *fields[][2] = {
    { "@CLASSES@", NULL }, { "@LANG@", NULL }, { "@DIR@", NULL }, { "@TITLE@", NULL },
    { "@SITE@", NULL }, { "@META@", NULL }, { "@URL@", NULL }, { "@ORIGINAL@", NULL },
  };
  g_autofree char *classes = escape (request->classes);
  g_autofree char *lang = escape (request->lang);
  g_autofree char *dir = escape (request->dir ? request->dir : "auto");
  g_autofree char *title = escape (request->title);
  g_autofree char *site = escape (request->site_name);
  g_autofree char *url = NULL;
  const char *article_mark;
  gsize length;

  template = g_resources_lookup_data (RESOURCE_PREFIX "/reader/reader.html", 0, error);
  if (template == NULL)
    return NULL;
  style = g_resources_lookup_data (RESOURCE_PREFIX "/reader/reader.css", 0, error);
  if (style == NULL)
    return NULL;

  file = g_file_get_child (request->folder, "article.html");
  if (!g_file_load_contents (file, NULL, &article, &length, NULL, error))
    return NULL;

  if (!g_utf8_validate (article, length, NULL))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("The article of this clip is not valid UTF-8"));
      return NULL;
    }

  /* Only web links lead back to the original. */
  if (request->url != NULL && (g_str_has_prefix (request->url, "http://") ||
                               g_str_has_prefix (request->url, "https://") ||
                               g_str_has_prefix (request->url, "file://")))
    url = escape (request->url);
  else
    url = g_strdup ("");

  meta = format_meta (request);
  original = escape (_("Read the original"));

  fields[0][1] = classes;
  fields[1][1] = lang;
  fields[2][1] = dir;
  fields[3][1] = title;
  fields[4][1] = site;
  fields[5][1] = meta;
  fields[6][1] = url;
  fields[7][1] = original;

  page = g_string_new_len (g_bytes_get_data (template, NULL), g_bytes_get_size (template));

  /* The article last and alone: its text must not be escaped or searched
   * for placeholders. */
  article_mark = strstr (page->str, "@ARTICLE@");
  g_assert (article_mark != NULL);

  {
    gsize article_at = article_mark - page->str;
    g_autofree char *tail = g_strdup (page->str + article_at + strlen ("@ARTICLE@"));

    g_string_truncate (page, article_at);

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      g_string_replace (page, fields[i][0], fields[i][1], 0);
    g_string_replace (page, "@STYLE@", g_bytes_get_data (style, NULL), 1);

    g_string_append_len (page, article, length);
    g_string_append (page, tail);
  }

  return g_string_free (g_steal_pointer (&page), FALSE);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PageRequest *request = task_data;
  g_autoptr(GError) error = NULL;

  if (request->asset != NULL)
    {
      g_autoptr(GFile) assets = g_file_get_child (request->folder, "assets");
      g_autoptr(GFile) file = g_file_get_child (assets, request->asset);
      g_autoptr(GBytes) bytes = g_file_load_bytes (file, cancellable, NULL, &error);

      if (bytes == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify)g_bytes_unref);
    }
  else
    {
      char *page = build_page (request, &error);

      if (page == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, g_bytes_new_take (page, strlen (page)), (GDestroyNotify)g_bytes_unref);
    }
}

static void
build_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WebKitURISchemeRequest) request = user_data;
  PageRequest *page = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(WebKitURISchemeResponse) response = NULL;
  SoupMessageHeaders *headers;
  g_autofree char *content_type = NULL;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (bytes == NULL)
    {
      g_debug ("Reader request %s failed: %s", webkit_uri_scheme_request_get_uri (request), error->message);
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  if (page->asset != NULL)
    {
      gboolean uncertain;
      g_autofree char *guessed = g_content_type_guess (page->asset,
                                                       g_bytes_get_data (bytes, NULL),
                                                       g_bytes_get_size (bytes),
                                                       &uncertain);
      content_type = g_content_type_get_mime_type (guessed);

      /* The assets are images; anything else is served as opaque bytes. */
      if (content_type == NULL || !g_str_has_prefix (content_type, "image/"))
        {
          g_free (content_type);
          content_type = g_strdup ("application/octet-stream");
        }
    }
  else
    content_type = g_strdup ("text/html");

  stream = g_memory_input_stream_new_from_bytes (bytes);
  response = webkit_uri_scheme_response_new (stream, g_bytes_get_size (bytes));
  webkit_uri_scheme_response_set_content_type (response, content_type);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_append (headers, "Content-Security-Policy", READER_CSP);
  soup_message_headers_append (headers, "X-Content-Type-Options", "nosniff");
  if (page->asset == NULL)
    soup_message_headers_set_content_type (headers, "text/html", NULL);
  /* Takes ownership of the headers. */
  webkit_uri_scheme_response_set_http_headers (response, headers);
  webkit_uri_scheme_request_finish_with_response (request, response);
}

static void
gloss_clip_scheme_cb (WebKitURISchemeRequest *request,
                      gpointer                user_data)
{
  const char *uri = webkit_uri_scheme_request_get_uri (request);
  WebKitWebView *web_view = webkit_uri_scheme_request_get_web_view (request);
  GlossReaderView *self = web_view ? g_object_get_data (G_OBJECT (web_view), "gloss-reader-view") : NULL;
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PageRequest *page;
  GlossClip *clip;
  const char *id;
  const char *path;
  GFile *folder;

  id = parsed ? g_uri_get_host (parsed) : NULL;
  path = parsed ? g_uri_get_path (parsed) : NULL;

  if (id == NULL || !gloss_id_check (id, &error))
    {
      if (error == NULL)
        g_set_error (&error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID, _("“%s” is not the address of a clip"), uri);
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  clip = served_clips ? g_hash_table_lookup (served_clips, id) : NULL;
  folder = clip ? gloss_clip_get_folder (clip) : NULL;
  if (folder == NULL)
    {
      g_set_error (&error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND, _("There is no clip “%s” in the library"), id);
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  page = g_new0 (PageRequest, 1);
  page->folder = g_object_ref (folder);

  if (path == NULL || *path == '\0' || g_str_equal (path, "/"))
    {
      page->id = g_strdup (id);
      page->title = g_strdup (gloss_clip_get_title (clip));
      page->url = g_strdup (gloss_clip_get_url (clip));
      page->byline = g_strdup (gloss_clip_get_byline (clip));
      page->site_name = g_strdup (gloss_clip_get_site_name (clip));
      page->published = g_strdup (gloss_clip_get_published (clip));
      page->lang = g_strdup (gloss_clip_get_lang (clip));
      page->dir = g_strdup (gloss_clip_get_dir (clip));
      page->word_count = gloss_clip_get_word_count (clip);
      page->classes = g_strdup_printf ("%s%s",
                                       self && self->settings &&
                                       g_settings_get_enum (self->settings, "reader-font") == 1
                                         ? "font-serif" : "font-sans",
                                       self && self->dark ? " dark" : "");
    }
  else if (g_str_has_prefix (path, "/assets/") &&
           gloss_reader_asset_name_is_valid (path + strlen ("/assets/")))
    page->asset = g_strdup (path + strlen ("/assets/"));
  else
    {
      page_request_free (page);
      g_set_error (&error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND, _("There is no “%s” in this clip"), path);
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  task = g_task_new (NULL, NULL, build_done_cb, g_object_ref (request));
  g_task_set_source_tag (task, gloss_clip_scheme_cb);
  g_task_set_task_data (task, page, (GDestroyNotify)page_request_free);
  /* The user is waiting for this page: answer before the web views'
   * other chatter on the main loop. */
  g_task_set_priority (task, page->asset == NULL ? G_PRIORITY_HIGH : G_PRIORITY_DEFAULT);
  g_task_run_in_thread (task, build_thread);
}

WebKitNetworkSession *
gloss_reader_get_network_session (void)
{
  static WebKitNetworkSession *session;

  if (session == NULL)
    {
      g_autoptr(WebKitNetworkProxySettings) proxy = NULL;

      /* Nothing is stored, and anything that slipped past the CSP would go
       * to a proxy on the discard port of this machine and fail. */
      session = webkit_network_session_new_ephemeral ();
      proxy = webkit_network_proxy_settings_new ("http://127.0.0.1:9", NULL);
      webkit_network_session_set_proxy_settings (session, WEBKIT_NETWORK_PROXY_MODE_CUSTOM, proxy);
    }

  return session;
}

WebKitWebContext *
gloss_reader_get_web_context (void)
{
  static WebKitWebContext *context;

  if (context == NULL)
    {
      WebKitSecurityManager *security;

      context = webkit_web_context_new ();
      webkit_web_context_register_uri_scheme (context, GLOSS_READER_SCHEME,
                                              gloss_clip_scheme_cb, NULL, NULL);
      security = webkit_web_context_get_security_manager (context);
      webkit_security_manager_register_uri_scheme_as_secure (security, GLOSS_READER_SCHEME);
      webkit_security_manager_register_uri_scheme_as_cors_enabled (security, GLOSS_READER_SCHEME);
      served_clips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
    }

  return context;
}

/* The view. */

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
settings_changed_cb (GlossReaderView *self,
                     const char      *key,
                     GSettings       *settings)
{
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
  WebKitSettings *settings;

  script = gloss_web_user_script_new (WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_END,
                                      "gloss-reader.js",
                                      NULL);
  webkit_user_content_manager_add_script (manager, script);
  webkit_user_content_manager_register_script_message_handler (manager,
                                                               GLOSS_MESSAGE_HANDLER,
                                                               GLOSS_SCRIPT_WORLD);
  g_signal_connect_object (manager,
                           "script-message-received::" GLOSS_MESSAGE_HANDLER,
                           G_CALLBACK (script_message_received_cb),
                           self,
                           G_CONNECT_SWAPPED);

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
                                 "web-context", gloss_reader_get_web_context (),
                                 "network-session", gloss_reader_get_network_session (),
                                 "user-content-manager", manager,
                                 "settings", settings,
                                 NULL);
  g_object_unref (settings);
  g_object_ref_sink (self->web_view);
  g_object_set_data (G_OBJECT (self->web_view), "gloss-reader-view", self);

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

  g_return_if_fail (GLOSS_IS_READER_VIEW (self));
  g_return_if_fail (GLOSS_IS_CLIP (clip));

  gloss_reader_get_web_context ();
  g_hash_table_replace (served_clips, g_strdup (gloss_clip_get_id (clip)), g_object_ref (clip));

  g_set_object (&self->clip, clip);
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

static void
run_script_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JSCValue *value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_object_unref);
}

void
gloss_reader_view_run_script (GlossReaderView     *self,
                              const char          *script,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GLOSS_IS_READER_VIEW (self));
  g_return_if_fail (script != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_reader_view_run_script);

  webkit_web_view_evaluate_javascript (self->web_view, script, -1, GLOSS_SCRIPT_WORLD,
                                       NULL, cancellable, run_script_cb, g_steal_pointer (&task));
}

JSCValue *
gloss_reader_view_run_script_finish (GlossReaderView  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (GLOSS_IS_READER_VIEW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
