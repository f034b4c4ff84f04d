/* gloss-test-cmark.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses @markdown with cmark (the CommonMark reference parser) and returns
 * its blocks in order, as strings: "P:text" for a paragraph, "H1:text" …
 * for a heading, "Q:text" for a block quote (its paragraphs joined by
 * "\n"), and "X:kind" for anything else (list, code, HTML, rule). Only
 * plain text nodes give text; any other inline (emphasis, link, HTML,
 * code) shows as "\x01", so that structure never passes for text. */
GPtrArray *gloss_test_cmark_blocks (const char *markdown);
/* Collapses blank runs and newlines the way the export does, for
 * comparing what the user highlighted with what came back. */
char      *gloss_test_normalize    (const char *text,
                                    const char *newline);

G_END_DECLS
