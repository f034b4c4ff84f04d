/* gloss-clip-saver.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Saving one clip while it is edited: debounced, written on a worker
 * thread, one write at a time, errors reported. The main thread only
 * takes a snapshot (the clip's own members as text and a reference to
 * each annotation's frozen text: well under a millisecond for a thousand
 * annotations); putting clip.json's bytes together, the clip's lock,
 * reading clip.json again, merging what another writer saved meanwhile
 * and the durable write (an fsync of the file and of its folder) run on
 * the worker with private data only; a merged result is folded back into
 * the clip on the main thread (gloss-clip-private.h, the save job). */

#define G_LOG_DOMAIN "gloss-clip-saver"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gloss-clip-private.h"
#include "gloss-clip-saver.h"
#include "gloss-error.h"

/* Freezing the annotations of a clip just opened: this long at a time. */
#define WARM_SLICE_USEC 1000

/* A pause in the changes this long writes them ... */
#define SAVE_DELAY_MS 300
/* ... and changes that never pause are written this often. */
#define SAVE_MAX_DELAY_MS 2000

typedef struct
{
  gatomicrefcount  ref_count;
  GlossClipSaveJob *job;
  GError          *error;
  gboolean         done;     /* under the saver's lock */
  gboolean         handled;  /* main thread only */
} Write;

struct _GlossClipSaver
{
  GObject       parent_instance;

  GlossLibrary *library;
  GlossClip    *clip;

  guint         timeout_id;
  guint         warm_id;
  guint         warm_next;     /* the next annotation warm_cb() freezes */
  gint64        first_change;  /* of the changes not yet written, or 0 */
  Write        *writing;       /* the write under way, or NULL */

  GMutex        lock;
  GCond         cond;

  guint         dirty : 1;
  guint         notifying : 1;
};

G_DEFINE_FINAL_TYPE (GlossClipSaver, gloss_clip_saver, G_TYPE_OBJECT)

enum {
  ERROR,
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static GQuark saver_quark;

static Write *
write_ref (Write *write)
{
  g_atomic_ref_count_inc (&write->ref_count);
  return write;
}

static void
write_unref (Write *write)
{
  if (!g_atomic_ref_count_dec (&write->ref_count))
    return;

  g_clear_pointer (&write->job, gloss_clip_save_job_free);
  g_clear_error (&write->error);
  g_free (write);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Write, write_unref)

static void start_write (GlossClipSaver *self);

/* What a failed write says to a person, whatever part of the save path
 * failed (the lock, reading the file again, the write). */
static GError *
describe (GlossClipSaver *self,
          const GError   *error)
{
  return g_error_new (GLOSS_ERROR, GLOSS_ERROR_IO,
                      _("Could not save the changes to “%s”: %s"),
                      gloss_clip_get_title (self->clip), error->message);
}

static void
report (GlossClipSaver *self,
        const GError   *error)
{
  g_autoptr(GError) shown = describe (self, error);

  /* Someone shows it to the user; else at least the log has it. */
  if (g_signal_has_handler_pending (self, signals[ERROR], 0, FALSE))
    g_signal_emit (self, signals[ERROR], 0, shown);
  else
    g_warning ("%s", shown->message);
}

/* Main thread: what the disk holds now. */
static void
write_finished (GlossClipSaver *self,
                Write          *write)
{
  g_assert (GLOSS_IS_CLIP_SAVER (self));
  g_assert (!write->handled);

  write->handled = TRUE;
  if (self->writing == write)
    self->writing = NULL;

  if (write->error != NULL)
    {
      /* Written again with the next change or flush. */
      self->dirty = TRUE;
      report (self, write->error);
      return;
    }

  if (!gloss_clip_save_job_apply (self->clip, write->job, &write->error))
    {
      /* Our changes are on disk; the other writer's are not in memory:
       * said, and merged again with the next save. */
      report (self, write->error);
    }

  if (self->library != NULL)
    {
      /* Another writer's changes folded in are news to the editors of
       * the clip (they anchor and paint again); our own write alone is
       * not. */
      self->notifying = !gloss_clip_save_job_get_merged (write->job);
      gloss_library_clip_saved (self->library, self->clip);
      self->notifying = FALSE;
    }

  if (!self->dirty)
    g_signal_emit (self, signals[SAVED], 0);
}

static void
gloss_clip_saver_write_thread (GTask        *task,
                               gpointer      source_object,
                               gpointer      task_data,
                               GCancellable *cancellable)
{
  GlossClipSaver *self = source_object;
  Write *write = task_data;
  GError *error = NULL;

  /* Only the job's own data: never the clip, nor the saver's fields
   * other than its lock and condition. */
  gloss_clip_save_job_run (write->job, &error);

  g_mutex_lock (&self->lock);
  write->error = error;
  write->done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  g_task_return_boolean (task, TRUE);
}

static void
gloss_clip_saver_write_done_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  GlossClipSaver *self = GLOSS_CLIP_SAVER (object);
  Write *write = g_task_get_task_data (G_TASK (result));

  g_assert (GLOSS_IS_CLIP_SAVER (self));

  /* A flush may have waited for it and finished it already. */
  if (!write->handled)
    write_finished (self, write);

  /* Changes made while it was written, whose pause is over. */
  if (self->dirty && self->timeout_id == 0 && self->writing == NULL)
    start_write (self);
}

/* What clip.json is to hold, as the clip is now: on the main thread. */
static Write *
prepare_write (GlossClipSaver  *self,
               GError         **error)
{
  g_autoptr(GlossClipSaveJob) job = NULL;
  Write *write;
  gint64 begin = g_get_monotonic_time ();

  job = gloss_clip_save_job_new (self->clip, TRUE, error);
  if (job == NULL)
    return NULL;

  write = g_new0 (Write, 1);
  g_atomic_ref_count_init (&write->ref_count);
  write->job = g_steal_pointer (&job);

  self->dirty = FALSE;
  self->first_change = 0;
  g_debug ("Clip %s: JSON made in %.1f ms", gloss_clip_get_id (self->clip),
           (g_get_monotonic_time () - begin) / 1000.0);

  return write;
}

static void
start_write (GlossClipSaver *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Write *write;

  g_assert (self->writing == NULL);

  write = prepare_write (self, &error);
  if (write == NULL)
    {
      /* A clip that may not be written (damaged, newer format): the
       * editors refuse changes to it, so this is a bug or a race with a
       * reload; say so rather than retrying for ever. */
      self->dirty = FALSE;
      report (self, error);
      return;
    }

  self->writing = write;
  task = g_task_new (self, NULL, gloss_clip_saver_write_done_cb, NULL);
  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, write, (GDestroyNotify)write_unref);
  g_task_run_in_thread (task, gloss_clip_saver_write_thread);
}

static gboolean
gloss_clip_saver_timeout_cb (gpointer user_data)
{
  GlossClipSaver *self = user_data;

  g_assert (GLOSS_IS_CLIP_SAVER (self));

  self->timeout_id = 0;
  /* One write at a time: the one under way starts the next. */
  if (self->dirty && self->writing == NULL)
    start_write (self);

  return G_SOURCE_REMOVE;
}

void
gloss_clip_saver_queue (GlossClipSaver *self)
{
  gint64 now = g_get_monotonic_time ();
  guint delay = SAVE_DELAY_MS;

  g_return_if_fail (GLOSS_IS_CLIP_SAVER (self));

  self->dirty = TRUE;
  if (self->first_change == 0)
    self->first_change = now;
  else
    {
      gint64 left = (self->first_change + SAVE_MAX_DELAY_MS * 1000 - now) / 1000;

      delay = CLAMP (left, 0, SAVE_DELAY_MS);
    }

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (delay, gloss_clip_saver_timeout_cb, self);
}

gboolean
gloss_clip_saver_flush (GlossClipSaver  *self,
                        GError         **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP_SAVER (self), FALSE);

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  /* The write under way first: writes land in order. */
  if (self->writing != NULL)
    {
      g_autoptr(Write) write = write_ref (self->writing);

      g_mutex_lock (&self->lock);
      while (!write->done)
        g_cond_wait (&self->cond, &self->lock);
      g_mutex_unlock (&self->lock);

      write_finished (self, write);
      if (write->error != NULL)
        local_error = describe (self, write->error);
    }

  if (self->dirty)
    {
      g_autoptr(GError) prepare_error = NULL;
      g_autoptr(Write) write = prepare_write (self, &prepare_error);

      g_clear_error (&local_error);
      if (write == NULL)
        {
          self->dirty = FALSE;
          report (self, prepare_error);
          local_error = g_steal_pointer (&prepare_error);
        }
      else
        {
          gloss_clip_save_job_run (write->job, &write->error);
          write->done = TRUE;
          write_finished (self, write);
          if (write->error != NULL)
            local_error = describe (self, write->error);
        }
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

gboolean
gloss_clip_saver_get_pending (GlossClipSaver *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_SAVER (self), FALSE);

  return self->dirty || self->writing != NULL;
}

GlossClip *
gloss_clip_saver_get_clip (GlossClipSaver *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_SAVER (self), NULL);

  return self->clip;
}

gboolean
gloss_clip_saver_is_notifying (GlossClip *clip)
{
  GlossClipSaver *saver;

  g_return_val_if_fail (GLOSS_IS_CLIP (clip), FALSE);

  saver = saver_quark ? g_object_get_qdata (G_OBJECT (clip), saver_quark) : NULL;
  return saver != NULL && saver->notifying;
}

/* A save takes a reference to each annotation's frozen text; a clip
 * just read has none yet, and freezing a thousand at the first save
 * would stall the main loop (about 8 ms). While nobody types, they are
 * frozen a millisecond's worth at a time; a save before the end freezes
 * the rest itself. */
static gboolean
gloss_clip_saver_warm_cb (gpointer user_data)
{
  GlossClipSaver *self = user_data;
  gint64 deadline = g_get_monotonic_time () + WARM_SLICE_USEC;
  GListModel *annotations;
  guint n;

  g_assert (GLOSS_IS_CLIP_SAVER (self));

  /* Never a read of the file for this: only a clip read in full. */
  annotations = self->clip->annotations ? G_LIST_MODEL (self->clip->annotations) : NULL;
  n = annotations != NULL ? g_list_model_get_n_items (annotations) : 0;
  while (self->warm_next < n && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (annotations, self->warm_next++);

      g_bytes_unref (gloss_annotation_freeze (annotation));
    }

  if (self->warm_next < n)
    return G_SOURCE_CONTINUE;

  self->warm_id = 0;
  return G_SOURCE_REMOVE;
}

static void
gloss_clip_saver_dispose (GObject *object)
{
  GlossClipSaver *self = (GlossClipSaver *)object;

  g_clear_handle_id (&self->warm_id, g_source_remove);

  /* Nothing is lost when the last editor lets go. */
  if (self->clip != NULL)
    {
      gloss_clip_saver_flush (self, NULL);
      g_object_set_qdata (G_OBJECT (self->clip), saver_quark, NULL);
    }

  g_clear_object (&self->library);
  g_clear_object (&self->clip);

  G_OBJECT_CLASS (gloss_clip_saver_parent_class)->dispose (object);
}

static void
gloss_clip_saver_finalize (GObject *object)
{
  GlossClipSaver *self = (GlossClipSaver *)object;

  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (gloss_clip_saver_parent_class)->finalize (object);
}

static void
gloss_clip_saver_class_init (GlossClipSaverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_clip_saver_dispose;
  object_class->finalize = gloss_clip_saver_finalize;

  saver_quark = g_quark_from_static_string ("gloss-clip-saver");

  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gloss_clip_saver_init (GlossClipSaver *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

GlossClipSaver *
gloss_clip_saver_get_for_clip (GlossLibrary *library,
                               GlossClip    *clip)
{
  GlossClipSaver *self;

  g_return_val_if_fail (library == NULL || GLOSS_IS_LIBRARY (library), NULL);
  g_return_val_if_fail (GLOSS_IS_CLIP (clip), NULL);

  g_type_ensure (GLOSS_TYPE_CLIP_SAVER);

  /* The clip points at its saver without a reference: the saver lives
   * as long as someone edits the clip, and unsets this in dispose. */
  self = g_object_get_qdata (G_OBJECT (clip), saver_quark);
  if (self != NULL)
    {
      if (self->library == NULL && library != NULL)
        self->library = g_object_ref (library);
      return g_object_ref (self);
    }

  self = g_object_new (GLOSS_TYPE_CLIP_SAVER, NULL);
  self->library = library ? g_object_ref (library) : NULL;
  self->clip = g_object_ref (clip);
  g_object_set_qdata (G_OBJECT (clip), saver_quark, self);
  if (gloss_clip_check_writable (clip, NULL))
    self->warm_id = g_idle_add_full (G_PRIORITY_LOW, gloss_clip_saver_warm_cb, self, NULL);

  return self;
}
