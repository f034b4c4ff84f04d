/* gloss-anchor.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "gloss-annotation.h"

G_BEGIN_DECLS

/* How an annotation was found (FORMAT.md "Anchoring"). */
typedef enum
{
  GLOSS_ANCHOR_POSITION,  /* the stored position still holds exact */
  GLOSS_ANCHOR_QUOTE,     /* an occurrence of exact, chosen by context */
  GLOSS_ANCHOR_FUZZY,     /* an approximate match of exact */
  GLOSS_ANCHOR_ORPHAN,    /* not found: kept, listed, never deleted */
} GlossAnchorMethod;

const char *gloss_anchor_method_to_string (GlossAnchorMethod method);

/* An article text addressed in Unicode code points, as FORMAT.md counts
 * them. Built once per article and shared by every anchoring on it. */
typedef struct _GlossText GlossText;

GlossText  *gloss_text_new             (const char  *utf8,
                                        gssize       length);
GlossText  *gloss_text_ref             (GlossText   *text);
void        gloss_text_unref           (GlossText   *text);
const char *gloss_text_get_utf8        (GlossText   *text);
/* In code points. */
guint       gloss_text_get_length      (GlossText   *text);
/* The code points [start, end) as UTF-8; clamped to the text. */
char       *gloss_text_substring       (GlossText   *text,
                                        guint        start,
                                        guint        end);
/* Byte offset of code point @offset. */
gsize       gloss_text_byte_offset     (GlossText   *text,
                                        guint        offset);
/* The up-to-32-code-point prefix and suffix around [start, end). */
void        gloss_text_get_context     (GlossText   *text,
                                        guint        start,
                                        guint        end,
                                        char       **prefix,
                                        char       **suffix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossText, gloss_text_unref)

/* Anchors a quote per FORMAT.md: position, then quote with context, then
 * approximate match (edit distance at most a quarter of exact's length,
 * bit-parallel, never a quadratic scan). On success sets @out_start and
 * @out_end (code points, end exclusive). */
GlossAnchorMethod gloss_anchor_quote      (GlossText        *text,
                                           const char       *exact,
                                           const char       *prefix,
                                           const char       *suffix,
                                           guint             start,
                                           guint             end,
                                           guint            *out_start,
                                           guint            *out_end);
/* The same with no stored position that counts, only a hint (a text that
 * is not article.txt, such as a live page): the occurrence of @exact
 * whose context agrees best, the nearest to @hint when several tie, then
 * the approximate match scored by context and closeness to @hint. Never
 * returns GLOSS_ANCHOR_POSITION. */
GlossAnchorMethod gloss_anchor_quote_near (GlossText        *text,
                                           const char       *exact,
                                           const char       *prefix,
                                           const char       *suffix,
                                           guint             hint,
                                           guint            *out_start,
                                           guint            *out_end);
GlossAnchorMethod gloss_anchor_annotation (GlossText        *text,
                                           GlossAnnotation  *annotation,
                                           guint            *out_start,
                                           guint            *out_end);

G_END_DECLS
