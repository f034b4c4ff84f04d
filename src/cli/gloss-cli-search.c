/* gloss-cli-search.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `gloss --search`: the same index and query language as the window,
 * printed as text or JSON. */

#define G_LOG_DOMAIN "gloss-cli-search"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gloss-cli.h"
#include "gloss-cli-search.h"
#include "gloss-annotation.h"
#include "gloss-error.h"
#include "gloss-index.h"

static char *
format_date (gint64 created)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (created);

  return time ? g_date_time_format (time, "%Y-%m-%d") : g_strdup ("");
}

static char *
format_rfc3339 (gint64 created)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (created);

  return time ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static void
print_text (GListModel *results,
            GString    *out)
{
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(GlossSearchResult) result = g_list_model_get_item (results, i);
      g_autofree char *title = gloss_cli_one_line (gloss_search_result_get_title (result), FALSE);
      g_autofree char *url = gloss_cli_one_line (gloss_search_result_get_url (result), FALSE);
      g_autofree char *date = format_date (gloss_search_result_get_created (result));
      g_autofree char *marked = gloss_cli_one_line (gloss_search_result_get_snippet (result), TRUE);
      g_autofree char *snippet = gloss_search_marked_replace (marked, "**", "**");
      GPtrArray *annotations = gloss_search_result_get_annotations (result);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "%s\n  %s  %s\n", title, date, url);
      if (*snippet != '\0')
        g_string_append_printf (out, "  %s\n", snippet);

      for (guint j = 0; j < annotations->len; j++)
        {
          const GlossSearchAnnotation *a = annotations->pdata[j];
          g_autofree char *quote_line = gloss_cli_one_line (a->quote, TRUE);
          g_autofree char *note_line = gloss_cli_one_line (a->note, TRUE);
          g_autofree char *quote = gloss_search_marked_replace (quote_line, "**", "**");
          g_autofree char *note = gloss_search_marked_replace (note_line, "**", "**");

          g_string_append_printf (out, "  > “%s”", quote);
          if (*note != '\0')
            g_string_append_printf (out, " — %s", note);
          g_string_append_c (out, '\n');
        }
    }
}

static void
print_json (GListModel *results,
            GString    *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(GlossSearchResult) result = g_list_model_get_item (results, i);
      const char *snippet = gloss_search_result_get_snippet (result);
      g_autofree char *plain = gloss_search_marked_to_plain (snippet);
      g_autofree char *markup = gloss_search_marked_to_markup (snippet);
      g_autofree char *created = format_rfc3339 (gloss_search_result_get_created (result));
      GPtrArray *annotations = gloss_search_result_get_annotations (result);

      json_builder_begin_object (builder);
      gloss_cli_json_add_string (builder, "id", gloss_search_result_get_clip_id (result));
      gloss_cli_json_add_string (builder, "title", gloss_search_result_get_title (result));
      gloss_cli_json_add_string (builder, "url", gloss_search_result_get_url (result));
      gloss_cli_json_add_string (builder, "site_name", gloss_search_result_get_site_name (result));
      gloss_cli_json_add_string (builder, "created", created);
      json_builder_set_member_name (builder, "score");
      json_builder_add_double_value (builder, gloss_search_result_get_score (result));
      gloss_cli_json_add_string (builder, "snippet", plain);
      gloss_cli_json_add_string (builder, "snippet_markup", markup);

      json_builder_set_member_name (builder, "annotations");
      json_builder_begin_array (builder);
      for (guint j = 0; j < annotations->len; j++)
        {
          const GlossSearchAnnotation *a = annotations->pdata[j];
          g_autofree char *quote = gloss_search_marked_to_plain (a->quote);
          g_autofree char *note = gloss_search_marked_to_plain (a->note);

          json_builder_begin_object (builder);
          gloss_cli_json_add_string (builder, "id", a->id);
          gloss_cli_json_add_string (builder, "color",
                                     gloss_color_to_string (a->color) != NULL
                                     ? gloss_color_to_string (a->color) : "yellow");
          gloss_cli_json_add_string (builder, "quote", quote);
          gloss_cli_json_add_string (builder, "note", note);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  gloss_cli_append_json (out, builder);
}

int
gloss_cli_search (GFile      *library_folder,
                  const char *query,
                  gboolean    json,
                  int         limit,
                  GString    *out,
                  GString    *err)
{
  g_autoptr(GlossQuery) parsed = NULL;
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (G_IS_FILE (library_folder), GLOSS_CLI_FAILED);
  g_return_val_if_fail (out != NULL && err != NULL, GLOSS_CLI_FAILED);

  /* Before touching anything, so that a typo costs nothing. */
  parsed = gloss_query_parse (query ? query : "", &error);
  if (parsed == NULL)
    {
      g_string_append_printf (err, _("Bad search: %s\n"), error->message);
      return gloss_cli_status_for_error (error);
    }

  if (!gloss_cli_check_library_folder (library_folder, err))
    return GLOSS_CLI_FAILED;

  index = gloss_index_new (library_folder);
  if (!gloss_index_sync (index, NULL, &error))
    {
      g_string_append_printf (err, "%s\n", error->message);
      return GLOSS_CLI_FAILED;
    }

  results = gloss_index_search_query (index, parsed, limit > 0 ? (guint) limit : 0, NULL, &error);
  if (results == NULL)
    {
      g_string_append_printf (err, "%s\n", error->message);
      return GLOSS_CLI_FAILED;
    }

  if (json)
    print_json (results, out);
  else
    print_text (results, out);

  if (g_list_model_get_n_items (results) == 0)
    {
      /* Exit 1 comes with a line that says why (DESIGN.md); --json still
       * prints its empty array for scripts. */
      g_string_append_printf (err, _("No clip matches “%s”\n"), query);
      return GLOSS_CLI_FAILED;
    }

  return GLOSS_CLI_OK;
}
