/* gloss-test-cmark.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reads exported Markdown back with an independent CommonMark parser, so
 * the tests see what a Markdown application would show. */

#include "config.h"

#include <cmark.h>
#include <string.h>

#include "gloss-test-cmark.h"

static void
inline_text (cmark_node *node,
             GString    *out)
{
  for (cmark_node *child = cmark_node_first_child (node);
       child != NULL;
       child = cmark_node_next (child))
    {
      switch (cmark_node_get_type (child))
        {
        case CMARK_NODE_TEXT:
          g_string_append (out, cmark_node_get_literal (child));
          break;
        case CMARK_NODE_SOFTBREAK:
          g_string_append_c (out, ' ');
          break;
        case CMARK_NODE_LINEBREAK:
          g_string_append_c (out, '\n');
          break;
        case CMARK_NODE_LINK:
          g_string_append_c (out, '\x01');
          inline_text (child, out);
          g_string_append_c (out, '\x01');
          break;
        default:
          g_string_append_c (out, '\x01');
        }
    }
}

static void
collect_blocks (cmark_node *parent,
                GPtrArray  *blocks)
{
  for (cmark_node *node = cmark_node_first_child (parent);
       node != NULL;
       node = cmark_node_next (node))
    {
      g_autoptr(GString) text = g_string_new (NULL);

      switch (cmark_node_get_type (node))
        {
        case CMARK_NODE_PARAGRAPH:
          g_string_append (text, "P:");
          inline_text (node, text);
          break;
        case CMARK_NODE_HEADING:
          g_string_append_printf (text, "H%d:", cmark_node_get_heading_level (node));
          inline_text (node, text);
          break;
        case CMARK_NODE_BLOCK_QUOTE:
          g_string_append (text, "Q:");
          for (cmark_node *child = cmark_node_first_child (node);
               child != NULL;
               child = cmark_node_next (child))
            {
              if (child != cmark_node_first_child (node))
                g_string_append_c (text, '\n');
              if (cmark_node_get_type (child) == CMARK_NODE_PARAGRAPH)
                inline_text (child, text);
              else
                g_string_append_c (text, '\x01');
            }
          break;
        default:
          g_string_append_printf (text, "X:%s", cmark_node_get_type_string (node));
        }
      g_ptr_array_add (blocks, g_string_free (g_steal_pointer (&text), FALSE));
    }
}

GPtrArray *
gloss_test_cmark_blocks (const char *markdown)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func (g_free);
  cmark_node *doc = cmark_parse_document (markdown, strlen (markdown), CMARK_OPT_DEFAULT);

  collect_blocks (doc, blocks);
  cmark_node_free (doc);
  return blocks;
}

char *
gloss_test_normalize (const char *text,
                      const char *newline)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *unified = g_strdup (text);

  for (char *p = unified; *p != '\0'; p++)
    if (*p == '\r')
      *p = '\n';
  /* The export also ends lines at the Unicode line and paragraph
   * separators and at NEL. */
  lines = g_regex_split_simple ("\n|\xe2\x80\xa8|\xe2\x80\xa9|\xc2\x85", unified, 0, 0);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (lines[i], " \t\v\f", -1);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint j = 0; words[j] != NULL; j++)
        {
          if (words[j][0] == '\0')
            continue;
          if (line->len > 0)
            g_string_append_c (line, ' ');
          g_string_append (line, words[j]);
        }
      if (line->len == 0)
        continue;
      if (out->len > 0)
        g_string_append (out, newline);
      g_string_append (out, line->str);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
