/* gloss-clip-anchor.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-anchor.h"
#include "gloss-clip.h"

G_BEGIN_DECLS

/* Where one annotation of a clip is found in an article text. */
typedef struct
{
  GlossAnnotation   *annotation;  /* borrowed from the clip */
  GlossAnchorMethod  method;
  guint              start;       /* code points; 0 for an orphan, and */
  guint              end;         /* with ORPHANS_ONLY when not computed */
} GlossAnchoring;

typedef enum
{
  GLOSS_CLIP_ANCHOR_DEFAULT      = 0,
  /* Store each annotation's orphan state in it (the clip is the caller's
   * own, not one shared with another thread). */
  GLOSS_CLIP_ANCHOR_SET_ORPHAN   = 1 << 0,
  /* Rewrite the target of each one that anchors elsewhere than its stored
   * position to where it is now (a clip whose article was updated), and
   * sort the annotations into document order again. Implies SET_ORPHAN. */
  GLOSS_CLIP_ANCHOR_RETARGET     = 1 << 1,
  /* Only which ones anchor: a quote found as it is in the text counts as
   * anchored without finding where (the code point index is only built
   * for the others). */
  GLOSS_CLIP_ANCHOR_ORPHANS_ONLY = 1 << 2,
  /* The text is not article.txt but a page showing the same article
   * among other things (the live page): each annotation is found by its
   * quote and context, its stored position only a hint, moved by as much
   * as the annotation before it moved (gloss_anchor_quote_near ()). */
  GLOSS_CLIP_ANCHOR_QUOTE_FIRST  = 1 << 3,
  /* With RETARGET: moving an annotation is no edit (the merge of a sync
   * tool's copies, FORMAT.md "Several machines"), so it keeps its
   * "modified" and two machines merging the same files write the same
   * bytes. */
  GLOSS_CLIP_ANCHOR_NOT_AN_EDIT  = 1 << 4,
} GlossClipAnchorFlags;

/* Anchors every annotation of @clip against @article_text by FORMAT.md's
 * rules (position, then quote with context, then approximate), in the
 * clip's order. @text, when not NULL, caches the code point index of
 * @article_text: pass a pointer to NULL and it is built when first
 * needed, or a text built from @article_text before. Returns one
 * GlossAnchoring per annotation, and the number of orphans in
 * @n_orphans. Thread-safe for a clip no other thread changes. */
GArray *gloss_clip_anchor_all (GlossClip             *clip,
                               const char            *article_text,
                               GlossText            **text,
                               GlossClipAnchorFlags   flags,
                               guint                 *n_orphans);

G_END_DECLS
