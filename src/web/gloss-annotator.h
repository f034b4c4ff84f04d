/* gloss-annotator.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-annotation-editor.h"
#include "gloss-browser.h"
#include "gloss-library.h"
#include "gloss-reader-view.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_ANNOTATOR (gloss_annotator_get_type ())

/* The highlights of the clip a reader shows (DESIGN.md step 4). The page
 * script only converts between DOM ranges and code-point offsets and
 * paints; the annotations are made (quote and context from the article
 * text), anchored (FORMAT.md) and undone by a GlossAnnotationEditor, and
 * saved by the clip's GlossClipSaver (debounced, off the main thread).
 * Everything src/ui needs to know of the page goes through here.
 *
 * Signals:
 *   "painted": every stored annotation that anchors is painted, after the
 *     reader showed a clip.
 *   "changed": the clip's annotations changed (added, removed, colour,
 *     note, target), or, in live mode, which of them are on the page:
 *     lists showing them redo themselves.
 *   "highlighted" (GlossAnnotation *): a new highlight is saved and
 *     painted.
 *   "selection-released" (double x, y, width, height): the user released
 *     a selection made with the mouse, at that rectangle of the web view.
 *   "mark-activated" (const char *id, double x, y, width, height): the
 *     user clicked a highlight, or selected inside one.
 *   "note-requested" (const char *id): open the note editor of @id.
 *   "deleted" (GlossAnnotation *): offer to undo.
 *   "error" (const char *message): something a person should read.
 *   "clip-needed": live mode only: Highlight was asked on a page that is
 *     not clipped, or whose clip is not clipped yet (no article: clip the
 *     page into that clip); the selection is kept (its quote and context)
 *     until gloss_annotator_set_live_clip () gives the clip with its
 *     article, then stored and painted with the colour asked for
 *     ("highlighted", "note-requested" with open_note). A set_live_clip
 *     (NULL), a navigation or gloss_annotator_drop_live_highlight () drops
 *     it. */
G_DECLARE_FINAL_TYPE (GlossAnnotator, gloss_annotator, GLOSS, ANNOTATOR, GObject)

GlossAnnotator  *gloss_annotator_new               (GlossReaderView  *reader);
/* NULL in live mode. */
GlossReaderView *gloss_annotator_get_reader        (GlossAnnotator   *self);

/* An annotator for the live page @browser shows. Its clip's annotations are
 * anchored in the live page's text by FORMAT.md's rules (quote and context
 * first, positions only as a hint, then the approximate match in C) and
 * painted in Gloss's private script world; a new highlight is anchored in
 * the clip's article.txt by its quote and context and stored in the clip.
 * On each navigation the marks go with the page; when the new page has
 * loaded, the clip still set is anchored in it again: set the clip (or
 * NULL) as soon as the page's address says which clip it is. */
GlossAnnotator  *gloss_annotator_new_for_browser   (GlossBrowser     *browser);
gboolean         gloss_annotator_get_live          (GlossAnnotator   *self);
/* The clip the live page belongs to; NULL when the page is not clipped.
 * Setting it (re)anchors and paints; NULL removes every mark. */
void             gloss_annotator_set_live_clip     (GlossAnnotator   *self,
                                                    GlossClip        *clip);
/* The highlight kept for "clip-needed" is not wanted any more (the page
 * could not be clipped). */
void             gloss_annotator_drop_live_highlight (GlossAnnotator *self);
/* Whether a highlight is kept for "clip-needed", waiting for the clip. */
gboolean         gloss_annotator_get_live_highlight_waiting (GlossAnnotator *self);
/* FALSE when @id did not anchor in the page shown now ("Not on this
 * page"); TRUE until the page's text has been anchored. In the reader:
 * whether @id anchors in the article. */
gboolean         gloss_annotator_is_on_page        (GlossAnnotator   *self,
                                                    const char       *id);
void             gloss_annotator_set_library       (GlossAnnotator   *self,
                                                    GlossLibrary     *library);
/* The clip whose highlights are shown, once the reader has loaded it. */
GlossClip       *gloss_annotator_get_clip          (GlossAnnotator   *self);
gboolean         gloss_annotator_get_painted       (GlossAnnotator   *self);

/* Asks the page for its selection and highlights it; with @open_note,
 * "note-requested" follows. */
void             gloss_annotator_highlight_selection (GlossAnnotator *self,
                                                      GlossColor      color,
                                                      gboolean        open_note);
/* Highlights [start, end), code points into the reader's article text. */
GlossAnnotation *gloss_annotator_add               (GlossAnnotator   *self,
                                                    guint             start,
                                                    guint             end,
                                                    GlossColor        color,
                                                    GError          **error);
void             gloss_annotator_set_color         (GlossAnnotator   *self,
                                                    const char       *id,
                                                    GlossColor        color);
/* The note as typed: kept at once, written after a pause or on flush. */
void             gloss_annotator_edit_note         (GlossAnnotator   *self,
                                                    const char       *id,
                                                    const char       *note);
/* Writes what is pending now (closing the window, deleting the clip):
 * the page note and tags too, which share the clip's saver. */
void             gloss_annotator_flush             (GlossAnnotator   *self);
/* TRUE while a change is not yet on disk. */
gboolean         gloss_annotator_get_save_pending  (GlossAnnotator   *self);
GlossAnnotationEditor *gloss_annotator_get_editor  (GlossAnnotator   *self);
gboolean         gloss_annotator_delete            (GlossAnnotator   *self,
                                                    const char       *id);
/* Puts back a deleted annotation (the Undo of the "deleted" toast), even
 * after other changes. */
gboolean         gloss_annotator_restore           (GlossAnnotator   *self,
                                                    GlossAnnotation  *annotation);
gboolean         gloss_annotator_can_undo          (GlossAnnotator   *self);
gboolean         gloss_annotator_undo              (GlossAnnotator   *self);
/* Where @id is painted now, in code points of the reader's text; FALSE
 * for an orphan. */
gboolean         gloss_annotator_get_range         (GlossAnnotator   *self,
                                                    const char       *id,
                                                    guint            *start,
                                                    guint            *end);
void             gloss_annotator_scroll_to         (GlossAnnotator   *self,
                                                    const char       *id);
/* Selects [start, end), code points into the reader's article text, and
 * scrolls it into view: a search's match, ready for the keyboard. */
void             gloss_annotator_select_text       (GlossAnnotator   *self,
                                                    guint             start,
                                                    guint             end);
/* Scrolls to @id and asks for its note editor ("note-requested"). */
void             gloss_annotator_open_note         (GlossAnnotator   *self,
                                                    const char       *id);
/* Moves @id (an orphan, usually) to the current selection. */
void             gloss_annotator_reattach          (GlossAnnotator   *self,
                                                    const char       *id);
/* The quote and note as Markdown, for the clipboard. */
char            *gloss_annotator_dup_markdown      (GlossAnnotator   *self,
                                                    const char       *id);
/* The page-level note and tags changed: saved with the rest. */
void             gloss_annotator_save_clip         (GlossAnnotator   *self);

/* Where the marks of @id are, in the web view's pixels. */
void             gloss_annotator_get_mark_rect_async  (GlossAnnotator      *self,
                                                       const char          *id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean         gloss_annotator_get_mark_rect_finish (GlossAnnotator      *self,
                                                       GAsyncResult        *result,
                                                       double              *x,
                                                       double              *y,
                                                       double              *width,
                                                       double              *height,
                                                       GError             **error);
/* The text selected in the article ("" when nothing is). */
void             gloss_annotator_get_selected_text_async  (GlossAnnotator      *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
char            *gloss_annotator_get_selected_text_finish (GlossAnnotator      *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
