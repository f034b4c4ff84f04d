/* gloss-window.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gloss-browser.h"
#include "gloss-index.h"
#include "gloss-library.h"
#include "gloss-library-view.h"
#include "gloss-reader-pane.h"
#include "gloss-reader-view.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_WINDOW (gloss_window_get_type ())

G_DECLARE_FINAL_TYPE (GlossWindow, gloss_window, GLOSS, WINDOW, AdwApplicationWindow)

GlossWindow  *gloss_window_new          (AdwApplication *application);
/* Opens @text (an address as typed, or a URI) in the live view. */
void          gloss_window_open         (GlossWindow    *self,
                                         const char     *text);
GlossBrowser *gloss_window_get_browser  (GlossWindow    *self);
/* Shows a clip of the library in the reader. */
void          gloss_window_open_clip    (GlossWindow    *self,
                                         GlossClip      *clip);
/* The reader view (made on first use), for the annotation work. */
GlossReaderView *gloss_window_get_reader (GlossWindow   *self);
/* The reader page with its highlights and annotations panel. */
GlossReaderPane *gloss_window_get_reader_pane (GlossWindow *self);
/* The live page with its highlights and annotations panel, and the clip
 * of the page it shows (NULL when that page is not in the library). */
GlossReaderPane *gloss_window_get_live_pane   (GlossWindow *self);
GlossClip       *gloss_window_get_live_clip   (GlossWindow *self);
/* "empty", "web", "reader" or "error": what the window shows now. */
const char   *gloss_window_get_view     (GlossWindow    *self);
void          gloss_window_show_toast   (GlossWindow    *self,
                                         const char     *message);
/* The library the window shows and clips go to, and its search index;
 * the application sets them. */
void          gloss_window_set_library  (GlossWindow    *self,
                                         GlossLibrary   *library,
                                         GlossIndex     *index);
GlossLibrary *gloss_window_get_library  (GlossWindow    *self);
GlossIndex   *gloss_window_get_index    (GlossWindow    *self);
GlossLibraryView *gloss_window_get_library_view (GlossWindow *self);
/* Asks for a file and imports it (gloss-window-import.c). */
void          gloss_window_import       (GlossWindow    *self);
/* Takes ownership of @toast (a floating reference is fine). */
void          gloss_window_add_toast    (GlossWindow    *self,
                                         AdwToast       *toast);

G_END_DECLS
