/* gloss-highlight-popover.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The popover of the reader's highlights: at a fresh selection it offers
 * the five colours, Add Note and Copy; at a highlight, its note (saved as
 * typed, flushed on close), the colours, Copy as Markdown and Delete. */

#define G_LOG_DOMAIN "gloss-highlight-popover"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-highlight-popover.h"

struct _GlossHighlightPopover
{
  GtkPopover      parent_instance;

  GlossAnnotator *annotator;
  GSettings      *settings;
  char           *id;          /* the highlight shown, NULL at a selection */
  gboolean        loading_note;

  /* Template widgets */
  GtkBox         *colors_box;
  GtkStack       *mode_stack;
  GtkTextView    *note_view;
};

G_DEFINE_FINAL_TYPE (GlossHighlightPopover, gloss_highlight_popover, GTK_TYPE_POPOVER)

static const char *color_labels[GLOSS_N_COLORS] = {
  N_("Yellow"), N_("Green"), N_("Blue"), N_("Pink"), N_("Purple"),
};

static GlossColor
last_color (GlossHighlightPopover *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "last-highlight-color");
  GlossColor color = GLOSS_COLOR_YELLOW;

  gloss_color_from_string (name, &color);
  return color;
}

static void
color_clicked_cb (GtkButton             *button,
                  GlossHighlightPopover *self)
{
  GlossColor color = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "gloss-color"));

  g_settings_set_string (self->settings, "last-highlight-color", gloss_color_to_string (color));

  if (self->id == NULL)
    {
      gloss_annotator_highlight_selection (self->annotator, color, FALSE);
      gtk_popover_popdown (GTK_POPOVER (self));
    }
  else
    gloss_annotator_set_color (self->annotator, self->id, color);
}

static void
add_note_clicked_cb (GlossHighlightPopover *self)
{
  g_assert (GLOSS_IS_HIGHLIGHT_POPOVER (self));

  gtk_popover_popdown (GTK_POPOVER (self));
  gloss_annotator_highlight_selection (self->annotator, last_color (self), TRUE);
}

static void
gloss_highlight_popover_selected_text_cb (GObject      *object,
                                          GAsyncResult *result,
                                          gpointer      user_data)
{
  g_autoptr(GdkClipboard) clipboard = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert (GDK_IS_CLIPBOARD (clipboard));

  text = gloss_annotator_get_selected_text_finish (GLOSS_ANNOTATOR (object), result, &error);
  if (text != NULL)
    gdk_clipboard_set_text (clipboard, text);
  else
    g_debug ("Nothing to copy: %s", error->message);
}

static void
copy_clicked_cb (GlossHighlightPopover *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  g_assert (GLOSS_IS_HIGHLIGHT_POPOVER (self));

  if (self->id != NULL)
    {
      g_autofree char *markdown = gloss_annotator_dup_markdown (self->annotator, self->id);

      if (markdown != NULL)
        gdk_clipboard_set_text (clipboard, markdown);
    }
  else
    gloss_annotator_get_selected_text_async (self->annotator, NULL,
                                             gloss_highlight_popover_selected_text_cb,
                                             g_object_ref (clipboard));

  gtk_popover_popdown (GTK_POPOVER (self));
}

static void
delete_clicked_cb (GlossHighlightPopover *self)
{
  g_autofree char *id = g_strdup (self->id);

  g_assert (GLOSS_IS_HIGHLIGHT_POPOVER (self));

  gtk_popover_popdown (GTK_POPOVER (self));
  if (id != NULL)
    gloss_annotator_delete (self->annotator, id);
}

static void
note_changed_cb (GlossHighlightPopover *self,
                 GtkTextBuffer         *buffer)
{
  g_assert (GLOSS_IS_HIGHLIGHT_POPOVER (self));

  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->loading_note || self->id == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gloss_annotator_edit_note (self->annotator, self->id, text);
}

static void
closed_cb (GlossHighlightPopover *self)
{
  g_assert (GLOSS_IS_HIGHLIGHT_POPOVER (self));

  /* Nothing typed is lost when the popover goes away. */
  if (self->annotator != NULL)
    gloss_annotator_flush (self->annotator);
}

static void
gloss_highlight_popover_dispose (GObject *object)
{
  GlossHighlightPopover *self = (GlossHighlightPopover *)object;

  if (self->annotator != NULL)
    gloss_annotator_flush (self->annotator);

  g_clear_object (&self->annotator);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->id, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLOSS_TYPE_HIGHLIGHT_POPOVER);

  G_OBJECT_CLASS (gloss_highlight_popover_parent_class)->dispose (object);
}

static void
gloss_highlight_popover_class_init (GlossHighlightPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_highlight_popover_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/gloss-highlight-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, GlossHighlightPopover, colors_box);
  gtk_widget_class_bind_template_child (widget_class, GlossHighlightPopover, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, GlossHighlightPopover, note_view);
  gtk_widget_class_bind_template_callback (widget_class, add_note_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_clicked_cb);
}

static void
ensure_style (void)
{
  static gboolean done;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (done)
    return;
  done = TRUE;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/ui/gloss-annotations.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
gloss_highlight_popover_init (GlossHighlightPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ensure_style ();

  self->settings = g_settings_new (APP_ID);

  for (guint i = 0; i < GLOSS_N_COLORS; i++)
    {
      GtkWidget *button = gtk_button_new ();
      g_autofree char *css = g_strdup_printf ("gloss-swatch-%s", gloss_color_to_string (i));
      g_autofree char *tooltip = g_strdup_printf (_("Highlight in %s"), _(color_labels[i]));

      gtk_widget_add_css_class (button, "circular");
      gtk_widget_add_css_class (button, "gloss-swatch");
      gtk_widget_add_css_class (button, css);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(color_labels[i]),
                                      -1);
      g_object_set_data (G_OBJECT (button), "gloss-color", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (color_clicked_cb), self);
      gtk_box_append (self->colors_box, button);
    }

  g_signal_connect_object (gtk_text_view_get_buffer (self->note_view), "changed",
                           G_CALLBACK (note_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "closed", G_CALLBACK (closed_cb), NULL);
}

GtkWidget *
gloss_highlight_popover_new (GlossAnnotator *annotator)
{
  GlossHighlightPopover *self;

  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (annotator), NULL);

  self = g_object_new (GLOSS_TYPE_HIGHLIGHT_POPOVER, NULL);
  self->annotator = g_object_ref (annotator);

  return GTK_WIDGET (self);
}

void
gloss_highlight_popover_show_selection (GlossHighlightPopover *self,
                                        const GdkRectangle    *rect)
{
  g_return_if_fail (GLOSS_IS_HIGHLIGHT_POPOVER (self));

  g_clear_pointer (&self->id, g_free);
  gtk_stack_set_visible_child_name (self->mode_stack, "new");
  gtk_popover_set_pointing_to (GTK_POPOVER (self), rect);
  gtk_popover_popup (GTK_POPOVER (self));
}

void
gloss_highlight_popover_show_annotation (GlossHighlightPopover *self,
                                         const char            *id,
                                         const GdkRectangle    *rect,
                                         gboolean               focus_note)
{
  GlossClip *clip;
  GlossAnnotation *annotation;

  g_return_if_fail (GLOSS_IS_HIGHLIGHT_POPOVER (self));

  clip = gloss_annotator_get_clip (self->annotator);
  annotation = clip && id ? gloss_clip_find_annotation (clip, id) : NULL;
  if (annotation == NULL)
    return;

  gloss_annotator_flush (self->annotator);
  g_free (self->id);
  self->id = g_strdup (id);

  self->loading_note = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view),
                            gloss_annotation_get_note (annotation), -1);
  self->loading_note = FALSE;

  /* A clip of a newer format is only looked at. */
  {
    gboolean writable = !gloss_clip_get_read_only (clip);

    gtk_text_view_set_editable (self->note_view, writable);
    gtk_widget_set_sensitive (GTK_WIDGET (self->colors_box), writable);
  }

  gtk_stack_set_visible_child_name (self->mode_stack, "edit");
  gtk_popover_set_pointing_to (GTK_POPOVER (self), rect);
  gtk_popover_popup (GTK_POPOVER (self));

  /* The note first: typing goes there, never to a colour button. */
  gtk_widget_grab_focus (GTK_WIDGET (self->note_view));
}

const char *
gloss_highlight_popover_get_id (GlossHighlightPopover *self)
{
  g_return_val_if_fail (GLOSS_IS_HIGHLIGHT_POPOVER (self), NULL);

  return self->id;
}

GtkTextView *
gloss_highlight_popover_get_note_view (GlossHighlightPopover *self)
{
  g_return_val_if_fail (GLOSS_IS_HIGHLIGHT_POPOVER (self), NULL);

  return self->note_view;
}
