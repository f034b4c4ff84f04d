/* test-import.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Import of each format into a library, the second import adding
 * nothing, and damaged files ending in a clear message with nothing
 * written. */

#include "config.h"

#include <glib/gstdio.h>

#include <string.h>

#include "gloss-cli-export.h"
#include "gloss-error.h"
#include "gloss-import.h"
#include "gloss-import-private.h"
#include "gloss-test-export-clips.h"
#include "gloss-test-util.h"

#define PEACE_URL "https://example.org/2025/05/02/peace-talks"

static const char peace_article[] =
  "The secretary of state said on Tuesday that the talks would go on.\n\n"
  "A spokesman told reporters that the US “will not be the mediators” going forward, "
  "reflecting a change of course.";

static GlossImportPlan *
read_data_file (const char *name)
{
  g_autofree char *relative = g_build_filename ("data", "import", name, NULL);
  g_autofree char *path = gloss_test_source_path (relative);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GlossImportPlan *plan = gloss_import_read (file, NULL, &error);

  g_assert_no_error (error);
  return plan;
}

static void
test_hypothesis (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-h");
  g_autoptr(GlossImportPlan) plan = read_data_file ("hypothesis.json");
  g_autoptr(GlossImportSummary) s1 = NULL;
  g_autoptr(GlossImportSummary) s2 = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) missing = NULL;
  GlossClip *clip = gloss_test_add_clip (library, PEACE_URL, "Peace talks", peace_article, NULL, 0);
  GlossClip *other;
  GListModel *annotations;
  const char * const *warnings;
  guint n_orphans = 0;

  g_assert_cmpint (gloss_import_plan_get_format (plan), ==, GLOSS_IMPORT_FORMAT_HYPOTHESIS);
  g_assert_cmpuint (gloss_import_plan_get_n_pages (plan), ==, 2);
  g_assert_cmpuint (gloss_import_plan_get_n_annotations (plan), ==, 4);
  /* The reply is kept, in the note of the annotation it answers. */
  warnings = gloss_import_plan_get_warnings (plan);
  g_assert_null (warnings[0]);
  g_assert_null (gloss_import_plan_get_rejected (plan)[0]);

  missing = gloss_import_plan_dup_missing_urls (plan, library);
  g_assert_cmpuint (g_strv_length (missing), ==, 1);
  g_assert_cmpstr (missing[0], ==, "https://other.example.net/essay");

  s1 = gloss_import_apply (plan, library, GLOSS_IMPORT_CREATE_PLACEHOLDERS, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s1->annotations_added, ==, 4);
  g_assert_cmpuint (s1->orphans, ==, 1);
  g_assert_cmpuint (s1->clips_added, ==, 1);
  g_assert_cmpuint (s1->pending, ==, 1);
  g_assert_cmpuint (s1->notes_added, ==, 1);
  g_assert_cmpuint (s1->urls_to_clip->len, ==, 1);

  /* Re-anchored into the clip's own text, whatever Hypothesis's page had. */
  annotations = gloss_clip_get_annotations (clip);
  g_assert_cmpuint (g_list_model_get_n_items (annotations), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GlossAnnotation) a = g_list_model_get_item (annotations, i);

      if (gloss_annotation_get_orphan (a))
        {
          n_orphans++;
          continue;
        }
      if (g_str_equal (gloss_annotation_get_exact (a), "will not be the mediators"))
        {
          g_assert_cmpuint (gloss_annotation_get_start (a), ==,
                            g_utf8_pointer_to_offset (peace_article, strstr (peace_article, "will not")));
          g_assert_cmpstr (gloss_annotation_get_note (a), ==,
                           "Why now? Compare with the minerals deal.\n\n"
                           "Reply from friend@hypothes.is (2026-11-19T09:06:00Z):\nA reply by someone else.");
          g_assert_true (g_str_has_prefix (gloss_annotation_get_created (a), "2026-11-19T09:01:02"));
          /* Its own tags stay with it. */
          g_assert_true (json_object_has_member (gloss_annotation_to_json (a), "tags"));
        }
      else
        {
          g_assert_cmpstr (gloss_annotation_get_exact (a), ==, "The secretary of state said on Tuesday");
          g_assert_cmpuint (gloss_annotation_get_start (a), ==, 0);
        }
    }
  g_assert_cmpuint (n_orphans, ==, 1);
  g_assert_true (gloss_clip_has_tag (clip, "diplomacy"));
  g_assert_true (gloss_clip_has_tag (clip, "to-read"));
  g_assert_cmpstr (gloss_clip_get_note (clip), ==, "A page note: read again next week.");

  /* The page with no clip is kept, not clipped yet: no article, and its
   * annotation with the selectors exactly as Hypothesis gave them. */
  other = gloss_library_find_by_url (library, "https://other.example.net/essay");
  g_assert_nonnull (other);
  g_assert_true (gloss_import_clip_is_pending (other));
  g_assert_cmpstr (gloss_clip_get_title (other), ==, "An essay");
  g_assert_cmpstr (gloss_clip_get_created (other), ==, "2026-11-18T08:00:00Z");
  g_assert_true (gloss_clip_has_tag (other, "essay"));
  g_assert_cmpuint (gloss_clip_get_n_annotations (other), ==, 1);
  g_assert_cmpstr (gloss_clip_get_note (other), ==, "");
  {
    g_autoptr(GlossAnnotation) a = g_list_model_get_item (gloss_clip_get_annotations (other), 0);
    g_autofree char *text = gloss_clip_load_article_text (other, NULL);

    g_assert_null (text);
    g_assert_cmpstr (gloss_annotation_get_note (a), ==, "Not clipped yet.");
    g_assert_cmpstr (gloss_annotation_get_exact (a), ==, "an essay about # headings & *stars*");
    g_assert_cmpstr (gloss_annotation_get_prefix (a), ==, "This is ");
    g_assert_cmpstr (gloss_annotation_get_suffix (a), ==, ", nothing more.");
    g_assert_cmpuint (gloss_annotation_get_start (a), ==, 10);
    g_assert_cmpuint (gloss_annotation_get_end (a), ==, 40);
  }

  /* Twice: nothing added, nothing changed. */
  {
    g_autofree char *lib = g_file_get_path (gloss_library_get_folder (library));
    g_autofree char *before = gloss_test_snapshot_tree (lib);
    g_autofree char *after = NULL;

    s2 = gloss_import_apply (plan, library, GLOSS_IMPORT_CREATE_PLACEHOLDERS, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (s2->annotations_added, ==, 0);
    g_assert_cmpuint (s2->annotations_present, ==, 4);
    g_assert_cmpuint (s2->clips_added, ==, 0);
    g_assert_cmpuint (s2->clips_updated, ==, 0);
    after = gloss_test_snapshot_tree (lib);
    g_assert_cmpstr (before, ==, after);
  }
}

static void
test_url_formats (void)
{
  static const struct
  {
    const char        *file;
    GlossImportFormat  format;
    const char        *urls;
  } cases[] = {
    { "urls.txt", GLOSS_IMPORT_FORMAT_URL_LIST,
      "https://example.org/a https://example.org/b https://example.org/c" },
    { "pocket.html", GLOSS_IMPORT_FORMAT_POCKET,
      "https://example.org/one?a=1&b=2 https://example.org/two https://example.org/three" },
    { "pocket.csv", GLOSS_IMPORT_FORMAT_POCKET,
      "https://example.org/one https://example.org/two" },
    { "omnivore.json", GLOSS_IMPORT_FORMAT_OMNIVORE,
      "https://example.org/omnivore-article https://example.org/plain" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GlossImportPlan) plan = read_data_file (cases[i].file);
      g_auto(GStrv) urls = gloss_import_plan_dup_urls (plan);
      g_autofree char *joined = g_strjoinv (" ", urls);
      g_autofree char *name = g_strdup_printf ("lib-url-%u", i);
      g_autoptr(GlossLibrary) library = gloss_test_library_new (name);
      g_autoptr(GlossImportSummary) summary = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].file);
      g_assert_cmpint (gloss_import_plan_get_format (plan), ==, cases[i].format);
      g_assert_cmpstr (joined, ==, cases[i].urls);

      /* Every page kept at once, each waiting for its article. */
      summary = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (summary->clips_added, ==, g_strv_length (urls));
      g_assert_cmpuint (summary->pending, ==, g_strv_length (urls));
      g_assert_cmpuint (summary->urls_to_clip->len, ==, g_strv_length (urls));
    }
}

static void
test_pocket_tags_after_clipping (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-pocket");
  g_autoptr(GlossImportPlan) plan = read_data_file ("pocket.html");
  g_autoptr(GlossImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  GlossClip *clip;

  /* The window clips the page, then applies the plan: the tags land. */
  clip = gloss_test_add_clip (library, "https://example.org/one?a=1&b=2", "One", "Text.", NULL, 0);
  summary = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gloss_clip_has_tag (clip, "news"));
  g_assert_true (gloss_clip_has_tag (clip, "long read"));
  g_assert_cmpuint (summary->urls_to_clip->len, ==, 2);
}

static void
test_omnivore_highlights (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-omnivore");
  g_autoptr(GlossImportPlan) plan = read_data_file ("omnivore.json");
  g_autoptr(GlossImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  GlossClip *clip = gloss_test_add_clip (library, "https://example.org/omnivore-article", "O",
                                         "Intro.\n\nThen a highlighted line follows.", NULL, 0);
  g_autoptr(GlossAnnotation) a = NULL;

  summary = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->annotations_added, ==, 1);
  a = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpint (gloss_annotation_get_color (a), ==, GLOSS_COLOR_PINK);
  g_assert_cmpstr (gloss_annotation_get_note (a), ==, "my thought");
  g_assert_true (gloss_clip_has_tag (clip, "Research"));
}

/* W3C annotations written by another tool: bodyValue, a single selector
 * object, refinedBy, type arrays, a bare IRI target. */
static void
test_w3c_other (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-w3c");
  g_autoptr(GlossImportPlan) plan = read_data_file ("w3c-other.jsonld");
  g_autoptr(GlossImportSummary) s1 = NULL;
  g_autoptr(GlossImportSummary) s2 = NULL;
  g_autoptr(GError) error = NULL;
  GlossClip *clip = gloss_test_add_clip (library, PEACE_URL, "Peace talks", peace_article, NULL, 0);
  g_autoptr(GlossAnnotation) first = NULL;

  g_assert_cmpint (gloss_import_plan_get_format (plan), ==, GLOSS_IMPORT_FORMAT_W3C);
  g_assert_cmpuint (gloss_import_plan_get_n_pages (plan), ==, 2);
  s1 = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s1->annotations_added, ==, 2);
  g_assert_true (gloss_clip_has_tag (clip, "research"));
  first = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpstr (gloss_annotation_get_exact (first), ==, "The secretary o");
  /* An HTML body becomes its text. */
  g_assert_cmpstr (gloss_annotation_get_note (first), ==, "HTML note");
  g_assert_cmpuint (s1->urls_to_clip->len, ==, 1);

  s2 = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s2->annotations_added, ==, 0);
}

/* Damaged or foreign files: exit 1, one line, the library as it was. */
static void
test_damaged (void)
{
  static const char * const files[][2] = {
    { "truncated.json", "{\"annotations\": [ {\"uri\": \"https://example.org\", " },
    { "wrong-shape.json", "{\"foo\": 1, \"bar\": [1, 2]}" },
    { "empty.txt", "   \n\n" },
    { "garbage.txt", "this is not a url\nhttps://example.org/ok\n" },
    { "broken.zip", "PK\003\004not really a zip archive" },
    { "unclosed.csv", "title,url\n\"Unclosed,https://example.org/x\n" },
    { "collection.jsonld", "{\"@context\": \"http://www.w3.org/ns/anno.jsonld\", \"type\": \"AnnotationCollection\", \"first\": \"https://example.org/page1\"}" },
    { "numbers.json", "[1, 2, 3]" },
    { "no-links.html", "<html><body><p>Nothing here</p></body></html>" },
  };
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-damaged");
  g_autofree char *lib = g_file_get_path (gloss_library_get_folder (library));
  g_autofree char *dir = gloss_test_make_dir ("damaged");
  g_autofree char *before = NULL;

  gloss_test_add_clip (library, PEACE_URL, "Peace talks", peace_article, NULL, 0);
  before = gloss_test_snapshot_tree (lib);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i][0], NULL);
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GString) err = g_string_new (NULL);
      g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *after = NULL;
      int status;

      gloss_test_write_file (dir, files[i][0], files[i][1]);
      status = gloss_cli_import (gloss_library_get_folder (library), path, urls, out, err);
      g_test_message ("%s: %s", files[i][0], err->str);
      g_assert_cmpint (status, ==, 1);
      g_assert_true (g_str_has_suffix (err->str, "\n"));
      g_assert_null (strchr (err->str, '\n')[1] != '\0' ? "more than one line" : NULL);
      g_assert_nonnull (strstr (err->str, files[i][0]));
      g_assert_cmpuint (urls->len, ==, 0);
      after = gloss_test_snapshot_tree (lib);
      g_assert_cmpstr (before, ==, after);
    }

  /* Nesting that would overflow a recursive parser's stack. */
  {
    g_autoptr(GString) deep = g_string_new ("{\"annotations\": ");
    g_autoptr(GError) error = NULL;
    g_autoptr(GlossImportPlan) plan = NULL;

    for (guint i = 0; i < 500000; i++)
      g_string_append_c (deep, '[');
    plan = gloss_import_parse (deep->str, deep->len, "deep.json", &error);
    g_assert_null (plan);
    g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED);
  }

  /* Not an export at all: the message says what Gloss reads. */
  {
    g_autoptr(GString) out = g_string_new (NULL);
    g_autoptr(GString) err = g_string_new (NULL);
    g_autofree char *path = g_build_filename (dir, "garbage.txt", NULL);

    g_assert_cmpint (gloss_cli_import (gloss_library_get_folder (library), path, NULL, out, err), ==, 1);
    g_assert_nonnull (strstr (err->str, "Pocket"));
    g_assert_nonnull (strstr (err->str, "Omnivore"));
    g_assert_nonnull (strstr (err->str, "Hypothesis"));
  }

  /* No file: bad usage. */
  {
    g_autoptr(GString) out = g_string_new (NULL);
    g_autoptr(GString) err = g_string_new (NULL);

    g_assert_cmpint (gloss_cli_import (gloss_library_get_folder (library), NULL, NULL, out, err), ==, 2);
  }

  /* A file that is not there. */
  {
    g_autoptr(GString) out = g_string_new (NULL);
    g_autoptr(GString) err = g_string_new (NULL);
    g_autofree char *path = g_build_filename (dir, "missing.json", NULL);

    g_assert_cmpint (gloss_cli_import (gloss_library_get_folder (library), path, NULL, out, err), ==, 2);
    g_assert_nonnull (strstr (err->str, "missing.json"));
  }
}

static void
test_cli_import (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-cli-import");
  g_autofree char *path = gloss_test_source_path ("data/import/hypothesis.json");
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  GFile *folder = gloss_library_get_folder (library);

  gloss_test_add_clip (library, PEACE_URL, "Peace talks", peace_article, NULL, 0);
  g_assert_cmpint (gloss_cli_import (folder, path, urls, out, err), ==, 0);
  g_test_message ("%s", out->str);
  g_assert_cmpstr (err->str, ==, "");
  g_assert_true (g_str_has_prefix (out->str, "Format found: Hypothesis export.\n"));
  g_assert_nonnull (strstr (out->str, "1 page was kept as a new clip.\n"));
  g_assert_nonnull (strstr (out->str, "4 highlights were added.\n"));
  g_assert_nonnull (strstr (out->str, "1 page waits to be clipped"));
  g_assert_cmpuint (urls->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (urls, 0), ==, "https://other.example.net/essay");

  g_string_truncate (out, 0);
  g_ptr_array_set_size (urls, 0);
  g_assert_cmpint (gloss_cli_import (folder, path, urls, out, err), ==, 0);
  g_assert_nonnull (strstr (out->str, "4 highlights were already in the library.\n"));
  g_assert_nonnull (strstr (out->str, "Everything in the file was already in the library.\n"));
  g_assert_null (strstr (out->str, "new clip"));
}

/* Shapes no exporter writes: nothing crashes, what cannot be used is
 * left out with a warning. */
static void
test_hostile_w3c (void)
{
  static const char hostile[] =
    "[{\"type\": \"Annotation\", \"target\": 5},"
    " {\"type\": [\"Annotation\"], \"target\": {\"source\": \"https://example.org/x\", \"selector\": \"nope\"}, \"body\": [1, null, {\"value\": 3}]},"
    " {\"type\": \"Annotation\", \"target\": [{\"source\": \"https://example.org/x\", \"selector\": {\"type\": \"TextQuoteSelector\", \"exact\": \"q\", \"refinedBy\": {\"type\": \"TextPositionSelector\", \"start\": -5, \"end\": 99999999999}}}], \"gloss:color\": \"ultraviolet\", \"created\": \"yesterday\"},"
    " {\"type\": \"Annotation\", \"id\": \"urn:gloss:../../etc:passwd\", \"target\": {\"source\": \"https://example.org/y\", \"selector\": [{\"type\": \"TextQuoteSelector\", \"exact\": \"w\"}]}},"
    " \"just a string\", {\"type\": \"Annotation\", \"target\": {\"source\": \"not a uri at all\"}}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossImportPlan) plan = gloss_import_parse (hostile, strlen (hostile), "hostile.json", &error);
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-hostile");
  g_autoptr(GlossImportSummary) summary = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (gloss_import_plan_get_format (plan), ==, GLOSS_IMPORT_FORMAT_W3C);
  g_assert_cmpuint (gloss_import_plan_get_n_pages (plan), ==, 2);
  g_assert_cmpuint (gloss_import_plan_get_n_annotations (plan), ==, 2);
  g_assert_nonnull (gloss_import_plan_get_warnings (plan)[0]);

  summary = gloss_import_apply (plan, library, GLOSS_IMPORT_CREATE_PLACEHOLDERS, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->annotations_added, ==, 2);
  g_assert_cmpuint (summary->clips_added, ==, 2);
}

static void
apply_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GlossImportSummary **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gloss_import_apply_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-async");
  g_autoptr(GlossImportPlan) plan = read_data_file ("hypothesis.json");
  GlossImportSummary *summary = NULL;

  gloss_test_add_clip (library, PEACE_URL, "Peace talks", peace_article, NULL, 0);
  gloss_import_apply_async (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, NULL,
                            apply_done_cb, &summary);
  while (summary == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (summary->annotations_added, ==, 4);
  g_assert_cmpuint (summary->urls_to_clip->len, ==, 1);
  gloss_import_summary_free (summary);
}

/* Damaged copies of every fixture (bytes flipped, cut, repeated): each
 * either reads or fails with a message; none crashes, and what reads can
 * be applied. */
static void
test_mutations (void)
{
  static const char * const names[] = {
    "hypothesis.json", "pocket.html", "pocket.csv", "omnivore.json", "urls.txt",
    "w3c-other.jsonld", "instapaper.csv", "wallabag.json", "bookmarks.html", "readwise.csv",
    "hypothesis-single.json", "w3c-tagging.jsonld",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-mutations");

  gloss_test_add_clip (library, PEACE_URL, "Peace talks", peace_article, NULL, 0);

  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *relative = g_build_filename ("data", "import", names[f], NULL);
      g_autofree char *path = gloss_test_source_path (relative);
      g_autofree char *original = gloss_test_read_file (path);
      gsize len = strlen (original);

      for (guint i = 0; i < 400; i++)
        {
          g_autofree char *data = g_strdup (original);
          gsize n = len;
          g_autoptr(GError) error = NULL;
          g_autoptr(GlossImportPlan) plan = NULL;
          guint kind = g_rand_int_range (rand, 0, 4);

          if (kind == 0)
            n = g_rand_int_range (rand, 0, len);
          else if (kind == 1)
            for (guint k = 0; k < 1 + i % 8; k++)
              data[g_rand_int_range (rand, 0, len)] = (char) g_rand_int_range (rand, 1, 256);
          else if (kind == 2)
            for (guint k = 0; k < 1 + i % 4; k++)
              data[g_rand_int_range (rand, 0, len)] = "{}[]\",:<>\n"[g_rand_int_range (rand, 0, 11)];
          else
            {
              gsize at = g_rand_int_range (rand, 0, len);
              memmove (data + at, data + at / 2, len - at);
            }

          plan = gloss_import_parse (data, n, names[f], &error);
          g_assert_true ((plan == NULL) != (error == NULL));
          if (plan != NULL && i % 20 == 0)
            {
              g_autoptr(GlossImportSummary) summary = NULL;

              summary = gloss_import_apply (plan, library, GLOSS_IMPORT_CREATE_PLACEHOLDERS,
                                            NULL, NULL, NULL, &error);
              g_assert_no_error (error);
            }
        }
    }
}

/* Found by fuzz-import: a first line that looks like a Pocket CSV header
 * to the format guess, but whose quoted fields hold no url column when
 * read as CSV. A clear message, not an assertion. */
static void
test_csv_without_url_column (void)
{
  static const char data[] = "\xef\xbb\xbf\"+00tle,url,time_added,tags,status\n"
                             "\"One, with a comma\",https://example.org/one,1700000000,news,unread\n";
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  plan = gloss_import_parse (data, sizeof data - 1, "pocket.csv", &error);
  g_assert_null (plan);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "pocket.csv"));
}

/* --- the formats of people leaving other services ------------------------ */

static GlossImportSummary *
import_twice (GlossLibrary    *library,
              const char      *name,
              GlossImportPlan **plan_out)
{
  g_autoptr(GlossImportPlan) plan = read_data_file (name);
  g_autoptr(GlossImportPlan) again = read_data_file (name);
  g_autoptr(GlossImportSummary) s2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lib = g_file_get_path (gloss_library_get_folder (library));
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GlossImportSummary *s1;

  s1 = gloss_import_apply (plan, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* The same file twice adds nothing and changes nothing. */
  before = gloss_test_snapshot_tree (lib);
  s2 = gloss_import_apply (again, library, GLOSS_IMPORT_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s2->clips_added, ==, 0);
  g_assert_cmpuint (s2->clips_updated, ==, 0);
  g_assert_cmpuint (s2->annotations_added, ==, 0);
  after = gloss_test_snapshot_tree (lib);
  g_assert_cmpstr (before, ==, after);

  if (plan_out != NULL)
    *plan_out = g_steal_pointer (&plan);
  return s1;
}

static const char *
import_member (GlossClip  *clip,
               const char *member)
{
  JsonObject *import = json_object_get_object_member (gloss_clip_to_json (clip), "import");

  g_assert_nonnull (import);
  if (!json_object_has_member (import, member))
    return NULL;
  return json_object_get_string_member_with_default (import, member, "(not a string)");
}

static void
test_pocket_zip (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-pocket-zip");
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = import_twice (library, "pocket-export.zip", &plan);
  const char * const *rejected = gloss_import_plan_get_rejected (plan);
  GlossClip *a, *b, *c, *d;

  g_assert_cmpstr (gloss_import_plan_get_found (plan), ==, "Pocket export");
  g_assert_cmpuint (summary->clips_added, ==, 4);
  g_assert_cmpuint (summary->pending, ==, 4);
  g_assert_nonnull (rejected[0]);
  g_assert_nonnull (strstr (rejected[0], "No address"));
  g_assert_null (rejected[1]);

  a = gloss_library_find_by_url (library, "https://example.com/a");
  b = gloss_library_find_by_url (library, "http://Example.com/B");
  c = gloss_library_find_by_url (library, "https://example.com/c?x=1&y=2");
  d = gloss_library_find_by_url (library, "https://example.com/d");
  g_assert_true (a && b && c && d);
  g_assert_cmpstr (gloss_clip_get_title (a), ==, "Quoted, with commas, and \"quotes\"");
  g_assert_cmpstr (gloss_clip_get_title (b), ==, "A title\nwith a line break");
  g_assert_true (gloss_clip_has_tag (a, "news"));
  g_assert_true (gloss_clip_has_tag (a, "long read"));
  g_assert_true (gloss_clip_has_tag (a, "extra"));
  /* Saved twice: the first time counts. */
  g_assert_cmpstr (gloss_clip_get_created (a), ==, "2017-07-14T02:40:00Z");
  g_assert_cmpstr (gloss_clip_get_created (d), ==, "2020-09-13T12:26:40Z");
  g_assert_cmpstr (import_member (a, "status"), ==, "unread");
  g_assert_cmpstr (import_member (b, "status"), ==, "archive");
  g_assert_cmpstr (import_member (a, "source"), ==, "Pocket");
  g_assert_true (gloss_import_clip_is_pending (c));
}

static void
test_omnivore_zip (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-omnivore-zip");
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = import_twice (library, "omnivore-export.zip", &plan);
  GlossClip *clip = gloss_library_find_by_url (library, "https://news.example.org/long-read");
  GlossClip *gone = gloss_library_find_by_url (library, "https://gone.example.org/page");
  GListModel *annotations;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  guint orphans = 0;
  JsonObject *import;

  g_assert_cmpstr (gloss_import_plan_get_found (plan), ==, "Omnivore export");
  g_assert_cmpuint (summary->clips_added, ==, 2);
  g_assert_cmpuint (summary->articles, ==, 1);
  g_assert_cmpuint (summary->pending, ==, 1);
  g_assert_cmpuint (summary->annotations_added, ==, 5);
  g_assert_cmpuint (summary->orphans, ==, 1);

  /* The saved article is the clip's, without what could run. */
  g_assert_nonnull (clip);
  g_assert_false (gloss_import_clip_is_pending (clip));
  text = gloss_clip_load_article_text (clip, NULL);
  html = gloss_clip_load_article_html (clip, NULL);
  g_assert_cmpstr (text, ==,
                   "The long read\n"
                   "It was a bright cold day in April, and the clocks were striking thirteen.\n"
                   "Winston Smith, his chin nuzzled into his breast, slipped quickly through the glass doors."
                   "The hallway smelt of boiled cabbage & old rag mats.");
  g_assert_null (strstr (html, "script"));
  g_assert_null (strstr (html, "onclick"));
  g_assert_nonnull (strstr (html, "boiled cabbage"));
  g_assert_cmpstr (gloss_clip_get_byline (clip), ==, "Ann Author");
  g_assert_cmpstr (gloss_clip_get_excerpt (clip), ==, "A long article");
  g_assert_true (g_str_has_prefix (gloss_clip_get_created (clip), "2024-03-01T08:00:00"));
  g_assert_true (gloss_clip_has_tag (clip, "Essays"));
  g_assert_true (gloss_clip_has_tag (clip, "to read"));
  g_assert_true (gloss_clip_has_tag (clip, "favourite"));
  import = json_object_get_object_member (gloss_clip_to_json (clip), "import");
  g_assert_cmpstr (json_object_get_string_member (import, "state"), ==, "SUCCEEDED");
  g_assert_cmpfloat (json_object_get_double_member (import, "readingProgress"), ==, 42.5);

  /* The highlights anchored in it, with their context from it. */
  annotations = gloss_clip_get_annotations (clip);
  g_assert_cmpuint (g_list_model_get_n_items (annotations), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GlossAnnotation) a = g_list_model_get_item (annotations, i);
      const char *exact = gloss_annotation_get_exact (a);

      if (gloss_annotation_get_orphan (a))
        {
          orphans++;
          g_assert_cmpstr (exact, ==, "a quote that is not in the article at all");
          continue;
        }
      g_assert_cmpuint (gloss_annotation_get_start (a), ==,
                        g_utf8_pointer_to_offset (text, strstr (text, exact)));
      if (g_str_equal (exact, "the clocks were striking thirteen"))
        {
          g_assert_cmpstr (gloss_annotation_get_note (a), ==, "A famous opening.");
          g_assert_cmpstr (gloss_annotation_get_suffix (a), ==, ".\nWinston Smith, his chin nuzzle");
        }
      if (g_str_equal (exact, "boiled cabbage & old rag mats"))
        g_assert_cmpstr (gloss_annotation_get_note (a), ==, "Smells.");
    }
  g_assert_cmpuint (orphans, ==, 1);

  /* The page without content is kept, not clipped yet, with its highlight. */
  g_assert_nonnull (gone);
  g_assert_true (gloss_import_clip_is_pending (gone));
  g_assert_cmpstr (import_member (gone, "state"), ==, "ARCHIVED");
  g_assert_cmpuint (gloss_clip_get_n_annotations (gone), ==, 1);
  {
    g_autoptr(GlossAnnotation) a = g_list_model_get_item (gloss_clip_get_annotations (gone), 0);

    g_assert_cmpstr (gloss_annotation_get_exact (a), ==, "kept without its page");
    g_assert_cmpstr (gloss_annotation_get_note (a), ==, "note on a page never clipped");
  }
}

/* A zip whose entries climb out of it: those are refused by name, the
 * rest is read, nothing is ever written outside the library. */
static void
test_zip_traversal (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-traversal");
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = import_twice (library, "traversal.zip", &plan);

  g_assert_cmpuint (summary->clips_added, ==, 1);
  g_assert_nonnull (gloss_library_find_by_url (library, "https://safe.example.com/"));
  g_assert_null (gloss_library_find_by_url (library, "https://evil.example.com/"));
  g_assert_nonnull (gloss_import_plan_get_warnings (plan)[0]);
  g_assert_nonnull (strstr (gloss_import_plan_get_warnings (plan)[0], "2 entries"));
}

static void
test_instapaper (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-instapaper");
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = import_twice (library, "instapaper.csv", &plan);
  GlossClip *post = gloss_library_find_by_url (library, "https://blog.example.net/post");
  GlossClip *work = gloss_library_find_by_url (library, "https://blog.example.net/work");
  g_autoptr(GlossAnnotation) a = NULL;

  g_assert_cmpint (gloss_import_plan_get_format (plan), ==, GLOSS_IMPORT_FORMAT_INSTAPAPER);
  g_assert_cmpuint (summary->clips_added, ==, 3);
  g_assert_cmpstr (gloss_clip_get_title (post), ==, "A post, with a comma");
  g_assert_true (gloss_clip_has_tag (post, "reading"));
  g_assert_true (gloss_clip_has_tag (post, "blog"));
  g_assert_cmpstr (import_member (post, "folder"), ==, "Unread");
  g_assert_cmpstr (gloss_clip_get_created (post), ==, "2023-07-22T04:26:40Z");
  /* The selection is a highlight, waiting for its article. */
  g_assert_cmpuint (gloss_clip_get_n_annotations (post), ==, 1);
  a = g_list_model_get_item (gloss_clip_get_annotations (post), 0);
  g_assert_cmpstr (gloss_annotation_get_exact (a), ==, "The selected passage of the post.");
  /* A folder of one's own is a tag; Instapaper's own are states. */
  g_assert_true (gloss_clip_has_tag (work, "Work"));
  g_assert_true (gloss_clip_has_tag (work, "Projects"));
  g_assert_false (gloss_clip_has_tag (post, "Unread"));
}

/* Spreadsheets' files: a BOM and CRLF; Windows-1252 instead of UTF-8. */
static void
test_csv_encodings (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-encodings");
  g_autoptr(GlossImportSummary) s1 = import_twice (library, "instapaper-bom-crlf.csv", NULL);
  g_autoptr(GlossImportSummary) s2 = import_twice (library, "instapaper-cp1252.csv", NULL);
  GlossClip *bom = gloss_library_find_by_url (library, "https://old.example.net/x");
  GlossClip *latin = gloss_library_find_by_url (library, "https://latin.example.net/x");

  g_assert_cmpstr (gloss_clip_get_title (bom), ==, "Café — BOM and CRLF");
  g_assert_cmpstr (import_member (bom, "folder"), ==, "Starred");
  g_assert_cmpstr (gloss_clip_get_title (latin), ==, "Café crème “quoted”");
}

/* A row far larger than any real one is bounded, not read whole. */
static void
test_csv_huge_row (void)
{
  g_autoptr(GString) data = g_string_new ("title,url,time_added,tags,status\n\"");
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3 * 1024 * 1024; i++)
    g_string_append_c (data, i % 64 == 63 ? ',' : 'x');
  g_string_append (data, "\",https://huge.example.com/,1700000000,,unread\n"
                         "Normal,https://huge.example.com/2,1700000000,,unread\n");
  plan = gloss_import_parse (data->str, data->len, "huge.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gloss_import_plan_get_n_pages (plan), ==, 2);
  g_assert_nonnull (gloss_import_plan_get_warnings (plan)[0]);
}

static void
test_wallabag (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-wallabag");
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = import_twice (library, "wallabag.json", &plan);
  GlossClip *clip = gloss_library_find_by_url (library, "https://science.example.org/tides");
  GlossClip *empty = gloss_library_find_by_url (library, "https://empty.example.org/");
  g_autoptr(GlossAnnotation) a = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (gloss_import_plan_get_format (plan), ==, GLOSS_IMPORT_FORMAT_WALLABAG);
  g_assert_cmpuint (summary->articles, ==, 1);
  g_assert_cmpuint (summary->pending, ==, 1);
  text = gloss_clip_load_article_text (clip, NULL);
  g_assert_cmpstr (text, ==, "The Moon pulls on the oceans.\nTwice a day the water rises and falls along the coast.");
  g_assert_cmpstr (gloss_clip_get_byline (clip), ==, "Tess Tide");
  g_assert_cmpstr (gloss_clip_get_created (clip), ==, "2023-06-01T10:00:00Z");
  g_assert_true (gloss_clip_has_tag (clip, "science"));
  a = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpstr (gloss_annotation_get_exact (a), ==, "The Moon pulls on the oceans");
  g_assert_cmpstr (gloss_annotation_get_note (a), ==, "Gravity!");
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 0);
  g_assert_false (gloss_annotation_get_orphan (a));
  g_assert_true (gloss_import_clip_is_pending (empty));
}

static void
test_bookmarks (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-bookmarks");
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = import_twice (library, "bookmarks.html", &plan);
  GlossClip *soup = gloss_library_find_by_url (library, "https://food.example.com/soup?a=1&b=2");
  GlossClip *bread = gloss_library_find_by_url (library, "https://food.example.com/bread");
  GlossClip *toolbar = gloss_library_find_by_url (library, "https://www.example.com/toolbar");
  GlossClip *chrome = gloss_library_find_by_url (library, "https://pinboard.example.com/u");

  g_assert_cmpint (gloss_import_plan_get_format (plan), ==, GLOSS_IMPORT_FORMAT_BOOKMARKS);
  g_assert_cmpuint (summary->clips_added, ==, 4);
  /* place: is Firefox's, not a page. */
  g_assert_nonnull (gloss_import_plan_get_rejected (plan)[0]);
  g_assert_true (soup && bread && toolbar && chrome);
  g_assert_cmpstr (gloss_clip_get_title (soup), ==, "Leek & potato soup");
  g_assert_true (gloss_clip_has_tag (soup, "winter"));
  g_assert_true (gloss_clip_has_tag (soup, "Cheap"));
  g_assert_true (gloss_clip_has_tag (soup, "Recipes"));
  g_assert_true (gloss_clip_has_tag (soup, "Soups"));
  g_assert_cmpstr (import_member (soup, "folder"), ==, "Recipes/Soups");
  g_assert_cmpstr (gloss_clip_get_excerpt (soup), ==, "A description with markup é");
  g_assert_cmpstr (gloss_clip_get_created (soup), ==, "2021-12-20T11:33:20Z");
  g_assert_true (gloss_clip_has_tag (bread, "Recipes"));
  g_assert_false (gloss_clip_has_tag (bread, "Soups"));
  g_assert_cmpstr (import_member (bread, "toread"), ==, "1");
  /* The toolbar is where a bookmark sits, not what it is about. */
  g_assert_cmpuint (g_strv_length ((char **) gloss_clip_get_tags (toolbar)), ==, 0);
  g_assert_cmpstr (import_member (toolbar, "folder"), ==, "Bookmarks Toolbar");
  /* Microseconds, as some tools write ADD_DATE. */
  g_assert_cmpstr (gloss_clip_get_created (chrome), ==, "2021-05-03T00:00:00Z");
}

static void
test_pocket_html (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-pocket-html");
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = import_twice (library, "pocket.html", &plan);
  GlossClip *one = gloss_library_find_by_url (library, "https://example.org/one?a=1&b=2");
  GlossClip *three = gloss_library_find_by_url (library, "https://example.org/three");

  g_assert_cmpstr (gloss_import_plan_get_found (plan), ==, "Pocket HTML export");
  g_assert_cmpuint (summary->clips_added, ==, 3);
  g_assert_cmpstr (gloss_clip_get_title (one), ==, "One & only");
  g_assert_cmpstr (import_member (one, "status"), ==, "unread");
  g_assert_cmpstr (import_member (three, "status"), ==, "archive");
  g_assert_cmpstr (gloss_clip_get_created (three), ==, "2020-09-13T12:26:40Z");
}

static void
test_hypothesis_single (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-h-single");
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = import_twice (library, "hypothesis-single.json", &plan);
  GlossClip *clip = gloss_library_find_by_url (library, "https://solo.example.org/article");
  g_autoptr(GlossAnnotation) a = NULL;
  JsonArray *selectors;
  gboolean range = FALSE;

  g_assert_cmpint (gloss_import_plan_get_format (plan), ==, GLOSS_IMPORT_FORMAT_HYPOTHESIS);
  g_assert_true (gloss_import_clip_is_pending (clip));
  a = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpstr (gloss_annotation_get_prefix (a), ==, "a quote that is exactly ");
  g_assert_cmpstr (gloss_annotation_get_suffix (a), ==, " and then the sentence ends");
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 1204);
  g_assert_cmpuint (gloss_annotation_get_end (a), ==, 1230);
  selectors = json_object_get_array_member (json_object_get_object_member (gloss_annotation_to_json (a), "target"), "selector");
  for (guint i = 0; i < json_array_get_length (selectors); i++)
    range |= g_strcmp0 (json_object_get_string_member (json_array_get_object_element (selectors, i), "type"),
                        "RangeSelector") == 0;
  g_assert_true (range);
  g_assert_true (gloss_clip_has_tag (clip, "single"));
}

static void
test_readwise (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-readwise");
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossImportSummary) summary = import_twice (library, "readwise.csv", &plan);
  g_autoptr(GlossClip) clip = NULL;

  g_assert_cmpint (gloss_import_plan_get_format (plan), ==, GLOSS_IMPORT_FORMAT_READWISE);
  g_assert_cmpuint (summary->clips_added, ==, 1);
  g_assert_cmpuint (summary->annotations_added, ==, 2);
  clip = g_list_model_get_item (G_LIST_MODEL (library), 0);
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "An article about things");
  g_assert_cmpstr (gloss_clip_get_byline (clip), ==, "Jane Writer");
  g_assert_true (gloss_clip_has_tag (clip, "articles"));
  g_assert_true (gloss_clip_has_tag (clip, "key"));
  g_assert_true (gloss_clip_has_tag (clip, "idea"));
  /* Nothing to clip: no web address. */
  g_assert_cmpuint (summary->urls_to_clip->len, ==, 0);
}

static void
test_upper_case_scheme (void)
{
  g_autoptr(GlossImportPlan) plan = read_data_file ("urls-upper.txt");
  g_auto(GStrv) urls = gloss_import_plan_dup_urls (plan);

  g_assert_cmpint (gloss_import_plan_get_format (plan), ==, GLOSS_IMPORT_FORMAT_URL_LIST);
  g_assert_cmpstr (urls[0], ==, "http://UPPER.example.org/page");
  g_assert_null (gloss_import_plan_get_rejected (plan)[0]);
}

static void
test_w3c_tagging (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-w3c-tagging");
  g_autoptr(GlossImportSummary) summary = import_twice (library, "w3c-tagging.jsonld", NULL);
  GlossClip *clip = gloss_library_find_by_url (library, "https://tagged.example.net/page");
  g_autoptr(GlossAnnotation) a = NULL;

  g_assert_true (gloss_clip_has_tag (clip, "philosophy"));
  g_assert_true (gloss_clip_has_tag (clip, "ethics"));
  a = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpstr (gloss_annotation_get_note (a), ==, "An HTML comment & more");
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 50);
}

/* Some rows kept, some not: the kept ones stay, the others are named,
 * and the command exits 1. */
static void
test_cli_partial (void)
{
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-cli-partial");
  g_autofree char *path = gloss_test_source_path ("data/import/pocket.csv");
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  GFile *folder = gloss_library_get_folder (library);

  g_assert_cmpint (gloss_cli_import (folder, path, NULL, out, err), ==, 1);
  g_test_message ("%s%s", out->str, err->str);
  g_assert_true (g_str_has_prefix (out->str, "Format found: Pocket CSV export.\n"));
  g_assert_nonnull (strstr (out->str, "2 pages were kept as new clips.\n"));
  g_assert_nonnull (strstr (err->str, "not kept: Line 4 (“Broken”): “not a url” is not a web address"));
  g_assert_nonnull (strstr (err->str, "1 item could not be kept."));
}

/* article.txt of an export's article is what the reader's textContent
 * gives for article.html: every text node, nothing added, nothing lost. */
static void
test_article_text (void)
{
  static const char * const cases[][2] = {
    { "<p>a</p>\n<p>b</p>", "a\nb" },
    { "  lead <b>bold</b> <i>it</i> tail", "  lead bold it tail" },
    { "<table><tr><td>x</td> <td>y</td></tr></table>", "x y" },
    { "<img src=x> <span>after an image</span>", " after an image" },
    { "<pre>\nline one\n  two</pre>", "line one\n  two" },
    { "a &amp; b&nbsp;c &eacute;", "a & b\u00a0c \u00e9" },
    { "<p>one<br>two</p><!-- gone -->", "onetwo" },
    { "<script>alert(1)</script><style>p{}</style><p onclick=\"x()\">kept</p>", "kept" },
    { "line\r\nbreak\rhere", "line\nbreak\nhere" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *html = NULL;
      g_autofree char *text = NULL;

      g_test_message ("%s", cases[i][0]);
      g_assert_true (gloss_import_html_article (cases[i][0], &html, &text));
      g_assert_cmpstr (text, ==, cases[i][1]);
      g_assert_null (strstr (html, "script"));
      g_assert_null (strstr (html, "onclick"));
    }
}

/* An import file is untrusted: a `state.cached` file: address in it (as
 * Gloss's own JSON-LD export writes) never makes the import read a file
 * of this computer into the library. */
static void
test_cached_never_read (void)
{
  g_autofree char *outside = g_dir_make_tmp ("gloss-outside-XXXXXX", NULL);
  g_autofree char *html_path = g_build_filename (outside, "article.html", NULL);
  g_autofree char *text_path = g_build_filename (outside, "article.txt", NULL);
  g_autofree char *html_uri = g_filename_to_uri (html_path, NULL, NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(GlossLibrary) library = gloss_test_library_new ("lib-cached");
  g_autoptr(GlossImportSummary) summary = NULL;
  GlossClip *clip;
  g_autofree char *article = NULL;

  g_assert_true (g_file_set_contents (html_path, "<p>secret ssh key</p>", -1, NULL));
  g_assert_true (g_file_set_contents (text_path, "secret ssh key", -1, NULL));
  json = g_strdup_printf ("{\"type\": \"Annotation\", \"target\": {\"source\": \"https://example.org/cached\","
                          " \"state\": {\"type\": \"TimeState\", \"cached\": \"%s\"},"
                          " \"selector\": [{\"type\": \"TextQuoteSelector\", \"exact\": \"secret\"}]}}",
                          html_uri);

  plan = gloss_import_parse (json, strlen (json), "cached.jsonld", &error);
  g_assert_no_error (error);
  summary = gloss_import_apply (plan, library, GLOSS_IMPORT_CREATE_PLACEHOLDERS, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->clips_added, ==, 1);

  clip = gloss_library_find_by_url (library, "https://example.org/cached");
  g_assert_nonnull (clip);
  g_assert_true (gloss_import_clip_is_pending (clip));
  article = gloss_clip_load_article_text (clip, NULL);
  g_assert_null (article);

  g_unlink (html_path);
  g_unlink (text_path);
  g_rmdir (outside);
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/import/hypothesis", test_hypothesis);
  g_test_add_func ("/import/w3c-other", test_w3c_other);
  g_test_add_func ("/import/url-formats", test_url_formats);
  g_test_add_func ("/import/pocket-tags", test_pocket_tags_after_clipping);
  g_test_add_func ("/import/omnivore-highlights", test_omnivore_highlights);
  g_test_add_func ("/import/damaged", test_damaged);
  g_test_add_func ("/import/hostile-w3c", test_hostile_w3c);
  g_test_add_func ("/import/async", test_async);
  g_test_add_func ("/import/cli", test_cli_import);
  g_test_add_func ("/import/mutations", test_mutations);
  g_test_add_func ("/import/csv-without-url-column", test_csv_without_url_column);
  g_test_add_func ("/import/pocket-zip", test_pocket_zip);
  g_test_add_func ("/import/pocket-html", test_pocket_html);
  g_test_add_func ("/import/omnivore-zip", test_omnivore_zip);
  g_test_add_func ("/import/zip-traversal", test_zip_traversal);
  g_test_add_func ("/import/instapaper", test_instapaper);
  g_test_add_func ("/import/csv-encodings", test_csv_encodings);
  g_test_add_func ("/import/csv-huge-row", test_csv_huge_row);
  g_test_add_func ("/import/wallabag", test_wallabag);
  g_test_add_func ("/import/bookmarks", test_bookmarks);
  g_test_add_func ("/import/hypothesis-single", test_hypothesis_single);
  g_test_add_func ("/import/readwise", test_readwise);
  g_test_add_func ("/import/upper-case-scheme", test_upper_case_scheme);
  g_test_add_func ("/import/w3c-tagging", test_w3c_tagging);
  g_test_add_func ("/import/cli-partial", test_cli_partial);
  g_test_add_func ("/import/article-text", test_article_text);
  g_test_add_func ("/import/cached-never-read", test_cached_never_read);

  return g_test_run ();
}
