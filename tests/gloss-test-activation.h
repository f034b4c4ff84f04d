/* gloss-test-activation.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A private session bus (GTestDBus) that starts the program of the build
 * folder by D-Bus activation, from data/io.github.glossapp.Gloss.service.in
 * as it is installed, but with the build folder's program. The started
 * program inherits the environment as it is when this is called. */
GTestDBus       *gloss_test_activation_bus_up   (void);
/* A connection of our own to that bus. */
GDBusConnection *gloss_test_activation_connect  (GTestDBus  *bus);
/* The application's object path, from APP_ID. */
char            *gloss_test_activation_path     (void);
/* Waits (main context spinning) until nobody owns the application's name
 * any more: the program has left by itself. */
gboolean         gloss_test_activation_wait_gone (GDBusConnection *connection,
                                                  guint            timeout_ms);

G_END_DECLS
