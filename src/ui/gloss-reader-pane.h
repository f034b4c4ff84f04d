/* gloss-reader-pane.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gloss-annotator.h"
#include "gloss-browser.h"
#include "gloss-library.h"
#include "gloss-reader-view.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_READER_PANE (gloss_reader_pane_get_type ())

/* The window's reader page: the reader's web view, its highlights (a
 * GlossAnnotator), the highlight popover and the annotations panel on the
 * right; and the reader.* actions with their shortcuts (Ctrl+H,
 * Ctrl+Shift+H, Ctrl+Z, F9), which act while the focus is in the page.
 *
 * Property "show-annotations": whether the panel is shown. */
G_DECLARE_FINAL_TYPE (GlossReaderPane, gloss_reader_pane, GLOSS, READER_PANE, GtkWidget)

/* Shows @reader's web view; call once. */
void            gloss_reader_pane_set_reader          (GlossReaderPane *self,
                                                       GlossReaderView *reader);
/* The live page instead: @browser's web view, with a live-mode annotator
 * (gloss_annotator_new_for_browser()); call once. */
void            gloss_reader_pane_set_browser         (GlossReaderPane *self,
                                                       GlossBrowser    *browser);
void            gloss_reader_pane_set_library         (GlossReaderPane *self,
                                                       GlossLibrary    *library);
GlossAnnotator *gloss_reader_pane_get_annotator       (GlossReaderPane *self);
GtkPopover     *gloss_reader_pane_get_popover         (GlossReaderPane *self);
GtkWidget      *gloss_reader_pane_get_panel           (GlossReaderPane *self);
gboolean        gloss_reader_pane_get_show_annotations (GlossReaderPane *self);
void            gloss_reader_pane_set_show_annotations (GlossReaderPane *self,
                                                        gboolean         show);

G_END_DECLS
