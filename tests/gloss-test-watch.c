/* gloss-test-watch.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The app's library without the window, for test-merge-syncthing: loads
 * LIBRARY as the app does (merging conflict copies, then watching the
 * folder), prints "ready", and keeps merging what a sync tool brings
 * until its standard input closes.
 *
 *   gloss-test-watch LIBRARY */

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <unistd.h>

#include "gloss-library.h"

static gboolean
stdin_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  char buf[256];

  if ((condition & G_IO_IN) && read (fd, buf, sizeof buf) > 0)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    {
      g_printerr ("Usage: %s LIBRARY\n", argv[0]);
      return 2;
    }

  folder = g_file_new_for_path (argv[1]);
  library = gloss_library_new (folder);
  gloss_library_set_merging (library, TRUE);
  if (!gloss_library_load (library, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  gloss_library_set_monitoring (library, TRUE);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, loop);
  printf ("ready\n");
  fflush (stdout);
  g_main_loop_run (loop);

  gloss_library_set_monitoring (library, FALSE);
  return 0;
}
