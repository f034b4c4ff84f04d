/* gloss-web-context.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Loading our page scripts from the GResource into the private "gloss"
 * world, and reading page messages. WebKit's state (sessions, contexts,
 * the scheme) is GlossWebShell's. */

#define G_LOG_DOMAIN "gloss-web-context"

#include "config.h"

#include "gloss-web-context.h"

char *
gloss_web_load_script (const char *name)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  path = g_strconcat (RESOURCE_PREFIX "/js/", name, NULL);
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

  /* A missing script is a broken build, not a user error. */
  if (bytes == NULL)
    {
      g_critical ("Page script %s is missing from the resources: %s", name, error->message);
      return g_strdup ("");
    }

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

WebKitUserScript *
gloss_web_user_script_new (WebKitUserScriptInjectionTime  when,
                           const char                    *first_name,
                           ...)
{
  g_autoptr(GString) source = g_string_new (NULL);
  const char *name;
  va_list args;

  va_start (args, first_name);
  for (name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      g_autofree char *text = gloss_web_load_script (name);

      g_string_append (source, text);
      g_string_append (source, "\n;\n");
    }
  va_end (args);

  return webkit_user_script_new_for_world (source->str,
                                           WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                           when,
                                           GLOSS_SCRIPT_WORLD,
                                           NULL, NULL);
}

void
gloss_web_listen_for_messages (WebKitUserContentManager *manager,
                               GCallback                 callback,
                               gpointer                  instance)
{
  g_return_if_fail (WEBKIT_IS_USER_CONTENT_MANAGER (manager));
  g_return_if_fail (callback != NULL);
  g_return_if_fail (G_IS_OBJECT (instance));

  webkit_user_content_manager_register_script_message_handler (manager,
                                                               GLOSS_MESSAGE_HANDLER,
                                                               GLOSS_SCRIPT_WORLD);
  g_signal_connect_object (manager,
                           "script-message-received::" GLOSS_MESSAGE_HANDLER,
                           callback,
                           instance,
                           G_CONNECT_SWAPPED);
}

char *
gloss_web_message_dup_string (JSCValue   *message,
                              const char *member)
{
  g_autoptr(JSCValue) value = NULL;

  if (!jsc_value_is_object (message) || !jsc_value_object_has_property (message, member))
    return NULL;

  value = jsc_value_object_get_property (message, member);
  if (!jsc_value_is_string (value))
    return NULL;

  return jsc_value_to_string (value);
}

gboolean
gloss_web_message_get_boolean (JSCValue   *message,
                               const char *member,
                               gboolean   *out_value)
{
  g_autoptr(JSCValue) value = NULL;

  if (!jsc_value_is_object (message) || !jsc_value_object_has_property (message, member))
    return FALSE;

  value = jsc_value_object_get_property (message, member);
  if (!jsc_value_is_boolean (value))
    return FALSE;

  *out_value = jsc_value_to_boolean (value);
  return TRUE;
}

static void
run_script_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JSCValue *value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_object_unref);
}

void
gloss_web_run_script (WebKitWebView       *web_view,
                      gpointer             source_object,
                      gpointer             source_tag,
                      const char          *script,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WEBKIT_IS_WEB_VIEW (web_view));
  g_return_if_fail (script != NULL);

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  webkit_web_view_evaluate_javascript (web_view, script, -1, GLOSS_SCRIPT_WORLD,
                                       NULL, cancellable, run_script_cb, g_steal_pointer (&task));
}

JSCValue *
gloss_web_run_script_finish (gpointer       source_object,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
