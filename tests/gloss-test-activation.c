/* gloss-test-activation.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* D-Bus activation of the program in the build folder on a private bus,
 * for the search provider's test and benchmark. */

#include "config.h"

#include <glib/gstdio.h>

#include "gloss-test-activation.h"
#include "gloss-test-util.h"

GTestDBus *
gloss_test_activation_bus_up (void)
{
  g_autofree char *template_path = g_build_filename (g_getenv ("GLOSS_SOURCE_DIR"), "data",
                                                     "io.github.glossapp.Gloss.service.in", NULL);
  /* The GUI program of the build folder, where libexecdir would be. */
  g_autofree char *libexecdir = g_build_filename (g_getenv ("GLOSS_BUILD_DIR"), "src", NULL);
  g_autofree char *services = gloss_test_make_dir ("dbus-services");
  g_autofree char *name = g_strconcat (APP_ID, ".service", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) service = NULL;
  g_autoptr(GError) error = NULL;
  GTestDBus *bus;

  g_file_get_contents (template_path, &contents, NULL, &error);
  g_assert_no_error (error);

  service = g_string_new (contents);
  g_string_replace (service, "@app_id@", APP_ID, 0);
  g_string_replace (service, "@libexecdir@", libexecdir, 0);
  g_string_replace (service, "@gui_program@", GUI_PROGRAM_NAME, 0);
  gloss_test_write_file (services, name, service->str);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (bus, services);
  g_test_dbus_up (bus);

  return bus;
}

GDBusConnection *
gloss_test_activation_connect (GTestDBus *bus)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

char *
gloss_test_activation_path (void)
{
  return g_strdelimit (g_strconcat ("/", APP_ID, NULL), ".", '/');
}

static gboolean
has_owner (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

gboolean
gloss_test_activation_wait_gone (GDBusConnection *connection,
                                 guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (has_owner (connection))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (50 * 1000);
    }
  return TRUE;
}
