/* test-browser.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the address bar makes of what a person types. */

#include "config.h"

#include "gloss-browser.h"
#include "gloss-error.h"
#include "gloss-test-util.h"

static void
test_normalize_accepts (void)
{
  static const struct {
    const char *typed;
    const char *uri;
  } cases[] = {
    { "https://example.org/a?b=c#d", "https://example.org/a?b=c#d" },
    { "http://example.org", "http://example.org" },
    { "  example.org  ", "https://example.org" },
    { "example.org/path/to", "https://example.org/path/to" },
    { "news.example.co.uk:8443/x", "https://news.example.co.uk:8443/x" },
    { "localhost:8080/x", "http://localhost:8080/x" },
    { "127.0.0.1:3000", "http://127.0.0.1:3000" },
    { "HTTPS://Example.org/", "https://example.org/" },
    { "bücher.example", "https://xn--bcher-kva.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = gloss_browser_normalize_uri (cases[i].typed, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (uri, ==, cases[i].uri);
    }
}

static void
test_normalize_refuses (void)
{
  static const char *cases[] = {
    "",
    "   ",
    "just some words",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "example",
    ".example.org",
    "http://",
    "/no/such/file/anywhere.html",
    "exa mple.org",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = gloss_browser_normalize_uri (cases[i], &error);

      g_assert_null (uri);
      g_assert_error (error, GLOSS_ERROR, error->code);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_normalize_file (void)
{
  g_autofree char *dir = gloss_test_make_dir ("pages");
  g_autofree char *path = g_build_filename (dir, "page.html", NULL);
  g_autofree char *expected = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  gloss_test_write_file (dir, "page.html", "<p>hi</p>");
  uri = gloss_browser_normalize_uri (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uri, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/browser/normalize/accepts", test_normalize_accepts);
  g_test_add_func ("/browser/normalize/refuses", test_normalize_refuses);
  g_test_add_func ("/browser/normalize/file", test_normalize_file);

  return g_test_run ();
}
