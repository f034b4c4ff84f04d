/* gloss-import.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reads an import file (W3C Web Annotation JSON-LD, Hypothesis JSON, a
 * URL list, Pocket's HTML or CSV, Omnivore's JSON) into a plan. Every byte
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

/* Far more than any real export; beyond it a file is refused whole rather
 * than read into memory. */
#define MAX_IMPORT_BYTES (512 * 1024 * 1024)
#define MAX_FIELD_CHARS (1024 * 1024)

const char *
gloss_import_format_to_string (GlossImportFormat format)
{
  switch (format)
    {
    case GLOSS_IMPORT_FORMAT_W3C:
      return "W3C Web Annotation";
    case GLOSS_IMPORT_FORMAT_HYPOTHESIS:
      return "Hypothesis";
    case GLOSS_IMPORT_FORMAT_URL_LIST:
      return "URL list";
    case GLOSS_IMPORT_FORMAT_POCKET:
      return "Pocket";
    case GLOSS_IMPORT_FORMAT_OMNIVORE:
      return "Omnivore";
    default:
      return "unknown";
    }
}

static void
import_annotation_free (GlossImportAnnotation *a)
{
  g_free (a->id);
  g_free (a->created);
  g_free (a->modified);
  g_free (a->color);
  g_free (a->note);
  g_free (a->exact);
  g_free (a->prefix);
  g_free (a->suffix);
  g_free (a);
}

static void
import_page_free (GlossImportPage *page)
{
  g_free (page->url);
  g_free (page->clip_id);
  g_free (page->title);
  g_free (page->byline);
  g_free (page->site_name);
  g_free (page->published);
  g_free (page->excerpt);
  g_free (page->lang);
  g_free (page->note);
  g_ptr_array_unref (page->tags);
  g_ptr_array_unref (page->annotations);
  g_free (page->cached);
  g_free (page);
}

gboolean
gloss_import_page_has_data (GlossImportPage *page)
{
  return page->annotations->len > 0 || page->note[0] != '\0';
}

static GlossImportPlan *
plan_new (GlossImportFormat format)
{
  GlossImportPlan *plan = g_new0 (GlossImportPlan, 1);

  plan->format = format;
  plan->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) import_page_free);
  plan->by_url = g_hash_table_new (g_str_hash, g_str_equal);
  plan->warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (plan->warnings, NULL);
  return plan;
}

void
gloss_import_plan_free (GlossImportPlan *plan)
{
  if (plan == NULL)
    return;
  g_hash_table_unref (plan->by_url);
  g_ptr_array_unref (plan->pages);
  g_ptr_array_unref (plan->warnings);
  g_free (plan);
}

G_GNUC_PRINTF (2, 3)
static void
plan_warn (GlossImportPlan *plan,
           const char      *format,
           ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_insert (plan->warnings, plan->warnings->len - 1, g_strdup_vprintf (format, args));
  va_end (args);
}

GlossImportFormat
gloss_import_plan_get_format (GlossImportPlan *plan)
{
  return plan->format;
}

guint
gloss_import_plan_get_n_pages (GlossImportPlan *plan)
{
  return plan->pages->len;
}

guint
gloss_import_plan_get_n_annotations (GlossImportPlan *plan)
{
  guint n = 0;

  for (guint i = 0; i < plan->pages->len; i++)
    n += ((GlossImportPage *) g_ptr_array_index (plan->pages, i))->annotations->len;
  return n;
}

GStrv
gloss_import_plan_dup_urls (GlossImportPlan *plan)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < plan->pages->len; i++)
    g_strv_builder_add (builder, ((GlossImportPage *) g_ptr_array_index (plan->pages, i))->url);
  return g_strv_builder_end (builder);
}

const char * const *
gloss_import_plan_get_warnings (GlossImportPlan *plan)
{
  return (const char * const *) plan->warnings->pdata;
}

/* Text from the file, made safe to keep: valid UTF-8, bounded. */
static char *
clean_text (const char *text)
{
  char *valid;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  if (g_utf8_strlen (valid, -1) > MAX_FIELD_CHARS)
    {
      char *cut = g_utf8_substring (valid, 0, MAX_FIELD_CHARS);
      g_free (valid);
      valid = cut;
    }
  return valid;
}

static char *
clean_optional (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return NULL;
  return g_strstrip (clean_text (text));
}

/* A page's address, as the library compares them: without the fragment.
 * NULL when it is not an absolute URI. */
static char *
normalize_url (const char *url)
{
  g_autofree char *trimmed = NULL;
  char *hash;

  if (url == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (url));
  if ((hash = strchr (trimmed, '#')) != NULL)
    *hash = '\0';
  if (trimmed[0] == '\0' || strlen (trimmed) > 8192 ||
      !g_uri_is_valid (trimmed, G_URI_FLAGS_PARSE_RELAXED, NULL))
    return NULL;
  return g_steal_pointer (&trimmed);
}

static GlossImportPage *
plan_page (GlossImportPlan *plan,
           const char      *url)
{
  GlossImportPage *page = g_hash_table_lookup (plan->by_url, url);

  if (page == NULL)
    {
      page = g_new0 (GlossImportPage, 1);
      page->url = g_strdup (url);
      page->note = g_strdup ("");
      page->tags = g_ptr_array_new_with_free_func (g_free);
      page->annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) import_annotation_free);
      g_ptr_array_add (plan->pages, page);
      g_hash_table_insert (plan->by_url, page->url, page);
    }
  return page;
}

static void
page_add_tag (GlossImportPage *page,
              const char      *tag)
{
  g_autofree char *clean = clean_optional (tag);

  if (clean == NULL)
    return;
  for (guint i = 0; i < page->tags->len; i++)
    if (g_utf8_collate (g_ptr_array_index (page->tags, i), clean) == 0 ||
        g_ascii_strcasecmp (g_ptr_array_index (page->tags, i), clean) == 0)
      return;
  g_ptr_array_add (page->tags, g_steal_pointer (&clean));
}

static void
page_add_note (GlossImportPage *page,
               const char      *note)
{
  g_autofree char *clean = clean_optional (note);
  char *joined;

  if (clean == NULL || strstr (page->note, clean) != NULL)
    return;
  joined = page->note[0] != '\0' ? g_strconcat (page->note, "\n\n", clean, NULL) : g_strdup (clean);
  g_free (page->note);
  page->note = joined;
}

static void
set_if_unset (char       **field,
              const char  *value)
{
  if (*field == NULL)
    *field = clean_optional (value);
}

static char *
valid_time (const char *value)
{
  if (value != NULL && gloss_time_is_valid (value))
    return g_strdup (value);
  if (value != NULL)
    {
      /* Hypothesis writes "+00:00" offsets; the library keeps UTC "Z". */
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (value, NULL);
      if (time != NULL)
        return gloss_time_to_string (time);
    }
  return gloss_time_now_string ();
}

/* An annotation id that is the same every time the same file is imported,
 * so that a second import recognises what the first one added. */
static char *
stable_id (const char *source,
           const char *key)
{
  g_autofree char *text = g_strconcat (source, "\n", key, NULL);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, text, -1);

  return g_strconcat ("imported-", sha, NULL);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static gboolean
member_uint (JsonObject *object,
             const char *member,
             guint      *out)
{
  JsonNode *node;
  gint64 value;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  value = json_node_get_int (node);
  if (value < 0 || value > G_MAXINT32)
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* A member that may be one value or an array of them, as JSON-LD allows:
 * always handed out as a list of nodes (not owned). */
static GPtrArray *
member_list (JsonObject *object,
             const char *member)
{
  GPtrArray *list = g_ptr_array_new ();
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return list;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (list, json_array_get_element (array, i));
    }
  else if (!JSON_NODE_HOLDS_NULL (node))
    g_ptr_array_add (list, node);
  return list;
}

static gboolean
has_type (JsonObject *object,
          const char *type)
{
  g_autoptr(GPtrArray) types = member_list (object, "type");

  if (types->len == 0)
    {
      g_ptr_array_unref (types);
      types = member_list (object, "@type");
    }
  for (guint i = 0; i < types->len; i++)
    {
      JsonNode *node = g_ptr_array_index (types, i);
      const char *value;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      value = json_node_get_string (node);
      if (g_str_equal (value, type) || (g_str_has_prefix (value, "oa:") && g_str_equal (value + 3, type)))
        return TRUE;
    }
  return FALSE;
}

static const char *
color_or_default (const char *color)
{
  GlossColor value;

  if (color != NULL && gloss_color_from_string (color, &value))
    return gloss_color_to_string (value);
  return "yellow";
}

static GlossImportAnnotation *
import_annotation_new (const char *id,
                       const char *created,
                       const char *modified,
                       const char *color,
                       const char *note,
                       const char *exact,
                       const char *prefix,
                       const char *suffix)
{
  GlossImportAnnotation *a = g_new0 (GlossImportAnnotation, 1);

  a->id = g_strdup (id);
  a->created = valid_time (created);
  a->modified = modified != NULL ? valid_time (modified) : g_strdup (a->created);
  a->color = g_strdup (color_or_default (color));
  a->note = clean_text (note);
  a->exact = clean_text (exact);
  a->prefix = clean_text (prefix);
  a->suffix = clean_text (suffix);
  return a;
}

/* Takes the offsets of a TextPositionSelector (W3C's, which Hypothesis uses
 * too) when there is one and it is whole and in order; otherwise the
 * annotation has no position and is anchored by its quote alone. */
static void
take_position (GlossImportAnnotation *a,
               JsonObject            *position)
{
  if (position != NULL &&
      member_uint (position, "start", &a->start) &&
      member_uint (position, "end", &a->end) &&
      a->start <= a->end)
    a->has_position = TRUE;
  else
    a->start = a->end = 0;
}

static void
page_add_annotation (GlossImportPage       *page,
                     GlossImportAnnotation *a)
{
  /* A file that lists one annotation twice adds it once. */
  for (guint i = 0; i < page->annotations->len; i++)
    if (g_str_equal (((GlossImportAnnotation *) g_ptr_array_index (page->annotations, i))->id, a->id))
      {
        import_annotation_free (a);
        return;
      }
  g_ptr_array_add (page->annotations, a);
}

/* Finds the quote and position selectors, also inside refinedBy. */
static void
find_selectors (JsonNode    *node,
                JsonObject **quote,
                JsonObject **position,
                guint        depth)
{
  JsonObject *object;

  if (node == NULL || depth > 8)
    return;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        find_selectors (json_array_get_element (array, i), quote, position, depth + 1);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  if (*quote == NULL && has_type (object, "TextQuoteSelector") && member_string (object, "exact") != NULL)
    *quote = object;
  if (*position == NULL && has_type (object, "TextPositionSelector"))
    *position = object;
  find_selectors (json_object_get_member (object, "refinedBy"), quote, position, depth + 1);
}

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
  const char *value = member_string (object, prefixed);

  return value != NULL ? value : member_string (object, full);
}

static void
read_w3c_annotation (GlossImportPlan *plan,
                     JsonObject      *object,
                     guint           *skipped)
{
  g_autoptr(GPtrArray) targets = member_list (object, "target");
  g_autoptr(GPtrArray) bodies = member_list (object, "body");
  g_autoptr(GString) note = g_string_new (NULL);
  g_autofree char *url = NULL;
  g_autofree char *clip_id = NULL;
  g_autofree char *annotation_id = NULL;
  JsonObject *target = NULL;
  JsonObject *quote = NULL;
  JsonObject *position = NULL;
  GlossImportPage *page;
  const char *source = NULL;
  const char *body_value;

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
      find_selectors (json_object_get_member (t, "selector"), &q, &p, 0);
      if (source == NULL || q != NULL)
        {
          source = member_string (t, "source");
          if (source == NULL)
            source = member_string (t, "id");
          target = t;
          quote = q;
          position = p;
        }
    }

  if ((url = normalize_url (source)) == NULL)
    {
      (*skipped)++;
      return;
    }

  parse_gloss_id (member_string (object, "id"), &clip_id, &annotation_id);
  page = plan_page (plan, url);
  if (page->clip_id == NULL)
    page->clip_id = g_strdup (clip_id);

  if (target != NULL && page->cached == NULL)
    {
      const char *cached = member_string (member_object (target, "state"), "cached");
      if (cached != NULL && g_str_has_prefix (cached, "file:"))
        page->cached = g_strdup (cached);
    }

  body_value = member_string (object, "bodyValue");
  if (body_value != NULL)
    g_string_append (note, body_value);
  for (guint i = 0; i < bodies->len; i++)
    {
      JsonNode *node = g_ptr_array_index (bodies, i);
      JsonObject *body;
      const char *value;
      const char *purpose;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      body = json_node_get_object (node);
      value = member_string (body, "value");
      if (value == NULL)
        continue;
      purpose = member_string (body, "purpose");
      if (g_strcmp0 (purpose, "tagging") == 0 || g_strcmp0 (purpose, "oa:tagging") == 0)
        page_add_tag (page, value);
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
      page_add_note (page, note->str);
      set_if_unset (&page->title, gloss_member (object, "title"));
      set_if_unset (&page->byline, gloss_member (object, "author"));
      set_if_unset (&page->site_name, gloss_member (object, "site"));
      set_if_unset (&page->published, gloss_member (object, "published"));
      set_if_unset (&page->excerpt, gloss_member (object, "excerpt"));
      set_if_unset (&page->lang, gloss_member (object, "lang"));
      return;
    }

  {
    g_autofree char *id = NULL;
    const char *w3c_id = member_string (object, "id");
    GlossImportAnnotation *a;

    if (annotation_id != NULL)
      id = g_strdup (annotation_id);
    else if (w3c_id != NULL)
      id = stable_id ("w3c", w3c_id);
    else
      {
        g_autofree char *key = g_strdup_printf ("%s\n%s\n%s", url, member_string (quote, "exact"), note->str);
        id = stable_id ("w3c-anonymous", key);
      }

    a = import_annotation_new (id,
                               member_string (object, "created"),
                               member_string (object, "modified"),
                               gloss_member (object, "color"),
                               note->str,
                               member_string (quote, "exact"),
                               member_string (quote, "prefix"),
                               member_string (quote, "suffix"));
    take_position (a, position);
    page_add_annotation (page, a);
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

      if (has_type (object, "AnnotationCollection"))
        {
          JsonObject *page = member_object (object, "first");
          guint pages = 0;

          if (page == NULL && member_string (object, "first") != NULL)
            {
              g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                           _("“%s” is an annotation collection whose pages are not in the file"), name);
              return FALSE;
            }
          for (; page != NULL && pages < 100000; page = member_object (page, "next"), pages++)
            {
              g_autoptr(GPtrArray) list = member_list (page, "items");
              g_ptr_array_extend (items, list, NULL, NULL);
            }
        }
      else if (has_type (object, "AnnotationPage"))
        {
          g_autoptr(GPtrArray) list = member_list (object, "items");
          g_ptr_array_extend (items, list, NULL, NULL);
        }
      else
        g_ptr_array_add (items, root);
    }

  for (guint i = 0; i < items->len; i++)
    {
      JsonNode *node = g_ptr_array_index (items, i);

      if (!JSON_NODE_HOLDS_OBJECT (node) || !has_type (json_node_get_object (node), "Annotation"))
        {
          skipped++;
          continue;
        }
      read_w3c_annotation (plan, json_node_get_object (node), &skipped);
    }

  if (skipped > 0)
    plan_warn (plan, g_dngettext (GETTEXT_PACKAGE, "%u item was not an annotation of a web page and was left out", "%u items were not annotations of a web page and were left out", skipped), skipped);
  return TRUE;
}

static void
read_hypothesis_row (GlossImportPlan *plan,
                     JsonObject      *row,
                     guint           *replies,
                     guint           *skipped)
{
  g_autoptr(GPtrArray) targets = member_list (row, "target");
  g_autoptr(GPtrArray) references = member_list (row, "references");
  g_autoptr(GPtrArray) tags = member_list (row, "tags");
  g_autoptr(GPtrArray) titles = member_list (member_object (row, "document"), "title");
  g_autofree char *url = NULL;
  JsonObject *quote = NULL;
  JsonObject *position = NULL;
  const char *source = member_string (row, "uri");
  const char *text = member_string (row, "text");
  const char *h_id = member_string (row, "id");
  GlossImportPage *page;

  if (references->len > 0)
    {
      (*replies)++;
      return;
    }

  for (guint i = 0; i < targets->len; i++)
    {
      JsonNode *node = g_ptr_array_index (targets, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      if (source == NULL)
        source = member_string (json_node_get_object (node), "source");
      find_selectors (json_object_get_member (json_node_get_object (node), "selector"),
                      &quote, &position, 0);
    }

  if ((url = normalize_url (source)) == NULL)
    {
      (*skipped)++;
      return;
    }
  page = plan_page (plan, url);

  for (guint i = 0; i < titles->len; i++)
    {
      JsonNode *node = g_ptr_array_index (titles, i);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          set_if_unset (&page->title, json_node_get_string (node));
          break;
        }
    }
  /* Hypothesis tags each annotation; Gloss tags the clip. */
  for (guint i = 0; i < tags->len; i++)
    {
      JsonNode *node = g_ptr_array_index (tags, i);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        page_add_tag (page, json_node_get_string (node));
    }

  if (quote == NULL)
    {
      /* A page note. */
      page_add_note (page, text);
      return;
    }

  {
    g_autofree char *id = NULL;
    GlossImportAnnotation *a;

    if (h_id != NULL)
      id = stable_id ("hypothesis", h_id);
    else
      {
        g_autofree char *key = g_strdup_printf ("%s\n%s\n%s", url, member_string (quote, "exact"), text);
        id = stable_id ("hypothesis-anonymous", key);
      }
    a = import_annotation_new (id, member_string (row, "created"), member_string (row, "updated"),
                               NULL, text, member_string (quote, "exact"),
                               member_string (quote, "prefix"), member_string (quote, "suffix"));
    take_position (a, position);
    page_add_annotation (page, a);
  }
}

static gboolean
read_hypothesis (GlossImportPlan  *plan,
                 JsonArray        *rows,
                 const char       *name,
                 GError          **error)
{
  guint replies = 0;
  guint skipped = 0;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          skipped++;
          continue;
        }
      read_hypothesis_row (plan, json_node_get_object (node), &replies, &skipped);
    }

  if (replies > 0)
    plan_warn (plan, g_dngettext (GETTEXT_PACKAGE, "%u reply to another annotation was left out: Gloss keeps no replies", "%u replies to other annotations were left out: Gloss keeps no replies", replies), replies);
  if (skipped > 0)
    plan_warn (plan, g_dngettext (GETTEXT_PACKAGE, "%u annotation without a page address was left out", "%u annotations without a page address were left out", skipped), skipped);
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

static gboolean
read_omnivore (GlossImportPlan  *plan,
               JsonArray        *items,
               const char       *name,
               GError          **error)
{
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
          (url = normalize_url (member_string ((item = json_node_get_object (node)), "url"))) == NULL)
        {
          skipped++;
          continue;
        }
      page = plan_page (plan, url);
      set_if_unset (&page->title, member_string (item, "title"));
      set_if_unset (&page->byline, member_string (item, "author"));
      set_if_unset (&page->excerpt, member_string (item, "description"));
      set_if_unset (&page->published, member_string (item, "publishedAt"));

      labels = member_list (item, "labels");
      for (guint j = 0; j < labels->len; j++)
        {
          JsonNode *label = g_ptr_array_index (labels, j);
          if (JSON_NODE_HOLDS_OBJECT (label))
            page_add_tag (page, member_string (json_node_get_object (label), "name"));
          else if (JSON_NODE_HOLDS_VALUE (label) && json_node_get_value_type (label) == G_TYPE_STRING)
            page_add_tag (page, json_node_get_string (label));
        }

      /* Exports made through Omnivore's API carry the highlights too. */
      highlights = member_list (item, "highlights");
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
          quote = member_string (h, "quote");
          if (quote == NULL || quote[0] == '\0')
            {
              page_add_note (page, member_string (h, "annotation"));
              continue;
            }
          h_id = member_string (h, "id");
          if (h_id != NULL)
            id = stable_id ("omnivore", h_id);
          else
            {
              g_autofree char *key = g_strdup_printf ("%s\n%s", url, quote);
              id = stable_id ("omnivore-anonymous", key);
            }
          page_add_annotation (page,
                               import_annotation_new (id, member_string (h, "createdAt"),
                                                      member_string (h, "updatedAt"),
                                                      omnivore_color (member_string (h, "color")),
                                                      member_string (h, "annotation"), quote,
                                                      member_string (h, "prefix"),
                                                      member_string (h, "suffix")));
        }
    }

  if (skipped > 0)
    plan_warn (plan, g_dngettext (GETTEXT_PACKAGE, "%u item without a page address was left out", "%u items without a page address were left out", skipped), skipped);
  if (plan->pages->len == 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("“%s” holds no page addresses"), name);
      return FALSE;
    }
  return TRUE;
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
          plan = plan_new (GLOSS_IMPORT_FORMAT_HYPOTHESIS);
          if (!read_hypothesis (plan, json_node_get_array (rows), name, error))
            return NULL;
          return g_steal_pointer (&plan);
        }
      if (json_object_has_member (object, "@context") || has_type (object, "Annotation") ||
          has_type (object, "AnnotationCollection") || has_type (object, "AnnotationPage"))
        {
          plan = plan_new (GLOSS_IMPORT_FORMAT_W3C);
          if (!read_w3c (plan, root, name, error))
            return NULL;
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
      if (has_type (first, "Annotation"))
        {
          plan = plan_new (GLOSS_IMPORT_FORMAT_W3C);
          if (!read_w3c (plan, root, name, error))
            return NULL;
          return g_steal_pointer (&plan);
        }
      if (json_object_has_member (first, "uri") || json_object_has_member (first, "target"))
        {
          plan = plan_new (GLOSS_IMPORT_FORMAT_HYPOTHESIS);
          if (!read_hypothesis (plan, array, name, error))
            return NULL;
          return g_steal_pointer (&plan);
        }
      if (json_object_has_member (first, "url"))
        {
          plan = plan_new (GLOSS_IMPORT_FORMAT_OMNIVORE);
          if (!read_omnivore (plan, array, name, error))
            return NULL;
          return g_steal_pointer (&plan);
        }
    }

  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
               _("“%s” is JSON, but not a W3C Web Annotation, Hypothesis or Omnivore export"), name);
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

/* The few entities Pocket writes in attributes and titles. */
static char *
html_unescape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      static const char * const entities[][2] = {
        { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
        { "&quot;", "\"" }, { "&#39;", "'" }, { "&apos;", "'" }, { "&nbsp;", " " },
      };
      gboolean done = FALSE;

      if (*p != '&')
        {
          g_string_append_c (out, *p);
          continue;
        }
      for (guint i = 0; i < G_N_ELEMENTS (entities) && !done; i++)
        if (g_str_has_prefix (p, entities[i][0]))
          {
            g_string_append (out, entities[i][1]);
            p += strlen (entities[i][0]) - 1;
            done = TRUE;
          }
      if (!done && p[1] == '#')
        {
          char *end = NULL;
          guint64 c = p[2] == 'x' || p[2] == 'X'
                      ? g_ascii_strtoull (p + 3, &end, 16)
                      : g_ascii_strtoull (p + 2, &end, 10);

          if (end != NULL && *end == ';' && c > 0 && g_unichar_validate ((gunichar) c) && c <= 0x10ffff)
            {
              g_string_append_unichar (out, (gunichar) c);
              p = end;
              done = TRUE;
            }
        }
      if (!done)
        g_string_append_c (out, '&');
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_web_url (const char *url)
{
  return g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://");
}

static GlossImportPlan *
parse_pocket_html (const char  *data,
                   const char  *name,
                   GError     **error)
{
  g_autoptr(GlossImportPlan) plan = plan_new (GLOSS_IMPORT_FORMAT_POCKET);
  g_autoptr(GRegex) link = g_regex_new ("<a\\s([^>]*)>(.*?)</a>",
                                        G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) href = g_regex_new ("\\bhref\\s*=\\s*\"([^\"]*)\"", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) tags = g_regex_new ("\\btags\\s*=\\s*\"([^\"]*)\"", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint skipped = 0;

  g_regex_match (link, data, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *attrs = g_match_info_fetch (match, 1);
      g_autofree char *title = g_match_info_fetch (match, 2);
      g_autoptr(GMatchInfo) href_match = NULL;
      g_autoptr(GMatchInfo) tags_match = NULL;

      if (g_regex_match (href, attrs, 0, &href_match))
        {
          g_autofree char *raw = g_match_info_fetch (href_match, 1);
          g_autofree char *unescaped = html_unescape (raw);
          g_autofree char *url = normalize_url (unescaped);

          if (url != NULL && is_web_url (url))
            {
              GlossImportPage *page = plan_page (plan, url);
              g_autofree char *plain_title = html_unescape (title);

              if (g_strcmp0 (plain_title, url) != 0)
                set_if_unset (&page->title, plain_title);
              if (g_regex_match (tags, attrs, 0, &tags_match))
                {
                  g_autofree char *list = g_match_info_fetch (tags_match, 1);
                  g_autofree char *plain = html_unescape (list);
                  g_auto(GStrv) each = g_strsplit (plain, ",", -1);

                  for (guint i = 0; each[i] != NULL; i++)
                    page_add_tag (page, each[i]);
                }
            }
          else
            skipped++;
        }
      g_match_info_next (match, NULL);
    }

  if (plan->pages->len == 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("“%s” is HTML, but holds no links to web pages"), name);
      return NULL;
    }
  if (skipped > 0)
    plan_warn (plan, g_dngettext (GETTEXT_PACKAGE, "%u link that is not a web page was left out", "%u links that are not web pages were left out", skipped), skipped);
  return g_steal_pointer (&plan);
}

/* One CSV record (RFC 4180) starting at *p; moves *p past it. */
static GPtrArray *
csv_record (const char **p)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *s = *p;
  gboolean quoted = FALSE;

  for (;; s++)
    {
      if (quoted)
        {
          if (*s == '\0')
            break;
          if (*s == '"' && s[1] == '"')
            {
              g_string_append_c (field, '"');
              s++;
            }
          else if (*s == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *s);
          continue;
        }
      if (*s == '"' && field->len == 0)
        quoted = TRUE;
      else if (*s == ',')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
        }
      else if (*s == '\n' || *s == '\0')
        break;
      else if (*s != '\r')
        g_string_append_c (field, *s);
    }
  g_ptr_array_add (fields, g_strdup (field->str));
  *p = *s == '\0' ? s : s + 1;
  return fields;
}

static GlossImportPlan *
parse_csv (const char  *data,
           const char  *name,
           GError     **error)
{
  g_autoptr(GlossImportPlan) plan = plan_new (GLOSS_IMPORT_FORMAT_POCKET);
  g_autoptr(GPtrArray) header = NULL;
  const char *p = data;
  int url_col = -1, title_col = -1, tags_col = -1;
  guint skipped = 0;

  header = csv_record (&p);
  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *h = g_ascii_strdown (g_strstrip ((char *) g_ptr_array_index (header, i)), -1);
      if (g_str_equal (h, "url"))
        url_col = i;
      else if (g_str_equal (h, "title"))
        title_col = i;
      else if (g_str_equal (h, "tags") || g_str_equal (h, "labels"))
        tags_col = i;
    }
  /* The format was guessed from a first line that names a url column;
   * a quoted header can still read otherwise here. */
  if (url_col < 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("%s has no url column in its first line"), name);
      return NULL;
    }

  while (*p != '\0')
    {
      g_autoptr(GPtrArray) record = csv_record (&p);
      g_autofree char *url = NULL;
      GlossImportPage *page;

      if (record->len == 1 && ((char *) g_ptr_array_index (record, 0))[0] == '\0')
        continue;
      if ((guint) url_col >= record->len ||
          (url = normalize_url (g_ptr_array_index (record, url_col))) == NULL ||
          !is_web_url (url))
        {
          skipped++;
          continue;
        }
      page = plan_page (plan, url);
      if (title_col >= 0 && (guint) title_col < record->len)
        set_if_unset (&page->title, g_ptr_array_index (record, title_col));
      if (tags_col >= 0 && (guint) tags_col < record->len)
        {
          g_auto(GStrv) each = g_strsplit_set (g_ptr_array_index (record, tags_col), "|,", -1);
          for (guint i = 0; each[i] != NULL; i++)
            page_add_tag (page, each[i]);
        }
    }

  if (plan->pages->len == 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("“%s” is a table, but holds no web page addresses"), name);
      return NULL;
    }
  if (skipped > 0)
    plan_warn (plan, g_dngettext (GETTEXT_PACKAGE, "%u row without a web page address was left out", "%u rows without a web page address were left out", skipped), skipped);
  return g_steal_pointer (&plan);
}

static GlossImportPlan *
parse_url_list (const char  *data,
                const char  *name,
                GError     **error)
{
  g_autoptr(GlossImportPlan) plan = plan_new (GLOSS_IMPORT_FORMAT_URL_LIST);
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *url = NULL;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      url = normalize_url (line);
      if (url == NULL || !is_web_url (url))
        {
          g_autofree char *shown = g_utf8_substring (line, 0, MIN (g_utf8_strlen (line, -1), 60));
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                       _("Line %u of “%s” is not a web address: “%s”"), i + 1, name, shown);
          return NULL;
        }
      plan_page (plan, url);
    }

  if (plan->pages->len == 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("“%s” holds no web addresses"), name);
      return NULL;
    }
  return g_steal_pointer (&plan);
}

static gboolean
looks_like_html (const char *data)
{
  g_autofree char *head = g_ascii_strdown (data, MIN (strlen (data), 4096));

  return strstr (head, "<!doctype html") != NULL || strstr (head, "<html") != NULL ||
         strstr (head, "<a href") != NULL || strstr (head, "<ul") != NULL;
}

static gboolean
looks_like_csv (const char *data)
{
  const char *nl = strchr (data, '\n');
  g_autofree char *first = g_ascii_strdown (data, nl != NULL ? nl - data : (gssize) strlen (data));
  g_auto(GStrv) fields = g_strsplit (first, ",", -1);

  if (g_strv_length (fields) < 2)
    return FALSE;
  for (guint i = 0; fields[i] != NULL; i++)
    if (g_str_equal (g_strstrip (fields[i]), "url"))
      return TRUE;
  return FALSE;
}

GlossImportPlan *
gloss_import_parse (const char  *data,
                    gsize        length,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *text = NULL;
  const char *start;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (name == NULL)
    /* Translators: stands for a file name in messages such as ““%s” is empty”. */
    name = _("the file");
  if (length > MAX_IMPORT_BYTES)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_TOO_LARGE,
                   _("“%s” is too large to import (more than %u MB)"), name, MAX_IMPORT_BYTES >> 20);
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("“%s” is not a text file (it is not UTF-8)"), name);
      return NULL;
    }

  text = g_strndup (data, length);
  start = text;
  if (g_str_has_prefix (start, "\xef\xbb\xbf"))
    start += 3;
  while (g_ascii_isspace (*start))
    start++;

  if (*start == '\0')
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT, _("“%s” is empty"), name);
      return NULL;
    }

  if (*start == '{' || *start == '[')
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) json_error = NULL;
      g_autoptr(JsonNode) lines = NULL;

      if (json_too_deep (start))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                       g_dngettext (GETTEXT_PACKAGE, "“%s” is damaged: its JSON is nested more than %d level deep", "“%s” is damaged: its JSON is nested more than %d levels deep", MAX_JSON_DEPTH),
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

  if (*start == '<' || looks_like_html (start))
    return parse_pocket_html (start, name, error);
  if (looks_like_csv (start))
    return parse_csv (start, name, error);
  return parse_url_list (start, name, error);
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
