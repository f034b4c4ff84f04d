/* gloss-index-highlight.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "gloss-query.h"

G_BEGIN_DECLS

/* Marks a query's words in a text the way the index matched them, with
 * FTS5's own unicode61 tokenizer (so "resume" marks "Résumé"), for
 * snippets and matching highlights. Private to src/core; used on the
 * index's worker thread. */

typedef struct _GlossHighlighter GlossHighlighter;

/* NULL when @db has no FTS5 (never, in practice) or the query has no
 * positive word. */
GlossHighlighter *gloss_highlighter_new      (sqlite3          *db,
                                              GlossQuery       *query);
void              gloss_highlighter_free     (GlossHighlighter *self);

/* @text with every match of the terms that apply to @column (an FTS5
 * column name) between GLOSS_SEARCH_MATCH_START and _END; NULL when
 * nothing matches. */
char             *gloss_highlighter_mark     (GlossHighlighter *self,
                                              const char       *column,
                                              const char       *text);
/* About @n_tokens words around the first match in @text, matches marked,
 * "…" where cut; NULL when nothing matches. Stops reading @text soon
 * after the first match. @first_match, if not NULL, gets the byte offset
 * of the first match in @text. */
char             *gloss_highlighter_snippet  (GlossHighlighter *self,
                                              const char       *column,
                                              const char       *text,
                                              guint             n_tokens,
                                              gsize            *first_match);

/* The tokens FTS5 makes of @text (folded, without diacritics). */
GPtrArray        *gloss_highlighter_tokenize (GlossHighlighter *self,
                                              const char       *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossHighlighter, gloss_highlighter_free)

G_END_DECLS
