/* gloss-id.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* FORMAT.md "Ids": 1 to 64 characters of [0-9a-z-]. Checked before any
 * id read from a file or an import becomes part of a path. */
gboolean  gloss_id_is_valid (const char  *id);
gboolean  gloss_id_check    (const char  *id,
                             GError     **error);
/* A new random UUID in lower case. */
char     *gloss_id_new      (void);

/* RFC 3339 UTC times ending in Z (FORMAT.md "clip.json"). */
char      *gloss_time_now_string  (void);
char      *gloss_time_to_string   (GDateTime   *time);
GDateTime *gloss_time_parse       (const char  *string);
gboolean   gloss_time_is_valid    (const char  *string);
/* Microseconds since the epoch, for ordering clips by time; 0 when
 * @string is not such a time (never an error: a clip that reads fine
 * otherwise still sorts). */
gint64     gloss_time_to_usec     (const char  *string);

G_END_DECLS
