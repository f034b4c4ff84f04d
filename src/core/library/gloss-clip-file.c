/* gloss-clip-file.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one clip.json reader (gloss-clip-file.h): bytes read without
 * following links, checked by the strict scanner, every member FORMAT.md
 * names checked for its type and shape. */

#define G_LOG_DOMAIN "gloss-clip"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-clip-file.h"
#include "gloss-error.h"
#include "gloss-fs.h"
#include "gloss-id.h"
#include "gloss-json-private.h"

struct _GlossClipFileOwned
{
  GlossClipFile  file;
  GlossScan     *scan;
  char          *data;
  GPtrArray     *tags;
};

typedef struct _GlossClipFileOwned GlossClipFileOwned;

guint64
gloss_clip_file_hash (const char *data,
                      gsize       length)
{
  /* Eight bytes at a time, multiply-and-rotate: only to tell "the same
   * bytes" from "changed", not for security. */
  guint64 h = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ length;
  gsize i = 0;

  for (; i + 8 <= length; i += 8)
    {
      guint64 w;

      memcpy (&w, data + i, 8);
      h ^= w * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
      h = ((h << 27) | (h >> 37)) * G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
    }
  for (; i < length; i++)
    h = (h ^ (guchar) data[i]) * G_GUINT64_CONSTANT (1099511628211);

  return h ^ (h >> 33);
}

void
gloss_clip_file_free (GlossClipFile *file)
{
  GlossClipFileOwned *owned = (GlossClipFileOwned *) file;

  if (file == NULL)
    return;
  g_clear_pointer (&owned->scan, gloss_scan_free);
  g_clear_pointer (&owned->tags, g_ptr_array_unref);
  g_free (owned->data);
  g_free (owned);
}

/* @data need not be NUL-terminated. */
static gboolean
is_blank (const char *data,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
      return FALSE;
  return TRUE;
}

static gboolean
read_optional_string (GlossScanValue  *root,
                      const char      *member,
                      const char     **field,
                      GError         **error)
{
  return gloss_scan_read_string (root, "clip.json", member,
                                 GLOSS_JSON_OPTIONAL | GLOSS_JSON_NULLABLE, field, error);
}

static gboolean
read_time_member (GlossScanValue  *root,
                  const char      *member,
                  const char     **field,
                  GError         **error)
{
  const char *value;

  if (!gloss_scan_read_string (root, "clip.json", member, GLOSS_JSON_REQUIRED, &value, error))
    return FALSE;
  if (!gloss_time_is_valid (value))
    {
      g_autofree char *shown = g_utf8_make_valid (value, MIN (strlen (value), 40));

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   /* Translators: a member name of clip.json, then its value. */
                   _("“%s” in clip.json is “%s”, not an RFC 3339 UTC time ending in Z"),
                   member, shown);
      return FALSE;
    }
  *field = value;
  return TRUE;
}

/* Every annotation is checked (a clip with one bad annotation is damaged
 * as a whole: FORMAT.md never lets the program rewrite what it could not
 * read). */
static gboolean
check_annotations (GlossClipFile   *file,
                   GlossScanValue  *root,
                   GError         **error)
{
  GlossScanValue *array = gloss_scan_get_member (root, "annotations");
  g_autoptr(GHashTable) ids = NULL;
  guint i = 0;

  if (array == NULL)
    return TRUE;
  if (array->type != GLOSS_SCAN_ARRAY)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                           _("“annotations” in clip.json is not an array"));
      return FALSE;
    }

  ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (GlossScanValue *element = array->first; element != NULL; element = element->next, i++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *id = NULL;

      if (element->type != GLOSS_SCAN_OBJECT)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                       _("annotation %u in clip.json is not an object"), i + 1);
          return FALSE;
        }

      if (!gloss_annotation_check_scan (element, &id, &local_error))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                       /* Translators: the annotation's number in clip.json, then
                        * what is wrong with it. */
                       _("annotation %u: %s"), i + 1, local_error->message);
          return FALSE;
        }

      if (!g_hash_table_add (ids, (gpointer) id))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                       _("annotation id %s is used twice"), id);
          return FALSE;
        }
    }

  file->annotations = array;
  file->n_annotations = array->n_children;
  return TRUE;
}

static gboolean
read_tags (GlossClipFileOwned  *owned,
           GlossScanValue      *root,
           GError             **error)
{
  GlossScanValue *array = gloss_scan_get_member (root, "tags");
  guint i = 0;

  owned->tags = g_ptr_array_new ();
  if (array != NULL && array->type != GLOSS_SCAN_NULL)
    {
      if (array->type != GLOSS_SCAN_ARRAY)
        {
          g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                               _("“tags” in clip.json is not an array"));
          return FALSE;
        }

      for (GlossScanValue *element = array->first; element != NULL; element = element->next, i++)
        {
          if (element->type != GLOSS_SCAN_STRING)
            {
              g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                           _("tag %u in clip.json is not a string"), i + 1);
              return FALSE;
            }
          g_ptr_array_add (owned->tags, (gpointer) element->s);
        }
    }

  owned->file.n_tags = owned->tags->len;
  g_ptr_array_add (owned->tags, NULL);
  owned->file.tags = (const char **) owned->tags->pdata;
  return TRUE;
}

static gboolean
read_root (GlossClipFileOwned  *owned,
           const char          *folder_name,
           GlossScanValue      *root,
           GError             **error)
{
  GlossClipFile *file = &owned->file;
  const char *id;
  gint64 word_count;

  if (!gloss_scan_read_int (root, "clip.json", "format", GLOSS_JSON_REQUIRED, &file->format, error))
    return FALSE;
  if (file->format < 1)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   /* Translators: %lld is the “format” number in clip.json. */
                   _("clip.json has format %lld, which never existed"),
                   (long long) file->format);
      return FALSE;
    }
  /* A newer Gloss wrote it: show it, never write it. */
  file->read_only = file->format > 1;

  if (!gloss_scan_read_string (root, "clip.json", "id", GLOSS_JSON_REQUIRED, &id, error))
    return FALSE;
  if (!gloss_id_check (id, error))
    return FALSE;
  if (!g_str_equal (id, folder_name))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID,
                   _("The id in clip.json (%s) is not the folder's name (%s)"), id, folder_name);
      return FALSE;
    }
  file->id = id;

  if (!gloss_scan_read_string (root, "clip.json", "url", GLOSS_JSON_REQUIRED, &file->url, error) ||
      !gloss_scan_read_string (root, "clip.json", "title", GLOSS_JSON_REQUIRED, &file->title, error))
    return FALSE;

  if (!read_time_member (root, "created", &file->created, error) ||
      !read_time_member (root, "modified", &file->modified, error))
    return FALSE;
  file->created_usec = gloss_time_to_usec (file->created);

  if (!read_optional_string (root, "byline", &file->byline, error) ||
      !read_optional_string (root, "site_name", &file->site_name, error) ||
      !read_optional_string (root, "excerpt", &file->excerpt, error) ||
      !read_optional_string (root, "lang", &file->lang, error) ||
      !read_optional_string (root, "dir", &file->dir, error) ||
      !read_optional_string (root, "published", &file->published, error) ||
      !read_optional_string (root, "note", &file->note, error))
    return FALSE;

  if (!gloss_scan_read_int (root, "clip.json", "word_count",
                            GLOSS_JSON_OPTIONAL | GLOSS_JSON_NULLABLE, &word_count, error))
    return FALSE;
  file->word_count = word_count < 0 ? -1 : word_count;

  if (!read_tags (owned, root, error))
    return FALSE;

  return check_annotations (file, root, error);
}

static GlossClipFile *
parse_owned (const char  *folder_name,
             char        *data,
             gsize        length,
             GError     **error)
{
  g_autoptr(GlossClipFile) file = NULL;
  GlossClipFileOwned *owned;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;
  GlossScanValue *root;

  owned = g_new0 (GlossClipFileOwned, 1);
  owned->data = data;
  file = &owned->file;
  file->data = data;
  file->length = length;

  if (!gloss_id_is_valid (folder_name))
    {
      g_autofree char *shown = g_utf8_make_valid (folder_name, -1);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID,
                   _("The folder name “%s” is not a valid clip id"), shown);
      return NULL;
    }

  if (length == 0 || is_blank (data, length))
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED, _("clip.json is empty"));
      return NULL;
    }

  if (length > GLOSS_CLIP_FILE_MAX_SIZE)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   g_dngettext (GETTEXT_PACKAGE, "clip.json is too large (%zu byte)", "clip.json is too large (%zu bytes)", length),
                   (size_t) length);
      return NULL;
    }

  /* json-glib stops at a NUL byte without a word; say what is wrong. */
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                           _("clip.json is not valid JSON: it contains a NUL byte"));
      return NULL;
    }

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                           _("clip.json is not valid UTF-8"));
      return NULL;
    }

  owned->scan = gloss_scan_parse (data, length, GLOSS_CLIP_FILE_MAX_DEPTH, &reason);
  if (owned->scan == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("clip.json is not valid JSON: %s"), reason);
      return NULL;
    }

  root = gloss_scan_get_root (owned->scan);
  if (root->type != GLOSS_SCAN_OBJECT)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                           _("clip.json does not hold a JSON object"));
      return NULL;
    }
  file->root = root;

  if (!read_root (owned, folder_name, root, &local_error))
    {
      if (file->format > 1)
        g_prefix_error (&local_error,
                        /* Translators: %lld is the “format” number in clip.json; the
                         * reason the clip cannot be read follows. */
                        _("clip.json has format %lld, newer than this Gloss reads: "),
                        (long long) file->format);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  file->hash = gloss_clip_file_hash (data, length);
  return g_steal_pointer (&file);
}

GlossClipFile *
gloss_clip_file_parse (const char  *folder_name,
                       const char  *data,
                       gsize        length,
                       GError     **error)
{
  char *copy;

  g_return_val_if_fail (folder_name != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  copy = g_malloc (length + 1);
  if (length > 0)
    memcpy (copy, data, length);
  copy[length] = '\0';

  return parse_owned (folder_name, copy, length, error);
}

static GlossClipFile *
read_file (int          dir_fd,
           const char  *folder_path,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder_name = NULL;
  char *data = NULL;
  gsize length = 0;
  gboolean ok;

  g_return_val_if_fail (folder_path != NULL, NULL);

  if (dir_fd >= 0)
    ok = gloss_fs_read_at (dir_fd, folder_path, "clip.json", GLOSS_CLIP_FILE_MAX_SIZE,
                           &data, &length, &local_error);
  else
    ok = gloss_fs_read (folder_path, "clip.json", GLOSS_CLIP_FILE_MAX_SIZE, &data, &length, &local_error);

  if (!ok)
    {
      g_autofree char *path = g_build_filename (folder_path, "clip.json", NULL);

      if (g_error_matches (local_error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND))
        g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                     _("“%s” has no clip.json: an unfinished clip"), folder_path);
      else if (g_error_matches (local_error, GLOSS_ERROR, GLOSS_ERROR_TOO_LARGE))
        g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                             _("clip.json is too large"));
      else if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                             _("clip.json is a folder, not a file"));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  folder_name = g_path_get_basename (folder_path);
  return parse_owned (folder_name, data, length, error);
}

GlossClipFile *
gloss_clip_file_read (const char  *folder_path,
                      GError     **error)
{
  return read_file (-1, folder_path, error);
}

GlossClipFile *
gloss_clip_file_read_at (int          dir_fd,
                         const char  *folder_path,
                         GError     **error)
{
  g_return_val_if_fail (dir_fd >= 0, NULL);

  return read_file (dir_fd, folder_path, error);
}

void
gloss_clip_file_get_annotation (GlossScanValue          *element,
                                GlossClipFileAnnotation *out)
{
  GlossScanValue *selectors = gloss_scan_get_member (gloss_scan_get_member (element, "target"), "selector");
  GlossScanValue *quote = selectors ? gloss_scan_find_selector (selectors, "TextQuoteSelector") : NULL;
  GlossScanValue *position = selectors ? gloss_scan_find_selector (selectors, "TextPositionSelector") : NULL;
  GlossScanValue *v;

  g_return_if_fail (element != NULL && out != NULL);

#define STRING_MEMBER(obj, name) \
  ((v = gloss_scan_get_member ((obj), (name))) != NULL && v->type == GLOSS_SCAN_STRING ? v->s : "")

  memset (out, 0, sizeof *out);
  out->id = STRING_MEMBER (element, "id");
  out->created = STRING_MEMBER (element, "created");
  out->modified = STRING_MEMBER (element, "modified");
  out->note = STRING_MEMBER (element, "note");
  if (!gloss_color_from_string (STRING_MEMBER (element, "color"), &out->color))
    out->color = GLOSS_COLOR_YELLOW;
  out->exact = STRING_MEMBER (quote, "exact");
  out->prefix = STRING_MEMBER (quote, "prefix");
  out->suffix = STRING_MEMBER (quote, "suffix");
  if ((v = gloss_scan_get_member (position, "start")) != NULL && v->type == GLOSS_SCAN_INT)
    out->start = (guint) CLAMP (v->i, 0, G_MAXUINT);
  if ((v = gloss_scan_get_member (position, "end")) != NULL && v->type == GLOSS_SCAN_INT)
    out->end = (guint) CLAMP (v->i, 0, G_MAXUINT);

#undef STRING_MEMBER
}
