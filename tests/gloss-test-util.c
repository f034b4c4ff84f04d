/* gloss-test-util.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A temporary home for each test process, so tests never touch the real
 * one and can run in parallel. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gloss-test-util.h"

static char *test_root;

void
gloss_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) ||
      !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_unlink (path);
      return;
    }

  /* A test may have made a folder read-only on purpose. */
  g_chmod (path, 0700);

  if ((dir = g_dir_open (path, 0, NULL)))
    {
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          gloss_test_remove_tree (child);
        }
    }

  g_rmdir (path);
}

static void
remove_root (void)
{
  if (test_root != NULL && g_getenv ("GLOSS_TEST_KEEP") == NULL)
    gloss_test_remove_tree (test_root);
}

void
gloss_test_init (int    *argc,
                 char ***argv)
{
  g_autoptr(GError) error = NULL;
  static const char * const dirs[][2] = {
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_CONFIG_HOME", "config" },
    { "GLOSS_LIBRARY", "library" },
  };

  g_test_init (argc, argv, NULL);

  test_root = g_dir_make_tmp ("gloss-test-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (remove_root);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (test_root, dirs[i][1], NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (dirs[i][0], path, TRUE);
    }

  g_setenv ("HOME", test_root, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

const char *
gloss_test_get_root (void)
{
  g_assert_nonnull (test_root);
  return test_root;
}

char *
gloss_test_make_dir (const char *name)
{
  char *path = g_build_filename (gloss_test_get_root (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  return path;
}

void
gloss_test_write_file (const char *dir,
                       const char *name,
                       const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

char *
gloss_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

char *
gloss_test_source_path (const char *relative)
{
  const char *source = g_getenv ("GLOSS_SOURCE_DIR");

  g_assert_nonnull (source);
  return g_build_filename (source, "tests", relative, NULL);
}

void
gloss_test_write_in_place (const char *path,
                           const char *text)
{
  struct stat before, now;
  int fd;

  g_assert_cmpint (stat (path, &before), ==, 0);
  do
    {
      fd = open (path, O_WRONLY | O_TRUNC);
      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (write (fd, text, strlen (text)), ==, (int) strlen (text));
      g_assert_cmpint (fstat (fd, &now), ==, 0);
      close (fd);
    }
  while (now.st_mtim.tv_sec == before.st_mtim.tv_sec && now.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
}
