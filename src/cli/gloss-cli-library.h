/* gloss-cli-library.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* `gloss --list [--json]` and `gloss --verify`: the report goes to @out,
 * a one-line message to @err; the return value is the exit status (0 all
 * is well, 1 something needs the user's attention or could not be read).
 * Neither ever writes into the library. */
int gloss_cli_list   (GFile    *library_folder,
                      gboolean  json,
                      GString  *out,
                      GString  *err);
int gloss_cli_verify (GFile    *library_folder,
                      GString  *out,
                      GString  *err);

G_END_DECLS
