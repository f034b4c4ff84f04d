/* test-export.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Export of a real library: Markdown files read back with cmark and
 * libyaml, re-export into the same folder, the library left untouched,
 * JSON-LD round trips through the import, and the command line. */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "gloss-cli-export.h"
#include "gloss-error.h"
#include "gloss-export.h"
#include "gloss-import.h"
#include "gloss-test-export-clips.h"
#include "gloss-test-cmark.h"
#include "gloss-test-util.h"

static const char article[] =
  "# heading in the text\n\n"
  "1. item and > quote and |table| and *stars*\n\n"
  "A <tag> and a [link](x) here. The same words twice. The same words twice.\n\n"
  "First paragraph of a long quote.\n\n"
  "Second paragraph of it, with ---\n\n"
  "Ünïcödé: “quotes” — 🎉 & done.";

static const GlossTestHighlight highlights[] = {
  { "# heading in the text", "yellow", "## not a heading" },
  { "1. item and > quote and |table| and *stars*", "green", NULL },
  { "A <tag> and a [link](x) here.", "blue", "<b>bold?</b> [no](link)" },
  { "The same words twice.", "pink", "first one" },
  { "First paragraph of a long quote.\n\nSecond paragraph of it, with ---", "purple", "- a\n- b" },
  { "Ünïcödé: “quotes” — 🎉 & done.", "yellow", "&amp; \\ `x`" },
};

static const char * const titles[] = {
  "Title: with a colon", "\"Quoted\" 'title'", "---", "# Leading hash",
  "Two\nlines", "Same title", "Same title", "",
};

static GlossLibrary *
make_library (const char *name)
{
  GlossLibrary *library = gloss_test_library_new (name);

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autofree char *url = g_strdup_printf ("https://example.org/article/%u?x=1&y=(2)", i);
      GlossClip *clip = gloss_test_add_clip (library, url, titles[i], article,
                                             highlights, G_N_ELEMENTS (highlights));
      const char *tags[] = { "tag one", "Tag: two", NULL };

      gloss_clip_set_tags (clip, tags);
      gloss_clip_set_note (clip, "Page note with **Markdown**.");
      gloss_clip_set_byline (clip, "Jane \"JD\" Doe");
      g_assert_true (gloss_library_save (library, clip, NULL));
    }
  return library;
}

static char *
library_path (GlossLibrary *library)
{
  return g_file_get_path (gloss_library_get_folder (library));
}

/* g_ptr_array_sort() hands the comparison pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
md_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".md"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

/* Every highlight and note of the file comes back from cmark as text. */
static void
check_file (const char *path)
{
  g_autofree char *md = gloss_test_read_file (path);
  g_autoptr(GPtrArray) blocks = NULL;
  const char *body;
  guint found = 0;

  g_assert_true (g_str_has_prefix (md, "---\ngloss_id: \""));
  body = strstr (md + 4, "\n---\n");
  g_assert_nonnull (body);
  blocks = gloss_test_cmark_blocks (body + 5);

  for (guint h = 0; h < G_N_ELEMENTS (highlights); h++)
    {
      g_autofree char *quote = gloss_test_normalize (highlights[h].exact, "\n");
      g_autofree char *want = g_strconcat ("Q:", quote, NULL);

      for (guint b = 0; b < blocks->len; b++)
        if (g_str_equal (g_ptr_array_index (blocks, b), want))
          {
            found++;
            if (highlights[h].note != NULL)
              {
                g_autofree char *note = gloss_test_normalize (highlights[h].note, "\n");
                g_auto(GStrv) lines = g_strsplit (note, "\n", -1);

                for (guint l = 0; lines[l] != NULL; l++)
                  {
                    g_autofree char *p = g_strconcat ("P:", lines[l], NULL);
                    g_assert_cmpstr (g_ptr_array_index (blocks, b + 2 + l), ==, p);
                  }
              }
            break;
          }
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (highlights));
}

static void
test_markdown_folder (void)
{
  g_autoptr(GlossLibrary) library = make_library ("lib-md");
  g_autofree char *lib = library_path (library);
  g_autofree char *before = gloss_test_snapshot_tree (lib);
  g_autofree char *after = NULL;
  g_autofree char *dir = gloss_test_make_dir ("out-md");
  g_autoptr(GFile) dest = g_file_new_for_path (dir);
  g_autoptr(GPtrArray) clips = gloss_export_collect_clips (library, NULL, NULL);
  g_autoptr(GlossExportSummary) s1 = NULL;
  g_autoptr(GlossExportSummary) s2 = NULL;
  g_autoptr(GlossExportSummary) s3 = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  GlossClip *renamed;

  s1 = gloss_export_markdown (clips, dest, NULL, GLOSS_EXPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s1->clips, ==, G_N_ELEMENTS (titles));
  g_assert_cmpuint (s1->files_written, ==, G_N_ELEMENTS (titles));

  files = md_files (dir);
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (titles));
  for (guint i = 0; i < files->len; i++)
    {
      const char *name = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_test_message ("%s", name);
      g_assert_cmpuint (strlen (name), <=, 100);
      g_assert_false (name[0] == '.' || name[0] == '-');
      check_file (path);
    }
  /* Two clips with one title get two files. */
  g_assert_true (g_ptr_array_find_with_equal_func (files, "same-title.md", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (files, "same-title-2.md", g_str_equal, NULL));

  /* Again: nothing new, nothing changed. */
  s2 = gloss_export_markdown (clips, dest, NULL, GLOSS_EXPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s2->files_unchanged, ==, G_N_ELEMENTS (titles));
  g_assert_cmpuint (s2->files_written, ==, 0);

  /* A clip whose title changed keeps its file. */
  renamed = g_ptr_array_index (clips, 0);
  gloss_clip_set_title (renamed, "A completely new title");
  g_assert_true (gloss_library_save (library, renamed, NULL));
  g_clear_pointer (&before, g_free);
  before = gloss_test_snapshot_tree (lib);
  s3 = gloss_export_markdown (clips, dest, NULL, GLOSS_EXPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s3->files_written, ==, 1);
  g_clear_pointer (&files, g_ptr_array_unref);
  files = md_files (dir);
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (titles));

  /* A file changed by hand is written again; the others are left alone. */
  {
    g_autofree char *path = g_build_filename (dir, "same-title.md", NULL);
    g_autofree char *good = gloss_test_read_file (path);
    g_autofree char *edited = g_strconcat (good, "\nA line added by hand.\n", NULL);
    g_autofree char *back = NULL;
    g_autoptr(GlossExportSummary) s4 = NULL;

    gloss_test_write_file (dir, "same-title.md", edited);
    s4 = gloss_export_markdown (clips, dest, NULL, GLOSS_EXPORT_NONE, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (s4->files_written, ==, 1);
    g_assert_cmpuint (s4->files_unchanged, ==, G_N_ELEMENTS (titles) - 1);
    back = gloss_test_read_file (path);
    g_assert_cmpstr (back, ==, good);
  }

  /* The export never wrote into the library. */
  after = gloss_test_snapshot_tree (lib);
  g_assert_cmpstr (before, ==, after);
}

static void
test_markdown_refuses_library (void)
{
  g_autoptr(GlossLibrary) library = make_library ("lib-refuse");
  g_autoptr(GPtrArray) clips = gloss_export_collect_clips (library, NULL, NULL);
  g_autoptr(GFile) clips_dir = gloss_library_get_clips_folder (library) ? g_object_ref (gloss_library_get_clips_folder (library)) : NULL;
  g_autoptr(GFile) inside = g_file_get_child (clips_dir, "export");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossExportSummary) summary = NULL;

  summary = gloss_export_markdown (clips, inside, NULL, GLOSS_EXPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
  g_assert_false (g_file_query_exists (inside, NULL));
}

static void
test_markdown_combined_and_template (void)
{
  g_autoptr(GlossLibrary) library = make_library ("lib-combined");
  g_autofree char *dir = gloss_test_make_dir ("out-combined");
  g_autofree char *file = g_build_filename (dir, "all.md", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (file);
  g_autoptr(GPtrArray) clips = gloss_export_collect_clips (library, NULL, NULL);
  g_autoptr(GlossExportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *md = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  g_autofree char *tdir = gloss_test_make_dir ("templates");
  g_autofree char *tpath = g_build_filename (tdir, "bad.md", NULL);
  g_autoptr(GFile) tfile = g_file_new_for_path (tpath);
  g_autofree char *outdir = gloss_test_make_dir ("out-template");
  g_autoptr(GFile) tdest = g_file_new_for_path (outdir);

  summary = gloss_export_markdown (clips, dest, NULL, GLOSS_EXPORT_COMBINED, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  md = gloss_test_read_file (file);
  /* cmark knows no front matter: parse what follows it. */
  g_assert_true (g_str_has_prefix (md, "---\n"));
  g_assert_nonnull (strstr (md + 4, "\n---\n"));
  blocks = gloss_test_cmark_blocks (strstr (md + 4, "\n---\n") + 5);
  {
    guint h2 = 0, quotes = 0;
    for (guint i = 0; i < blocks->len; i++)
      {
        const char *b = g_ptr_array_index (blocks, i);
        h2 += g_str_has_prefix (b, "H2:");
        quotes += g_str_has_prefix (b, "Q:");
      }
    g_assert_cmpuint (h2, ==, G_N_ELEMENTS (titles));
    g_assert_cmpuint (quotes, ==, G_N_ELEMENTS (titles) * G_N_ELEMENTS (highlights));
  }

  /* A broken user template is a clear message, and nothing is written. */
  gloss_test_write_file (tdir, "bad.md", "{{#highlights}}\n{{quote}}\n");
  g_clear_pointer (&summary, gloss_export_summary_free);
  summary = gloss_export_markdown (clips, tdest, tfile, GLOSS_EXPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "never closed"));
  g_clear_error (&error);

  gloss_test_write_file (tdir, "good.md",
                         "gloss_id: {{gloss_id}}\n{{#highlights}}- {{quote|line}} ({{color}})\n{{/highlights}}");
  g_clear_object (&tfile);
  g_free (tpath);
  tpath = g_build_filename (tdir, "good.md", NULL);
  tfile = g_file_new_for_path (tpath);
  summary = gloss_export_markdown (clips, tdest, tfile, GLOSS_EXPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->files_written, ==, G_N_ELEMENTS (titles));
}

/* A highlight whose text left the saved article is marked, not lost. */
static void
test_markdown_orphan (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-orphan");
  const GlossTestHighlight hl[] = { { "kept words", "blue", NULL }, { "gone words", "pink", "n" } };
  GlossClip *clip = gloss_test_add_clip (library, "https://example.org/o", "Orphan",
                                         "Some kept words and some gone words.", hl, 2);
  g_autoptr(GPtrArray) clips = gloss_export_collect_clips (library, NULL, NULL);
  g_autofree char *md = NULL;
  g_autoptr(GError) error = NULL;

  gloss_clip_replace_article (clip, "<p>Some kept words only.</p>", "Some kept words only.", &error);
  g_assert_no_error (error);
  md = gloss_export_clip_to_markdown (clip, GLOSS_EXPORT_NONE);
  g_assert_nonnull (strstr (md, "> gone words\n\n*pink* · not found in the saved article"));
  g_assert_nonnull (strstr (md, "> kept words\n\n*blue* · [Open on the page]"));
}

/* The whole article follows the highlights when asked for and when the
 * clip has an article.md; a clip without one is exported without it. */
static void
test_markdown_with_article (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-article");
  const GlossTestHighlight hl[] = { { "words", "blue", NULL } };
  GlossClip *with = gloss_test_add_clip (library, "https://example.org/with", "With", "Some words.", hl, 1);
  GlossClip *without = gloss_test_add_clip (library, "https://example.org/without", "Without", "Some words.", hl, 1);
  g_autofree char *with_dir = g_file_get_path (gloss_clip_get_folder (with));
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  gloss_test_write_file (with_dir, "article.md", "Some *words*.\n\n## A section\n");
  a = gloss_export_clip_to_markdown (with, GLOSS_EXPORT_WITH_ARTICLE);
  b = gloss_export_clip_to_markdown (with, GLOSS_EXPORT_NONE);
  c = gloss_export_clip_to_markdown (without, GLOSS_EXPORT_WITH_ARTICLE);
  g_assert_true (g_str_has_suffix (a, "---\n\n## Article\n\nSome *words*.\n\n## A section\n\n"));
  g_assert_null (strstr (b, "## Article"));
  g_assert_null (strstr (c, "## Article"));
}

/* A clip.json damaged after the library read it (a sync tool, an editor)
 * is left out of the export and counted; nesting deep enough to overflow a
 * recursive parser does not crash it. */
static void
test_damaged_clip_skipped (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-damaged-export");
  const GlossTestHighlight hl[] = { { "words", "blue", NULL } };
  GlossClip *a = gloss_test_add_clip (library, "https://example.org/a", "A", "Some words.", hl, 1);
  GlossClip *b = gloss_test_add_clip (library, "https://example.org/b", "B", "Some words.", hl, 1);
  GlossClip *c = gloss_test_add_clip (library, "https://example.org/c", "C", "Some words.", hl, 1);
  g_autoptr(GPtrArray) clips = gloss_export_collect_clips (library, NULL, NULL);
  g_autofree char *dir = gloss_test_make_dir ("out-damaged");
  g_autoptr(GFile) dest = g_file_new_for_path (dir);
  g_autofree char *a_dir = g_file_get_path (gloss_clip_get_folder (a));
  g_autofree char *b_dir = g_file_get_path (gloss_clip_get_folder (b));
  g_autoptr(GString) deep = g_string_new ("{\"format\": 1, \"x\": ");
  g_autoptr(GlossExportSummary) md = NULL;
  g_autoptr(GlossExportSummary) ld = NULL;
  g_autofree char *ld_path = g_build_filename (dir, "x.jsonld", NULL);
  g_autoptr(GFile) ld_file = g_file_new_for_path (ld_path);
  g_autoptr(GError) error = NULL;

  (void) c;
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  gloss_test_write_file (a_dir, "clip.json", deep->str);
  gloss_test_write_file (b_dir, "clip.json", "{\"format\": 1, \"id\": \"not what the folder says\"");

  md = gloss_export_markdown (clips, dest, NULL, GLOSS_EXPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md->clips, ==, 1);
  g_assert_cmpuint (md->skipped, ==, 2);
  ld = gloss_export_jsonld (clips, ld_file, GLOSS_EXPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ld->clips, ==, 1);
  g_assert_cmpuint (ld->skipped, ==, 2);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GlossExportSummary **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gloss_export_jsonld_finish (result, &error);
  g_assert_no_error (error);
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  guint *last = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, *last);
  *last = done;
}

/* Gloss's JSON-LD, imported into an empty library, gives back every
 * clip's annotations, notes, tags and colours. */
static void
test_jsonld_round_trip (gconstpointer data)
{
  gboolean lines = GPOINTER_TO_INT (data);
  g_autoptr(GlossLibrary) library = make_library (lines ? "lib-jl" : "lib-ld");
  g_autoptr(GlossLibrary) empty = gloss_test_library_new (lines ? "empty-jl" : "empty-ld");
  g_autofree char *dir = gloss_test_make_dir (lines ? "out-jl" : "out-ld");
  g_autofree char *file = g_build_filename (dir, "export.jsonld", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (file);
  g_autoptr(GPtrArray) clips = gloss_export_collect_clips (library, NULL, NULL);
  g_autoptr(GlossExportSummary) summary = NULL;
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) s1 = NULL;
  g_autoptr(GlossImportSummary) s2 = NULL;
  g_autoptr(GError) error = NULL;
  guint last = 0;

  gloss_export_jsonld_async (clips, dest, lines ? GLOSS_EXPORT_JSON_LINES : GLOSS_EXPORT_NONE,
                             progress_cb, &last, NULL, NULL, done_cb, &summary);
  while (summary == NULL)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (last, ==, clips->len);
  g_assert_cmpuint (summary->annotations, ==, G_N_ELEMENTS (titles) * G_N_ELEMENTS (highlights));

  plan = gloss_import_read (dest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gloss_import_plan_get_format (plan), ==, GLOSS_IMPORT_FORMAT_W3C);
  g_assert_cmpuint (gloss_import_plan_get_n_pages (plan), ==, G_N_ELEMENTS (titles));

  s1 = gloss_import_apply (plan, empty, GLOSS_IMPORT_CREATE_PLACEHOLDERS, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s1->annotations_added, ==, G_N_ELEMENTS (titles) * G_N_ELEMENTS (highlights));
  g_assert_cmpuint (s1->orphans, ==, 0);
  g_assert_cmpuint (s1->clips_added, ==, G_N_ELEMENTS (titles));

  for (guint i = 0; i < clips->len; i++)
    {
      GlossClip *original = g_ptr_array_index (clips, i);
      GlossClip *copy = gloss_library_find_by_url (empty, gloss_clip_get_url (original));
      GListModel *a = gloss_clip_get_annotations (original);
      GListModel *b;

      g_assert_nonnull (copy);
      b = gloss_clip_get_annotations (copy);
      g_assert_cmpstr (gloss_clip_get_title (copy), ==, gloss_clip_get_title (original)[0] ? gloss_clip_get_title (original) : gloss_clip_get_url (original));
      g_assert_cmpstr (gloss_clip_get_note (copy), ==, gloss_clip_get_note (original));
      g_assert_cmpstr (gloss_clip_get_byline (copy), ==, gloss_clip_get_byline (original));
      g_assert_true (g_strv_equal (gloss_clip_get_tags (copy), gloss_clip_get_tags (original)));
      g_assert_cmpuint (g_list_model_get_n_items (b), ==, g_list_model_get_n_items (a));
      for (guint j = 0; j < g_list_model_get_n_items (a); j++)
        {
          g_autoptr(GlossAnnotation) x = g_list_model_get_item (a, j);
          GlossAnnotation *y = gloss_clip_find_annotation (copy, gloss_annotation_get_id (x));

          g_assert_nonnull (y);
          g_assert_cmpstr (gloss_annotation_get_exact (y), ==, gloss_annotation_get_exact (x));
          g_assert_cmpstr (gloss_annotation_get_note (y), ==, gloss_annotation_get_note (x));
          g_assert_cmpint (gloss_annotation_get_color (y), ==, gloss_annotation_get_color (x));
          g_assert_cmpstr (gloss_annotation_get_created (y), ==, gloss_annotation_get_created (x));
          /* The saved article was still there: the same places. */
          g_assert_cmpuint (gloss_annotation_get_start (y), ==, gloss_annotation_get_start (x));
          g_assert_cmpuint (gloss_annotation_get_end (y), ==, gloss_annotation_get_end (x));
        }
    }

  /* Twice: nothing more. */
  s2 = gloss_import_apply (plan, empty, GLOSS_IMPORT_CREATE_PLACEHOLDERS, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s2->annotations_added, ==, 0);
  g_assert_cmpuint (s2->clips_added, ==, 0);
  g_assert_cmpuint (s2->tags_added, ==, 0);
  g_assert_cmpuint (s2->notes_added, ==, 0);
  g_assert_cmpuint (s2->clips_updated, ==, 0);
}

static void
cancelled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossExportSummary) summary = gloss_export_markdown_finish (result, &error);

  g_assert_null (summary);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_cancel (void)
{
  g_autoptr(GlossLibrary) library = make_library ("lib-cancel");
  g_autoptr(GPtrArray) clips = gloss_export_collect_clips (library, NULL, NULL);
  g_autofree char *dir = gloss_test_make_dir ("out-cancel");
  g_autoptr(GFile) dest = g_file_new_for_path (dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;

  g_cancellable_cancel (cancellable);
  gloss_export_markdown_async (clips, dest, NULL, GLOSS_EXPORT_NONE, NULL, NULL, NULL,
                               cancellable, cancelled_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_cli (void)
{
  g_autoptr(GlossLibrary) library = make_library ("lib-cli");
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autofree char *dir = gloss_test_make_dir ("out-cli");
  g_autofree char *md_dir = g_build_filename (dir, "md", NULL);
  g_autofree char *ld = g_build_filename (dir, "x.jsonld", NULL);
  g_autofree char *bad_dir = g_build_filename (dir, "x.jsonld", "sub", NULL);
  GFile *folder = gloss_library_get_folder (library);
  GlossClip *clip = g_list_model_get_item (G_LIST_MODEL (library), 0);
  const char *ids[] = { gloss_clip_get_id (clip), NULL };
  const char *unknown[] = { "no-such-clip", NULL };

  g_object_unref (clip);
  g_assert_cmpint (gloss_cli_export_markdown (folder, md_dir, NULL, out, err), ==, 0);
  g_assert_nonnull (strstr (out->str, "Exported 8 clips to "));
  g_assert_nonnull (strstr (out->str, "The export holds 48 highlights."));
  g_assert_cmpint (gloss_cli_export_jsonld (folder, ld, ids, out, err), ==, 0);
  g_assert_nonnull (strstr (out->str, "Exported 1 clip to "));
  g_assert_nonnull (strstr (out->str, "The export holds 6 highlights."));
  g_assert_cmpstr (err->str, ==, "");

  g_assert_cmpint (gloss_cli_export_jsonld (folder, ld, unknown, out, err), ==, 1);
  g_assert_nonnull (strstr (err->str, "no-such-clip"));
  g_string_truncate (err, 0);
  /* A file where a folder must be. */
  g_assert_cmpint (gloss_cli_export_markdown (folder, bad_dir, NULL, out, err), ==, 1);
  g_assert_cmpuint (strlen (err->str), >, 0);
  g_assert_true (g_str_has_suffix (err->str, "\n"));
  g_assert_null (strchr (err->str, '\n') + 1 < err->str + err->len ? "two lines" : NULL);
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/export/markdown-folder", test_markdown_folder);
  g_test_add_func ("/export/markdown-refuses-library", test_markdown_refuses_library);
  g_test_add_func ("/export/markdown-combined-template", test_markdown_combined_and_template);
  g_test_add_func ("/export/markdown-orphan", test_markdown_orphan);
  g_test_add_func ("/export/markdown-with-article", test_markdown_with_article);
  g_test_add_func ("/export/damaged-clip-skipped", test_damaged_clip_skipped);
  g_test_add_data_func ("/export/jsonld-round-trip", GINT_TO_POINTER (FALSE), test_jsonld_round_trip);
  g_test_add_data_func ("/export/jsonl-round-trip", GINT_TO_POINTER (TRUE), test_jsonld_round_trip);
  g_test_add_func ("/export/cancel", test_cancel);
  g_test_add_func ("/export/cli", test_cli);

  return g_test_run ();
}
