/* gloss-highlight-popover.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gloss-annotator.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_HIGHLIGHT_POPOVER (gloss_highlight_popover_get_type ())

/* The popover at a selection (colours, Add Note, Copy) or at a highlight
 * (its note, colours, Copy, Delete). Its parent calls
 * gtk_popover_present() when it is allocated. */
G_DECLARE_FINAL_TYPE (GlossHighlightPopover, gloss_highlight_popover, GLOSS, HIGHLIGHT_POPOVER, GtkPopover)

GtkWidget  *gloss_highlight_popover_new             (GlossAnnotator        *annotator);
/* @rect in the parent's coordinates. */
void        gloss_highlight_popover_show_selection  (GlossHighlightPopover *self,
                                                     const GdkRectangle    *rect);
void        gloss_highlight_popover_show_annotation (GlossHighlightPopover *self,
                                                     const char            *id,
                                                     const GdkRectangle    *rect,
                                                     gboolean               focus_note);
/* The highlight being edited, or NULL. */
const char *gloss_highlight_popover_get_id          (GlossHighlightPopover *self);
/* The note editor, for tests. */
GtkTextView *gloss_highlight_popover_get_note_view  (GlossHighlightPopover *self);

G_END_DECLS
