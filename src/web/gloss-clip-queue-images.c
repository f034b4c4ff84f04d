/* gloss-clip-queue-images.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The clip queue's other kind of work: the pictures of an article that an
 * export carried (Omnivore, wallabag). The import keeps such an article
 * with no network, its <img> still pointing at the web; here they are
 * fetched with libsoup, written as the clip's assets by the clip writer
 * (the one API that writes a clip folder), and the article is rewritten
 * to show assets/NAME, as a clipped page does. An image that cannot be
 * fetched (offline, a 404) keeps its web address and is tried again the
 * next time (Clip All Not Clipped, `gloss --clip-pending`): never an
 * error that loses the article. No web view is needed. */

#define G_LOG_DOMAIN "gloss-clip-queue"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gloss-clip-queue-private.h"
#include "gloss-clip-writer.h"
#include "gloss-clipper.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-image-fetch.h"
#include "gloss-import.h"

/* The limit the clipper puts on the count of a page's images. */
#define MAX_IMAGES GLOSS_CLIP_MAX_IMAGES

struct _GlossImagesJob
{
  GlossClipQueue  *queue;       /* unowned: it owns the job; NULL once released */
  gboolean         preparing;   /* the article is being read on a thread */
  GlossClip       *clip;
  char            *url;         /* the clip's page, as the job was added */
  GCancellable    *cancellable;
  GlossClipWriter *writer;
  char            *token;
  char            *html;        /* article.html showing placeholders */
  char            *text;        /* article.txt as read */
  GStrv            urls;
  guint            next;
  guint            running;
  guint            n_saved;
  guint            n_images;
  guint            n_unreachable;  /* failed for want of network, not a 4xx */
  gboolean         done;
};

typedef struct
{
  GlossImagesJob *job;
  char           *url;
} Fetch;

static void fetch_next (GlossImagesJob *job);

static SoupSession *
session_get (void)
{
  static SoupSession *session;

  /* One for the process: its connections are reused from job to job. */
  if (session == NULL)
    session = gloss_image_fetch_session_new ();
  return session;
}

static void
job_free (GlossImagesJob *job)
{
  g_clear_object (&job->writer);
  g_clear_object (&job->clip);
  g_clear_object (&job->cancellable);
  g_free (job->url);
  g_free (job->token);
  g_free (job->html);
  g_free (job->text);
  g_strfreev (job->urls);
  g_free (job);
}

/* The queue lets go of the job: it is freed at once when nothing of it is
 * under way, else when the last fetch or read comes back (cancelled). */
void
gloss_images_job_release (GlossImagesJob *job)
{
  if (job == NULL)
    return;
  job->queue = NULL;
  g_cancellable_cancel (job->cancellable);
  if (!job->preparing && job->running == 0)
    job_free (job);
}

/* Whether a released job is still waited for; frees it when not. */
static gboolean
job_released (GlossImagesJob *job)
{
  if (job->queue != NULL)
    return FALSE;
  if (!job->preparing && job->running == 0)
    job_free (job);
  return TRUE;
}

const char *
gloss_images_job_get_url (GlossImagesJob *job)
{
  return job->url;
}

void
gloss_images_job_get_counts (GlossImagesJob *job,
                             guint          *n_saved,
                             guint          *n_images,
                             guint          *n_unreachable)
{
  *n_saved = job->n_saved;
  *n_images = job->n_images;
  *n_unreachable = job->n_unreachable;
}

/* Ends the job once: the queue is told, and frees it. */
static void
job_done (GlossImagesJob *job,
          const char     *failure)
{
  if (job->done || job->queue == NULL)
    return;
  job->done = TRUE;
  if (job->writer != NULL && failure != NULL)
    gloss_clip_writer_abort (job->writer);
  _gloss_clip_queue_images_done (job->queue, job, job->clip, failure);
}

/* --- all fetched: the article rewritten ----------------------------------- */

static void
commit (GlossImagesJob *job)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GlossClipPage page = { .word_count = -1, };

  if (job->n_saved == 0)
    {
      /* Nothing to show instead: the article stays as it is, its images
       * on the web, to be tried again. */
      gloss_clip_writer_abort (job->writer);
      job_done (job, NULL);
      return;
    }

  /* The article changed meanwhile (Update Clip): its text is no longer
   * the one the placeholders were made for. Tried again later. */
  text = gloss_clip_load_article_text (job->clip, NULL);
  if (g_strcmp0 (text, job->text) != 0)
    {
      job_done (job, _("The article changed while its images were being saved"));
      return;
    }

  page.html = job->html;
  page.text = job->text;
  if (gloss_clip_writer_commit (job->writer, &page, &error) == NULL)
    {
      job_done (job, error->message);
      return;
    }
  job_done (job, NULL);
}

/* --- fetching ------------------------------------------------------------- */

static void
fetch_free (Fetch *fetch)
{
  g_free (fetch->url);
  g_free (fetch);
}

/* One image less to wait for. */
static void
fetch_done (Fetch    *fetch,
            gboolean  saved)
{
  GlossImagesJob *job = fetch->job;

  fetch_free (fetch);
  if (saved)
    job->n_saved++;
  job->running--;
  if (job_released (job))
    return;
  if (g_cancellable_is_cancelled (job->cancellable))
    {
      if (job->running == 0)
        job_done (job, _("Cancelled"));
      return;
    }
  fetch_next (job);
}

static void
image_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  g_assert (GLOSS_IS_CLIP_WRITER (object));

  saved = gloss_clip_writer_add_image_finish (GLOSS_CLIP_WRITER (object), result, &error);
  if (!saved && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not save an image of an imported article: %s", error->message);
  fetch_done (fetch, saved);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;

  g_assert (SOUP_IS_SESSION (object));

  bytes = gloss_image_fetch_finish (result, &content_type, &error);
  if (bytes == NULL)
    {
      /* Offline, no such host, no answer in time, a server error: worth
       * another try at the next start. A 4xx is for Clip All to try
       * again; the address stays in the article either way. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED))
        fetch->job->n_unreachable++;
      g_debug ("Image %s of an imported article not saved: %s", fetch->url, error->message);
      fetch_done (fetch, FALSE);
      return;
    }

  gloss_clip_writer_add_image_async (fetch->job->writer, fetch->url, bytes, content_type,
                                     fetch->job->cancellable, image_written_cb, fetch);
}

static void
fetch_next (GlossImagesJob *job)
{
  while (job->running < GLOSS_IMAGE_FETCH_PARALLEL && job->urls[job->next] != NULL && job->next < MAX_IMAGES)
    {
      Fetch *fetch = g_new0 (Fetch, 1);

      fetch->job = job;
      fetch->url = g_strdup (job->urls[job->next++]);
      job->running++;
      gloss_image_fetch_async (session_get (), fetch->url, job->url,
                               GLOSS_IMAGE_FETCH_MAX_BYTES, GLOSS_IMAGE_FETCH_TIMEOUT_MS,
                               job->cancellable, fetched_cb, fetch);
    }

  if (job->running == 0)
    commit (job);
}

/* --- reading the article, off the main thread ----------------------------- */

typedef struct
{
  char  *folder;
  char  *base_url;
  char  *token;
  char  *html;
  char  *text;
  GStrv  urls;
} Prepare;

static void
prepare_free (Prepare *prepare)
{
  g_free (prepare->folder);
  g_free (prepare->base_url);
  g_free (prepare->token);
  g_free (prepare->html);
  g_free (prepare->text);
  g_strfreev (prepare->urls);
  g_free (prepare);
}

static void
prepare_thread_cb (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Prepare *prepare = task_data;
  g_autofree char *html_path = g_build_filename (prepare->folder, "article.html", NULL);
  g_autofree char *text_path = g_build_filename (prepare->folder, "article.txt", NULL);
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  g_autofree char *new_text = NULL;
  GError *error = NULL;

  if (!g_file_get_contents (html_path, &html, NULL, &error) ||
      !g_file_get_contents (text_path, &text, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!gloss_import_article_images (html, prepare->base_url, prepare->token,
                                    &prepare->html, &new_text, &prepare->urls))
    {
      /* Every picture saved already (or none): nothing to do. */
      g_task_return_boolean (task, FALSE);
      return;
    }

  /* The positions of the highlights count in article.txt: an article
   * whose text would change is left as it is. */
  if (g_strcmp0 (new_text, text) != 0)
    {
      g_task_return_new_error (task, GLOSS_ERROR, GLOSS_ERROR_FAILED, "%s",
                               _("The images of this article could not be saved without changing its text"));
      return;
    }
  prepare->text = g_steal_pointer (&text);
  g_task_return_boolean (task, TRUE);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GlossImagesJob *job = user_data;
  Prepare *prepare = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean images;

  images = g_task_propagate_boolean (G_TASK (result), &error);
  job->preparing = FALSE;
  if (job_released (job))
    return;
  if (error != NULL)
    {
      job_done (job, error->message);
      return;
    }
  if (!images || g_cancellable_is_cancelled (job->cancellable))
    {
      job_done (job, images ? _("Cancelled") : NULL);
      return;
    }

  job->html = g_steal_pointer (&prepare->html);
  job->text = g_steal_pointer (&prepare->text);
  job->urls = g_steal_pointer (&prepare->urls);
  job->n_images = MIN (g_strv_length (job->urls), MAX_IMAGES);
  job->writer = gloss_clip_writer_new (gloss_clip_queue_get_library (job->queue), job->clip);
  gloss_clip_writer_set_images (job->writer, job->token, (const char * const *) job->urls);
  fetch_next (job);
}

GlossImagesJob *
gloss_images_job_start (GlossClipQueue *queue,
                        GlossClip      *clip,
                        const char     *url)
{
  GlossImagesJob *job = g_new0 (GlossImagesJob, 1);
  g_autoptr(GTask) task = NULL;
  Prepare *prepare;

  job->queue = queue;
  job->clip = g_object_ref (clip);
  job->url = g_strdup (url);
  job->cancellable = g_cancellable_new ();
  job->token = gloss_id_new ();
  job->preparing = TRUE;

  prepare = g_new0 (Prepare, 1);
  prepare->folder = g_file_get_path (gloss_clip_get_folder (clip));
  prepare->base_url = g_strdup (gloss_clip_get_url (clip));
  prepare->token = g_strdup (job->token);

  task = g_task_new (NULL, NULL, prepared_cb, job);
  g_task_set_source_tag (task, gloss_images_job_start);
  g_task_set_task_data (task, prepare, (GDestroyNotify) prepare_free);
  g_task_run_in_thread (task, prepare_thread_cb);
  return job;
}

void
gloss_images_job_cancel (GlossImagesJob *job)
{
  g_cancellable_cancel (job->cancellable);
}

/* --- finding the imported articles whose images wait ----------------------- */

typedef struct
{
  char *id;
  char *folder;
  char *url;
} Candidate;

static void
candidate_free (Candidate *candidate)
{
  g_free (candidate->id);
  g_free (candidate->folder);
  g_free (candidate->url);
  g_free (candidate);
}

/* An imported clip (its clip.json has `import`), clipped, whose
 * article.html still shows pictures from the web. */
static gboolean
waits_for_images (Candidate *candidate)
{
  g_autofree char *html_path = g_build_filename (candidate->folder, "article.html", NULL);
  g_autofree char *json_path = g_build_filename (candidate->folder, "clip.json", NULL);
  g_autofree char *html = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (!g_file_get_contents (html_path, &html, NULL, NULL) ||
      !gloss_import_article_images (html, candidate->url, NULL, NULL, NULL, NULL))
    return FALSE;
  parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, json_path, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  root = json_object_get_member (json_node_get_object (root), "import");
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root);
}

static void
scan_thread_cb (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GPtrArray *candidates = task_data;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < candidates->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      Candidate *candidate = g_ptr_array_index (candidates, i);

      if (waits_for_images (candidate))
        g_ptr_array_add (found, g_strdup (candidate->id));
    }
  g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

void
gloss_images_scan_async (GlossLibrary        *library,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GPtrArray *candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  GListModel *model = G_LIST_MODEL (library);
  guint n = g_list_model_get_n_items (model);

  /* What the thread needs, taken here: the clips are the main thread's. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossClip) clip = g_list_model_get_item (model, i);
      const char *url = gloss_clip_get_url (clip);
      Candidate *candidate;

      if (gloss_clip_get_damage (clip) != NULL || gloss_clip_get_folder (clip) == NULL || url == NULL ||
          !(g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://")))
        continue;
      candidate = g_new0 (Candidate, 1);
      candidate->id = g_strdup (gloss_clip_get_id (clip));
      candidate->folder = g_file_get_path (gloss_clip_get_folder (clip));
      candidate->url = g_strdup (url);
      g_ptr_array_add (candidates, candidate);
    }

  g_task_set_source_tag (task, gloss_images_scan_async);
  g_task_set_task_data (task, candidates, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, scan_thread_cb);
}

GPtrArray *
gloss_images_scan_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
