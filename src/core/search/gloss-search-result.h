/* gloss-search-result.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Snippets, quotes and notes in search results are plain text in which
 * every matching word is wrapped in these two markers (U+0002 START OF
 * TEXT and U+0003 END OF TEXT, which the index removes from the text it
 * stores, so they only ever mark matches). Turn them into bold with
 * gloss_search_marked_to_markup() (Pango markup, escaped) or into any pair
 * of strings with gloss_search_marked_replace(). */
#define GLOSS_SEARCH_MATCH_START "\002"
#define GLOSS_SEARCH_MATCH_END   "\003"

/* The text without the markers. */
char *gloss_search_marked_to_plain   (const char *marked);
/* Pango markup: the text escaped, matches in <b></b>. */
char *gloss_search_marked_to_markup  (const char *marked);
/* The text with the markers replaced by @open and @close (e.g. "**"). */
char *gloss_search_marked_replace    (const char *marked,
                                      const char *open,
                                      const char *close);

/* A highlight or note of a result's clip that contains a searched word. */
#define GLOSS_TYPE_SEARCH_ANNOTATION (gloss_search_annotation_get_type ())

typedef struct
{
  char *id;      /* the annotation id in clip.json */
  int   color;   /* a GlossColor */
  char *quote;   /* the highlighted text, matches marked */
  char *note;    /* its note, matches marked; "" when none */
} GlossSearchAnnotation;

GType                  gloss_search_annotation_get_type (void) G_GNUC_CONST;
GlossSearchAnnotation *gloss_search_annotation_new      (const char                  *id,
                                                         int                          color,
                                                         const char                  *quote,
                                                         const char                  *note);
GlossSearchAnnotation *gloss_search_annotation_copy     (const GlossSearchAnnotation *self);
void                   gloss_search_annotation_free     (GlossSearchAnnotation       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossSearchAnnotation, gloss_search_annotation_free)

/* One clip found by a search, ready for a list row. Immutable. */
#define GLOSS_TYPE_SEARCH_RESULT (gloss_search_result_get_type ())

G_DECLARE_FINAL_TYPE (GlossSearchResult, gloss_search_result, GLOSS, SEARCH_RESULT, GObject)

GlossSearchResult *gloss_search_result_new             (const char        *clip_id,
                                                        const char        *title,
                                                        const char        *url,
                                                        const char        *site_name,
                                                        gint64             created,
                                                        double             score,
                                                        const char        *snippet,
                                                        int                match_offset,
                                                        GPtrArray         *annotations);

const char        *gloss_search_result_get_clip_id     (GlossSearchResult *self);
const char        *gloss_search_result_get_title       (GlossSearchResult *self);
const char        *gloss_search_result_get_url         (GlossSearchResult *self);
/* NULL when the clip has no site name. */
const char        *gloss_search_result_get_site_name   (GlossSearchResult *self);
/* The clip's "created" time, Unix seconds. */
gint64             gloss_search_result_get_created     (GlossSearchResult *self);
/* Relevance, higher is better (the negated BM25 rank); 0 when the query
 * has no words (filters only). */
double             gloss_search_result_get_score       (GlossSearchResult *self);
/* A piece of the article (or of another field when the article does not
 * match) with the matches marked; the excerpt or the start of the article
 * when the query has no words. */
const char        *gloss_search_result_get_snippet     (GlossSearchResult *self);
/* Where the first match is in article.txt, in code points (FORMAT.md
 * positions), to open the clip there; -1 when the article itself does not
 * match (a title, tag or note match, or a query without words). */
int                gloss_search_result_get_match_offset (GlossSearchResult *self);
/* GlossSearchAnnotation, in document order; never NULL. */
GPtrArray         *gloss_search_result_get_annotations (GlossSearchResult *self);

/* The clip ids of a list of GlossSearchResult, in its order: what an
 * export of "what this search finds" takes. */
GStrv              gloss_search_results_dup_clip_ids   (GListModel        *results);

G_END_DECLS
