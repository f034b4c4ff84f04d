/* gloss-clip-scheme.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The gloss-clip:// scheme: the reader page of a clip (our template, our
 * stylesheet, article.html) and the clip's saved images, built on worker
 * threads, for the clips a reader shows now and no others. Nothing here
 * reaches the network. */

#define G_LOG_DOMAIN "gloss-clip-scheme"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gloss-clip-scheme.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-reader-view.h"

/* Page scripts are off already; this also keeps out anything that would
 * reach the network: only our scheme and inline styles load. */
#define READER_CSP "default-src 'none'; script-src 'none'; object-src 'none'; " \
                   "img-src gloss-clip: data:; style-src 'unsafe-inline'; "     \
                   "media-src 'none'; frame-src 'none'; font-src 'none'; "      \
                   "connect-src 'none'; form-action 'none'; base-uri 'none'"

#define WORDS_PER_MINUTE 230

typedef struct
{
  GlossClip *clip;
  guint      users;   /* readers showing it */
} Served;

struct _GlossClipScheme
{
  GObject       parent_instance;

  GHashTable   *served;       /* id → Served */
  GCancellable *cancellable;  /* of every request under way */
  guint         n_requests;
};

G_DEFINE_FINAL_TYPE (GlossClipScheme, gloss_clip_scheme, G_TYPE_OBJECT)

static void
served_free (Served *served)
{
  g_clear_object (&served->clip);
  g_free (served);
}

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

/* Network hints (<link rel=preconnect>, dns-prefetch, prefetch, preload,
 * prerender, modulepreload) open connections before any CSP check: an
 * article may carry them (an import, a page saved whole), and they are
 * taken out here. A <link> holds no text, so article.txt is unchanged. */
static void
strip_network_hints (GString *article)
{
  static gsize initialized;
  static GRegex *link;
  static GRegex *hint;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) out = NULL;
  gint last = 0;

  /* Pages are built on worker threads. */
  if (g_once_init_enter (&initialized))
    {
      link = g_regex_new ("<link\\b[^>]*>", G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      hint = g_regex_new ("\\brel\\s*=\\s*[\"']?[^\"'>]*\\b(preconnect|dns-prefetch|prefetch|preload|prerender|modulepreload)\\b",
                          G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&initialized, 1);
    }

  if (!g_regex_match_full (link, article->str, article->len, 0, 0, &match, NULL))
    return;

  out = g_string_sized_new (article->len);
  do
    {
      gint start, end;
      g_autofree char *tag = g_match_info_fetch (match, 0);

      g_match_info_fetch_pos (match, 0, &start, &end);
      if (g_regex_match (hint, tag, 0, NULL))
        {
          g_string_append_len (out, article->str + last, start - last);
          last = end;
        }
    }
  while (g_match_info_next (match, NULL));

  g_string_append_len (out, article->str + last, article->len - last);
  g_string_assign (article, out->str);
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

    {
      g_autoptr(GString) cleaned = g_string_new_len (article, length);

      strip_network_hints (cleaned);
      g_string_append_len (page, cleaned->str, cleaned->len);
    }
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
gloss_clip_scheme_build_done_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  GlossClipScheme *self = GLOSS_CLIP_SCHEME (object);
  g_autoptr(WebKitURISchemeRequest) request = user_data;
  PageRequest *page = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(WebKitURISchemeResponse) response = NULL;
  SoupMessageHeaders *headers;
  g_autofree char *content_type = NULL;

  g_assert (GLOSS_IS_CLIP_SCHEME (self));

  self->n_requests--;
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
gloss_clip_scheme_request_cb (WebKitURISchemeRequest *request,
                              gpointer                user_data)
{
  GlossClipScheme *self = user_data;
  const char *uri = webkit_uri_scheme_request_get_uri (request);
  WebKitWebView *web_view = webkit_uri_scheme_request_get_web_view (request);
  GlossReaderView *reader = web_view ? g_object_get_data (G_OBJECT (web_view), "gloss-reader-view") : NULL;
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PageRequest *page;
  Served *served;
  GlossClip *clip;
  const char *id;
  const char *path;
  GFile *folder;

  g_assert (GLOSS_IS_CLIP_SCHEME (self));

  id = parsed ? g_uri_get_host (parsed) : NULL;
  path = parsed ? g_uri_get_path (parsed) : NULL;

  if (id == NULL || !gloss_id_check (id, &error))
    {
      if (error == NULL)
        g_set_error (&error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID, _("“%s” is not the address of a clip"), uri);
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  /* Only what a reader shows now. */
  served = g_hash_table_lookup (self->served, id);
  clip = served ? served->clip : NULL;
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
      page->classes = reader != NULL ? gloss_reader_view_dup_page_classes (reader) : g_strdup ("font-sans");
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

  task = g_task_new (self, self->cancellable, gloss_clip_scheme_build_done_cb, g_object_ref (request));
  g_task_set_source_tag (task, gloss_clip_scheme_request_cb);
  g_task_set_task_data (task, page, (GDestroyNotify)page_request_free);
  /* The user is waiting for this page: answer before the web views'
   * other chatter on the main loop. */
  g_task_set_priority (task, page->asset == NULL ? G_PRIORITY_HIGH : G_PRIORITY_DEFAULT);
  self->n_requests++;
  g_task_run_in_thread (task, build_thread);
}

void
gloss_clip_scheme_register (GlossClipScheme  *self,
                            WebKitWebContext *context)
{
  WebKitSecurityManager *security;

  g_return_if_fail (GLOSS_IS_CLIP_SCHEME (self));
  g_return_if_fail (WEBKIT_IS_WEB_CONTEXT (context));

  webkit_web_context_register_uri_scheme (context, GLOSS_READER_SCHEME,
                                          gloss_clip_scheme_request_cb,
                                          g_object_ref (self), g_object_unref);
  security = webkit_web_context_get_security_manager (context);
  webkit_security_manager_register_uri_scheme_as_secure (security, GLOSS_READER_SCHEME);
  webkit_security_manager_register_uri_scheme_as_cors_enabled (security, GLOSS_READER_SCHEME);
}

void
gloss_clip_scheme_serve (GlossClipScheme *self,
                         GlossClip       *clip)
{
  Served *served;
  const char *id;

  g_return_if_fail (GLOSS_IS_CLIP_SCHEME (self));
  g_return_if_fail (GLOSS_IS_CLIP (clip));

  id = gloss_clip_get_id (clip);
  served = g_hash_table_lookup (self->served, id);
  if (served == NULL)
    {
      served = g_new0 (Served, 1);
      g_hash_table_insert (self->served, g_strdup (id), served);
    }

  /* The same id read again (another library object): the newest. */
  g_set_object (&served->clip, clip);
  served->users++;
}

void
gloss_clip_scheme_unserve (GlossClipScheme *self,
                           GlossClip       *clip)
{
  Served *served;

  g_return_if_fail (GLOSS_IS_CLIP_SCHEME (self));
  g_return_if_fail (GLOSS_IS_CLIP (clip));

  served = g_hash_table_lookup (self->served, gloss_clip_get_id (clip));
  if (served == NULL)
    return;

  if (--served->users == 0)
    g_hash_table_remove (self->served, gloss_clip_get_id (clip));
}

guint
gloss_clip_scheme_get_n_served (GlossClipScheme *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_SCHEME (self), 0);

  return g_hash_table_size (self->served);
}

static void
gloss_clip_scheme_dispose (GObject *object)
{
  GlossClipScheme *self = (GlossClipScheme *)object;

  /* Requests under way end with "cancelled", not with a page. */
  g_cancellable_cancel (self->cancellable);
  g_hash_table_remove_all (self->served);

  G_OBJECT_CLASS (gloss_clip_scheme_parent_class)->dispose (object);
}

static void
gloss_clip_scheme_finalize (GObject *object)
{
  GlossClipScheme *self = (GlossClipScheme *)object;

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->served);

  G_OBJECT_CLASS (gloss_clip_scheme_parent_class)->finalize (object);
}

static void
gloss_clip_scheme_class_init (GlossClipSchemeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_clip_scheme_dispose;
  object_class->finalize = gloss_clip_scheme_finalize;
}

static void
gloss_clip_scheme_init (GlossClipScheme *self)
{
  self->served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)served_free);
  self->cancellable = g_cancellable_new ();
}

GlossClipScheme *
gloss_clip_scheme_new (void)
{
  return g_object_new (GLOSS_TYPE_CLIP_SCHEME, NULL);
}
