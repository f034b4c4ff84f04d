/* gloss-annotation-editor.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-anchor.h"
#include "gloss-clip.h"
#include "gloss-library.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_ANNOTATION_EDITOR (gloss_annotation_editor_get_type ())

/* Editing the annotations of one clip as a text shows it, with no display:
 * where each one is in that text, new highlights (quote and context taken
 * from the text, stored against article.txt as FORMAT.md counts), colour,
 * note, delete and restore, re-attaching an orphan, and the undo stack.
 * Changes are saved through the clip's GlossClipSaver. A view (the
 * reader, a live page) paints what this says.
 *
 * Signals:
 *   "changed": the annotations changed (lists redo themselves).
 *   "repaint" (const char *id): where or how @id is shown changed: paint it
 *     again at gloss_annotation_editor_get_range(), or take it away when
 *     it has no range.
 *   "reanchored": every annotation was anchored again (the clip changed on
 *     disk): paint them all again.
 *   "deleted" (GlossAnnotation *): offer to undo.
 *   "error" (const char *message): something a person should read. */
G_DECLARE_FINAL_TYPE (GlossAnnotationEditor, gloss_annotation_editor, GLOSS, ANNOTATION_EDITOR, GObject)

GlossAnnotationEditor *gloss_annotation_editor_new          (void);
void             gloss_annotation_editor_set_library        (GlossAnnotationEditor  *self,
                                                             GlossLibrary           *library);
/* Edits @clip as @text shows it (UTF-8); @saved_text is article.txt when
 * it differs from @text, else NULL. Anchors every annotation; with a NULL
 * clip, stops editing (what is pending is saved). */
void             gloss_annotation_editor_set_clip           (GlossAnnotationEditor  *self,
                                                             GlossClip              *clip,
                                                             const char             *text,
                                                             const char             *saved_text);
/* Edits @clip as a live page shows it (@text, UTF-8), with @saved_text
 * its article.txt ("" when it has none: nothing can be highlighted).
 * Annotations are found by quote and context first, their positions only
 * a hint, and no orphan state is stored in them (a page may well lack
 * what the article has); new highlights are found in @saved_text by their
 * quote and context. Called again for the same clip with the page's new
 * text, it keeps what is pending and the undo steps, and anchors again
 * without "reanchored": the caller paints. gloss_annotation_editor_set_clip ()
 * leaves live mode. */
void             gloss_annotation_editor_set_live_text      (GlossAnnotationEditor  *self,
                                                             GlossClip              *clip,
                                                             const char             *text,
                                                             const char             *saved_text);
/* Live mode: the page's text changed only where @removed code points at
 * @at of the text anchored became @added others, and the caller made sure
 * that nothing anchored (with its context) is there and that nothing could
 * anchor there now: the ranges after it move by the difference, and
 * nothing is anchored anew. */
void             gloss_annotation_editor_shift_live_text    (GlossAnnotationEditor  *self,
                                                             const char             *text,
                                                             guint                   at,
                                                             guint                   removed,
                                                             guint                   added);
/* How many times every annotation was anchored anew (tests, benchmarks). */
guint            gloss_annotation_editor_get_n_anchor_all   (GlossAnnotationEditor  *self);
gboolean         gloss_annotation_editor_get_live           (GlossAnnotationEditor  *self);
GlossClip       *gloss_annotation_editor_get_clip           (GlossAnnotationEditor  *self);
GlossText       *gloss_annotation_editor_get_text           (GlossAnnotationEditor  *self);
/* Bumped by every change: a paint prepared earlier is still right when
 * this has not moved. */
guint            gloss_annotation_editor_get_generation     (GlossAnnotationEditor  *self);

GlossAnnotation *gloss_annotation_editor_lookup             (GlossAnnotationEditor  *self,
                                                             const char             *id);
/* Where @id is in the text; FALSE for an orphan. */
gboolean         gloss_annotation_editor_get_range          (GlossAnnotationEditor  *self,
                                                             const char             *id,
                                                             guint                  *start,
                                                             guint                  *end);
/* The highlight that holds all of [start, end), if any. */
const char      *gloss_annotation_editor_find_enclosing     (GlossAnnotationEditor  *self,
                                                             guint                   start,
                                                             guint                   end);
/* FALSE, with "error", for a clip that may not be changed. */
gboolean         gloss_annotation_editor_check_writable     (GlossAnnotationEditor  *self);

/* Highlights [start, end), code points into the text. */
GlossAnnotation *gloss_annotation_editor_add                (GlossAnnotationEditor  *self,
                                                             guint                   start,
                                                             guint                   end,
                                                             GlossColor              color,
                                                             GError                **error);
void             gloss_annotation_editor_set_color          (GlossAnnotationEditor  *self,
                                                             const char             *id,
                                                             GlossColor              color);
/* The note as typed: one undo step for one note edited in a row. */
void             gloss_annotation_editor_edit_note          (GlossAnnotationEditor  *self,
                                                             const char             *id,
                                                             const char             *note);
/* Moves @id to [start, end) of the text (re-attaching an orphan). */
gboolean         gloss_annotation_editor_move               (GlossAnnotationEditor  *self,
                                                             const char             *id,
                                                             guint                   start,
                                                             guint                   end,
                                                             GError                **error);
gboolean         gloss_annotation_editor_delete             (GlossAnnotationEditor  *self,
                                                             const char             *id);
/* Puts back a deleted annotation, even after other changes. */
gboolean         gloss_annotation_editor_restore            (GlossAnnotationEditor  *self,
                                                             GlossAnnotation        *annotation);
gboolean         gloss_annotation_editor_can_undo           (GlossAnnotationEditor  *self);
gboolean         gloss_annotation_editor_undo               (GlossAnnotationEditor  *self);
/* The clip's own fields (page note, tags) changed: save them. */
void             gloss_annotation_editor_clip_changed       (GlossAnnotationEditor  *self);
/* Writes what is pending now (closing, deleting). */
gboolean         gloss_annotation_editor_flush              (GlossAnnotationEditor  *self,
                                                             GError                **error);
/* TRUE while a change is not yet on disk. */
gboolean         gloss_annotation_editor_get_save_pending   (GlossAnnotationEditor  *self);
/* The quote and note as Markdown, for the clipboard. */
char            *gloss_annotation_editor_dup_markdown       (GlossAnnotationEditor  *self,
                                                             const char             *id);

G_END_DECLS
