/* gloss-clip-queue.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A background clipper for lists of pages (imports). The pages load in a
 * GlossBrowser inside a window that is never shown, so that the user's
 * own view is left alone, and are clipped by GlossClipper exactly as the
 * Clip button does. */

#define G_LOG_DOMAIN "gloss-clip-queue"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "gloss-browser.h"
#include "gloss-clip-queue.h"
#include "gloss-clipper.h"
#include "gloss-import.h"

#define DEFAULT_TIMEOUT_S 60
/* Once the document is parsed, how long its images, styles and scripts
 * may still load before the page is clipped as it is: a far-away server
 * holding one image must not hold up the clip. */
#define SUBRESOURCE_GRACE_MS 3000

typedef struct
{
  char     *url;
  gboolean  update_existing;
} Item;

struct _GlossClipQueue
{
  GObject        parent_instance;

  GlossLibrary  *library;
  GlossClipper  *clipper;
  GlossBrowser  *browser;
  GtkWindow     *window;       /* never shown: WebKit wants a toplevel */
  GCancellable  *cancellable;

  GQueue         items;
  Item          *current;
  guint          timeout_s;
  guint          timeout_id;
  guint          grace_id;
  guint          start_id;
  gboolean       started;      /* our load has begun */
  gulong         load_changed_id;
  gulong         load_error_id;
  gulong         checked_id;

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

static void next_item (GlossClipQueue *self);

static void
item_free (Item *item)
{
  g_free (item->url);
  g_free (item);
}

static void
stop_waiting (GlossClipQueue *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_signal_handler (&self->load_changed_id, gloss_browser_get_web_view (self->browser));
  g_clear_signal_handler (&self->load_error_id, self->browser);
  g_clear_signal_handler (&self->checked_id, self->browser);
}

/* @clip: the new or updated clip, or the one already there when skipped. */
static void
item_done (GlossClipQueue *self,
           GlossClip      *clip,
           gboolean        skipped,
           const char     *failure)
{
  g_autofree char *url = NULL;

  stop_waiting (self);

  if (failure != NULL)
    g_ptr_array_add (self->failures, g_strdup_printf ("%s: %s", self->current->url, failure));

  url = g_steal_pointer (&self->current->url);
  g_clear_pointer (&self->current, item_free);
  self->done++;

  g_signal_emit (self, signals[ITEM_DONE], 0, url, clip, skipped, failure);
  g_signal_emit (self, signals[PROGRESS], 0, self->done, self->total);

  next_item (self);
}

static void
clip_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GlossClipQueue) self = user_data;
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;

  clip = gloss_clipper_clip_finish (GLOSS_CLIPPER (object), result, NULL, &error);

  if (self->current == NULL)
    return;

  if (clip != NULL)
    self->clipped++;

  item_done (self, clip, FALSE, clip == NULL ? error->message : NULL);
}

/* What to do with a loaded page: a clip that an import made from its own
 * data (by the address asked for, else the one reached) gets the real
 * article; any other clip of the page is left alone, unless the item asks
 * to update it; else the page becomes a new clip. */
static void
page_loaded (GlossClipQueue *self)
{
  WebKitWebView *web_view = gloss_browser_get_web_view (self->browser);
  g_autofree char *asked = gloss_browser_normalize_uri (self->current->url, NULL);
  GlossClip *by_asked = asked ? gloss_library_find_by_url (self->library, asked) : NULL;
  GlossClip *by_reached = gloss_library_find_by_url (self->library, webkit_web_view_get_uri (web_view));
  GlossClip *update = NULL;

  stop_waiting (self);

  if (by_asked != NULL && gloss_import_clip_is_pending (by_asked))
    update = by_asked;
  else if (by_reached != NULL && gloss_import_clip_is_pending (by_reached))
    update = by_reached;
  else if (by_asked != NULL || by_reached != NULL)
    {
      GlossClip *existing = by_reached ? by_reached : by_asked;

      if (!self->current->update_existing)
        {
          self->skipped++;
          item_done (self, existing, TRUE, NULL);
          return;
        }
      update = existing;
    }

  gloss_clipper_clip_async (self->clipper, web_view, GLOSS_CLIP_MODE_ARTICLE, update,
                            self->cancellable, clip_done_cb, g_object_ref (self));
}

static void
load_changed_cb (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 GlossClipQueue  *self)
{
  /* The end of the previous page's load can still be on its way when
   * the next one is asked for: only a load seen to start is ours. */
  if (event == WEBKIT_LOAD_STARTED)
    self->started = TRUE;
  else if (event == WEBKIT_LOAD_FINISHED && self->started)
    page_loaded (self);
}

static void
load_error_cb (GlossBrowser   *browser,
               const char     *uri,
               const char     *title,
               const char     *description,
               GlossClipQueue *self)
{
  /* One line: the headline says what (often the HTTP status), the
   * description why. */
  g_autofree char *failure = g_strdup_printf ("%s: %s", title, description ? description : "");

  webkit_web_view_stop_loading (gloss_browser_get_web_view (self->browser));
  item_done (self, NULL, FALSE, failure);
}

static gboolean
grace_cb (gpointer user_data)
{
  GlossClipQueue *self = user_data;

  self->grace_id = 0;
  page_loaded (self);

  return G_SOURCE_REMOVE;
}

/* The readerable check runs once the document has been parsed. */
static void
readerable_checked_cb (GlossBrowser   *browser,
                       gboolean        readerable,
                       GlossClipQueue *self)
{
  if (self->started && self->grace_id == 0)
    self->grace_id = g_timeout_add (SUBRESOURCE_GRACE_MS, grace_cb, self);
}

static gboolean
timeout_cb (gpointer user_data)
{
  GlossClipQueue *self = user_data;

  self->timeout_id = 0;
  webkit_web_view_stop_loading (gloss_browser_get_web_view (self->browser));
  item_done (self, NULL, FALSE, _("The page took too long to load"));

  return G_SOURCE_REMOVE;
}

static void
next_item (GlossClipQueue *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  if (self->current != NULL)
    return;

  if ((self->current = g_queue_pop_head (&self->items)) == NULL)
    {
      g_signal_emit (self, signals[FINISHED], 0);
      return;
    }

  if (!(uri = gloss_browser_normalize_uri (self->current->url, &error)))
    {
      item_done (self, NULL, FALSE, error->message);
      return;
    }

  self->load_changed_id = g_signal_connect (gloss_browser_get_web_view (self->browser), "load-changed",
                                            G_CALLBACK (load_changed_cb), self);
  self->load_error_id = g_signal_connect (self->browser, "load-error",
                                          G_CALLBACK (load_error_cb), self);
  self->checked_id = g_signal_connect (self->browser, "readerable-checked",
                                       G_CALLBACK (readerable_checked_cb), self);
  self->timeout_id = g_timeout_add_seconds (self->timeout_s, timeout_cb, self);
  self->started = FALSE;

  /* Asking again for the page already shown could answer from the old
   * document; a reload always brings a fresh one. */
  if (g_strcmp0 (webkit_web_view_get_uri (gloss_browser_get_web_view (self->browser)), uri) == 0)
    webkit_web_view_reload_bypass_cache (gloss_browser_get_web_view (self->browser));
  else
    gloss_browser_load (self->browser, uri);
}

static void
gloss_clip_queue_dispose (GObject *object)
{
  GlossClipQueue *self = (GlossClipQueue *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->start_id, g_source_remove);

  if (self->browser != NULL)
    stop_waiting (self);

  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
  g_clear_pointer (&self->current, item_free);
  g_clear_pointer (&self->window, gtk_window_destroy);
  g_clear_object (&self->browser);
  g_clear_object (&self->clipper);
  g_clear_object (&self->library);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gloss_clip_queue_parent_class)->dispose (object);
}

static void
gloss_clip_queue_finalize (GObject *object)
{
  GlossClipQueue *self = (GlossClipQueue *)object;

  g_clear_pointer (&self->failures, g_ptr_array_unref);

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
  self->failures = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->cancellable = g_cancellable_new ();
}

GlossClipQueue *
gloss_clip_queue_new (GlossLibrary *library)
{
  GlossClipQueue *self;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (library), NULL);

  self = g_object_new (GLOSS_TYPE_CLIP_QUEUE, NULL);
  self->library = g_object_ref (library);

  return self;
}

static gboolean
start_cb (gpointer user_data)
{
  GlossClipQueue *self = user_data;

  self->start_id = 0;
  next_item (self);

  return G_SOURCE_REMOVE;
}

void
gloss_clip_queue_add (GlossClipQueue *self,
                      const char     *url,
                      gboolean        update_existing)
{
  Item *item;

  g_return_if_fail (GLOSS_IS_CLIP_QUEUE (self));
  g_return_if_fail (url != NULL);

  /* The web view is made on first use: most windows never import. */
  if (self->browser == NULL)
    {
      self->clipper = gloss_clipper_new (self->library);
      self->browser = gloss_browser_new ();
      self->window = GTK_WINDOW (gtk_window_new ());
      gtk_window_set_child (self->window,
                            GTK_WIDGET (gloss_browser_get_web_view (self->browser)));
    }

  item = g_new0 (Item, 1);
  item->url = g_strdup (url);
  item->update_existing = !!update_existing;
  g_queue_push_tail (&self->items, item);
  self->total++;

  /* From the main loop, so that a caller adding several pages has added
   * them all before the first one can finish (and "finished" come early). */
  if (self->current == NULL && self->start_id == 0)
    self->start_id = g_idle_add (start_cb, self);
}

void
gloss_clip_queue_cancel (GlossClipQueue *self)
{
  g_return_if_fail (GLOSS_IS_CLIP_QUEUE (self));

  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);

  if (self->current != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      webkit_web_view_stop_loading (gloss_browser_get_web_view (self->browser));
      item_done (self, NULL, FALSE, _("Cancelled"));
    }
}

gboolean
gloss_clip_queue_get_busy (GlossClipQueue *self)
{
  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), FALSE);

  return self->current != NULL;
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
  g_return_val_if_fail (GLOSS_IS_CLIP_QUEUE (self), NULL);

  return (const char * const *) self->failures->pdata;
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

  return self->clipper;
}

void
gloss_clip_queue_set_timeout (GlossClipQueue *self,
                              guint           seconds)
{
  g_return_if_fail (GLOSS_IS_CLIP_QUEUE (self));

  self->timeout_s = MAX (seconds, 1);
}
