/* gloss-export-dialog.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gloss-clip.h"
#include "gloss-index.h"
#include "gloss-library.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_EXPORT_DIALOG (gloss_export_dialog_get_type ())

/* Export options, a file chooser for where to, and progress, built from
 * what it exports: the whole @library; what @query finds in @index, when
 * both are given; @clip, when given. The outcome is a toast (with "Open
 * Folder" after an export, or the error) for the window to show:
 *
 * Signals:
 *   "toast" (AdwToast *toast): show it; the dialog closes itself. */
G_DECLARE_FINAL_TYPE (GlossExportDialog, gloss_export_dialog, GLOSS, EXPORT_DIALOG, AdwWindow)

GlossExportDialog *gloss_export_dialog_new (GtkWindow    *parent,
                                            GlossLibrary *library,
                                            GlossIndex   *index,
                                            const char   *query,
                                            GlossClip    *clip);

G_END_DECLS
