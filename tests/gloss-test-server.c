/* gloss-test-server.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fixture web server of the web tests, on 127.0.0.1 only. */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "gloss-test-server.h"
#include "gloss-test-util.h"

struct _GlossTestServer
{
  SoupServer *server;
  GHashTable *counts;
  char       *root;
  guint       port;
};

static void
fixture_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  GlossTestServer *self = user_data;
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  const char *type = "application/octet-stream";
  gsize length;

  g_hash_table_replace (self->counts, g_strdup (path),
                        GUINT_TO_POINTER (gloss_test_server_count (self, path) + 1));

  if (strstr (path, "..") != NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
      return;
    }

  file = g_build_filename (self->root, path, NULL);
  if (g_file_test (file, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *index = g_build_filename (file, "index.html", NULL);
      g_free (file);
      file = g_steal_pointer (&index);
    }

  if (!g_file_get_contents (file, &contents, &length, NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        "<html><head><title>Not Found</title></head>"
                                        "<body>Not found</body></html>", 61);
      return;
    }

  if (g_str_has_suffix (file, ".html"))
    type = "text/html; charset=utf-8";
  else if (g_str_has_suffix (file, ".png"))
    type = "image/png";
  else if (g_str_has_suffix (file, ".jpg"))
    type = "image/jpeg";
  else if (g_str_has_suffix (file, ".svg"))
    type = "image/svg+xml";
  else if (g_str_has_suffix (file, ".css"))
    type = "text/css";
  else if (g_str_has_suffix (file, ".js"))
    type = "text/javascript";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&contents), length);
}

GlossTestServer *
gloss_test_server_new (void)
{
  GlossTestServer *self = g_new0 (GlossTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  self->root = gloss_test_source_path ("fixtures");
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->server = soup_server_new ("server-header", "GlossTest", NULL);
  soup_server_add_handler (self->server, NULL, fixture_cb, self, NULL);
  soup_server_listen (self->server, address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return self;
}

void
gloss_test_server_free (GlossTestServer *self)
{
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->counts, g_hash_table_unref);
  g_clear_pointer (&self->root, g_free);
  g_free (self);
}

SoupServer *
gloss_test_server_get_server (GlossTestServer *self)
{
  return self->server;
}

char *
gloss_test_server_uri (GlossTestServer *self,
                       const char      *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u/%s", self->port, path[0] == '/' ? path + 1 : path);
}

guint
gloss_test_server_count (GlossTestServer *self,
                         const char      *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, path));
}

guint
gloss_test_closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  /* Bind a port, learn its number and close it again: nothing listens
   * there afterwards, and it is not one of WebKit's blocked ports. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}
