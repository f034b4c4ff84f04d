/* gloss-index-highlight.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Snippets and matching highlights without FTS5's snippet() and without
 * a second full-text query per result: the query's words are tokenized
 * once by FTS5's own unicode61 tokenizer, then each result's text is
 * tokenized the same way only as far as needed and compared token by
 * token. This is what keeps a 50-result page cheap even for words that
 * occur in every clip. */

#define G_LOG_DOMAIN "gloss-index"

#include "config.h"

#include <string.h>

#include "gloss-index-highlight.h"
#include "gloss-search-result.h"

typedef struct
{
  const char *column;   /* NULL: any column */
  GPtrArray  *tokens;   /* folded tokens */
  gboolean    prefix;
} Term;

struct _GlossHighlighter
{
  fts5_tokenizer  api;
  Fts5Tokenizer  *tokenizer;
  GPtrArray      *terms;
  guint           longest;
};

typedef struct
{
  int start;
  int end;
} Span;

typedef struct
{
  GlossHighlighter *self;
  const char       *column;
  char            **ring;
  guint             n;
  GArray           *tokens;        /* Span of every token read */
  GArray           *matches;       /* Span, byte ranges */
  int               first_match;   /* token index, -1 */
  int               first_end;
  guint             stop_after;    /* 0: read everything */
  gboolean          stopped;
} Scan;

static void
term_free (gpointer data)
{
  Term *term = data;

  g_ptr_array_unref (term->tokens);
  g_free (term);
}

static fts5_api *
get_fts5_api (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return api;
}

static int
collect_cb (void       *data,
            int         flags,
            const char *token,
            int         n_token,
            int         start,
            int         end)
{
  GPtrArray *tokens = data;

  g_ptr_array_add (tokens, g_strndup (token, n_token));
  return SQLITE_OK;
}

GlossHighlighter *
gloss_highlighter_new (sqlite3    *db,
                       GlossQuery *query)
{
  g_autoptr(GlossHighlighter) self = NULL;
  const char *args[] = { "remove_diacritics", "2" };
  fts5_api *api;
  void *user_data = NULL;
  guint n = gloss_query_get_n_highlight_terms (query);

  if (n == 0)
    return NULL;
  api = get_fts5_api (db);
  if (api == NULL)
    return NULL;

  self = g_new0 (GlossHighlighter, 1);
  self->terms = g_ptr_array_new_with_free_func (term_free);
  if (api->xFindTokenizer (api, "unicode61", &user_data, &self->api) != SQLITE_OK ||
      self->api.xCreate (user_data, args, G_N_ELEMENTS (args), &self->tokenizer) != SQLITE_OK)
    return NULL;

  for (guint i = 0; i < n; i++)
    {
      Term *term = g_new0 (Term, 1);
      const char *text = gloss_query_get_highlight_term (query, i, &term->column, &term->prefix);

      term->tokens = g_ptr_array_new_with_free_func (g_free);
      self->api.xTokenize (self->tokenizer, term->tokens, FTS5_TOKENIZE_QUERY,
                           text, strlen (text), collect_cb);
      if (term->tokens->len == 0)
        {
          term_free (term);
          continue;
        }
      self->longest = MAX (self->longest, term->tokens->len);
      g_ptr_array_add (self->terms, term);
    }

  if (self->terms->len == 0)
    return NULL;
  return g_steal_pointer (&self);
}

void
gloss_highlighter_free (GlossHighlighter *self)
{
  if (self == NULL)
    return;
  if (self->tokenizer != NULL)
    self->api.xDelete (self->tokenizer);
  g_clear_pointer (&self->terms, g_ptr_array_unref);
  g_free (self);
}

GPtrArray *
gloss_highlighter_tokenize (GlossHighlighter *self,
                            const char       *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);

  self->api.xTokenize (self->tokenizer, tokens, FTS5_TOKENIZE_QUERY, text, strlen (text), collect_cb);
  return tokens;
}

static int
scan_cb (void       *data,
         int         flags,
         const char *token,
         int         n_token,
         int         start,
         int         end)
{
  Scan *scan = data;
  GlossHighlighter *self = scan->self;
  guint i = scan->n++;
  guint size = self->longest;
  Span span = { start, end };

  g_free (scan->ring[i % size]);
  scan->ring[i % size] = g_strndup (token, n_token);
  g_array_append_val (scan->tokens, span);

  for (guint t = 0; t < self->terms->len; t++)
    {
      const Term *term = g_ptr_array_index (self->terms, t);
      guint k = term->tokens->len;
      gboolean match = TRUE;

      if (term->column != NULL && (scan->column == NULL || strcmp (term->column, scan->column) != 0))
        continue;
      if (i + 1 < k)
        continue;

      for (guint j = 0; match && j < k; j++)
        {
          const char *want = g_ptr_array_index (term->tokens, j);
          const char *have = scan->ring[(i + 1 - k + j) % size];

          if (j == k - 1 && term->prefix)
            match = g_str_has_prefix (have, want);
          else
            match = strcmp (have, want) == 0;
        }
      if (match)
        {
          Span range = { g_array_index (scan->tokens, Span, i + 1 - k).start, end };

          g_array_append_val (scan->matches, range);
          if (scan->first_match < 0)
            {
              scan->first_match = i + 1 - k;
              scan->first_end = i;
            }
        }
    }

  if (scan->stop_after > 0 && scan->first_match >= 0 &&
      i >= (guint) scan->first_end + scan->stop_after)
    {
      scan->stopped = TRUE;
      return SQLITE_DONE;
    }
  return SQLITE_OK;
}

static void
scan_text (GlossHighlighter *self,
           const char       *column,
           const char       *text,
           guint             stop_after,
           Scan             *scan)
{
  memset (scan, 0, sizeof *scan);
  scan->self = self;
  scan->column = column;
  scan->ring = g_new0 (char *, self->longest);
  scan->tokens = g_array_new (FALSE, FALSE, sizeof (Span));
  scan->matches = g_array_new (FALSE, FALSE, sizeof (Span));
  scan->first_match = -1;
  scan->stop_after = stop_after;

  self->api.xTokenize (self->tokenizer, scan, FTS5_TOKENIZE_DOCUMENT, text, strlen (text), scan_cb);
}

static void
scan_clear (Scan *scan)
{
  for (guint i = 0; i < scan->self->longest; i++)
    g_free (scan->ring[i]);
  g_free (scan->ring);
  g_array_unref (scan->tokens);
  g_array_unref (scan->matches);
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *x = a, *y = b;

  return x->start != y->start ? (x->start > y->start) - (x->start < y->start)
                              : (x->end > y->end) - (x->end < y->end);
}

/* Copies text[from, to) with the matches inside it marked; newlines and
 * tabs become spaces, so that a snippet is one line. */
static void
append_marked (GString    *out,
               const char *text,
               int         from,
               int         to,
               GArray     *matches,
               gboolean    flatten)
{
  int pos = from;

  g_array_sort (matches, compare_spans);
  for (guint i = 0; i <= matches->len; i++)
    {
      Span span = i < matches->len ? g_array_index (matches, Span, i) : (Span) { to, to };

      /* Merge overlapping and adjacent-by-one-token matches of terms. */
      while (i + 1 < matches->len && g_array_index (matches, Span, i + 1).start <= span.end)
        {
          span.end = MAX (span.end, g_array_index (matches, Span, i + 1).end);
          i++;
        }
      span.start = CLAMP (span.start, pos, to);
      span.end = CLAMP (span.end, span.start, to);

      for (int p = pos; p < span.start; p++)
        g_string_append_c (out, flatten && (text[p] == '\n' || text[p] == '\t') ? ' ' : text[p]);
      if (span.end > span.start)
        {
          g_string_append (out, GLOSS_SEARCH_MATCH_START);
          g_string_append_len (out, text + span.start, span.end - span.start);
          g_string_append (out, GLOSS_SEARCH_MATCH_END);
        }
      pos = MAX (pos, span.end);
    }
}

char *
gloss_highlighter_mark (GlossHighlighter *self,
                        const char       *column,
                        const char       *text)
{
  Scan scan;
  GString *out;

  if (self == NULL || text == NULL || *text == '\0')
    return NULL;

  scan_text (self, column, text, 0, &scan);
  if (scan.matches->len == 0)
    {
      scan_clear (&scan);
      return NULL;
    }
  out = g_string_sized_new (strlen (text) + 16);
  append_marked (out, text, 0, strlen (text), scan.matches, FALSE);
  scan_clear (&scan);
  return g_string_free (out, FALSE);
}

char *
gloss_highlighter_snippet (GlossHighlighter *self,
                           const char       *column,
                           const char       *text,
                           guint             n_tokens,
                           gsize            *first_match)
{
  Scan scan;
  GString *out;
  guint before = n_tokens / 3;
  guint from, to, n;

  if (self == NULL || text == NULL || *text == '\0')
    return NULL;

  scan_text (self, column, text, n_tokens, &scan);
  if (scan.first_match < 0)
    {
      scan_clear (&scan);
      return NULL;
    }

  n = scan.tokens->len;
  if (first_match != NULL)
    *first_match = g_array_index (scan.tokens, Span, scan.first_match).start;
  from = (guint) scan.first_match > before ? scan.first_match - before : 0;
  to = MIN (n - 1, MAX (from + n_tokens - 1, (guint) scan.first_end));

  out = g_string_new (NULL);
  if (from > 0)
    g_string_append (out, "…");
  append_marked (out, text,
                 g_array_index (scan.tokens, Span, from).start,
                 g_array_index (scan.tokens, Span, to).end,
                 scan.matches, TRUE);
  if (to + 1 < n || scan.stopped)
    g_string_append (out, "…");
  else
    {
      /* The end of the text: keep its closing punctuation. */
      const char *rest = text + g_array_index (scan.tokens, Span, to).end;

      for (const char *p = rest; *p && *p != '\n'; p++)
        g_string_append_c (out, *p == '\t' ? ' ' : *p);
    }

  scan_clear (&scan);
  return g_string_free (out, FALSE);
}
