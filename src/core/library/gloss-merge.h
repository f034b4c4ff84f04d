/* gloss-merge.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* --- the merge (FORMAT.md "Several machines") --------------------------- */

/* Reads one version of a clip.json through the clip reader, so that a
 * version the app would call damaged (or a newer format, which is
 * read-only) is never merged: NULL with the reader's GError. When
 * @expected_id is not NULL, a clip with another id is refused. The object
 * returned is the clip as the app would write it, unknown members kept. */
JsonObject *gloss_merge_read            (const char   *data,
                                         gsize         length,
                                         const char   *expected_id,
                                         GError      **error);

/* Merges two versions of one clip (same id). The result does not depend on
 * the order of @a and @b, merging it again with either changes nothing,
 * and it is written by gloss_merge_to_data() with the same bytes on every
 * machine. When @lost is not NULL it is set to the texts that lost (see
 * below), or NULL when none did. Returns NULL when the ids differ. */
JsonObject *gloss_merge_clips           (JsonObject   *a,
                                         JsonObject   *b,
                                         JsonObject  **lost);
/* The same for git: @base (NULL when the file is new on both sides) tells
 * which side changed what, so that a deletion or edit made by a version
 * that did not keep "removed" or "changed" is not undone, and a text
 * "lost" only when both sides changed it. */
JsonObject *gloss_merge_clips3          (JsonObject   *base,
                                         JsonObject   *ours,
                                         JsonObject   *theirs,
                                         JsonObject  **lost);

/* clip.json's bytes as every Gloss writes them: two-space indent, a final
 * newline. */
char       *gloss_merge_to_data         (JsonObject   *clip,
                                         gsize        *length);

/* Compares two FORMAT.md times as instants (fractions of a second of any
 * length): <0, 0, >0. An invalid time is earlier than every valid one. */
int         gloss_merge_compare_times   (const char   *a,
                                         const char   *b);
/* Now, or when now is not later than @time (a clock that went back, or
 * the same second), the whole second after @time. */
char       *gloss_merge_time_after      (const char   *time);

/* --- texts that lost ------------------------------------------------------
 *
 * A lost-texts object names what a merge kept out of clip.json because the
 * other machine's change won:
 *
 *   { "title": { "text": …, "against": TIME },
 *     "note":  { "text": …, "against": TIME },
 *     "annotations": { ID: { "note": …, "against": TIME } } }
 *
 * "against" is the winning text's `changed` time (for an annotation, its
 * `modified`): the notice stands while the clip still holds that text, and
 * goes by itself once the person changes it. These notices are kept per
 * machine, beside the search index's cache ($XDG_STATE_HOME/gloss/merged),
 * not in clip.json: see README "Keeping a library on several machines". */

/* Adds @lost to what is remembered for the clip (a later notice for the
 * same text replaces an earlier one). */
gboolean    gloss_merge_lost_remember   (GFile        *library_folder,
                                         const char   *clip_id,
                                         JsonObject   *lost,
                                         GError      **error);
/* What is remembered for the clip and still stands against @clip (its
 * clip.json object), or NULL. */
JsonObject *gloss_merge_lost_lookup     (GFile        *library_folder,
                                         const char   *clip_id,
                                         JsonObject   *clip);
/* Forgets one notice: @key "title", "note" or an annotation id. */
gboolean    gloss_merge_lost_dismiss    (GFile        *library_folder,
                                         const char   *clip_id,
                                         const char   *key,
                                         GError      **error);

/* --- sync tools' files ------------------------------------------------- */

typedef enum
{
  GLOSS_SYNC_TOOL_NONE,
  GLOSS_SYNC_TOOL_SYNCTHING,
  GLOSS_SYNC_TOOL_NEXTCLOUD,  /* and ownCloud */
  GLOSS_SYNC_TOOL_DROPBOX,
} GlossSyncTool;

/* Whether @name is a sync tool's conflict copy of a clip's clip.json,
 * article.html, article.txt or article.md; @original (may be NULL) is set
 * to that file's name, a static string. */
GlossSyncTool gloss_merge_conflict_copy_of (const char  *name,
                                            const char **original);
/* Whether @name is a sync tool's own file or folder (.stfolder,
 * .stversions, .syncthing.*.tmp, ~syncthing~*.tmp, .sync_*.db*, .~lock.*,
 * .dropbox*): never listed, indexed or reported as damaged. */
gboolean    gloss_merge_is_sync_file    (const char   *name);
/* Whether a clip folder holds a conflict copy: one read of the folder. */
gboolean    gloss_merge_folder_has_copies (GFile      *clip_folder);
/* The same through a descriptor of the folder just opened (by the
 * library's scan, which reads clip.json through it next): one system call
 * more than reading the clip, none to open or close. @path is for systems
 * without getdents64. */
gboolean    gloss_merge_folder_fd_has_copies (int         dir_fd,
                                              const char *path);

typedef struct
{
  char      *clip_id;
  /* The copies' names, sorted, each merged (or, for an article, kept
   * aside) and moved to the trash. */
  GPtrArray *merged;
  /* Copies left in place, with the reason, e.g. a damaged copy. */
  GPtrArray *left;
  /* What lost, or NULL. */
  JsonObject *lost;
  gboolean   changed;      /* clip.json was rewritten */
  /* After copies of the article: the annotations that no longer anchor in
   * the article kept (orphans, kept and listed). */
  guint      n_orphans;
} GlossMergeReport;

void        gloss_merge_report_free     (GlossMergeReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossMergeReport, gloss_merge_report_free)

/* Merges every conflict copy of clip.json in @clip_folder into clip.json
 * (one atomic write), remembers what lost, and moves the copies to the
 * trash. Copies of the article files go after the clip's annotations are
 * anchored again in the article kept and clip.json is written through the
 * clip writer (a merge, not an edit: "modified" stays). The trash is the
 * desktop trash, else
 * <library>/.trash/<id>.conflict-copies/. A copy that cannot be read, or
 * a clip.json that cannot, is left where it is (and said so in the
 * report): nothing that cannot be read is ever overwritten. Returns NULL
 * with @error only when the folder cannot be read. */
GlossMergeReport *gloss_merge_clip_folder (GFile        *library_folder,
                                           GFile        *clip_folder,
                                           GError      **error);

G_END_DECLS
