/* gloss-merge-private.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Adds the texts that lost in @lost (a lost-texts object, gloss-merge.h)
 * to *@all, made when NULL. */
void _gloss_merge_lost_add (JsonObject **all,
                            JsonObject  *lost);

G_END_DECLS
