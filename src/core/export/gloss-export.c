/* gloss-export.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Export of clips to Markdown files and to W3C Web Annotation JSON-LD, for
 * the window (async, with progress) and the command line (blocking). Clips
 * are read from their own files on a worker thread; nothing in the library
 * is ever written. */

#define G_LOG_DOMAIN "gloss-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gloss-anchor.h"
#include "gloss-clip-anchor.h"
#include "gloss-clip-private.h"
#include "gloss-error.h"
#include "gloss-fs.h"
#include "gloss-export.h"
#include "gloss-export-private.h"
#include "gloss-id.h"
#include "gloss-markdown.h"

#define PROGRESS_INTERVAL_USEC (50 * G_TIME_SPAN_MILLISECOND)
/* Room for "-NNNN.md" after a slug within FORMAT's 100-byte names. */
#define SLUG_MAX_BYTES 90
#define FILE_NAME_MAX_BYTES 100
#define SCAN_BYTES 4096

void
gloss_export_summary_free (GlossExportSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->path);
  g_free (summary);
}

/* Progress may be reported after the job is gone (an idle already
 * queued), so the callback and its data live in a shared, counted box. */
typedef struct
{
  GlossProgressFunc  func;
  gpointer           data;
  GDestroyNotify     notify;
} ProgressTarget;

static void
progress_target_clear (ProgressTarget *target)
{
  if (target->notify != NULL)
    target->notify (target->data);
}

typedef struct
{
  ProgressTarget *target;  /* an atomic rc box */
  guint           done;
  guint           total;
} ProgressCall;

static gboolean
progress_call_cb (gpointer data)
{
  ProgressCall *call = data;

  call->target->func (call->done, call->total, call->target->data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer data)
{
  ProgressCall *call = data;

  g_atomic_rc_box_release_full (call->target, (GDestroyNotify) progress_target_clear);
  g_free (call);
}

typedef enum
{
  JOB_MARKDOWN,
  JOB_JSONLD,
} JobKind;

typedef struct
{
  JobKind           kind;
  GlossExportFlags  flags;
  GPtrArray        *folders;      /* clip folders to read on the worker */
  GPtrArray        *copies;       /* GlossExportClip of clips not on disk */
  char             *destination;
  char             *template_path;
  ProgressTarget   *progress;     /* NULL without a callback */
  GMainContext     *context;      /* NULL when blocking: call directly */
  gint64            last_report;
  guint             skipped_at_start;
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->folders, g_ptr_array_unref);
  g_clear_pointer (&job->copies, g_ptr_array_unref);
  g_free (job->destination);
  g_free (job->template_path);
  if (job->progress != NULL)
    g_atomic_rc_box_release_full (job->progress, (GDestroyNotify) progress_target_clear);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static void
report (Job   *job,
        guint  done,
        guint  total)
{
  gint64 now;

  if (job->progress == NULL)
    return;

  now = g_get_monotonic_time ();
  if (done < total && now - job->last_report < PROGRESS_INTERVAL_USEC)
    return;
  job->last_report = now;

  if (job->context == NULL)
    job->progress->func (done, total, job->progress->data);
  else
    {
      ProgressCall *call = g_new0 (ProgressCall, 1);

      call->target = g_atomic_rc_box_acquire (job->progress);
      call->done = done;
      call->total = total;
      g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT,
                                  progress_call_cb, call, progress_call_free);
    }
}

/* The export's copy of a clip. With @article_text the annotations are
 * anchored, so that those no longer found in the saved article are
 * marked. A quote found as it is always anchors, so the full anchoring
 * (and the code point index it needs) is only paid for the others. */
static GlossExportClip *
copy_clip (GlossClip  *clip,
           const char *article_text)
{
  g_autoptr(GArray) anchorings = NULL;
  GlossExportClip *copy = gloss_export_clip_new ();
  GListModel *annotations = gloss_clip_get_annotations (clip);
  GFile *folder = gloss_clip_get_folder (clip);
  const char * const *tags = gloss_clip_get_tags (clip);
  guint n = g_list_model_get_n_items (annotations);

  copy->id = g_strdup (gloss_clip_get_id (clip));
  copy->url = g_strdup (gloss_clip_get_url (clip));
  copy->title = g_strdup (gloss_clip_get_title (clip));
  copy->byline = g_strdup (gloss_clip_get_byline (clip));
  copy->site_name = g_strdup (gloss_clip_get_site_name (clip));
  copy->published = g_strdup (gloss_clip_get_published (clip));
  copy->created = g_strdup (gloss_clip_get_created (clip));
  copy->modified = g_strdup (gloss_clip_get_modified (clip));
  copy->excerpt = g_strdup (gloss_clip_get_excerpt (clip));
  copy->lang = g_strdup (gloss_clip_get_lang (clip));
  copy->note = g_strdup (gloss_clip_get_note (clip));
  copy->tags = g_strdupv ((char **) tags);
  copy->folder = folder != NULL ? g_file_get_path (folder) : NULL;

  /* The clip may be the library's, read by other threads: its orphan
   * flags are left alone. */
  if (article_text != NULL && n > 0)
    anchorings = gloss_clip_anchor_all (clip, article_text, NULL, GLOSS_CLIP_ANCHOR_ORPHANS_ONLY, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (annotations, i);
      GlossExportAnnotation *a = gloss_export_annotation_new ();

      a->id = g_strdup (gloss_annotation_get_id (annotation));
      a->created = g_strdup (gloss_annotation_get_created (annotation));
      a->modified = g_strdup (gloss_annotation_get_modified (annotation));
      a->color = g_strdup (gloss_color_to_string (gloss_annotation_get_color (annotation)));
      a->note = g_strdup (gloss_annotation_get_note (annotation));
      a->exact = g_strdup (gloss_annotation_get_exact (annotation));
      a->prefix = g_strdup (gloss_annotation_get_prefix (annotation));
      a->suffix = g_strdup (gloss_annotation_get_suffix (annotation));
      a->start = gloss_annotation_get_start (annotation);
      a->end = gloss_annotation_get_end (annotation);
      if (anchorings != NULL)
        a->orphan = g_array_index (anchorings, GlossAnchoring, i).method == GLOSS_ANCHOR_ORPHAN;
      else
        a->orphan = gloss_annotation_get_orphan (annotation);
      g_ptr_array_add (copy->annotations, a);
    }

  return copy;
}

/* Never through a link: a link planted in a clip folder must not carry
 * another file of the disk into an export. */
static char *
read_optional (const char *folder,
               const char *name)
{
  char *contents = NULL;

  if (folder == NULL || !gloss_fs_read (folder, name, G_MAXSIZE / 2, &contents, NULL, NULL))
    return NULL;
  if (!g_utf8_validate (contents, -1, NULL))
    {
      char *valid = g_utf8_make_valid (contents, -1);
      g_free (contents);
      contents = valid;
    }
  return contents;
}

static int
compare_starts (gconstpointer a,
                gconstpointer b)
{
  const GlossExportAnnotation *x = *(GlossExportAnnotation * const *) a;
  const GlossExportAnnotation *y = *(GlossExportAnnotation * const *) b;

  return x->start < y->start ? -1 : x->start > y->start;
}

/* The export's copy of the clip in @folder_path, read by the library's
 * one reader of clip.json (gloss-clip-file.h) into a GlossClip as
 * --verify reads it, with the annotations as the scanner found them and
 * no json-glib tree (reading is most of an export's cost), and anchored
 * by the one rule for a whole clip, gloss_clip_anchor_all (). NULL with
 * @error for a clip that cannot be read, with the reason the library
 * gives. */
static GlossExportClip *
read_clip (const char  *folder_path,
           const char  *article_text,
           GError     **error)
{
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GlossClip) clip = NULL;
  GlossExportClip *copy;

  clip = gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_CHECK, error);
  if (clip == NULL)
    return NULL;

  copy = copy_clip (clip, article_text);
  /* The file's order may be any; an export lists them as they read. */
  g_ptr_array_sort (copy->annotations, compare_starts);
  return copy;
}

/* The next clip of the job, read from its folder, with its article text
 * (and article.md when asked for); NULL for a clip that cannot be read. */
static GlossExportClip *
job_load_clip (Job    *job,
               guint   index,
               char  **article_text,
               char  **article_markdown)
{
  const char *folder_path;
  g_autoptr(GError) error = NULL;
  GlossExportClip *copy;

  *article_text = NULL;
  *article_markdown = NULL;

  if (index >= job->folders->len)
    {
      copy = g_ptr_array_index (job->copies, index - job->folders->len);
      g_ptr_array_index (job->copies, index - job->folders->len) = NULL;
      return copy;
    }

  folder_path = g_ptr_array_index (job->folders, index);

  /* The article only matters to Markdown: unique quotes, orphans. */
  if (job->kind == JOB_MARKDOWN)
    *article_text = read_optional (folder_path, "article.txt");
  if (job->flags & GLOSS_EXPORT_WITH_ARTICLE)
    *article_markdown = read_optional (folder_path, "article.md");

  copy = read_clip (folder_path, *article_text, &error);
  if (copy == NULL)
    {
      g_debug ("Leaving out %s: %s", folder_path, error->message);
      g_clear_pointer (article_text, g_free);
      g_clear_pointer (article_markdown, g_free);
    }
  return copy;
}

static guint
job_n_clips (Job *job)
{
  return job->folders->len + job->copies->len;
}

/* Replaces @path through a temporary file and a rename, so that a reader
 * (a notes app, a sync tool) never sees half a file. Not flushed to disk
 * first: an export can be run again, and ten thousand fsync() calls would
 * cost more than the export itself. */
static gboolean
write_file (const char  *path,
            const char  *contents,
            gsize        length,
            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  int saved_errno = 0;
  int fd;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    saved_errno = errno;
  else
    {
      const char *p = contents;
      gsize left = length;

      while (left > 0)
        {
          gssize n = write (fd, p, left);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              saved_errno = n < 0 ? errno : EIO;
              break;
            }
          p += n;
          left -= n;
        }
      if (close (fd) != 0 && saved_errno == 0)
        saved_errno = errno;
      if (saved_errno == 0 && g_rename (tmp, path) != 0)
        saved_errno = errno;
      if (saved_errno != 0)
        g_unlink (tmp);
    }

  if (saved_errno != 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* @path with every link resolved, as far as it exists (the destination
 * may be made by the export): realpath() of the longest existing part,
 * the rest appended. g_canonicalize_filename() alone would leave a link
 * into clips/ unseen. */
static char *
resolve_path (const char *path)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  g_autofree char *rest = NULL;
  g_autofree char *head = g_strdup (canonical);

  for (;;)
    {
      g_autofree char *real = realpath (head, NULL);
      g_autofree char *parent = NULL;
      g_autofree char *base = NULL;

      if (real != NULL)
        return rest != NULL ? g_build_filename (real, rest, NULL) : g_steal_pointer (&real);

      parent = g_path_get_dirname (head);
      if (g_str_equal (parent, head))
        return g_steal_pointer (&canonical);
      base = g_path_get_basename (head);
      if (rest == NULL)
        rest = g_steal_pointer (&base);
      else
        {
          char *longer = g_build_filename (base, rest, NULL);

          g_free (rest);
          rest = longer;
        }
      g_free (head);
      head = g_steal_pointer (&parent);
    }
}

/* Refuses a destination inside a clips folder, also one reached through
 * a link: the export must never put a file where the library keeps its
 * own. */
static gboolean
check_destination (Job      *job,
                   GError  **error)
{
  g_autofree char *dest = resolve_path (job->destination);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < job->folders->len; i++)
    {
      g_autofree char *folder = g_canonicalize_filename (g_ptr_array_index (job->folders, i), NULL);
      g_autofree char *clips_path = g_path_get_dirname (folder);
      char *clips = resolve_path (clips_path);
      g_autofree char *prefix = NULL;

      if (!g_hash_table_add (seen, clips))
        continue;
      prefix = g_strconcat (clips, G_DIR_SEPARATOR_S, NULL);
      if (g_str_equal (dest, clips) || g_str_has_prefix (dest, prefix))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                       _("“%s” is inside the library’s clips folder: choose another place to export to"),
                       job->destination);
          return FALSE;
        }
    }
  return TRUE;
}

static GlossTemplate *
load_template (Job      *job,
               GError  **error)
{
  g_autofree char *source = NULL;
  g_autoptr(GError) local_error = NULL;
  GlossTemplate *tmpl;

  if (job->template_path == NULL)
    return gloss_template_new (gloss_export_default_template (job->flags & GLOSS_EXPORT_COMBINED),
                               gloss_export_template_names (), error);

  if (!g_file_get_contents (job->template_path, &source, NULL, &local_error))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not read the template “%s”: %s"), job->template_path, local_error->message);
      return NULL;
    }
  tmpl = gloss_template_new (source, gloss_export_template_names (), &local_error);
  if (tmpl == NULL)
    g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                 "%s: %s", job->template_path, local_error->message);
  return tmpl;
}

/* g_ptr_array_sort() hands the comparison pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The gloss_id in the front matter of a Markdown file we wrote, if any,
 * looked for in the first SCAN_BYTES of @buf. */
static char *
find_gloss_id (const char *buf,
               gsize       length)
{
  g_autofree char *head = g_strndup (buf, MIN (length, SCAN_BYTES));
  const char *line;
  const char *end;

  if (strncmp (head, "gloss_id:", 9) == 0)
    line = head;
  else if ((line = strstr (head, "\ngloss_id:")) != NULL)
    line++;
  else
    return NULL;

  line += strlen ("gloss_id:");
  end = strchr (line, '\n');
  if (end == NULL)
    return NULL;
  {
    g_autofree char *value = g_strstrip (g_strndup (line, end - line));
    gsize len = strlen (value);

    if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0])
      {
        value[len - 1] = '\0';
        return gloss_id_is_valid (value + 1) ? g_strdup (value + 1) : NULL;
      }
    return gloss_id_is_valid (value) ? g_steal_pointer (&value) : NULL;
  }
}

/* Length and checksum: enough to tell an unchanged file without reading
 * it a second time. */
static char *
digest (const char *data,
        gsize       length)
{
  g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);

  return g_strdup_printf ("%" G_GSIZE_FORMAT ":%s", length, sum);
}

#define SCAN_MAX_BYTES (1024 * 1024)

/* Reads a Markdown file of the folder once: its gloss_id and, when it is
 * not huge, its digest. */
static void
scan_file (const char  *path,
           char       **id,
           char       **file_digest)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  GStatBuf st;

  *id = NULL;
  *file_digest = NULL;
  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return;
  if (st.st_size <= SCAN_MAX_BYTES)
    {
      if (!g_file_get_contents (path, &data, &length, NULL))
        return;
      *file_digest = digest (data, length);
    }
  else
    {
      FILE *file = g_fopen (path, "rb");

      if (file == NULL)
        return;
      data = g_malloc (SCAN_BYTES);
      length = fread (data, 1, SCAN_BYTES, file);
      fclose (file);
    }
  *id = find_gloss_id (data, length);
}

typedef struct
{
  GHashTable *by_id;     /* gloss_id → file name */
  GHashTable *taken;     /* lower-cased file names in the folder */
  GHashTable *existing;  /* file name → its digest, or "" when unknown */
} Folder;

static void
folder_clear (Folder *folder)
{
  g_clear_pointer (&folder->by_id, g_hash_table_unref);
  g_clear_pointer (&folder->taken, g_hash_table_unref);
  g_clear_pointer (&folder->existing, g_hash_table_unref);
}

typedef struct
{
  const char *path;
  GPtrArray  *names;
  char      **ids;      /* the gloss_id of each file, or NULL */
  char      **digests;  /* the digest of each file, or NULL */
  gint        next;
} Scan;

static gpointer
scan_worker (gpointer data)
{
  Scan *scan = data;
  guint i;

  while ((i = (guint) g_atomic_int_add (&scan->next, 1)) < scan->names->len)
    {
      const char *name = g_ptr_array_index (scan->names, i);
      g_autofree char *file = NULL;

      if (!g_str_has_suffix (name, ".md"))
        continue;
      file = g_build_filename (scan->path, name, NULL);
      scan_file (file, &scan->ids[i], &scan->digests[i]);
    }
  return NULL;
}

static gboolean
folder_scan (Folder      *folder,
             const char  *path,
             GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  const char *name;

  folder->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  folder->taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  folder->existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not create the folder “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  dir = g_dir_open (path, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not read the folder “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_ptr_array_add (names, g_strdup (name));
      g_hash_table_add (folder->taken, g_utf8_strdown (name, -1));
    }
  /* Sorted, so that of two copies of one clip's file the same one wins. */
  g_ptr_array_sort (names, compare_names);
  {
    Scan scan = { path, names, g_new0 (char *, names->len), g_new0 (char *, names->len), 0 };
    g_autoptr(GPtrArray) threads = g_ptr_array_new ();
    guint n_threads = MIN (CLAMP (g_get_num_processors (), 1, 8), MAX (1, names->len / 64));

    /* Opening ten thousand files is worth a few threads too. */
    for (guint i = 1; i < n_threads; i++)
      g_ptr_array_add (threads, g_thread_new ("gloss-export-scan", scan_worker, &scan));
    scan_worker (&scan);
    for (guint i = 0; i < threads->len; i++)
      g_thread_join (g_ptr_array_index (threads, i));

    for (guint i = 0; i < names->len; i++)
      {
        char *id = scan.ids[i];
        const char *n = g_ptr_array_index (names, i);

        g_hash_table_insert (folder->existing, g_strdup (n),
                             scan.digests[i] != NULL ? scan.digests[i] : g_strdup (""));
        if (id != NULL && !g_hash_table_contains (folder->by_id, id))
          g_hash_table_insert (folder->by_id, id, g_strdup (n));
        else
          g_free (id);
      }
    g_free (scan.ids);
    g_free (scan.digests);
  }
  return TRUE;
}

static char *
folder_pick_name (Folder          *folder,
                  GlossExportClip *clip)
{
  const char *existing = g_hash_table_lookup (folder->by_id, clip->id);
  g_autofree char *slug = NULL;
  char *name;

  if (existing != NULL)
    return g_strdup (existing);

  slug = gloss_slugify (clip->title != NULL && clip->title[0] != '\0' ? clip->title : clip->url,
                        SLUG_MAX_BYTES);
  name = g_strconcat (slug, ".md", NULL);
  for (guint n = 2; g_hash_table_contains (folder->taken, name); n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s-%u.md", slug, n);
    }
  g_assert (strlen (name) <= FILE_NAME_MAX_BYTES);
  g_hash_table_add (folder->taken, g_strdup (name));
  g_hash_table_insert (folder->by_id, g_strdup (clip->id), g_strdup (name));
  return name;
}

/* What the workers make of one clip. */
typedef struct
{
  char    *id;
  char    *title;      /* the title, or the URL: the file's name */
  GString *text;       /* Markdown, or JSON for the JSON-LD export */
  guint    n_annotations;
  guint    n_items;    /* JSON-LD: annotations written */
  gboolean skipped;
  gboolean unchanged;  /* after writing: the file was up to date */
  char    *name;
} Rendered;

static void
rendered_clear (Rendered *r)
{
  g_free (r->id);
  g_free (r->title);
  if (r->text != NULL)
    g_string_free (r->text, TRUE);
  g_free (r->name);
}

typedef struct _Parallel Parallel;
typedef void (*ItemFunc) (Parallel *par,
                          guint     index);

/* Runs @func for every clip on a few threads: reading and rendering a
 * clip are independent of every other, and a machine's cores are the
 * difference between a slow export and one that feels instant. */
struct _Parallel
{
  Job           *job;
  GCancellable  *cancellable;
  GlossTemplate *tmpl;      /* Markdown */
  Rendered      *results;
  ItemFunc       func;
  const char    *dir;       /* writing: the folder */
  Folder        *folder;    /* writing: what was there before */
  GError        *error;     /* the first write error */
  GMutex         lock;
  GCancellable  *caller;
  gulong         caller_handler;
  guint          total;
  gint           next;
  gint           done;
};

static gpointer
parallel_worker (gpointer data)
{
  Parallel *par = data;

  while (!g_cancellable_is_cancelled (par->cancellable))
    {
      guint i = (guint) g_atomic_int_add (&par->next, 1);

      if (i >= par->total)
        break;
      par->func (par, i);
      g_atomic_int_inc (&par->done);
    }
  return NULL;
}

static void
parallel_run (Parallel *par,
              ItemFunc  func)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  guint n_threads = CLAMP (g_get_num_processors (), 1, 8);

  par->func = func;
  par->next = 0;
  par->done = 0;
  n_threads = MIN (n_threads, MAX (1, par->total / 64));
  for (guint i = 1; i < n_threads; i++)
    g_ptr_array_add (threads, g_thread_new ("gloss-export", parallel_worker, par));

  /* This thread works too, and alone reports progress. */
  while (!g_cancellable_is_cancelled (par->cancellable))
    {
      guint i = (guint) g_atomic_int_add (&par->next, 1);

      if (i >= par->total)
        break;
      func (par, i);
      g_atomic_int_inc (&par->done);
      report (par->job, (guint) g_atomic_int_get (&par->done), par->total);
    }
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
}

static void
render_markdown_item (Parallel *par,
                      guint     index)
{
  Rendered *r = &par->results[index];
  g_autoptr(GlossExportClip) clip = NULL;
  g_autofree char *article_text = NULL;
  g_autofree char *article_markdown = NULL;

  clip = job_load_clip (par->job, index, &article_text, &article_markdown);
  if (clip == NULL)
    {
      r->skipped = TRUE;
      return;
    }
  r->id = g_strdup (clip->id);
  r->title = g_strdup (clip->title != NULL && clip->title[0] != '\0' ? clip->title : clip->url);
  r->n_annotations = clip->annotations->len;
  r->text = g_string_sized_new (4096);
  gloss_export_render_markdown (clip, par->tmpl, article_text, article_markdown, r->text);
}

static void
write_markdown_item (Parallel *par,
                     guint     index)
{
  Rendered *r = &par->results[index];
  g_autofree char *path = NULL;
  g_autofree char *old = NULL;
  g_autoptr(GError) error = NULL;
  const char *before;
  gsize old_len = 0;

  if (r->skipped)
    return;
  path = g_build_filename (par->dir, r->name, NULL);
  /* An unchanged file is left alone, so sync tools see no change. The scan
   * read every file already: its digest answers without reading again. */
  before = g_hash_table_lookup (par->folder->existing, r->name);
  if (before != NULL && before[0] != '\0')
    {
      g_autofree char *now = digest (r->text->str, r->text->len);

      if (g_str_equal (before, now))
        {
          r->unchanged = TRUE;
          return;
        }
    }
  else if (before != NULL &&
           g_file_get_contents (path, &old, &old_len, NULL) &&
           old_len == r->text->len && memcmp (old, r->text->str, old_len) == 0)
    {
      r->unchanged = TRUE;
      return;
    }
  if (!write_file (path, r->text->str, r->text->len, &error))
    {
      g_mutex_lock (&par->lock);
      if (par->error == NULL)
        par->error = g_steal_pointer (&error);
      g_mutex_unlock (&par->lock);
      g_cancellable_cancel (par->cancellable);
    }
}

static void
parallel_clear (Parallel *par)
{
  for (guint i = 0; par->results != NULL && i < par->total; i++)
    rendered_clear (&par->results[i]);
  g_clear_pointer (&par->results, g_free);
  g_clear_error (&par->error);
  g_mutex_clear (&par->lock);
  if (par->caller != NULL)
    g_cancellable_disconnect (par->caller, par->caller_handler);
}

static void
cancel_cb (GCancellable *caller,
           gpointer      own)
{
  g_cancellable_cancel (own);
}

static void
parallel_init (Parallel     *par,
               Job          *job,
               GCancellable *cancellable)
{
  memset (par, 0, sizeof *par);
  par->job = job;
  /* A cancellable of our own, so that a failed write can stop the others
   * without cancelling the caller's. */
  par->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      par->caller = cancellable;
      par->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cb),
                                                   g_object_ref (par->cancellable), g_object_unref);
    }
  par->total = job_n_clips (job);
  par->results = g_new0 (Rendered, par->total);
  g_mutex_init (&par->lock);
}

static GlossExportSummary *
run_markdown (Job           *job,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GlossExportSummary) summary = g_new0 (GlossExportSummary, 1);
  g_autoptr(GlossTemplate) tmpl = NULL;
  g_autoptr(GCancellable) own = NULL;
  gboolean combined = (job->flags & GLOSS_EXPORT_COMBINED) != 0;
  Folder folder = { NULL, NULL };
  Parallel par;

  if (!check_destination (job, error))
    return NULL;
  if ((tmpl = load_template (job, error)) == NULL)
    return NULL;

  if (combined)
    {
      if (g_file_test (job->destination, G_FILE_TEST_IS_DIR))
        summary->path = g_build_filename (job->destination, "gloss-export.md", NULL);
      else
        summary->path = g_strdup (job->destination);
    }
  else
    {
      summary->path = g_strdup (job->destination);
      if (!folder_scan (&folder, job->destination, error))
        {
          folder_clear (&folder);
          return NULL;
        }
    }

  parallel_init (&par, job, cancellable);
  own = par.cancellable;
  par.tmpl = tmpl;
  parallel_run (&par, render_markdown_item);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  for (guint i = 0; i < par.total; i++)
    {
      Rendered *r = &par.results[i];

      if (r->skipped)
        {
          summary->skipped++;
          continue;
        }
      summary->clips++;
      summary->annotations += r->n_annotations;
      if (!combined)
        {
          GlossExportClip key = { .id = r->id, .title = r->title, .url = r->title };
          /* Names are given in the order of the clips, so that two clips
           * with one title always get the same two files. */
          r->name = folder_pick_name (&folder, &key);
        }
    }

  if (combined)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autofree char *now = gloss_time_now_string ();

      gloss_export_render_combined_header (summary->clips, now, out);
      for (guint i = 0; i < par.total; i++)
        if (!par.results[i].skipped)
          g_string_append_len (out, par.results[i].text->str, par.results[i].text->len);
      if (!write_file (summary->path, out->str, out->len, error))
        goto out;
      summary->files_written = 1;
    }
  else
    {
      par.dir = job->destination;
      par.folder = &folder;
      parallel_run (&par, write_markdown_item);
      if (par.error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&par.error));
          goto out;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      for (guint i = 0; i < par.total; i++)
        if (!par.results[i].skipped)
          {
            if (par.results[i].unchanged)
              summary->files_unchanged++;
            else
              summary->files_written++;
          }
    }

  folder_clear (&folder);
  parallel_clear (&par);
  report (job, job_n_clips (job), job_n_clips (job));
  return g_steal_pointer (&summary);

out:
  folder_clear (&folder);
  parallel_clear (&par);
  return NULL;
}

static void
append_json (GString       *out,
             JsonGenerator *generator,
             JsonObject    *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  json_generator_to_gstring (generator, out);
}

static char *
json_string (const char *value)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, value);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
render_jsonld_item (Parallel *par,
                    guint     index)
{
  Rendered *r = &par->results[index];
  g_autoptr(GlossExportClip) clip = NULL;
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonNode) context = gloss_export_jsonld_context ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *article_text = NULL;
  g_autofree char *article_markdown = NULL;
  gboolean lines = (par->job->flags & GLOSS_EXPORT_JSON_LINES) != 0;

  clip = job_load_clip (par->job, index, &article_text, &article_markdown);
  if (clip == NULL)
    {
      r->skipped = TRUE;
      return;
    }
  r->n_annotations = clip->annotations->len;
  r->text = g_string_sized_new (8192);
  json_generator_set_pretty (generator, !lines);
  json_generator_set_indent (generator, 2);

  /* Every annotation carries its context, also inside the collection, so
   * that each one taken alone is a valid W3C annotation. */
  gloss_export_clip_to_jsonld (clip, context, objects);
  for (guint j = 0; j < objects->len; j++)
    {
      if (!lines && j > 0)
        g_string_append (r->text, ",\n");
      append_json (r->text, generator, g_ptr_array_index (objects, j));
      if (lines)
        g_string_append_c (r->text, '\n');
    }
  r->n_items = objects->len;
}

static GlossExportSummary *
run_jsonld (Job           *job,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GlossExportSummary) summary = g_new0 (GlossExportSummary, 1);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GCancellable) own = NULL;
  gboolean lines = (job->flags & GLOSS_EXPORT_JSON_LINES) != 0;
  guint n_items = 0;
  gboolean first = TRUE;
  Parallel par;

  if (!check_destination (job, error))
    return NULL;
  summary->path = g_strdup (job->destination);

  parallel_init (&par, job, cancellable);
  own = par.cancellable;
  parallel_run (&par, render_jsonld_item);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      parallel_clear (&par);
      return NULL;
    }

  for (guint i = 0; i < par.total; i++)
    {
      if (par.results[i].skipped)
        summary->skipped++;
      else
        {
          summary->clips++;
          summary->annotations += par.results[i].n_annotations;
          n_items += par.results[i].n_items;
        }
    }

  if (!lines)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) context = gloss_export_jsonld_context ();
      g_autofree char *context_text = NULL;
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *now = gloss_time_now_string ();
      g_autofree char *now_json = json_string (now);

      json_generator_set_root (generator, context);
      context_text = json_generator_to_data (generator, NULL);
      g_string_append_printf (out,
                              "{\n"
                              "\"@context\": %s,\n"
                              "\"id\": \"urn:uuid:%s\",\n"
                              "\"type\": \"AnnotationCollection\",\n"
                              "\"label\": \"Gloss export\",\n"
                              "\"generator\": {\"id\": \"https://glossapp.github.io/\", \"type\": \"Software\", \"name\": \"Gloss %s\"},\n"
                              "\"generated\": %s,\n"
                              "\"total\": %u,\n"
                              "\"first\": {\n"
                              "\"id\": \"urn:uuid:%s#page-1\",\n"
                              "\"type\": \"AnnotationPage\",\n"
                              "\"startIndex\": 0,\n"
                              "\"items\": [\n",
                              context_text, uuid, PACKAGE_VERSION, now_json, n_items, uuid);
    }

  for (guint i = 0; i < par.total; i++)
    {
      Rendered *r = &par.results[i];

      if (r->skipped || r->text->len == 0)
        continue;
      if (!lines && !first)
        g_string_append (out, ",\n");
      g_string_append_len (out, r->text->str, r->text->len);
      first = FALSE;
    }
  if (!lines)
    g_string_append (out, "\n]\n}\n}\n");
  parallel_clear (&par);

  if (!write_file (job->destination, out->str, out->len, error))
    return NULL;
  summary->files_written = 1;
  report (job, job_n_clips (job), job_n_clips (job));
  return g_steal_pointer (&summary);
}

static Job *
job_new (JobKind            kind,
         GPtrArray         *clips,
         GFile             *destination,
         GFile             *template_file,
         GlossExportFlags   flags,
         GlossProgressFunc  progress,
         gpointer           progress_data,
         GDestroyNotify     progress_notify)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->flags = flags;
  job->destination = g_file_get_path (destination);
  job->template_path = template_file != NULL ? g_file_get_path (template_file) : NULL;
  job->folders = g_ptr_array_new_with_free_func (g_free);
  job->copies = g_ptr_array_new_with_free_func ((GDestroyNotify) gloss_export_clip_free);

  if (progress != NULL)
    {
      job->progress = g_atomic_rc_box_new0 (ProgressTarget);
      job->progress->func = progress;
      job->progress->data = progress_data;
      job->progress->notify = progress_notify;
    }
  else if (progress_notify != NULL)
    progress_notify (progress_data);

  for (guint i = 0; clips != NULL && i < clips->len; i++)
    {
      GlossClip *clip = g_ptr_array_index (clips, i);
      GFile *folder = gloss_clip_get_folder (clip);
      char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (gloss_clip_get_damage (clip) != NULL)
        {
          job->skipped_at_start++;
          g_free (path);
        }
      /* Saved clips are read again on the worker thread; the GlossClip
       * objects belong to the window's thread. */
      else if (path != NULL)
        g_ptr_array_add (job->folders, path);
      else
        g_ptr_array_add (job->copies, copy_clip (clip, NULL));
    }

  return job;
}

static GlossExportSummary *
job_run (Job           *job,
         GCancellable  *cancellable,
         GError       **error)
{
  GlossExportSummary *summary;

  if (job->destination == NULL)
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                           _("Export needs a local file or folder"));
      return NULL;
    }

  if (job->kind == JOB_MARKDOWN)
    summary = run_markdown (job, cancellable, error);
  else
    summary = run_jsonld (job, cancellable, error);

  if (summary != NULL)
    summary->skipped += job->skipped_at_start;
  return summary;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GlossExportSummary *summary = job_run (task_data, cancellable, &error);

  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, (GDestroyNotify) gloss_export_summary_free);
}

static void
start_task (Job                 *job,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_return_on_cancel (task, FALSE);
  job->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, export_thread);
}

void
gloss_export_markdown_async (GPtrArray           *clips,
                             GFile               *destination,
                             GFile               *template_file,
                             GlossExportFlags     flags,
                             GlossProgressFunc    progress,
                             gpointer             progress_data,
                             GDestroyNotify       progress_notify,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (clips != NULL);
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (template_file == NULL || G_IS_FILE (template_file));

  start_task (job_new (JOB_MARKDOWN, clips, destination, template_file, flags,
                       progress, progress_data, progress_notify),
              gloss_export_markdown_async, cancellable, callback, user_data);
}

GlossExportSummary *
gloss_export_markdown_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gloss_export_markdown_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GlossExportSummary *
gloss_export_markdown (GPtrArray          *clips,
                       GFile              *destination,
                       GFile              *template_file,
                       GlossExportFlags    flags,
                       GlossProgressFunc   progress,
                       gpointer            progress_data,
                       GCancellable       *cancellable,
                       GError            **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (clips != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  job = job_new (JOB_MARKDOWN, clips, destination, template_file, flags,
                 progress, progress_data, NULL);
  return job_run (job, cancellable, error);
}

void
gloss_export_jsonld_async (GPtrArray           *clips,
                           GFile               *destination,
                           GlossExportFlags     flags,
                           GlossProgressFunc    progress,
                           gpointer             progress_data,
                           GDestroyNotify       progress_notify,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (clips != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  start_task (job_new (JOB_JSONLD, clips, destination, NULL, flags,
                       progress, progress_data, progress_notify),
              gloss_export_jsonld_async, cancellable, callback, user_data);
}

GlossExportSummary *
gloss_export_jsonld_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gloss_export_jsonld_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GlossExportSummary *
gloss_export_jsonld (GPtrArray          *clips,
                     GFile              *destination,
                     GlossExportFlags    flags,
                     GlossProgressFunc   progress,
                     gpointer            progress_data,
                     GCancellable       *cancellable,
                     GError            **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (clips != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  job = job_new (JOB_JSONLD, clips, destination, NULL, flags, progress, progress_data, NULL);
  return job_run (job, cancellable, error);
}

GPtrArray *
gloss_export_collect_clips (GlossLibrary        *library,
                            const char * const  *clip_ids,
                            GError             **error)
{
  g_autoptr(GPtrArray) clips = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (GLOSS_IS_LIBRARY (library), NULL);

  if (clip_ids == NULL)
    {
      GListModel *model = G_LIST_MODEL (library);
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (clips, g_list_model_get_item (model, i));
      return g_steal_pointer (&clips);
    }

  for (guint i = 0; clip_ids[i] != NULL; i++)
    {
      GlossClip *clip = gloss_library_lookup (library, clip_ids[i]);

      if (clip == NULL)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND,
                       _("There is no clip with the id “%s”"), clip_ids[i]);
          return NULL;
        }
      /* A clip named twice is exported once. */
      if (g_hash_table_add (seen, clip))
        g_ptr_array_add (clips, g_object_ref (clip));
    }
  return g_steal_pointer (&clips);
}

char *
gloss_export_clip_to_markdown (GlossClip        *clip,
                               GlossExportFlags  flags)
{
  g_autoptr(GlossTemplate) tmpl = NULL;
  g_autoptr(GlossExportClip) copy = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *article_text = NULL;
  g_autofree char *article_markdown = NULL;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (GLOSS_IS_CLIP (clip), NULL);

  if (gloss_clip_get_folder (clip) != NULL)
    folder = g_file_get_path (gloss_clip_get_folder (clip));
  article_text = read_optional (folder, "article.txt");
  if (flags & GLOSS_EXPORT_WITH_ARTICLE)
    article_markdown = read_optional (folder, "article.md");

  tmpl = gloss_template_new (gloss_export_default_template (FALSE), NULL, NULL);
  copy = copy_clip (clip, article_text);
  gloss_export_render_markdown (copy, tmpl, article_text, article_markdown, out);
  return g_string_free (out, FALSE);
}
