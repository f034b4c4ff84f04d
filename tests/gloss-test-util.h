/* gloss-test-util.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* g_test_init(), then a fresh temporary home for this test process:
 * XDG_DATA_HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME and GLOSS_LIBRARY all
 * point inside it, so that no test touches a real home folder. Removed at
 * exit unless GLOSS_TEST_KEEP is set. */
void   gloss_test_init              (int          *argc,
                                     char       ***argv);
/* The temporary root made by gloss_test_init(). */
const char *gloss_test_get_root     (void);
/* A new empty folder under the root, e.g. a library of its own. */
char  *gloss_test_make_dir          (const char   *name);
/* Writes @contents (NUL-terminated) to @dir/@name, creating folders. */
void   gloss_test_write_file        (const char   *dir,
                                     const char   *name,
                                     const char   *contents);
char  *gloss_test_read_file         (const char   *path);
/* Writes @text into the file @path in place, as `cat > file` does: no
 * rename, so the folder it is in keeps its stamp; waits for the file
 * system's clock to tick so that the file gets another mtime. */
void   gloss_test_write_in_place    (const char   *path,
                                     const char   *text);
void   gloss_test_remove_tree       (const char   *path);
/* A file from tests/ in the source tree (GLOSS_SOURCE_DIR). */
char  *gloss_test_source_path       (const char   *relative);

G_END_DECLS
