/* gloss-annotator.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Highlights in the reader: page messages in, annotations and clip.json
 * out, paint requests back to the page (gloss-highlight.js). */

#define G_LOG_DOMAIN "gloss-annotator"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gloss-anchor.h"
#include "gloss-annotator.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-web-context.h"

/* A pause in typing this long writes the note. */
#define NOTE_SAVE_DELAY_MS 500
#define MAX_UNDO 100

typedef struct
{
  char            *id;
  GlossAnnotation *before;  /* NULL: the change added @id */
} UndoEntry;

typedef struct
{
  guint start;
  guint end;
} Range;

struct _GlossAnnotator
{
  GObject          parent_instance;

  GlossReaderView *reader;
  GlossLibrary    *library;
  GlossClip       *clip;       /* the clip loaded in the reader */
  GlossText       *text;       /* the reader's article text */
  GlossText       *saved_text; /* article.txt, only when it differs from text */
  GHashTable      *ranges;     /* id → Range, where each is painted */
  GQueue           undo;       /* of UndoEntry, newest first */
  GCancellable    *cancellable;

  char            *note_id;    /* a note typed and not yet written */
  guint            note_source;

  /* Painting with the page's first frame: before the reader loads a
   * clip, its annotations are anchored against article.txt and a user
   * script paints them as the page is built. Valid when the reader's
   * text turns out to be article.txt and nothing changed meanwhile. */
  WebKitUserScript *preload_script;
  GlossClip        *preload_clip;
  guint             preload_generation;
  guint             generation;  /* bumped by every change */

  guint            painted : 1;
  guint            saving : 1;
  guint            preload_done : 1;    /* its "painted" message came */
  guint            awaiting_preload : 1;
};

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
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
undo_entry_free (UndoEntry *entry)
{
  g_free (entry->id);
  g_clear_object (&entry->before);
  g_free (entry);
}

static void
push_undo (GlossAnnotator  *self,
           const char      *id,
           GlossAnnotation *before)
{
  UndoEntry *entry = g_new0 (UndoEntry, 1);

  entry->id = g_strdup (id);
  entry->before = before ? gloss_annotation_copy (before) : NULL;
  g_queue_push_head (&self->undo, entry);

  while (g_queue_get_length (&self->undo) > MAX_UNDO)
    undo_entry_free (g_queue_pop_tail (&self->undo));
}

static void
clear_undo (GlossAnnotator *self)
{
  g_queue_clear_full (&self->undo, (GDestroyNotify)undo_entry_free);
}

static void
report_error (GlossAnnotator *self,
              const char     *message)
{
  g_signal_emit (self, signals[ERROR], 0, message);
}

/* Page messages are untrusted: a number must be a finite integer that
 * fits. */
static gboolean
message_get_uint (JSCValue   *message,
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

static gboolean
message_get_rect (GlossAnnotator *self,
                  JSCValue       *message,
                  double          rect[4])
{
  static const char *names[] = { "x", "y", "width", "height" };
  g_autoptr(JSCValue) value = NULL;
  double zoom;

  if (!jsc_value_is_object (message) || !jsc_value_object_has_property (message, "rect"))
    return FALSE;

  value = jsc_value_object_get_property (message, "rect");
  if (!jsc_value_is_object (value))
    return FALSE;

  zoom = webkit_web_view_get_zoom_level (gloss_reader_view_get_web_view (self->reader));
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

/* Painting. */

static void
add_highlight_json (JsonBuilder     *builder,
                    GlossAnnotation *annotation,
                    const Range     *range)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, gloss_annotation_get_id (annotation));
  json_builder_set_member_name (builder, "start");
  json_builder_add_int_value (builder, range->start);
  json_builder_set_member_name (builder, "end");
  json_builder_add_int_value (builder, range->end);
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

typedef struct
{
  GlossAnnotator  *self;
  GlossAnnotation *annotation;  /* for "highlighted", else NULL */
  GlossClip       *clip;
  gboolean         all;
  gboolean         open_note;
} PaintData;

static void
paint_data_free (PaintData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->annotation);
  g_clear_object (&data->clip);
  g_free (data);
}

static void
paint_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PaintData *data = user_data;
  GlossAnnotator *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = gloss_reader_view_run_script_finish (GLOSS_READER_VIEW (object), result, &error);

  if (value == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not paint the highlights: %s", error->message);
    }
  else if (data->clip == self->clip)
    {
      if (data->all)
        {
          self->painted = TRUE;
          g_signal_emit (self, signals[PAINTED], 0);
        }
      if (data->annotation != NULL)
        {
          g_signal_emit (self, signals[HIGHLIGHTED], 0, data->annotation);
          if (data->open_note)
            g_signal_emit (self, signals[NOTE_REQUESTED], 0, gloss_annotation_get_id (data->annotation));
        }
    }

  paint_data_free (data);
}

static void
run_paint (GlossAnnotator  *self,
           const char      *script,
           gboolean         all,
           GlossAnnotation *annotation,
           gboolean         open_note)
{
  PaintData *data = g_new0 (PaintData, 1);

  data->self = g_object_ref (self);
  data->clip = self->clip ? g_object_ref (self->clip) : NULL;
  data->annotation = annotation ? g_object_ref (annotation) : NULL;
  data->all = all;
  data->open_note = open_note;

  gloss_reader_view_run_script (self->reader, script, self->cancellable, paint_done_cb, data);
}

static void
paint_one (GlossAnnotator  *self,
           GlossAnnotation *annotation,
           gboolean         highlighted,
           gboolean         open_note)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *json = NULL;
  g_autofree char *script = NULL;
  Range *range = g_hash_table_lookup (self->ranges, gloss_annotation_get_id (annotation));

  if (range == NULL)
    return;

  add_highlight_json (builder, annotation, range);
  json = builder_to_string (builder);
  /* A new highlight replaces the selection it was made from. */
  if (highlighted)
    script = g_strdup_printf ("glossHighlight.repaint (%s); glossHighlight.caretAtEnd ('%s')",
                              json, gloss_annotation_get_id (annotation));
  else
    script = g_strdup_printf ("glossHighlight.repaint (%s)", json);
  run_paint (self, script, FALSE, highlighted ? annotation : NULL, open_note);
}

static void
unpaint (GlossAnnotator *self,
         const char     *id)
{
  g_autofree char *script = NULL;

  /* Ids were checked against [0-9a-z-] when read: safe inside quotes. */
  g_assert (gloss_id_is_valid (id));
  script = g_strdup_printf ("glossHighlight.unpaint ('%s')", id);
  gloss_reader_view_run_script (self->reader, script, self->cancellable, NULL, NULL);
}

/* Anchors every annotation of @clip against @text (FORMAT.md order),
 * records where each is, flags orphans, and returns the JSON list of
 * highlights to paint. */
static char *
anchor_all (GlossAnnotator *self,
            GlossClip      *clip,
            GlossText      *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GListModel *annotations = gloss_clip_get_annotations (clip);
  guint n = g_list_model_get_n_items (annotations);
  guint orphans = 0;
  gint64 begin = g_get_monotonic_time ();
  char *json;

  g_hash_table_remove_all (self->ranges);
  json_builder_begin_array (builder);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (annotations, i);
      guint start, end;
      GlossAnchorMethod method = gloss_anchor_annotation (text, annotation, &start, &end);
      Range *range;

      if (method == GLOSS_ANCHOR_ORPHAN)
        {
          gloss_annotation_set_orphan (annotation, TRUE);
          orphans++;
          continue;
        }

      gloss_annotation_set_orphan (annotation, FALSE);
      if (method != GLOSS_ANCHOR_POSITION)
        g_debug ("Annotation %s anchored by %s at %u–%u",
                 gloss_annotation_get_id (annotation), gloss_anchor_method_to_string (method), start, end);

      range = g_new (Range, 1);
      range->start = start;
      range->end = end;
      g_hash_table_replace (self->ranges, g_strdup (gloss_annotation_get_id (annotation)), range);
      add_highlight_json (builder, annotation, range);
    }

  json_builder_end_array (builder);
  json = builder_to_string (builder);
  g_debug ("Anchored %u annotations in %.1f ms", n, (g_get_monotonic_time () - begin) / 1000.0);

  if (orphans > 0)
    g_message ("%u annotations of clip %s no longer anchor; they are kept as orphans",
               orphans, gloss_clip_get_id (clip));

  return json;
}

static void
anchor_and_paint_all (GlossAnnotator *self)
{
  g_autofree char *json = anchor_all (self, self->clip, self->text);
  g_autofree char *script = g_strdup_printf ("glossHighlight.unpaintAll (); glossHighlight.paint (%s)", json);

  run_paint (self, script, TRUE, NULL, FALSE);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
finish_preload (GlossAnnotator *self)
{
  self->awaiting_preload = FALSE;
  self->painted = TRUE;
  g_signal_emit (self, signals[PAINTED], 0);
}

/* Before the reader loads @clip: anchor against article.txt and leave a
 * user script that paints as soon as the page is built (and says so). */
static void
reader_clip_cb (GlossAnnotator  *self,
                GParamSpec      *pspec,
                GlossReaderView *reader)
{
  WebKitUserContentManager *manager = gloss_reader_view_get_user_content_manager (reader);
  GlossClip *clip = gloss_reader_view_get_clip (reader);
  g_autoptr(GlossText) text = NULL;
  g_autofree char *article = NULL;
  g_autofree char *json = NULL;
  g_autofree char *source = NULL;

  gloss_annotator_flush (self);
  /* Nothing acts on the clip that goes until the new one has loaded. */
  g_clear_object (&self->clip);
  g_clear_pointer (&self->text, gloss_text_unref);
  g_clear_pointer (&self->saved_text, gloss_text_unref);
  clear_undo (self);
  self->painted = FALSE;
  self->preload_done = FALSE;
  self->awaiting_preload = FALSE;
  g_clear_object (&self->preload_clip);
  if (self->preload_script != NULL)
    {
      webkit_user_content_manager_remove_script (manager, self->preload_script);
      g_clear_pointer (&self->preload_script, webkit_user_script_unref);
    }

  if (clip == NULL || gloss_clip_get_n_annotations (clip) == 0 ||
      !(article = gloss_clip_load_article_text (clip, NULL)))
    return;

  text = gloss_text_new (article, -1);
  json = anchor_all (self, clip, text);
  /* The id is [0-9a-z-]; the page checks that it is this clip's page. */
  source = g_strdup_printf ("window.glossHighlight && glossHighlight.preload ('%s', %s);",
                            gloss_clip_get_id (clip), json);
  self->preload_script = webkit_user_script_new_for_world (source,
                                                           WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                                           WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_END,
                                                           GLOSS_SCRIPT_WORLD,
                                                           NULL, NULL);
  webkit_user_content_manager_add_script (manager, self->preload_script);
  self->preload_clip = g_object_ref (clip);
  self->preload_generation = self->generation;
}

static void
article_loaded_cb (GlossAnnotator  *self,
                   gboolean         text_changed,
                   GlossReaderView *reader)
{
  const char *text = gloss_reader_view_get_article_text (reader);

  gloss_annotator_flush (self);
  clear_undo (self);
  self->painted = FALSE;
  self->awaiting_preload = FALSE;

  g_set_object (&self->clip, gloss_reader_view_get_clip (reader));
  g_clear_pointer (&self->text, gloss_text_unref);
  g_clear_pointer (&self->saved_text, gloss_text_unref);

  if (self->clip == NULL || text == NULL)
    return;

  self->text = gloss_text_new (text, -1);

  /* Stored positions count into article.txt (FORMAT.md), the page's into
   * what the reader shows: keep article.txt to map new highlights to. */
  if (text_changed)
    {
      g_autofree char *saved = gloss_clip_load_article_text (self->clip, NULL);

      if (saved != NULL)
        self->saved_text = gloss_text_new (saved, -1);
    }

  /* Painted already with the page, when that was done against this very
   * text and nothing changed since. */
  if (!text_changed && self->preload_clip == self->clip &&
      self->preload_generation == self->generation)
    {
      g_signal_emit (self, signals[CHANGED], 0);
      if (self->preload_done)
        finish_preload (self);
      else
        self->awaiting_preload = TRUE;
      return;
    }

  /* When the reader's text is not article.txt, what the user sees and
   * selects is the reader's text: anchor against that, by quote first
   * (the stored positions then fail their check). */
  anchor_and_paint_all (self);
}

/* Changes. */

/* The target to store for the reader's range [start, end): the same range
 * when the reader shows article.txt, else that passage found in article.txt
 * by its quote and context (FORMAT.md counts positions there). FALSE when
 * it is not in article.txt at all. */
static gboolean
stored_target (GlossAnnotator  *self,
               guint            start,
               guint            end,
               char           **out_exact,
               char           **out_prefix,
               char           **out_suffix,
               guint           *out_start,
               guint           *out_end)
{
  g_autofree char *exact = gloss_text_substring (self->text, start, end);
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  guint saved_start, saved_end;

  gloss_text_get_context (self->text, start, end, &prefix, &suffix);

  if (self->saved_text == NULL)
    {
      *out_exact = g_steal_pointer (&exact);
      *out_prefix = g_steal_pointer (&prefix);
      *out_suffix = g_steal_pointer (&suffix);
      *out_start = start;
      *out_end = end;
      return TRUE;
    }

  if (gloss_anchor_quote (self->saved_text, exact, prefix, suffix, start, end,
                          &saved_start, &saved_end) == GLOSS_ANCHOR_ORPHAN)
    return FALSE;

  *out_exact = gloss_text_substring (self->saved_text, saved_start, saved_end);
  gloss_text_get_context (self->saved_text, saved_start, saved_end, out_prefix, out_suffix);
  *out_start = saved_start;
  *out_end = saved_end;
  return TRUE;
}

static gboolean
save (GlossAnnotator *self)
{
  g_autoptr(GError) error = NULL;
  gint64 begin = g_get_monotonic_time ();
  gboolean ok;

  if (self->library == NULL)
    {
      report_error (self, _("The library is not available: the highlight was not saved"));
      return FALSE;
    }

  self->saving = TRUE;
  ok = gloss_library_save (self->library, self->clip, &error);
  self->saving = FALSE;
  g_debug ("Saved clip %s in %.1f ms", gloss_clip_get_id (self->clip),
           (g_get_monotonic_time () - begin) / 1000.0);
  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the highlights: %s"), error->message);

      report_error (self, message);
      return FALSE;
    }

  return TRUE;
}

static GlossAnnotation *
lookup (GlossAnnotator *self,
        const char     *id)
{
  if (self->clip == NULL || id == NULL)
    return NULL;

  return gloss_clip_find_annotation (self->clip, id);
}

/* A damaged clip, or one of a newer format, is shown but never changed. */
static gboolean
writable (GlossAnnotator *self)
{
  if (self->clip == NULL)
    return FALSE;

  if (gloss_clip_get_read_only (self->clip))
    {
      report_error (self, _("This clip cannot be changed: it was written by a newer Gloss or is damaged"));
      return FALSE;
    }

  return TRUE;
}

static void
set_range (GlossAnnotator *self,
           const char     *id,
           guint           start,
           guint           end)
{
  Range *range = g_new (Range, 1);

  range->start = start;
  range->end = end;
  g_hash_table_replace (self->ranges, g_strdup (id), range);
}

GlossAnnotation *
gloss_annotator_add (GlossAnnotator  *self,
                     guint            start,
                     guint            end,
                     GlossColor       color,
                     GError         **error)
{
  g_autoptr(GlossAnnotation) annotation = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;

  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), NULL);

  if (self->clip == NULL || self->text == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND, _("No clip is shown"));
      return NULL;
    }

  if (gloss_clip_get_read_only (self->clip))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY, _("This clip cannot be changed"));
      return NULL;
    }

  if (start >= end || end > gloss_text_get_length (self->text) || (guint)color >= GLOSS_N_COLORS)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT, _("The selection is not in the article"));
      return NULL;
    }

  /* The quote and its context come from the text, never from the page. */
  exact = gloss_text_substring (self->text, start, end);
  {
    g_autofree char *stripped = g_strstrip (g_strdup (exact));

    if (*stripped == '\0')
      {
        g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT, _("Only spaces are selected"));
        return NULL;
      }
  }
  g_clear_pointer (&exact, g_free);

  {
    guint stored_start, stored_end;

    if (!stored_target (self, start, end, &exact, &prefix, &suffix, &stored_start, &stored_end))
      {
        g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                     _("This passage is not in the saved text of the article, so it cannot be highlighted"));
        return NULL;
      }

    annotation = gloss_annotation_new (exact, prefix, suffix, stored_start, stored_end, color);
  }
  if (!gloss_clip_add_annotation (self->clip, annotation))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT, _("Could not add the highlight"));
      return NULL;
    }

  if (!save (self))
    {
      gloss_clip_remove_annotation (self->clip, gloss_annotation_get_id (annotation));
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO, _("Could not save the highlight"));
      return NULL;
    }

  set_range (self, gloss_annotation_get_id (annotation), start, end);
  push_undo (self, gloss_annotation_get_id (annotation), NULL);
  self->generation++;
  g_signal_emit (self, signals[CHANGED], 0);

  return g_steal_pointer (&annotation);
}

static gboolean inside_highlight (GlossAnnotator  *self,
                                  guint            start,
                                  guint            end,
                                  const char     **id);

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

static gboolean
selection_from_value (JSCValue *value,
                      guint    *start,
                      guint    *end)
{
  return value != NULL && jsc_value_is_object (value) &&
         message_get_uint (value, "start", start) &&
         message_get_uint (value, "end", end) &&
         *start < *end;
}

static void
selection_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SelectionData *data = user_data;
  GlossAnnotator *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = gloss_reader_view_run_script_finish (GLOSS_READER_VIEW (object), result, &error);
  g_autofree char *pending = NULL;
  guint start, end;

  if (data->clip != self->clip || self->clip == NULL)
    goto out;

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
      double rect[4];

      if (mark != NULL && lookup (self, mark) != NULL)
        {
          if (data->open_note)
            g_signal_emit (self, signals[NOTE_REQUESTED], 0, mark);
          else if (message_get_rect (self, value, rect))
            g_signal_emit (self, signals[MARK_ACTIVATED], 0, mark, rect[0], rect[1], rect[2], rect[3]);
          goto out;
        }
    }

  if (!selection_from_value (value, &start, &end))
    {
      if (error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        report_error (self, _("Select some text of the article first"));
      goto out;
    }

  if (data->reattach_id != NULL)
    {
      GlossAnnotation *annotation = lookup (self, data->reattach_id);
      g_autofree char *exact = NULL;
      g_autofree char *prefix = NULL;
      g_autofree char *suffix = NULL;

      if (annotation == NULL || self->text == NULL || end > gloss_text_get_length (self->text))
        goto out;

      {
        guint stored_start, stored_end;

        if (!stored_target (self, start, end, &exact, &prefix, &suffix, &stored_start, &stored_end))
          {
            report_error (self, _("This passage is not in the saved text of the article"));
            goto out;
          }

        push_undo (self, data->reattach_id, annotation);
        gloss_annotation_set_target (annotation, exact, prefix, suffix, stored_start, stored_end);
      }
      gloss_annotation_set_orphan (annotation, FALSE);
      gloss_clip_sort_annotations (self->clip);
      save (self);
      set_range (self, data->reattach_id, start, end);
      paint_one (self, annotation, FALSE, FALSE);
      self->generation++;
      g_signal_emit (self, signals[CHANGED], 0);
      goto out;
    }

  /* A selection inside a highlight offers that highlight, not a new one. */
  {
    const char *id = NULL;
    double rect[4];

    if (inside_highlight (self, start, end, &id))
      {
        g_autofree char *inside = g_strdup (id);

        if (pending != NULL)
          unpaint (self, pending);
        if (data->open_note)
          g_signal_emit (self, signals[NOTE_REQUESTED], 0, inside);
        else if (message_get_rect (self, value, rect))
          g_signal_emit (self, signals[MARK_ACTIVATED], 0, inside, rect[0], rect[1], rect[2], rect[3]);
        goto out;
      }
  }

  {
    g_autoptr(GlossAnnotation) annotation = gloss_annotator_add (self, start, end, data->color, &error);

    if (annotation == NULL)
      {
        if (pending != NULL)
          unpaint (self, pending);
        report_error (self, error->message);
      }
    else if (pending != NULL)
      {
        /* Painted already: give the marks their id. Scripts run in order,
         * so whatever follows sees the real id. */
        g_autofree char *script = g_strdup_printf ("glossHighlight.rename ('%s', '%s')",
                                                   pending, gloss_annotation_get_id (annotation));

        gloss_reader_view_run_script (self->reader, script, self->cancellable, NULL, NULL);
        g_signal_emit (self, signals[HIGHLIGHTED], 0, annotation);
        if (data->open_note)
          g_signal_emit (self, signals[NOTE_REQUESTED], 0, gloss_annotation_get_id (annotation));
      }
    else
      paint_one (self, annotation, TRUE, data->open_note);
  }

out:
  selection_data_free (data);
}

static void
ask_selection (GlossAnnotator *self,
               GlossColor      color,
               gboolean        open_note,
               const char     *reattach_id)
{
  SelectionData *data;

  if (self->clip == NULL)
    return;

  data = g_new0 (SelectionData, 1);
  data->self = g_object_ref (self);
  data->clip = g_object_ref (self->clip);
  data->color = color;
  data->open_note = open_note;
  data->reattach_id = g_strdup (reattach_id);

  if (reattach_id != NULL)
    gloss_reader_view_run_script (self->reader, "glossHighlight.selection ()",
                                  self->cancellable, selection_cb, data);
  else
    {
      static guint counter;
      g_autofree char *script = NULL;

      data->pending_id = g_strdup_printf ("pending-%u", ++counter);
      script = g_strdup_printf ("glossHighlight.highlightSelection ('%s', '%s')",
                                data->pending_id, gloss_color_to_string (color));
      gloss_reader_view_run_script (self->reader, script, self->cancellable, selection_cb, data);
    }
}

void
gloss_annotator_highlight_selection (GlossAnnotator *self,
                                     GlossColor      color,
                                     gboolean        open_note)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));
  g_return_if_fail ((guint)color < GLOSS_N_COLORS);

  ask_selection (self, color, open_note, NULL);
}

void
gloss_annotator_reattach (GlossAnnotator *self,
                          const char     *id)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  if (lookup (self, id) != NULL && writable (self))
    ask_selection (self, GLOSS_COLOR_YELLOW, FALSE, id);
}

void
gloss_annotator_set_color (GlossAnnotator *self,
                           const char     *id,
                           GlossColor      color)
{
  GlossAnnotation *annotation;
  g_autofree char *script = NULL;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));
  g_return_if_fail ((guint)color < GLOSS_N_COLORS);

  annotation = lookup (self, id);
  if (annotation == NULL || gloss_annotation_get_color (annotation) == color || !writable (self))
    return;

  gloss_annotator_flush (self);
  push_undo (self, id, annotation);
  gloss_annotation_set_color (annotation, color);
  save (self);

  script = g_strdup_printf ("glossHighlight.setColor ('%s', '%s')", id, gloss_color_to_string (color));
  gloss_reader_view_run_script (self->reader, script, self->cancellable, NULL, NULL);
  self->generation++;
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
note_timeout_cb (gpointer user_data)
{
  GlossAnnotator *self = user_data;

  self->note_source = 0;
  gloss_annotator_flush (self);

  return G_SOURCE_REMOVE;
}

void
gloss_annotator_edit_note (GlossAnnotator *self,
                           const char     *id,
                           const char     *note)
{
  GlossAnnotation *annotation;
  gboolean had_note, has_note;
  g_autofree char *script = NULL;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  annotation = lookup (self, id);
  if (annotation == NULL || g_strcmp0 (gloss_annotation_get_note (annotation), note ? note : "") == 0 ||
      !writable (self))
    return;

  /* One undo step per editing of one note. */
  if (g_strcmp0 (self->note_id, id) != 0)
    {
      gloss_annotator_flush (self);
      push_undo (self, id, annotation);
      self->note_id = g_strdup (id);
    }

  self->generation++;
  had_note = *gloss_annotation_get_note (annotation) != '\0';
  gloss_annotation_set_note (annotation, note);
  has_note = *gloss_annotation_get_note (annotation) != '\0';

  if (had_note != has_note)
    {
      script = g_strdup_printf ("glossHighlight.setNote ('%s', %s)", id, has_note ? "true" : "false");
      gloss_reader_view_run_script (self->reader, script, self->cancellable, NULL, NULL);
    }

  g_clear_handle_id (&self->note_source, g_source_remove);
  self->note_source = g_timeout_add (NOTE_SAVE_DELAY_MS, note_timeout_cb, self);
}

void
gloss_annotator_flush (GlossAnnotator *self)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  g_clear_handle_id (&self->note_source, g_source_remove);

  if (self->note_id == NULL)
    return;

  g_clear_pointer (&self->note_id, g_free);
  if (self->clip != NULL)
    {
      save (self);
      self->generation++;
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

gboolean
gloss_annotator_delete (GlossAnnotator *self,
                        const char     *id)
{
  g_autoptr(GlossAnnotation) annotation = NULL;

  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  if (lookup (self, id) == NULL || !writable (self))
    return FALSE;

  gloss_annotator_flush (self);
  annotation = g_object_ref (lookup (self, id));
  push_undo (self, id, annotation);
  gloss_clip_remove_annotation (self->clip, id);
  if (!save (self))
    {
      /* Nothing is lost: put it back. */
      gloss_clip_add_annotation (self->clip, annotation);
      undo_entry_free (g_queue_pop_head (&self->undo));
      return FALSE;
    }

  unpaint (self, id);
  g_hash_table_remove (self->ranges, id);
  self->generation++;
  g_signal_emit (self, signals[CHANGED], 0);
  g_signal_emit (self, signals[DELETED], 0, annotation);

  return TRUE;
}

gboolean
gloss_annotator_restore (GlossAnnotator  *self,
                         GlossAnnotation *annotation)
{
  g_autoptr(GlossAnnotation) copy = NULL;
  const char *id;
  guint start, end;

  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (annotation), FALSE);

  id = gloss_annotation_get_id (annotation);
  if (self->clip == NULL || lookup (self, id) != NULL || !writable (self))
    return FALSE;

  gloss_annotator_flush (self);
  copy = gloss_annotation_copy (annotation);
  if (!gloss_clip_add_annotation (self->clip, copy))
    return FALSE;
  if (!save (self))
    {
      gloss_clip_remove_annotation (self->clip, id);
      return FALSE;
    }

  /* Its deletion is undone: drop that step. */
  for (GList *l = self->undo.head; l != NULL; l = l->next)
    {
      UndoEntry *entry = l->data;

      if (g_strcmp0 (entry->id, id) == 0 && entry->before != NULL)
        {
          undo_entry_free (entry);
          g_queue_delete_link (&self->undo, l);
          break;
        }
    }

  if (self->text != NULL && gloss_anchor_annotation (self->text, copy, &start, &end) != GLOSS_ANCHOR_ORPHAN)
    {
      gloss_annotation_set_orphan (copy, FALSE);
      set_range (self, id, start, end);
      paint_one (self, copy, FALSE, FALSE);
    }
  else
    gloss_annotation_set_orphan (copy, TRUE);

  self->generation++;
  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

gboolean
gloss_annotator_can_undo (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return !g_queue_is_empty (&self->undo);
}

gboolean
gloss_annotator_undo (GlossAnnotator *self)
{
  UndoEntry *entry;
  g_autofree char *id = NULL;
  g_autoptr(GlossAnnotation) before = NULL;

  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  gloss_annotator_flush (self);

  entry = g_queue_pop_head (&self->undo);
  if (entry == NULL || self->clip == NULL)
    {
      if (entry != NULL)
        undo_entry_free (entry);
      return FALSE;
    }

  id = g_steal_pointer (&entry->id);
  before = g_steal_pointer (&entry->before);
  undo_entry_free (entry);

  if (lookup (self, id) != NULL)
    gloss_clip_remove_annotation (self->clip, id);
  unpaint (self, id);
  g_hash_table_remove (self->ranges, id);

  if (before != NULL)
    {
      guint start, end;

      gloss_clip_add_annotation (self->clip, before);
      if (gloss_anchor_annotation (self->text, before, &start, &end) != GLOSS_ANCHOR_ORPHAN)
        {
          gloss_annotation_set_orphan (before, FALSE);
          set_range (self, id, start, end);
          paint_one (self, before, FALSE, FALSE);
        }
      else
        gloss_annotation_set_orphan (before, TRUE);
    }

  save (self);
  self->generation++;
  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

gboolean
gloss_annotator_get_range (GlossAnnotator *self,
                           const char     *id,
                           guint          *start,
                           guint          *end)
{
  Range *range;

  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  range = id ? g_hash_table_lookup (self->ranges, id) : NULL;
  if (range == NULL)
    return FALSE;

  if (start)
    *start = range->start;
  if (end)
    *end = range->end;
  return TRUE;
}

void
gloss_annotator_scroll_to (GlossAnnotator *self,
                           const char     *id)
{
  g_autofree char *script = NULL;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  if (lookup (self, id) == NULL)
    return;

  script = g_strdup_printf ("glossHighlight.scrollTo ('%s', true)", id);
  gloss_reader_view_run_script (self->reader, script, self->cancellable, NULL, NULL);
}

void
gloss_annotator_open_note (GlossAnnotator *self,
                           const char     *id)
{
  g_autofree char *script = NULL;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  if (lookup (self, id) == NULL || !g_hash_table_contains (self->ranges, id))
    return;

  /* At once, so that the popover points at where the mark ends up. */
  script = g_strdup_printf ("glossHighlight.scrollTo ('%s', false, true)", id);
  gloss_reader_view_run_script (self->reader, script, self->cancellable, NULL, NULL);
  g_signal_emit (self, signals[NOTE_REQUESTED], 0, id);
}

char *
gloss_annotator_dup_markdown (GlossAnnotator *self,
                              const char     *id)
{
  GlossAnnotation *annotation;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  const char *note;

  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), NULL);

  annotation = lookup (self, id);
  if (annotation == NULL)
    return NULL;

  lines = g_strsplit (gloss_annotation_get_exact (annotation), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "> %s\n", lines[i]);

  note = gloss_annotation_get_note (annotation);
  if (*note != '\0')
    g_string_append_printf (out, "\n%s\n", note);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
gloss_annotator_save_clip (GlossAnnotator *self)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  if (self->clip != NULL)
    save (self);
}

/* Page messages. */

static gboolean
inside_highlight (GlossAnnotator  *self,
                  guint            start,
                  guint            end,
                  const char     **id)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->ranges);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Range *range = value;

      if (range->start <= start && end <= range->end)
        {
          *id = key;
          return TRUE;
        }
    }

  return FALSE;
}

static void
message_cb (GlossAnnotator  *self,
            JSCValue        *message,
            GlossReaderView *reader)
{
  g_autofree char *type = gloss_web_message_dup_string (message, "type");
  double rect[4];

  if (type == NULL)
    return;

  if (g_str_equal (type, "preloaded"))
    {
      g_autofree char *clip_id = gloss_web_message_dup_string (message, "clip");
      gboolean ok = FALSE;

      if (self->preload_clip == NULL || g_strcmp0 (clip_id, gloss_clip_get_id (self->preload_clip)) != 0 ||
          !gloss_web_message_get_boolean (message, "ok", &ok))
        return;

      if (!ok)
        {
          /* Paint the ordinary way once the reader has its text. */
          g_clear_object (&self->preload_clip);
          if (self->awaiting_preload && self->clip != NULL && self->text != NULL)
            {
              self->awaiting_preload = FALSE;
              anchor_and_paint_all (self);
            }
          return;
        }

      self->preload_done = TRUE;
      if (self->awaiting_preload)
        finish_preload (self);
      return;
    }

  if (self->clip == NULL)
    return;

  if (g_str_equal (type, "selection"))
    {
      g_autofree char *how = gloss_web_message_dup_string (message, "how");
      guint start, end;
      const char *id = NULL;

      if (!selection_from_value (message, &start, &end) ||
          !message_get_rect (self, message, rect))
        return;

      /* Only a mouse selection pops up anything: one being extended with
       * the keyboard keeps the focus in the page (Ctrl+H acts on it). */
      if (g_strcmp0 (how, "mouse") != 0)
        return;

      if (inside_highlight (self, start, end, &id))
        g_signal_emit (self, signals[MARK_ACTIVATED], 0, id, rect[0], rect[1], rect[2], rect[3]);
      else
        g_signal_emit (self, signals[SELECTION_RELEASED], 0, rect[0], rect[1], rect[2], rect[3]);
    }
  else if (g_str_equal (type, "mark-clicked"))
    {
      g_autofree char *id = gloss_web_message_dup_string (message, "id");

      if (lookup (self, id) == NULL || !message_get_rect (self, message, rect))
        return;

      g_signal_emit (self, signals[MARK_ACTIVATED], 0, id, rect[0], rect[1], rect[2], rect[3]);
    }
}

/* The object. */

static void
gloss_annotator_dispose (GObject *object)
{
  GlossAnnotator *self = (GlossAnnotator *)object;

  /* Nothing typed is lost. */
  if (self->clip != NULL)
    gloss_annotator_flush (self);

  g_cancellable_cancel (self->cancellable);
  if (self->reader != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->reader, self);
      if (self->preload_script != NULL)
        webkit_user_content_manager_remove_script (gloss_reader_view_get_user_content_manager (self->reader),
                                                   self->preload_script);
    }

  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_clear_object (&self->reader);
  g_clear_object (&self->library);
  g_clear_object (&self->clip);
  g_clear_object (&self->preload_clip);
  g_clear_pointer (&self->preload_script, webkit_user_script_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->text, gloss_text_unref);
  g_clear_pointer (&self->saved_text, gloss_text_unref);
  clear_undo (self);

  G_OBJECT_CLASS (gloss_annotator_parent_class)->dispose (object);
}

static void
gloss_annotator_finalize (GObject *object)
{
  GlossAnnotator *self = (GlossAnnotator *)object;

  g_hash_table_unref (self->ranges);
  g_free (self->note_id);

  G_OBJECT_CLASS (gloss_annotator_parent_class)->finalize (object);
}

static void
gloss_annotator_class_init (GlossAnnotatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_annotator_dispose;
  object_class->finalize = gloss_annotator_finalize;

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
}

static void
gloss_annotator_init (GlossAnnotator *self)
{
  self->ranges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->undo);
}

GlossAnnotator *
gloss_annotator_new (GlossReaderView *reader)
{
  GlossAnnotator *self;
  WebKitUserContentManager *manager;
  g_autoptr(WebKitUserScript) script = NULL;
  g_autoptr(WebKitUserStyleSheet) style = NULL;
  g_autoptr(GBytes) css = NULL;

  g_return_val_if_fail (GLOSS_IS_READER_VIEW (reader), NULL);

  self = g_object_new (GLOSS_TYPE_ANNOTATOR, NULL);
  self->reader = g_object_ref (reader);

  manager = gloss_reader_view_get_user_content_manager (reader);
  script = gloss_web_user_script_new (WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_END,
                                      "gloss-highlight.js",
                                      NULL);
  webkit_user_content_manager_add_script (manager, script);

  /* A user style sheet: the reader's CSP does not apply to it. */
  css = g_resources_lookup_data (RESOURCE_PREFIX "/reader/highlight.css", 0, NULL);
  g_assert (css != NULL);
  style = webkit_user_style_sheet_new (g_bytes_get_data (css, NULL),
                                       WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                       WEBKIT_USER_STYLE_LEVEL_USER,
                                       NULL, NULL);
  webkit_user_content_manager_add_style_sheet (manager, style);

  g_signal_connect_object (reader, "notify::clip",
                           G_CALLBACK (reader_clip_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (reader, "article-loaded",
                           G_CALLBACK (article_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (reader, "message",
                           G_CALLBACK (message_cb), self, G_CONNECT_SWAPPED);

  return self;
}

GlossReaderView *
gloss_annotator_get_reader (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), NULL);

  return self->reader;
}

/* Someone else (a sync tool, an editor, another window) changed the
 * clip shown: its annotations were read again, so anchor and paint them
 * again. Our own saves pass here too, and are skipped. */
static void
library_clip_changed_cb (GlossAnnotator *self,
                         GlossClip      *clip,
                         GlossLibrary   *library)
{
  if (self->saving || clip != self->clip || self->text == NULL)
    return;

  g_debug ("Clip %s changed on disk: painting its annotations again", gloss_clip_get_id (clip));
  self->generation++;
  clear_undo (self);
  anchor_and_paint_all (self);
}

void
gloss_annotator_set_library (GlossAnnotator *self,
                             GlossLibrary   *library)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));
  g_return_if_fail (library == NULL || GLOSS_IS_LIBRARY (library));

  if (self->library == library)
    return;

  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_set_object (&self->library, library);
  if (library != NULL)
    g_signal_connect_object (library, "clip-changed",
                             G_CALLBACK (library_clip_changed_cb), self, G_CONNECT_SWAPPED);
}

GlossClip *
gloss_annotator_get_clip (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), NULL);

  return self->clip;
}

gboolean
gloss_annotator_get_painted (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return self->painted;
}
