/* gloss-library.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-clip.h"
#include "gloss-lock.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_LIBRARY (gloss_library_get_type ())

/* The library folder (FORMAT.md). A GListModel of GlossClip, newest first,
 * damaged clips included (gloss_clip_get_damage() != NULL), unfinished
 * folders left out. Signals "clip-added", "clip-changed", "clip-removed"
 * (each with the GlossClip) tell the search index what to redo. */
G_DECLARE_FINAL_TYPE (GlossLibrary, gloss_library, GLOSS, LIBRARY, GObject)

/* FORMAT.md "Where the library lives": @command_line (--library), else
 * $GLOSS_LIBRARY, else @setting when not empty, else
 * $XDG_DATA_HOME/gloss/library. */
GFile        *gloss_library_resolve_folder   (const char           *command_line,
                                              const char           *setting);

GlossLibrary *gloss_library_new              (GFile                *folder);
GFile        *gloss_library_get_folder       (GlossLibrary         *self);
/* <folder>/clips. Created by the first write (gloss_library_add), never
 * by reading: --list and --verify must leave the library untouched. */
GFile        *gloss_library_get_clips_folder (GlossLibrary         *self);

/* Reads every clip off the main thread; the model fills when done. */
void          gloss_library_load_async       (GlossLibrary         *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean      gloss_library_load_finish      (GlossLibrary         *self,
                                              GAsyncResult         *result,
                                              GError              **error);
/* The same, blocking: for the command line and tests. */
gboolean      gloss_library_load             (GlossLibrary         *self,
                                              GCancellable         *cancellable,
                                              GError              **error);
gboolean      gloss_library_get_loaded       (GlossLibrary         *self);

/* Watches the folder for changes made by someone else (a sync tool, a text
 * editor) and reloads just the clips that changed. */
void          gloss_library_set_monitoring   (GlossLibrary         *self,
                                              gboolean              monitoring);

/* Merges sync tools' conflict copies (FORMAT.md "Several machines") when
 * loading, and when one appears while monitoring: what the app does. The
 * command line's readers (--list, --export-…) leave the library as it is. */
void          gloss_library_set_merging      (GlossLibrary         *self,
                                              gboolean              merging);

GlossClip    *gloss_library_lookup           (GlossLibrary         *self,
                                              const char           *clip_id);
/* The clip saved from @url (compared after dropping the fragment), or NULL. */
GlossClip    *gloss_library_find_by_url      (GlossLibrary         *self,
                                              const char           *url);

/* Writes a new clip through GlossClipWriter (FORMAT.md order; a folder
 * of its id that has no clip.json yet, such as one with assets/ put in
 * place, is written into) and adds it to the model. */
gboolean      gloss_library_add              (GlossLibrary         *self,
                                              GlossClip            *clip,
                                              const char           *article_html,
                                              const char           *article_text,
                                              GError              **error);
/* Adds to the model a new clip a GlossClipWriter committed with
 * gloss_clip_writer_set_add_later(). */
void          gloss_library_add_written      (GlossLibrary         *self,
                                              GlossClip            *clip);
/* Saves a changed clip (clip.json, under its lock, with what another
 * writer saved meanwhile folded in) and tells the listeners. */
gboolean      gloss_library_save             (GlossLibrary         *self,
                                              GlossClip            *clip,
                                              GError              **error);
/* A clip of this library was written by someone else than
 * gloss_library_save() (GlossClipSaver): tell the lists and the index. */
void          gloss_library_clip_saved       (GlossLibrary         *self,
                                              GlossClip            *clip);
/* For a change that must be decided and saved as one step (an import
 * that adds an annotation unless it is there): takes the clip's lock
 * across processes and folds in what other writers saved since; then
 * gloss_library_save_locked() writes, and freeing the lock lets the next
 * writer in. NULL with @error for a clip that cannot be read. */
GlossLock    *gloss_library_lock_clip        (GlossLibrary         *self,
                                              GlossClip            *clip,
                                              GError              **error);
gboolean      gloss_library_save_locked      (GlossLibrary         *self,
                                              GlossClip            *clip,
                                              GError              **error);
/* Moves the clip's folder to the desktop trash, or <library>/.trash/ where
 * there is none, and removes it from the model. gloss_library_restore()
 * puts it back (Undo). */
gboolean      gloss_library_delete           (GlossLibrary         *self,
                                              GlossClip            *clip,
                                              GError              **error);
gboolean      gloss_library_restore          (GlossLibrary         *self,
                                              const char           *clip_id,
                                              GError              **error);

/* Every tag used in the library, sorted, for completion. */
GStrv         gloss_library_dup_all_tags     (GlossLibrary         *self);

G_END_DECLS
