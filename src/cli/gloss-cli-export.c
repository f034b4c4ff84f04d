/* gloss-cli-export.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The command-line side of export and import: load the library, run the
 * same functions the window uses, and turn the outcome into a report and
 * an exit status. */

#define G_LOG_DOMAIN "gloss-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gloss-cli.h"
#include "gloss-cli-export.h"
#include "gloss-error.h"
#include "gloss-import.h"
#include "gloss-library.h"

static int
fail (GString *err,
      GError  *error)
{
  g_string_append_printf (err, "%s\n", error->message);
  return gloss_cli_status_for_error (error);
}

static GlossLibrary *
load_library (GFile    *library_folder,
              GError  **error)
{
  g_autoptr(GlossLibrary) library = gloss_library_new (library_folder);

  if (!gloss_library_load (library, NULL, error))
    return NULL;
  return g_steal_pointer (&library);
}

/* The clips an export writes: those named, or all when @clip_ids_or_null is
 * NULL. @library_out keeps the library they belong to for the export. */
static GPtrArray *
load_clips (GFile                *library_folder,
            const char * const   *clip_ids_or_null,
            GlossLibrary        **library_out,
            GError              **error)
{
  g_autoptr(GlossLibrary) library = NULL;
  GPtrArray *clips;

  if ((library = load_library (library_folder, error)) == NULL ||
      (clips = gloss_export_collect_clips (library, clip_ids_or_null, error)) == NULL)
    return NULL;

  *library_out = g_steal_pointer (&library);
  return clips;
}

static void
append_summary (GString            *out,
                GlossExportSummary *summary)
{
  /* Translators: the numbers of clips and highlights, then the file or
   * folder exported to. */
  g_string_append_printf (out, _("Exported %u clips (%u highlights) to %s"),
                          summary->clips, summary->annotations, summary->path);
  if (summary->files_unchanged > 0)
    /* Translators: follows “Exported … to FOLDER”. */
    g_string_append_printf (out, _(": %u files written, %u already up to date"),
                            summary->files_written, summary->files_unchanged);
  g_string_append_c (out, '\n');
  if (summary->skipped > 0)
    g_string_append_printf (out, _("Left out %u damaged clips (see gloss --verify)\n"), summary->skipped);
}

int
gloss_cli_export_markdown_full (GFile               *library_folder,
                                const char          *dir,
                                const char * const  *clip_ids_or_null,
                                const char          *template_path,
                                GlossExportFlags     flags,
                                GString             *out,
                                GString             *err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GPtrArray) clips = NULL;
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GFile) template_file = NULL;
  g_autoptr(GlossExportSummary) summary = NULL;

  g_return_val_if_fail (G_IS_FILE (library_folder), GLOSS_CLI_FAILED);
  g_return_val_if_fail (dir != NULL, GLOSS_CLI_FAILED);

  if ((clips = load_clips (library_folder, clip_ids_or_null, &library, &error)) == NULL)
    return fail (err, error);

  destination = g_file_new_for_commandline_arg (dir);
  if (template_path != NULL)
    template_file = g_file_new_for_commandline_arg (template_path);
  summary = gloss_export_markdown (clips, destination, template_file, flags,
                                   NULL, NULL, NULL, &error);
  if (summary == NULL)
    return fail (err, error);
  append_summary (out, summary);
  return GLOSS_CLI_OK;
}

int
gloss_cli_export_markdown (GFile               *library_folder,
                           const char          *dir,
                           const char * const  *clip_ids_or_null,
                           GString             *out,
                           GString             *err)
{
  return gloss_cli_export_markdown_full (library_folder, dir, clip_ids_or_null,
                                         NULL, GLOSS_EXPORT_NONE, out, err);
}

int
gloss_cli_export_jsonld_full (GFile               *library_folder,
                              const char          *file,
                              const char * const  *clip_ids_or_null,
                              GlossExportFlags     flags,
                              GString             *out,
                              GString             *err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GPtrArray) clips = NULL;
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GlossExportSummary) summary = NULL;

  g_return_val_if_fail (G_IS_FILE (library_folder), GLOSS_CLI_FAILED);
  g_return_val_if_fail (file != NULL, GLOSS_CLI_FAILED);

  if ((clips = load_clips (library_folder, clip_ids_or_null, &library, &error)) == NULL)
    return fail (err, error);

  destination = g_file_new_for_commandline_arg (file);
  summary = gloss_export_jsonld (clips, destination, flags, NULL, NULL, NULL, &error);
  if (summary == NULL)
    return fail (err, error);
  append_summary (out, summary);
  return GLOSS_CLI_OK;
}

int
gloss_cli_export_jsonld (GFile               *library_folder,
                         const char          *file,
                         const char * const  *clip_ids_or_null,
                         GString             *out,
                         GString             *err)
{
  return gloss_cli_export_jsonld_full (library_folder, file, clip_ids_or_null,
                                       GLOSS_EXPORT_NONE, out, err);
}

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

  g_return_val_if_fail (G_IS_FILE (library_folder), GLOSS_CLI_FAILED);
  g_return_val_if_fail (file != NULL, GLOSS_CLI_FAILED);

  /* The file first: a damaged file must not even create the library. */
  source = g_file_new_for_commandline_arg (file);
  if ((plan = gloss_import_read (source, NULL, &error)) == NULL)
    return fail (err, error);
  if ((library = load_library (library_folder, &error)) == NULL)
    return fail (err, error);

  summary = gloss_import_apply (plan, library, GLOSS_IMPORT_CREATE_PLACEHOLDERS,
                                NULL, NULL, NULL, &error);
  if (summary == NULL)
    return fail (err, error);

  /* Translators: the %s is a format name such as “Hypothesis”; then the
   * numbers of pages, of highlights added and of highlights already in the
   * library. */
  g_string_append_printf (out, _("Imported a %s file: %u pages, %u highlights added, %u already there"),
                          gloss_import_format_to_string (gloss_import_plan_get_format (plan)),
                          summary->pages, summary->annotations_added, summary->annotations_present);
  if (summary->orphans > 0)
    /* Translators: continues “Imported a … file: …” with a number of
     * highlights. */
    g_string_append_printf (out, _(", %u not found in their article (kept as orphans)"), summary->orphans);
  /* Translators: ends the “Imported a … file: …” line. */
  g_string_append_printf (out, _("; %u tags and %u notes added; %u clips updated\n"),
                          summary->tags_added, summary->notes_added, summary->clips_updated);
  if (summary->placeholders > 0)
    g_string_append_printf (out, _("Made %u clips from the imported highlights, to be clipped again\n"),
                            summary->placeholders);
  if (summary->urls_to_clip->len > 0)
    g_string_append_printf (out, _("%u pages to clip\n"), summary->urls_to_clip->len);

  warnings = gloss_import_plan_get_warnings (plan);
  for (guint i = 0; warnings[i] != NULL; i++)
    g_string_append_printf (out, _("Note: %s\n"), warnings[i]);

  if (urls_to_clip_out != NULL)
    for (guint i = 0; i < summary->urls_to_clip->len; i++)
      g_ptr_array_add (urls_to_clip_out, g_strdup (g_ptr_array_index (summary->urls_to_clip, i)));
  return GLOSS_CLI_OK;
}
