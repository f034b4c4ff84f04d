/* gloss-annotation-editor.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The annotations of one clip as the reader (or any view) edits them:
 * targets, checks, undo and saving, with no display. The view only maps
 * offsets to the page and paints. */

#define G_LOG_DOMAIN "gloss-annotation-editor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gloss-annotation-editor.h"
#include "gloss-clip-anchor.h"
#include "gloss-clip-saver.h"
#include "gloss-error.h"

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

struct _GlossAnnotationEditor
{
  GObject          parent_instance;

  GlossLibrary    *library;
  GlossClip       *clip;
  GlossClipSaver  *saver;
  GlossText       *text;        /* as the view shows it */
  GlossText       *saved_text;  /* article.txt, only when it differs */
  GHashTable      *ranges;      /* id → Range in text */
  GQueue           undo;        /* of UndoEntry, newest first */
  char            *note_id;     /* the note being typed: one undo step */
  guint            generation;
  guint            n_anchor_all; /* times every annotation was anchored */
  guint            live : 1;    /* text is a live page's */
};

G_DEFINE_FINAL_TYPE (GlossAnnotationEditor, gloss_annotation_editor, G_TYPE_OBJECT)

enum {
  CHANGED,
  REPAINT,
  REANCHORED,
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
push_undo (GlossAnnotationEditor *self,
           const char            *id,
           GlossAnnotation       *before)
{
  UndoEntry *entry = g_new0 (UndoEntry, 1);

  entry->id = g_strdup (id);
  entry->before = before ? gloss_annotation_copy (before) : NULL;
  g_queue_push_head (&self->undo, entry);

  while (g_queue_get_length (&self->undo) > MAX_UNDO)
    undo_entry_free (g_queue_pop_tail (&self->undo));
}

static void
clear_undo (GlossAnnotationEditor *self)
{
  g_queue_clear_full (&self->undo, (GDestroyNotify)undo_entry_free);
  g_clear_pointer (&self->note_id, g_free);
}

static void
report_error (GlossAnnotationEditor *self,
              const char            *message)
{
  g_signal_emit (self, signals[ERROR], 0, message);
}

static void
set_range (GlossAnnotationEditor *self,
           const char            *id,
           guint                  start,
           guint                  end)
{
  Range *range = g_new (Range, 1);

  range->start = start;
  range->end = end;
  g_hash_table_replace (self->ranges, g_strdup (id), range);
}

/* A change is made: bump, save soon, tell. */
static void
changed (GlossAnnotationEditor *self)
{
  self->generation++;
  if (self->saver != NULL)
    gloss_clip_saver_queue (self->saver);
  else if (self->clip != NULL)
    report_error (self, _("The library is not available: the change was not saved"));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
repaint (GlossAnnotationEditor *self,
         const char            *id)
{
  g_signal_emit (self, signals[REPAINT], 0, id);
}

/* One undo step per editing of one note: any other change ends it. */
static void
end_note (GlossAnnotationEditor *self)
{
  g_clear_pointer (&self->note_id, g_free);
}

static void
anchor_all (GlossAnnotationEditor *self)
{
  g_autoptr(GArray) anchorings = NULL;
  guint orphans = 0;
  gint64 begin = g_get_monotonic_time ();

  g_hash_table_remove_all (self->ranges);
  if (self->clip == NULL || self->text == NULL)
    return;

  self->n_anchor_all++;

  /* A live page may well lack what the article has: that is no orphan. */
  anchorings = gloss_clip_anchor_all (self->clip, NULL, &self->text,
                                      self->live ? GLOSS_CLIP_ANCHOR_QUOTE_FIRST : GLOSS_CLIP_ANCHOR_SET_ORPHAN,
                                      &orphans);
  for (guint i = 0; i < anchorings->len; i++)
    {
      const GlossAnchoring *a = &g_array_index (anchorings, GlossAnchoring, i);

      if (a->method != GLOSS_ANCHOR_ORPHAN)
        set_range (self, gloss_annotation_get_id (a->annotation), a->start, a->end);
    }

  g_debug ("Anchored %u annotations in %.1f ms", anchorings->len, (g_get_monotonic_time () - begin) / 1000.0);
  if (orphans > 0 && self->live)
    g_debug ("%u annotations of clip %s are not on the live page", orphans, gloss_clip_get_id (self->clip));
  else if (orphans > 0)
    g_message ("%u annotations of clip %s no longer anchor; they are kept as orphans",
               orphans, gloss_clip_get_id (self->clip));
}

static void
saver_error_cb (GlossAnnotationEditor *self,
                const GError          *error,
                GlossClipSaver        *saver)
{
  g_assert (GLOSS_IS_ANNOTATION_EDITOR (self));

  report_error (self, error->message);
}

/* Someone else (a sync tool, an editor, another window) changed the clip:
 * its annotations were read again, so anchor them again. Our own saves
 * pass here too, and are skipped. */
static void
gloss_annotation_editor_library_clip_changed_cb (GlossAnnotationEditor *self,
                                                 GlossClip             *clip,
                                                 GlossLibrary          *library)
{
  g_assert (GLOSS_IS_ANNOTATION_EDITOR (self));

  if (clip != self->clip || self->text == NULL || gloss_clip_saver_is_notifying (clip))
    return;

  g_debug ("Clip %s changed on disk: anchoring its annotations again", gloss_clip_get_id (clip));
  self->generation++;
  clear_undo (self);
  anchor_all (self);
  g_signal_emit (self, signals[REANCHORED], 0);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
release_clip (GlossAnnotationEditor *self)
{
  if (self->saver != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* What is pending goes to disk before another clip is edited. */
      if (!gloss_clip_saver_flush (self->saver, &error))
        g_debug ("Pending changes not saved: %s", error->message);
      g_signal_handlers_disconnect_by_data (self->saver, self);
      g_clear_object (&self->saver);
    }

  g_clear_object (&self->clip);
  g_clear_pointer (&self->text, gloss_text_unref);
  g_clear_pointer (&self->saved_text, gloss_text_unref);
  g_hash_table_remove_all (self->ranges);
  clear_undo (self);
}

void
gloss_annotation_editor_set_clip (GlossAnnotationEditor *self,
                                  GlossClip             *clip,
                                  const char            *text,
                                  const char            *saved_text)
{
  g_return_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self));
  g_return_if_fail (clip == NULL || GLOSS_IS_CLIP (clip));
  g_return_if_fail (clip == NULL || text != NULL);

  release_clip (self);
  self->generation++;
  self->live = FALSE;

  if (clip == NULL)
    return;

  self->clip = g_object_ref (clip);
  self->text = gloss_text_new (text, -1);
  if (saved_text != NULL)
    self->saved_text = gloss_text_new (saved_text, -1);
  if (self->library != NULL)
    {
      self->saver = gloss_clip_saver_get_for_clip (self->library, clip);
      g_signal_connect_object (self->saver, "error", G_CALLBACK (saver_error_cb), self, G_CONNECT_SWAPPED);
    }

  anchor_all (self);
}

void
gloss_annotation_editor_set_live_text (GlossAnnotationEditor *self,
                                       GlossClip             *clip,
                                       const char            *text,
                                       const char            *saved_text)
{
  g_return_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self));
  g_return_if_fail (GLOSS_IS_CLIP (clip));
  g_return_if_fail (text != NULL);
  g_return_if_fail (saved_text != NULL);

  if (clip != self->clip || !self->live)
    {
      release_clip (self);
      self->live = TRUE;
      self->clip = g_object_ref (clip);
      if (self->library != NULL)
        {
          self->saver = gloss_clip_saver_get_for_clip (self->library, clip);
          g_signal_connect_object (self->saver, "error", G_CALLBACK (saver_error_cb), self, G_CONNECT_SWAPPED);
        }
    }

  /* Same clip, a new text: what is pending and the undo steps stay. */
  self->generation++;
  g_clear_pointer (&self->text, gloss_text_unref);
  self->text = gloss_text_new (text, -1);
  if (self->saved_text == NULL || g_strcmp0 (gloss_text_get_utf8 (self->saved_text), saved_text) != 0)
    {
      g_clear_pointer (&self->saved_text, gloss_text_unref);
      self->saved_text = gloss_text_new (saved_text, -1);
    }

  anchor_all (self);
}

void
gloss_annotation_editor_shift_live_text (GlossAnnotationEditor *self,
                                         const char            *text,
                                         guint                  at,
                                         guint                  removed,
                                         guint                  added)
{
  GHashTableIter iter;
  Range *range;

  g_return_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self));
  g_return_if_fail (self->live && self->text != NULL);
  g_return_if_fail (text != NULL);

  self->generation++;
  g_clear_pointer (&self->text, gloss_text_unref);
  self->text = gloss_text_new (text, -1);

  g_hash_table_iter_init (&iter, self->ranges);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &range))
    if (range->start >= at + removed)
      {
        range->start = range->start - removed + added;
        range->end = range->end - removed + added;
      }
}

guint
gloss_annotation_editor_get_n_anchor_all (GlossAnnotationEditor *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), 0);

  return self->n_anchor_all;
}

gboolean
gloss_annotation_editor_get_live (GlossAnnotationEditor *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), FALSE);

  return self->live;
}

GlossClip *
gloss_annotation_editor_get_clip (GlossAnnotationEditor *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), NULL);

  return self->clip;
}

GlossText *
gloss_annotation_editor_get_text (GlossAnnotationEditor *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), NULL);

  return self->text;
}

guint
gloss_annotation_editor_get_generation (GlossAnnotationEditor *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), 0);

  return self->generation;
}

GlossAnnotation *
gloss_annotation_editor_lookup (GlossAnnotationEditor *self,
                                const char            *id)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), NULL);

  if (self->clip == NULL || id == NULL)
    return NULL;

  return gloss_clip_find_annotation (self->clip, id);
}

gboolean
gloss_annotation_editor_get_range (GlossAnnotationEditor *self,
                                   const char            *id,
                                   guint                 *start,
                                   guint                 *end)
{
  Range *range;

  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), FALSE);

  range = id ? g_hash_table_lookup (self->ranges, id) : NULL;
  if (range == NULL)
    return FALSE;

  if (start)
    *start = range->start;
  if (end)
    *end = range->end;
  return TRUE;
}

const char *
gloss_annotation_editor_find_enclosing (GlossAnnotationEditor *self,
                                        guint                  start,
                                        guint                  end)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), NULL);

  g_hash_table_iter_init (&iter, self->ranges);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Range *range = value;

      if (range->start <= start && end <= range->end)
        return key;
    }

  return NULL;
}

gboolean
gloss_annotation_editor_check_writable (GlossAnnotationEditor *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), FALSE);

  if (self->clip == NULL)
    return FALSE;

  if (gloss_clip_get_read_only (self->clip))
    {
      report_error (self, _("This clip cannot be changed: it was written by a newer Gloss or is damaged"));
      return FALSE;
    }

  return TRUE;
}

/* Where position @start of the live text may be in article.txt: moved by
 * as much as the highlight placed nearest to it. */
static guint
live_hint (GlossAnnotationEditor *self,
           guint                  start)
{
  GHashTableIter iter;
  gpointer key, value;
  guint best = G_MAXUINT;
  gint64 hint = start;

  g_hash_table_iter_init (&iter, self->ranges);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Range *range = value;
      GlossAnnotation *annotation = gloss_clip_find_annotation (self->clip, key);
      guint d = range->start > start ? range->start - start : start - range->start;

      if (annotation != NULL && d < best)
        {
          best = d;
          hint = (gint64) start + (gint64) gloss_annotation_get_start (annotation) - (gint64) range->start;
        }
    }

  return (guint) CLAMP (hint, 0, G_MAXUINT32);
}

/* The target to store for the text's range [start, end): the same range
 * when the text is article.txt, else that passage found in article.txt by
 * its quote and context (FORMAT.md counts positions there). FALSE when it
 * is not in article.txt at all. */
static gboolean
stored_target (GlossAnnotationEditor  *self,
               guint                   start,
               guint                   end,
               char                  **out_exact,
               char                  **out_prefix,
               char                  **out_suffix,
               guint                  *out_start,
               guint                  *out_end)
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

  /* A live page's positions say little of article.txt's: by the quote and
   * its context, near where the closest highlight already anchored moved. */
  if (self->live)
    {
      if (gloss_anchor_quote_near (self->saved_text, exact, prefix, suffix, live_hint (self, start),
                                   &saved_start, &saved_end) == GLOSS_ANCHOR_ORPHAN)
        return FALSE;
    }
  else if (gloss_anchor_quote (self->saved_text, exact, prefix, suffix, start, end,
                               &saved_start, &saved_end) == GLOSS_ANCHOR_ORPHAN)
    return FALSE;

  *out_exact = gloss_text_substring (self->saved_text, saved_start, saved_end);
  gloss_text_get_context (self->saved_text, saved_start, saved_end, out_prefix, out_suffix);
  *out_start = saved_start;
  *out_end = saved_end;
  return TRUE;
}

/* Checks [start, end) of the text as a new target. */
static gboolean
check_range (GlossAnnotationEditor  *self,
             guint                   start,
             guint                   end,
             GError                **error)
{
  g_autofree char *exact = NULL;

  if (self->clip == NULL || self->text == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND, _("No clip is shown"));
      return FALSE;
    }

  if (gloss_clip_get_read_only (self->clip))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY, _("This clip cannot be changed"));
      return FALSE;
    }

  if (start >= end || end > gloss_text_get_length (self->text))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT, _("The selection is not in the article"));
      return FALSE;
    }

  /* The quote and its context come from the text, never from the page. */
  exact = g_strstrip (gloss_text_substring (self->text, start, end));
  if (*exact == '\0')
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT, _("Only spaces are selected"));
      return FALSE;
    }

  return TRUE;
}

GlossAnnotation *
gloss_annotation_editor_add (GlossAnnotationEditor  *self,
                             guint                   start,
                             guint                   end,
                             GlossColor              color,
                             GError                **error)
{
  g_autoptr(GlossAnnotation) annotation = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  guint stored_start, stored_end;

  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), NULL);

  if ((guint)color >= GLOSS_N_COLORS)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT, _("There is no such colour"));
      return NULL;
    }

  if (!check_range (self, start, end, error))
    return NULL;

  if (!stored_target (self, start, end, &exact, &prefix, &suffix, &stored_start, &stored_end))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("This passage is not in the saved text of the article, so it cannot be highlighted"));
      return NULL;
    }

  annotation = gloss_annotation_new (exact, prefix, suffix, stored_start, stored_end, color);
  /* Placed before the clip's list tells of it: who lists the clip's
   * annotations then (the live panel) finds it on the page. */
  set_range (self, gloss_annotation_get_id (annotation), start, end);
  if (!gloss_clip_add_annotation (self->clip, annotation))
    {
      g_hash_table_remove (self->ranges, gloss_annotation_get_id (annotation));
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT, _("Could not add the highlight"));
      return NULL;
    }

  end_note (self);
  push_undo (self, gloss_annotation_get_id (annotation), NULL);
  changed (self);

  return g_steal_pointer (&annotation);
}

void
gloss_annotation_editor_set_color (GlossAnnotationEditor *self,
                                   const char            *id,
                                   GlossColor             color)
{
  GlossAnnotation *annotation;

  g_return_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self));
  g_return_if_fail ((guint)color < GLOSS_N_COLORS);

  annotation = gloss_annotation_editor_lookup (self, id);
  if (annotation == NULL || gloss_annotation_get_color (annotation) == color ||
      !gloss_annotation_editor_check_writable (self))
    return;

  end_note (self);
  push_undo (self, id, annotation);
  gloss_annotation_set_color (annotation, color);
  repaint (self, id);
  changed (self);
}

void
gloss_annotation_editor_edit_note (GlossAnnotationEditor *self,
                                   const char            *id,
                                   const char            *note)
{
  GlossAnnotation *annotation;
  gboolean had_note, has_note;

  g_return_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self));

  annotation = gloss_annotation_editor_lookup (self, id);
  if (annotation == NULL || g_strcmp0 (gloss_annotation_get_note (annotation), note ? note : "") == 0 ||
      !gloss_annotation_editor_check_writable (self))
    return;

  if (g_strcmp0 (self->note_id, id) != 0)
    {
      push_undo (self, id, annotation);
      g_free (self->note_id);
      self->note_id = g_strdup (id);
    }

  had_note = *gloss_annotation_get_note (annotation) != '\0';
  gloss_annotation_set_note (annotation, note);
  has_note = *gloss_annotation_get_note (annotation) != '\0';

  /* The note marker. */
  if (had_note != has_note)
    repaint (self, id);
  changed (self);
}

gboolean
gloss_annotation_editor_move (GlossAnnotationEditor  *self,
                              const char             *id,
                              guint                   start,
                              guint                   end,
                              GError                **error)
{
  GlossAnnotation *annotation;
  g_autofree char *exact = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  guint stored_start, stored_end;

  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), FALSE);

  annotation = gloss_annotation_editor_lookup (self, id);
  if (annotation == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND, _("This highlight is gone"));
      return FALSE;
    }

  if (!check_range (self, start, end, error))
    return FALSE;

  if (!stored_target (self, start, end, &exact, &prefix, &suffix, &stored_start, &stored_end))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("This passage is not in the saved text of the article"));
      return FALSE;
    }

  end_note (self);
  push_undo (self, id, annotation);
  gloss_annotation_set_target (annotation, exact, prefix, suffix, stored_start, stored_end);
  gloss_annotation_set_orphan (annotation, FALSE);
  gloss_clip_sort_annotations (self->clip);
  set_range (self, id, start, end);
  repaint (self, id);
  changed (self);

  return TRUE;
}

gboolean
gloss_annotation_editor_delete (GlossAnnotationEditor *self,
                                const char            *id)
{
  g_autoptr(GlossAnnotation) annotation = NULL;

  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), FALSE);

  if (gloss_annotation_editor_lookup (self, id) == NULL || !gloss_annotation_editor_check_writable (self))
    return FALSE;

  end_note (self);
  annotation = g_object_ref (gloss_annotation_editor_lookup (self, id));
  push_undo (self, id, annotation);
  gloss_clip_remove_annotation (self->clip, id);
  g_hash_table_remove (self->ranges, id);
  repaint (self, id);
  changed (self);
  g_signal_emit (self, signals[DELETED], 0, annotation);

  return TRUE;
}

/* Anchors @annotation, about to be put back in the clip: done before it
 * is, so that who lists the clip's annotations when it comes back (the
 * live panel) finds it where it is. */
static void
place (GlossAnnotationEditor *self,
       GlossAnnotation       *annotation)
{
  const char *id = gloss_annotation_get_id (annotation);
  guint start, end;

  if (self->live)
    {
      if (self->text != NULL &&
          gloss_anchor_quote_near (self->text, gloss_annotation_get_exact (annotation),
                                   gloss_annotation_get_prefix (annotation),
                                   gloss_annotation_get_suffix (annotation),
                                   gloss_annotation_get_start (annotation),
                                   &start, &end) != GLOSS_ANCHOR_ORPHAN)
        set_range (self, id, start, end);
      else
        g_hash_table_remove (self->ranges, id);
      return;
    }

  if (self->text != NULL && gloss_anchor_annotation (self->text, annotation, &start, &end) != GLOSS_ANCHOR_ORPHAN)
    {
      gloss_annotation_set_orphan (annotation, FALSE);
      set_range (self, id, start, end);
    }
  else
    {
      gloss_annotation_set_orphan (annotation, TRUE);
      g_hash_table_remove (self->ranges, id);
    }
}

gboolean
gloss_annotation_editor_restore (GlossAnnotationEditor *self,
                                 GlossAnnotation       *annotation)
{
  g_autoptr(GlossAnnotation) copy = NULL;
  const char *id;

  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), FALSE);
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (annotation), FALSE);

  id = gloss_annotation_get_id (annotation);
  if (self->clip == NULL || gloss_annotation_editor_lookup (self, id) != NULL ||
      !gloss_annotation_editor_check_writable (self))
    return FALSE;

  copy = gloss_annotation_copy (annotation);
  place (self, copy);
  if (!gloss_clip_add_annotation (self->clip, copy))
    {
      g_hash_table_remove (self->ranges, id);
      return FALSE;
    }

  end_note (self);

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

  repaint (self, id);
  changed (self);

  return TRUE;
}

gboolean
gloss_annotation_editor_can_undo (GlossAnnotationEditor *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), FALSE);

  return !g_queue_is_empty (&self->undo);
}

gboolean
gloss_annotation_editor_undo (GlossAnnotationEditor *self)
{
  UndoEntry *entry;
  g_autofree char *id = NULL;
  g_autoptr(GlossAnnotation) before = NULL;

  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), FALSE);

  end_note (self);

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

  if (gloss_annotation_editor_lookup (self, id) != NULL)
    gloss_clip_remove_annotation (self->clip, id);
  g_hash_table_remove (self->ranges, id);

  if (before != NULL)
    {
      place (self, before);
      if (!gloss_clip_add_annotation (self->clip, before))
        g_hash_table_remove (self->ranges, id);
    }

  repaint (self, id);

  changed (self);

  return TRUE;
}

void
gloss_annotation_editor_clip_changed (GlossAnnotationEditor *self)
{
  g_return_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self));

  if (self->clip == NULL)
    return;

  end_note (self);
  changed (self);
}

gboolean
gloss_annotation_editor_flush (GlossAnnotationEditor  *self,
                               GError                **error)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), FALSE);

  end_note (self);
  if (self->saver == NULL)
    return TRUE;

  return gloss_clip_saver_flush (self->saver, error);
}

gboolean
gloss_annotation_editor_get_save_pending (GlossAnnotationEditor *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), FALSE);

  return self->saver != NULL && gloss_clip_saver_get_pending (self->saver);
}

char *
gloss_annotation_editor_dup_markdown (GlossAnnotationEditor *self,
                                      const char            *id)
{
  GlossAnnotation *annotation;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  const char *note;

  g_return_val_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self), NULL);

  annotation = gloss_annotation_editor_lookup (self, id);
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
gloss_annotation_editor_set_library (GlossAnnotationEditor *self,
                                     GlossLibrary          *library)
{
  g_return_if_fail (GLOSS_IS_ANNOTATION_EDITOR (self));
  g_return_if_fail (library == NULL || GLOSS_IS_LIBRARY (library));

  if (self->library == library)
    return;

  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_set_object (&self->library, library);
  if (library != NULL)
    g_signal_connect_object (library, "clip-changed",
                             G_CALLBACK (gloss_annotation_editor_library_clip_changed_cb),
                             self, G_CONNECT_SWAPPED);

  /* The clip being edited saves into the new library from now on. */
  if (self->clip != NULL && self->saver == NULL && library != NULL)
    {
      self->saver = gloss_clip_saver_get_for_clip (library, self->clip);
      g_signal_connect_object (self->saver, "error", G_CALLBACK (saver_error_cb), self, G_CONNECT_SWAPPED);
    }
}

static void
gloss_annotation_editor_dispose (GObject *object)
{
  GlossAnnotationEditor *self = (GlossAnnotationEditor *)object;

  /* Nothing typed is lost. */
  release_clip (self);

  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (gloss_annotation_editor_parent_class)->dispose (object);
}

static void
gloss_annotation_editor_finalize (GObject *object)
{
  GlossAnnotationEditor *self = (GlossAnnotationEditor *)object;

  g_hash_table_unref (self->ranges);

  G_OBJECT_CLASS (gloss_annotation_editor_parent_class)->finalize (object);
}

static void
gloss_annotation_editor_class_init (GlossAnnotationEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_annotation_editor_dispose;
  object_class->finalize = gloss_annotation_editor_finalize;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REPAINT] =
    g_signal_new ("repaint", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[REANCHORED] =
    g_signal_new ("reanchored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[DELETED] =
    g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GLOSS_TYPE_ANNOTATION);
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gloss_annotation_editor_init (GlossAnnotationEditor *self)
{
  self->ranges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->undo);
}

GlossAnnotationEditor *
gloss_annotation_editor_new (void)
{
  return g_object_new (GLOSS_TYPE_ANNOTATION_EDITOR, NULL);
}
