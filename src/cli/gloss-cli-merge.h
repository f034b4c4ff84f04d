/* gloss-cli-merge.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* `gloss --merge-conflicts`: merges every sync tool's conflict copy in the
 * library (FORMAT.md "Several machines") and says what it merged in @out.
 * 0 when every copy was merged (or there was none), 1 when a copy had to
 * be left where it is (a damaged copy or clip.json), with the reason. */
int gloss_cli_merge_conflicts (GFile      *library_folder,
                               GString    *out,
                               GString    *err);

/* `gloss --merge-clip BASE OURS THEIRS`, git's merge driver for clip.json:
 * writes the merge into @ours and returns 0. Returns 1 with a message in
 * @err, writing nothing, only when a file cannot be read (as a clip). An
 * empty or unreadable @base (a file new on both sides) merges two ways. */
int gloss_cli_merge_clip      (const char *base,
                               const char *ours,
                               const char *theirs,
                               GString    *out,
                               GString    *err);

G_END_DECLS
