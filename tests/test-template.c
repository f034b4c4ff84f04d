/* test-template.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The {{variable}} template engine of the Markdown export. */

#include "config.h"

#include "gloss-error.h"
#include "gloss-template.h"
#include "gloss-test-util.h"

static char *
render (const char         *source,
        GlossTemplateScope *scope)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossTemplate) tmpl = gloss_template_new (source, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  gloss_template_render (tmpl, scope, out);
  return g_string_free (out, FALSE);
}

static void
test_variables (void)
{
  g_autoptr(GlossTemplateScope) scope = gloss_template_scope_new ();
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  gloss_template_scope_set (scope, "title", GLOSS_TEMPLATE_LINE, "A *bold*\nclaim: yes");
  gloss_template_scope_set (scope, "note", GLOSS_TEMPLATE_MARKDOWN, "**mine**");
  gloss_template_scope_set (scope, "url", GLOSS_TEMPLATE_URL, "https://ex.org/a b");

  a = render ("# {{title}}\n{{ note }}\n<{{url}}>", scope);
  g_assert_cmpstr (a, ==, "# A \\*bold\\* claim: yes\n**mine**\n<https://ex.org/a%20b>");

  b = render ("title: {{title|yaml}}\nraw: {{title|raw}}\nmissing: {{nothing|yaml}}{{nothing}}", scope);
  g_assert_cmpstr (b, ==, "title: \"A *bold*\\nclaim: yes\"\nraw: A *bold*\nclaim: yes\nmissing: \"\"");

  c = render ("{{title|blockquote}}|{{url|url}}{{! a comment }}", scope);
  g_assert_cmpstr (c, ==, "> A \\*bold\\* claim: yes|https%3A%2F%2Fex.org%2Fa%20b");
}

static void
test_sections (void)
{
  g_autoptr(GlossTemplateScope) scope = gloss_template_scope_new ();
  GlossTemplateScope *item;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  const char *source =
    "Title {{title}}\n"
    "{{#highlights}}\n"
    "- {{quote}} ({{title}})\n"
    "  {{#note}}\n"
    "  note: {{note}}\n"
    "  {{/note}}\n"
    "{{/highlights}}\n"
    "{{^highlights}}\n"
    "none\n"
    "{{/highlights}}\n"
    "end\n";

  gloss_template_scope_set (scope, "title", GLOSS_TEMPLATE_LINE, "T");
  gloss_template_scope_set (scope, "note", GLOSS_TEMPLATE_TEXT, "page note");
  gloss_template_scope_set_list (scope, "highlights");

  a = render (source, scope);
  g_assert_cmpstr (a, ==, "Title T\nnone\nend\n");

  item = gloss_template_scope_add_item (scope, "highlights");
  gloss_template_scope_set (item, "quote", GLOSS_TEMPLATE_LINE, "one");
  gloss_template_scope_set (item, "note", GLOSS_TEMPLATE_TEXT, "");
  item = gloss_template_scope_add_item (scope, "highlights");
  gloss_template_scope_set (item, "quote", GLOSS_TEMPLATE_LINE, "two");
  gloss_template_scope_set (item, "note", GLOSS_TEMPLATE_TEXT, "n2");

  b = render (source, scope);
  g_assert_cmpstr (b, ==, "Title T\n- one (T)\n- two (T)\n  note: n2\nend\n");
}

static void
test_errors (void)
{
  static const char * const known[] = { "title", "highlights", "quote", NULL };
  static const char * const bad[] = {
    "{{title", "{{#highlights}}x", "{{/highlights}}", "{{#highlights}}{{/title}}",
    "{{title|nope}}", "{{unknown}}", "{{#highlights|yaml}}{{/highlights}}", "{{}}",
    "{{a b}}", "\xff",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GlossTemplate) tmpl = gloss_template_new (bad[i], known, &error);

      g_assert_null (tmpl);
      g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT);
      g_test_message ("%s", error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/template/variables", test_variables);
  g_test_add_func ("/template/sections", test_sections);
  g_test_add_func ("/template/errors", test_errors);

  return g_test_run ();
}
