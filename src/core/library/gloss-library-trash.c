/* gloss-library-trash.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Deleting a clip moves its folder to the desktop trash, or to
 * <library>/.trash/ where there is none (FORMAT.md), and restoring finds
 * the latest copy again (Undo). */

#define G_LOG_DOMAIN "gloss-library"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-library-private.h"

GFile *
_gloss_library_move_to_own_trash (GFile       *trash,
                                  GFile       *file,
                                  const char  *name,
                                  GError     **error)
{
  g_autoptr(GFile) dest = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_make_directory_with_parents (trash, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *path = g_file_get_parse_name (trash);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not create “%s”: %s"), path, local_error->message);
      return NULL;
    }

  /* An earlier item of the same name may still be there: never overwrite
   * it, as nothing is ever lost. */
  dest = g_file_get_child (trash, name);
  for (guint n = 1; g_file_query_exists (dest, NULL); n++)
    {
      g_autofree char *numbered = g_strdup_printf ("%s.%u", name, n);

      g_object_unref (dest);
      dest = g_file_get_child (trash, numbered);
    }

  g_clear_error (&local_error);
  if (!g_file_move (file, dest, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, &local_error))
    {
      g_autofree char *path = g_file_get_parse_name (file);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not move “%s” to the trash: %s"), path, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&dest);
}

static gboolean
move_to_own_trash (GlossLibrary  *self,
                   GFile         *folder,
                   const char    *id,
                   GError       **error)
{
  g_autoptr(GFile) trash = g_file_get_child (self->folder, ".trash");
  g_autoptr(GFile) dest = _gloss_library_move_to_own_trash (trash, folder, id, error);

  if (dest == NULL)
    return FALSE;

  g_hash_table_replace (self->trashed, g_strdup (id), g_steal_pointer (&dest));
  return TRUE;
}

gboolean
gloss_library_delete (GlossLibrary  *self,
                      GlossClip     *clip,
                      GError       **error)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *id;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (GLOSS_IS_CLIP (clip), FALSE);

  id = gloss_clip_get_id (clip);
  if (gloss_library_lookup (self, id) != clip)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                   _("The clip %s is not in this library"), id);
      return FALSE;
    }

  if (gloss_clip_get_damage (clip) != NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   _("The clip %s is damaged and is never deleted by Gloss: %s"),
                   id, gloss_clip_get_damage (clip));
      return FALSE;
    }

  folder = g_file_get_child (self->clips_folder, id);
  _gloss_library_unwatch_folder (self, id);

  if (!g_file_trash (folder, NULL, &local_error))
    {
      g_debug ("No desktop trash for %s (%s); using the library's own",
               id, local_error->message);
      if (!move_to_own_trash (self, folder, id, error))
        {
          if (self->monitoring)
            _gloss_library_watch_folder (self, id);
          return FALSE;
        }
    }
  else
    g_hash_table_remove (self->trashed, id);

  _gloss_library_remove_clip (self, clip);
  return TRUE;
}

typedef struct
{
  GFile *file;        /* files/<name> */
  GFile *info;        /* info/<name>.trashinfo */
  char  *deleted;     /* DeletionDate, to take the latest */
} TrashEntry;

static void
trash_entry_clear (TrashEntry *entry)
{
  g_clear_object (&entry->file);
  g_clear_object (&entry->info);
  g_clear_pointer (&entry->deleted, g_free);
}

/* Looks in a freedesktop.org trash folder (Trash specification 1.0) for
 * the latest item whose original path is @path. @topdir is set for a
 * per-volume trash, whose paths may be relative to the volume's top. */
static void
search_trash_dir (const char *trash_dir,
                  const char *topdir,
                  const char *path,
                  TrashEntry *best)
{
  g_autofree char *info_dir = g_build_filename (trash_dir, "info", NULL);
  g_autoptr(GDir) dir = g_dir_open (info_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *info_path = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *item = NULL;
      g_autofree char *original = NULL;
      g_autofree char *deleted = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_str_has_suffix (name, ".trashinfo"))
        continue;

      info_path = g_build_filename (info_dir, name, NULL);
      if (!g_file_get_contents (info_path, &contents, NULL, NULL))
        continue;

      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_strchomp (lines[i]);
          if (g_str_has_prefix (lines[i], "Path=") && original == NULL)
            {
              g_autofree char *unescaped = g_uri_unescape_string (lines[i] + 5, NULL);

              if (unescaped == NULL)
                continue;
              if (!g_path_is_absolute (unescaped) && topdir != NULL)
                original = g_build_filename (topdir, unescaped, NULL);
              else
                original = g_steal_pointer (&unescaped);
            }
          else if (g_str_has_prefix (lines[i], "DeletionDate=") && deleted == NULL)
            deleted = g_strdup (lines[i] + 13);
        }

      if (original == NULL || g_strcmp0 (original, path) != 0)
        continue;

      if (best->file != NULL && g_strcmp0 (deleted ? deleted : "", best->deleted ? best->deleted : "") < 0)
        continue;

      item = g_strndup (name, strlen (name) - strlen (".trashinfo"));
      {
        g_autofree char *file_path = g_build_filename (trash_dir, "files", item, NULL);

        if (!g_file_test (file_path, G_FILE_TEST_EXISTS))
          continue;

        trash_entry_clear (best);
        best->file = g_file_new_for_path (file_path);
        best->info = g_file_new_for_path (info_path);
        best->deleted = g_steal_pointer (&deleted);
      }
    }
}

/* The top of the file system holding @path, where a per-volume trash
 * lives. */
static char *
find_topdir (const char *path)
{
  g_autofree char *current = g_strdup (path);
  GStatBuf st;
  dev_t dev;

  if (g_stat (current, &st) != 0)
    return NULL;
  dev = st.st_dev;

  for (;;)
    {
      g_autofree char *parent = g_path_get_dirname (current);

      if (g_str_equal (parent, current) || g_stat (parent, &st) != 0 || st.st_dev != dev)
        return g_steal_pointer (&current);
      g_free (current);
      current = g_steal_pointer (&parent);
    }
}

static gboolean
find_in_desktop_trash (GlossLibrary *self,
                       GFile        *original,
                       TrashEntry   *entry)
{
  g_autofree char *path = g_file_get_path (original);
  g_autofree char *home_trash = g_build_filename (g_get_user_data_dir (), "Trash", NULL);
  g_autofree char *library_path = g_file_get_path (self->folder);
  g_autofree char *topdir = library_path ? find_topdir (library_path) : NULL;

  search_trash_dir (home_trash, NULL, path, entry);

  if (topdir != NULL)
    {
      g_autofree char *uid = g_strdup_printf ("%u", (guint) getuid ());
      g_autofree char *shared = g_build_filename (topdir, ".Trash", uid, NULL);
      g_autofree char *own = g_strdup_printf ("%s/.Trash-%s", topdir, uid);

      search_trash_dir (shared, topdir, path, entry);
      search_trash_dir (own, topdir, path, entry);
    }

  return entry->file != NULL;
}

static GFile *
find_in_own_trash (GlossLibrary *self,
                   const char   *id)
{
  g_autoptr(GFile) trash = g_file_get_child (self->folder, ".trash");
  g_autoptr(GFile) best = NULL;
  GFile *remembered = g_hash_table_lookup (self->trashed, id);
  guint n;

  if (remembered != NULL && g_file_query_exists (remembered, NULL))
    return g_object_ref (remembered);

  /* From an earlier session: the highest numbered copy is the latest. */
  best = g_file_get_child (trash, id);
  if (!g_file_query_exists (best, NULL))
    return NULL;

  for (n = 1;; n++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%u", id, n);
      g_autoptr(GFile) next = g_file_get_child (trash, name);

      if (!g_file_query_exists (next, NULL))
        break;
      g_set_object (&best, next);
    }

  return g_steal_pointer (&best);
}

gboolean
gloss_library_restore (GlossLibrary  *self,
                       const char    *clip_id,
                       GError       **error)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GlossClip) clip = NULL;
  TrashEntry entry = { 0, };

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);

  if (!gloss_id_check (clip_id, error))
    return FALSE;

  folder = g_file_get_child (self->clips_folder, clip_id);
  if (g_file_query_exists (folder, NULL))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS,
                   _("The clip %s is already in the library"), clip_id);
      return FALSE;
    }

  /* The copy this session put in .trash/ first, then the desktop trash
   * (where a delete goes when it can), and only then a copy an earlier
   * session left in .trash/: the latest deletion is the one to undo. */
  if (g_hash_table_contains (self->trashed, clip_id))
    source = find_in_own_trash (self, clip_id);
  if (source == NULL && find_in_desktop_trash (self, folder, &entry))
    source = g_object_ref (entry.file);
  if (source == NULL)
    source = find_in_own_trash (self, clip_id);

  if (source == NULL)
    {
      trash_entry_clear (&entry);
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                   _("The clip %s is not in the trash"), clip_id);
      return FALSE;
    }

  /* It may exist already; if it cannot be made, the move says why. */
  (void) g_file_make_directory_with_parents (self->clips_folder, NULL, NULL);

  if (!g_file_move (source, folder, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, &local_error))
    {
      g_autofree char *path = g_file_get_parse_name (source);

      trash_entry_clear (&entry);
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not restore “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  /* The item is back: its .trashinfo would now describe nothing. */
  if (entry.info != NULL)
    g_file_delete (entry.info, NULL, NULL);
  trash_entry_clear (&entry);
  g_hash_table_remove (self->trashed, clip_id);

  clip = gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_SUMMARY, &local_error);
  if (clip == NULL)
    {
      if (g_error_matches (local_error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      clip = gloss_clip_new_damaged (folder, local_error->message);
    }

  if (gloss_library_lookup (self, clip_id) == NULL)
    _gloss_library_insert_clip (self, clip);

  return TRUE;
}
