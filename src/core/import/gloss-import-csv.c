/* gloss-import-csv.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The table exports: Pocket's CSV (title,url,time_added,cursor,tags,status;
 * tags between '|'), Instapaper's (URL,Title,Selection,Folder[,Timestamp]
 * [,Tags]), Readwise's highlights (Highlight,Book Title,Book Author,…,
 * Highlighted at,Document tags), and any other CSV with a url column. The
 * columns are found by their names, in any order and any case. */

#define G_LOG_DOMAIN "gloss-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-import-private.h"
#include "gloss-import-text.h"

enum {
  COL_URL, COL_TITLE, COL_TAGS, COL_TIME, COL_STATUS, COL_CURSOR,
  COL_SELECTION, COL_FOLDER,
  COL_HIGHLIGHT, COL_AUTHOR, COL_NOTE, COL_COLOR, COL_LOCATION, COL_LOCATION_TYPE,
  COL_DOC_TAGS, COL_BOOK_ID, COL_EXCERPT,
  N_COLS
};

typedef struct
{
  GlossImportPlan *plan;
  const char      *name;
  int              col[N_COLS];
  GPtrArray       *header;
} Table;

static const char *
field (Table     *table,
       GPtrArray *row,
       int        column)
{
  int index = table->col[column];

  if (index < 0 || (guint) index >= row->len)
    return NULL;
  return g_ptr_array_index (row, index);
}

static void
find_columns (Table     *table,
              GPtrArray *header)
{
  static const struct { const char *name; int column; } names[] = {
    { "url", COL_URL }, { "source url", COL_URL }, { "link", COL_URL }, { "href", COL_URL },
    { "title", COL_TITLE }, { "book title", COL_TITLE }, { "document title", COL_TITLE },
    { "tags", COL_TAGS }, { "labels", COL_TAGS },
    { "time_added", COL_TIME }, { "timestamp", COL_TIME }, { "highlighted at", COL_TIME },
    { "saved date", COL_TIME }, { "created", COL_TIME }, { "created_at", COL_TIME }, { "date", COL_TIME },
    { "status", COL_STATUS }, { "cursor", COL_CURSOR },
    { "selection", COL_SELECTION }, { "folder", COL_FOLDER },
    { "highlight", COL_HIGHLIGHT }, { "book author", COL_AUTHOR }, { "author", COL_AUTHOR },
    { "note", COL_NOTE }, { "color", COL_COLOR }, { "location", COL_LOCATION },
    { "location type", COL_LOCATION_TYPE }, { "document tags", COL_DOC_TAGS },
    { "amazon book id", COL_BOOK_ID }, { "description", COL_EXCERPT }, { "excerpt", COL_EXCERPT },
  };

  for (guint c = 0; c < N_COLS; c++)
    table->col[c] = -1;
  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *h = g_utf8_strdown (g_ptr_array_index (header, i), -1);

      g_strstrip (h);
      for (guint n = 0; n < G_N_ELEMENTS (names); n++)
        if (g_str_equal (h, names[n].name) && table->col[names[n].column] < 0)
          table->col[names[n].column] = i;
    }
  /* Readwise's "Tags" are the highlight's; its page tags are "Document tags". */
}

/* Tags as exporters write them: "a|b" (Pocket), "a,b", or a JSON list
 * (Instapaper's newer exports). */
static GStrv
split_tags (const char *value,
            const char *separators)
{
  g_autofree char *trimmed = NULL;

  if (value == NULL)
    return g_new0 (char *, 1);
  trimmed = g_strstrip (g_strdup (value));
  if (trimmed[0] == '[')
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (json_parser_load_from_data (parser, trimmed, -1, NULL) &&
          JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
        {
          JsonArray *array = json_node_get_array (json_parser_get_root (parser));
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *node = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
                g_strv_builder_add (builder, json_node_get_string (node));
              else if (JSON_NODE_HOLDS_OBJECT (node))
                {
                  const char *tag = gloss_json_peek_string (json_node_get_object (node), "name");

                  if (tag != NULL)
                    g_strv_builder_add (builder, tag);
                }
            }
          return g_strv_builder_end (builder);
        }
    }
  return g_strsplit_set (trimmed, separators, -1);
}

static void
add_tags (GlossImportPage *page,
          const char      *value,
          const char      *separators,
          GPtrArray       *also)
{
  g_auto(GStrv) tags = split_tags (value, separators);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      char *tag = tags[i];

      /* Readwise writes "#tag"; the hash is not part of the name. */
      while (*tag == '#' || g_ascii_isspace (*tag))
        tag++;
      if (page != NULL)
        gloss_import_page_add_tag (page, tag);
      if (also != NULL && tag[0] != '\0')
        g_ptr_array_add (also, gloss_import_clean_text (g_strstrip (tag)));
    }
}

static void
keep_string (GlossImportPage *page,
             const char      *member,
             const char      *value)
{
  JsonObject *import;

  if (value == NULL || value[0] == '\0')
    return;
  import = gloss_import_page_get_import (page);
  if (!json_object_has_member (import, member))
    json_object_set_string_member (import, member, value);
}

static char *
shown (const char *text)
{
  g_autofree char *clean = gloss_import_clean_text (text != NULL ? text : "");

  return g_utf8_substring (clean, 0, MIN (g_utf8_strlen (clean, -1), 60));
}

/* Instapaper's own folders are states; any other folder is the user's and
 * becomes a tag too. */
static gboolean
is_instapaper_state (const char *folder)
{
  return g_ascii_strcasecmp (folder, "Unread") == 0 || g_ascii_strcasecmp (folder, "Archive") == 0 ||
         g_ascii_strcasecmp (folder, "Starred") == 0;
}

static void
read_row (Table     *table,
          GPtrArray *row,
          guint      line)
{
  GlossImportPlan *plan = table->plan;
  const char *raw_url = field (table, row, COL_URL);
  const char *title = field (table, row, COL_TITLE);
  g_autofree char *url = NULL;
  GlossImportPage *page;

  if (plan->format == GLOSS_IMPORT_FORMAT_READWISE && (raw_url == NULL || raw_url[0] == '\0'))
    {
      /* A book or an article Readwise names by title alone: kept under an
       * address of its own, the same each time the file is imported. */
      g_autofree char *key = g_strdup_printf ("%s\n%s", title != NULL ? title : "",
                                              field (table, row, COL_AUTHOR) ? field (table, row, COL_AUTHOR) : "");
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);

      url = g_strconcat ("urn:readwise:", sha, NULL);
    }
  else
    url = gloss_import_normalize_url (raw_url);

  if (url == NULL || (plan->format != GLOSS_IMPORT_FORMAT_READWISE && !gloss_import_is_web_url (url)))
    {
      g_autofree char *t = shown (title);
      g_autofree char *u = shown (raw_url);

      if (raw_url == NULL || raw_url[0] == '\0')
        gloss_import_plan_reject (plan, _("Line %u (“%s”): it has no web address"), line, t);
      else
        gloss_import_plan_reject (plan, _("Line %u (“%s”): “%s” is not a web address"), line, t, u);
      return;
    }

  page = gloss_import_plan_page (plan, url);
  if (title != NULL && g_strcmp0 (title, raw_url) != 0)
    gloss_import_set_if_unset (&page->title, title);
  gloss_import_set_if_unset (&page->excerpt, field (table, row, COL_EXCERPT));

  switch ((int) plan->format)
    {
    case GLOSS_IMPORT_FORMAT_POCKET:
      gloss_import_page_set_created (page, field (table, row, COL_TIME));
      add_tags (page, field (table, row, COL_TAGS), "|", NULL);
      keep_string (page, "status", field (table, row, COL_STATUS));
      keep_string (page, "time_added", field (table, row, COL_TIME));
      break;

    case GLOSS_IMPORT_FORMAT_INSTAPAPER:
      {
        const char *folder = field (table, row, COL_FOLDER);
        const char *selection = field (table, row, COL_SELECTION);

        gloss_import_page_set_created (page, field (table, row, COL_TIME));
        add_tags (page, field (table, row, COL_TAGS), ",", NULL);
        keep_string (page, "folder", folder);
        keep_string (page, "timestamp", field (table, row, COL_TIME));
        if (folder != NULL && folder[0] != '\0' && !is_instapaper_state (folder))
          {
            /* "Work/Reading": each level. */
            g_auto(GStrv) levels = g_strsplit (folder, "/", -1);

            for (guint i = 0; levels[i] != NULL; i++)
              gloss_import_page_add_tag (page, levels[i]);
          }
        if (selection != NULL)
          {
            g_autofree char *trimmed = g_strstrip (g_strdup (selection));

            if (trimmed[0] != '\0')
              {
                g_autofree char *key = g_strdup_printf ("%s\n%s", url, selection);
                g_autofree char *id = gloss_import_stable_id ("instapaper", key);

                gloss_import_page_add_annotation (page,
                  gloss_import_annotation_new (id, field (table, row, COL_TIME), NULL, NULL, NULL,
                                               selection, NULL, NULL));
              }
          }
      }
      break;

    case GLOSS_IMPORT_FORMAT_READWISE:
      {
        const char *highlight = field (table, row, COL_HIGHLIGHT);
        const char *location = field (table, row, COL_LOCATION);

        gloss_import_set_if_unset (&page->byline, field (table, row, COL_AUTHOR));
        add_tags (page, field (table, row, COL_DOC_TAGS), ",", NULL);
        keep_string (page, "amazon_book_id", field (table, row, COL_BOOK_ID));
        if (highlight != NULL && highlight[0] != '\0')
          {
            g_autofree char *key = g_strdup_printf ("%s\n%s\n%s", url, highlight, location ? location : "");
            g_autofree char *id = gloss_import_stable_id ("readwise", key);
            GlossImportAnnotation *a;

            a = gloss_import_annotation_new (id, field (table, row, COL_TIME), NULL,
                                             field (table, row, COL_COLOR),
                                             field (table, row, COL_NOTE), highlight, NULL, NULL);
            a->tags = g_ptr_array_new_with_free_func (g_free);
            add_tags (NULL, field (table, row, COL_TAGS), ",", a->tags);
            for (guint i = 0; i < a->tags->len; i++)
              gloss_import_page_add_tag (page, g_ptr_array_index (a->tags, i));
            gloss_import_page_add_annotation (page, a);
          }
        else
          gloss_import_page_add_note (page, field (table, row, COL_NOTE));
      }
      break;

    default:
      gloss_import_page_set_created (page, field (table, row, COL_TIME));
      add_tags (page, field (table, row, COL_TAGS), "|,", NULL);
      gloss_import_set_if_unset (&page->byline, field (table, row, COL_AUTHOR));
      gloss_import_page_add_note (page, field (table, row, COL_NOTE));
      keep_string (page, "status", field (table, row, COL_STATUS));
      keep_string (page, "folder", field (table, row, COL_FOLDER));
      break;
    }
}

GlossImportPlan *
gloss_import_parse_csv (const char  *text,
                        const char  *name,
                        GError     **error)
{
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossCsv) csv = gloss_csv_new (text);
  g_autoptr(GPtrArray) header = NULL;
  gboolean unterminated = FALSE;
  GlossImportFormat format;
  guint cut = 0;
  Table table = { 0, };

  header = gloss_csv_next (csv, &unterminated);
  if (header == NULL || unterminated)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("“%s” is damaged: its first line is not a table header"), name);
      return NULL;
    }
  find_columns (&table, header);

  if (table.col[COL_HIGHLIGHT] >= 0 && table.col[COL_TITLE] >= 0)
    format = GLOSS_IMPORT_FORMAT_READWISE;
  else if (table.col[COL_URL] < 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("“%s” is a table without a URL column. Gloss reads: %s"),
                   name, gloss_import_get_expected_formats ());
      return NULL;
    }
  else if (table.col[COL_SELECTION] >= 0 || table.col[COL_FOLDER] >= 0)
    format = GLOSS_IMPORT_FORMAT_INSTAPAPER;
  else if (table.col[COL_STATUS] >= 0 || table.col[COL_CURSOR] >= 0 ||
           (table.col[COL_TIME] >= 0 && g_ascii_strcasecmp (g_ptr_array_index (header, table.col[COL_TIME]), "time_added") == 0))
    format = GLOSS_IMPORT_FORMAT_POCKET;
  else
    format = GLOSS_IMPORT_FORMAT_CSV;

  plan = gloss_import_plan_new (format);
  switch ((int) format)
    {
    case GLOSS_IMPORT_FORMAT_POCKET: plan->found = g_strdup (_("Pocket CSV export")); break;
    case GLOSS_IMPORT_FORMAT_INSTAPAPER: plan->found = g_strdup (_("Instapaper CSV export")); break;
    case GLOSS_IMPORT_FORMAT_READWISE: plan->found = g_strdup (_("Readwise CSV export")); break;
    default: plan->found = g_strdup (_("CSV table")); break;
    }
  table.plan = plan;
  table.name = name;
  table.header = header;

  for (;;)
    {
      g_autoptr(GPtrArray) row = gloss_csv_next (csv, &unterminated);
      guint line = gloss_csv_get_line (csv);

      if (row == NULL)
        break;
      if (unterminated)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                       _("“%s” is damaged: a quoted field that starts on line %u is never closed"),
                       name, line);
          return NULL;
        }
      if (gloss_csv_was_cut (csv))
        cut++;
      if (row->len == 1 && ((char *) g_ptr_array_index (row, 0))[0] == '\0')
        continue;
      read_row (&table, row, line);
    }

  if (cut > 0)
    gloss_import_plan_warn (plan,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "%u row had a field longer than a million characters, which was cut",
                                         "%u rows had a field longer than a million characters, which was cut",
                                         cut),
                            cut);
  return g_steal_pointer (&plan);
}
