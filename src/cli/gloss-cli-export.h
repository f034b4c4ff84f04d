/* gloss-cli-export.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-export.h"

G_BEGIN_DECLS

/* `gloss --export-markdown DIR [QUERY]`, `gloss --export-jsonld FILE
 * [QUERY]` and `gloss --import FILE`. A report goes to @out, a one-line
 * message to @err; the return value is the exit status: 0 done, 1 a user
 * error. @clip_ids_or_null: the clips a query found, or NULL for all.
 * None of them writes into the library except the import. */
int gloss_cli_export_markdown      (GFile               *library_folder,
                                    const char          *dir,
                                    const char * const  *clip_ids_or_null,
                                    GString             *out,
                                    GString             *err);
/* The same with the export's options: a template file (or NULL) and
 * GLOSS_EXPORT_COMBINED / GLOSS_EXPORT_WITH_ARTICLE. */
int gloss_cli_export_markdown_full (GFile               *library_folder,
                                    const char          *dir,
                                    const char * const  *clip_ids_or_null,
                                    const char          *template_path,
                                    GlossExportFlags     flags,
                                    GString             *out,
                                    GString             *err);
int gloss_cli_export_jsonld        (GFile               *library_folder,
                                    const char          *file,
                                    const char * const  *clip_ids_or_null,
                                    GString             *out,
                                    GString             *err);
/* The same with GLOSS_EXPORT_JSON_LINES. */
int gloss_cli_export_jsonld_full   (GFile               *library_folder,
                                    const char          *file,
                                    const char * const  *clip_ids_or_null,
                                    GlossExportFlags     flags,
                                    GString             *out,
                                    GString             *err);
/* `gloss --import FILE` (gloss-cli-import.c): keeps every item of @file as
 * a clip, with no network (docs/import.md). The web pages whose clip waits
 * for its article are added to @urls_to_clip_out (char *, owned by the
 * array) when not NULL. 0 when every item was kept, 1 when some item could
 * not be kept (each with its reason in @err), 2 for bad usage. */
int gloss_cli_import               (GFile               *library_folder,
                                    const char          *file,
                                    GPtrArray           *urls_to_clip_out,
                                    GString             *out,
                                    GString             *err);

G_END_DECLS
