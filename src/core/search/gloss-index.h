/* gloss-index.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-library.h"
#include "gloss-query.h"
#include "gloss-search-result.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_INDEX (gloss_index_get_type ())

/* The full-text search index of one library folder: an SQLite FTS5 cache
 * file under $XDG_CACHE_HOME/gloss/ (never inside the library), kept in
 * step with the folder, and searched with the language of gloss-query.h.
 *
 * All SQLite work happens on one worker thread owned by the index;
 * searches jump ahead of indexing work, so the window stays usable while a
 * large library is indexed. Notifications ("indexing", "progress",
 * "changed") arrive in the main context of the thread that created the
 * index.
 *
 * Properties (read-only, with notify):
 *   "indexing"  gboolean  TRUE while clips are being (re)indexed: at the
 *                         first sync, or after a missing, stale or corrupt
 *                         index file was replaced by a new one
 *   "progress"  double    0 to 1 while "indexing"; 1 otherwise
 *   "path"      string    the cache file
 * Signals:
 *   "changed"   ()        the indexed content changed: re-run the search
 *                         on show */
G_DECLARE_FINAL_TYPE (GlossIndex, gloss_index, GLOSS, INDEX, GObject)

GlossIndex  *gloss_index_new                (GFile                *library_folder);
GFile       *gloss_index_get_library_folder (GlossIndex           *self);
const char  *gloss_index_get_path           (GlossIndex           *self);
gboolean     gloss_index_get_indexing       (GlossIndex           *self);
double       gloss_index_get_progress       (GlossIndex           *self);

/* Re-indexes every clip whose folder changed since it was indexed (every
 * write FORMAT.md allows renames a file into the folder, which changes
 * the folder's mtime), adds new clips and drops removed ones; rebuilds a
 * missing, stale or corrupt index. Call at start-up. One stat per clip
 * folder, and a listing of clips/ only when clips/ changed. */
void         gloss_index_sync_async         (GlossIndex           *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean     gloss_index_sync_finish        (GlossIndex           *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* With @thorough, a sync also compares the clip.json and article.txt of
 * each clip with the sizes and mtimes they were indexed with (two more
 * stats per clip): it then sees a write made into a file in place, which
 * changes no folder. For the app's start-up sync, which runs in the
 * background; the command line keeps the quick check. */
void         gloss_index_set_thorough_sync  (GlossIndex           *self,
                                             gboolean              thorough);
/* The same, blocking: for the command line and tests. */
gboolean     gloss_index_sync               (GlossIndex           *self,
                                             GCancellable         *cancellable,
                                             GError              **error);

/* Queue the re-indexing of one clip from its folder (or its removal from
 * the index when the folder or its clip.json is gone). */
void         gloss_index_update_clip        (GlossIndex           *self,
                                             const char           *clip_id);
void         gloss_index_remove_clip        (GlossIndex           *self,
                                             const char           *clip_id);
/* Blocks until every change queued so far is in the index (tests). */
gboolean     gloss_index_flush              (GlossIndex           *self,
                                             GCancellable         *cancellable,
                                             GError              **error);

/* Keeps the index in step with @library: its "clip-added",
 * "clip-changed" and "clip-removed" signals (which also report changes
 * made by other processes while the library monitors its folder) queue the
 * matching update. */
void         gloss_index_watch_library      (GlossIndex           *self,
                                             GlossLibrary         *library);

/* Searches with @query_text (gloss-query.h), at most @limit results (0:
 * all; a list view wants a page, say 50: the cost is about 0.1 ms per
 * result on top of the ranking). The result is a GListModel of
 * GlossSearchResult, best first (BM25, title/tags/quotes/notes weighted
 * over the body), or by date for sort: and for queries without words.
 * When the words occur in more than 10,000 clips, relevance is computed
 * over the most recently indexed clips that hold about 10,000 matches
 * (all of them if that gives less than @limit), which keeps a common word
 * fast in a 100,000-clip library. A bad query fails with
 * GLOSS_ERROR_BAD_QUERY and a short message meant for the user; a
 * cancelled search with G_IO_ERROR_CANCELLED. Cancel the previous search
 * when the user types. */
void         gloss_index_search_async       (GlossIndex           *self,
                                             const char           *query_text,
                                             guint                 limit,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GListModel  *gloss_index_search_finish      (GlossIndex           *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* The same with a parsed query. */
void         gloss_index_search_query_async (GlossIndex           *self,
                                             GlossQuery           *query,
                                             guint                 limit,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
/* Blocking, for the command line and tests. */
GListModel  *gloss_index_search             (GlossIndex           *self,
                                             const char           *query_text,
                                             guint                 limit,
                                             GCancellable         *cancellable,
                                             GError              **error);
GListModel  *gloss_index_search_query       (GlossIndex           *self,
                                             GlossQuery           *query,
                                             guint                 limit,
                                             GCancellable         *cancellable,
                                             GError              **error);

G_END_DECLS
