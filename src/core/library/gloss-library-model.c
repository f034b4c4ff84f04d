/* gloss-library-model.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* GlossLibrary as a GListModel: the clips newest first, and the changes
 * to that list with the signals that tell the index what to redo. The
 * model changes on the main thread only. */

#define G_LOG_DOMAIN "gloss-library"

#include "config.h"

#include <string.h>

#include "gloss-library-private.h"
#include "gloss-url.h"

static GType
gloss_library_get_item_type (GListModel *model)
{
  return GLOSS_TYPE_CLIP;
}

static guint
gloss_library_get_n_items (GListModel *model)
{
  return GLOSS_LIBRARY (model)->clips->len;
}

static gpointer
gloss_library_get_item (GListModel *model,
                        guint       position)
{
  GlossLibrary *self = GLOSS_LIBRARY (model);

  if (position >= self->clips->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->clips, position));
}

void
_gloss_library_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gloss_library_get_item_type;
  iface->get_n_items = gloss_library_get_n_items;
  iface->get_item = gloss_library_get_item;
}

/* --- the clips by address ------------------------------------------------ */

char *
_gloss_library_url_key (const char *url)
{
  char *key;

  if (url == NULL || url[0] == '\0')
    return NULL;
  if ((key = gloss_url_match_key (url)) != NULL)
    return key;
  /* A match key starts with its scheme; a space keeps these apart. */
  return g_strconcat (" ", url, NULL);
}

#define URL_KEY_DATA "gloss-url-key"

void
_gloss_library_prepare_url_keys (GPtrArray *clips)
{
  for (guint i = 0; i < clips->len; i++)
    g_object_set_data_full (clips->pdata[i], URL_KEY_DATA,
                            _gloss_library_url_key (gloss_clip_get_url (clips->pdata[i])),
                            g_free);
}

/* The table keeps one clip per key, as almost every page has one clip;
 * the others of the same page (two machines clipped it, say) wait in
 * url_key_more. A GPtrArray per key would cost ~170 bytes a clip. */
static void
url_index_add (GlossLibrary *self,
               GlossClip    *clip,
               char         *key)     /* (transfer full) (nullable) */
{
  gpointer stored_key = NULL;

  if (key == NULL)
    return;

  if (g_hash_table_lookup_extended (self->by_url_key, key, &stored_key, NULL))
    {
      GPtrArray *more = g_hash_table_lookup (self->url_key_more, stored_key);

      g_free (key);
      if (more == NULL)
        {
          more = g_ptr_array_sized_new (1);
          g_hash_table_insert (self->url_key_more, stored_key, more);
        }
      g_ptr_array_add (more, clip);
    }
  else
    {
      stored_key = key;
      g_hash_table_insert (self->by_url_key, key, clip);
    }

  g_hash_table_insert (self->url_key_of, clip, stored_key);
}

static void
url_index_remove (GlossLibrary *self,
                  GlossClip    *clip)
{
  char *key = g_hash_table_lookup (self->url_key_of, clip);
  GPtrArray *more;

  if (key == NULL)
    return;

  g_hash_table_remove (self->url_key_of, clip);
  more = g_hash_table_lookup (self->url_key_more, key);

  if (g_hash_table_lookup (self->by_url_key, key) != clip)
    g_ptr_array_remove_fast (more, clip);
  else if (more != NULL)
    {
      /* Another clip of the page takes its place, under the same key. */
      gpointer next = g_ptr_array_steal_index_fast (more, more->len - 1);

      g_hash_table_steal (self->by_url_key, key);
      g_hash_table_insert (self->by_url_key, key, next);
    }
  else
    {
      g_hash_table_remove (self->by_url_key, key);
      return;
    }

  if (more->len == 0)
    g_hash_table_remove (self->url_key_more, key);
}

GlossClip *
_gloss_library_find_by_url_key (GlossLibrary *self,
                                const char   *key,
                                const char   *url)
{
  gpointer stored_key = NULL;
  GlossClip *first = NULL;
  GlossClip *found = NULL;
  GPtrArray *more;

  if (!g_hash_table_lookup_extended (self->by_url_key, key, &stored_key, (gpointer *) &first))
    return NULL;
  more = g_hash_table_lookup (self->url_key_more, stored_key);

  for (guint i = 0; i <= (more ? more->len : 0); i++)
    {
      GlossClip *clip = i == 0 ? first : more->pdata[i - 1];

      if (gloss_clip_get_damage (clip) != NULL)
        continue;
      if (g_strcmp0 (gloss_clip_get_url (clip), url) == 0)
        return clip;
      if (found == NULL || gloss_library_compare (&clip, &found) < 0)
        found = clip;
    }

  return found;
}

/* After a change that may have been to the address: a save, a reload of
 * what another program wrote, an update of the clip. */
static void
url_index_update (GlossLibrary *self,
                  GlossClip    *clip)
{
  g_autofree char *key = _gloss_library_url_key (gloss_clip_get_url (clip));
  const char *old_key = g_hash_table_lookup (self->url_key_of, clip);

  if (g_strcmp0 (key, old_key) == 0)
    return;

  url_index_remove (self, clip);
  url_index_add (self, clip, g_steal_pointer (&key));
}

/* --- changes ----------------------------------------------------------- */

void
_gloss_library_set_clips (GlossLibrary *self,
                          GPtrArray    *clips)
{
  guint old_n = self->clips->len;

  g_hash_table_remove_all (self->by_id);
  g_hash_table_remove_all (self->url_key_of);
  g_hash_table_remove_all (self->url_key_more);
  g_hash_table_remove_all (self->by_url_key);
  g_ptr_array_unref (self->clips);
  self->clips = g_ptr_array_ref (clips);

  for (guint i = 0; i < clips->len; i++)
    {
      g_hash_table_insert (self->by_id,
                           (gpointer) gloss_clip_get_id (clips->pdata[i]),
                           clips->pdata[i]);
      char *key = g_object_steal_data (clips->pdata[i], URL_KEY_DATA);

      if (key == NULL)
        key = _gloss_library_url_key (gloss_clip_get_url (clips->pdata[i]));
      url_index_add (self, clips->pdata[i], key);
    }

  if (self->monitoring)
    for (guint i = 0; i < clips->len; i++)
      _gloss_library_watch_folder (self, gloss_clip_get_id (clips->pdata[i]));

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, clips->len);

  /* The scan merged conflict copies into these (gloss-library-load.c). */
  {
    GlossClip *one = NULL;
    guint n_merged = 0;

    for (guint i = 0; i < clips->len; i++)
      if (g_object_steal_data (clips->pdata[i], "gloss-copies-merged") != NULL)
        {
          one = clips->pdata[i];
          n_merged++;
        }
    if (n_merged > 0)
      g_signal_emit (self, _gloss_library_signals[GLOSS_LIBRARY_COPIES_MERGED], 0,
                     n_merged, n_merged == 1 ? one : NULL);
  }

  _gloss_library_notify_loaded (self);
}

static guint
find_position (GlossLibrary *self,
               GlossClip    *clip)
{
  guint i;

  if (g_ptr_array_find (self->clips, clip, &i))
    return i;
  return G_MAXUINT;
}

static guint
sorted_position (GlossLibrary *self,
                 GlossClip    *clip)
{
  guint lo = 0, hi = self->clips->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (gloss_library_compare (&self->clips->pdata[mid], &clip) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

void
_gloss_library_insert_clip (GlossLibrary *self,
                            GlossClip    *clip)
{
  guint pos = sorted_position (self, clip);

  g_ptr_array_insert (self->clips, pos, g_object_ref (clip));
  g_hash_table_insert (self->by_id, (gpointer) gloss_clip_get_id (clip), clip);
  url_index_add (self, clip, _gloss_library_url_key (gloss_clip_get_url (clip)));
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, 1);

  if (self->monitoring)
    _gloss_library_watch_folder (self, gloss_clip_get_id (clip));

  g_signal_emit (self, _gloss_library_signals[GLOSS_LIBRARY_CLIP_ADDED], 0, clip);
}

void
_gloss_library_remove_clip (GlossLibrary *self,
                            GlossClip    *clip)
{
  g_autoptr(GlossClip) hold = g_object_ref (clip);
  guint pos = find_position (self, clip);

  if (pos == G_MAXUINT)
    return;

  g_hash_table_remove (self->by_id, gloss_clip_get_id (clip));
  url_index_remove (self, clip);
  _gloss_library_unwatch_folder (self, gloss_clip_get_id (clip));
  g_ptr_array_remove_index (self->clips, pos);
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);

  g_signal_emit (self, _gloss_library_signals[GLOSS_LIBRARY_CLIP_REMOVED], 0, hold);
}

void
_gloss_library_clip_changed (GlossLibrary *self,
                             GlossClip    *clip)
{
  guint pos = find_position (self, clip);

  if (pos == G_MAXUINT)
    return;

  url_index_update (self, clip);

  g_ptr_array_steal_index (self->clips, pos);
  {
    guint new_pos = sorted_position (self, clip);

    g_ptr_array_insert (self->clips, new_pos, clip);
    if (new_pos == pos)
      g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 1);
    else
      {
        g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);
        g_list_model_items_changed (G_LIST_MODEL (self), new_pos, 0, 1);
      }
  }

  g_signal_emit (self, _gloss_library_signals[GLOSS_LIBRARY_CLIP_CHANGED], 0, clip);
}
