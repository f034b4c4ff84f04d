/* bench-library.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `meson test --benchmark` (or run directly): figures for the library
 * core on generated libraries of 1,000, 10,000 and 100,000 clips: the
 * time to load the list model and its peak memory (each in a fresh
 * process, VmHWM), the time of --verify, and the time to anchor 1,000
 * annotations exact, moved and edited. The libraries are generated once
 * by gloss-gen-library and kept in the build folder.
 *
 *   bench-library [--sizes 1000,10000,100000] [--cache DIR]
 *
 * Figures, not pass/fail: machines differ (DESIGN.md "Tests"). */

#define G_LOG_DOMAIN "gloss-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "gloss-anchor.h"
#include "gloss-cli-library.h"
#include "gloss-library.h"
#include "gloss-url.h"

static gint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

/* User and system time of this process: on a shared machine the wall
 * clock also measures the neighbours. */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

/* --- children: one measurement each, in a fresh process ----------------- */

static int
child_load (const char *dir)
{
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  gint64 begin = g_get_monotonic_time ();

  if (!gloss_library_load (library, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  printf ("%.1f %u %" G_GINT64_FORMAT " %.1f",
          (g_get_monotonic_time () - begin) / 1000.0,
          g_list_model_get_n_items (G_LIST_MODEL (library)),
          peak_rss_kb (), cpu_ms ());

  /* What the app does next: watch the folder for changes by others. */
  begin = g_get_monotonic_time ();
  gloss_library_set_monitoring (library, TRUE);
  printf (" %.1f %" G_GINT64_FORMAT "\n", (g_get_monotonic_time () - begin) / 1000.0, peak_rss_kb ());
  return 0;
}

/* "Is the page shown clipped?": the live view asks on every page. Median
 * and worst of gloss_library_find_by_url() for addresses that are not in
 * the library and for clipped ones spelled differently (a fragment, a
 * tracking parameter), then what reducing every clip's address to its key
 * costs: the linear scan this replaced, and what loading now adds. */
static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
lookup_times (GlossLibrary *library,
              GPtrArray    *urls,
              gboolean      expect_found,
              double       *median_us,
              double       *max_us)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < urls->len; i++)
    {
      gint64 begin = g_get_monotonic_time ();
      GlossClip *clip = gloss_library_find_by_url (library, urls->pdata[i]);
      double us = (double) (g_get_monotonic_time () - begin);

      if ((clip != NULL) != expect_found)
        {
          g_printerr ("find_by_url (%s) gave %s\n", (char *) urls->pdata[i], clip ? "a clip" : "none");
          exit (1);
        }
      g_array_append_val (times, us);
    }
  g_array_sort (times, compare_doubles);
  *median_us = g_array_index (times, double, times->len / 2);
  *max_us = g_array_index (times, double, times->len - 1);
}

static int
child_lookup (const char *dir)
{
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) absent = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) present = g_ptr_array_new_with_free_func (g_free);
  guint n;
  double absent_med, absent_max, present_med, present_max, scan_ms;
  gint64 begin;

  if (!gloss_library_load (library, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (library));
  if (n == 0)
    return 1;

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(GlossClip) clip = g_list_model_get_item (G_LIST_MODEL (library), (i * 7919) % n);

      g_ptr_array_add (absent, g_strdup_printf ("https://news.example.net/%u/not-clipped-yet/?page=%u#c", i, i));
      g_ptr_array_add (present, g_strdup_printf ("%s%s#section-%u", gloss_clip_get_url (clip),
                                                 strchr (gloss_clip_get_url (clip), '?') ? "&utm_source=feed" : "?utm_source=feed",
                                                 i));
    }

  lookup_times (library, absent, FALSE, &absent_med, &absent_max);
  lookup_times (library, present, TRUE, &present_med, &present_max);

  /* The scan it replaced: every clip's key, for one absent address. */
  begin = g_get_monotonic_time ();
  {
    g_autofree char *key = gloss_url_match_key (absent->pdata[0]);
    guint matches = 0;

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(GlossClip) clip = g_list_model_get_item (G_LIST_MODEL (library), i);
        g_autofree char *other = gloss_url_match_key (gloss_clip_get_url (clip));

        matches += other != NULL && g_str_equal (other, key);
      }
    scan_ms = (g_get_monotonic_time () - begin) / 1000.0;
    if (matches != 0)
      return 1;
  }

  printf ("%.2f %.2f %.2f %.2f %.2f %u\n", absent_med, absent_max, present_med, present_max,
          scan_ms, n);
  return 0;
}

static int
child_verify (const char *dir)
{
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  gint64 begin = g_get_monotonic_time ();
  int status = gloss_cli_verify (folder, out, err);

  printf ("%.1f %d %" G_GINT64_FORMAT " %.1f\n",
          (g_get_monotonic_time () - begin) / 1000.0, status, peak_rss_kb (), cpu_ms ());
  return 0;
}

static gboolean
run_child (const char  *self,
           const char  *mode,
           const char  *dir,
           double      *ms,
           gint64      *value,
           gint64      *hwm_kb,
           double      *cpu,
           double      *watch_ms,
           gint64      *watch_hwm_kb)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { self, mode, dir, NULL };
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s %s: %s\n", mode, dir, error->message);
      return FALSE;
    }

  *watch_ms = 0;
  *watch_hwm_kb = 0;
  return sscanf (out, "%lf %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %lf %lf %" G_GINT64_FORMAT,
                 ms, value, hwm_kb, cpu, watch_ms, watch_hwm_kb) >= 4;
}

/* --- generating the libraries ------------------------------------------- */

static char *
ensure_library (const char *gen,
                const char *cache,
                guint       n)
{
  g_autofree char *name = g_strdup_printf ("%u", n);
  char *dir = g_build_filename (cache, name, NULL);
  g_autofree char *done = g_build_filename (dir, ".complete", NULL);
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *argv[] = { gen, dir, count, "--seed", "1", NULL };
  g_autoptr(GError) error = NULL;
  gint64 begin;
  int status;

  if (g_file_test (done, G_FILE_TEST_EXISTS))
    return dir;

  printf ("  generating %u clips into %s …", n, dir);
  fflush (stdout);
  begin = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("\nCould not generate: %s\n", error->message);
      exit (1);
    }
  g_file_set_contents (done, "", 0, NULL);
  printf (" %.1f s\n", (g_get_monotonic_time () - begin) / 1e6);
  return dir;
}

/* --- anchoring ---------------------------------------------------------- */

typedef struct
{
  GlossText       *text;
  GlossAnnotation *annotation;
} Sample;

static void
sample_clear (Sample *sample)
{
  g_clear_pointer (&sample->text, gloss_text_unref);
  g_clear_object (&sample->annotation);
}

static void
bench_anchoring (const char *dir)
{
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GlossLibrary) library = gloss_library_new (folder);
  g_autoptr(GArray) samples = g_array_new (FALSE, TRUE, sizeof (Sample));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GlossText) big_text = NULL;
  guint counts[3][4] = { { 0, } };
  double text_ms, ms[3];
  double begin;

  g_array_set_clear_func (samples, (GDestroyNotify) sample_clear);
  if (!gloss_library_load (library, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return;
    }

  /* 1,000 annotations and their articles, read before the clock runs. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (library)) && samples->len < 1000; i++)
    {
      g_autoptr(GlossClip) clip = g_list_model_get_item (G_LIST_MODEL (library), i);
      g_autofree char *contents = gloss_clip_load_article_text (clip, NULL);
      GListModel *annotations = gloss_clip_get_annotations (clip);
      g_autoptr(GlossText) text = NULL;

      if (contents == NULL)
        continue;
      if (big->len < 50 * 1024)
        g_string_append (big, contents);
      text = gloss_text_new (contents, -1);
      for (guint j = 0; j < g_list_model_get_n_items (annotations) && samples->len < 1000; j++)
        {
          Sample s = { gloss_text_ref (text), g_list_model_get_item (annotations, j) };
          g_array_append_val (samples, s);
        }
    }

  /* Building the code point index of an article, once per article. */
  begin = cpu_ms ();
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GlossText) t = gloss_text_new (gloss_text_get_utf8 (g_array_index (samples, Sample, i).text), -1);
    }
  text_ms = (cpu_ms () - begin) / 100;

  for (guint mode = 0; mode < 3; mode++)
    {
      begin = cpu_ms ();
      for (guint i = 0; i < samples->len; i++)
        {
          Sample *s = &g_array_index (samples, Sample, i);
          const char *exact = gloss_annotation_get_exact (s->annotation);
          g_autofree char *edited = NULL;
          guint start = gloss_annotation_get_start (s->annotation);
          guint end = gloss_annotation_get_end (s->annotation);
          guint out_s, out_e;
          GlossAnchorMethod m;

          if (mode == 1)
            {
              /* Moved: the stored position is off. */
              start += 7;
              end += 7;
            }
          else if (mode == 2)
            {
              /* Edited: two characters changed, the position off too. */
              gsize len = strlen (exact);

              edited = g_strdup (exact);
              if (len > 8)
                {
                  edited[2] = edited[2] == 'x' ? 'y' : 'x';
                  edited[len - 3] = edited[len - 3] == 'q' ? 'z' : 'q';
                }
              edited = g_utf8_make_valid (edited, -1);
              exact = edited;
              start += 7;
              end += 7;
            }

          m = gloss_anchor_quote (s->text, exact,
                                  gloss_annotation_get_prefix (s->annotation),
                                  gloss_annotation_get_suffix (s->annotation),
                                  start, end, &out_s, &out_e);
          counts[mode][m]++;
        }
      ms[mode] = cpu_ms () - begin;
    }

  printf ("\nAnchoring %u annotations of the 1,000-clip library (articles 5-10 KB), CPU time:\n", samples->len);
  printf ("  code point index of an article:       %8.3f ms per article\n", text_ms);
  printf ("  exact (stored position holds):        %8.1f ms total, %6.4f ms each  [%u position]\n",
          ms[0], ms[0] / samples->len, counts[0][GLOSS_ANCHOR_POSITION]);
  printf ("  moved (found by quote and context):   %8.1f ms total, %6.4f ms each  [%u quote]\n",
          ms[1], ms[1] / samples->len, counts[1][GLOSS_ANCHOR_QUOTE]);
  printf ("  edited (approximate match):           %8.1f ms total, %6.4f ms each  [%u fuzzy, %u quote, %u orphan]\n",
          ms[2], ms[2] / samples->len, counts[2][GLOSS_ANCHOR_FUZZY],
          counts[2][GLOSS_ANCHOR_QUOTE], counts[2][GLOSS_ANCHOR_ORPHAN]);

  /* The target: an edited quote on a 50 KB article, with the
   * stored position where the quote was (the usual case) and with a
   * position that tells nothing (the whole article searched at full
   * tolerance: the worst case). */
  big_text = gloss_text_new (big->str, big->len);
  for (guint hinted = 0; hinted < 2; hinted++)
    {
      guint n = 0, fuzzy = 0;

      begin = cpu_ms ();
      for (guint i = 0; i < samples->len; i++)
        {
          Sample *s = &g_array_index (samples, Sample, i);
          const char *exact = gloss_annotation_get_exact (s->annotation);
          g_autofree char *edited = g_strdup (exact);
          g_autofree char *valid = NULL;
          const char *at = strstr (big->str, exact);
          gsize len = strlen (edited);
          guint hint = 0, out_s, out_e;

          if (len <= 8 || at == NULL)
            continue;
          if (hinted == 0)
            hint = g_utf8_pointer_to_offset (big->str, at);
          edited[2] = edited[2] == 'x' ? 'y' : 'x';
          edited[len - 3] = edited[len - 3] == 'q' ? 'z' : 'q';
          valid = g_utf8_make_valid (edited, -1);

          if (gloss_anchor_quote (big_text, valid, gloss_annotation_get_prefix (s->annotation),
                                  gloss_annotation_get_suffix (s->annotation), hint,
                                  hint + g_utf8_strlen (valid, -1), &out_s, &out_e) == GLOSS_ANCHOR_FUZZY)
            fuzzy++;
          n++;
        }
      printf ("  edited quote on a %zu KB article, %s %6.4f ms each over %u quotes [%u fuzzy]  (target < 1 ms)\n",
              big->len / 1024,
              hinted == 0 ? "position near:  " : "no position:    ",
              (cpu_ms () - begin) / MAX (n, 1), n, fuzzy);
    }
}

int
main (int    argc,
      char **argv)
{
  const char *build_dir = g_getenv ("GLOSS_BUILD_DIR");
  g_autofree char *self_dir = g_path_get_dirname (argv[0]);
  g_autofree char *gen = g_build_filename (self_dir, "gloss-gen-library", NULL);
  g_autofree char *cache = NULL;
  g_auto(GStrv) sizes = NULL;
  g_autofree char *first_dir = NULL;
  const char *sizes_arg = "1000,10000,100000";
  g_autofree char *empty = NULL;
  double ms, cpu, watch_ms;
  gint64 value, hwm, watch_hwm;

  if (argc == 3 && g_str_equal (argv[1], "--child-load"))
    return child_load (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--child-verify"))
    return child_verify (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--child-lookup"))
    return child_lookup (argv[2]);

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "--sizes"))
        sizes_arg = argv[i + 1];
      else if (g_str_equal (argv[i], "--cache"))
        cache = g_strdup (argv[i + 1]);
    }
  if (g_getenv ("GLOSS_BENCH_SIZES"))
    sizes_arg = g_getenv ("GLOSS_BENCH_SIZES");
  if (cache == NULL)
    cache = g_build_filename (build_dir ? build_dir : self_dir,
                              build_dir ? "tests" : ".", "bench-libraries", NULL);
  g_mkdir_with_parents (cache, 0755);
  sizes = g_strsplit (sizes_arg, ",", -1);

  printf ("Gloss library benchmark (%u processors; libraries cached in %s)\n",
          g_get_num_processors (), cache);
  {
    double load[3];

    if (getloadavg (load, 3) == 3)
      printf ("  load average at start: %.2f (wall times include other processes' share)\n", load[0]);
  }

  empty = g_build_filename (cache, "empty", NULL);
  g_mkdir_with_parents (empty, 0755);
  if (run_child (argv[0], "--child-load", empty, &ms, &value, &hwm, &cpu, &watch_ms, &watch_hwm))
    printf ("  baseline process (empty library):      peak memory %6.1f MB\n", hwm / 1024.0);

  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint n = (guint) g_ascii_strtoull (sizes[i], NULL, 10);
      g_autofree char *dir = ensure_library (gen, cache, n);
      double load_ms[3], load_cpu[3];
      gint64 load_hwm = 0;

      if (first_dir == NULL)
        first_dir = g_strdup (dir);

      printf ("\n%u clips:\n", n);
      /* Best of three fresh processes (the first warms the page cache). */
      for (guint r = 0; r < 3; r++)
        {
          if (!run_child (argv[0], "--child-load", dir, &load_ms[r], &value, &hwm, &load_cpu[r], &watch_ms, &watch_hwm))
            return 1;
          load_hwm = MAX (load_hwm, hwm);
        }
      printf ("  load the library model:                %8.1f ms wall (best of 3: %.0f / %.0f / %.0f), "
              "%.0f ms CPU, %" G_GINT64_FORMAT " clips\n",
              MIN (load_ms[0], MIN (load_ms[1], load_ms[2])), load_ms[0], load_ms[1], load_ms[2],
              MIN (load_cpu[0], MIN (load_cpu[1], load_cpu[2])), value);
      printf ("  peak memory of that process (VmHWM):   %8.1f MB\n", load_hwm / 1024.0);
      printf ("  then watching every clip folder:       %8.1f ms, peak memory %.1f MB\n",
              watch_ms, watch_hwm / 1024.0);

      {
        const char *lookup_argv[] = { argv[0], "--child-lookup", dir, NULL };
        g_autofree char *out = NULL;
        double am, ax, pm, px, scan;
        guint clips;
        int status;

        if (g_spawn_sync (NULL, (char **) lookup_argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                          &out, NULL, &status, NULL) &&
            g_spawn_check_wait_status (status, NULL) &&
            sscanf (out, "%lf %lf %lf %lf %lf %u", &am, &ax, &pm, &px, &scan, &clips) == 6)
          {
            printf ("  is this page clipped (find_by_url), 1,000 addresses each (target 2 ms):\n");
            printf ("    not clipped:                         %8.1f µs median, %.1f µs worst\n", am, ax);
            printf ("    clipped (fragment, utm_source):      %8.1f µs median, %.1f µs worst\n", pm, px);
            printf ("    the linear scan it replaced:         %8.1f ms per address (every clip's key; the\n"
                    "                                         table pays that once, when the library loads)\n", scan);
          }
        else
          printf ("  find_by_url: the child failed\n");
      }

      if (!run_child (argv[0], "--child-verify", dir, &ms, &value, &hwm, &cpu, &watch_ms, &watch_hwm))
        return 1;
      printf ("  gloss --verify:                        %8.1f ms wall, %.0f ms CPU (exit %" G_GINT64_FORMAT "), peak memory %.1f MB\n",
              ms, cpu, value, hwm / 1024.0);
    }

  if (first_dir != NULL)
    bench_anchoring (first_dir);

  return 0;
}
