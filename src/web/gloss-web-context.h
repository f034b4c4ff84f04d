/* gloss-web-context.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

G_BEGIN_DECLS

/* The private script world that all of our page scripts run in. */
#define GLOSS_SCRIPT_WORLD "gloss"
/* The message handler, registered in that world only. */
#define GLOSS_MESSAGE_HANDLER "gloss"

/* The text of a script compiled into the GResource, e.g. "Readability.js". */
char                     *gloss_web_load_script              (const char   *name);
/* Concatenates several GResource scripts into one user script that runs
 * in the gloss world. The list is NULL-terminated. */
WebKitUserScript         *gloss_web_user_script_new          (WebKitUserScriptInjectionTime  when,
                                                              const char   *first_name,
                                                              ...) G_GNUC_NULL_TERMINATED;
/* Registers our message handler on @manager in the gloss world only, so
 * that the page's own scripts can neither see nor call it, and connects
 * @callback (swapped: @instance first) for as long as @instance lives. */
void                      gloss_web_listen_for_messages      (WebKitUserContentManager *manager,
                                                              GCallback     callback,
                                                              gpointer      instance);
/* A JSCValue's member as a string, or NULL when absent or not a string:
 * page messages are untrusted, so every member is checked for its type. */
char                     *gloss_web_message_dup_string       (JSCValue     *message,
                                                              const char   *member);
gboolean                  gloss_web_message_get_boolean      (JSCValue     *message,
                                                              const char   *member,
                                                              gboolean     *value);

/* Runs @script in the gloss world of @web_view, for @source_object (the
 * GTask's source, with @source_tag) as the owner of that view. The
 * finish function gives the JSCValue the script returned. */
void                      gloss_web_run_script               (WebKitWebView        *web_view,
                                                              gpointer              source_object,
                                                              gpointer              source_tag,
                                                              const char           *script,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
JSCValue                 *gloss_web_run_script_finish        (gpointer              source_object,
                                                              GAsyncResult         *result,
                                                              GError              **error);

G_END_DECLS
