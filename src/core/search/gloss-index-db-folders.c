/* gloss-index-db-folders.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A copy of the index's folders table in a file of its own beside the
 * index (<index>-folders), for the start-up check (gloss-index-db-check.c)
 * to read in one go.
 *
 * Reading 10,000 rows of the table through SQLite costs as much as a
 * third of the stats the check makes; the copy is one read() and a loop.
 * It is only ever a copy: the table stays what the index trusts. Every
 * change to the table, and to the stamp of clips/ stored with it, gives
 * the generation kept in the meta table a new random value in the same
 * transaction,
 * and the copy says which generation (and which index file, by a random
 * number the file got when it was made) it was copied from; a copy that
 * is not of the table as it is now, or whose checksum is wrong, is not
 * used. It is written after a sync that saw the table change, so the
 * window's edits (which change the table without a sync) make the next
 * check read the table once and copy it again. */

#define G_LOG_DOMAIN "gloss-index"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gloss-fs.h"
#include "gloss-id.h"
#include "gloss-index-db-private.h"

/* The layout, integers little-endian:
 *   "GLOSSFL1"  magic
 *   u64         the index file's instance (meta "instance")
 *   i64         the generation copied (meta "folders_gen")
 *   u32         the number of folders
 *   then for each folder:
 *     u8        the length of its name (a clip id, so less than 256)
 *     bytes     the name, then a NUL
 *     i64 × 3   inode, mtime and ctime in nanoseconds
 *     u8        racy
 *   u64         checksum of all the bytes before it */
#define MAGIC "GLOSSFL1"
#define HEADER_SIZE (8 + 8 + 8 + 4)
#define RECORD_FIXED (1 + 1 + 3 * 8 + 1)
/* Far more than any library: a larger file is not ours. */
#define MAX_SIZE (64 * 1024 * 1024)

struct _FoldersCopy
{
  /* The file, in memory mapped for it: the records are read where they
   * are. */
  const char *data;
  gsize       size;
  guint32     n_records;
  /* What it says it is a copy of. */
  guint64     instance;
  gint64      generation;
};

static guint64
checksum (const guchar *data,
          gsize         length)
{
  /* FNV-1a, eight bytes a step: this guards against a damaged file, not
   * against someone who can write to the cache folder anyway. */
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  gsize i = 0;

  for (; i + 8 <= length; i += 8)
    {
      guint64 word;

      memcpy (&word, data + i, 8);
      hash = (hash ^ word) * G_GUINT64_CONSTANT (0x100000001b3);
      hash ^= hash >> 29;
    }
  for (; i < length; i++)
    hash = (hash ^ data[i]) * G_GUINT64_CONSTANT (0x100000001b3);
  return hash;
}

static guint64
get_u64 (const char *p)
{
  guint64 value;

  memcpy (&value, p, 8);
  return GUINT64_FROM_LE (value);
}

static void
put_u64 (GByteArray *out,
         guint64     value)
{
  guint64 le = GUINT64_TO_LE (value);

  g_byte_array_append (out, (const guint8 *) &le, 8);
}

static char *
copy_path_for (const char *index_path)
{
  return g_strconcat (index_path, "-folders", NULL);
}

/* The index file's instance and the table's generation; FALSE when the
 * file has no instance yet. */
static gboolean
read_generation (GlossIndexDb *self,
                 guint64      *instance,
                 gint64       *generation)
{
  sqlite3_stmt *stmt = NULL;
  gboolean has_instance = FALSE;

  *instance = 0;
  *generation = 0;
  if (sqlite3_prepare_v2 (self->db, "SELECT key, value FROM meta WHERE key IN ('instance', 'folders_gen')",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      if (key == NULL || value == NULL)
        continue;
      if (g_str_equal (key, "instance"))
        has_instance = g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT64, instance, NULL);
      else
        *generation = g_ascii_strtoll (value, NULL, 10);
    }
  sqlite3_finalize (stmt);
  return has_instance;
}

gboolean
_gloss_index_db_bump_folders (GlossIndexDb  *self,
                              GError       **error)
{
  sqlite3_stmt *stmt = _gloss_index_db_get_stmt (self, STMT_BUMP_FOLDERS, error);

  return stmt != NULL && _gloss_index_db_run (self, stmt, error);
}

gboolean
_gloss_index_db_ensure_instance (GlossIndexDb  *self,
                                 GError       **error)
{
  g_autofree char *value = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 instance;
  gint64 generation;
  int rc;

  if (read_generation (self, &instance, &generation))
    return TRUE;

  /* Not 0, which reads as "none". */
  instance = ((guint64) g_random_int () << 32 | g_random_int ()) | 1;
  value = g_strdup_printf ("%" G_GUINT64_FORMAT, instance);
  if (sqlite3_prepare_v2 (self->db, "INSERT OR IGNORE INTO meta (key, value) VALUES ('instance', ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _gloss_index_db_sql_error (self, error, SQL_UPDATE);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _gloss_index_db_sql_error (self, error, SQL_UPDATE);
  return TRUE;
}

void
_gloss_folders_copy_free (FoldersCopy *copy)
{
  if (copy == NULL)
    return;
  _gloss_index_db_unmap_block ((void *) copy->data, copy->size);
  g_free (copy);
}

guint
_gloss_folders_copy_get_n_records (FoldersCopy *copy)
{
  return copy->n_records;
}

/* Reads the record at *@offset (0 for the first) into @record, and moves
 * the offset past it; FALSE past the last. The copy was checked whole
 * when it was read. */
gboolean
_gloss_folders_copy_next (FoldersCopy  *copy,
                          gsize        *offset,
                          FolderRecord *record)
{
  const char *p = copy->data + HEADER_SIZE + *offset;
  guint8 length;

  if (p >= copy->data + copy->size - 8)
    return FALSE;
  length = (guint8) *p++;
  record->name = p;
  p += length + 1;
  record->stamp.ino = (gint64) get_u64 (p);
  record->stamp.mtime = (gint64) get_u64 (p + 8);
  record->stamp.ctime = (gint64) get_u64 (p + 16);
  record->stamp.racy = p[24] != 0;
  *offset += 1 + length + 1 + 25;
  return TRUE;
}

static gboolean
read_all (int    fd,
          void  *data,
          gsize  size)
{
  gsize done = 0;

  while (done < size)
    {
      gssize n = read (fd, (char *) data + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += n;
    }
  return TRUE;
}

/* Whether @data is a whole copy of a folders table, every record whole
 * and named by a clip id (names go to fstatat() relative to clips/). */
static gboolean
is_valid (const char *data,
          gsize       size,
          guint32    *n_records)
{
  const char *p = data + HEADER_SIZE;
  const char *end;
  guint32 n;

  if (size < HEADER_SIZE + 8 || memcmp (data, MAGIC, 8) != 0)
    return FALSE;
  end = data + size - 8;
  if (get_u64 (end) != checksum ((const guchar *) data, size - 8))
    return FALSE;

  memcpy (&n, data + 24, 4);
  n = GUINT32_FROM_LE (n);
  for (guint32 i = 0; i < n; i++)
    {
      guint8 length;

      if (end - p < RECORD_FIXED)
        return FALSE;
      length = (guint8) *p++;
      if (end - p < (gssize) length + RECORD_FIXED - 1 || p[length] != '\0' || !gloss_id_is_valid (p))
        return FALSE;
      p += length + 1 + 25;
    }
  *n_records = n;
  return p == end;
}

FoldersCopy *
_gloss_folders_copy_read (const char *index_path)
{
  g_autofree char *path = copy_path_for (index_path);
  FoldersCopy *copy;
  guint32 n_records = 0;
  struct stat st;
  void *data;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size < HEADER_SIZE + 8 || st.st_size > MAX_SIZE)
    {
      close (fd);
      return NULL;
    }
  /* Read into a block of the check's (see _gloss_index_db_map_block()).
   * Not the file mapped: another program that truncated it would make
   * reading the mapping a crash. */
  data = _gloss_index_db_map_block (st.st_size);
  if (data == NULL)
    {
      close (fd);
      return NULL;
    }
  if (!read_all (fd, data, st.st_size))
    {
      close (fd);
      _gloss_index_db_unmap_block (data, st.st_size);
      return NULL;
    }
  close (fd);

  if (!is_valid (data, st.st_size, &n_records))
    {
      g_debug ("Not using %s: it is damaged", path);
      _gloss_index_db_unmap_block (data, st.st_size);
      return NULL;
    }

  copy = g_new0 (FoldersCopy, 1);
  copy->data = data;
  copy->size = st.st_size;
  copy->n_records = n_records;
  copy->instance = get_u64 (copy->data + 8);
  copy->generation = (gint64) get_u64 (copy->data + 16);
  return copy;
}

gboolean
_gloss_index_db_copy_is_current (GlossIndexDb *self,
                                 FoldersCopy  *copy)
{
  guint64 instance;
  gint64 generation;

  if (!read_generation (self, &instance, &generation) ||
      copy->instance != instance || copy->generation != generation)
    {
      g_debug ("Not using the copy of the folders table: the table changed since");
      return FALSE;
    }
  self->copy_generation = generation;
  return TRUE;
}

void
gloss_index_db_copy_folders (GlossIndexDb *self)
{
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 instance;
  gint64 generation;
  guint32 n = 0;
  guint32 n_le;
  int rc;

  /* The rows and the generation they are, read in one transaction. */
  if (sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return;
  if (!read_generation (self, &instance, &generation) || generation == self->copy_generation ||
      sqlite3_prepare_v2 (self->db, "SELECT name, ino, mtime, ctime, racy FROM folders",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
      return;
    }

  out = g_byte_array_sized_new (4096);
  g_byte_array_append (out, (const guint8 *) MAGIC, 8);
  put_u64 (out, instance);
  put_u64 (out, (guint64) generation);
  g_byte_array_append (out, (const guint8 *) &n, 4);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      gsize length = name ? strlen (name) : 0;
      guint8 length8 = (guint8) length;
      guint8 racy = sqlite3_column_int (stmt, 4) != 0;

      /* Never in the table (clip ids are short); a copy without it
       * would be wrong, so there is none. */
      if (length == 0 || length > G_MAXUINT8)
        {
          rc = SQLITE_ERROR;
          break;
        }
      g_byte_array_append (out, &length8, 1);
      g_byte_array_append (out, (const guint8 *) name, length + 1);
      put_u64 (out, (guint64) sqlite3_column_int64 (stmt, 1));
      put_u64 (out, (guint64) sqlite3_column_int64 (stmt, 2));
      put_u64 (out, (guint64) sqlite3_column_int64 (stmt, 3));
      g_byte_array_append (out, &racy, 1);
      n++;
    }
  sqlite3_finalize (stmt);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_DONE)
    return;

  n_le = GUINT32_TO_LE (n);
  memcpy (out->data + 24, &n_le, 4);
  put_u64 (out, checksum (out->data, out->len));

  path = copy_path_for (self->path);
  if (!gloss_fs_write_cache (path, out->data, out->len, &error))
    {
      g_debug ("Could not write %s: %s", path, error->message);
      return;
    }
  self->copy_generation = generation;
}
