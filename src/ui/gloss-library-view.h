/* gloss-library-view.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gloss-index.h"
#include "gloss-library.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_LIBRARY_VIEW (gloss_library_view_get_type ())

/* The library sidebar: every clip, newest first, and a search entry that
 * turns the list into ranked results as the user types. Emits
 * "clip-activated" (clip id, and the id of the first matching annotation
 * or NULL) when a row is chosen. */
G_DECLARE_FINAL_TYPE (GlossLibraryView, gloss_library_view, GLOSS, LIBRARY_VIEW, GtkWidget)

GtkWidget    *gloss_library_view_new          (void);
void          gloss_library_view_set_library  (GlossLibraryView *self,
                                               GlossLibrary     *library);
void          gloss_library_view_set_index    (GlossLibraryView *self,
                                               GlossIndex       *index);
void          gloss_library_view_focus_search (GlossLibraryView *self);
/* Selects the row of @clip (the clip the window shows) and scrolls to it;
 * NULL selects none. */
void          gloss_library_view_select_clip  (GlossLibraryView *self,
                                               GlossClip        *clip);
GlossClip    *gloss_library_view_get_selected_clip (GlossLibraryView *self);
const char   *gloss_library_view_get_query    (GlossLibraryView *self);
void          gloss_library_view_set_query    (GlossLibraryView *self,
                                               const char       *query);
/* "loading", "clips", "results", "empty" or "no-results". */
const char   *gloss_library_view_get_page     (GlossLibraryView *self);
/* The model behind the results list (GlossSearchResult), for tests. */
GListModel   *gloss_library_view_get_results  (GlossLibraryView *self);

/* "Today", "Yesterday", or a date, for a clip's row. */
char         *gloss_library_view_format_date  (gint64            unix_time);

G_END_DECLS
