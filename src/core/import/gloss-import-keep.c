/* gloss-import-keep.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Keep first, clip later (FORMAT.md "not clipped yet"): every page of an
 * import becomes a clip at once, with no network. gloss_import_keep_page()
 * is the one place an import writes a clip, through the library's own
 * saving API:
 *
 * - a page the library does not have becomes a new clip: its URL, title,
 *   tags, author, excerpt, the time it was saved there as `created`, and
 *   what the format has no field for in `import`. With the article the
 *   export carries (Omnivore, wallabag) it gets article.html/article.txt
 *   and its highlights are anchored in them; without, it is "not clipped
 *   yet" (no article files) and its annotations keep the selectors they
 *   came with, unchanged, until the page is clipped;
 * - a page the library has gains tags, notes, annotations and `import`
 *   members it lacks; nothing there is changed or removed. */

#define G_LOG_DOMAIN "gloss-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-anchor.h"
#include "gloss-clip-private.h"
#include "gloss-clip-writer.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-import-private.h"

gboolean
gloss_import_clip_is_pending (GlossClip *clip)
{
  g_autoptr(GFile) html = NULL;
  g_autoptr(GFile) text = NULL;
  GFile *folder;

  g_return_val_if_fail (GLOSS_IS_CLIP (clip), FALSE);

  if (gloss_clip_get_damage (clip) != NULL || (folder = gloss_clip_get_folder (clip)) == NULL)
    return FALSE;
  html = g_file_get_child (folder, "article.html");
  text = g_file_get_child (folder, "article.txt");
  return !g_file_query_exists (html, NULL) && !g_file_query_exists (text, NULL);
}

/* The selectors an annotation is written with while its page waits to be
 * clipped: those of the file, as they came, with a quote and a position
 * selector at the top as FORMAT.md requires. */
static JsonArray *
pending_selectors (GlossImportAnnotation *a)
{
  JsonArray *selectors = json_array_new ();
  gboolean has_quote = FALSE;
  gboolean has_position = FALSE;

  if (a->selectors != NULL)
    for (guint i = 0; i < json_array_get_length (a->selectors); i++)
      {
        JsonNode *node = json_array_get_element (a->selectors, i);
        const char *type = JSON_NODE_HOLDS_OBJECT (node)
                           ? gloss_json_peek_string (json_node_get_object (node), "type") : NULL;

        if (g_strcmp0 (type, "TextQuoteSelector") == 0)
          {
            if (has_quote || gloss_json_peek_string (json_node_get_object (node), "exact") == NULL)
              continue;
            has_quote = TRUE;
          }
        else if (g_strcmp0 (type, "TextPositionSelector") == 0)
          {
            guint start, end;

            if (has_position ||
                !gloss_import_member_uint (json_node_get_object (node), "start", &start) ||
                !gloss_import_member_uint (json_node_get_object (node), "end", &end) || start > end)
              continue;
            has_position = TRUE;
          }
        json_array_add_element (selectors, json_node_copy (node));
      }

  if (!has_quote)
    {
      JsonObject *quote = json_object_new ();

      json_object_set_string_member (quote, "type", "TextQuoteSelector");
      json_object_set_string_member (quote, "exact", a->exact);
      if (a->prefix[0] != '\0')
        json_object_set_string_member (quote, "prefix", a->prefix);
      if (a->suffix[0] != '\0')
        json_object_set_string_member (quote, "suffix", a->suffix);
      json_array_add_object_element (selectors, quote);
    }
  if (!has_position)
    {
      JsonObject *position = json_object_new ();

      /* None in the file: 0–0 never matches a quote, so the quote and its
       * context anchor it (FORMAT.md, step 2). */
      json_object_set_string_member (position, "type", "TextPositionSelector");
      json_object_set_int_member (position, "start", a->has_position ? a->start : 0);
      json_object_set_int_member (position, "end", a->has_position ? a->end : 0);
      json_array_add_object_element (selectors, position);
    }
  return selectors;
}

static JsonObject *
annotation_object (GlossImportAnnotation *a,
                   JsonArray             *selectors)
{
  JsonObject *object = json_object_new ();
  JsonObject *target = json_object_new ();

  json_object_set_string_member (object, "id", a->id);
  json_object_set_string_member (object, "created", a->created);
  json_object_set_string_member (object, "modified", a->modified);
  json_object_set_string_member (object, "color", a->color);
  json_object_set_string_member (object, "note", a->note);
  json_object_set_array_member (target, "selector", selectors);
  json_object_set_object_member (object, "target", target);
  if (a->tags != NULL && a->tags->len > 0)
    {
      JsonArray *tags = json_array_new ();

      for (guint i = 0; i < a->tags->len; i++)
        json_array_add_string_element (tags, g_ptr_array_index (a->tags, i));
      json_object_set_array_member (object, "tags", tags);
    }
  return object;
}

/* The annotation anchored in @text (FORMAT.md "Anchoring"), or NULL when
 * it does not anchor there. */
static JsonObject *
anchored_object (GlossImportAnnotation *a,
                 GlossText             *text)
{
  g_autofree char *exact = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  JsonArray *selectors;
  JsonObject *quote;
  JsonObject *position;
  guint start = 0, end = 0;

  if (text == NULL || a->exact[0] == '\0' ||
      gloss_anchor_quote (text, a->exact, a->prefix, a->suffix,
                          a->has_position ? a->start : 0, a->has_position ? a->end : 0,
                          &start, &end) == GLOSS_ANCHOR_ORPHAN)
    return NULL;

  exact = gloss_text_substring (text, start, end);
  gloss_text_get_context (text, start, end, &prefix, &suffix);
  selectors = json_array_new ();
  quote = json_object_new ();
  json_object_set_string_member (quote, "type", "TextQuoteSelector");
  json_object_set_string_member (quote, "exact", exact);
  json_object_set_string_member (quote, "prefix", prefix);
  json_object_set_string_member (quote, "suffix", suffix);
  json_array_add_object_element (selectors, quote);
  position = json_object_new ();
  json_object_set_string_member (position, "type", "TextPositionSelector");
  json_object_set_int_member (position, "start", start);
  json_object_set_int_member (position, "end", end);
  json_array_add_object_element (selectors, position);
  return annotation_object (a, selectors);
}

static gboolean
clip_has_passage (GlossClip  *clip,
                  JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossAnnotation) probe = gloss_annotation_new_from_json (object, &error);
  GListModel *model = gloss_clip_get_annotations (clip);

  if (probe == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GlossAnnotation) other = g_list_model_get_item (model, i);

      if (g_str_equal (gloss_annotation_get_exact (other), gloss_annotation_get_exact (probe)) &&
          gloss_annotation_get_start (other) == gloss_annotation_get_start (probe) &&
          gloss_annotation_get_end (other) == gloss_annotation_get_end (probe))
        return TRUE;
    }
  return FALSE;
}

/* Adds @a to @clip unless it is there (same id, or the same passage). */
static gboolean
add_annotation (GlossClip             *clip,
                GlossText             *text,
                GlossImportAnnotation *a,
                GlossImportSummary    *summary,
                GlossImportPlan       *plan)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GlossAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  gboolean orphan = FALSE;

  if (gloss_clip_find_annotation (clip, a->id) != NULL)
    {
      summary->annotations_present++;
      return FALSE;
    }
  object = anchored_object (a, text);
  if (object == NULL)
    {
      object = annotation_object (a, pending_selectors (a));
      orphan = text != NULL;
    }
  if (clip_has_passage (clip, object))
    {
      summary->annotations_present++;
      return FALSE;
    }
  annotation = gloss_annotation_new_from_json (object, &error);
  if (annotation == NULL)
    {
      gloss_import_plan_reject (plan, _("An annotation on %s could not be kept: %s"),
                                gloss_clip_get_url (clip), error->message);
      return FALSE;
    }
  if (orphan)
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
add_page_data (GlossClip          *clip,
               GlossImportPage    *page,
               gboolean            is_new,
               GlossImportSummary *summary)
{
  gboolean changed = FALSE;
  const char *note = gloss_clip_get_note (clip);
  JsonObject *root;

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

  /* What the import knew, under the names the source gave it; what is
   * there already (an earlier import) is left as it is. A new clip was
   * made with it (new_clip()): no second pass over its JSON. */
  if (page->import != NULL && !is_new && (root = gloss_clip_to_json (clip)) != NULL)
    {
      JsonNode *node = json_object_get_member (root, "import");
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;
      JsonObject *import;

      if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
        return changed;  /* someone else's "import": left alone */
      if (node == NULL)
        {
          json_object_set_object_member (root, "import", json_object_new ());
          node = json_object_get_member (root, "import");
        }
      import = json_node_get_object (node);
      json_object_iter_init (&iter, page->import);
      while (json_object_iter_next (&iter, &member, &value))
        if (!json_object_has_member (import, member))
          {
            json_object_set_member (import, member, json_node_copy (value));
            changed = TRUE;
          }
    }
  return changed;
}

static void
set_optional (JsonObject *root,
              const char *member,
              const char *value)
{
  if (value != NULL && value[0] != '\0')
    json_object_set_string_member (root, member, value);
}

/* A new clip as clip.json would hold it, read back by the clip loader so
 * that it is checked exactly as a clip from disk is. */
static GlossClip *
new_clip (GlossLibrary     *library,
          GlossImportPlan  *plan,
          GlossImportPage  *page,
          GError          **error)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonObject) import = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_alloc ();
  g_autoptr(GFile) folder = NULL;
  g_autofree char *id = gloss_id_new ();
  g_autofree char *now = gloss_time_now_string ();
  g_autofree char *data = NULL;
  GlossClip *clip;
  gsize length = 0;

  json_object_set_int_member (root, "format", GLOSS_FORMAT_VERSION);
  json_object_set_string_member (root, "id", id);
  json_object_set_string_member (root, "url", page->url);
  json_object_set_string_member (root, "title", page->title != NULL ? page->title : page->url);
  set_optional (root, "byline", page->byline);
  set_optional (root, "site_name", page->site_name);
  set_optional (root, "excerpt", page->excerpt);
  set_optional (root, "lang", page->lang);
  if (page->published != NULL)
    {
      g_autofree char *published = gloss_import_parse_time (page->published);

      set_optional (root, "published", published != NULL ? published : page->published);
    }
  /* The time it was saved there: the reading list keeps its order. */
  json_object_set_string_member (root, "created", page->created != NULL ? page->created : now);
  json_object_set_string_member (root, "modified", now);

  import = page->import != NULL ? json_object_ref (page->import) : json_object_new ();
  if (!json_object_has_member (import, "source"))
    json_object_set_string_member (import, "source", gloss_import_format_to_string (plan->format));
  if (!json_object_has_member (import, "imported"))
    json_object_set_string_member (import, "imported", now);
  json_object_set_object_member (root, "import", g_steal_pointer (&import));

  json_node_init_object (node, root);
  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);

  folder = g_file_get_child (gloss_library_get_clips_folder (library), id);
  clip = gloss_clip_load_from_data (folder, data, length, GLOSS_CLIP_LOAD_FULL, error);
  /* Not on disk yet: the clip writer gives it its folder. */
  if (clip != NULL)
    gloss_clip_set_folder (clip, NULL);
  return clip;
}

/* The one place an import writes a new clip: core's clip writer, with the
 * article the export carries, or none (not clipped yet). */
static gboolean
write_new_clip (GlossLibrary  *library,
                GlossClip     *clip,
                const char    *html,
                const char    *text,
                GError       **error)
{
  g_autoptr(GlossClipWriter) writer = gloss_clip_writer_new (library, clip);
  GlossClipPage page = { .word_count = -1, .html = html, .text = text, };

  return gloss_clip_writer_commit (writer, &page, error) != NULL;
}

/* Re-anchors every annotation of @clip in @text, as the clipper's update
 * does: the lost ones become orphans, nothing is dropped. */
static void
anchor_all (GlossClip          *clip,
            const char         *text,
            GlossImportSummary *summary)
{
  g_autoptr(GlossText) gtext = gloss_text_new (text, -1);
  GListModel *annotations = gloss_clip_get_annotations (clip);

  for (guint i = 0; i < g_list_model_get_n_items (annotations); i++)
    {
      g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (annotations, i);
      g_autofree char *exact = NULL;
      g_autofree char *prefix = NULL;
      g_autofree char *suffix = NULL;
      guint start = 0, end = 0;

      if (gloss_anchor_annotation (gtext, annotation, &start, &end) == GLOSS_ANCHOR_ORPHAN)
        {
          gloss_annotation_set_orphan (annotation, TRUE);
          summary->orphans++;
          continue;
        }
      exact = gloss_text_substring (gtext, start, end);
      gloss_text_get_context (gtext, start, end, &prefix, &suffix);
      gloss_annotation_set_target (annotation, exact, prefix, suffix, start, end);
    }
  gloss_clip_sort_annotations (clip);
}

/* An article kept with pictures still on the web: the queue fetches them
 * where they can be fetched (the import never touches the network). */
static void
note_images (GlossImportSummary *summary,
             GlossClip          *clip,
             const char         *html)
{
  if (gloss_import_article_images (html, gloss_clip_get_url (clip), NULL, NULL, NULL, NULL))
    g_ptr_array_add (summary->images_to_fetch, g_strdup (gloss_clip_get_id (clip)));
}

/* --- new clips gathered, then written --------------------------------------- */

/* New clips are gathered and written in a batch, by clip writers on
 * several threads, then added to the model on the library's thread. */
#define WRITE_THREADS 32

typedef struct
{
  GlossClip *clip;
  char      *html;
  char      *text;
  char      *url;
  GError    *error;
} Write;

struct _GlossImportWrites
{
  GPtrArray *writes;  /* Write */
};

static void
write_free (Write *write)
{
  g_clear_object (&write->clip);
  g_free (write->html);
  g_free (write->text);
  g_free (write->url);
  g_clear_error (&write->error);
  g_free (write);
}

GlossImportWrites *
gloss_import_writes_new (void)
{
  GlossImportWrites *writes = g_new0 (GlossImportWrites, 1);

  writes->writes = g_ptr_array_new_with_free_func ((GDestroyNotify) write_free);
  return writes;
}

void
gloss_import_writes_free (GlossImportWrites *writes)
{
  if (writes == NULL)
    return;
  g_ptr_array_unref (writes->writes);
  g_free (writes);
}

guint
gloss_import_writes_get_n (GlossImportWrites *writes)
{
  return writes->writes->len;
}

static void
write_worker (gpointer data,
              gpointer user_data)
{
  Write *write = data;
  GlossLibrary *library = user_data;
  g_autoptr(GlossClipWriter) writer = gloss_clip_writer_new (library, write->clip);
  GlossClipPage page = { .word_count = -1, .html = write->html, .text = write->text, };

  gloss_clip_writer_set_add_later (writer, TRUE);
  gloss_clip_writer_commit (writer, &page, &write->error);
}

gboolean
gloss_import_writes_flush (GlossImportWrites   *writes,
                           GlossLibrary        *library,
                           GlossImportPlan     *plan,
                           GlossImportSummary  *summary,
                           GError             **error)
{
  GThreadPool *pool;

  if (writes->writes->len == 0)
    return TRUE;

  /* Several writers at once, the library's thread waiting: their disk
   * flushes go together. Each write is the clip writer's own, atomic and
   * durable; the model is only touched below, on this thread. */
  pool = g_thread_pool_new (write_worker, library, MIN (WRITE_THREADS, writes->writes->len), TRUE, NULL);
  for (guint i = 0; i < writes->writes->len; i++)
    g_thread_pool_push (pool, g_ptr_array_index (writes->writes, i), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);

  for (guint i = 0; i < writes->writes->len; i++)
    {
      Write *write = g_ptr_array_index (writes->writes, i);

      if (write->error != NULL)
        {
          gloss_import_plan_reject (plan, _("%s could not be kept: %s"), write->url, write->error->message);
          continue;
        }
      gloss_library_add_written (library, write->clip);
      summary->clips_added++;
      if (write->html != NULL)
        {
          summary->articles++;
          note_images (summary, write->clip, write->html);
        }
      else
        {
          summary->pending++;
          if (gloss_import_is_web_url (write->url))
            g_ptr_array_add (summary->urls_to_clip, g_strdup (write->url));
        }
    }
  g_ptr_array_set_size (writes->writes, 0);
  return TRUE;
}

GlossClip *
gloss_import_keep_page (GlossLibrary        *library,
                        GlossClip           *existing,
                        GlossImportPlan     *plan,
                        GlossImportPage     *page,
                        GlossImportSummary  *summary,
                        GlossImportWrites   *writes,
                        GError             **error)
{
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GlossText) text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *article = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean changed = FALSE;
  gboolean pending;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (library), NULL);

  if (existing != NULL && gloss_clip_get_read_only (existing))
    {
      gloss_import_plan_warn (plan, _("The clip of %s is read-only and was left as it is"), page->url);
      return g_object_ref (existing);
    }

  /* The article the export carries, made safe and given its text. */
  /* Only an article the file itself carries: a `state.cached` path in an
   * export names a file on the exporting computer, and an import file is
   * untrusted, so it never makes Gloss read a local file. */
  if (page->article_html != NULL && !gloss_import_html_article (page->article_html, &html, &article))
    gloss_import_plan_warn (plan, _("The saved article of %s holds no text and was left out"), page->url);

  if (existing == NULL)
    {
      if ((clip = new_clip (library, plan, page, &local_error)) == NULL)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                       _("%s could not be kept: %s"), page->url, local_error->message);
          return NULL;
        }
      pending = html == NULL;
    }
  else
    {
      clip = g_object_ref (existing);
      pending = gloss_import_clip_is_pending (clip);
    }

  if (html != NULL && (existing == NULL || pending))
    text = gloss_text_new (article, -1);
  else if (existing != NULL && !pending && page->annotations->len > 0)
    {
      g_autofree char *saved = gloss_clip_load_article_text (clip, NULL);

      if (saved != NULL)
        text = gloss_text_new (saved, -1);
    }

  changed |= add_page_data (clip, page, existing == NULL, summary);
  for (guint i = 0; i < page->annotations->len; i++)
    changed |= add_annotation (clip, text, g_ptr_array_index (page->annotations, i), summary, plan);

  if (existing == NULL && writes != NULL)
    {
      Write *write = g_new0 (Write, 1);

      write->clip = g_object_ref (clip);
      write->html = g_steal_pointer (&html);
      write->text = g_steal_pointer (&article);
      write->url = g_strdup (page->url);
      g_ptr_array_add (writes->writes, write);
      return g_steal_pointer (&clip);
    }

  if (existing == NULL)
    {
      if (!write_new_clip (library, clip, html, article, &local_error))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                       _("%s could not be kept: %s"), page->url, local_error->message);
          return NULL;
        }
      summary->clips_added++;
      if (html != NULL)
        {
          summary->articles++;
          note_images (summary, clip, html);
        }
      else
        {
          summary->pending++;
          if (gloss_import_is_web_url (page->url))
            g_ptr_array_add (summary->urls_to_clip, g_strdup (page->url));
        }
      return g_steal_pointer (&clip);
    }

  /* A page kept earlier without its article gets the export's now. */
  if (pending && html != NULL)
    {
      if (!gloss_clip_replace_article (clip, html, article, &local_error))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                       _("The article of %s could not be saved: %s"), page->url, local_error->message);
          return NULL;
        }
      anchor_all (clip, article, summary);
      summary->articles++;
      note_images (summary, clip, html);
      changed = TRUE;
    }

  if (gloss_import_clip_is_pending (clip) && gloss_import_is_web_url (page->url))
    g_ptr_array_add (summary->urls_to_clip, g_strdup (page->url));

  if (changed)
    {
      if (!gloss_library_save (library, clip, &local_error))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                       _("The clip of %s could not be saved: %s"), page->url, local_error->message);
          return NULL;
        }
      summary->clips_updated++;
    }
  return g_steal_pointer (&clip);
}
