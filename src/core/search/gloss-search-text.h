/* gloss-search-text.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The mark put between words that article.txt runs together across a line
 * break or a block edge of article.html: a control character that the
 * index reads as a separator and that article.txt never holds by the time
 * the index reads it (other control characters become spaces). */
#define GLOSS_SEARCH_TEXT_BOUNDARY '\x1f'

/* @text (article.txt) with GLOSS_SEARCH_TEXT_BOUNDARY wherever @html
 * (article.html, or NULL) has a <br> or a block edge between two
 * characters that are not spaces; @text unchanged when @html is missing
 * or is not the source of @text. */
char  *gloss_search_text_new               (const char *text,
                                            const char *html);
/* The article.txt position (code points) of byte @byte of a text made by
 * gloss_search_text_new(). */
glong  gloss_search_text_to_article_offset (const char *indexed,
                                            gsize       byte);

G_END_DECLS
