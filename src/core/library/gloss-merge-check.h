/* gloss-merge-check.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The library's start-up check for conflict copies (FORMAT.md "Several
 * machines"), done in the load's own scan of the clip folders.
 *
 * Listing a folder is what costs: on ext4 every getdents64 of a clip
 * folder hashes its names into a tree (about 5 µs a folder, 50 ms of CPU
 * for 10,000 clips), where the load's own reading costs far less. So a
 * folder is listed only when it may have changed since it was last
 * listed without a copy: a cache file (not in the library, which syncs)
 * keeps, for each folder so listed, its inode and its change and
 * modification times. Any entry created, removed or renamed in a folder
 * sets its change time, and no program can set that time back, so a
 * folder whose times are those of the record has no new entry. A record
 * is only taken of a folder whose last change is older than a margin,
 * so that a copy written in the same tick of the clock as the listing
 * is never hidden; and only on file systems that keep a change time. */

typedef struct _GlossMergeCheck GlossMergeCheck;

/* For a scan of @n_folders folders of the library at @library_folder,
 * whose clips are in @clips_path. */
GlossMergeCheck *gloss_merge_check_new        (GFile           *library_folder,
                                               const char      *clips_path,
                                               guint            n_folders);
/* Whether the folder open as @dir_fd (at @path; the folder's index in the
 * scan is @index) holds conflict copies. Safe to call from the scan's
 * threads at once, each with its own @index. */
gboolean         gloss_merge_check_folder     (GlossMergeCheck *self,
                                               guint            index,
                                               int              dir_fd,
                                               const char      *path);
/* Keeps the record for the next start-up, when it changed. */
void             gloss_merge_check_save       (GlossMergeCheck *self);
/* Whether the folders' times can be trusted here (else every folder is
 * listed). */
gboolean         gloss_merge_check_is_trusted (GlossMergeCheck *self);
/* How many folders this check listed (the others were known). */
guint            gloss_merge_check_get_n_listed (GlossMergeCheck *self);
void             gloss_merge_check_free       (GlossMergeCheck *self);

/* Tests: the time the margin counts back from (0: the real time). */
void             _gloss_merge_check_set_now   (gint64           now_usec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossMergeCheck, gloss_merge_check_free)

G_END_DECLS
