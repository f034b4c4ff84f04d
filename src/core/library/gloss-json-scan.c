/* gloss-json-scan.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The strict JSON reader of gloss-json-scan.h: recursive descent over the
 * bytes, values and unescaped strings bump-allocated in large blocks, so
 * that a clip.json costs a few allocations instead of a few hundred. */

#define G_LOG_DOMAIN "gloss-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gloss-json-scan.h"

#define BLOCK_SIZE 16384

struct _GlossScan
{
  GSList         *blocks;
  char           *pos;
  gsize           left;
  GlossScanValue *root;
};

typedef struct
{
  GlossScan  *scan;
  const char *p;
  const char *start;
  const char *end;
  guint       depth;
  guint       max_depth;
  char       *error;
} Parser;

static gpointer
arena_alloc (GlossScan *scan,
             gsize      size)
{
  gpointer ret;

  size = (size + 7) & ~(gsize) 7;
  if (size > scan->left)
    {
      gsize block = MAX (BLOCK_SIZE, size);
      char *mem = g_malloc (block);

      scan->blocks = g_slist_prepend (scan->blocks, mem);
      scan->pos = mem;
      scan->left = block;
    }

  ret = scan->pos;
  scan->pos += size;
  scan->left -= size;
  return ret;
}

G_GNUC_PRINTF (2, 3)
static gboolean
fail (Parser     *parser,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;
  guint line = 1, column = 1;

  if (parser->error != NULL)
    return FALSE;

  for (const char *q = parser->start; q < parser->p && q < parser->end; q++)
    {
      if (*q == '\n')
        {
          line++;
          column = 1;
        }
      else if (((guchar) *q & 0xc0) != 0x80)
        column++;
    }

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: where in a JSON file, then what is wrong there, such as
   * “a string is not closed”. */
  parser->error = g_strdup_printf (_("line %u, column %u: %s"), line, column, message);
  return FALSE;
}

static inline void
skip_space (Parser *parser)
{
  while (parser->p < parser->end &&
         (*parser->p == ' ' || *parser->p == '\n' || *parser->p == '\r' || *parser->p == '\t'))
    parser->p++;
}

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      char c = p[i];

      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v |= c - 'A' + 10;
      else
        return -1;
    }

  return v;
}

static gboolean
parse_string (Parser      *parser,
              const char **out)
{
  const char *p = parser->p + 1;
  const char *run;
  char *buf, *w;
  gsize max = 0;

  /* Find the end first: the unescaped string is never longer. */
  for (run = p; run < parser->end && *run != '"'; run++)
    {
      if ((guchar) *run < 0x20)
        {
          parser->p = run;
          return fail (parser, _("a control character inside a string"));
        }
      if (*run == '\\')
        run++;
    }
  if (run >= parser->end)
    {
      parser->p = run;
      return fail (parser, _("a string is not closed"));
    }
  max = run - p;

  buf = w = arena_alloc (parser->scan, max + 1);
  while (p < run)
    {
      const char *esc = memchr (p, '\\', run - p);
      gsize plain = esc ? (gsize) (esc - p) : (gsize) (run - p);

      memcpy (w, p, plain);
      w += plain;
      p += plain;
      if (esc == NULL)
        break;

      p++;
      switch (*p)
        {
        case '"': *w++ = '"'; p++; break;
        case '\\': *w++ = '\\'; p++; break;
        case '/': *w++ = '/'; p++; break;
        case 'b': *w++ = '\b'; p++; break;
        case 'f': *w++ = '\f'; p++; break;
        case 'n': *w++ = '\n'; p++; break;
        case 'r': *w++ = '\r'; p++; break;
        case 't': *w++ = '\t'; p++; break;
        case 'u':
          {
            int cp, lo;

            if (run - p < 5 || (cp = hex4 (p + 1)) < 0)
              {
                parser->p = p;
                return fail (parser, _("a bad \\u escape"));
              }
            p += 5;
            if (cp >= 0xd800 && cp <= 0xdbff)
              {
                if (run - p < 6 || p[0] != '\\' || p[1] != 'u' ||
                    (lo = hex4 (p + 2)) < 0xdc00 || lo > 0xdfff)
                  {
                    parser->p = p;
                    return fail (parser, _("a lone UTF-16 surrogate in a \\u escape"));
                  }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                p += 6;
              }
            else if (cp >= 0xdc00 && cp <= 0xdfff)
              {
                parser->p = p;
                return fail (parser, _("a lone UTF-16 surrogate in a \\u escape"));
              }
            else if (cp == 0)
              {
                parser->p = p;
                return fail (parser, _("a \\u0000 escape (NUL) inside a string"));
              }
            /* Never longer than the six or twelve bytes it replaces. */
            w += g_unichar_to_utf8 (cp, w);
          }
          break;
        default:
          parser->p = p;
          return fail (parser, _("an unknown escape \\%c"), g_ascii_isprint (*p) ? *p : '?');
        }
    }

  *w = '\0';
  *out = buf;
  parser->p = run + 1;
  return TRUE;
}

/* The digits of a fraction or an exponent, at least one as JSON wants;
 * @p is moved past them. */
static gboolean
skip_digits (Parser      *parser,
             const char **p)
{
  if (*p >= parser->end || !g_ascii_isdigit (**p))
    {
      parser->p = *p;
      return fail (parser, _("a bad number"));
    }
  while (*p < parser->end && g_ascii_isdigit (**p))
    (*p)++;
  return TRUE;
}

static gboolean
parse_number (Parser         *parser,
              GlossScanValue *value)
{
  const char *p = parser->p;
  const char *begin = p;
  gboolean is_int = TRUE;
  char tmp[64];
  g_autofree char *long_tmp = NULL;
  char *num;
  gsize len;

  if (p < parser->end && *p == '-')
    p++;
  if (p >= parser->end || !g_ascii_isdigit (*p))
    return fail (parser, _("a bad number"));
  if (*p == '0')
    p++;
  else
    while (p < parser->end && g_ascii_isdigit (*p))
      p++;
  if (p < parser->end && *p == '.')
    {
      is_int = FALSE;
      p++;
      if (!skip_digits (parser, &p))
        return FALSE;
    }
  if (p < parser->end && (*p == 'e' || *p == 'E'))
    {
      is_int = FALSE;
      p++;
      if (p < parser->end && (*p == '+' || *p == '-'))
        p++;
      if (!skip_digits (parser, &p))
        return FALSE;
    }

  len = p - begin;
  if (len < sizeof tmp)
    num = tmp;
  else
    num = long_tmp = g_malloc (len + 1);
  memcpy (num, begin, len);
  num[len] = '\0';

  if (is_int)
    {
      gboolean overflow = FALSE;
      gint64 v = 0;

      /* The digits are summed here rather than by g_ascii_strtoll(),
       * whose overflow shows only in errno: GLib makes its C locale on
       * first use, and threads that wait for it come back with errno
       * set by the futex, so healthy clips read as damaged in one
       * threaded load of five to ten (issue 15). Negative, so that
       * G_MININT64 fits. */
      for (const char *q = begin + (*begin == '-'); q < p; q++)
        {
          int digit = *q - '0';

          if (v < (G_MININT64 + digit) / 10)
            {
              overflow = TRUE;
              break;
            }
          v = v * 10 - digit;
        }
      if (!overflow && *begin != '-')
        {
          if (v == G_MININT64)
            overflow = TRUE;
          else
            v = -v;
        }

      /* json-glib 1.6 would wrap it (99999999999999999999 becomes -1)
       * and write that back: refused, so it is never rewritten. */
      if (overflow)
        return fail (parser, _("an integer too large to hold"));

      value->type = GLOSS_SCAN_INT;
      value->i = v;
      parser->p = p;
      return TRUE;
    }

  value->type = GLOSS_SCAN_DOUBLE;
  value->d = g_ascii_strtod (num, NULL);
  /* json-glib would read it as infinity and write back "inf", which is
   * not JSON: a number no program can hold is refused here. */
  if (!isfinite (value->d))
    return fail (parser, _("a number too large to hold"));
  /* json-glib 1.6 writes a double by appending ".0" to a form without a
   * point, which makes "1e+20.0" of 1e20: not JSON. Such a number could
   * not be written back, so the file is refused rather than damaged by
   * a later save. */
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_dtostr (buf, sizeof buf, value->d);
    if (strchr (buf, 'e') != NULL && strchr (buf, '.') == NULL)
      return fail (parser, _("a number Gloss cannot write back exactly"));
  }
  parser->p = p;
  return TRUE;
}

static gboolean parse_value (Parser         *parser,
                             GlossScanValue *value);

static gboolean
parse_container (Parser         *parser,
                 GlossScanValue *value,
                 gboolean        object)
{
  GlossScanValue *last = NULL;
  char close = object ? '}' : ']';

  if (++parser->depth > parser->max_depth)
    return fail (parser, g_dngettext (GETTEXT_PACKAGE, "arrays or objects nested more than %u level deep", "arrays or objects nested more than %u levels deep", parser->max_depth), parser->max_depth);

  value->type = object ? GLOSS_SCAN_OBJECT : GLOSS_SCAN_ARRAY;
  value->first = NULL;
  value->n_children = 0;
  parser->p++;

  skip_space (parser);
  if (parser->p < parser->end && *parser->p == close)
    {
      parser->p++;
      parser->depth--;
      return TRUE;
    }

  for (;;)
    {
      GlossScanValue *child = arena_alloc (parser->scan, sizeof (GlossScanValue));

      memset (child, 0, sizeof *child);
      skip_space (parser);

      if (object)
        {
          if (parser->p >= parser->end || *parser->p != '"')
            return fail (parser, _("a member name (a string) was expected"));
          if (!parse_string (parser, &child->key))
            return FALSE;
          skip_space (parser);
          if (parser->p >= parser->end || *parser->p != ':')
            return fail (parser, _("“:” was expected after a member name"));
          parser->p++;
          skip_space (parser);
        }

      if (!parse_value (parser, child))
        return FALSE;

      if (last == NULL)
        value->first = child;
      else
        last->next = child;
      last = child;
      value->n_children++;

      skip_space (parser);
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (parser->p < parser->end && *parser->p == close)
        {
          parser->p++;
          parser->depth--;
          return TRUE;
        }
      return fail (parser, object ? _("“,” or “}” was expected") : _("“,” or “]” was expected"));
    }
}

static gboolean
literal (Parser     *parser,
         const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (parser->end - parser->p) < len || memcmp (parser->p, word, len) != 0)
    return fail (parser, _("an unexpected character"));
  parser->p += len;
  return TRUE;
}

static gboolean
parse_value (Parser         *parser,
             GlossScanValue *value)
{
  if (parser->p >= parser->end)
    return fail (parser, _("the data ends where a value was expected"));

  switch (*parser->p)
    {
    case '{':
      return parse_container (parser, value, TRUE);
    case '[':
      return parse_container (parser, value, FALSE);
    case '"':
      value->type = GLOSS_SCAN_STRING;
      return parse_string (parser, &value->s);
    case 't':
      value->type = GLOSS_SCAN_TRUE;
      return literal (parser, "true");
    case 'f':
      value->type = GLOSS_SCAN_FALSE;
      return literal (parser, "false");
    case 'n':
      value->type = GLOSS_SCAN_NULL;
      return literal (parser, "null");
    default:
      if (*parser->p == '-' || g_ascii_isdigit (*parser->p))
        return parse_number (parser, value);
      return fail (parser, _("an unexpected character"));
    }
}

GlossScan *
gloss_scan_parse (const char  *data,
                  gsize        length,
                  guint        max_depth,
                  char       **error)
{
  g_autoptr(GlossScan) scan = g_new0 (GlossScan, 1);
  Parser parser = { scan, data, data, data + length, 0, max_depth, NULL };

  scan->root = arena_alloc (scan, sizeof (GlossScanValue));
  memset (scan->root, 0, sizeof (GlossScanValue));

  skip_space (&parser);
  if (parser.p >= parser.end)
    {
      *error = g_strdup (_("it is empty"));
      return NULL;
    }

  if (!parse_value (&parser, scan->root))
    {
      *error = g_steal_pointer (&parser.error);
      return NULL;
    }

  skip_space (&parser);
  if (parser.p < parser.end)
    {
      fail (&parser, _("more data after the end of the document"));
      *error = g_steal_pointer (&parser.error);
      return NULL;
    }

  return g_steal_pointer (&scan);
}

GlossScanValue *
gloss_scan_get_root (GlossScan *scan)
{
  return scan->root;
}

void
gloss_scan_free (GlossScan *scan)
{
  if (scan == NULL)
    return;
  g_slist_free_full (scan->blocks, g_free);
  g_free (scan);
}

GlossScanValue *
gloss_scan_get_member (GlossScanValue *object,
                       const char     *key)
{
  GlossScanValue *found = NULL;

  if (object == NULL || object->type != GLOSS_SCAN_OBJECT)
    return NULL;

  for (GlossScanValue *m = object->first; m != NULL; m = m->next)
    if (strcmp (m->key, key) == 0)
      found = m;

  return found;
}

const char *
gloss_scan_type_name (GlossScanValue *value)
{
  switch (value->type)
    {
    case GLOSS_SCAN_NULL: return "null";
    case GLOSS_SCAN_FALSE:
    case GLOSS_SCAN_TRUE: return _("true or false");
    case GLOSS_SCAN_INT: return _("an integer");
    case GLOSS_SCAN_DOUBLE: return _("a fractional number");
    case GLOSS_SCAN_STRING: return _("a string");
    case GLOSS_SCAN_ARRAY: return _("an array");
    case GLOSS_SCAN_OBJECT: return _("an object");
    default: return _("an unknown value");
    }
}
