/* gloss-uri.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* gloss: URIs, what a browser bookmarklet sends (x-scheme-handler/gloss):
 *
 *   gloss:clip?url=<percent-encoded URL>   open the page and clip it
 *   gloss:open?url=<percent-encoded URL>   open the page in the live view
 *
 * ("gloss://clip?url=…" is read the same way.) The URI comes from any web
 * page or program: only an absolute http or https URL with a host is
 * accepted; anything else fails with GLOSS_ERROR_INVALID_INPUT and a
 * message that never repeats the untrusted text. */
typedef enum
{
  GLOSS_URI_CLIP,
  GLOSS_URI_OPEN,
} GlossUriAction;

#define GLOSS_URI_SCHEME "gloss"
/* Longer gloss: URIs are refused. */
#define GLOSS_URI_MAX_LENGTH 16384

/* Whether @uri is a gloss: URI at all (its scheme, case-insensitive). */
gboolean  gloss_uri_is_gloss (const char      *uri);
/* The action and the page's URL (returned, normalised by GUri), or NULL
 * with an error. */
char     *gloss_uri_parse    (const char      *uri,
                              GlossUriAction  *action,
                              GError         **error);

G_END_DECLS
