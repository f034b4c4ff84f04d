/* gloss-merge-check.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The start-up check for conflict copies, in the load's scan: a folder is
 * listed only when its change time says it may hold a new entry since it
 * was last listed clean (gloss-merge-check.h says why). */

#define G_LOG_DOMAIN "gloss-library"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/vfs.h>
#include <linux/magic.h>
#endif

#include "gloss-fs.h"
#include "gloss-merge.h"
#include "gloss-merge-check.h"

/* A folder's times are trusted when its last change is at least this much
 * older than the scan: far more than any clock tick of a file system that
 * keeps a change time. */
#define TRUST_MARGIN_USEC (2 * G_USEC_PER_SEC)

#define RECORD_MAGIC "GLSCHK02"

/* One folder listed without a copy. Native byte order: the record is a
 * cache of this machine, never synced. */
typedef struct
{
  guint64 ino;
  guint64 dev;
  gint64  ctime_ns;
  gint64  mtime_ns;
} Stamp;

/* The record is a hash table as it is used: n_slots (a power of two, at
 * least twice the records) stamps, empty ones with inode 0, each at the
 * slot its inode hashes to or the next free one. A lookup then costs a
 * miss of the processor's cache or two, where a binary search over
 * 10,000 stamps in the scan's order cost a dozen (7 ms a load, perf). */
typedef struct
{
  char    magic[8];
  guint32 record_size;
  guint32 n_slots;
} Header;

struct _GlossMergeCheck
{
  char    *record_path;
  gboolean trusted;         /* the file system keeps change times */
  gint64   trust_before_ns; /* folders changed later are not recorded */

  char        *old_data;    /* the record read at start, kept for lookups */
  const Stamp *old;         /* the table of slots */
  guint        n_old_slots; /* 0: no record */

  Stamp   *stamps;          /* per folder of the scan; ino 0: none */
  guint    n_folders;
  gint     n_listed;
};

static gint64 test_now_usec;

void
_gloss_merge_check_set_now (gint64 now_usec)
{
  test_now_usec = now_usec;
}

static guint
slot_of (const Stamp *stamp,
         guint        n_slots)
{
  guint64 h = (stamp->ino ^ (stamp->dev * G_GUINT64_CONSTANT (0x100000001b3))) *
              G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  return (guint) (h >> 32) & (n_slots - 1);
}

static const Stamp *
lookup (const Stamp *table,
        guint        n_slots,
        const Stamp *key)
{
  guint i = slot_of (key, n_slots);

  for (guint probes = 0; probes < n_slots; probes++, i = (i + 1) & (n_slots - 1))
    {
      if (table[i].ino == 0)
        return NULL;
      if (table[i].ino == key->ino && table[i].dev == key->dev)
        return &table[i];
    }
  return NULL;
}

static int
compare_stamps (const void *a,
                const void *b)
{
  const Stamp *x = a, *y = b;

  if (x->ino != y->ino)
    return x->ino < y->ino ? -1 : 1;
  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  return 0;
}

/* File systems that set a folder's change time on every change of its
 * entries and keep it: not FAT and friends (whose "ctime" is the time of
 * creation), nor network file systems whose times come from elsewhere. */
static gboolean
keeps_change_times (const char *path)
{
#ifdef __linux__
  struct statfs sfs;

  if (statfs (path, &sfs) != 0)
    return FALSE;

  switch ((unsigned long) sfs.f_type)
    {
    case EXT4_SUPER_MAGIC:   /* ext2, ext3 and ext4 */
    case BTRFS_SUPER_MAGIC:
    case XFS_SUPER_MAGIC:
    case TMPFS_MAGIC:
    case F2FS_SUPER_MAGIC:
    case 0x2fc12fc1UL:       /* ZFS */
    case 0xca451a4eUL:       /* bcachefs */
      return TRUE;
    default:
      return FALSE;
    }
#else
  return FALSE;
#endif
}

static char *
record_path_for (GFile *library_folder)
{
  g_autofree char *path = g_file_get_path (library_folder);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path ? path : "", -1);
  g_autofree char *name = NULL;

  hash[16] = '\0';
  name = g_strconcat ("conflict-check-", hash, NULL);
  return g_build_filename (g_get_user_cache_dir (), "gloss", name, NULL);
}

/* A record that is not exactly what this code writes (cut short, another
 * version, a table without a free slot) is no record: every folder is
 * listed. A stamp in a wrong slot is only not found. */
static void
read_record (GlossMergeCheck *self)
{
  g_autofree char *data = NULL;
  const Header *header;
  const Stamp *stamps;
  gsize length;
  guint n_used = 0;

  if (!g_file_get_contents (self->record_path, &data, &length, NULL))
    return;
  if (length < sizeof (Header))
    return;

  header = (const Header *) data;
  if (memcmp (header->magic, RECORD_MAGIC, sizeof header->magic) != 0 ||
      header->record_size != sizeof (Stamp) ||
      header->n_slots < 2 || (header->n_slots & (header->n_slots - 1)) != 0 ||
      (length - sizeof (Header)) % sizeof (Stamp) != 0 ||
      (length - sizeof (Header)) / sizeof (Stamp) != header->n_slots)
    return;

  /* g_file_get_contents()'s buffer is malloc'ed, so aligned for Stamp;
   * the header is 16 bytes. */
  stamps = (const Stamp *) (data + sizeof (Header));
  for (guint i = 0; i < header->n_slots; i++)
    n_used += stamps[i].ino != 0;
  if (n_used > header->n_slots / 2)
    return;

  self->n_old_slots = header->n_slots;
  self->old = stamps;
  self->old_data = g_steal_pointer (&data);
}

GlossMergeCheck *
gloss_merge_check_new (GFile      *library_folder,
                       const char *clips_path,
                       guint       n_folders)
{
  GlossMergeCheck *self;
  gint64 now = test_now_usec != 0 ? test_now_usec : g_get_real_time ();

  g_return_val_if_fail (G_IS_FILE (library_folder), NULL);
  g_return_val_if_fail (clips_path != NULL, NULL);

  self = g_new0 (GlossMergeCheck, 1);
  self->n_folders = n_folders;
  self->stamps = g_new0 (Stamp, MAX (n_folders, 1));
  self->trust_before_ns = (now - TRUST_MARGIN_USEC) * 1000;
  self->trusted = keeps_change_times (clips_path);
  self->record_path = record_path_for (library_folder);
  if (self->trusted)
    read_record (self);

  return self;
}

static gboolean
list_folder (GlossMergeCheck *self,
             int              dir_fd,
             const char      *path)
{
  g_atomic_int_inc (&self->n_listed);
  return gloss_merge_folder_fd_has_copies (dir_fd, path);
}

gboolean
gloss_merge_check_folder (GlossMergeCheck *self,
                          guint            index,
                          int              dir_fd,
                          const char      *path)
{
  const Stamp *known;
  struct stat st;
  Stamp stamp;
  gboolean has;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->n_folders, FALSE);
  g_return_val_if_fail (dir_fd >= 0, FALSE);

  /* The times are taken before the names are read: an entry made after
   * them changes the folder's change time past the one recorded. */
  if (!self->trusted || fstat (dir_fd, &st) != 0 || st.st_ino == 0)
    return list_folder (self, dir_fd, path);

  stamp.ino = st.st_ino;
  stamp.dev = st.st_dev;
  stamp.ctime_ns = (gint64) st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
  stamp.mtime_ns = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;

  known = self->n_old_slots > 0 ? lookup (self->old, self->n_old_slots, &stamp) : NULL;
  if (known != NULL && known->ctime_ns == stamp.ctime_ns && known->mtime_ns == stamp.mtime_ns)
    {
      self->stamps[index] = stamp;
      return FALSE;
    }

  has = list_folder (self, dir_fd, path);
  if (!has && stamp.ctime_ns < self->trust_before_ns)
    self->stamps[index] = stamp;
  return has;
}

void
gloss_merge_check_save (GlossMergeCheck *self)
{
  g_autoptr(GByteArray) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = NULL;
  g_autofree Stamp *table = NULL;
  Header header = { RECORD_MAGIC, sizeof (Stamp), 16 };
  Stamp *stamps;
  guint n = 0;

  g_return_if_fail (self != NULL);

  if (!self->trusted)
    return;

  /* In place: the per-folder slots are not needed any more. Sorted, so
   * that the same folders always give the same table. */
  stamps = self->stamps;
  for (guint i = 0; i < self->n_folders; i++)
    if (self->stamps[i].ino != 0)
      stamps[n++] = self->stamps[i];
  qsort (stamps, n, sizeof (Stamp), compare_stamps);

  while (header.n_slots < 2 * n)
    header.n_slots *= 2;
  table = g_new0 (Stamp, header.n_slots);
  for (guint i = 0; i < n; i++)
    {
      guint slot = slot_of (&stamps[i], header.n_slots);

      while (table[slot].ino != 0)
        slot = (slot + 1) & (header.n_slots - 1);
      table[slot] = stamps[i];
    }

  if (header.n_slots == self->n_old_slots &&
      memcmp (table, self->old, header.n_slots * sizeof (Stamp)) == 0)
    return;

  data = g_byte_array_sized_new (sizeof header + header.n_slots * sizeof (Stamp));
  g_byte_array_append (data, (const guint8 *) &header, sizeof header);
  g_byte_array_append (data, (const guint8 *) table, header.n_slots * sizeof (Stamp));

  parent = g_path_get_dirname (self->record_path);
  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      int saved_errno = errno;

      g_debug ("Could not create “%s”: %s", parent, g_strerror (saved_errno));
      return;
    }

  /* A cache: never half written, not worth a flush to disk; lost, it
   * costs one slower start. */
  if (!gloss_fs_write_cache (self->record_path, data->data, data->len, &error))
    g_debug ("Could not keep the record of folders without conflict copies: %s", error->message);
}

gboolean
gloss_merge_check_is_trusted (GlossMergeCheck *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->trusted;
}

guint
gloss_merge_check_get_n_listed (GlossMergeCheck *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) g_atomic_int_get (&self->n_listed);
}

void
gloss_merge_check_free (GlossMergeCheck *self)
{
  if (self == NULL)
    return;

  g_free (self->record_path);
  g_free (self->old_data);
  g_free (self->stamps);
  g_free (self);
}
