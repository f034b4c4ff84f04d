/* gloss-import-text.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Text as exports really come: any encoding, CSV written by spreadsheets,
 * HTML written by hand. Shared by the parsers of src/core/import. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @data as UTF-8 without a byte order mark: UTF-8 as it is, UTF-16 with
 * its BOM converted, anything else read as Windows-1252 (which every byte
 * maps to), NUL bytes replaced. *@converted says whether it was not UTF-8. */
char      *gloss_import_text_to_utf8     (const char  *data,
                                          gsize        length,
                                          gboolean    *converted);

/* RFC 4180 CSV, as spreadsheets and exporters write it: quoted fields with
 * commas, quotes and line breaks, CRLF or LF, and a bound on each field and
 * on the fields of a row so that a huge row cannot exhaust memory. */
typedef struct _GlossCsv GlossCsv;

GlossCsv  *gloss_csv_new                 (const char  *utf8);
void       gloss_csv_free                (GlossCsv    *csv);
/* The next record's fields (char *), or NULL at the end. FALSE in
 * *@unterminated when a quote opened and the file ended before it closed. */
GPtrArray *gloss_csv_next                (GlossCsv    *csv,
                                          gboolean    *unterminated);
/* The line the last record started on, from 1. */
guint      gloss_csv_get_line            (GlossCsv    *csv);
/* TRUE when some field of the last record was cut at the bound. */
gboolean   gloss_csv_was_cut             (GlossCsv    *csv);

#define GLOSS_CSV_MAX_FIELD  (1024 * 1024)
#define GLOSS_CSV_MAX_FIELDS 1000

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossCsv, gloss_csv_free)

G_END_DECLS
