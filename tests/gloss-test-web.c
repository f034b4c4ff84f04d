/* gloss-test-web.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gloss-test-web.h"
#include "gloss-test-server.h"

static void
eval_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);

  *out = value ? jsc_value_to_string (value) : g_strdup_printf ("(error: %s)", error->message);
}

char *
gloss_test_web_eval (WebKitWebView *web_view,
                     const char    *world,
                     const char    *script,
                     guint          timeout_ms)
{
  char *out = NULL;

  webkit_web_view_evaluate_javascript (web_view, script, -1, world, NULL, NULL, eval_cb, &out);
  gloss_test_wait_until (out != NULL, timeout_ms);

  return out;
}
