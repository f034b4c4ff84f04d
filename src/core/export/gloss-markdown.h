/* gloss-markdown.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text that the user highlighted or typed, as Markdown that shows exactly
 * that text: every line becomes its own paragraph (so multi-paragraph quotes
 * keep their paragraphs), runs of spaces collapse, and everything that
 * CommonMark or GitHub Flavored Markdown would read as structure (headings,
 * lists, quotes, tables, emphasis, HTML, links, entities) is escaped. */
char     *gloss_markdown_escape_text       (const char  *text);
/* The same on one line: newlines become spaces (headings, list items). */
char     *gloss_markdown_escape_line       (const char  *text);
/* Prefixes every line of @markdown with "> " (empty lines with ">"). */
char     *gloss_markdown_blockquote        (const char  *markdown);
/* A URL made safe to stand between < and > as a link destination. */
char     *gloss_markdown_link_destination  (const char  *url);

/* A YAML double-quoted scalar holding @text exactly (NULL gives ""). */
char     *gloss_yaml_quote                 (const char  *text);

/* A file-name slug of @title: Unicode letters, marks and digits kept and
 * lower-cased, everything else a single '-', at most @max_bytes bytes cut at
 * a character boundary, never empty, never a dot file or a reserved name. */
char     *gloss_slugify                    (const char  *title,
                                            gsize        max_bytes);

/* Percent-encodes @text for a text directive (URL Fragment Text
 * Directives): whitespace runs collapse to one space, and everything but
 * ASCII letters, digits and "._~" is encoded, '-', ',' and '&' included. */
char     *gloss_text_fragment_encode       (const char  *text);
/* @url with its fragment replaced by a text directive for @exact. When
 * @unique is FALSE the prefix and suffix (trimmed to whole words) are added
 * so that the browser finds this occurrence. Long or multi-line quotes use
 * the textStart,textEnd form, since a single term cannot cross blocks. */
char     *gloss_text_fragment_url          (const char  *url,
                                            const char  *exact,
                                            const char  *prefix,
                                            const char  *suffix,
                                            gboolean     unique);
/* How many times @needle occurs in @haystack, counting at most @max. */
guint     gloss_count_occurrences          (const char  *haystack,
                                            const char  *needle,
                                            guint        max);

G_END_DECLS
