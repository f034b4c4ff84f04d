/* gloss-url.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* When two addresses are the same page. A page is reached under many
 * spellings: with a fragment, with the scheme's default port, with or
 * without a trailing slash, with a host in capitals, and above all with
 * the tracking parameters that newsletters and social sites append. The
 * key below drops all of those and keeps everything that can change what
 * the server sends (path, the other query parameters in their order). */

#define G_LOG_DOMAIN "gloss-url"

#include "config.h"

#include <string.h>

#include "gloss-url.h"

/* Longer than any address a browser keeps; past this it is not a page. */
#define MAX_URL_LENGTH 8192

/* Parameters that only say who sent the reader, never what the page is. */
static gboolean
is_tracking_parameter (const char *name,
                       gsize       len)
{
  static const char * const exact[] = {
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "mkt_tok", "oly_anon_id",
    "oly_enc_id", "vero_id", "wickedid", "_hsenc", "_hsmi", "__s",
    "ref_src", "ref_url", "spm", "si",
  };

  if (len > 4 && g_ascii_strncasecmp (name, "utm_", 4) == 0)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (exact); i++)
    if (strlen (exact[i]) == len && g_ascii_strncasecmp (name, exact[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* The query less its tracking parameters, in the order they came; NULL
 * when nothing is left. */
static char *
strip_tracking (const char *query)
{
  g_autoptr(GString) kept = NULL;
  g_auto(GStrv) parts = NULL;

  if (query == NULL || query[0] == '\0')
    return NULL;

  kept = g_string_new (NULL);
  parts = g_strsplit (query, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];
      const char *equals = strchr (part, '=');
      gsize name_len = equals ? (gsize) (equals - part) : strlen (part);

      if (part[0] == '\0' || is_tracking_parameter (part, name_len))
        continue;
      if (kept->len > 0)
        g_string_append_c (kept, '&');
      g_string_append (kept, part);
    }

  return kept->len > 0 ? g_string_free (g_steal_pointer (&kept), FALSE) : NULL;
}

char *
gloss_url_match_key (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GString) path = NULL;
  g_autoptr(GString) key = NULL;
  int port;

  if (url == NULL || strlen (url) > MAX_URL_LENGTH)
    return NULL;

  /* Encoded as it came: %2F and / stay different, as servers see them. */
  uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return NULL;

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https") &&
      !g_str_equal (scheme, "file"))
    return NULL;

  if (g_uri_get_host (uri) != NULL)
    host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (!g_str_equal (scheme, "file") && (host == NULL || host[0] == '\0'))
    return NULL;

  port = g_uri_get_port (uri);
  if ((port == 80 && g_str_equal (scheme, "http")) ||
      (port == 443 && g_str_equal (scheme, "https")))
    port = -1;

  path = g_string_new (g_uri_get_path (uri));
  while (path->len > 1 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);
  if (path->len == 0)
    g_string_assign (path, "/");

  query = strip_tracking (g_uri_get_query (uri));

  key = g_string_new (scheme);
  g_string_append (key, "://");
  if (host != NULL)
    {
      /* An IPv6 literal keeps its brackets. */
      if (strchr (host, ':') != NULL)
        g_string_append_printf (key, "[%s]", host);
      else
        g_string_append (key, host);
    }
  if (port > 0)
    g_string_append_printf (key, ":%d", port);
  g_string_append (key, path->str);
  if (query != NULL)
    g_string_append_printf (key, "?%s", query);

  return g_string_free (g_steal_pointer (&key), FALSE);
}

gboolean
gloss_url_same_page (const char *a,
                     const char *b)
{
  g_autofree char *key_a = gloss_url_match_key (a);
  g_autofree char *key_b = gloss_url_match_key (b);

  return key_a != NULL && key_b != NULL && g_str_equal (key_a, key_b);
}
