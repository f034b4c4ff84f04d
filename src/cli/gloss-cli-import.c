/* gloss-cli-import.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `gloss --import FILE`: keep first, clip later. Every item becomes a clip
 * at once, with no network and no display; the report says which format
 * was found and counts what was done, and each item that could not be kept
 * is named with its reason. */

#define G_LOG_DOMAIN "gloss-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gloss-cli-export.h"
#include "gloss-error.h"
#include "gloss-import.h"
#include "gloss-library.h"

/* One whole sentence per count, in its plural form. */
#define count_line(out, singular, plural, n) \
  G_STMT_START { \
    guint count_ = (n); \
    if (count_ > 0) \
      { \
        g_string_append_printf ((out), g_dngettext (GETTEXT_PACKAGE, singular, plural, count_), count_); \
        g_string_append_c ((out), '\n'); \
      } \
  } G_STMT_END

int
gloss_cli_import (GFile       *library_folder,
                  const char  *file,
                  GPtrArray   *urls_to_clip_out,
                  GString     *out,
                  GString     *err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = NULL;
  g_autoptr(GFile) source = NULL;
  const char * const *warnings;
  const char * const *rejected;
  guint n_rejected = 0;

  g_return_val_if_fail (G_IS_FILE (library_folder), 1);

  if (file == NULL || file[0] == '\0')
    {
      g_string_append_printf (err, "gloss: %s\n", _("--import needs the file to import"));
      return 2;
    }

  /* The file first: a damaged file must not even create the library. */
  source = g_file_new_for_commandline_arg (file);
  if ((plan = gloss_import_read (source, NULL, &error)) == NULL)
    {
      g_string_append_printf (err, "gloss: %s\n", error->message);
      return g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_IO) &&
             !g_file_query_exists (source, NULL) ? 2 : 1;
    }

  {
    g_autoptr(GlossLibrary) loading = gloss_library_new (library_folder);

    if (!gloss_library_load (loading, NULL, &error))
      {
        g_string_append_printf (err, "gloss: %s\n", error->message);
        return 1;
      }
    library = g_steal_pointer (&loading);
  }

  /* Translators: %s is the format found, such as “Pocket CSV export”. */
  g_string_append_printf (out, _("Format found: %s."), gloss_import_plan_get_found (plan));
  g_string_append_c (out, '\n');

  summary = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
  if (summary == NULL)
    {
      g_string_append_printf (err, "gloss: %s\n", error->message);
      return 1;
    }

  count_line (out, ("%u page was kept as a new clip."), ("%u pages were kept as new clips."),
              summary->clips_added);
  count_line (out, ("%u clip got the article saved in the export."),
              ("%u clips got the article saved in the export."), summary->articles);
  count_line (out, ("%u clip already in the library gained tags, notes or highlights."),
              ("%u clips already in the library gained tags, notes or highlights."),
              summary->clips_updated);
  count_line (out, ("%u highlight was added."), ("%u highlights were added."),
              summary->annotations_added);
  count_line (out, ("%u highlight was already in the library."),
              ("%u highlights were already in the library."), summary->annotations_present);
  count_line (out, ("%u highlight was not found in its article and is kept apart."),
              ("%u highlights were not found in their articles and are kept apart."),
              summary->orphans);
  if (summary->clips_added == 0 && summary->clips_updated == 0)
    {
      g_string_append (out, _("Everything in the file was already in the library."));
      g_string_append_c (out, '\n');
    }
  count_line (out,
              ("%u page waits to be clipped: run gloss --clip-pending, or use Clip All Not Clipped in the library."),
              ("%u pages wait to be clipped: run gloss --clip-pending, or use Clip All Not Clipped in the library."),
              summary->urls_to_clip->len);
  count_line (out,
              ("The images of %u article are still on the web: run gloss --clip-pending to save them."),
              ("The images of %u articles are still on the web: run gloss --clip-pending to save them."),
              summary->images_to_fetch->len);

  warnings = gloss_import_plan_get_warnings (plan);
  for (guint i = 0; warnings[i] != NULL; i++)
    {
      /* Translators: %s is a sentence about something the import left out. */
      g_string_append_printf (out, _("Note: %s"), warnings[i]);
      g_string_append_c (out, '\n');
    }

  rejected = gloss_import_plan_get_rejected (plan);
  for (; rejected[n_rejected] != NULL; n_rejected++)
    {
      /* Translators: %s says which item and why, e.g. “Line 7 (“Title”): it has no web address”. */
      g_string_append_printf (err, _("gloss: not kept: %s"), rejected[n_rejected]);
      g_string_append_c (err, '\n');
    }
  if (n_rejected > 0)
    {
      g_string_append (err, "gloss: ");
      count_line (err, ("%u item could not be kept."), ("%u items could not be kept."), n_rejected);
    }

  if (urls_to_clip_out != NULL)
    for (guint i = 0; i < summary->urls_to_clip->len; i++)
      g_ptr_array_add (urls_to_clip_out, g_strdup (g_ptr_array_index (summary->urls_to_clip, i)));
  return n_rejected > 0 ? 1 : 0;
}
