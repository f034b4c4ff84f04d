/* gloss-search-text.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The text the search index holds for an article: article.txt, whose
 * positions FORMAT.md fixes, with a boundary mark wherever article.html
 * has a line break or a block edge that article.txt (the textContent of
 * the article) runs together: "interview<br>Mr" is "interviewMr" there,
 * one wrong word to the index. The marks are found by reading the text of
 * article.html alongside article.txt; they are control characters that
 * the tokenizer splits on and that never occur in article.txt as the
 * index reads it, so a position in the indexed text maps back to one in
 * article.txt by not counting them. */

#define G_LOG_DOMAIN "gloss-search-text"

#include "config.h"

#include <string.h>

#include "gloss-search-text.h"

/* How far the two texts may disagree (characters article.html has that
 * article.txt lacks, or the reverse: 4 plus one in a hundred) before the
 * marks are given up: an article.html that is not the source of that
 * article.txt. */
#define LOOKAHEAD 8

/* Elements whose start or end is a line of its own in a reader; sorted. */
static const char * const block_elements[] = {
  "address", "article", "aside", "blockquote", "br", "caption", "center",
  "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption",
  "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
  "hgroup", "hr", "legend", "li", "main", "nav", "ol", "option", "p", "pre",
  "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
  "tr", "ul",
};

/* Elements whose content is text up to their end tag; sorted. */
static const char * const raw_text_elements[] = {
  "noembed", "noframes", "plaintext", "script", "style", "textarea", "title", "xmp",
};

static const struct { const char *name; gunichar c; } entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0xa0 }, { "shy", 0xad }, { "mdash", 0x2014 }, { "ndash", 0x2013 },
  { "hellip", 0x2026 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201c },
  { "rdquo", 0x201d }, { "laquo", 0xab }, { "raquo", 0xbb }, { "copy", 0xa9 },
  { "reg", 0xae }, { "trade", 0x2122 }, { "middot", 0xb7 }, { "bull", 0x2022 },
  { "times", 0xd7 }, { "euro", 0x20ac }, { "pound", 0xa3 }, { "deg", 0xb0 },
};

/* A character of article.html's text that matches any one character of
 * article.txt: an entity this table does not know. */
#define ANY_CHAR ((gunichar) -3)

typedef struct
{
  const char *text;        /* article.txt */
  const char *at;          /* the next character of it to match */
  const char *end;
  GArray     *marks;       /* byte offsets into text, ascending */
  guint       mismatches;
  guint       max_mismatches;
} Aligner;

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (a, *(const char * const *) b);
}

/* @list is sorted. */
static gboolean
in_list (const char * const *list,
         gsize               n,
         const char         *name)
{
  return name[0] != '\0' && bsearch (name, list, n, sizeof *list, compare_names) != NULL;
}

static void
boundary (Aligner *al)
{
  gsize offset = al->at - al->text;

  if (al->marks->len == 0 || g_array_index (al->marks, gsize, al->marks->len - 1) != offset)
    g_array_append_val (al->marks, offset);
}

/* Matches one character of article.html's text against article.txt. */
static void
text_char (Aligner  *al,
           gunichar  c)
{
  const char *p = al->at;

  if (c == '\r')
    c = '\n';

  /* The common case: the two texts agree, and in ASCII. */
  if (c < 0x80 && p < al->end && (guchar) *p == c)
    {
      al->at = p + 1;
      return;
    }

  for (guint i = 0; i < LOOKAHEAD && p < al->end; i++, p = g_utf8_next_char (p))
    if (c == ANY_CHAR || g_utf8_get_char (p) == c)
      {
        al->mismatches += i;
        al->at = g_utf8_next_char (p);
        return;
      }

  /* Only in article.html (the newline the parser drops after <pre>). */
  al->mismatches++;
}

static const char *
entity (const char *p,
        const char *end,
        gunichar   *out)
{
  const char *q = p + 1;
  char name[16];
  gsize n = 0;

  if (q < end && *q == '#')
    {
      gboolean hex = q + 1 < end && (q[1] == 'x' || q[1] == 'X');
      guint64 value = 0;
      const char *digits = q + (hex ? 2 : 1);

      q = digits;
      while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)) && q - digits < 8)
        {
          value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q) : g_ascii_digit_value (*q));
          q++;
        }
      if (q == digits)
        return NULL;
      *out = value == 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff) ? 0xfffd : (gunichar) value;
      return q < end && *q == ';' ? q + 1 : q;
    }

  while (q < end && g_ascii_isalnum (*q) && n < sizeof name - 1)
    name[n++] = *q++;
  name[n] = '\0';
  if (n == 0 || q >= end || *q != ';')
    return NULL;

  *out = ANY_CHAR;
  for (gsize i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strcmp (entities[i].name, name) == 0)
      *out = entities[i].c;

  return q + 1;
}

/* Past the end of a tag that starts at @p ('<'), quoted values included. */
static const char *
skip_tag (const char *p,
          const char *end)
{
  char quote = 0;

  for (p++; p < end; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '>')
        return p + 1;
    }

  return end;
}

static gboolean
align (Aligner    *al,
       const char *html)
{
  const char *p = html, *end = html + strlen (html);

  while (p < end)
    {
      if (al->mismatches > al->max_mismatches)
        return FALSE;

      if (*p == '<' && p + 1 < end && (g_ascii_isalpha (p[1]) || p[1] == '/'))
        {
          gboolean closing = p[1] == '/';
          const char *q = p + (closing ? 2 : 1);
          char name[16];
          gsize n = 0;

          while (q < end && g_ascii_isalnum (*q) && n < sizeof name - 1)
            name[n++] = g_ascii_tolower (*q++);
          name[n] = '\0';
          p = skip_tag (p, end);

          if (in_list (block_elements, G_N_ELEMENTS (block_elements), name))
            boundary (al);

          if (!closing && in_list (raw_text_elements, G_N_ELEMENTS (raw_text_elements), name))
            {
              g_autofree char *close = g_strconcat ("</", name, NULL);
              const char *stop = g_strstr_len (p, end - p, close);

              /* Case matters little here: the clipper writes lower case. */
              if (stop == NULL)
                stop = end;
              for (; p < stop; p = g_utf8_next_char (p))
                text_char (al, g_utf8_get_char (p));
            }
          continue;
        }

      if (*p == '<' && p + 1 < end && p[1] == '!')
        {
          if (end - p >= 4 && strncmp (p, "<!--", 4) == 0)
            {
              const char *close = g_strstr_len (p + 4, end - p - 4, "-->");

              p = close ? close + 3 : end;
            }
          else
            p = skip_tag (p, end);
          continue;
        }

      if (*p == '&')
        {
          gunichar c;
          const char *after = entity (p, end, &c);

          if (after != NULL)
            {
              text_char (al, c);
              p = after;
              continue;
            }
        }

      if ((guchar) *p < 0x80 && *p != '\r' && al->at < al->end && *al->at == *p)
        {
          /* The common case, kept out of any call. */
          al->at++;
          p++;
        }
      else if ((guchar) *p < 0x80)
        text_char (al, (guchar) *p++);
      else
        {
          text_char (al, g_utf8_get_char (p));
          p = g_utf8_next_char (p);
        }
    }

  return TRUE;
}

char *
gloss_search_text_new (const char *text,
                       const char *html)
{
  g_autoptr(GArray) marks = NULL;
  Aligner al;
  GString *out;
  gsize from = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (html == NULL || !g_utf8_validate (html, -1, NULL) || !g_utf8_validate (text, -1, NULL))
    return g_strdup (text);

  marks = g_array_new (FALSE, FALSE, sizeof (gsize));
  al = (Aligner) { text, text, text + strlen (text), marks, 0, 0 };
  /* In bytes rather than characters: near enough, and no second pass. */
  al.max_mismatches = 4 + (al.end - text) / 100;
  /* Every character of article.txt must have been read in article.html,
   * give or take a few: else it is not that article's source. */
  if (!align (&al, html) || al.mismatches + (al.end - al.at) > al.max_mismatches)
    return g_strdup (text);

  out = g_string_sized_new (strlen (text) + marks->len + 1);
  for (guint i = 0; i < marks->len; i++)
    {
      gsize at = g_array_index (marks, gsize, i);

      /* Only where words would otherwise run together. */
      if (at == 0 || at >= (gsize) (al.end - text) ||
          g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (text + at))) ||
          g_unichar_isspace (g_utf8_get_char (text + at)))
        continue;

      g_string_append_len (out, text + from, at - from);
      g_string_append_c (out, GLOSS_SEARCH_TEXT_BOUNDARY);
      from = at;
    }
  g_string_append (out, text + from);

  return g_string_free (out, FALSE);
}

glong
gloss_search_text_to_article_offset (const char *indexed,
                                     gsize       byte)
{
  glong offset = 0;

  g_return_val_if_fail (indexed != NULL, -1);

  for (const char *p = indexed; *p != '\0' && (gsize) (p - indexed) < byte; p = g_utf8_next_char (p))
    if (*p != GLOSS_SEARCH_TEXT_BOUNDARY)
      offset++;

  return offset;
}
