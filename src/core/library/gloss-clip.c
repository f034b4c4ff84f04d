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

#include "gloss-clip-file.h"
#include "gloss-clip-private.h"
#include "gloss-error.h"
#include "gloss-fs.h"
#include "gloss-id.h"
#include "gloss-json-private.h"
#include "gloss-lock.h"

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

  /* What the file said when it was last read or written, so that a save
   * can tell another writer's changes from ours (merge_from_disk()). */
  char        *base_title;
  char        *base_note;
  GStrv        base_tags;
  GHashTable  *base_annotations;   /* id → modified; NULL when not read */
  GHashTable  *base_members;       /* member names of the root object */
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
  g_free (self->base_title);
  g_free (self->base_note);
  g_strfreev (self->base_tags);
  g_clear_pointer (&self->base_annotations, g_hash_table_unref);
  g_clear_pointer (&self->base_members, g_hash_table_unref);

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
  return gloss_clip_file_hash (data, length);
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

gboolean
gloss_write_file_atomic (GFile       *file,
                         const char  *contents,
                         gssize       length,
                         GError     **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;

  if (path == NULL)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                           _("The library must be a local folder"));
      return FALSE;
    }

  if (length < 0)
    length = strlen (contents);

  /* A temporary file in the same folder, flushed, renamed over the old
   * one, so that a crash leaves the old file or the new one, never a mix
   * (FORMAT.md); never through a link (gloss-fs.h). */
  folder = g_path_get_dirname (path);
  name = g_path_get_basename (path);
  return gloss_fs_write (folder, name, contents, length, TRUE, error);
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

/* --- loading ------------------------------------------------------------ */

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

/* Builds the annotations from the json-glib tree, for a clip read in
 * full; the reader has already vouched for them. */
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

/* Remembers what the file holds now as the base of the next merge. */
static void
remember_base (GlossClip *self)
{
  g_free (self->base_title);
  self->base_title = g_strdup (self->title);
  g_free (self->base_note);
  self->base_note = g_strdup (gloss_clip_get_note (self));
  g_strfreev (self->base_tags);
  self->base_tags = g_strdupv (self->tags);

  g_clear_pointer (&self->base_annotations, g_hash_table_unref);
  if (self->annotations != NULL && self->root != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));

      self->base_annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GlossAnnotation) a = g_list_model_get_item (G_LIST_MODEL (self->annotations), i);

          g_hash_table_insert (self->base_annotations,
                               g_strdup (gloss_annotation_get_id (a)),
                               g_strdup (gloss_annotation_get_modified (a)));
        }
    }

  g_clear_pointer (&self->base_members, g_hash_table_unref);
  if (self->root != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (self->root);

      self->base_members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (GList *l = members; l != NULL; l = l->next)
        g_hash_table_add (self->base_members, g_strdup (l->data));
    }
}

/* A clip from what the one reader of clip.json (gloss-clip-file.h) found
 * in the file, keeping as much of it as @mode asks for. */
static GlossClip *
clip_new_from_file (GFile              *folder,
                    GlossClipFile      *file,
                    GlossClipLoadMode   mode,
                    GError            **error)
{
  g_autoptr(GlossClip) self = g_object_new (GLOSS_TYPE_CLIP, NULL);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();

  self->folder = g_object_ref (folder);
  self->format = file->format;
  self->read_only = file->read_only;
  self->id = g_strdup (file->id);
  self->url = g_strdup (file->url);
  self->title = g_strdup (file->title);
  self->created = g_strdup (file->created);
  self->modified = g_strdup (file->modified);
  self->created_usec = file->created_usec;
  self->byline = g_strdup (file->byline);
  self->site_name = g_strdup (file->site_name);
  self->excerpt = g_strdup (file->excerpt);
  self->lang = g_strdup (file->lang);
  self->dir = g_strdup (file->dir);
  self->published = g_strdup (file->published);
  self->note = g_strdup (file->note);
  self->word_count = file->word_count;
  self->n_annotations = file->n_annotations;
  self->file_hash = file->hash;

  normalize_tags (tags, (const char * const *) file->tags);
  g_ptr_array_add (tags, NULL);
  g_strfreev (self->tags);
  self->tags = (GStrv) g_ptr_array_free (g_steal_pointer (&tags), FALSE);

  /* A summary keeps no base: the clip is read in full (and its base
   * taken then) before anything of it is written. */
  if (mode == GLOSS_CLIP_LOAD_SUMMARY)
    return g_steal_pointer (&self);

  if (mode == GLOSS_CLIP_LOAD_CHECK)
    {
      self->annotations = g_list_store_new (GLOSS_TYPE_ANNOTATION);
      for (GlossScanValue *e = file->annotations ? file->annotations->first : NULL; e != NULL; e = e->next)
        {
          g_autoptr(GlossAnnotation) a = gloss_annotation_new_from_scan (e);
          g_list_store_append (self->annotations, a);
        }
      return g_steal_pointer (&self);
    }

  /* Opened or about to be saved: the mutable tree, kept so that unknown
   * members survive. The scanner accepted this document (and its depth),
   * so json-glib, which is more lenient, does too. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, file->data, file->length, &local_error))
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

  remember_base (self);
  return g_steal_pointer (&self);
}

GlossClip *
gloss_clip_load_from_data (GFile              *folder,
                           const char         *data,
                           gsize               length,
                           GlossClipLoadMode   mode,
                           GError            **error)
{
  g_autofree char *folder_name = NULL;
  g_autoptr(GlossClipFile) file = NULL;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  folder_name = g_file_get_basename (folder);
  file = gloss_clip_file_parse (folder_name, data, length, error);
  if (file == NULL)
    return NULL;

  return clip_new_from_file (folder, file, mode, error);
}

GlossClip *
gloss_clip_load_with_mode (GFile              *folder,
                           GlossClipLoadMode   mode,
                           GError            **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GlossClipFile) file = NULL;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  path = g_file_get_path (folder);
  if (path == NULL)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                           _("The library must be a local folder"));
      return NULL;
    }

  file = gloss_clip_file_read (path, error);
  if (file == NULL)
    return NULL;

  return clip_new_from_file (folder, file, mode, error);
}

GlossClip *
gloss_clip_load (GFile   *folder,
                 GError **error)
{
  return gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_FULL, error);
}

static gboolean is_known_member (const char *name);
static int  compare_annotations  (gconstpointer a,
                                  gconstpointer b,
                                  gpointer      user_data);
static void update_n_annotations (GlossClip    *self);

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

  /* The annotations and members as the file has them now are the base;
   * the metadata changed in memory since stays ours. */
  g_clear_pointer (&self->base_annotations, g_hash_table_unref);
  self->base_annotations = g_steal_pointer (&full->base_annotations);
  g_clear_pointer (&self->base_members, g_hash_table_unref);
  self->base_members = g_steal_pointer (&full->base_members);
  g_free (self->base_title);
  self->base_title = g_steal_pointer (&full->base_title);
  g_free (self->base_note);
  self->base_note = g_steal_pointer (&full->base_note);
  g_strfreev (self->base_tags);
  self->base_tags = g_steal_pointer (&full->base_tags);

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

JsonNode *
gloss_clip_dup_extra_member (GlossClip  *self,
                             const char *name)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (is_known_member (name))
    return NULL;
  if (!ensure_full (self, &error))
    return NULL;

  node = json_object_get_member (self->root, name);
  return node != NULL ? gloss_json_deep_copy (node) : NULL;
}

gboolean
gloss_clip_set_extra_member (GlossClip  *self,
                             const char *name,
                             JsonNode   *value)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (is_known_member (name) || !ensure_full (self, &error))
    return FALSE;

  if (value == NULL)
    json_object_remove_member (self->root, name);
  else
    json_object_set_member (self->root, name, gloss_json_deep_copy (value));
  return TRUE;
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

gboolean
gloss_clip_check_writable (GlossClip  *self,
                           GError    **error)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);

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

#define check_writable gloss_clip_check_writable

void
gloss_clip_set_folder (GlossClip *self,
                       GFile     *folder)
{
  g_return_if_fail (GLOSS_IS_CLIP (self));

  if (g_set_object (&self->folder, folder))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDER]);
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
  remember_base (self);
  return TRUE;
}

/* --- merging another writer's changes ----------------------------------- */

static gint64
time_usec (const char *string)
{
  g_autoptr(GDateTime) time = gloss_time_parse (string);

  return time != NULL ? g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time) : 0;
}

static gboolean
strv_has_tag (const char * const *tags,
              const char         *tag)
{
  g_autofree char *key = tag_key (tag);

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    if (tag_matches (tags[i], key))
      return TRUE;
  return FALSE;
}

static const char * const known_members[] = {
  "format", "id", "url", "title", "byline", "site_name", "excerpt", "lang", "dir",
  "published", "created", "modified", "word_count", "tags", "note", "annotations",
};

static gboolean
is_known_member (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_members); i++)
    if (g_str_equal (name, known_members[i]))
      return TRUE;
  return FALSE;
}

/* Folds @theirs (the file as another writer left it) into @self (ours),
 * against the base both started from: what either side added is kept,
 * what either side removed is gone, and an annotation both changed takes
 * the later "modified". */
static void
merge_into (GlossClip *self,
            GlossClip *theirs)
{
  GListModel *ours_model = G_LIST_MODEL (self->annotations);
  GListModel *theirs_model = G_LIST_MODEL (theirs->annotations);
  g_autoptr(GHashTable) their_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) our_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();
  g_auto(GStrv) merged_tags = NULL;
  guint n_theirs = g_list_model_get_n_items (theirs_model);
  g_autoptr(GList) members = NULL;

  for (guint i = 0; i < n_theirs; i++)
    {
      GlossAnnotation *t = g_list_model_get_item (theirs_model, i);

      g_hash_table_insert (their_ids, (gpointer) gloss_annotation_get_id (t), t);
      g_object_unref (t);   /* the store keeps it */
    }

  for (guint i = g_list_model_get_n_items (ours_model); i-- > 0;)
    {
      g_autoptr(GlossAnnotation) a = g_list_model_get_item (ours_model, i);
      const char *id = gloss_annotation_get_id (a);
      GlossAnnotation *t = g_hash_table_lookup (their_ids, id);
      const char *base_modified = self->base_annotations ? g_hash_table_lookup (self->base_annotations, id) : NULL;

      if (t == NULL)
        {
          /* Deleted by them, and not changed by us since. */
          if (base_modified != NULL && g_strcmp0 (base_modified, gloss_annotation_get_modified (a)) == 0)
            g_list_store_remove (self->annotations, i);
          else
            g_hash_table_add (our_ids, (gpointer) id);
          continue;
        }

      g_hash_table_add (our_ids, (gpointer) id);
      if (time_usec (gloss_annotation_get_modified (t)) > time_usec (gloss_annotation_get_modified (a)))
        {
          g_autoptr(GlossAnnotation) copy = gloss_annotation_copy (t);

          g_list_store_splice (self->annotations, i, 1, (gpointer *) &copy, 1);
        }
    }

  for (guint i = 0; i < n_theirs; i++)
    {
      g_autoptr(GlossAnnotation) t = g_list_model_get_item (theirs_model, i);
      const char *id = gloss_annotation_get_id (t);

      /* Theirs alone: new there, or deleted here. */
      if (g_hash_table_contains (our_ids, id) ||
          (self->base_annotations != NULL && g_hash_table_contains (self->base_annotations, id)))
        continue;

      {
        g_autoptr(GlossAnnotation) copy = gloss_annotation_copy (t);

        g_list_store_insert_sorted (self->annotations, copy, compare_annotations, NULL);
      }
    }
  update_n_annotations (self);

  /* Tags: in both, or added by either side. */
  for (guint i = 0; self->tags[i] != NULL; i++)
    if (strv_has_tag ((const char * const *) theirs->tags, self->tags[i]) ||
        !strv_has_tag ((const char * const *) self->base_tags, self->tags[i]))
      g_strv_builder_add (tags, self->tags[i]);
  for (guint i = 0; theirs->tags[i] != NULL; i++)
    if (!strv_has_tag ((const char * const *) self->tags, theirs->tags[i]) &&
        !strv_has_tag ((const char * const *) self->base_tags, theirs->tags[i]))
      g_strv_builder_add (tags, theirs->tags[i]);
  merged_tags = g_strv_builder_end (tags);
  gloss_clip_set_tags (self, (const char * const *) merged_tags);

  /* A text we left as it was takes theirs. */
  if (g_strcmp0 (self->title, self->base_title) == 0)
    gloss_clip_set_title (self, theirs->title);
  if (g_strcmp0 (gloss_clip_get_note (self), self->base_note ? self->base_note : "") == 0)
    gloss_clip_set_note (self, gloss_clip_get_note (theirs));

  /* Members this version does not know: added there, or removed there. */
  members = json_object_get_members (theirs->root);
  for (GList *l = members; l != NULL; l = l->next)
    if (!is_known_member (l->data) && !json_object_has_member (self->root, l->data) &&
        (self->base_members == NULL || !g_hash_table_contains (self->base_members, l->data)))
      json_object_set_member (self->root, l->data,
                              gloss_json_deep_copy (json_object_get_member (theirs->root, l->data)));
  g_clear_pointer (&members, g_list_free);
  members = json_object_get_members (self->root);
  for (GList *l = members; l != NULL; l = l->next)
    if (!is_known_member (l->data) && !json_object_has_member (theirs->root, l->data) &&
        self->base_members != NULL && g_hash_table_contains (self->base_members, l->data))
      json_object_remove_member (self->root, l->data);
}

gboolean
gloss_clip_merge_from_disk (GlossClip  *self,
                            GError    **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GlossClipFile) file = NULL;
  g_autoptr(GlossClip) theirs = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);

  if (self->folder == NULL)
    return TRUE;
  if (!ensure_full (self, error))
    return FALSE;

  path = g_file_get_path (self->folder);
  file = gloss_clip_file_read (path, &local_error);
  if (file == NULL)
    {
      /* Gone, or unreadable just now: what we hold is written whole, as
       * before there was a merge. */
      g_debug ("Not merging clip %s: %s", self->id, local_error->message);
      return TRUE;
    }

  if (file->hash == self->file_hash)
    return TRUE;

  theirs = clip_new_from_file (self->folder, file, GLOSS_CLIP_LOAD_FULL, &local_error);
  if (theirs == NULL)
    {
      g_debug ("Not merging clip %s: %s", self->id, local_error->message);
      return TRUE;
    }

  if (theirs->read_only)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   _("The clip %s was written by a newer Gloss (format %lld) meanwhile and is read-only"),
                   self->id, (long long) theirs->format);
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  merge_into (self, theirs);
  g_object_thaw_notify (G_OBJECT (self));

  /* Theirs is now the base of what we write. */
  self->file_hash = theirs->file_hash;
  return TRUE;
}

/* The library folder of a clip folder: <library>/clips/<id>. */
static char *
library_path_of (GFile *folder)
{
  g_autofree char *path = g_file_get_path (folder);
  g_autofree char *clips = path ? g_path_get_dirname (path) : NULL;

  return clips ? g_path_get_dirname (clips) : NULL;
}

gboolean
gloss_clip_write (GlossClip  *self,
                  gboolean    touch,
                  gboolean    take_lock,
                  GError    **error)
{
  g_autofree char *old_modified = NULL;
  g_autoptr(GlossLock) lock = NULL;

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

  /* Another process (an import, a second window's app) may write this
   * clip too: under the clip's lock, read what it wrote and fold it in,
   * so that neither loses the other's annotations. */
  if (take_lock)
    {
      g_autofree char *library = library_path_of (self->folder);
      g_autofree char *key = g_strconcat ("clip:", self->id, NULL);

      if (library != NULL)
        lock = gloss_lock_acquire (library, key);
      if (!gloss_clip_merge_from_disk (self, error))
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

  /* Temporary files an interrupted write left here: the ones old enough
   * that no writer can still be busy with them (gloss-fs.h). */
  {
    g_autofree char *path = g_file_get_path (self->folder);

    if (gloss_fs_remove_leftovers (path) > 0)
      g_debug ("Removed leftover temporary files of clip %s", self->id);
  }

  return TRUE;
}

gboolean
gloss_clip_save (GlossClip  *self,
                 gboolean    touch,
                 GError    **error)
{
  return gloss_clip_write (self, touch, TRUE, error);
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

/* Article files are read as clip.json is: never through a link, so that
 * a link planted in a clip folder cannot make Gloss show, index or export
 * another file of the disk. */
#define MAX_ARTICLE_SIZE (256 * 1024 * 1024)

static char *
load_article (GlossClip   *self,
              const char  *name,
              GError     **error)
{
  g_autofree char *folder_path = NULL;
  char *contents = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);

  if (self->folder == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                   _("The clip %s is not in a library yet"), self->id);
      return NULL;
    }

  folder_path = g_file_get_path (self->folder);
  if (!gloss_fs_read (folder_path, name, MAX_ARTICLE_SIZE, &contents, NULL, error))
    return NULL;

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
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
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

  g_return_if_fail (GLOSS_IS_CLIP (self));

  normalize_tags (array, tags);
  g_ptr_array_add (array, NULL);

  if (g_strv_equal ((const char * const *) array->pdata, (const char * const *) self->tags))
    {
      g_ptr_array_set_free_func (array, g_free);
      return;
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

  g_list_store_insert_sorted (self->annotations, annotation, compare_annotations, NULL);
  update_n_annotations (self);
  return TRUE;
}

gboolean
gloss_clip_remove_annotation (GlossClip  *self,
                              const char *annotation_id)
{
  guint position;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (annotation_id != NULL, FALSE);

  if (lookup_annotation (self, annotation_id, &position) == NULL)
    return FALSE;

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

  /* What the file holds now is the base of the next merge. */
  g_free (self->base_title);
  self->base_title = g_steal_pointer (&other->base_title);
  g_free (self->base_note);
  self->base_note = g_steal_pointer (&other->base_note);
  g_strfreev (self->base_tags);
  self->base_tags = g_steal_pointer (&other->base_tags);
  g_clear_pointer (&self->base_annotations, g_hash_table_unref);
  self->base_annotations = g_steal_pointer (&other->base_annotations);
  g_clear_pointer (&self->base_members, g_hash_table_unref);
  self->base_members = g_steal_pointer (&other->base_members);

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
              /* What was read is the base of the next merge. */
              self->file_hash = full->file_hash;
              g_free (self->base_title);
              self->base_title = g_steal_pointer (&full->base_title);
              g_free (self->base_note);
              self->base_note = g_steal_pointer (&full->base_note);
              g_strfreev (self->base_tags);
              self->base_tags = g_steal_pointer (&full->base_tags);
              g_clear_pointer (&self->base_annotations, g_hash_table_unref);
              self->base_annotations = g_steal_pointer (&full->base_annotations);
              g_clear_pointer (&self->base_members, g_hash_table_unref);
              self->base_members = g_steal_pointer (&full->base_members);
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
