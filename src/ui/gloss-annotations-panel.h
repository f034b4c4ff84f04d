/* gloss-annotations-panel.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gloss-annotator.h"
#include "gloss-library.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_ANNOTATIONS_PANEL (gloss_annotations_panel_get_type ())

/* The panel beside the reader: the clip's page note and tags, then its
 * annotations in document order (filtered by colour and by "has note"),
 * activating one scrolls the reader to it; orphans listed apart, each
 * with "Re-attach to Selection". */
G_DECLARE_FINAL_TYPE (GlossAnnotationsPanel, gloss_annotations_panel, GLOSS, ANNOTATIONS_PANEL, AdwBin)

void        gloss_annotations_panel_set_annotator (GlossAnnotationsPanel *self,
                                                   GlossAnnotator        *annotator,
                                                   GlossLibrary          *library);
/* The annotations listed (after the filters), and the list, for tests. */
GListModel *gloss_annotations_panel_get_shown     (GlossAnnotationsPanel *self);
GtkListView *gloss_annotations_panel_get_list_view (GlossAnnotationsPanel *self);
GtkListBox *gloss_annotations_panel_get_orphans   (GlossAnnotationsPanel *self);
/* The page note editor, the tag entry and the filters, for tests. */
GtkTextView *gloss_annotations_panel_get_page_note_view (GlossAnnotationsPanel *self);
GtkEntry   *gloss_annotations_panel_get_tag_entry (GlossAnnotationsPanel *self);
/* 0 for every colour, else 1 + GlossColor. */
void        gloss_annotations_panel_set_filter    (GlossAnnotationsPanel *self,
                                                   guint                  color_index,
                                                   gboolean               with_note);

G_END_DECLS
