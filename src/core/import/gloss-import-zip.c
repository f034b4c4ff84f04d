/* gloss-import-zip.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The zipped exports:
 *
 * - Pocket's: one or more part_*.csv (the CSV export, split in parts);
 * - Omnivore's: metadata_*.json (the items), content/<slug>.html (each
 *   saved article) and highlights/<slug>.md (its highlights in Omnivore's
 *   Markdown: "> quote", then a line of "#label"s, then the note).
 *
 * Any other zip holding one file Gloss reads (a CSV, JSON or HTML export
 * zipped by hand) is read as that file. */

#define G_LOG_DOMAIN "gloss-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-import-private.h"
#include "gloss-import-text.h"
#include "gloss-zip.h"

/* Per entry; the whole archive is bounded by GLOSS_IMPORT_MAX_BYTES. */
#define MAX_ENTRY_BYTES (64 * 1024 * 1024)

static char *
entry_text (GlossZip  *zip,
            guint      index,
            GError   **error)
{
  g_autoptr(GBytes) bytes = gloss_zip_read (zip, index, MAX_ENTRY_BYTES, error);
  gboolean converted;
  gsize length;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  return gloss_import_text_to_utf8 (data != NULL ? data : "", length, &converted);
}

static gboolean
has_suffix_ci (const char *name,
               const char *suffix)
{
  gsize n = strlen (name), s = strlen (suffix);

  return n >= s && g_ascii_strcasecmp (name + n - s, suffix) == 0;
}

static const char *
base_name (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? slash + 1 : path;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* --- Omnivore's highlight Markdown --------------------------------------- */

static gboolean
is_label_line (const char *line)
{
  g_auto(GStrv) words = g_strsplit_set (line, " \t", -1);
  guint n = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (words[i][0] != '#' || words[i][1] == '\0' || words[i][1] == '#' || words[i][1] == ' ')
        return FALSE;
      n++;
    }
  return n > 0;
}

static void
add_highlight (GlossImportPage *page,
               GHashTable      *seen,
               GString         *quote,
               GString         *rest)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) note = g_string_new (NULL);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *exact = g_strdup (quote->str);
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;
  gboolean labels_done = FALSE;
  guint occurrence;
  GlossImportAnnotation *a;

  /* "> quote " + labels: the space before them is the template's. */
  g_strchomp (exact);
  if (exact[0] == '\0')
    return;

  lines = g_strsplit (rest->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (!labels_done && note->len == 0 && lines[i][0] == '\0')
        continue;
      if (!labels_done && note->len == 0 && is_label_line (lines[i]))
        {
          g_auto(GStrv) words = g_strsplit_set (lines[i], " \t", -1);

          for (guint j = 0; words[j] != NULL; j++)
            if (words[j][0] == '#')
              g_ptr_array_add (labels, g_strdup (words[j] + 1));
          labels_done = TRUE;
          continue;
        }
      labels_done = TRUE;
      if (note->len > 0 || lines[i][0] != '\0')
        {
          if (note->len > 0)
            g_string_append_c (note, '\n');
          g_string_append (note, lines[i]);
        }
    }
  while (note->len > 0 && g_ascii_isspace (note->str[note->len - 1]))
    g_string_truncate (note, note->len - 1);

  /* The same passage twice in an article is two highlights. */
  occurrence = GPOINTER_TO_UINT (g_hash_table_lookup (seen, exact)) + 1;
  g_hash_table_insert (seen, g_strdup (exact), GUINT_TO_POINTER (occurrence));
  key = g_strdup_printf ("%s\n%s\n%u", page->url, exact, occurrence);
  id = gloss_import_stable_id ("omnivore-md", key);

  /* The metadata may have carried the same highlight already. */
  for (guint i = 0; i < page->annotations->len; i++)
    if (occurrence == 1 &&
        g_str_equal (((GlossImportAnnotation *) g_ptr_array_index (page->annotations, i))->exact, exact))
      return;

  a = gloss_import_annotation_new (id, NULL, NULL, NULL, note->str, exact, NULL, NULL);
  if (labels->len > 0)
    {
      a->tags = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < labels->len; i++)
        {
          gloss_import_page_add_tag (page, g_ptr_array_index (labels, i));
          g_ptr_array_add (a->tags, gloss_import_clean_text (g_ptr_array_index (labels, i)));
        }
    }
  gloss_import_page_add_annotation (page, a);
}

static void
read_omnivore_highlights (GlossImportPage *page,
                          const char      *markdown)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) normal = g_string_new (NULL);
  g_autoptr(GString) quote = g_string_new (NULL);
  g_autoptr(GString) rest = g_string_new (NULL);
  gboolean in_quote = FALSE;
  gboolean have_quote = FALSE;

  for (const char *p = markdown; *p != '\0'; p++)
    if (*p != '\r')
      g_string_append_c (normal, *p);
    else if (p[1] != '\n')
      g_string_append_c (normal, '\n');

  lines = g_strsplit (normal->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (line[0] == '>')
        {
          const char *content = line + 1;

          if (*content == ' ')
            content++;
          if (!in_quote)
            {
              if (have_quote)
                add_highlight (page, seen, quote, rest);
              g_string_truncate (quote, 0);
              g_string_truncate (rest, 0);
              in_quote = have_quote = TRUE;
            }
          else
            g_string_append_c (quote, '\n');
          g_string_append (quote, content);
          continue;
        }
      in_quote = FALSE;
      if (have_quote)
        {
          g_string_append (rest, line);
          g_string_append_c (rest, '\n');
        }
    }
  if (have_quote)
    add_highlight (page, seen, quote, rest);
}

/* --- the archives --------------------------------------------------------- */

static GlossImportPlan *
read_omnivore_zip (GlossZip    *zip,
                   GPtrArray   *metadata,
                   const char  *name,
                   GError     **error)
{
  g_autoptr(GlossImportPlan) plan = gloss_import_plan_new (GLOSS_IMPORT_FORMAT_OMNIVORE);

  plan->found = g_strdup (_("Omnivore export"));
  for (guint i = 0; i < metadata->len; i++)
    {
      const char *entry = g_ptr_array_index (metadata, i);
      g_autofree char *text = entry_text (zip, gloss_zip_find (zip, entry), error);
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) json_error = NULL;
      g_autofree char *where = g_strdup_printf ("%s: %s", name, entry);

      if (text == NULL)
        return NULL;
      if (!json_parser_load_from_data (parser, text, -1, &json_error))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                       _("“%s” is damaged: %s is not valid JSON (%s)"), name, entry, json_error->message);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                       _("“%s” is damaged: %s is not a list of items"), name, entry);
          return NULL;
        }
      if (!gloss_import_read_omnivore (plan, json_node_get_array (json_parser_get_root (parser)), where, error))
        return NULL;
    }

  for (guint i = 0; i < plan->pages->len; i++)
    {
      GlossImportPage *page = g_ptr_array_index (plan->pages, i);
      const char *slug = page->import != NULL ? gloss_json_peek_string (page->import, "slug") : NULL;
      g_autofree char *content_name = NULL;
      g_autofree char *highlights_name = NULL;
      int index;

      if (slug == NULL || slug[0] == '\0' || strchr (slug, '/') != NULL)
        continue;
      content_name = g_strconcat ("content/", slug, ".html", NULL);
      highlights_name = g_strconcat ("highlights/", slug, ".md", NULL);

      if ((index = gloss_zip_find (zip, content_name)) >= 0 && page->article_html == NULL)
        {
          g_autoptr(GError) local_error = NULL;

          page->article_html = entry_text (zip, index, &local_error);
          if (page->article_html == NULL)
            gloss_import_plan_warn (plan, _("The saved article of %s was left out: %s"),
                                    page->url, local_error->message);
        }
      if ((index = gloss_zip_find (zip, highlights_name)) >= 0)
        {
          g_autoptr(GError) local_error = NULL;
          g_autofree char *markdown = entry_text (zip, index, &local_error);

          if (markdown == NULL)
            {
              gloss_import_plan_reject (plan, _("The highlights of %s could not be read: %s"),
                                        page->url, local_error->message);
              continue;
            }
          read_omnivore_highlights (page, markdown);
        }
    }
  return g_steal_pointer (&plan);
}

GlossImportPlan *
gloss_import_parse_zip (GBytes      *bytes,
                        const char  *name,
                        GError     **error)
{
  g_autoptr(GlossZip) zip = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) metadata = g_ptr_array_new ();
  g_autoptr(GPtrArray) tables = g_ptr_array_new ();
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  g_autoptr(GlossImportPlan) plan = NULL;

  if ((zip = gloss_zip_new (bytes, &local_error)) == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED, "“%s”: %s", name, local_error->message);
      return NULL;
    }

  for (guint i = 0; i < gloss_zip_get_n_entries (zip); i++)
    {
      const char *entry = gloss_zip_get_name (zip, i);
      const char *base;

      if (entry == NULL || g_str_has_suffix (entry, "/"))
        continue;
      base = base_name (entry);
      /* macOS adds these to every zip it makes. */
      if (g_str_has_prefix (entry, "__MACOSX/") || base[0] == '.')
        continue;
      if (g_str_has_prefix (base, "metadata_") && has_suffix_ci (base, ".json"))
        g_ptr_array_add (metadata, (gpointer) entry);
      else if (has_suffix_ci (base, ".csv"))
        g_ptr_array_add (tables, (gpointer) entry);
      else if (has_suffix_ci (base, ".json") || has_suffix_ci (base, ".html") ||
               has_suffix_ci (base, ".htm") || has_suffix_ci (base, ".txt"))
        g_ptr_array_add (others, (gpointer) entry);
    }
  g_ptr_array_sort (metadata, compare_names);
  g_ptr_array_sort (tables, compare_names);

  if (metadata->len > 0)
    plan = read_omnivore_zip (zip, metadata, name, error);
  else if (tables->len > 0)
    {
      /* Pocket's parts, in order, as one table. */
      for (guint i = 0; i < tables->len; i++)
        {
          const char *entry = g_ptr_array_index (tables, i);
          g_autofree char *text = entry_text (zip, gloss_zip_find (zip, entry), error);
          g_autofree char *where = g_strdup_printf ("%s: %s", name, entry);
          g_autoptr(GlossImportPlan) part = NULL;

          if (text == NULL || (part = gloss_import_parse_csv (text, where, error)) == NULL)
            return NULL;
          if (plan == NULL)
            plan = g_steal_pointer (&part);
          else
            gloss_import_plan_absorb (plan, part);
        }
      if (plan != NULL && plan->format == GLOSS_IMPORT_FORMAT_POCKET)
        {
          g_free (plan->found);
          plan->found = g_strdup (_("Pocket export"));
        }
    }
  else if (others->len == 1)
    {
      const char *entry = g_ptr_array_index (others, 0);
      g_autoptr(GBytes) inner = gloss_zip_read (zip, gloss_zip_find (zip, entry), GLOSS_IMPORT_MAX_BYTES, error);
      g_autofree char *where = g_strdup_printf ("%s: %s", name, entry);
      gsize length;
      const char *data;

      if (inner == NULL)
        return NULL;
      data = g_bytes_get_data (inner, &length);
      if (gloss_zip_sniff (data, length))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                       _("“%s” holds another zip archive; unpack it first"), name);
          return NULL;
        }
      plan = gloss_import_parse (data != NULL ? data : "", length, where, error);
    }
  else
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("“%s” is a zip archive, but not an export Gloss reads. It reads: %s"),
                   name, gloss_import_get_expected_formats ());
      return NULL;
    }

  if (plan != NULL && gloss_zip_get_n_refused (zip) > 0)
    gloss_import_plan_warn (plan,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "%u entry of the zip archive was left out: its name leads outside the archive, or it is encrypted",
                                         "%u entries of the zip archive were left out: their names lead outside the archive, or they are encrypted",
                                         gloss_zip_get_n_refused (zip)),
                            gloss_zip_get_n_refused (zip));
  return g_steal_pointer (&plan);
}
