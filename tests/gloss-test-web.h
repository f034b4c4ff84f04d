/* gloss-test-web.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

G_BEGIN_DECLS

/* Runs @script in @world of @web_view (NULL: the page's own world, as its
 * scripts run; "gloss": Gloss's private one) and spins the main context
 * until it answers, failing the test after @timeout_ms. Returns the value
 * as a string, or "(error: MESSAGE)". */
char *gloss_test_web_eval (WebKitWebView *web_view,
                           const char    *world,
                           const char    *script,
                           guint          timeout_ms);

G_END_DECLS
