/* gloss-json.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Strict member readers for clip.json (see gloss-json-private.h). */

#define G_LOG_DOMAIN "gloss-json"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gloss-json-private.h"

/* What a member that is missing or null means: FALSE, with @error set,
 * where @flags do not allow it. */
static gboolean
absent_allowed (gboolean         missing,
                const char      *where,
                const char      *member,
                GlossJsonFlags   flags,
                GError         **error)
{
  if (missing)
    {
      if (!(flags & GLOSS_JSON_REQUIRED))
        return TRUE;
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   /* Translators: where in a library file, such as “clip.json” or
                    * “annotation ID”, then the name of a missing JSON member. */
                   _("%s has no “%s”"), where, member);
      return FALSE;
    }

  if (flags & GLOSS_JSON_NULLABLE)
    return TRUE;
  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
               /* Translators: a JSON member name, then where in a library file
                * it is, such as “clip.json” or “annotation ID”. */
               _("“%s” in %s is null"), member, where);
  return FALSE;
}

/* The messages for a member of the wrong type; @kind is what it holds
 * instead. */
static gboolean
not_a_string (const char  *where,
              const char  *member,
              const char  *kind,
              GError     **error)
{
  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
               /* Translators: a JSON member name; where in a library file it is,
                * such as “clip.json” or “annotation ID”; what it holds instead, such
                * as “an integer”. */
               _("“%s” in %s is %s, not a string"), member, where, kind);
  return FALSE;
}

static gboolean
not_an_integer (const char  *where,
                const char  *member,
                const char  *kind,
                GError     **error)
{
  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
               /* Translators: a JSON member name; where in a library file it is,
                * such as “clip.json” or “annotation ID”; what it holds instead, such
                * as “a string”. */
               _("“%s” in %s is %s, not an integer"), member, where, kind);
  return FALSE;
}

void
gloss_json_set_string (JsonObject *object,
                       const char *member,
                       const char *value)
{
  if (value == NULL)
    json_object_set_null_member (object, member);
  else
    json_object_set_string_member (object, member, value);
}

const char *
gloss_json_peek_string (JsonObject *object,
                        const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
gloss_json_peek_object (JsonObject *object,
                        const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
gloss_json_peek_array (JsonObject *object,
                       const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

char *
gloss_json_to_data (JsonObject *object,
                    gsize      *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_alloc ();

  g_return_val_if_fail (object != NULL, NULL);

  json_node_init_object (node, object);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, length);
}

JsonNode *
gloss_json_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  g_return_val_if_fail (node != NULL, NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *src = json_node_get_object (node);
        JsonObject *dst = json_object_new ();
        g_autoptr(GList) members = json_object_get_members (src);

        for (GList *l = members; l != NULL; l = l->next)
          json_object_set_member (dst, l->data,
                                  gloss_json_deep_copy (json_object_get_member (src, l->data)));
        copy = json_node_alloc ();
        json_node_init_object (copy, dst);
        json_object_unref (dst);
        return copy;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *src = json_node_get_array (node);
        guint n = json_array_get_length (src);
        JsonArray *dst = json_array_sized_new (n);

        for (guint i = 0; i < n; i++)
          json_array_add_element (dst, gloss_json_deep_copy (json_array_get_element (src, i)));
        copy = json_node_alloc ();
        json_node_init_array (copy, dst);
        json_array_unref (dst);
        return copy;
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

static GlossScanValue *
node_to_scan (JsonNode  *node,
              GPtrArray *values)
{
  GlossScanValue *value = g_new0 (GlossScanValue, 1);

  g_ptr_array_add (values, value);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        GlossScanValue **tail = &value->first;

        value->type = GLOSS_SCAN_OBJECT;
        for (GList *l = members; l != NULL; l = l->next)
          {
            GlossScanValue *member = node_to_scan (json_object_get_member (object, l->data), values);

            member->key = l->data;
            *tail = member;
            tail = &member->next;
            value->n_children++;
          }
        break;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        GlossScanValue **tail = &value->first;

        value->type = GLOSS_SCAN_ARRAY;
        for (guint i = 0; i < n; i++)
          {
            GlossScanValue *element = node_to_scan (json_array_get_element (array, i), values);

            *tail = element;
            tail = &element->next;
          }
        value->n_children = n;
        break;
      }

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          value->type = GLOSS_SCAN_STRING;
          value->s = json_node_get_string (node);
          break;
        case G_TYPE_INT64:
          value->type = GLOSS_SCAN_INT;
          value->i = json_node_get_int (node);
          break;
        case G_TYPE_DOUBLE:
          value->type = GLOSS_SCAN_DOUBLE;
          value->d = json_node_get_double (node);
          break;
        case G_TYPE_BOOLEAN:
          value->type = json_node_get_boolean (node) ? GLOSS_SCAN_TRUE : GLOSS_SCAN_FALSE;
          break;
        default:
          /* json-glib holds no other value: parsing makes none, and
           * setting one converts it to one of those. */
          value->type = GLOSS_SCAN_NULL;
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      value->type = GLOSS_SCAN_NULL;
      break;
    }

  return value;
}

GlossScanValue *
gloss_json_to_scan (JsonObject *object,
                    GPtrArray  *values)
{
  g_autoptr(JsonNode) node = json_node_alloc ();

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  json_node_init_object (node, object);
  return node_to_scan (node, values);
}

static GlossScanValue *
scan_lookup (GlossScanValue  *object,
             const char      *where,
             const char      *member,
             GlossJsonFlags   flags,
             GError         **error,
             gboolean        *failed)
{
  GlossScanValue *value = gloss_scan_get_member (object, member);

  if (value == NULL || value->type == GLOSS_SCAN_NULL)
    {
      *failed = !absent_allowed (value == NULL, where, member, flags, error);
      return NULL;
    }

  *failed = FALSE;
  return value;
}

gboolean
gloss_scan_read_string (GlossScanValue  *object,
                        const char      *where,
                        const char      *member,
                        GlossJsonFlags   flags,
                        const char     **out,
                        GError         **error)
{
  gboolean failed;
  GlossScanValue *value = scan_lookup (object, where, member, flags, error, &failed);

  *out = NULL;
  if (value == NULL)
    return !failed;

  if (value->type != GLOSS_SCAN_STRING)
    return not_a_string (where, member, gloss_scan_type_name (value), error);

  *out = value->s;
  return TRUE;
}

gboolean
gloss_scan_read_int (GlossScanValue  *object,
                     const char      *where,
                     const char      *member,
                     GlossJsonFlags   flags,
                     gint64          *out,
                     GError         **error)
{
  gboolean failed;
  GlossScanValue *value = scan_lookup (object, where, member, flags, error, &failed);

  *out = -1;
  if (value == NULL)
    return !failed;

  if (value->type != GLOSS_SCAN_INT)
    return not_an_integer (where, member, gloss_scan_type_name (value), error);

  *out = value->i;
  return TRUE;
}

GlossScanValue *
gloss_scan_find_selector (GlossScanValue *selectors,
                          const char     *type)
{
  if (selectors == NULL || selectors->type != GLOSS_SCAN_ARRAY)
    return NULL;

  for (GlossScanValue *sel = selectors->first; sel != NULL; sel = sel->next)
    {
      GlossScanValue *t;

      if (sel->type != GLOSS_SCAN_OBJECT)
        continue;
      t = gloss_scan_get_member (sel, "type");
      if (t != NULL && t->type == GLOSS_SCAN_STRING && g_str_equal (t->s, type))
        return sel;
    }

  return NULL;
}
