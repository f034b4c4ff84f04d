/* test-export-render.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The Markdown and JSON-LD of hostile clips, read back by independent
 * parsers: cmark for the Markdown, libyaml for the front matter. */

#include "config.h"

#include <string.h>
#include <yaml.h>

#include "gloss-export-private.h"
#include "gloss-test-cmark.h"
#include "gloss-test-util.h"

static const char * const hostile_titles[] = {
  "Title: with a colon", "\"Quoted\" and 'single'", "---", "# Leading hash",
  "Two\nlines", "[link](x) *stars* <b>bold</b> `code`", "", "- dash: { flow } [x]",
  "1. item", "> quote", "&amp; entity", "… “typographic” — 🎉", "back\\slash\\",
  "key: value\n---\nother: x", "null", "C #",
};

static const char * const hostile_quotes[] = {
  "# heading", "1. item", "> quote", "|table|", "*stars*", "<tag>", "[link](x)",
  "first paragraph\n\nsecond paragraph with **bold**", "```\ncode\n```", "---",
  "    indented", "plain text that appears twice", "plain text that appears twice",
  "&copy; \\ _x_ ~~y~~ $z$", "a\nb\nc", "title\n===",
};

static const char * const hostile_notes[] = {
  "", "## note heading", "- list\n- list", "<script>x</script>", "", "[a]: /b",
  "note with *stars*", "", "1) one\n2) two", "+ plus", "", "", "> quoted note",
  "", "===", "x  \ny",
};

static GlossExportClip *
make_clip (const char *title)
{
  GlossExportClip *clip = gloss_export_clip_new ();
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();

  clip->id = g_strdup ("6f1c2b9e-3d4a-4f0e-9b7a-2c1d5e8f9a01");
  clip->url = g_strdup ("https://example.org/a path/(x)?q=1&r=<2>#frag");
  clip->title = g_strdup (title);
  clip->byline = g_strdup ("Jane: \"JD\" Doe");
  clip->site_name = g_strdup ("# Site");
  clip->published = NULL;
  clip->created = g_strdup ("2026-11-24T18:04:05Z");
  clip->modified = g_strdup ("2026-11-24T18:10:41Z");
  clip->note = g_strdup ("Page-level note, **Markdown**.");
  clip->folder = g_strdup ("/tmp/library/clips/6f1c2b9e-3d4a-4f0e-9b7a-2c1d5e8f9a01");
  g_strv_builder_add (tags, "ukraine");
  g_strv_builder_add (tags, "tag: with \"quotes\"");
  clip->tags = g_strv_builder_end (tags);

  for (guint i = 0; i < G_N_ELEMENTS (hostile_quotes); i++)
    {
      GlossExportAnnotation *a = gloss_export_annotation_new ();
      a->id = g_strdup_printf ("a%u", i);
      a->created = g_strdup ("2026-11-24T18:06:12Z");
      a->modified = g_strdup ("2026-11-24T18:06:12Z");
      a->color = g_strdup (i % 2 ? "yellow" : "pink");
      a->note = g_strdup (hostile_notes[i]);
      a->exact = g_strdup (hostile_quotes[i]);
      a->prefix = g_strdup ("before, the text said - & ");
      a->suffix = g_strdup (" and after");
      a->start = i * 100;
      a->end = i * 100 + g_utf8_strlen (hostile_quotes[i], -1);
      a->orphan = i == 3;
      g_ptr_array_add (clip->annotations, a);
    }
  return clip;
}

/* Front matter as key → scalar (a sequence joins its items with "\x1f"). */
static GHashTable *
parse_front_matter (const char *yaml_text)
{
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  yaml_parser_t parser;
  yaml_event_t event;
  g_autofree char *key = NULL;
  g_autoptr(GString) seq = NULL;
  gboolean done = FALSE;

  g_assert_true (yaml_parser_initialize (&parser));
  yaml_parser_set_input_string (&parser, (const guchar *) yaml_text, strlen (yaml_text));
  while (!done)
    {
      if (!yaml_parser_parse (&parser, &event))
        g_error ("front matter is not YAML: %s\n%s", parser.problem, yaml_text);
      switch (event.type)
        {
        case YAML_SEQUENCE_START_EVENT:
          seq = g_string_new (NULL);
          break;
        case YAML_SEQUENCE_END_EVENT:
          g_hash_table_insert (map, g_steal_pointer (&key), g_string_free (g_steal_pointer (&seq), FALSE));
          break;
        case YAML_SCALAR_EVENT:
          {
            char *value = g_strndup ((const char *) event.data.scalar.value, event.data.scalar.length);
            if (seq != NULL)
              {
                if (seq->len > 0)
                  g_string_append_c (seq, '\x1f');
                g_string_append (seq, value);
                g_free (value);
              }
            else if (key == NULL)
              key = value;
            else
              g_hash_table_insert (map, g_steal_pointer (&key), value);
          }
          break;
        case YAML_STREAM_END_EVENT:
          done = TRUE;
          break;
        default:
          break;
        }
      yaml_event_delete (&event);
    }
  yaml_parser_delete (&parser);
  return map;
}

static void
check_markdown (GlossExportClip *clip,
                const char      *md)
{
  const char *end;
  g_autofree char *front = NULL;
  g_autoptr(GHashTable) map = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  guint b = 1;

  g_assert_true (g_str_has_prefix (md, "---\n"));
  end = strstr (md + 4, "\n---\n");
  g_assert_nonnull (end);
  front = g_strndup (md + 4, end - md - 3);
  map = parse_front_matter (front);

  title = g_strdup (clip->title[0] != '\0' ? clip->title : clip->url);
  g_assert_cmpstr (g_hash_table_lookup (map, "title"), ==, title);
  g_assert_cmpstr (g_hash_table_lookup (map, "gloss_id"), ==, clip->id);
  g_assert_cmpstr (g_hash_table_lookup (map, "url"), ==, clip->url);
  g_assert_cmpstr (g_hash_table_lookup (map, "author"), ==, clip->byline);
  g_assert_cmpstr (g_hash_table_lookup (map, "site"), ==, clip->site_name);
  g_assert_cmpstr (g_hash_table_lookup (map, "published"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (map, "clipped"), ==, clip->created);
  g_assert_cmpstr (g_hash_table_lookup (map, "tags"), ==, "ukraine\x1ftag: with \"quotes\"");
  g_assert_cmpstr (g_hash_table_lookup (map, "highlight_count"), ==, "16");

  blocks = gloss_test_cmark_blocks (end + 5);
  heading = g_strconcat ("H1:", gloss_test_normalize (title, " "), NULL);
  g_assert_cmpstr (g_ptr_array_index (blocks, 0), ==, heading);
  /* The page note is the user's Markdown. */
  g_assert_cmpstr (g_ptr_array_index (blocks, b++), ==, "P:Page-level note, \x01.");

  for (guint i = 0; i < clip->annotations->len; i++)
    {
      GlossExportAnnotation *a = g_ptr_array_index (clip->annotations, i);
      g_autofree char *quote = gloss_test_normalize (a->exact, "\n");
      g_autofree char *want = g_strconcat ("Q:", quote, NULL);
      g_autofree char *note = gloss_test_normalize (a->note, "\n");
      g_auto(GStrv) note_lines = g_strsplit (note, "\n", -1);
      const char *label;

      g_assert_cmpuint (b, <, blocks->len);
      g_assert_cmpstr (g_ptr_array_index (blocks, b++), ==, want);
      label = g_ptr_array_index (blocks, b++);
      g_assert_true (g_str_has_prefix (label, "P:\x01"));
      g_assert_nonnull (strstr (label, "Open on the page"));
      for (guint j = 0; note[0] != '\0' && note_lines[j] != NULL; j++)
        {
          g_autofree char *p = g_strconcat ("P:", note_lines[j], NULL);
          g_assert_cmpstr (g_ptr_array_index (blocks, b++), ==, p);
        }
    }
  g_assert_cmpuint (b, ==, blocks->len);
}

static void
test_markdown_hostile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossTemplate) tmpl = gloss_template_new (gloss_export_default_template (FALSE),
                                                      gloss_export_template_names (), &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_titles); i++)
    {
      g_autoptr(GlossExportClip) clip = make_clip (hostile_titles[i]);
      g_autoptr(GString) out = g_string_new (NULL);

      gloss_export_render_markdown (clip, tmpl, "plain text that appears twice, plain text that appears twice", NULL, out);
      g_test_message ("%s", out->str);
      check_markdown (clip, out->str);
    }
}

static void
test_markdown_links (void)
{
  g_autoptr(GlossTemplate) tmpl = gloss_template_new (gloss_export_default_template (FALSE), NULL, NULL);
  g_autoptr(GlossExportClip) clip = make_clip ("Links");
  g_autoptr(GString) out = g_string_new (NULL);

  gloss_export_render_markdown (clip, tmpl, "plain text that appears twice, plain text that appears twice", NULL, out);
  /* A quote found once gets a bare text directive; one found twice gets
   * its context. The destination never holds a space or angle bracket. */
  g_assert_nonnull (strstr (out->str, "(<https://example.org/a%20path/(x)?q=1&r=%3C2%3E#:~:text=%23%20heading>)"));
  g_assert_nonnull (strstr (out->str, "#:~:text=before%2C%20the%20text%20said%20%2D%20%26-,plain%20text%20that%20appears%20twice,-and%20after>"));
}

static void
test_markdown_combined_and_article (void)
{
  g_autoptr(GlossTemplate) tmpl = gloss_template_new (gloss_export_default_template (TRUE),
                                                      gloss_export_template_names (), NULL);
  g_autoptr(GlossExportClip) clip = make_clip ("Combined: one");
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) blocks = NULL;

  g_assert_nonnull (tmpl);
  gloss_export_render_combined_header (1, "2026-11-25T10:00:00Z", out);
  gloss_export_render_markdown (clip, tmpl, NULL, "Article *body*.", out);
  blocks = gloss_test_cmark_blocks (out->str);
  g_assert_cmpstr (g_ptr_array_index (blocks, 0), ==, "X:thematic_break");
  g_assert_cmpstr (g_ptr_array_index (blocks, 2), ==, "H1:Gloss export");
  g_assert_cmpstr (g_ptr_array_index (blocks, 3), ==, "H2:Combined: one");
  g_assert_cmpstr (g_ptr_array_index (blocks, 4), ==, "X:list");
  g_assert_cmpstr (g_ptr_array_index (blocks, blocks->len - 2), ==, "H3:Article");
  g_assert_cmpstr (g_ptr_array_index (blocks, blocks->len - 1), ==, "P:Article \x01.");
}

static JsonObject *
find_member_object (JsonArray  *array,
                    const char *member,
                    const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member_with_default (o, member, NULL), value) == 0)
        return o;
    }
  return NULL;
}

static void
test_jsonld_structure (void)
{
  g_autoptr(GlossExportClip) clip = make_clip ("JSON: \"LD\"");
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *page;

  gloss_export_clip_to_jsonld (clip, NULL, objects);
  g_assert_cmpuint (objects->len, ==, 1 + clip->annotations->len);

  page = g_ptr_array_index (objects, 0);
  g_assert_cmpstr (json_object_get_string_member (page, "type"), ==, "Annotation");
  g_assert_cmpstr (json_object_get_string_member (page, "motivation"), ==, "bookmarking");
  g_assert_cmpstr (json_object_get_string_member (page, "id"), ==, "urn:gloss:6f1c2b9e-3d4a-4f0e-9b7a-2c1d5e8f9a01");
  g_assert_cmpstr (json_object_get_string_member (page, "gloss:title"), ==, "JSON: \"LD\"");
  {
    JsonArray *body = json_object_get_array_member (page, "body");
    JsonObject *note = find_member_object (body, "purpose", "commenting");
    g_assert_cmpstr (json_object_get_string_member (note, "value"), ==, clip->note);
    g_assert_cmpstr (json_object_get_string_member (note, "format"), ==, "text/markdown");
    g_assert_nonnull (find_member_object (body, "value", "tag: with \"quotes\""));
  }

  for (guint i = 1; i < objects->len; i++)
    {
      JsonObject *o = g_ptr_array_index (objects, i);
      GlossExportAnnotation *a = g_ptr_array_index (clip->annotations, i - 1);
      JsonObject *target = json_object_get_object_member (o, "target");
      JsonArray *selectors = json_object_get_array_member (target, "selector");
      JsonObject *quote = find_member_object (selectors, "type", "TextQuoteSelector");
      JsonObject *position = find_member_object (selectors, "type", "TextPositionSelector");
      JsonObject *state = json_object_get_object_member (target, "state");
      gboolean has_note = a->note[0] != '\0';

      g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "Annotation");
      g_assert_cmpstr (json_object_get_string_member (o, "motivation"), ==,
                       has_note ? "commenting" : "highlighting");
      g_assert_cmpstr (json_object_get_string_member (o, "gloss:color"), ==, a->color);
      g_assert_cmpstr (json_object_get_string_member (target, "type"), ==, "SpecificResource");
      g_assert_cmpstr (json_object_get_string_member (target, "source"), ==, clip->url);
      g_assert_cmpstr (json_object_get_string_member (quote, "exact"), ==, a->exact);
      g_assert_cmpstr (json_object_get_string_member (quote, "prefix"), ==, a->prefix);
      g_assert_cmpint (json_object_get_int_member (position, "start"), ==, a->start);
      g_assert_cmpint (json_object_get_int_member (position, "end"), ==, a->end);
      g_assert_cmpstr (json_object_get_string_member (state, "type"), ==, "TimeState");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (state, "cached"), "file:///"));
      if (has_note)
        {
          JsonObject *body = find_member_object (json_object_get_array_member (o, "body"), "purpose", "commenting");
          g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "TextualBody");
          g_assert_cmpstr (json_object_get_string_member (body, "value"), ==, a->note);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/export-render/markdown-hostile", test_markdown_hostile);
  g_test_add_func ("/export-render/markdown-links", test_markdown_links);
  g_test_add_func ("/export-render/markdown-combined", test_markdown_combined_and_article);
  g_test_add_func ("/export-render/jsonld-structure", test_jsonld_structure);

  return g_test_run ();
}
