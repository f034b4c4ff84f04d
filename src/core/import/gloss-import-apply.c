/* gloss-import-apply.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writes an import plan into the library. The rule that makes importing
 * safe to repeat: an annotation already in a clip (same id, or anchored at
 * the same place) is left as it is, and nothing else is ever changed or
 * removed; tags and notes are only added to. */

#define G_LOG_DOMAIN "gloss-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-anchor.h"
#include "gloss-clip-writer.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-import-private.h"

/* A saved article.html named by an import is read only up to this. */
#define MAX_CACHED_BYTES (64 * 1024 * 1024)

void
gloss_import_summary_free (GlossImportSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->urls_to_clip, g_ptr_array_unref);
  g_clear_pointer (&summary->placeholder_ids, g_ptr_array_unref);
  g_free (summary);
}

static GlossImportSummary *
summary_new (void)
{
  GlossImportSummary *summary = g_new0 (GlossImportSummary, 1);

  summary->urls_to_clip = g_ptr_array_new_with_free_func (g_free);
  summary->placeholder_ids = g_ptr_array_new_with_free_func (g_free);
  return summary;
}

static char *
strip_fragment (const char *url)
{
  const char *hash = strchr (url, '#');

  return hash != NULL ? g_strndup (url, hash - url) : g_strdup (url);
}

static gboolean
is_web_url (const char *url)
{
  return g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://");
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
      key = strip_fragment (url);
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
      g_autofree char *url = strip_fragment (gloss_clip_get_url (clip));
      if (g_str_equal (url, page->url))
        return clip;
    }
  return g_hash_table_lookup (index, page->url);
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

      if (is_web_url (page->url) && find_clip (library, index, page) == NULL)
        g_strv_builder_add (builder, page->url);
    }
  return g_strv_builder_end (builder);
}

static JsonObject *
annotation_json (GlossImportAnnotation *a,
                 const char            *id,
                 const char            *exact,
                 const char            *prefix,
                 const char            *suffix,
                 guint                  start,
                 guint                  end)
{
  JsonObject *object = json_object_new ();
  JsonObject *target = json_object_new ();
  JsonArray *selectors = json_array_new ();
  JsonObject *quote = json_object_new ();
  JsonObject *position = json_object_new ();

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "created", a->created);
  json_object_set_string_member (object, "modified", a->modified);
  json_object_set_string_member (object, "color", a->color);
  json_object_set_string_member (object, "note", a->note);
  json_object_set_string_member (quote, "type", "TextQuoteSelector");
  json_object_set_string_member (quote, "exact", exact);
  json_object_set_string_member (quote, "prefix", prefix != NULL ? prefix : "");
  json_object_set_string_member (quote, "suffix", suffix != NULL ? suffix : "");
  json_array_add_object_element (selectors, quote);
  json_object_set_string_member (position, "type", "TextPositionSelector");
  json_object_set_int_member (position, "start", start);
  json_object_set_int_member (position, "end", end);
  json_array_add_object_element (selectors, position);
  json_object_set_array_member (target, "selector", selectors);
  json_object_set_object_member (object, "target", target);
  return object;
}

static gboolean
clip_has_annotation_at (GlossClip  *clip,
                        guint       start,
                        guint       end,
                        const char *exact,
                        gboolean    orphan)
{
  GListModel *model = gloss_clip_get_annotations (clip);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossAnnotation) other = g_list_model_get_item (model, i);

      if (orphan ? g_str_equal (gloss_annotation_get_exact (other), exact)
                 : (gloss_annotation_get_start (other) == start &&
                    gloss_annotation_get_end (other) == end))
        return TRUE;
    }
  return FALSE;
}

/* Adds one annotation unless the clip has it. @text is the clip's article,
 * or NULL when the annotation is to be kept as an orphan. */
static gboolean
merge_annotation (GlossClip             *clip,
                  GlossText             *text,
                  GlossImportAnnotation *a,
                  GlossImportSummary    *summary,
                  GPtrArray             *warnings)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GlossAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GlossAnchorMethod method = GLOSS_ANCHOR_ORPHAN;
  guint start = a->start;
  guint end = a->end;

  if (gloss_clip_find_annotation (clip, a->id) != NULL)
    {
      summary->annotations_present++;
      return FALSE;
    }

  if (text != NULL && a->exact[0] != '\0')
    method = gloss_anchor_quote (text, a->exact, a->prefix, a->suffix,
                                 a->has_position ? a->start : 0,
                                 a->has_position ? a->end : 0,
                                 &start, &end);

  if (method != GLOSS_ANCHOR_ORPHAN)
    {
      g_autofree char *exact = gloss_text_substring (text, start, end);
      g_autofree char *prefix = NULL;
      g_autofree char *suffix = NULL;

      /* The same passage highlighted before, by any tool: one is enough. */
      if (clip_has_annotation_at (clip, start, end, exact, FALSE))
        {
          summary->annotations_present++;
          return FALSE;
        }
      gloss_text_get_context (text, start, end, &prefix, &suffix);
      object = annotation_json (a, a->id, exact, prefix, suffix, start, end);
    }
  else
    {
      if (clip_has_annotation_at (clip, 0, 0, a->exact, TRUE))
        {
          summary->annotations_present++;
          return FALSE;
        }
      object = annotation_json (a, a->id, a->exact, a->prefix, a->suffix,
                                a->has_position ? a->start : 0,
                                a->has_position ? a->end : 0);
    }

  annotation = gloss_annotation_new_from_json (object, &error);
  if (annotation == NULL)
    {
      /* Translators: a web page address, then what is wrong with the
       * annotation. */
      g_ptr_array_add (warnings, g_strdup_printf (_("An annotation on %s was left out: %s"),
                                                  gloss_clip_get_url (clip), error->message));
      return FALSE;
    }
  if (method == GLOSS_ANCHOR_ORPHAN)
    {
      gloss_annotation_set_orphan (annotation, TRUE);
      summary->orphans++;
    }
  if (!gloss_clip_add_annotation (clip, annotation))
    {
      summary->annotations_present++;
      return FALSE;
    }
  summary->annotations_added++;
  return TRUE;
}

static gboolean
merge_page_data (GlossClip          *clip,
                 GlossImportPage    *page,
                 GlossImportSummary *summary)
{
  gboolean changed = FALSE;
  const char *note = gloss_clip_get_note (clip);

  for (guint i = 0; i < page->tags->len; i++)
    if (gloss_clip_add_tag (clip, g_ptr_array_index (page->tags, i)))
      {
        summary->tags_added++;
        changed = TRUE;
      }

  /* A note is added to, never replaced; the same note twice is kept once. */
  if (page->note[0] != '\0' && (note == NULL || strstr (note, page->note) == NULL))
    {
      g_autofree char *joined = NULL;

      if (note != NULL && note[0] != '\0')
        joined = g_strconcat (note, "\n\n", page->note, NULL);
      gloss_clip_set_note (clip, joined != NULL ? joined : page->note);
      summary->notes_added++;
      changed = TRUE;
    }
  return changed;
}

/* The article a Gloss export named as the saved copy, when it is still on
 * this computer: then the highlights land exactly where they were. */
static gboolean
read_cached_article (GlossImportPage  *page,
                     char            **html,
                     char            **text)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *text_path = NULL;
  gsize html_len = 0, text_len = 0;

  if (page->cached == NULL || (path = g_filename_from_uri (page->cached, NULL, NULL)) == NULL)
    return FALSE;
  base = g_path_get_basename (path);
  if (!g_str_equal (base, "article.html"))
    return FALSE;
  dir = g_path_get_dirname (path);
  text_path = g_build_filename (dir, "article.txt", NULL);
  if (!g_file_get_contents (path, html, &html_len, NULL))
    return FALSE;
  if (html_len > MAX_CACHED_BYTES || !g_utf8_validate (*html, html_len, NULL) ||
      !g_file_get_contents (text_path, text, &text_len, NULL) ||
      text_len > MAX_CACHED_BYTES || !g_utf8_validate (*text, text_len, NULL))
    {
      g_clear_pointer (html, g_free);
      g_clear_pointer (text, g_free);
      return FALSE;
    }
  return TRUE;
}

/* An article made of the quotes themselves, one paragraph each, so that
 * the highlights show in the reader until the page is clipped. */
static void
build_stub_article (GlossImportPage  *page,
                    char            **html,
                    char            **text)
{
  g_autoptr(GString) h = g_string_new (NULL);
  g_autoptr(GString) t = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < page->annotations->len; i++)
    {
      GlossImportAnnotation *a = g_ptr_array_index (page->annotations, i);
      g_autofree char *escaped = NULL;

      if (a->exact[0] == '\0' || !g_hash_table_add (seen, a->exact))
        continue;
      if (t->len > 0)
        {
          g_string_append (t, "\n\n");
          g_string_append (h, "\n\n");
        }
      escaped = g_markup_escape_text (a->exact, -1);
      g_string_append_printf (h, "<p>%s</p>", escaped);
      g_string_append (t, a->exact);
    }

  *html = g_string_free (g_steal_pointer (&h), FALSE);
  *text = g_string_free (g_steal_pointer (&t), FALSE);
}

gboolean
gloss_import_clip_is_placeholder (GlossClip *clip)
{
  g_autoptr(JsonNode) mark = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (clip), FALSE);

  if (gloss_clip_get_damage (clip) != NULL ||
      !(mark = gloss_clip_dup_extra_member (clip, "gloss_import")) ||
      !JSON_NODE_HOLDS_OBJECT (mark))
    return FALSE;

  return json_object_get_boolean_member_with_default (json_node_get_object (mark), "placeholder", FALSE);
}

void
gloss_import_clip_clear_placeholder (GlossClip *clip)
{
  g_return_if_fail (GLOSS_IS_CLIP (clip));

  gloss_clip_set_extra_member (clip, "gloss_import", NULL);
}

/* A new clip for @page, written by the one clip writer, unless another
 * writer (a second import at the same time) made one of the same address
 * first: then NULL, with @existing set to that clip. */
static GlossClip *
create_placeholder (GlossImportPlan     *plan,
                    GlossLibrary        *library,
                    GlossImportPage     *page,
                    GlossImportSummary  *summary,
                    GlossClip          **existing,
                    GError             **error)
{
  g_autoptr(GlossClip) clip = gloss_clip_new (page->url, page->title != NULL ? page->title : page->url);
  g_autoptr(GlossClipWriter) writer = NULL;
  g_autoptr(GlossText) text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *article = NULL;
  g_autofree char *now = gloss_time_now_string ();
  GlossClipPage clip_page = { .word_count = -1, };
  GlossImportSummary scratch = { 0, };
  gboolean cached;

  *existing = NULL;

  gloss_clip_set_byline (clip, page->byline);
  gloss_clip_set_site_name (clip, page->site_name);
  gloss_clip_set_published (clip, page->published);
  gloss_clip_set_excerpt (clip, page->excerpt);
  gloss_clip_set_lang (clip, page->lang);
  /* Counted only once the clip is written: it may turn out to exist. */
  merge_page_data (clip, page, &scratch);

  cached = read_cached_article (page, &html, &article);
  if (!cached)
    build_stub_article (page, &html, &article);
  text = gloss_text_new (article, -1);
  for (guint i = 0; i < page->annotations->len; i++)
    merge_annotation (clip, text, g_ptr_array_index (page->annotations, i), &scratch, plan->warnings);

  /* Marks the clip for the window: its article is to be fetched. Unknown
   * members are kept by every reader of clip.json (FORMAT.md). */
  if (!cached)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *mark = json_object_new ();

      json_object_set_boolean_member (mark, "placeholder", TRUE);
      json_object_set_string_member (mark, "format", gloss_import_format_to_string (plan->format));
      json_object_set_string_member (mark, "imported", now);
      json_node_take_object (node, mark);
      gloss_clip_set_extra_member (clip, "gloss_import", node);
    }

  writer = gloss_clip_writer_new (library, clip);
  gloss_clip_writer_set_unique_url (writer, TRUE);
  clip_page.html = html;
  clip_page.text = article;
  if (gloss_clip_writer_commit (writer, &clip_page, &local_error) == NULL)
    {
      if (g_error_matches (local_error, GLOSS_ERROR, GLOSS_ERROR_EXISTS) &&
          gloss_clip_writer_get_existing (writer) != NULL)
        {
          *existing = gloss_clip_writer_get_existing (writer);
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  summary->annotations_added += scratch.annotations_added;
  summary->annotations_present += scratch.annotations_present;
  summary->orphans += scratch.orphans;
  summary->tags_added += scratch.tags_added;
  summary->notes_added += scratch.notes_added;
  return g_steal_pointer (&clip);
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

/* Does the next page; FALSE with @error when a clip could not be saved. */
static gboolean
apply_page (Apply   *apply,
            GError **error)
{
  GlossImportPage *page = g_ptr_array_index (apply->plan->pages, apply->next++);
  GlossImportSummary *summary = apply->summary;
  GlossClip *clip = find_clip (apply->library, apply->index, page);
  g_autoptr(GlossText) text = NULL;
  g_autofree char *article = NULL;
  g_autoptr(GlossLock) lock = NULL;
  g_autoptr(GError) lock_error = NULL;
  gboolean changed;

  if (clip == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      GlossClip *existing = NULL;
      GlossClip *made;

      if (!(apply->flags & GLOSS_IMPORT_CREATE_PLACEHOLDERS) || !gloss_import_page_has_data (page))
        {
          if (is_web_url (page->url))
            g_ptr_array_add (summary->urls_to_clip, g_strdup (page->url));
          return TRUE;
        }

      made = create_placeholder (apply->plan, apply->library, page, summary, &existing, &local_error);
      if (made == NULL && existing != NULL)
        {
          /* Another import made it meanwhile: add to that one. */
          g_hash_table_insert (apply->index, g_strdup (page->url), g_object_ref (existing));
          clip = existing;
        }
      else if (made == NULL)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                       _("Could not save a clip for %s: %s"), page->url, local_error->message);
          return FALSE;
        }
      g_hash_table_insert (apply->index, g_strdup (page->url), made);
      summary->placeholders++;
      g_ptr_array_add (summary->placeholder_ids, g_strdup (gloss_clip_get_id (made)));
      /* A clip made from the saved article a Gloss export points at is
       * already exact: clipping the live page again could only lose it. */
      if (made != NULL)
        {
          if (is_web_url (page->url) && gloss_import_clip_is_placeholder (made))
            g_ptr_array_add (summary->urls_to_clip, g_strdup (page->url));
          return TRUE;
        }
    }

  /* What is already in the clip is decided under its lock, after reading
   * what other writers (a second import, the app) saved: two imports at
   * once neither lose nor double an annotation. */
  lock = gloss_library_lock_clip (apply->library, clip, &lock_error);
  if (lock == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not save the clip of %s: %s"), page->url, lock_error->message);
      return FALSE;
    }

  if (gloss_clip_get_read_only (clip))
    {
      g_ptr_array_insert (apply->plan->warnings, apply->plan->warnings->len - 1,
                          /* Translators: %s is a web page address. */
                          g_strdup_printf (_("The clip of %s is read-only and was left as it is"), page->url));
      return TRUE;
    }

  changed = merge_page_data (clip, page, summary);
  if (page->annotations->len > 0)
    {
      article = gloss_clip_load_article_text (clip, NULL);
      if (article != NULL)
        text = gloss_text_new (article, -1);
    }
  for (guint i = 0; i < page->annotations->len; i++)
    if (merge_annotation (clip, text, g_ptr_array_index (page->annotations, i),
                          summary, apply->plan->warnings))
      changed = TRUE;

  if (changed)
    {
      g_autoptr(GError) local_error = NULL;

      if (!gloss_library_save_locked (apply->library, clip, &local_error))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                       _("Could not save the clip of %s: %s"), page->url, local_error->message);
          return FALSE;
        }
      summary->clips_updated++;
    }
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

  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (GLOSS_IS_LIBRARY (library), NULL);

  apply = apply_new (plan, library, flags);
  while (apply->next < plan->pages->len)
    {
      /* G_IO_ERROR_CANCELLED, as GIO reports it: the window shows nothing. */
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!apply_page (apply, error))
        return NULL;
      if (progress != NULL)
        progress (apply->next, plan->pages->len, progress_data);
    }
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
      if (!apply_page (apply, &error))
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
