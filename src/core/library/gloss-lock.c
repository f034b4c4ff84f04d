/* gloss-lock.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Cross-process locks for the writers of a library (gloss-lock.h). */

#define G_LOG_DOMAIN "gloss-lock"

/* F_OFD_SETLKW */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE 1
#endif

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "gloss-lock.h"

struct _GlossLock
{
  int   fd;
  off_t offset;
};

/* Each key locks one byte; two keys on one byte only wait for each
 * other, which is harmless. */
static off_t
key_offset (const char *key)
{
  guint64 h = G_GUINT64_CONSTANT (1469598103934665603);

  for (const char *p = key; *p; p++)
    h = (h ^ (guchar) *p) * G_GUINT64_CONSTANT (1099511628211);

  return (off_t) (h % (G_GUINT64_CONSTANT (1) << 30));
}

GlossLock *
gloss_lock_acquire (const char *library_path,
                    const char *key)
{
  g_autofree char *path = NULL;
  GlossLock *lock;
  struct flock fl;
  int fd;

  g_return_val_if_fail (library_path != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  lock = g_new0 (GlossLock, 1);
  lock->fd = -1;

  path = g_build_filename (library_path, GLOSS_LOCK_FILE_NAME, NULL);
  /* An open file description of its own for every lock: OFD locks then
   * exclude each other between threads of one process too. */
  do
    fd = open (path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    {
      g_debug ("No lock file %s: %s", path, g_strerror (errno));
      return lock;
    }

  memset (&fl, 0, sizeof fl);
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = key_offset (key);
  fl.l_len = 1;

#ifdef F_OFD_SETLKW
  while (fcntl (fd, F_OFD_SETLKW, &fl) != 0)
#else
  /* Process-wide locks: enough between processes, not between threads. */
  while (fcntl (fd, F_SETLKW, &fl) != 0)
#endif
    {
      if (errno == EINTR)
        continue;
      g_debug ("Could not lock %s: %s", path, g_strerror (errno));
      close (fd);
      return lock;
    }

  lock->fd = fd;
  lock->offset = fl.l_start;
  return lock;
}

GlossLock *
gloss_lock_acquire_clip (const char *library_path,
                         const char *clip_id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (library_path != NULL, NULL);
  g_return_val_if_fail (clip_id != NULL, NULL);

  key = g_strconcat ("clip:", clip_id, NULL);
  return gloss_lock_acquire (library_path, key);
}

void
gloss_lock_release (GlossLock *lock)
{
  if (lock == NULL)
    return;

  /* Closing the last descriptor of the description drops its locks. */
  if (lock->fd >= 0)
    close (lock->fd);
  g_free (lock);
}
