/* test-markdown.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Escaping, YAML quoting, slugs and text fragments, checked against
 * independent parsers: cmark for CommonMark, libyaml for YAML. */

#include "config.h"

#include <string.h>
#include <yaml.h>

#include "gloss-markdown.h"
#include "gloss-test-cmark.h"
#include "gloss-test-util.h"

/* Highlights a user could make that look like Markdown structure. */
static const char * const hostile[] = {
  "# heading", "## two", "#hashtag", "C #", "1. item", "1) item",
  "2025. A year to remember", "> quote", ">> nested", "|table|",
  "| a | b |\n|---|---|\n| c | d |", "*stars*", "**bold**", "_under_",
  "a * b * c", "<tag>", "<div>html</div>", "<!-- comment -->",
  "<https://example.org>", "[link](x)", "![img](y)", "[ref]: https://x",
  "[^1]", "`code`", "```\nfence\n```", "~~~\nfence", "~~strike~~", "---",
  "***", "___", "- item", "+ item", "* item", "title\n===", "a\n---",
  "&amp; &copy; &#35; &#x41;", "back\\slash\\", "x\\", "\\", "    indented code",
  "\tTab", "https://example.org/a_b_c", "two spaces  \nnext", "$x$",
  "snake_case_name and __init__ and _lead and trail_", "a_*b*_c", "x_~y~_z",
  "==highlight== and %%comment%% and 50% and a=b", "===", "%%", "a == b",
  "AT&T &amp;x &#38; &", "C# #tag a #b", "https://x.org/p#s?a=1&b=2&c_d=3~e",
  "Ünïcödé — “quotes” and 🎉", "=", "- ", "#", ">", "1.", "a\xe2\x80\xa8" "b",
  "first paragraph\n\nsecond paragraph\n\n\nthird", "  \n  \n", "",
  "line\r\nwindows", "<script>alert(1)</script>", "foo <!-- x --> bar",
  "[a]\n\n[a]: /url", "    ", "+++", "Setext\n---\nnext",
};

static void
test_escape_text (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *md = gloss_markdown_escape_text (hostile[i]);
      g_autoptr(GPtrArray) blocks = gloss_test_cmark_blocks (md);
      g_autofree char *expected = gloss_test_normalize (hostile[i], "\n");
      g_auto(GStrv) lines = g_strsplit (expected, "\n", -1);
      guint n = expected[0] == '\0' ? 0 : g_strv_length (lines);

      g_test_message ("%s → %s", hostile[i], md);
      g_assert_cmpuint (blocks->len, ==, n);
      for (guint j = 0; j < n; j++)
        {
          g_autofree char *want = g_strconcat ("P:", lines[j], NULL);
          g_assert_cmpstr (g_ptr_array_index (blocks, j), ==, want);
        }
    }
}

static void
test_escape_line (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *md = gloss_markdown_escape_line (hostile[i]);
      g_autofree char *heading = g_strconcat ("# ", md, NULL);
      g_autoptr(GPtrArray) blocks = gloss_test_cmark_blocks (heading);
      g_autofree char *expected = gloss_test_normalize (hostile[i], " ");
      g_autofree char *want = g_strconcat ("H1:", expected, NULL);

      g_assert_cmpuint (blocks->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (blocks, 0), ==, want);
    }
}

static void
test_blockquote (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *md = gloss_markdown_escape_text (hostile[i]);
      g_autofree char *quote = gloss_markdown_blockquote (md);
      g_autoptr(GPtrArray) blocks = gloss_test_cmark_blocks (quote);
      g_autofree char *expected = gloss_test_normalize (hostile[i], "\n");

      if (expected[0] == '\0')
        {
          g_assert_cmpuint (blocks->len, ==, 0);
          continue;
        }
      {
        g_autofree char *want = g_strconcat ("Q:", expected, NULL);
        g_assert_cmpuint (blocks->len, ==, 1);
        g_assert_cmpstr (g_ptr_array_index (blocks, 0), ==, want);
      }
    }
}

/* The value of "key" in a one-line YAML document, as libyaml reads it. */
static char *
yaml_value (const char *document)
{
  yaml_parser_t parser;
  yaml_event_t event;
  char *value = NULL;
  guint scalars = 0;
  gboolean done = FALSE;

  g_assert_true (yaml_parser_initialize (&parser));
  yaml_parser_set_input_string (&parser, (const guchar *) document, strlen (document));
  while (!done)
    {
      if (!yaml_parser_parse (&parser, &event))
        {
          g_test_message ("YAML error: %s", parser.problem);
          break;
        }
      if (event.type == YAML_SCALAR_EVENT && ++scalars == 2)
        value = g_strndup ((const char *) event.data.scalar.value, event.data.scalar.length);
      done = event.type == YAML_STREAM_END_EVENT;
      yaml_event_delete (&event);
    }
  yaml_parser_delete (&parser);
  return value;
}

static void
test_yaml_quote (void)
{
  static const char * const values[] = {
    "a: b", "\"quoted\"", "'single'", "---", "# not a comment", "line1\nline2",
    "tab\there", "\x01\x02" "ctrl\x1f\x7f", "back\\slash", "- dash", "? q",
    "{flow}", "[list]", "&anchor", "*alias", "!tag", "%directive", "@at",
    "`tick", "null", "~", "yes", "123", "\xe2\x80\xa8", "\xc2\x85",
    "\xef\xbb\xbf" "bom", "emoji 🎉", "…", "", " leading and trailing ",
    "a\r\nb", "...", "key: value\n---\nother: x", "\\u0041",
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *quoted = gloss_yaml_quote (values[i]);
      g_autofree char *doc = g_strdup_printf ("---\nkey: %s\nafter: 1\n---\n", quoted);
      g_autofree char *back = yaml_value (doc);

      g_test_message ("%s", doc);
      g_assert_cmpstr (back, ==, values[i]);
    }

  /* Invalid UTF-8 still gives a valid YAML document. */
  {
    g_autofree char *quoted = gloss_yaml_quote ("bad \xff byte");
    g_autofree char *doc = g_strdup_printf ("key: %s\n", quoted);
    g_autofree char *back = yaml_value (doc);

    g_assert_nonnull (back);
  }
}

static void
test_slug (void)
{
  static const char * const cases[][2] = {
    { "Hello, World!", "hello-world" },
    { "Ünïcödé Straße", "ünïcödé-straße" },
    { "日本語のタイトル", "日本語のタイトル" },
    { "", "untitled" },
    { "!!! ???", "untitled" },
    { "CON", "con-clip" },
    { "../etc/passwd", "etc-passwd" },
    { ".hidden", "hidden" },
    { "Title: with a colon — and “quotes”", "title-with-a-colon-and-quotes" },
    { "a\nb\tc", "a-b-c" },
  };
  g_autoptr(GString) long_title = g_string_new (NULL);
  g_autofree char *slug = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = gloss_slugify (cases[i][0], 96);
      g_assert_cmpstr (s, ==, cases[i][1]);
    }

  for (guint i = 0; i < 60; i++)
    g_string_append (long_title, "日本 ");
  slug = gloss_slugify (long_title->str, 96);
  g_assert_cmpuint (strlen (slug), <=, 96);
  g_assert_true (g_utf8_validate (slug, -1, NULL));
  g_assert_false (g_str_has_suffix (slug, "-"));
}

static void
test_text_fragment (void)
{
  g_autofree char *enc = gloss_text_fragment_encode ("a-b, c&d\n e%f");
  g_autofree char *u1 = NULL;
  g_autofree char *u2 = NULL;
  g_autofree char *u3 = NULL;
  g_autofree char *u4 = NULL;

  g_assert_cmpstr (enc, ==, "a%2Db%2C%20c%26d%20e%25f");

  u1 = gloss_text_fragment_url ("https://ex.org/p?q=1#old", "hello  world", NULL, NULL, TRUE);
  g_assert_cmpstr (u1, ==, "https://ex.org/p?q=1#:~:text=hello%20world");

  /* A 32-code-point context is cut mid-word: the cut word is dropped. */
  u2 = gloss_text_fragment_url ("https://ex.org/", "the cat",
                                "xxxxx that was when we first saw ", " sat on the mat and then went aw",
                                FALSE);
  g_assert_cmpstr (u2, ==,
                   "https://ex.org/#:~:text=that%20was%20when%20we%20first%20saw-,"
                   "the%20cat,-sat%20on%20the%20mat%20and%20then%20went");

  u3 = gloss_text_fragment_url ("https://ex.org/",
                                "First paragraph starts here and goes on\nand the second one ends right here.",
                                NULL, NULL, TRUE);
  g_assert_cmpstr (u3, ==,
                   "https://ex.org/#:~:text=First%20paragraph%20starts%20here%20and,"
                   "second%20one%20ends%20right%20here.");

  /* Context across a block boundary keeps only the line next to the quote. */
  u4 = gloss_text_fragment_url ("https://ex.org/", "x", "Heading\nshort ", "\nNext", FALSE);
  g_assert_cmpstr (u4, ==, "https://ex.org/#:~:text=short-,x,-Next");

  g_assert_cmpuint (gloss_count_occurrences ("abcabcabc", "abc", 2), ==, 2);
  g_assert_cmpuint (gloss_count_occurrences ("aaaa", "aa", 10), ==, 3);
  g_assert_cmpuint (gloss_count_occurrences ("abc", "", 10), ==, 0);
}

/* What GitHub-flavoured Markdown (cmark-gfm with its autolink extension,
 * as GitHub and, alike, Obsidian read it) makes of an escaped line. */
static char *
gfm_html (const char *markdown)
{
  const char *argv[] = { "cmark-gfm", "-e", "autolink", "-e", "strikethrough", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *html = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, markdown, NULL, &html, NULL, &error);
  g_assert_no_error (error);

  return html;
}

/* Underscores inside a word stay as they are: an escape there would end
 * up in the address of a GFM or Obsidian autolink (a%5C_b). Obsidian's
 * ==highlight== and %%comment%% are escaped. */
static void
test_gfm (void)
{
  static const struct { const char *text; const char *want; } cases[] = {
    { "see https://example.org/a_b_c/x_y.html now", "<a href=\"https://example.org/a_b_c/x_y.html\">" },
    { "https://x.org/p#s?a=1&b=2&c_d=3~e", "<a href=\"https://x.org/p#s?a=1&amp;b=2&amp;c_d=3~e\">" },
    { "www.example.org/snake_case", "<a href=\"http://www.example.org/snake_case\">" },
    { "mail first_last@example.org", "<a href=\"mailto:first_last@example.org\">" },
    { "snake_case_name", "<p>snake_case_name</p>" },
    { "_not emphasis_", "<p>_not emphasis_</p>" },
    { "~~not struck~~", "<p>~~not struck~~</p>" },
  };
  g_autofree char *path = g_find_program_in_path ("cmark-gfm");

  if (path == NULL)
    {
      g_test_skip ("cmark-gfm is not installed (Debian package cmark-gfm)");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *md = gloss_markdown_escape_line (cases[i].text);
      g_autofree char *html = gfm_html (md);

      g_test_message ("%s → %s → %s", cases[i].text, md, html);
      g_assert_nonnull (strstr (html, cases[i].want));
      g_assert_null (strstr (html, "%5C"));
    }

  {
    g_autofree char *md = gloss_markdown_escape_line ("==marked== and %%hidden%% and 50% a=b");

    g_assert_cmpstr (md, ==, "\\=\\=marked\\=\\= and \\%\\%hidden\\%\\% and 50% a=b");
  }
  {
    g_autofree char *md = gloss_markdown_escape_line ("a_b_c");

    g_assert_cmpstr (md, ==, "a_b_c");
  }
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/markdown/escape-text", test_escape_text);
  g_test_add_func ("/markdown/escape-line", test_escape_line);
  g_test_add_func ("/markdown/blockquote", test_blockquote);
  g_test_add_func ("/markdown/yaml-quote", test_yaml_quote);
  g_test_add_func ("/markdown/slug", test_slug);
  g_test_add_func ("/markdown/text-fragment", test_text_fragment);
  g_test_add_func ("/markdown/gfm", test_gfm);

  return g_test_run ();
}
