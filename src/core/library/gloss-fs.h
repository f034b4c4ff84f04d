/* gloss-fs.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The file operations every reader and writer of a clip folder goes
 * through, so that the rules hold in one place: inside the library no
 * symbolic link is ever followed (a clip folder, clip.json, an article
 * file or an asset that is a link is refused, for reading and writing);
 * every write replaces its file atomically (a temporary file in the same
 * folder, flushed, renamed); temporary files an interrupted write left
 * behind are found and, once stale, removed; and a full disk says so. */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A temporary file younger than this may belong to a writer that is
 * still running (another process): never removed. */
#define GLOSS_FS_STALE_AGE_S (5 * 60)

/* Opens the folder at @path for the *at() calls, refusing a symbolic link
 * (ELOOP: "is a symbolic link") and anything that is not a folder. -1
 * with GLOSS_ERROR_NOT_FOUND when it is not there, GLOSS_ERROR_IO else. */
int       gloss_fs_open_folder        (const char   *path,
                                       GError      **error);

/* Reads @name inside the folder @dir_fd (whose path, for messages, is
 * @dir_path), never through a symbolic link, at most @max_size bytes
 * (GLOSS_ERROR_TOO_LARGE past it). GLOSS_ERROR_NOT_FOUND when absent. */
gboolean  gloss_fs_read_at            (int           dir_fd,
                                       const char   *dir_path,
                                       const char   *name,
                                       gsize         max_size,
                                       char        **contents,
                                       gsize        *length,
                                       GError      **error);
/* The same, opening @folder_path first (refusing a link there too). */
gboolean  gloss_fs_read               (const char   *folder_path,
                                       const char   *name,
                                       gsize         max_size,
                                       char        **contents,
                                       gsize        *length,
                                       GError      **error);

/* Replaces @name inside @dir_fd atomically: "@name.XXXXXX" written,
 * flushed to disk when @durable, renamed over @name (which replaces a
 * link rather than writing through it). On failure the temporary file is
 * removed and the old file is left as it was. */
gboolean  gloss_fs_write_at           (int           dir_fd,
                                       const char   *dir_path,
                                       const char   *name,
                                       const char   *contents,
                                       gsize         length,
                                       gboolean      durable,
                                       GError      **error);
gboolean  gloss_fs_write              (const char   *folder_path,
                                       const char   *name,
                                       const char   *contents,
                                       gsize         length,
                                       gboolean      durable,
                                       GError      **error);

/* Makes the folder @name inside @dir_fd unless it is there, and opens it;
 * a link in its place is refused. */
int       gloss_fs_make_folder_at     (int           dir_fd,
                                       const char   *dir_path,
                                       const char   *name,
                                       GError      **error);

/* Whether @name is one of the temporary files a write of a clip folder
 * makes ("clip.json.XXXXXX", "article.txt.XXXXXX", an asset's, or GIO's
 * ".goutputstream-XXXXXX"). */
gboolean  gloss_fs_is_temporary_name  (const char   *name);

/* The temporary files in the clip folder @folder_path and its assets/
 * that are older than @min_age_s seconds, as paths relative to the
 * folder, sorted; NULL when there are none. */
GStrv     gloss_fs_find_leftovers     (const char   *folder_path,
                                       gint64        min_age_s);
/* Removes those (GLOSS_FS_STALE_AGE_S and older) and says how many. */
guint     gloss_fs_remove_leftovers   (const char   *folder_path);

/* Writes a file of a cache outside the library (the search index's copy
 * of its folders table, the record of folders without conflict copies):
 * beside @path as "@path.tmp" and renamed over it, so that a reader sees
 * the old file or the new one, but not flushed to disk (a cache lost or
 * torn in a crash is only rebuilt). One temporary name: two processes
 * writing at once leave one file that the reader's own check refuses
 * (both caches carry a checksum or a magic number), never a pile of
 * files. */
gboolean  gloss_fs_write_cache        (const char   *path,
                                       const void   *data,
                                       gsize         length,
                                       GError      **error);

/* @error set from errno @saved_errno for @path: a full disk, a quota, a
 * link, a read-only file system each say what they are. @writing chooses
 * "Could not save" or "Could not read". */
void      gloss_fs_set_error          (GError      **error,
                                       int           saved_errno,
                                       gboolean      writing,
                                       const char   *path);

G_END_DECLS
