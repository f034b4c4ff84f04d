/* gloss-import.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reads an import file into a plan: finds its format, and reads the JSON
 * ones (W3C Web Annotation JSON-LD, Hypothesis, Omnivore's metadata,
 * wallabag) and URL lists here; CSV, HTML and zip have files of their own. Every byte
 * of the file is untrusted: wrong shapes are skipped with a warning or end
 * in a message that names the file, never in a crash, and nothing is
 * written until the plan is applied. */

#define G_LOG_DOMAIN "gloss-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-annotation.h"
#include "gloss-error.h"
#include "gloss-export-private.h"
#include "gloss-id.h"
#include "gloss-import-private.h"
#include "gloss-import-text.h"
#include "gloss-zip.h"

/* Far more than any real export; beyond it a file is refused whole rather
 * than read into memory. */

/* The W3C ids Gloss writes: urn:gloss:<clip> and urn:gloss:<clip>:<id>. */
static void
parse_gloss_id (const char  *id,
                char       **clip_id,
                char       **annotation_id)
{
  g_auto(GStrv) parts = NULL;

  *clip_id = NULL;
  *annotation_id = NULL;
  if (id == NULL || !g_str_has_prefix (id, GLOSS_JSONLD_ID_PREFIX))
    return;
  parts = g_strsplit (id + strlen (GLOSS_JSONLD_ID_PREFIX), ":", 3);
  if (parts[0] == NULL || !gloss_id_is_valid (parts[0]))
    return;
  if (parts[1] != NULL && (!gloss_id_is_valid (parts[1]) || parts[2] != NULL))
    return;
  *clip_id = g_strdup (parts[0]);
  *annotation_id = g_strdup (parts[1]);
}

static const char *
gloss_member (JsonObject *object,
              const char *name)
{
  g_autofree char *prefixed = g_strconcat ("gloss:", name, NULL);
  g_autofree char *full = g_strconcat (GLOSS_JSONLD_NAMESPACE, name, NULL);
  const char *value = gloss_json_peek_string (object, prefixed);

  return value != NULL ? value : gloss_json_peek_string (object, full);
}

static void
read_w3c_annotation (GlossImportPlan *plan,
                     JsonObject      *object,
                     guint           *skipped)
{
  g_autoptr(GPtrArray) targets = gloss_import_member_list (object, "target");
  g_autoptr(GPtrArray) bodies = gloss_import_member_list (object, "body");
  g_autoptr(GString) note = g_string_new (NULL);
  g_autofree char *url = NULL;
  g_autofree char *clip_id = NULL;
  g_autofree char *annotation_id = NULL;
  JsonObject *quote = NULL;
  JsonObject *position = NULL;
  JsonNode *selectors = NULL;
  GlossImportPage *page;
  const char *source = NULL;
  const char *body_value;
  gboolean tagging;
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < targets->len && quote == NULL; i++)
    {
      JsonNode *node = g_ptr_array_index (targets, i);
      JsonObject *t;
      JsonObject *q = NULL;
      JsonObject *p = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          if (source == NULL)
            source = json_node_get_string (node);
          continue;
        }
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      t = json_node_get_object (node);
      gloss_import_find_selectors (json_object_get_member (t, "selector"), &q, &p, 0);
      if (source == NULL || q != NULL)
        {
          source = gloss_json_peek_string (t, "source");
          if (source == NULL)
            source = gloss_json_peek_string (t, "id");
          quote = q;
          position = p;
          selectors = json_object_get_member (t, "selector");
        }
    }

  if ((url = gloss_import_normalize_url (source)) == NULL)
    {
      const char *id = gloss_json_peek_string (object, "id");

      (*skipped)++;
      gloss_import_plan_reject (plan, _("Annotation %s: it names no page address"),
                                id != NULL ? id : "?");
      return;
    }

  parse_gloss_id (gloss_json_peek_string (object, "id"), &clip_id, &annotation_id);
  page = gloss_import_plan_page (plan, url);
  if (page->clip_id == NULL)
    page->clip_id = g_strdup (clip_id);

  tagging = gloss_import_has_motivation (object, "tagging");
  body_value = gloss_json_peek_string (object, "bodyValue");
  if (body_value != NULL && tagging)
    {
      gloss_import_page_add_tag (page, body_value);
      g_ptr_array_add (tags, g_strdup (body_value));
    }
  else if (body_value != NULL)
    g_string_append (note, body_value);
  for (guint i = 0; i < bodies->len; i++)
    {
      JsonNode *node = g_ptr_array_index (bodies, i);
      g_autofree char *html_text = NULL;
      JsonObject *body;
      const char *value;
      const char *purpose;
      const char *format;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING && tagging)
        {
          /* A tagging annotation may give its tags as plain strings. */
          gloss_import_page_add_tag (page, json_node_get_string (node));
          g_ptr_array_add (tags, g_strdup (json_node_get_string (node)));
          continue;
        }
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      body = json_node_get_object (node);
      value = gloss_json_peek_string (body, "value");
      if (value == NULL)
        value = gloss_json_peek_string (body, "chars");
      if (value == NULL)
        continue;
      format = gloss_json_peek_string (body, "format");
      if (format != NULL && g_ascii_strncasecmp (format, "text/html", 9) == 0)
        value = html_text = gloss_import_html_text (value);
      purpose = gloss_json_peek_string (body, "purpose");
      if (tagging || g_strcmp0 (purpose, "tagging") == 0 || g_strcmp0 (purpose, "oa:tagging") == 0)
        {
          gloss_import_page_add_tag (page, value);
          g_ptr_array_add (tags, g_strdup (value));
        }
      else
        {
          if (note->len > 0)
            g_string_append (note, "\n\n");
          g_string_append (note, value);
        }
    }

  if (quote == NULL)
    {
      /* No passage: the annotation is about the page (Gloss's bookmark). */
      gloss_import_page_add_note (page, note->str);
      gloss_import_set_if_unset (&page->title, gloss_member (object, "title"));
      gloss_import_set_if_unset (&page->byline, gloss_member (object, "author"));
      gloss_import_set_if_unset (&page->site_name, gloss_member (object, "site"));
      gloss_import_set_if_unset (&page->published, gloss_member (object, "published"));
      gloss_import_set_if_unset (&page->excerpt, gloss_member (object, "excerpt"));
      gloss_import_set_if_unset (&page->lang, gloss_member (object, "lang"));
      return;
    }

  {
    g_autofree char *id = NULL;
    const char *w3c_id = gloss_json_peek_string (object, "id");
    GlossImportAnnotation *a;

    if (annotation_id != NULL)
      id = g_strdup (annotation_id);
    else if (w3c_id != NULL)
      id = gloss_import_stable_id ("w3c", w3c_id);
    else
      {
        g_autofree char *key = g_strdup_printf ("%s\n%s\n%s", url, gloss_json_peek_string (quote, "exact"), note->str);
        id = gloss_import_stable_id ("w3c-anonymous", key);
      }

    a = gloss_import_annotation_new (id,
                               gloss_json_peek_string (object, "created"),
                               gloss_json_peek_string (object, "modified"),
                               gloss_member (object, "color"),
                               note->str,
                               gloss_json_peek_string (quote, "exact"),
                               gloss_json_peek_string (quote, "prefix"),
                               gloss_json_peek_string (quote, "suffix"));
    gloss_import_take_position (a, position);
    gloss_import_annotation_keep_selectors (a, selectors);
    if (tags->len > 0)
      a->tags = g_ptr_array_ref (tags);
    gloss_import_page_add_annotation (page, a);
  }
}

static gboolean
read_w3c (GlossImportPlan  *plan,
          JsonNode         *root,
          const char       *name,
          GError          **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  guint skipped = 0;

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (items, json_array_get_element (array, i));
    }
  else
    {
      JsonObject *object = json_node_get_object (root);

      if (gloss_import_has_type (object, "AnnotationCollection"))
        {
          JsonObject *page = gloss_json_peek_object (object, "first");
          guint pages = 0;

          if (page == NULL && gloss_json_peek_string (object, "first") != NULL)
            {
              g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                           _("“%s” is an annotation collection whose pages are not in the file"), name);
              return FALSE;
            }
          for (; page != NULL && pages < 100000; page = gloss_json_peek_object (page, "next"), pages++)
            {
              g_autoptr(GPtrArray) list = gloss_import_member_list (page, "items");
              g_ptr_array_extend (items, list, NULL, NULL);
            }
        }
      else if (gloss_import_has_type (object, "AnnotationPage"))
        {
          g_autoptr(GPtrArray) list = gloss_import_member_list (object, "items");
          g_ptr_array_extend (items, list, NULL, NULL);
        }
      else
        g_ptr_array_add (items, root);
    }

  for (guint i = 0; i < items->len; i++)
    {
      JsonNode *node = g_ptr_array_index (items, i);

      if (!JSON_NODE_HOLDS_OBJECT (node) || !gloss_import_has_type (json_node_get_object (node), "Annotation"))
        {
          skipped++;
          continue;
        }
      read_w3c_annotation (plan, json_node_get_object (node), &skipped);
    }

  if (skipped > 0)
    gloss_import_plan_warn (plan,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "%u item was not an annotation of a web page and was left out",
                                         "%u items were not annotations of a web page and were left out",
                                         skipped),
                            skipped);
  return TRUE;
}

/* Who wrote a Hypothesis annotation, as a person reads it. */
static const char *
hypothesis_user (JsonObject *row)
{
  const char *name = gloss_json_peek_string (gloss_json_peek_object (row, "user_info"), "display_name");
  const char *user = gloss_json_peek_string (row, "user");

  if (name != NULL && name[0] != '\0')
    return name;
  if (user != NULL && g_str_has_prefix (user, "acct:"))
    return user + 5;
  return user;
}

static void
read_hypothesis_row (GlossImportPlan *plan,
                     JsonObject      *row,
                     GHashTable      *by_id,
                     guint            index,
                     guint           *skipped)
{
  g_autoptr(GPtrArray) targets = gloss_import_member_list (row, "target");
  g_autoptr(GPtrArray) tags = gloss_import_member_list (row, "tags");
  g_autoptr(GPtrArray) titles = gloss_import_member_list (gloss_json_peek_object (row, "document"), "title");
  g_autofree char *url = NULL;
  JsonObject *quote = NULL;
  JsonObject *position = NULL;
  JsonNode *selectors = NULL;
  const char *source = gloss_json_peek_string (row, "uri");
  const char *text = gloss_json_peek_string (row, "text");
  const char *h_id = gloss_json_peek_string (row, "id");
  GlossImportPage *page;

  for (guint i = 0; i < targets->len; i++)
    {
      JsonNode *node = g_ptr_array_index (targets, i);
      JsonObject *q = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      if (source == NULL)
        source = gloss_json_peek_string (json_node_get_object (node), "source");
      gloss_import_find_selectors (json_object_get_member (json_node_get_object (node), "selector"),
                                   &q, &position, 0);
      if (q != NULL && quote == NULL)
        {
          quote = q;
          selectors = json_object_get_member (json_node_get_object (node), "selector");
        }
    }

  if ((url = gloss_import_normalize_url (source)) == NULL)
    {
      (*skipped)++;
      gloss_import_plan_reject (plan, _("Annotation %u (%s): it names no page address"),
                                index + 1, h_id != NULL ? h_id : "?");
      return;
    }
  page = gloss_import_plan_page (plan, url);
  gloss_import_page_set_created (page, gloss_json_peek_string (row, "created"));

  for (guint i = 0; i < titles->len; i++)
    {
      JsonNode *node = g_ptr_array_index (titles, i);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          gloss_import_set_if_unset (&page->title, json_node_get_string (node));
          break;
        }
    }

  if (quote == NULL)
    {
      /* A page note. */
      gloss_import_page_add_note (page, text);
      if (h_id != NULL)
        g_hash_table_insert (by_id, g_strdup (h_id), page);
    }
  else
    {
      g_autofree char *id = NULL;
      GlossImportAnnotation *a;

      if (h_id != NULL)
        id = gloss_import_stable_id ("hypothesis", h_id);
      else
        {
          g_autofree char *key = g_strdup_printf ("%s\n%s\n%s", url, gloss_json_peek_string (quote, "exact"), text);
          id = gloss_import_stable_id ("hypothesis-anonymous", key);
        }
      a = gloss_import_annotation_new (id, gloss_json_peek_string (row, "created"),
                                       gloss_json_peek_string (row, "updated"),
                                       NULL, text, gloss_json_peek_string (quote, "exact"),
                                       gloss_json_peek_string (quote, "prefix"),
                                       gloss_json_peek_string (quote, "suffix"));
      gloss_import_take_position (a, position);
      /* Kept as they came (RangeSelector too) until anchored in a clip. */
      gloss_import_annotation_keep_selectors (a, selectors);
      for (guint i = 0; i < tags->len; i++)
        {
          JsonNode *node = g_ptr_array_index (tags, i);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            {
              if (a->tags == NULL)
                a->tags = g_ptr_array_new_with_free_func (g_free);
              g_ptr_array_add (a->tags, gloss_import_clean_text (json_node_get_string (node)));
            }
        }
      a = gloss_import_page_add_annotation (page, a);
      if (h_id != NULL)
        g_hash_table_insert (by_id, g_strdup (h_id), a);
    }

  /* Hypothesis tags each annotation; Gloss tags the clip too. */
  for (guint i = 0; i < tags->len; i++)
    {
      JsonNode *node = g_ptr_array_index (tags, i);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        gloss_import_page_add_tag (page, json_node_get_string (node));
    }
}

/* A reply is kept in the note of the annotation its thread starts from,
 * with who wrote it and when; a reply whose thread is not in the file
 * becomes a note of its page. */
static void
read_hypothesis_reply (GlossImportPlan *plan,
                       JsonObject      *row,
                       GHashTable      *by_id,
                       GHashTable      *pages,
                       guint            index)
{
  g_autoptr(GPtrArray) references = gloss_import_member_list (row, "references");
  g_autofree char *url = gloss_import_normalize_url (gloss_json_peek_string (row, "uri"));
  g_autofree char *reply = NULL;
  g_autofree char *when = NULL;
  const char *text = gloss_json_peek_string (row, "text");
  const char *user = hypothesis_user (row);
  gpointer target = NULL;

  if (text == NULL || text[0] == '\0')
    return;
  for (guint i = 0; i < references->len && target == NULL; i++)
    {
      JsonNode *node = g_ptr_array_index (references, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        target = g_hash_table_lookup (by_id, json_node_get_string (node));
    }

  when = gloss_import_parse_time (gloss_json_peek_string (row, "created"));
  /* Translators: heads a reply kept in a note: who wrote it, and when. */
  reply = g_strdup_printf (_("Reply from %s (%s):"), user != NULL ? user : _("someone"),
                           when != NULL ? when : "?");

  if (target != NULL && !g_hash_table_contains (pages, target))
    {
      GlossImportAnnotation *a = target;
      g_autofree char *clean = gloss_import_clean_text (text);
      char *joined = g_strconcat (a->note, a->note[0] != '\0' ? "\n\n" : "", reply, "\n", clean, NULL);

      g_free (a->note);
      a->note = joined;
      return;
    }
  if (target == NULL && url != NULL)
    target = gloss_import_plan_page (plan, url);
  if (target == NULL)
    {
      gloss_import_plan_reject (plan, _("Annotation %u: a reply whose thread and page are not in the file"),
                                index + 1);
      return;
    }
  {
    g_autofree char *note = g_strconcat (reply, "\n", text, NULL);
    gloss_import_page_add_note (target, note);
  }
}

static gboolean
read_hypothesis (GlossImportPlan  *plan,
                 JsonArray        *rows,
                 const char       *name,
                 GError          **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) pages = g_hash_table_new (NULL, NULL);
  guint skipped = 0;

  /* Annotations first, then the replies, which may come before them. */
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      g_autoptr(GPtrArray) references = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          skipped++;
          gloss_import_plan_reject (plan, _("Annotation %u: it is not an object"), i + 1);
          continue;
        }
      references = gloss_import_member_list (json_node_get_object (node), "references");
      if (references->len == 0)
        read_hypothesis_row (plan, json_node_get_object (node), by_id, i, &skipped);
    }
  for (guint i = 0; i < plan->pages->len; i++)
    g_hash_table_add (pages, g_ptr_array_index (plan->pages, i));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      g_autoptr(GPtrArray) references = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      references = gloss_import_member_list (json_node_get_object (node), "references");
      if (references->len > 0)
        read_hypothesis_reply (plan, json_node_get_object (node), by_id, pages, i);
    }
  return TRUE;
}

static const char *
omnivore_color (const char *color)
{
  static const char * const map[][2] = {
    { "red", "pink" }, { "pink", "pink" }, { "green", "green" },
    { "blue", "blue" }, { "purple", "purple" }, { "yellow", "yellow" },
  };

  for (guint i = 0; color != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_ascii_strcasecmp (color, map[i][0]) == 0)
      return map[i][1];
  return "yellow";
}

gboolean
gloss_import_read_omnivore (GlossImportPlan  *plan,
                            JsonArray        *items,
                            const char       *name,
                            GError          **error)
{
  static const char * const kept[] = {
    "id", "slug", "state", "readingProgress", "readingProgressPercent", "savedAt", "updatedAt",
    "archivedAt", "thumbnail", "siteName", "wordsCount", "isArchived", "contentReader",
  };

  guint skipped = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item;
      g_autofree char *url = NULL;
      g_autoptr(GPtrArray) labels = NULL;
      g_autoptr(GPtrArray) highlights = NULL;
      GlossImportPage *page;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (url = gloss_import_normalize_url (gloss_json_peek_string ((item = json_node_get_object (node)), "url"))) == NULL)
        {
          const char *title = JSON_NODE_HOLDS_OBJECT (node)
                              ? gloss_json_peek_string (json_node_get_object (node), "title") : NULL;
          g_autofree char *shown = gloss_import_clean_text (title != NULL ? title : "?");

          skipped++;
          gloss_import_plan_reject (plan, _("%s, item %u (“%s”): it has no page address"),
                                    name, i + 1, shown);
          continue;
        }
      page = gloss_import_plan_page (plan, url);
      gloss_import_page_set_created (page, gloss_json_peek_string (item, "savedAt"));
      gloss_import_page_set_created (page, gloss_json_peek_string (item, "createdAt"));
      gloss_import_set_if_unset (&page->site_name, gloss_json_peek_string (item, "siteName"));
      for (guint k = 0; k < G_N_ELEMENTS (kept); k++)
        gloss_import_page_keep_member (page, item, kept[k]);
      gloss_import_set_if_unset (&page->title, gloss_json_peek_string (item, "title"));
      gloss_import_set_if_unset (&page->byline, gloss_json_peek_string (item, "author"));
      gloss_import_set_if_unset (&page->excerpt, gloss_json_peek_string (item, "description"));
      gloss_import_set_if_unset (&page->published, gloss_json_peek_string (item, "publishedAt"));

      labels = gloss_import_member_list (item, "labels");
      for (guint j = 0; j < labels->len; j++)
        {
          JsonNode *label = g_ptr_array_index (labels, j);
          if (JSON_NODE_HOLDS_OBJECT (label))
            gloss_import_page_add_tag (page, gloss_json_peek_string (json_node_get_object (label), "name"));
          else if (JSON_NODE_HOLDS_VALUE (label) && json_node_get_value_type (label) == G_TYPE_STRING)
            gloss_import_page_add_tag (page, json_node_get_string (label));
        }

      /* Exports made through Omnivore's API carry the highlights too. */
      highlights = gloss_import_member_list (item, "highlights");
      for (guint j = 0; j < highlights->len; j++)
        {
          JsonNode *hnode = g_ptr_array_index (highlights, j);
          JsonObject *h;
          const char *quote;
          const char *h_id;
          g_autofree char *id = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (hnode))
            continue;
          h = json_node_get_object (hnode);
          quote = gloss_json_peek_string (h, "quote");
          if (quote == NULL || quote[0] == '\0')
            {
              gloss_import_page_add_note (page, gloss_json_peek_string (h, "annotation"));
              continue;
            }
          h_id = gloss_json_peek_string (h, "id");
          if (h_id != NULL)
            id = gloss_import_stable_id ("omnivore", h_id);
          else
            {
              g_autofree char *key = g_strdup_printf ("%s\n%s", url, quote);
              id = gloss_import_stable_id ("omnivore-anonymous", key);
            }
          gloss_import_page_add_annotation (page,
                               gloss_import_annotation_new (id, gloss_json_peek_string (h, "createdAt"),
                                                      gloss_json_peek_string (h, "updatedAt"),
                                                      omnivore_color (gloss_json_peek_string (h, "color")),
                                                      gloss_json_peek_string (h, "annotation"), quote,
                                                      gloss_json_peek_string (h, "prefix"),
                                                      gloss_json_peek_string (h, "suffix")));
        }
    }

  return TRUE;
}

static void
read_wallabag_entry (GlossImportPlan *plan,
                     JsonObject      *entry,
                     guint            index)
{
  static const char * const kept[] = {
    "id", "is_archived", "is_starred", "reading_time", "domain_name", "preview_picture",
    "mimetype", "http_status", "origin_url", "given_url", "updated_at", "archived_at", "starred_at",
  };
  g_autoptr(GPtrArray) tags = gloss_import_member_list (entry, "tags");
  g_autoptr(GPtrArray) authors = gloss_import_member_list (entry, "published_by");
  g_autoptr(GPtrArray) annotations = gloss_import_member_list (entry, "annotations");
  g_autofree char *url = gloss_import_normalize_url (gloss_json_peek_string (entry, "url"));
  const char *content = gloss_json_peek_string (entry, "content");
  GlossImportPage *page;

  if (url == NULL)
    {
      g_autofree char *title = gloss_import_clean_text (gloss_json_peek_string (entry, "title"));

      gloss_import_plan_reject (plan, _("Entry %u (“%s”): it has no page address"), index + 1, title);
      return;
    }
  page = gloss_import_plan_page (plan, url);
  gloss_import_set_if_unset (&page->title, gloss_json_peek_string (entry, "title"));
  gloss_import_set_if_unset (&page->lang, gloss_json_peek_string (entry, "language"));
  gloss_import_set_if_unset (&page->published, gloss_json_peek_string (entry, "published_at"));
  gloss_import_set_if_unset (&page->site_name, gloss_json_peek_string (entry, "domain_name"));
  gloss_import_page_set_created (page, gloss_json_peek_string (entry, "created_at"));
  for (guint k = 0; k < G_N_ELEMENTS (kept); k++)
    gloss_import_page_keep_member (page, entry, kept[k]);

  if (authors->len > 0 && page->byline == NULL)
    {
      g_autoptr(GString) byline = g_string_new (NULL);

      for (guint i = 0; i < authors->len; i++)
        {
          JsonNode *node = g_ptr_array_index (authors, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            continue;
          if (byline->len > 0)
            g_string_append (byline, ", ");
          g_string_append (byline, json_node_get_string (node));
        }
      gloss_import_set_if_unset (&page->byline, byline->str);
    }

  for (guint i = 0; i < tags->len; i++)
    {
      JsonNode *node = g_ptr_array_index (tags, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        gloss_import_page_add_tag (page, json_node_get_string (node));
      else if (JSON_NODE_HOLDS_OBJECT (node))
        gloss_import_page_add_tag (page, gloss_json_peek_string (json_node_get_object (node), "label"));
    }

  if (content != NULL && page->article_html == NULL && content[0] != '\0')
    page->article_html = gloss_import_clean_text (content);

  for (guint i = 0; i < annotations->len; i++)
    {
      JsonNode *node = g_ptr_array_index (annotations, i);
      JsonObject *object;
      const char *quote;
      const char *text;
      g_autofree char *id = NULL;
      g_autofree char *key = NULL;
      GlossImportAnnotation *a;
      JsonNode *ranges;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      quote = gloss_json_peek_string (object, "quote");
      text = gloss_json_peek_string (object, "text");
      if (quote == NULL || quote[0] == '\0')
        {
          gloss_import_page_add_note (page, text);
          continue;
        }
      key = g_strdup_printf ("%s\n%s\n%s", url, quote, text != NULL ? text : "");
      id = gloss_import_stable_id ("wallabag", key);
      a = gloss_import_annotation_new (id, gloss_json_peek_string (object, "created_at"),
                                       gloss_json_peek_string (object, "updated_at"),
                                       NULL, text, quote, NULL, NULL);
      /* The ranges (XPaths into wallabag's own copy) stay with the quote. */
      if ((ranges = json_object_get_member (object, "ranges")) != NULL && JSON_NODE_HOLDS_ARRAY (ranges))
        {
          JsonObject *range = json_object_new ();

          json_object_set_string_member (range, "type", "WallabagRanges");
          json_object_set_member (range, "ranges", json_node_copy (ranges));
          a->selectors = json_array_new ();
          json_array_add_object_element (a->selectors, range);
        }
      gloss_import_page_add_annotation (page, a);
    }
}

static gboolean
looks_like_wallabag (JsonObject *first)
{
  return json_object_has_member (first, "url") &&
         (json_object_has_member (first, "is_archived") || json_object_has_member (first, "is_starred") ||
          json_object_has_member (first, "reading_time") || json_object_has_member (first, "domain_name"));
}

/* Which JSON export this is, by its shape. */
static GlossImportPlan *
parse_json (JsonNode    *root,
            const char  *name,
            GError     **error)
{
  g_autoptr(GlossImportPlan) plan = NULL;
  JsonArray *array = NULL;
  JsonObject *first = NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *rows = json_object_get_member (object, "annotations");

      if (rows == NULL)
        rows = json_object_get_member (object, "rows");
      if (rows != NULL && JSON_NODE_HOLDS_ARRAY (rows))
        {
          plan = gloss_import_plan_new (GLOSS_IMPORT_FORMAT_HYPOTHESIS);
          plan->found = g_strdup (json_object_has_member (object, "export_date")
                                  ? _("Hypothesis export") : _("Hypothesis API search result"));
          if (!read_hypothesis (plan, json_node_get_array (rows), name, error))
            return NULL;
          return g_steal_pointer (&plan);
        }
      if (json_object_has_member (object, "@context") || gloss_import_has_type (object, "Annotation") ||
          gloss_import_has_type (object, "AnnotationCollection") || gloss_import_has_type (object, "AnnotationPage"))
        {
          plan = gloss_import_plan_new (GLOSS_IMPORT_FORMAT_W3C);
          if (!read_w3c (plan, root, name, error))
            return NULL;
          return g_steal_pointer (&plan);
        }
      if ((json_object_has_member (object, "uri") && json_object_has_member (object, "target")) ||
          (json_object_has_member (object, "uri") && json_object_has_member (object, "user")))
        {
          /* One annotation, as the Hypothesis API returns it. */
          g_autoptr(JsonArray) one = json_array_new ();

          json_array_add_element (one, json_node_copy (root));
          plan = gloss_import_plan_new (GLOSS_IMPORT_FORMAT_HYPOTHESIS);
          plan->found = g_strdup (_("Hypothesis annotation"));
          if (!read_hypothesis (plan, one, name, error))
            return NULL;
          return g_steal_pointer (&plan);
        }
      if (looks_like_wallabag (object))
        {
          plan = gloss_import_plan_new (GLOSS_IMPORT_FORMAT_WALLABAG);
          read_wallabag_entry (plan, object, 0);
          return g_steal_pointer (&plan);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      array = json_node_get_array (root);
      for (guint i = 0; i < json_array_get_length (array) && first == NULL; i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
          first = json_array_get_object_element (array, i);

      if (first == NULL)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                       _("“%s” holds no annotations or pages"), name);
          return NULL;
        }
      if (gloss_import_has_type (first, "Annotation"))
        {
          plan = gloss_import_plan_new (GLOSS_IMPORT_FORMAT_W3C);
          if (!read_w3c (plan, root, name, error))
            return NULL;
          return g_steal_pointer (&plan);
        }
      if (json_object_has_member (first, "uri") || json_object_has_member (first, "target"))
        {
          plan = gloss_import_plan_new (GLOSS_IMPORT_FORMAT_HYPOTHESIS);
          if (!read_hypothesis (plan, array, name, error))
            return NULL;
          return g_steal_pointer (&plan);
        }
      if (looks_like_wallabag (first))
        {
          plan = gloss_import_plan_new (GLOSS_IMPORT_FORMAT_WALLABAG);
          plan->found = g_strdup (_("wallabag export"));
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *node = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_OBJECT (node))
                read_wallabag_entry (plan, json_node_get_object (node), i);
              else
                gloss_import_plan_reject (plan, _("Entry %u: it is not an object"), i + 1);
            }
          return g_steal_pointer (&plan);
        }
      if (json_object_has_member (first, "url"))
        {
          plan = gloss_import_plan_new (GLOSS_IMPORT_FORMAT_OMNIVORE);
          plan->found = g_strdup (_("Omnivore metadata"));
          if (!gloss_import_read_omnivore (plan, array, name, error))
            return NULL;
          return g_steal_pointer (&plan);
        }
    }

  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
               _("“%s” is JSON, but not an export Gloss reads. It reads: %s"),
               name, gloss_import_get_expected_formats ());
  return NULL;
}

/* JSON Lines: one annotation object a line (our own --json-lines). */
static JsonNode *
parse_json_lines (const char *data,
                  gsize       length)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *copy = g_strndup (data, length);
  JsonArray *array = json_array_new ();
  JsonNode *root;

  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = NULL;
      char *line = g_strstrip (lines[i]);

      if (line[0] == '\0')
        continue;
      parser = json_parser_new_immutable ();
      if (line[0] != '{' || !json_parser_load_from_data (parser, line, -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          json_array_unref (array);
          return NULL;
        }
      json_array_add_element (array, json_node_copy (json_parser_get_root (parser)));
    }
  if (json_array_get_length (array) < 1)
    {
      json_array_unref (array);
      return NULL;
    }
  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);
  return root;
}

/* json-glib parses recursively: a file nested deep enough (a few hundred
 * thousand brackets) overflows the stack. No export nests past a dozen. */
#define MAX_JSON_DEPTH 128

static gboolean
json_too_deep (const char *data)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (const char *p = data; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        {
          if (++depth > MAX_JSON_DEPTH)
            return TRUE;
        }
      else if (*p == '}' || *p == ']')
        depth--;
    }
  return FALSE;
}

/* A whole JSON object on the first line, and more after it. */
static gboolean
looks_like_json_lines (const char *data)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *nl = strchr (data, '\n');
  g_autofree char *first = NULL;
  const char *rest;

  if (nl == NULL)
    return FALSE;
  for (rest = nl; g_ascii_isspace (*rest); rest++)
    ;
  if (*rest == '\0')
    return FALSE;
  first = g_strndup (data, nl - data);
  return json_parser_load_from_data (parser, first, -1, NULL) &&
         JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser));
}

const char *
gloss_import_get_expected_formats (void)
{
  /* Translators: the list of formats an import reads, in messages. */
  return _("a Pocket export (zip, CSV or ril_export.html), an Omnivore export (zip or "
           "metadata JSON), an Instapaper CSV, a wallabag JSON export, a bookmarks HTML file "
           "(Firefox, Chrome, Safari, Pinboard, Raindrop.io, Shaarli), a Hypothesis or W3C "
           "Web Annotation JSON export, a Readwise CSV, or a list of web addresses");
}

static gboolean
unrecognised (GError     **error,
              const char  *name)
{
  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
               /* Translators: %s is a file name, then the list of formats. */
               _("“%s” is not a file Gloss can import. It reads: %s"),
               name, gloss_import_get_expected_formats ());
  return FALSE;
}

static GlossImportPlan *
parse_url_list (const char  *data,
                const char  *name,
                GError     **error)
{
  g_autoptr(GlossImportPlan) plan = gloss_import_plan_new (GLOSS_IMPORT_FORMAT_URL_LIST);
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  gboolean seen_one = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *url = NULL;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      url = gloss_import_normalize_url (line);
      if (url == NULL || !gloss_import_is_web_url (url))
        {
          g_autofree char *shown = g_utf8_substring (line, 0, MIN (g_utf8_strlen (line, -1), 60));

          /* A file whose first line is no address is no list of them. */
          if (!seen_one)
            {
              unrecognised (error, name);
              return NULL;
            }
          gloss_import_plan_reject (plan, _("Line %u: “%s” is not a web address"), i + 1, shown);
          continue;
        }
      seen_one = TRUE;
      gloss_import_plan_page (plan, url);
    }

  if (plan->pages->len == 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("“%s” holds no web addresses"), name);
      return NULL;
    }
  return g_steal_pointer (&plan);
}

GlossImportPlan *
gloss_import_parse_json_text (const char  *start,
                              const char  *name,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) json_error = NULL;
  g_autoptr(JsonNode) lines = NULL;

  if (json_too_deep (start))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” is damaged: its JSON is nested more than %d level deep",
                                "“%s” is damaged: its JSON is nested more than %d levels deep",
                                MAX_JSON_DEPTH),
                   name, MAX_JSON_DEPTH);
      return NULL;
    }

  /* JSON Lines first: a JSON parser may read the first line alone and
   * never see the rest. */
  if (looks_like_json_lines (start) &&
      (lines = parse_json_lines (start, strlen (start))) != NULL)
    return parse_json (lines, name, error);
  if (json_parser_load_from_data (parser, start, -1, &json_error))
    return parse_json (json_parser_get_root (parser), name, error);

  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
               _("“%s” is damaged: it is not valid JSON (%s)"), name, json_error->message);
  return NULL;
}

static gboolean
looks_like_html (const char *data)
{
  g_autofree char *head = g_ascii_strdown (data, MIN (strlen (data), 4096));

  return strstr (head, "<!doctype") != NULL || strstr (head, "<html") != NULL ||
         strstr (head, "<a href") != NULL || strstr (head, "<ul") != NULL ||
         strstr (head, "<dl") != NULL || strstr (head, "<dt") != NULL;
}

/* A first line with a comma and a column a table export names. */
static gboolean
looks_like_csv (const char *data)
{
  const char *nl = strpbrk (data, "\r\n");
  g_autofree char *first = g_ascii_strdown (data, nl != NULL ? nl - data : (gssize) strlen (data));
  g_auto(GStrv) fields = g_strsplit (first, ",", -1);

  if (g_strv_length (fields) < 2)
    return FALSE;
  for (guint i = 0; fields[i] != NULL; i++)
    {
      char *f = g_strstrip (fields[i]);

      if (f[0] == '"')
        f++;
      if (g_str_has_prefix (f, "url") || g_str_has_prefix (f, "highlight") ||
          g_str_has_prefix (f, "title") || g_str_has_prefix (f, "source url"))
        return TRUE;
    }
  return FALSE;
}

/* Every parser ends here: a file that gave no page at all changes
 * nothing, whatever it is. */
static GlossImportPlan *
finish_plan (GlossImportPlan  *plan,
             const char       *name,
             GError          **error)
{
  g_autoptr(GlossImportPlan) owned = plan;

  if (owned == NULL)
    return NULL;
  if (owned->pages->len == 0)
    {
      const char * const *rejected = gloss_import_plan_get_rejected (owned);

      if (rejected[0] != NULL)
        g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                     /* Translators: a file name, a format name, then why the first item was not kept. */
                     _("“%s” is a %s file, but none of its items can be kept: %s"),
                     name, gloss_import_plan_get_found (owned), rejected[0]);
      else
        g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                     _("“%s” is a %s file, but holds no pages"),
                     name, gloss_import_plan_get_found (owned));
      return NULL;
    }
  return g_steal_pointer (&owned);
}

GlossImportPlan *
gloss_import_parse (const char  *data,
                    gsize        length,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *text = NULL;
  const char *start;
  gboolean converted = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (name == NULL)
    /* Translators: stands for a file name in messages such as ““%s” is empty”. */
    name = _("the file");
  if (length > GLOSS_IMPORT_MAX_BYTES)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_TOO_LARGE,
                   _("“%s” is too large to import (more than %u MB)"), name, GLOSS_IMPORT_MAX_BYTES >> 20);
      return NULL;
    }

  if (gloss_zip_sniff (data, length))
    {
      g_autoptr(GBytes) bytes = g_bytes_new (data, length);
      g_autoptr(GError) local_error = NULL;
      GlossImportPlan *plan = gloss_import_parse_zip (bytes, name, &local_error);

      /* Every message names the file, also those about an entry in it. */
      if (plan == NULL && strstr (local_error->message, name) == NULL)
        g_prefix_error (&local_error, "“%s”: ", name);
      if (plan == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return finish_plan (plan, name, error);
    }

  /* Any encoding: Windows spreadsheets write CP-1252 or UTF-16. */
  text = gloss_import_text_to_utf8 (data, length, &converted);
  start = text;
  while (g_ascii_isspace (*start))
    start++;

  if (*start == '\0')
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT, _("“%s” is empty"), name);
      return NULL;
    }

  if (*start == '{' || *start == '[')
    return finish_plan (gloss_import_parse_json_text (start, name, error), name, error);
  if (*start == '<' || looks_like_html (start))
    return finish_plan (gloss_import_parse_html (start, strlen (start), name, error), name, error);
  if (looks_like_csv (start))
    return finish_plan (gloss_import_parse_csv (start, name, error), name, error);
  return finish_plan (parse_url_list (start, name, error), name, error);
}

GlossImportPlan *
gloss_import_read (GFile         *file,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_parse_name (file);
  if (!g_file_load_contents (file, cancellable, &data, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                     _("Could not read “%s”: %s"), name, local_error->message);
      return NULL;
    }
  return gloss_import_parse (data, length, name, error);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GlossImportPlan *plan = gloss_import_read (task_data, cancellable, &error);

  if (plan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, plan, (GDestroyNotify) gloss_import_plan_free);
}

void
gloss_import_read_async (GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_import_read_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_thread);
}

GlossImportPlan *
gloss_import_read_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gloss_import_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
