/* gloss-clip.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One clip: the object, its properties, tags and annotations. Reading it
 * from clip.json is gloss-clip-load.c, writing it back gloss-clip-save.c;
 * the three share gloss-clip-private.h. The JsonObject it was read from is
 * changed in place so that members this version does not know survive
 * (FORMAT.md). A clip loaded for the library list keeps only its metadata
 * and reads the rest again when asked. */

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
#include "gloss-merge.h"
#include "gloss-lock.h"


G_DEFINE_FINAL_TYPE (GlossClip, gloss_clip, G_TYPE_OBJECT)


GParamSpec *_gloss_clip_properties[GLOSS_CLIP_N_PROPS];

#define properties _gloss_clip_properties


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
  g_clear_pointer (&self->base, g_bytes_unref);
  if (self->index_store != NULL)
    g_signal_handlers_disconnect_by_data (self->index_store, self);
  g_clear_object (&self->index_store);
  g_clear_pointer (&self->index, g_hash_table_unref);

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
    case GLOSS_CLIP_PROP_ID: g_value_set_string (value, self->id); break;
    case GLOSS_CLIP_PROP_URL: g_value_set_string (value, self->url); break;
    case GLOSS_CLIP_PROP_TITLE: g_value_set_string (value, self->title); break;
    case GLOSS_CLIP_PROP_BYLINE: g_value_set_string (value, self->byline); break;
    case GLOSS_CLIP_PROP_SITE_NAME: g_value_set_string (value, self->site_name); break;
    case GLOSS_CLIP_PROP_EXCERPT: g_value_set_string (value, self->excerpt); break;
    case GLOSS_CLIP_PROP_LANG: g_value_set_string (value, self->lang); break;
    case GLOSS_CLIP_PROP_DIR: g_value_set_string (value, self->dir); break;
    case GLOSS_CLIP_PROP_PUBLISHED: g_value_set_string (value, self->published); break;
    case GLOSS_CLIP_PROP_CREATED: g_value_set_string (value, self->created); break;
    case GLOSS_CLIP_PROP_MODIFIED: g_value_set_string (value, self->modified); break;
    case GLOSS_CLIP_PROP_WORD_COUNT: g_value_set_int64 (value, self->word_count); break;
    case GLOSS_CLIP_PROP_NOTE: g_value_set_string (value, gloss_clip_get_note (self)); break;
    case GLOSS_CLIP_PROP_TAGS: g_value_set_boxed (value, self->tags); break;
    case GLOSS_CLIP_PROP_N_ANNOTATIONS: g_value_set_uint (value, self->n_annotations); break;
    case GLOSS_CLIP_PROP_READ_ONLY: g_value_set_boolean (value, self->read_only); break;
    case GLOSS_CLIP_PROP_DAMAGE: g_value_set_string (value, self->damage); break;
    case GLOSS_CLIP_PROP_FOLDER: g_value_set_object (value, self->folder); break;
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
    case GLOSS_CLIP_PROP_URL: gloss_clip_set_url (self, g_value_get_string (value)); break;
    case GLOSS_CLIP_PROP_TITLE: gloss_clip_set_title (self, g_value_get_string (value)); break;
    case GLOSS_CLIP_PROP_BYLINE: gloss_clip_set_byline (self, g_value_get_string (value)); break;
    case GLOSS_CLIP_PROP_SITE_NAME: gloss_clip_set_site_name (self, g_value_get_string (value)); break;
    case GLOSS_CLIP_PROP_EXCERPT: gloss_clip_set_excerpt (self, g_value_get_string (value)); break;
    case GLOSS_CLIP_PROP_LANG: gloss_clip_set_lang (self, g_value_get_string (value)); break;
    case GLOSS_CLIP_PROP_DIR: gloss_clip_set_dir (self, g_value_get_string (value)); break;
    case GLOSS_CLIP_PROP_PUBLISHED: gloss_clip_set_published (self, g_value_get_string (value)); break;
    case GLOSS_CLIP_PROP_WORD_COUNT: gloss_clip_set_word_count (self, g_value_get_int64 (value)); break;
    case GLOSS_CLIP_PROP_NOTE: gloss_clip_set_note (self, g_value_get_string (value)); break;
    case GLOSS_CLIP_PROP_TAGS: gloss_clip_set_tags (self, g_value_get_boxed (value)); break;
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

  properties[GLOSS_CLIP_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[GLOSS_CLIP_PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, rw);
  properties[GLOSS_CLIP_PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  properties[GLOSS_CLIP_PROP_BYLINE] = g_param_spec_string ("byline", NULL, NULL, NULL, rw);
  properties[GLOSS_CLIP_PROP_SITE_NAME] = g_param_spec_string ("site-name", NULL, NULL, NULL, rw);
  properties[GLOSS_CLIP_PROP_EXCERPT] = g_param_spec_string ("excerpt", NULL, NULL, NULL, rw);
  properties[GLOSS_CLIP_PROP_LANG] = g_param_spec_string ("lang", NULL, NULL, NULL, rw);
  properties[GLOSS_CLIP_PROP_DIR] = g_param_spec_string ("dir", NULL, NULL, NULL, rw);
  properties[GLOSS_CLIP_PROP_PUBLISHED] = g_param_spec_string ("published", NULL, NULL, NULL, rw);
  properties[GLOSS_CLIP_PROP_CREATED] = g_param_spec_string ("created", NULL, NULL, NULL, ro);
  properties[GLOSS_CLIP_PROP_MODIFIED] = g_param_spec_string ("modified", NULL, NULL, NULL, ro);
  properties[GLOSS_CLIP_PROP_WORD_COUNT] = g_param_spec_int64 ("word-count", NULL, NULL,
                                                    -1, G_MAXINT64, -1, rw);
  properties[GLOSS_CLIP_PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, rw);
  properties[GLOSS_CLIP_PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw);
  properties[GLOSS_CLIP_PROP_N_ANNOTATIONS] = g_param_spec_uint ("n-annotations", NULL, NULL,
                                                      0, G_MAXUINT, 0, ro);
  properties[GLOSS_CLIP_PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, ro);
  properties[GLOSS_CLIP_PROP_DAMAGE] = g_param_spec_string ("damage", NULL, NULL, NULL, ro);
  properties[GLOSS_CLIP_PROP_FOLDER] = g_param_spec_object ("folder", NULL, NULL, G_TYPE_FILE, ro);

  g_object_class_install_properties (object_class, GLOSS_CLIP_N_PROPS, properties);
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

/* Tags are trimmed and compared case-insensitively (FORMAT.md): the key a
 * tag is looked for by, the same for setting, finding and removing. */
char *
_gloss_clip_tag_key (const char *tag)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (tag));

  return g_utf8_casefold (trimmed, -1);
}

/* Whether @tag, one of the clip's, is the one with @key. */
gboolean
_gloss_clip_tag_matches (const char *tag,
                         const char *key)
{
  g_autofree char *other = g_utf8_casefold (tag, -1);

  return g_str_equal (key, other);
}

void
_gloss_clip_normalize_tags (GPtrArray          *out,
                            const char * const *tags)
{
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_autofree char *tag = g_strstrip (g_utf8_make_valid (tags[i], -1));
      g_autofree char *key = NULL;
      gboolean seen = FALSE;

      if (tag[0] == '\0')
        continue;

      key = _gloss_clip_tag_key (tag);
      for (guint j = 0; j < out->len && !seen; j++)
        seen = _gloss_clip_tag_matches (out->pdata[j], key);

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
  self->created_usec = gloss_time_to_usec (self->created);

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

/* FORMAT.md "Several machines": every change a person makes is written
 * into "changed", "removed" or "removed_tags" (kept in the JSON object,
 * as members this reader does not otherwise use), so that a merge with
 * another machine's version loses nothing. The time is now, or just
 * after the entry's last time if the clock says otherwise. */
static const char *
mark_time (GlossClip  *self,
           const char *map,
           const char *key,
           const char *after)
{
  JsonNode *node;
  JsonObject *object;
  g_autofree char *time = NULL;

  if (self->damage != NULL || self->read_only || !_gloss_clip_ensure_full (self, NULL))
    return NULL;

  node = json_object_get_member (self->root, map);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_object_member (self->root, map, json_object_new ());
  object = json_object_get_object_member (self->root, map);

  /* An absent entry counts as the clip's "created" (FORMAT.md). */
  if (after == NULL)
    after = gloss_json_peek_string (object, key);
  if (after == NULL && g_str_equal (map, "changed"))
    after = self->created;
  time = gloss_merge_time_after (after);
  json_object_set_string_member (object, key, time);
  return gloss_json_peek_string (object, key);
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
    g_object_notify_by_pspec (G_OBJECT (self), properties[GLOSS_CLIP_PROP_URL]);
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[GLOSS_CLIP_PROP_TITLE]);
    }
}

STRING_ACCESSORS (byline, GLOSS_CLIP_PROP_BYLINE)
STRING_ACCESSORS (site_name, GLOSS_CLIP_PROP_SITE_NAME)
STRING_ACCESSORS (excerpt, GLOSS_CLIP_PROP_EXCERPT)
STRING_ACCESSORS (lang, GLOSS_CLIP_PROP_LANG)
STRING_ACCESSORS (dir, GLOSS_CLIP_PROP_DIR)
STRING_ACCESSORS (published, GLOSS_CLIP_PROP_PUBLISHED)

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
  g_object_notify_by_pspec (G_OBJECT (self), properties[GLOSS_CLIP_PROP_WORD_COUNT]);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[GLOSS_CLIP_PROP_NOTE]);
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

  _gloss_clip_normalize_tags (array, tags);
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
      g_autofree char *key = _gloss_clip_tag_key (self->tags[i]);
      gboolean kept = FALSE;

      for (guint j = 0; j < array->len - 1 && !kept; j++)
        kept = _gloss_clip_tag_matches (array->pdata[j], key);
      if (!kept)
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (self->tags[i]));
          g_autofree char *lower = g_utf8_strdown (trimmed, -1);

          mark_time (self, "removed_tags", lower, changed);
        }
    }

  g_strfreev (self->tags);
  self->tags = (GStrv) g_ptr_array_free (g_steal_pointer (&array), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[GLOSS_CLIP_PROP_TAGS]);
}

gboolean
gloss_clip_has_tag (GlossClip  *self,
                    const char *tag)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  key = _gloss_clip_tag_key (tag);
  for (guint i = 0; self->tags[i] != NULL; i++)
    if (_gloss_clip_tag_matches (self->tags[i], key))
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

  key = _gloss_clip_tag_key (tag);
  builder = g_strv_builder_new ();
  for (guint i = 0; self->tags[i] != NULL; i++)
    {
      if (_gloss_clip_tag_matches (self->tags[i], key))
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

  if (!_gloss_clip_ensure_full (self, &error) && self->damage == NULL)
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

/* The list changed: one annotation added goes into the index, any other
 * change drops it (made again when next needed). */
static void
index_items_changed_cb (GListModel *list,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GlossClip  *self)
{
  g_assert (GLOSS_IS_CLIP (self));

  if (self->index == NULL)
    return;

  if (removed == 0 && added == 1)
    {
      g_autoptr(GlossAnnotation) a = g_list_model_get_item (list, position);

      /* The same id twice: the first in the list is the one found. */
      if (!g_hash_table_contains (self->index, gloss_annotation_get_id (a)))
        {
          g_hash_table_insert (self->index, g_strdup (gloss_annotation_get_id (a)), g_object_ref (a));
          return;
        }
    }

  g_clear_pointer (&self->index, g_hash_table_unref);
}

static GHashTable *
ensure_index (GlossClip *self)
{
  guint n;

  if (self->index_store != self->annotations)
    {
      if (self->index_store != NULL)
        g_signal_handlers_disconnect_by_data (self->index_store, self);
      g_set_object (&self->index_store, self->annotations);
      g_clear_pointer (&self->index, g_hash_table_unref);
      if (self->index_store != NULL)
        g_signal_connect (self->index_store, "items-changed", G_CALLBACK (index_items_changed_cb), self);
    }

  if (self->index != NULL || self->annotations == NULL)
    return self->index;

  /* Its own references: an annotation just taken out of the list stays
   * valid until the list's items-changed drops the index. */
  self->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossAnnotation) a = g_list_model_get_item (G_LIST_MODEL (self->annotations), i);

      if (!g_hash_table_contains (self->index, gloss_annotation_get_id (a)))
        g_hash_table_insert (self->index, g_strdup (gloss_annotation_get_id (a)), g_object_ref (a));
    }

  return self->index;
}

/* The annotation with @annotation_id, owned by the list, and where it is
 * in it (@position may be NULL); NULL when there is none. */
static GlossAnnotation *
lookup_annotation (GlossClip  *self,
                   const char *annotation_id,
                   guint      *position)
{
  GHashTable *index;
  GlossAnnotation *a;

  ensure_annotations (self);
  index = ensure_index (self);
  a = index != NULL ? g_hash_table_lookup (index, annotation_id) : NULL;
  if (a != NULL && position != NULL &&
      !g_list_store_find (self->annotations, a, position))
    g_return_val_if_reached (NULL);

  return a;
}

GlossAnnotation *
gloss_clip_find_annotation (GlossClip  *self,
                            const char *annotation_id)
{
  g_return_val_if_fail (GLOSS_IS_CLIP (self), NULL);
  g_return_val_if_fail (annotation_id != NULL, NULL);

  return lookup_annotation (self, annotation_id, NULL);
}

int
_gloss_clip_compare_annotations (gconstpointer a,
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

void
_gloss_clip_update_n_annotations (GlossClip *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->annotations));

  if (n != self->n_annotations)
    {
      self->n_annotations = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[GLOSS_CLIP_PROP_N_ANNOTATIONS]);
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
      JsonObject *removed_map = gloss_json_peek_object (self->root, "removed");
      const char *removed = gloss_json_peek_string (removed_map, gloss_annotation_get_id (annotation));

      if (removed != NULL &&
          gloss_merge_compare_times (removed, gloss_annotation_get_modified (annotation)) >= 0)
        {
          g_autofree char *after = gloss_merge_time_after (removed);

          gloss_annotation_set_modified (annotation, after);
        }
    }

  g_list_store_insert_sorted (self->annotations, annotation, _gloss_clip_compare_annotations, NULL);
  _gloss_clip_update_n_annotations (self);
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
  _gloss_clip_update_n_annotations (self);
  return TRUE;
}

void
gloss_clip_sort_annotations (GlossClip *self)
{
  g_return_if_fail (GLOSS_IS_CLIP (self));

  ensure_annotations (self);
  g_list_store_sort (self->annotations, _gloss_clip_compare_annotations, NULL);
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

  TAKE_STRING (url, GLOSS_CLIP_PROP_URL);
  TAKE_STRING (title, GLOSS_CLIP_PROP_TITLE);
  TAKE_STRING (byline, GLOSS_CLIP_PROP_BYLINE);
  TAKE_STRING (site_name, GLOSS_CLIP_PROP_SITE_NAME);
  TAKE_STRING (excerpt, GLOSS_CLIP_PROP_EXCERPT);
  TAKE_STRING (lang, GLOSS_CLIP_PROP_LANG);
  TAKE_STRING (dir, GLOSS_CLIP_PROP_DIR);
  TAKE_STRING (published, GLOSS_CLIP_PROP_PUBLISHED);
  TAKE_STRING (created, GLOSS_CLIP_PROP_CREATED);
  TAKE_STRING (modified, GLOSS_CLIP_PROP_MODIFIED);
  TAKE_STRING (note, GLOSS_CLIP_PROP_NOTE);
  TAKE_STRING (damage, GLOSS_CLIP_PROP_DAMAGE);

  if (!g_strv_equal ((const char * const *) self->tags, (const char * const *) other->tags))
    {
      g_strfreev (self->tags);
      self->tags = g_steal_pointer (&other->tags);
      other->tags = g_new0 (char *, 1);
      g_ptr_array_add (changed, properties[GLOSS_CLIP_PROP_TAGS]);
    }

  if (self->word_count != other->word_count)
    {
      self->word_count = other->word_count;
      g_ptr_array_add (changed, properties[GLOSS_CLIP_PROP_WORD_COUNT]);
    }

  self->created_usec = other->created_usec;
  self->format = other->format;
  self->read_only = other->read_only;
  self->file_hash = other->file_hash;
  if (was_read_only != gloss_clip_get_read_only (self))
    g_ptr_array_add (changed, properties[GLOSS_CLIP_PROP_READ_ONLY]);

  g_clear_pointer (&self->root, json_object_unref);
  self->root = g_steal_pointer (&other->root);

  /* What the file holds now is the base of the next merge. */
  g_clear_pointer (&self->base, g_bytes_unref);
  self->base = g_steal_pointer (&other->base);

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
              g_clear_pointer (&self->base, g_bytes_unref);
              self->base = g_steal_pointer (&full->base);
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
      g_ptr_array_add (changed, properties[GLOSS_CLIP_PROP_N_ANNOTATIONS]);
    }

  for (guint i = 0; i < changed->len; i++)
    g_object_notify_by_pspec (G_OBJECT (self), changed->pdata[i]);

  g_object_thaw_notify (G_OBJECT (self));
}

