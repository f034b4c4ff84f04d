/* gloss-uri-handler.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-uri.h"
#include "gloss-window.h"

G_BEGIN_DECLS

/* What a gloss: URI asks of @window once it has opened the page @url in
 * its live view: for GLOSS_URI_CLIP, clip it as soon as the page has been
 * checked and the library read (or offer to clip the whole page when it
 * is not an article). Call before the page starts loading. */
void  gloss_uri_handler_follow (GlossWindow     *window,
                                GlossUriAction   action,
                                const char      *url);
/* Tells the person in @window why a gloss: URI was refused. */
void  gloss_uri_handler_refuse (GlossWindow     *window,
                                const GError    *error);

G_END_DECLS
