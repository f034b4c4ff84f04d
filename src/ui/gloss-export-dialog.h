/* gloss-export-dialog.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gloss-window.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_EXPORT_DIALOG (gloss_export_dialog_get_type ())

/* Export options, a file chooser for where to, progress, and a toast with
 * "Open Folder" in @window at the end. Offers the whole library, what the
 * library's search finds, and the clip in the reader. */
G_DECLARE_FINAL_TYPE (GlossExportDialog, gloss_export_dialog, GLOSS, EXPORT_DIALOG, AdwWindow)

GlossExportDialog *gloss_export_dialog_new (GlossWindow *window);

G_END_DECLS
