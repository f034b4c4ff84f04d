/* gloss-lock.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writers of one library serialise through these locks, across threads
 * and processes (the app, two `gloss --import`, a merge): a clip is
 * re-read and written under its lock, and "make a clip for this address
 * unless there is one" looks and writes under the address's lock.
 *
 * They are open-file-description locks (F_OFD_SETLKW) on one byte each of
 * one file in the library, `.~lock.gloss#`: the name sync tools leave
 * alone as they do LibreOffice's lock files, and not an id, so the
 * library's listing never sees it. The file stays empty; a lock lives
 * only as long as the process holding it, so a crash never leaves one
 * behind. A lock is per machine: sync tools carry files, not locks. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GLOSS_LOCK_FILE_NAME ".~lock.gloss#"

typedef struct _GlossLock GlossLock;

/* Waits for and takes the lock named @key ("clip:ID", "url:…") in the
 * library at @library_path. Never fails: where the lock file cannot be
 * made (a read-only library) it returns a lock that holds nothing, and
 * the write that follows says what is wrong. Never nest two locks of the
 * same key in one thread: the second would wait for the first. */
GlossLock *gloss_lock_acquire (const char *library_path,
                               const char *key);
/* The lock of the clip @clip_id ("clip:ID"), under which it is re-read
 * and written: every writer of clip.json takes this one. */
GlossLock *gloss_lock_acquire_clip (const char *library_path,
                                    const char *clip_id);
void       gloss_lock_release (GlossLock  *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossLock, gloss_lock_release)

G_END_DECLS
