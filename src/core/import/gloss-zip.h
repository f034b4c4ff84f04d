/* gloss-zip.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A small reader of the zip files exports come in (Pocket's CSV parts,
 * Omnivore's export): the central directory, entries stored or deflated,
 * read in memory only. Nothing is ever written to disk from a zip, and an
 * entry whose name climbs out of the archive ("../x", "/etc/x", "C:\x") is
 * refused by name, so a hostile archive cannot reach another file. */

typedef struct _GlossZip GlossZip;

/* TRUE when @data starts like a zip archive. */
gboolean     gloss_zip_sniff          (const char    *data,
                                       gsize          length);
/* Reads the central directory of the archive in @bytes (kept, not copied).
 * GLOSS_ERROR_DAMAGED when it is not a whole zip archive. */
GlossZip    *gloss_zip_new            (GBytes        *bytes,
                                       GError       **error);
void         gloss_zip_free           (GlossZip      *zip);

guint        gloss_zip_get_n_entries  (GlossZip      *zip);
/* The entry's name, with '/' between folders; NULL for an entry refused
 * (an unsafe name, encrypted, an unknown compression). */
const char  *gloss_zip_get_name       (GlossZip      *zip,
                                       guint          index);
/* The index of the entry called @name, or -1. */
int          gloss_zip_find           (GlossZip      *zip,
                                       const char    *name);
/* The entry's bytes, uncompressed; at most @max_size of them, else
 * GLOSS_ERROR_TOO_LARGE. GLOSS_ERROR_DAMAGED when its data is broken. */
GBytes      *gloss_zip_read           (GlossZip      *zip,
                                       guint          index,
                                       gsize          max_size,
                                       GError       **error);
/* How many entries were refused, for a warning. */
guint        gloss_zip_get_n_refused  (GlossZip      *zip);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossZip, gloss_zip_free)

G_END_DECLS
