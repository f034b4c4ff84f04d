/* gloss-clip-anchor.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Anchoring all the annotations of one clip (FORMAT.md "Anchoring"): the
 * one loop the reader, the clipper's update, export and --verify share. */

#define G_LOG_DOMAIN "gloss-clip-anchor"

#include "config.h"

#include <string.h>

#include "gloss-clip-anchor.h"

static GlossText *
ensure_text (const char  *article_text,
             GlossText  **cache,
             GlossText  **own)
{
  if (cache != NULL)
    {
      if (*cache == NULL)
        *cache = gloss_text_new (article_text, -1);
      return *cache;
    }

  if (*own == NULL)
    *own = gloss_text_new (article_text, -1);
  return *own;
}

GArray *
gloss_clip_anchor_all (GlossClip             *clip,
                       const char            *article_text,
                       GlossText            **text,
                       GlossClipAnchorFlags   flags,
                       guint                 *n_orphans)
{
  g_autoptr(GlossText) own = NULL;
  g_autoptr(GArray) result = NULL;
  GListModel *annotations;
  guint n, orphans = 0;
  gboolean retargeted = FALSE;
  gint64 shift = 0;  /* how far the last one found moved (QUOTE_FIRST) */

  g_return_val_if_fail (GLOSS_IS_CLIP (clip), NULL);
  g_return_val_if_fail (article_text != NULL || (text != NULL && *text != NULL), NULL);

  if (article_text == NULL)
    article_text = gloss_text_get_utf8 (*text);
  if (flags & GLOSS_CLIP_ANCHOR_RETARGET)
    flags |= GLOSS_CLIP_ANCHOR_SET_ORPHAN;

  annotations = gloss_clip_get_annotations (clip);
  n = g_list_model_get_n_items (annotations);
  result = g_array_sized_new (FALSE, TRUE, sizeof (GlossAnchoring), n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (annotations, i);
      GlossAnchoring anchoring = { annotation, GLOSS_ANCHOR_ORPHAN, 0, 0 };
      const char *exact = gloss_annotation_get_exact (annotation);

      /* A quote found as it is always anchors (by position or quote). */
      if ((flags & GLOSS_CLIP_ANCHOR_ORPHANS_ONLY) && exact[0] != '\0' && strstr (article_text, exact) != NULL)
        anchoring.method = GLOSS_ANCHOR_QUOTE;
      else if (flags & GLOSS_CLIP_ANCHOR_QUOTE_FIRST)
        {
          gint64 hint = (gint64) gloss_annotation_get_start (annotation) + shift;

          anchoring.method = gloss_anchor_quote_near (ensure_text (article_text, text, &own),
                                                      exact,
                                                      gloss_annotation_get_prefix (annotation),
                                                      gloss_annotation_get_suffix (annotation),
                                                      (guint) CLAMP (hint, 0, G_MAXUINT32),
                                                      &anchoring.start, &anchoring.end);
          if (anchoring.method != GLOSS_ANCHOR_ORPHAN)
            shift = (gint64) anchoring.start - (gint64) gloss_annotation_get_start (annotation);
        }
      else
        /* gloss_anchor_quote (), not gloss_anchor_annotation (): that one
         * stores the orphan flag, which only SET_ORPHAN may. */
        anchoring.method = gloss_anchor_quote (ensure_text (article_text, text, &own),
                                               exact,
                                               gloss_annotation_get_prefix (annotation),
                                               gloss_annotation_get_suffix (annotation),
                                               gloss_annotation_get_start (annotation),
                                               gloss_annotation_get_end (annotation),
                                               &anchoring.start, &anchoring.end);

      if (anchoring.method == GLOSS_ANCHOR_ORPHAN)
        {
          anchoring.start = anchoring.end = 0;
          orphans++;
        }
      else if (anchoring.method != GLOSS_ANCHOR_POSITION)
        g_debug ("Annotation %s of clip %s anchored by %s at %u–%u",
                 gloss_annotation_get_id (annotation), gloss_clip_get_id (clip),
                 gloss_anchor_method_to_string (anchoring.method), anchoring.start, anchoring.end);

      if (flags & GLOSS_CLIP_ANCHOR_SET_ORPHAN)
        gloss_annotation_set_orphan (annotation, anchoring.method == GLOSS_ANCHOR_ORPHAN);

      if ((flags & GLOSS_CLIP_ANCHOR_RETARGET) && anchoring.method != GLOSS_ANCHOR_ORPHAN &&
          (anchoring.method != GLOSS_ANCHOR_POSITION ||
           anchoring.start != gloss_annotation_get_start (annotation) ||
           anchoring.end != gloss_annotation_get_end (annotation)))
        {
          GlossText *t = ensure_text (article_text, text, &own);
          g_autofree char *found = gloss_text_substring (t, anchoring.start, anchoring.end);
          g_autofree char *prefix = NULL;
          g_autofree char *suffix = NULL;
          g_autofree char *modified = g_strdup (gloss_annotation_get_modified (annotation));

          gloss_text_get_context (t, anchoring.start, anchoring.end, &prefix, &suffix);
          gloss_annotation_set_target (annotation, found, prefix, suffix, anchoring.start, anchoring.end);
          if (flags & GLOSS_CLIP_ANCHOR_NOT_AN_EDIT)
            gloss_annotation_set_modified (annotation, modified);
          retargeted = TRUE;
        }

      /* The clip holds a reference for as long as the caller uses it. */
      g_array_append_val (result, anchoring);
    }

  /* The array keeps the order anchored in; each entry names its
   * annotation, so it stays valid after the clip's list is sorted. */
  if (flags & GLOSS_CLIP_ANCHOR_RETARGET)
    gloss_clip_sort_annotations (clip);
  if (retargeted)
    g_debug ("Annotations of clip %s moved to where they are now", gloss_clip_get_id (clip));

  if (orphans > 0)
    g_debug ("%u of the %u annotations of clip %s do not anchor", orphans, n, gloss_clip_get_id (clip));

  if (n_orphans != NULL)
    *n_orphans = orphans;

  return g_steal_pointer (&result);
}
