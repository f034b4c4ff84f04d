/* gloss-clip-writer.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one writer of a clip folder (gloss-clip-writer.h). Files go
 * through gloss-fs.c (atomic, never through a link); the clip's own file,
 * clip.json, goes through GlossClip's save, last. */

#define G_LOG_DOMAIN "gloss-clip-writer"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gloss-anchor.h"
#include "gloss-clip-anchor.h"
#include "gloss-clip-private.h"
#include "gloss-clip-saver.h"
#include "gloss-clip-writer.h"
#include "gloss-url.h"
#include "gloss-error.h"
#include "gloss-fs.h"
#include "gloss-id.h"
#include "gloss-json-private.h"
#include "gloss-library-private.h"
#include "gloss-lock.h"
#include "gloss-merge.h"

struct _GlossClipWriter
{
  GObject        parent_instance;

  GlossLibrary  *library;
  GlossClip     *clip;
  GlossClip     *existing;
  gboolean       update;
  gboolean       unique_url;
  gboolean       no_insert;     /* the caller adds the new clip to the model */
  gboolean       not_an_edit;   /* an update keeps "modified" (a merge) */
  gboolean       committed;
  gboolean       committing;    /* gloss_clip_writer_commit_async() under way */
  guint          n_orphans;

  /* Placeholders. */
  char          *token;
  GPtrArray     *urls;

  /* What this writer put on the disk for a new clip, to take it back. */
  GMutex         mutex;
  char          *folder_path;      /* clips/<id> */
  gboolean       folder_ready;
  gboolean       made_folder;
  gboolean       made_assets;
  GHashTable    *saved;            /* url → asset name */
  GHashTable    *written_assets;   /* asset names written */
  GPtrArray     *written_files;    /* names in the folder */
};

G_DEFINE_FINAL_TYPE (GlossClipWriter, gloss_clip_writer, G_TYPE_OBJECT)

static void
gloss_clip_writer_finalize (GObject *object)
{
  GlossClipWriter *self = (GlossClipWriter *) object;

  /* Dropped before its commit (an error, a cancel): a new clip leaves no
   * unfinished folder behind. */
  if (!self->committed)
    gloss_clip_writer_abort (self);

  g_clear_object (&self->library);
  g_clear_object (&self->clip);
  g_clear_object (&self->existing);
  g_free (self->token);
  g_clear_pointer (&self->urls, g_ptr_array_unref);
  g_free (self->folder_path);
  g_clear_pointer (&self->saved, g_hash_table_unref);
  g_clear_pointer (&self->written_assets, g_hash_table_unref);
  g_clear_pointer (&self->written_files, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (gloss_clip_writer_parent_class)->finalize (object);
}

static void
gloss_clip_writer_class_init (GlossClipWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gloss_clip_writer_finalize;
}

static void
gloss_clip_writer_init (GlossClipWriter *self)
{
  g_mutex_init (&self->mutex);
  self->saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->written_assets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->written_files = g_ptr_array_new_with_free_func (g_free);
  self->urls = g_ptr_array_new_with_free_func (g_free);
}

GlossClipWriter *
gloss_clip_writer_new (GlossLibrary *library,
                       GlossClip    *clip)
{
  GlossClipWriter *self;
  GFile *folder;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (library), NULL);
  g_return_val_if_fail (GLOSS_IS_CLIP (clip), NULL);

  self = g_object_new (GLOSS_TYPE_CLIP_WRITER, NULL);
  self->library = g_object_ref (library);
  self->clip = g_object_ref (clip);

  folder = gloss_clip_get_folder (clip);
  self->update = folder != NULL;
  if (folder != NULL)
    self->folder_path = g_file_get_path (folder);
  else
    {
      g_autofree char *clips = g_file_get_path (gloss_library_get_clips_folder (library));

      self->folder_path = g_build_filename (clips, gloss_clip_get_id (clip), NULL);
    }

  return self;
}

GlossClip *
gloss_clip_writer_get_clip (GlossClipWriter *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_WRITER (self), NULL);
  return self->clip;
}

void
gloss_clip_writer_set_unique_url (GlossClipWriter *self,
                                  gboolean         unique)
{
  g_return_if_fail (GLOSS_IS_CLIP_WRITER (self));
  self->unique_url = !!unique;
}

void
gloss_clip_writer_set_add_later (GlossClipWriter *self,
                                 gboolean         later)
{
  g_return_if_fail (GLOSS_IS_CLIP_WRITER (self));
  self->no_insert = !!later;
}

void
gloss_clip_writer_set_not_an_edit (GlossClipWriter *self,
                                   gboolean         not_an_edit)
{
  g_return_if_fail (GLOSS_IS_CLIP_WRITER (self));
  self->not_an_edit = !!not_an_edit;
}

GlossClip *
gloss_clip_writer_get_existing (GlossClipWriter *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_WRITER (self), NULL);
  return self->existing;
}

guint
gloss_clip_writer_get_n_orphans (GlossClipWriter *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_WRITER (self), 0);
  return self->n_orphans;
}

void
gloss_clip_writer_set_images (GlossClipWriter    *self,
                              const char         *token,
                              const char * const *urls)
{
  g_return_if_fail (GLOSS_IS_CLIP_WRITER (self));
  g_return_if_fail (token != NULL);

  g_free (self->token);
  self->token = g_strdup (token);
  g_ptr_array_set_size (self->urls, 0);
  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    g_ptr_array_add (self->urls, g_strdup (urls[i]));
}

/* --- the folder --------------------------------------------------------- */

static char *
library_path (GlossClipWriter *self)
{
  return g_file_get_path (gloss_library_get_folder (self->library));
}

/* Opens the clip's folder, making it (and clips/) for a new clip. Called
 * with the mutex held. */
static int
open_folder (GlossClipWriter  *self,
             GError          **error)
{
  g_autofree char *clips_path = NULL;
  g_autofree char *id = NULL;
  int clips_fd, fd;

  if (self->update || self->folder_ready)
    return gloss_fs_open_folder (self->folder_path, error);

  clips_path = g_path_get_dirname (self->folder_path);
  if (g_mkdir_with_parents (clips_path, 0777) != 0)
    {
      gloss_fs_set_error (error, errno, TRUE, clips_path);
      return -1;
    }
  /* clips/ may be a link, as the library folder may be (a user's own
   * arrangement); the clip folders inside it never are. */
  if ((clips_fd = open (clips_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    {
      gloss_fs_set_error (error, errno, TRUE, clips_path);
      return -1;
    }

  /* A new id. A folder already there without clip.json is an unfinished
   * clip of this id (a caller that put assets/ in place first): written
   * into, but only what this writer wrote is taken back. */
  id = g_path_get_basename (self->folder_path);
  if (mkdirat (clips_fd, id, 0777) == 0)
    self->made_folder = TRUE;
  else if (errno != EEXIST)
    {
      int saved_errno = errno;

      close (clips_fd);
      gloss_fs_set_error (error, saved_errno, TRUE, self->folder_path);
      return -1;
    }
  close (clips_fd);

  fd = gloss_fs_open_folder (self->folder_path, error);
  if (fd >= 0 && faccessat (fd, "clip.json", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    {
      close (fd);
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS,
                   _("A clip already exists in “%s”"), self->folder_path);
      return -1;
    }
  if (fd >= 0)
    self->folder_ready = TRUE;
  return fd;
}

static void
remove_written (GlossClipWriter *self)
{
  g_autofree char *assets = g_build_filename (self->folder_path, "assets", NULL);
  GHashTableIter iter;
  gpointer key;
  int fd;

  if ((fd = gloss_fs_open_folder (assets, NULL)) >= 0)
    {
      g_hash_table_iter_init (&iter, self->written_assets);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        unlinkat (fd, key, 0);
      close (fd);
    }
  g_hash_table_remove_all (self->written_assets);

  if ((fd = gloss_fs_open_folder (self->folder_path, NULL)) >= 0)
    {
      for (guint i = 0; i < self->written_files->len; i++)
        unlinkat (fd, self->written_files->pdata[i], 0);
      /* Only when empty: nothing but what this writer made is removed. */
      if (self->made_assets)
        unlinkat (fd, "assets", AT_REMOVEDIR);
      close (fd);
    }
  g_ptr_array_set_size (self->written_files, 0);

  if (self->made_folder)
    rmdir (self->folder_path);
  self->made_folder = FALSE;
  self->folder_ready = FALSE;
  self->made_assets = FALSE;
}

void
gloss_clip_writer_abort (GlossClipWriter *self)
{
  g_return_if_fail (GLOSS_IS_CLIP_WRITER (self));

  if (self->update || self->committed)
    return;

  g_mutex_lock (&self->mutex);
  remove_written (self);
  g_mutex_unlock (&self->mutex);
}

/* --- images ------------------------------------------------------------- */

static const char *
extension_for (const char *content_type)
{
  static const struct { const char *type; const char *ext; } types[] = {
    { "image/jpeg", ".jpg" }, { "image/pjpeg", ".jpg" }, { "image/png", ".png" },
    { "image/gif", ".gif" }, { "image/webp", ".webp" }, { "image/avif", ".avif" },
    { "image/svg+xml", ".svg" }, { "image/bmp", ".bmp" }, { "image/x-icon", ".ico" },
    { "image/vnd.microsoft.icon", ".ico" }, { "image/tiff", ".tiff" }, { "image/apng", ".png" },
  };
  g_autofree char *bare = NULL;

  if (content_type == NULL)
    return ".img";

  /* "image/png; charset=…" */
  bare = g_strstrip (g_strndup (content_type, strcspn (content_type, ";")));
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (bare, types[i].type) == 0)
      return types[i].ext;

  return ".img";
}

gboolean
gloss_clip_writer_add_image (GlossClipWriter  *self,
                             const char       *url,
                             GBytes           *bytes,
                             const char       *content_type,
                             GError          **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;
  g_autofree char *assets_path = NULL;
  gboolean ok = FALSE;
  int folder_fd = -1, assets_fd = -1;

  g_return_val_if_fail (GLOSS_IS_CLIP_WRITER (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  /* Named by the content, so that the same image twice is one file and a
   * changed image is a new one. */
  hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  hash[24] = '\0';
  name = g_strconcat (hash, extension_for (content_type), NULL);
  assets_path = g_build_filename (self->folder_path, "assets", NULL);

  g_mutex_lock (&self->mutex);

  if (self->committed)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_FAILED,
                           _("The clip is already written"));
      goto out;
    }

  if ((folder_fd = open_folder (self, error)) < 0)
    goto out;

  if (!self->update && !self->made_assets && faccessat (folder_fd, "assets", F_OK, AT_SYMLINK_NOFOLLOW) != 0)
    self->made_assets = TRUE;
  if ((assets_fd = gloss_fs_make_folder_at (folder_fd, self->folder_path, "assets", error)) < 0)
    goto out;

  /* Images are written before clip.json, so they are flushed as well: a
   * clip never points at an image a crash lost. */
  if (!g_hash_table_contains (self->written_assets, name))
    {
      g_mutex_unlock (&self->mutex);
      ok = gloss_fs_write_at (assets_fd, assets_path, name,
                              g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              TRUE, error);
      g_mutex_lock (&self->mutex);
      if (!ok)
        goto out;
      g_hash_table_add (self->written_assets, g_strdup (name));
    }

  g_hash_table_replace (self->saved, g_strdup (url), g_steal_pointer (&name));
  ok = TRUE;

out:
  g_mutex_unlock (&self->mutex);
  if (assets_fd >= 0)
    close (assets_fd);
  if (folder_fd >= 0)
    close (folder_fd);
  return ok;
}

typedef struct
{
  char   *url;
  GBytes *bytes;
  char   *content_type;
} AddImage;

static void
add_image_free (AddImage *add)
{
  g_free (add->url);
  g_bytes_unref (add->bytes);
  g_free (add->content_type);
  g_free (add);
}

static void
add_image_thread_cb (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GlossClipWriter *self = source_object;
  AddImage *add = task_data;
  GError *error = NULL;

  g_assert (GLOSS_IS_CLIP_WRITER (self));

  if (g_task_return_error_if_cancelled (task))
    return;
  if (gloss_clip_writer_add_image (self, add->url, add->bytes, add->content_type, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
gloss_clip_writer_add_image_async (GlossClipWriter     *self,
                                   const char          *url,
                                   GBytes              *bytes,
                                   const char          *content_type,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AddImage *add;

  g_return_if_fail (GLOSS_IS_CLIP_WRITER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (bytes != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_clip_writer_add_image_async);
  add = g_new0 (AddImage, 1);
  add->url = g_strdup (url);
  add->bytes = g_bytes_ref (bytes);
  add->content_type = g_strdup (content_type);
  g_task_set_task_data (task, add, (GDestroyNotify) add_image_free);
  g_task_run_in_thread (task, add_image_thread_cb);
}

gboolean
gloss_clip_writer_add_image_finish (GlossClipWriter  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_WRITER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Swaps each gloss-image-TOKEN-N placeholder for assets/NAME, or for the
 * original address (escaped for @html) when the image was not saved. */
static char *
replace_placeholders (GlossClipWriter *self,
                      const char      *input,
                      gboolean         html)
{
  g_autofree char *marker = NULL;
  gsize marker_len;
  GString *out;
  const char *p = input;
  const char *hit;

  if (self->token == NULL)
    return g_strdup (input);

  marker = g_strconcat ("gloss-image-", self->token, "-", NULL);
  marker_len = strlen (marker);
  out = g_string_sized_new (strlen (input) + 64);

  while ((hit = strstr (p, marker)) != NULL)
    {
      const char *digits = hit + marker_len;
      const char *end = digits;
      guint64 index = G_MAXUINT64;

      while (g_ascii_isdigit (*end) && end - digits < 9)
        end++;

      g_string_append_len (out, p, hit - p);

      if (end > digits)
        {
          g_autofree char *number = g_strndup (digits, end - digits);

          g_ascii_string_to_unsigned (number, 10, 0, G_MAXUINT32, &index, NULL);
        }

      if (index < self->urls->len)
        {
          const char *url = g_ptr_array_index (self->urls, index);
          const char *name = g_hash_table_lookup (self->saved, url);

          if (name != NULL)
            {
              g_string_append (out, "assets/");
              g_string_append (out, name);
            }
          else if (html)
            {
              g_autofree char *escaped = g_markup_escape_text (url, -1);
              g_string_append (out, escaped);
            }
          else
            g_string_append (out, url);

          p = end;
        }
      else
        {
          g_string_append_len (out, hit, marker_len);
          p = hit + marker_len;
        }
    }

  g_string_append (out, p);

  return g_string_free (out, FALSE);
}

/* --- committing --------------------------------------------------------- */

static void
apply_page (GlossClip           *clip,
            const GlossClipPage *page)
{
  if (page->title != NULL)
    gloss_clip_set_title (clip, page->title);
  if (page->byline != NULL)
    gloss_clip_set_byline (clip, page->byline);
  if (page->site_name != NULL)
    gloss_clip_set_site_name (clip, page->site_name);
  if (page->excerpt != NULL)
    gloss_clip_set_excerpt (clip, page->excerpt);
  if (page->lang != NULL)
    gloss_clip_set_lang (clip, page->lang);
  if (page->dir != NULL)
    gloss_clip_set_dir (clip, page->dir);
  if (page->published != NULL)
    gloss_clip_set_published (clip, page->published);
  if (page->word_count >= 0)
    gloss_clip_set_word_count (clip, page->word_count);
}

/* What a clip kept by an import (it has FORMAT.md's `import` object)
 * keeps when its page is clipped, the first time or again:
 * - the title the import or the person gave: FORMAT.md ties `title` to
 *   no extractor, and a reading list's titles are the person's own
 *   (Pocket and Omnivore let them be edited); only a title that is the
 *   address itself (the import had none) gives way to the page's;
 * - `created`, the time it was saved there, is never changed by a clip;
 * - `byline` and `excerpt` are "as the extractor found them" (FORMAT.md):
 *   the page's, when it has one, but the value the import gave is not
 *   lost: it goes into `import` ("what an import knew"), under its own
 *   name, when the page is first clipped and `import` does not have it.
 * Tags, notes, annotations and `import` itself are the clip's and are
 * kept by every update. */
/* Called with the clip an update is about to apply @page to, and its
 * folder, before apply_page(); safe on any thread (it touches only @clip). */
static void
keep_imported (GlossClip     *clip,
               const char    *folder_path,
               GlossClipPage *page)
{
  g_autoptr(JsonNode) import = gloss_clip_dup_extra_member (clip, "import");
  g_autofree char *html_path = NULL;
  g_autofree char *text_path = NULL;
  const char *title = gloss_clip_get_title (clip);
  gboolean changed = FALSE;
  const struct { const char *name; const char *given; const char *found; } fields[] = {
    { "byline", gloss_clip_get_byline (clip), page->byline },
    { "excerpt", gloss_clip_get_excerpt (clip), page->excerpt },
  };

  if (import == NULL || !JSON_NODE_HOLDS_OBJECT (import))
    return;

  if (title != NULL && title[0] != '\0' && g_strcmp0 (title, gloss_clip_get_url (clip)) != 0)
    page->title = NULL;

  /* Not clipped yet until now: what it holds is what the import gave. */
  html_path = g_build_filename (folder_path, "article.html", NULL);
  text_path = g_build_filename (folder_path, "article.txt", NULL);
  if (g_file_test (html_path, G_FILE_TEST_EXISTS) || g_file_test (text_path, G_FILE_TEST_EXISTS))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      JsonObject *object = json_node_get_object (import);

      if (fields[i].given == NULL || fields[i].given[0] == '\0' || fields[i].found == NULL ||
          fields[i].found[0] == '\0' || g_str_equal (fields[i].given, fields[i].found) ||
          json_object_has_member (object, fields[i].name))
        continue;
      json_object_set_string_member (object, fields[i].name, fields[i].given);
      changed = TRUE;
    }
  if (changed)
    gloss_clip_set_extra_member (clip, "import", import);
}

/* The one place an updated clip's annotations are anchored again in its
 * new text (FORMAT.md "Anchoring"), by the rules every other anchoring of
 * a whole clip shares: nothing is dropped, the ones lost are orphans. */
static guint
anchor_all (GlossClipWriter *self,
            GlossClip       *clip,
            const char      *text)
{
  g_autoptr(GArray) anchorings = NULL;
  guint orphans = 0;

  anchorings = gloss_clip_anchor_all (clip, text, NULL,
                                      GLOSS_CLIP_ANCHOR_RETARGET |
                                      (self->not_an_edit ? GLOSS_CLIP_ANCHOR_NOT_AN_EDIT : 0),
                                      &orphans);

  return orphans;
}

/* Writes article.md (when there is one), article.html and article.txt,
 * each atomically, in that order. */
static gboolean
write_articles (GlossClipWriter  *self,
                int               folder_fd,
                const char       *html,
                const char       *text,
                const char       *markdown,
                GError          **error)
{
  const struct { const char *name; const char *contents; } files[] = {
    { "article.md", markdown },
    { "article.html", html },
    { "article.txt", text },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      if (files[i].contents == NULL)
        continue;
      if (!gloss_fs_write_at (folder_fd, self->folder_path, files[i].name,
                              files[i].contents, strlen (files[i].contents), TRUE, error))
        return FALSE;
      if (!self->update)
        g_ptr_array_add (self->written_files, g_strdup (files[i].name));
    }

  return TRUE;
}

/* Writes an update of @clip: the writer's own clip, or on a worker
 * thread a private copy of it (gloss_clip_writer_commit_async()). */
static gboolean
write_update (GlossClipWriter  *self,
              GlossClip        *clip,
              int               folder_fd,
              const char       *html,
              const char       *text,
              const char       *markdown,
              GError          **error)
{
  g_autofree char *library = library_path (self);
  g_autoptr(GlossLock) lock = NULL;

  if (gloss_clip_get_read_only (clip))
    return gloss_clip_check_writable (clip, error);

  /* Under the clip's lock from the article to clip.json: another writer's
   * annotations are read in before they are anchored in the new text. */
  lock = gloss_lock_acquire_clip (library, gloss_clip_get_id (clip));

  if (!write_articles (self, folder_fd, html, text, markdown, error))
    return FALSE;
  if (!gloss_clip_merge_from_disk (clip, error))
    return FALSE;

  self->n_orphans = anchor_all (self, clip, text);

  return gloss_clip_write (clip, !self->not_an_edit, FALSE, error);
}

/* What a new clip must pass before anything is written; on the thread
 * that owns the library's model. */
static gboolean
check_new (GlossClipWriter  *self,
           GError          **error)
{
  if (!gloss_id_check (gloss_clip_get_id (self->clip), error) ||
      !gloss_clip_check_writable (self->clip, error))
    return FALSE;

  if (gloss_library_lookup (self->library, gloss_clip_get_id (self->clip)) != NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS,
                   _("The library already has a clip %s"), gloss_clip_get_id (self->clip));
      return FALSE;
    }

  return TRUE;
}

/* Writes a new clip's folder; touches nothing but the clip, which no
 * other thread holds before it is in the library. */
static gboolean
write_new (GlossClipWriter  *self,
           const char       *html,
           const char       *text,
           const char       *markdown,
           GError          **error)
{
  g_autoptr(GFile) folder = NULL;
  int folder_fd;
  gboolean ok;

  g_mutex_lock (&self->mutex);
  folder_fd = open_folder (self, error);
  g_mutex_unlock (&self->mutex);
  if (folder_fd < 0)
    return FALSE;

  /* Articles first, clip.json last: until clip.json is there, the folder
   * is an unfinished clip that the list does not show (FORMAT.md). */
  ok = html == NULL || write_articles (self, folder_fd, html, text, markdown, error);
  close (folder_fd);
  if (!ok)
    return FALSE;

  folder = g_file_new_for_path (self->folder_path);
  gloss_clip_set_folder (self->clip, folder);
  /* A folder this writer made under a new random id has no clip.json
   * that another writer could have written: nothing to lock or merge (an
   * import of thousands of clips would read a missing file for each). */
  if (!gloss_clip_write (self->clip, FALSE, !self->made_folder, error))
    {
      gloss_clip_set_folder (self->clip, NULL);
      return FALSE;
    }

  return TRUE;
}

static gboolean
make_library_folder (GlossClipWriter  *self,
                     GError          **error)
{
  g_autofree char *library = library_path (self);

  if (g_mkdir_with_parents (library, 0777) != 0)
    {
      gloss_fs_set_error (error, errno, TRUE, library);
      return FALSE;
    }
  return TRUE;
}

static gboolean
commit_new (GlossClipWriter  *self,
            const char       *html,
            const char       *text,
            const char       *markdown,
            GError          **error)
{
  g_autoptr(GlossLock) url_lock = NULL;

  if (!check_new (self, error) || !make_library_folder (self, error))
    return FALSE;

  /* "A clip for this address unless there is one" as one step across
   * processes: look under the address's lock, at clips others made since
   * the library was read too, and write before letting go. */
  if (self->unique_url)
    {
      g_autofree char *library = library_path (self);
      g_autofree char *match = gloss_url_match_key (gloss_clip_get_url (self->clip));
      g_autofree char *key = NULL;
      GlossClip *existing;

      /* Two spellings of one page take the same lock. */
      key = g_strconcat ("url:", match != NULL ? match : gloss_clip_get_url (self->clip), NULL);
      url_lock = gloss_lock_acquire (library, key);

      _gloss_library_add_new_from_disk (self->library);
      existing = gloss_library_find_by_url (self->library, gloss_clip_get_url (self->clip));
      if (existing != NULL)
        {
          g_set_object (&self->existing, existing);
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS,
                       _("The library already has a clip of %s"), gloss_clip_get_url (self->clip));
          return FALSE;
        }
    }

  if (!write_new (self, html, text, markdown, error))
    return FALSE;

  if (!self->no_insert)
    _gloss_library_insert_clip (self->library, self->clip);
  return TRUE;
}

/* The article with its placeholders replaced: images still being written
 * may add to the saved ones meanwhile. */
static void
replace_all_placeholders (GlossClipWriter      *self,
                          const GlossClipPage  *page,
                          char                **html,
                          char                **markdown)
{
  g_mutex_lock (&self->mutex);
  *html = page->html != NULL ? replace_placeholders (self, page->html, TRUE) : NULL;
  *markdown = page->markdown != NULL ? replace_placeholders (self, page->markdown, FALSE) : NULL;
  g_mutex_unlock (&self->mutex);
}

static void
set_committed (GlossClipWriter *self)
{
  /* Images still being written on a worker thread now fail. */
  g_mutex_lock (&self->mutex);
  self->committed = TRUE;
  g_mutex_unlock (&self->mutex);
}

GlossClip *
gloss_clip_writer_commit (GlossClipWriter      *self,
                          const GlossClipPage  *page,
                          GError              **error)
{
  g_autofree char *html = NULL;
  g_autofree char *markdown = NULL;
  gboolean ok;

  g_return_val_if_fail (GLOSS_IS_CLIP_WRITER (self), NULL);
  g_return_val_if_fail (page != NULL, NULL);
  /* No article at all: a new clip of a page not clipped yet (FORMAT.md),
   * clip.json alone; an import keeps its reading list so. */
  g_return_val_if_fail ((page->html != NULL && page->text != NULL) ||
                        (page->html == NULL && page->text == NULL && !self->update), NULL);
  g_return_val_if_fail (!self->committed && !self->committing, NULL);

  replace_all_placeholders (self, page, &html, &markdown);

  if (self->update)
    {
      int folder_fd = gloss_fs_open_folder (self->folder_path, error);
      GlossClipPage kept;

      if (folder_fd < 0)
        return NULL;
      kept = *page;
      keep_imported (self->clip, self->folder_path, &kept);
      apply_page (self->clip, &kept);
      ok = write_update (self, self->clip, folder_fd, html, page->text, markdown, error);
      close (folder_fd);
      if (ok)
        _gloss_library_clip_changed (self->library, self->clip);
    }
  else
    {
      apply_page (self->clip, page);
      ok = commit_new (self, html, page->text, markdown, error);
      if (!ok)
        gloss_clip_writer_abort (self);
    }

  if (!ok)
    return NULL;

  set_committed (self);
  return self->clip;
}

/* --- committing on a worker thread -------------------------------------- */

typedef struct
{
  /* The page, the writer's own copy. */
  GlossClipPage  page;
  char          *strings[10];

  /* An update: the clip as it was sent to the worker (clip.json's bytes)
   * with the file it was based on; the worker's private copy of it, which
   * it anchors in the new text and writes. */
  GBytes        *sent;
  GlossClip     *based_on;    /* holds only the clip's merge base */
  GlossClip     *written;
} Commit;

static void
commit_free (Commit *commit)
{
  for (guint i = 0; i < G_N_ELEMENTS (commit->strings); i++)
    g_free (commit->strings[i]);
  g_clear_pointer (&commit->sent, g_bytes_unref);
  g_clear_object (&commit->based_on);
  g_clear_object (&commit->written);
  g_free (commit);
}

/* Copies @page's strings into @commit. */
static void
commit_take_page (Commit              *commit,
                  const GlossClipPage *page)
{
  const char **fields[] = {
    &commit->page.title, &commit->page.byline, &commit->page.site_name,
    &commit->page.excerpt, &commit->page.lang, &commit->page.dir,
    &commit->page.published, &commit->page.html, &commit->page.text,
    &commit->page.markdown,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (fields) == G_N_ELEMENTS (commit->strings));

  commit->page = *page;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i] = commit->strings[i] = g_strdup (*fields[i]);
}

/* Gives @to the merge base of @from: the file @from was last read from
 * or written as, and its hash. The one place this file touches a clip's
 * base. */
static void
take_base (GlossClip *to,
           GlossClip *from)
{
  g_clear_pointer (&to->base, g_bytes_unref);
  to->base = from->base != NULL ? g_bytes_ref (from->base) : NULL;
  to->file_hash = from->file_hash;
}

static GBytes *
clip_bytes (GlossClip *clip)
{
  gsize length;
  char *data = gloss_merge_to_data (gloss_clip_to_json (clip), &length);

  return g_bytes_new_take (data, length);
}

/* A clip of its own for the worker, from the bytes @bytes. */
static GlossClip *
clip_from_bytes (GlossClip  *like,
                 GBytes     *bytes,
                 GError    **error)
{
  g_autoptr(GlossClipFile) file = NULL;

  file = gloss_clip_file_parse (gloss_clip_get_id (like),
                                g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                error);
  if (file == NULL)
    return NULL;
  return _gloss_clip_new_from_file (gloss_clip_get_folder (like), file, GLOSS_CLIP_LOAD_FULL, error);
}

static void
commit_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GlossClipWriter *self = source_object;
  Commit *commit = task_data;
  g_autofree char *html = NULL;
  g_autofree char *markdown = NULL;
  GError *error = NULL;
  gboolean ok;

  g_assert (GLOSS_IS_CLIP_WRITER (self));

  /* Nothing of the article is written yet: a cancel still may stop it. */
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      gloss_clip_writer_abort (self);
      g_task_return_error (task, error);
      return;
    }

  replace_all_placeholders (self, &commit->page, &html, &markdown);

  if (self->update)
    {
      int folder_fd = -1;

      commit->written = clip_from_bytes (self->clip, commit->sent, &error);
      if (commit->written != NULL)
        {
          /* The file the clip was read from is the base of the merge
           * with what another writer saved since. */
          GlossClipPage kept = commit->page;

          take_base (commit->written, commit->based_on);
          keep_imported (commit->written, self->folder_path, &kept);
          apply_page (commit->written, &kept);
          folder_fd = gloss_fs_open_folder (self->folder_path, &error);
        }
      ok = folder_fd >= 0 &&
           write_update (self, commit->written, folder_fd, html, commit->page.text, markdown, &error);
      if (folder_fd >= 0)
        close (folder_fd);
    }
  else
    {
      ok = make_library_folder (self, &error) &&
           write_new (self, html, commit->page.text, markdown, &error);
      if (!ok)
        gloss_clip_writer_abort (self);
    }

  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }

  set_committed (self);
  g_task_return_boolean (task, TRUE);
}

/* Back on the main thread: the clip in memory, which the windows show
 * and may have changed meanwhile, takes what was written. */
static void
apply_update (GlossClipWriter *self,
              Commit          *commit)
{
  g_autoptr(GBytes) now = clip_bytes (self->clip);
  g_autoptr(GlossClip) result = NULL;
  gboolean unwritten = FALSE;

  if (g_bytes_equal (now, commit->sent))
    result = g_object_ref (commit->written);
  else
    {
      g_autoptr(JsonObject) sent = NULL;
      g_autoptr(JsonObject) merged = NULL;
      g_autoptr(GBytes) merged_bytes = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;
      char *data;

      /* Changed while the worker wrote (a highlight made meanwhile): those
       * changes merged three ways with what was written, as the saver
       * does, and anchored in the new text too; the clip's own saving
       * writes them. */
      sent = gloss_merge_read (g_bytes_get_data (commit->sent, NULL), g_bytes_get_size (commit->sent),
                               gloss_clip_get_id (self->clip), NULL);
      if (sent != NULL)
        merged = gloss_merge_clips3 (sent,
                                     gloss_clip_to_json (self->clip),
                                     gloss_clip_to_json (commit->written),
                                     NULL);
      if (merged != NULL)
        {
          data = gloss_merge_to_data (merged, &length);
          merged_bytes = g_bytes_new_take (data, length);
          result = clip_from_bytes (self->clip, merged_bytes, &error);
        }
      if (result == NULL)
        {
          g_warning ("Changes made to clip %s while it was updated are lost: %s",
                     gloss_clip_get_id (self->clip), error != NULL ? error->message : "not merged");
          result = g_object_ref (commit->written);
        }
      else
        {
          g_autoptr(GBytes) written = clip_bytes (commit->written);
          g_autoptr(GBytes) merged_now = NULL;

          if (commit->page.text != NULL)
            self->n_orphans = anchor_all (self, result, commit->page.text);
          take_base (result, commit->written);
          /* The changes made meanwhile, and the positions anchoring in
           * the new text moved, are in memory only. */
          merged_now = clip_bytes (result);
          unwritten = !g_bytes_equal (merged_now, written);
        }
    }

  gloss_clip_update_from (self->clip, result);
  _gloss_library_clip_changed (self->library, self->clip);

  /* Written by the clip's one saver, as every edit is: queued with the
   * editors' own changes when one holds it; else letting go of it
   * writes now, since nobody else would. */
  if (unwritten)
    {
      g_autoptr(GlossClipSaver) saver = gloss_clip_saver_get_for_clip (self->library, self->clip);

      gloss_clip_saver_queue (saver);
    }
}

/* Back on the main thread: a new clip into the library's model. The
 * library may hold it already: its watcher (or another writer's look-up,
 * _gloss_library_add_new_from_disk()) can read the folder the worker
 * wrote before this runs, and add a clip object of its own. That object
 * is the one the list shows and everybody edits, so it takes what was
 * written and the writer hands it out from now on: never two objects,
 * two savers, for one clip. */
static void
add_new (GlossClipWriter *self)
{
  GlossClip *held = gloss_library_lookup (self->library, gloss_clip_get_id (self->clip));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GlossClip) copy = NULL;
  g_autoptr(GError) error = NULL;

  if (held == NULL)
    {
      _gloss_library_insert_clip (self->library, self->clip);
      return;
    }
  if (held == self->clip)
    return;

  /* Read from the file this writer wrote (a newer one, written by
   * someone else since, stays as the library read it): it takes the
   * clip as written, in full, from a copy, so that the caller's own
   * object stays whole. */
  if (gloss_clip_get_file_hash (held) == gloss_clip_get_file_hash (self->clip))
    {
      bytes = clip_bytes (self->clip);
      copy = clip_from_bytes (self->clip, bytes, &error);
      if (copy != NULL)
        {
          take_base (copy, self->clip);
          gloss_clip_update_from (held, copy);
          _gloss_library_clip_changed (self->library, held);
        }
      else
        g_debug ("Clip %s as the library read it: %s", gloss_clip_get_id (held), error->message);
    }

  g_set_object (&self->clip, held);
}

static void
commit_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GlossClipWriter *self = GLOSS_CLIP_WRITER (object);
  g_autoptr(GTask) task = user_data;
  Commit *commit = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  g_assert (GLOSS_IS_CLIP_WRITER (self));

  self->committing = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->update)
    apply_update (self, commit);
  else if (!self->no_insert)
    add_new (self);

  g_task_return_pointer (task, g_object_ref (self->clip), g_object_unref);
}

void
gloss_clip_writer_commit_async (GlossClipWriter     *self,
                                const GlossClipPage *page,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) thread_task = NULL;
  g_autoptr(GError) error = NULL;
  Commit *commit;

  g_return_if_fail (GLOSS_IS_CLIP_WRITER (self));
  g_return_if_fail (page != NULL);
  g_return_if_fail ((page->html != NULL && page->text != NULL) ||
                    (page->html == NULL && page->text == NULL && !self->update));
  g_return_if_fail (!self->committed && !self->committing);
  /* The address is looked for in the library's model, under a lock that
   * may wait: only gloss_clip_writer_commit() does that. */
  g_return_if_fail (!self->unique_url);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_clip_writer_commit_async);
  /* Once clip.json is written the clip is in the library: the result
   * says so even when the cancel came too late to stop it. */
  g_task_set_check_cancellable (task, FALSE);

  commit = g_new0 (Commit, 1);
  commit_take_page (commit, page);

  if (self->update)
    {
      /* As the saver does: the clip's objects live on this thread, the
       * worker gets bytes and builds its own copy from them. */
      if (!gloss_clip_check_writable (self->clip, &error) ||
          !_gloss_clip_ensure_full (self->clip, &error))
        {
          commit_free (commit);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      commit->sent = clip_bytes (self->clip);
      commit->based_on = g_object_new (GLOSS_TYPE_CLIP, NULL);
      take_base (commit->based_on, self->clip);
    }
  else
    {
      apply_page (self->clip, page);
      if (!check_new (self, &error))
        {
          commit_free (commit);
          gloss_clip_writer_abort (self);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  self->committing = TRUE;
  thread_task = g_task_new (self, cancellable, commit_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (thread_task, gloss_clip_writer_commit_async);
  g_task_set_check_cancellable (thread_task, FALSE);
  g_task_set_task_data (thread_task, commit, (GDestroyNotify) commit_free);
  g_task_run_in_thread (thread_task, commit_thread_cb);
}

GlossClip *
gloss_clip_writer_commit_finish (GlossClipWriter  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  GlossClip *clip;

  g_return_val_if_fail (GLOSS_IS_CLIP_WRITER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  clip = g_task_propagate_pointer (G_TASK (result), error);
  if (clip == NULL)
    return NULL;

  /* Owned by the writer, as gloss_clip_writer_commit()'s. */
  g_object_unref (clip);
  return self->clip;
}
