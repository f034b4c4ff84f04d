/* bench-search.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* bench-search GEN-LIBRARY BENCH-DIR [N…]: the search index over generated
 * libraries (10,000 clips unless told otherwise; GLOSS_BENCH_SIZES="10000
 * 100000" in the environment works too). Prints: library generation,
 * index build from nothing, the start-up check when nothing changed,
 * per-query latency (median and p95) in the app (a live GlossIndex) and
 * for `--search` (gloss_cli_search: open, check, query, print), a bare
 * FTS5 MATCH on the same file, and `rg -l -i` over the library folder
 * when ripgrep is installed. Libraries are kept under BENCH-DIR so that a
 * second run does not generate them again. Figures, not a pass/fail. */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>

#include "gloss-cli-search.h"
#include "gloss-index.h"
#include "gloss-query.h"

typedef struct
{
  const char *kind;
  const char *query;
  const char *rg;      /* the nearest ripgrep pattern, or NULL */
} BenchQuery;

static const BenchQuery queries[] = {
  { "rare word",     "mensah",                       "mensah" },
  { "missing word",  "xylophone",                    "xylophone" },
  { "common word",   "government",                   "government" },
  { "very common",   "the",                          "the" },
  { "two words",     "budget minister",              NULL },
  { "phrase",        "\"peace talks\"",              "peace talks" },
  { "prefix",        "negot*",                       "\\bnegot" },
  { "short prefix",  "sa*",                          "\\bsa" },
  { "diacritics",    "zurich",                       NULL },
  { "or",            "drought OR flood",             "drought|flood" },
  { "negation",      "treaty -sanctions",            NULL },
  { "neg. only",     "-the",                         NULL },
  { "tag",           "tag:climate",                  NULL },
  { "tag + word",    "tag:climate energy",           NULL },
  { "site + word",   "site:example.org minister",    NULL },
  { "title",         "title:harbour",                NULL },
  { "quote",         "quote:treaty",                 NULL },
  { "note",          "note:numbers",                 NULL },
  { "colour + has",  "color:pink has:notes",         NULL },
  { "date + word",   "after:2025-01-01 budget",      NULL },
  { "sort newest",   "minister sort:newest",         NULL },
};

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* CPU time of the whole process: the worker thread's work while the
 * main thread waits. On a shared, loaded machine this is the figure that
 * says what a query costs; wall time says what it cost today. */
static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *times,
            double  p)
{
  guint i;

  if (times->len == 0)
    return 0;
  g_array_sort (times, compare_doubles);
  i = (guint) (p * (times->len - 1) + 0.5);
  return g_array_index (times, double, MIN (i, times->len - 1));
}

static void
remove_index (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static gboolean
ensure_library (const char *gen,
                const char *dir,
                guint       n)
{
  g_autofree char *marker = g_build_filename (dir, ".complete", NULL);
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { gen, dir, count, "--seed", "1", NULL };
  int status = 0;
  double t0;

  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    {
      printf ("library: %u clips, cached in %s\n", n, dir);
      return TRUE;
    }

  t0 = now ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      printf ("could not generate the library: %s\n", error->message);
      return FALSE;
    }
  g_file_set_contents (marker, "", 0, NULL);
  printf ("library: %u clips generated in %.1f s into %s\n", n, now () - t0, dir);
  return TRUE;
}

static double
time_rg (const char *rg,
         const char *pattern,
         const char *dir,
         guint      *n_files)
{
  /* --no-ignore: the build folder is in .gitignore; a user library is not. */
  const char *argv[] = { rg, "-l", "-i", "--no-ignore", "--", pattern, dir, NULL };
  g_autofree char *out = NULL;
  int status;
  double t0 = now ();
  double t;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, NULL);
  t = now () - t0;
  *n_files = 0;
  for (const char *p = out; p && *p; p++)
    if (*p == '\n')
      (*n_files)++;
  return t;
}

static double
time_bare_fts (sqlite3    *db,
               const char *match)
{
  sqlite3_stmt *stmt = NULL;
  double t0 = now ();

  if (sqlite3_prepare_v2 (db, "SELECT rowid FROM clip_fts WHERE clip_fts MATCH ? ORDER BY rank LIMIT 50",
                          -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_finalize (stmt);
  return now () - t0;
}

static void
bench (const char *gen,
       const char *bench_dir,
       guint       n)
{
  g_autofree char *name = g_strdup_printf ("lib-%u", n);
  g_autofree char *dir = g_build_filename (bench_dir, name, NULL);
  g_autofree char *clips_dir = g_build_filename (dir, "clips", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) check_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) app_all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) app_cpu_all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cli_all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rg_ratio = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *rg = g_find_program_in_path ("rg");
  g_autofree char *path = NULL;
  sqlite3 *db = NULL;
  guint app_reps = n > 20000 ? 10 : 30;
  guint cli_reps = n > 20000 ? 3 : 7;
  double t0;

  printf ("\n=== %u clips ===\n", n);
  if (!ensure_library (gen, dir, n))
    return;

  /* Build from nothing. */
  index = gloss_index_new (folder);
  path = g_strdup (gloss_index_get_path (index));
  g_clear_object (&index);
  /* GLOSS_BENCH_KEEP_INDEX=1: measure the queries on the index a previous
   * run built. */
  if (g_getenv ("GLOSS_BENCH_KEEP_INDEX") == NULL)
    remove_index (path);
  t0 = now ();
  index = gloss_index_new (folder);
  if (!gloss_index_sync (index, NULL, &error))
    {
      printf ("index build failed: %s\n", error->message);
      return;
    }
  g_clear_object (&index);
  printf ("index build from %s: %.2f s (%.0f clips/s), file %.0f MB\n",
          g_getenv ("GLOSS_BENCH_KEEP_INDEX") ? "the last run (kept)" : "nothing",
          now () - t0, n / (now () - t0), file_size (path) / 1e6);

  /* Start-up check when nothing changed: open the file, stat every
   * clip's two files, compare. */
  for (guint i = 0; i < 7; i++)
    {
      double t;

      t0 = now ();
      index = gloss_index_new (folder);
      gloss_index_sync (index, NULL, NULL);
      t = now () - t0;
      g_array_append_val (check_times, t);
      g_clear_object (&index);
    }
  printf ("start-up re-index check, nothing changed: median %.3f s, max %.3f s\n",
          percentile (check_times, 0.5), percentile (check_times, 1.0));

  index = gloss_index_new (folder);
  gloss_index_sync (index, NULL, NULL);
  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);

  printf ("\nper query (limit 50 in the app, 20 for --search), times in ms:\n");
  printf ("%-14s %-28s %6s %8s %8s %8s %8s %8s %9s %7s\n",
          "kind", "query", "found", "app p50", "app p95", "app cpu", "cli p50", "fts5 p50", "rg p50", "rg hits");

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GArray) app = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) app_cpu = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) cli = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) rgt = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GlossQuery) parsed = gloss_query_parse (queries[q].query, NULL);
      guint found = 0;
      guint rg_files = 0;
      char rg_text[32] = "-";
      char bare_text[32] = "-";
      const char *only = g_getenv ("GLOSS_BENCH_QUERY");

      /* GLOSS_BENCH_QUERY=text: just the queries holding it. */
      if (only != NULL && strstr (queries[q].query, only) == NULL)
        continue;

      /* The app and the bare FTS5 query take turns, so that both see the
       * same load on a shared machine. */
      for (guint r = 0; r < app_reps; r++)
        {
          g_autoptr(GListModel) results = NULL;
          double t, c0 = cpu_now ();

          t0 = now ();
          results = gloss_index_search (index, queries[q].query, 50, NULL, NULL);
          t = (now () - t0) * 1000;
          g_array_append_val (app, t);
          g_array_append_val (app_all, t);
          t = (cpu_now () - c0) * 1000;
          g_array_append_val (app_cpu, t);
          g_array_append_val (app_cpu_all, t);
          found = results ? g_list_model_get_n_items (results) : 0;

          if (db != NULL && parsed != NULL && gloss_query_get_fts_match (parsed) != NULL)
            {
              t = time_bare_fts (db, gloss_query_get_fts_match (parsed)) * 1000;
              g_array_append_val (bare, t);
            }
        }
      if (bare->len > 0)
        g_snprintf (bare_text, sizeof bare_text, "%.2f", percentile (bare, 0.5));

      for (guint r = 0; r < cli_reps; r++)
        {
          g_autoptr(GString) out = g_string_new (NULL);
          g_autoptr(GString) err = g_string_new (NULL);
          double t;

          t0 = now ();
          gloss_cli_search (folder, queries[q].query, FALSE, 20, out, err);
          t = (now () - t0) * 1000;
          g_array_append_val (cli, t);
          g_array_append_val (cli_all, t);
        }


      if (rg != NULL && queries[q].rg != NULL)
        {
          double ratio;

          for (guint r = 0; r < 3; r++)
            {
              double t = time_rg (rg, queries[q].rg, clips_dir, &rg_files) * 1000;
              g_array_append_val (rgt, t);
            }
          g_snprintf (rg_text, sizeof rg_text, "%.1f", percentile (rgt, 0.5));
          ratio = percentile (rgt, 0.5) / percentile (app, 0.5);
          g_array_append_val (rg_ratio, ratio);
        }

      printf ("%-14s %-28s %6u %8.2f %8.2f %8.2f %8.1f %8s %9s %7s\n",
              queries[q].kind, queries[q].query, found,
              percentile (app, 0.5), percentile (app, 0.95), percentile (app_cpu, 0.5),
              percentile (cli, 0.5),
              bare_text, rg_text,
              rg && queries[q].rg ? g_strdup_printf ("%u", rg_files) : "-");
    }

  printf ("\nin-app query over the mix: median %.2f ms, p95 %.2f ms (%u runs)\n",
          percentile (app_all, 0.5), percentile (app_all, 0.95), app_all->len);
  printf ("in-app CPU per query:      median %.2f ms, p95 %.2f ms\n",
          percentile (app_cpu_all, 0.5), percentile (app_cpu_all, 0.95));
  {
    double load[3] = { 0 };

    if (getloadavg (load, 3) > 0)
      printf ("load average during the run: %.1f (on %u processors)\n", load[0], g_get_num_processors ());
  }
  printf ("--search over the mix:     median %.1f ms, p95 %.1f ms (%u runs)\n",
          percentile (cli_all, 0.5), percentile (cli_all, 0.95), cli_all->len);
  if (rg == NULL)
    printf ("ripgrep (rg) is not installed: no comparison\n");
  else if (rg_ratio->len > 0)
    printf ("bare FTS5 MATCH … ORDER BY rank LIMIT 50 on the same file (ids only, no rows, no snippets)\n");
  printf ("rg -l -i / in-app median, per comparable query: min %.0fx, median %.0fx\n",
            percentile (rg_ratio, 0.0), percentile (rg_ratio, 0.5));

  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = NULL;
  g_auto(GStrv) sizes = NULL;
  const char *env = g_getenv ("GLOSS_BENCH_SIZES");

  if (argc < 3)
    {
      fprintf (stderr, "Usage: %s GEN-LIBRARY BENCH-DIR [N…]\n", argv[0]);
      return 2;
    }

  /* The index goes where a user's would, under a cache folder of the
   * benchmark's own. */
  cache = g_build_filename (argv[2], "cache", NULL);
  g_mkdir_with_parents (cache, 0700);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  setvbuf (stdout, NULL, _IOLBF, 0);

  if (argc > 3)
    sizes = g_strdupv (argv + 3);
  else
    sizes = g_strsplit_set (env ? env : "10000", " ,", -1);

  printf ("search benchmark on %u processors, SQLite %s\n", g_get_num_processors (), sqlite3_libversion ());
  for (guint i = 0; sizes[i]; i++)
    {
      guint64 n = g_ascii_strtoull (sizes[i], NULL, 10);

      if (n > 0)
        bench (argv[1], argv[2], (guint) n);
    }
  return 0;
}
