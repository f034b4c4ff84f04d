/* gloss-index-db.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The search index's SQLite file: schema, change detection against the
 * library folder, indexing one clip from its files, and running a parsed
 * query. Reads clip.json itself (json-glib) rather than through
 * GlossClip, so that it can run on the worker thread without touching the
 * library's objects, which belong to the main thread.
 *
 * Schema (PRAGMA user_version = GLOSS_INDEX_SCHEMA_VERSION):
 *   folders      one row per folder in clips/ that was looked at, clip or
 *                not: its inode, mtime and ctime when it was indexed, and
 *                whether that was racy (the start-up check,
 *                gloss_index_db_plan())
 *   clips        one row per clip folder: the file sizes and mtimes it was
 *                indexed from, the fields a result row shows, and the
 *                columns that filters use (created, colors, has_*, host,
 *                site_key)
 *   clip_tags    (clip, folded tag) for tag:
 *   annotations  (clip, annotation id, colour, position, quote, note),
 *                for listing the highlights that match a result
 *   clip_fts     FTS5 over title byline site url tags note quotes colors
 *                body; rowid = clips.rowid; BM25 weights as the rank
 *   meta         the library path the file belongs to; the stamp of the
 *                clips/ folder when its listing was last read */

#define G_LOG_DOMAIN "gloss-index"

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gloss-clip-file.h"
#include "gloss-error.h"
#include "gloss-fs.h"
#include "gloss-id.h"
#include "gloss-index-db.h"
#include "gloss-index-highlight.h"
#include "gloss-search-result.h"

/* Title, tags, quotes and notes count more than the body text. */
#define RANK_FUNCTION "bm25(10.0, 2.0, 3.0, 1.0, 8.0, 5.0, 5.0, 0.5, 1.0)"
#define TOKENIZE "tokenize = 'unicode61 remove_diacritics 2'"
#define SNIPPET_TOKENS 24
/* See gloss_index_db_search(). */
#define RANK_BOUND 10000
/* See "the start-up check" below. GLOSS_INDEX_RACY_SECONDS, a knob for
 * tests as GLOSS_INDEX_RANK_BOUND is, sets it when an index is opened. */
#define RACY_SECONDS 2
static gint64 racy_seconds = RACY_SECONDS;

static const char schema_sql[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
  "CREATE TABLE folders ("
  "  name TEXT PRIMARY KEY,"
  "  ino INTEGER NOT NULL, mtime INTEGER NOT NULL, ctime INTEGER NOT NULL,"
  "  racy INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE clips ("
  "  rowid INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  json_size INTEGER NOT NULL, json_mtime INTEGER NOT NULL,"
  "  text_size INTEGER NOT NULL, text_mtime INTEGER NOT NULL,"
  "  damaged INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL DEFAULT 0,"
  "  title TEXT, url TEXT, site_name TEXT, excerpt TEXT,"
  "  host TEXT, site_key TEXT,"
  "  colors INTEGER NOT NULL DEFAULT 0,"
  "  has_notes INTEGER NOT NULL DEFAULT 0,"
  "  has_highlights INTEGER NOT NULL DEFAULT 0,"
  "  has_tags INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX clips_created ON clips (created);"
  "CREATE TABLE clip_tags (clip INTEGER NOT NULL, tag TEXT NOT NULL);"
  "CREATE INDEX clip_tags_clip ON clip_tags (clip, tag);"
  "CREATE TABLE annotations ("
  "  rowid INTEGER PRIMARY KEY,"
  "  clip INTEGER NOT NULL, id TEXT NOT NULL,"
  "  color INTEGER NOT NULL, position INTEGER NOT NULL,"
  "  quote TEXT NOT NULL, note TEXT NOT NULL);"
  "CREATE INDEX annotations_clip ON annotations (clip, position);"
  "CREATE VIRTUAL TABLE clip_fts USING fts5 ("
  "  title, byline, site, url, tags, note, quotes, colors, body,"
  "  " TOKENIZE ", prefix = '2 3');"
  "INSERT INTO clip_fts (clip_fts, rank) VALUES ('rank', '" RANK_FUNCTION "');";

typedef enum
{
  STMT_FIND_ROWID,
  STMT_DELETE_FTS,
  STMT_DELETE_TAGS,
  STMT_DELETE_ANNS,
  STMT_DELETE_CLIP,
  STMT_INSERT_CLIP,
  STMT_INSERT_FTS,
  STMT_INSERT_TAG,
  STMT_INSERT_ANN,
  STMT_CONTENT,
  STMT_ANNOTATIONS,
  STMT_CLIP_ROW,
  STMT_VOCAB_TERM,
  STMT_VOCAB_PREFIX,
  STMT_STORE_FOLDER,
  STMT_FORGET_FOLDER,
  N_STMTS
} Stmt;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_FIND_ROWID] = "SELECT rowid FROM clips WHERE id = ?",
  [STMT_DELETE_FTS] = "DELETE FROM clip_fts WHERE rowid = ?",
  [STMT_DELETE_TAGS] = "DELETE FROM clip_tags WHERE clip = ?",
  [STMT_DELETE_ANNS] = "DELETE FROM annotations WHERE clip = ?",
  [STMT_DELETE_CLIP] = "DELETE FROM clips WHERE rowid = ?",
  [STMT_INSERT_CLIP] = "INSERT INTO clips (rowid, id, json_size, json_mtime, text_size, text_mtime,"
                       " damaged, created, title, url, site_name, excerpt, host, site_key, colors,"
                       " has_notes, has_highlights, has_tags)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  [STMT_INSERT_FTS] = "INSERT INTO clip_fts (rowid, title, byline, site, url, tags, note, quotes, colors, body)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  [STMT_INSERT_TAG] = "INSERT INTO clip_tags (clip, tag) VALUES (?, ?)",
  [STMT_INSERT_ANN] = "INSERT INTO annotations (clip, id, color, position, quote, note) VALUES (?, ?, ?, ?, ?, ?)",
  /* In the order the snippet looks for a match. */
  [STMT_CONTENT] = "SELECT body, quotes, note, title, tags, byline, site, url FROM clip_fts WHERE rowid = ?",
  [STMT_CLIP_ROW] = "SELECT id, title, url, site_name, created, excerpt FROM clips WHERE rowid = ?",
  [STMT_VOCAB_TERM] = "SELECT doc FROM temp.clip_vocab WHERE term = ?",
  [STMT_VOCAB_PREFIX] = "SELECT coalesce(sum(doc), 0) FROM temp.clip_vocab WHERE term >= ? AND term < ?",
  [STMT_ANNOTATIONS] = "SELECT id, color, quote, note FROM annotations WHERE clip = ? ORDER BY position",
  [STMT_STORE_FOLDER] = "INSERT OR REPLACE INTO folders (name, ino, mtime, ctime, racy) VALUES (?, ?, ?, ?, ?)",
  [STMT_FORGET_FOLDER] = "DELETE FROM folders WHERE name = ?",
};

struct _GlossIndexDb
{
  sqlite3      *db;
  char         *path;
  char         *clips_path;
  gboolean      corrupt;
  sqlite3_stmt *stmts[N_STMTS];
  GCancellable *cancellable;
  gint64        rank_bound;
  /* The stamp of clips/ that the last plan read the listing at, to be
   * stored once the sync it planned is done; "" for none. */
  char         *clips_stamp;
  /* Racy folders the last plan found unchanged and old enough now. */
  GPtrArray    *settled;
  /* gloss_index_db_set_thorough() */
  gboolean      thorough;
};

typedef struct
{
  gint64 json_size;
  gint64 json_mtime;
  gint64 text_size;
  gint64 text_mtime;
} Stamp;

char *
gloss_index_db_path_for_folder (GFile *library_folder)
{
  g_autofree char *path = g_file_get_path (library_folder);
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  if (path == NULL)
    path = g_file_get_uri (library_folder);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
  hash[16] = '\0';
  name = g_strdup_printf ("index-%s.sqlite", hash);
  return g_build_filename (g_get_user_cache_dir (), "gloss", name, NULL);
}

/* What failed, each with a whole sentence of its own for translators. */
typedef enum
{
  SQL_READ,
  SQL_UPDATE,
  SQL_CREATE,
  SQL_SEARCH,
} SqlAction;

static gboolean
sql_error (GlossIndexDb  *self,
           GError       **error,
           SqlAction      what)
{
  int code = sqlite3_errcode (self->db) & 0xff;
  const char *message = sqlite3_errmsg (self->db);

  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    self->corrupt = TRUE;

  /* SQLite says "disk I/O error" when a write hit a full disk, and the
   * action that failed may be a read that needed room: say what it is. */
  if (code == SQLITE_FULL || sqlite3_system_errno (self->db) == ENOSPC)
    {
      message = _("the disk is full");
      if (what == SQL_READ)
        what = SQL_UPDATE;
    }

  if (code == SQLITE_INTERRUPT)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The search was cancelled"));
      return FALSE;
    }

  switch (what)
    {
    case SQL_UPDATE:
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   /* Translators: the path of the index file, then SQLite's message. */
                   _("The search index %s could not be updated: %s"), self->path, message);
      break;
    case SQL_CREATE:
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   /* Translators: the path of the index file, then SQLite's message. */
                   _("The search index %s could not be created: %s"), self->path, message);
      break;
    case SQL_SEARCH:
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   /* Translators: the path of the index file, then SQLite's message. */
                   _("The search index %s could not be searched: %s"), self->path, message);
      break;
    case SQL_READ:
    default:
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   /* Translators: the path of the index file, then SQLite's message. */
                   _("The search index %s could not be read: %s"), self->path, message);
      break;
    }
  return FALSE;
}

static gboolean
exec (GlossIndexDb  *self,
      const char    *sql,
      GError       **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_error (self, error, SQL_UPDATE);
  return TRUE;
}

static sqlite3_stmt *
get_stmt (GlossIndexDb  *self,
          Stmt           which,
          GError       **error)
{
  if (self->stmts[which] == NULL &&
      sqlite3_prepare_v3 (self->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                          &self->stmts[which], NULL) != SQLITE_OK)
    {
      sql_error (self, error, SQL_READ);
      return NULL;
    }
  sqlite3_reset (self->stmts[which]);
  sqlite3_clear_bindings (self->stmts[which]);
  return self->stmts[which];
}

/* Steps a statement that returns no rows. */
static gboolean
run (GlossIndexDb  *self,
     sqlite3_stmt  *stmt,
     GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return sql_error (self, error, SQL_UPDATE);
  return TRUE;
}

static void
remove_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static void
close_db (GlossIndexDb *self)
{
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
}

static int
query_int (GlossIndexDb *self,
           const char   *sql,
           int          *value)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          *value = 0;
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  return rc;
}

/* Opens the file and checks that it is an index of ours for this
 * library. FALSE means: throw it away and start again. */
static gboolean
try_open (GlossIndexDb  *self,
          gboolean      *created,
          GError       **error)
{
  int version = -1;
  int n;
  sqlite3_stmt *stmt = NULL;
  gboolean same_library = FALSE;

  *created = FALSE;
  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO, _("The search index %s could not be opened: %s"),
                   self->path, self->db ? sqlite3_errmsg (self->db) : _("out of memory"));
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, 5000);

  /* A file of garbage fails here with SQLITE_NOTADB. */
  if (sqlite3_exec (self->db,
                    "PRAGMA journal_mode = WAL;"
                    "PRAGMA synchronous = NORMAL;"
                    "PRAGMA cache_size = -32768;"
                    "PRAGMA temp_store = MEMORY;",
                    NULL, NULL, NULL) != SQLITE_OK)
    return sql_error (self, error, SQL_READ);
  if (query_int (self, "PRAGMA user_version", &version) != SQLITE_OK)
    return sql_error (self, error, SQL_READ);

  if (version == 0)
    {
      if (query_int (self, "SELECT count(*) FROM sqlite_master", &n) != SQLITE_OK)
        return sql_error (self, error, SQL_READ);
      if (n != 0)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED, _("The search index %s is not ours"), self->path);
          return FALSE;
        }
      if (!exec (self, "BEGIN", error) ||
          !exec (self, schema_sql, error))
        return FALSE;
      if (sqlite3_prepare_v2 (self->db, "INSERT INTO meta (key, value) VALUES ('library', ?)",
                              -1, &stmt, NULL) != SQLITE_OK)
        return sql_error (self, error, SQL_CREATE);
      sqlite3_bind_text (stmt, 1, self->clips_path, -1, SQLITE_STATIC);
      n = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (n != SQLITE_DONE)
        return sql_error (self, error, SQL_CREATE);
      if (!exec (self, "PRAGMA user_version = " G_STRINGIFY (GLOSS_INDEX_SCHEMA_VERSION) "; COMMIT", error))
        return FALSE;
      *created = TRUE;
      return TRUE;
    }

  if (version != GLOSS_INDEX_SCHEMA_VERSION)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("The search index %s has schema version %d, not %d"),
                   self->path, version, GLOSS_INDEX_SCHEMA_VERSION);
      return FALSE;
    }

  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = 'library'", -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (self, error, SQL_READ);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    same_library = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), self->clips_path) == 0;
  sqlite3_finalize (stmt);
  if (!same_library)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("The search index %s belongs to another library"), self->path);
      return FALSE;
    }

  /* A bulk build that did not finish ran without syncs: the file may
   * hold anything (gloss_index_db_begin_bulk()). */
  if (query_int (self, "SELECT count(*) FROM meta WHERE key = 'bulk'", &n) != SQLITE_OK)
    return sql_error (self, error, SQL_READ);
  if (n != 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("The search index %s was not finished when it was last built"), self->path);
      return FALSE;
    }

  /* Touch every table, so that a file damaged past its header is found
   * now rather than at the first search. */
  if (query_int (self, "SELECT count(*) FROM clips", &n) != SQLITE_OK ||
      query_int (self, "SELECT count(*) FROM annotations", &n) != SQLITE_OK ||
      query_int (self, "SELECT rowid FROM clip_fts WHERE clip_fts MATCH '\"gloss\"' LIMIT 1", &n) != SQLITE_OK)
    return sql_error (self, error, SQL_READ);

  return TRUE;
}

/* Per connection: how many clips hold a word, to estimate a query's
 * matches before ranking them. */
static gboolean
create_vocab (GlossIndexDb  *self,
              GError       **error)
{
  return exec (self, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.clip_vocab"
                     " USING fts5vocab (main, clip_fts, 'row')", error);
}

static gboolean
open_or_rebuild (GlossIndexDb  *self,
                 gboolean      *rebuilt,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);
  gboolean created = FALSE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO, _("Could not create the folder %s: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (try_open (self, &created, &local_error) && create_vocab (self, &local_error))
    {
      *rebuilt = created;
      return TRUE;
    }

  g_info ("Rebuilding the search index: %s", local_error->message);
  g_clear_error (&local_error);
  close_db (self);
  remove_files (self->path);
  self->corrupt = FALSE;

  if (!try_open (self, &created, error) || !create_vocab (self, error))
    {
      close_db (self);
      return FALSE;
    }
  *rebuilt = TRUE;
  return TRUE;
}

GlossIndexDb *
gloss_index_db_open (const char  *path,
                     const char  *clips_path,
                     gboolean    *rebuilt,
                     GError     **error)
{
  GlossIndexDb *self;
  gboolean local_rebuilt = FALSE;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (clips_path != NULL, NULL);

  self = g_new0 (GlossIndexDb, 1);
  self->path = g_strdup (path);
  self->clips_path = g_strdup (clips_path);
  /* A knob for tests and measurements, not a setting. */
  self->rank_bound = RANK_BOUND;
  if (g_getenv ("GLOSS_INDEX_RANK_BOUND") != NULL)
    self->rank_bound = MAX (1, g_ascii_strtoll (g_getenv ("GLOSS_INDEX_RANK_BOUND"), NULL, 10));
  if (g_getenv ("GLOSS_INDEX_RACY_SECONDS") != NULL)
    racy_seconds = MAX (0, g_ascii_strtoll (g_getenv ("GLOSS_INDEX_RACY_SECONDS"), NULL, 10));

  if (!open_or_rebuild (self, &local_rebuilt, error))
    {
      gloss_index_db_close (self);
      return NULL;
    }
  if (rebuilt != NULL)
    *rebuilt = local_rebuilt;
  return self;
}

void
gloss_index_db_close (GlossIndexDb *self)
{
  if (self == NULL)
    return;
  close_db (self);
  g_free (self->path);
  g_free (self->clips_path);
  g_free (self->clips_stamp);
  g_clear_pointer (&self->settled, g_ptr_array_unref);
  g_free (self);
}

gboolean
gloss_index_db_is_corrupt (GlossIndexDb *self)
{
  return self->corrupt;
}

GlossIndexDb *
gloss_index_db_reset (GlossIndexDb  *self,
                      GError       **error)
{
  g_autofree char *path = g_strdup (self->path);
  g_autofree char *clips_path = g_strdup (self->clips_path);

  gloss_index_db_close (self);
  remove_files (path);
  return gloss_index_db_open (path, clips_path, NULL, error);
}

guint
gloss_index_db_count (GlossIndexDb *self)
{
  int n = 0;

  if (query_int (self, "SELECT count(*) FROM clips WHERE damaged = 0", &n) != SQLITE_OK)
    return 0;
  return n;
}

gboolean
gloss_index_db_begin_bulk (GlossIndexDb  *self,
                           GError       **error)
{
  /* The marker must be on disk before anything is written unsynced. */
  return exec (self, "INSERT OR REPLACE INTO meta (key, value) VALUES ('bulk', '1');"
                     "PRAGMA wal_checkpoint(FULL);"
                     "PRAGMA synchronous = OFF;"
                     "PRAGMA wal_autocheckpoint = 20000;", error);
}

gboolean
gloss_index_db_end_bulk (GlossIndexDb  *self,
                         GError       **error)
{
  /* A checkpoint in NORMAL mode syncs the WAL, then the database: after
   * it, the whole build and the marker's removal are on disk. */
  return exec (self, "PRAGMA synchronous = NORMAL;"
                     "PRAGMA wal_autocheckpoint = 1000;"
                     "DELETE FROM meta WHERE key = 'bulk';"
                     "PRAGMA wal_checkpoint(TRUNCATE);", error);
}

static gint64
mtime_ns (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

/* FALSE when there is no clip.json: not a clip, or an unfinished one. */
static gboolean
stat_clip (int         dir_fd,
           const char *id,
           Stamp      *stamp)
{
  char path[128];
  struct stat st;

  g_snprintf (path, sizeof path, "%s/clip.json", id);
  if (fstatat (dir_fd, path, &st, 0) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  stamp->json_size = st.st_size;
  stamp->json_mtime = mtime_ns (&st);

  g_snprintf (path, sizeof path, "%s/article.txt", id);
  if (fstatat (dir_fd, path, &st, 0) == 0)
    {
      stamp->text_size = st.st_size;
      stamp->text_mtime = mtime_ns (&st);
    }
  else
    {
      stamp->text_size = -1;
      stamp->text_mtime = 0;
    }
  return TRUE;
}

/* --- the start-up check --------------------------------------------------
 *
 * Every write in a clip folder that FORMAT.md allows replaces a file by
 * renaming a temporary file over it, and a rename changes the mtime (and
 * ctime) of the folder it happens in; so does a file created or deleted
 * there. A folder added to or taken out of clips/ (a new clip, a delete,
 * a sync tool's or git's checkout) changes the mtime of clips/. So the
 * check compares the stamp (inode, mtime, ctime) of each clip folder with
 * the one it had when it was indexed, and reads the listing of clips/
 * only when the stamp of clips/ changed: one stat per clip rather than
 * one per file, and no readdir.
 *
 * A file system's clock moves in ticks (milliseconds on ext4, up to 2 s
 * on others): a change in the same tick as the stat that was stored
 * leaves the folder's stamp as it was. A folder changed less than
 * RACY_SECONDS before its stat is "racy": while it is, the check also
 * compares its clip.json and article.txt with the sizes and mtimes they
 * were indexed with, as the check did for every clip before, and once it
 * is old enough its stamp is stored as settled. */


typedef struct
{
  gint64   ino;
  gint64   mtime;
  gint64   ctime;
  gboolean racy;
} FolderStamp;

static gint64
ctime_ns (const struct stat *st)
{
  return (gint64) st->st_ctim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_ctim.tv_nsec;
}

static void
folder_stamp_from_stat (const struct stat *st,
                        FolderStamp       *stamp)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  stamp->ino = (gint64) st->st_ino;
  stamp->mtime = mtime_ns (st);
  stamp->ctime = ctime_ns (st);
  stamp->racy = MAX (st->st_mtim.tv_sec, st->st_ctim.tv_sec) + racy_seconds > now;
}

/* FALSE when @name is not a folder (any more). */
static gboolean
stat_folder (int          dir_fd,
             const char  *name,
             struct stat *st)
{
  return fstatat (dir_fd, name, st, 0) == 0 && S_ISDIR (st->st_mode);
}

static gboolean
same_stamp (const FolderStamp *stored,
            const FolderStamp *now)
{
  return stored->ino == now->ino && stored->mtime == now->mtime && stored->ctime == now->ctime;
}

/* Whether @stamp (of a stat just made) is racy now. */
static gboolean
stamp_is_racy (const FolderStamp *stamp)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  return MAX (stamp->mtime, stamp->ctime) / G_GINT64_CONSTANT (1000000000) + racy_seconds > now;
}

static gboolean
write_folder (GlossIndexDb       *self,
              const char         *name,
              const FolderStamp  *stamp,
              GError            **error)
{
  sqlite3_stmt *stmt = get_stmt (self, STMT_STORE_FOLDER, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, stamp->ino);
  sqlite3_bind_int64 (stmt, 3, stamp->mtime);
  sqlite3_bind_int64 (stmt, 4, stamp->ctime);
  sqlite3_bind_int (stmt, 5, stamp->racy);
  return run (self, stmt, error);
}

/* After a folder was (re)indexed or dropped: remembers its stamp as
 * taken before it was read (@st; NULL when it is no folder any more),
 * or, with @look_again, that the next check has to index it whatever its
 * stamp. */
static gboolean
store_folder (GlossIndexDb       *self,
              const char         *name,
              const struct stat  *st,
              gboolean            look_again,
              GError            **error)
{
  FolderStamp stamp;
  sqlite3_stmt *stmt;

  if (st == NULL)
    {
      if (!(stmt = get_stmt (self, STMT_FORGET_FOLDER, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      return run (self, stmt, error);
    }

  folder_stamp_from_stat (st, &stamp);
  if (look_again)
    stamp.mtime = stamp.ctime = -1;
  return write_folder (self, name, &stamp, error);
}

/* Whether a racy folder changed after all: its files against the sizes
 * and mtimes they were indexed with (a folder without clip.json has no
 * row: it changed when it has one now). */
static gboolean
clip_files_changed (GlossIndexDb *self,
                    int           dir_fd,
                    const char   *id)
{
  sqlite3_stmt *stmt = NULL;
  Stamp before;
  Stamp now;
  gboolean has_clip = stat_clip (dir_fd, id, &now);
  gboolean indexed = FALSE;

  if (sqlite3_prepare_v2 (self->db, "SELECT json_size, json_mtime, text_size, text_mtime FROM clips WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return TRUE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      indexed = TRUE;
      before.json_size = sqlite3_column_int64 (stmt, 0);
      before.json_mtime = sqlite3_column_int64 (stmt, 1);
      before.text_size = sqlite3_column_int64 (stmt, 2);
      before.text_mtime = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_finalize (stmt);

  if (!indexed || !has_clip)
    return indexed != has_clip;
  return memcmp (&before, &now, sizeof now) != 0;
}

/* The sizes and mtimes every clip was indexed with, by id. */
static GHashTable *
load_clip_stamps (GlossIndexDb *self)
{
  GHashTable *stamps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT id, json_size, json_mtime, text_size, text_mtime FROM clips",
                          -1, &stmt, NULL) != SQLITE_OK)
    return stamps;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Stamp *stamp = g_new (Stamp, 1);

      stamp->json_size = sqlite3_column_int64 (stmt, 1);
      stamp->json_mtime = sqlite3_column_int64 (stmt, 2);
      stamp->text_size = sqlite3_column_int64 (stmt, 3);
      stamp->text_mtime = sqlite3_column_int64 (stmt, 4);
      g_hash_table_insert (stamps, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), stamp);
    }
  sqlite3_finalize (stmt);
  return stamps;
}

/* The thorough check of one folder whose stamp is unchanged: its files
 * against @stamps (load_clip_stamps()). */
static gboolean
clip_files_differ (GHashTable *stamps,
                   int         dir_fd,
                   const char *id)
{
  const Stamp *before = g_hash_table_lookup (stamps, id);
  Stamp now;
  gboolean has_clip = stat_clip (dir_fd, id, &now);

  if (before == NULL || !has_clip)
    return (before != NULL) != has_clip;
  return memcmp (before, &now, sizeof now) != 0;
}

void
gloss_index_db_set_thorough (GlossIndexDb *self,
                             gboolean      thorough)
{
  self->thorough = thorough;
}

static char *
clips_stamp_string (const struct stat *st)
{
  FolderStamp stamp;

  folder_stamp_from_stat (st, &stamp);
  if (stamp.racy)
    return g_strdup ("");
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                          stamp.ino, stamp.mtime, stamp.ctime);
}

static char *
dup_meta (GlossIndexDb *self,
          const char   *key)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

typedef enum
{
  FOLDER_SAME,
  FOLDER_CHANGED,
  FOLDER_GONE,
  FOLDER_RACY,     /* the same stamp, but it was racy */
  FOLDER_NEW,
} FolderState;

typedef struct
{
  const char  *name;
  FolderStamp  stored;
  FolderState  state;
  /* In the index's table. */
  gboolean     known;
  /* What the stat found (racy unset). */
  FolderStamp  now;
} Folder;

/* The stat of each folder is nearly all that the check costs, so it is
 * spread over the processors and starts while the folders are still
 * being read from the index: the reader hands over chunks of
 * CHECK_CHUNK folders as it fills them. */
typedef struct
{
  int        dir_fd;
  GMutex     mutex;
  GCond      cond;
  GPtrArray *chunks;     /* GArray of Folder */
  guint      n_taken;
  gboolean   done;
  GArray    *filling;    /* the reader's; not yet in @chunks */
  GThread   *threads[3];
  guint      n_threads;
} FolderCheck;

#define CHECK_CHUNK 256

static GArray *
take_chunk (FolderCheck *check)
{
  GArray *chunk = NULL;

  g_mutex_lock (&check->mutex);
  while (check->n_taken == check->chunks->len && !check->done)
    g_cond_wait (&check->cond, &check->mutex);
  if (check->n_taken < check->chunks->len)
    chunk = check->chunks->pdata[check->n_taken++];
  g_mutex_unlock (&check->mutex);

  return chunk;
}

static gpointer
check_folders_worker (gpointer data)
{
  FolderCheck *check = data;
  GArray *chunk;

  while ((chunk = take_chunk (check)) != NULL)
    for (guint i = 0; i < chunk->len; i++)
      {
        Folder *folder = &g_array_index (chunk, Folder, i);
        struct stat st;

        if (!stat_folder (check->dir_fd, folder->name, &st))
          {
            folder->state = FOLDER_GONE;
            continue;
          }

        folder->now.ino = (gint64) st.st_ino;
        folder->now.mtime = mtime_ns (&st);
        folder->now.ctime = ctime_ns (&st);
        if (folder->state == FOLDER_NEW)
          ;
        else if (!same_stamp (&folder->stored, &folder->now))
          folder->state = FOLDER_CHANGED;
        else if (folder->stored.racy)
          folder->state = FOLDER_RACY;
      }

  return NULL;
}

static void
check_begin (FolderCheck *check,
             int          dir_fd)
{
  memset (check, 0, sizeof *check);
  check->dir_fd = dir_fd;
  g_mutex_init (&check->mutex);
  g_cond_init (&check->cond);
  check->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  check->filling = g_array_sized_new (FALSE, FALSE, sizeof (Folder), CHECK_CHUNK);

  check->n_threads = MIN (g_get_num_processors (), G_N_ELEMENTS (check->threads) + 1) - 1;
  for (guint i = 0; i < check->n_threads; i++)
    check->threads[i] = g_thread_new ("gloss-index-check", check_folders_worker, check);
}

static void
check_hand_over (FolderCheck *check,
                 gboolean     last)
{
  g_mutex_lock (&check->mutex);
  if (check->filling != NULL && check->filling->len > 0)
    {
      g_ptr_array_add (check->chunks, check->filling);
      check->filling = NULL;
    }
  check->done = last;
  g_cond_broadcast (&check->cond);
  g_mutex_unlock (&check->mutex);

  if (check->filling == NULL && !last)
    check->filling = g_array_sized_new (FALSE, FALSE, sizeof (Folder), CHECK_CHUNK);
}

static void
check_add (FolderCheck  *check,
           const Folder *folder)
{
  g_array_append_val (check->filling, *folder);
  if (check->filling->len == CHECK_CHUNK)
    check_hand_over (check, FALSE);
}

/* Every folder handed over is checked when this returns. */
static void
check_end (FolderCheck *check)
{
  check_hand_over (check, TRUE);
  g_clear_pointer (&check->filling, g_array_unref);
  check_folders_worker (check);
  for (guint i = 0; i < check->n_threads; i++)
    g_thread_join (check->threads[i]);
  check->n_threads = 0;
}

static void
check_clear (FolderCheck *check)
{
  if (check->chunks == NULL)
    return;
  if (check->n_threads > 0)
    check_end (check);
  g_clear_pointer (&check->chunks, g_ptr_array_unref);
  g_mutex_clear (&check->mutex);
  g_cond_clear (&check->cond);
}

typedef struct
{
  char   *id;
  gint64  mtime;
} Pending;

static int
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const Pending *x = a, *y = b;

  if (x->mtime != y->mtime)
    return x->mtime < y->mtime ? -1 : 1;
  return strcmp (x->id, y->id);
}

/* Hands the folders the index knows, with their stored stamps, to
 * @check; with @listing, the folders in the listing of clips/ too (as
 * FOLDER_NEW when the index does not know them). */
static gboolean
collect_folders (GlossIndexDb  *self,
                 int            dir_fd,
                 gboolean       listing,
                 FolderCheck   *check,
                 GStringChunk  *names,
                 GError       **error)
{
  g_autoptr(GHashTable) known = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (listing)
    known = g_hash_table_new (g_str_hash, g_str_equal);

  if (sqlite3_prepare_v2 (self->db, "SELECT name, ino, mtime, ctime, racy FROM folders", -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (self, error, SQL_READ);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Folder folder = { 0, };

      folder.name = g_string_chunk_insert (names, (const char *) sqlite3_column_text (stmt, 0));
      folder.stored.ino = sqlite3_column_int64 (stmt, 1);
      folder.stored.mtime = sqlite3_column_int64 (stmt, 2);
      folder.stored.ctime = sqlite3_column_int64 (stmt, 3);
      folder.stored.racy = sqlite3_column_int (stmt, 4);
      folder.state = FOLDER_SAME;
      folder.known = TRUE;
      check_add (check, &folder);
      if (known != NULL)
        g_hash_table_add (known, (gpointer) folder.name);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self, error, SQL_READ);

  if (listing)
    {
      struct dirent *entry;
      DIR *dir;
      int list_fd;

      /* fdopendir() takes the descriptor it is given. */
      if ((list_fd = dup (dir_fd)) < 0 || !(dir = fdopendir (list_fd)))
        {
          int saved_errno = errno;

          if (list_fd >= 0)
            close (list_fd);
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO, _("Could not read the folder %s: %s"),
                       self->clips_path, g_strerror (saved_errno));
          return FALSE;
        }
      while ((entry = readdir (dir)) != NULL)
        if (gloss_id_is_valid (entry->d_name) && !g_hash_table_contains (known, entry->d_name))
          {
            Folder folder = { 0, };

            folder.name = g_string_chunk_insert (names, entry->d_name);
            folder.state = FOLDER_NEW;
            check_add (check, &folder);
          }
      closedir (dir);
    }

  return TRUE;
}

gboolean
gloss_index_db_plan (GlossIndexDb  *self,
                     GPtrArray    **changed,
                     GPtrArray    **removed,
                     GError       **error)
{
  g_autoptr(GPtrArray) to_update = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) to_remove = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) pending_update = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_autoptr(GStringChunk) names = g_string_chunk_new (16384);
  g_autoptr(GHashTable) clip_stamps = NULL;
  FolderCheck check;
  g_autofree char *stored_clips_stamp = NULL;
  g_autofree char *clips_stamp = NULL;
  struct stat clips_st;
  gboolean listing;
  int dir_fd;

  g_clear_pointer (&self->clips_stamp, g_free);
  g_clear_pointer (&self->settled, g_ptr_array_unref);

  dir_fd = open (self->clips_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0 && fstat (dir_fd, &clips_st) != 0)
    {
      close (dir_fd);
      dir_fd = -1;
    }

  if (dir_fd < 0)
    {
      sqlite3_stmt *stmt = NULL;
      int rc;

      /* A library without a clips folder (yet, or any more) has no
       * clips: drop whatever the index holds. */
      if (sqlite3_prepare_v2 (self->db, "SELECT id FROM clips UNION SELECT name FROM folders",
                              -1, &stmt, NULL) != SQLITE_OK)
        return sql_error (self, error, SQL_READ);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (to_remove, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        return sql_error (self, error, SQL_READ);
      self->clips_stamp = g_strdup ("");
      *changed = g_steal_pointer (&to_update);
      *removed = g_steal_pointer (&to_remove);
      return TRUE;
    }

  /* The listing is read when clips/ changed (or is racy): otherwise only
   * the folders in it can have changed. */
  stored_clips_stamp = dup_meta (self, "clips_stamp");
  clips_stamp = clips_stamp_string (&clips_st);
  listing = *clips_stamp == '\0' || g_strcmp0 (stored_clips_stamp, clips_stamp) != 0;

  check_begin (&check, dir_fd);
  if (!collect_folders (self, dir_fd, listing, &check, names, error))
    {
      check_clear (&check);
      close (dir_fd);
      return FALSE;
    }
  check_end (&check);

  for (guint c = 0; c < check.chunks->len; c++)
    {
      GArray *chunk = check.chunks->pdata[c];

      for (guint i = 0; i < chunk->len; i++)
        {
          Folder *folder = &g_array_index (chunk, Folder, i);

          switch (folder->state)
            {
            case FOLDER_GONE:
              /* Neither a folder nor anything else: the index drops it (a
               * file by a folder's name was never indexed, and stays out). */
              if (folder->known)
                g_ptr_array_add (to_remove, g_strdup (folder->name));
              break;

            case FOLDER_RACY:
              if (clip_files_changed (self, dir_fd, folder->name))
                folder->state = FOLDER_CHANGED;
              else
                {
                  /* Unchanged: settled once its stamp is old enough. */
                  if (!stamp_is_racy (&folder->now))
                    {
                      if (self->settled == NULL)
                        self->settled = g_ptr_array_new_with_free_func (g_free);
                      g_ptr_array_add (self->settled, g_strdup (folder->name));
                    }
                }
              break;

            case FOLDER_SAME:
              /* Writes made in place change no folder: the thorough
               * check looks at the files as well. */
              if (self->thorough)
                {
                  if (clip_stamps == NULL)
                    clip_stamps = load_clip_stamps (self);
                  if (clip_files_differ (clip_stamps, dir_fd, folder->name))
                    folder->state = FOLDER_CHANGED;
                }
              break;

            case FOLDER_CHANGED:
            case FOLDER_NEW:
            default:
              break;
            }

          if (folder->state == FOLDER_CHANGED || folder->state == FOLDER_NEW)
            {
              Pending p = { g_strdup (folder->name), folder->now.mtime };

              g_array_append_val (pending_update, p);
            }
        }
    }
  check_clear (&check);
  close (dir_fd);

  /* Oldest first, so that rowids grow with time and the rank bound
   * (gloss_index_db_search()) keeps the newest clips. */
  g_array_sort (pending_update, compare_pending);
  for (guint i = 0; i < pending_update->len; i++)
    g_ptr_array_add (to_update, g_array_index (pending_update, Pending, i).id);

  /* Kept when it differs from what is stored, for
   * gloss_index_db_finish_sync(). */
  if (g_strcmp0 (stored_clips_stamp, clips_stamp) != 0)
    self->clips_stamp = g_steal_pointer (&clips_stamp);

  *changed = g_steal_pointer (&to_update);
  *removed = g_steal_pointer (&to_remove);
  return TRUE;
}

gboolean
gloss_index_db_finish_sync (GlossIndexDb  *self,
                            GError       **error)
{
  g_autofree char *stamp = g_steal_pointer (&self->clips_stamp);
  g_autoptr(GPtrArray) settled = g_steal_pointer (&self->settled);
  sqlite3_stmt *stmt = NULL;
  int dir_fd;
  int rc;

  /* Racy folders that did not change and are old enough now: their
   * stamp, taken again, is final. */
  if (settled != NULL &&
      (dir_fd = open (self->clips_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
    {
      gboolean ok = exec (self, "BEGIN IMMEDIATE", error);

      for (guint i = 0; ok && i < settled->len; i++)
        {
          struct stat st;

          /* Changed since the check: it stays racy, and the next check
           * sees its new stamp. */
          if (stat_folder (dir_fd, settled->pdata[i], &st))
            ok = store_folder (self, settled->pdata[i], &st, FALSE, error);
        }
      close (dir_fd);
      if (!ok)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
        return FALSE;
    }

  if (stamp == NULL)
    return TRUE;

  if (sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('clips_stamp', ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (self, error, SQL_UPDATE);
  sqlite3_bind_text (stmt, 1, stamp, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self, error, SQL_UPDATE);
  return TRUE;
}

/* The stored text never holds the match markers, nor other control
 * characters that would upset a label or a terminal. */
static void
clean_text (char *text)
{
  for (char *p = text; p && *p; p++)
    if ((guchar) *p < 0x20 && *p != '\n' && *p != '\t')
      *p = ' ';
}

typedef struct
{
  const char *id;
  int         color;
  const char *exact;
  const char *note;
  gint64      position;
} Annotation;

/* The text and the fields of one clip, as read from its folder. The
 * strings point into @file. */
typedef struct
{
  Stamp          stamp;
  gboolean       damaged;
  GlossClipFile *file;
  char          *body;
  const char    *title;
  const char    *url;
  const char    *byline;
  const char    *site_name;
  const char    *excerpt;
  const char    *note;
  gint64         created;
  GPtrArray     *tags;
  GArray        *annotations;
} ClipData;

static void
clip_data_clear (ClipData *data)
{
  g_clear_pointer (&data->file, gloss_clip_file_free);
  g_clear_pointer (&data->body, g_free);
  g_clear_pointer (&data->tags, g_ptr_array_unref);
  g_clear_pointer (&data->annotations, g_array_unref);
}

/* FALSE when the folder holds no clip.json (any more), or is a link. A
 * clip.json that cannot be read as a clip makes @data damaged, not an
 * error. clip.json is read by the library's one reader, whose scanner
 * refuses deep nesting before anything recurses over it (issue 15: one
 * file of 100,000 "[" crashed every search). */
static gboolean
read_clip (int         dir_fd,
           const char *clips_path,
           const char *id,
           ClipData   *data)
{
  g_autofree char *folder_path = g_build_filename (clips_path, id, NULL);
  g_autoptr(GError) error = NULL;
  GlossClipFile *file;

  memset (data, 0, sizeof *data);
  if (!stat_clip (dir_fd, id, &data->stamp))
    return FALSE;

  data->tags = g_ptr_array_new ();
  data->annotations = g_array_new (FALSE, TRUE, sizeof (Annotation));

  data->file = file = gloss_clip_file_read (folder_path, &error);
  if (file == NULL)
    {
      if (!g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED) &&
          !g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID))
        return FALSE;
      data->damaged = TRUE;
      return TRUE;
    }

  data->title = file->title;
  data->url = file->url;
  data->byline = file->byline;
  data->site_name = file->site_name;
  data->excerpt = file->excerpt;
  data->note = file->note;
  data->created = file->created_usec / G_USEC_PER_SEC;

  for (guint i = 0; i < file->n_tags; i++)
    g_ptr_array_add (data->tags, (gpointer) file->tags[i]);

  for (GlossScanValue *e = file->annotations ? file->annotations->first : NULL; e != NULL; e = e->next)
    {
      GlossClipFileAnnotation fields;
      Annotation annotation = { 0, };

      gloss_clip_file_get_annotation (e, &fields);
      annotation.id = fields.id;
      annotation.color = fields.color;
      annotation.note = fields.note;
      annotation.exact = fields.exact;
      annotation.position = fields.start;
      g_array_append_val (data->annotations, annotation);
    }

  /* A clip without article.txt is still found by its title and notes;
   * a link in its place is never followed. */
  if (!gloss_fs_read (folder_path, "article.txt", G_MAXSIZE / 2, &data->body, NULL, NULL) ||
      !g_utf8_validate (data->body, -1, NULL))
    g_clear_pointer (&data->body, g_free);
  clean_text (data->body);

  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
}

static gboolean
delete_rowid (GlossIndexDb  *self,
              gint64         rowid,
              GError       **error)
{
  static const Stmt stmts[] = {
    STMT_DELETE_FTS, STMT_DELETE_TAGS, STMT_DELETE_ANNS, STMT_DELETE_CLIP,
  };

  for (guint i = 0; i < G_N_ELEMENTS (stmts); i++)
    {
      sqlite3_stmt *stmt = get_stmt (self, stmts[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      if (!run (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* The clip's rowid, 0 when not indexed, -1 on error. */
static gint64
find_rowid (GlossIndexDb  *self,
            const char    *id,
            GError       **error)
{
  sqlite3_stmt *stmt = get_stmt (self, STMT_FIND_ROWID, error);
  gint64 rowid = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sql_error (self, error, SQL_READ);
      return -1;
    }
  return rowid;
}

static gboolean
remove_one (GlossIndexDb  *self,
            const char    *id,
            GError       **error)
{
  gint64 rowid = find_rowid (self, id, error);

  if (rowid < 0)
    return FALSE;
  return rowid == 0 || delete_rowid (self, rowid, error);
}

static gboolean
index_one (GlossIndexDb  *self,
           int            dir_fd,
           const char    *id,
           GError       **error)
{
  ClipData data;
  g_autoptr(GString) tags = g_string_new (NULL);
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autoptr(GString) quotes = g_string_new (NULL);
  g_autoptr(GString) colors = g_string_new (NULL);
  g_autofree char *host = NULL;
  g_autofree char *site_key = NULL;
  g_autofree char *site = NULL;
  sqlite3_stmt *stmt;
  gboolean has_notes;
  guint color_bits = 0;
  gint64 rowid;
  gboolean ok = FALSE;

  if (!gloss_id_is_valid (id) || !read_clip (dir_fd, self->clips_path, id, &data))
    {
      clip_data_clear (&data);
      return remove_one (self, id, error);
    }

  rowid = find_rowid (self, id, error);
  if (rowid < 0 || (rowid > 0 && !delete_rowid (self, rowid, error)))
    goto out;

  has_notes = data.note != NULL && *data.note != '\0';
  if (data.note != NULL)
    g_string_append (notes, data.note);
  for (guint i = 0; i < data.annotations->len; i++)
    {
      const Annotation *a = &g_array_index (data.annotations, Annotation, i);

      if (a->note != NULL && *a->note != '\0')
        {
          has_notes = TRUE;
          g_string_append_printf (notes, "\n%s", a->note);
        }
      g_string_append_printf (quotes, "%s\n", a->exact);
      if (a->color >= 0)
        {
          if (!(color_bits & GLOSS_QUERY_COLOR_BIT (a->color)))
            g_string_append_printf (colors, "%s ", gloss_color_to_string (a->color));
          color_bits |= GLOSS_QUERY_COLOR_BIT (a->color);
        }
    }
  for (guint i = 0; i < data.tags->len; i++)
    g_string_append_printf (tags, "%s\n", (const char *) data.tags->pdata[i]);

  host = gloss_query_url_host (data.url);
  site_key = gloss_query_fold (data.site_name);
  site = g_strjoin (" ", data.site_name ? data.site_name : "", host ? host : "", NULL);

  stmt = get_stmt (self, STMT_INSERT_CLIP, error);
  if (stmt == NULL)
    goto out;
  if (rowid > 0)
    sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, data.stamp.json_size);
  sqlite3_bind_int64 (stmt, 4, data.stamp.json_mtime);
  sqlite3_bind_int64 (stmt, 5, data.stamp.text_size);
  sqlite3_bind_int64 (stmt, 6, data.stamp.text_mtime);
  sqlite3_bind_int (stmt, 7, data.damaged);
  sqlite3_bind_int64 (stmt, 8, data.created);
  bind_text (stmt, 9, data.title);
  bind_text (stmt, 10, data.url);
  bind_text (stmt, 11, data.site_name);
  bind_text (stmt, 12, data.excerpt);
  bind_text (stmt, 13, host);
  bind_text (stmt, 14, site_key);
  sqlite3_bind_int (stmt, 15, color_bits);
  sqlite3_bind_int (stmt, 16, has_notes);
  sqlite3_bind_int (stmt, 17, data.annotations->len > 0);
  sqlite3_bind_int (stmt, 18, data.tags->len > 0);
  if (!run (self, stmt, error))
    goto out;
  rowid = sqlite3_last_insert_rowid (self->db);

  if (data.damaged)
    {
      ok = TRUE;
      goto out;
    }

  stmt = get_stmt (self, STMT_INSERT_FTS, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, rowid);
  bind_text (stmt, 2, data.title);
  bind_text (stmt, 3, data.byline);
  bind_text (stmt, 4, site);
  bind_text (stmt, 5, data.url);
  bind_text (stmt, 6, tags->str);
  bind_text (stmt, 7, notes->str);
  bind_text (stmt, 8, quotes->str);
  bind_text (stmt, 9, colors->str);
  if (data.body != NULL)
    sqlite3_bind_text (stmt, 10, data.body, -1, SQLITE_STATIC);
  if (!run (self, stmt, error))
    goto out;

  for (guint i = 0; i < data.tags->len; i++)
    {
      g_autofree char *folded = gloss_query_fold (data.tags->pdata[i]);

      if (folded == NULL || *folded == '\0')
        continue;
      stmt = get_stmt (self, STMT_INSERT_TAG, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, folded, -1, SQLITE_STATIC);
      if (!run (self, stmt, error))
        goto out;
    }

  for (guint i = 0; i < data.annotations->len; i++)
    {
      const Annotation *a = &g_array_index (data.annotations, Annotation, i);

      stmt = get_stmt (self, STMT_INSERT_ANN, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, a->id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, a->color < 0 ? 0 : a->color);
      sqlite3_bind_int64 (stmt, 4, a->position);
      bind_text (stmt, 5, a->exact);
      bind_text (stmt, 6, a->note ? a->note : "");
      if (!run (self, stmt, error))
        goto out;
    }

  ok = TRUE;

out:
  clip_data_clear (&data);
  return ok;
}

static gboolean
in_transaction (GlossIndexDb  *self,
                gboolean       update,
                const char   **ids,
                guint          n_ids,
                GError       **error)
{
  int dir_fd = -1;
  gboolean ok = TRUE;

  dir_fd = open (self->clips_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    {
      if (dir_fd >= 0)
        close (dir_fd);
      return FALSE;
    }

  for (guint i = 0; ok && i < n_ids; i++)
    {
      struct stat st;
      gboolean is_folder = FALSE;

      /* The folder's stamp before its files are read: a change while they
       * are read makes the next check look at it again. */
      if (dir_fd >= 0 && gloss_id_is_valid (ids[i]))
        is_folder = stat_folder (dir_fd, ids[i], &st);

      if (update && dir_fd >= 0)
        ok = index_one (self, dir_fd, ids[i], error);
      else
        ok = remove_one (self, ids[i], error);

      /* A folder dropped while it is still there is looked at again. */
      if (ok)
        ok = store_folder (self, ids[i], is_folder ? &st : NULL, !update, error);
    }

  if (dir_fd >= 0)
    close (dir_fd);

  if (!ok)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return exec (self, "COMMIT", error);
}

gboolean
gloss_index_db_update (GlossIndexDb  *self,
                       const char   **ids,
                       guint          n_ids,
                       GError       **error)
{
  return in_transaction (self, TRUE, ids, n_ids, error);
}

gboolean
gloss_index_db_remove (GlossIndexDb  *self,
                       const char   **ids,
                       guint          n_ids,
                       GError       **error)
{
  return in_transaction (self, FALSE, ids, n_ids, error);
}

static int
progress_cb (void *data)
{
  GlossIndexDb *self = data;

  return g_cancellable_is_cancelled (self->cancellable);
}

static void
bind_params (sqlite3_stmt *stmt,
             int           first,
             GPtrArray    *params)
{
  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      GVariant *value = g_ptr_array_index (params, i);

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        sqlite3_bind_text (stmt, first + i, g_variant_get_string (value, NULL), -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, first + i, g_variant_get_int64 (value));
    }
}

static const char * const content_columns[] = {
  "body", "quotes", "note", "title", "tags", "byline", "site", "url",
};

/* A piece of the article around the first match; else the first other
 * field that matches (a note, a highlight, the title…); else, for a query
 * without words, the excerpt or the start of the article. */
static char *
make_snippet (GlossIndexDb      *self,
              GlossHighlighter  *highlighter,
              gint64             rowid,
              const char        *excerpt,
              int               *match_offset,
              GError           **error)
{
  sqlite3_stmt *stmt;
  char *snippet = NULL;
  int rc;

  *match_offset = -1;
  if (highlighter == NULL && excerpt != NULL && *excerpt != '\0')
    return g_strdup (excerpt);

  stmt = get_stmt (self, STMT_CONTENT, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      for (guint i = 0; highlighter && snippet == NULL && i < G_N_ELEMENTS (content_columns); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          if (text == NULL || *text == '\0')
            continue;
          if (i == 0)
            {
              gsize first = 0;

              snippet = gloss_highlighter_snippet (highlighter, "body", text, SNIPPET_TOKENS, &first);
              if (snippet != NULL)
                *match_offset = g_utf8_pointer_to_offset (text, text + first);
            }
          else if (strlen (text) > 240)
            snippet = gloss_highlighter_snippet (highlighter, content_columns[i], text, SNIPPET_TOKENS, NULL);
          else
            snippet = gloss_highlighter_mark (highlighter, content_columns[i], text);
          if (snippet != NULL)
            g_strdelimit (snippet, "\n\t", ' ');
        }

      if (snippet == NULL && excerpt != NULL && *excerpt != '\0')
        snippet = g_strdup (excerpt);
      else if (snippet == NULL)
        {
          const char *body = (const char *) sqlite3_column_text (stmt, 0);

          if (body != NULL && g_utf8_strlen (body, 201) > 200)
            {
              g_autofree char *start = g_utf8_substring (body, 0, 200);

              snippet = g_strconcat (start, "…", NULL);
            }
          else
            snippet = g_strdup (body ? body : "");
          g_strdelimit (snippet, "\n\t", ' ');
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_free (snippet);
      sql_error (self, error, SQL_READ);
      return NULL;
    }
  return snippet ? snippet : g_strdup ("");
}

/* The clip's highlights whose quote or note holds a searched word. */
static GPtrArray *
matching_annotations (GlossIndexDb      *self,
                      GlossQuery        *query,
                      GlossHighlighter  *highlighter,
                      gint64             rowid,
                      GError           **error)
{
  g_autoptr(GPtrArray) annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) gloss_search_annotation_free);
  sqlite3_stmt *stmt;
  int rc;

  if (highlighter == NULL || gloss_query_get_annotation_match (query) == NULL)
    return g_steal_pointer (&annotations);

  stmt = get_stmt (self, STMT_ANNOTATIONS, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *quote = (const char *) sqlite3_column_text (stmt, 2);
      const char *note = (const char *) sqlite3_column_text (stmt, 3);
      g_autofree char *marked_quote = gloss_highlighter_mark (highlighter, "quotes", quote);
      g_autofree char *marked_note = gloss_highlighter_mark (highlighter, "note", note);

      if (marked_quote == NULL && marked_note == NULL)
        continue;
      g_ptr_array_add (annotations,
                       gloss_search_annotation_new ((const char *) sqlite3_column_text (stmt, 0),
                                                    sqlite3_column_int (stmt, 1),
                                                    marked_quote ? marked_quote : quote,
                                                    marked_note ? marked_note : note));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_error (self, error, SQL_READ);
      return NULL;
    }
  return g_steal_pointer (&annotations);
}

typedef struct
{
  gint64 rowid;
  double score;
} Hit;

static gboolean
find_hits (GlossIndexDb  *self,
           GlossQuery    *query,
           guint          limit,
           gint64         window,
           GArray        *hits,
           GError       **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *match = gloss_query_get_fts_match (query);
  GPtrArray *params = NULL;
  const char *filter = gloss_query_get_sql_filter (query, &params);
  GlossQuerySort sort = gloss_query_get_sort (query);
  sqlite3_stmt *stmt = NULL;
  int n = 1;
  int rc;

  /* First only the ids and ranks of the page, so that sorting thousands
   * of matches moves two numbers each; then the page's rows. Without a
   * filter or a date order, FTS5 sorts by rank on its own. */
  if (match != NULL && filter == NULL && sort == GLOSS_QUERY_SORT_RELEVANCE)
    g_string_append (sql,
                     "SELECT rowid, rank FROM clip_fts WHERE clip_fts MATCH ? AND rowid > ?"
                     " ORDER BY rank");
  else
    {
      if (match != NULL)
        g_string_append (sql,
                         "SELECT c.rowid, clip_fts.rank"
                         " FROM clip_fts CROSS JOIN clips c ON c.rowid = clip_fts.rowid"
                         " WHERE clip_fts MATCH ? AND clip_fts.rowid > ?");
      else
        g_string_append (sql, "SELECT c.rowid, 0.0 FROM clips c WHERE c.damaged = 0");
      if (filter != NULL)
        g_string_append_printf (sql, " AND %s", filter);

      if (sort == GLOSS_QUERY_SORT_OLDEST)
        g_string_append (sql, " ORDER BY c.created, c.rowid");
      else if (sort == GLOSS_QUERY_SORT_NEWEST || match == NULL)
        g_string_append (sql, " ORDER BY c.created DESC, c.rowid DESC");
      else
        g_string_append (sql, " ORDER BY clip_fts.rank, c.rowid");
    }
  g_string_append (sql, " LIMIT ?");

  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (self, error, SQL_SEARCH);
  if (match != NULL)
    {
      sqlite3_bind_text (stmt, n++, match, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, n++, window);
    }
  bind_params (stmt, n, params);
  n += params ? params->len : 0;
  sqlite3_bind_int64 (stmt, n, limit ? (gint64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Hit hit = { sqlite3_column_int64 (stmt, 0), match ? -sqlite3_column_double (stmt, 1) : 0.0 };

      g_array_append_val (hits, hit);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self, error, SQL_SEARCH);
  return TRUE;
}

typedef struct
{
  GlossIndexDb     *self;
  GlossHighlighter *highlighter;
} CountData;

/* How many clips hold a term, at most: the rarest of its words, a prefix
 * counting every word it starts. */
static gint64
term_doc_count (const char *text,
                gboolean    prefix,
                const char *column,
                gpointer    user_data)
{
  CountData *data = user_data;
  g_autoptr(GPtrArray) tokens = gloss_highlighter_tokenize (data->highlighter, text);
  gint64 count = tokens->len > 0 ? G_MAXINT64 : 0;

  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      gboolean is_prefix = prefix && i + 1 == tokens->len;
      sqlite3_stmt *stmt = get_stmt (data->self, is_prefix ? STMT_VOCAB_PREFIX : STMT_VOCAB_TERM, NULL);
      g_autofree char *end = NULL;
      gint64 n = G_MAXINT64;

      if (stmt == NULL)
        return G_MAXINT64;
      sqlite3_bind_text (stmt, 1, token, -1, SQLITE_STATIC);
      if (is_prefix)
        {
          end = g_strconcat (token, "\xf4\x8f\xbf\xbf", NULL);
          sqlite3_bind_text (stmt, 2, end, -1, SQLITE_STATIC);
        }
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      else
        n = 0;
      sqlite3_reset (stmt);
      count = MIN (count, n);
    }
  return count;
}

static gboolean
rowid_range (GlossIndexDb *self,
             gint64       *lo,
             gint64       *hi)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (self->db, "SELECT min(rowid), max(rowid) FROM clips", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      *lo = sqlite3_column_int64 (stmt, 0);
      *hi = sqlite3_column_int64 (stmt, 1);
      ok = TRUE;
    }
  sqlite3_finalize (stmt);
  return ok;
}

GPtrArray *
gloss_index_db_search (GlossIndexDb  *self,
                       GlossQuery    *query,
                       guint          limit,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  const char *match = gloss_query_get_fts_match (query);
  GlossQuerySort sort = gloss_query_get_sort (query);
  g_autoptr(GlossHighlighter) highlighter = NULL;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  gint64 window = 0;
  int rc;

  highlighter = gloss_highlighter_new (self->db, query);
  self->cancellable = cancellable;
  if (cancellable != NULL)
    sqlite3_progress_handler (self->db, 2000, progress_cb, self);

  /* Scoring every match of a word found in nearly every clip is what a
   * search spends its time on in a large library: past RANK_BOUND
   * matches, rank only the most recently indexed part of the library
   * that holds about that many, and widen to everything when that gives
   * less than a page. */
  if (match != NULL && sort == GLOSS_QUERY_SORT_RELEVANCE && highlighter != NULL && limit > 0)
    {
      CountData data = { self, highlighter };
      gint64 estimate = gloss_query_estimate_matches (query, term_doc_count, &data);

      if (estimate > self->rank_bound)
        {
          gint64 lo = 0, hi = 0;

          if (rowid_range (self, &lo, &hi))
            window = hi - (gint64) ((double) (hi - lo + 1) * self->rank_bound / estimate);
        }
    }

  ok = find_hits (self, query, limit, window, hits, error);
  if (ok && window > 0 && hits->len < limit)
    {
      g_array_set_size (hits, 0);
      ok = find_hits (self, query, limit, 0, hits, error);
    }

  for (guint i = 0; ok && i < hits->len; i++)
    {
      const Hit *hit = &g_array_index (hits, Hit, i);
      g_autofree char *snippet = NULL;
      g_autoptr(GPtrArray) annotations = NULL;
      int match_offset = -1;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      stmt = get_stmt (self, STMT_CLIP_ROW, error);
      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_int64 (stmt, 1, hit->rowid);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        continue;
      if (rc != SQLITE_ROW)
        {
          ok = sql_error (self, error, SQL_SEARCH);
          break;
        }

      snippet = make_snippet (self, highlighter, hit->rowid, (const char *) sqlite3_column_text (stmt, 5),
                              &match_offset, error);
      if (snippet != NULL)
        annotations = matching_annotations (self, query, highlighter, hit->rowid, error);
      if (annotations == NULL)
        {
          ok = FALSE;
          break;
        }

      g_ptr_array_add (results,
                       gloss_search_result_new ((const char *) sqlite3_column_text (stmt, 0),
                                                (const char *) sqlite3_column_text (stmt, 1),
                                                (const char *) sqlite3_column_text (stmt, 2),
                                                (const char *) sqlite3_column_text (stmt, 3),
                                                sqlite3_column_int64 (stmt, 4),
                                                hit->score,
                                                snippet,
                                                match_offset,
                                                annotations));
      sqlite3_reset (stmt);
    }
  if (self->stmts[STMT_CLIP_ROW] != NULL)
    sqlite3_reset (self->stmts[STMT_CLIP_ROW]);

  sqlite3_progress_handler (self->db, 0, NULL, NULL);
  self->cancellable = NULL;

  if (!ok)
    return NULL;
  return g_steal_pointer (&results);
}
