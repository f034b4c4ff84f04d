/* bench-search-provider.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* bench-search-provider GEN-LIBRARY BENCH-DIR [N]: the Shell search
 * provider over a generated library of N clips (10,000 by default), as
 * the Shell sees it: the program of the build folder started by D-Bus
 * activation on a private bus, and the round trip of GetInitialResultSet
 * and GetResultMetas per query, median and p95, once the index is open,
 * and the CPU time the provider's process spent per query (from
 * /proc/PID/stat): on a loaded, shared machine the wall time says what a
 * query cost today, the CPU time what it costs.
 * The library and the index are kept under BENCH-DIR (shared with
 * bench-search). Figures, not a pass/fail. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gloss-test-activation.h"
#include "gloss-test-util.h"

static const char * const queries[] = {
  "mensah", "xylophone", "government", "the", "budget minister", "\"peace talks\"",
  "negot*", "zurich", "drought OR flood", "treaty -sanctions", "tag:climate energy",
  "title:harbour", "note:numbers", "color:pink has:notes",
};

#define REPS 15

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static guint32 provider_pid;

/* User and system time of the provider's process, in seconds. */
static double
provider_cpu (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/stat", provider_pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (provider_pid == 0 || !g_file_get_contents (path, &stat, NULL, NULL) ||
      !(after_name = strrchr (stat, ')')))
    return 0;
  /* Fields after the name: state is the 3rd field, utime the 14th. */
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* The CPU times are clock ticks that land in one call or another: only
 * their sum over many calls says something. */
static double
mean (GArray *values)
{
  double sum = 0;

  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  return values->len > 0 ? sum / values->len : 0;
}

static GVariant *
call (GDBusConnection *connection,
      const char      *method,
      GVariant        *parameters,
      const char      *reply_type)
{
  g_autofree char *path = g_strconcat (gloss_test_activation_path (), "/SearchProvider", NULL);
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (connection, APP_ID, path, "org.gnome.Shell.SearchProvider2",
                                       method, parameters, G_VARIANT_TYPE (reply_type),
                                       G_DBUS_CALL_FLAGS_NONE, 600000, NULL, &error);
  if (reply == NULL)
    {
      printf ("%s failed: %s\n", method, error->message);
      exit (1);
    }
  return reply;
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

  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    return TRUE;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      printf ("could not generate the library: %s\n", error->message);
      return FALSE;
    }
  return g_file_set_contents (marker, "", 0, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cache = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) metas_all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_all = g_array_new (FALSE, FALSE, sizeof (double));
  GTestDBus *bus;
  guint n = 10000;
  double t0;

  gloss_test_init (&argc, &argv);
  if (argc < 3)
    {
      fprintf (stderr, "Usage: %s GEN-LIBRARY BENCH-DIR [N]\n", argv[0]);
      return 2;
    }
  if (argc > 3)
    n = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  setvbuf (stdout, NULL, _IOLBF, 0);

  name = g_strdup_printf ("lib-%u", n);
  dir = g_build_filename (argv[2], name, NULL);
  cache = g_build_filename (argv[2], "cache", NULL);
  g_mkdir_with_parents (cache, 0700);
  t0 = now ();
  if (!ensure_library (argv[1], dir, n))
    return 1;
  printf ("library: %u clips in %s (%.1f s)\n", n, dir, now () - t0);

  /* The activated program reads these. */
  g_setenv ("GLOSS_LIBRARY", dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  bus = gloss_test_activation_bus_up ();
  connection = gloss_test_activation_connect (bus);

  /* Start-up: activation, opening (or building) the index, first query. */
  t0 = now ();
  g_variant_unref (call (connection, "GetInitialResultSet",
                         g_variant_new ("(^as)", (const char *[]) { "minister", NULL }), "(as)"));
  printf ("first GetInitialResultSet (activation, index open or build): %.0f ms\n", (now () - t0) * 1000);
  {
    g_autoptr(GVariant) reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                             "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                                             g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(u)"),
                                                             G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
    if (reply != NULL)
      g_variant_get (reply, "(u)", &provider_pid);
  }

  printf ("%-24s %8s %8s %8s %8s %6s\n", "query", "median", "p95", "CPU mean", "metas", "ids");
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) meta_times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
      g_auto(GStrv) terms = g_strsplit (queries[q], " ", -1);
      gsize n_ids = 0;

      for (guint r = 0; r < REPS; r++)
        {
          g_autoptr(GVariant) reply = NULL;
          g_autoptr(GVariant) metas = NULL;
          g_autofree const char **ids = NULL;
          double t;

          double c0 = provider_cpu ();

          t0 = now ();
          reply = call (connection, "GetInitialResultSet", g_variant_new ("(^as)", terms), "(as)");
          t = (now () - t0) * 1000;
          g_array_append_val (times, t);
          g_array_append_val (all, t);
          t = (provider_cpu () - c0) * 1000;
          g_array_append_val (cpu_times, t);
          g_array_append_val (cpu_all, t);

          g_variant_get (reply, "(^a&s)", &ids);
          n_ids = g_strv_length ((char **) ids);
          t0 = now ();
          metas = call (connection, "GetResultMetas", g_variant_new ("(^as)", ids), "(aa{sv})");
          t = (now () - t0) * 1000;
          g_array_append_val (meta_times, t);
          g_array_append_val (metas_all, t);
        }

      g_array_sort (times, compare_doubles);
      g_array_sort (meta_times, compare_doubles);
      g_array_sort (cpu_times, compare_doubles);
      printf ("%-24s %6.1f ms %6.1f ms %6.1f ms %6.1f ms %6" G_GSIZE_FORMAT "\n", queries[q],
              g_array_index (times, double, REPS / 2),
              g_array_index (times, double, (REPS * 95) / 100),
              mean (cpu_times),
              g_array_index (meta_times, double, REPS / 2), n_ids);
    }

  g_array_sort (all, compare_doubles);
  g_array_sort (metas_all, compare_doubles);
  printf ("GetInitialResultSet over all queries, %u clips: median %.1f ms, p95 %.1f ms, max %.1f ms (target ≤ 50 ms)\n",
          n, g_array_index (all, double, all->len / 2), g_array_index (all, double, (all->len * 95) / 100),
          g_array_index (all, double, all->len - 1));
  g_array_sort (cpu_all, compare_doubles);
  printf ("CPU time of the provider's process per GetInitialResultSet: mean %.1f ms "
          "(summed from clock ticks of %.0f ms)\n", mean (cpu_all), 1000.0 / sysconf (_SC_CLK_TCK));
  printf ("GetResultMetas: median %.1f ms\n", g_array_index (metas_all, double, metas_all->len / 2));

  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_clear_object (&connection);
  g_test_dbus_down (bus);
  g_object_unref (bus);
  return 0;
}
