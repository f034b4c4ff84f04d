/* gloss-application.h
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

#define GLOSS_TYPE_APPLICATION (gloss_application_get_type ())

G_DECLARE_FINAL_TYPE (GlossApplication, gloss_application, GLOSS, APPLICATION, AdwApplication)

GlossApplication *gloss_application_new         (void);
/* The library of this instance, made on first use and read in the
 * background once the main loop is idle (after the first frame). */
GlossLibrary     *gloss_application_get_library (GlossApplication *self);
/* The search index of that library, made with it. */
GlossIndex       *gloss_application_get_index   (GlossApplication *self);

/* The command line as main() got it, for running it again under a
 * headless X server when --clip or --import finds no display. */
void              gloss_application_set_argv    (char **argv);

G_END_DECLS
