/* gloss-window.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The main window: the address bar, the live web view, clipping, and the
 * reader that shows a clip from the library. The live page is a reader
 * pane too (highlights, popover, panel): when it shows a page that is in
 * the library, the header bar says so (Open Clip, Update Clip), the row
 * of that clip is selected in the library, and its highlights are on the
 * page; Highlight on a page not clipped yet clips it first. */

#define G_LOG_DOMAIN "gloss-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-annotations-panel.h"
#include "gloss-clipper.h"
#include "gloss-error.h"
#include "gloss-export-dialog.h"
#include "gloss-library-view.h"
#include "gloss-reader-pane.h"
#include "gloss-reader-view.h"
#include "gloss-url.h"
#include "gloss-window.h"

#define ZOOM_STEP 0.1

struct _GlossWindow
{
  AdwApplicationWindow  parent_instance;

  gulong                trace_paint_id;

  GSettings            *settings;
  GlossBrowser         *browser;
  GlossLibrary         *library;
  GlossIndex           *index;
  GlossClipper         *clipper;
  GlossReaderView      *reader;
  GCancellable         *cancellable;   /* cancelled on close */
  GCancellable         *clip_cancellable;
  guint                 clip_for_highlight : 1; /* the clip under way is for "clip-needed" */

  /* The clip of the page the live view shows, or NULL; live_stale when
   * the reader changed its highlights since the live page painted them. */
  GlossClip            *live_clip;
  guint                 live_stale : 1;

  /* Template widgets */
  AdwFlap              *flap;
  GlossLibraryView     *library_view;
  GtkEntry             *address_entry;
  GtkStack             *reload_stack;
  GtkStack             *stack;
  GlossReaderPane      *live_pane;
  AdwStatusPage        *error_page;
  AdwToastOverlay      *toast_overlay;
  GlossReaderPane      *reader_pane;
  GtkToggleButton      *annotations_button;
  GtkToggleButton      *live_annotations_button;
  GtkStack             *clip_stack;
  GtkProgressBar       *clip_progress;
  GtkButton            *live_button;
};

G_DEFINE_FINAL_TYPE (GlossWindow, gloss_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_actions (GlossWindow *self)
{
  WebKitWebView *web_view;
  gboolean loading;
  const char *view = gtk_stack_get_visible_child_name (self->stack);
  const char *uri;
  gboolean reading = g_strcmp0 (view, "reader") == 0;

  /* Ctrl+Shift+L goes from the reader to the live page, and from a live
   * page that is in the library to its clip. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-live",
                                 reading || (self->live_clip != NULL && g_strcmp0 (view, "web") == 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-in", reading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-out", reading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-reset", reading);
  gtk_widget_set_visible (GTK_WIDGET (self->live_button), reading);
  gtk_widget_set_visible (GTK_WIDGET (self->annotations_button), reading);

  /* A page that is in the library: Open Clip, with Update Clip beside it. */
  {
    gboolean clipped_page = self->live_clip != NULL && g_strcmp0 (view, "web") == 0;

    gtk_stack_set_visible_child_name (self->clip_stack, clipped_page ? "open" : "clip");
    /* The live page's panel: its clip's, or how to start one (Ctrl+H). */
    gtk_widget_set_visible (GTK_WIDGET (self->live_annotations_button),
                            self->browser != NULL && g_strcmp0 (view, "web") == 0);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-live-clip", clipped_page);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.update-clip",
                                   clipped_page && self->browser != NULL &&
                                   !webkit_web_view_is_loading (gloss_browser_get_web_view (self->browser)) &&
                                   self->clip_cancellable == NULL);
  }

  if (self->browser == NULL)
    {
      static const char *page_actions[] = { "win.back", "win.forward", "win.reload", "win.stop", "win.clip", "win.clip-whole-page" };

      for (guint i = 0; i < G_N_ELEMENTS (page_actions); i++)
        gtk_widget_action_set_enabled (GTK_WIDGET (self), page_actions[i], FALSE);
      return;
    }

  web_view = gloss_browser_get_web_view (self->browser);
  loading = webkit_web_view_is_loading (web_view);
  uri = webkit_web_view_get_uri (web_view);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back",
                                 webkit_web_view_can_go_back (web_view));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.forward",
                                 webkit_web_view_can_go_forward (web_view));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload",
                                 gloss_browser_get_uri (self->browser) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", loading);
  /* Clip follows the readerable answer; any loaded page can be clipped
   * whole (the menu, Ctrl+Shift+D, or the toast when Readability finds no
   * article after all). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clip",
                                 gloss_browser_get_readerable (self->browser) &&
                                 uri != NULL && !loading && self->clip_cancellable == NULL &&
                                 g_strcmp0 (view, "web") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clip-whole-page",
                                 uri != NULL && !loading && self->clip_cancellable == NULL);

  gtk_stack_set_visible_child_name (self->reload_stack, loading ? "stop" : "reload");
}

/* update_actions () as a signal handler (connected swapped; the
 * signal's own arguments are not needed). */
static void
gloss_window_update_actions_cb (GlossWindow *self)
{
  g_assert (GLOSS_IS_WINDOW (self));

  update_actions (self);
}

static void
update_address (GlossWindow *self)
{
  const char *uri = self->browser ? gloss_browser_get_uri (self->browser) : NULL;

  /* The reader shows where its clip came from. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "reader") == 0 &&
      self->reader != NULL && gloss_reader_view_get_clip (self->reader) != NULL)
    uri = gloss_clip_get_url (gloss_reader_view_get_clip (self->reader));

  /* Never overwrite what the user is typing. */
  if (gtk_widget_has_focus (GTK_WIDGET (self->address_entry)) ||
      gtk_widget_has_focus (gtk_widget_get_first_child (GTK_WIDGET (self->address_entry))))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->address_entry), uri ? uri : "");
}

/* update_address () as a signal handler (connected swapped; the
 * signal's own arguments are not needed). */
static void
gloss_window_update_address_cb (GlossWindow *self)
{
  g_assert (GLOSS_IS_WINDOW (self));

  update_address (self);
}

static void
update_title (GlossWindow *self)
{
  WebKitWebView *web_view = self->browser ? gloss_browser_get_web_view (self->browser) : NULL;
  const char *title = web_view ? webkit_web_view_get_title (web_view) : NULL;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0)
    title = adw_status_page_get_title (self->error_page);
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "reader") == 0 &&
           self->reader != NULL && gloss_reader_view_get_clip (self->reader) != NULL)
    title = gloss_clip_get_title (gloss_reader_view_get_clip (self->reader));

  if ((title == NULL || *title == '\0') && self->browser != NULL)
    title = gloss_browser_get_uri (self->browser);

  gtk_window_set_title (GTK_WINDOW (self), title && *title ? title : _("Gloss"));
}

/* update_title () as a signal handler (connected swapped; the
 * signal's own arguments are not needed). */
static void
gloss_window_update_title_cb (GlossWindow *self)
{
  g_assert (GLOSS_IS_WINDOW (self));

  update_title (self);
}

static void
progress_cb (GlossWindow *self)
{
  WebKitWebView *web_view = gloss_browser_get_web_view (self->browser);
  double progress = webkit_web_view_get_estimated_load_progress (web_view);

  g_assert (GLOSS_IS_WINDOW (self));

  gtk_entry_set_progress_fraction (self->address_entry,
                                   webkit_web_view_is_loading (web_view) && progress < 1.0 ? progress : 0.0);
}

/* GLOSS_TRACE_STARTUP=1 prints when the first frame is painted and when
 * the first page has loaded, in g_get_monotonic_time() microseconds, for
 * the start-up benchmark (tests/bench-startup.c). */
static gboolean
tracing_startup (void)
{
  static int tracing = -1;

  if (tracing == -1)
    tracing = g_getenv ("GLOSS_TRACE_STARTUP") != NULL;

  return tracing;
}

static void
trace_after_paint_cb (GdkFrameClock *clock,
                      GlossWindow   *self)
{
  g_printerr ("gloss-trace: window-painted %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_clear_signal_handler (&self->trace_paint_id, clock);
}

static void
trace_realize_cb (GlossWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  g_assert (GLOSS_IS_WINDOW (self));

  self->trace_paint_id = g_signal_connect (clock, "after-paint",
                                           G_CALLBACK (trace_after_paint_cb), self);
}

static GlossAnnotator *
live_annotator (GlossWindow *self)
{
  return self->browser != NULL ? gloss_reader_pane_get_annotator (self->live_pane) : NULL;
}

/* The row of the clip in view (the reader's, or the live page's) is the
 * one selected in the library. */
static void
update_library_selection (GlossWindow *self)
{
  const char *view;
  GlossClip *clip = NULL;

  /* The window is going: its widgets are. */
  if (self->stack == NULL)
    return;

  view = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (view, "web") == 0)
    clip = self->live_clip;
  else if (g_strcmp0 (view, "reader") == 0 && self->reader != NULL)
    clip = gloss_reader_view_get_clip (self->reader);

  gloss_library_view_select_clip (self->library_view, clip);
}

/* Whether the page in the live view is clipped, by the one rule for "the
 * same page" (one hash lookup: every navigation and every change of the
 * library asks). The header bar, the library row and the live annotator
 * follow. */
static void
update_live_clip (GlossWindow *self)
{
  WebKitWebView *web_view = self->browser ? gloss_browser_get_web_view (self->browser) : NULL;
  const char *uri = web_view ? webkit_web_view_get_uri (web_view) : NULL;
  GlossClip *clip = NULL;

  if (self->stack == NULL)
    return;

  if (uri != NULL && self->library != NULL && gloss_library_get_loaded (self->library))
    clip = gloss_library_find_by_url (self->library, uri);

  if (g_set_object (&self->live_clip, clip) && live_annotator (self) != NULL)
    {
      gloss_annotator_set_live_clip (live_annotator (self), clip);
      self->live_stale = FALSE;
    }

  update_actions (self);
  update_library_selection (self);
}

/* update_live_clip () as a signal handler (connected swapped; the
 * signal's own arguments are not needed). */
static void
gloss_window_update_live_clip_cb (GlossWindow *self)
{
  g_assert (GLOSS_IS_WINDOW (self));

  update_live_clip (self);
}

/* The view changed. The reader loads its clip again whenever it is shown;
 * the live page, back in view, anchors and paints again what the reader
 * changed meanwhile (the two annotators share the clip, not its marks). */
static void
gloss_window_view_changed_cb (GlossWindow *self)
{
  g_assert (GLOSS_IS_WINDOW (self));

  update_library_selection (self);

  if (self->live_stale && self->live_clip != NULL && live_annotator (self) != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "web") == 0)
    {
      self->live_stale = FALSE;
      gloss_annotator_set_live_clip (live_annotator (self), self->live_clip);
    }
}

static void
reader_annotations_changed_cb (GlossWindow    *self,
                               GlossAnnotator *annotator)
{
  g_assert (GLOSS_IS_WINDOW (self));

  if (self->live_clip != NULL && gloss_annotator_get_clip (annotator) == self->live_clip)
    self->live_stale = TRUE;
}

static void
load_changed_cb (GlossWindow     *self,
                 WebKitLoadEvent  event,
                 WebKitWebView   *web_view)
{
  static gboolean traced_load;

  g_assert (GLOSS_IS_WINDOW (self));

  if (event == WEBKIT_LOAD_FINISHED && tracing_startup () && !traced_load)
    {
      g_printerr ("gloss-trace: page-loaded %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
      traced_load = TRUE;
    }

  /* A new load replaces the error page with the page itself; the reader
   * stays until the user goes back to the live page. */
  if ((event == WEBKIT_LOAD_STARTED || event == WEBKIT_LOAD_COMMITTED) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "reader") != 0)
    {
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") != 0 ||
          event == WEBKIT_LOAD_STARTED)
        gtk_stack_set_visible_child_name (self->stack, "web");
    }

  if (event == WEBKIT_LOAD_COMMITTED)
    update_live_clip (self);

  update_actions (self);
  update_title (self);
}

static void
load_error_cb (GlossWindow  *self,
               const char   *uri,
               const char   *title,
               const char   *description,
               GlossBrowser *browser)
{
  g_autofree char *markup = g_markup_escape_text (description ? description : "", -1);

  g_assert (GLOSS_IS_WINDOW (self));

  adw_status_page_set_title (self->error_page, title);
  /* A description is markup: an address with & in it is text. */
  adw_status_page_set_description (self->error_page, markup);
  gtk_stack_set_visible_child_name (self->stack, "error");

  update_actions (self);
  update_title (self);
}

static void
address_entry_activate_cb (GlossWindow *self,
                           GtkEntry    *entry)
{
  g_assert (GLOSS_IS_WINDOW (self));

  gloss_window_open (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  webkit_web_view_go_back (gloss_browser_get_web_view (self->browser));
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  webkit_web_view_go_forward (gloss_browser_get_web_view (self->browser));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->stack, "web");
  gloss_browser_reload (self->browser);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  webkit_web_view_stop_loading (gloss_browser_get_web_view (self->browser));
}

static void
focus_address_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->address_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->address_entry), 0, -1);
}

static void
clip_progress_cb (GlossWindow  *self,
                  double        fraction,
                  const char   *what,
                  GlossClipper *clipper)
{
  g_assert (GLOSS_IS_WINDOW (self));

  gtk_progress_bar_set_fraction (self->clip_progress, fraction);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->clip_progress), what);
}

static void
ensure_reader (GlossWindow *self);

/* One clip under way, for its end. */
typedef struct
{
  GlossWindow   *self;
  GCancellable  *cancellable;
  GlossClipMode  mode;
  GlossClip     *update;       /* the clip clipped into, or NULL */
  gboolean       for_highlight;
  char          *uri;          /* the page clipped, as shown at the start */
} ClipJob;

static void
clip_job_free (ClipJob *job)
{
  g_object_unref (job->self);
  g_object_unref (job->cancellable);
  g_free (job->uri);
  g_clear_object (&job->update);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClipJob, clip_job_free)

static void start_clip (GlossWindow   *self,
                        GlossClipMode  mode,
                        GlossClip     *update,
                        gboolean       for_highlight);

/* Highlight on a page not clipped yet ("clip-needed"): the page was
 * clipped for it, or could not be. The live annotator stores the
 * highlight it holds once it has the clip; without one it keeps nothing. */
static void
clip_for_highlight_done (GlossWindow   *self,
                         ClipJob       *job,
                         GlossClip     *clip,
                         GError        *error)
{
  GlossAnnotator *annotator = live_annotator (self);
  WebKitWebView *web_view = gloss_browser_get_web_view (self->browser);

  /* The person went to another page while this one was being clipped:
   * the clip is not that page's, so it is neither its live clip (its
   * highlights, Open Clip, Update Clip would all be the wrong page's) nor
   * the place of a highlight the page took along when it went. */
  if (!gloss_url_same_page (job->uri, webkit_web_view_get_uri (web_view)))
    {
      update_live_clip (self);
      /* Highlight was asked on the page shown now while the other one was
       * being clipped (live_clip_needed_cb waits for one clip at a time):
       * this page's turn. */
      if (annotator != NULL && gloss_annotator_get_live_highlight_waiting (annotator) &&
          !gtk_widget_in_destruction (GTK_WIDGET (self)))
        {
          start_clip (self, GLOSS_CLIP_MODE_ARTICLE, self->live_clip, TRUE);
          return;
        }
      if (clip != NULL && !gtk_widget_in_destruction (GTK_WIDGET (self)))
        gloss_window_show_toast (self, _("The page was clipped, but the highlight was not kept because another page is shown now"));
      return;
    }

  if (clip == NULL)
    {
      g_autofree char *message = NULL;

      /* One action for the person: a page that is not an article is kept
       * whole, as Clip Whole Page would. */
      if (g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_NOT_ARTICLE) &&
          job->mode == GLOSS_CLIP_MODE_ARTICLE && !gtk_widget_in_destruction (GTK_WIDGET (self)))
        {
          start_clip (self, GLOSS_CLIP_MODE_WHOLE_PAGE, job->update, TRUE);
          return;
        }

      /* A clip not clipped yet stays the live clip: the highlight kept
       * for its article goes, or a later clip would store it. */
      if (annotator != NULL)
        {
          gloss_annotator_drop_live_highlight (annotator);
          gloss_annotator_set_live_clip (annotator, self->live_clip);
        }
      if (gtk_widget_in_destruction (GTK_WIDGET (self)))
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        message = g_strdup (_("The highlight was not kept: clipping the page was cancelled."));
      else
        /* Translators: %s is why the page could not be clipped, a sentence. */
        message = g_strdup_printf (_("The highlight was not kept because the page could not be clipped. %s"),
                                   error->message);
      gloss_window_show_toast (self, message);
      return;
    }

  /* The library's "clip-added" gave it the clip already, unless the page
   * moved meanwhile (a redirect): then this is the clip of its highlight.
   * A clip clipped into (it was not clipped yet) is the same clip with
   * an article now: anchored again, in which the highlight is stored. */
  g_set_object (&self->live_clip, clip);
  if (annotator != NULL && (job->update != NULL || gloss_annotator_get_clip (annotator) != clip))
    gloss_annotator_set_live_clip (annotator, clip);
  update_actions (self);
  update_library_selection (self);
  gloss_window_show_toast (self, _("The page was clipped to keep your highlight"));
}

/* The live annotator was asked to highlight on a page that is not in the
 * library: clip it (the window's Clip), then give it the clip. */
static void
live_clip_needed_cb (GlossWindow *self)
{
  GlossAnnotator *annotator = live_annotator (self);

  g_assert (GLOSS_IS_WINDOW (self));

  if (self->library == NULL || !gloss_library_get_loaded (self->library))
    {
      gloss_annotator_set_live_clip (annotator, NULL);
      gloss_window_show_toast (self, _("Your library is still being read; try again in a moment"));
      return;
    }

  if (self->clip_cancellable != NULL)
    {
      /* A clip for a highlight is under way: its end gives the annotator
       * the clip, or, when it was another page's, clips this one. */
      if (self->clip_for_highlight)
        return;
      gloss_window_show_toast (self, _("Another page is being clipped; highlight again when it is done"));
      return;
    }

  /* A page in the library but not clipped yet (an imported item) is
   * clipped into its clip, which keeps its id, tags, notes and import. */
  start_clip (self, GLOSS_CLIP_MODE_ARTICLE, self->live_clip, TRUE);
}

static void
clip_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ClipJob) job = user_data;
  GlossWindow *self = job->self;
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;
  guint orphans = 0;

  g_assert (GLOSS_IS_WINDOW (self));

  clip = gloss_clipper_clip_finish (GLOSS_CLIPPER (object), result, &orphans, &error);

  /* The window was closed meanwhile: the clip (if any) is in the library,
   * there is nothing left to show it in. */
  if (self->stack == NULL)
    return;

  /* A clip that another replaced ends cancelled: the new one is under way. */
  if (self->clip_cancellable != job->cancellable)
    return;

  g_clear_object (&self->clip_cancellable);
  self->clip_for_highlight = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->clip_progress), FALSE);
  update_actions (self);

  if (job->for_highlight)
    {
      clip_for_highlight_done (self, job, clip, error);
      return;
    }

  if (clip == NULL)
    {
      AdwToast *toast;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          gtk_widget_in_destruction (GTK_WIDGET (self)))
        return;

      if (g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_NOT_ARTICLE))
        {
          toast = adw_toast_new (_("This page does not look like an article"));
          adw_toast_set_button_label (toast, _("Clip Whole Page"));
          adw_toast_set_action_name (toast, "win.clip-whole-page");
          adw_toast_set_timeout (toast, 8);
        }
      else
        toast = adw_toast_new (error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }

  if (orphans > 0)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u highlight no longer matches the updated article; it is kept",
                                                               "%u highlights no longer match the updated article; they are kept",
                                                               orphans),
                                                  orphans);
      gloss_window_show_toast (self, message);
    }

  /* Updated: the live page's highlights anchor in the new article. */
  if (job->update != NULL && clip == self->live_clip && live_annotator (self) != NULL)
    gloss_annotator_set_live_clip (live_annotator (self), clip);

  gloss_window_open_clip (self, clip);
}

static void
start_clip (GlossWindow   *self,
            GlossClipMode  mode,
            GlossClip     *update,
            gboolean       for_highlight)
{
  ClipJob *job;

  if (self->library == NULL)
    {
      gloss_window_show_toast (self, _("The library is not available"));
      return;
    }

  if (self->clipper == NULL)
    {
      self->clipper = gloss_clipper_new (self->library);
      g_signal_connect_object (self->clipper, "progress",
                               G_CALLBACK (clip_progress_cb), self, G_CONNECT_SWAPPED);
    }

  g_cancellable_cancel (self->clip_cancellable);
  g_clear_object (&self->clip_cancellable);
  self->clip_cancellable = g_cancellable_new ();
  self->clip_for_highlight = for_highlight;

  gtk_progress_bar_set_fraction (self->clip_progress, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->clip_progress), TRUE);
  update_actions (self);

  job = g_new0 (ClipJob, 1);
  job->self = g_object_ref (self);
  job->cancellable = g_object_ref (self->clip_cancellable);
  job->mode = mode;
  job->update = update != NULL ? g_object_ref (update) : NULL;
  job->for_highlight = for_highlight;
  job->uri = g_strdup (webkit_web_view_get_uri (gloss_browser_get_web_view (self->browser)));

  gloss_clipper_clip_async (self->clipper,
                            gloss_browser_get_web_view (self->browser),
                            mode, update,
                            self->clip_cancellable,
                            clip_done_cb, job);
}

static void
duplicate_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       GlossWindow      *self)
{
  GlossClip *clip = g_object_get_data (G_OBJECT (dialog), "gloss-clip");

  if (g_strcmp0 (response, "open") == 0)
    gloss_window_open_clip (self, clip);
  else if (g_strcmp0 (response, "update") == 0)
    start_clip (self, GLOSS_CLIP_MODE_ARTICLE, clip, FALSE);
}

static void
clip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  const char *uri;
  GlossClip *existing = NULL;
  g_autofree char *isolated = NULL;
  GtkWidget *dialog;

  if (self->browser == NULL)
    return;

  uri = webkit_web_view_get_uri (gloss_browser_get_web_view (self->browser));

  if (self->library == NULL)
    {
      gloss_window_show_toast (self, _("The library is not available"));
      return;
    }

  if (!gloss_library_get_loaded (self->library))
    {
      gloss_window_show_toast (self, _("Your library is still being read; try again in a moment"));
      return;
    }

  if (uri != NULL)
    existing = gloss_library_find_by_url (self->library, uri);

  if (existing == NULL)
    {
      start_clip (self, GLOSS_CLIP_MODE_ARTICLE, NULL, FALSE);
      return;
    }

  /* First-strong isolates: a right-to-left title keeps the sentence's
   * punctuation where it belongs. */
  isolated = g_strdup_printf ("\u2068%s\u2069", gloss_clip_get_title (existing));
  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("This Page Is Already in Your Library"),
                                   NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” was clipped before. Open the saved clip, or update it with the page as it is now? Updating keeps your highlights and notes."),
                                  isolated);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "update", _("_Update"),
                                    "open", _("_Open Saved Clip"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gloss-clip", g_object_ref (existing), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (duplicate_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clip_whole_page_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  if (GLOSS_WINDOW (widget)->browser == NULL)
    return;

  start_clip (GLOSS_WINDOW (widget), GLOSS_CLIP_MODE_WHOLE_PAGE, NULL, FALSE);
}

static void
open_live_clip_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  if (self->live_clip != NULL)
    gloss_window_open_clip (self, self->live_clip);
}

/* Clips the page again into the clip it is already in: the writer keeps
 * its id, tags, notes and highlights, and anchors them again. */
static void
update_clip_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  if (self->browser == NULL || self->live_clip == NULL)
    return;

  start_clip (self, GLOSS_CLIP_MODE_ARTICLE, self->live_clip, FALSE);
}

static void
show_live_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  WebKitWebView *web_view = self->browser ? gloss_browser_get_web_view (self->browser) : NULL;
  const char *live = web_view ? webkit_web_view_get_uri (web_view) : NULL;
  GlossClip *clip = self->reader ? gloss_reader_view_get_clip (self->reader) : NULL;
  const char *url = clip ? gloss_clip_get_url (clip) : NULL;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "web") == 0)
    {
      if (self->live_clip != NULL)
        gloss_window_open_clip (self, self->live_clip);
      return;
    }

  /* The live page of the clip: the one still loaded, or its original. */
  if (url != NULL && (live == NULL || !gloss_url_same_page (live, url)))
    gloss_window_open (self, url);
  else
    {
      gtk_stack_set_visible_child_name (self->stack, live ? "web" : "empty");
      update_address (self);
    }

  update_actions (self);
  update_title (self);
}

static void
change_zoom (GlossWindow *self,
             double       step)
{
  double zoom = step == 0.0 ? 1.0 : g_settings_get_double (self->settings, "reader-zoom") + step;

  g_settings_set_double (self->settings, "reader-zoom", CLAMP (zoom, 0.5, 3.0));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  if (g_str_equal (action_name, "win.zoom-in"))
    change_zoom (self, ZOOM_STEP);
  else if (g_str_equal (action_name, "win.zoom-out"))
    change_zoom (self, -ZOOM_STEP);
  else
    change_zoom (self, 0.0);
}

static void
reader_open_link_cb (GlossWindow     *self,
                     const char      *uri,
                     GlossReaderView *reader)
{
  g_autoptr(GError) error = NULL;

  g_assert (GLOSS_IS_WINDOW (self));

  if (g_settings_get_boolean (self->settings, "open-links-externally"))
    {
      if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
        gloss_window_show_toast (self, error->message);
      return;
    }

  gloss_window_open (self, uri);
}

static void
dark_changed_cb (GlossWindow     *self,
                 GParamSpec      *pspec,
                 AdwStyleManager *manager)
{
  g_assert (GLOSS_IS_WINDOW (self));

  if (self->reader != NULL)
    gloss_reader_view_set_dark (self->reader, adw_style_manager_get_dark (manager));
}

static gboolean
prewarm_reader_idle_cb (gpointer user_data)
{
  GlossWindow *self = user_data;

  g_assert (GLOSS_IS_WINDOW (self));

  ensure_reader (self);
  gloss_reader_view_prewarm (self->reader);

  return G_SOURCE_REMOVE;
}

/* An article is showing, so a clip is likely: start the reader's web
 * process now, when nothing waits for it, rather than after Clip. */
static void
prewarm_reader_cb (GlossWindow *self)
{
  g_assert (GLOSS_IS_WINDOW (self));

  if (self->browser == NULL || !gloss_browser_get_readerable (self->browser) ||
      (self->reader != NULL && gloss_reader_view_get_clip (self->reader) != NULL))
    return;

  g_idle_add_full (G_PRIORITY_LOW, prewarm_reader_idle_cb, g_object_ref (self), g_object_unref);
}

static void
ensure_reader (GlossWindow *self)
{
  WebKitWebView *web_view;

  if (self->reader != NULL)
    return;

  /* Made on first use: start-up need not spawn a second web process. */
  self->reader = gloss_reader_view_new ();
  gloss_reader_view_set_dark (self->reader, adw_style_manager_get_dark (adw_style_manager_get_default ()));
  web_view = gloss_reader_view_get_web_view (self->reader);
  gtk_widget_set_vexpand (GTK_WIDGET (web_view), TRUE);
  /* The pane adds the highlights, their popover and the panel. */
  gloss_reader_pane_set_reader (self->reader_pane, self->reader);
  g_signal_connect_object (gloss_reader_pane_get_annotator (self->reader_pane), "changed",
                           G_CALLBACK (reader_annotations_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->reader, "open-link",
                           G_CALLBACK (reader_open_link_cb), self, G_CONNECT_SWAPPED);
}

static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  /* Built on demand rather than as GtkApplication's help overlay, which
   * every new window would parse before its first frame. */
  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/ui/gloss-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (widget));
  /* The application knows the accelerators of its app.* actions. */
  gtk_window_set_application (shortcuts, gtk_window_get_application (GTK_WINDOW (widget)));
  gtk_window_present (shortcuts);
}

static void
gloss_window_export_toast_cb (GlossWindow       *self,
                              AdwToast          *toast,
                              GlossExportDialog *dialog)
{
  g_assert (GLOSS_IS_WINDOW (self));
  g_assert (GLOSS_IS_EXPORT_DIALOG (dialog));

  gloss_window_add_toast (self, g_object_ref (toast));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  GlossExportDialog *dialog;
  GlossClip *clip = NULL;

  if (self->library == NULL || !gloss_library_get_loaded (self->library))
    {
      gloss_window_show_toast (self, _("The library is still loading; try again in a moment"));
      return;
    }

  /* The dialog gets what it exports: the library, the search as it is,
   * and the clip when the reader shows one. */
  if (self->reader != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "reader") == 0)
    clip = gloss_reader_view_get_clip (self->reader);
  dialog = gloss_export_dialog_new (GTK_WINDOW (self), self->library, self->index,
                                    gloss_library_view_get_query (self->library_view), clip);
  g_signal_connect_object (dialog, "toast", G_CALLBACK (gloss_window_export_toast_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gloss_window_import (GLOSS_WINDOW (widget));
}

static void
show_library_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, TRUE);
  gloss_library_view_focus_search (self->library_view);
}

static void
clip_activated_cb (GlossWindow      *self,
                   const char       *clip_id,
                   const char       *annotation_id,
                   GlossLibraryView *view)
{
  GlossClip *clip;

  g_assert (GLOSS_IS_WINDOW (self));

  if (self->library == NULL || !(clip = gloss_library_lookup (self->library, clip_id)))
    return;

  gloss_window_open_clip (self, clip);

  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
clip_open_original_cb (GlossWindow      *self,
                       const char       *clip_id,
                       GlossLibraryView *view)
{
  GlossClip *clip;

  g_assert (GLOSS_IS_WINDOW (self));

  if (self->library != NULL && (clip = gloss_library_lookup (self->library, clip_id)))
    gloss_window_open (self, gloss_clip_get_url (clip));
}

static void
undo_delete_cb (AdwToast    *toast,
                GlossWindow *self)
{
  const char *clip_id = g_object_get_data (G_OBJECT (toast), "gloss-clip-id");
  g_autoptr(GError) error = NULL;

  if (self->library != NULL && !gloss_library_restore (self->library, clip_id, &error))
    gloss_window_show_toast (self, error->message);
}

static void
clip_delete_cb (GlossWindow      *self,
                const char       *clip_id,
                GlossLibraryView *view)
{
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  GlossClip *found;
  AdwToast *toast;

  g_assert (GLOSS_IS_WINDOW (self));

  if (self->library == NULL || !(found = gloss_library_lookup (self->library, clip_id)))
    return;

  /* Kept for its title after the library lets go of it. */
  clip = g_object_ref (found);

  /* A note still being typed goes into clip.json before the folder moves,
   * so that Undo brings it back too (the clip's one saver, flushed). */
  if (self->reader != NULL && gloss_reader_view_get_clip (self->reader) == clip)
    gloss_annotator_flush (gloss_reader_pane_get_annotator (self->reader_pane));
  if (live_annotator (self) != NULL && gloss_annotator_get_clip (live_annotator (self)) == clip)
    gloss_annotator_flush (live_annotator (self));

  if (!gloss_library_delete (self->library, clip, &error))
    {
      gloss_window_show_toast (self, error->message);
      return;
    }

  /* The clip in the reader is gone from the library: show its page no more. */
  if (self->reader != NULL && gloss_reader_view_get_clip (self->reader) == clip)
    gtk_stack_set_visible_child_name (self->stack, "empty");

  title = g_strdup_printf (_("“%s” moved to the trash"), gloss_clip_get_title (clip));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "gloss-clip-id", g_strdup (clip_id), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
save_window_state (GlossWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  /* A maximized window's size is the screen's, not the one to restore. */
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
gloss_window_close_request (GtkWindow *window)
{
  GlossWindow *self = GLOSS_WINDOW (window);

  save_window_state (self);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->clip_cancellable);

  return GTK_WINDOW_CLASS (gloss_window_parent_class)->close_request (window);
}

static void
gloss_window_dispose (GObject *object)
{
  GlossWindow *self = (GlossWindow *)object;

  if (self->browser != NULL)
    g_signal_handlers_disconnect_by_data (gloss_browser_get_web_view (self->browser), self);
  /* A save flushed while the window goes tells the library: not us. */
  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->clip_cancellable);

  g_clear_object (&self->browser);
  g_clear_object (&self->reader);
  g_clear_object (&self->live_clip);
  g_clear_object (&self->clipper);
  g_clear_object (&self->library);
  g_clear_object (&self->index);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->clip_cancellable);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLOSS_TYPE_WINDOW);

  G_OBJECT_CLASS (gloss_window_parent_class)->dispose (object);
}

static void
gloss_window_class_init (GlossWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gloss_window_dispose;
  window_class->close_request = gloss_window_close_request;

  g_type_ensure (GLOSS_TYPE_LIBRARY_VIEW);
  g_type_ensure (GLOSS_TYPE_READER_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/gloss-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, library_view);
  gtk_widget_class_bind_template_callback (widget_class, clip_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, clip_delete_cb);
  gtk_widget_class_bind_template_callback (widget_class, clip_open_original_cb);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, address_entry);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, reload_stack);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, live_pane);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, live_annotations_button);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, clip_stack);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, reader_pane);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, annotations_button);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, clip_progress);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, live_button);
  gtk_widget_class_bind_template_callback (widget_class, address_entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.focus-address", NULL, focus_address_action);
  gtk_widget_class_install_action (widget_class, "win.clip", NULL, clip_action);
  gtk_widget_class_install_action (widget_class, "win.clip-whole-page", NULL, clip_whole_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-live", NULL, show_live_action);
  gtk_widget_class_install_action (widget_class, "win.open-live-clip", NULL, open_live_clip_action);
  gtk_widget_class_install_action (widget_class, "win.update-clip", NULL, update_clip_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.show-shortcuts", NULL, show_shortcuts_action);
  gtk_widget_class_install_action (widget_class, "win.show-library", NULL, show_library_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Forward, 0, "win.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-address", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.focus-address", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.clip", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.clip-whole-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.show-live", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "win.show-library", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "win.search", NULL);
}

/* The web view is made when the first page is opened, not before: the
 * empty window then shows without waiting for WebKit to start. */
static GlossBrowser *
ensure_browser (GlossWindow *self)
{
  WebKitWebView *web_view;

  if (self->browser != NULL)
    return self->browser;

  self->browser = gloss_browser_new ();
  web_view = gloss_browser_get_web_view (self->browser);
  /* The pane adds the live annotator, its popover and the panel. */
  gloss_reader_pane_set_browser (self->live_pane, self->browser);
  g_signal_connect_object (gloss_reader_pane_get_annotator (self->live_pane), "clip-needed",
                           G_CALLBACK (live_clip_needed_cb), self, G_CONNECT_SWAPPED);
  /* Every navigation, the same-document ones too (history.pushState, a
   * fragment), may reach another page of the library. */
  g_signal_connect_object (web_view, "notify::uri",
                           G_CALLBACK (gloss_window_update_live_clip_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (web_view, "load-changed",
                           G_CALLBACK (load_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (web_view, "notify::estimated-load-progress",
                           G_CALLBACK (progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (web_view, "notify::is-loading",
                           G_CALLBACK (progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (web_view, "notify::title",
                           G_CALLBACK (gloss_window_update_title_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->browser, "notify::uri",
                           G_CALLBACK (gloss_window_update_address_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->browser, "notify::readerable",
                           G_CALLBACK (gloss_window_update_actions_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->browser, "notify::readerable",
                           G_CALLBACK (prewarm_reader_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->browser, "load-error",
                           G_CALLBACK (load_error_cb), self, G_CONNECT_SWAPPED);

  return self->browser;
}

static void
gloss_window_init (GlossWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  if (tracing_startup ())
    g_signal_connect (self, "realize", G_CALLBACK (trace_realize_cb), NULL);

  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (gloss_window_update_actions_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (gloss_window_view_changed_cb), self, G_CONNECT_SWAPPED);

  update_actions (self);
}

GlossWindow *
gloss_window_new (AdwApplication *application)
{
  return g_object_new (GLOSS_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

void
gloss_window_open (GlossWindow *self,
                   const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (GLOSS_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  if (!(uri = gloss_browser_normalize_uri (text, &error)))
    {
      gloss_window_show_toast (self, error->message);
      return;
    }

  ensure_browser (self);
  gtk_stack_set_visible_child_name (self->stack, "web");
  gtk_editable_set_text (GTK_EDITABLE (self->address_entry), uri);
  gloss_browser_load (self->browser, uri);
  gtk_widget_grab_focus (GTK_WIDGET (gloss_browser_get_web_view (self->browser)));
}

GlossBrowser *
gloss_window_get_browser (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);

  return ensure_browser (self);
}

const char *
gloss_window_get_view (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GlossIndex *
gloss_window_get_index (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);

  return self->index;
}

void
gloss_window_add_toast (GlossWindow *self,
                        AdwToast    *toast)
{
  g_return_if_fail (GLOSS_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

GlossLibraryView *
gloss_window_get_library_view (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);

  return self->library_view;
}

void
gloss_window_show_toast (GlossWindow *self,
                         const char  *message)
{
  g_return_if_fail (GLOSS_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
copies_merged_cb (GlossWindow *self,
                  guint        n_clips,
                  GlossClip   *clip)
{
  g_autofree char *message = NULL;

  g_assert (GLOSS_IS_WINDOW (self));

  if (clip != NULL)
    message = g_strdup_printf (_("Changes from another machine were merged into “%s”"),
                               gloss_clip_get_title (clip));
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Changes from another machine were merged into %u clip",
                                            "Changes from another machine were merged into %u clips",
                                            n_clips),
                               n_clips);
  gloss_window_show_toast (self, message);
}

void
gloss_window_set_library (GlossWindow  *self,
                          GlossLibrary *library,
                          GlossIndex   *index)
{
  g_return_if_fail (GLOSS_IS_WINDOW (self));
  g_return_if_fail (library == NULL || GLOSS_IS_LIBRARY (library));
  g_return_if_fail (index == NULL || GLOSS_IS_INDEX (index));

  /* A clip under way belongs to the library it started in: stop it rather
   * than let it land there unseen. */
  if (self->library != library)
    g_cancellable_cancel (self->clip_cancellable);

  if (self->library != NULL && self->library != library)
    {
      g_signal_handlers_disconnect_by_func (self->library, copies_merged_cb, self);
      g_signal_handlers_disconnect_by_func (self->library, gloss_window_update_live_clip_cb, self);
    }
  if (g_set_object (&self->library, library))
    {
      g_clear_object (&self->clipper);
      if (library != NULL)
        {
          static const char * const changes[] = { "clip-added", "clip-removed", "clip-changed", "notify::loaded" };

          g_signal_connect_object (library, "copies-merged", G_CALLBACK (copies_merged_cb),
                                   self, G_CONNECT_SWAPPED);
          /* A clip of the page shown added, deleted, or its address
           * changed: the header bar and the live highlights follow. */
          for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
            g_signal_connect_object (library, changes[i], G_CALLBACK (gloss_window_update_live_clip_cb),
                                     self, G_CONNECT_SWAPPED);
        }
    }
  g_set_object (&self->index, index);

  gloss_library_view_set_library (self->library_view, library);
  gloss_reader_pane_set_library (self->reader_pane, library);
  gloss_reader_pane_set_library (self->live_pane, library);
  update_live_clip (self);
  gloss_library_view_set_index (self->library_view, index);
}

GlossLibrary *
gloss_window_get_library (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);

  return self->library;
}

GlossReaderView *
gloss_window_get_reader (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);

  ensure_reader (self);

  return self->reader;
}

void
gloss_window_open_clip (GlossWindow *self,
                        GlossClip   *clip)
{
  g_return_if_fail (GLOSS_IS_WINDOW (self));
  g_return_if_fail (GLOSS_IS_CLIP (clip));

  ensure_reader (self);
  gloss_reader_view_load_clip (self->reader, clip);
  gtk_stack_set_visible_child_name (self->stack, "reader");
  update_address (self);
  update_title (self);
  update_actions (self);
  update_library_selection (self);
  gtk_widget_grab_focus (GTK_WIDGET (gloss_reader_view_get_web_view (self->reader)));
}

GlossReaderPane *
gloss_window_get_reader_pane (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);

  ensure_reader (self);

  return self->reader_pane;
}

/* The clip of the page the live view shows, or NULL. */
GlossClip *
gloss_window_get_live_clip (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);

  return self->live_clip;
}

GlossReaderPane *
gloss_window_get_live_pane (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);

  return self->live_pane;
}
