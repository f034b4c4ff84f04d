/* bench-import.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* bench-import: keep first, with no network. Writes a Pocket CSV of
 * 10,000 rows and an Omnivore export zip of 1,000 articles with 5
 * highlights each, imports each into an empty library (as `gloss
 * --import` does: read, then keep every item) and prints the figures
 * against the targets (5 s and 20 s, wall time; the CPU time is printed
 * too, as the machine may be shared); then imports each again (nothing
 * to add). A benchmark, not a test: it fails only when an import fails or
 * keeps the wrong number of things. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "gloss-import.h"
#include "gloss-library.h"
#include "gloss-test-util.h"

/* CPU time of this process: in its own code (user) and in the kernel
 * (sys: mostly the file system making folders and files). */
static double
cpu_seconds (double *sys)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  *sys = usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6;
}

/* --- a stored zip, enough for the benchmark's own archive --------------- */

static guint32 crc_table[256];

static guint32
crc32 (const guchar *data,
       gsize         length)
{
  guint32 crc = 0xffffffffu;

  if (crc_table[1] == 0)
    for (guint32 n = 0; n < 256; n++)
      {
        guint32 c = n;

        for (int k = 0; k < 8; k++)
          c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
      }
  for (gsize i = 0; i < length; i++)
    crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

static void
put16 (GByteArray *out,
       guint       v)
{
  guint8 b[2] = { v & 0xff, (v >> 8) & 0xff };

  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  g_byte_array_append (out, b, 4);
}

typedef struct
{
  GByteArray *data;
  GByteArray *directory;
  guint       n;
} Zip;

static void
zip_add (Zip        *zip,
         const char *name,
         const char *contents)
{
  gsize length = strlen (contents);
  guint32 crc = crc32 ((const guchar *) contents, length);
  guint32 offset = zip->data->len;

  put32 (zip->data, 0x04034b50);
  put16 (zip->data, 20); put16 (zip->data, 0); put16 (zip->data, 0);
  put16 (zip->data, 0); put16 (zip->data, 0);
  put32 (zip->data, crc); put32 (zip->data, length); put32 (zip->data, length);
  put16 (zip->data, strlen (name)); put16 (zip->data, 0);
  g_byte_array_append (zip->data, (const guint8 *) name, strlen (name));
  g_byte_array_append (zip->data, (const guint8 *) contents, length);

  put32 (zip->directory, 0x02014b50);
  put16 (zip->directory, 20); put16 (zip->directory, 20); put16 (zip->directory, 0);
  put16 (zip->directory, 0); put16 (zip->directory, 0); put16 (zip->directory, 0);
  put32 (zip->directory, crc); put32 (zip->directory, length); put32 (zip->directory, length);
  put16 (zip->directory, strlen (name)); put16 (zip->directory, 0); put16 (zip->directory, 0);
  put16 (zip->directory, 0); put16 (zip->directory, 0); put32 (zip->directory, 0);
  put32 (zip->directory, offset);
  g_byte_array_append (zip->directory, (const guint8 *) name, strlen (name));
  zip->n++;
}

static GBytes *
zip_finish (Zip *zip)
{
  guint32 offset = zip->data->len;

  g_byte_array_append (zip->data, zip->directory->data, zip->directory->len);
  put32 (zip->data, 0x06054b50);
  put16 (zip->data, 0); put16 (zip->data, 0);
  put16 (zip->data, zip->n); put16 (zip->data, zip->n);
  put32 (zip->data, zip->directory->len); put32 (zip->data, offset);
  put16 (zip->data, 0);
  g_byte_array_unref (zip->directory);
  return g_byte_array_free_to_bytes (zip->data);
}

/* --- the exports ---------------------------------------------------------- */

static char *
pocket_csv (guint rows)
{
  GString *csv = g_string_new ("title,url,time_added,cursor,tags,status\n");

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (csv, "\"Article %u, on things\",https://site%u.example.com/article/%u,%u,%u,%s,%s\n",
                            i, i % 50, i, 1600000000 + i * 60, i, i % 3 ? "news|long read" : "",
                            i % 2 ? "unread" : "archive");
  return g_string_free (csv, FALSE);
}

static GBytes *
omnivore_zip (guint articles,
              guint highlights)
{
  Zip zip = { g_byte_array_new (), g_byte_array_new (), 0 };
  g_autoptr(GString) metadata = g_string_new ("[");

  for (guint i = 0; i < articles; i++)
    {
      g_autoptr(GString) html = g_string_new ("<div class=\"page\"><h1>Article</h1>");
      g_autoptr(GString) md = g_string_new (NULL);
      g_autofree char *slug = g_strdup_printf ("article-%u", i);
      g_autofree char *content_name = g_strdup_printf ("content/%s.html", slug);
      g_autofree char *highlights_name = g_strdup_printf ("highlights/%s.md", slug);

      g_string_append_printf (metadata,
                              "%s{\"id\":\"id-%u\",\"slug\":\"%s\",\"title\":\"Article %u\",\"author\":\"A. Writer\","
                              "\"url\":\"https://site%u.example.org/%s\",\"state\":\"SUCCEEDED\",\"readingProgress\":%u,"
                              "\"labels\":[\"label%u\"],\"savedAt\":\"2024-01-01T00:00:00.000Z\"}",
                              i ? "," : "", i, slug, i, i % 40, slug, i % 100, i % 7);
      for (guint p = 0; p < 40; p++)
        g_string_append_printf (html, "<p>Paragraph %u of article %u says something about the subject "
                                "at some length, with <em>emphasis</em> and a <a href=\"https://x.example/\">link</a>.</p>\n",
                                p, i);
      g_string_append (html, "</div>");
      for (guint h = 0; h < highlights; h++)
        g_string_append_printf (md, "> Paragraph %u of article %u says something \n\n#tag%u\n\nNote %u.\n\n",
                                h * 7, i, h, h);
      zip_add (&zip, content_name, html->str);
      zip_add (&zip, highlights_name, md->str);
    }
  g_string_append (metadata, "]");
  zip_add (&zip, "metadata_0_to_1000.json", metadata->str);
  return zip_finish (&zip);
}

static void
run (const char *what,
     const char *path,
     double      target,
     guint       expected_clips,
     guint       expected_annotations)
{
  g_autofree char *name = g_strdup_printf ("library-%s", what);
  g_autofree char *dir = gloss_test_make_dir (name);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GlossLibrary) library = gloss_library_new (folder);
      g_autoptr(GlossImportPlan) plan = NULL;
      g_autoptr(GlossImportSummary) summary = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double sys = 0;
      double user = cpu_seconds (&sys);
      double sys_now = 0;
      double s;

      if (!gloss_library_load (library, NULL, &error) ||
          !(plan = gloss_import_read (file, NULL, &error)) ||
          !(summary = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error)))
        {
          g_printerr ("%s: %s\n", what, error->message);
          exit (1);
        }
      s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      user = cpu_seconds (&sys_now) - user;
      sys = sys_now - sys;
      printf ("%-34s %s: %7.2f s wall, %5.2f s CPU (user %.2f, sys %.2f); %u clips added (%u with article), %u highlights added, %u orphans%s\n",
              what, round == 0 ? "first " : "again ", s, user + sys, user, sys, summary->clips_added, summary->articles,
              summary->annotations_added, summary->orphans,
              round == 0 ? (s <= target ? "  [target met]" : "  [TARGET MISSED]") : "");
      fflush (stdout);
      if (round == 0 && (summary->clips_added != expected_clips ||
                         summary->annotations_added != expected_annotations))
        {
          g_printerr ("%s: expected %u clips and %u highlights\n", what, expected_clips, expected_annotations);
          exit (1);
        }
      if (round == 1 && (summary->clips_added != 0 || summary->annotations_added != 0))
        {
          g_printerr ("%s: the second import added something\n", what);
          exit (1);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *zip_path = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GError) error = NULL;

  gloss_test_init (&argc, &argv);
  dir = gloss_test_make_dir ("bench-import");
  csv_path = g_build_filename (dir, "pocket.csv", NULL);
  zip_path = g_build_filename (dir, "omnivore.zip", NULL);

  csv = pocket_csv (10000);
  zip = omnivore_zip (1000, 5);
  if (!g_file_set_contents (csv_path, csv, -1, &error) ||
      !g_file_set_contents (zip_path, g_bytes_get_data (zip, NULL), g_bytes_get_size (zip), &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("Pocket CSV: 10,000 rows, %.1f MB; Omnivore zip: 1,000 articles, 5 highlights each, %.1f MB\n",
          strlen (csv) / 1e6, g_bytes_get_size (zip) / 1e6);
  /* The machine may be shared: wall times mean little without it. */
  {
    g_autofree char *load = NULL;

    if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
      printf ("Load average (1, 5, 15 min): %.*s\n", (int) strcspn (load, "\n"), load);
  }

  run ("Pocket CSV, 10,000 rows (≤ 5 s)", csv_path, 5.0, 10000, 0);
  run ("Omnivore zip, 1,000 × 5 (≤ 20 s)", zip_path, 20.0, 1000, 5000);
  return 0;
}
