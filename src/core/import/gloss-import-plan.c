/* gloss-import-plan.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The plan an import file is read into, and the helpers every parser
 * shares to fill it: clean text, page addresses, times, tags, notes and
 * annotations, each checked as it comes from an untrusted file. */

#define G_LOG_DOMAIN "gloss-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-annotation.h"
#include "gloss-id.h"
#include "gloss-import-private.h"

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
    case GLOSS_IMPORT_FORMAT_INSTAPAPER:
      return "Instapaper";
    case GLOSS_IMPORT_FORMAT_WALLABAG:
      return "wallabag";
    case GLOSS_IMPORT_FORMAT_BOOKMARKS:
      return "Netscape bookmarks";
    case GLOSS_IMPORT_FORMAT_READWISE:
      return "Readwise";
    case GLOSS_IMPORT_FORMAT_CSV:
      return "CSV";
    default:
      return "unknown";
    }
}

void
gloss_import_annotation_free (GlossImportAnnotation *a)
{
  g_clear_pointer (&a->selectors, json_array_unref);
  g_clear_pointer (&a->tags, g_ptr_array_unref);
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
  g_free (page->created);
  g_clear_pointer (&page->import, json_object_unref);
  g_free (page->article_html);
  g_free (page);
}

gboolean
gloss_import_page_has_data (GlossImportPage *page)
{
  return page->annotations->len > 0 || page->note[0] != '\0';
}

GlossImportPlan *
gloss_import_plan_new (GlossImportFormat format)
{
  GlossImportPlan *plan = g_new0 (GlossImportPlan, 1);

  plan->format = format;
  plan->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) import_page_free);
  plan->by_url = g_hash_table_new (g_str_hash, g_str_equal);
  plan->warnings = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  plan->rejected = g_ptr_array_new_null_terminated (0, g_free, TRUE);
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
  g_ptr_array_unref (plan->rejected);
  g_free (plan->found);
  g_free (plan);
}

void
gloss_import_plan_warn (GlossImportPlan *plan,
           const char      *format,
           ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (plan->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

void
gloss_import_plan_reject (GlossImportPlan *plan,
                          const char      *format,
                          ...)
{
  va_list args;

  /* Bounded: a file of a million bad rows says so in its count. */
  if (plan->rejected->len >= 10000)
    return;
  va_start (args, format);
  g_ptr_array_add (plan->rejected, g_strdup_vprintf (format, args));
  va_end (args);
}

const char * const *
gloss_import_plan_get_rejected (GlossImportPlan *plan)
{
  static const char * const none[] = { NULL };

  /* An empty null-terminated array may have no storage yet. */
  return plan->rejected->pdata != NULL ? (const char * const *) plan->rejected->pdata : none;
}

const char *
gloss_import_plan_get_found (GlossImportPlan *plan)
{
  return plan->found != NULL ? plan->found : gloss_import_format_to_string (plan->format);
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
  static const char * const none[] = { NULL };

  return plan->warnings->pdata != NULL ? (const char * const *) plan->warnings->pdata : none;
}

/* Text from the file, made safe to keep: valid UTF-8, bounded. */
char *
gloss_import_clean_text (const char *text)
{
  char *valid;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  if (g_utf8_strlen (valid, -1) > GLOSS_IMPORT_MAX_FIELD_CHARS)
    {
      char *cut = g_utf8_substring (valid, 0, GLOSS_IMPORT_MAX_FIELD_CHARS);
      g_free (valid);
      valid = cut;
    }
  return valid;
}

char *
gloss_import_clean_optional (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return NULL;
  return g_strstrip (gloss_import_clean_text (text));
}

gboolean
gloss_import_is_web_url (const char *url)
{
  return g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://");
}

char *
gloss_import_normalize_url (const char *url)
{
  g_autofree char *trimmed = NULL;
  char *hash;

  if (url == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (url));
  if ((hash = strchr (trimmed, '#')) != NULL)
    *hash = '\0';
  /* Schemes are case-insensitive (RFC 3986 3.1): HTTP://x is http://x. */
  for (char *p = trimmed; g_ascii_isalnum (*p) || *p == '+' || *p == '-' || *p == '.'; p++)
    if (p[1] == ':')
      {
        for (char *q = trimmed; q <= p; q++)
          *q = g_ascii_tolower (*q);
        break;
      }
  if (trimmed[0] == '\0' || strlen (trimmed) > 8192 ||
      !g_uri_is_valid (trimmed, G_URI_FLAGS_PARSE_RELAXED, NULL))
    return NULL;
  return g_steal_pointer (&trimmed);
}

GlossImportPage *
gloss_import_plan_page (GlossImportPlan *plan,
           const char      *url)
{
  GlossImportPage *page = g_hash_table_lookup (plan->by_url, url);

  if (page == NULL)
    {
      page = g_new0 (GlossImportPage, 1);
      page->url = g_strdup (url);
      page->note = g_strdup ("");
      page->tags = g_ptr_array_new_with_free_func (g_free);
      page->annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) gloss_import_annotation_free);
      g_ptr_array_add (plan->pages, page);
      g_hash_table_insert (plan->by_url, page->url, page);
    }
  return page;
}

void
gloss_import_page_add_tag (GlossImportPage *page,
              const char      *tag)
{
  g_autofree char *clean = gloss_import_clean_optional (tag);

  if (clean == NULL)
    return;
  for (guint i = 0; i < page->tags->len; i++)
    if (g_utf8_collate (g_ptr_array_index (page->tags, i), clean) == 0 ||
        g_ascii_strcasecmp (g_ptr_array_index (page->tags, i), clean) == 0)
      return;
  g_ptr_array_add (page->tags, g_steal_pointer (&clean));
}

void
gloss_import_page_add_note (GlossImportPage *page,
               const char      *note)
{
  g_autofree char *clean = gloss_import_clean_optional (note);
  char *joined;

  if (clean == NULL || strstr (page->note, clean) != NULL)
    return;
  joined = page->note[0] != '\0' ? g_strconcat (page->note, "\n\n", clean, NULL) : g_strdup (clean);
  g_free (page->note);
  page->note = joined;
}

void
gloss_import_set_if_unset (char       **field,
              const char  *value)
{
  if (*field == NULL)
    *field = gloss_import_clean_optional (value);
}

char *
gloss_import_parse_time (const char *value)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *trimmed = NULL;
  char *end = NULL;
  gint64 seconds;

  if (value == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (value));
  if (trimmed[0] == '\0')
    return NULL;
  if (gloss_time_is_valid (trimmed))
    return g_steal_pointer (&trimmed);

  /* Unix seconds (Pocket's time_added, ADD_DATE); Chrome and some tools
   * write microseconds or milliseconds in the same attribute. */
  seconds = g_ascii_strtoll (trimmed, &end, 10);
  if (end != trimmed && *end == '\0' && seconds > 0)
    {
      while (seconds > G_GINT64_CONSTANT (100000000000))
        seconds /= 1000;
      time = g_date_time_new_from_unix_utc (seconds);
    }
  else
    {
      time = g_date_time_new_from_iso8601 (trimmed, NULL);
      if (time == NULL)
        {
          /* "2021-03-04 05:06:07" (Instapaper, Readwise, wallabag): UTC. */
          g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
          g_autofree char *t = g_strdup (trimmed);
          char *space = strchr (t, ' ');

          if (space != NULL)
            *space = 'T';
          time = g_date_time_new_from_iso8601 (t, utc);
        }
    }
  if (time == NULL || g_date_time_get_year (time) < 1990 || g_date_time_get_year (time) > 9999)
    return NULL;
  return gloss_time_to_string (time);
}

void
gloss_import_page_set_created (GlossImportPage *page,
                               const char      *time)
{
  g_autofree char *parsed = gloss_import_parse_time (time);

  /* The earliest time the item was saved wins. */
  if (parsed != NULL && (page->created == NULL || strcmp (parsed, page->created) < 0))
    {
      g_free (page->created);
      page->created = g_steal_pointer (&parsed);
    }
}

JsonObject *
gloss_import_page_get_import (GlossImportPage *page)
{
  if (page->import == NULL)
    page->import = json_object_new ();
  return page->import;
}

char *
gloss_import_valid_time (const char *value)
{
  char *parsed = gloss_import_parse_time (value);

  if (parsed != NULL)
    return parsed;
  return gloss_time_now_string ();
}

/* An annotation id that is the same every time the same file is imported,
 * so that a second import recognises what the first one added. */
char *
gloss_import_stable_id (const char *source,
           const char *key)
{
  g_autofree char *text = g_strconcat (source, "\n", key, NULL);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, text, -1);

  return g_strconcat ("imported-", sha, NULL);
}

gboolean
gloss_import_member_uint (JsonObject *object,
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

/* A member that may be one value or an array of them, as JSON-LD allows:
 * always handed out as a list of nodes (not owned). */
GPtrArray *
gloss_import_member_list (JsonObject *object,
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

gboolean
gloss_import_has_type (JsonObject *object,
          const char *type)
{
  g_autoptr(GPtrArray) types = gloss_import_member_list (object, "type");

  if (types->len == 0)
    {
      g_ptr_array_unref (types);
      types = gloss_import_member_list (object, "@type");
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

const char *
gloss_import_color_or_default (const char *color)
{
  GlossColor value;

  if (color != NULL && gloss_color_from_string (color, &value))
    return gloss_color_to_string (value);
  return "yellow";
}

GlossImportAnnotation *
gloss_import_annotation_new (const char *id,
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
  a->created = gloss_import_valid_time (created);
  a->modified = modified != NULL ? gloss_import_valid_time (modified) : g_strdup (a->created);
  a->color = g_strdup (gloss_import_color_or_default (color));
  a->note = gloss_import_clean_text (note);
  a->exact = gloss_import_clean_text (exact);
  a->prefix = gloss_import_clean_text (prefix);
  a->suffix = gloss_import_clean_text (suffix);
  return a;
}

/* Takes the offsets of a TextPositionSelector (W3C's, which Hypothesis uses
 * too) when there is one and it is whole and in order; otherwise the
 * annotation has no position and is anchored by its quote alone. */
void
gloss_import_take_position (GlossImportAnnotation *a,
               JsonObject            *position)
{
  if (position != NULL &&
      gloss_import_member_uint (position, "start", &a->start) &&
      gloss_import_member_uint (position, "end", &a->end) &&
      a->start <= a->end)
    a->has_position = TRUE;
  else
    a->start = a->end = 0;
}

GlossImportAnnotation *
gloss_import_page_add_annotation (GlossImportPage       *page,
                     GlossImportAnnotation *a)
{
  /* A file that lists one annotation twice adds it once. */
  for (guint i = 0; i < page->annotations->len; i++)
    {
      GlossImportAnnotation *other = g_ptr_array_index (page->annotations, i);

      if (g_str_equal (other->id, a->id))
        {
          gloss_import_annotation_free (a);
          return other;
        }
    }
  g_ptr_array_add (page->annotations, a);
  return a;
}

/* Finds the quote and position selectors, also inside refinedBy. */
void
gloss_import_find_selectors (JsonNode    *node,
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
        gloss_import_find_selectors (json_array_get_element (array, i), quote, position, depth + 1);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  if (*quote == NULL && gloss_import_has_type (object, "TextQuoteSelector") && gloss_json_peek_string (object, "exact") != NULL)
    *quote = object;
  if (*position == NULL && gloss_import_has_type (object, "TextPositionSelector"))
    *position = object;
  gloss_import_find_selectors (json_object_get_member (object, "refinedBy"), quote, position, depth + 1);
}

void
gloss_import_page_keep_member (GlossImportPage *page,
                               JsonObject      *object,
                               const char      *member)
{
  JsonNode *node;
  JsonObject *import;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL ||
      JSON_NODE_HOLDS_NULL (node))
    return;
  import = gloss_import_page_get_import (page);
  if (!json_object_has_member (import, member))
    json_object_set_member (import, member, json_node_copy (node));
}

void
gloss_import_annotation_keep_selectors (GlossImportAnnotation *a,
                                        JsonNode              *selectors)
{
  g_clear_pointer (&a->selectors, json_array_unref);
  if (selectors == NULL)
    return;
  if (JSON_NODE_HOLDS_ARRAY (selectors))
    {
      g_autoptr(JsonNode) copy = json_node_copy (selectors);

      a->selectors = json_array_ref (json_node_get_array (copy));
    }
  else if (JSON_NODE_HOLDS_OBJECT (selectors))
    {
      a->selectors = json_array_new ();
      json_array_add_element (a->selectors, json_node_copy (selectors));
    }
}

gboolean
gloss_import_has_motivation (JsonObject *object,
                             const char *motivation)
{
  g_autoptr(GPtrArray) list = gloss_import_member_list (object, "motivation");

  for (guint i = 0; i < list->len; i++)
    {
      JsonNode *node = g_ptr_array_index (list, i);
      const char *value;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      value = json_node_get_string (node);
      if (g_str_has_prefix (value, "oa:"))
        value += 3;
      if (g_str_equal (value, motivation))
        return TRUE;
    }
  return FALSE;
}

void
gloss_import_plan_absorb (GlossImportPlan *plan,
                          GlossImportPlan *other)
{
  for (guint i = 0; i < other->pages->len; i++)
    {
      GlossImportPage *from = g_ptr_array_index (other->pages, i);
      GlossImportPage *to = gloss_import_plan_page (plan, from->url);

      gloss_import_set_if_unset (&to->title, from->title);
      gloss_import_set_if_unset (&to->byline, from->byline);
      gloss_import_set_if_unset (&to->excerpt, from->excerpt);
      gloss_import_set_if_unset (&to->published, from->published);
      gloss_import_page_set_created (to, from->created);
      gloss_import_page_add_note (to, from->note);
      for (guint t = 0; t < from->tags->len; t++)
        gloss_import_page_add_tag (to, g_ptr_array_index (from->tags, t));
      if (from->import != NULL)
        {
          JsonObjectIter iter;
          const char *member;
          JsonNode *node;

          json_object_iter_init (&iter, from->import);
          while (json_object_iter_next (&iter, &member, &node))
            gloss_import_page_keep_member (to, from->import, member);
        }
      while (from->annotations->len > 0)
        gloss_import_page_add_annotation (to, g_ptr_array_steal_index (from->annotations, 0));
    }
  for (guint i = 0; i < other->warnings->len; i++)
    gloss_import_plan_warn (plan, "%s", (const char *) other->warnings->pdata[i]);
  for (guint i = 0; i < other->rejected->len; i++)
    gloss_import_plan_reject (plan, "%s", (const char *) other->rejected->pdata[i]);
}
