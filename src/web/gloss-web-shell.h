/* gloss-web-shell.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

#include "gloss-clip-scheme.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_WEB_SHELL (gloss_web_shell_get_type ())

/* The one owner of WebKit's state, as Epiphany's EphyEmbedShell: the live
 * web views' persistent network session; the reader's web context, its
 * ephemeral network session (proxied to nowhere) and the gloss-clip://
 * scheme handler. Made on first use; the application drops it at
 * shutdown with gloss_web_shell_shutdown(). */
G_DECLARE_FINAL_TYPE (GlossWebShell, gloss_web_shell, GLOSS, WEB_SHELL, GObject)

GlossWebShell        *gloss_web_shell_get_default                (void);
void                  gloss_web_shell_shutdown                   (void);
/* Cookies, cache and site data under Gloss's own data and cache folders. */
WebKitNetworkSession *gloss_web_shell_get_network_session        (GlossWebShell *self);
WebKitWebContext     *gloss_web_shell_get_reader_context         (GlossWebShell *self);
WebKitNetworkSession *gloss_web_shell_get_reader_network_session (GlossWebShell *self);
GlossClipScheme      *gloss_web_shell_get_clip_scheme            (GlossWebShell *self);

G_END_DECLS
