/* gloss-id.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Ids and times as FORMAT.md spells them. Every id that comes from a file
 * or an import passes through gloss_id_is_valid() before a path is built
 * from it, so that "../" can never leave the library. */

#define G_LOG_DOMAIN "gloss-id"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-id.h"

#define GLOSS_ID_MAX_LENGTH 64

/* The characters of an id: a table, since the search index's start-up
 * check asks about every clip folder's name. */
static const gboolean id_chars[256] = {
  ['-'] = TRUE,
  ['0'] = TRUE, ['1'] = TRUE, ['2'] = TRUE, ['3'] = TRUE, ['4'] = TRUE,
  ['5'] = TRUE, ['6'] = TRUE, ['7'] = TRUE, ['8'] = TRUE, ['9'] = TRUE,
  ['a'] = TRUE, ['b'] = TRUE, ['c'] = TRUE, ['d'] = TRUE, ['e'] = TRUE,
  ['f'] = TRUE, ['g'] = TRUE, ['h'] = TRUE, ['i'] = TRUE, ['j'] = TRUE,
  ['k'] = TRUE, ['l'] = TRUE, ['m'] = TRUE, ['n'] = TRUE, ['o'] = TRUE,
  ['p'] = TRUE, ['q'] = TRUE, ['r'] = TRUE, ['s'] = TRUE, ['t'] = TRUE,
  ['u'] = TRUE, ['v'] = TRUE, ['w'] = TRUE, ['x'] = TRUE, ['y'] = TRUE,
  ['z'] = TRUE,
};

gboolean
gloss_id_is_valid (const char *id)
{
  gsize i;

  if (id == NULL || id[0] == '\0')
    return FALSE;

  for (i = 0; id[i] != '\0'; i++)
    if (i >= GLOSS_ID_MAX_LENGTH || !id_chars[(guchar) id[i]])
      return FALSE;

  return TRUE;
}

gboolean
gloss_id_check (const char  *id,
                GError     **error)
{
  if (gloss_id_is_valid (id))
    return TRUE;

  if (id == NULL || id[0] == '\0')
    g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID,
                         _("The id is empty"));
  else
    {
      /* The id may be hostile or huge: show only a short, valid-UTF-8 part. */
      g_autofree char *shown = g_utf8_make_valid (id, MIN (strlen (id), 80));

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID,
                   _("“%s” is not a valid id (1 to 64 characters of 0-9, a-z and -)"),
                   shown);
    }

  return FALSE;
}

char *
gloss_id_new (void)
{
  /* g_uuid_string_random() is already lower case, version 4. */
  return g_uuid_string_random ();
}

char *
gloss_time_to_string (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
gloss_time_now_string (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return gloss_time_to_string (now);
}

static gboolean
digits (const char *s,
        guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* FORMAT.md asks for "YYYY-MM-DDTHH:MM:SS[.fraction]Z"; GLib's ISO 8601
 * parser is more lenient (week dates, no seconds…), so the shape is
 * checked here first. */
static gboolean
time_shape_is_valid (const char *s)
{
  gsize len;

  if (s == NULL)
    return FALSE;

  len = strlen (s);
  if (len < 20 || len > 40)
    return FALSE;

  if (!digits (s, 4) || s[4] != '-' || !digits (s + 5, 2) || s[7] != '-' ||
      !digits (s + 8, 2) || s[10] != 'T' || !digits (s + 11, 2) ||
      s[13] != ':' || !digits (s + 14, 2) || s[16] != ':' ||
      !digits (s + 17, 2))
    return FALSE;

  if (s[19] == '.')
    {
      gsize i = 20;

      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      while (g_ascii_isdigit (s[i]))
        i++;
      return s[i] == 'Z' && s[i + 1] == '\0';
    }

  return s[19] == 'Z' && s[20] == '\0';
}

GDateTime *
gloss_time_parse (const char *string)
{
  if (!time_shape_is_valid (string))
    return NULL;

  return g_date_time_new_from_iso8601 (string, NULL);
}

gboolean
gloss_time_is_valid (const char *string)
{
  g_autoptr(GDateTime) time = gloss_time_parse (string);

  return time != NULL;
}

gint64
gloss_time_to_usec (const char *string)
{
  g_autoptr(GDateTime) time = gloss_time_parse (string);

  if (time == NULL)
    return 0;
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}
