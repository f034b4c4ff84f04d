/* gloss-zip.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reads zip archives from memory (APPNOTE.TXT: the end of central
 * directory record, the central directory, each entry's local header).
 * Sizes are checked against the buffer before every read; deflated data
 * goes through GZlibDecompressor in raw format and is never allowed to
 * grow past what the directory said, nor past the caller's bound. */

#define G_LOG_DOMAIN "gloss-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-zip.h"

#define SIG_LOCAL   0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END     0x06054b50u
#define END_SIZE    22

typedef struct
{
  char    *name;          /* NULL when refused */
  guint16  method;        /* 0 stored, 8 deflate */
  guint32  compressed;
  guint32  size;
  guint32  offset;        /* of the local header */
} Entry;

/* All entries read from one archive together: a zip bomb of many entries,
 * each under its own bound, is refused once past this. */
#define MAX_TOTAL_BYTES (G_GUINT64_CONSTANT (1) << 30)

struct _GlossZip
{
  GBytes  *bytes;
  Entry   *entries;
  guint    n_entries;
  guint    n_refused;
  guint64  total_read;
};

static guint16
u16 (const guchar *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
u32 (const guchar *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

gboolean
gloss_zip_sniff (const char *data,
                 gsize       length)
{
  return length >= 4 && data[0] == 'P' && data[1] == 'K' &&
         ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6));
}

/* A name that stays inside the archive: relative, no "..", no drive, no
 * backslash, valid UTF-8 (or plain ASCII), no control characters. */
static char *
safe_name (const guchar *raw,
           gsize         length)
{
  g_autofree char *name = g_strndup ((const char *) raw, length);
  g_auto(GStrv) parts = NULL;

  if (length == 0 || strlen (name) != length || !g_utf8_validate (name, -1, NULL))
    return NULL;
  if (name[0] == '/' || strchr (name, '\\') != NULL || strchr (name, ':') != NULL)
    return NULL;
  for (const char *p = name; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      return NULL;
  parts = g_strsplit (name, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], ".."))
      return NULL;
  return g_steal_pointer (&name);
}

static gboolean
damaged (GError **error,
         const char *why)
{
  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
               /* Translators: %s says what is wrong, e.g. “its directory is cut short”. */
               _("The zip archive is damaged: %s"), why);
  return FALSE;
}

GlossZip *
gloss_zip_new (GBytes  *bytes,
               GError **error)
{
  g_autoptr(GlossZip) zip = g_new0 (GlossZip, 1);
  gsize length = 0;
  const guchar *data = g_bytes_get_data (bytes, &length);
  const guchar *end = NULL;
  guint32 cd_size, cd_offset;
  guint16 n;
  gsize pos;

  zip->bytes = g_bytes_ref (bytes);

  if (length < END_SIZE)
    {
      damaged (error, _("it is too short"));
      return NULL;
    }
  /* The end record is last, followed by a comment of at most 64 KiB. */
  for (gsize back = END_SIZE; back <= MIN (length, (gsize) END_SIZE + 0xffff); back++)
    if (u32 (data + length - back) == SIG_END)
      {
        end = data + length - back;
        break;
      }
  if (end == NULL)
    {
      damaged (error, _("its end record is missing"));
      return NULL;
    }

  n = u16 (end + 10);
  cd_size = u32 (end + 12);
  cd_offset = u32 (end + 16);
  if (cd_offset == 0xffffffffu || cd_size == 0xffffffffu)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("The zip archive is in the ZIP64 format, which Gloss does not read"));
      return NULL;
    }
  if ((gsize) cd_offset + cd_size > (gsize) (end - data))
    {
      damaged (error, _("its directory is outside the file"));
      return NULL;
    }

  zip->entries = g_new0 (Entry, n);
  pos = cd_offset;
  for (guint i = 0; i < n; i++)
    {
      const guchar *p = data + pos;
      Entry *entry = &zip->entries[i];
      guint16 flags, name_len, extra_len, comment_len;

      if (pos + 46 > cd_offset + (gsize) cd_size || u32 (p) != SIG_CENTRAL)
        {
          zip->n_entries = i;
          damaged (error, _("its directory is cut short"));
          return NULL;
        }
      flags = u16 (p + 8);
      entry->method = u16 (p + 10);
      entry->compressed = u32 (p + 20);
      entry->size = u32 (p + 24);
      name_len = u16 (p + 28);
      extra_len = u16 (p + 30);
      comment_len = u16 (p + 32);
      entry->offset = u32 (p + 42);
      if (pos + 46 + name_len + extra_len + comment_len > cd_offset + (gsize) cd_size)
        {
          zip->n_entries = i;
          damaged (error, _("its directory is cut short"));
          return NULL;
        }
      zip->n_entries = i + 1;
      if ((flags & 1) == 0 && (entry->method == 0 || entry->method == 8))
        entry->name = safe_name (p + 46, name_len);
      if (entry->name == NULL)
        zip->n_refused++;
      pos += 46 + name_len + extra_len + comment_len;
    }

  return g_steal_pointer (&zip);
}

void
gloss_zip_free (GlossZip *zip)
{
  if (zip == NULL)
    return;
  for (guint i = 0; i < zip->n_entries; i++)
    g_free (zip->entries[i].name);
  g_free (zip->entries);
  g_bytes_unref (zip->bytes);
  g_free (zip);
}

guint
gloss_zip_get_n_entries (GlossZip *zip)
{
  return zip->n_entries;
}

guint
gloss_zip_get_n_refused (GlossZip *zip)
{
  return zip->n_refused;
}

const char *
gloss_zip_get_name (GlossZip *zip,
                    guint     index)
{
  g_return_val_if_fail (index < zip->n_entries, NULL);
  return zip->entries[index].name;
}

int
gloss_zip_find (GlossZip   *zip,
                const char *name)
{
  for (guint i = 0; i < zip->n_entries; i++)
    if (zip->entries[i].name != NULL && g_str_equal (zip->entries[i].name, name))
      return (int) i;
  return -1;
}

static GBytes *
inflate_raw (const guchar  *in,
             gsize          in_len,
             gsize          size,
             GError       **error)
{
  g_autoptr(GZlibDecompressor) inflater = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
  g_autofree guchar *out = g_malloc (size + 1);
  gsize in_pos = 0, out_pos = 0;

  for (;;)
    {
      gsize read = 0, written = 0;
      g_autoptr(GError) local_error = NULL;
      GConverterResult result;

      /* One byte of room past the declared size: an entry that would fill
       * it is larger than it says, and refused. */
      result = g_converter_convert (G_CONVERTER (inflater), in + in_pos, in_len - in_pos,
                                    out + out_pos, size + 1 - out_pos,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          damaged (error, local_error->message);
          return NULL;
        }
      in_pos += read;
      out_pos += written;
      if (out_pos > size)
        {
          damaged (error, _("an entry is larger than its directory says"));
          return NULL;
        }
      if (result == G_CONVERTER_FINISHED)
        break;
      if (read == 0 && written == 0)
        {
          damaged (error, _("an entry is cut short"));
          return NULL;
        }
    }
  if (out_pos != size)
    {
      damaged (error, _("an entry is shorter than its directory says"));
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&out), size);
}

GBytes *
gloss_zip_read (GlossZip  *zip,
                guint      index,
                gsize      max_size,
                GError   **error)
{
  gsize length = 0;
  const guchar *data = g_bytes_get_data (zip->bytes, &length);
  Entry *entry;
  const guchar *p;
  gsize start;

  g_return_val_if_fail (index < zip->n_entries, NULL);

  entry = &zip->entries[index];
  if (entry->name == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("The zip archive has an entry Gloss does not read"));
      return NULL;
    }
  if (zip->total_read + entry->size > MAX_TOTAL_BYTES)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_TOO_LARGE,
                   _("The zip archive unpacks to more than %u MB, more than any export"),
                   (guint) (MAX_TOTAL_BYTES >> 20));
      return NULL;
    }
  if (entry->size > max_size)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_TOO_LARGE,
                   _("“%s” in the zip archive is too large (more than %lu MB)"),
                   entry->name, (unsigned long) (max_size >> 20));
      return NULL;
    }
  if ((gsize) entry->offset + 30 > length || u32 (data + entry->offset) != SIG_LOCAL)
    {
      damaged (error, _("an entry's header is missing"));
      return NULL;
    }
  p = data + entry->offset;
  zip->total_read += entry->size;
  start = (gsize) entry->offset + 30 + u16 (p + 26) + u16 (p + 28);
  if (start > length || entry->compressed > length - start)
    {
      damaged (error, _("an entry is cut short"));
      return NULL;
    }

  if (entry->method == 0)
    {
      if (entry->compressed != entry->size)
        {
          damaged (error, _("a stored entry has two sizes"));
          return NULL;
        }
      return g_bytes_new_from_bytes (zip->bytes, start, entry->size);
    }
  return inflate_raw (data + start, entry->compressed, entry->size, error);
}
