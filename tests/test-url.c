/* test-url.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one rule for "the same page": what it drops, and what it must
 * never drop because the server answers differently. */

#include "config.h"

#include "gloss-url.h"

static void
test_url_same (void)
{
  static const char * const same[][2] = {
    { "https://example.org/a", "https://example.org/a#section-2" },
    { "https://example.org/a", "https://example.org/a/" },
    { "https://example.org/a", "https://EXAMPLE.org/a" },
    { "https://example.org/a", "HTTPS://example.org/a" },
    { "https://example.org/a", "https://example.org:443/a" },
    { "http://example.org/a", "http://example.org:80/a" },
    { "https://example.org", "https://example.org/" },
    { "https://example.org/a", "https://example.org/a?utm_source=news&utm_medium=mail" },
    { "https://example.org/a?id=3", "https://example.org/a?utm_campaign=x&id=3&fbclid=abc" },
    { "https://example.org/a?id=3", "https://example.org/a/?id=3&gclid=1#top" },
    { "https://example.org/a", "https://example.org/a?" },
    { "http://[::1]:8080/p", "http://[::1]:8080/p/" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_test_message ("%s ~ %s", same[i][0], same[i][1]);
      g_assert_true (gloss_url_same_page (same[i][0], same[i][1]));
      g_assert_true (gloss_url_same_page (same[i][1], same[i][0]));
    }
}

static void
test_url_different (void)
{
  static const char * const different[][2] = {
    { "https://example.org/a", "http://example.org/a" },
    { "https://example.org/a", "https://example.org/b" },
    { "https://example.org/a", "https://example.org/A" },
    { "https://example.org/a", "https://example.org:8443/a" },
    { "https://example.org/a?id=3", "https://example.org/a?id=4" },
    { "https://example.org/a?id=3&p=2", "https://example.org/a?p=2&id=3" },
    { "https://example.org/a%2Fb", "https://example.org/a/b" },
    { "https://example.org/a", "https://www.example.org/a" },
    { "https://example.org/a?utm=1", "https://example.org/a" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (different); i++)
    {
      g_test_message ("%s ≁ %s", different[i][0], different[i][1]);
      g_assert_false (gloss_url_same_page (different[i][0], different[i][1]));
    }
}

static void
test_url_not_pages (void)
{
  static const char * const bad[] = {
    "", "example.org/a", "javascript:alert(1)", "data:text/html,hi",
    "mailto:a@example.org", "https://", "gloss-clip://abc/", "ftp://example.org/",
    "http:///path", "not a url at all",
  };
  g_autofree char *huge = g_strnfill (10000, 'a');
  g_autofree char *huge_url = g_strconcat ("https://example.org/", huge, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *key = gloss_url_match_key (bad[i]);

      g_test_message ("%s", bad[i]);
      g_assert_null (key);
      g_assert_false (gloss_url_same_page (bad[i], bad[i]));
    }

  g_assert_null (gloss_url_match_key (NULL));
  g_assert_null (gloss_url_match_key (huge_url));
}

static void
test_url_key (void)
{
  g_autofree char *key = gloss_url_match_key ("HTTPS://Example.ORG:443/News/Story/?utm_source=x&page=2&fbclid=y#c");
  g_autofree char *file = gloss_url_match_key ("file:///home/ada/page.html");

  g_assert_cmpstr (key, ==, "https://example.org/News/Story?page=2");
  g_assert_cmpstr (file, ==, "file:///home/ada/page.html");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/url/same", test_url_same);
  g_test_add_func ("/url/different", test_url_different);
  g_test_add_func ("/url/not-pages", test_url_not_pages);
  g_test_add_func ("/url/key", test_url_key);

  return g_test_run ();
}
