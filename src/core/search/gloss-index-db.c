/* gloss-index-db.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The search index's SQLite file: schema, opening (and rebuilding), and
 * indexing one clip from its files. Its siblings: the start-up check of
 * which clips changed (gloss-index-db-check.c) and running a parsed query
 * (gloss-index-db-search.c), sharing internals through
 * gloss-index-db-private.h. Reads clip.json with the library's one
 * reader (gloss-clip-file.h) rather than through GlossClip, so that it
 * can run on the worker thread without touching the library's objects,
 * which belong to the main thread.
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
 *                clips/ folder when its listing was last read; a random
 *                number for this file (instance) and the generation of
 *                the folders table (folders_gen), a new random number at
 *                every change to it
 * Beside the file, <file>-folders is a copy of the folders table for the
 * start-up check to read in one go (gloss-index-db-folders.c). */

#define G_LOG_DOMAIN "gloss-index"

#include "config.h"

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
#include "gloss-index-db-private.h"
#include "gloss-search-text.h"

/* Title, tags, quotes and notes count more than the body text. */
#define RANK_FUNCTION "bm25(10.0, 2.0, 3.0, 1.0, 8.0, 5.0, 5.0, 0.5, 1.0)"
#define TOKENIZE "tokenize = 'unicode61 remove_diacritics 2'"
/* See gloss_index_db_search(). */
#define RANK_BOUND 10000

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
  /* A random generation, not a count: a commit lost in a crash (the index
   * is not synced at each) could otherwise come back as the same count
   * with another table, and a copy made before the crash would pass. */
  [STMT_BUMP_FOLDERS] = "INSERT INTO meta (key, value) VALUES ('folders_gen', random())"
                        " ON CONFLICT (key) DO UPDATE SET value = random()",
};

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

gboolean
_gloss_index_db_sql_error (GlossIndexDb  *self,
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

gboolean
_gloss_index_db_exec (GlossIndexDb  *self,
                      const char    *sql,
                      GError       **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _gloss_index_db_sql_error (self, error, SQL_UPDATE);
  return TRUE;
}

sqlite3_stmt *
_gloss_index_db_get_stmt (GlossIndexDb  *self,
                          Stmt           which,
                          GError       **error)
{
  if (self->stmts[which] == NULL &&
      sqlite3_prepare_v3 (self->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                          &self->stmts[which], NULL) != SQLITE_OK)
    {
      _gloss_index_db_sql_error (self, error, SQL_READ);
      return NULL;
    }
  sqlite3_reset (self->stmts[which]);
  sqlite3_clear_bindings (self->stmts[which]);
  return self->stmts[which];
}

/* Steps a statement that returns no rows. */
gboolean
_gloss_index_db_run (GlossIndexDb  *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _gloss_index_db_sql_error (self, error, SQL_UPDATE);
  return TRUE;
}

static void
remove_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal", "-folders", "-folders.tmp" };

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
  {
    /* The WAL and its index stay when the last connection closes (kept
     * at most 4 MiB by journal_size_limit below): otherwise every
     * `gloss --search` deletes both and the next makes them anew, and
     * making a file costs more than the rest of opening the index. */
    int persist = 1;

    sqlite3_file_control (self->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  }

  /* A file of garbage fails here with SQLITE_NOTADB. */
  if (sqlite3_exec (self->db,
                    "PRAGMA journal_mode = WAL;"
                    "PRAGMA synchronous = NORMAL;"
                    "PRAGMA cache_size = -32768;"
                    "PRAGMA temp_store = MEMORY;"
                    "PRAGMA journal_size_limit = 4194304;",
                    NULL, NULL, NULL) != SQLITE_OK)
    return _gloss_index_db_sql_error (self, error, SQL_READ);
  if (query_int (self, "PRAGMA user_version", &version) != SQLITE_OK)
    return _gloss_index_db_sql_error (self, error, SQL_READ);

  if (version == 0)
    {
      if (query_int (self, "SELECT count(*) FROM sqlite_master", &n) != SQLITE_OK)
        return _gloss_index_db_sql_error (self, error, SQL_READ);
      if (n != 0)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED, _("The search index %s is not ours"), self->path);
          return FALSE;
        }
      if (!_gloss_index_db_exec (self, "BEGIN", error) ||
          !_gloss_index_db_exec (self, schema_sql, error))
        return FALSE;
      if (sqlite3_prepare_v2 (self->db, "INSERT INTO meta (key, value) VALUES ('library', ?)",
                              -1, &stmt, NULL) != SQLITE_OK)
        return _gloss_index_db_sql_error (self, error, SQL_CREATE);
      sqlite3_bind_text (stmt, 1, self->clips_path, -1, SQLITE_STATIC);
      n = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (n != SQLITE_DONE)
        return _gloss_index_db_sql_error (self, error, SQL_CREATE);
      if (!_gloss_index_db_ensure_instance (self, error) ||
          !_gloss_index_db_exec (self, "PRAGMA user_version = " G_STRINGIFY (GLOSS_INDEX_SCHEMA_VERSION) "; COMMIT", error))
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
    return _gloss_index_db_sql_error (self, error, SQL_READ);
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
    return _gloss_index_db_sql_error (self, error, SQL_READ);
  if (n != 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("The search index %s was not finished when it was last built"), self->path);
      return FALSE;
    }

  /* Touch every table, so that a file damaged past its header is found
   * now rather than at the first search. */
  if (query_int (self, "SELECT rowid FROM clips LIMIT 1", &n) != SQLITE_OK ||
      query_int (self, "SELECT rowid FROM annotations LIMIT 1", &n) != SQLITE_OK ||
      query_int (self, "SELECT rowid FROM clip_fts WHERE clip_fts MATCH '\"gloss\"' LIMIT 1", &n) != SQLITE_OK)
    return _gloss_index_db_sql_error (self, error, SQL_READ);

  /* Files made before copies of the folders table were. */
  return _gloss_index_db_ensure_instance (self, error);
}

/* Per connection: how many clips hold a word, to estimate a query's
 * matches before ranking them. */
static gboolean
create_vocab (GlossIndexDb  *self,
              GError       **error)
{
  return _gloss_index_db_exec (self, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.clip_vocab"
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
  self->copy_generation = -1;
  if (g_getenv ("GLOSS_INDEX_RANK_BOUND") != NULL)
    self->rank_bound = MAX (1, g_ascii_strtoll (g_getenv ("GLOSS_INDEX_RANK_BOUND"), NULL, 10));
  _gloss_index_db_check_init ();

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
  return _gloss_index_db_exec (self, "INSERT OR REPLACE INTO meta (key, value) VALUES ('bulk', '1');"
                     "PRAGMA wal_checkpoint(FULL);"
                     "PRAGMA synchronous = OFF;"
                     "PRAGMA wal_autocheckpoint = 20000;", error);
}

gboolean
gloss_index_db_end_bulk (GlossIndexDb  *self,
                         GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  /* A build leaves the full-text index in a score of segments, and
   * every search, and the check that opening the index makes, looks a
   * word up in each of them: merged into one, that look-up costs a
   * quarter (1.7 ms against 0.4 ms on 10,000 clips) for a few seconds
   * more at the end of a build that took a minute.
   * The merge writes the merged copy beside the segments before it drops
   * them, so it needs as much room again: where there is none (SQLITE_FULL,
   * the statement undone), the build is kept in its segments, which answer
   * the same. Failing the build instead would leave the marker, and every
   * start would throw the build away and fail again. */
  if (!_gloss_index_db_exec (self, "INSERT INTO clip_fts (clip_fts) VALUES ('optimize')", &local_error))
    {
      if (self->corrupt)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Not merging the full-text index: %s", local_error->message);
    }

  /* A checkpoint in NORMAL mode syncs the WAL, then the database: after
   * it, the whole build and the marker's removal are on disk. */
  return _gloss_index_db_exec (self, "PRAGMA synchronous = NORMAL;"
                     "PRAGMA wal_autocheckpoint = 1000;"
                     "DELETE FROM meta WHERE key = 'bulk';"
                     "PRAGMA wal_checkpoint(TRUNCATE);", error);
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
  if (!_gloss_index_db_stat_clip (dir_fd, id, &data->stamp))
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

  /* Words on either side of a <br> or a block edge are one word in
   * article.txt: article.html says where they part. */
  if (data->body != NULL)
    {
      g_autofree char *html = NULL;
      char *marked;

      /* Missing, a link or unreadable: the text stays as it is. */
      gloss_fs_read (folder_path, "article.html", G_MAXSIZE / 2, &html, NULL, NULL);
      marked = gloss_search_text_new (data->body, html);
      g_free (data->body);
      data->body = marked;
    }

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
      sqlite3_stmt *stmt = _gloss_index_db_get_stmt (self, stmts[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      if (!_gloss_index_db_run (self, stmt, error))
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
  sqlite3_stmt *stmt = _gloss_index_db_get_stmt (self, STMT_FIND_ROWID, error);
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
      _gloss_index_db_sql_error (self, error, SQL_READ);
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

  stmt = _gloss_index_db_get_stmt (self, STMT_INSERT_CLIP, error);
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
  if (!_gloss_index_db_run (self, stmt, error))
    goto out;
  rowid = sqlite3_last_insert_rowid (self->db);

  if (data.damaged)
    {
      ok = TRUE;
      goto out;
    }

  stmt = _gloss_index_db_get_stmt (self, STMT_INSERT_FTS, error);
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
  if (!_gloss_index_db_run (self, stmt, error))
    goto out;

  for (guint i = 0; i < data.tags->len; i++)
    {
      g_autofree char *folded = gloss_query_fold (data.tags->pdata[i]);

      if (folded == NULL || *folded == '\0')
        continue;
      stmt = _gloss_index_db_get_stmt (self, STMT_INSERT_TAG, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, folded, -1, SQLITE_STATIC);
      if (!_gloss_index_db_run (self, stmt, error))
        goto out;
    }

  for (guint i = 0; i < data.annotations->len; i++)
    {
      const Annotation *a = &g_array_index (data.annotations, Annotation, i);

      stmt = _gloss_index_db_get_stmt (self, STMT_INSERT_ANN, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, a->id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, a->color < 0 ? 0 : a->color);
      sqlite3_bind_int64 (stmt, 4, a->position);
      bind_text (stmt, 5, a->exact);
      bind_text (stmt, 6, a->note ? a->note : "");
      if (!_gloss_index_db_run (self, stmt, error))
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

  if (!_gloss_index_db_exec (self, "BEGIN IMMEDIATE", error))
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
        is_folder = _gloss_index_db_stat_folder (dir_fd, ids[i], &st);

      if (update && dir_fd >= 0)
        ok = index_one (self, dir_fd, ids[i], error);
      else
        ok = remove_one (self, ids[i], error);

      /* A folder dropped while it is still there is looked at again. */
      if (ok)
        ok = _gloss_index_db_store_folder (self, ids[i], is_folder ? &st : NULL, !update, error);
    }

  if (dir_fd >= 0)
    close (dir_fd);

  if (!ok || !_gloss_index_db_exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
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
