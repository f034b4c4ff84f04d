/* gloss-index-db-check.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Which clips changed since they were indexed: the start-up check of the
 * search index (gloss_index_db_plan() and gloss_index_db_finish_sync()),
 * by the stamps of the clip folders and of clips/, with racy folders
 * looked at file by file until they settle. Why that sees every change is
 * explained below. */

#define G_LOG_DOMAIN "gloss-index"

#ifndef _GNU_SOURCE
# define _GNU_SOURCE 1 /* statx() */
#endif

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-index-db-private.h"

/* See "the start-up check" below. GLOSS_INDEX_RACY_SECONDS, a knob for
 * tests as GLOSS_INDEX_RANK_BOUND is, sets it when an index is opened. */
#define RACY_SECONDS 2
static gint64 racy_seconds = RACY_SECONDS;

void
_gloss_index_db_check_init (void)
{
  if (g_getenv ("GLOSS_INDEX_RACY_SECONDS") != NULL)
    racy_seconds = MAX (0, g_ascii_strtoll (g_getenv ("GLOSS_INDEX_RACY_SECONDS"), NULL, 10));
}

/* Fresh memory is what the check's reading costs most in a virtual
 * machine: each 4 KiB page touched the first time cost 15 µs here, so
 * the 630 KB copy of a 10,000-clip table took 2.5 ms to read into
 * memory, and 0.3 ms into a 2 MiB huge page. The check's big blocks
 * (the copy, the folders being looked at) are therefore mapped aligned to
 * 2 MiB and offered to the kernel for huge pages; where it takes none,
 * the block is ordinary memory, filled in one call. A small block (a
 * small library) is ordinary memory from the start: a huge page costs
 * 80 µs to clear, as much as 64 KiB of small pages. */
#define HUGE_PAGE_SIZE ((gsize) 2 * 1024 * 1024)
#define SMALL_BLOCK_SIZE ((gsize) 64 * 1024)

#ifndef MADV_POPULATE_WRITE
# define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels refuse it */
#endif

static gsize
block_size_for (gsize size)
{
  gsize unit = size <= SMALL_BLOCK_SIZE ? (gsize) sysconf (_SC_PAGESIZE) : HUGE_PAGE_SIZE;

  return (size + unit - 1) & ~(unit - 1);
}

void *
_gloss_index_db_map_block (gsize size)
{
  gsize rounded = block_size_for (size);
  char *mapped;
  char *start;

  g_return_val_if_fail (size > 0, NULL);

  if (size <= SMALL_BLOCK_SIZE)
    {
      mapped = mmap (NULL, rounded, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
      return mapped != MAP_FAILED ? mapped : NULL;
    }

  /* One huge page more than asked for, to align the block in. */
  mapped = mmap (NULL, rounded + HUGE_PAGE_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED)
    return NULL;
  start = (char *) (((guintptr) mapped + HUGE_PAGE_SIZE - 1) & ~(guintptr) (HUGE_PAGE_SIZE - 1));
  if (start > mapped)
    munmap (mapped, start - mapped);
  munmap (start + rounded, (mapped + rounded + HUGE_PAGE_SIZE) - (start + rounded));

  /* Both are hints: a kernel without them leaves page faults to fill
   * the block. */
  madvise (start, rounded, MADV_HUGEPAGE);
  madvise (start, size, MADV_POPULATE_WRITE);
  return start;
}

void
_gloss_index_db_unmap_block (void  *block,
                             gsize  size)
{
  if (block != NULL)
    munmap (block, block_size_for (size));
}

static gint64
mtime_ns (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

/* FALSE when there is no clip.json: not a clip, or an unfinished one. */
gboolean
_gloss_index_db_stat_clip (int         dir_fd,
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
gboolean
_gloss_index_db_stat_folder (int          dir_fd,
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
  sqlite3_stmt *stmt = _gloss_index_db_get_stmt (self, STMT_STORE_FOLDER, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, stamp->ino);
  sqlite3_bind_int64 (stmt, 3, stamp->mtime);
  sqlite3_bind_int64 (stmt, 4, stamp->ctime);
  sqlite3_bind_int (stmt, 5, stamp->racy);
  return _gloss_index_db_run (self, stmt, error) && _gloss_index_db_bump_folders (self, error);
}

/* After a folder was (re)indexed or dropped: remembers its stamp as
 * taken before it was read (@st; NULL when it is no folder any more),
 * or, with @look_again, that the next check has to index it whatever its
 * stamp. */
gboolean
_gloss_index_db_store_folder (GlossIndexDb       *self,
                              const char         *name,
                              const struct stat  *st,
                              gboolean            look_again,
                              GError            **error)
{
  FolderStamp stamp;
  sqlite3_stmt *stmt;

  if (st == NULL)
    {
      if (!(stmt = _gloss_index_db_get_stmt (self, STMT_FORGET_FOLDER, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      return _gloss_index_db_run (self, stmt, error) && _gloss_index_db_bump_folders (self, error);
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
  gboolean has_clip = _gloss_index_db_stat_clip (dir_fd, id, &now);
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
  gboolean has_clip = _gloss_index_db_stat_clip (dir_fd, id, &now);

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
  Folder *folders;
  guint   len;
} Chunk;

typedef struct
{
  int        dir_fd;
  GMutex     mutex;
  GCond      cond;
  GArray    *chunks;       /* of Chunk */
  guint      n_taken;
  gboolean   done;
  Chunk      filling;      /* the reader's; not yet in @chunks */
  guint      filling_size;
  /* Where the folders are kept: first a block for as many as the reader
   * said to expect (_gloss_index_db_map_block()), then chunks of their
   * own. */
  Folder    *block;
  gsize      block_size;   /* in folders */
  gsize      block_used;
  GPtrArray *allocated;
  GThread   *threads[3];
  guint      n_threads;
} FolderCheck;

#define CHECK_CHUNK 256

/* Whether statx() is refused here (an old kernel, or a seccomp filter
 * that does not know it): then fstatat() from the first refusal on. */
static gint no_statx;

/* The stamp of the folder @name in @dir_fd (racy unset); FALSE when it
 * is not a folder (any more). */
static gboolean
stat_folder (int          dir_fd,
             const char  *name,
             FolderStamp *stamp)
{
  struct stat st;

  if (!g_atomic_int_get (&no_statx))
    {
      struct statx stx;

      /* statx() asked for these fields alone costs a tenth less than
       * fstatat(), in what is nearly all the check's time. */
      if (statx (dir_fd, name, AT_NO_AUTOMOUNT, STATX_TYPE | STATX_INO | STATX_MTIME | STATX_CTIME, &stx) == 0)
        {
          if (!S_ISDIR (stx.stx_mode))
            return FALSE;
          stamp->ino = (gint64) stx.stx_ino;
          stamp->mtime = (gint64) stx.stx_mtime.tv_sec * G_GINT64_CONSTANT (1000000000) + stx.stx_mtime.tv_nsec;
          stamp->ctime = (gint64) stx.stx_ctime.tv_sec * G_GINT64_CONSTANT (1000000000) + stx.stx_ctime.tv_nsec;
          return TRUE;
        }
      if (errno != ENOSYS && errno != EPERM)
        return FALSE;
      g_atomic_int_set (&no_statx, TRUE);
    }

  if (!_gloss_index_db_stat_folder (dir_fd, name, &st))
    return FALSE;
  stamp->ino = (gint64) st.st_ino;
  stamp->mtime = mtime_ns (&st);
  stamp->ctime = ctime_ns (&st);
  return TRUE;
}

static gboolean
take_chunk (FolderCheck *check,
            Chunk       *chunk)
{
  gboolean taken = FALSE;

  g_mutex_lock (&check->mutex);
  while (check->n_taken == check->chunks->len && !check->done)
    g_cond_wait (&check->cond, &check->mutex);
  if (check->n_taken < check->chunks->len)
    {
      *chunk = g_array_index (check->chunks, Chunk, check->n_taken++);
      taken = TRUE;
    }
  g_mutex_unlock (&check->mutex);

  return taken;
}

static gpointer
check_folders_worker (gpointer data)
{
  FolderCheck *check = data;
  Chunk chunk;

  while (take_chunk (check, &chunk))
    for (guint i = 0; i < chunk.len; i++)
      {
        Folder *folder = &chunk.folders[i];

        if (!stat_folder (check->dir_fd, folder->name, &folder->now))
          {
            folder->state = FOLDER_GONE;
            continue;
          }

        if (folder->state == FOLDER_NEW)
          ;
        else if (!same_stamp (&folder->stored, &folder->now))
          folder->state = FOLDER_CHANGED;
        else if (folder->stored.racy)
          folder->state = FOLDER_RACY;
      }

  return NULL;
}

/* @expected: how many folders the reader has to hand over, when it
 * knows (0 otherwise). */
static void
check_begin (FolderCheck *check,
             int          dir_fd,
             gsize        expected)
{
  memset (check, 0, sizeof *check);
  check->dir_fd = dir_fd;
  g_mutex_init (&check->mutex);
  g_cond_init (&check->cond);
  check->chunks = g_array_new (FALSE, FALSE, sizeof (Chunk));
  check->allocated = g_ptr_array_new_with_free_func (g_free);

  if (expected > 0)
    {
      check->block = _gloss_index_db_map_block (expected * sizeof (Folder));
      if (check->block != NULL)
        check->block_size = expected;
    }

  check->n_threads = MIN (g_get_num_processors (), G_N_ELEMENTS (check->threads) + 1) - 1;
  for (guint i = 0; i < check->n_threads; i++)
    check->threads[i] = g_thread_new ("gloss-index-check", check_folders_worker, check);
}

static void
check_hand_over (FolderCheck *check,
                 gboolean     last)
{
  g_mutex_lock (&check->mutex);
  if (check->filling.len > 0)
    g_array_append_val (check->chunks, check->filling);
  check->done = last;
  g_cond_broadcast (&check->cond);
  g_mutex_unlock (&check->mutex);

  check->filling.folders = NULL;
  check->filling.len = 0;
}

static void
check_add (FolderCheck  *check,
           const Folder *folder)
{
  if (check->filling.folders == NULL)
    {
      gsize room = check->block_size - check->block_used;

      if (room > 0)
        {
          check->filling.folders = check->block + check->block_used;
          check->filling_size = MIN (room, CHECK_CHUNK);
          check->block_used += check->filling_size;
        }
      else
        {
          check->filling.folders = g_new (Folder, CHECK_CHUNK);
          check->filling_size = CHECK_CHUNK;
          g_ptr_array_add (check->allocated, check->filling.folders);
        }
    }

  check->filling.folders[check->filling.len++] = *folder;
  if (check->filling.len == check->filling_size)
    check_hand_over (check, FALSE);
}

static void
check_join (FolderCheck *check)
{
  for (guint i = 0; i < check->n_threads; i++)
    g_thread_join (check->threads[i]);
  check->n_threads = 0;
}

/* Every folder handed over is checked when this returns. */
static void
check_end (FolderCheck *check)
{
  check_hand_over (check, TRUE);
  check_folders_worker (check);
  check_join (check);
}

/* Frees @check; a check not ended is stopped first, without the folders
 * the workers have not taken yet (nobody will read them). */
static void
check_clear (FolderCheck *check)
{
  if (check->chunks == NULL)
    return;
  if (check->n_threads > 0)
    {
      g_mutex_lock (&check->mutex);
      check->n_taken = check->chunks->len;
      check->done = TRUE;
      g_cond_broadcast (&check->cond);
      g_mutex_unlock (&check->mutex);
      check_join (check);
    }
  g_clear_pointer (&check->chunks, g_array_unref);
  g_clear_pointer (&check->allocated, g_ptr_array_unref);
  _gloss_index_db_unmap_block (check->block, check->block_size * sizeof (Folder));
  check->block = NULL;
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

/* Hands the folders of @copy, with their stored stamps, to @check. */
static void
add_copy_folders (FolderCheck *check,
                  FoldersCopy *copy)
{
  FolderRecord record;
  gsize offset = 0;

  while (_gloss_folders_copy_next (copy, &offset, &record))
    {
      Folder folder = { 0, };

      folder.name = record.name;
      folder.stored = record.stamp;
      folder.state = FOLDER_SAME;
      folder.known = TRUE;
      check_add (check, &folder);
    }
}

/* Hands the folders the table holds, with their stored stamps, to
 * @check, and adds their names to @known when there is one. */
static gboolean
add_table_folders (GlossIndexDb  *self,
                   FolderCheck   *check,
                   GStringChunk  *names,
                   GHashTable    *known,
                   GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT name, ino, mtime, ctime, racy FROM folders",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _gloss_index_db_sql_error (self, error, SQL_READ);
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
    return _gloss_index_db_sql_error (self, error, SQL_READ);
  return TRUE;
}

/* Hands the folders in the listing of clips/ that are not in @known to
 * @check, as FOLDER_NEW. */
static gboolean
add_listed_folders (GlossIndexDb  *self,
                    int            dir_fd,
                    FolderCheck   *check,
                    GStringChunk  *names,
                    GHashTable    *known,
                    GError       **error)
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
  return TRUE;
}

/* --- starting before the index is open ------------------------------------
 *
 * The check's stats need only the copy of the folders table and clips/,
 * not the index: gloss_index_db_check_start() starts them while the index
 * is still being opened (a tenth of the time of `gloss --search`), and
 * gloss_index_db_plan() uses them when the copy turns out to be of the
 * table as it is now, else drops them and does as it would have. */

/* clips/ opened for the stats, with its own stat (which says whether the
 * check started before the index was open looked at the same folder);
 * -1 when it cannot be. */
static int
open_clips (const char  *clips_path,
            struct stat *st)
{
  int dir_fd = open (clips_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (dir_fd >= 0 && fstat (dir_fd, st) != 0)
    {
      close (dir_fd);
      dir_fd = -1;
    }
  return dir_fd;
}

struct _GlossIndexDbCheck
{
  FoldersCopy *copy;
  FolderCheck  check;     /* begun when @copy is set */
  int          dir_fd;
  struct stat  clips_st;  /* of @dir_fd: the same clips/ as the plan's? */
};

GlossIndexDbCheck *
gloss_index_db_check_start (const char *index_path,
                            const char *clips_path)
{
  GlossIndexDbCheck *started = g_new0 (GlossIndexDbCheck, 1);

  g_return_val_if_fail (index_path != NULL && clips_path != NULL, started);

  started->dir_fd = -1;
  started->copy = _gloss_folders_copy_read (index_path);
  if (started->copy == NULL)
    return started;

  started->dir_fd = open_clips (clips_path, &started->clips_st);
  if (started->dir_fd < 0)
    {
      g_clear_pointer (&started->copy, _gloss_folders_copy_free);
      return started;
    }

  check_begin (&started->check, started->dir_fd, _gloss_folders_copy_get_n_records (started->copy));
  add_copy_folders (&started->check, started->copy);
  return started;
}

void
gloss_index_db_check_free (GlossIndexDbCheck *started)
{
  if (started == NULL)
    return;
  check_clear (&started->check);
  if (started->dir_fd >= 0)
    close (started->dir_fd);
  g_clear_pointer (&started->copy, _gloss_folders_copy_free);
  g_free (started);
}

gboolean
gloss_index_db_plan (GlossIndexDb       *self,
                     GlossIndexDbCheck  *started,
                     GPtrArray         **changed,
                     GPtrArray         **removed,
                     GError            **error)
{
  g_autoptr(GPtrArray) to_update = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) to_remove = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) pending_update = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_autoptr(GStringChunk) names = g_string_chunk_new (16384);
  g_autoptr(GHashTable) clip_stamps = NULL;
  g_autoptr(GHashTable) known = NULL;
  FolderCheck own_check;
  FolderCheck *check = &own_check;
  g_autofree char *stored_clips_stamp = NULL;
  g_autofree char *clips_stamp = NULL;
  struct stat clips_st;
  gboolean listing;
  int dir_fd;

  g_clear_pointer (&self->clips_stamp, g_free);
  g_clear_pointer (&self->settled, g_ptr_array_unref);
  self->copy_generation = -1;
  memset (&own_check, 0, sizeof own_check);

  dir_fd = open_clips (self->clips_path, &clips_st);

  if (dir_fd < 0)
    {
      sqlite3_stmt *stmt = NULL;
      int rc;

      /* A library without a clips folder (yet, or any more) has no
       * clips: drop whatever the index holds. */
      if (sqlite3_prepare_v2 (self->db, "SELECT id FROM clips UNION SELECT name FROM folders",
                              -1, &stmt, NULL) != SQLITE_OK)
        return _gloss_index_db_sql_error (self, error, SQL_READ);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (to_remove, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        return _gloss_index_db_sql_error (self, error, SQL_READ);
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

  if (listing)
    known = g_hash_table_new (g_str_hash, g_str_equal);

  if (started != NULL && started->copy != NULL &&
      started->clips_st.st_dev == clips_st.st_dev && started->clips_st.st_ino == clips_st.st_ino &&
      _gloss_index_db_copy_is_current (self, started->copy))
    {
      FolderRecord record;
      gsize offset = 0;

      /* The folders the index knows are being looked at already. */
      check = &started->check;
      while (known != NULL && _gloss_folders_copy_next (started->copy, &offset, &record))
        g_hash_table_add (known, (gpointer) record.name);
    }
  else
    {
      /* Not a copy of the table as it is now: the stats started from it
       * are of no use. */
      if (started != NULL)
        check_clear (&started->check);
      check_begin (check, dir_fd, 0);
      if (!add_table_folders (self, check, names, known, error))
        {
          check_clear (check);
          close (dir_fd);
          return FALSE;
        }
    }
  if (listing && !add_listed_folders (self, dir_fd, check, names, known, error))
    {
      check_clear (check);
      close (dir_fd);
      return FALSE;
    }
  check_end (check);

  for (guint c = 0; c < check->chunks->len; c++)
    {
      Chunk *chunk = &g_array_index (check->chunks, Chunk, c);

      for (guint i = 0; i < chunk->len; i++)
        {
          Folder *folder = &chunk->folders[i];

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
  check_clear (check);
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

static gboolean
store_clips_stamp (GlossIndexDb  *self,
                   const char    *stamp,
                   GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('clips_stamp', ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _gloss_index_db_sql_error (self, error, SQL_UPDATE);
  sqlite3_bind_text (stmt, 1, stamp, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _gloss_index_db_sql_error (self, error, SQL_UPDATE);
  return TRUE;
}

gboolean
gloss_index_db_finish_sync (GlossIndexDb  *self,
                            GError       **error)
{
  g_autofree char *stamp = g_steal_pointer (&self->clips_stamp);
  g_autoptr(GPtrArray) settled = g_steal_pointer (&self->settled);
  int dir_fd;

  /* Racy folders that did not change and are old enough now: their
   * stamp, taken again, is final. */
  if (settled != NULL &&
      (dir_fd = open (self->clips_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
    {
      gboolean ok = _gloss_index_db_exec (self, "BEGIN IMMEDIATE", error);

      for (guint i = 0; ok && i < settled->len; i++)
        {
          struct stat st;

          /* Changed since the check: it stays racy, and the next check
           * sees its new stamp. */
          if (_gloss_index_db_stat_folder (dir_fd, settled->pdata[i], &st))
            ok = _gloss_index_db_store_folder (self, settled->pdata[i], &st, FALSE, error);
        }
      close (dir_fd);
      if (!ok || !_gloss_index_db_exec (self, "COMMIT", error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  if (stamp != NULL)
    {
      if (!_gloss_index_db_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!store_clips_stamp (self, stamp, error) || !_gloss_index_db_bump_folders (self, error) ||
          !_gloss_index_db_exec (self, "COMMIT", error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  /* For the next check, when this one found the table changed. */
  gloss_index_db_copy_folders (self);
  return TRUE;
}
