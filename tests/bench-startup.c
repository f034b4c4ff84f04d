/* bench-startup.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How long Gloss takes from launch to its first painted frame, and to a
 * local page loaded in the live view. Prints figures; fails only when the
 * program does not start. Target: window painted within 300 ms. */

#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_figures (const char *what,
               GArray     *ms)
{
  double *v = (double *) ms->data;

  g_array_sort (ms, compare_doubles);
  g_print ("%-34s median %7.1f ms   min %7.1f ms   max %7.1f ms   (%u runs)\n",
           what, v[ms->len / 2], v[0], v[ms->len - 1], ms->len);
}

/* Starts gloss, waits for the trace lines it is asked for, then stops it. */
static gboolean
run_once (const char *program,
          const char *uri,
          double     *painted_ms,
          double     *loaded_ms)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  char *line;

  g_subprocess_launcher_setenv (launcher, "GLOSS_TRACE_STARTUP", "1", TRUE);

  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawn (launcher, &error, program, uri, NULL);
  if (process == NULL)
    {
      g_printerr ("Could not start %s: %s\n", program, error->message);
      return FALSE;
    }

  *painted_ms = *loaded_ms = -1;
  lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));

  while ((*painted_ms < 0 || (uri != NULL && *loaded_ms < 0)) &&
         (line = g_data_input_stream_read_line (lines, NULL, NULL, NULL)) != NULL)
    {
      gint64 when;

      if (sscanf (line, "gloss-trace: window-painted %" G_GINT64_FORMAT, &when) == 1)
        *painted_ms = (when - start) / 1000.0;
      else if (sscanf (line, "gloss-trace: page-loaded %" G_GINT64_FORMAT, &when) == 1)
        *loaded_ms = (when - start) / 1000.0;
      g_free (line);
    }

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);

  return *painted_ms >= 0 && (uri == NULL || *loaded_ms >= 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *program = g_build_filename (g_getenv ("GLOSS_BUILD_DIR"), "src", "gloss", NULL);
  g_autofree char *page = g_build_filename (g_getenv ("GLOSS_SOURCE_DIR"), "tests", "fixtures",
                                            "browser", "article.html", NULL);
  g_autofree char *uri = g_filename_to_uri (page, NULL, NULL);
  g_autoptr(GArray) empty_painted = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_painted = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_loaded = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *tmp = g_dir_make_tmp ("gloss-bench-XXXXXX", NULL);
  int runs = argc > 1 ? atoi (argv[1]) : 10;
  double painted, loaded;

  /* A home of its own, so that no saved window size or site data counts. */
  g_setenv ("XDG_DATA_HOME", tmp, TRUE);
  g_setenv ("XDG_CACHE_HOME", tmp, TRUE);
  g_setenv ("GLOSS_LIBRARY", tmp, TRUE);

  /* One run to warm the disk cache, not counted. */
  if (!run_once (program, NULL, &painted, &loaded))
    return 1;

  for (int i = 0; i < runs; i++)
    {
      if (!run_once (program, NULL, &painted, &loaded))
        return 1;
      g_array_append_val (empty_painted, painted);

      if (!run_once (program, uri, &painted, &loaded))
        return 1;
      g_array_append_val (page_painted, painted);
      g_array_append_val (page_loaded, loaded);
    }

  g_print ("Start-up of %s (target: window painted < 300 ms)\n", program);
  print_figures ("launch -> window painted (no URL)", empty_painted);
  print_figures ("launch -> window painted (URL)", page_painted);
  print_figures ("launch -> local page loaded", page_loaded);

  return 0;
}
