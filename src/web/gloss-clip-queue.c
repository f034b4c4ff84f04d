/* gloss-clip-queue.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A background clipper for lists of pages (imports, pages not clipped
 * yet). The pages load in GlossBrowsers inside windows that are never
 * shown, so that the user's own view is left alone, and are clipped by
 * GlossClipper exactly as the Clip button does. Pages of different sites
 * load side by side, at most one page per site at a time; the waiting list
 * is kept in the cache, so that what a quit interrupted is resumed
 * (gloss_clip_queue_resume()). */

#define G_LOG_DOMAIN "gloss-clip-queue"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "gloss-browser.h"
#include "gloss-clip-queue-private.h"
#include "gloss-clipper.h"
#include "gloss-error.h"
#include "gloss-import.h"

#define DEFAULT_TIMEOUT_S 60
/* Once the document is parsed, how long its images, styles and scripts
 * may still load before the page is clipped as it is: a far-away server
 * holding one image must not hold up the clip. */
#define SUBRESOURCE_GRACE_MS 3000
/* A document whose parser waits on a script from a host that never
 * answers is clipped as far as it got, this long after it started (the
 * clip script still waits for a parser that is making progress). */
#define DOCUMENT_CAP_MS 8000

/* Pages of different sites load side by side, each in its own hidden
 * web view; never two of one site at once, so that no site sees Gloss
 * as more than one reader. */
#define DEFAULT_WORKERS 3
/* The waiting list is written to the cache at most this often. */
#define SAVE_DELAY_MS 500

typedef struct
{
  char     *url;
  char     *site;
  char     *images_of;        /* a clip id: fetch its article's images */
  gboolean  update_existing;
} Item;

typedef struct
{
  GlossClipQueue *queue;
  GlossClipper   *clipper;
  GlossBrowser   *browser;
  GtkWindow      *window;       /* never shown: WebKit wants a toplevel */
  GCancellable   *cancellable;
  Item           *current;
  guint           timeout_id;
  guint           grace_id;
  gboolean        started;      /* our load has begun */
  gulong          load_changed_id;
  gulong          load_error_id;
  gulong          checked_id;
} Worker;

struct _GlossClipQueue
{
  GObject        parent_instance;

  GlossLibrary  *library;
  GlossClipper  *last_clipper;  /* of the page done last, for its stats */
  gboolean       last_was_images;
  guint          last_saved;
  guint          last_images;
  GlossImagesJob *images_job;   /* the images of one imported article at a time */
  Item          *images_item;
  guint          n_images_waiting;
  GPtrArray     *retry;         /* Item: images that could not be reached, for the next start */
  gboolean       scanning;      /* looking for imported articles' images */
  GCancellable  *scan_cancellable;
  GPtrArray     *workers;       /* Worker */
  guint          max_workers;

  GQueue         items;
  GHashTable    *urls;          /* waiting or loading: each once */
  guint          timeout_s;
  guint          start_id;
  guint          save_id;
  char          *save_path;     /* the waiting list in the cache */

  guint          done;
  guint          total;
  guint          clipped;
  guint          skipped;
  GPtrArray     *failures;
};

G_DEFINE_FINAL_TYPE (GlossClipQueue, gloss_clip_queue, G_TYPE_OBJECT)

enum {
  PROGRESS,
  ITEM_DONE,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void next_items (GlossClipQueue *self);
static gboolean start_cb (gpointer user_data);
static gboolean grace_cb (gpointer user_data);
static void schedule_save (GlossClipQueue *self);

static GQuark
queue_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("gloss-clip-queue");
  return quark;
}

static void
item_free (Item *item)
{
  g_free (item->url);
  g_free (item->site);
  g_free (item->images_of);
  g_free (item);
}

/* What the set of URLs knows an item by: a page by its address, the
 * images of an article by its clip. */
static char *
item_key (Item *item)
{
  if (item->images_of != NULL)
    return g_strconcat ("images:", item->images_of, NULL);
  return g_strdup (item->url);
}

/* The site a page is on: its host, in lower case. */
static char *
site_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_ascii_strdown (url, -1);
  return g_ascii_strdown (g_uri_get_host (uri), -1);
}

static void
stop_waiting (Worker *worker)
{
  g_clear_handle_id (&worker->timeout_id, g_source_remove);
  g_clear_handle_id (&worker->grace_id, g_source_remove);
  g_clear_signal_handler (&worker->load_changed_id, gloss_browser_get_web_view (worker->browser));
  g_clear_signal_handler (&worker->load_error_id, worker->browser);
  g_clear_signal_handler (&worker->checked_id, worker->browser);
}

static void
worker_free (Worker *worker)
{
  g_cancellable_cancel (worker->cancellable);
  stop_waiting (worker);
  g_clear_pointer (&worker->current, item_free);
  g_clear_pointer (&worker->window, gtk_window_destroy);
  g_clear_object (&worker->browser);
  g_clear_object (&worker->clipper);
  g_clear_object (&worker->cancellable);
  g_free (worker);
}

static Worker *
worker_new (GlossClipQueue *self)
{
  Worker *worker = g_new0 (Worker, 1);

  worker->queue = self;
  worker->clipper = gloss_clipper_new (self->library);
  worker->browser = gloss_browser_new ();
  gloss_clipper_prepare_background_view (gloss_browser_get_web_view (worker->browser));
  worker->cancellable = g_cancellable_new ();
  worker->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (worker->window, GTK_WIDGET (gloss_browser_get_web_view (worker->browser)));
  return worker;
}

/* @clip: the new or updated clip, or the one already there when skipped. */
static void
item_done (Worker     *worker,
           GlossClip  *clip,
           gboolean    skipped,
           const char *failure)
{
  GlossClipQueue *self = worker->queue;
  g_autofree char *url = NULL;

  stop_waiting (worker);

  if (failure != NULL)
    g_ptr_array_add (self->failures, g_strdup_printf ("%s: %s", worker->current->url, failure));

  url = g_steal_pointer (&worker->current->url);
  g_clear_pointer (&worker->current, item_free);
  g_hash_table_remove (self->urls, url);
  self->done++;
  self->last_clipper = worker->clipper;
  self->last_was_images = FALSE;
  schedule_save (self);

  g_object_ref (self);
  g_signal_emit (self, signals[ITEM_DONE], 0, url, clip, skipped, failure);
  g_signal_emit (self, signals[PROGRESS], 0, self->done, self->total);

  next_items (self);
  g_object_unref (self);
}

static void
clip_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Worker *worker = user_data;
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (GLOSS_IS_CLIPPER (object));

  clip = gloss_clipper_clip_finish (GLOSS_CLIPPER (object), result, NULL, &error);

  /* Cancelled: the worker is gone or has moved on. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_CANCELLED) || worker->current == NULL)
    return;

  if (clip != NULL)
    worker->queue->clipped++;

  item_done (worker, clip, FALSE, clip == NULL ? error->message : NULL);
}

/* What to do with a loaded page: a clip not clipped yet (an import's, by
 * the address asked for, else the one reached) gets its article; any other
 * clip of the page is left alone, unless the item asks to update it; else
 * the page becomes a new clip. */
static void
page_loaded (Worker *worker)
{
  GlossClipQueue *self = worker->queue;
  WebKitWebView *web_view = gloss_browser_get_web_view (worker->browser);
  g_autofree char *asked = gloss_browser_normalize_uri (worker->current->url, NULL);
  GlossClip *by_asked = asked ? gloss_library_find_by_url (self->library, asked) : NULL;
  GlossClip *by_reached = gloss_library_find_by_url (self->library, webkit_web_view_get_uri (web_view));
  GlossClip *update = NULL;

  stop_waiting (worker);

  if (by_asked != NULL && gloss_import_clip_is_pending (by_asked))
    update = by_asked;
  else if (by_reached != NULL && gloss_import_clip_is_pending (by_reached))
    update = by_reached;
  else if (by_asked != NULL || by_reached != NULL)
    {
      GlossClip *existing = by_reached ? by_reached : by_asked;

      if (!worker->current->update_existing)
        {
          self->skipped++;
          item_done (worker, existing, TRUE, NULL);
          return;
        }
      update = existing;
    }

  gloss_clipper_clip_async (worker->clipper, web_view, GLOSS_CLIP_MODE_ARTICLE, update,
                            worker->cancellable, clip_done_cb, worker);
}

static void
load_changed_cb (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 Worker          *worker)
{
  g_assert (WEBKIT_IS_WEB_VIEW (web_view));
  g_assert (GLOSS_IS_CLIP_QUEUE (worker->queue));

  /* The end of the previous page's load can still be on its way when
   * the next one is asked for: only a load seen to start is ours. */
  if (event == WEBKIT_LOAD_STARTED)
    worker->started = TRUE;
  else if (event == WEBKIT_LOAD_COMMITTED && worker->started && worker->grace_id == 0)
    worker->grace_id = g_timeout_add (DOCUMENT_CAP_MS, grace_cb, worker);
  else if (event == WEBKIT_LOAD_FINISHED && worker->started)
    page_loaded (worker);
}

static void
load_error_cb (GlossBrowser *browser,
               const char   *uri,
               const char   *title,
               const char   *description,
               Worker       *worker)
{
  /* One line: the headline says what (often the HTTP status), the
   * description why. */
  g_autofree char *failure = g_strdup_printf ("%s: %s", title, description ? description : "");

  g_assert (GLOSS_IS_BROWSER (browser));
  g_assert (GLOSS_IS_CLIP_QUEUE (worker->queue));

  webkit_web_view_stop_loading (gloss_browser_get_web_view (worker->browser));
  item_done (worker, NULL, FALSE, failure);
}

static gboolean
grace_cb (gpointer user_data)
{
  Worker *worker = user_data;

  g_assert (GLOSS_IS_CLIP_QUEUE (worker->queue));

  worker->grace_id = 0;
  page_loaded (worker);

  return G_SOURCE_REMOVE;
}

/* The readerable check runs once the document has been parsed. */
static void
readerable_checked_cb (GlossBrowser *browser,
                       gboolean      readerable,
                       Worker       *worker)
{
  g_assert (GLOSS_IS_BROWSER (browser));
  g_assert (GLOSS_IS_CLIP_QUEUE (worker->queue));

  if (worker->started)
    {
      g_clear_handle_id (&worker->grace_id, g_source_remove);
      worker->grace_id = g_timeout_add (SUBRESOURCE_GRACE_MS, grace_cb, worker);
    }
}

static gboolean
timeout_cb (gpointer user_data)
{
  Worker *worker = user_data;

  g_assert (GLOSS_IS_CLIP_QUEUE (worker->queue));

  worker->timeout_id = 0;
  webkit_web_view_stop_loading (gloss_browser_get_web_view (worker->browser));
  item_done (worker, NULL, FALSE, _("The page took too long to load"));

  return G_SOURCE_REMOVE;
}

static void
worker_start (Worker *worker,
              Item   *item)
{
  GlossClipQueue *self = worker->queue;
  WebKitWebView *web_view = gloss_browser_get_web_view (worker->browser);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  worker->current = item;
  if (!(uri = gloss_browser_normalize_uri (item->url, &error)))
    {
      item_done (worker, NULL, FALSE, error->message);
      return;
    }

  worker->load_changed_id = g_signal_connect (web_view, "load-changed", G_CALLBACK (load_changed_cb), worker);
  worker->load_error_id = g_signal_connect (worker->browser, "load-error", G_CALLBACK (load_error_cb), worker);
  worker->checked_id = g_signal_connect (worker->browser, "readerable-checked",
                                         G_CALLBACK (readerable_checked_cb), worker);
  worker->timeout_id = g_timeout_add_seconds (self->timeout_s, timeout_cb, worker);
  worker->started = FALSE;

  /* Asking again for the page already shown could answer from the old
   * document; a reload always brings a fresh one. */
  if (g_strcmp0 (webkit_web_view_get_uri (web_view), uri) == 0)
    webkit_web_view_reload_bypass_cache (web_view);
  else
    gloss_browser_load (worker->browser, uri);
}

static gboolean
site_busy (GlossClipQueue *self,
           const char     *site)
{
  if (self->images_item != NULL && g_str_equal (self->images_item->site, site))
    return TRUE;
  for (guint i = 0; i < self->workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (self->workers, i);

      if (worker->current != NULL && g_str_equal (worker->current->site, site))
        return TRUE;
    }
  return FALSE;
}

static Worker *
idle_worker (GlossClipQueue *self)
{
  for (guint i = 0; i < self->workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (self->workers, i);

      if (worker->current == NULL)
        return worker;
    }
  /* Web views are made as pages need them: most windows never import. */
  if (self->workers->len < self->max_workers)
    {
      g_ptr_array_add (self->workers, worker_new (self));
      return g_ptr_array_index (self->workers, self->workers->len - 1);
    }
  return NULL;
}

static gboolean
get_busy (GlossClipQueue *self)
{
  if (self->images_job != NULL)
    return TRUE;
  for (guint i = 0; i < self->workers->len; i++)
    if (((Worker *) g_ptr_array_index (self->workers, i))->current != NULL)
      return TRUE;
  return FALSE;
}

static void start_images (GlossClipQueue *self,
                          Item           *item);

/* Gives each idle web view the first waiting page of a site no other one
 * is loading, and the images of the first waiting article to fetch. */
static void
next_items (GlossClipQueue *self)
{
  gboolean started = TRUE;

  while (started)
    {
      started = FALSE;
      for (GList *l = self->items.head; l != NULL; l = l->next)
        {
          Item *item = l->data;
          Worker *worker;

          if (site_busy (self, item->site))
            continue;
          if (item->images_of != NULL)
            {
              if (self->images_job != NULL)
                continue;
              g_queue_delete_link (&self->items, l);
              self->n_images_waiting--;
              start_images (self, item);
              started = TRUE;
              break;
            }
          /* Every web view busy: only images may still start. */
          if ((worker = idle_worker (self)) == NULL)
            {
              if (self->images_job != NULL || self->n_images_waiting == 0)
                break;
              continue;
            }
          g_queue_delete_link (&self->items, l);
          worker_start (worker, item);
          started = TRUE;
          break;
        }
    }

  if (self->items.length == 0 && !get_busy (self) && !self->scanning)
    g_signal_emit (self, signals[FINISHED], 0);
}

/* --- the images of imported articles (gloss-clip-queue-images.c) ---------- */

static void
images_item_done (GlossClipQueue *self,
                  GlossClip      *clip,
                  const char     *failure)
{
  Item *item = g_steal_pointer (&self->images_item);
  g_autofree char *key = item_key (item);
  g_autofree char *url = g_strdup (item->url);

  g_hash_table_remove (self->urls, key);
  item_free (item);
  if (failure != NULL)
    g_ptr_array_add (self->failures, g_strdup_printf ("%s: %s", url, failure));
  self->done++;
  self->last_was_images = TRUE;
  schedule_save (self);

  g_object_ref (self);
  g_signal_emit (self, signals[ITEM_DONE], 0, url, clip, FALSE, failure);
  g_signal_emit (self, signals[PROGRESS], 0, self->done, self->total);
  next_items (self);
  g_object_unref (self);
}

void
_gloss_clip_queue_images_done (GlossClipQueue *self,
                               GlossImagesJob *job,
                               GlossClip      *clip,
                               const char     *failure)
{
  g_autoptr(GlossClip) hold = g_object_ref (clip);
  guint unreachable = 0;

  g_assert (GLOSS_IS_CLIP_QUEUE (self));
  g_assert (self->images_job == job);

  gloss_images_job_get_counts (job, &self->last_saved, &self->last_images, &unreachable);
  self->images_job = NULL;
  gloss_images_job_release (job);

  /* Offline now: the list kept in the cache keeps it, so that the next
   * start tries again by itself (a 404 waits for Clip All Not Clipped). */
  if (unreachable > 0 && failure == NULL)
    {
      Item *retry = g_new0 (Item, 1);

      retry->url = g_strdup (self->images_item->url);
      retry->site = g_strdup (self->images_item->site);
      retry->images_of = g_strdup (self->images_item->images_of);
      g_ptr_array_add (self->retry, retry);
    }
  images_item_done (self, hold, failure);
}

static void
start_images (GlossClipQueue *self,
              Item           *item)
{
  GlossClip *clip = gloss_library_lookup (self->library, item->images_of);

  self->images_item = item;
  self->last_saved = self->last_images = 0;
  if (clip == NULL || gloss_clip_get_folder (clip) == NULL || gloss_clip_get_damage (clip) != NULL)
    {
      images_item_done (self, NULL, _("The clip is no longer in the library"));
      return;
    }
  self->images_job = gloss_images_job_start (self, clip, item->url);
}

GlossLibrary *
gloss_clip_queue_get_library (GlossClipQueue *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), NULL);

  return self->library;
}

gboolean
gloss_clip_queue_add_images (GlossClipQueue *self,
                             GlossClip      *clip)
{
  Item *item;
  g_autofree char *key = NULL;

  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), FALSE);
  g_return_val_if_fail (GLOSS_IS_CLIP (clip), FALSE);

  key = g_strconcat ("images:", gloss_clip_get_id (clip), NULL);
  if (g_hash_table_contains (self->urls, key))
    return FALSE;
  /* Tried now rather than at the next start. */
  for (guint i = 0; i < self->retry->len; i++)
    if (g_str_equal (((Item *) g_ptr_array_index (self->retry, i))->images_of, gloss_clip_get_id (clip)))
      g_ptr_array_remove_index (self->retry, i--);
  g_hash_table_add (self->urls, g_steal_pointer (&key));

  item = g_new0 (Item, 1);
  item->url = g_strdup (gloss_clip_get_url (clip));
  item->site = site_of (item->url);
  item->images_of = g_strdup (gloss_clip_get_id (clip));
  g_queue_push_tail (&self->items, item);
  self->n_images_waiting++;
  self->total++;
  schedule_save (self);
  if (self->start_id == 0)
    self->start_id = g_idle_add (start_cb, self);
  return TRUE;
}

gboolean
gloss_clip_queue_get_last_images (GlossClipQueue *self,
                                  guint          *n_saved,
                                  guint          *n_images)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), FALSE);

  if (!self->last_was_images)
    {
      const GlossClipStats *stats = self->last_clipper ? gloss_clipper_get_stats (self->last_clipper) : NULL;

      if (n_saved != NULL)
        *n_saved = stats ? stats->n_images_saved : 0;
      if (n_images != NULL)
        *n_images = stats ? stats->n_images : 0;
      return FALSE;
    }
  if (n_saved != NULL)
    *n_saved = self->last_saved;
  if (n_images != NULL)
    *n_images = self->last_images;
  return TRUE;
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GlossClipQueue *self = user_data;
  g_autoptr(GPtrArray) found = gloss_images_scan_finish (result, NULL);

  g_assert (GLOSS_IS_CLIP_QUEUE (self));

  self->scanning = FALSE;
  g_clear_object (&self->scan_cancellable);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      GlossClip *clip = gloss_library_lookup (self->library, g_ptr_array_index (found, i));

      if (clip != NULL)
        gloss_clip_queue_add_images (self, clip);
    }
  /* Nothing found, nothing else to do: "finished" now. */
  next_items (self);
  g_object_unref (self);
}

/* --- the waiting list, kept across a restart ------------------------------ */

static void
add_kept_item (JsonBuilder *builder,
               Item        *item)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, item->url);
  json_builder_set_member_name (builder, "update");
  json_builder_add_boolean_value (builder, item->update_existing);
  if (item->images_of != NULL)
    {
      json_builder_set_member_name (builder, "images");
      json_builder_add_string_value (builder, item->images_of);
    }
  json_builder_end_object (builder);
}

static gboolean
save_cb (gpointer user_data)
{
  GlossClipQueue *self = user_data;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  g_autofree char *library = NULL;

  g_assert (GLOSS_IS_CLIP_QUEUE (self));

  self->save_id = 0;
  if (self->save_path == NULL)
    return G_SOURCE_REMOVE;

  builder = json_builder_new ();
  library = g_file_get_path (gloss_library_get_folder (self->library));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "library");
  json_builder_add_string_value (builder, library != NULL ? library : "");
  json_builder_set_member_name (builder, "pages");
  json_builder_begin_array (builder);
  /* The pages being loaded first: they are not done until they are. */
  for (guint i = 0; i < self->workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (self->workers, i);

      if (worker->current != NULL)
        add_kept_item (builder, worker->current);
    }
  if (self->images_item != NULL)
    add_kept_item (builder, self->images_item);
  for (guint i = 0; i < self->retry->len; i++)
    add_kept_item (builder, g_ptr_array_index (self->retry, i));
  for (GList *l = self->items.head; l != NULL; l = l->next)
    add_kept_item (builder, l->data);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, NULL);

  /* A cache: losing it loses a list of pages to clip, never a clip. */
  dir = g_path_get_dirname (self->save_path);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (self->save_path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not keep the list of pages to clip: %s", error ? error->message : g_strerror (errno));

  return G_SOURCE_REMOVE;
}

static void
schedule_save (GlossClipQueue *self)
{
  if (self->save_id == 0 && self->save_path != NULL)
    self->save_id = g_timeout_add (SAVE_DELAY_MS, save_cb, self);
}

static void
gloss_clip_queue_dispose (GObject *object)
{
  GlossClipQueue *self = (GlossClipQueue *)object;

  /* What is still to do is written down for the next start. */
  if (self->save_id != 0)
    {
      g_clear_handle_id (&self->save_id, g_source_remove);
      save_cb (self);
    }
  g_clear_handle_id (&self->start_id, g_source_remove);
  g_clear_pointer (&self->workers, g_ptr_array_unref);
  g_clear_pointer (&self->images_job, gloss_images_job_release);
  g_clear_pointer (&self->images_item, item_free);
  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
  if (self->library != NULL &&
      g_object_get_qdata (G_OBJECT (self->library), queue_quark ()) == self)
    g_object_set_qdata (G_OBJECT (self->library), queue_quark (), NULL);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (gloss_clip_queue_parent_class)->dispose (object);
}

static void
gloss_clip_queue_finalize (GObject *object)
{
  GlossClipQueue *self = (GlossClipQueue *)object;

  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_clear_pointer (&self->urls, g_hash_table_unref);
  g_clear_pointer (&self->retry, g_ptr_array_unref);
  g_free (self->save_path);

  G_OBJECT_CLASS (gloss_clip_queue_parent_class)->finalize (object);
}

static void
gloss_clip_queue_class_init (GlossClipQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_clip_queue_dispose;
  object_class->finalize = gloss_clip_queue_finalize;

  signals[PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * GlossClipQueue::item-done:
   * @url: the address as it was added
   * @clip: (nullable): the new or updated clip, or the one already in the
   *   library when @skipped
   * @skipped: the page was already in the library and left alone
   * @failure: (nullable): why the page could not be clipped
   */
  signals[ITEM_DONE] =
    g_signal_new ("item-done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, GLOSS_TYPE_CLIP, G_TYPE_BOOLEAN, G_TYPE_STRING);

  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
gloss_clip_queue_init (GlossClipQueue *self)
{
  g_queue_init (&self->items);
  self->timeout_s = DEFAULT_TIMEOUT_S;
  self->max_workers = DEFAULT_WORKERS;
  self->workers = g_ptr_array_new_with_free_func ((GDestroyNotify) worker_free);
  self->failures = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->retry = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
}

/* One list per library, in the cache (FORMAT.md: outside the library). */
static char *
list_path (GlossLibrary *library)
{
  g_autofree char *path = g_file_get_path (gloss_library_get_folder (library));
  g_autofree char *key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path != NULL ? path : "", -1);
  g_autofree char *name = g_strconcat (key, ".json", NULL);

  return g_build_filename (g_get_user_cache_dir (), "gloss", "clip-queue", name, NULL);
}

static GlossClipQueue *
gloss_clip_queue_new (GlossLibrary *library)
{
  GlossClipQueue *self;

  self = g_object_new (GLOSS_TYPE_CLIP_QUEUE, NULL);
  self->library = g_object_ref (library);

  self->save_path = list_path (library);

  return self;
}

/* The one queue of a library in this process. It is found through the
 * library, which the application owns and hands to every part that clips
 * (the library view's Clip Now and Clip All Not Clipped, the window's
 * Import, `gloss --clip`), and it lives while one of them holds it: two
 * queues of one library would load the same pages twice and overwrite
 * each other's list in the cache. The library keeps only a pointer,
 * cleared when the queue goes, so neither keeps the other alive. */
GlossClipQueue *
gloss_clip_queue_ref_for_library (GlossLibrary *library)
{
  GlossClipQueue *self;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (library), NULL);

  self = g_object_get_qdata (G_OBJECT (library), queue_quark ());
  if (self != NULL)
    return g_object_ref (self);

  self = gloss_clip_queue_new (library);
  g_object_set_qdata (G_OBJECT (library), queue_quark (), self);
  return self;
}

static gboolean
start_cb (gpointer user_data)
{
  GlossClipQueue *self = user_data;

  g_assert (GLOSS_IS_CLIP_QUEUE (self));

  self->start_id = 0;
  next_items (self);

  return G_SOURCE_REMOVE;
}

gboolean
gloss_clip_queue_add (GlossClipQueue *self,
                      const char     *url,
                      gboolean        update_existing)
{
  Item *item;

  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  /* A page waiting or loading is there once, whoever adds it again (an
   * import while Clip All Not Clipped runs): its "item-done" comes once. */
  if (g_hash_table_contains (self->urls, url))
    return FALSE;
  g_hash_table_add (self->urls, g_strdup (url));

  item = g_new0 (Item, 1);
  item->url = g_strdup (url);
  item->site = site_of (url);
  item->update_existing = !!update_existing;
  g_queue_push_tail (&self->items, item);
  self->total++;
  schedule_save (self);

  /* From the main loop, so that a caller adding several pages has added
   * them all before the first one can finish (and "finished" come early). */
  if (self->start_id == 0)
    self->start_id = g_idle_add (start_cb, self);
  return TRUE;
}

guint
gloss_clip_queue_resume (GlossClipQueue *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *pages;
  guint added = 0;

  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), 0);

  if (self->save_path == NULL || !json_parser_load_from_file (parser, self->save_path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return 0;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "pages") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "pages")))
    return 0;
  pages = json_object_get_array_member (root, "pages");
  for (guint i = 0; i < json_array_get_length (pages); i++)
    {
      JsonNode *node = json_array_get_element (pages, i);
      JsonObject *page;
      const char *url;
      GlossClip *clip;
      gboolean update;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      page = json_node_get_object (node);
      url = json_object_get_string_member_with_default (page, "url", NULL);
      update = json_object_get_boolean_member_with_default (page, "update", FALSE);
      if (url == NULL)
        continue;
      if (json_object_has_member (page, "images"))
        {
          const char *id = json_object_get_string_member_with_default (page, "images", NULL);

          if (id != NULL && (clip = gloss_library_lookup (self->library, id)) != NULL)
            added += gloss_clip_queue_add_images (self, clip);
          continue;
        }
      /* Done since (by another window, or by hand): nothing to resume. */
      clip = gloss_library_find_by_url (self->library, url);
      if (clip != NULL && !update && !gloss_import_clip_is_pending (clip))
        continue;
      added += gloss_clip_queue_add (self, url, update);
    }
  return added;
}

guint
gloss_clip_queue_add_pending (GlossClipQueue *self)
{
  GListModel *model;
  guint added = 0;

  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), 0);

  model = G_LIST_MODEL (self->library);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GlossClip) clip = g_list_model_get_item (model, i);
      const char *url = gloss_clip_get_url (clip);

      if (gloss_import_clip_is_pending (clip) &&
          (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://")))
        added += gloss_clip_queue_add (self, url, FALSE);
    }

  /* And the imported articles whose pictures are still on the web: found
   * on a thread (their article.html is read), added when found. */
  if (!self->scanning)
    {
      self->scanning = TRUE;
      self->scan_cancellable = g_cancellable_new ();
      gloss_images_scan_async (self->library, self->scan_cancellable, scan_done_cb, g_object_ref (self));
    }
  return added;
}

void
gloss_clip_queue_cancel (GlossClipQueue *self)
{
  g_return_if_fail (GLOSS_IS_CLIP_QUEUE (self));

  for (GList *l = self->items.head; l != NULL; l = l->next)
    {
      g_autofree char *key = item_key (l->data);

      g_hash_table_remove (self->urls, key);
    }
  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
  self->n_images_waiting = 0;
  g_cancellable_cancel (self->scan_cancellable);
  if (self->images_job != NULL)
    gloss_images_job_cancel (self->images_job);
  schedule_save (self);

  for (guint i = 0; i < self->workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (self->workers, i);

      if (worker->current == NULL)
        continue;
      g_cancellable_cancel (worker->cancellable);
      g_clear_object (&worker->cancellable);
      worker->cancellable = g_cancellable_new ();
      webkit_web_view_stop_loading (gloss_browser_get_web_view (worker->browser));
      item_done (worker, NULL, FALSE, _("Cancelled"));
    }
}

gboolean
gloss_clip_queue_get_busy (GlossClipQueue *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), FALSE);

  return get_busy (self);
}

gboolean
gloss_clip_queue_has_url (GlossClipQueue *self,
                          const char     *url)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  return g_hash_table_contains (self->urls, url);
}

void
gloss_clip_queue_set_keep_list (GlossClipQueue *self,
                                gboolean        keep)
{
  g_return_if_fail (GLOSS_IS_CLIP_QUEUE (self));

  if (keep && self->save_path == NULL)
    self->save_path = list_path (self->library);
  else if (!keep)
    {
      g_clear_handle_id (&self->save_id, g_source_remove);
      g_clear_pointer (&self->save_path, g_free);
    }
}

void
gloss_clip_queue_flush (GlossClipQueue *self)
{
  g_return_if_fail (GLOSS_IS_CLIP_QUEUE (self));

  g_clear_handle_id (&self->save_id, g_source_remove);
  save_cb (self);
}

guint
gloss_clip_queue_get_n_loading (GlossClipQueue *self)
{
  guint n = 0;

  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), 0);

  for (guint i = 0; i < self->workers->len; i++)
    n += ((Worker *) g_ptr_array_index (self->workers, i))->current != NULL;
  return n + (self->images_job != NULL);
}

guint
gloss_clip_queue_get_clipped (GlossClipQueue *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), 0);

  return self->clipped;
}

guint
gloss_clip_queue_get_skipped (GlossClipQueue *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), 0);

  return self->skipped;
}

const char * const *
gloss_clip_queue_get_failures (GlossClipQueue *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), NULL);

  return self->failures->pdata != NULL ? (const char * const *) self->failures->pdata : none;
}

void
gloss_clip_queue_reset (GlossClipQueue *self)
{
  g_return_if_fail (GLOSS_IS_CLIP_QUEUE (self));

  self->done = self->total = self->clipped = self->skipped = 0;
  g_ptr_array_set_size (self->failures, 0);
}

GlossClipper *
gloss_clip_queue_get_clipper (GlossClipQueue *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), NULL);

  return self->last_clipper;
}

void
gloss_clip_queue_set_max_loading (GlossClipQueue *self,
                                  guint           n)
{
  g_return_if_fail (GLOSS_IS_CLIP_QUEUE (self));

  self->max_workers = MAX (n, 1);
}

void
gloss_clip_queue_set_timeout (GlossClipQueue *self,
                              guint           seconds)
{
  g_return_if_fail (GLOSS_IS_CLIP_QUEUE (self));

  self->timeout_s = MAX (seconds, 1);
}
