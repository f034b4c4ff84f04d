/* gloss-export-sample.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* gloss-export-sample DIR: writes DIR/export.jsonld and DIR/export.jsonl
 * from a small library of hostile clips, for check-jsonld.py to validate
 * with a JSON Schema validator. */

#include "config.h"

#include <stdio.h>

#include "gloss-export.h"
#include "gloss-test-export-clips.h"
#include "gloss-test-util.h"

static const char article[] =
  "# heading in the text\n\n"
  "Quotes \"in\" it, a back\\slash, <tags> & entities &amp;.\n\n"
  "The same words twice. The same words twice.\n\n"
  "Ünïcödé: “quotes” — 🎉 done.";

static const GlossTestHighlight highlights[] = {
  { "# heading in the text", "yellow", NULL },
  { "Quotes \"in\" it, a back\\slash, <tags> & entities &amp;.", "green", "A note with \"quotes\"\nand two lines" },
  { "The same words twice.", "pink", "" },
  { "Ünïcödé: “quotes” — 🎉 done.", "purple", "🎉" },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GPtrArray) clips = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ld = NULL;
  g_autofree char *jl = NULL;
  g_autoptr(GFile) ld_file = NULL;
  g_autoptr(GFile) jl_file = NULL;
  g_autoptr(GlossExportSummary) s1 = NULL;
  g_autoptr(GlossExportSummary) s2 = NULL;
  const char *tags[] = { "tag one", "Tag: \"two\"", NULL };

  gloss_test_init (&argc, &argv);
  if (argc < 2)
    {
      g_printerr ("Usage: %s DIR\n", argv[0]);
      return 2;
    }

  library = gloss_test_library_new ("sample");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://example.org/page/%u?a=1&b=2", i);
      GlossClip *clip = gloss_test_add_clip (library, url, i == 1 ? "" : "Title: \"hostile\"\n---",
                                             article, highlights, i == 2 ? 0 : G_N_ELEMENTS (highlights));

      gloss_clip_set_tags (clip, tags);
      if (i == 0)
        gloss_clip_set_note (clip, "Page note, **Markdown**.");
      gloss_clip_set_byline (clip, "Jane Doe");
      gloss_library_save (library, clip, NULL);
    }

  clips = gloss_export_collect_clips (library, NULL, &error);
  ld = g_build_filename (argv[1], "export.jsonld", NULL);
  jl = g_build_filename (argv[1], "export.jsonl", NULL);
  ld_file = g_file_new_for_path (ld);
  jl_file = g_file_new_for_path (jl);
  s1 = gloss_export_jsonld (clips, ld_file, GLOSS_EXPORT_NONE, NULL, NULL, NULL, &error);
  if (s1 != NULL)
    s2 = gloss_export_jsonld (clips, jl_file, GLOSS_EXPORT_JSON_LINES, NULL, NULL, NULL, &error);
  if (s2 == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
