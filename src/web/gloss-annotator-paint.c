/* gloss-annotator-paint.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Painting the annotations the editor has placed: paint requests to the
 * page script (gloss-highlight.js), and the preload that paints a clip's
 * highlights with the page's first frame. Everything asked of the page
 * carries the annotator's cancellable, which is cancelled when the reader
 * moves to another clip: an answer about a page that is gone is dropped,
 * never taken for one about the page shown. */

#define G_LOG_DOMAIN "gloss-annotator"

#include "config.h"

#include "gloss-annotator-private.h"
#include "gloss-clip-anchor.h"
#include "gloss-id.h"
#include "gloss-web-context.h"

void
_gloss_annotator_run_script (GlossAnnotator      *self,
                             const char          *script,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  if (self->browser != NULL)
    {
      g_autofree char *full = _gloss_annotator_live_script (self, script);

      gloss_browser_run_script (self->browser, full, self->cancellable, callback, user_data);
      return;
    }

  gloss_reader_view_run_script (self->reader, script, self->cancellable, callback, user_data);
}

JSCValue *
_gloss_annotator_run_script_finish (GlossAnnotator  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  if (self->browser != NULL)
    return gloss_browser_run_script_finish (self->browser, result, error);

  return gloss_reader_view_run_script_finish (self->reader, result, error);
}

static void
add_highlight_json (JsonBuilder     *builder,
                    GlossAnnotation *annotation,
                    guint            start,
                    guint            end)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, gloss_annotation_get_id (annotation));
  json_builder_set_member_name (builder, "start");
  json_builder_add_int_value (builder, start);
  json_builder_set_member_name (builder, "end");
  json_builder_add_int_value (builder, end);
  json_builder_set_member_name (builder, "color");
  json_builder_add_string_value (builder, gloss_color_to_string (gloss_annotation_get_color (annotation)));
  json_builder_set_member_name (builder, "note");
  json_builder_add_boolean_value (builder, *gloss_annotation_get_note (annotation) != '\0');
  json_builder_end_object (builder);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The list of highlights to paint, as the page script takes it: every
 * annotation the editor placed (one, with @only_id), in the clip's order. */
char *
_gloss_annotator_placed_json (GlossAnnotator *self,
             const char     *only_id,
             gboolean        as_list)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GlossClip *clip = gloss_annotation_editor_get_clip (self->editor);

  if (as_list)
    json_builder_begin_array (builder);

  if (only_id != NULL)
    {
      GlossAnnotation *annotation = gloss_annotation_editor_lookup (self->editor, only_id);
      guint start, end;

      if (annotation == NULL || !gloss_annotation_editor_get_range (self->editor, only_id, &start, &end))
        return NULL;
      add_highlight_json (builder, annotation, start, end);
    }
  else if (clip != NULL)
    {
      GListModel *annotations = gloss_clip_get_annotations (clip);
      guint n = g_list_model_get_n_items (annotations);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (annotations, i);
          guint start, end;

          if (gloss_annotation_editor_get_range (self->editor, gloss_annotation_get_id (annotation), &start, &end))
            add_highlight_json (builder, annotation, start, end);
        }
    }

  if (as_list)
    json_builder_end_array (builder);

  return builder_to_string (builder);
}

static void
gloss_annotator_paint_all_done_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(GlossAnnotator) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;

  g_assert (GLOSS_IS_ANNOTATOR (self));

  value = _gloss_annotator_run_script_finish (self, result, &error);
  if (value == NULL)
    {
      /* Cancelled: the reader moved on, and paints its next clip. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not paint the highlights: %s", error->message);
      return;
    }

  _gloss_annotator_emit_painted (self);
}

void
_gloss_annotator_paint_all (GlossAnnotator *self)
{
  g_autofree char *json = NULL;
  g_autofree char *script = NULL;

  if (self->browser != NULL)
    {
      _gloss_annotator_live_paint_all (self);
      return;
    }

  json = _gloss_annotator_placed_json (self, NULL, TRUE);
  self->painted = FALSE;
  script = g_strdup_printf ("glossHighlight.unpaintAll (); glossHighlight.paint (%s)", json);
  _gloss_annotator_run_script (self, script, gloss_annotator_paint_all_done_cb, g_object_ref (self));
}

void
_gloss_annotator_paint_one (GlossAnnotator *self,
                            const char     *id)
{
  g_autofree char *json = _gloss_annotator_placed_json (self, id, FALSE);
  g_autofree char *script = NULL;

  if (json == NULL)
    return;

  script = g_strdup_printf ("glossHighlight.repaint (%s)", json);
  _gloss_annotator_run_script (self, script, NULL, NULL);
}

void
_gloss_annotator_unpaint (GlossAnnotator *self,
                          const char     *id)
{
  g_autofree char *script = NULL;

  /* Ids were checked against [0-9a-z-] when read: safe inside quotes. */
  g_assert (gloss_id_is_valid (id) || g_str_has_prefix (id, "pending-"));
  script = g_strdup_printf ("glossHighlight.unpaint ('%s')", id);
  _gloss_annotator_run_script (self, script, NULL, NULL);
}

void
_gloss_annotator_rename_marks (GlossAnnotator *self,
                               const char     *from,
                               const char     *to)
{
  g_autofree char *script = NULL;

  g_assert (gloss_id_is_valid (to));
  script = g_strdup_printf ("glossHighlight.rename ('%s', '%s')", from, to);
  _gloss_annotator_run_script (self, script, NULL, NULL);
}

/* The preload. */

void
_gloss_annotator_clear_preload (GlossAnnotator *self)
{
  if (self->preload_script != NULL)
    {
      webkit_user_content_manager_remove_script (gloss_reader_view_get_user_content_manager (self->reader),
                                                 self->preload_script);
      g_clear_pointer (&self->preload_script, webkit_user_script_unref);
    }
  g_clear_object (&self->preload_clip);
  g_clear_pointer (&self->preload_json, g_free);
  g_clear_pointer (&self->preload_token, g_free);
}

/* Before the reader loads @clip: anchor against article.txt and leave a
 * user script that paints as the page is built. */
void
_gloss_annotator_preload (GlossAnnotator *self,
                          GlossClip      *clip)
{
  static guint counter;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GArray) anchorings = NULL;
  g_autofree char *article = NULL;
  g_autofree char *source = NULL;

  _gloss_annotator_clear_preload (self);

  if (clip == NULL || gloss_clip_get_n_annotations (clip) == 0 ||
      !(article = gloss_clip_load_article_text (clip, NULL)))
    return;

  anchorings = gloss_clip_anchor_all (clip, article, NULL, GLOSS_CLIP_ANCHOR_SET_ORPHAN, NULL);
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < anchorings->len; i++)
    {
      const GlossAnchoring *a = &g_array_index (anchorings, GlossAnchoring, i);

      if (a->method != GLOSS_ANCHOR_ORPHAN)
        add_highlight_json (builder, a->annotation, a->start, a->end);
    }
  json_builder_end_array (builder);

  self->preload_json = builder_to_string (builder);
  self->preload_token = g_strdup_printf ("%s-%u", gloss_clip_get_id (clip), ++counter);
  self->preload_clip = g_object_ref (clip);

  /* The id is [0-9a-z-]; the page checks that it is this clip's page. */
  source = g_strdup_printf ("window.glossHighlight && glossHighlight.preload ('%s', '%s', %s);",
                            gloss_clip_get_id (clip), self->preload_token, self->preload_json);
  self->preload_script = webkit_user_script_new_for_world (source,
                                                           WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                                           WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_END,
                                                           GLOSS_SCRIPT_WORLD,
                                                           NULL, NULL);
  webkit_user_content_manager_add_script (gloss_reader_view_get_user_content_manager (self->reader),
                                          self->preload_script);
}

static void
gloss_annotator_preloaded_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GlossAnnotator) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;
  g_autofree char *token = NULL;

  g_assert (GLOSS_IS_ANNOTATOR (self));

  value = _gloss_annotator_run_script_finish (self, result, &error);
  if (value == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (value != NULL && jsc_value_is_string (value))
    token = jsc_value_to_string (value);

  if (token != NULL && g_strcmp0 (token, self->preload_token) == 0)
    {
      _gloss_annotator_emit_painted (self);
      return;
    }

  /* Not painted with this page (its script failed, or the page is not
   * the one it was made for): the ordinary way. */
  g_debug ("The preload did not paint (%s): painting now",
           error != NULL ? error->message : token != NULL ? token : "no answer");
  _gloss_annotator_paint_all (self);
}

void
_gloss_annotator_confirm_preload (GlossAnnotator *self)
{
  g_autofree char *json = _gloss_annotator_placed_json (self, NULL, TRUE);

  /* Changed between the preload and now (on disk, say): paint again. */
  if (self->preload_json == NULL || g_strcmp0 (json, self->preload_json) != 0)
    {
      _gloss_annotator_paint_all (self);
      return;
    }

  /* The page's user scripts ran, in order, before it said it was loaded:
   * its answer says whether the preload painted. */
  _gloss_annotator_run_script (self, "glossHighlight.preloaded ()",
                               gloss_annotator_preloaded_cb, g_object_ref (self));
}
