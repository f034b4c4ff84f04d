/* gloss-uri.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reads the gloss: URIs that browsers hand over, as untrusted input. */

#define G_LOG_DOMAIN "gloss-uri"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-uri.h"

gboolean
gloss_uri_is_gloss (const char *uri)
{
  g_autofree char *scheme = NULL;

  if (uri == NULL)
    return FALSE;

  scheme = g_uri_parse_scheme (uri);
  return scheme != NULL && g_ascii_strcasecmp (scheme, GLOSS_URI_SCHEME) == 0;
}

static gboolean
refuse (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT, message);
  return FALSE;
}

/* The page address: absolute, http or https, with a host. */
static char *
check_page_url (const char  *url,
                GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;

  parsed = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (parsed == NULL)
    {
      refuse (error, _("The page address the browser sent is not a valid web address"));
      return NULL;
    }

  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      refuse (error, _("Gloss opens only web pages (http and https addresses) that a browser sends"));
      return NULL;
    }

  if (g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    {
      refuse (error, _("The page address the browser sent has no host name"));
      return NULL;
    }

  /* Without user name and password: a page never needs them, and a link
   * could use them to disguise where it leads. */
  if (g_uri_get_userinfo (parsed) != NULL)
    {
      refuse (error, _("Gloss does not open web addresses that carry a user name or password"));
      return NULL;
    }

  return g_uri_to_string (parsed);
}

char *
gloss_uri_parse (const char      *uri,
                 GlossUriAction  *action,
                 GError         **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *path;
  const char *host;
  const char *query;
  const char *what;
  const char *url;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (action != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strlen (uri) > GLOSS_URI_MAX_LENGTH || !g_utf8_validate (uri, -1, NULL))
    {
      refuse (error, _("The link the browser sent is too long or not valid text"));
      return NULL;
    }

  if (!gloss_uri_is_gloss (uri) ||
      !(parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL)))
    {
      refuse (error, _("The link is not a valid gloss: link"));
      return NULL;
    }

  /* gloss:clip?… has the action as its path; gloss://clip?… as its host. */
  path = g_uri_get_path (parsed);
  host = g_uri_get_host (parsed);
  if (host != NULL && *host != '\0' && (path == NULL || *path == '\0' || g_str_equal (path, "/")))
    what = host;
  else
    what = path;

  if (g_ascii_strcasecmp (what, "clip") == 0)
    *action = GLOSS_URI_CLIP;
  else if (g_ascii_strcasecmp (what, "open") == 0)
    *action = GLOSS_URI_OPEN;
  else
    {
      refuse (error, _("Unknown gloss: link: use gloss:clip?url=… or gloss:open?url=…"));
      return NULL;
    }

  query = g_uri_get_query (parsed);
  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL || !(url = g_hash_table_lookup (params, "url")) || *url == '\0')
    {
      refuse (error, _("The gloss: link has no page address (url=…)"));
      return NULL;
    }

  return check_page_url (url, error);
}
