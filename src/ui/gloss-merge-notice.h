/* gloss-merge-notice.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* "Changed on another machine too" (FORMAT.md "Several machines"): a text
 * of the clip that lost a merge to another machine's change, shown with
 * a way to use it instead and a way to dismiss it. A card under the
 * page note or for the title, or a compact line in a highlight's row.
 * Hidden while it has no text. */

typedef enum
{
  GLOSS_MERGE_NOTICE_NOTE,       /* the page note: a card */
  GLOSS_MERGE_NOTICE_TITLE,      /* the title: a card */
  GLOSS_MERGE_NOTICE_HIGHLIGHT,  /* a highlight's note: a line in its row */
} GlossMergeNoticeKind;

#define GLOSS_TYPE_MERGE_NOTICE (gloss_merge_notice_get_type ())

G_DECLARE_FINAL_TYPE (GlossMergeNotice, gloss_merge_notice, GLOSS, MERGE_NOTICE, AdwBin)

GtkWidget  *gloss_merge_notice_new      (GlossMergeNoticeKind  kind);
/* The text that lost, or NULL to hide the notice. */
void        gloss_merge_notice_set_text (GlossMergeNotice     *self,
                                         const char           *text);
const char *gloss_merge_notice_get_text (GlossMergeNotice     *self);
/* What the notice is about: an annotation id for a highlight's. */
void        gloss_merge_notice_set_key  (GlossMergeNotice     *self,
                                         const char           *key);
const char *gloss_merge_notice_get_key  (GlossMergeNotice     *self);

/* Signals: "use" (the person chose the other text) and "dismiss". */

G_END_DECLS
