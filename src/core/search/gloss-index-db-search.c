/* gloss-index-db-search.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Running a parsed query (gloss-query.h) against the index's SQLite file:
 * the match, ranking with a bound on how many matches are scored, the
 * snippet of each result and the highlights that match. */

#define G_LOG_DOMAIN "gloss-index"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "gloss-index-db-private.h"
#include "gloss-index-highlight.h"
#include "gloss-search-result.h"
#include "gloss-search-text.h"

#define SNIPPET_TOKENS 24

static int
progress_cb (void *data)
{
  GlossIndexDb *self = data;

  return g_cancellable_is_cancelled (self->cancellable);
}

static void
bind_params (sqlite3_stmt *stmt,
             int           first,
             GPtrArray    *params)
{
  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      GVariant *value = g_ptr_array_index (params, i);

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        sqlite3_bind_text (stmt, first + i, g_variant_get_string (value, NULL), -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, first + i, g_variant_get_int64 (value));
    }
}

static const char * const content_columns[] = {
  "body", "quotes", "note", "title", "tags", "byline", "site", "url",
};

/* A piece of the article around the first match; else the first other
 * field that matches (a note, a highlight, the title…); else, for a query
 * without words, the excerpt or the start of the article. */
static char *
make_snippet (GlossIndexDb      *self,
              GlossHighlighter  *highlighter,
              gint64             rowid,
              const char        *excerpt,
              int               *match_offset,
              GError           **error)
{
  sqlite3_stmt *stmt;
  char *snippet = NULL;
  int rc;

  *match_offset = -1;
  if (highlighter == NULL && excerpt != NULL && *excerpt != '\0')
    return g_strdup (excerpt);

  stmt = _gloss_index_db_get_stmt (self, STMT_CONTENT, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      for (guint i = 0; highlighter && snippet == NULL && i < G_N_ELEMENTS (content_columns); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          if (text == NULL || *text == '\0')
            continue;
          if (i == 0)
            {
              gsize first = 0;

              snippet = gloss_highlighter_snippet (highlighter, "body", text, SNIPPET_TOKENS, &first);
              if (snippet != NULL)
                *match_offset = gloss_search_text_to_article_offset (text, first);
            }
          else if (strlen (text) > 240)
            snippet = gloss_highlighter_snippet (highlighter, content_columns[i], text, SNIPPET_TOKENS, NULL);
          else
            snippet = gloss_highlighter_mark (highlighter, content_columns[i], text);
          if (snippet != NULL)
            g_strdelimit (snippet, "\n\t" "\x1f", ' ');
        }

      if (snippet == NULL && excerpt != NULL && *excerpt != '\0')
        snippet = g_strdup (excerpt);
      else if (snippet == NULL)
        {
          const char *body = (const char *) sqlite3_column_text (stmt, 0);

          if (body != NULL && g_utf8_strlen (body, 201) > 200)
            {
              g_autofree char *start = g_utf8_substring (body, 0, 200);

              snippet = g_strconcat (start, "…", NULL);
            }
          else
            snippet = g_strdup (body ? body : "");
          g_strdelimit (snippet, "\n\t" "\x1f", ' ');
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_free (snippet);
      _gloss_index_db_sql_error (self, error, SQL_READ);
      return NULL;
    }
  return snippet ? snippet : g_strdup ("");
}

/* The clip's highlights whose quote or note holds a searched word. */
static GPtrArray *
matching_annotations (GlossIndexDb      *self,
                      GlossQuery        *query,
                      GlossHighlighter  *highlighter,
                      gint64             rowid,
                      GError           **error)
{
  g_autoptr(GPtrArray) annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) gloss_search_annotation_free);
  sqlite3_stmt *stmt;
  int rc;

  if (highlighter == NULL || gloss_query_get_annotation_match (query) == NULL)
    return g_steal_pointer (&annotations);

  stmt = _gloss_index_db_get_stmt (self, STMT_ANNOTATIONS, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *quote = (const char *) sqlite3_column_text (stmt, 2);
      const char *note = (const char *) sqlite3_column_text (stmt, 3);
      g_autofree char *marked_quote = gloss_highlighter_mark (highlighter, "quotes", quote);
      g_autofree char *marked_note = gloss_highlighter_mark (highlighter, "note", note);

      if (marked_quote == NULL && marked_note == NULL)
        continue;
      g_ptr_array_add (annotations,
                       gloss_search_annotation_new ((const char *) sqlite3_column_text (stmt, 0),
                                                    sqlite3_column_int (stmt, 1),
                                                    marked_quote ? marked_quote : quote,
                                                    marked_note ? marked_note : note));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _gloss_index_db_sql_error (self, error, SQL_READ);
      return NULL;
    }
  return g_steal_pointer (&annotations);
}

typedef struct
{
  gint64 rowid;
  double score;
} Hit;

static gboolean
find_hits (GlossIndexDb  *self,
           GlossQuery    *query,
           guint          limit,
           gint64         window,
           GArray        *hits,
           GError       **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *match = gloss_query_get_fts_match (query);
  GPtrArray *params = NULL;
  const char *filter = gloss_query_get_sql_filter (query, &params);
  GlossQuerySort sort = gloss_query_get_sort (query);
  sqlite3_stmt *stmt = NULL;
  int n = 1;
  int rc;

  /* First only the ids and ranks of the page, so that sorting thousands
   * of matches moves two numbers each; then the page's rows. Without a
   * filter or a date order, FTS5 sorts by rank on its own. */
  if (match != NULL && filter == NULL && sort == GLOSS_QUERY_SORT_RELEVANCE)
    g_string_append (sql,
                     "SELECT rowid, rank FROM clip_fts WHERE clip_fts MATCH ? AND rowid > ?"
                     " ORDER BY rank");
  else
    {
      if (match != NULL)
        g_string_append (sql,
                         "SELECT c.rowid, clip_fts.rank"
                         " FROM clip_fts CROSS JOIN clips c ON c.rowid = clip_fts.rowid"
                         " WHERE clip_fts MATCH ? AND clip_fts.rowid > ?");
      else
        g_string_append (sql, "SELECT c.rowid, 0.0 FROM clips c WHERE c.damaged = 0");
      if (filter != NULL)
        g_string_append_printf (sql, " AND %s", filter);

      if (sort == GLOSS_QUERY_SORT_OLDEST)
        g_string_append (sql, " ORDER BY c.created, c.rowid");
      else if (sort == GLOSS_QUERY_SORT_NEWEST || match == NULL)
        g_string_append (sql, " ORDER BY c.created DESC, c.rowid DESC");
      else
        g_string_append (sql, " ORDER BY clip_fts.rank, c.rowid");
    }
  g_string_append (sql, " LIMIT ?");

  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    return _gloss_index_db_sql_error (self, error, SQL_SEARCH);
  if (match != NULL)
    {
      sqlite3_bind_text (stmt, n++, match, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, n++, window);
    }
  bind_params (stmt, n, params);
  n += params ? params->len : 0;
  sqlite3_bind_int64 (stmt, n, limit ? (gint64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Hit hit = { sqlite3_column_int64 (stmt, 0), match ? -sqlite3_column_double (stmt, 1) : 0.0 };

      g_array_append_val (hits, hit);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _gloss_index_db_sql_error (self, error, SQL_SEARCH);
  return TRUE;
}

typedef struct
{
  GlossIndexDb     *self;
  GlossHighlighter *highlighter;
} CountData;

/* How many clips hold a term, at most: the rarest of its words, a prefix
 * counting every word it starts. */
static gint64
term_doc_count (const char *text,
                gboolean    prefix,
                const char *column,
                gpointer    user_data)
{
  CountData *data = user_data;
  g_autoptr(GPtrArray) tokens = gloss_highlighter_tokenize (data->highlighter, text);
  gint64 count = tokens->len > 0 ? G_MAXINT64 : 0;

  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      gboolean is_prefix = prefix && i + 1 == tokens->len;
      sqlite3_stmt *stmt = _gloss_index_db_get_stmt (data->self, is_prefix ? STMT_VOCAB_PREFIX : STMT_VOCAB_TERM, NULL);
      g_autofree char *end = NULL;
      gint64 n = G_MAXINT64;

      if (stmt == NULL)
        return G_MAXINT64;
      sqlite3_bind_text (stmt, 1, token, -1, SQLITE_STATIC);
      if (is_prefix)
        {
          end = g_strconcat (token, "\xf4\x8f\xbf\xbf", NULL);
          sqlite3_bind_text (stmt, 2, end, -1, SQLITE_STATIC);
        }
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      else
        n = 0;
      sqlite3_reset (stmt);
      count = MIN (count, n);
    }
  return count;
}

static gboolean
rowid_range (GlossIndexDb *self,
             gint64       *lo,
             gint64       *hi)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (self->db, "SELECT min(rowid), max(rowid) FROM clips", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      *lo = sqlite3_column_int64 (stmt, 0);
      *hi = sqlite3_column_int64 (stmt, 1);
      ok = TRUE;
    }
  sqlite3_finalize (stmt);
  return ok;
}

GPtrArray *
gloss_index_db_search (GlossIndexDb  *self,
                       GlossQuery    *query,
                       guint          limit,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  const char *match = gloss_query_get_fts_match (query);
  GlossQuerySort sort = gloss_query_get_sort (query);
  g_autoptr(GlossHighlighter) highlighter = NULL;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  gint64 window = 0;
  int rc;

  highlighter = gloss_highlighter_new (self->db, query);
  self->cancellable = cancellable;
  if (cancellable != NULL)
    sqlite3_progress_handler (self->db, 2000, progress_cb, self);

  /* Scoring every match of a word found in nearly every clip is what a
   * search spends its time on in a large library: past RANK_BOUND
   * matches, rank only the most recently indexed part of the library
   * that holds about that many, and widen to everything when that gives
   * less than a page. */
  if (match != NULL && sort == GLOSS_QUERY_SORT_RELEVANCE && highlighter != NULL && limit > 0)
    {
      CountData data = { self, highlighter };
      gint64 estimate = gloss_query_estimate_matches (query, term_doc_count, &data);

      if (estimate > self->rank_bound)
        {
          gint64 lo = 0, hi = 0;

          if (rowid_range (self, &lo, &hi))
            window = hi - (gint64) ((double) (hi - lo + 1) * self->rank_bound / estimate);
        }
    }

  ok = find_hits (self, query, limit, window, hits, error);
  if (ok && window > 0 && hits->len < limit)
    {
      g_array_set_size (hits, 0);
      ok = find_hits (self, query, limit, 0, hits, error);
    }

  for (guint i = 0; ok && i < hits->len; i++)
    {
      const Hit *hit = &g_array_index (hits, Hit, i);
      g_autofree char *snippet = NULL;
      g_autoptr(GPtrArray) annotations = NULL;
      int match_offset = -1;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      stmt = _gloss_index_db_get_stmt (self, STMT_CLIP_ROW, error);
      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_int64 (stmt, 1, hit->rowid);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        continue;
      if (rc != SQLITE_ROW)
        {
          ok = _gloss_index_db_sql_error (self, error, SQL_SEARCH);
          break;
        }

      snippet = make_snippet (self, highlighter, hit->rowid, (const char *) sqlite3_column_text (stmt, 5),
                              &match_offset, error);
      if (snippet != NULL)
        annotations = matching_annotations (self, query, highlighter, hit->rowid, error);
      if (annotations == NULL)
        {
          ok = FALSE;
          break;
        }

      g_ptr_array_add (results,
                       gloss_search_result_new ((const char *) sqlite3_column_text (stmt, 0),
                                                (const char *) sqlite3_column_text (stmt, 1),
                                                (const char *) sqlite3_column_text (stmt, 2),
                                                (const char *) sqlite3_column_text (stmt, 3),
                                                sqlite3_column_int64 (stmt, 4),
                                                hit->score,
                                                snippet,
                                                match_offset,
                                                annotations));
      sqlite3_reset (stmt);
    }
  if (self->stmts[STMT_CLIP_ROW] != NULL)
    sqlite3_reset (self->stmts[STMT_CLIP_ROW]);

  sqlite3_progress_handler (self->db, 0, NULL, NULL);
  self->cancellable = NULL;

  if (!ok)
    return NULL;
  return g_steal_pointer (&results);
}
