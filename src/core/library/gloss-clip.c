/* gloss-clip.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One clip: clip.json read strictly and written back atomically, with the
 * JsonObject it was read from changed in place so that members this
 * version does not know survive (FORMAT.md). A clip loaded for the library
 * list keeps only its metadata and reads the rest again when asked. */

#define G_LOG_DOMAIN "gloss-clip"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-clip-private.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-json-private.h"
#include "gloss-merge.h"

/* Far beyond any real clip.json (a few kilobytes); a bigger file is
 * damage or an attack, not something to hold in memory. */
#define MAX_CLIP_JSON_SIZE (64 * 1024 * 1024)

struct _GlossClip
{
  GObject      parent_instance;

  GFile       *folder;
  /* NULL for a summary-loaded clip until the JSON is needed. */
  JsonObject  *root;
  GListStore  *annotations;

  char        *id;
  char        *url;
  char        *title;
  char        *byline;
  char        *site_name;
  char        *excerpt;
  char        *lang;
  char        *dir;
  char        *published;
  char        *created;
  char        *modified;
  char        *note;
  GStrv        tags;
  gint64       word_count;
  gint64       created_usec;
  gint64       format;
  guint        n_annotations;
  char        *damage;
  guint64      file_hash;
  guint        read_only : 1;
};

G_DEFINE_FINAL_TYPE (GlossClip, gloss_clip, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_URL,
  PROP_TITLE,
  PROP_BYLINE,
  PROP_SITE_NAME,
  PROP_EXCERPT,
  PROP_LANG,
  PROP_DIR,
  PROP_PUBLISHED,
  PROP_CREATED,
  PROP_MODIFIED,
  PROP_WORD_COUNT,
  PROP_NOTE,
  PROP_TAGS,
  PROP_N_ANNOTATIONS,
  PROP_READ_ONLY,
  PROP_DAMAGE,
  PROP_FOLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean ensure_full (GlossClip  *self,
                             GError    **error);

static void
gloss_clip_finalize (GObject *object)
{
  GlossClip *self = (GlossClip *) object;

  g_clear_object (&self->folder);
  g_clear_pointer (&self->root, json_object_unref);
  g_clear_object (&self->annotations);
  g_free (self->id);
  g_free (self->url);
  g_free (self->title);
  g_free (self->byline);
  g_free (self->site_name);
  g_free (self->excerpt);
  g_free (self->lang);
  g_free (self->dir);
  g_free (self->published);
  g_free (self->created);
  g_free (self->modified);
  g_free (self->note);
  g_strfreev (self->tags);
  g_free (self->damage);

  G_OBJECT_CLASS (gloss_clip_parent_class)->finalize (object);
}

static void
gloss_clip_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GlossClip *self = GLOSS_CLIP (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_URL: g_value_set_string (value, self->url); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_BYLINE: g_value_set_string (value, self->byline); break;
    case PROP_SITE_NAME: g_value_set_string (value, self->site_name); break;
    case PROP_EXCERPT: g_value_set_string (value, self->excerpt); break;
    case PROP_LANG: g_value_set_string (value, self->lang); break;
    case PROP_DIR: g_value_set_string (value, self->dir); break;
    case PROP_PUBLISHED: g_value_set_string (value, self->published); break;
    case PROP_CREATED: g_value_set_string (value, self->created); break;
    case PROP_MODIFIED: g_value_set_string (value, self->modified); break;
    case PROP_WORD_COUNT: g_value_set_int64 (value, self->word_count); break;
    case PROP_NOTE: g_value_set_string (value, gloss_clip_get_note (self)); break;
    case PROP_TAGS: g_value_set_boxed (value, self->tags); break;
    case PROP_N_ANNOTATIONS: g_value_set_uint (value, self->n_annotations); break;
    case PROP_READ_ONLY: g_value_set_boolean (value, self->read_only); break;
    case PROP_DAMAGE: g_value_set_string (value, self->damage); break;
    case PROP_FOLDER: g_value_set_object (value, self->folder); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_clip_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GlossClip *self = GLOSS_CLIP (object);

  switch (prop_id)
    {
    case PROP_URL: gloss_clip_set_url (self, g_value_get_string (value)); break;
    case PROP_TITLE: gloss_clip_set_title (self, g_value_get_string (value)); break;
    case PROP_BYLINE: gloss_clip_set_byline (self, g_value_get_string (value)); break;
    case PROP_SITE_NAME: gloss_clip_set_site_name (self, g_value_get_string (value)); break;
    case PROP_EXCERPT: gloss_clip_set_excerpt (self, g_value_get_string (value)); break;
    case PROP_LANG: gloss_clip_set_lang (self, g_value_get_string (value)); break;
    case PROP_DIR: gloss_clip_set_dir (self, g_value_get_string (value)); break;
    case PROP_PUBLISHED: gloss_clip_set_published (self, g_value_get_string (value)); break;
    case PROP_WORD_COUNT: gloss_clip_set_word_count (self, g_value_get_int64 (value)); break;
    case PROP_NOTE: gloss_clip_set_note (self, g_value_get_string (value)); break;
    case PROP_TAGS: gloss_clip_set_tags (self, g_value_get_boxed (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_clip_class_init (GlossClipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = gloss_clip_finalize;
  object_class->get_property = gloss_clip_get_property;
  object_class->set_property = gloss_clip_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, rw);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  properties[PROP_BYLINE] = g_param_spec_string ("byline", NULL, NULL, NULL, rw);
  properties[PROP_SITE_NAME] = g_param_spec_string ("site-name", NULL, NULL, NULL, rw);
  properties[PROP_EXCERPT] = g_param_spec_string ("excerpt", NULL, NULL, NULL, rw);
  properties[PROP_LANG] = g_param_spec_string ("lang", NULL, NULL, NULL, rw);
  properties[PROP_DIR] = g_param_spec_string ("dir", NULL, NULL, NULL, rw);
  properties[PROP_PUBLISHED] = g_param_spec_string ("published", NULL, NULL, NULL, rw);
  properties[PROP_CREATED] = g_param_spec_string ("created", NULL, NULL, NULL, ro);
  properties[PROP_MODIFIED] = g_param_spec_string ("modified", NULL, NULL, NULL, ro);
  properties[PROP_WORD_COUNT] = g_param_spec_int64 ("word-count", NULL, NULL,
                                                    -1, G_MAXINT64, -1, rw);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, rw);
  properties[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_N_ANNOTATIONS] = g_param_spec_uint ("n-annotations", NULL, NULL,
                                                      0, G_MAXUINT, 0, ro);
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, ro);
  properties[PROP_DAMAGE] = g_param_spec_string ("damage", NULL, NULL, NULL, ro);
  properties[PROP_FOLDER] = g_param_spec_object ("folder", NULL, NULL, G_TYPE_FILE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gloss_clip_init (GlossClip *self)
{
  self->word_count = -1;
  self->format = GLOSS_FORMAT_VERSION;
  self->tags = g_new0 (char *, 1);
}

/* --- small helpers ------------------------------------------------------ */

guint64
gloss_clip_hash_data (const char *data,
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

static gint64
time_to_usec (const char *string)
{
  g_autoptr(GDateTime) time = gloss_time_parse (string);

  if (time == NULL)
    return 0;
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static char *
file_path_display (GFile *file)
{
  return g_file_get_parse_name (file);
}

gboolean
gloss_write_file_atomic (GFile       *file,
                         const char  *contents,
                         gssize       length,
                         GError     **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) local_error = NULL;

  if (length < 0)
    length = strlen (contents);

  /* CONSISTENT writes a temporary file in the same folder and renames it
   * over the old one; DURABLE flushes it first, so that a crash leaves
   * the old file or the new one, never a mix (FORMAT.md). */
  if (!g_file_set_contents_full (path, contents, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT |
                                 G_FILE_SET_CONTENTS_DURABLE,
                                 0666, &local_error))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not save “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* Tags are trimmed and compared case-insensitively (FORMAT.md): the key a
 * tag is looked for by, the same for setting, finding and removing. */
static char *
tag_key (const char *tag)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (tag));

  return g_utf8_casefold (trimmed, -1);
}

/* Whether @tag, one of the clip's, is the one with @key. */
static gboolean
tag_matches (const char *tag,
             const char *key)
{
  g_autofree char *other = g_utf8_casefold (tag, -1);

  return g_str_equal (key, other);
}

static void
normalize_tags (GPtrArray          *out,
                const char * const *tags)
{
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_autofree char *tag = g_strstrip (g_utf8_make_valid (tags[i], -1));
      g_autofree char *key = NULL;
      gboolean seen = FALSE;

      if (tag[0] == '\0')
        continue;

      key = tag_key (tag);
      for (guint j = 0; j < out->len && !seen; j++)
        seen = tag_matches (out->pdata[j], key);

      if (!seen)
        g_ptr_array_add (out, g_steal_pointer (&tag));
    }
}

/* FORMAT.md "Several machines": every change a person makes is written
 * into "changed", "removed" or "removed_tags" (kept in the JSON object,
 * as members this reader does not otherwise use), so that a merge with
 * another machine's version loses nothing. The time is now, or just
 * after the entry's last time if the clock says otherwise. */
/* A time in one of those maps, or NULL (absent, or not a string). */
static const char *
map_time (JsonObject *object,
          const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
mark_time (GlossClip  *self,
           const char *map,
           const char *key,
           const char *after)
{
  JsonNode *node;
  JsonObject *object;
  g_autofree char *time = NULL;

  if (self->damage != NULL || self->read_only || !ensure_full (self, NULL))
    return NULL;

  node = json_object_get_member (self->root, map);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_object_member (self->root, map, json_object_new ());
  object = json_object_get_object_member (self->root, map);

  time = gloss_merge_time_after (after != NULL ? after : map_time (object, key));
  json_object_set_string_member (object, key, time);
  return map_time (object, key);
}

/* --- loading ------------------------------------------------------------ */

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

/* json-glib's parser recurses once per level and overflows the stack on
 * a few hundred thousand "[": the scanner refuses anything deeper than
 * this before json-glib sees it. clip.json needs four levels. */
#define MAX_JSON_DEPTH 128

GlossClip *
gloss_clip_new (const char *url,
                const char *title)
{
  GlossClip *self;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (GLOSS_TYPE_CLIP, NULL);
  self->root = json_object_new ();
  self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);
  self->id = gloss_id_new ();
  self->url = g_strdup (url);
  self->title = g_strdup (title);
  self->created = gloss_time_now_string ();
  self->modified = g_strdup (self->created);
  self->created_usec = time_to_usec (self->created);

  /* Members in the order FORMAT.md shows them, for a file people read. */
  json_object_set_int_member (self->root, "format", GLOSS_FORMAT_VERSION);
  json_object_set_string_member (self->root, "id", self->id);
  json_object_set_string_member (self->root, "url", self->url);
  json_object_set_string_member (self->root, "title", self->title);

  return self;
}

GlossClip *
gloss_clip_new_damaged (GFile      *folder,
                        const char *reason)
{
  GlossClip *self;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  self = g_object_new (GLOSS_TYPE_CLIP, NULL);
  self->folder = g_object_ref (folder);
  self->id = g_file_get_basename (folder);
  self->title = g_strdup (self->id);
  self->url = g_strdup ("");
  self->damage = g_strdup (reason);
  self->read_only = TRUE;
  self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);

  return self;
}

static gboolean
read_optional_string (GlossScanValue  *root,
                      const char      *member,
                      char           **field,
                      GError         **error)
{
  const char *value;

  if (!gloss_scan_read_string (root, "clip.json", member,
                               GLOSS_JSON_OPTIONAL | GLOSS_JSON_NULLABLE, &value, error))
    return FALSE;
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
read_time_member (GlossScanValue  *root,
                  const char      *member,
                  char           **field,
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
  *field = g_strdup (value);
  return TRUE;
}

/* Checks every annotation (a clip with one bad annotation is damaged as a
 * whole: FORMAT.md never lets the program rewrite what it could not
 * read), and counts them. */
static gboolean
check_annotations (GlossClip      *self,
                   GlossScanValue *root,
                   GError        **error)
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

  self->n_annotations = array->n_children;
  return TRUE;
}

/* Builds the annotations from the json-glib tree, for a clip read in
 * full; check_annotations() has already vouched for them. */
static gboolean
build_annotations (GlossClip   *self,
                   JsonObject  *root,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (root, "annotations");
  JsonArray *array;
  guint n;

  self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GlossAnnotation) annotation = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !(annotation = gloss_annotation_new_from_json (json_node_get_object (element), &local_error)))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED, _("annotation %u: %s"), i + 1,
                       local_error ? local_error->message : _("not an object"));
          return FALSE;
        }
      g_list_store_append (self->annotations, annotation);
    }

  return TRUE;
}

static gboolean
read_tags (GlossClip       *self,
           GlossScanValue  *root,
           GError         **error)
{
  GlossScanValue *array = gloss_scan_get_member (root, "tags");
  g_autoptr(GPtrArray) raw = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  guint i = 0;

  if (array == NULL || array->type == GLOSS_SCAN_NULL)
    return TRUE;
  if (array->type != GLOSS_SCAN_ARRAY)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                           _("“tags” in clip.json is not an array"));
      return FALSE;
    }

  raw = g_ptr_array_new ();
  for (GlossScanValue *element = array->first; element != NULL; element = element->next, i++)
    {
      if (element->type != GLOSS_SCAN_STRING)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                       _("tag %u in clip.json is not a string"), i + 1);
          return FALSE;
        }
      g_ptr_array_add (raw, (gpointer) element->s);
    }
  g_ptr_array_add (raw, NULL);

  tags = g_ptr_array_new ();
  normalize_tags (tags, (const char * const *) raw->pdata);
  g_ptr_array_add (tags, NULL);

  g_strfreev (self->tags);
  self->tags = (GStrv) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
  return TRUE;
}

static gboolean
read_root (GlossClip       *self,
           const char      *folder_name,
           GlossScanValue  *root,
           GError         **error)
{
  const char *id, *url, *title, *note;
  gint64 word_count;

  if (!gloss_scan_read_int (root, "clip.json", "format", GLOSS_JSON_REQUIRED, &self->format, error))
    return FALSE;
  if (self->format < 1)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   /* Translators: %lld is the “format” number in clip.json. */
                   _("clip.json has format %lld, which never existed"),
                   (long long) self->format);
      return FALSE;
    }
  /* A newer Gloss wrote it: show it, never write it. */
  self->read_only = self->format > GLOSS_FORMAT_VERSION;

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
  self->id = g_strdup (id);

  if (!gloss_scan_read_string (root, "clip.json", "url", GLOSS_JSON_REQUIRED, &url, error) ||
      !gloss_scan_read_string (root, "clip.json", "title", GLOSS_JSON_REQUIRED, &title, error))
    return FALSE;
  self->url = g_strdup (url);
  self->title = g_strdup (title);

  if (!read_time_member (root, "created", &self->created, error) ||
      !read_time_member (root, "modified", &self->modified, error))
    return FALSE;
  self->created_usec = time_to_usec (self->created);

  if (!read_optional_string (root, "byline", &self->byline, error) ||
      !read_optional_string (root, "site_name", &self->site_name, error) ||
      !read_optional_string (root, "excerpt", &self->excerpt, error) ||
      !read_optional_string (root, "lang", &self->lang, error) ||
      !read_optional_string (root, "dir", &self->dir, error) ||
      !read_optional_string (root, "published", &self->published, error))
    return FALSE;

  if (!gloss_scan_read_int (root, "clip.json", "word_count",
                            GLOSS_JSON_OPTIONAL | GLOSS_JSON_NULLABLE, &word_count, error))
    return FALSE;
  self->word_count = word_count < 0 ? -1 : word_count;

  if (!gloss_scan_read_string (root, "clip.json", "note", GLOSS_JSON_OPTIONAL | GLOSS_JSON_NULLABLE, &note, error))
    return FALSE;
  self->note = g_strdup (note);

  if (!read_tags (self, root, error))
    return FALSE;

  return check_annotations (self, root, error);
}

GlossClip *
gloss_clip_load_from_data (GFile              *folder,
                           const char         *data,
                           gsize               length,
                           GlossClipLoadMode   mode,
                           GError            **error)
{
  g_autoptr(GlossClip) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder_name = NULL;
  g_autoptr(GlossScan) scan = NULL;
  GlossScanValue *root;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  folder_name = g_file_get_basename (folder);
  if (!gloss_id_is_valid (folder_name))
    {
      g_autofree char *shown = g_utf8_make_valid (folder_name, -1);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID,
                   _("The folder name “%s” is not a valid clip id"), shown);
      return NULL;
    }

  if (length == 0)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED, _("clip.json is empty"));
      return NULL;
    }

  if (length > MAX_CLIP_JSON_SIZE)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("clip.json is too large (%zu bytes)"), (size_t) length);
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

  {
    g_autofree char *reason = NULL;

    scan = gloss_scan_parse (data, length, MAX_JSON_DEPTH, &reason);
    if (scan == NULL)
      {
        if (is_blank (data, length))
          g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED, _("clip.json is empty"));
        else
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                       _("clip.json is not valid JSON: %s"), reason);
        return NULL;
      }
  }

  root = gloss_scan_get_root (scan);
  if (root->type != GLOSS_SCAN_OBJECT)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                           _("clip.json does not hold a JSON object"));
      return NULL;
    }

  self = g_object_new (GLOSS_TYPE_CLIP, NULL);
  self->folder = g_object_ref (folder);

  if (!read_root (self, folder_name, root, &local_error))
    {
      if (self->format > GLOSS_FORMAT_VERSION)
        g_prefix_error (&local_error,
                        /* Translators: %lld is the “format” number in clip.json; the
                         * reason the clip cannot be read follows. */
                        _("clip.json has format %lld, newer than this Gloss reads: "),
                        (long long) self->format);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self->file_hash = gloss_clip_hash_data (data, length);

  if (mode == GLOSS_CLIP_LOAD_SUMMARY)
    return g_steal_pointer (&self);

  if (mode == GLOSS_CLIP_LOAD_CHECK)
    {
      GlossScanValue *array = gloss_scan_get_member (root, "annotations");

      self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);
      for (GlossScanValue *e = array ? array->first : NULL; e != NULL; e = e->next)
        {
          g_autoptr(GlossAnnotation) a = gloss_annotation_new_from_scan (e);
          g_list_store_append (self->annotations, a);
        }
      return g_steal_pointer (&self);
    }

  /* Opened or about to be saved: the mutable tree, kept so that unknown
   * members survive. The scanner accepted this document, so json-glib
   * (which is more lenient) does too. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib quotes the input, and may cut a character in half. */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("clip.json is not valid JSON: %s"), reason);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                           _("clip.json does not hold a JSON object"));
      return NULL;
    }

  self->root = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  if (!build_annotations (self, self->root, error))
    return NULL;

  return g_steal_pointer (&self);
}

GlossClip *
gloss_clip_load_with_mode (GFile              *folder,
                           GlossClipLoadMode   mode,
                           GError            **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  file = g_file_get_child (folder, "clip.json");
  path = g_file_get_path (file);

  if (path == NULL)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                           _("The library must be a local folder"));
      return NULL;
    }

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                     _("“%s” has no clip.json: an unfinished clip"), path);
      else if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ISDIR))
        g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                             _("clip.json is a folder, not a file"));
      else
        g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                     _("Could not read “%s”: %s"), path, local_error->message);
      return NULL;
    }

  return gloss_clip_load_from_data (folder, data, length, mode, error);
}

GlossClip *
gloss_clip_load (GFile   *folder,
                 GError **error)
{
  return gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_FULL, error);
}

static int compare_annotations (gconstpointer a,
                                gconstpointer b,
                                gpointer      user_data);

/* A summary-loaded clip reads its JSON and annotations again the first
 * time they are needed. Metadata changed in memory since wins over the
 * file, as it will be written back over it. */
static gboolean
ensure_full (GlossClip  *self,
             GError    **error)
{
  g_autoptr(GlossClip) full = NULL;

  if (self->root != NULL)
    return TRUE;

  if (self->damage != NULL || self->folder == NULL)
    {
      if (self->annotations == NULL)
        self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   _("The clip %s could not be read: %s"), self->id,
                   self->damage ? self->damage : _("it is not saved"));
      return FALSE;
    }

  full = gloss_clip_load_with_mode (self->folder, GLOSS_CLIP_LOAD_FULL, error);
  if (full == NULL)
    {
      if (self->annotations == NULL)
        self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);
      return FALSE;
    }

  self->root = g_steal_pointer (&full->root);
  if (self->annotations != NULL)
    {
      /* A stand-in was handed out after a failed read: fill it so that
       * whoever holds it sees the annotations, keeping any added to it
       * since (they would be lost in the save that follows). */
      guint n = g_list_model_get_n_items (G_LIST_MODEL (full->annotations));
      guint n_added = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < n; i++)
        {
          GlossAnnotation *a = g_list_model_get_item (G_LIST_MODEL (full->annotations), i);

          g_hash_table_add (ids, (gpointer) gloss_annotation_get_id (a));
          g_ptr_array_add (items, a);
        }
      for (guint i = 0; i < n_added; i++)
        {
          GlossAnnotation *a = g_list_model_get_item (G_LIST_MODEL (self->annotations), i);

          if (g_hash_table_contains (ids, gloss_annotation_get_id (a)))
            g_object_unref (a);
          else
            g_ptr_array_add (items, a);
        }
      g_list_store_splice (self->annotations, 0, n_added, items->pdata, items->len);
      g_list_store_sort (self->annotations, compare_annotations, NULL);
    }
  else
    self->annotations = g_steal_pointer (&full->annotations);
  self->n_annotations = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));
  self->file_hash = full->file_hash;

  return TRUE;
}

/* --- writing ------------------------------------------------------------ */

static void
write_optional_string (JsonObject *root,
                       const char *member,
                       const char *value)
{
  /* Absent and null mean the same; keep whichever the file had. */
  if (value != NULL || json_object_has_member (root, member))
    gloss_json_set_string (root, member, value);
}

JsonObject *
gloss_clip_to_json (GlossClip *self)
{
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonNode *node;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);

  if (!ensure_full (self, &error))
    {
      g_warning ("%s", error->message);
      return NULL;
    }

  root = self->root;

  if (!json_object_has_member (root, "format"))
    json_object_set_int_member (root, "format", GLOSS_FORMAT_VERSION);
  json_object_set_string_member (root, "id", self->id);
  json_object_set_string_member (root, "url", self->url);
  json_object_set_string_member (root, "title", self->title);
  write_optional_string (root, "byline", self->byline);
  write_optional_string (root, "site_name", self->site_name);
  write_optional_string (root, "excerpt", self->excerpt);
  write_optional_string (root, "lang", self->lang);
  write_optional_string (root, "dir", self->dir);
  write_optional_string (root, "published", self->published);
  json_object_set_string_member (root, "created", self->created);
  json_object_set_string_member (root, "modified", self->modified);

  node = json_object_get_member (root, "word_count");
  if (self->word_count >= 0)
    json_object_set_int_member (root, "word_count", self->word_count);
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    json_object_remove_member (root, "word_count");

  if (self->tags[0] != NULL || json_object_has_member (root, "tags"))
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; self->tags[i] != NULL; i++)
        json_array_add_string_element (array, self->tags[i]);
      json_object_set_array_member (root, "tags", array);
    }

  if ((self->note != NULL && self->note[0] != '\0') || json_object_has_member (root, "note"))
    json_object_set_string_member (root, "note", gloss_clip_get_note (self));

  if (self->n_annotations > 0 || json_object_has_member (root, "annotations"))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));
      JsonArray *array = json_array_sized_new (n);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GlossAnnotation) a = g_list_model_get_item (G_LIST_MODEL (self->annotations), i);

          json_array_add_object_element (array, json_object_ref (gloss_annotation_to_json (a)));
        }
      json_object_set_array_member (root, "annotations", array);
    }

  return root;
}

static char *
clip_to_data (GlossClip  *self,
              gsize      *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_alloc ();
  GString *data;
  g_autofree char *text = NULL;

  json_node_init_object (node, gloss_clip_to_json (self));
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);

  data = g_string_new (text);
  g_string_append_c (data, '\n');
  *length = data->len;
  return g_string_free (data, FALSE);
}

static gboolean
check_writable (GlossClip  *self,
                GError    **error)
{
  if (self->damage != NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   _("The clip %s is damaged and is never written: %s"), self->id, self->damage);
      return FALSE;
    }
  if (self->read_only)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   /* Translators: a clip id and the “format” number in clip.json. */
                   _("The clip %s was written by a newer Gloss (format %lld) and is read-only"),
                   self->id, (long long) self->format);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_clip_json (GlossClip  *self,
                 GError    **error)
{
  g_autoptr(GFile) file = g_file_get_child (self->folder, "clip.json");
  g_autofree char *data = NULL;
  gsize length;

  if (!ensure_full (self, error))
    return FALSE;

  data = clip_to_data (self, &length);
  if (!gloss_write_file_atomic (file, data, length, error))
    return FALSE;

  self->file_hash = gloss_clip_hash_data (data, length);
  return TRUE;
}

gboolean
gloss_clip_save (GlossClip  *self,
                 gboolean    touch,
                 GError    **error)
{
  g_autofree char *old_modified = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  if (self->folder == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                   _("The clip %s is not in a library yet"), self->id);
      return FALSE;
    }

  if (touch)
    {
      old_modified = g_steal_pointer (&self->modified);
      self->modified = gloss_time_now_string ();
    }

  if (!write_clip_json (self, error))
    {
      /* Memory says what the disk says. */
      if (old_modified != NULL)
        {
          g_free (self->modified);
          self->modified = g_steal_pointer (&old_modified);
        }
      return FALSE;
    }

  if (old_modified != NULL && !g_str_equal (old_modified, self->modified))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);

  return TRUE;
}

static gboolean
write_articles (GFile       *folder,
                const char  *article_html,
                const char  *article_text,
                GError     **error)
{
  g_autoptr(GFile) html = g_file_get_child (folder, "article.html");
  g_autoptr(GFile) text = g_file_get_child (folder, "article.txt");

  return gloss_write_file_atomic (html, article_html, -1, error) &&
         gloss_write_file_atomic (text, article_text, -1, error);
}

gboolean
gloss_clip_save_new (GlossClip   *self,
                     GFile       *clips_dir,
                     const char  *article_html,
                     const char  *article_text,
                     GError     **error)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) json = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (clips_dir), FALSE);
  g_return_val_if_fail (article_html != NULL, FALSE);
  g_return_val_if_fail (article_text != NULL, FALSE);

  if (!check_writable (self, error) || !gloss_id_check (self->id, error))
    return FALSE;

  folder = g_file_get_child (clips_dir, self->id);
  json = g_file_get_child (folder, "clip.json");
  if (g_file_query_exists (json, NULL))
    {
      g_autofree char *path = file_path_display (folder);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS,
                   _("A clip already exists in “%s”"), path);
      return FALSE;
    }

  if (!g_file_make_directory_with_parents (folder, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *path = file_path_display (folder);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not create “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  /* Articles first, clip.json last: until clip.json is there, the folder
   * is an unfinished clip that the list does not show (FORMAT.md). */
  if (!write_articles (folder, article_html, article_text, error))
    return FALSE;

  g_set_object (&self->folder, folder);
  if (!write_clip_json (self, error))
    {
      g_clear_object (&self->folder);
      return FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDER]);
  return TRUE;
}

gboolean
gloss_clip_replace_article (GlossClip   *self,
                            const char  *article_html,
                            const char  *article_text,
                            GError     **error)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (article_html != NULL, FALSE);
  g_return_val_if_fail (article_text != NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;
  if (self->folder == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                   _("The clip %s is not in a library yet"), self->id);
      return FALSE;
    }

  return write_articles (self->folder, article_html, article_text, error);
}

static char *
load_article (GlossClip   *self,
              const char  *name,
              GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);

  if (self->folder == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                   _("The clip %s is not in a library yet"), self->id);
      return NULL;
    }

  file = g_file_get_child (self->folder, name);
  path = g_file_get_path (file);
  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, GLOSS_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? GLOSS_ERROR_NOT_FOUND : GLOSS_ERROR_IO,
                   _("Could not read “%s”: %s"), path, local_error->message);
      return NULL;
    }

  return contents;
}

char *
gloss_clip_load_article_text (GlossClip  *self,
                              GError    **error)
{
  return load_article (self, "article.txt", error);
}

char *
gloss_clip_load_article_html (GlossClip  *self,
                              GError    **error)
{
  return load_article (self, "article.html", error);
}

/* --- accessors ---------------------------------------------------------- */

GFile *
gloss_clip_get_folder (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  return self->folder;
}

gboolean
gloss_clip_get_read_only (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), TRUE);
  return self->read_only || self->damage != NULL;
}

const char *
gloss_clip_get_damage (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  return self->damage;
}

guint64
gloss_clip_get_file_hash (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), 0);
  return self->file_hash;
}

gint64
gloss_clip_get_format (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), 0);
  return self->format;
}

gint64
gloss_clip_get_created_usec (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), 0);
  return self->created_usec;
}

gint64
gloss_clip_get_created_unix (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), 0);
  return self->created_usec / G_USEC_PER_SEC;
}

#define STRING_ACCESSORS(field, PROP)                                       \
const char *                                                                \
gloss_clip_get_##field (GlossClip *self)                                    \
{                                                                           \
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);                        \
  return self->field;                                                       \
}                                                                           \
                                                                            \
void                                                                        \
gloss_clip_set_##field (GlossClip  *self,                                   \
                        const char *value)                                  \
{                                                                           \
  g_return_if_fail (GLOSS_IS_CLIP (self));                                  \
                                                                            \
  if (set_string (&self->field, value))                                     \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);           \
}

const char *
gloss_clip_get_id (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  return self->id;
}

const char *
gloss_clip_get_url (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  return self->url;
}

void
gloss_clip_set_url (GlossClip  *self,
                    const char *url)
{
  g_return_if_fail (GLOSS_IS_CLIP (self));
  g_return_if_fail (url != NULL);

  if (set_string (&self->url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

const char *
gloss_clip_get_title (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  return self->title;
}

void
gloss_clip_set_title (GlossClip  *self,
                      const char *title)
{
  g_return_if_fail (GLOSS_IS_CLIP (self));
  g_return_if_fail (title != NULL);

  if (set_string (&self->title, title))
    {
      mark_time (self, "changed", "title", NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
}

STRING_ACCESSORS (byline, PROP_BYLINE)
STRING_ACCESSORS (site_name, PROP_SITE_NAME)
STRING_ACCESSORS (excerpt, PROP_EXCERPT)
STRING_ACCESSORS (lang, PROP_LANG)
STRING_ACCESSORS (dir, PROP_DIR)
STRING_ACCESSORS (published, PROP_PUBLISHED)

const char *
gloss_clip_get_created (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  return self->created;
}

const char *
gloss_clip_get_modified (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  return self->modified;
}

gint64
gloss_clip_get_word_count (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), -1);
  return self->word_count;
}

void
gloss_clip_set_word_count (GlossClip *self,
                           gint64     word_count)
{
  g_return_if_fail (GLOSS_IS_CLIP (self));

  word_count = MAX (word_count, -1);
  if (self->word_count == word_count)
    return;
  self->word_count = word_count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORD_COUNT]);
}

const char *
gloss_clip_get_note (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  return self->note ? self->note : "";
}

void
gloss_clip_set_note (GlossClip  *self,
                     const char *note)
{
  g_return_if_fail (GLOSS_IS_CLIP (self));

  if (g_strcmp0 (gloss_clip_get_note (self), note ? note : "") == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note ? note : "");
  mark_time (self, "changed", "note", NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}

const char * const *
gloss_clip_get_tags (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  return (const char * const *) self->tags;
}

void
gloss_clip_set_tags (GlossClip          *self,
                     const char * const *tags)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new ();
  g_autofree char *changed = NULL;

  g_return_if_fail (GLOSS_IS_CLIP (self));

  normalize_tags (array, tags);
  g_ptr_array_add (array, NULL);

  if (g_strv_equal ((const char * const *) array->pdata, (const char * const *) self->tags))
    {
      g_ptr_array_set_free_func (array, g_free);
      return;
    }

  /* A tag gone is in "removed_tags", by its lower-case name, later than
   * the "changed" time of the tags that held it. */
  changed = g_strdup (mark_time (self, "changed", "tags", NULL));
  for (guint i = 0; self->tags[i] != NULL; i++)
    {
      g_autofree char *key = tag_key (self->tags[i]);
      gboolean kept = FALSE;

      for (guint j = 0; j < array->len - 1 && !kept; j++)
        kept = tag_matches (array->pdata[j], key);
      if (!kept)
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (self->tags[i]));
          g_autofree char *lower = g_utf8_strdown (trimmed, -1);

          mark_time (self, "removed_tags", lower, changed);
        }
    }

  g_strfreev (self->tags);
  self->tags = (GStrv) g_ptr_array_free (g_steal_pointer (&array), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}

gboolean
gloss_clip_has_tag (GlossClip  *self,
                    const char *tag)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  key = tag_key (tag);
  for (guint i = 0; self->tags[i] != NULL; i++)
    if (tag_matches (self->tags[i], key))
      return TRUE;

  return FALSE;
}

gboolean
gloss_clip_add_tag (GlossClip  *self,
                    const char *tag)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) tags = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  if (gloss_clip_has_tag (self, tag))
    return FALSE;

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) self->tags);
  g_strv_builder_add (builder, tag);
  tags = g_strv_builder_end (builder);

  {
    guint before = g_strv_length (self->tags);

    gloss_clip_set_tags (self, (const char * const *) tags);
    return g_strv_length (self->tags) > before;
  }
}

gboolean
gloss_clip_remove_tag (GlossClip  *self,
                       const char *tag)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *key = NULL;
  gboolean removed = FALSE;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  key = tag_key (tag);
  builder = g_strv_builder_new ();
  for (guint i = 0; self->tags[i] != NULL; i++)
    {
      if (tag_matches (self->tags[i], key))
        removed = TRUE;
      else
        g_strv_builder_add (builder, self->tags[i]);
    }

  if (!removed)
    return FALSE;

  tags = g_strv_builder_end (builder);
  gloss_clip_set_tags (self, (const char * const *) tags);
  return TRUE;
}

/* --- annotations -------------------------------------------------------- */

static void
ensure_annotations (GlossClip *self)
{
  g_autoptr(GError) error = NULL;

  /* Read in full, or in check mode: what is there is what the file says. */
  if (self->annotations != NULL)
    return;

  if (!ensure_full (self, &error) && self->damage == NULL)
    g_warning ("Could not read the annotations of clip %s: %s", self->id, error->message);
}

GListModel *
gloss_clip_get_annotations (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);

  ensure_annotations (self);
  return G_LIST_MODEL (self->annotations);
}

guint
gloss_clip_get_n_annotations (GlossClip *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), 0);
  return self->n_annotations;
}

/* The annotation with @annotation_id, owned by the list, and where it is
 * in it (@position may be NULL); NULL when there is none. */
static GlossAnnotation *
lookup_annotation (GlossClip  *self,
                   const char *annotation_id,
                   guint      *position)
{
  guint n;

  ensure_annotations (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossAnnotation) a = g_list_model_get_item (G_LIST_MODEL (self->annotations), i);

      if (g_str_equal (gloss_annotation_get_id (a), annotation_id))
        {
          if (position != NULL)
            *position = i;
          return a;
        }
    }

  return NULL;
}

GlossAnnotation *
gloss_clip_find_annotation (GlossClip  *self,
                            const char *annotation_id)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  g_return_val_if_fail (annotation_id != NULL, NULL);

  return lookup_annotation (self, annotation_id, NULL);
}

static int
compare_annotations (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  GlossAnnotation *aa = (GlossAnnotation *) a;
  GlossAnnotation *bb = (GlossAnnotation *) b;
  guint as = gloss_annotation_get_start (aa), bs = gloss_annotation_get_start (bb);
  guint ae = gloss_annotation_get_end (aa), be = gloss_annotation_get_end (bb);

  if (as != bs)
    return as < bs ? -1 : 1;
  if (ae != be)
    return ae < be ? -1 : 1;
  return 0;
}

static void
update_n_annotations (GlossClip *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));

  if (n != self->n_annotations)
    {
      self->n_annotations = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ANNOTATIONS]);
    }
}

gboolean
gloss_clip_add_annotation (GlossClip       *self,
                           GlossAnnotation *annotation)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (annotation), FALSE);

  if (gloss_clip_find_annotation (self, gloss_annotation_get_id (annotation)) != NULL)
    return FALSE;

  /* Back after a deletion (Undo): later than its "removed" time, or the
   * next merge would take it away again. */
  if (self->root != NULL)
    {
      JsonNode *node = json_object_get_member (self->root, "removed");
      const char *removed = NULL;

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        removed = map_time (json_node_get_object (node), gloss_annotation_get_id (annotation));
      if (removed != NULL &&
          gloss_merge_compare_times (removed, gloss_annotation_get_modified (annotation)) >= 0)
        {
          g_autofree char *after = gloss_merge_time_after (removed);

          gloss_annotation_set_modified (annotation, after);
        }
    }

  g_list_store_insert_sorted (self->annotations, annotation, compare_annotations, NULL);
  update_n_annotations (self);
  return TRUE;
}

gboolean
gloss_clip_remove_annotation (GlossClip  *self,
                              const char *annotation_id)
{
  GlossAnnotation *annotation;
  guint position;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (annotation_id != NULL, FALSE);

  if ((annotation = lookup_annotation (self, annotation_id, &position)) == NULL)
    return FALSE;

  mark_time (self, "removed", annotation_id, gloss_annotation_get_modified (annotation));
  g_list_store_remove (self->annotations, position);
  update_n_annotations (self);
  return TRUE;
}

void
gloss_clip_sort_annotations (GlossClip *self)
{
  g_return_if_fail (GLOSS_IS_CLIP (self));

  ensure_annotations (self);
  g_list_store_sort (self->annotations, compare_annotations, NULL);
}

/* --- reload ------------------------------------------------------------- */

#define TAKE_STRING(field, PROP)                                            \
  G_STMT_START {                                                            \
    if (g_strcmp0 (self->field, other->field) != 0)                         \
      {                                                                     \
        g_free (self->field);                                               \
        self->field = g_steal_pointer (&other->field);                      \
        g_ptr_array_add (changed, properties[PROP]);                        \
      }                                                                     \
  } G_STMT_END

void
gloss_clip_update_from (GlossClip *self,
                        GlossClip *other)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  gboolean was_read_only;

  g_return_if_fail (GLOSS_IS_CLIP (self));
  g_return_if_fail (GLOSS_IS_CLIP (other));

  was_read_only = gloss_clip_get_read_only (self);

  g_object_freeze_notify (G_OBJECT (self));

  TAKE_STRING (url, PROP_URL);
  TAKE_STRING (title, PROP_TITLE);
  TAKE_STRING (byline, PROP_BYLINE);
  TAKE_STRING (site_name, PROP_SITE_NAME);
  TAKE_STRING (excerpt, PROP_EXCERPT);
  TAKE_STRING (lang, PROP_LANG);
  TAKE_STRING (dir, PROP_DIR);
  TAKE_STRING (published, PROP_PUBLISHED);
  TAKE_STRING (created, PROP_CREATED);
  TAKE_STRING (modified, PROP_MODIFIED);
  TAKE_STRING (note, PROP_NOTE);
  TAKE_STRING (damage, PROP_DAMAGE);

  if (!g_strv_equal ((const char * const *) self->tags, (const char * const *) other->tags))
    {
      g_strfreev (self->tags);
      self->tags = g_steal_pointer (&other->tags);
      other->tags = g_new0 (char *, 1);
      g_ptr_array_add (changed, properties[PROP_TAGS]);
    }

  if (self->word_count != other->word_count)
    {
      self->word_count = other->word_count;
      g_ptr_array_add (changed, properties[PROP_WORD_COUNT]);
    }

  self->created_usec = other->created_usec;
  self->format = other->format;
  self->read_only = other->read_only;
  self->file_hash = other->file_hash;
  if (was_read_only != gloss_clip_get_read_only (self))
    g_ptr_array_add (changed, properties[PROP_READ_ONLY]);

  g_clear_pointer (&self->root, json_object_unref);
  self->root = g_steal_pointer (&other->root);

  /* Whoever shows the annotations holds the store: refill it rather than
   * replace it. */
  if (self->annotations != NULL)
    {
      if (self->root == NULL && self->damage == NULL)
        {
          /* The other was loaded as a summary: read the annotations now,
           * since someone is looking at them. */
          g_autoptr(GError) error = NULL;
          g_autoptr(GlossClip) full = gloss_clip_load_with_mode (self->folder,
                                                                 GLOSS_CLIP_LOAD_FULL,
                                                                 &error);
          if (full != NULL)
            {
              self->root = g_steal_pointer (&full->root);
              g_set_object (&other->annotations, full->annotations);
            }
        }

      {
        g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
        guint n = other->annotations ? g_list_model_get_n_items (G_LIST_MODEL (other->annotations)) : 0;

        for (guint i = 0; i < n; i++)
          g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (other->annotations), i));
        g_list_store_splice (self->annotations, 0,
                             g_list_model_get_n_items (G_LIST_MODEL (self->annotations)),
                             items->pdata, items->len);
      }
    }
  else if (other->annotations != NULL)
    self->annotations = g_steal_pointer (&other->annotations);

  if (self->n_annotations != other->n_annotations)
    {
      self->n_annotations = other->n_annotations;
      g_ptr_array_add (changed, properties[PROP_N_ANNOTATIONS]);
    }

  for (guint i = 0; i < changed->len; i++)
    g_object_notify_by_pspec (G_OBJECT (self), changed->pdata[i]);

  g_object_thaw_notify (G_OBJECT (self));
}
