/* gloss-image-fetch.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one place that fetches a picture over HTTP: send, check the status
 * and the type, read in chunks under the size limit, give up at the time
 * limit. The clipper and the clip queue each fetch a few at a time
 * (GLOSS_IMAGE_FETCH_PARALLEL) and decide what a failure means to them. */

#define G_LOG_DOMAIN "gloss-image-fetch"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-image-fetch.h"

typedef struct
{
  char         *url;
  GCancellable *cancellable;   /* this fetch's own: the time limit ends it alone */
  GCancellable *parent;        /* the caller's, chained to ours */
  gulong        cancelled_id;
  guint         timeout_id;
  gboolean      timed_out;
  gsize         max_bytes;
  GInputStream *stream;
  GByteArray   *buffer;
  char         *content_type;
} Fetch;

/* The timer and the link to the caller's cancellable end with the fetch,
 * before it is returned: nothing of it may fire once the caller has it. */
static void
fetch_stop (Fetch *fetch)
{
  g_clear_handle_id (&fetch->timeout_id, g_source_remove);
  if (fetch->cancelled_id != 0)
    g_cancellable_disconnect (fetch->parent, fetch->cancelled_id);
  fetch->cancelled_id = 0;
}

static void
fetch_free (Fetch *fetch)
{
  fetch_stop (fetch);
  g_clear_object (&fetch->parent);
  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->buffer, g_byte_array_unref);
  g_free (fetch->content_type);
  g_free (fetch->url);
  g_free (fetch);
}

SoupSession *
gloss_image_fetch_session_new (void)
{
  return soup_session_new_with_options ("max-conns-per-host", GLOSS_IMAGE_FETCH_PARALLEL,
                                        "timeout", GLOSS_IMAGE_FETCH_IDLE_TIMEOUT_S,
                                        NULL);
}

/* Fails the fetch. The caller's cancellation wins over whatever it caused
 * on the way (a broken read, a cancelled send). */
static void
fetch_return_error (GTask  *task,
                    GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);

  fetch_stop (fetch);
  if (g_task_return_error_if_cancelled (task))
    {
      g_error_free (error);
      return;
    }
  g_task_return_error (task, error);
}

/* Fails the fetch on a send or a read that broke off (or that the time
 * limit ended). Whether the server had answered tells a caller that may
 * try again later what it is dealing with: no answer at all, or a
 * picture that came only in part. */
static void
fetch_return_broken (GTask        *task,
                     gboolean      answered,
                     const GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);

  if (fetch->timed_out)
    fetch_return_error (task, g_error_new (G_IO_ERROR,
                                           answered ? G_IO_ERROR_PARTIAL_INPUT : G_IO_ERROR_TIMED_OUT,
                                           _("The image “%s” did not arrive in time"), fetch->url));
  else if (answered)
    fetch_return_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                           _("The image “%s” arrived only in part: %s"),
                                           fetch->url, error->message));
  else
    fetch_return_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE,
                                           _("Could not reach the server of the image “%s”: %s"),
                                           fetch->url, error->message));
}

/* Said before the picture is read (the server gave its length) or
 * while it arrives. */
static GError *
too_large_error (Fetch *fetch)
{
  g_autofree char *size = g_format_size (fetch->max_bytes);

  return g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                      _("The image “%s” is larger than %s"), fetch->url, size);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (G_IS_INPUT_STREAM (object));
  g_assert (G_IS_TASK (task));

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      fetch_return_broken (task, TRUE, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      fetch_stop (fetch);
      g_task_return_pointer (task,
                             g_byte_array_free_to_bytes (g_steal_pointer (&fetch->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (fetch->buffer->len + g_bytes_get_size (chunk) > fetch->max_bytes)
    {
      fetch_return_error (task, too_large_error (fetch));
      return;
    }

  g_byte_array_append (fetch->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (fetch->stream, GLOSS_IMAGE_FETCH_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   fetch->cancellable, read_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessage *message;
  SoupMessageHeaders *headers;
  g_autoptr(GError) error = NULL;
  const char *content_type;
  goffset length;
  guint status;

  g_assert (SOUP_IS_SESSION (object));
  g_assert (G_IS_TASK (task));

  message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  fetch->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (fetch->stream == NULL)
    {
      fetch_return_broken (task, FALSE, error);
      return;
    }

  status = soup_message_get_status (message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* A 4xx is the server's no: trying again will not change it. */
      if (SOUP_STATUS_IS_CLIENT_ERROR (status))
        fetch_return_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                               _("The server would not give the image “%s” (HTTP status %u)"),
                                               fetch->url, status));
      else
        fetch_return_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                               _("The server of the image “%s” failed to send it (HTTP status %u)"),
                                               fetch->url, status));
      return;
    }

  headers = soup_message_get_response_headers (message);
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL || !g_str_has_prefix (content_type, "image/"))
    {
      fetch_return_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                             _("The address “%s” does not give an image"),
                                             fetch->url));
      return;
    }

  length = soup_message_headers_get_content_length (headers);
  if (length > 0 && (guint64) length > fetch->max_bytes)
    {
      fetch_return_error (task, too_large_error (fetch));
      return;
    }

  fetch->content_type = g_ascii_strdown (content_type, -1);
  fetch->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (fetch->stream, GLOSS_IMAGE_FETCH_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   fetch->cancellable, read_cb, g_steal_pointer (&task));
}

static gboolean
timeout_cb (gpointer user_data)
{
  Fetch *fetch = user_data;

  g_assert (G_IS_CANCELLABLE (fetch->cancellable));

  fetch->timeout_id = 0;
  fetch->timed_out = TRUE;
  g_cancellable_cancel (fetch->cancellable);
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              Fetch        *fetch)
{
  g_assert (G_IS_CANCELLABLE (cancellable));

  g_cancellable_cancel (fetch->cancellable);
}

void
gloss_image_fetch_async (SoupSession         *session,
                         const char          *url,
                         const char          *referrer,
                         gsize                max_bytes,
                         guint                timeout_ms,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageHeaders *headers;
  Fetch *fetch;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_image_fetch_async);

  fetch = g_new0 (Fetch, 1);
  fetch->url = g_strdup (url);
  fetch->max_bytes = max_bytes;
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  message = soup_message_new (SOUP_METHOD_GET, url);
  if (message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not an address an image can be fetched from"), url);
      return;
    }

  /* Asked for as the page's own browser would. */
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept",
                                "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8");
  if (referrer != NULL)
    soup_message_headers_replace (headers, "Referer", referrer);

  fetch->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      fetch->parent = g_object_ref (cancellable);
      fetch->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), fetch, NULL);
    }
  fetch->timeout_id = g_timeout_add (timeout_ms, timeout_cb, fetch);

  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, fetch->cancellable,
                           send_cb, g_steal_pointer (&task));
}

GBytes *
gloss_image_fetch_finish (GAsyncResult  *result,
                          char         **content_type,
                          GError       **error)
{
  GTask *task = G_TASK (result);
  GBytes *bytes;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == gloss_image_fetch_async, NULL);

  bytes = g_task_propagate_pointer (task, error);
  if (content_type != NULL)
    {
      Fetch *fetch = g_task_get_task_data (task);

      *content_type = bytes != NULL ? g_strdup (fetch->content_type) : NULL;
    }
  return bytes;
}
