/* gloss-cli-merge.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `gloss --merge-conflicts` and `gloss --merge-clip`, without a window: the
 * command-line side of FORMAT.md "Several machines". The merge itself is
 * in core (gloss-merge.c); this walks the library, prints, and picks the
 * exit status. */

#define G_LOG_DOMAIN "gloss-cli-merge"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-cli.h"
#include "gloss-cli-merge.h"
#include "gloss-clip-private.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-library-private.h"
#include "gloss-merge.h"

static int
compare_names_cb (gconstpointer a,
                  gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
print_lost (GString    *out,
            const char *clip_id,
            JsonObject *lost)
{
  if (json_object_has_member (lost, "title"))
    g_string_append_printf (out, _("  The title of %s was changed on another machine too; the other title is kept apart.\n"),
                            clip_id);
  if (json_object_has_member (lost, "note"))
    g_string_append_printf (out, _("  The page note of %s was changed on another machine too; the other note is kept apart.\n"),
                            clip_id);
  if (json_object_has_member (lost, "annotations"))
    {
      guint n = json_object_get_size (json_object_get_object_member (lost, "annotations"));

      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                "  %u highlight note of %s was changed on another machine too; the other text is kept apart.\n",
                                                "  %u highlight notes of %s were changed on another machine too; the other texts are kept apart.\n",
                                                n),
                              n, clip_id);
    }
}

typedef struct
{
  GFile              *library_folder;
  GFile              *clips_folder;
  GPtrArray          *names;
  GlossMergeReport  **reports;
  char              **errors;
} MergeJob;

static void
merge_one_cb (guint    index,
              gpointer user_data)
{
  MergeJob *job = user_data;
  g_autoptr(GFile) folder = g_file_get_child (job->clips_folder, job->names->pdata[index]);
  g_autoptr(GError) error = NULL;

  if (!gloss_merge_folder_has_copies (folder))
    return;
  job->reports[index] = gloss_merge_clip_folder (job->library_folder, folder, &error);
  if (job->reports[index] == NULL)
    job->errors[index] = g_strdup (error->message);
}

int
gloss_cli_merge_conflicts (GFile   *library_folder,
                           GString *out,
                           GString *err)
{
  g_autoptr(GFile) clips_folder = NULL;
  g_autofree char *clips_path = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  MergeJob job = { 0, };
  guint n_copies = 0, n_clips = 0, n_left = 0;
  const char *name;

  g_return_val_if_fail (G_IS_FILE (library_folder), GLOSS_CLI_FAILED);
  g_return_val_if_fail (out != NULL && err != NULL, GLOSS_CLI_FAILED);

  if (!gloss_cli_check_library_folder (library_folder, err))
    return GLOSS_CLI_FAILED;

  clips_folder = g_file_get_child (library_folder, "clips");
  clips_path = g_file_get_path (clips_folder);
  if (!(dir = g_dir_open (clips_path, 0, &error)))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_string_append (out, _("No conflict copies to merge.\n"));
          return GLOSS_CLI_OK;
        }
      g_string_append_printf (err, _("Could not read “%s”: %s\n"), clips_path, error->message);
      return GLOSS_CLI_FAILED;
    }

  while ((name = g_dir_read_name (dir)))
    if (gloss_id_is_valid (name) && !gloss_merge_is_sync_file (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names_cb);

  job.library_folder = library_folder;
  job.clips_folder = clips_folder;
  job.names = names;
  job.reports = g_new0 (GlossMergeReport *, MAX (names->len, 1));
  job.errors = g_new0 (char *, MAX (names->len, 1));

  /* Most of the time is waiting for the disk (each merge is a durable
   * write), so several folders at once. */
  gloss_library_for_each_folder (names->len, 32, "gloss-merge", NULL, merge_one_cb, &job);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GlossMergeReport) report = g_steal_pointer (&job.reports[i]);
      g_autofree char *failed = g_steal_pointer (&job.errors[i]);

      if (failed != NULL)
        {
          g_string_append_printf (out, "! clips/%s: %s\n", (const char *) names->pdata[i], failed);
          n_left++;
          continue;
        }
      if (report == NULL)
        continue;

      if (report->merged->len > 0)
        {
          n_clips++;
          n_copies += report->merged->len;
          for (guint k = 0; k < report->merged->len; k++)
            g_string_append_printf (out,
                                    /* Translators: a clip folder, then a conflict copy's file name. */
                                    _("clips/%s: merged %s and moved it to the trash\n"),
                                    report->clip_id, (const char *) report->merged->pdata[k]);
        }
      if (report->n_orphans > 0)
        g_string_append_printf (out,
                                /* Translators: a clip folder, then a count. */
                                g_dngettext (GETTEXT_PACKAGE,
                                             "clips/%s: %u annotation no longer anchors in the article kept; it is kept as an orphan\n",
                                             "clips/%s: %u annotations no longer anchor in the article kept; they are kept as orphans\n",
                                             report->n_orphans),
                                report->clip_id, report->n_orphans);
      if (report->lost != NULL)
        print_lost (out, report->clip_id, report->lost);
      for (guint k = 0; k < report->left->len; k++)
        {
          g_string_append_printf (out, _("! clips/%s: left %s\n"), report->clip_id,
                                  (const char *) report->left->pdata[k]);
          n_left++;
        }
    }
  g_free (job.reports);
  g_free (job.errors);

  if (n_copies == 0 && n_left == 0)
    {
      g_string_append (out, _("No conflict copies to merge.\n"));
      return GLOSS_CLI_OK;
    }

  if (n_copies > 0)
    {
      g_autofree char *copies = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict copy",
                                                              "%u conflict copies", n_copies),
                                                 n_copies);
      g_autofree char *clips = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u clip", "%u clips", n_clips),
                                                n_clips);

      /* Translators: “Merged 3 conflict copies into 2 clips.” */
      g_string_append_printf (out, _("Merged %s into %s.\n"), copies, clips);
    }

  if (n_left > 0)
    {
      g_string_append_printf (err, g_dngettext (GETTEXT_PACKAGE,
                                                "%u conflict copy could not be merged (marked !).\n",
                                                "%u conflict copies could not be merged (marked !).\n",
                                                n_left),
                              n_left);
      return GLOSS_CLI_FAILED;
    }

  return GLOSS_CLI_OK;
}

static gboolean
read_file (const char  *path,
           char       **data,
           gsize       *length,
           GString     *err)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, data, length, &error))
    {
      g_string_append_printf (err, _("Could not read “%s”: %s\n"), path, error->message);
      return FALSE;
    }
  return TRUE;
}

/* git runs its merge driver at the top of the work tree, which is the
 * library when the library is the repository: the lost texts are kept for
 * the app there. */
static GFile *
find_library (const char *clip_id)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *clip = g_build_filename (cwd, "clips", clip_id, NULL);

  if (g_file_test (clip, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (cwd);
  return NULL;
}

int
gloss_cli_merge_clip (const char *base,
                      const char *ours,
                      const char *theirs,
                      GString    *out,
                      GString    *err)
{
  g_autofree char *base_data = NULL;
  g_autofree char *ours_data = NULL;
  g_autofree char *theirs_data = NULL;
  g_autofree char *merged_data = NULL;
  g_autoptr(JsonObject) base_clip = NULL;
  g_autoptr(JsonObject) ours_clip = NULL;
  g_autoptr(JsonObject) theirs_clip = NULL;
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(JsonObject) lost = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) ours_file = NULL;
  gsize base_length = 0, ours_length = 0, theirs_length = 0, merged_length;

  g_return_val_if_fail (base != NULL && ours != NULL && theirs != NULL, GLOSS_CLI_FAILED);
  g_return_val_if_fail (out != NULL && err != NULL, GLOSS_CLI_FAILED);

  if (!read_file (ours, &ours_data, &ours_length, err) ||
      !read_file (theirs, &theirs_data, &theirs_length, err))
    return GLOSS_CLI_FAILED;

  if (!(ours_clip = gloss_merge_read (ours_data, ours_length, NULL, &error)))
    {
      g_string_append_printf (err, _("Could not read “%s” as a clip: %s\n"), ours, error->message);
      return GLOSS_CLI_FAILED;
    }
  if (!(theirs_clip = gloss_merge_read (theirs_data, theirs_length, NULL, &error)))
    {
      g_string_append_printf (err, _("Could not read “%s” as a clip: %s\n"), theirs, error->message);
      return GLOSS_CLI_FAILED;
    }

  /* No base (a clip added on both sides) or a base that is not a clip: a
   * two-way merge, which loses nothing either. */
  if (g_file_get_contents (base, &base_data, &base_length, NULL) && base_length > 0)
    base_clip = gloss_merge_read (base_data, base_length, NULL, NULL);

  merged = gloss_merge_clips3 (base_clip, ours_clip, theirs_clip, &lost);
  if (merged == NULL)
    {
      g_string_append_printf (err, _("“%s” and “%s” are two different clips\n"), ours, theirs);
      return GLOSS_CLI_FAILED;
    }

  merged_data = gloss_merge_to_data (merged, &merged_length);
  ours_file = g_file_new_for_path (ours);
  if (!gloss_write_file_atomic (ours_file, merged_data, merged_length, &error))
    {
      g_string_append_printf (err, "%s\n", error->message);
      return GLOSS_CLI_FAILED;
    }

  if (lost != NULL)
    {
      const char *id = json_object_get_string_member (merged, "id");
      g_autoptr(GFile) library = find_library (id);

      if (library != NULL && !gloss_merge_lost_remember (library, id, lost, &error))
        g_string_append_printf (err, "%s\n", error->message);
      print_lost (err, id, lost);
    }

  return GLOSS_CLI_OK;
}
