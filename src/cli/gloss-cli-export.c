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
  /* Translators: %s is the file or folder exported to. */
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "Exported %u clip to %s\n", "Exported %u clips to %s\n", summary->clips),
                          summary->clips, summary->path);
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "The export holds %u highlight.\n", "The export holds %u highlights.\n", summary->annotations),
                          summary->annotations);
  if (summary->files_unchanged > 0)
    {
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u file was written.\n", "%u files were written.\n", summary->files_written),
                              summary->files_written);
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u file was already up to date.\n", "%u files were already up to date.\n", summary->files_unchanged),
                              summary->files_unchanged);
    }
  if (summary->skipped > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "Left out %u damaged clip (see gloss --verify)\n", "Left out %u damaged clips (see gloss --verify)\n", summary->skipped),
                            summary->skipped);
}

/* Both exports on the command line: the same clips, the same report and
 * exit status; only the writer differs. */
static int
export_clips (GFile               *library_folder,
              gboolean             markdown,
              const char          *destination_arg,
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

  if ((clips = load_clips (library_folder, clip_ids_or_null, &library, &error)) == NULL)
    return fail (err, error);

  destination = g_file_new_for_commandline_arg (destination_arg);
  if (markdown)
    {
      if (template_path != NULL)
        template_file = g_file_new_for_commandline_arg (template_path);
      summary = gloss_export_markdown (clips, destination, template_file, flags,
                                       NULL, NULL, NULL, &error);
    }
  else
    summary = gloss_export_jsonld (clips, destination, flags, NULL, NULL, NULL, &error);

  if (summary == NULL)
    return fail (err, error);
  append_summary (out, summary);
  return GLOSS_CLI_OK;
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
  g_return_val_if_fail (G_IS_FILE (library_folder), GLOSS_CLI_FAILED);
  g_return_val_if_fail (dir != NULL, GLOSS_CLI_FAILED);

  return export_clips (library_folder, TRUE, dir, clip_ids_or_null,
                       template_path, flags, out, err);
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
  g_return_val_if_fail (G_IS_FILE (library_folder), GLOSS_CLI_FAILED);
  g_return_val_if_fail (file != NULL, GLOSS_CLI_FAILED);

  return export_clips (library_folder, FALSE, file, clip_ids_or_null,
                       NULL, flags, out, err);
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

/* gloss_cli_import() is in gloss-cli-import.c. */
