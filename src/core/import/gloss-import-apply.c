/* gloss-import-apply.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writes an import plan into the library, a page at a time, each through
 * gloss_import_keep_page() (gloss-import-keep.c). The rule that makes
 * importing safe to repeat: a page is found by its address, an annotation
 * already in a clip (same id, or the same passage) is left as it is, and
 * nothing else is ever changed or removed; tags and notes are only added
 * to. */

#define G_LOG_DOMAIN "gloss-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-anchor.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-import-private.h"
#include "gloss-url.h"

/* New clips written together (gloss_import_writes_flush) at most this many
 * at a time, so that a long import shows its progress. */
#define WRITE_BATCH 2048
/* In the window: at most this many new clips, or this long, per turn. */
#define ASYNC_BATCH 64
#define ASYNC_STEP_US (10 * 1000)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossImportWrites, gloss_import_writes_free)

void
gloss_import_summary_free (GlossImportSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->urls_to_clip, g_ptr_array_unref);
  g_clear_pointer (&summary->images_to_fetch, g_ptr_array_unref);
  g_free (summary);
}

static GlossImportSummary *
summary_new (void)
{
  GlossImportSummary *summary = g_new0 (GlossImportSummary, 1);

  summary->urls_to_clip = g_ptr_array_new_with_free_func (g_free);
  summary->images_to_fetch = g_ptr_array_new_with_free_func (g_free);
  return summary;
}

/* The key two addresses of one page share (gloss_url_match_key: default
 * port, trailing slash, host case, tracking parameters); other addresses
 * (urn:, …) as they are, without their fragment. */
static char *
page_key (const char *url)
{
  char *key = gloss_url_match_key (url);
  const char *hash;

  if (key != NULL)
    return key;
  hash = strchr (url, '#');
  return hash != NULL ? g_strndup (url, hash - url) : g_strdup (url);
}

/* The library's clips by URL, built once: looking each page up in turn
 * would be quadratic on a large import. */
static GHashTable *
index_by_url (GlossLibrary *library)
{
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  GListModel *model = G_LIST_MODEL (library);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossClip) clip = g_list_model_get_item (model, i);
      const char *url = gloss_clip_get_url (clip);

      g_autofree char *key = NULL;

      if (gloss_clip_get_damage (clip) != NULL || url == NULL)
        continue;
      /* The first clip of a page wins, whatever its fragment. */
      key = page_key (url);
      if (!g_hash_table_contains (index, key))
        g_hash_table_insert (index, g_steal_pointer (&key), g_object_ref (clip));
    }
  return index;
}

static GlossClip *
find_clip (GlossLibrary    *library,
           GHashTable      *index,
           GlossImportPage *page)
{
  GlossClip *clip;

  /* Gloss's own export names the clip; it wins when it is the same page. */
  if (page->clip_id != NULL && (clip = gloss_library_lookup (library, page->clip_id)) != NULL &&
      gloss_clip_get_damage (clip) == NULL)
    {
      g_autofree char *url = page_key (gloss_clip_get_url (clip));
      g_autofree char *key = page_key (page->url);

      if (g_str_equal (url, key))
        return clip;
    }
  {
    g_autofree char *key = page_key (page->url);

    return g_hash_table_lookup (index, key);
  }
}

GStrv
gloss_import_plan_dup_missing_urls (GlossImportPlan *plan,
                                    GlossLibrary    *library)
{
  g_autoptr(GHashTable) index = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (GLOSS_IS_LIBRARY (library), NULL);

  index = index_by_url (library);
  for (guint i = 0; i < plan->pages->len; i++)
    {
      GlossImportPage *page = g_ptr_array_index (plan->pages, i);

      if (gloss_import_is_web_url (page->url) && find_clip (library, index, page) == NULL)
        g_strv_builder_add (builder, page->url);
    }
  return g_strv_builder_end (builder);
}

typedef struct
{
  GlossImportPlan    *plan;
  GlossLibrary       *library;
  GlossImportFlags    flags;
  GHashTable         *index;
  GlossImportSummary *summary;
  guint               next;
} Apply;

static void
apply_free (Apply *apply)
{
  g_clear_object (&apply->library);
  g_clear_pointer (&apply->index, g_hash_table_unref);
  g_clear_pointer (&apply->summary, gloss_import_summary_free);
  g_free (apply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Apply, apply_free)

static Apply *
apply_new (GlossImportPlan  *plan,
           GlossLibrary     *library,
           GlossImportFlags  flags)
{
  Apply *apply = g_new0 (Apply, 1);

  apply->plan = plan;
  apply->library = g_object_ref (library);
  apply->flags = flags;
  apply->index = index_by_url (library);
  apply->summary = summary_new ();
  apply->summary->pages = plan->pages->len;
  return apply;
}

/* Does the next page; a page that cannot be kept is listed with its
 * reason and the import goes on with the next. FALSE with @error only
 * when the library itself cannot be written (a full disk): then nothing
 * more can be kept. */
static gboolean
apply_page (Apply              *apply,
            GlossImportWrites  *writes,
            GError            **error)
{
  GlossImportPage *page = g_ptr_array_index (apply->plan->pages, apply->next++);
  GlossImportSummary *summary = apply->summary;
  GlossClip *existing = find_clip (apply->library, apply->index, page);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) local_error = NULL;

  clip = gloss_import_keep_page (apply->library, existing, apply->plan, page, summary, writes, &local_error);
  if (clip == NULL)
    {
      if (g_error_matches (local_error, GLOSS_ERROR, GLOSS_ERROR_IO))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      gloss_import_plan_reject (apply->plan, "%s", local_error->message);
      return TRUE;
    }
  if (existing == NULL)
    g_hash_table_insert (apply->index, page_key (page->url), g_object_ref (clip));
  return TRUE;
}

GlossImportSummary *
gloss_import_apply (GlossImportPlan     *plan,
                    GlossLibrary        *library,
                    GlossImportFlags     flags,
                    GlossProgressFunc    progress,
                    gpointer             progress_data,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(Apply) apply = NULL;
  g_autoptr(GlossImportWrites) writes = NULL;

  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (GLOSS_IS_LIBRARY (library), NULL);

  apply = apply_new (plan, library, flags);
  writes = gloss_import_writes_new ();
  while (apply->next < plan->pages->len)
    {
      /* G_IO_ERROR_CANCELLED, as GIO reports it: the window shows nothing.
       * What was read is written first: a page kept is never half kept. */
      if (g_cancellable_is_cancelled (cancellable))
        {
          gloss_import_writes_flush (writes, library, plan, apply->summary, NULL);
          g_cancellable_set_error_if_cancelled (cancellable, error);
          return NULL;
        }
      if (!apply_page (apply, writes, error))
        return NULL;
      if (gloss_import_writes_get_n (writes) >= WRITE_BATCH &&
          !gloss_import_writes_flush (writes, library, plan, apply->summary, error))
        return NULL;
      if (progress != NULL)
        progress (apply->next, plan->pages->len, progress_data);
    }
  if (!gloss_import_writes_flush (writes, library, plan, apply->summary, error))
    return NULL;
  return g_steal_pointer (&apply->summary);
}

typedef struct
{
  Apply             *apply;
  GlossProgressFunc  progress;
  gpointer           progress_data;
  GDestroyNotify     progress_notify;
} AsyncApply;

static void
async_apply_free (AsyncApply *data)
{
  g_clear_pointer (&data->apply, apply_free);
  if (data->progress_notify != NULL)
    data->progress_notify (data->progress_data);
  g_free (data);
}

static gboolean
apply_step_cb (gpointer user_data)
{
  GTask *task = user_data;
  AsyncApply *data = g_task_get_task_data (task);
  Apply *apply = data->apply;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  if (apply->next < apply->plan->pages->len)
    {
      g_autoptr(GlossImportWrites) writes = gloss_import_writes_new ();
      gint64 start = g_get_monotonic_time ();

      /* A few pages per turn of the main loop, their new clips written
       * together: the window stays responsive, and a long list does not
       * pay a disk flush per page one after another. */
      do
        {
          if (!apply_page (apply, writes, &error))
            {
              gloss_import_writes_flush (writes, apply->library, apply->plan, apply->summary, NULL);
              g_task_return_error (task, error);
              return G_SOURCE_REMOVE;
            }
        }
      while (apply->next < apply->plan->pages->len &&
             gloss_import_writes_get_n (writes) < ASYNC_BATCH &&
             g_get_monotonic_time () - start < ASYNC_STEP_US);
      if (!gloss_import_writes_flush (writes, apply->library, apply->plan, apply->summary, &error))
        {
          g_task_return_error (task, error);
          return G_SOURCE_REMOVE;
        }
      if (data->progress != NULL)
        data->progress (apply->next, apply->plan->pages->len, data->progress_data);
      if (apply->next < apply->plan->pages->len)
        return G_SOURCE_CONTINUE;
    }

  g_task_return_pointer (task, g_steal_pointer (&apply->summary),
                         (GDestroyNotify) gloss_import_summary_free);
  return G_SOURCE_REMOVE;
}

void
gloss_import_apply_async (GlossImportPlan     *plan,
                          GlossLibrary        *library,
                          GlossImportFlags     flags,
                          GlossProgressFunc    progress,
                          gpointer             progress_data,
                          GDestroyNotify       progress_notify,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSource) source = NULL;
  AsyncApply *data;

  g_return_if_fail (plan != NULL);
  g_return_if_fail (GLOSS_IS_LIBRARY (library));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_import_apply_async);
  data = g_new0 (AsyncApply, 1);
  data->apply = apply_new (plan, library, flags);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_notify = progress_notify;
  g_task_set_task_data (task, data, (GDestroyNotify) async_apply_free);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, apply_step_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[gloss] import");
  g_source_attach (source, g_task_get_context (task));
}

GlossImportSummary *
gloss_import_apply_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gloss_import_apply_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
