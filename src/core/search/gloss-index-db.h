/* gloss-index-db.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-query.h"

G_BEGIN_DECLS

/* The SQLite side of the search index: blocking calls, to be made from one
 * thread at a time (GlossIndex's worker). Private to src/core. */

/* 4: the folders table of the start-up freshness check, and article text
 * that keeps its line-break and block boundaries (each was a "3" on its own
 * branch, so every older index is rebuilt once).
 * 5: every change to the folders table counts a generation in meta, which
 * the table's copy beside the index is checked against
 * (gloss-index-db-folders.c); a program of version 4 would change the
 * table without counting, so the two must not share a file. */
#define GLOSS_INDEX_SCHEMA_VERSION 5

typedef struct _GlossIndexDb GlossIndexDb;

/* What the index file is for a library folder:
 * $XDG_CACHE_HOME/gloss/index-<first 16 hex of SHA-256 of the absolute
 * path>.sqlite. */
char         *gloss_index_db_path_for_folder (GFile          *library_folder);

/* Opens (creating) the index at @path for the clips in @clips_path. A
 * missing file, a file with another schema version or for another
 * library, and a file that is not a database or is corrupt, are replaced
 * by an empty index (@rebuilt then says so). */
GlossIndexDb *gloss_index_db_open           (const char     *path,
                                             const char     *clips_path,
                                             gboolean       *rebuilt,
                                             GError        **error);
void          gloss_index_db_close          (GlossIndexDb   *self);
/* TRUE once an SQLite call reported corruption: close, reopen with
 * gloss_index_db_reset(), sync again. */
gboolean      gloss_index_db_is_corrupt     (GlossIndexDb   *self);
/* Deletes the file and opens a new empty index in its place. */
GlossIndexDb *gloss_index_db_reset          (GlossIndexDb   *self,
                                             GError        **error);
guint         gloss_index_db_count          (GlossIndexDb   *self);

/* The start of the next plan's look at the clip folders, which needs no
 * open index: made before opening it, so that the two go on at once. */
typedef struct _GlossIndexDbCheck GlossIndexDbCheck;
GlossIndexDbCheck *gloss_index_db_check_start (const char   *index_path,
                                               const char   *clips_path);
void          gloss_index_db_check_free     (GlossIndexDbCheck *started);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossIndexDbCheck, gloss_index_db_check_free)

/* Compares the clip folders with what the index holds (the stamps of the
 * clip folders, and of clips/ for the listing; gloss-index-db-check.c explains
 * why that sees every change): @changed gets the ids to (re)index,
 * @removed the ids to drop. @started: from gloss_index_db_check_start()
 * for this index, or NULL. */
gboolean      gloss_index_db_plan           (GlossIndexDb   *self,
                                             GlossIndexDbCheck *started,
                                             GPtrArray     **changed,
                                             GPtrArray     **removed,
                                             GError        **error);
/* With @thorough, the plan also compares the clip.json and article.txt of
 * every folder whose stamp is unchanged with the sizes and mtimes they
 * were indexed with (two more stats per clip): it then sees a write made
 * into a file in place, which changes no folder. */
void          gloss_index_db_set_thorough   (GlossIndexDb   *self,
                                             gboolean        thorough);
/* After the updates and removals of the last plan are all done: records
 * the listing of clips/ it read as seen. */
gboolean      gloss_index_db_finish_sync    (GlossIndexDb   *self,
                                             GError        **error);
/* Writes the copy of the folders table beside the index file when the
 * table changed since it was last copied (after updates made outside a
 * sync; a sync does it itself). */
void          gloss_index_db_copy_folders   (GlossIndexDb   *self);

/* Indexes (or re-indexes, or drops when the folder or its clip.json is
 * gone) the clips @ids[0 .. @n_ids) in one transaction. */
gboolean      gloss_index_db_update         (GlossIndexDb   *self,
                                             const char    **ids,
                                             guint           n_ids,
                                             GError        **error);
gboolean      gloss_index_db_remove         (GlossIndexDb   *self,
                                             const char    **ids,
                                             guint           n_ids,
                                             GError        **error);

/* Around indexing many clips: writes without syncing to disk in between
 * (it is a cache), with a marker that makes the next open rebuild the
 * file if the build never reached gloss_index_db_end_bulk(). */
gboolean      gloss_index_db_begin_bulk     (GlossIndexDb   *self,
                                             GError        **error);
gboolean      gloss_index_db_end_bulk       (GlossIndexDb   *self,
                                             GError        **error);

/* Runs @query: a GPtrArray of GlossSearchResult, best first; at most
 * @limit of them (0: all). */
GPtrArray    *gloss_index_db_search         (GlossIndexDb   *self,
                                             GlossQuery     *query,
                                             guint           limit,
                                             GCancellable   *cancellable,
                                             GError        **error);

G_END_DECLS
