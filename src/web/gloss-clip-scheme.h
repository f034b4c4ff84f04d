/* gloss-clip-scheme.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

#include "gloss-clip.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_CLIP_SCHEME (gloss_clip_scheme_get_type ())

/* The gloss-clip:// handler, as Epiphany's EphyReaderHandler: its own
 * object, owned by GlossWebShell, that serves the clips readers show now
 * (each reader says which, gloss_clip_scheme_serve()/unserve()) and no
 * others, and cancels the requests under way when it goes. */
G_DECLARE_FINAL_TYPE (GlossClipScheme, gloss_clip_scheme, GLOSS, CLIP_SCHEME, GObject)

GlossClipScheme *gloss_clip_scheme_new          (void);
void             gloss_clip_scheme_register     (GlossClipScheme  *self,
                                                 WebKitWebContext *context);
/* A reader shows @clip now; counted, so two readers may show one clip. */
void             gloss_clip_scheme_serve        (GlossClipScheme  *self,
                                                 GlossClip        *clip);
void             gloss_clip_scheme_unserve      (GlossClipScheme  *self,
                                                 GlossClip        *clip);
guint            gloss_clip_scheme_get_n_served (GlossClipScheme  *self);

G_END_DECLS
