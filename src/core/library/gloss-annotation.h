/* gloss-annotation.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  GLOSS_COLOR_YELLOW,
  GLOSS_COLOR_GREEN,
  GLOSS_COLOR_BLUE,
  GLOSS_COLOR_PINK,
  GLOSS_COLOR_PURPLE,
} GlossColor;

#define GLOSS_N_COLORS 5

/* "yellow" … "purple"; NULL for an invalid value. */
const char *gloss_color_to_string   (GlossColor   color);
gboolean    gloss_color_from_string (const char  *string,
                                     GlossColor  *color);

#define GLOSS_TYPE_ANNOTATION (gloss_annotation_get_type ())

G_DECLARE_FINAL_TYPE (GlossAnnotation, gloss_annotation, GLOSS, ANNOTATION, GObject)

/* A new highlight: a new id, created = modified = now, an empty note. The
 * offsets are code points into article.txt; prefix and suffix up to 32 code
 * points each (FORMAT.md "Text and positions"). */
GlossAnnotation *gloss_annotation_new              (const char       *exact,
                                                    const char       *prefix,
                                                    const char       *suffix,
                                                    guint             start,
                                                    guint             end,
                                                    GlossColor        color);
/* Reads one member of "annotations". Keeps @object (unknown members survive
 * a save). Fails with GLOSS_ERROR_DAMAGED when a required member is missing
 * or has the wrong type, GLOSS_ERROR_INVALID_ID for a bad id. */
GlossAnnotation *gloss_annotation_new_from_json    (JsonObject       *object,
                                                    GError          **error);
/* The object as it is to be written: the one read, changed in place.
 * Callers read it and never change it (gloss_annotation_freeze() keeps
 * its text until the annotation itself changes). */
JsonObject      *gloss_annotation_to_json          (GlossAnnotation  *self);
/* The JSON text of gloss_annotation_to_json() (json-glib's pretty form,
 * two-space indent), immutable: a writer on another thread may keep it
 * while the annotation changes. Made once and kept until a change to what
 * is written, so that saving a clip costs a reference per annotation, not
 * a serialisation. */
GBytes          *gloss_annotation_freeze           (GlossAnnotation  *self);
GlossAnnotation *gloss_annotation_copy             (GlossAnnotation  *self);

const char      *gloss_annotation_get_id           (GlossAnnotation  *self);
const char      *gloss_annotation_get_created      (GlossAnnotation  *self);
const char      *gloss_annotation_get_modified     (GlossAnnotation  *self);
/* For Undo of a deletion: a "modified" later than the clip's "removed"
 * entry, so that a merge keeps it (FORMAT.md "Several machines"). */
void             gloss_annotation_set_modified     (GlossAnnotation  *self,
                                                    const char       *modified);
GlossColor       gloss_annotation_get_color        (GlossAnnotation  *self);
void             gloss_annotation_set_color        (GlossAnnotation  *self,
                                                    GlossColor        color);
const char      *gloss_annotation_get_note         (GlossAnnotation  *self);
void             gloss_annotation_set_note         (GlossAnnotation  *self,
                                                    const char       *note);
const char      *gloss_annotation_get_exact        (GlossAnnotation  *self);
const char      *gloss_annotation_get_prefix       (GlossAnnotation  *self);
const char      *gloss_annotation_get_suffix       (GlossAnnotation  *self);
guint            gloss_annotation_get_start        (GlossAnnotation  *self);
guint            gloss_annotation_get_end          (GlossAnnotation  *self);
/* Moves the target (re-anchoring, "Re-attach to selection"); bumps modified. */
void             gloss_annotation_set_target       (GlossAnnotation  *self,
                                                    const char       *exact,
                                                    const char       *prefix,
                                                    const char       *suffix,
                                                    guint             start,
                                                    guint             end);
/* Set by anchoring at run time, never written: TRUE when the annotation did
 * not anchor against the current article.txt. */
gboolean         gloss_annotation_get_orphan       (GlossAnnotation  *self);
void             gloss_annotation_set_orphan       (GlossAnnotation  *self,
                                                    gboolean          orphan);

G_END_DECLS
