/* gloss-preferences-window.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GLOSS_TYPE_PREFERENCES_WINDOW (gloss_preferences_window_get_type ())

/* The reader's font, size and links, and the library folder, all bound
 * to GSettings: each change takes effect at once. */
G_DECLARE_FINAL_TYPE (GlossPreferencesWindow, gloss_preferences_window, GLOSS, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @library_override: the folder --library or GLOSS_LIBRARY chose, which
 * the setting cannot change, or NULL. */
GtkWidget *gloss_preferences_window_new (GtkWindow *parent,
                                         GFile     *library_override);

G_END_DECLS
