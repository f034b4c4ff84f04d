/* gloss-cli-clip-pending.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* `gloss --clip-pending`: clips the page of every clip not clipped yet
 * (an import's reading list), keeping each clip's id, tags, notes and
 * annotations, which are anchored in the article. Progress lines go to
 * stderr as they happen; the ids of the clips done to @out. GTK must be
 * initialised. 0 when every page was clipped (or none waited), 1 when
 * some could not be (each with its reason in @err; they stay not clipped
 * yet, to be tried again). */
int gloss_cli_clip_pending (GFile   *library_folder,
                            GString *out,
                            GString *err);

G_END_DECLS
