/* test-query.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The search language: every operator, how user text is escaped for
 * FTS5, and queries that must give a message rather than a crash. The
 * generated FTS5 text is also run against a real FTS5 table, so that an
 * escaping mistake shows up as an SQLite error here. */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-query.h"
#include "gloss-test-util.h"

static sqlite3 *db;

/* Runs the MATCH and the SQL filter of @query against an empty schema of
 * the same shape as the index: any syntax error fails the test. */
static void
check_runs (GlossQuery *query)
{
  const char *match = gloss_query_get_fts_match (query);
  const char *amatch = gloss_query_get_annotation_match (query);
  GPtrArray *params = NULL;
  const char *filter = gloss_query_get_sql_filter (query, &params);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;
  int n = 1;

  sql = g_strdup_printf ("SELECT c.rowid FROM %s WHERE %s AND %s",
                         match ? "clip_fts f CROSS JOIN clips c ON c.rowid = f.rowid" : "clips c",
                         match ? "clip_fts MATCH ?" : "1",
                         filter ? filter : "1");
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (match)
    sqlite3_bind_text (stmt, n++, match, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < params->len; i++, n++)
    {
      GVariant *v = g_ptr_array_index (params, i);

      if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
        sqlite3_bind_text (stmt, n, g_variant_get_string (v, NULL), -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, n, g_variant_get_int64 (v));
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    g_error ("%s [%s]: %s", sql, match, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  if (amatch)
    {
      rc = sqlite3_prepare_v2 (db, "SELECT rowid FROM ann_fts WHERE ann_fts MATCH ?", -1, &stmt, NULL);
      g_assert_cmpint (rc, ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, amatch, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
      if (rc != SQLITE_DONE)
        g_error ("[%s]: %s", amatch, sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
    }
}

static void
assert_parses (const char *text,
               const char *expected,
               const char *expected_match)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossQuery) query = gloss_query_parse (text, &error);
  g_autofree char *string = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (query);
  string = gloss_query_to_string (query);
  g_assert_cmpstr (string, ==, expected);
  if (expected_match != NULL)
    g_assert_cmpstr (gloss_query_get_fts_match (query), ==, expected_match);
  check_runs (query);
}

static void
assert_bad (const char *text,
            const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossQuery) query = gloss_query_parse (text, &error);

  g_assert_null (query);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” gave “%s”", text, error->message);
  /* Short enough for a toast or one line on stderr. */
  g_assert_cmpuint (strlen (error->message), <, 200);
}

static void
test_words (void)
{
  assert_parses ("peace talks", "\"peace\" AND \"talks\"", "\"peace\" AND \"talks\"");
  assert_parses ("  peace   ", "\"peace\"", "\"peace\"");
  assert_parses ("résumé", "\"résumé\"", "\"résumé\"");
  assert_parses ("don't", "\"don't\"", "\"don't\"");
  assert_parses ("", "", NULL);
  assert_parses ("   ", "", NULL);
}

static void
test_phrases (void)
{
  assert_parses ("\"will not be\" mediators", "\"will not be\" AND \"mediators\"",
                 "\"will not be\" AND \"mediators\"");
  /* An unclosed quote runs to the end. */
  assert_parses ("\"will not", "\"will not\"", "\"will not\"");
  assert_parses ("\"\"", "", NULL);
  assert_parses ("\"", "", NULL);
  assert_parses ("\"peace talks\"*", "\"peace talks\"*", "\"peace talks\" *");
}

static void
test_negation (void)
{
  g_autoptr(GlossQuery) query = NULL;
  GPtrArray *params;

  assert_parses ("peace -war", "\"peace\" AND -\"war\"", "(\"peace\") NOT (\"war\")");
  assert_parses ("peace -\"cold war\" -ukraine", "\"peace\" AND -\"cold war\" AND -\"ukraine\"",
                 "(\"peace\") NOT (\"cold war\" OR \"ukraine\")");
  assert_parses ("peace NOT war", "\"peace\" AND -\"war\"", NULL);
  /* A lone minus is not a negation. */
  assert_parses ("peace - war", "\"peace\" AND \"war\"", NULL);
  assert_parses ("e-mail", "\"e-mail\"", "\"e-mail\"");

  /* Only negations: no MATCH, a NOT IN filter instead. */
  query = gloss_query_parse ("-war", NULL);
  g_assert_null (gloss_query_get_fts_match (query));
  g_assert_cmpstr (gloss_query_get_sql_filter (query, &params), ==,
                   "c.rowid NOT IN (SELECT rowid FROM clip_fts WHERE clip_fts MATCH ?)");
  g_assert_cmpuint (params->len, ==, 1);
  g_assert_cmpstr (g_variant_get_string (params->pdata[0], NULL), ==, "\"war\"");
  check_runs (query);
}

static void
test_or (void)
{
  assert_parses ("peace OR war", "(\"peace\" OR \"war\")", "(\"peace\" OR \"war\")");
  assert_parses ("talks peace OR war", "\"talks\" AND (\"peace\" OR \"war\")",
                 "\"talks\" AND (\"peace\" OR \"war\")");
  assert_parses ("a OR b OR c", "(\"a\" OR \"b\" OR \"c\")", NULL);
  assert_parses ("peace | war", "(\"peace\" OR \"war\")", NULL);
  /* Lower case is a word; a dangling OR is ignored. */
  assert_parses ("peace or war", "\"peace\" AND \"or\" AND \"war\"", NULL);
  assert_parses ("OR peace OR", "\"peace\"", NULL);
  assert_parses ("OR OR", "", NULL);
  assert_parses ("AND AND", "", NULL);
  assert_parses ("peace AND war", "\"peace\" AND \"war\"", NULL);
  /* Text OR a filter: an SQL condition. */
  assert_parses ("peace OR tag:war", "(\"peace\" OR tag=war)", NULL);
  assert_parses ("(peace OR war) talks", "(\"peace\" OR \"war\") AND \"talks\"", NULL);
}

static void
test_prefix (void)
{
  assert_parses ("dipl*", "\"dipl\"*", "\"dipl\" *");
  assert_parses ("dipl** talk", "\"dipl\"* AND \"talk\"", NULL);
  assert_parses ("*", "", NULL);
  assert_parses ("* peace", "\"peace\"", NULL);
  assert_parses ("title:dipl*", "title:\"dipl\"*", "title : \"dipl\" *");
}

static void
test_fields (void)
{
  g_autoptr(GlossQuery) query = NULL;
  GPtrArray *params;

  assert_parses ("title:peace", "title:\"peace\"", "title : \"peace\"");
  assert_parses ("Title:peace", "title:\"peace\"", NULL);
  assert_parses ("title:\"peace talks\"", "title:\"peace talks\"", "title : \"peace talks\"");
  assert_parses ("note:why", "note:\"why\"", "note : \"why\"");
  assert_parses ("quote:mediators", "quote:\"mediators\"", "quotes : \"mediators\"");
  assert_parses ("url:example", "url:\"example\"", "url : \"example\"");
  assert_parses ("byline:wgon", "byline:\"wgon\"", "byline : \"wgon\"");
  assert_parses ("tag:Ukraine", "tag=ukraine", NULL);
  assert_parses ("tag:\"Foreign Policy\"", "tag=foreign policy", NULL);
  assert_parses ("tag:ukr*", "tag=ukr*", NULL);
  assert_parses ("-tag:work", "-tag=work", NULL);
  assert_parses ("site:Example.org", "site=example.org", NULL);
  assert_parses ("site:https://www.example.org/news", "site=example.org", NULL);
  assert_parses ("site:nytimes", "site=nytimes", NULL);
  assert_parses ("site:\"Example News\"", "site=example news", NULL);
  assert_parses ("color:yellow", "color=yellow", NULL);
  assert_parses ("colour:Purple", "color=purple", NULL);
  assert_parses ("has:notes", "has=notes", NULL);
  assert_parses ("has:highlights", "has=highlights", NULL);
  assert_parses ("has:highlight", "has=highlights", NULL);
  assert_parses ("has:tags", "has=tags", NULL);
  assert_parses ("before:2025-01-01", "before=2025-01-01", NULL);
  assert_parses ("after:2025-03", "after=2025-03-01", NULL);
  assert_parses ("after:2025", "after=2025-01-01", NULL);
  assert_parses ("after:2025-3-7", "after=2025-03-07", NULL);
  assert_parses ("peace sort:newest", "\"peace\" sort=newest", NULL);
  assert_parses ("sort:oldest", "sort=oldest", NULL);
  assert_parses ("sort:oldest sort:relevance", "", NULL);
  /* A URL and a time are words, not fields. */
  assert_parses ("https://example.org/a", "\"https://example.org/a\"", NULL);
  assert_parses ("10:30", "\"10:30\"", NULL);

  query = gloss_query_parse ("tag:work has:notes color:blue before:2025-01-01 after:2024", NULL);
  g_assert_nonnull (query);
  g_assert_null (gloss_query_get_fts_match (query));
  g_assert_nonnull (gloss_query_get_sql_filter (query, &params));
  g_assert_cmpuint (params->len, ==, 4);
  g_assert_cmpstr (g_variant_get_string (params->pdata[0], NULL), ==, "work");
  g_assert_cmpint (g_variant_get_int64 (params->pdata[1]), ==, GLOSS_QUERY_COLOR_BIT (2));
  check_runs (query);
}

/* User text must stay inside FTS5 strings: quotes doubled, operators,
 * column names, NEAR and carets kept as text. */
static void
test_escaping (void)
{
  static const char * const nasty[] = {
    "NEAR(", "NEAR(a b, 2)", "a AND AND b", "title : x", "col:", "x\"y", "\"a\"\"b\"",
    "^start", "a + b", "{title body}: x", "'; DROP TABLE clips; --", "a*b*", "-", "--x",
    "*a", "x:y:z", "(((", ")))", "\\", "\"\"\"\"", "-\"", "-\"\"", "OR", "NOT", "NOT NOT x",
    "tag:\"a\"b\"", "tag:'", "title:\"x", "résumé*", "日本語", "🙂", "a\tb\nc",
  };

  for (guint i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GlossQuery) query = gloss_query_parse (nasty[i], &error);

      if (query == NULL)
        g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY);
      else
        check_runs (query);
    }

  assert_parses ("x\"y", "\"x\" AND \"y\"", NULL);
  assert_parses ("NEAR(", "\"NEAR\"", "\"NEAR\"");
  assert_parses ("title:\"say \"\"hi\"", "title:\"say\" AND \"hi\"", NULL);
}

/* Random strings from the characters and words that mean something to
 * the parser or to FTS5: every one parses or fails with a message, and
 * whatever it gives runs in SQLite without an error. */
static void
test_random (void)
{
  static const char * const pieces[] = {
    "\"", "-", "*", ":", "(", ")", " ", " ", " ", "OR", "AND", "NOT", "NEAR", "^", "+", "{", "}",
    "tag:", "site:", "title:", "note:", "quote:", "color:", "has:", "before:", "after:", "sort:",
    "x", "peace", "résumé", "日本", "'", ";", "\\", "\t", "\n", "2025-01-01", "yellow", "notes",
    "newest", "col:", "|", "&", "www.", ".org", "é", "\xcc\x81",
  };
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < 20000; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GlossQuery) query = NULL;
      guint n = g_rand_int_range (rand, 0, 12);

      for (guint j = 0; j < n; j++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      if (!g_utf8_validate (text->str, -1, NULL))
        continue;

      query = gloss_query_parse (text->str, &error);
      if (query == NULL)
        g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY);
      else
        check_runs (query);
    }
  g_rand_free (rand);
}

static gint64
fake_doc_count (const char *text,
                gboolean    prefix,
                const char *column,
                gpointer    user_data)
{
  if (g_str_equal (text, "a"))
    return 10;
  if (g_str_equal (text, "b"))
    return 5;
  if (g_str_equal (text, "c"))
    return prefix ? 70 : 7;
  return 1;
}

static void
test_estimate (void)
{
  static const struct { const char *query; gint64 estimate; } cases[] = {
    { "a", 10 },
    { "a b", 5 },
    { "a b OR c", 10 },
    { "a b OR c*", 10 },
    { "c* OR b", 75 },
    { "a -b tag:x", 10 },
    { "tag:x", G_MAXINT64 },
    { "-a", G_MAXINT64 },
    { "a OR tag:x", G_MAXINT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GlossQuery) query = gloss_query_parse (cases[i].query, NULL);

      g_assert_cmpint (gloss_query_estimate_matches (query, fake_doc_count, NULL), ==, cases[i].estimate);
    }
}

static void
test_bad (void)
{
  g_autofree char *paste = NULL;
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossQuery) query = NULL;

  assert_bad ("col:", "Unknown search field");
  assert_bad ("foo:bar", "Unknown search field “foo:”");
  assert_bad ("tag:", "needs a value");
  assert_bad ("tag:\"\"", "needs a value");
  assert_bad ("title:", "needs a value");
  assert_bad ("color:red2", "Unknown colour");
  assert_bad ("color:orange", "Unknown colour");
  assert_bad ("has:wings", "Unknown “has:wings”");
  assert_bad ("before:yesterday", "not a date");
  assert_bad ("before:2025-13-01", "not a date");
  assert_bad ("after:2025-02-30", "not a date");
  assert_bad ("after:25-01-01", "not a date");
  assert_bad ("sort:random", "Unknown “sort:random”");
  assert_bad ("tag:*", "needs a value");

  paste = g_strnfill (10000, 'a');
  assert_bad (paste, "too long");
  for (guint i = 0; i < GLOSS_QUERY_MAX_TERMS + 1; i++)
    g_string_append_printf (many, "w%u ", i);
  assert_bad (many->str, "too many words");

  query = gloss_query_parse ("\xff\xfe", &error);
  g_assert_null (query);
  g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY);
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  gloss_test_init (&argc, &argv);

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db,
                     "CREATE TABLE clips (rowid INTEGER PRIMARY KEY, created INTEGER, colors INTEGER,"
                     " has_notes INTEGER, has_highlights INTEGER, has_tags INTEGER, host TEXT, site_key TEXT);"
                     "CREATE TABLE clip_tags (clip INTEGER, tag TEXT);"
                     "CREATE VIRTUAL TABLE clip_fts USING fts5 (title, byline, site, url, tags, note,"
                     " quotes, colors, body, tokenize='unicode61 remove_diacritics 2', prefix='2 3');"
                     "CREATE VIRTUAL TABLE ann_fts USING fts5 (quotes, note,"
                     " tokenize='unicode61 remove_diacritics 2');",
                     NULL, NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);

  g_test_add_func ("/query/words", test_words);
  g_test_add_func ("/query/phrases", test_phrases);
  g_test_add_func ("/query/negation", test_negation);
  g_test_add_func ("/query/or", test_or);
  g_test_add_func ("/query/prefix", test_prefix);
  g_test_add_func ("/query/fields", test_fields);
  g_test_add_func ("/query/escaping", test_escaping);
  g_test_add_func ("/query/bad", test_bad);
  g_test_add_func ("/query/estimate", test_estimate);
  g_test_add_func ("/query/random", test_random);

  rc = g_test_run ();
  sqlite3_close (db);
  return rc;
}
