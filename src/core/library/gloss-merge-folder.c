/* gloss-merge-folder.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A clip folder's conflict copies merged (FORMAT.md "Several machines"):
 * clip.json's copies by the rules of gloss-merge.c, the article's copies
 * by anchoring the annotations again in the article kept, through the
 * clip writer; then the copies to the trash. Apart from the rules, which
 * the clip's own saving and the fuzzer need without the library. */

#define G_LOG_DOMAIN "gloss-merge"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gloss-clip-file.h"
#include "gloss-clip-private.h"
#include "gloss-clip-writer.h"
#include "gloss-error.h"
#include "gloss-fs.h"
#include "gloss-library-private.h"
#include "gloss-merge.h"
#include "gloss-merge-private.h"

static int
compare_names_cb (gconstpointer a,
                  gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* The desktop trash, else <library>/.trash/<id>.conflict-copies/, a name
 * that the library's own restore (which looks for <id> and <id>.N) never
 * takes for a clip. */
static gboolean
trash_copy (GFile       *library_folder,
            GFile       *copy,
            const char  *clip_id,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder_name = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GFile) trash = NULL;
  g_autoptr(GFile) dest = NULL;

  /* Named after its clip in the trash: a sync tool gives the copies of
   * many clips the same name, and a trash that finds a name taken tries
   * the next one by one (thousands of copies would take minutes). */
  name = g_file_get_basename (copy);
  {
    g_autofree char *trash_name = g_strconcat (clip_id, ".", name, NULL);
    g_autoptr(GFile) parent = g_file_get_parent (copy);
    g_autoptr(GFile) named = g_file_get_child (parent, trash_name);

    if (g_rename (g_file_peek_path (copy), g_file_peek_path (named)) == 0)
      {
        if (g_file_trash (named, NULL, &local_error))
          return TRUE;
        /* Back as it was, for the library's own trash below. */
        if (g_rename (g_file_peek_path (named), g_file_peek_path (copy)) != 0)
          g_warning ("Could not rename %s back", g_file_peek_path (named));
      }
    else if (g_file_trash (copy, NULL, &local_error))
      return TRUE;
  }
  g_debug ("No desktop trash for a conflict copy (%s); using the library's own",
           local_error ? local_error->message : g_strerror (errno));
  g_clear_error (&local_error);

  folder_name = g_strconcat (clip_id, ".conflict-copies", NULL);
  trash = g_file_new_build_filename (g_file_peek_path (library_folder), ".trash", folder_name, NULL);
  dest = _gloss_library_move_to_own_trash (trash, copy, name, error);
  return dest != NULL;
}

static void
leave (GlossMergeReport *report,
       const char       *name,
       const char       *reason)
{
  /* Translators: a file name, then why it was left where it is. */
  g_ptr_array_add (report->left, g_strdup_printf (_("%s: %s"), name, reason));
}

/* --- conflict copies of the article -------------------------------------- */

/* What tells one sync tool's copy from another: the name less "article"
 * and the extension ("" for the files the tool kept, else e.g.
 * ".sync-conflict-20261129-223802-ABCDEFG"). */
static char *
article_copy_middle (const char *name,
                     const char *original)
{
  const char *dot = strrchr (original, '.');
  gsize stem = dot - original;
  gsize ext = strlen (dot);

  return g_strndup (name + stem, strlen (name) - stem - ext);
}

/* An article file that anchoring can use: read, UTF-8, no NUL. */
static char *
read_article_file (const char *folder_path,
                   const char *middle,
                   const char *extension)
{
  g_autofree char *name = g_strconcat ("article", middle, extension, NULL);
  g_autofree char *data = NULL;
  gsize length;

  if (!gloss_fs_read (folder_path, name, GLOSS_CLIP_FILE_MAX_SIZE, &data, &length, NULL) ||
      memchr (data, '\0', length) != NULL || !g_utf8_validate_len (data, length, NULL))
    return NULL;
  return g_steal_pointer (&data);
}

/* The article files kept after a conflict over them (a clip updated on
 * two machines): the ones the sync tool kept under their own names, as
 * FORMAT.md says; a copy only when those cannot be read (then the first
 * by name that can, a copy's missing half taken from the kept files), so
 * that every machine keeps the same. The clip's annotations, from both
 * machines since clip.json was merged, are then anchored again in that
 * text, and clip.json written by the clip writer (as an update of the
 * article, but no person's edit: "modified" stays). Only then do the
 * article's copies go to the trash (added to @to_trash); when anything
 * fails they stay, and the report says why. */
static void
settle_articles (GFile            *library_folder,
                 GFile            *clip_folder,
                 GPtrArray        *article_copies,
                 GlossMergeReport *report,
                 GPtrArray        *to_trash)
{
  g_autofree char *folder_path = g_file_get_path (clip_folder);
  g_autoptr(GPtrArray) middles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GlossClipWriter) writer = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  g_autofree char *markdown = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *reason = NULL;
  GlossClipPage page = { .word_count = -1 };

  g_ptr_array_add (middles, g_strdup (""));
  for (guint i = 0; i < article_copies->len; i++)
    {
      const char *original = NULL;
      g_autofree char *middle = NULL;

      gloss_merge_conflict_copy_of (article_copies->pdata[i], &original);
      middle = article_copy_middle (article_copies->pdata[i], original);
      if (!g_ptr_array_find_with_equal_func (middles, middle, g_str_equal, NULL))
        g_ptr_array_add (middles, g_steal_pointer (&middle));
    }
  /* The copies are sorted by name already; their middles too. */

  for (guint i = 0; i < middles->len && html == NULL; i++)
    {
      const char *middle = middles->pdata[i];

      text = read_article_file (folder_path, middle, ".txt");
      if (text == NULL && i > 0)
        text = read_article_file (folder_path, "", ".txt");
      html = read_article_file (folder_path, middle, ".html");
      if (html == NULL && i > 0)
        html = read_article_file (folder_path, "", ".html");
      if (text == NULL || html == NULL)
        {
          g_clear_pointer (&text, g_free);
          g_clear_pointer (&html, g_free);
          continue;
        }
      markdown = read_article_file (folder_path, middle, ".md");
      if (markdown == NULL && i > 0)
        markdown = read_article_file (folder_path, "", ".md");
    }

  if (html == NULL)
    reason = _("no version of article.html and article.txt can be read, so the annotations were not anchored again");
  else if (!(clip = gloss_clip_load (clip_folder, &error)))
    reason = error->message;
  else
    {
      gloss_fs_read (folder_path, "clip.json", GLOSS_CLIP_FILE_MAX_SIZE, &before, NULL, NULL);

      library = gloss_library_new (library_folder);
      writer = gloss_clip_writer_new (library, clip);
      gloss_clip_writer_set_not_an_edit (writer, TRUE);
      page.html = html;
      page.text = text;
      page.markdown = markdown;
      if (gloss_clip_writer_commit (writer, &page, &error) == NULL)
        reason = error->message;
    }

  if (reason != NULL)
    {
      for (guint i = 0; i < article_copies->len; i++)
        leave (report, article_copies->pdata[i], reason);
      return;
    }

  report->n_orphans = gloss_clip_writer_get_n_orphans (writer);
  gloss_fs_read (folder_path, "clip.json", GLOSS_CLIP_FILE_MAX_SIZE, &after, NULL, NULL);
  if (g_strcmp0 (before, after) != 0)
    report->changed = TRUE;

  for (guint i = 0; i < article_copies->len; i++)
    g_ptr_array_add (to_trash, article_copies->pdata[i]);
}

GlossMergeReport *
gloss_merge_clip_folder (GFile   *library_folder,
                         GFile   *clip_folder,
                         GError **error)
{
  g_autoptr(GlossMergeReport) report = g_new0 (GlossMergeReport, 1);
  g_autoptr(GPtrArray) json_copies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) article_copies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) to_trash = g_ptr_array_new ();
  g_autoptr(GFile) json_file = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(JsonObject) current = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  const char *name;

  g_return_val_if_fail (G_IS_FILE (library_folder), NULL);
  g_return_val_if_fail (G_IS_FILE (clip_folder), NULL);

  report->clip_id = g_file_get_basename (clip_folder);
  report->merged = g_ptr_array_new_with_free_func (g_free);
  report->left = g_ptr_array_new_with_free_func (g_free);

  path = g_file_get_path (clip_folder);
  if (path == NULL || !(dir = g_dir_open (path, 0, &local_error)))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO, _("Could not read “%s”: %s"),
                   path ? path : report->clip_id,
                   local_error ? local_error->message : _("The library must be a local folder"));
      return NULL;
    }

  while ((name = g_dir_read_name (dir)))
    {
      const char *original = NULL;

      if (gloss_merge_conflict_copy_of (name, &original) == GLOSS_SYNC_TOOL_NONE)
        continue;
      g_ptr_array_add (g_str_equal (original, "clip.json") ? json_copies : article_copies,
                       g_strdup (name));
    }
  g_ptr_array_sort (json_copies, compare_names_cb);
  g_ptr_array_sort (article_copies, compare_names_cb);

  if (json_copies->len == 0 && article_copies->len == 0)
    return g_steal_pointer (&report);

  /* clip.json itself must be readable: nothing that cannot be read is
   * ever overwritten, and the copies wait for it. */
  json_file = g_file_get_child (clip_folder, "clip.json");
  {
    g_autofree char *json_path = g_file_get_path (json_file);

    if (!g_file_get_contents (json_path, &data, &length, &local_error) ||
        !(current = gloss_merge_read (data, length, report->clip_id, &local_error)))
      {
        g_autofree char *reason = g_strdup_printf (_("clip.json cannot be read, so nothing was merged: %s"),
                                                   local_error->message);

        for (guint i = 0; i < json_copies->len; i++)
          leave (report, json_copies->pdata[i], reason);
        for (guint i = 0; i < article_copies->len; i++)
          leave (report, article_copies->pdata[i], reason);
        return g_steal_pointer (&report);
      }
  }

  for (guint i = 0; i < json_copies->len; i++)
    {
      g_autoptr(GFile) copy = g_file_get_child (clip_folder, json_copies->pdata[i]);
      g_autofree char *copy_path = g_file_get_path (copy);
      g_autofree char *copy_data = NULL;
      g_autoptr(JsonObject) other = NULL;
      g_autoptr(JsonObject) merged = NULL;
      g_autoptr(JsonObject) lost = NULL;
      gsize copy_length;

      g_clear_error (&local_error);
      if (!g_file_get_contents (copy_path, &copy_data, &copy_length, &local_error) ||
          !(other = gloss_merge_read (copy_data, copy_length, report->clip_id, &local_error)))
        {
          leave (report, json_copies->pdata[i], local_error->message);
          continue;
        }

      merged = gloss_merge_clips (current, other, &lost);
      _gloss_merge_lost_add (&report->lost, lost);
      json_object_unref (current);
      current = g_steal_pointer (&merged);
      g_ptr_array_add (to_trash, json_copies->pdata[i]);
    }

  if (to_trash->len > 0)
    {
      gsize new_length;
      g_autofree char *new_data = gloss_merge_to_data (current, &new_length);

      if (new_length != length || memcmp (new_data, data, length) != 0)
        {
          g_autoptr(JsonObject) check = NULL;

          /* What is written must read back as a clip. */
          g_clear_error (&local_error);
          if (!(check = gloss_merge_read (new_data, new_length, report->clip_id, &local_error)))
            {
              g_autofree char *reason = g_strdup_printf (_("the merge did not read back as a clip: %s"),
                                                         local_error->message);

              for (guint i = 0; i < to_trash->len; i++)
                leave (report, to_trash->pdata[i], reason);
              return g_steal_pointer (&report);
            }
          if (!gloss_write_file_atomic (json_file, new_data, new_length, &local_error))
            {
              for (guint i = 0; i < to_trash->len; i++)
                leave (report, to_trash->pdata[i], local_error->message);
              return g_steal_pointer (&report);
            }
          report->changed = TRUE;
        }

      if (report->lost != NULL)
        {
          g_clear_error (&local_error);
          if (!gloss_merge_lost_remember (library_folder, report->clip_id, report->lost, &local_error))
            g_warning ("%s", local_error->message);
        }
    }

  /* Copies of the article go once the annotations are anchored in the
   * article kept. */
  if (article_copies->len > 0)
    settle_articles (library_folder, clip_folder, article_copies, report, to_trash);

  for (guint i = 0; i < to_trash->len; i++)
    {
      g_autoptr(GFile) copy = g_file_get_child (clip_folder, to_trash->pdata[i]);

      g_clear_error (&local_error);
      if (trash_copy (library_folder, copy, report->clip_id, &local_error))
        g_ptr_array_add (report->merged, g_strdup (to_trash->pdata[i]));
      else
        leave (report, to_trash->pdata[i], local_error->message);
    }

  return g_steal_pointer (&report);
}
