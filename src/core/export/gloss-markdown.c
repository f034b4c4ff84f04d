/* gloss-markdown.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The small text transformations behind the Markdown export: escaping what
 * the user highlighted so it shows as text, YAML quoting for the front
 * matter, file-name slugs and text-fragment links back to the live page. */

#define G_LOG_DOMAIN "gloss-markdown"

#include "config.h"

#include <string.h>

#include "gloss-markdown.h"

/* Highlights come from article.txt and notes from the user; both should be
 * UTF-8 already, but a damaged file must not make us write invalid text. */
static char *
dup_valid (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  return g_utf8_make_valid (text, -1);
}

static gboolean
is_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static gboolean
is_newline (gunichar c)
{
  return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x85;
}

/* Splits on any newline, collapses runs of blanks and trims each line;
 * empty lines are dropped: they only separated paragraphs. */
static GPtrArray *
split_lines (const char *text)
{
  g_autofree char *valid = dup_valid (text);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (const char *p = valid; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0 || is_newline (c))
        {
          if (line->len > 0)
            g_ptr_array_add (lines, g_strndup (line->str, line->len));
          g_string_truncate (line, 0);
          pending_space = FALSE;
          if (c == 0)
            break;
          continue;
        }

      if (is_space (c))
        {
          pending_space = line->len > 0;
          continue;
        }

      if (pending_space)
        g_string_append_c (line, ' ');
      pending_space = FALSE;
      g_string_append_unichar (line, c);
    }

  return lines;
}

/* Whether the character before @p (in @line) or at @p is a letter or
 * digit, in any script. */
static gboolean
is_word_char_before (const char *line,
                     const char *p)
{
  const char *prev = g_utf8_find_prev_char (line, p);

  return prev != NULL && g_unichar_isalnum (g_utf8_get_char_validated (prev, p - prev));
}

static gboolean
is_word_char_at (const char *p)
{
  return *p != '\0' && g_unichar_isalnum (g_utf8_get_char_validated (p, -1));
}

/* "&name;", "&#123;" or "&#x1F;": what CommonMark reads as a reference. */
static gboolean
starts_entity (const char *p)
{
  const char *q = p + 1;
  guint n = 0;

  if (*q == '#')
    {
      q++;
      if (*q == 'x' || *q == 'X')
        q++;
    }
  while (g_ascii_isalnum (q[n]) && n < 32)
    n++;

  return n > 0 && q[n] == ';';
}

/* Escapes one trimmed line. Backslash escapes are defined for every ASCII
 * punctuation character in CommonMark, so escaping too much is harmless;
 * escaping too little turns the user's text into structure. */
static void
append_escaped_line (GString    *out,
                     const char *line)
{
  const char *p = line;

  /* Block structure only counts at the start of a line. */
  if (*p == '-' || *p == '+' || *p == '=')
    {
      g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
      p++;
    }
  else if (g_ascii_isdigit (*p))
    {
      const char *q = p;

      while (g_ascii_isdigit (*q) && q - p < 10)
        q++;
      if (*q == '.' || *q == ')')
        {
          g_string_append_len (out, p, q - p);
          g_string_append_c (out, '\\');
          g_string_append_c (out, *q);
          p = q + 1;
        }
    }

  for (; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '_':
        case '~':
          /* Inside a word they can never open or close emphasis (nor GFM's
           * strikethrough), and an escape there ends up in the address of
           * a GitHub or Obsidian autolink (a%5C_b). */
          if (p > line && is_word_char_before (line, p) && is_word_char_at (p + 1))
            {
              g_string_append_c (out, *p);
              continue;
            }
          break;

        case '#':
          /* Only a heading at the start of a line, or an Obsidian tag
           * (#word after a space), is structure. */
          if (p > line && !g_ascii_isspace (p[-1]))
            {
              g_string_append_c (out, *p);
              continue;
            }
          break;

        case '&':
          /* Only an entity or character reference (&amp; &#38;) is. */
          if (!starts_entity (p))
            {
              g_string_append_c (out, *p);
              continue;
            }
          break;

        case '=':
        case '%':
          /* Obsidian's ==highlight== and %%hidden comment%%. */
          if (p[1] != *p && (p == line || p[-1] != *p))
            {
              g_string_append_c (out, *p);
              continue;
            }
          break;

        case '\\': case '`': case '*': case '[': case ']':
        case '<': case '>': case '|': case '$':
          break;

        default:
          g_string_append_c (out, *p);
          continue;
        }

      g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

char *
gloss_markdown_escape_text (const char *text)
{
  g_autoptr(GPtrArray) lines = split_lines (text);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      if (i > 0)
        g_string_append (out, "\n\n");
      append_escaped_line (out, g_ptr_array_index (lines, i));
    }

  return g_string_free (out, FALSE);
}

char *
gloss_markdown_escape_line (const char *text)
{
  g_autoptr(GPtrArray) lines = split_lines (text);
  g_autoptr(GString) joined = g_string_new (NULL);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ' ');
      g_string_append (joined, g_ptr_array_index (lines, i));
    }
  append_escaped_line (out, joined->str);

  return g_string_free (out, FALSE);
}

char *
gloss_markdown_blockquote (const char *markdown)
{
  GString *out = g_string_new (NULL);
  const char *p = markdown != NULL ? markdown : "";

  if (*p == '\0')
    return g_string_free (out, FALSE);

  while (TRUE)
    {
      const char *nl = strchr (p, '\n');
      gsize len = nl != NULL ? (gsize) (nl - p) : strlen (p);

      if (len == 0)
        g_string_append_c (out, '>');
      else
        {
          g_string_append (out, "> ");
          g_string_append_len (out, p, len);
        }
      if (nl == NULL)
        break;
      g_string_append_c (out, '\n');
      p = nl + 1;
    }

  return g_string_free (out, FALSE);
}

char *
gloss_markdown_link_destination (const char *url)
{
  g_autofree char *valid = dup_valid (url);
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) valid; *p != '\0'; p++)
    {
      /* Inside <…> a destination may hold anything but these; a backslash
       * would start an escape and so change the URL. */
      if (*p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == '\\')
        g_string_append_printf (out, "%%%02X", *p);
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

char *
gloss_yaml_quote (const char *text)
{
  g_autofree char *valid = dup_valid (text);
  GString *out = g_string_new ("\"");

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case 0x2028:
          g_string_append (out, "\\L");
          break;
        case 0x2029:
          g_string_append (out, "\\P");
          break;
        default:
          /* YAML allows only printable characters in a document. */
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
            g_string_append_printf (out, "\\x%02X", c);
          else if (c == 0xfeff || c == 0xfffe || c == 0xffff)
            g_string_append_printf (out, "\\u%04X", c);
          else
            g_string_append_unichar (out, c);
        }
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

static gboolean
is_reserved_name (const char *name)
{
  static const char * const reserved[] = {
    "con", "prn", "aux", "nul",
    "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
    "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
  };

  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (g_str_equal (name, reserved[i]))
      return TRUE;
  return FALSE;
}

char *
gloss_slugify (const char *title,
               gsize       max_bytes)
{
  g_autofree char *valid = dup_valid (title);
  g_autofree char *nfc = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (max_bytes >= 8, NULL);

  for (const char *p = nfc != NULL ? nfc : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char buf[6 * 3];
      gsize n = 0;

      if (g_unichar_isalnum (c) || (g_unichar_ismark (c) && out->len > 0))
        {
          /* Lower-casing may need more than one character (İ → i̇). */
          gunichar lower = g_unichar_tolower (c);
          n = g_unichar_to_utf8 (lower, buf);
        }
      else if (out->len > 0 && out->str[out->len - 1] != '-')
        {
          buf[0] = '-';
          n = 1;
        }

      if (out->len + n > max_bytes)
        break;
      g_string_append_len (out, buf, n);
    }

  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);

  if (out->len == 0)
    g_string_assign (out, "untitled");
  else if (is_reserved_name (out->str))
    g_string_append (out, "-clip");

  return g_string_free (out, FALSE);
}

char *
gloss_text_fragment_encode (const char *text)
{
  g_autoptr(GPtrArray) lines = split_lines (text);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      const guchar *p = g_ptr_array_index (lines, i);

      if (i > 0)
        g_string_append (out, "%20");
      for (; *p != '\0'; p++)
        {
          if (g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == '~')
            g_string_append_c (out, *p);
          else
            g_string_append_printf (out, "%%%02X", *p);
        }
    }

  return g_string_free (out, FALSE);
}

/* Words (blank-separated) of one line. */
static GStrv
split_words (const char *line)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit (line, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

static char *
join_words (char  **words,
            guint   from,
            guint   to)
{
  GString *out = g_string_new (NULL);

  for (guint i = from; i < to; i++)
    {
      if (i > from)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }
  return g_string_free (out, FALSE);
}

#define FRAGMENT_WORDS 5
#define FRAGMENT_MAX_CHARS 100
#define CONTEXT_CHARS 32

/* The spec matches a prefix that starts at a word boundary and a suffix
 * that ends at one, inside one block: the stored context is 32 code points
 * cut anywhere, so a cut word and anything across a newline is dropped. */
static char *
trim_context (const char *context,
              gboolean    is_prefix)
{
  g_autoptr(GPtrArray) lines = split_lines (context);
  const char *line;
  gunichar edge;
  gboolean cut;

  if (lines->len == 0)
    return NULL;

  line = g_ptr_array_index (lines, is_prefix ? lines->len - 1 : 0);
  edge = g_utf8_get_char (is_prefix ? context
                                    : g_utf8_prev_char (context + strlen (context)));
  cut = g_utf8_strlen (context, -1) >= CONTEXT_CHARS &&
        lines->len == 1 &&
        !is_newline (edge) && !is_space (edge);

  if (cut)
    {
      if (is_prefix)
        {
          const char *space = strchr (line, ' ');
          line = space != NULL ? space + 1 : "";
        }
      else
        {
          const char *space = strrchr (line, ' ');
          return space != NULL ? g_strndup (line, space - line) : NULL;
        }
    }

  return *line != '\0' ? g_strdup (line) : NULL;
}

char *
gloss_text_fragment_url (const char *url,
                         const char *exact,
                         const char *prefix,
                         const char *suffix,
                         gboolean    unique)
{
  g_autoptr(GPtrArray) lines = split_lines (exact);
  g_autoptr(GString) out = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  const char *hash;

  g_return_val_if_fail (url != NULL, NULL);

  hash = strchr (url, '#');
  out = g_string_new_len (url, hash != NULL ? (gssize) (hash - url) : -1);

  if (lines->len == 0)
    return g_string_free (g_steal_pointer (&out), FALSE);

  if (lines->len == 1 && g_utf8_strlen (g_ptr_array_index (lines, 0), -1) <= FRAGMENT_MAX_CHARS)
    start = g_strdup (g_ptr_array_index (lines, 0));
  else
    {
      g_auto(GStrv) first = split_words (g_ptr_array_index (lines, 0));
      g_auto(GStrv) last = split_words (g_ptr_array_index (lines, lines->len - 1));
      guint n_first = g_strv_length (first);
      guint n_last = g_strv_length (last);

      if (lines->len == 1 && n_first <= 2 * FRAGMENT_WORDS)
        start = g_strdup (g_ptr_array_index (lines, 0));
      else
        {
          start = join_words (first, 0, MIN (n_first, FRAGMENT_WORDS));
          end = join_words (last, n_last - MIN (n_last, FRAGMENT_WORDS), n_last);
        }
    }

  g_string_append (out, "#:~:text=");

  if (!unique)
    {
      g_autofree char *p = trim_context (prefix, TRUE);

      if (p != NULL)
        {
          g_autofree char *enc = gloss_text_fragment_encode (p);
          g_string_append_printf (out, "%s-,", enc);
        }
    }

  {
    g_autofree char *enc = gloss_text_fragment_encode (start);
    g_string_append (out, enc);
  }

  if (end != NULL && *end != '\0')
    {
      g_autofree char *enc = gloss_text_fragment_encode (end);
      g_string_append_printf (out, ",%s", enc);
    }

  if (!unique)
    {
      g_autofree char *s = trim_context (suffix, FALSE);

      if (s != NULL)
        {
          g_autofree char *enc = gloss_text_fragment_encode (s);
          g_string_append_printf (out, ",-%s", enc);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

guint
gloss_count_occurrences (const char *haystack,
                         const char *needle,
                         guint       max)
{
  guint n = 0;
  const char *p = haystack;

  if (haystack == NULL || needle == NULL || *needle == '\0')
    return 0;

  while (n < max && (p = strstr (p, needle)) != NULL)
    {
      n++;
      p = g_utf8_next_char (p);
    }

  return n;
}
