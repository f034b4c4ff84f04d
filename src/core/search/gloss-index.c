/* gloss-index.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* GlossIndex: the worker thread that owns the SQLite connection
 * (gloss-index-db.c), its job queues, and the async API on top.
 *
 * Two queues: searches (served first, also between the batches of a long
 * sync) and writes (sync, update, remove, flush, in order). A corrupt
 * file found at any point is replaced and the library indexed again
 * before the job that found it is retried. */

#define G_LOG_DOMAIN "gloss-index"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gloss-error.h"
#include "gloss-index-db.h"
#include "gloss-index.h"

/* Clips per transaction when indexing many: big enough to amortise the
 * commit, small enough that a search waits at most a fraction of a
 * second. */
#define BATCH_SIZE 200
/* From this many clips to index, write without syncing until the end. */
#define BULK_SIZE 1000
/* How long after the last update made outside a sync the folders table's
 * copy is written again (see worker_main()). GLOSS_INDEX_COPY_DELAY_MS,
 * a knob for tests, sets it. */
#define COPY_DELAY_MS 2000

typedef enum
{
  JOB_SYNC,
  JOB_UPDATE,
  JOB_REMOVE,
  JOB_FLUSH,
  JOB_SEARCH,
} JobKind;

typedef struct
{
  JobKind     kind;
  char       *clip_id;
  GlossQuery *query;
  guint       limit;
  GCancellable *cancellable;
  GTask      *task;
  /* Set by the worker, returned on the task's own thread. */
  GError     *error;
  GPtrArray  *results;
} Job;

struct _GlossIndex
{
  GObject       parent_instance;

  GFile        *folder;
  char         *clips_path;
  char         *path;
  GMainContext *context;

  /* Main thread. */
  gboolean      indexing;
  double        progress;

  /* Shared with the worker, under @mutex. */
  GMutex        mutex;
  GCond         cond;
  GQueue        searches;
  GQueue        writes;
  gboolean      quit;
  GThread      *thread;
  /* A blocking call runs its job on its own thread (run_here()). */
  gboolean      running_here;

  /* Worker only (or the thread that runs a job here). */
  GlossIndexDb *db;
  gboolean      synced;
  /* ensure_db() has just filled a new file: the sync that asked for it
   * has nothing left to do. */
  gboolean      just_filled;
  /* When the copy of the folders table is due to be written again; 0
   * when it is not. */
  gint64        copy_due;
  gint64        copy_delay_us;

  /* Under @mutex. */
  gboolean      thorough;
};

enum {
  PROP_0,
  PROP_LIBRARY_FOLDER,
  PROP_PATH,
  PROP_INDEXING,
  PROP_PROGRESS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (GlossIndex, gloss_index, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  g_free (job->clip_id);
  g_clear_pointer (&job->query, gloss_query_unref);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->task);
  g_clear_error (&job->error);
  g_clear_pointer (&job->results, g_ptr_array_unref);
  g_free (job);
}

static gboolean
complete_cb (gpointer data)
{
  Job *job = data;

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else if (job->kind == JOB_SEARCH)
    g_task_return_pointer (job->task, g_steal_pointer (&job->results),
                           (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_boolean (job->task, TRUE);
  return G_SOURCE_REMOVE;
}

/* Ends a job that the worker ran. A task's result is returned, and the
 * task released, on the thread that made it: were the worker to drop the
 * last reference on a task, it could drop the last one on the index too,
 * and dispose would run on the worker itself. */
static void
finish_job (Job *job)
{
  GMainContext *context;
  GSource *source;

  if (job->task == NULL)
    {
      job_free (job);
      return;
    }

  /* Once attached, the source may run, free the job and with it the
   * task and the task's last reference on its context, before this
   * thread lets go of the source: hold the context until then. */
  context = g_main_context_ref (g_task_get_context (job->task));
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, complete_cb, job, (GDestroyNotify) job_free);
  g_source_set_static_name (source, "[gloss-index] complete");
  g_source_attach (source, context);
  g_source_unref (source);
  g_main_context_unref (context);
}

/* Main-context notifications from the worker. The weak reference lets a
 * notification that arrives after the index is gone do nothing. */
typedef struct
{
  GWeakRef  self;
  gboolean  set_state;
  gboolean  indexing;
  double    progress;
  gboolean  changed;
} Notify;

static gboolean
notify_cb (gpointer data)
{
  Notify *notify = data;
  g_autoptr(GlossIndex) self = g_weak_ref_get (&notify->self);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  if (notify->set_state)
    {
      if (self->indexing != notify->indexing)
        {
          self->indexing = notify->indexing;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEXING]);
        }
      if (self->progress != notify->progress)
        {
          self->progress = notify->progress;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
        }
    }
  if (notify->changed)
    g_signal_emit (self, signals[CHANGED], 0);

  return G_SOURCE_REMOVE;
}

static void
notify_free (gpointer data)
{
  Notify *notify = data;

  g_weak_ref_clear (&notify->self);
  g_free (notify);
}

static void
post (GlossIndex *self,
      gboolean    set_state,
      gboolean    indexing,
      double      progress,
      gboolean    changed)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  Notify *notify = g_new0 (Notify, 1);

  g_weak_ref_init (&notify->self, self);
  notify->set_state = set_state;
  notify->indexing = indexing;
  notify->progress = progress;
  notify->changed = changed;

  /* Never g_main_context_invoke(): it would run the callback on this
   * thread whenever the main context is free. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, notify_cb, notify, notify_free);
  g_source_set_static_name (source, "[gloss-index] notify");
  g_source_attach (source, self->context);
}

static gboolean
should_stop (GlossIndex   *self,
             GCancellable *cancellable)
{
  gboolean quit;

  g_mutex_lock (&self->mutex);
  quit = self->quit;
  g_mutex_unlock (&self->mutex);
  return quit || g_cancellable_is_cancelled (cancellable);
}

static gboolean ensure_db (GlossIndex  *self,
                           GError     **error);
static void     run_search (GlossIndex *self,
                            Job        *job);

/* Lets waiting searches run between two batches of indexing. */
static void
run_waiting_searches (GlossIndex *self)
{
  while (TRUE)
    {
      Job *job;

      g_mutex_lock (&self->mutex);
      job = g_queue_pop_head (&self->searches);
      g_mutex_unlock (&self->mutex);
      if (job == NULL)
        return;
      run_search (self, job);
      finish_job (job);
    }
}

static gboolean
do_sync (GlossIndex    *self,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GlossIndexDbCheck) started = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  guint total;
  guint done = 0;
  gboolean ok = TRUE;
  gboolean bulk;

  self->just_filled = FALSE;
  /* The look at the clip folders starts before the index is opened:
   * both take a while. */
  started = gloss_index_db_check_start (self->path, self->clips_path);
  if (!ensure_db (self, error))
    return FALSE;
  if (self->just_filled)
    return TRUE;
  g_mutex_lock (&self->mutex);
  gloss_index_db_set_thorough (self->db, self->thorough);
  g_mutex_unlock (&self->mutex);
  if (!gloss_index_db_plan (self->db, started, &changed, &removed, error))
    return FALSE;

  self->synced = TRUE;
  total = changed->len + removed->len;
  if (total == 0)
    return gloss_index_db_finish_sync (self->db, error);

  g_debug ("Indexing %u clips, dropping %u", changed->len, removed->len);
  post (self, TRUE, TRUE, 0.0, FALSE);

  bulk = changed->len >= BULK_SIZE;
  if (bulk)
    ok = gloss_index_db_begin_bulk (self->db, error);

  if (ok && removed->len > 0)
    ok = gloss_index_db_remove (self->db, (const char **) removed->pdata, removed->len, error);
  done = removed->len;

  for (guint i = 0; ok && i < changed->len; i += BATCH_SIZE)
    {
      guint n = MIN (BATCH_SIZE, changed->len - i);

      if (should_stop (self, cancellable))
        {
          ok = FALSE;
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Indexing was cancelled"));
          break;
        }
      ok = gloss_index_db_update (self->db, (const char **) changed->pdata + i, n, error);
      done += n;
      post (self, TRUE, TRUE, (double) done / total, FALSE);
      run_waiting_searches (self);
    }

  /* Not after a failure: the marker then makes the next open start
   * again from nothing. */
  if (ok && bulk)
    ok = gloss_index_db_end_bulk (self->db, error);
  /* Only now: a sync cut short must read the listing of clips/ again. */
  if (ok)
    ok = gloss_index_db_finish_sync (self->db, error);

  post (self, TRUE, FALSE, 1.0, TRUE);
  return ok;
}

/* Replaces a corrupt file with an empty index and fills it again. */
static gboolean
recover (GlossIndex  *self,
         GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_info ("The search index %s is corrupt: rebuilding it", self->path);
  self->db = gloss_index_db_reset (self->db, &local_error);
  if (self->db == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return do_sync (self, NULL, error);
}

static gboolean
ensure_db (GlossIndex  *self,
           GError     **error)
{
  gboolean rebuilt = FALSE;

  if (self->db != NULL)
    return TRUE;

  self->db = gloss_index_db_open (self->path, self->clips_path, &rebuilt, error);
  if (self->db == NULL)
    return FALSE;

  /* A new file: whatever asked for it, fill it from the library first. */
  if (rebuilt)
    return (self->just_filled = do_sync (self, NULL, error));
  return TRUE;
}

/* Runs @func and, when it reports a corrupt file, rebuilds the index and
 * runs it once more. */
#define WITH_RECOVERY(self, ok, error, expr)                         \
  G_STMT_START {                                                     \
    ok = (expr);                                                     \
    if (!ok && (self)->db != NULL && gloss_index_db_is_corrupt ((self)->db)) \
      {                                                              \
        g_clear_error (error);                                       \
        ok = recover ((self), (error)) && (expr);                    \
      }                                                              \
  } G_STMT_END

static void
run_search (GlossIndex *self,
            Job        *job)
{
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = job->cancellable;
  GPtrArray *results = NULL;
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, &job->error))
    return;

  WITH_RECOVERY (self, ok, &error,
                 ensure_db (self, &error) &&
                 (results = gloss_index_db_search (self->db, job->query, job->limit,
                                                   cancellable, &error)) != NULL);
  if (!ok)
    job->error = g_steal_pointer (&error);
  else
    job->results = results;
}

/* Takes the writes of the same kind that follow @first, so that a burst
 * of changes goes into one transaction. */
static GPtrArray *
take_write_batch (GlossIndex *self,
                  Job        *first)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (ids, g_steal_pointer (&first->clip_id));

  g_mutex_lock (&self->mutex);
  while (ids->len < BATCH_SIZE)
    {
      Job *next = g_queue_peek_head (&self->writes);

      if (next == NULL || next->kind != first->kind)
        break;
      g_queue_pop_head (&self->writes);
      g_ptr_array_add (ids, g_steal_pointer (&next->clip_id));
      job_free (next);
    }
  g_mutex_unlock (&self->mutex);

  return ids;
}

static void
run_write (GlossIndex *self,
           Job        *job)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  switch (job->kind)
    {
    case JOB_SYNC:
      WITH_RECOVERY (self, ok, &error,
                     do_sync (self, job->cancellable, &error));
      break;

    case JOB_UPDATE:
    case JOB_REMOVE:
      {
        g_autoptr(GPtrArray) ids = take_write_batch (self, job);

        if (job->kind == JOB_UPDATE)
          WITH_RECOVERY (self, ok, &error,
                         ensure_db (self, &error) &&
                         gloss_index_db_update (self->db, (const char **) ids->pdata, ids->len, &error));
        else
          WITH_RECOVERY (self, ok, &error,
                         ensure_db (self, &error) &&
                         gloss_index_db_remove (self->db, (const char **) ids->pdata, ids->len, &error));
        if (ok)
          post (self, FALSE, FALSE, 0, TRUE);
        else
          g_warning ("Could not update the search index: %s", error->message);
      }
      break;

    case JOB_FLUSH:
      ok = ensure_db (self, &error);
      break;

    case JOB_SEARCH:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    job->error = g_steal_pointer (&error);
}

/* The window's edits change the folders table outside a sync, which
 * leaves the copy beside the index behind (gloss-index-db-folders.c):
 * the next `gloss --search` would read the table. So once the updates
 * have been quiet for a while, and when the index closes, the worker
 * copies the table again. */
static void
copy_folders_if_due (GlossIndex *self)
{
  if (self->copy_due != 0 && self->db != NULL)
    gloss_index_db_copy_folders (self->db);
  self->copy_due = 0;
}

/* Runs @job, a write, and notes when the copy of the folders table is
 * due. */
static void
run_write_job (GlossIndex *self,
               Job        *job)
{
  run_write (self, job);
  /* A sync copies the table itself when it changed it. */
  if (job->kind == JOB_SYNC)
    self->copy_due = 0;
  else if (job->kind != JOB_FLUSH)
    self->copy_due = g_get_monotonic_time () + self->copy_delay_us;
}

static gpointer
worker_main (gpointer data)
{
  GlossIndex *self = data;

  while (TRUE)
    {
      Job *job = NULL;
      gboolean quit;

      g_mutex_lock (&self->mutex);
      while (!self->quit && self->searches.length == 0 && self->writes.length == 0)
        {
          if (self->copy_due == 0)
            g_cond_wait (&self->cond, &self->mutex);
          else if (!g_cond_wait_until (&self->cond, &self->mutex, self->copy_due))
            break;
        }
      quit = self->quit;
      if (!quit)
        {
          job = g_queue_pop_head (&self->searches);
          if (job == NULL)
            job = g_queue_pop_head (&self->writes);
        }
      g_mutex_unlock (&self->mutex);

      if (job == NULL)
        {
          /* Quiet for long enough, or closing. */
          copy_folders_if_due (self);
          if (quit)
            break;
          continue;
        }

      if (job->kind == JOB_SEARCH)
        run_search (self, job);
      else
        run_write_job (self, job);
      finish_job (job);
    }

  g_clear_pointer (&self->db, gloss_index_db_close);
  return NULL;
}

static void
cancel_queue (GQueue *queue)
{
  Job *job;

  while ((job = g_queue_pop_head (queue)))
    {
      if (job->task != NULL)
        g_task_return_new_error (job->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "%s", _("The search index was closed"));
      job_free (job);
    }
}

static void
gloss_index_dispose (GObject *object)
{
  GlossIndex *self = GLOSS_INDEX (object);
  GThread *thread;

  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  thread = g_steal_pointer (&self->thread);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (thread != NULL)
    {
      /* A task callback may drop the last reference on the worker. */
      if (thread == g_thread_self ())
        g_thread_unref (thread);
      else
        g_thread_join (thread);
    }

  cancel_queue (&self->searches);
  cancel_queue (&self->writes);

  /* Open still when the jobs ran here alone: closed as the worker
   * would have. */
  if (self->db != NULL)
    {
      copy_folders_if_due (self);
      g_clear_pointer (&self->db, gloss_index_db_close);
    }

  G_OBJECT_CLASS (gloss_index_parent_class)->dispose (object);
}

static void
gloss_index_finalize (GObject *object)
{
  GlossIndex *self = GLOSS_INDEX (object);

  g_clear_object (&self->folder);
  g_clear_pointer (&self->clips_path, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (gloss_index_parent_class)->finalize (object);
}

static void
gloss_index_constructed (GObject *object)
{
  GlossIndex *self = GLOSS_INDEX (object);
  g_autoptr(GFile) clips = NULL;

  G_OBJECT_CLASS (gloss_index_parent_class)->constructed (object);

  g_assert (self->folder != NULL);
  clips = g_file_get_child (self->folder, "clips");
  self->clips_path = g_file_get_path (clips);
  if (self->clips_path == NULL)
    self->clips_path = g_file_get_uri (clips);
  self->path = gloss_index_db_path_for_folder (self->folder);
}

static void
gloss_index_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GlossIndex *self = GLOSS_INDEX (object);

  switch (prop_id)
    {
    case PROP_LIBRARY_FOLDER:
      g_value_set_object (value, self->folder);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_INDEXING:
      g_value_set_boolean (value, self->indexing);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_index_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GlossIndex *self = GLOSS_INDEX (object);

  switch (prop_id)
    {
    case PROP_LIBRARY_FOLDER:
      self->folder = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_index_class_init (GlossIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gloss_index_constructed;
  object_class->dispose = gloss_index_dispose;
  object_class->finalize = gloss_index_finalize;
  object_class->get_property = gloss_index_get_property;
  object_class->set_property = gloss_index_set_property;

  properties[PROP_LIBRARY_FOLDER] =
    g_param_spec_object ("library-folder", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INDEXING] =
    g_param_spec_boolean ("indexing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gloss_index_init (GlossIndex *self)
{
  self->progress = 1.0;
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->searches);
  g_queue_init (&self->writes);

  /* Read here, on the thread that made the index: the worker must not
   * call getenv() while a test may call setenv(). */
  self->copy_delay_us = COPY_DELAY_MS * 1000;
  if (g_getenv ("GLOSS_INDEX_COPY_DELAY_MS") != NULL)
    self->copy_delay_us = MAX (0, g_ascii_strtoll (g_getenv ("GLOSS_INDEX_COPY_DELAY_MS"), NULL, 10)) * 1000;
}

GlossIndex *
gloss_index_new (GFile *library_folder)
{
  g_return_val_if_fail (G_IS_FILE (library_folder), NULL);

  return g_object_new (GLOSS_TYPE_INDEX, "library-folder", library_folder, NULL);
}

void
gloss_index_set_thorough_sync (GlossIndex *self,
                               gboolean    thorough)
{
  g_return_if_fail (GLOSS_IS_INDEX (self));

  g_mutex_lock (&self->mutex);
  self->thorough = !!thorough;
  g_mutex_unlock (&self->mutex);
}

GFile *
gloss_index_get_library_folder (GlossIndex *self)
{
  g_return_val_if_fail (GLOSS_IS_INDEX (self), NULL);
  return self->folder;
}

const char *
gloss_index_get_path (GlossIndex *self)
{
  g_return_val_if_fail (GLOSS_IS_INDEX (self), NULL);
  return self->path;
}

gboolean
gloss_index_get_indexing (GlossIndex *self)
{
  g_return_val_if_fail (GLOSS_IS_INDEX (self), FALSE);
  return self->indexing;
}

double
gloss_index_get_progress (GlossIndex *self)
{
  g_return_val_if_fail (GLOSS_IS_INDEX (self), 0.0);
  return self->progress;
}

static Job *
job_new (JobKind       kind,
         const char   *clip_id,
         GlossQuery   *query,
         guint         limit,
         GCancellable *cancellable)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->clip_id = g_strdup (clip_id);
  job->query = query ? gloss_query_ref (query) : NULL;
  job->limit = limit;
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  return job;
}

/* Under @mutex: the worker starts with the first job queued, unless a
 * job is running here, which starts it when it ends. */
static void
start_worker_locked (GlossIndex *self)
{
  if (self->thread == NULL && !self->running_here && !self->quit &&
      self->searches.length + self->writes.length > 0)
    self->thread = g_thread_new ("gloss-index", worker_main, self);
}

/* Hands @job to the worker, with a task for @callback when there is
 * one. */
static void
push_job (GlossIndex          *self,
          Job                 *job,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  if (callback != NULL)
    {
      job->task = g_task_new (self, job->cancellable, callback, user_data);
      g_task_set_source_tag (job->task, source_tag);
    }

  g_mutex_lock (&self->mutex);
  g_queue_push_tail (job->kind == JOB_SEARCH ? &self->searches : &self->writes, job);
  start_worker_locked (self);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static void
queue (GlossIndex          *self,
       JobKind              kind,
       const char          *clip_id,
       GlossQuery          *query,
       guint                limit,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data,
       gpointer             source_tag)
{
  push_job (self, job_new (kind, clip_id, query, limit, cancellable), callback, user_data, source_tag);
}

/* The blocking calls run their job on the calling thread while the index
 * has no worker: `gloss --search` makes one sync and one search, and the
 * worker, the thread pool and main-context wake-ups that GTask brings,
 * and the round trips to them cost it a twentieth of its time. Once a
 * worker runs, a blocking call queues its job like the async ones and
 * waits (FALSE here). */
static gboolean
run_here (GlossIndex *self,
          Job        *job)
{
  g_mutex_lock (&self->mutex);
  if (self->thread != NULL || self->running_here || self->quit)
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  self->running_here = TRUE;
  g_mutex_unlock (&self->mutex);

  if (job->kind == JOB_SEARCH)
    run_search (self, job);
  else
    run_write_job (self, job);

  g_mutex_lock (&self->mutex);
  self->running_here = FALSE;
  /* The async calls made meanwhile. */
  start_worker_locked (self);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

void
gloss_index_sync_async (GlossIndex          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (GLOSS_IS_INDEX (self));

  queue (self, JOB_SYNC, NULL, NULL, 0, cancellable, callback, user_data, gloss_index_sync_async);
}

gboolean
gloss_index_sync_finish (GlossIndex    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (GLOSS_IS_INDEX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gloss_index_update_clip (GlossIndex *self,
                         const char *clip_id)
{
  g_return_if_fail (GLOSS_IS_INDEX (self));
  g_return_if_fail (clip_id != NULL);

  queue (self, JOB_UPDATE, clip_id, NULL, 0, NULL, NULL, NULL, NULL);
}

void
gloss_index_remove_clip (GlossIndex *self,
                         const char *clip_id)
{
  g_return_if_fail (GLOSS_IS_INDEX (self));
  g_return_if_fail (clip_id != NULL);

  queue (self, JOB_REMOVE, clip_id, NULL, 0, NULL, NULL, NULL, NULL);
}

void
gloss_index_search_query_async (GlossIndex          *self,
                                GlossQuery          *query,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (GLOSS_IS_INDEX (self));
  g_return_if_fail (query != NULL);

  queue (self, JOB_SEARCH, NULL, query, limit, cancellable, callback, user_data,
         gloss_index_search_async);
}

void
gloss_index_search_async (GlossIndex          *self,
                          const char          *query_text,
                          guint                limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GlossQuery) query = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GLOSS_IS_INDEX (self));
  g_return_if_fail (query_text != NULL);

  query = gloss_query_parse (query_text, &error);
  if (query == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, gloss_index_search_async);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  gloss_index_search_query_async (self, query, limit, cancellable, callback, user_data);
}

static GListModel *
results_to_model (GPtrArray *results)
{
  GListStore *store = g_list_store_new (GLOSS_TYPE_SEARCH_RESULT);

  g_list_store_splice (store, 0, 0, results->pdata, results->len);
  return G_LIST_MODEL (store);
}

GListModel *
gloss_index_search_finish (GlossIndex    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_autoptr(GPtrArray) results = NULL;

  g_return_val_if_fail (GLOSS_IS_INDEX (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  results = g_task_propagate_pointer (G_TASK (result), error);
  if (results == NULL)
    return NULL;
  return results_to_model (results);
}

/* A blocking call waiting for the worker, in a private main context. */
typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_context_wakeup (wait->context);
}

static void
wait_begin (Wait *wait)
{
  wait->context = g_main_context_new ();
  wait->result = NULL;
  g_main_context_push_thread_default (wait->context);
}

/* The outcome of the call started since wait_begin(), for its _finish();
 * the caller owns it. */
static GAsyncResult *
wait_end (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (wait->context, TRUE);
  g_main_context_pop_thread_default (wait->context);
  g_main_context_unref (wait->context);
  return g_steal_pointer (&wait->result);
}

/* The blocking calls: the job runs here while the index has no worker
 * (run_here()), else on the worker while this thread waits. @results
 * gets a search's. */
static gboolean
run_blocking (GlossIndex    *self,
              JobKind        kind,
              GlossQuery    *query,
              guint          limit,
              GCancellable  *cancellable,
              GPtrArray    **results,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  Job *job = job_new (kind, NULL, query, limit, cancellable);
  Wait wait;
  gboolean ok;

  if (run_here (self, job))
    {
      g_autoptr(GError) cancelled = NULL;

      /* What the task's _finish() says on the worker's side
       * (g_task_propagate_*()): once the cancellable is cancelled, the
       * call was cancelled, whatever its job did; a sync with nothing
       * to do, or a flush, would otherwise succeed. */
      if (g_cancellable_set_error_if_cancelled (job->cancellable, &cancelled))
        {
          g_clear_error (&job->error);
          job->error = g_steal_pointer (&cancelled);
        }
      ok = job->error == NULL;
      if (!ok)
        g_propagate_error (error, g_steal_pointer (&job->error));
      else if (results != NULL)
        *results = g_steal_pointer (&job->results);
      job_free (job);
      return ok;
    }

  wait_begin (&wait);
  push_job (self, job, wait_cb, &wait, run_blocking);
  result = wait_end (&wait);
  if (results != NULL)
    return (*results = g_task_propagate_pointer (G_TASK (result), error)) != NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
gloss_index_sync (GlossIndex    *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (GLOSS_IS_INDEX (self), FALSE);

  return run_blocking (self, JOB_SYNC, NULL, 0, cancellable, NULL, error);
}

gboolean
gloss_index_flush (GlossIndex    *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (GLOSS_IS_INDEX (self), FALSE);

  return run_blocking (self, JOB_FLUSH, NULL, 0, cancellable, NULL, error);
}

GListModel *
gloss_index_search_query (GlossIndex    *self,
                          GlossQuery    *query,
                          guint          limit,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GPtrArray) results = NULL;

  g_return_val_if_fail (GLOSS_IS_INDEX (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!run_blocking (self, JOB_SEARCH, query, limit, cancellable, &results, error))
    return NULL;
  return results_to_model (results);
}

GListModel *
gloss_index_search (GlossIndex    *self,
                    const char    *query_text,
                    guint          limit,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GlossQuery) query = NULL;

  g_return_val_if_fail (GLOSS_IS_INDEX (self), NULL);
  g_return_val_if_fail (query_text != NULL, NULL);

  query = gloss_query_parse (query_text, error);
  if (query == NULL)
    return NULL;
  return gloss_index_search_query (self, query, limit, cancellable, error);
}

static void
clip_updated_cb (GlossLibrary *library,
                 GlossClip    *clip,
                 GlossIndex   *self)
{
  const char *id = gloss_clip_get_id (clip);

  /* Re-read from disk on the worker: the clip object belongs to this
   * thread, and the files are what the index records sizes of. */
  if (id != NULL)
    gloss_index_update_clip (self, id);
}

static void
clip_removed_cb (GlossLibrary *library,
                 GlossClip    *clip,
                 GlossIndex   *self)
{
  const char *id = gloss_clip_get_id (clip);

  if (id != NULL)
    gloss_index_remove_clip (self, id);
}

void
gloss_index_watch_library (GlossIndex   *self,
                           GlossLibrary *library)
{
  g_return_if_fail (GLOSS_IS_INDEX (self));
  g_return_if_fail (GLOSS_IS_LIBRARY (library));

  g_signal_connect_object (library, "clip-added", G_CALLBACK (clip_updated_cb), self, 0);
  g_signal_connect_object (library, "clip-changed", G_CALLBACK (clip_updated_cb), self, 0);
  g_signal_connect_object (library, "clip-removed", G_CALLBACK (clip_removed_cb), self, 0);
}
