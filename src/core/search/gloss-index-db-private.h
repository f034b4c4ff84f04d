/* gloss-index-db-private.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the siblings gloss-index-db.c (the file, indexing a clip),
 * gloss-index-db-check.c (which clips changed) and gloss-index-db-search.c
 * (running a query) share of the index's SQLite side. */

#pragma once

#include <sqlite3.h>
#include <sys/stat.h>

#include "gloss-index-db.h"

G_BEGIN_DECLS

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
  STMT_BUMP_FOLDERS,
  N_STMTS
} Stmt;

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
  /* The generation of the folders table that the copy beside the index
   * was last read or written at; -1 for none. */
  gint64        copy_generation;
};

/* What a clip was indexed from: its clip.json and article.txt. */
typedef struct
{
  gint64 json_size;
  gint64 json_mtime;
  gint64 text_size;
  gint64 text_mtime;
} Stamp;

/* A clip folder's stamp, as the start-up check stores it: changed when
 * any of inode, mtime and ctime did; racy when it was taken too soon
 * after a change to be sure of (gloss-index-db-check.c). */
typedef struct
{
  gint64   ino;
  gint64   mtime;
  gint64   ctime;
  gboolean racy;
} FolderStamp;

/* A row of the folders table. */
typedef struct
{
  const char  *name;
  FolderStamp  stamp;
} FolderRecord;

typedef struct _FoldersCopy FoldersCopy;

/* What failed, each with a whole sentence of its own for translators. */
typedef enum
{
  SQL_READ,
  SQL_UPDATE,
  SQL_CREATE,
  SQL_SEARCH,
} SqlAction;


/* gloss-index-db.c */
/* Sets @error from SQLite's last error for @what; FALSE, always. Marks
 * the index corrupt when SQLite says so. */
gboolean      _gloss_index_db_sql_error   (GlossIndexDb       *self,
                                           GError            **error,
                                           SqlAction           what);
gboolean      _gloss_index_db_exec        (GlossIndexDb       *self,
                                           const char         *sql,
                                           GError            **error);
/* The statement @which, prepared once, reset and with no bindings. */
sqlite3_stmt *_gloss_index_db_get_stmt    (GlossIndexDb       *self,
                                           Stmt                which,
                                           GError            **error);
/* Steps a statement that returns no rows. */
gboolean      _gloss_index_db_run         (GlossIndexDb       *self,
                                           sqlite3_stmt       *stmt,
                                           GError            **error);

/* gloss-index-db-check.c */
/* A block of @size bytes for the start-up check, zeroed, in huge pages
 * where the kernel gives them; NULL when out of memory. */
void         *_gloss_index_db_map_block   (gsize               size);
void          _gloss_index_db_unmap_block (void               *block,
                                           gsize               size);
/* Reads the check's knobs from the environment (an index being opened). */
void          _gloss_index_db_check_init  (void);
/* FALSE when there is no clip.json in @id: not a clip, or an unfinished
 * one. */
gboolean      _gloss_index_db_stat_clip   (int                 dir_fd,
                                           const char         *id,
                                           Stamp              *stamp);
/* FALSE when @name is not a folder (any more). */
gboolean      _gloss_index_db_stat_folder (int                 dir_fd,
                                           const char         *name,
                                           struct stat        *st);
/* After a folder was (re)indexed or dropped: remembers its stamp as
 * taken before it was read (@st; NULL when it is no folder any more),
 * or, with @look_again, that the next check has to index it whatever its
 * stamp. */
gboolean      _gloss_index_db_store_folder (GlossIndexDb      *self,
                                            const char        *name,
                                            const struct stat *st,
                                            gboolean           look_again,
                                            GError           **error);

/* gloss-index-db-folders.c: the folders table's copy beside the index. */
/* The copy beside the index file @index_path, whole and undamaged; NULL
 * when there is none such. Needs no open index. */
FoldersCopy  *_gloss_folders_copy_read           (const char    *index_path);
/* Whether @copy is of the table as it is now (and then remembers its
 * generation as the one read). */
gboolean      _gloss_index_db_copy_is_current    (GlossIndexDb  *self,
                                                  FoldersCopy   *copy);
guint         _gloss_folders_copy_get_n_records  (FoldersCopy   *copy);
/* The record at *@offset (0 for the first), the offset moved past it;
 * FALSE past the last. @record's name points into @copy. */
gboolean      _gloss_folders_copy_next           (FoldersCopy   *copy,
                                                  gsize         *offset,
                                                  FolderRecord  *record);
void          _gloss_folders_copy_free           (FoldersCopy   *copy);
/* In the transaction that changes the folders table or the stamp of
 * clips/: one more generation, so that no copy of before is used. */
gboolean      _gloss_index_db_bump_folders       (GlossIndexDb  *self,
                                                  GError       **error);
/* Gives an index file that has none the random number that tells its
 * copies from those of a file made before it at the same path. */
gboolean      _gloss_index_db_ensure_instance    (GlossIndexDb  *self,
                                                  GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoldersCopy, _gloss_folders_copy_free)

G_END_DECLS
