/* gloss-annotations-panel.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The annotations panel beside the reader (F9): a way back to every
 * highlight of the clip, and the clip's own note and tags. */

#define G_LOG_DOMAIN "gloss-annotations-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-annotations-panel.h"

#define NOTE_SAVE_DELAY_MS 500
#define QUOTE_CHARS 160

struct _GlossAnnotationsPanel
{
  AdwBin          parent_instance;

  GlossAnnotator *annotator;
  GlossLibrary   *library;
  GlossClip      *clip;          /* whose note and tags are shown */
  guint           note_source;
  guint           rebuild_source;
  gboolean        loading;
  gboolean        dirty;

  /* Template widgets */
  GtkTextView    *page_note_view;
  GtkFlowBox     *tags_box;
  GtkEntry       *tag_entry;
  GtkDropDown    *color_filter;
  GtkToggleButton *note_filter;
  GtkListBox     *list;
  GtkLabel       *empty_label;
  GtkLabel       *orphans_label;
  GtkListBox     *orphans;
};

G_DEFINE_FINAL_TYPE (GlossAnnotationsPanel, gloss_annotations_panel, ADW_TYPE_BIN)

static char *
shorten (const char *text,
         glong       max_chars)
{
  g_autofree char *flat = g_strdup (text ? text : "");
  g_autofree char *cut = NULL;

  /* One line: a quote may span paragraphs. */
  g_strdelimit (flat, "\n\r\t", ' ');
  g_strstrip (flat);
  if (g_utf8_strlen (flat, -1) <= max_chars)
    return g_steal_pointer (&flat);

  cut = g_utf8_substring (flat, 0, max_chars);
  return g_strconcat (g_strstrip (cut), "…", NULL);
}

static void
reattach_clicked_cb (GtkButton             *button,
                     GlossAnnotationsPanel *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "gloss-id");

  if (self->annotator != NULL && id != NULL)
    gloss_annotator_reattach (self->annotator, id);
}

static void
edit_clicked_cb (GtkButton             *button,
                 GlossAnnotationsPanel *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "gloss-id");

  if (self->annotator != NULL && id != NULL)
    gloss_annotator_open_note (self->annotator, id);
}

static GtkWidget *
annotation_row (GlossAnnotationsPanel *self,
                GlossAnnotation       *annotation,
                gboolean               orphan)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *quote;
  g_autofree char *dot_class = g_strdup_printf ("gloss-dot-%s", gloss_color_to_string (gloss_annotation_get_color (annotation)));
  g_autofree char *short_quote = shorten (gloss_annotation_get_exact (annotation), QUOTE_CHARS);
  g_autofree char *quoted = g_strdup_printf ("“%s”", short_quote);
  const char *note = gloss_annotation_get_note (annotation);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);

  gtk_widget_add_css_class (dot, "gloss-dot");
  gtk_widget_add_css_class (dot, dot_class);
  gtk_box_append (GTK_BOX (box), dot);

  quote = gtk_label_new (quoted);
  gtk_label_set_wrap (GTK_LABEL (quote), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (quote), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (quote), 3);
  gtk_label_set_ellipsize (GTK_LABEL (quote), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (quote), 0);
  gtk_box_append (GTK_BOX (texts), quote);

  if (*note != '\0')
    {
      g_autofree char *short_note = shorten (note, 120);
      GtkWidget *label = gtk_label_new (short_note);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (label), 2);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (texts), label);
    }

  if (orphan)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Re-attach to Selection"));

      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_widget_set_tooltip_text (button, _("Select the passage in the article first"));
      g_object_set_data_full (G_OBJECT (button), "gloss-id",
                              g_strdup (gloss_annotation_get_id (annotation)), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (reattach_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (texts), button);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
    }

  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (box), texts);

  if (!orphan)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("document-edit-symbolic");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Edit the Note"));
      g_object_set_data_full (G_OBJECT (button), "gloss-id",
                              g_strdup (gloss_annotation_get_id (annotation)), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (edit_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (box), button);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, quoted,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "gloss-id",
                          g_strdup (gloss_annotation_get_id (annotation)), g_free);

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
rebuild_lists (GlossAnnotationsPanel *self)
{
  GlossClip *clip = self->annotator ? gloss_annotator_get_clip (self->annotator) : NULL;
  guint color_index = gtk_drop_down_get_selected (self->color_filter);
  gboolean need_note = gtk_toggle_button_get_active (self->note_filter);
  GListModel *annotations;
  guint n, shown = 0, orphans = 0;

  clear_list (self->list);
  clear_list (self->orphans);

  if (clip == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->orphans_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->orphans), FALSE);
      return;
    }

  annotations = gloss_clip_get_annotations (clip);
  n = g_list_model_get_n_items (annotations);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (annotations, i);

      if (gloss_annotation_get_orphan (annotation))
        {
          gtk_list_box_append (self->orphans, annotation_row (self, annotation, TRUE));
          orphans++;
          continue;
        }

      if (color_index > 0 && gloss_annotation_get_color (annotation) != (GlossColor)(color_index - 1))
        continue;
      if (need_note && *gloss_annotation_get_note (annotation) == '\0')
        continue;

      gtk_list_box_append (self->list, annotation_row (self, annotation, FALSE));
      shown++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->list), shown > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), shown == 0);
  gtk_label_set_label (self->empty_label,
                       n - orphans == 0 ? _("Select text in the article and press Ctrl+H to highlight it.")
                                        : _("No highlight matches the filter."));
  gtk_widget_set_visible (GTK_WIDGET (self->orphans_label), orphans > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->orphans), orphans > 0);
}

static void
remove_tag_clicked_cb (GtkButton             *button,
                       GlossAnnotationsPanel *self)
{
  const char *tag = g_object_get_data (G_OBJECT (button), "gloss-tag");

  if (self->clip == NULL || tag == NULL)
    return;

  if (gloss_clip_remove_tag (self->clip, tag))
    gloss_annotator_save_clip (self->annotator);
}

static void
rebuild_tags (GlossAnnotationsPanel *self)
{
  const char * const *tags = self->clip ? gloss_clip_get_tags (self->clip) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))) != NULL)
    gtk_flow_box_remove (self->tags_box, child);

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      g_autofree char *label = g_strdup_printf (_("Remove tag “%s”"), tags[i]);

      gtk_box_append (GTK_BOX (box), gtk_label_new (tags[i]));
      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("window-close-symbolic"));
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "gloss-tag");
      gtk_widget_set_tooltip_text (button, label);
      g_object_set_data_full (G_OBJECT (button), "gloss-tag", g_strdup (tags[i]), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (remove_tag_clicked_cb), self, 0);
      gtk_flow_box_append (self->tags_box, button);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), tags != NULL && tags[0] != NULL);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
update_completion (GlossAnnotationsPanel *self)
{
  GtkEntryCompletion *completion = gtk_entry_get_completion (self->tag_entry);
  g_autoptr(GtkListStore) store = gtk_list_store_new (1, G_TYPE_STRING);
  g_auto(GStrv) tags = self->library ? gloss_library_dup_all_tags (self->library) : NULL;

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    gtk_list_store_insert_with_values (store, NULL, -1, 0, tags[i], -1);

  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (store));
}
G_GNUC_END_IGNORE_DEPRECATIONS

static void
tag_entry_activate_cb (GlossAnnotationsPanel *self)
{
  g_autofree char *tag = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry))));

  if (self->clip == NULL || *tag == '\0')
    return;

  if (gloss_clip_add_tag (self->clip, tag))
    gloss_annotator_save_clip (self->annotator);

  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  rebuild_tags (self);
  update_completion (self);
}

static void
load_clip (GlossAnnotationsPanel *self)
{
  GlossClip *clip = self->annotator ? gloss_annotator_get_clip (self->annotator) : NULL;

  if (clip != self->clip)
    {
      gloss_annotations_panel_flush (self);
      g_set_object (&self->clip, clip);

      self->loading = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->page_note_view),
                                clip ? gloss_clip_get_note (clip) : "", -1);
      self->loading = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self->page_note_view),
                                clip != NULL && !gloss_clip_get_read_only (clip));
      gtk_widget_set_sensitive (GTK_WIDGET (self->tag_entry),
                                clip != NULL && !gloss_clip_get_read_only (clip));
      update_completion (self);
    }

  rebuild_tags (self);
  rebuild_lists (self);
}

static gboolean
rebuild_idle_cb (gpointer user_data)
{
  GlossAnnotationsPanel *self = user_data;

  self->rebuild_source = 0;
  self->dirty = FALSE;
  load_clip (self);

  return G_SOURCE_REMOVE;
}

/* Rows for hundreds of highlights cost more than making a highlight: the
 * lists are redone only while the panel shows, after the change itself
 * is done, and once for a burst of changes. */
static void
annotations_changed_cb (GlossAnnotationsPanel *self)
{
  self->dirty = TRUE;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->rebuild_source != 0)
    return;

  self->rebuild_source = g_idle_add_full (G_PRIORITY_LOW, rebuild_idle_cb, self, NULL);
}

static void
gloss_annotations_panel_map (GtkWidget *widget)
{
  GlossAnnotationsPanel *self = GLOSS_ANNOTATIONS_PANEL (widget);

  GTK_WIDGET_CLASS (gloss_annotations_panel_parent_class)->map (widget);

  if (self->dirty)
    {
      self->dirty = FALSE;
      load_clip (self);
    }
}

static gboolean
note_timeout_cb (gpointer user_data)
{
  GlossAnnotationsPanel *self = user_data;

  self->note_source = 0;
  if (self->clip != NULL && self->annotator != NULL)
    gloss_annotator_save_clip (self->annotator);

  return G_SOURCE_REMOVE;
}

static void
page_note_changed_cb (GlossAnnotationsPanel *self,
                      GtkTextBuffer         *buffer)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->loading || self->clip == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gloss_clip_set_note (self->clip, text);

  g_clear_handle_id (&self->note_source, g_source_remove);
  self->note_source = g_timeout_add (NOTE_SAVE_DELAY_MS, note_timeout_cb, self);
}

void
gloss_annotations_panel_flush (GlossAnnotationsPanel *self)
{
  g_return_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self));

  if (self->note_source != 0)
    {
      g_clear_handle_id (&self->note_source, g_source_remove);
      if (self->clip != NULL && self->annotator != NULL &&
          gloss_annotator_get_clip (self->annotator) == self->clip)
        gloss_annotator_save_clip (self->annotator);
      else if (self->clip != NULL && self->library != NULL)
        gloss_library_save (self->library, self->clip, NULL);
    }
}

static void
filter_changed_cb (GlossAnnotationsPanel *self)
{
  rebuild_lists (self);
}

static void
row_activated_cb (GlossAnnotationsPanel *self,
                  GtkListBoxRow         *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "gloss-id");

  if (self->annotator != NULL && id != NULL)
    gloss_annotator_scroll_to (self->annotator, id);
}

static void
gloss_annotations_panel_dispose (GObject *object)
{
  GlossAnnotationsPanel *self = (GlossAnnotationsPanel *)object;

  gloss_annotations_panel_flush (self);
  g_clear_handle_id (&self->rebuild_source, g_source_remove);

  if (self->annotator != NULL)
    g_signal_handlers_disconnect_by_data (self->annotator, self);

  g_clear_object (&self->annotator);
  g_clear_object (&self->library);
  g_clear_object (&self->clip);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLOSS_TYPE_ANNOTATIONS_PANEL);

  G_OBJECT_CLASS (gloss_annotations_panel_parent_class)->dispose (object);
}

static void
gloss_annotations_panel_class_init (GlossAnnotationsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_annotations_panel_dispose;
  widget_class->map = gloss_annotations_panel_map;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/gloss-annotations-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, page_note_view);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, tags_box);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, color_filter);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, note_filter);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, list);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, empty_label);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, orphans_label);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, orphans);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
gloss_annotations_panel_init (GlossAnnotationsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    g_autoptr(GtkEntryCompletion) completion = gtk_entry_completion_new ();

    gtk_entry_completion_set_text_column (completion, 0);
    gtk_entry_completion_set_minimum_key_length (completion, 1);
    gtk_entry_completion_set_inline_completion (completion, TRUE);
    gtk_entry_set_completion (self->tag_entry, completion);
  }
  G_GNUC_END_IGNORE_DEPRECATIONS

  g_signal_connect_object (gtk_text_view_get_buffer (self->page_note_view), "changed",
                           G_CALLBACK (page_note_changed_cb), self, G_CONNECT_SWAPPED);
  rebuild_lists (self);
  rebuild_tags (self);
}

void
gloss_annotations_panel_set_annotator (GlossAnnotationsPanel *self,
                                       GlossAnnotator        *annotator,
                                       GlossLibrary          *library)
{
  g_return_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self));
  g_return_if_fail (annotator == NULL || GLOSS_IS_ANNOTATOR (annotator));

  g_set_object (&self->library, library);

  if (self->annotator != annotator)
    {
      if (self->annotator != NULL)
        g_signal_handlers_disconnect_by_data (self->annotator, self);
      g_set_object (&self->annotator, annotator);
      if (annotator != NULL)
        g_signal_connect_object (annotator, "changed",
                                 G_CALLBACK (annotations_changed_cb), self, G_CONNECT_SWAPPED);
    }

  update_completion (self);
  load_clip (self);
}

GtkListBox *
gloss_annotations_panel_get_list (GlossAnnotationsPanel *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self), NULL);

  return self->list;
}

GtkListBox *
gloss_annotations_panel_get_orphans (GlossAnnotationsPanel *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self), NULL);

  return self->orphans;
}
