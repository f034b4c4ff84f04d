/* gloss-reader-pane.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The reader page of the window and the annotation workflow around it:
 * the highlight popover at a selection or a highlight, the annotations
 * panel, toasts with Undo, and the reader.* actions. The window's live
 * page is a second pane of the same kind, around the browser's web view
 * and a live-mode annotator (gloss_reader_pane_set_browser()). */

#define G_LOG_DOMAIN "gloss-reader-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-annotations-panel.h"
#include "gloss-highlight-popover.h"
#include "gloss-reader-pane.h"

struct _GlossReaderPane
{
  GtkWidget        parent_instance;

  GlossReaderView *reader;        /* or, for the live page: */
  GlossBrowser    *browser;
  WebKitWebView   *web_view;      /* the reader's or the browser's */
  GlossAnnotator  *annotator;
  GlossLibrary    *library;
  GSettings       *settings;
  GtkWidget       *popover;
  GtkEventController *window_shortcuts; /* F9, on the window we are in */
  GSimpleAction   *menu_highlight;       /* for the page's context menu */
  GSimpleAction   *menu_highlight_note;

  /* Template widgets */
  AdwFlap         *flap;
  AdwBin          *reader_bin;
  GlossAnnotationsPanel *panel;
};

G_DEFINE_FINAL_TYPE (GlossReaderPane, gloss_reader_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHOW_ANNOTATIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Whether there is something to highlight in: the reader's clip, or on
 * the live page any page (one not clipped yet is clipped first, on
 * "clip-needed"). */
static gboolean
can_highlight (GlossReaderPane *self)
{
  if (self->annotator == NULL)
    return FALSE;
  if (self->browser != NULL)
    return gloss_annotator_get_live (self->annotator) &&
           webkit_web_view_get_uri (self->web_view) != NULL;
  return gloss_annotator_get_clip (self->annotator) != NULL;
}

static void
update_actions (GlossReaderPane *self)
{
  gboolean shown = can_highlight (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.highlight", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.highlight-note", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.undo",
                                 shown && gloss_annotator_can_undo (self->annotator));
}

/* update_actions () as a signal handler (connected swapped; the
 * signal's own arguments are not needed). */
static void
gloss_reader_pane_update_actions_cb (GlossReaderPane *self)
{
  g_assert (GLOSS_IS_READER_PANE (self));

  update_actions (self);
}

static GlossColor
last_color (GlossReaderPane *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "last-highlight-color");
  GlossColor color = GLOSS_COLOR_YELLOW;

  gloss_color_from_string (name, &color);
  return color;
}

/* A rectangle of the web view, in this widget's coordinates. */
static void
to_rect (GlossReaderPane *self,
         double           x,
         double           y,
         double           width,
         double           height,
         GdkRectangle    *rect)
{
  GtkWidget *web_view = GTK_WIDGET (self->web_view);
  double px = x, py = y;

  gtk_widget_translate_coordinates (web_view, GTK_WIDGET (self), x, y, &px, &py);
  rect->x = (int)px;
  rect->y = (int)py;
  rect->width = MAX (1, (int)width);
  rect->height = MAX (1, (int)height);
}

static void
selection_released_cb (GlossReaderPane *self,
                       double           x,
                       double           y,
                       double           width,
                       double           height,
                       GlossAnnotator  *annotator)
{
  GdkRectangle rect;

  g_assert (GLOSS_IS_READER_PANE (self));

  to_rect (self, x, y, width, height, &rect);
  gloss_highlight_popover_show_selection (GLOSS_HIGHLIGHT_POPOVER (self->popover), &rect);
}

static void
mark_activated_cb (GlossReaderPane *self,
                   const char      *id,
                   double           x,
                   double           y,
                   double           width,
                   double           height,
                   GlossAnnotator  *annotator)
{
  GdkRectangle rect;

  g_assert (GLOSS_IS_READER_PANE (self));

  to_rect (self, x, y, width, height, &rect);
  gloss_highlight_popover_show_annotation (GLOSS_HIGHLIGHT_POPOVER (self->popover), id, &rect, FALSE);
}

typedef struct
{
  GlossReaderPane *self;
  char            *id;
} RectData;

static void
gloss_reader_pane_mark_rect_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  RectData *data = user_data;
  GlossReaderPane *self = data->self;
  g_autoptr(GError) error = NULL;
  GdkRectangle rect = { 0, 0, 1, 1 };
  double x, y, width, height;

  g_assert (GLOSS_IS_READER_PANE (self));

  /* Without a rectangle (scrolled away, say), the popover still opens. */
  if (gloss_annotator_get_mark_rect_finish (GLOSS_ANNOTATOR (object), result, &x, &y, &width, &height, &error))
    to_rect (self, x, y, width, height, &rect);
  else
    g_debug ("No rectangle for highlight %s: %s", data->id, error->message);

  if (self->popover != NULL)
    gloss_highlight_popover_show_annotation (GLOSS_HIGHLIGHT_POPOVER (self->popover),
                                             data->id, &rect, TRUE);

  g_object_unref (data->self);
  g_free (data->id);
  g_free (data);
}

static void
note_requested_cb (GlossReaderPane *self,
                   const char      *id,
                   GlossAnnotator  *annotator)
{
  RectData *data = g_new0 (RectData, 1);

  g_assert (GLOSS_IS_READER_PANE (self));

  data->self = g_object_ref (self);
  data->id = g_strdup (id);
  gloss_annotator_get_mark_rect_async (annotator, id, NULL, gloss_reader_pane_mark_rect_cb, data);
}

static void
undo_delete_cb (GlossReaderPane *self,
                AdwToast        *toast)
{
  GlossAnnotation *annotation = g_object_get_data (G_OBJECT (toast), "gloss-annotation");

  g_assert (GLOSS_IS_READER_PANE (self));

  if (self->annotator != NULL && annotation != NULL)
    gloss_annotator_restore (self->annotator, annotation);
}

static void
deleted_cb (GlossReaderPane *self,
            GlossAnnotation *annotation,
            GlossAnnotator  *annotator)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  g_assert (GLOSS_IS_READER_PANE (self));

  if (overlay == NULL)
    return;

  toast = adw_toast_new (_("Highlight deleted"));
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data_full (G_OBJECT (toast), "gloss-annotation",
                          g_object_ref (annotation), g_object_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete_cb), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
error_cb (GlossReaderPane *self,
          const char      *message,
          GlossAnnotator  *annotator)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_assert (GLOSS_IS_READER_PANE (self));

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

static void
highlight_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  GlossReaderPane *self = GLOSS_READER_PANE (widget);

  if (self->annotator == NULL)
    return;

  gloss_annotator_highlight_selection (self->annotator, last_color (self),
                                       g_str_equal (action_name, "reader.highlight-note"));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlossReaderPane *self = GLOSS_READER_PANE (widget);

  if (self->annotator != NULL)
    gloss_annotator_undo (self->annotator);
}

static void
toggle_annotations_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  GlossReaderPane *self = GLOSS_READER_PANE (widget);

  gloss_reader_pane_set_show_annotations (self, !gloss_reader_pane_get_show_annotations (self));
}

/* Keyboard selection: a caret in the page, as F7 does in browsers. */
static void
caret_browsing_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  GlossReaderPane *self = GLOSS_READER_PANE (widget);
  WebKitSettings *settings;

  if (self->web_view == NULL)
    return;

  settings = webkit_web_view_get_settings (self->web_view);
  webkit_settings_set_enable_caret_browsing (settings, !webkit_settings_get_enable_caret_browsing (settings));
}

static void
popover_closed_cb (GlossReaderPane *self)
{
  g_assert (GLOSS_IS_READER_PANE (self));

  /* Back to reading where the user was. */
  if (self->web_view != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->web_view));
}

/* "close-request" stops at the first handler that returns TRUE: this one
 * lets the window close, and the other pane's handler run. */
static gboolean
close_request_cb (GlossReaderPane *self)
{
  g_assert (GLOSS_IS_READER_PANE (self));

  if (self->annotator != NULL)
    gloss_annotator_flush (self->annotator);

  return FALSE;
}

static gboolean
toggle_annotations_shortcut_cb (GtkWidget *window,
                                GVariant  *args,
                                gpointer   user_data)
{
  GlossReaderPane *self = GLOSS_READER_PANE (user_data);

  g_assert (GLOSS_IS_READER_PANE (self));

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;

  gloss_reader_pane_set_show_annotations (self, !gloss_reader_pane_get_show_annotations (self));
  return TRUE;
}

static void
gloss_reader_pane_root (GtkWidget *widget)
{
  GlossReaderPane *self = GLOSS_READER_PANE (widget);
  GtkWidget *root;

  GTK_WIDGET_CLASS (gloss_reader_pane_parent_class)->root (widget);

  root = GTK_WIDGET (gtk_widget_get_root (widget));
  if (!GTK_IS_WINDOW (root))
    return;

  /* The note being typed is written before the window goes. */
  g_signal_connect_object (root, "close-request",
                           G_CALLBACK (close_request_cb), widget, G_CONNECT_SWAPPED);

  /* F9 wherever the focus is in the window (the address bar, the
   * library), as long as the reader shows: a local controller on the
   * window, taken off again in unroot. (A global-scope controller here
   * crashed GTK 4.8 when the window was destroyed.) */
  self->window_shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (self->window_shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F9, 0),
                                                          gtk_callback_action_new (toggle_annotations_shortcut_cb,
                                                                                   self, NULL)));
  g_object_add_weak_pointer (G_OBJECT (self->window_shortcuts), (gpointer *)&self->window_shortcuts);
  gtk_widget_add_controller (root, self->window_shortcuts);
}

static void
gloss_reader_pane_unroot (GtkWidget *widget)
{
  GlossReaderPane *self = GLOSS_READER_PANE (widget);

  if (self->window_shortcuts != NULL)
    {
      GtkEventController *controller = self->window_shortcuts;
      GtkWidget *window = gtk_event_controller_get_widget (controller);

      g_object_remove_weak_pointer (G_OBJECT (controller), (gpointer *)&self->window_shortcuts);
      self->window_shortcuts = NULL;
      if (window != NULL)
        gtk_widget_remove_controller (window, controller);
    }

  GTK_WIDGET_CLASS (gloss_reader_pane_parent_class)->unroot (widget);
}

static void
gloss_reader_pane_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  GlossReaderPane *self = GLOSS_READER_PANE (widget);

  gtk_widget_measure (GTK_WIDGET (self->flap), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
gloss_reader_pane_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  GlossReaderPane *self = GLOSS_READER_PANE (widget);

  gtk_widget_allocate (GTK_WIDGET (self->flap), width, height, baseline, NULL);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
gloss_reader_pane_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GlossReaderPane *self = GLOSS_READER_PANE (object);

  switch (prop_id)
    {
    case PROP_SHOW_ANNOTATIONS:
      g_value_set_boolean (value, gloss_reader_pane_get_show_annotations (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_reader_pane_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  GlossReaderPane *self = GLOSS_READER_PANE (object);

  switch (prop_id)
    {
    case PROP_SHOW_ANNOTATIONS:
      gloss_reader_pane_set_show_annotations (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_reader_pane_dispose (GObject *object)
{
  GlossReaderPane *self = (GlossReaderPane *)object;

  if (self->annotator != NULL)
    {
      gloss_annotator_flush (self->annotator);
      g_signal_handlers_disconnect_by_data (self->annotator, self);
    }

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), GLOSS_TYPE_READER_PANE);

  g_clear_object (&self->annotator);
  g_clear_object (&self->reader);
  g_clear_object (&self->browser);
  self->web_view = NULL;
  g_clear_object (&self->library);
  g_clear_object (&self->settings);
  g_clear_object (&self->menu_highlight);
  g_clear_object (&self->menu_highlight_note);

  G_OBJECT_CLASS (gloss_reader_pane_parent_class)->dispose (object);
}

static void
gloss_reader_pane_class_init (GlossReaderPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_reader_pane_dispose;
  object_class->get_property = gloss_reader_pane_get_property;
  object_class->set_property = gloss_reader_pane_set_property;
  widget_class->measure = gloss_reader_pane_measure;
  widget_class->size_allocate = gloss_reader_pane_size_allocate;
  widget_class->root = gloss_reader_pane_root;
  widget_class->unroot = gloss_reader_pane_unroot;

  properties[PROP_SHOW_ANNOTATIONS] =
    g_param_spec_boolean ("show-annotations", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GLOSS_TYPE_ANNOTATIONS_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/gloss-reader-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, GlossReaderPane, flap);
  gtk_widget_class_bind_template_child (widget_class, GlossReaderPane, reader_bin);
  gtk_widget_class_bind_template_child (widget_class, GlossReaderPane, panel);

  gtk_widget_class_install_action (widget_class, "reader.highlight", NULL, highlight_action);
  gtk_widget_class_install_action (widget_class, "reader.highlight-note", NULL, highlight_action);
  gtk_widget_class_install_action (widget_class, "reader.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "reader.toggle-annotations", NULL, toggle_annotations_action);
  gtk_widget_class_install_action (widget_class, "reader.caret-browsing", NULL, caret_browsing_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "reader.highlight", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "reader.highlight-note", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_H, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "reader.highlight-note", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "reader.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0, "reader.caret-browsing", NULL);
}

static void
flap_revealed_cb (GlossReaderPane *self)
{
  g_assert (GLOSS_IS_READER_PANE (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ANNOTATIONS]);
}

static void
gloss_reader_pane_init (GlossReaderPane *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* F7 before any text view sees it: GTK 4.8's GtkTextView binds F7 to
   * toggle its cursor and then fails an assertion in its blink timer. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F7, 0),
                                                          gtk_named_action_new ("reader.caret-browsing")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->flap, "notify::reveal-flap",
                           G_CALLBACK (flap_revealed_cb), self, G_CONNECT_SWAPPED);
  update_actions (self);
}

static void
menu_highlight_cb (GSimpleAction   *action,
                   GVariant        *param,
                   GlossReaderPane *self)
{
  if (self->annotator != NULL)
    gloss_annotator_highlight_selection (self->annotator, last_color (self),
                                         action == self->menu_highlight_note);
}

/* Right click, or the Menu key, on a selection: Highlight and Highlight
 * with Note next to WebKit's Copy. */
static gboolean
context_menu_cb (GlossReaderPane     *self,
                 WebKitContextMenu   *menu,
                 WebKitHitTestResult *hit,
                 WebKitWebView       *web_view)
{
  GdkEvent *event = webkit_context_menu_get_event (menu);
  gboolean from_keyboard = event == NULL || gdk_event_get_event_type (event) != GDK_BUTTON_PRESS;

  g_assert (GLOSS_IS_READER_PANE (self));

  /* A menu opened with the keyboard is not about the point it shows at,
   * so it offers Highlight whatever that point is. */
  if (!can_highlight (self) ||
      (!webkit_hit_test_result_context_is_selection (hit) && !from_keyboard))
    return FALSE;

  webkit_context_menu_append (menu, webkit_context_menu_item_new_separator ());
  webkit_context_menu_append (menu, webkit_context_menu_item_new_from_gaction (G_ACTION (self->menu_highlight),
                                                                               _("_Highlight"), NULL));
  webkit_context_menu_append (menu, webkit_context_menu_item_new_from_gaction (G_ACTION (self->menu_highlight_note),
                                                                               _("Highlight and Add _Note"), NULL));
  return FALSE;
}

static void
clip_shown_cb (GlossReaderPane *self)
{
  g_assert (GLOSS_IS_READER_PANE (self));

  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
}

/* What both kinds of pane share: @annotator's signals to the popover, the
 * toasts and the panel, and the page's context menu. */
static void
attach (GlossReaderPane *self,
        GlossAnnotator  *annotator,
        WebKitWebView   *web_view)
{
  self->web_view = web_view;
  gtk_widget_set_vexpand (GTK_WIDGET (web_view), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (web_view), TRUE);
  adw_bin_set_child (self->reader_bin, GTK_WIDGET (web_view));

  self->annotator = annotator;
  gloss_annotator_set_library (self->annotator, self->library);

  g_signal_connect_object (self->annotator, "selection-released",
                           G_CALLBACK (selection_released_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->annotator, "mark-activated",
                           G_CALLBACK (mark_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->annotator, "note-requested",
                           G_CALLBACK (note_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->annotator, "deleted",
                           G_CALLBACK (deleted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->annotator, "error",
                           G_CALLBACK (error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->annotator, "changed",
                           G_CALLBACK (gloss_reader_pane_update_actions_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->annotator, "painted",
                           G_CALLBACK (gloss_reader_pane_update_actions_cb), self, G_CONNECT_SWAPPED);

  self->menu_highlight = g_simple_action_new ("highlight", NULL);
  self->menu_highlight_note = g_simple_action_new ("highlight-note", NULL);
  g_signal_connect_object (self->menu_highlight, "activate", G_CALLBACK (menu_highlight_cb), self, 0);
  g_signal_connect_object (self->menu_highlight_note, "activate", G_CALLBACK (menu_highlight_cb), self, 0);
  g_signal_connect_object (web_view, "context-menu", G_CALLBACK (context_menu_cb), self, G_CONNECT_SWAPPED);

  self->popover = gloss_highlight_popover_new (self->annotator);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
  g_signal_connect_object (self->popover, "closed",
                           G_CALLBACK (popover_closed_cb), self, G_CONNECT_SWAPPED);

  gloss_annotations_panel_set_annotator (self->panel, self->annotator, self->library);
  update_actions (self);
}

void
gloss_reader_pane_set_reader (GlossReaderPane *self,
                              GlossReaderView *reader)
{
  g_return_if_fail (GLOSS_IS_READER_PANE (self));
  g_return_if_fail (GLOSS_IS_READER_VIEW (reader));
  g_return_if_fail (self->reader == NULL && self->browser == NULL);

  self->reader = g_object_ref (reader);
  attach (self, gloss_annotator_new (reader), gloss_reader_view_get_web_view (reader));

  /* A popover about the clip that was shown goes with it. */
  g_signal_connect_object (reader, "notify::clip",
                           G_CALLBACK (clip_shown_cb), self, G_CONNECT_SWAPPED);
}

void
gloss_reader_pane_set_browser (GlossReaderPane *self,
                               GlossBrowser    *browser)
{
  WebKitWebView *web_view;

  g_return_if_fail (GLOSS_IS_READER_PANE (self));
  g_return_if_fail (GLOSS_IS_BROWSER (browser));
  g_return_if_fail (self->reader == NULL && self->browser == NULL);

  self->browser = g_object_ref (browser);
  web_view = gloss_browser_get_web_view (browser);
  attach (self, gloss_annotator_new_for_browser (browser), web_view);

  /* A popover about the page that was shown goes with it; Highlight
   * needs a page. */
  g_signal_connect_object (web_view, "notify::uri",
                           G_CALLBACK (clip_shown_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (web_view, "notify::uri",
                           G_CALLBACK (gloss_reader_pane_update_actions_cb), self, G_CONNECT_SWAPPED);
}

void
gloss_reader_pane_set_library (GlossReaderPane *self,
                               GlossLibrary    *library)
{
  g_return_if_fail (GLOSS_IS_READER_PANE (self));
  g_return_if_fail (library == NULL || GLOSS_IS_LIBRARY (library));

  g_set_object (&self->library, library);
  if (self->annotator != NULL)
    {
      gloss_annotator_set_library (self->annotator, library);
      gloss_annotations_panel_set_annotator (self->panel, self->annotator, library);
    }
}

GlossAnnotator *
gloss_reader_pane_get_annotator (GlossReaderPane *self)
{
  g_return_val_if_fail (GLOSS_IS_READER_PANE (self), NULL);

  return self->annotator;
}

GtkPopover *
gloss_reader_pane_get_popover (GlossReaderPane *self)
{
  g_return_val_if_fail (GLOSS_IS_READER_PANE (self), NULL);

  return GTK_POPOVER (self->popover);
}

GtkWidget *
gloss_reader_pane_get_panel (GlossReaderPane *self)
{
  g_return_val_if_fail (GLOSS_IS_READER_PANE (self), NULL);

  return GTK_WIDGET (self->panel);
}

gboolean
gloss_reader_pane_get_show_annotations (GlossReaderPane *self)
{
  g_return_val_if_fail (GLOSS_IS_READER_PANE (self), FALSE);

  return adw_flap_get_reveal_flap (self->flap);
}

void
gloss_reader_pane_set_show_annotations (GlossReaderPane *self,
                                        gboolean         show)
{
  g_return_if_fail (GLOSS_IS_READER_PANE (self));

  adw_flap_set_reveal_flap (self->flap, show);
}
