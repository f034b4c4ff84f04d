/* test-clip.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* GlossClip and GlossAnnotation against FORMAT.md: every field round
 * trips, unknown members survive, damaged files are reported and never
 * written, and a write the disk refuses leaves the old file as it was. */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gloss-clip-private.h"
#include "gloss-error.h"
#include "gloss-json-scan.h"
#include "gloss-id.h"
#include "gloss-library.h"
#include "gloss-test-util.h"

#define CLIP_ID "6f1c2b9e-3d4a-4f0e-9b7a-2c1d5e8f9a01"
#define ANN_ID "0b6e8c1a-5f2d-4c3b-8a9e-1d2f3a4b5c6d"

/* FORMAT.md's example, with non-ASCII everywhere and members this version
 * does not know at every level. */
static const char *full_json =
  "{\n"
  "  \"format\": 1,\n"
  "  \"id\": \"" CLIP_ID "\",\n"
  "  \"url\": \"https://example.org/2025/05/02/peace-talks?q=ü#frag\",\n"
  "  \"title\": \"US stepping back — «peace» talks 和平 😀\",\n"
  "  \"byline\": \"Zoë Ñúñez\",\n"
  "  \"site_name\": \"Example News\",\n"
  "  \"excerpt\": \"The US is stepping back from its involvement in peace talks…\",\n"
  "  \"lang\": \"en\",\n"
  "  \"dir\": \"ltr\",\n"
  "  \"published\": null,\n"
  "  \"created\": \"2026-11-24T18:04:05Z\",\n"
  "  \"modified\": \"2026-11-24T18:10:41.250Z\",\n"
  "  \"word_count\": 612,\n"
  "  \"tags\": [\"ukraine\", \"Diplomacy\", \"économie\"],\n"
  "  \"note\": \"Page-level note, **Markdown** ✓.\\nSecond line \\\"quoted\\\"\",\n"
  "  \"x-future\": { \"nested\": [1, 2.5, \"three\", null, true] },\n"
  "  \"annotations\": [\n"
  "    {\n"
  "      \"id\": \"" ANN_ID "\",\n"
  "      \"created\": \"2026-11-24T18:06:12Z\",\n"
  "      \"modified\": \"2026-11-24T18:09:30Z\",\n"
  "      \"color\": \"yellow\",\n"
  "      \"note\": \"Why now? Compare with the minerals deal. 🤔\",\n"
  "      \"x-ann\": [\"kept\"],\n"
  "      \"target\": {\n"
  "        \"source\": \"kept too\",\n"
  "        \"selector\": [\n"
  "          { \"type\": \"TextQuoteSelector\",\n"
  "            \"exact\": \"will not be the mediators\",\n"
  "            \"prefix\": \"told reporters that the US “\",\n"
  "            \"suffix\": \"” going forward, reflecting\" },\n"
  "          { \"type\": \"TextPositionSelector\", \"start\": 312, \"end\": 337 },\n"
  "          { \"type\": \"CssSelector\", \"value\": \"p:nth-child(3)\" }\n"
  "        ]\n"
  "      }\n"
  "    }\n"
  "  ]\n"
  "}\n";

static char *
make_clip_folder (const char *library,
                  const char *id,
                  const char *json)
{
  g_autofree char *clips = g_build_filename (library, "clips", NULL);
  char *folder = g_build_filename (clips, id, NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  if (json != NULL)
    {
      g_autofree char *path = g_build_filename (folder, "clip.json", NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, json, -1, &error);
      g_assert_no_error (error);
    }
  return folder;
}

static JsonNode *
parse (const char *data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, data, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_same_json (const char *a,
                  const char *b)
{
  g_autoptr(JsonNode) na = parse (a);
  g_autoptr(JsonNode) nb = parse (b);

  if (!json_node_equal (na, nb))
    {
      g_test_message ("expected:\n%s\ngot:\n%s", a, b);
      g_assert_not_reached ();
    }
}

static void
test_round_trip (void)
{
  g_autofree char *library = gloss_test_make_dir ("round-trip");
  g_autofree char *path = make_clip_folder (library, CLIP_ID, full_json);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autofree char *json_path = g_build_filename (path, "clip.json", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GlossAnnotation) a = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *tags;

  clip = gloss_clip_load (folder, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (gloss_clip_get_id (clip), ==, CLIP_ID);
  g_assert_cmpstr (gloss_clip_get_url (clip), ==, "https://example.org/2025/05/02/peace-talks?q=ü#frag");
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "US stepping back — «peace» talks 和平 😀");
  g_assert_cmpstr (gloss_clip_get_byline (clip), ==, "Zoë Ñúñez");
  g_assert_cmpstr (gloss_clip_get_site_name (clip), ==, "Example News");
  g_assert_cmpstr (gloss_clip_get_excerpt (clip), ==, "The US is stepping back from its involvement in peace talks…");
  g_assert_cmpstr (gloss_clip_get_lang (clip), ==, "en");
  g_assert_cmpstr (gloss_clip_get_dir (clip), ==, "ltr");
  g_assert_null (gloss_clip_get_published (clip));
  g_assert_cmpstr (gloss_clip_get_created (clip), ==, "2026-11-24T18:04:05Z");
  g_assert_cmpstr (gloss_clip_get_modified (clip), ==, "2026-11-24T18:10:41.250Z");
  g_assert_cmpint (gloss_clip_get_word_count (clip), ==, 612);
  g_assert_cmpstr (gloss_clip_get_note (clip), ==, "Page-level note, **Markdown** ✓.\nSecond line \"quoted\"");
  g_assert_cmpint (gloss_clip_get_created_unix (clip), ==, 1795543445);
  g_assert_false (gloss_clip_get_read_only (clip));
  g_assert_null (gloss_clip_get_damage (clip));

  tags = gloss_clip_get_tags (clip);
  g_assert_cmpuint (g_strv_length ((GStrv) tags), ==, 3);
  g_assert_cmpstr (tags[2], ==, "économie");
  g_assert_true (gloss_clip_has_tag (clip, "DIPLOMACY"));
  g_assert_true (gloss_clip_has_tag (clip, " ÉCONOMIE "));

  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);
  a = g_list_model_get_item (gloss_clip_get_annotations (clip), 0);
  g_assert_cmpstr (gloss_annotation_get_id (a), ==, ANN_ID);
  g_assert_cmpstr (gloss_annotation_get_created (a), ==, "2026-11-24T18:06:12Z");
  g_assert_cmpstr (gloss_annotation_get_modified (a), ==, "2026-11-24T18:09:30Z");
  g_assert_cmpint (gloss_annotation_get_color (a), ==, GLOSS_COLOR_YELLOW);
  g_assert_cmpstr (gloss_annotation_get_note (a), ==, "Why now? Compare with the minerals deal. 🤔");
  g_assert_cmpstr (gloss_annotation_get_exact (a), ==, "will not be the mediators");
  g_assert_cmpstr (gloss_annotation_get_prefix (a), ==, "told reporters that the US “");
  g_assert_cmpstr (gloss_annotation_get_suffix (a), ==, "” going forward, reflecting");
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 312);
  g_assert_cmpuint (gloss_annotation_get_end (a), ==, 337);
  g_assert_true (gloss_clip_find_annotation (clip, ANN_ID) == a);

  /* Saved untouched: the same document, unknown members included. */
  gloss_clip_save (clip, FALSE, &error);
  g_assert_no_error (error);
  saved = gloss_test_read_file (json_path);
  assert_same_json (full_json, saved);
}

static void
test_modify_round_trip (void)
{
  g_autofree char *library = gloss_test_make_dir ("modify");
  g_autofree char *path = make_clip_folder (library, CLIP_ID, full_json);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GlossClip) again = NULL;
  g_autoptr(GlossAnnotation) added = NULL;
  g_autoptr(GError) error = NULL;
  GlossAnnotation *kept;
  JsonObject *root;
  const char *new_tags[] = { "  spaced  ", "Tag", "tag", "", "日本", NULL };

  clip = gloss_clip_load (folder, &error);
  g_assert_no_error (error);

  gloss_clip_set_url (clip, "https://example.com/ü");
  gloss_clip_set_title (clip, "Nouveau titre — ça marche");
  gloss_clip_set_byline (clip, NULL);
  gloss_clip_set_site_name (clip, "Site ✓");
  gloss_clip_set_excerpt (clip, "Extrait");
  gloss_clip_set_lang (clip, "fr");
  gloss_clip_set_dir (clip, "rtl");
  gloss_clip_set_published (clip, "2025-05-02T00:00:00Z");
  gloss_clip_set_word_count (clip, 7);
  gloss_clip_set_note (clip, "Note ✍");
  gloss_clip_set_tags (clip, new_tags);
  g_assert_cmpuint (g_strv_length ((GStrv) gloss_clip_get_tags (clip)), ==, 3);
  g_assert_cmpstr (gloss_clip_get_tags (clip)[0], ==, "spaced");
  g_assert_false (gloss_clip_add_tag (clip, "TAG"));
  g_assert_true (gloss_clip_add_tag (clip, "Extra"));
  g_assert_true (gloss_clip_remove_tag (clip, "SPACED"));
  g_assert_false (gloss_clip_remove_tag (clip, "absent"));

  kept = gloss_clip_find_annotation (clip, ANN_ID);
  gloss_annotation_set_color (kept, GLOSS_COLOR_PURPLE);
  gloss_annotation_set_note (kept, "Changé");

  added = gloss_annotation_new ("earlier 😀", "pre", "suf", 5, 14, GLOSS_COLOR_GREEN);
  g_assert_true (gloss_id_is_valid (gloss_annotation_get_id (added)));
  g_assert_true (gloss_clip_add_annotation (clip, added));
  g_assert_false (gloss_clip_add_annotation (clip, added));
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 2);

  gloss_clip_save (clip, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gloss_time_is_valid (gloss_clip_get_modified (clip)));
  g_assert_cmpstr (gloss_clip_get_modified (clip), !=, "2026-11-24T18:10:41.250Z");

  again = gloss_clip_load (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_clip_get_url (again), ==, "https://example.com/ü");
  g_assert_cmpstr (gloss_clip_get_title (again), ==, "Nouveau titre — ça marche");
  g_assert_null (gloss_clip_get_byline (again));
  g_assert_cmpstr (gloss_clip_get_site_name (again), ==, "Site ✓");
  g_assert_cmpstr (gloss_clip_get_excerpt (again), ==, "Extrait");
  g_assert_cmpstr (gloss_clip_get_lang (again), ==, "fr");
  g_assert_cmpstr (gloss_clip_get_dir (again), ==, "rtl");
  g_assert_cmpstr (gloss_clip_get_published (again), ==, "2025-05-02T00:00:00Z");
  g_assert_cmpint (gloss_clip_get_word_count (again), ==, 7);
  g_assert_cmpstr (gloss_clip_get_note (again), ==, "Note ✍");
  g_assert_cmpstr (gloss_clip_get_modified (again), ==, gloss_clip_get_modified (clip));
  g_assert_true (gloss_clip_has_tag (again, "extra"));
  g_assert_false (gloss_clip_has_tag (again, "spaced"));
  g_assert_true (gloss_clip_has_tag (again, "日本"));

  /* Document order: the new one (start 5) comes first. */
  {
    g_autoptr(GlossAnnotation) first = g_list_model_get_item (gloss_clip_get_annotations (again), 0);
    g_autoptr(GlossAnnotation) second = g_list_model_get_item (gloss_clip_get_annotations (again), 1);

    g_assert_cmpstr (gloss_annotation_get_exact (first), ==, "earlier 😀");
    g_assert_cmpint (gloss_annotation_get_color (first), ==, GLOSS_COLOR_GREEN);
    g_assert_cmpstr (gloss_annotation_get_id (second), ==, ANN_ID);
    g_assert_cmpint (gloss_annotation_get_color (second), ==, GLOSS_COLOR_PURPLE);
    g_assert_cmpstr (gloss_annotation_get_note (second), ==, "Changé");
    g_assert_cmpstr (gloss_annotation_get_created (second), ==, "2026-11-24T18:06:12Z");
  }

  /* Unknown members at every level are still there. */
  root = gloss_clip_to_json (again);
  g_assert_true (json_object_has_member (root, "x-future"));
  {
    JsonObject *ann = json_array_get_object_element (json_object_get_array_member (root, "annotations"), 1);
    JsonObject *target = json_object_get_object_member (ann, "target");

    g_assert_true (json_object_has_member (ann, "x-ann"));
    g_assert_cmpstr (json_object_get_string_member (target, "source"), ==, "kept too");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (target, "selector")), ==, 3);
  }

  g_assert_true (gloss_clip_remove_annotation (again, ANN_ID));
  g_assert_false (gloss_clip_remove_annotation (again, ANN_ID));
  g_assert_cmpuint (gloss_clip_get_n_annotations (again), ==, 1);
}

static void
test_new_clip (void)
{
  g_autofree char *library_path = gloss_test_make_dir ("new");
  g_autoptr(GFile) library_folder = g_file_new_for_path (library_path);
  g_autoptr(GlossLibrary) library = gloss_library_new (library_folder);
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/a", "Ein Titel");
  g_autoptr(GlossClip) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;

  g_assert_true (gloss_id_is_valid (gloss_clip_get_id (clip)));
  g_assert_true (gloss_time_is_valid (gloss_clip_get_created (clip)));
  g_assert_null (gloss_clip_get_folder (clip));

  /* Not on disk yet: save() says so rather than guessing a place, and
   * so does every other way to a clip's files, in the same words. */
  g_assert_false (gloss_clip_save (clip, TRUE, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, gloss_clip_get_id (clip)));
  g_clear_error (&error);
  g_assert_null (gloss_clip_save_job_new (clip, TRUE, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (gloss_clip_replace_article (clip, "<p>x</p>", "x", &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (gloss_clip_load_article_text (clip, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (gloss_library_add (library, clip, "<p>Grüße 😀</p>", "Grüße 😀", &error));
  g_assert_no_error (error);
  g_assert_nonnull (gloss_clip_get_folder (clip));

  text = gloss_clip_load_article_text (clip, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Grüße 😀");
  html = gloss_clip_load_article_html (clip, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (html, ==, "<p>Grüße 😀</p>");

  loaded = gloss_clip_load (gloss_clip_get_folder (clip), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_clip_get_title (loaded), ==, "Ein Titel");
  g_assert_cmpint (gloss_clip_get_word_count (loaded), ==, -1);

  /* Never over an existing clip. */
  g_assert_false (gloss_library_add (library, clip, "x", "x", &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (gloss_clip_replace_article (clip, "<p>neu</p>", "neu", &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = gloss_clip_load_article_text (clip, &error);
  g_assert_cmpstr (text, ==, "neu");
}

typedef struct
{
  const char *name;
  const char *json;       /* NULL: built by the test */
  GlossErrorCode code;
  const char *reason;     /* a part of the message */
} DamagedCase;

static const DamagedCase damaged_cases[] = {
  { "empty", "", GLOSS_ERROR_DAMAGED, "empty" },
  { "whitespace", "  \n ", GLOSS_ERROR_DAMAGED, "empty" },
  { "truncated", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"title\": \"abc", GLOSS_ERROR_DAMAGED, "not valid JSON" },
  { "not-object", "[1, 2, 3]", GLOSS_ERROR_DAMAGED, "object" },
  { "nul-byte", NULL, GLOSS_ERROR_DAMAGED, "NUL" },
  { "bad-utf8", "{ \"format\": 1, \"title\": \"\xff\xfe\" }", GLOSS_ERROR_DAMAGED, "UTF-8" },
  { "missing-format", "{ \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_DAMAGED, "format" },
  { "format-string", "{ \"format\": \"1\", \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_DAMAGED, "not an integer" },
  { "format-zero", "{ \"format\": 0, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_DAMAGED, "format 0" },
  { "missing-url", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_DAMAGED, "“url”" },
  { "missing-created", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_DAMAGED, "“created”" },
  { "title-number", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": 5, \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_DAMAGED, "not a string" },
  { "title-null", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": null, \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_DAMAGED, "null" },
  { "bad-time", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"yesterday\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_DAMAGED, "RFC 3339" },
  { "local-time", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00+02:00\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_DAMAGED, "RFC 3339" },
  { "tags-object", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"tags\": {} }", GLOSS_ERROR_DAMAGED, "tags" },
  { "tag-number", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"tags\": [\"a\", 3] }", GLOSS_ERROR_DAMAGED, "tag 2" },
  { "word-count-float", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"word_count\": 1.5 }", GLOSS_ERROR_DAMAGED, "word_count" },
  { "annotations-object", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"annotations\": {} }", GLOSS_ERROR_DAMAGED, "annotations" },
  { "annotation-no-exact", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"annotations\": [ { \"id\": \"a1\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"color\": \"blue\", \"note\": \"\", \"target\": { \"selector\": [ { \"type\": \"TextQuoteSelector\" }, { \"type\": \"TextPositionSelector\", \"start\": 0, \"end\": 1 } ] } } ] }", GLOSS_ERROR_DAMAGED, "exact" },
  { "annotation-bad-color", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"annotations\": [ { \"id\": \"a1\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"color\": \"orange\", \"note\": \"\", \"target\": { \"selector\": [ { \"type\": \"TextQuoteSelector\", \"exact\": \"x\" }, { \"type\": \"TextPositionSelector\", \"start\": 0, \"end\": 1 } ] } } ] }", GLOSS_ERROR_DAMAGED, "orange" },
  { "annotation-negative", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"annotations\": [ { \"id\": \"a1\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"color\": \"blue\", \"note\": \"\", \"target\": { \"selector\": [ { \"type\": \"TextQuoteSelector\", \"exact\": \"x\" }, { \"type\": \"TextPositionSelector\", \"start\": -4, \"end\": 1 } ] } } ] }", GLOSS_ERROR_DAMAGED, "out of range" },
  { "annotation-bad-id", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"annotations\": [ { \"id\": \"../../x\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"color\": \"blue\", \"note\": \"\", \"target\": { \"selector\": [] } } ] }", GLOSS_ERROR_DAMAGED, "not a valid id" },
  { "annotation-duplicate", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"annotations\": [ "
    "{ \"id\": \"a1\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"color\": \"blue\", \"note\": \"\", \"target\": { \"selector\": [ { \"type\": \"TextQuoteSelector\", \"exact\": \"x\" }, { \"type\": \"TextPositionSelector\", \"start\": 0, \"end\": 1 } ] } },"
    "{ \"id\": \"a1\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"color\": \"blue\", \"note\": \"\", \"target\": { \"selector\": [ { \"type\": \"TextQuoteSelector\", \"exact\": \"x\" }, { \"type\": \"TextPositionSelector\", \"start\": 0, \"end\": 1 } ] } } ] }", GLOSS_ERROR_DAMAGED, "twice" },
  { "id-dotdot", "{ \"format\": 1, \"id\": \"../../etc\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_INVALID_ID, "not a valid id" },
  { "id-mismatch", "{ \"format\": 1, \"id\": \"another-id\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_INVALID_ID, "folder" },
  { "trailing-document", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" } {}", GLOSS_ERROR_DAMAGED, "after the end" },
  /* Numbers json-glib 1.6 would change or write back as invalid JSON. */
  { "number-huge-int", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"x\": 99999999999999999999 }", GLOSS_ERROR_DAMAGED, "too large" },
  { "number-exponent", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", \"x\": [1e20] }", GLOSS_ERROR_DAMAGED, "write back" },
  { "lone-surrogate", "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"\\ud800\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }", GLOSS_ERROR_DAMAGED, "surrogate" },
  { "deep-nesting", NULL, GLOSS_ERROR_DAMAGED, "deep" },
  { "too-large", NULL, GLOSS_ERROR_DAMAGED, "too large" },
};

static char *
build_case (const DamagedCase *c,
            gsize             *length)
{
  if (g_str_equal (c->name, "nul-byte"))
    {
      const char data[] = "{ \"format\": 1,\0 \"id\": \"x\" }";
      *length = sizeof data - 1;
      return g_memdup2 (data, *length);
    }
  if (g_str_equal (c->name, "deep-nesting"))
    {
      GString *s = g_string_new ("{ \"format\": 1, \"x\": ");
      for (guint i = 0; i < 100000; i++)
        g_string_append_c (s, '[');
      for (guint i = 0; i < 100000; i++)
        g_string_append_c (s, ']');
      g_string_append (s, "}");
      *length = s->len;
      return g_string_free (s, FALSE);
    }
  if (g_str_equal (c->name, "too-large"))
    {
      GString *s = g_string_new ("{ \"format\": 1, \"title\": \"");
      gsize n = 65 * 1024 * 1024;
      g_string_set_size (s, s->len + n);
      memset (s->str + s->len - n, 'a', n);
      g_string_append (s, "\" }");
      *length = s->len;
      return g_string_free (s, FALSE);
    }
  *length = strlen (c->json);
  return g_strdup (c->json);
}

typedef struct
{
  char   *bytes;
  gsize   length;
  gint64  mtime;
} Snapshot;

static void
snapshot (const char *path,
          Snapshot   *snap)
{
  GStatBuf st;

  g_assert_true (g_file_get_contents (path, &snap->bytes, &snap->length, NULL));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  snap->mtime = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
}

static void
assert_unchanged (const char *path,
                  Snapshot   *before)
{
  Snapshot after = { 0, };

  snapshot (path, &after);
  g_assert_cmpmem (before->bytes, before->length, after.bytes, after.length);
  g_assert_cmpint (before->mtime, ==, after.mtime);
  g_free (after.bytes);
}

/* An annotation json-glib holds (an import's, a clip loaded in full) is
 * judged as clip.json's are: each damaged annotation above is refused by
 * gloss_annotation_new_from_json() for the reason loading gives. */
static void
test_annotation_from_json (void)
{
  guint n_checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (damaged_cases); i++)
    {
      const DamagedCase *c = &damaged_cases[i];
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GlossAnnotation) annotation = NULL;
      g_autoptr(GError) error = NULL;
      JsonArray *annotations;

      /* A duplicate id is the clip's fault, not the annotation's. */
      if (!g_str_has_prefix (c->name, "annotation-") || g_str_equal (c->name, "annotation-duplicate"))
        continue;

      g_test_message ("case %s", c->name);
      g_assert_true (json_parser_load_from_data (parser, c->json, -1, NULL));
      annotations = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "annotations");
      annotation = gloss_annotation_new_from_json (json_array_get_object_element (annotations, 0), &error);
      g_assert_null (annotation);
      /* Damaged, or an invalid id: the clip's reader calls both damage. */
      g_assert_nonnull (error);
      g_assert_true (error->domain == GLOSS_ERROR);
      if (strstr (error->message, c->reason) == NULL)
        g_error ("case %s: “%s” does not mention “%s”", c->name, error->message, c->reason);
      n_checked++;
    }
  g_assert_cmpuint (n_checked, >=, 4);

  /* A good one keeps what it was given, unknown members too. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GlossAnnotation) annotation = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (json_parser_load_from_data (parser,
                                               "{ \"id\": \"a1\", \"created\": \"2026-01-01T00:00:00Z\","
                                               "  \"modified\": \"2026-01-02T00:00:00Z\", \"color\": \"blue\","
                                               "  \"note\": null, \"x-other\": [1, 2.5, true, { \"a\": null }],"
                                               "  \"target\": { \"selector\": ["
                                               "    { \"type\": \"TextQuoteSelector\", \"exact\": \"x\", \"prefix\": \"p\" },"
                                               "    { \"type\": \"TextPositionSelector\", \"start\": 3, \"end\": 4 } ] } }",
                                               -1, NULL));
    annotation = gloss_annotation_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (gloss_annotation_get_id (annotation), ==, "a1");
    g_assert_cmpstr (gloss_annotation_get_modified (annotation), ==, "2026-01-02T00:00:00Z");
    g_assert_cmpint (gloss_annotation_get_color (annotation), ==, GLOSS_COLOR_BLUE);
    g_assert_cmpstr (gloss_annotation_get_note (annotation), ==, "");
    g_assert_cmpstr (gloss_annotation_get_exact (annotation), ==, "x");
    g_assert_cmpstr (gloss_annotation_get_prefix (annotation), ==, "p");
    g_assert_cmpstr (gloss_annotation_get_suffix (annotation), ==, "");
    g_assert_cmpuint (gloss_annotation_get_start (annotation), ==, 3);
    g_assert_cmpuint (gloss_annotation_get_end (annotation), ==, 4);
    g_assert_true (json_object_has_member (gloss_annotation_to_json (annotation), "x-other"));
  }
}

static void
test_damaged (void)
{
  g_autofree char *library = gloss_test_make_dir ("damaged");

  for (guint i = 0; i < G_N_ELEMENTS (damaged_cases); i++)
    {
      const DamagedCase *c = &damaged_cases[i];
      g_autofree char *data = NULL;
      g_autofree char *path = NULL;
      g_autofree char *json_path = NULL;
      g_autoptr(GFile) folder = NULL;
      g_autoptr(GlossClip) clip = NULL;
      g_autoptr(GlossClip) stand_in = NULL;
      g_autoptr(GError) error = NULL;
      Snapshot before = { 0, };
      gsize length;

      g_test_message ("case %s", c->name);
      data = build_case (c, &length);
      path = make_clip_folder (library, CLIP_ID, NULL);
      json_path = g_build_filename (path, "clip.json", NULL);
      g_assert_true (g_file_set_contents (json_path, data, length, NULL));
      snapshot (json_path, &before);
      folder = g_file_new_for_path (path);

      clip = gloss_clip_load (folder, &error);
      g_assert_null (clip);
      g_assert_error (error, GLOSS_ERROR, (gint) c->code);
      if (strstr (error->message, c->reason) == NULL)
        g_error ("case %s: “%s” does not mention “%s”", c->name, error->message, c->reason);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));

      /* The stand-in the list shows is never written. */
      stand_in = gloss_clip_new_damaged (folder, error->message);
      g_assert_true (gloss_clip_get_read_only (stand_in));
      g_assert_cmpstr (gloss_clip_get_damage (stand_in), ==, error->message);
      g_clear_error (&error);
      g_assert_false (gloss_clip_save (stand_in, TRUE, &error));
      g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY);
      g_clear_error (&error);
      g_assert_false (gloss_clip_replace_article (stand_in, "x", "x", &error));
      g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY);
      g_assert_cmpuint (g_list_model_get_n_items (gloss_clip_get_annotations (stand_in)), ==, 0);

      assert_unchanged (json_path, &before);
      g_free (before.bytes);
      gloss_test_remove_tree (path);
    }
}

/* What FORMAT.md leaves to the writer: absent or null where a value can
 * be empty. Read as empty, not as damage. */
static void
test_lenient_empties (void)
{
  g_autofree char *library = gloss_test_make_dir ("lenient");
  g_autofree char *path = make_clip_folder (library, CLIP_ID,
    "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"t\", "
    "\"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\", "
    "\"note\": null, \"tags\": null, \"word_count\": null, \"byline\": null, "
    "\"annotations\": [ { \"id\": \"a1\", \"created\": \"2026-01-01T00:00:00Z\", "
    "\"modified\": \"2026-01-01T00:00:00Z\", \"color\": \"green\", \"note\": null, "
    "\"target\": { \"selector\": [ { \"type\": \"TextQuoteSelector\", \"exact\": \"x\", "
    "\"prefix\": null }, { \"type\": \"TextPositionSelector\", \"start\": 0, \"end\": 1 } ] } } ] }");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GlossClip) summary = NULL;
  g_autoptr(GError) error = NULL;
  GlossAnnotation *a;

  clip = gloss_clip_load (folder, &error);
  g_assert_no_error (error);
  summary = gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_SUMMARY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_clip_get_note (clip), ==, "");
  g_assert_cmpint (gloss_clip_get_word_count (clip), ==, -1);
  a = gloss_clip_find_annotation (clip, "a1");
  g_assert_cmpstr (gloss_annotation_get_note (a), ==, "");
  g_assert_cmpstr (gloss_annotation_get_prefix (a), ==, "");
  gloss_annotation_set_note (a, "now");
  g_assert_true (gloss_clip_save (clip, TRUE, &error));
  g_assert_no_error (error);
}

static void
test_huge_strings (void)
{
  g_autofree char *library = gloss_test_make_dir ("huge");
  g_autofree char *path = make_clip_folder (library, CLIP_ID, NULL);
  g_autofree char *json_path = g_build_filename (path, "clip.json", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;
  gsize n = 8 * 1024 * 1024;

  /* Large but legal: read, not refused. */
  g_string_append (json, "{ \"format\": 1, \"id\": \"" CLIP_ID "\", \"url\": \"u\", \"title\": \"");
  for (gsize i = 0; i < n / 4; i++)
    g_string_append (json, "Ωé𝔘");
  g_string_append (json, "\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\" }");
  g_assert_true (g_file_set_contents (json_path, json->str, json->len, NULL));

  clip = gloss_clip_load (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (gloss_clip_get_title (clip)), ==, (n / 4) * 8);
}

static void
test_newer_format (void)
{
  g_autofree char *library = gloss_test_make_dir ("newer");
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json_path = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;
  Snapshot before = { 0, };
  GString *s = g_string_new (full_json);

  g_string_replace (s, "\"format\": 1", "\"format\": 2", 1);
  json = g_string_free (s, FALSE);
  path = make_clip_folder (library, CLIP_ID, json);
  json_path = g_build_filename (path, "clip.json", NULL);
  snapshot (json_path, &before);
  folder = g_file_new_for_path (path);

  clip = gloss_clip_load (folder, &error);
  g_assert_no_error (error);
  g_assert_true (gloss_clip_get_read_only (clip));
  g_assert_null (gloss_clip_get_damage (clip));
  g_assert_cmpstr (gloss_clip_get_title (clip), ==, "US stepping back — «peace» talks 和平 😀");

  gloss_clip_set_title (clip, "changed");
  g_assert_false (gloss_clip_save (clip, TRUE, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "newer"));

  assert_unchanged (json_path, &before);
  g_free (before.bytes);
}

static void
test_folder_names (void)
{
  g_autofree char *library = gloss_test_make_dir ("names");
  g_autofree char *bad = make_clip_folder (library, "Not An Id", full_json);
  g_autofree char *unfinished = make_clip_folder (library, "unfinished", NULL);
  g_autoptr(GFile) bad_folder = g_file_new_for_path (bad);
  g_autoptr(GFile) unfinished_folder = g_file_new_for_path (unfinished);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;

  clip = gloss_clip_load (bad_folder, &error);
  g_assert_null (clip);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID);
  g_clear_error (&error);

  clip = gloss_clip_load (unfinished_folder, &error);
  g_assert_null (clip);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND);
}

static void
test_ids_and_times (void)
{
  g_autofree char *id = gloss_id_new ();
  g_autofree char *now = gloss_time_now_string ();
  g_autoptr(GError) error = NULL;
  g_autofree char *long_id = g_strnfill (65, 'a');
  g_autofree char *max_id = g_strnfill (64, 'a');

  g_assert_true (gloss_id_is_valid (id));
  g_assert_cmpuint (strlen (id), ==, 36);
  g_assert_true (gloss_id_is_valid ("a"));
  g_assert_true (gloss_id_is_valid (max_id));
  g_assert_false (gloss_id_is_valid (long_id));
  g_assert_false (gloss_id_is_valid (""));
  g_assert_false (gloss_id_is_valid (NULL));
  g_assert_false (gloss_id_is_valid (".."));
  g_assert_false (gloss_id_is_valid ("../x"));
  g_assert_false (gloss_id_is_valid ("a/b"));
  g_assert_false (gloss_id_is_valid ("ABC"));
  g_assert_false (gloss_id_is_valid ("a b"));
  g_assert_false (gloss_id_check ("é", &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID);
  /* Every byte, alone and after a good start. */
  for (guint c = 1; c < 256; c++)
    {
      char alone[] = { (char) c, '\0' };
      char after[] = { 'a', '0', (char) c, '\0' };
      gboolean good = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-';

      g_assert_cmpint (gloss_id_is_valid (alone), ==, good);
      g_assert_cmpint (gloss_id_is_valid (after), ==, good);
    }

  g_assert_true (gloss_time_is_valid (now));
  g_assert_true (g_str_has_suffix (now, "Z"));
  g_assert_true (gloss_time_is_valid ("2026-11-24T18:04:05.123456Z"));
  g_assert_false (gloss_time_is_valid ("2026-11-24T18:04:05"));
  g_assert_false (gloss_time_is_valid ("2026-11-24 18:04:05Z"));
  g_assert_false (gloss_time_is_valid ("2026-13-24T18:04:05Z"));
  g_assert_false (gloss_time_is_valid ("2026-11-24T18:04:05.Z"));
  g_assert_false (gloss_time_is_valid (NULL));

  /* The one conversion both clip readers sort by. */
  g_assert_cmpint (gloss_time_to_usec ("1970-01-01T00:00:01.5Z"), ==, 1500000);
  g_assert_cmpint (gloss_time_to_usec ("2026-11-24T18:04:05Z"), ==, G_GINT64_CONSTANT (1795543445000000));
  g_assert_cmpint (gloss_time_to_usec ("2026-11-24T18:04:05.000001Z"), ==, G_GINT64_CONSTANT (1795543445000001));
  g_assert_cmpint (gloss_time_to_usec ("2026-11-24T18:04:05"), ==, 0);
  g_assert_cmpint (gloss_time_to_usec (NULL), ==, 0);
}

/* A write the disk refuses. Tests run as root, for whom a read-only
 * folder (chmod) is no obstacle, so the refusal is made by the kernel in
 * a way root cannot bypass: RLIMIT_FSIZE, the per-process file size
 * limit, makes every write past a few bytes fail with EFBIG, as a full
 * disk would with ENOSPC. It runs in a subprocess so the limit stays
 * there. */
static void
write_refused_child (void)
{
  const char *path = g_getenv ("GLOSS_TEST_CLIP_FOLDER");
  g_autoptr(GFile) folder = g_file_new_for_path (path ? path : "/nonexistent");
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit limit = { 64, 64 };

  if (!g_test_subprocess ())
    {
      g_test_skip ("only run by /clip/write-refused");
      return;
    }

  clip = gloss_clip_load (folder, &error);
  g_assert_no_error (error);
  gloss_clip_set_title (clip, "A title that will never reach the disk");

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  g_assert_false (gloss_clip_save (clip, TRUE, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_IO);
  g_printerr ("%s\n", error->message);
  /* The path and the reason, for a person to act on. */
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "clip.json"));
  /* Memory still says what the disk says. */
  g_assert_cmpstr (gloss_clip_get_modified (clip), ==, "2026-11-24T18:10:41.250Z");
}

static void
test_write_refused (void)
{
  g_autofree char *library = gloss_test_make_dir ("refused");
  g_autofree char *path = make_clip_folder (library, CLIP_ID, full_json);
  g_autofree char *json_path = g_build_filename (path, "clip.json", NULL);
  g_autoptr(GDir) dir = NULL;
  Snapshot before = { 0, };
  const char *name;
  guint n_files = 0;

  snapshot (json_path, &before);
  g_setenv ("GLOSS_TEST_CLIP_FOLDER", path, TRUE);

  g_test_trap_subprocess ("/clip/write-refused/child", 0, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Could not save*clip.json*");

  assert_unchanged (json_path, &before);
  g_free (before.bytes);

  /* And no temporary file left behind. */
  dir = g_dir_open (path, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
}

/* The other way a folder refuses: it is not a folder any more (a sync
 * tool replaced it by a file). Works as root too. */
static void
test_write_into_missing_folder (void)
{
  g_autofree char *library = gloss_test_make_dir ("gone");
  g_autofree char *path = make_clip_folder (library, CLIP_ID, full_json);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;

  clip = gloss_clip_load (folder, &error);
  g_assert_no_error (error);

  gloss_test_remove_tree (path);
  g_assert_true (g_file_set_contents (path, "I am a file now", -1, NULL));

  g_assert_false (gloss_clip_save (clip, TRUE, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  {
    g_autofree char *contents = gloss_test_read_file (path);
    g_assert_cmpstr (contents, ==, "I am a file now");
  }
}

static void
test_read_only_folder_as_user (void)
{
  g_autofree char *library = gloss_test_make_dir ("chmod");
  g_autofree char *path = make_clip_folder (library, CLIP_ID, full_json);
  g_autofree char *json_path = g_build_filename (path, "clip.json", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;
  Snapshot before = { 0, };

  if (geteuid () == 0)
    {
      g_test_skip ("root writes into read-only folders; see /clip/write-refused");
      return;
    }

  snapshot (json_path, &before);
  clip = gloss_clip_load (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0555), ==, 0);

  g_assert_false (gloss_clip_save (clip, TRUE, &error));
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_chmod (path, 0755);
  assert_unchanged (json_path, &before);
  g_free (before.bytes);
}

static void
test_summary_mode (void)
{
  g_autofree char *library = gloss_test_make_dir ("summary");
  g_autofree char *path = make_clip_folder (library, CLIP_ID, full_json);
  g_autofree char *json_path = g_build_filename (path, "clip.json", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  clip = gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_SUMMARY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);

  /* A change made before the annotations were read still wins. */
  gloss_clip_set_title (clip, "Kurz");
  g_assert_nonnull (gloss_clip_find_annotation (clip, ANN_ID));
  gloss_clip_save (clip, FALSE, &error);
  g_assert_no_error (error);

  saved = gloss_test_read_file (json_path);
  g_assert_nonnull (strstr (saved, "\"title\" : \"Kurz\""));
  g_assert_nonnull (strstr (saved, "x-future"));
  g_assert_nonnull (strstr (saved, "CssSelector"));
}

static void
test_colors (void)
{
  GlossColor c;

  for (guint i = 0; i < GLOSS_N_COLORS; i++)
    {
      g_assert_true (gloss_color_from_string (gloss_color_to_string (i), &c));
      g_assert_cmpint (c, ==, i);
    }
  g_assert_null (gloss_color_to_string (GLOSS_N_COLORS));
  g_assert_false (gloss_color_from_string ("Yellow", &c));
  g_assert_false (gloss_color_from_string (NULL, &c));
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

static void
test_annotation_copy (void)
{
  g_autoptr(GlossAnnotation) a = gloss_annotation_new ("q", "p", "s", 1, 2, GLOSS_COLOR_PINK);
  g_autoptr(GlossAnnotation) b = gloss_annotation_copy (a);

  gloss_annotation_set_note (b, "only in the copy");
  gloss_annotation_to_json (b);
  gloss_annotation_to_json (a);
  g_assert_cmpstr (gloss_annotation_get_note (a), ==, "");
  g_assert_cmpstr (json_object_get_string_member (gloss_annotation_to_json (a), "note"), ==, "");
  g_assert_cmpstr (gloss_annotation_get_id (a), ==, gloss_annotation_get_id (b));
  g_assert_cmpint (gloss_annotation_get_color (b), ==, GLOSS_COLOR_PINK);

  {
    guint notes = 0;
    g_autofree char *note = NULL;

    g_signal_connect_swapped (b, "notify::note", G_CALLBACK (count_cb), &notes);
    gloss_annotation_set_note (b, "again");
    gloss_annotation_set_note (b, "again");
    g_assert_cmpuint (notes, ==, 1);
    g_object_get (b, "note", &note, NULL);
    g_assert_cmpstr (note, ==, "again");
  }

  gloss_annotation_set_target (b, "new", "", "", 10, 13);
  g_assert_cmpuint (gloss_annotation_get_start (b), ==, 10);
  g_assert_cmpuint (gloss_annotation_get_start (a), ==, 1);
}

/* The scanner's integers, summed by hand since issue 15: the limits of
 * gint64 are read exactly, one past them is refused. */
static void
test_scan_integers (void)
{
  static const struct { const char *text; gboolean ok; gint64 value; } cases[] = {
    { "0", TRUE, 0 },
    { "-0", TRUE, 0 },
    { "42", TRUE, 42 },
    { "-42", TRUE, -42 },
    { "9223372036854775807", TRUE, G_MAXINT64 },
    { "-9223372036854775808", TRUE, G_MININT64 },
    { "9223372036854775808", FALSE, 0 },
    { "-9223372036854775809", FALSE, 0 },
    { "99999999999999999999", FALSE, 0 },
    { "00", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *doc = g_strdup_printf ("[%s]", cases[i].text);
      g_autofree char *reason = NULL;
      g_autoptr(GlossScan) scan = gloss_scan_parse (doc, strlen (doc), 8, &reason);

      if (!cases[i].ok)
        {
          g_assert_null (scan);
          g_assert_nonnull (reason);
          continue;
        }
      g_assert_nonnull (scan);
      g_assert_cmpint (gloss_scan_get_root (scan)->first->type, ==, GLOSS_SCAN_INT);
      g_assert_cmpint (gloss_scan_get_root (scan)->first->i, ==, cases[i].value);
    }
}

/* Fractions and exponents: JSON wants a digit after "." and after "e"
 * (and its sign); the reason says where the number went wrong. */
static void
test_scan_fractions (void)
{
  static const struct { const char *text; double value; const char *reason; } cases[] = {
    { "1.5", 1.5, NULL },
    { "-2.5e-1", -0.25, NULL },
    { "1E+3", 1000.0, NULL },
    { "2e2", 200.0, NULL },
    { "0.125", 0.125, NULL },
    { "1.", 0, "column 4" },
    { "1.e3", 0, "column 4" },
    { "1.x", 0, "column 4" },
    { "1e", 0, "column 4" },
    { "1e+", 0, "column 5" },
    { "2.5E-", 0, "column 7" },
    { "-", 0, "column 2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *doc = g_strdup_printf ("[%s]", cases[i].text);
      g_autofree char *reason = NULL;
      g_autoptr(GlossScan) scan = gloss_scan_parse (doc, strlen (doc), 8, &reason);

      if (cases[i].reason != NULL)
        {
          g_assert_null (scan);
          g_test_message ("%s: %s", cases[i].text, reason);
          g_assert_nonnull (strstr (reason, "a bad number"));
          g_assert_nonnull (strstr (reason, cases[i].reason));
          continue;
        }
      g_assert_nonnull (scan);
      g_assert_cmpint (gloss_scan_get_root (scan)->first->type, ==, GLOSS_SCAN_DOUBLE);
      g_assert_cmpfloat (gloss_scan_get_root (scan)->first->d, ==, cases[i].value);
    }
}

int
main (int    argc,
      char **argv)
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/clip/round-trip", test_round_trip);
  g_test_add_func ("/clip/modify-round-trip", test_modify_round_trip);
  g_test_add_func ("/clip/new", test_new_clip);
  g_test_add_func ("/clip/damaged", test_damaged);
  g_test_add_func ("/clip/annotation-from-json", test_annotation_from_json);
  g_test_add_func ("/clip/lenient-empties", test_lenient_empties);
  g_test_add_func ("/clip/scan-integers", test_scan_integers);
  g_test_add_func ("/clip/scan-fractions", test_scan_fractions);
  g_test_add_func ("/clip/huge-strings", test_huge_strings);
  g_test_add_func ("/clip/newer-format", test_newer_format);
  g_test_add_func ("/clip/folder-names", test_folder_names);
  g_test_add_func ("/clip/ids-and-times", test_ids_and_times);
  g_test_add_func ("/clip/write-refused", test_write_refused);
  g_test_add_func ("/clip/write-refused/child", write_refused_child);
  g_test_add_func ("/clip/write-into-missing-folder", test_write_into_missing_folder);
  g_test_add_func ("/clip/read-only-folder", test_read_only_folder_as_user);
  g_test_add_func ("/clip/summary-mode", test_summary_mode);
  g_test_add_func ("/clip/colors", test_colors);
  g_test_add_func ("/clip/annotation-copy", test_annotation_copy);

  return g_test_run ();
}
