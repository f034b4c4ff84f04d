/* gloss-fs.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Safe reads and atomic writes inside a clip folder (see gloss-fs.h):
 * everything is done relative to a folder opened with O_NOFOLLOW, and
 * every file is opened with O_NOFOLLOW, so that a link planted in the
 * library (by a sync tool, an archive, another user) never makes Gloss
 * read or write a file outside it. */

#define G_LOG_DOMAIN "gloss-fs"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gloss-error.h"
#include "gloss-fs.h"

gboolean
gloss_fs_write_cache (const char  *path,
                      const void  *data,
                      gsize        length,
                      GError     **error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  gsize done = 0;
  int saved_errno;
  int fd;

  fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    goto failed;
  while (done < length)
    {
      gssize n = write (fd, (const char *) data + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          saved_errno = n == 0 ? ENOSPC : errno;
          close (fd);
          errno = saved_errno;
          goto failed;
        }
      done += n;
    }
  if (close (fd) != 0 || rename (tmp, path) != 0)
    goto failed;
  return TRUE;

failed:
  saved_errno = errno;
  g_unlink (tmp);
  gloss_fs_set_error (error, saved_errno, TRUE, path);
  return FALSE;
}

void
gloss_fs_set_error (GError     **error,
                    int          saved_errno,
                    gboolean     writing,
                    const char  *path)
{
  const char *reason;

  switch (saved_errno)
    {
    case ENOSPC:
      reason = _("the disk is full");
      break;
#ifdef EDQUOT
    case EDQUOT:
      reason = _("your disk quota is used up");
      break;
#endif
    case EROFS:
      reason = _("the disk is read-only");
      break;
    case ELOOP:
      reason = _("it is a symbolic link, which Gloss never follows inside the library");
      break;
    default:
      reason = g_strerror (saved_errno);
      break;
    }

  g_set_error (error, GLOSS_ERROR,
               saved_errno == ENOENT ? GLOSS_ERROR_NOT_FOUND : GLOSS_ERROR_IO,
               writing
               /* Translators: a file's path, then why, such as “the disk is full”. */
               ? _("Could not save “%s”: %s")
               /* Translators: a file's path, then why. */
               : _("Could not read “%s”: %s"),
               path, reason);
}

int
gloss_fs_open_folder (const char  *path,
                      GError     **error)
{
  int fd;

  do
    fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);

  if (fd < 0)
    {
      int saved_errno = errno;

      /* O_NOFOLLOW|O_DIRECTORY on a link gives ENOTDIR on some kernels. */
      if (saved_errno == ENOTDIR)
        {
          GStatBuf st;

          if (g_lstat (path, &st) == 0 && S_ISLNK (st.st_mode))
            saved_errno = ELOOP;
        }
      gloss_fs_set_error (error, saved_errno, FALSE, path);
      return -1;
    }

  return fd;
}

static void
set_error_at (GError     **error,
              int          saved_errno,
              gboolean     writing,
              const char  *dir_path,
              const char  *name)
{
  g_autofree char *path = g_build_filename (dir_path, name, NULL);

  gloss_fs_set_error (error, saved_errno, writing, path);
}

gboolean
gloss_fs_read_at (int          dir_fd,
                  const char  *dir_path,
                  const char  *name,
                  gsize        max_size,
                  char       **contents,
                  gsize       *length,
                  GError     **error)
{
  g_autofree char *buf = NULL;
  struct stat st;
  gsize size, done = 0;
  int fd;

  *contents = NULL;
  if (length != NULL)
    *length = 0;

  do
    fd = openat (dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    {
      set_error_at (error, errno, FALSE, dir_path, name);
      return FALSE;
    }

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      set_error_at (error, saved_errno, FALSE, dir_path, name);
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      close (fd);
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not read “%s”: it is not a regular file"), path);
      return FALSE;
    }

  if ((guint64) st.st_size > max_size)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *size_text = g_format_size_full (st.st_size, G_FORMAT_SIZE_LONG_FORMAT);

      close (fd);
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_TOO_LARGE,
                   /* Translators: a path, then a size as GLib writes it,
                    * such as “21.0 MB (20,971,520 bytes)”. */
                   _("“%s” is too large (%s)"), path, size_text);
      return FALSE;
    }

  /* Writers replace files by a rename, so the file opened keeps the size
   * it had: read that much. */
  size = st.st_size;
  buf = g_malloc (size + 1);
  while (done < size)
    {
      ssize_t n = read (fd, buf + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          set_error_at (error, saved_errno, FALSE, dir_path, name);
          return FALSE;
        }
      if (n == 0)
        break;
      done += n;
    }
  close (fd);

  buf[done] = '\0';
  *contents = g_steal_pointer (&buf);
  if (length != NULL)
    *length = done;
  return TRUE;
}

gboolean
gloss_fs_read (const char  *folder_path,
               const char  *name,
               gsize        max_size,
               char       **contents,
               gsize       *length,
               GError     **error)
{
  gboolean ok;
  int dir_fd;

  *contents = NULL;
  if ((dir_fd = gloss_fs_open_folder (folder_path, error)) < 0)
    return FALSE;
  ok = gloss_fs_read_at (dir_fd, folder_path, name, max_size, contents, length, error);
  close (dir_fd);
  return ok;
}

static int
make_temporary (int          dir_fd,
                const char  *name,
                char       **tmp_name)
{
  static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      char suffix[7];
      g_autofree char *candidate = NULL;
      int fd;

      for (guint i = 0; i < 6; i++)
        suffix[i] = letters[g_random_int_range (0, sizeof letters - 1)];
      suffix[6] = '\0';
      candidate = g_strconcat (name, ".", suffix, NULL);

      do
        fd = openat (dir_fd, candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
      while (fd < 0 && errno == EINTR);

      if (fd >= 0)
        {
          *tmp_name = g_steal_pointer (&candidate);
          return fd;
        }
      if (errno != EEXIST)
        return -1;
    }

  errno = EEXIST;
  return -1;
}

gboolean
gloss_fs_write_at (int          dir_fd,
                   const char  *dir_path,
                   const char  *name,
                   const char  *contents,
                   gsize        length,
                   gboolean     durable,
                   GError     **error)
{
  g_autofree char *path = g_build_filename (dir_path, name, NULL);
  g_autofree char *tmp_name = NULL;
  gsize done = 0;
  int saved_errno = 0;
  int fd;

  fd = make_temporary (dir_fd, name, &tmp_name);
  if (fd < 0)
    {
      gloss_fs_set_error (error, errno, TRUE, path);
      return FALSE;
    }

  while (done < length)
    {
      ssize_t n = write (fd, contents + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          break;
        }
      done += n;
    }

  /* A full disk may show only here, when the data is flushed. */
  if (saved_errno == 0 && durable && fsync (fd) != 0)
    saved_errno = errno;
  if (close (fd) != 0 && saved_errno == 0 && errno != EINTR)
    saved_errno = errno;

  if (saved_errno == 0 && renameat (dir_fd, tmp_name, dir_fd, name) != 0)
    saved_errno = errno;

  if (saved_errno != 0)
    {
      unlinkat (dir_fd, tmp_name, 0);
      gloss_fs_set_error (error, saved_errno, TRUE, path);
      return FALSE;
    }

  /* The rename itself is kept only once the folder is flushed. */
  if (durable)
    fsync (dir_fd);

  return TRUE;
}

gboolean
gloss_fs_write (const char  *folder_path,
                const char  *name,
                const char  *contents,
                gsize        length,
                gboolean     durable,
                GError     **error)
{
  gboolean ok;
  int dir_fd;

  if ((dir_fd = gloss_fs_open_folder (folder_path, error)) < 0)
    return FALSE;
  ok = gloss_fs_write_at (dir_fd, folder_path, name, contents, length, durable, error);
  close (dir_fd);
  return ok;
}

int
gloss_fs_make_folder_at (int          dir_fd,
                         const char  *dir_path,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *path = g_build_filename (dir_path, name, NULL);
  int fd;

  if (mkdirat (dir_fd, name, 0777) != 0 && errno != EEXIST)
    {
      gloss_fs_set_error (error, errno, TRUE, path);
      return -1;
    }

  do
    fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    {
      int saved_errno = errno == ENOTDIR ? ELOOP : errno;

      gloss_fs_set_error (error, saved_errno, TRUE, path);
      return -1;
    }

  return fd;
}

/* "BASE.XXXXXX" with six letters or digits, as mkstemp() and our own
 * make_temporary() name them. */
static gboolean
has_temporary_suffix (const char *name,
                      gsize      *base_len)
{
  gsize len = strlen (name);

  if (len < 8 || name[len - 7] != '.')
    return FALSE;
  for (gsize i = len - 6; i < len; i++)
    if (!g_ascii_isalnum (name[i]))
      return FALSE;

  *base_len = len - 7;
  return TRUE;
}

/* An asset's name as the clip writer gives it: 24 hex digits, an
 * extension. */
static gboolean
is_asset_name (const char *name,
               gsize       len)
{
  gsize i;

  for (i = 0; i < len && g_ascii_isxdigit (name[i]); i++)
    ;
  return i == 24 && i < len && name[i] == '.';
}

gboolean
gloss_fs_is_temporary_name (const char *name)
{
  static const char * const bases[] = {
    "clip.json", "article.html", "article.txt", "article.md",
  };
  gsize base_len;

  g_return_val_if_fail (name != NULL, FALSE);

  /* What g_file_replace_contents() used to leave in assets/. */
  if (g_str_has_prefix (name, ".goutputstream-"))
    return TRUE;

  if (!has_temporary_suffix (name, &base_len))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    if (strlen (bases[i]) == base_len && strncmp (name, bases[i], base_len) == 0)
      return TRUE;

  return is_asset_name (name, base_len);
}

static void
collect_leftovers (const char *folder_path,
                   const char *prefix,
                   gint64      min_age_s,
                   GPtrArray  *found)
{
  g_autoptr(GDir) dir = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;
  int dir_fd;

  if ((dir_fd = gloss_fs_open_folder (folder_path, NULL)) < 0)
    return;

  dir = g_dir_open (folder_path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      struct stat st;

      if (!gloss_fs_is_temporary_name (name) ||
          fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
          !S_ISREG (st.st_mode) || now - st.st_mtime < min_age_s)
        continue;
      g_ptr_array_add (found, g_strconcat (prefix, name, NULL));
    }
  close (dir_fd);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

GStrv
gloss_fs_find_leftovers (const char *folder_path,
                         gint64      min_age_s)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *assets = g_build_filename (folder_path, "assets", NULL);

  g_return_val_if_fail (folder_path != NULL, NULL);

  collect_leftovers (folder_path, "", min_age_s, found);
  collect_leftovers (assets, "assets" G_DIR_SEPARATOR_S, min_age_s, found);
  if (found->len == 0)
    return NULL;

  g_ptr_array_sort (found, compare_strings);
  g_ptr_array_add (found, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&found), FALSE);
}

guint
gloss_fs_remove_leftovers (const char *folder_path)
{
  g_auto(GStrv) leftovers = gloss_fs_find_leftovers (folder_path, GLOSS_FS_STALE_AGE_S);
  guint n = 0;

  for (guint i = 0; leftovers != NULL && leftovers[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (folder_path, leftovers[i], NULL);

      /* Found without following links; the name is ours. */
      if (g_unlink (path) == 0)
        n++;
      else
        g_debug ("Could not remove the leftover %s: %s", path, g_strerror (errno));
    }

  return n;
}
