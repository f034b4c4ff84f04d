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
#include "gloss-clip-writer.h"
#include "gloss-url.h"
#include "gloss-error.h"
#include "gloss-fs.h"
#include "gloss-id.h"
#include "gloss-library-private.h"
#include "gloss-lock.h"

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

/* The one place an updated clip's annotations are anchored again in its
 * new text (FORMAT.md "Anchoring"), by the rules every other anchoring of
 * a whole clip shares: nothing is dropped, the ones lost are orphans. */
static guint
anchor_all (GlossClip  *clip,
            const char *text)
{
  g_autoptr(GArray) anchorings = NULL;
  guint orphans = 0;

  anchorings = gloss_clip_anchor_all (clip, text, NULL, GLOSS_CLIP_ANCHOR_RETARGET, &orphans);

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

static gboolean
commit_update (GlossClipWriter  *self,
               int               folder_fd,
               const char       *html,
               const char       *text,
               const char       *markdown,
               GError          **error)
{
  g_autofree char *library = library_path (self);
  g_autofree char *key = g_strconcat ("clip:", gloss_clip_get_id (self->clip), NULL);
  g_autoptr(GlossLock) lock = NULL;

  if (gloss_clip_get_read_only (self->clip))
    return gloss_clip_check_writable (self->clip, error);

  /* Under the clip's lock from the article to clip.json: another writer's
   * annotations are read in before they are anchored in the new text. */
  lock = gloss_lock_acquire (library, key);

  if (!write_articles (self, folder_fd, html, text, markdown, error))
    return FALSE;
  if (!gloss_clip_merge_from_disk (self->clip, error))
    return FALSE;

  self->n_orphans = anchor_all (self->clip, text);

  if (!gloss_clip_write (self->clip, !self->not_an_edit, FALSE, error))
    return FALSE;

  _gloss_library_clip_changed (self->library, self->clip);
  return TRUE;
}

static gboolean
commit_new (GlossClipWriter  *self,
            const char       *html,
            const char       *text,
            const char       *markdown,
            GError          **error)
{
  g_autofree char *library = library_path (self);
  g_autoptr(GlossLock) url_lock = NULL;
  g_autoptr(GFile) folder = NULL;
  int folder_fd;
  gboolean ok;

  if (!gloss_id_check (gloss_clip_get_id (self->clip), error) ||
      !gloss_clip_check_writable (self->clip, error))
    return FALSE;

  if (gloss_library_lookup (self->library, gloss_clip_get_id (self->clip)) != NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_EXISTS,
                   _("The library already has a clip %s"), gloss_clip_get_id (self->clip));
      return FALSE;
    }

  if (g_mkdir_with_parents (library, 0777) != 0)
    {
      gloss_fs_set_error (error, errno, TRUE, library);
      return FALSE;
    }

  /* "A clip for this address unless there is one" as one step across
   * processes: look under the address's lock, at clips others made since
   * the library was read too, and write before letting go. */
  if (self->unique_url)
    {
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
  if (!gloss_clip_write (self->clip, FALSE, TRUE, error))
    {
      gloss_clip_set_folder (self->clip, NULL);
      return FALSE;
    }

  if (!self->no_insert)
    _gloss_library_insert_clip (self->library, self->clip);
  return TRUE;
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
  g_return_val_if_fail (!self->committed, NULL);

  if (page->html != NULL)
    html = replace_placeholders (self, page->html, TRUE);
  if (page->markdown != NULL)
    markdown = replace_placeholders (self, page->markdown, FALSE);

  if (self->update)
    {
      int folder_fd = gloss_fs_open_folder (self->folder_path, error);

      if (folder_fd < 0)
        return NULL;
      apply_page (self->clip, page);
      ok = commit_update (self, folder_fd, html, page->text, markdown, error);
      close (folder_fd);
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

  /* Images still being written on a worker thread now fail. */
  g_mutex_lock (&self->mutex);
  self->committed = TRUE;
  g_mutex_unlock (&self->mutex);
  return self->clip;
}
