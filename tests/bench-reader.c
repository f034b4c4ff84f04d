/* bench-reader.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Opening 200 clips one after another in the real window: the UI
 * process's resident memory (target: within +50 MB of where it was after
 * the first clips) and the number of WebKit web processes (bounded, not
 * one per clip), with the time each open took. Prints figures; fails only
 * when something does not run. */

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gloss-library.h"
#include "gloss-test-server.h"
#include "gloss-test-util.h"
#include "gloss-web-shell.h"
#include "gloss-window.h"

#define N_CLIPS 200
#define WARM_CLIPS 10

static gint64 painted_at;

static void
painted_cb (GlossAnnotator *annotator)
{
  painted_at = g_get_monotonic_time ();
}

/* Resident memory of this process, in MB. */
static double
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      !(line = strstr (status, "VmRSS:")))
    return -1;

  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0;
}

static gboolean
descends_from (int pid,
               int ancestor)
{
  for (guint depth = 0; depth < 8 && pid > 1; depth++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
      g_autofree char *stat = NULL;
      const char *close;
      int ppid;

      if (!g_file_get_contents (path, &stat, NULL, NULL) || !(close = strrchr (stat, ')')))
        return FALSE;
      if (sscanf (close + 2, "%*c %d", &ppid) != 1)
        return FALSE;
      if (ppid == ancestor)
        return TRUE;
      pid = ppid;
    }

  return FALSE;
}

/* WebKit web processes started by this process (directly or through a
 * sandbox launcher). */
static guint
count_web_processes (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;
  int self = getpid ();

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *comm = NULL;
      int pid = atoi (name);

      if (pid <= 0)
        continue;
      path = g_strdup_printf ("/proc/%d/comm", pid);
      if (!g_file_get_contents (path, &comm, NULL, NULL) || !g_str_has_prefix (comm, "WebKitWebProces"))
        continue;
      if (descends_from (pid, self))
        n++;
    }

  return n;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *folder_path = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GPtrArray) clips = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  GlossClipScheme *scheme;
  GlossWindow *window;
  GlossAnnotator *annotator;
  double rss_warm = 0, rss_max = 0, rss_end;
  guint processes_max = 0;

  gloss_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  folder_path = gloss_test_make_dir ("bench-reader-library");
  folder = g_file_new_for_path (folder_path);
  library = gloss_library_new (folder);
  if (!gloss_library_load (library, NULL, &error))
    g_error ("%s", error->message);

  /* 200 articles of about 1,500 words, each with a few highlights. */
  for (guint i = 0; i < N_CLIPS; i++)
    {
      g_autoptr(GString) html = g_string_new (NULL);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *url = g_strdup_printf ("https://example.org/%u", i);
      g_autofree char *title = g_strdup_printf ("Article %u", i);
      GlossClip *clip = gloss_clip_new (url, title);

      for (guint p = 0; p < 60; p++)
        {
          g_string_append_printf (html, "<p>Article %u, paragraph %u: the mediators in Zürich said <em>café talks</em> "
                                        "would go on and the report agreed that nothing was settled yet.</p>", i, p);
          g_string_append_printf (text, "Article %u, paragraph %u: the mediators in Zürich said café talks "
                                        "would go on and the report agreed that nothing was settled yet.", i, p);
        }
      if (!gloss_library_add (library, clip, html->str, text->str, &error))
        g_error ("%s", error->message);

      for (guint h = 0; h < 5; h++)
        {
          g_autofree char *needle = g_strdup_printf ("paragraph %u:", h * 10);
          const char *at = strstr (text->str, needle);
          guint start = g_utf8_pointer_to_offset (text->str, at);
          g_autoptr(GlossAnnotation) a = gloss_annotation_new (needle, "", "", start, start + g_utf8_strlen (needle, -1),
                                                               GLOSS_COLOR_YELLOW);
          gloss_clip_add_annotation (clip, a);
        }
      if (!gloss_library_save (library, clip, &error))
        g_error ("%s", error->message);
      g_ptr_array_add (clips, clip);
    }

  window = gloss_window_new (NULL);
  gloss_window_set_library (window, library, NULL);
  gtk_window_present (GTK_WINDOW (window));
  annotator = gloss_reader_pane_get_annotator (gloss_window_get_reader_pane (window));
  g_signal_connect (annotator, "painted", G_CALLBACK (painted_cb), NULL);

  for (guint i = 0; i < N_CLIPS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;
      guint processes;

      painted_at = 0;
      gloss_window_open_clip (window, clips->pdata[i]);
      gloss_test_wait_until (painted_at != 0, 60000);
      ms = (painted_at - start) / 1000.0;
      g_array_append_val (open_ms, ms);

      processes = count_web_processes ();
      processes_max = MAX (processes_max, processes);
      if (i + 1 == WARM_CLIPS)
        rss_warm = rss_mb ();
      if (i + 1 >= WARM_CLIPS)
        rss_max = MAX (rss_max, rss_mb ());
      if ((i + 1) % 50 == 0)
        g_print ("after %3u clips: UI process RSS %.1f MB, %u web processes\n", i + 1, rss_mb (), processes);
    }

  rss_end = rss_mb ();
  scheme = gloss_web_shell_get_clip_scheme (gloss_web_shell_get_default ());
  g_array_sort (open_ms, compare_doubles);
  g_print ("open %u clips one after another: median %.1f ms, max %.1f ms per clip\n",
           N_CLIPS, ((double *) open_ms->data)[open_ms->len / 2], ((double *) open_ms->data)[open_ms->len - 1]);
  g_print ("UI process RSS: %.1f MB after %u clips, %.1f MB after %u (max %.1f): %+.1f MB (target within +50 MB)\n",
           rss_warm, WARM_CLIPS, rss_end, N_CLIPS, rss_max, rss_max - rss_warm);
  g_print ("web processes: at most %u at once while opening %u clips (bounded, not one per clip)\n",
           processes_max, N_CLIPS);
  g_print ("clips the gloss-clip: scheme serves at the end: %u\n", gloss_clip_scheme_get_n_served (scheme));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
