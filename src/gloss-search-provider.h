/* gloss-search-provider.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-application.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_SEARCH_PROVIDER (gloss_search_provider_get_type ())

/* org.gnome.Shell.SearchProvider2 on the application's D-Bus connection:
 * the overview search finds clips through the library's search index. */
G_DECLARE_FINAL_TYPE (GlossSearchProvider, gloss_search_provider, GLOSS, SEARCH_PROVIDER, GObject)

/* At most this many results go to the Shell. */
#define GLOSS_SEARCH_PROVIDER_LIMIT 20

GlossSearchProvider *gloss_search_provider_new        (GlossApplication     *application);
/* Exports the provider at @object_path (the application's path followed
 * by "/SearchProvider"). */
gboolean             gloss_search_provider_register   (GlossSearchProvider  *self,
                                                       GDBusConnection      *connection,
                                                       const char           *object_path,
                                                       GError              **error);
void                 gloss_search_provider_unregister (GlossSearchProvider  *self);

/* The one-line description of a result: its site and the matching piece
 * of text, without match markers. */
char                *gloss_search_provider_describe   (const char           *site_name,
                                                       const char           *marked_snippet);

G_END_DECLS
