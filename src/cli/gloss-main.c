/* gloss-main.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `gloss`, the program on the PATH. It links src/core and src/cli only
 * (GLib, GIO, json-glib, SQLite), so `gloss --search` and the other
 * commands that need no window start in milliseconds. Everything else —
 * a window, `gloss URL`, --clip, the pages an --import has to clip, and
 * D-Bus activation — goes to the GUI program with execv(), which keeps
 * the process id, the standard streams and the exit status. The
 * commands are in gloss-cli.c. */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>
#include <unistd.h>

#include "gloss-cli.h"

/* The GUI program: beside this one in a build folder, else installed in
 * libexecdir. */
static char *
find_gui_program (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, GUI_PROGRAM_NAME, NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }

  return g_build_filename (LIBEXECDIR, GUI_PROGRAM_NAME, NULL);
}

/* Does not return, but on failure. */
static int
exec_gui (char **argv)
{
  g_autofree char *program = find_gui_program ();

  argv[0] = program;
  execv (program, argv);

  g_printerr ("gloss: ");
  /* Translators: %s is a program file, then the reason it did not start. */
  g_printerr (_("Could not start %s: %s"), program, g_strerror (errno));
  g_printerr ("\n");
  return GLOSS_CLI_FAILED;
}

/* The pages an --import found, for the GUI program's clipper. */
static int
exec_gui_clip (GFile     *library,
               GPtrArray *urls)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *path = g_file_get_path (library);

  g_ptr_array_add (argv, NULL);
  g_ptr_array_add (argv, (char *) "--library");
  g_ptr_array_add (argv, path);
  g_ptr_array_add (argv, (char *) "--clip-imported");
  g_ptr_array_add (argv, (char *) "--clip");
  g_ptr_array_add (argv, (char *) "--");
  for (guint i = 0; i < urls->len; i++)
    g_ptr_array_add (argv, urls->pdata[i]);
  g_ptr_array_add (argv, NULL);

  return exec_gui ((char **) argv->pdata);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) library = NULL;
  g_autoptr(GPtrArray) clip_urls = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* D-Bus activation starts the GUI program as a service. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--gapplication-service"))
      return exec_gui (argv);

  if (!gloss_cli_parse (argc, argv, options, &error))
    {
      g_printerr ("gloss: %s\n", error->message);
      g_printerr (_("Run “gloss --help” to see the options."));
      g_printerr ("\n");
      return GLOSS_CLI_USAGE;
    }

  status = gloss_cli_run (options, &library, &clip_urls);
  if (status != GLOSS_CLI_NEEDS_GUI)
    return status;

  if (clip_urls != NULL)
    return exec_gui_clip (library, clip_urls);

  return exec_gui (argv);
}
