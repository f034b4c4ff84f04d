/* gloss-annotator.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Highlights in the reader: the object, following the clip the reader
 * shows, and the public calls, which hand editing to the display-free
 * GlossAnnotationEditor (targets, checks, undo; saving through the clip's
 * GlossClipSaver). Siblings: gloss-annotator-paint.c paints and preloads,
 * gloss-annotator-page.c talks with the page (messages, selection, mark
 * rectangles). */

#define G_LOG_DOMAIN "gloss-annotator"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-annotator-private.h"
#include "gloss-web-context.h"

G_DEFINE_FINAL_TYPE (GlossAnnotator, gloss_annotator, G_TYPE_OBJECT)

enum {
  PAINTED,
  CHANGED,
  HIGHLIGHTED,
  SELECTION_RELEASED,
  MARK_ACTIVATED,
  NOTE_REQUESTED,
  DELETED,
  ERROR,
  CLIP_NEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_gloss_annotator_emit_painted (GlossAnnotator *self)
{
  self->painted = TRUE;
  g_signal_emit (self, signals[PAINTED], 0);
}

void
_gloss_annotator_emit_highlighted (GlossAnnotator  *self,
                                   GlossAnnotation *annotation,
                                   gboolean         open_note)
{
  g_signal_emit (self, signals[HIGHLIGHTED], 0, annotation);
  if (open_note)
    g_signal_emit (self, signals[NOTE_REQUESTED], 0, gloss_annotation_get_id (annotation));
}

void
_gloss_annotator_emit_mark_activated (GlossAnnotator *self,
                                      const char     *id,
                                      const double    rect[4])
{
  g_signal_emit (self, signals[MARK_ACTIVATED], 0, id, rect[0], rect[1], rect[2], rect[3]);
}

void
_gloss_annotator_emit_selection_released (GlossAnnotator *self,
                                          const double    rect[4])
{
  g_signal_emit (self, signals[SELECTION_RELEASED], 0, rect[0], rect[1], rect[2], rect[3]);
}

void
_gloss_annotator_emit_note_requested (GlossAnnotator *self,
                                      const char     *id)
{
  g_signal_emit (self, signals[NOTE_REQUESTED], 0, id);
}

void
_gloss_annotator_emit_changed (GlossAnnotator *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
_gloss_annotator_emit_clip_needed (GlossAnnotator *self)
{
  g_signal_emit (self, signals[CLIP_NEEDED], 0);
}

void
_gloss_annotator_report_error (GlossAnnotator *self,
                               const char     *message)
{
  g_debug ("Error shown: %s", message);
  g_signal_emit (self, signals[ERROR], 0, message);
}

/* The editor's signals, as the annotator's. */

static void
gloss_annotator_editor_changed_cb (GlossAnnotator        *self,
                                   GlossAnnotationEditor *editor)
{
  g_assert (GLOSS_IS_ANNOTATOR (self));

  g_signal_emit (self, signals[CHANGED], 0);
}

static void
gloss_annotator_editor_repaint_cb (GlossAnnotator        *self,
                                   const char            *id,
                                   GlossAnnotationEditor *editor)
{
  g_assert (GLOSS_IS_ANNOTATOR (self));

  if (gloss_annotation_editor_get_range (editor, id, NULL, NULL))
    _gloss_annotator_paint_one (self, id);
  else
    _gloss_annotator_unpaint (self, id);
}

static void
gloss_annotator_editor_reanchored_cb (GlossAnnotator        *self,
                                      GlossAnnotationEditor *editor)
{
  g_assert (GLOSS_IS_ANNOTATOR (self));

  /* On the live page, the clip's article may be new too (Update Clip). */
  if (self->browser != NULL)
    _gloss_annotator_live_reload_article (self);

  _gloss_annotator_paint_all (self);
}

static void
gloss_annotator_editor_deleted_cb (GlossAnnotator        *self,
                                   GlossAnnotation       *annotation,
                                   GlossAnnotationEditor *editor)
{
  g_assert (GLOSS_IS_ANNOTATOR (self));

  g_signal_emit (self, signals[DELETED], 0, annotation);
}

static void
gloss_annotator_editor_error_cb (GlossAnnotator        *self,
                                 const char            *message,
                                 GlossAnnotationEditor *editor)
{
  g_assert (GLOSS_IS_ANNOTATOR (self));

  _gloss_annotator_report_error (self, message);
}

/* Following the reader. */

/* Whatever was asked of the page for the clip that goes is dropped. */
static void
reset_cancellable (GlossAnnotator *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

/* Before the reader loads @clip: the previous one's changes are written,
 * and the new one's highlights are prepared to paint with the page. */
static void
gloss_annotator_reader_clip_cb (GlossAnnotator  *self,
                                GParamSpec      *pspec,
                                GlossReaderView *reader)
{
  g_assert (GLOSS_IS_ANNOTATOR (self));
  g_assert (GLOSS_IS_READER_VIEW (reader));

  /* Nothing acts on the clip that goes until the new one has loaded. */
  gloss_annotation_editor_set_clip (self->editor, NULL, NULL, NULL);
  reset_cancellable (self);
  self->painted = FALSE;
  _gloss_annotator_preload (self, gloss_reader_view_get_clip (reader));
}

static void
gloss_annotator_article_loaded_cb (GlossAnnotator  *self,
                                   gboolean         text_changed,
                                   GlossReaderView *reader)
{
  const char *text = gloss_reader_view_get_article_text (reader);
  GlossClip *clip = gloss_reader_view_get_clip (reader);
  g_autofree char *saved = NULL;

  g_assert (GLOSS_IS_ANNOTATOR (self));
  g_assert (GLOSS_IS_READER_VIEW (reader));

  self->painted = FALSE;

  if (clip == NULL || text == NULL)
    {
      gloss_annotation_editor_set_clip (self->editor, NULL, NULL, NULL);
      return;
    }

  /* Stored positions count into article.txt (FORMAT.md), the page's into
   * what the reader shows: keep article.txt to map new highlights to. */
  if (text_changed)
    saved = gloss_clip_load_article_text (clip, NULL);

  /* When the reader's text is not article.txt, what the user sees and
   * selects is the reader's text: anchor against that, by quote first
   * (the stored positions then fail their check). */
  gloss_annotation_editor_set_clip (self->editor, clip, text, saved);
  g_signal_emit (self, signals[CHANGED], 0);

  /* Painted already with the page, when that was done against this very
   * text and nothing changed since; the page confirms it. */
  if (!text_changed && self->preload_clip == clip)
    _gloss_annotator_confirm_preload (self);
  else
    _gloss_annotator_paint_all (self);
}

/* The public calls. */

GlossAnnotation *
gloss_annotator_add (GlossAnnotator  *self,
                     guint            start,
                     guint            end,
                     GlossColor       color,
                     GError         **error)
{
  GlossAnnotation *annotation;

  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), NULL);

  annotation = gloss_annotation_editor_add (self->editor, start, end, color, error);
  if (annotation != NULL)
    _gloss_annotator_paint_one (self, gloss_annotation_get_id (annotation));

  return annotation;
}

void
gloss_annotator_highlight_selection (GlossAnnotator *self,
                                     GlossColor      color,
                                     gboolean        open_note)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));
  g_return_if_fail ((guint)color < GLOSS_N_COLORS);

  /* A live page with no clip yet, or one not clipped yet (an imported
   * item: no article to store it against), or whose text is not
   * anchored yet: the selection is kept by its quote until it is. */
  if (self->browser != NULL && (_gloss_annotator_live_needs_clip (self) || !self->live_anchored))
    {
      _gloss_annotator_live_capture (self, color, open_note);
      return;
    }

  _gloss_annotator_ask_selection (self, color, open_note, NULL);
}

void
gloss_annotator_reattach (GlossAnnotator *self,
                          const char     *id)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  if (gloss_annotation_editor_lookup (self->editor, id) != NULL &&
      gloss_annotation_editor_check_writable (self->editor))
    _gloss_annotator_ask_selection (self, GLOSS_COLOR_YELLOW, FALSE, id);
}

void
gloss_annotator_set_color (GlossAnnotator *self,
                           const char     *id,
                           GlossColor      color)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  gloss_annotation_editor_set_color (self->editor, id, color);
}

void
gloss_annotator_edit_note (GlossAnnotator *self,
                           const char     *id,
                           const char     *note)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  gloss_annotation_editor_edit_note (self->editor, id, note);
}

void
gloss_annotator_flush (GlossAnnotator *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  /* The saver has reported a failure already ("error"). */
  if (!gloss_annotation_editor_flush (self->editor, &error))
    g_debug ("Flush: %s", error->message);
}

gboolean
gloss_annotator_delete (GlossAnnotator *self,
                        const char     *id)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return gloss_annotation_editor_delete (self->editor, id);
}

gboolean
gloss_annotator_restore (GlossAnnotator  *self,
                         GlossAnnotation *annotation)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return gloss_annotation_editor_restore (self->editor, annotation);
}

gboolean
gloss_annotator_can_undo (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return gloss_annotation_editor_can_undo (self->editor);
}

gboolean
gloss_annotator_undo (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return gloss_annotation_editor_undo (self->editor);
}

gboolean
gloss_annotator_get_range (GlossAnnotator *self,
                           const char     *id,
                           guint          *start,
                           guint          *end)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return gloss_annotation_editor_get_range (self->editor, id, start, end);
}

void
gloss_annotator_scroll_to (GlossAnnotator *self,
                           const char     *id)
{
  g_autofree char *script = NULL;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  if (gloss_annotation_editor_lookup (self->editor, id) == NULL)
    return;

  /* Ids were checked against [0-9a-z-] when read: safe inside quotes. */
  script = g_strdup_printf ("glossHighlight.scrollTo ('%s', true)", id);
  _gloss_annotator_run_script (self, script, NULL, NULL);
}

void
gloss_annotator_select_text (GlossAnnotator *self,
                             guint           start,
                             guint           end)
{
  g_autofree char *script = NULL;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));
  g_return_if_fail (start <= end);

  script = g_strdup_printf ("glossHighlight.select (%u, %u, true)", start, end);
  _gloss_annotator_run_script (self, script, NULL, NULL);
}

void
gloss_annotator_open_note (GlossAnnotator *self,
                           const char     *id)
{
  g_autofree char *script = NULL;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  if (gloss_annotation_editor_lookup (self->editor, id) == NULL ||
      !gloss_annotation_editor_get_range (self->editor, id, NULL, NULL))
    return;

  /* At once, so that the popover points at where the mark ends up. */
  script = g_strdup_printf ("glossHighlight.scrollTo ('%s', false, true)", id);
  _gloss_annotator_run_script (self, script, NULL, NULL);
  g_signal_emit (self, signals[NOTE_REQUESTED], 0, id);
}

char *
gloss_annotator_dup_markdown (GlossAnnotator *self,
                              const char     *id)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), NULL);

  return gloss_annotation_editor_dup_markdown (self->editor, id);
}

void
gloss_annotator_save_clip (GlossAnnotator *self)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  gloss_annotation_editor_clip_changed (self->editor);
}

gboolean
gloss_annotator_get_save_pending (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return gloss_annotation_editor_get_save_pending (self->editor);
}

GlossAnnotationEditor *
gloss_annotator_get_editor (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), NULL);

  return self->editor;
}

/* The object. */

static void
gloss_annotator_dispose (GObject *object)
{
  GlossAnnotator *self = (GlossAnnotator *)object;

  /* Nothing typed is lost. */
  if (self->editor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->editor, self);
      gloss_annotation_editor_set_clip (self->editor, NULL, NULL, NULL);
    }

  g_cancellable_cancel (self->cancellable);
  _gloss_annotator_live_dispose (self);
  if (self->reader != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->reader, self);
      _gloss_annotator_clear_preload (self);
    }

  g_clear_object (&self->editor);
  g_clear_object (&self->reader);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gloss_annotator_parent_class)->dispose (object);
}

static void
gloss_annotator_class_init (GlossAnnotatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_annotator_dispose;

  signals[PAINTED] =
    g_signal_new ("painted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[HIGHLIGHTED] =
    g_signal_new ("highlighted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GLOSS_TYPE_ANNOTATION);
  signals[SELECTION_RELEASED] =
    g_signal_new ("selection-released", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[MARK_ACTIVATED] =
    g_signal_new ("mark-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5, G_TYPE_STRING,
                  G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[NOTE_REQUESTED] =
    g_signal_new ("note-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[DELETED] =
    g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GLOSS_TYPE_ANNOTATION);
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CLIP_NEEDED] =
    g_signal_new ("clip-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gloss_annotator_init (GlossAnnotator *self)
{
  self->cancellable = g_cancellable_new ();
  self->editor = gloss_annotation_editor_new ();

  g_signal_connect_object (self->editor, "changed",
                           G_CALLBACK (gloss_annotator_editor_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "repaint",
                           G_CALLBACK (gloss_annotator_editor_repaint_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "reanchored",
                           G_CALLBACK (gloss_annotator_editor_reanchored_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "deleted",
                           G_CALLBACK (gloss_annotator_editor_deleted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "error",
                           G_CALLBACK (gloss_annotator_editor_error_cb), self, G_CONNECT_SWAPPED);
}

/* Adds style sheet @name of the reader's resources at the user level,
 * which the page's own CSS cannot override. */
void
_gloss_annotator_add_style_sheet (WebKitUserContentManager *manager,
                                  const char               *name)
{
  g_autoptr(WebKitUserStyleSheet) style = NULL;
  g_autoptr(GBytes) css = NULL;
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX "/reader/", name, NULL);

  css = g_resources_lookup_data (path, 0, NULL);
  g_assert (css != NULL);
  style = webkit_user_style_sheet_new (g_bytes_get_data (css, NULL),
                                       WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                       WEBKIT_USER_STYLE_LEVEL_USER,
                                       NULL, NULL);
  webkit_user_content_manager_add_style_sheet (manager, style);
}

GlossAnnotator *
gloss_annotator_new (GlossReaderView *reader)
{
  GlossAnnotator *self;
  WebKitUserContentManager *manager;
  g_autoptr(WebKitUserScript) script = NULL;

  g_return_val_if_fail (GLOSS_IS_READER_VIEW (reader), NULL);

  self = g_object_new (GLOSS_TYPE_ANNOTATOR, NULL);
  self->reader = g_object_ref (reader);

  manager = gloss_reader_view_get_user_content_manager (reader);
  script = gloss_web_user_script_new (WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_END,
                                      "gloss-text.js",
                                      "gloss-paint.js",
                                      "gloss-highlight.js",
                                      NULL);
  webkit_user_content_manager_add_script (manager, script);

  /* User style sheets: the reader's CSP does not apply to them. The
   * reader's own (its dark colours) come second, to win over the others. */
  _gloss_annotator_add_style_sheet (manager, "highlight.css");
  _gloss_annotator_add_style_sheet (manager, "highlight-reader.css");

  g_signal_connect_object (reader, "notify::clip",
                           G_CALLBACK (gloss_annotator_reader_clip_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (reader, "article-loaded",
                           G_CALLBACK (gloss_annotator_article_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (reader, "message",
                           G_CALLBACK (_gloss_annotator_message_cb), self, G_CONNECT_SWAPPED);

  return self;
}

GlossReaderView *
gloss_annotator_get_reader (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), NULL);

  return self->reader;
}

void
gloss_annotator_set_library (GlossAnnotator *self,
                             GlossLibrary   *library)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));
  g_return_if_fail (library == NULL || GLOSS_IS_LIBRARY (library));

  gloss_annotation_editor_set_library (self->editor, library);
}

GlossClip *
gloss_annotator_get_clip (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), NULL);

  if (self->browser != NULL)
    return self->live_clip;

  return gloss_annotation_editor_get_clip (self->editor);
}

gboolean
gloss_annotator_get_painted (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return self->painted;
}
