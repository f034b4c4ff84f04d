/* gloss-annotator-page.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The annotator's conversation with the page: its messages (untrusted:
 * every member is checked), the selection turned into a highlight, and
 * the questions src/ui asks about the page (where a mark is, what is
 * selected) as async calls, so that no page script runs outside src/web. */

#define G_LOG_DOMAIN "gloss-annotator"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gloss-annotator-private.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-web-context.h"

/* Page messages are untrusted: a number must be a finite integer that
 * fits. */
gboolean
_gloss_annotator_message_get_uint (JSCValue   *message,
                                   const char *member,
                                   guint      *out)
{
  g_autoptr(JSCValue) value = NULL;
  double number;

  if (!jsc_value_is_object (message) || !jsc_value_object_has_property (message, member))
    return FALSE;

  value = jsc_value_object_get_property (message, member);
  if (!jsc_value_is_number (value))
    return FALSE;

  number = jsc_value_to_double (value);
  if (!isfinite (number) || number < 0 || number > G_MAXINT32 || number != floor (number))
    return FALSE;

  *out = (guint)number;
  return TRUE;
}

/* A rectangle of the page ({x, y, width, height} in CSS pixels) in the
 * web view's pixels. */
static gboolean
value_get_rect (GlossAnnotator *self,
                JSCValue       *value,
                double          rect[4])
{
  static const char *names[] = { "x", "y", "width", "height" };
  double zoom;

  if (value == NULL || !jsc_value_is_object (value))
    return FALSE;

  zoom = webkit_web_view_get_zoom_level (_gloss_annotator_get_web_view (self));
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(JSCValue) member = NULL;

      if (!jsc_value_object_has_property (value, names[i]))
        return FALSE;
      member = jsc_value_object_get_property (value, names[i]);
      if (!jsc_value_is_number (member))
        return FALSE;
      rect[i] = jsc_value_to_double (member);
      if (!isfinite (rect[i]) || fabs (rect[i]) > 1e6)
        return FALSE;
      rect[i] *= zoom;
    }

  return TRUE;
}

gboolean
_gloss_annotator_message_get_rect (GlossAnnotator *self,
                                   JSCValue       *message,
                                   double          rect[4])
{
  g_autoptr(JSCValue) value = NULL;

  if (!jsc_value_is_object (message) || !jsc_value_object_has_property (message, "rect"))
    return FALSE;

  value = jsc_value_object_get_property (message, "rect");
  return value_get_rect (self, value, rect);
}

static gboolean
selection_from_value (JSCValue *value,
                      guint    *start,
                      guint    *end)
{
  return value != NULL && jsc_value_is_object (value) &&
         _gloss_annotator_message_get_uint (value, "start", start) &&
         _gloss_annotator_message_get_uint (value, "end", end) &&
         *start < *end;
}

/* The selection made into a highlight. */

typedef struct
{
  GlossAnnotator *self;
  GlossClip      *clip;
  GlossColor      color;
  gboolean        open_note;
  char           *reattach_id;
  char           *pending_id;   /* the marks the page painted at once */
} SelectionData;

static void
selection_data_free (SelectionData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->clip);
  g_free (data->reattach_id);
  g_free (data->pending_id);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SelectionData, selection_data_free)

typedef struct
{
  GlossAnnotator  *self;
  GlossAnnotation *annotation;
  gboolean         open_note;
} HighlightedData;

static void
gloss_annotator_highlight_painted_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  HighlightedData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;

  g_assert (GLOSS_IS_ANNOTATOR (data->self));

  value = _gloss_annotator_run_script_finish (data->self, result, &error);
  if (value != NULL)
    _gloss_annotator_emit_highlighted (data->self, data->annotation, data->open_note);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not paint the new highlight: %s", error->message);

  g_object_unref (data->self);
  g_object_unref (data->annotation);
  g_free (data);
}

static void
add_highlight (GlossAnnotator *self,
               SelectionData  *data,
               guint           start,
               guint           end,
               const char     *pending)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossAnnotation) annotation = NULL;
  const char *id;

  annotation = gloss_annotation_editor_add (self->editor, start, end, data->color, &error);
  if (annotation == NULL)
    {
      if (pending != NULL)
        _gloss_annotator_unpaint (self, pending);
      _gloss_annotator_report_error (self, error->message);
      return;
    }

  id = gloss_annotation_get_id (annotation);
  if (pending != NULL)
    {
      /* Painted already: give the marks their id. Scripts run in order,
       * so whatever follows sees the real id. */
      _gloss_annotator_rename_marks (self, pending, id);
      _gloss_annotator_emit_highlighted (self, annotation, data->open_note);
    }
  else
    {
      HighlightedData *painted = g_new0 (HighlightedData, 1);
      g_autofree char *script = NULL;
      guint s, e;

      gloss_annotation_editor_get_range (self->editor, id, &s, &e);
      /* A new highlight replaces the selection it was made from. */
      script = g_strdup_printf ("glossHighlight.repaint ({ id: '%s', start: %u, end: %u, color: '%s', note: false });"
                                "glossHighlight.caretAtEnd ('%s')",
                                id, s, e, gloss_color_to_string (data->color), id);
      painted->self = g_object_ref (self);
      painted->annotation = g_object_ref (annotation);
      painted->open_note = data->open_note;
      _gloss_annotator_run_script (self, script, gloss_annotator_highlight_painted_cb, painted);
    }
}

static void
gloss_annotator_selection_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(SelectionData) data = user_data;
  GlossAnnotator *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;
  g_autofree char *pending = NULL;
  const char *inside;
  double rect[4];
  guint start, end;

  g_assert (GLOSS_IS_ANNOTATOR (self));

  value = _gloss_annotator_run_script_finish (self, result, &error);
  /* Only when it is logged: turning the answer into JSON for nothing
   * cost every highlight a round through JavaScriptCore. */
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      g_autofree char *json = value != NULL ? jsc_value_to_json (value, 0) : NULL;

      g_debug ("Selection %s: %s", data->pending_id ? data->pending_id : data->reattach_id,
               value == NULL ? error->message : json != NULL ? json : "(not JSON)");
    }
  /* Cancelled: the reader moved to another clip meanwhile. */
  if (value == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (data->clip != gloss_annotation_editor_get_clip (self->editor))
    {
      g_debug ("Selection %s: for a clip no longer shown", data->pending_id);
      return;
    }

  /* What the page painted at once; taken back below unless it becomes a
   * highlight. */
  if (value != NULL && jsc_value_is_object (value))
    {
      pending = gloss_web_message_dup_string (value, "pending");
      if (g_strcmp0 (pending, data->pending_id) != 0)
        g_clear_pointer (&pending, g_free);
    }

  /* A caret inside a highlight (keyboard users) offers that highlight. */
  if (data->reattach_id == NULL && value != NULL && jsc_value_is_object (value))
    {
      g_autofree char *mark = gloss_web_message_dup_string (value, "mark");

      if (mark != NULL && gloss_annotation_editor_lookup (self->editor, mark) != NULL)
        {
          if (data->open_note)
            _gloss_annotator_emit_note_requested (self, mark);
          else if (_gloss_annotator_message_get_rect (self, value, rect))
            _gloss_annotator_emit_mark_activated (self, mark, rect);
          return;
        }
    }

  if (!selection_from_value (value, &start, &end))
    {
      if (value == NULL)
        g_debug ("No selection from the page: %s", error->message);
      _gloss_annotator_report_error (self, _("Select some text of the article first"));
      return;
    }

  if (data->reattach_id != NULL)
    {
      if (!gloss_annotation_editor_move (self->editor, data->reattach_id, start, end, &error))
        _gloss_annotator_report_error (self, error->message);
      return;
    }

  /* A selection inside a highlight offers that highlight, not a new one. */
  inside = gloss_annotation_editor_find_enclosing (self->editor, start, end);
  if (inside != NULL)
    {
      g_autofree char *id = g_strdup (inside);

      if (pending != NULL)
        _gloss_annotator_unpaint (self, pending);
      if (data->open_note)
        _gloss_annotator_emit_note_requested (self, id);
      else if (_gloss_annotator_message_get_rect (self, value, rect))
        _gloss_annotator_emit_mark_activated (self, id, rect);
      return;
    }

  add_highlight (self, data, start, end, pending);
}

void
_gloss_annotator_ask_selection (GlossAnnotator *self,
                                GlossColor      color,
                                gboolean        open_note,
                                const char     *reattach_id)
{
  static guint counter;
  GlossClip *clip = gloss_annotation_editor_get_clip (self->editor);
  SelectionData *data;
  g_autofree char *script = NULL;

  if (clip == NULL)
    return;

  data = g_new0 (SelectionData, 1);
  data->self = g_object_ref (self);
  data->clip = g_object_ref (clip);
  data->color = color;
  data->open_note = open_note;
  data->reattach_id = g_strdup (reattach_id);

  if (reattach_id != NULL)
    {
      _gloss_annotator_run_script (self, "glossHighlight.selection ()", gloss_annotator_selection_cb, data);
      return;
    }

  data->pending_id = g_strdup_printf ("pending-%u", ++counter);
  g_debug ("Asking the page for its selection (%s)", data->pending_id);
  script = g_strdup_printf ("glossHighlight.highlightSelection ('%s', '%s')",
                            data->pending_id, gloss_color_to_string (color));
  _gloss_annotator_run_script (self, script, gloss_annotator_selection_cb, data);
}

/* Page messages. */

void
_gloss_annotator_message_cb (GlossAnnotator  *self,
                             JSCValue        *message,
                             GlossReaderView *reader)
{
  g_assert (GLOSS_IS_ANNOTATOR (self));
  g_assert (GLOSS_IS_READER_VIEW (reader));

  _gloss_annotator_handle_message (self, message);
}

void
_gloss_annotator_handle_message (GlossAnnotator *self,
                                 JSCValue       *message)
{
  g_autofree char *type = gloss_web_message_dup_string (message, "type");
  double rect[4];

  if (type == NULL || gloss_annotation_editor_get_clip (self->editor) == NULL)
    return;

  if (g_str_equal (type, "selection"))
    {
      g_autofree char *how = gloss_web_message_dup_string (message, "how");
      const char *id;
      guint start, end;

      if (!selection_from_value (message, &start, &end) ||
          !_gloss_annotator_message_get_rect (self, message, rect))
        return;

      /* Only a mouse selection pops up anything: one being extended with
       * the keyboard keeps the focus in the page (Ctrl+H acts on it). */
      if (g_strcmp0 (how, "mouse") != 0)
        return;

      id = gloss_annotation_editor_find_enclosing (self->editor, start, end);
      if (id != NULL)
        _gloss_annotator_emit_mark_activated (self, id, rect);
      else
        _gloss_annotator_emit_selection_released (self, rect);
    }
  else if (g_str_equal (type, "mark-clicked"))
    {
      g_autofree char *id = gloss_web_message_dup_string (message, "id");

      if (gloss_annotation_editor_lookup (self->editor, id) == NULL ||
          !_gloss_annotator_message_get_rect (self, message, rect))
        return;

      _gloss_annotator_emit_mark_activated (self, id, rect);
    }
}

/* What src/ui asks of the page. */

static void
gloss_annotator_rect_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GlossAnnotator *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;
  double rect[4];

  g_assert (GLOSS_IS_ANNOTATOR (self));

  value = _gloss_annotator_run_script_finish (self, result, &error);
  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!value_get_rect (self, value, rect))
    g_task_return_new_error (task, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND, _("The highlight is not shown"));
  else
    g_task_return_pointer (task, g_memdup2 (rect, sizeof rect), g_free);
}

void
gloss_annotator_get_mark_rect_async (GlossAnnotator      *self,
                                     const char          *id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *script = NULL;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_annotator_get_mark_rect_async);

  if (gloss_annotation_editor_lookup (self->editor, id) == NULL)
    {
      g_task_return_new_error (task, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND, _("The highlight is not shown"));
      return;
    }

  /* Ids were checked against [0-9a-z-] when read: safe inside quotes. */
  script = g_strdup_printf ("glossHighlight.rectOf ('%s')", id);
  _gloss_annotator_run_script (self, script, gloss_annotator_rect_cb, g_steal_pointer (&task));
}

gboolean
gloss_annotator_get_mark_rect_finish (GlossAnnotator  *self,
                                      GAsyncResult    *result,
                                      double          *x,
                                      double          *y,
                                      double          *width,
                                      double          *height,
                                      GError         **error)
{
  g_autofree double *rect = NULL;

  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  rect = g_task_propagate_pointer (G_TASK (result), error);
  if (rect == NULL)
    return FALSE;

  if (x) *x = rect[0];
  if (y) *y = rect[1];
  if (width) *width = rect[2];
  if (height) *height = rect[3];
  return TRUE;
}

static void
gloss_annotator_selected_text_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GlossAnnotator *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;

  g_assert (GLOSS_IS_ANNOTATOR (self));

  value = _gloss_annotator_run_script_finish (self, result, &error);
  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!jsc_value_is_string (value))
    g_task_return_new_error (task, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND, _("Nothing is selected"));
  else
    g_task_return_pointer (task, jsc_value_to_string (value), g_free);
}

void
gloss_annotator_get_selected_text_async (GlossAnnotator      *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_annotator_get_selected_text_async);
  _gloss_annotator_run_script (self, "(glossHighlight.selection () || { exact: '' }).exact",
                               gloss_annotator_selected_text_cb, task);
}

char *
gloss_annotator_get_selected_text_finish (GlossAnnotator  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
