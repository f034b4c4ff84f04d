/* bench-merge.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `meson test --benchmark bench-merge` (or run directly): figures for
 * FORMAT.md "Several machines" on generated libraries:
 *
 * - gloss --merge-conflicts (in process) on a library of 1,000 clips that
 *   each have one Syncthing conflict copy (a recoloured highlight, a new
 *   page note): the whole walk, merges, atomic writes and moves to the
 *   trash. Target 2 s.
 * - what the start-up check for conflict copies adds to loading a library
 *   of 10,000 clips (gloss_library_load with merging on, no copies there,
 *   against merging off), loads alternated, warm cache. Target 10 ms.
 *   Twice: as every start-up after the first finds it (the record of
 *   folders listed without a copy is there, gloss-merge-check.h), and as
 *   the first start-up does (no record: every folder is listed).
 *
 *   bench-merge [--cache DIR] [--runs N]
 *
 * Figures, not pass/fail: machines differ (DESIGN.md "Tests"). */

#define G_LOG_DOMAIN "gloss-bench"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "gloss-cli-merge.h"
#include "gloss-library.h"
#include "gloss-library-private.h"
#include "gloss-merge.h"
#include "gloss-merge-check.h"

static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static char *
ensure_library (const char *gen,
                const char *cache,
                guint       n)
{
  g_autofree char *name = g_strdup_printf ("library-%u", n);
  char *dir = g_build_filename (cache, name, NULL);
  g_autofree char *done = g_build_filename (dir, ".complete", NULL);
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *argv[] = { gen, dir, count, "--seed", "1", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  if (g_file_test (done, G_FILE_TEST_EXISTS))
    return dir;

  printf ("  generating %u clips into %s\n", n, dir);
  fflush (stdout);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("Could not generate: %s\n", error->message);
      exit (1);
    }
  g_file_set_contents (done, "", 0, NULL);
  return dir;
}

static void
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      exit (1);
    }
}

/* Another machine's version of each clip: its first highlight recoloured
 * and a new page note, both later than anything in the library. */
static guint
make_copies (const char *library)
{
  g_autofree char *clips = g_build_filename (library, "clips", NULL);
  g_autoptr(GDir) dir = g_dir_open (clips, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (clips, name, "clip.json", NULL);
      g_autofree char *copy = g_build_filename (clips, name, "clip.sync-conflict-20261202-101010-BENCHMK.json", NULL);
      g_autofree char *data = NULL;
      g_autofree char *out = NULL;
      g_autoptr(JsonObject) clip = NULL;
      JsonObject *changed;
      gsize length;

      if (!g_file_get_contents (path, &data, &length, NULL) ||
          !(clip = gloss_merge_read (data, length, name, NULL)))
        continue;

      json_object_set_string_member (clip, "modified", "2030-01-01T00:00:00Z");
      json_object_set_string_member (clip, "note", "From the other machine");
      changed = json_object_new ();
      json_object_set_string_member (changed, "note", "2030-01-01T00:00:00Z");
      json_object_set_object_member (clip, "changed", changed);
      if (json_object_has_member (clip, "annotations"))
        {
          JsonArray *annotations = json_object_get_array_member (clip, "annotations");

          if (json_array_get_length (annotations) > 0)
            {
              JsonObject *a = json_array_get_object_element (annotations, 0);

              json_object_set_string_member (a, "color", "purple");
              json_object_set_string_member (a, "modified", "2030-01-01T00:00:00Z");
            }
        }
      out = gloss_merge_to_data (clip, &length);
      g_file_set_contents (copy, out, length, NULL);
      n++;
    }

  return n;
}

static void
bench_merge_conflicts (const char *source,
                       const char *work,
                       guint       runs)
{
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  guint copies = 0;

  for (guint r = 0; r < runs; r++)
    {
      g_autofree char *library = g_build_filename (work, "merge", NULL);
      g_autoptr(GFile) folder = g_file_new_for_path (library);
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GString) err = g_string_new (NULL);
      const char *rm[] = { "rm", "-rf", library, NULL };
      const char *cp[] = { "cp", "-a", source, library, NULL };
      double begin_cpu, ms, cpu_used;
      gint64 begin;
      int status;

      run (rm);
      run (cp);
      copies = make_copies (library);

      begin_cpu = cpu_ms ();
      begin = g_get_monotonic_time ();
      status = gloss_cli_merge_conflicts (folder, out, err);
      ms = (g_get_monotonic_time () - begin) / 1000.0;
      cpu_used = cpu_ms () - begin_cpu;

      if (status != 0 || strstr (out->str, "Merged ") == NULL)
        {
          g_printerr ("--merge-conflicts failed: %s%s\n", out->str, err->str);
          exit (1);
        }
      g_array_append_val (wall, ms);
      g_array_append_val (cpu, cpu_used);
      run (rm);
    }

  printf ("gloss --merge-conflicts, %u clips with one conflict copy each: median %.0f ms wall, %.0f ms CPU (%u runs; target 2000 ms)\n",
          copies, median (wall), median (cpu), runs);
}

static guint last_listed;

static double
load_once (const char *library,
           gboolean    merging,
           double     *cpu)
{
  g_autoptr(GFile) folder = g_file_new_for_path (library);
  g_autoptr(GlossLibrary) lib = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  double begin_cpu = cpu_ms ();
  gint64 begin = g_get_monotonic_time ();

  gloss_library_set_merging (lib, merging);
  if (!gloss_library_load (lib, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  *cpu = cpu_ms () - begin_cpu;
  last_listed = lib->n_folders_listed;
  return (g_get_monotonic_time () - begin) / 1000.0;
}

/* The first start-up: no record of folders listed before. */
static void
forget_record (void)
{
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "gloss", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, "conflict-check-"))
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);

        g_unlink (path);
      }
}

/* The check alone: every clip folder of the library looked at once, on
 * one thread (the load spreads it over its threads). */
static void
bench_check_alone (const char *library,
                   guint       runs)
{
  g_autofree char *clips = g_build_filename (library, "clips", NULL);
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GDir) dir = g_dir_open (clips, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    g_ptr_array_add (folders, g_file_new_build_filename (clips, name, NULL));

  for (guint r = 0; r < runs; r++)
    {
      double begin_cpu = cpu_ms (), ms, used;
      gint64 begin = g_get_monotonic_time ();
      guint found = 0;

      for (guint i = 0; i < folders->len; i++)
        found += gloss_merge_folder_has_copies (folders->pdata[i]);
      ms = (g_get_monotonic_time () - begin) / 1000.0;
      used = cpu_ms () - begin_cpu;
      g_array_append_val (wall, ms);
      g_array_append_val (cpu, used);
      g_assert (found == 0);
    }

  printf ("the conflict-copy check alone on %u clip folders, one thread, listing each: median %.1f ms wall, %.1f ms CPU (%u runs)\n",
          folders->len, median (wall), median (cpu), runs);

  /* The same as the load does it now: each folder opened (the load opens
   * it anyway, so that is measured apart and taken off), then looked up
   * in the record, listed only when it changed. */
  {
    g_autoptr(GArray) base = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) checked = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GFile) library_folder = g_file_new_for_path (library);
    guint listed = 0;

    for (guint r = 0; r < runs; r++)
      {
        for (guint pass = 0; pass < 2; pass++)
          {
            g_autoptr(GlossMergeCheck) check = pass == 1 ? gloss_merge_check_new (library_folder, clips, folders->len) : NULL;
            double begin_cpu = cpu_ms (), used;

            for (guint i = 0; i < folders->len; i++)
              {
                int fd = open (g_file_peek_path (folders->pdata[i]), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

                g_assert (fd >= 0);
                if (check != NULL)
                  g_assert_false (gloss_merge_check_folder (check, i, fd, g_file_peek_path (folders->pdata[i])));
                close (fd);
              }
            if (check != NULL)
              {
                listed = gloss_merge_check_get_n_listed (check);
                gloss_merge_check_save (check);
              }
            used = cpu_ms () - begin_cpu;
            g_array_append_val (pass == 1 ? checked : base, used);
          }
      }
    printf ("the check with the record, one thread: median %.1f ms CPU over opening the %u folders (%.1f ms against %.1f ms; %u listed)\n",
            median (checked) - median (base), folders->len, median (checked), median (base), listed);
  }
}

static void
bench_startup_check (const char *library,
                     guint       n,
                     guint       runs)
{
  g_autoptr(GArray) off = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) on = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) off_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) on_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) first_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  guint listed_on = 0, listed_first = 0;
  double cpu;

  /* Warm the cache first, then alternate so that all see the same
   * machine. */
  forget_record ();
  load_once (library, FALSE, &cpu);
  load_once (library, TRUE, &cpu);
  for (guint r = 0; r < runs; r++)
    {
      double a, b, c, ca, cb, cc;

      a = load_once (library, FALSE, &ca);
      b = load_once (library, TRUE, &cb);
      listed_on = last_listed;
      forget_record ();
      c = load_once (library, TRUE, &cc);
      listed_first = last_listed;
      g_array_append_val (off, a);
      g_array_append_val (on, b);
      g_array_append_val (first, c);
      g_array_append_val (off_cpu, ca);
      g_array_append_val (on_cpu, cb);
      g_array_append_val (first_cpu, cc);
    }

  {
    double m_off = median (off), m_on = median (on), m_first = median (first);
    double c_off = median (off_cpu), c_on = median (on_cpu), c_first = median (first_cpu);

    printf ("load %u clips: median %.1f ms wall (%.1f ms CPU) without the conflict-copy check, %.1f ms (%.1f ms CPU) with it: %+.1f ms wall, %+.1f ms CPU (%u folders listed; %u runs each; target +10 ms)\n",
            n, m_off, c_off, m_on, c_on, m_on - m_off, c_on - c_off, listed_on, runs);
    printf ("  the first start-up (no record, every folder listed): %.1f ms (%.1f ms CPU): %+.1f ms wall, %+.1f ms CPU (%u folders listed)\n",
            m_first, c_first, m_first - m_off, c_first - c_off, listed_first);
  }
  bench_check_alone (library, runs);
}

int
main (int    argc,
      char **argv)
{
  const char *build_dir = g_getenv ("GLOSS_BUILD_DIR");
  g_autofree char *self_dir = g_path_get_dirname (argv[0]);
  g_autofree char *gen = g_build_filename (self_dir, "gloss-gen-library", NULL);
  g_autofree char *cache = NULL;
  g_autofree char *work = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *small = NULL;
  g_autofree char *large = NULL;
  guint runs = 9;

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "--cache"))
        cache = g_strdup (argv[i + 1]);
      else if (g_str_equal (argv[i], "--runs"))
        runs = MAX (1, atoi (argv[i + 1]));
    }
  if (cache == NULL)
    cache = g_build_filename (build_dir ? build_dir : ".", "tests", "bench-merge-libraries", NULL);
  g_mkdir_with_parents (cache, 0755);

  /* The merged copies go to a trash of the benchmark's own. */
  work = g_build_filename (cache, "work", NULL);
  g_mkdir_with_parents (work, 0755);
  data_home = g_build_filename (work, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_STATE_HOME", data_home, TRUE);
  {
    g_autofree char *cache_home = g_build_filename (work, "cache", NULL);

    g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  }

  small = ensure_library (gen, cache, 1000);
  large = ensure_library (gen, cache, 10000);

  bench_merge_conflicts (small, work, MIN (runs, 3));
  bench_startup_check (large, 10000, runs);

  {
    const char *rm[] = { "rm", "-rf", work, NULL };
    run (rm);
  }
  return 0;
}
