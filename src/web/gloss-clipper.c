/* gloss-clipper.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Clipping a page: the call into gloss-clip.js, the check of its message,
 * the images fetched with libsoup; the message and the images go to the
 * clip writer in core (gloss-clip-writer.h), which writes the folder in
 * FORMAT.md's order and re-anchors an update's annotations. */

#define G_LOG_DOMAIN "gloss-clipper"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gloss-clip-writer.h"
#include "gloss-clipper.h"
#include "gloss-error.h"
#include "gloss-image-fetch.h"
#include "gloss-web-context.h"

#define EXTRACT_TIMEOUT_S 30
/* How often a background view's web process is asked for a sign of life,
 * and how long it may stay silent before it is replaced (about when a
 * browser calls a page unresponsive): a page that runs a script that never
 * ends holds the process's only thread, and every page after it would
 * wait behind it. */
#define WATCHDOG_TICK_MS 1000
#define WATCHDOG_HUNG_MS 10000

struct _GlossClipper
{
  GObject         parent_instance;

  GlossLibrary   *library;
  SoupSession    *session;
  gsize           max_image_bytes;
  gsize           max_message_bytes;
  guint           image_timeout_ms;
  guint           page_timeout_ms;
  GlossClipStats  stats;
};

G_DEFINE_FINAL_TYPE (GlossClipper, gloss_clipper, G_TYPE_OBJECT)

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char   *url;       /* the original address */
  gboolean saved;    /* written into assets/ by the clip writer */
  gsize   received;
  gboolean skip;              /* not fetched: not a web address */
} Image;

typedef struct
{
  WebKitWebView *web_view;
  WebKitUserContentManager *manager;
  GlossClipMode  mode;
  GlossClip     *update;
  char          *token;
  char          *page_uri;
  gulong         message_handler;
  gulong         load_handler;
  gulong         terminated_handler;
  guint          timeout_id;
  gboolean       evaluated;     /* the page ran our call: its process lives */
  gint64         started;
  gint64         stage_started;

  /* From the page's message. */
  char          *title;
  char          *byline;
  char          *site_name;
  char          *excerpt;
  char          *lang;
  char          *dir;
  char          *published;
  char          *content;
  char          *markdown;
  char          *text;

  GPtrArray     *images;        /* of Image, in placeholder order */
  GCancellable  *images_cancellable;  /* the fetches': the task's, or the time for all */
  GCancellable  *parent;        /* the task's, linked while fetching */
  gulong         cancelled_id;
  guint          images_timeout_id;
  gboolean       images_expired;
  guint          next_image;
  guint          running;
  guint          finished_images;

  GlossClipWriter *writer;      /* writes the clip folder (core) */
  guint          n_orphans;
} ClipData;

static void
image_free (Image *image)
{
  g_free (image->url);
  g_free (image);
}

static void
disconnect_page (ClipData *data)
{
  g_clear_signal_handler (&data->message_handler, data->manager);
  g_clear_signal_handler (&data->load_handler, data->web_view);
  g_clear_signal_handler (&data->terminated_handler, data->web_view);
  g_clear_handle_id (&data->timeout_id, g_source_remove);
}

static void
clip_data_free (ClipData *data)
{
  disconnect_page (data);
  g_clear_handle_id (&data->images_timeout_id, g_source_remove);
  if (data->parent != NULL)
    g_cancellable_disconnect (data->parent, data->cancelled_id);
  g_clear_object (&data->parent);
  g_clear_object (&data->images_cancellable);
  g_clear_object (&data->web_view);
  g_clear_object (&data->manager);
  g_clear_object (&data->update);
  g_clear_object (&data->writer);
  g_clear_pointer (&data->images, g_ptr_array_unref);
  g_free (data->token);
  g_free (data->page_uri);
  g_free (data->title);
  g_free (data->byline);
  g_free (data->site_name);
  g_free (data->excerpt);
  g_free (data->lang);
  g_free (data->dir);
  g_free (data->published);
  g_free (data->content);
  g_free (data->markdown);
  g_free (data->text);
  g_free (data);
}

static double
ms_since (gint64 *since)
{
  gint64 now = g_get_monotonic_time ();
  double ms = (now - *since) / 1000.0;

  *since = now;
  return ms;
}

static void
emit_progress (GlossClipper *self,
               double        fraction,
               const char   *what)
{
  g_signal_emit (self, signals[PROGRESS], 0, fraction, what);
}

static void
gloss_clipper_dispose (GObject *object)
{
  GlossClipper *self = (GlossClipper *)object;

  g_clear_object (&self->library);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (gloss_clipper_parent_class)->dispose (object);
}

static void
gloss_clipper_class_init (GlossClipperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_clipper_dispose;

  /**
   * GlossClipper::progress:
   * @fraction: 0 to 1
   * @what: what is being done, for a person
   */
  signals[PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_STRING);
}

static void
gloss_clipper_init (GlossClipper *self)
{
  const char *timeout = g_getenv ("GLOSS_IMAGE_TIMEOUT_MS");

  self->max_image_bytes = GLOSS_CLIP_MAX_IMAGE_SIZE;
  self->max_message_bytes = GLOSS_CLIP_MAX_MESSAGE_SIZE;
  self->image_timeout_ms = GLOSS_CLIP_IMAGE_TIMEOUT_MS;
  self->page_timeout_ms = EXTRACT_TIMEOUT_S * 1000;

  if (timeout != NULL)
    {
      guint64 value;

      if (g_ascii_string_to_unsigned (timeout, 10, 1, G_MAXUINT, &value, NULL))
        self->image_timeout_ms = value;
    }

  self->session = gloss_image_fetch_session_new ();
}

GlossClipper *
gloss_clipper_new (GlossLibrary *library)
{
  GlossClipper *self;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (library), NULL);

  self = g_object_new (GLOSS_TYPE_CLIPPER, NULL);
  self->library = g_object_ref (library);

  return self;
}

GlossLibrary *
gloss_clipper_get_library (GlossClipper *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIPPER (self), NULL);

  return self->library;
}

void
gloss_clipper_add_scripts (WebKitUserContentManager *manager)
{
  g_autoptr(WebKitUserScript) script = NULL;

  g_return_if_fail (WEBKIT_IS_USER_CONTENT_MANAGER (manager));

  script = gloss_web_user_script_new (WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START,
                                      "Readability.js",
                                      "Readability-readerable.js",
                                      "turndown.js",
                                      "gloss-clip.js",
                                      NULL);
  webkit_user_content_manager_add_script (manager, script);
}

/* Pages that fight back, in a view nobody looks at. */

typedef struct
{
  guint   tick_id;
  gint64  ping_sent;   /* monotonic µs of the unanswered ping, or 0 */
  guint   generation;  /* which ping an answer belongs to */
  gboolean replaced;   /* we ended the process; no page has loaded since */
} Watchdog;

static void
watchdog_free (Watchdog *watchdog)
{
  g_clear_handle_id (&watchdog->tick_id, g_source_remove);
  g_free (watchdog);
}

/* alert(), confirm(), prompt() and "leave this page?" wait for a person
 * who is not there: answer them as a person who closes them would, and
 * let the page go when it asks to stay. */
static gboolean
background_script_dialog_cb (WebKitWebView      *web_view,
                             WebKitScriptDialog *dialog,
                             gpointer            user_data)
{
  g_assert (WEBKIT_IS_WEB_VIEW (web_view));

  switch (webkit_script_dialog_get_dialog_type (dialog))
    {
    case WEBKIT_SCRIPT_DIALOG_CONFIRM:
      webkit_script_dialog_confirm_set_confirmed (dialog, FALSE);
      break;

    case WEBKIT_SCRIPT_DIALOG_BEFORE_UNLOAD_CONFIRM:
      webkit_script_dialog_confirm_set_confirmed (dialog, TRUE);
      break;

    case WEBKIT_SCRIPT_DIALOG_ALERT:
    case WEBKIT_SCRIPT_DIALOG_PROMPT:
    default:
      break;
    }

  g_debug ("Dismissed a script dialog of %s", webkit_web_view_get_uri (web_view));

  /* Handled, and not kept: WebKit closes it when this returns. */
  return TRUE;
}

/* Nobody is there to print, to log in, to pick a file or to grant a
 * permission: each is refused at once rather than waited on. */
static gboolean
background_print_cb (WebKitWebView        *web_view,
                     WebKitPrintOperation *operation,
                     gpointer              user_data)
{
  g_assert (WEBKIT_IS_WEB_VIEW (web_view));

  return TRUE;
}

static gboolean
background_authenticate_cb (WebKitWebView               *web_view,
                            WebKitAuthenticationRequest *request,
                            gpointer                     user_data)
{
  g_assert (WEBKIT_IS_WEB_VIEW (web_view));

  /* On without credentials: the server's "401" then fails the page with
   * a message, where a cancelled request would leave the view as it was. */
  webkit_authentication_request_authenticate (request, NULL);
  return TRUE;
}

static gboolean
background_permission_request_cb (WebKitWebView           *web_view,
                                  WebKitPermissionRequest *request,
                                  gpointer                 user_data)
{
  g_assert (WEBKIT_IS_WEB_VIEW (web_view));

  webkit_permission_request_deny (request);
  return TRUE;
}

static gboolean
background_run_file_chooser_cb (WebKitWebView            *web_view,
                                WebKitFileChooserRequest *request,
                                gpointer                  user_data)
{
  g_assert (WEBKIT_IS_WEB_VIEW (web_view));

  webkit_file_chooser_request_cancel (request);
  return TRUE;
}

static void
watchdog_ping_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  WebKitWebView *web_view = WEBKIT_WEB_VIEW (object);
  Watchdog *watchdog = g_object_get_data (object, "gloss-clipper-watchdog");
  g_autoptr(JSCValue) value = NULL;

  g_assert (WEBKIT_IS_WEB_VIEW (object));

  /* An error is an answer too: a view between pages has no script to run. */
  value = webkit_web_view_evaluate_javascript_finish (web_view, result, NULL);

  if (watchdog != NULL && watchdog->generation == GPOINTER_TO_UINT (user_data))
    watchdog->ping_sent = 0;
}

static gboolean
watchdog_tick_cb (gpointer user_data)
{
  WebKitWebView *web_view = user_data;
  Watchdog *watchdog = g_object_get_data (G_OBJECT (web_view), "gloss-clipper-watchdog");
  gint64 now = g_get_monotonic_time ();

  g_assert (WEBKIT_IS_WEB_VIEW (web_view));

  if (watchdog->ping_sent != 0)
    {
      if (now - watchdog->ping_sent >= (gint64) WATCHDOG_HUNG_MS * 1000)
        {
          g_debug ("The web process of %s stopped answering; replacing it",
                   webkit_web_view_get_uri (web_view));
          /* The next load starts a fresh process; "web-process-terminated"
           * tells whoever waits on this one. */
          watchdog->ping_sent = 0;
          watchdog->generation++;
          watchdog->replaced = TRUE;
          webkit_web_view_terminate_web_process (web_view);
        }
      return G_SOURCE_CONTINUE;
    }

  /* A view that never loaded anything, or whose process we ended, has no
   * process to ask. */
  if (webkit_web_view_get_uri (web_view) == NULL || watchdog->replaced)
    return G_SOURCE_CONTINUE;

  watchdog->ping_sent = now;
  watchdog->generation++;
  webkit_web_view_evaluate_javascript (web_view, "0", -1, GLOSS_SCRIPT_WORLD, NULL, NULL,
                                       watchdog_ping_cb, GUINT_TO_POINTER (watchdog->generation));

  return G_SOURCE_CONTINUE;
}

/* A committed load proves a live process, perhaps a new one (WebKit
 * swaps processes between sites): a ping sent to the old one says nothing
 * any more. */
static void
watchdog_load_changed_cb (WebKitWebView   *web_view,
                          WebKitLoadEvent  event,
                          gpointer         user_data)
{
  Watchdog *watchdog = g_object_get_data (G_OBJECT (web_view), "gloss-clipper-watchdog");

  g_assert (WEBKIT_IS_WEB_VIEW (web_view));

  if (watchdog == NULL || event != WEBKIT_LOAD_COMMITTED)
    return;

  watchdog->ping_sent = 0;
  watchdog->generation++;
  watchdog->replaced = FALSE;
}

static gboolean
watchdog_replaced (WebKitWebView *web_view)
{
  Watchdog *watchdog = g_object_get_data (G_OBJECT (web_view), "gloss-clipper-watchdog");

  return watchdog != NULL && watchdog->replaced;
}

void
gloss_clipper_prepare_background_view (WebKitWebView *web_view)
{
  Watchdog *watchdog;

  g_return_if_fail (WEBKIT_IS_WEB_VIEW (web_view));

  if (g_object_get_data (G_OBJECT (web_view), "gloss-clipper-watchdog") != NULL)
    return;

  g_signal_connect (web_view, "script-dialog", G_CALLBACK (background_script_dialog_cb), NULL);
  g_signal_connect (web_view, "print", G_CALLBACK (background_print_cb), NULL);
  g_signal_connect (web_view, "authenticate", G_CALLBACK (background_authenticate_cb), NULL);
  g_signal_connect (web_view, "permission-request", G_CALLBACK (background_permission_request_cb), NULL);
  g_signal_connect (web_view, "run-file-chooser", G_CALLBACK (background_run_file_chooser_cb), NULL);
  g_signal_connect (web_view, "load-changed", G_CALLBACK (watchdog_load_changed_cb), NULL);

  watchdog = g_new0 (Watchdog, 1);
  /* The timer ends with the view: the data's destructor removes it. */
  watchdog->tick_id = g_timeout_add (WATCHDOG_TICK_MS, watchdog_tick_cb, web_view);
  g_object_set_data_full (G_OBJECT (web_view), "gloss-clipper-watchdog", watchdog,
                          (GDestroyNotify) watchdog_free);
}

void
gloss_clipper_set_image_limits (GlossClipper *self,
                                gsize         max_bytes,
                                guint         timeout_ms)
{
  g_return_if_fail (GLOSS_IS_CLIPPER (self));

  self->max_image_bytes = max_bytes;
  self->image_timeout_ms = timeout_ms;
}

void
gloss_clipper_set_page_timeout (GlossClipper *self,
                                guint         timeout_ms)
{
  g_return_if_fail (GLOSS_IS_CLIPPER (self));

  self->page_timeout_ms = MAX (timeout_ms, 1);
}

void
gloss_clipper_set_max_message_size (GlossClipper *self,
                                    gsize         max_bytes)
{
  g_return_if_fail (GLOSS_IS_CLIPPER (self));

  self->max_message_bytes = max_bytes;
}

const GlossClipStats *
gloss_clipper_get_stats (GlossClipper *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIPPER (self), NULL);

  return &self->stats;
}

gint64
gloss_count_words (const char *text)
{
  gint64 words = 0;
  gboolean in_word = FALSE;

  if (text == NULL)
    return 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeScript script = g_unichar_get_script (c);

      if (script == G_UNICODE_SCRIPT_HAN || script == G_UNICODE_SCRIPT_HIRAGANA ||
          script == G_UNICODE_SCRIPT_KATAKANA || script == G_UNICODE_SCRIPT_THAI)
        {
          words++;
          in_word = FALSE;
        }
      else if (g_unichar_isalnum (c) || g_unichar_ismark (c))
        {
          if (!in_word)
            words++;
          in_word = TRUE;
        }
      else if (c != '\'' && c != 0x2019 && c != '-')
        in_word = FALSE;
    }

  return words;
}

/* Checking the page's message. */

static void
set_too_large (GError **error)
{
  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_TOO_LARGE,
               _("This page is too large to clip: Gloss keeps articles of up to %d MB"),
               GLOSS_CLIP_MAX_MESSAGE_SIZE / (1024 * 1024));
}

static gboolean
dup_member (JSCValue    *message,
            const char  *member,
            gboolean     required,
            gsize        limit,
            gsize       *total,
            char       **out,
            GError     **error)
{
  g_autoptr(JSCValue) value = NULL;

  *out = NULL;

  if (jsc_value_object_has_property (message, member))
    value = jsc_value_object_get_property (message, member);

  if (value == NULL || jsc_value_is_undefined (value) || jsc_value_is_null (value))
    {
      if (!required)
        return TRUE;

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("The page sent a clip without “%s”"), member);
      return FALSE;
    }

  if (!jsc_value_is_string (value))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("The page sent a clip whose “%s” is not text"), member);
      return FALSE;
    }

  *out = jsc_value_to_string (value);
  *total += strlen (*out);

  if (*total > limit)
    {
      g_clear_pointer (out, g_free);
      set_too_large (error);
      return FALSE;
    }

  /* An optional member that is only blank says nothing. */
  if (!required && g_strstrip (*out)[0] == '\0')
    g_clear_pointer (out, g_free);

  return TRUE;
}

static gboolean
read_images (ClipData  *data,
             JSCValue  *message,
             gsize      limit,
             gsize     *total,
             GError   **error)
{
  g_autoptr(JSCValue) images = NULL;
  g_autoptr(JSCValue) length = NULL;
  gint32 n;

  data->images = g_ptr_array_new_with_free_func ((GDestroyNotify)image_free);

  if (!jsc_value_object_has_property (message, "images"))
    return TRUE;

  images = jsc_value_object_get_property (message, "images");
  if (!jsc_value_is_array (images))
    goto bad;

  length = jsc_value_object_get_property (images, "length");
  if (!jsc_value_is_number (length))
    goto bad;

  n = jsc_value_to_int32 (length);
  /* Each image has a placeholder in the content, so an absurd count means
   * an absurd message rather than a large article. */
  if (n < 0 || n > 100000)
    goto bad;

  for (gint32 i = 0; i < n; i++)
    {
      g_autoptr(JSCValue) item = jsc_value_object_get_property_at_index (images, i);
      g_autofree char *url = NULL;
      g_autoptr(GUri) uri = NULL;
      Image *image;

      if (!jsc_value_is_string (item))
        goto bad;

      url = jsc_value_to_string (item);
      *total += strlen (url);
      if (*total > limit)
        {
          set_too_large (error);
          return FALSE;
        }

      image = g_new0 (Image, 1);
      image->url = g_steal_pointer (&url);
      g_ptr_array_add (data->images, image);

      /* Only web addresses are fetched; anything else keeps its text. */
      uri = g_uri_parse (image->url, G_URI_FLAGS_ENCODED, NULL);
      if (uri == NULL ||
          (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
           g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
        image->skip = TRUE;
    }

  return TRUE;

bad:
  g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                       _("The page sent a clip with a malformed list of images"));
  return FALSE;
}

static gboolean
same_page (const char *a,
           const char *b)
{
  gsize a_len, b_len;

  if (a == NULL || b == NULL)
    return FALSE;

  a_len = strcspn (a, "#");
  b_len = strcspn (b, "#");

  return a_len == b_len && strncmp (a, b, a_len) == 0;
}

static gboolean
read_message (ClipData  *data,
              JSCValue  *message,
              gsize      limit,
              GError   **error)
{
  g_autofree char *url = NULL;
  gsize total = 0;

  if (!dup_member (message, "url", TRUE, limit, &total, &url, error) ||
      !dup_member (message, "title", TRUE, limit, &total, &data->title, error) ||
      !dup_member (message, "content", TRUE, limit, &total, &data->content, error) ||
      !dup_member (message, "text", TRUE, limit, &total, &data->text, error) ||
      !dup_member (message, "markdown", FALSE, limit, &total, &data->markdown, error) ||
      !dup_member (message, "byline", FALSE, limit, &total, &data->byline, error) ||
      !dup_member (message, "siteName", FALSE, limit, &total, &data->site_name, error) ||
      !dup_member (message, "excerpt", FALSE, limit, &total, &data->excerpt, error) ||
      !dup_member (message, "lang", FALSE, limit, &total, &data->lang, error) ||
      !dup_member (message, "dir", FALSE, limit, &total, &data->dir, error) ||
      !dup_member (message, "publishedTime", FALSE, limit, &total, &data->published, error) ||
      !read_images (data, message, limit, &total, error))
    return FALSE;

  /* The page must still be the one the user asked to clip (a jump to an
   * anchor inside it does not count). */
  if (!same_page (url, data->page_uri))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("The page changed while it was being clipped; clip it again once it has loaded"));
      return FALSE;
    }

  if (!g_utf8_validate (data->content, -1, NULL) || !g_utf8_validate (data->text, -1, NULL))
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                           _("The page sent text that is not valid UTF-8"));
      return FALSE;
    }

  g_strstrip (data->title);
  if (data->title[0] == '\0')
    {
      g_free (data->title);
      data->title = g_strdup (data->page_uri);
    }

  /* Only what FORMAT.md allows for "dir". */
  if (data->dir != NULL && g_strcmp0 (data->dir, "ltr") != 0 &&
      g_strcmp0 (data->dir, "rtl") != 0 && g_strcmp0 (data->dir, "auto") != 0)
    g_clear_pointer (&data->dir, g_free);

  return TRUE;
}

/* Saving the images. */

static void fetch_next_images (GTask *task);

static void
image_done (GTask *task,
            Image *image)
{
  GlossClipper *self = g_task_get_source_object (task);
  ClipData *data = g_task_get_task_data (task);
  g_autofree char *what = NULL;

  data->running--;
  data->finished_images++;

  what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saving images (%u of %u)", "Saving images (%u of %u)", data->images->len), data->finished_images, data->images->len);
  emit_progress (self, 0.2 + 0.7 * data->finished_images / MAX (data->images->len, 1), what);

  fetch_next_images (task);
}

typedef struct
{
  GTask *task;
  Image *image;
} ImageStep;

static void
asset_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ImageStep *step = user_data;
  g_autoptr(GTask) task = step->task;
  Image *image = step->image;
  g_autoptr(GError) error = NULL;

  g_assert (GLOSS_IS_CLIP_WRITER (object));
  g_assert (G_IS_TASK (task));

  g_free (step);

  if (gloss_clip_writer_add_image_finish (GLOSS_CLIP_WRITER (object), result, &error))
    image->saved = TRUE;
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not save an image of the clip: %s", error->message);

  image_done (task, image);
}

static void
image_fetched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ImageStep *step = user_data;
  ClipData *data = g_task_get_task_data (step->task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;

  g_assert (SOUP_IS_SESSION (object));
  g_assert (G_IS_TASK (step->task));

  bytes = gloss_image_fetch_finish (result, &content_type, &error);
  if (bytes == NULL)
    {
      g_autoptr(GTask) task = step->task;

      /* It keeps its original address in the clip. */
      g_debug ("Image %s not saved: %s", step->image->url, error->message);
      image_done (task, step->image);
      g_free (step);
      return;
    }

  /* The clip writer (core) names the image by its content and writes it
   * into assets/ off the main thread. */
  gloss_clip_writer_add_image_async (data->writer, step->image->url, bytes, content_type,
                                     g_task_get_cancellable (step->task), asset_written_cb, step);
}

static void
cancelled_cb (GCancellable *cancellable,
              ClipData     *data)
{
  g_assert (G_IS_CANCELLABLE (cancellable));

  g_cancellable_cancel (data->images_cancellable);
}

static void finish_clip (GTask *task);

static void
fetch_next_images (GTask *task)
{
  GlossClipper *self = g_task_get_source_object (task);
  ClipData *data = g_task_get_task_data (task);

  while (data->running < GLOSS_IMAGE_FETCH_PARALLEL && data->next_image < data->images->len)
    {
      Image *image = g_ptr_array_index (data->images, data->next_image);
      ImageStep *step;

      data->next_image++;

      /* Not a web address, beyond the count or time limit, or a repeat of
       * an image that is already being fetched. */
      if (image->skip || data->images_expired || data->next_image > GLOSS_CLIP_MAX_IMAGES)
        {
          data->finished_images++;
          continue;
        }

      {
        gboolean repeat = FALSE;

        for (guint i = 0; i + 1 < data->next_image; i++)
          if (g_str_equal (((Image *)g_ptr_array_index (data->images, i))->url, image->url))
            repeat = TRUE;

        if (repeat)
          {
            data->finished_images++;
            continue;
          }
      }

      step = g_new0 (ImageStep, 1);
      step->task = g_object_ref (task);
      step->image = image;
      data->running++;

      gloss_image_fetch_async (self->session, image->url, data->page_uri,
                               self->max_image_bytes, self->image_timeout_ms,
                               data->images_cancellable, image_fetched_cb, step);
    }

  if (data->running == 0 && data->next_image >= data->images->len)
    {
      g_clear_handle_id (&data->images_timeout_id, g_source_remove);
      finish_clip (task);
    }
}

static gboolean
images_timeout_cb (gpointer user_data)
{
  ClipData *data = user_data;

  g_assert (WEBKIT_IS_WEB_VIEW (data->web_view));

  /* A page of many slow images must not hold the clip for minutes. */
  data->images_timeout_id = 0;
  data->images_expired = TRUE;
  g_cancellable_cancel (data->images_cancellable);

  return G_SOURCE_REMOVE;
}

/* Writing the clip: handed to the clip writer in core, which writes the
 * folder in FORMAT.md's order on a worker thread, cleans up after a
 * failure, anchors an update's annotations again and puts the result in
 * the library back on this thread. */

static void
clip_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GlossClipWriter *writer = GLOSS_CLIP_WRITER (object);
  g_autoptr(GTask) task = user_data;
  GlossClipper *self = g_task_get_source_object (task);
  ClipData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GlossClip *clip;

  g_assert (GLOSS_IS_CLIP_WRITER (writer));
  g_assert (GLOSS_IS_CLIPPER (self));

  clip = gloss_clip_writer_commit_finish (writer, result, &error);
  if (clip == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->n_orphans = gloss_clip_writer_get_n_orphans (writer);
  self->stats.save_ms = ms_since (&data->stage_started);
  emit_progress (self, 1.0, data->update != NULL ? _("Clip updated") : _("Clipped"));
  g_task_return_pointer (task, g_object_ref (clip), g_object_unref);
}

static void
finish_clip (GTask *task)
{
  GlossClipper *self = g_task_get_source_object (task);
  ClipData *data = g_task_get_task_data (task);
  GlossClipPage page = { 0, };

  if (g_task_return_error_if_cancelled (task))
    {
      gloss_clip_writer_abort (data->writer);
      return;
    }

  self->stats.images_ms = ms_since (&data->stage_started);
  self->stats.n_images = data->images->len;
  self->stats.n_images_saved = 0;
  for (guint i = 0; i < data->images->len; i++)
    if (((Image *)g_ptr_array_index (data->images, i))->saved)
      self->stats.n_images_saved++;

  emit_progress (self, 0.95, _("Saving the clip"));

  page.title = data->title;
  page.byline = data->byline;
  page.site_name = data->site_name;
  page.excerpt = data->excerpt;
  page.lang = data->lang;
  page.dir = data->dir;
  page.published = data->published;
  page.word_count = gloss_count_words (data->text);
  page.html = data->content;
  page.text = data->text;
  page.markdown = data->markdown;

  gloss_clip_writer_commit_async (data->writer, &page, g_task_get_cancellable (task),
                                  clip_written_cb, g_object_ref (task));
}

static void
start_saving (GTask *task)
{
  GlossClipper *self = g_task_get_source_object (task);
  ClipData *data = g_task_get_task_data (task);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GPtrArray) urls = g_ptr_array_new ();

  if (data->update != NULL && gloss_clip_get_folder (data->update) == NULL)
    {
      g_task_return_new_error (task, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                               _("The saved clip to update is no longer in the library"));
      return;
    }

  clip = data->update != NULL ? g_object_ref (data->update)
                              : gloss_clip_new (data->page_uri, data->title);
  data->writer = gloss_clip_writer_new (self->library, clip);

  for (guint i = 0; i < data->images->len; i++)
    g_ptr_array_add (urls, ((Image *)g_ptr_array_index (data->images, i))->url);
  g_ptr_array_add (urls, NULL);
  gloss_clip_writer_set_images (data->writer, data->token, (const char * const *) urls->pdata);

  /* The fetches end with the task, or all at once when their time is up. */
  data->images_cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    {
      data->parent = g_object_ref (g_task_get_cancellable (task));
      data->cancelled_id = g_cancellable_connect (data->parent, G_CALLBACK (cancelled_cb), data, NULL);
    }

  if (data->images->len > 0)
    {
      emit_progress (self, 0.2, _("Saving images"));
      data->images_timeout_id = g_timeout_add (MAX (GLOSS_CLIP_IMAGES_TIMEOUT_MS, self->image_timeout_ms),
                                               images_timeout_cb, data);
    }

  fetch_next_images (task);
}

/* Talking to the page. */

static void
fail_page (GTask  *task,
           GError *error)
{
  ClipData *data = g_task_get_task_data (task);

  disconnect_page (data);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
script_message_received_cb (WebKitUserContentManager *manager,
                            JSCValue                 *message,
                            gpointer                  user_data)
{
  GTask *task = user_data;
  GlossClipper *self = g_task_get_source_object (task);
  ClipData *data = g_task_get_task_data (task);
  g_autofree char *type = gloss_web_message_dup_string (message, "type");
  g_autofree char *token = gloss_web_message_dup_string (message, "token");
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) elapsed = NULL;

  g_assert (WEBKIT_IS_USER_CONTENT_MANAGER (manager));
  g_assert (GLOSS_IS_CLIPPER (self));

  /* Other messages on the same handler (readerable) are not ours. */
  if (g_strcmp0 (token, data->token) != 0 ||
      (g_strcmp0 (type, "clip") != 0 && g_strcmp0 (type, "clip-failed") != 0))
    return;

  self->stats.extract_ms = ms_since (&data->stage_started);

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      fail_page (task, g_steal_pointer (&error));
      return;
    }

  if (g_str_equal (type, "clip-failed"))
    {
      g_autofree char *reason = gloss_web_message_dup_string (message, "reason");
      g_autofree char *detail = gloss_web_message_dup_string (message, "message");

      if (g_strcmp0 (reason, "not-article") == 0)
        fail_page (task, g_error_new_literal (GLOSS_ERROR, GLOSS_ERROR_NOT_ARTICLE,
                                              _("This page does not look like an article")));
      else
        fail_page (task, g_error_new (GLOSS_ERROR, GLOSS_ERROR_FAILED,
                                      _("The article could not be extracted: %s"),
                                      detail ? detail : _("unknown error")));
      return;
    }

  if (jsc_value_object_has_property (message, "elapsed"))
    {
      elapsed = jsc_value_object_get_property (message, "elapsed");
      if (jsc_value_is_number (elapsed))
        self->stats.in_page_ms = jsc_value_to_double (elapsed);
    }

  if (!read_message (data, message, self->max_message_bytes, &error))
    {
      fail_page (task, g_steal_pointer (&error));
      return;
    }

  disconnect_page (data);
  start_saving (task);
  g_object_unref (task);
}

static void
load_changed_cb (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 gpointer         user_data)
{
  g_assert (WEBKIT_IS_WEB_VIEW (web_view));
  g_assert (G_IS_TASK (user_data));

  if (event != WEBKIT_LOAD_STARTED)
    return;

  fail_page (user_data, g_error_new_literal (GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                                             _("The page changed while it was being clipped; clip it again once it has loaded")));
}

static void
web_process_terminated_cb (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           gpointer                           user_data)
{
  g_assert (WEBKIT_IS_WEB_VIEW (web_view));
  g_assert (G_IS_TASK (user_data));

  fail_page (user_data, g_error_new_literal (GLOSS_ERROR, GLOSS_ERROR_FAILED,
                                             _("The page stopped responding while it was being clipped")));
}

static gboolean
extract_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  ClipData *data = g_task_get_task_data (task);
  g_autoptr(WebKitWebView) web_view = g_object_ref (data->web_view);

  g_assert (G_IS_TASK (task));

  data->timeout_id = 0;

  /* A page whose script never ends keeps its process from anything else,
   * the next page included: a fresh process replaces it. */
  if (!data->evaluated || !webkit_web_view_get_is_web_process_responsive (web_view))
    {
      fail_page (task, g_error_new_literal (GLOSS_ERROR, GLOSS_ERROR_FAILED,
                                            _("The page stopped responding while it was being clipped")));
      webkit_web_view_terminate_web_process (web_view);
      return G_SOURCE_REMOVE;
    }

  fail_page (task, g_error_new_literal (GLOSS_ERROR, GLOSS_ERROR_FAILED,
                                        _("The page took too long to give up its article")));

  return G_SOURCE_REMOVE;
}

static void
evaluate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ClipData *data = g_task_get_task_data (task);
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (WEBKIT_IS_WEB_VIEW (object));
  g_assert (G_IS_TASK (task));

  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);
  data->evaluated = TRUE;

  /* The message may already have come, or failed the clip. */
  if (data->message_handler == 0)
    return;

  /* The answer of a process that was ended comes before WebKit says so:
   * "web-process-terminated" fails the clip, once that process is gone
   * for good, so that its news cannot reach the next page. */
  if (value == NULL && watchdog_replaced (data->web_view))
    return;

  if (value == NULL)
    {
      g_debug ("Calling the clip script failed: %s", error->message);
      fail_page (g_object_ref (task),
                 g_error_new_literal (GLOSS_ERROR, GLOSS_ERROR_FAILED,
                                      _("Gloss could not read this page; wait until it has loaded and try again")));
    }
}

void
gloss_clipper_clip_async (GlossClipper        *self,
                          WebKitWebView       *web_view,
                          GlossClipMode        mode,
                          GlossClip           *update,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *call = NULL;
  g_autofree char *uuid = NULL;
  ClipData *data;
  const char *uri;
  guint j = 0;

  g_return_if_fail (GLOSS_IS_CLIPPER (self));
  g_return_if_fail (WEBKIT_IS_WEB_VIEW (web_view));
  g_return_if_fail (update == NULL || GLOSS_IS_CLIP (update));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_clipper_clip_async);

  memset (&self->stats, 0, sizeof self->stats);

  uri = webkit_web_view_get_uri (web_view);
  if (uri == NULL ||
      !(g_str_has_prefix (uri, "http://") || g_str_has_prefix (uri, "https://") ||
        g_str_has_prefix (uri, "file://")))
    {
      g_task_return_new_error (task, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                               _("Open a web page and wait until it has loaded to clip it"));
      return;
    }

  /* Images are asked for as the page's own browser would. */
  soup_session_set_user_agent (self->session,
                               webkit_settings_get_user_agent (webkit_web_view_get_settings (web_view)));

  data = g_new0 (ClipData, 1);
  data->web_view = g_object_ref (web_view);
  data->manager = g_object_ref (webkit_web_view_get_user_content_manager (web_view));
  data->mode = mode;
  data->update = update ? g_object_ref (update) : NULL;
  data->page_uri = g_strdup (uri);
  data->started = data->stage_started = g_get_monotonic_time ();

  /* A token only we know, so that only the answer to this call counts,
   * and placeholders that no article text can collide with. */
  uuid = g_uuid_string_random ();
  data->token = g_malloc0 (strlen (uuid) + 1);
  for (const char *p = uuid; *p; p++)
    if (*p != '-')
      data->token[j++] = *p;

  g_task_set_task_data (task, data, (GDestroyNotify)clip_data_free);

  emit_progress (self, 0.05, _("Finding the article"));

  /* The message handler and the load watch each hold the task until one of
   * them (or the timeout) ends the page part. */
  data->message_handler = g_signal_connect (data->manager, "script-message-received::" GLOSS_MESSAGE_HANDLER,
                                            G_CALLBACK (script_message_received_cb), task);
  data->load_handler = g_signal_connect (web_view, "load-changed", G_CALLBACK (load_changed_cb), task);
  data->terminated_handler = g_signal_connect (web_view, "web-process-terminated",
                                                G_CALLBACK (web_process_terminated_cb), task);
  data->timeout_id = g_timeout_add (self->page_timeout_ms, extract_timeout_cb, task);
  g_object_ref (task);

  /* A background view's page may still be changing: the script waits for
   * it to settle there. */
  call = g_strdup_printf ("glossClip ('%s', '%s', %s);", data->token,
                          mode == GLOSS_CLIP_MODE_WHOLE_PAGE ? "whole-page" : "article",
                          g_object_get_data (G_OBJECT (web_view), "gloss-clipper-watchdog") ? "true" : "false");
  webkit_web_view_evaluate_javascript (web_view, call, -1, GLOSS_SCRIPT_WORLD, NULL,
                                       NULL, evaluate_cb, g_object_ref (task));
}

GlossClip *
gloss_clipper_clip_finish (GlossClipper  *self,
                           GAsyncResult  *result,
                           guint         *n_orphans,
                           GError       **error)
{
  GlossClip *clip;

  g_return_val_if_fail (GLOSS_IS_CLIPPER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  clip = g_task_propagate_pointer (G_TASK (result), error);

  if (n_orphans != NULL)
    {
      ClipData *data = g_task_get_task_data (G_TASK (result));

      *n_orphans = clip != NULL && data != NULL ? data->n_orphans : 0;
    }

  return clip;
}
