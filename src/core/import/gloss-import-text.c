/* gloss-import-text.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-import"

#include "config.h"

#include <string.h>

#include "gloss-import-text.h"

/* Windows-1252's 0x80–0x9F; the five bytes it leaves undefined become
 * U+FFFD. 0xA0–0xFF are the Latin-1 code points. */
static const gunichar cp1252_high[32] = {
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
  0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
  0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

static char *
utf16_to_utf8 (const guchar *data,
               gsize         length,
               gboolean      big_endian)
{
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i + 1 < length; i += 2)
    {
      gunichar c = big_endian ? (data[i] << 8 | data[i + 1]) : (data[i] | data[i + 1] << 8);

      if (c >= 0xd800 && c < 0xdc00 && i + 3 < length)
        {
          gunichar low = big_endian ? (data[i + 2] << 8 | data[i + 3]) : (data[i + 2] | data[i + 3] << 8);

          if (low >= 0xdc00 && low < 0xe000)
            {
              c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
              i += 2;
            }
          else
            c = 0xfffd;
        }
      else if ((c >= 0xd800 && c < 0xe000) || c == 0)
        c = 0xfffd;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

char *
gloss_import_text_to_utf8 (const char *data,
                           gsize       length,
                           gboolean   *converted)
{
  const guchar *bytes = (const guchar *) data;
  GString *out;

  *converted = FALSE;
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      bytes += 3;
      length -= 3;
    }
  else if (length >= 2 && ((bytes[0] == 0xff && bytes[1] == 0xfe) || (bytes[0] == 0xfe && bytes[1] == 0xff)))
    {
      *converted = TRUE;
      return utf16_to_utf8 (bytes + 2, length - 2, bytes[0] == 0xfe);
    }

  if (memchr (data, '\0', length) == NULL && g_utf8_validate_len (data, length, NULL))
    return g_strndup (data, length);

  *converted = TRUE;
  /* Valid UTF-8 with stray NULs: only those are replaced. */
  if (g_utf8_validate_len (data, length, NULL))
    {
      out = g_string_sized_new (length);
      for (gsize i = 0; i < length; i++)
        if (data[i] == '\0')
          g_string_append (out, "\xef\xbf\xbd");
        else
          g_string_append_c (out, data[i]);
      return g_string_free (out, FALSE);
    }

  out = g_string_sized_new (length + length / 8);
  for (gsize i = 0; i < length; i++)
    {
      guchar b = bytes[i];

      if (b == 0)
        g_string_append_unichar (out, 0xfffd);
      else if (b < 0x80)
        g_string_append_c (out, (char) b);
      else if (b < 0xa0)
        g_string_append_unichar (out, cp1252_high[b - 0x80]);
      else
        g_string_append_unichar (out, b);
    }
  return g_string_free (out, FALSE);
}

struct _GlossCsv
{
  const char *p;
  guint       line;
  guint       record_line;
  gboolean    cut;
};

GlossCsv *
gloss_csv_new (const char *utf8)
{
  GlossCsv *csv = g_new0 (GlossCsv, 1);

  csv->p = utf8;
  csv->line = 1;
  return csv;
}

void
gloss_csv_free (GlossCsv *csv)
{
  g_free (csv);
}

guint
gloss_csv_get_line (GlossCsv *csv)
{
  return csv->record_line;
}

gboolean
gloss_csv_was_cut (GlossCsv *csv)
{
  return csv->cut;
}

static void
add_char (GlossCsv *csv,
          GString  *field,
          char      c)
{
  if (field->len < GLOSS_CSV_MAX_FIELD)
    g_string_append_c (field, c);
  else
    csv->cut = TRUE;
}

static void
end_field (GlossCsv  *csv,
           GPtrArray *fields,
           GString   *field)
{
  if (fields->len < GLOSS_CSV_MAX_FIELDS)
    {
      /* A cut can split a character: keep whole ones. */
      g_ptr_array_add (fields, g_utf8_make_valid (field->str, field->len));
    }
  else
    csv->cut = TRUE;
  g_string_truncate (field, 0);
}

GPtrArray *
gloss_csv_next (GlossCsv *csv,
                gboolean *unterminated)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) field = NULL;
  const char *s = csv->p;
  gboolean quoted = FALSE;
  gboolean was_quoted = FALSE;

  *unterminated = FALSE;
  csv->cut = FALSE;
  if (*s == '\0')
    return NULL;

  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);
  csv->record_line = csv->line;

  for (;; s++)
    {
      char c = *s;

      if (quoted)
        {
          if (c == '\0')
            {
              *unterminated = TRUE;
              break;
            }
          if (c == '"' && s[1] == '"')
            {
              add_char (csv, field, '"');
              s++;
            }
          else if (c == '"')
            quoted = FALSE;
          else if (c == '\r' && s[1] == '\n')
            ;  /* CRLF inside a field is a line break */
          else
            {
              if (c == '\n')
                csv->line++;
              add_char (csv, field, c);
            }
          continue;
        }

      if (c == '"' && field->len == 0 && !was_quoted)
        {
          quoted = was_quoted = TRUE;
          continue;
        }
      if (c == ',')
        {
          end_field (csv, fields, field);
          was_quoted = FALSE;
          continue;
        }
      if (c == '\0' || c == '\n' || (c == '\r' && (s[1] == '\n' || s[1] == '\0')))
        break;
      if (c == '\r')
        {
          /* Old Mac line ends. */
          break;
        }
      add_char (csv, field, c);
    }

  end_field (csv, fields, field);
  if (*s == '\r' && s[1] == '\n')
    s++;
  if (*s != '\0')
    {
      s++;
      csv->line++;
    }
  csv->p = s;
  return g_steal_pointer (&fields);
}
