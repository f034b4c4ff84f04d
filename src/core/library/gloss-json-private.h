/* gloss-json-private.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Strict readers for the members of clip.json, shared by the clip and the
 * annotation: every member a file gets wrong becomes a GLOSS_ERROR_DAMAGED
 * with a reason a person can act on, never a guess. */

#pragma once

#include <json-glib/json-glib.h>

#include "gloss-error.h"
#include "gloss-json-scan.h"

G_BEGIN_DECLS

typedef enum
{
  GLOSS_JSON_OPTIONAL = 0,
  GLOSS_JSON_REQUIRED = 1 << 0,
  GLOSS_JSON_NULLABLE = 1 << 1,
} GlossJsonFlags;

/* Sets a string member, or null when @value is NULL, in place. */
void     gloss_json_set_string (JsonObject      *object,
                                const char      *member,
                                const char      *value);

/* The lenient lookups, for trees no contract vouches for (a merge's
 * inputs, an import's foreign files): the member when it is of that
 * type, else NULL, never an error; @object may be NULL. One rule, so
 * that what counts as "a string there" is the same wherever such a tree
 * is read. */
const char *gloss_json_peek_string (JsonObject      *object,
                                    const char      *member);
JsonObject *gloss_json_peek_object (JsonObject      *object,
                                    const char      *member);
JsonArray  *gloss_json_peek_array  (JsonObject      *object,
                                    const char      *member);

/* @object as clip.json lays it out: two-space indent, no final newline.
 * The clip's writer, an annotation's frozen text and a merge all go
 * through here, so that they never differ by a byte (a merge compares
 * and git diffs what they write). */
char     *gloss_json_to_data   (JsonObject      *object,
                                gsize           *length);

/* json_node_copy() shares objects and arrays; this does not, so that a
 * copy can be changed without touching the original. */
JsonNode *gloss_json_deep_copy (JsonNode *node);

/* The strict readers, on the fast scanner's tree: json-glib's tree is
 * checked through gloss_json_to_scan(), so that there is one set of
 * rules and messages. */
gboolean gloss_scan_read_string (GlossScanValue  *object,
                                 const char      *where,
                                 const char      *member,
                                 GlossJsonFlags   flags,
                                 const char     **out,
                                 GError         **error);
gboolean gloss_scan_read_int    (GlossScanValue  *object,
                                 const char      *where,
                                 const char      *member,
                                 GlossJsonFlags   flags,
                                 gint64          *out,
                                 GError         **error);

/* A view of @object as the fast scanner's tree, for checks written for
 * it (gloss_annotation_check_scan()). Its values are added to @values
 * (which must free them with g_free); its strings and keys are
 * @object's, so @object must outlive it. */
GlossScanValue *gloss_json_to_scan (JsonObject *object,
                                    GPtrArray  *values);

/* The first selector of @type in a "selector" array, or NULL. */
GlossScanValue *gloss_scan_find_selector (GlossScanValue *selectors,
                                          const char     *type);

/* Checks one member of "annotations" (FORMAT.md), without building it;
 * sets @id to its id. gloss_annotation_new_from_json() checks with it
 * too. */
gboolean gloss_annotation_check_scan (GlossScanValue  *object,
                                      const char     **id,
                                      GError         **error);
/* Forward declared: gloss-annotation.h is not included here. */
struct _GlossAnnotation *gloss_annotation_new_from_scan (GlossScanValue *object);

G_END_DECLS
