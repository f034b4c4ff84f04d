/* gloss-library-private.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the siblings of GlossLibrary share, one file per job as Text
 * Editor splits a class: gloss-library.c (the object, lookups, writes),
 * gloss-library-model.c (the GListModel and its order),
 * gloss-library-load.c (reading the folder on threads),
 * gloss-library-trash.c (delete and restore), gloss-library-watch.c
 * (changes made by others). Also the folder scan shared with --list and
 * --verify, which must read exactly what the app reads without ever
 * writing. */

#pragma once

#include "gloss-clip-private.h"
#include "gloss-library.h"

G_BEGIN_DECLS

struct _GlossLibrary
{
  GObject       parent_instance;

  GFile        *folder;
  GFile        *clips_folder;
  GPtrArray    *clips;
  GHashTable   *by_id;
  /* "Is this page clipped" in one hash lookup (gloss-library-model.c):
   * the key of "the same page" (gloss_url_match_key) → a clip saved from
   * it, → the other clips of that page when there are (rare), and each
   * clip → its key (the string by_url_key owns). */
  GHashTable   *by_url_key;
  GHashTable   *url_key_more;
  GHashTable   *url_key_of;

  GFileMonitor *library_monitor;   /* for clips/ appearing */
  GFileMonitor *clips_monitor;
  GHashTable   *folder_monitors;   /* id → GFileMonitor, without inotify */
  /* One inotify watch per clip folder costs about a hundred bytes, where
   * a GFileMonitor costs two kilobytes and a main-loop source: with
   * 10,000 clips that is 1 MB instead of 20. GFileMonitor stays for the
   * two folders above, and for every folder where there is no inotify. */
  int           inotify_fd;
  guint         inotify_source;
  GHashTable   *wd_to_id;          /* watch descriptor → id */
  GHashTable   *id_to_wd;          /* id → watch descriptor */
  GHashTable   *pending;           /* ids to reload */
  guint         reload_source;

  /* Where this session's fallback deletes went, for restore. */
  GHashTable   *trashed;           /* id → GFile */

  /* Clip folders the last load's conflict-copy check listed. */
  guint         n_folders_listed;

  guint         loaded : 1;
  guint         monitoring : 1;
  guint         merging : 1;       /* conflict copies (gloss-merge.h) */
};

enum {
  GLOSS_LIBRARY_CLIP_ADDED,
  GLOSS_LIBRARY_CLIP_CHANGED,
  GLOSS_LIBRARY_CLIP_REMOVED,
  GLOSS_LIBRARY_COPIES_MERGED,
  GLOSS_LIBRARY_N_SIGNALS
};

extern guint _gloss_library_signals[GLOSS_LIBRARY_N_SIGNALS];

/* gloss-library.c */
void       _gloss_library_notify_loaded      (GlossLibrary *self);

/* gloss-library-model.c: the model changes on the main thread only. */
void       _gloss_library_list_model_init    (GListModelInterface *iface);
void       _gloss_library_set_clips          (GlossLibrary *self,
                                              GPtrArray    *clips);
void       _gloss_library_insert_clip        (GlossLibrary *self,
                                              GlossClip    *clip);
void       _gloss_library_remove_clip        (GlossLibrary *self,
                                              GlossClip    *clip);
/* After a clip changed: moves it if its date did, tells the list to
 * redraw its row, and tells the listeners. */
void       _gloss_library_clip_changed       (GlossLibrary *self,
                                              GlossClip    *clip);

/* The key gloss_library_find_by_url() files @url under: the one rule
 * for "the same page" (gloss_url_match_key), or for an address that rule
 * does not take (not http, https or file) the address itself, exactly;
 * NULL for none. */
char      *_gloss_library_url_key            (const char   *url);
/* The clip of the page of @key: the one saved under @url exactly, else
 * the newest; damaged clips are not any page's. */
GlossClip *_gloss_library_find_by_url_key    (GlossLibrary *self,
                                              const char   *key,
                                              const char   *url);
/* Works out those keys on the loading thread, for _gloss_library_set_clips()
 * to take instead of spending ~13 ms per 10,000 clips on the main loop. */
void       _gloss_library_prepare_url_keys   (GPtrArray    *clips);

/* gloss-library-load.c */
/* Whether @name inside @clips_path is a clip folder: a folder, never a
 * link to one (which may lead out of the library). */
gboolean   _gloss_library_is_clip_folder     (const char   *clips_path,
                                              const char   *name);
/* Adds the clips that others (another process) made since the library
 * was read, so that "is there a clip of this address" sees them. */
void       _gloss_library_add_new_from_disk  (GlossLibrary *self);

/* gloss-library-trash.c */
/* Moves @file into @trash, a folder of the library's own trash
 * (<library>/.trash/, made if needed), as @name, or @name.N with the
 * first N not taken: nothing there is ever overwritten, and the highest
 * N is the latest (what Undo restores). Used for clips where there is no
 * desktop trash, and for the conflict copies a merge leaves. Returns
 * where it went, or NULL with @error set. */
GFile     *_gloss_library_move_to_own_trash  (GFile        *trash,
                                              GFile        *file,
                                              const char   *name,
                                              GError      **error);

/* gloss-library-watch.c */
void       _gloss_library_watch_folder       (GlossLibrary *self,
                                              const char   *id);
void       _gloss_library_unwatch_folder     (GlossLibrary *self,
                                              const char   *id);

/* Every clip in @clips_folder in summary mode, damaged ones as stand-ins,
 * unfinished folders, links and names that are not ids left out; newest
 * first. Loads on several threads. A missing folder is an empty library. */
GPtrArray *gloss_library_scan_clips (GFile         *clips_folder,
                                     GCancellable  *cancellable,
                                     GError       **error);
/* Called by gloss_library_for_each_folder() for the folder at @index in
 * the caller's list, on one of its threads. */
typedef void (*GlossFolderFunc) (guint    index,
                                 gpointer user_data);
/* Calls @func for each index below @n_folders, on several threads, and
 * returns when every call has returned: the one rule for working through
 * clip folders, shared by loading, --verify and --merge-conflicts. Under
 * @n_alone folders it all runs on the calling thread, where threads would
 * cost more than they save. No folder is started once @cancellable is
 * cancelled. */
void       gloss_library_for_each_folder (guint            n_folders,
                                          guint            n_alone,
                                          const char      *thread_name,
                                          GCancellable    *cancellable,
                                          GlossFolderFunc  func,
                                          gpointer         user_data);
/* Newest first, then by id: the library's order. */
int        gloss_library_compare    (gconstpointer  a,
                                     gconstpointer  b);

G_END_DECLS
