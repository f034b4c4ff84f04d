/* test-anchor.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Anchoring (FORMAT.md "Text and positions"): every stage, the code point
 * arithmetic on text beyond ASCII, and the bit-parallel search checked
 * against the textbook dynamic programme on random inputs. */

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "gloss-anchor.h"
#include "gloss-test-util.h"

static const char *article =
  "The minister told reporters that the US “will not be the mediators” going "
  "forward, reflecting a change of course. Later, the minister said the talks "
  "would continue. The minister also said that the US will not be the "
  "mediators in any other region either.";

/* The code point offset of the n-th (0-based) occurrence of @needle. */
static guint
cp_offset_of (const char *haystack,
              const char *needle,
              guint       nth)
{
  const char *p = haystack;

  for (guint i = 0; i <= nth; i++)
    {
      p = strstr (i == 0 ? p : p + 1, needle);
      g_assert_nonnull (p);
    }
  return g_utf8_pointer_to_offset (haystack, p);
}

static void
test_text_basics (void)
{
  g_autoptr(GlossText) text = gloss_text_new ("a😀é\xcc\x81中b", -1);
  g_autofree char *sub = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;

  /* a, U+1F600, é, U+0301, 中, b: six code points, not bytes or UTF-16. */
  g_assert_cmpuint (gloss_text_get_length (text), ==, 6);
  g_assert_cmpuint (gloss_text_byte_offset (text, 1), ==, 1);
  g_assert_cmpuint (gloss_text_byte_offset (text, 2), ==, 5);
  g_assert_cmpuint (gloss_text_byte_offset (text, 99), ==, strlen ("a😀é\xcc\x81中b"));

  sub = gloss_text_substring (text, 1, 4);
  g_assert_cmpstr (sub, ==, "😀é\xcc\x81");

  gloss_text_get_context (text, 2, 3, &prefix, &suffix);
  g_assert_cmpstr (prefix, ==, "a😀");
  g_assert_cmpstr (suffix, ==, "\xcc\x81中b");

  g_clear_pointer (&sub, g_free);
  sub = gloss_text_substring (text, 5, 2);
  g_assert_cmpstr (sub, ==, "");
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GlossText) text = gloss_text_new ("ab\xff\xfe" "cd", 6);
  guint s, e;

  /* Repaired, never trusted. */
  g_assert_true (g_utf8_validate (gloss_text_get_utf8 (text), -1, NULL));
  g_assert_cmpint (gloss_anchor_quote (text, "cd", NULL, NULL, 0, 0, &s, &e), ==, GLOSS_ANCHOR_QUOTE);
}

static void
test_position (void)
{
  g_autoptr(GlossText) text = gloss_text_new (article, -1);
  guint start = cp_offset_of (article, "will not be the mediators", 0);
  guint s = 0, e = 0;

  g_assert_cmpint (gloss_anchor_quote (text, "will not be the mediators", "the US “", "” going",
                                       start, start + 25, &s, &e),
                   ==, GLOSS_ANCHOR_POSITION);
  g_assert_cmpuint (s, ==, start);
  g_assert_cmpuint (e, ==, start + 25);
}

static void
test_moved (void)
{
  g_autofree char *moved = g_strconcat ("A new first paragraph, with ünïcödé. ", article, NULL);
  g_autoptr(GlossText) text = gloss_text_new (moved, -1);
  guint old_start = cp_offset_of (article, "will not be the mediators", 0);
  guint new_start = cp_offset_of (moved, "will not be the mediators", 0);
  guint s = 0, e = 0;

  g_assert_cmpint (gloss_anchor_quote (text, "will not be the mediators", "reporters that the US “",
                                       "” going forward", old_start, old_start + 25, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, new_start);
  g_assert_cmpuint (e, ==, new_start + 25);
}

static void
test_repeated_by_context (void)
{
  g_autoptr(GlossText) text = gloss_text_new (article, -1);
  guint first = cp_offset_of (article, "will not be the mediators", 0);
  guint second = cp_offset_of (article, "will not be the mediators", 1);
  guint s = 0, e = 0;

  /* The position is wrong (0) and points nearer the first occurrence,
   * but the context names the second one. */
  g_assert_cmpint (gloss_anchor_quote (text, "will not be the mediators",
                                       "also said that the US ", " in any other region",
                                       0, 0, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, second);

  /* No context at all: the nearest to the stored start wins. */
  g_assert_cmpint (gloss_anchor_quote (text, "will not be the mediators", "", "",
                                       second + 3, second + 28, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, second);
  g_assert_cmpint (gloss_anchor_quote (text, "will not be the mediators", NULL, NULL,
                                       first + 1, first + 1, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, first);

  /* "the minister" three times, context picks the middle one. */
  g_assert_cmpint (gloss_anchor_quote (text, "minister", "Later, the ", " said the talks",
                                       0, 8, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, cp_offset_of (article, "minister", 1));
}

/* A position that is only a hint (a live page): never taken on its own,
 * only to choose among equals; a match near it found without searching
 * the whole text gives the same answer as the whole text would. */
static void
test_near (void)
{
  g_autoptr(GlossText) text = gloss_text_new (article, -1);
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GlossText) big_text = NULL;
  guint first = cp_offset_of (article, "will not be the mediators", 0);
  guint second = cp_offset_of (article, "will not be the mediators", 1);
  guint s = 0, e = 0, near_at, far_at, other_at;

  /* The stored position holds the quote, but the context names the other
   * occurrence: by position the first, by quote the second. */
  g_assert_cmpint (gloss_anchor_quote (text, "will not be the mediators",
                                       "also said that the US ", " in any other region",
                                       first, first + 25, &s, &e),
                   ==, GLOSS_ANCHOR_POSITION);
  g_assert_cmpuint (s, ==, first);
  g_assert_cmpint (gloss_anchor_quote_near (text, "will not be the mediators",
                                            "also said that the US ", " in any other region",
                                            first, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, second);

  /* No context: the nearest to the hint. */
  g_assert_cmpint (gloss_anchor_quote_near (text, "will not be the mediators", "", "", second + 2, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, second);

  /* A long text (past the window searched first): the same passage far
   * before the hint with its whole context, near the hint with only part
   * of it, and once more near the hint whole. */
  for (guint i = 0; i < 2000; i++)
    g_string_append (big, "filler words go on. ");
  far_at = g_utf8_strlen (big->str, -1) + strlen ("before the mill ");
  g_string_append (big, "before the mill the quick brown water after the weir. ");
  for (guint i = 0; i < 2000; i++)
    g_string_append (big, "more filler here. ");
  other_at = g_utf8_strlen (big->str, -1) + strlen ("beside a pond ");
  g_string_append (big, "beside a pond the quick brown water after the weir. ");
  near_at = g_utf8_strlen (big->str, -1) + strlen ("before the mill ");
  g_string_append (big, "before the mill the quick brown water after the weir. ");
  for (guint i = 0; i < 2000; i++)
    g_string_append (big, "and the end. ");
  big_text = gloss_text_new (big->str, -1);

  /* Whole context near the hint: that one. */
  g_assert_cmpint (gloss_anchor_quote_near (big_text, "the quick brown water", "before the mill ", " after the weir",
                                            other_at, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, near_at);
  g_assert_cmpuint (e, ==, near_at + 21);

  /* No occurrence near the hint: the whole text is searched, and of two
   * equal contexts the nearer wins. */
  g_assert_cmpint (gloss_anchor_quote_near (big_text, "the quick brown water", "before the mill ", " after the weir",
                                            far_at + 60000, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, near_at);
  /* Near the hint, one whose context agrees only in part; far away, one
   * whose context agrees whole: that one. */
  g_assert_cmpint (gloss_anchor_quote_near (big_text, "the quick brown water", "beside a pond ", " after the weir",
                                            far_at, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, other_at);

  /* Equal contexts: the nearest to the hint, also far from where the
   * search starts. */
  g_assert_cmpint (gloss_anchor_quote_near (big_text, "the quick brown water", "before the mill ", " after the weir",
                                            far_at + 5, &s, &e),
                   ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, far_at);

  /* An edit inside: the approximate match, never a position. */
  g_assert_cmpint (gloss_anchor_quote_near (big_text, "the quick brownish water", "beside a pond ", " after the weir",
                                            other_at, &s, &e),
                   ==, GLOSS_ANCHOR_FUZZY);
  g_assert_cmpuint (s, ==, other_at);
}

static void
test_edited (void)
{
  const char *edited_article =
    "The minister told reporters that the US “wont be the mediator” going "
    "forward, reflecting a change of course.";
  g_autoptr(GlossText) text = gloss_text_new (edited_article, -1);
  g_autofree char *found = NULL;
  guint s = 0, e = 0;

  g_assert_cmpint (gloss_anchor_quote (text, "will not be the mediators", "the US “", "” going",
                                       41, 66, &s, &e),
                   ==, GLOSS_ANCHOR_FUZZY);
  found = gloss_text_substring (text, s, e);
  g_assert_cmpstr (found, ==, "wont be the mediator");
}

/* The search starts near the stored position, but a better match
 * elsewhere (fewer errors, the right context) still wins. */
static void
test_edited_far_better (void)
{
  g_autoptr(GString) t = g_string_new ("Near: the quick brwn fox jumpd over. ");
  g_autoptr(GlossText) text = NULL;
  guint far, s = 0, e = 0;

  for (guint i = 0; i < 500; i++)
    g_string_append (t, "0123456789");
  g_string_append (t, " As the PREFIX said, ");
  far = g_utf8_strlen (t->str, -1);
  g_string_append (t, "the quick brown fox jumpd over the SUFFIX, they said.");
  text = gloss_text_new (t->str, -1);

  g_assert_cmpint (gloss_anchor_quote (text, "the quick brown fox jumped over", "As the PREFIX said, ",
                                       " the SUFFIX, they said", 6, 36, &s, &e),
                   ==, GLOSS_ANCHOR_FUZZY);
  g_assert_cmpuint (s, ==, far);

  /* Without context to tell them apart, one error more on a 31-character
   * quote weighs less than being at the stored place. */
  g_assert_cmpint (gloss_anchor_quote (text, "the quick brown fox jumped over", "", "", 6, 36, &s, &e),
                   ==, GLOSS_ANCHOR_FUZZY);
  g_assert_cmpuint (s, ==, 6);
}

static void
test_orphan (void)
{
  g_autoptr(GlossText) text = gloss_text_new (article, -1);
  g_autoptr(GlossText) empty = gloss_text_new ("", 0);
  guint s = 7, e = 7;

  g_assert_cmpint (gloss_anchor_quote (text, "an entirely different sentence about cheese", "", "", 0, 0, &s, &e),
                   ==, GLOSS_ANCHOR_ORPHAN);
  g_assert_cmpint (gloss_anchor_quote (text, "", "", "", 0, 0, &s, &e), ==, GLOSS_ANCHOR_ORPHAN);
  g_assert_cmpint (gloss_anchor_quote (empty, "will not", "", "", 0, 8, &s, &e), ==, GLOSS_ANCHOR_ORPHAN);
  /* Positions beyond the text are not trusted. */
  g_assert_cmpint (gloss_anchor_quote (text, "zzzz", "", "", G_MAXUINT - 4, G_MAXUINT, &s, &e),
                   ==, GLOSS_ANCHOR_ORPHAN);
}

static void
test_astral_and_marks (void)
{
  /* Emoji (astral plane), a combining acute, CJK, right-to-left text. */
  const char *t = "Intro 😀😀 text. Café\xcc\x81 au lait 東京都の天気は晴れ。 "
                  "Zurück 🇺🇦 flag and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢. שלום עולם. The end.";
  g_autoptr(GlossText) text = gloss_text_new (t, -1);
  struct { const char *exact; } cases[] = {
    { "😀 text" }, { "Café\xcc\x81 au" }, { "東京都の天気" }, { "🇺🇦 flag and 𝔘𝔫" }, { "שלום עולם" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint start = cp_offset_of (t, cases[i].exact, 0);
      guint len = g_utf8_strlen (cases[i].exact, -1);
      g_autofree char *prefix = NULL;
      g_autofree char *suffix = NULL;
      g_autofree char *found = NULL;
      guint s = 0, e = 0;

      gloss_text_get_context (text, start, start + len, &prefix, &suffix);
      g_assert_cmpint (gloss_anchor_quote (text, cases[i].exact, prefix, suffix,
                                           start, start + len, &s, &e),
                       ==, GLOSS_ANCHOR_POSITION);

      /* Shifted by one: found again by quote at the same place. */
      g_assert_cmpint (gloss_anchor_quote (text, cases[i].exact, prefix, suffix,
                                           start + 1, start + len + 1, &s, &e),
                       ==, GLOSS_ANCHOR_QUOTE);
      g_assert_cmpuint (s, ==, start);
      found = gloss_text_substring (text, s, e);
      g_assert_cmpstr (found, ==, cases[i].exact);
    }

  /* An edited astral quote: one emoji replaced. */
  {
    guint s = 0, e = 0;
    const char *q = "Intro 😀😀 text. Caf";
    g_autofree char *edited = g_strdup ("Intro 😀🙂 text. Caf");

    g_assert_cmpint (gloss_anchor_quote (text, edited, "", "", 0, g_utf8_strlen (q, -1), &s, &e),
                     ==, GLOSS_ANCHOR_FUZZY);
    g_assert_cmpuint (s, ==, 0);
    g_assert_cmpuint (e, ==, g_utf8_strlen (q, -1));
  }
}

/* The textbook approximate-match table: the best edit distance of @p
 * against any substring of @t. */
static guint
brute_best_distance (const gunichar *p,
                     guint           m,
                     const gunichar *t,
                     guint           n)
{
  g_autofree guint *prev = g_new (guint, m + 1);
  g_autofree guint *cur = g_new (guint, m + 1);
  guint best;

  for (guint i = 0; i <= m; i++)
    prev[i] = i;
  best = prev[m];
  for (guint j = 1; j <= n; j++)
    {
      cur[0] = 0;
      for (guint i = 1; i <= m; i++)
        {
          guint v = prev[i - 1] + (p[i - 1] == t[j - 1] ? 0 : 1);
          v = MIN (v, prev[i] + 1);
          v = MIN (v, cur[i - 1] + 1);
          cur[i] = v;
        }
      best = MIN (best, cur[m]);
      memcpy (prev, cur, (m + 1) * sizeof (guint));
    }
  return best;
}

static guint
edit_distance (const gunichar *a,
               guint           la,
               const gunichar *b,
               guint           lb)
{
  g_autofree guint *row = g_new (guint, lb + 1);

  for (guint j = 0; j <= lb; j++)
    row[j] = j;
  for (guint i = 1; i <= la; i++)
    {
      guint diag = row[0];
      row[0] = i;
      for (guint j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint v = MIN (diag + (a[i - 1] == b[j - 1] ? 0 : 1), MIN (up + 1, row[j - 1] + 1));
          diag = up;
          row[j] = v;
        }
    }
  return row[lb];
}

static void
test_fuzzy_against_brute_force (void)
{
  /* A small alphabet with astral and CJK letters makes near-misses
   * common; lengths cross the 64-code-point block boundary. */
  static const gunichar alphabet[] = { 'a', 'b', 'c', ' ', 0xe9, 0x4e2d, 0x1f600, 'd' };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 300; round++)
    {
      guint n = g_rand_int_range (rand, 50, 600);
      guint m = g_rand_int_range (rand, 4, 200);
      g_autofree gunichar *t = g_new (gunichar, n);
      g_autofree gunichar *p = g_new (gunichar, m);
      g_autofree char *t8 = NULL;
      g_autofree char *p8 = NULL;
      g_autoptr(GlossText) text = NULL;
      guint at, best, s = 0, e = 0;
      GlossAnchorMethod method;

      for (guint i = 0; i < n; i++)
        t[i] = alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))];

      /* The pattern: a piece of the text, then a few random edits. */
      m = MIN (m, n);
      at = g_rand_int_range (rand, 0, n - m + 1);
      memcpy (p, t + at, m * sizeof (gunichar));
      for (guint k = g_rand_int_range (rand, 0, m / 3 + 1); k > 0; k--)
        p[g_rand_int_range (rand, 0, m)] = alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))];

      t8 = g_ucs4_to_utf8 (t, n, NULL, NULL, NULL);
      p8 = g_ucs4_to_utf8 (p, m, NULL, NULL, NULL);
      text = gloss_text_new (t8, -1);

      best = brute_best_distance (p, m, t, n);
      method = gloss_anchor_quote (text, p8, "", "", n + 1, n + 1, &s, &e);

      if (best == 0)
        g_assert_cmpint (method, ==, GLOSS_ANCHOR_QUOTE);
      else if (best <= m / 4)
        {
          g_assert_cmpint (method, ==, GLOSS_ANCHOR_FUZZY);
          g_assert_cmpuint (s, <=, e);
          g_assert_cmpuint (e, <=, n);
          /* What was found is a best match, not just any match. */
          g_assert_cmpuint (edit_distance (p, m, t + s, e - s), ==, best);
        }
      else
        g_assert_cmpint (method, ==, GLOSS_ANCHOR_ORPHAN);
    }
}

/* FORMAT.md's performance target: an edited quote on a 50 KB article in
 * well under a millisecond on average. Not a timed assertion (machines
 * vary), but printed, and a generous bound catches a quadratic scan. */
static void
test_fuzzy_speed (void)
{
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  static const char * const w[] = { "peace", "talks", "minister", "the", "of", "café", "Zürich", "report", "東京", "data" };
  g_autoptr(GlossText) text = NULL;
  gint64 begin;
  double per_call;
  guint n_calls = 200;

  while (big->len < 50 * 1024)
    {
      g_string_append (big, w[g_rand_int_range (rand, 0, G_N_ELEMENTS (w))]);
      g_string_append_c (big, g_rand_int_range (rand, 0, 10) == 0 ? '.' : ' ');
    }
  text = gloss_text_new (big->str, big->len);

  begin = g_get_monotonic_time ();
  for (guint i = 0; i < n_calls; i++)
    {
      guint len = 60 + g_rand_int_range (rand, 0, 120);
      guint start = g_rand_int_range (rand, 0, gloss_text_get_length (text) - len);
      g_autofree char *q = gloss_text_substring (text, start, start + len);
      guint s, e;

      /* Two characters changed. */
      q[3] = 'X';
      q[strlen (q) - 3] = 'Y';
      g_assert_cmpint (gloss_anchor_quote (text, q, "", "", start, start + len, &s, &e),
                       !=, GLOSS_ANCHOR_ORPHAN);
    }
  per_call = (g_get_monotonic_time () - begin) / (double) n_calls;
  g_test_message ("edited quote on a 50 KB article: %.3f ms per anchoring", per_call / 1000);
  g_assert_cmpfloat (per_call, <, 20000);
}

static char *
repeat_string (const char *unit,
               guint       times)
{
  GString *out = g_string_sized_new (strlen (unit) * times + 1);

  for (guint i = 0; i < times; i++)
    g_string_append (out, unit);

  return g_string_free (out, FALSE);
}

/* A quote of half a million code points, edited so that only the
 * approximate search could find it, in an article of more: anchoring
 * must stay within memory in proportion to the inputs (the search asked
 * for 31 GB once). Run with the address space capped at 1 GB. */
static void
test_long_quote_memory (void)
{
  if (g_test_subprocess ())
    {
      struct rlimit limit = { 1024 * 1024 * 1024, 1024 * 1024 * 1024 };
      g_autoptr(GString) quote = g_string_new (NULL);
      g_autoptr(GString) article_text = g_string_new (NULL);
      g_autoptr(GlossText) text = NULL;
      guint s = 0, e = 0;

      g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);

      /* Many distinct code points, as in a long passage of Chinese. */
      for (guint i = 0; i < 500000; i++)
        g_string_append_unichar (quote, 0x4e00 + (i * 7919) % 20000);
      g_string_append (article_text, "Before. ");
      g_string_append (article_text, quote->str);
      g_string_append (article_text, " After.");
      /* One character of the quote changed: not an exact match. */
      memcpy (quote->str + 3 * 250000, "\xe4\xb8\x80", 3);

      text = gloss_text_new (article_text->str, -1);
      g_assert_cmpint (gloss_anchor_quote (text, quote->str, "Before. ", " After.", 8, 500008, &s, &e),
                       ==, GLOSS_ANCHOR_ORPHAN);

      /* Unedited, it is found by its text. */
      memcpy (quote->str + 3 * 250000, article_text->str + 8 + 3 * 250000, 3);
      g_assert_cmpint (gloss_anchor_quote (text, quote->str, "Before. ", " After.", 0, 0, &s, &e),
                       ==, GLOSS_ANCHOR_QUOTE);
      g_assert_cmpuint (s, ==, 8);
      g_assert_cmpuint (e, ==, 500008);
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Quotes that repeat themselves overlap themselves in the article at
 * every period: each occurrence costs its period, not the whole quote
 * (500,000 identical characters took minutes). The context still picks
 * the occurrence. */
static void
test_repetitive_quote (void)
{
  g_autofree char *as = repeat_string ("a", 600000);
  g_autofree char *quote = repeat_string ("a", 500000);
  g_autofree char *abs = repeat_string ("ab", 300000);
  g_autofree char *ab_quote = repeat_string ("ab", 250000);
  g_autofree char *with_context = g_strconcat ("xyz", as, "q", NULL);
  g_autoptr(GlossText) text = gloss_text_new (with_context, -1);
  g_autoptr(GlossText) ab_text = NULL;
  g_autofree char *ab_article = g_strconcat ("start ", abs, " end", NULL);
  guint s = 0, e = 0;

  /* The prefix "xyz" puts it at the start, the suffix "q" at the end. */
  g_assert_cmpint (gloss_anchor_quote (text, quote, "xyz", "", 50000, 50000, &s, &e), ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, 3);
  g_assert_cmpuint (e, ==, 500003);
  g_assert_cmpint (gloss_anchor_quote (text, quote, "", "q", 0, 0, &s, &e), ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, 100003);
  /* No context: the nearest to the stored start. */
  g_assert_cmpint (gloss_anchor_quote (text, quote, "", "", 77777, 77777, &s, &e), ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, 77777);

  ab_text = gloss_text_new (ab_article, -1);
  g_assert_cmpint (gloss_anchor_quote (ab_text, ab_quote, "", " end", 0, 0, &s, &e), ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint (s, ==, 6 + 100000);
  /* Odd positions hold "ba…": never an occurrence. */
  g_assert_cmpint (gloss_anchor_quote (ab_text, ab_quote, "", "", 1001, 1001, &s, &e), ==, GLOSS_ANCHOR_QUOTE);
  g_assert_cmpuint ((s - 6) % 2, ==, 0);

  /* Too long for the approximate search, and not in the text. */
  quote[250000] = 'b';
  g_assert_cmpint (gloss_anchor_quote (text, quote, "xyz", "", 3, 500003, &s, &e), ==, GLOSS_ANCHOR_ORPHAN);
}

static void
test_method_names (void)
{
  g_assert_cmpstr (gloss_anchor_method_to_string (GLOSS_ANCHOR_POSITION), ==, "position");
  g_assert_cmpstr (gloss_anchor_method_to_string (GLOSS_ANCHOR_QUOTE), ==, "quote");
  g_assert_cmpstr (gloss_anchor_method_to_string (GLOSS_ANCHOR_FUZZY), ==, "fuzzy");
  g_assert_cmpstr (gloss_anchor_method_to_string (GLOSS_ANCHOR_ORPHAN), ==, "orphan");
}

int
main (int    argc,
      char **argv)
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/anchor/text-basics", test_text_basics);
  g_test_add_func ("/anchor/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/anchor/position", test_position);
  g_test_add_func ("/anchor/moved", test_moved);
  g_test_add_func ("/anchor/repeated-by-context", test_repeated_by_context);
  g_test_add_func ("/anchor/near", test_near);
  g_test_add_func ("/anchor/edited", test_edited);
  g_test_add_func ("/anchor/edited-far-better", test_edited_far_better);
  g_test_add_func ("/anchor/orphan", test_orphan);
  g_test_add_func ("/anchor/astral-and-marks", test_astral_and_marks);
  g_test_add_func ("/anchor/fuzzy-brute-force", test_fuzzy_against_brute_force);
  g_test_add_func ("/anchor/fuzzy-speed", test_fuzzy_speed);
  g_test_add_func ("/anchor/method-names", test_method_names);
  g_test_add_func ("/anchor/long-quote-memory", test_long_quote_memory);
  g_test_add_func ("/anchor/repetitive-quote", test_repetitive_quote);

  return g_test_run ();
}
