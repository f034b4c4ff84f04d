/* gloss-test-export-clips.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Small libraries made through the core API, for the export and import
 * tests. */

#include "config.h"

#include <string.h>

#include "gloss-anchor.h"
#include "gloss-test-export-clips.h"
#include "gloss-test-util.h"

GlossLibrary *
gloss_test_library_new (const char *name)
{
  g_autofree char *dir = gloss_test_make_dir (name);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  GlossLibrary *library = gloss_library_new (folder);

  gloss_library_load (library, NULL, &error);
  g_assert_no_error (error);
  return library;
}

GlossClip *
gloss_test_add_clip (GlossLibrary             *library,
                     const char               *url,
                     const char               *title,
                     const char               *article,
                     const GlossTestHighlight *highlights,
                     guint                     n_highlights)
{
  g_autoptr(GlossClip) clip = gloss_clip_new (url, title);
  g_autoptr(GlossText) text = gloss_text_new (article, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) html = g_string_new (NULL);
  g_auto(GStrv) paragraphs = g_strsplit (article, "\n\n", -1);

  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (paragraphs[i], -1);
      if (i > 0)
        g_string_append (html, "\n\n");
      g_string_append_printf (html, "<p>%s</p>", escaped);
    }

  for (guint i = 0; i < n_highlights; i++)
    {
      const char *found = strstr (article, highlights[i].exact);
      g_autoptr(GlossAnnotation) annotation = NULL;
      g_autofree char *prefix = NULL;
      g_autofree char *suffix = NULL;
      GlossColor color = GLOSS_COLOR_YELLOW;
      guint start, end;

      g_assert_nonnull (found);
      start = g_utf8_pointer_to_offset (article, found);
      end = start + g_utf8_strlen (highlights[i].exact, -1);
      gloss_text_get_context (text, start, end, &prefix, &suffix);
      if (highlights[i].color != NULL)
        g_assert_true (gloss_color_from_string (highlights[i].color, &color));
      annotation = gloss_annotation_new (highlights[i].exact, prefix, suffix, start, end, color);
      if (highlights[i].note != NULL)
        gloss_annotation_set_note (annotation, highlights[i].note);
      g_assert_true (gloss_clip_add_annotation (clip, annotation));
    }

  gloss_library_add (library, clip, html->str, article, &error);
  g_assert_no_error (error);
  return clip;
}

/* g_ptr_array_sort() hands the comparison pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
snapshot (const char *path,
          GString    *out)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &contents, &len, NULL))
        {
          g_string_append_printf (out, "%s%c", path, 0);
          g_string_append_len (out, contents, len);
        }
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      snapshot (child, out);
    }
}

char *
gloss_test_snapshot_tree (const char *path)
{
  g_autoptr(GString) out = g_string_new (NULL);

  snapshot (path, out);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) out->str, out->len);
}
