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

static const char *
node_kind (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("an array");
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return _("a string");
        case G_TYPE_BOOLEAN:
          return _("true or false");
        case G_TYPE_DOUBLE:
          return _("a fractional number");
        case G_TYPE_INT64:
          return _("an integer");
        default:
          return _("an unknown value");
        }
    }
}

/* What a member that is missing or null means, the same on both trees:
 * FALSE, with @error set, where @flags do not allow it. */
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

/* The messages for a member of the wrong type, shared by both trees so
 * that they say the same; @kind is what it holds instead. */
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

static JsonNode *
lookup (JsonObject      *object,
        const char      *where,
        const char      *member,
        GlossJsonFlags   flags,
        GError         **error,
        gboolean        *failed)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *failed = !absent_allowed (node == NULL, where, member, flags, error);
      return NULL;
    }

  *failed = FALSE;
  return node;
}

gboolean
gloss_json_get_string (JsonObject      *object,
                       const char      *where,
                       const char      *member,
                       GlossJsonFlags   flags,
                       const char     **out,
                       GError         **error)
{
  gboolean failed;
  JsonNode *node = lookup (object, where, member, flags, error, &failed);

  *out = NULL;
  if (node == NULL)
    return !failed;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return not_a_string (where, member, node_kind (node), error);

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
gloss_json_get_int (JsonObject      *object,
                    const char      *where,
                    const char      *member,
                    GlossJsonFlags   flags,
                    gint64          *out,
                    GError         **error)
{
  gboolean failed;
  JsonNode *node = lookup (object, where, member, flags, error, &failed);

  *out = -1;
  if (node == NULL)
    return !failed;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return not_an_integer (where, member, node_kind (node), error);

  *out = json_node_get_int (node);
  return TRUE;
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
