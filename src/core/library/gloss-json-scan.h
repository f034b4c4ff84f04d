/* gloss-json-scan.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A small, strict (RFC 8259) JSON reader into a read-only tree that lives
 * in one arena. It exists for speed: loading a library of 10,000 clips
 * with json-glib's parser costs over a second, mostly in building a
 * mutable tree that the list then throws away. Every clip.json is checked
 * with this reader; json-glib builds the mutable JsonObject only for a
 * clip that is opened or saved. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  GLOSS_SCAN_NULL,
  GLOSS_SCAN_FALSE,
  GLOSS_SCAN_TRUE,
  GLOSS_SCAN_INT,
  GLOSS_SCAN_DOUBLE,
  GLOSS_SCAN_STRING,
  GLOSS_SCAN_ARRAY,
  GLOSS_SCAN_OBJECT,
} GlossScanType;

typedef struct _GlossScanValue GlossScanValue;

struct _GlossScanValue
{
  GlossScanType    type;
  guint            n_children;   /* array or object */
  const char      *key;          /* when a member of an object */
  GlossScanValue  *next;         /* the next element or member */
  union
  {
    gint64           i;
    double           d;
    const char      *s;           /* NUL-terminated, valid UTF-8 */
    GlossScanValue  *first;       /* array or object */
  };
};

typedef struct _GlossScan GlossScan;

/* NULL with a reason (position and what was wrong) in @error. @data must
 * be valid UTF-8 without NUL bytes. */
GlossScan      *gloss_scan_parse        (const char      *data,
                                         gsize            length,
                                         guint            max_depth,
                                         char           **error);
GlossScanValue *gloss_scan_get_root     (GlossScan       *scan);
void            gloss_scan_free         (GlossScan       *scan);
/* The last member called @key (JSON keeps the last of duplicates). */
GlossScanValue *gloss_scan_get_member   (GlossScanValue  *object,
                                         const char      *key);
const char     *gloss_scan_type_name    (GlossScanValue  *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossScan, gloss_scan_free)

G_END_DECLS
