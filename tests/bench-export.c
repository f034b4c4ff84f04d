/* bench-export.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* bench-export GEN [N]: generates a library of N clips (10,000 by
 * default) with gloss-gen-library, then times the Markdown export (first
 * and repeated), the combined file and the JSON-LD export, and prints the
 * figures. A benchmark, not a test: it fails only when an export fails. */

#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>

#include "gloss-export.h"
#include "gloss-library.h"
#include "gloss-test-util.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* CPU time of this process, all threads: on a shared machine the wall
 * time also counts other people's work. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
run (const char         *what,
     GlossExportSummary *(*export) (GPtrArray *, GFile *, GlossExportFlags, GError **),
     GPtrArray          *clips,
     GFile              *dest,
     GlossExportFlags    flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossExportSummary) summary = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu = cpu_seconds ();
  double s;

  summary = export (clips, dest, flags, &error);
  s = seconds_since (start);
  cpu = cpu_seconds () - cpu;
  if (summary == NULL)
    {
      g_printerr ("%s failed: %s\n", what, error->message);
      exit (1);
    }
  printf ("%-34s %6.2f s wall, %6.2f s CPU  (%u clips, %u highlights, %u files written, %u unchanged)\n",
          what, s, cpu, summary->clips, summary->annotations, summary->files_written,
          summary->files_unchanged);
}

static GlossExportSummary *
markdown (GPtrArray        *clips,
          GFile            *dest,
          GlossExportFlags  flags,
          GError          **error)
{
  return gloss_export_markdown (clips, dest, NULL, flags, NULL, NULL, NULL, error);
}

static GlossExportSummary *
jsonld (GPtrArray        *clips,
        GFile            *dest,
        GlossExportFlags  flags,
        GError          **error)
{
  return gloss_export_jsonld (clips, dest, flags, NULL, NULL, NULL, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lib_dir = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *md_dir = NULL;
  g_autofree char *combined = NULL;
  g_autofree char *ld_file = NULL;
  g_autofree char *jl_file = NULL;
  g_autofree char *n_text = NULL;
  g_autoptr(GFile) lib_folder = NULL;
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GPtrArray) clips = NULL;
  g_autoptr(GFile) md = NULL;
  g_autoptr(GFile) comb = NULL;
  g_autoptr(GFile) ld = NULL;
  g_autoptr(GFile) jl = NULL;
  const char *gen;
  guint n = 10000;
  int status = 0;
  gint64 start;
  guint annotations = 0;

  gloss_test_init (&argc, &argv);
  if (argc < 2)
    {
      g_printerr ("Usage: %s GEN-LIBRARY [N]\n", argv[0]);
      return 2;
    }
  gen = argv[1];
  if (argc > 2)
    n = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  if (g_getenv ("GLOSS_BENCH_N") != NULL)
    n = (guint) g_ascii_strtoull (g_getenv ("GLOSS_BENCH_N"), NULL, 10);

  lib_dir = gloss_test_make_dir ("bench-library");
  out_dir = gloss_test_make_dir ("bench-out");
  n_text = g_strdup_printf ("%u", n);

  start = g_get_monotonic_time ();
  {
    const char *gen_argv[] = { gen, lib_dir, n_text, "--seed", "7", NULL };
    if (!g_spawn_sync (NULL, (char **) gen_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                       NULL, NULL, &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      {
        g_printerr ("gloss-gen-library failed: %s\n", error->message);
        return 1;
      }
  }
  printf ("%-34s %6.2f s  (%u clips)\n", "generate library", seconds_since (start), n);

  lib_folder = g_file_new_for_path (lib_dir);
  library = gloss_library_new (lib_folder);
  start = g_get_monotonic_time ();
  if (!gloss_library_load (library, NULL, &error))
    {
      g_printerr ("load failed: %s\n", error->message);
      return 1;
    }
  clips = gloss_export_collect_clips (library, NULL, &error);
  for (guint i = 0; i < clips->len; i++)
    annotations += gloss_clip_get_n_annotations (g_ptr_array_index (clips, i));
  printf ("%-34s %6.2f s  (%u clips, %u highlights)\n", "load library (not part of export)",
          seconds_since (start), clips->len, annotations);

  md_dir = g_build_filename (out_dir, "markdown", NULL);
  combined = g_build_filename (out_dir, "all.md", NULL);
  ld_file = g_build_filename (out_dir, "export.jsonld", NULL);
  jl_file = g_build_filename (out_dir, "export.jsonl", NULL);
  md = g_file_new_for_path (md_dir);
  comb = g_file_new_for_path (combined);
  ld = g_file_new_for_path (ld_file);
  jl = g_file_new_for_path (jl_file);

  run ("Markdown, one file per clip", markdown, clips, md, GLOSS_EXPORT_NONE);
  run ("Markdown again (re-export)", markdown, clips, md, GLOSS_EXPORT_NONE);
  run ("Markdown, one combined file", markdown, clips, comb, GLOSS_EXPORT_COMBINED);
  run ("JSON-LD AnnotationCollection", jsonld, clips, ld, GLOSS_EXPORT_NONE);
  run ("JSON-LD, one annotation a line", jsonld, clips, jl, GLOSS_EXPORT_JSON_LINES);

  return 0;
}
