/* gloss-query.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The search language, parsed in C and turned into an FTS5 MATCH
 * expression plus SQL conditions with bound parameters, so that user text
 * never reaches FTS5 or SQL unescaped.
 *
 *   word            every word must match (diacritics and case ignored)
 *   "a phrase"      the words next to each other
 *   word*           a prefix ("dipl*" finds "diplomacy")
 *   -word -"a b"    must not match (also NOT word)
 *   a OR b          either; OR binds tighter than the implicit AND
 *   title:w note:w quote:w url:w byline:w
 *                   the word in that field only (note: is the page note
 *                   and annotation notes; quote: the highlighted text)
 *   tag:name        the tag, compared case-insensitively; tag:na* a prefix
 *   site:example.org the page's host or a subdomain of it, or the site name
 *   color:yellow    a highlight of that colour (green, blue, pink, purple)
 *   has:notes has:highlights has:tags
 *   before:2025-01-01 after:2025-01  clipped before / on or after the
 *                   start of that day, month or year (local time)
 *   sort:newest sort:oldest sort:relevance
 *
 * Every field takes a quoted value (tag:"foreign policy") and can be
 * negated (-tag:work).
 */

typedef enum
{
  GLOSS_QUERY_SORT_RELEVANCE,
  GLOSS_QUERY_SORT_NEWEST,
  GLOSS_QUERY_SORT_OLDEST,
} GlossQuerySort;

/* The colour bits stored in the index, in GlossColor order. */
#define GLOSS_QUERY_COLOR_BIT(color) (1u << (color))

/* Limits past which a query is refused with a message. */
#define GLOSS_QUERY_MAX_LENGTH 4096
#define GLOSS_QUERY_MAX_TERMS  64

typedef struct _GlossQuery GlossQuery;

/* Parses @text. Punctuation-only words are dropped; an empty query is
 * valid and matches every clip. Fails with GLOSS_ERROR_BAD_QUERY and a
 * short message a person understands. */
GlossQuery     *gloss_query_parse                 (const char   *text,
                                                   GError      **error);
GlossQuery     *gloss_query_ref                   (GlossQuery   *self);
void            gloss_query_unref                 (GlossQuery   *self);

/* The text that was parsed. */
const char     *gloss_query_get_text              (GlossQuery   *self);
GlossQuerySort  gloss_query_get_sort              (GlossQuery   *self);
/* TRUE when the query has no condition at all (every clip matches). */
gboolean        gloss_query_is_empty              (GlossQuery   *self);
/* A normalised rendering of the parsed query, for tests and debugging:
 * clauses joined by " AND ", alternatives by " OR ", e.g.
 * `"peace" AND (title:"talk"* OR tag=work) AND NOT color=yellow`. */
char           *gloss_query_to_string             (GlossQuery   *self);

/* The FTS5 MATCH expression over the clip table, every user token quoted,
 * or NULL when the query has no positive text term (ranking then falls
 * back to the date). Column names: title byline site url tags note quotes
 * colors body. */
const char     *gloss_query_get_fts_match         (GlossQuery   *self);
/* The MATCH expression over the annotation table (columns quotes, note)
 * that finds the highlights and notes containing a positive text term,
 * or NULL. */
const char     *gloss_query_get_annotation_match  (GlossQuery   *self);
/* SQL conditions (joined with AND, or NULL when none) on the clips table
 * aliased "c", with "?" placeholders whose values are in @params (GVariant
 * of type "s" or "x", in order). Refers to the tables clip_fts and
 * clip_tags and to the columns c.rowid, c.created, c.colors, c.has_notes,
 * c.has_highlights, c.has_tags, c.host and c.site_key. */
const char     *gloss_query_get_sql_filter        (GlossQuery   *self,
                                                   GPtrArray   **params);

/* The positive text terms, for highlighting matches: the term's text as
 * typed (a word or a phrase), the FTS5 column it is limited to (NULL: any
 * column) and whether its last word is a prefix. */
guint           gloss_query_get_n_highlight_terms (GlossQuery   *self);
const char     *gloss_query_get_highlight_term    (GlossQuery   *self,
                                                   guint         i,
                                                   const char  **column,
                                                   gboolean     *prefix);

/* An upper bound on the number of clips the query's words can match,
 * from @doc_count (the number of clips holding one term: a word or a
 * phrase, maybe a prefix, maybe limited to a column): the smallest over
 * the AND-ed clauses of the sum over each clause's alternatives.
 * G_MAXINT64 when the query has no positive text clause. */
typedef gint64 (*GlossQueryDocCount) (const char *text,
                                      gboolean    prefix,
                                      const char *column,
                                      gpointer    user_data);
gint64          gloss_query_estimate_matches      (GlossQuery          *self,
                                                   GlossQueryDocCount   doc_count,
                                                   gpointer             user_data);

/* Helpers shared with the index, so that both fold text the same way. */
char           *gloss_query_fold                  (const char   *text);
/* The host of @url, lower case, without a leading "www.", or NULL. */
char           *gloss_query_url_host              (const char   *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossQuery, gloss_query_unref)

G_END_DECLS
