/* gloss-browser.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

G_BEGIN_DECLS

#define GLOSS_TYPE_BROWSER (gloss_browser_get_type ())

/* The live web view: loads pages from the network, turns failed loads into
 * a message a person understands ("load-error"), and reports whether the
 * page is an article ("readerable"), from a script in the gloss world.
 * Other messages of our scripts in that world go out as "message" (the
 * live annotator's, gloss-annotator.c). */
G_DECLARE_FINAL_TYPE (GlossBrowser, gloss_browser, GLOSS, BROWSER, GObject)

GlossBrowser  *gloss_browser_new            (void);
WebKitWebView *gloss_browser_get_web_view   (GlossBrowser  *self);
gboolean       gloss_browser_get_readerable (GlossBrowser  *self);
/* The address of the last page asked for, also when it failed to load. */
const char    *gloss_browser_get_uri        (GlossBrowser  *self);
void           gloss_browser_load           (GlossBrowser  *self,
                                             const char    *uri);
void           gloss_browser_reload         (GlossBrowser  *self);
/* Runs @script in the page, in the private gloss world. */
void           gloss_browser_run_script        (GlossBrowser         *self,
                                                const char           *script,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
JSCValue      *gloss_browser_run_script_finish (GlossBrowser         *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* What the user typed into the address bar, as a URI to load: a URL with a
 * scheme is kept, a bare host ("example.org") gets https://, a path to an
 * existing file becomes a file:// URI. NULL with a GError for text that is
 * not an address. */
char          *gloss_browser_normalize_uri  (const char    *text,
                                             GError       **error);

G_END_DECLS
