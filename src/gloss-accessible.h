/* gloss-accessible.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Makes every button with a mnemonic label ("_Clip") say its name once,
 * for the whole process. Call once, after gtk_init(). */
void  gloss_accessible_init (void);

G_END_DECLS
