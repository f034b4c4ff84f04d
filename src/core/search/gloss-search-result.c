/* gloss-search-result.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a search hands to the list view and the command line. */

#define G_LOG_DOMAIN "gloss-search-result"

#include "config.h"

#include <string.h>

#include "gloss-search-result.h"

struct _GlossSearchResult
{
  GObject    parent_instance;

  char      *clip_id;
  char      *title;
  char      *url;
  char      *site_name;
  gint64     created;
  double     score;
  char      *snippet;
  int        match_offset;
  GPtrArray *annotations;
};

enum {
  PROP_0,
  PROP_CLIP_ID,
  PROP_TITLE,
  PROP_URL,
  PROP_SITE_NAME,
  PROP_CREATED,
  PROP_SCORE,
  PROP_SNIPPET,
  PROP_MATCH_OFFSET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (GlossSearchResult, gloss_search_result, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (GlossSearchAnnotation, gloss_search_annotation,
                     gloss_search_annotation_copy, gloss_search_annotation_free)

char *
gloss_search_marked_replace (const char *marked,
                             const char *open,
                             const char *close)
{
  GString *out;

  g_return_val_if_fail (open != NULL && close != NULL, NULL);

  if (marked == NULL)
    return NULL;

  out = g_string_sized_new (strlen (marked) + 16);
  for (const char *p = marked; *p; p++)
    {
      if (*p == GLOSS_SEARCH_MATCH_START[0])
        g_string_append (out, open);
      else if (*p == GLOSS_SEARCH_MATCH_END[0])
        g_string_append (out, close);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
gloss_search_marked_to_plain (const char *marked)
{
  return gloss_search_marked_replace (marked, "", "");
}

char *
gloss_search_marked_to_markup (const char *marked)
{
  GString *out;
  const char *start;

  if (marked == NULL)
    return NULL;

  /* g_markup_escape_text() would turn the markers into character
   * references: escape the pieces between them instead. */
  out = g_string_new (NULL);
  start = marked;
  for (const char *p = marked; ; p++)
    {
      if (*p == '\0' || *p == GLOSS_SEARCH_MATCH_START[0] || *p == GLOSS_SEARCH_MATCH_END[0])
        {
          g_autofree char *escaped = g_markup_escape_text (start, p - start);

          g_string_append (out, escaped);
          if (*p == '\0')
            break;
          g_string_append (out, *p == GLOSS_SEARCH_MATCH_START[0] ? "<b>" : "</b>");
          start = p + 1;
        }
    }
  return g_string_free (out, FALSE);
}

GlossSearchAnnotation *
gloss_search_annotation_new (const char *id,
                             int         color,
                             const char *quote,
                             const char *note)
{
  GlossSearchAnnotation *self = g_new0 (GlossSearchAnnotation, 1);

  self->id = g_strdup (id);
  self->color = color;
  self->quote = g_strdup (quote ? quote : "");
  self->note = g_strdup (note ? note : "");
  return self;
}

GlossSearchAnnotation *
gloss_search_annotation_copy (const GlossSearchAnnotation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return gloss_search_annotation_new (self->id, self->color, self->quote, self->note);
}

void
gloss_search_annotation_free (GlossSearchAnnotation *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->quote);
  g_free (self->note);
  g_free (self);
}

static void
gloss_search_result_finalize (GObject *object)
{
  GlossSearchResult *self = GLOSS_SEARCH_RESULT (object);

  g_clear_pointer (&self->clip_id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->site_name, g_free);
  g_clear_pointer (&self->snippet, g_free);
  g_clear_pointer (&self->annotations, g_ptr_array_unref);

  G_OBJECT_CLASS (gloss_search_result_parent_class)->finalize (object);
}

static void
gloss_search_result_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  GlossSearchResult *self = GLOSS_SEARCH_RESULT (object);

  switch (prop_id)
    {
    case PROP_CLIP_ID:
      g_value_set_string (value, self->clip_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_SITE_NAME:
      g_value_set_string (value, self->site_name);
      break;
    case PROP_CREATED:
      g_value_set_int64 (value, self->created);
      break;
    case PROP_SCORE:
      g_value_set_double (value, self->score);
      break;
    case PROP_SNIPPET:
      g_value_set_string (value, self->snippet);
      break;
    case PROP_MATCH_OFFSET:
      g_value_set_int (value, self->match_offset);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_search_result_class_init (GlossSearchResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = gloss_search_result_finalize;
  object_class->get_property = gloss_search_result_get_property;

  properties[PROP_CLIP_ID] = g_param_spec_string ("clip-id", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_SITE_NAME] = g_param_spec_string ("site-name", NULL, NULL, NULL, flags);
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL,
                                                 G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_SCORE] = g_param_spec_double ("score", NULL, NULL,
                                                -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_SNIPPET] = g_param_spec_string ("snippet", NULL, NULL, NULL, flags);
  properties[PROP_MATCH_OFFSET] = g_param_spec_int ("match-offset", NULL, NULL, -1, G_MAXINT, -1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gloss_search_result_init (GlossSearchResult *self)
{
}

/* Takes a reference on @annotations (of GlossSearchAnnotation). */
GlossSearchResult *
gloss_search_result_new (const char *clip_id,
                         const char *title,
                         const char *url,
                         const char *site_name,
                         gint64      created,
                         double      score,
                         const char *snippet,
                         int         match_offset,
                         GPtrArray  *annotations)
{
  GlossSearchResult *self = g_object_new (GLOSS_TYPE_SEARCH_RESULT, NULL);

  self->clip_id = g_strdup (clip_id);
  self->title = g_strdup (title ? title : "");
  self->url = g_strdup (url ? url : "");
  self->site_name = g_strdup (site_name);
  self->created = created;
  self->score = score;
  self->snippet = g_strdup (snippet ? snippet : "");
  self->match_offset = match_offset;
  if (annotations != NULL)
    self->annotations = g_ptr_array_ref (annotations);
  else
    self->annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) gloss_search_annotation_free);
  return self;
}

const char *
gloss_search_result_get_clip_id (GlossSearchResult *self)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_RESULT (self), NULL);
  return self->clip_id;
}

const char *
gloss_search_result_get_title (GlossSearchResult *self)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_RESULT (self), NULL);
  return self->title;
}

const char *
gloss_search_result_get_url (GlossSearchResult *self)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_RESULT (self), NULL);
  return self->url;
}

const char *
gloss_search_result_get_site_name (GlossSearchResult *self)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_RESULT (self), NULL);
  return self->site_name;
}

gint64
gloss_search_result_get_created (GlossSearchResult *self)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_RESULT (self), 0);
  return self->created;
}

double
gloss_search_result_get_score (GlossSearchResult *self)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_RESULT (self), 0);
  return self->score;
}

const char *
gloss_search_result_get_snippet (GlossSearchResult *self)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_RESULT (self), NULL);
  return self->snippet;
}

int
gloss_search_result_get_match_offset (GlossSearchResult *self)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_RESULT (self), -1);
  return self->match_offset;
}

GPtrArray *
gloss_search_result_get_annotations (GlossSearchResult *self)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_RESULT (self), NULL);
  return self->annotations;
}

GStrv
gloss_search_results_dup_clip_ids (GListModel *results)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  g_return_val_if_fail (G_IS_LIST_MODEL (results), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(GlossSearchResult) result = g_list_model_get_item (results, i);

      g_strv_builder_add (ids, gloss_search_result_get_clip_id (result));
    }

  return g_strv_builder_end (ids);
}
