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
#include "gloss-clip-saver.h"
#include "gloss-merge.h"
#include "gloss-merge-notice.h"

#define QUOTE_CHARS 160

struct _GlossAnnotationsPanel
{
  AdwBin          parent_instance;

  GlossAnnotator *annotator;
  GlossLibrary   *library;
  GlossClip      *clip;          /* whose note and tags are shown */
  GlossClipSaver *saver;         /* of clip: shared with the annotator */
  guint           rebuild_source;
  guint           update_source;
  gboolean        loading;
  gboolean        dirty;

  /* Template widgets */
  GtkTextView    *page_note_view;
  GtkFlowBox     *tags_box;
  GtkEntry       *tag_entry;
  GtkDropDown    *color_filter;
  GtkToggleButton *note_filter;
  GtkListView    *list_view;
  GtkLabel       *empty_label;
  GtkWidget      *orphans_box;
  GtkListBox     *orphans;

  /* "Changed on another machine too": texts that lost a merge (FORMAT.md
   * "Several machines"): the title's and page note's notices, built in
   * code above and below the note; a highlight's is in its row. */
  GlossMergeNotice *lost_title;
  GlossMergeNotice *lost_note;
  JsonObject     *lost;          /* gloss_merge_lost_lookup (), or NULL */

  /* A mirror of the clip's annotations (kept in position order by the
   * clip) that changes only where they did: an annotation added or
   * removed there is added or removed here, one whose colour, note, quote
   * or orphan state changed is put back in its place (items-changed for
   * that position), so the filters and the list view redo that row alone
   * and a highlight costs the same with 5 or 1,000 of them. */
  GListStore         *store;
  GListModel         *source;       /* the clip's annotations, mirrored */
  GHashTable         *pending;      /* GlossAnnotation → changed in place */
  GtkCustomFilter    *filter;
  GtkFilterListModel *shown;
  GtkCustomFilter    *orphan_filter;
  GtkFilterListModel *orphan_model;
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

static void
set_label_text (GtkLabel   *label,
                const char *text)
{
  gtk_label_set_label (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static GtkWidget *
make_label (int lines)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), lines);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_width_chars (GTK_LABEL (label), 20);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);

  return label;
}

static void lost_highlight_use_cb     (GlossAnnotationsPanel *self,
                                       GlossMergeNotice      *notice);
static void lost_highlight_dismiss_cb (GlossAnnotationsPanel *self,
                                       GlossMergeNotice      *notice);

/* One row: colour, quote, note preview, and a button (edit the note, or
 * for an orphan re-attach it to the selection). Filled by bind_row(). */
static GtkWidget *
make_row (GlossAnnotationsPanel *self,
          gboolean               orphan)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *quote = make_label (3);
  GtkWidget *note = make_label (2);
  GtkWidget *button;

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);

  gtk_widget_add_css_class (dot, "gloss-dot");
  gtk_box_append (GTK_BOX (box), dot);

  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_add_css_class (note, "caption");
  gtk_box_append (GTK_BOX (texts), quote);
  gtk_box_append (GTK_BOX (texts), note);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (box), texts);

  if (orphan)
    {
      button = gtk_button_new_with_mnemonic (_("_Re-attach to Selection"));
      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_widget_set_tooltip_text (button, _("Select the passage in the article first"));
      g_signal_connect_object (button, "clicked", G_CALLBACK (reattach_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (texts), button);
    }
  else
    {
      button = gtk_button_new_from_icon_name ("document-edit-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Edit the Note"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Edit the Note"),
                                      -1);
      g_signal_connect_object (button, "clicked", G_CALLBACK (edit_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (box), button);
    }

  {
    GtkWidget *lost = gloss_merge_notice_new (GLOSS_MERGE_NOTICE_HIGHLIGHT);

    g_signal_connect_object (lost, "use", G_CALLBACK (lost_highlight_use_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (lost, "dismiss", G_CALLBACK (lost_highlight_dismiss_cb), self, G_CONNECT_SWAPPED);
    gtk_box_insert_child_after (GTK_BOX (texts), lost, note);
    g_object_set_data (G_OBJECT (box), "gloss-lost", lost);
  }

  g_object_set_data (G_OBJECT (box), "gloss-dot", dot);
  g_object_set_data (G_OBJECT (box), "gloss-quote", quote);
  g_object_set_data (G_OBJECT (box), "gloss-note", note);
  g_object_set_data (G_OBJECT (box), "gloss-button", button);

  return box;
}

static void
bind_row (GtkWidget       *box,
          GlossAnnotation *annotation)
{
  GtkWidget *dot = g_object_get_data (G_OBJECT (box), "gloss-dot");
  GtkWidget *button = g_object_get_data (G_OBJECT (box), "gloss-button");
  g_autofree char *short_quote = shorten (gloss_annotation_get_exact (annotation), QUOTE_CHARS);
  g_autofree char *quoted = g_strdup_printf ("“%s”", short_quote);
  g_autofree char *short_note = shorten (gloss_annotation_get_note (annotation), 120);

  for (guint i = 0; i < GLOSS_N_COLORS; i++)
    {
      g_autofree char *css = g_strdup_printf ("gloss-dot-%s", gloss_color_to_string (i));

      if (i == gloss_annotation_get_color (annotation))
        gtk_widget_add_css_class (dot, css);
      else
        gtk_widget_remove_css_class (dot, css);
    }

  set_label_text (g_object_get_data (G_OBJECT (box), "gloss-quote"), quoted);
  set_label_text (g_object_get_data (G_OBJECT (box), "gloss-note"), short_note);
  g_object_set_data_full (G_OBJECT (button), "gloss-id",
                          g_strdup (gloss_annotation_get_id (annotation)), g_free);
  g_object_set_data_full (G_OBJECT (box), "gloss-id",
                          g_strdup (gloss_annotation_get_id (annotation)), g_free);
}

/* What a screen reader says for a highlight: its colour, which the row
 * shows only as a dot, then its text. */
static char *
describe_highlight (GlossAnnotation *annotation,
                    const char      *quote)
{
  switch (gloss_annotation_get_color (annotation))
    {
    case GLOSS_COLOR_GREEN:
      return g_strdup_printf (_("Green highlight: %s"), quote);
    case GLOSS_COLOR_BLUE:
      return g_strdup_printf (_("Blue highlight: %s"), quote);
    case GLOSS_COLOR_PINK:
      return g_strdup_printf (_("Pink highlight: %s"), quote);
    case GLOSS_COLOR_PURPLE:
      return g_strdup_printf (_("Purple highlight: %s"), quote);
    case GLOSS_COLOR_YELLOW:
    default:
      return g_strdup_printf (_("Yellow highlight: %s"), quote);
    }
}

/* The note this highlight had on another machine, when it lost a merge
 * to the one it has now (and still stands against it). */
static void
bind_lost (GlossAnnotationsPanel *self,
           GtkWidget             *box,
           GlossAnnotation       *annotation)
{
  GlossMergeNotice *notice = g_object_get_data (G_OBJECT (box), "gloss-lost");
  JsonObject *notes = self->lost != NULL && json_object_has_member (self->lost, "annotations")
                      ? json_object_get_object_member (self->lost, "annotations") : NULL;
  const char *id = gloss_annotation_get_id (annotation);
  JsonObject *entry = notes != NULL && json_object_has_member (notes, id)
                      ? json_object_get_object_member (notes, id) : NULL;
  const char *text = entry != NULL ? json_object_get_string_member_with_default (entry, "note", NULL) : NULL;
  const char *against = entry != NULL ? json_object_get_string_member_with_default (entry, "against", NULL) : NULL;

  /* Gone by itself once the note is changed here (a later "modified"). */
  if (text != NULL && (against == NULL || gloss_merge_compare_times (against, gloss_annotation_get_modified (annotation)) != 0 ||
                       g_strcmp0 (text, gloss_annotation_get_note (annotation)) == 0))
    text = NULL;

  gloss_merge_notice_set_key (notice, id);
  gloss_merge_notice_set_text (notice, text);
}

static void
setup_item_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               GlossAnnotationsPanel    *self)
{
  gtk_list_item_set_child (item, make_row (self, FALSE));
}

static void
bind_item_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              GlossAnnotationsPanel    *self)
{
  GlossAnnotation *annotation = gtk_list_item_get_item (item);
  g_autofree char *short_quote = shorten (gloss_annotation_get_exact (annotation), QUOTE_CHARS);

  g_autofree char *label = describe_highlight (annotation, short_quote);

  bind_row (gtk_list_item_get_child (item), annotation);
  bind_lost (self, gtk_list_item_get_child (item), annotation);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (item)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static GtkWidget *
create_orphan_row_cb (gpointer item,
                      gpointer user_data)
{
  GlossAnnotationsPanel *self = user_data;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = make_row (self, TRUE);
  gboolean live = self->annotator != NULL && gloss_annotator_get_live (self->annotator);

  g_autofree char *short_quote = shorten (gloss_annotation_get_exact (item), QUOTE_CHARS);
  g_autofree char *label = describe_highlight (item, short_quote);

  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  bind_row (box, item);
  /* Not on the live page, but anchored in the clip: nothing to re-attach. */
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "gloss-button"), !live);
  bind_lost (self, box, item);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data_full (G_OBJECT (row), "gloss-id",
                          g_strdup (gloss_annotation_get_id (item)), g_free);

  return row;
}

/* Listed apart from the others: not found in the article, or, on the live
 * page, not found in the page ("Not on this page": still in the clip). */
static gboolean
listed_apart (GlossAnnotationsPanel *self,
              GlossAnnotation       *annotation)
{
  if (self->annotator != NULL && gloss_annotator_get_live (self->annotator))
    return !gloss_annotator_is_on_page (self->annotator, gloss_annotation_get_id (annotation));
  return gloss_annotation_get_orphan (annotation);
}

static gboolean
shown_filter_cb (gpointer item,
                 gpointer user_data)
{
  GlossAnnotationsPanel *self = user_data;
  GlossAnnotation *annotation = item;
  guint color_index = gtk_drop_down_get_selected (self->color_filter);

  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  if (listed_apart (self, annotation))
    return FALSE;
  if (color_index > 0 && color_index != GTK_INVALID_LIST_POSITION &&
      gloss_annotation_get_color (annotation) != (GlossColor)(color_index - 1))
    return FALSE;
  if (gtk_toggle_button_get_active (self->note_filter) && *gloss_annotation_get_note (annotation) == '\0')
    return FALSE;

  return TRUE;
}

static gboolean
orphan_filter_cb (gpointer item,
                  gpointer user_data)
{
  return listed_apart (user_data, GLOSS_ANNOTATION (item));
}

static void
update_visibility (GlossAnnotationsPanel *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  guint orphans = g_list_model_get_n_items (G_LIST_MODEL (self->orphan_model));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  const char *empty = all - orphans == 0 ? _("Select text in the article and press Ctrl+H to highlight it.")
                                         : _("No highlight matches the filter.");

  /* Runs for every row added or changed: only what differs is set. */
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), shown == 0);
  if (g_strcmp0 (gtk_label_get_label (self->empty_label), empty) != 0)
    gtk_label_set_label (self->empty_label, empty);
  gtk_widget_set_visible (self->orphans_box, orphans > 0);
}

/* update_visibility () as a signal handler (connected swapped; the
 * signal's own arguments are not needed). */
static void
gloss_annotations_panel_update_visibility_cb (GlossAnnotationsPanel *self)
{
  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  update_visibility (self);
}

/* An annotation of the mirror changed in place: which changes show. */
static void
annotation_notify_cb (GlossAnnotation       *annotation,
                      GParamSpec            *pspec,
                      GlossAnnotationsPanel *self);

static void
watch (GlossAnnotationsPanel *self,
       GlossAnnotation       *annotation)
{
  g_signal_connect (annotation, "notify", G_CALLBACK (annotation_notify_cb), self);
}

static void
unwatch (GlossAnnotationsPanel *self,
         GlossAnnotation       *annotation)
{
  g_signal_handlers_disconnect_by_func (annotation, annotation_notify_cb, self);
  g_hash_table_remove (self->pending, annotation);
}

/* The clip's list changed (one added or removed, usually): the same
 * change here, at the same place. */
static void
source_items_changed_cb (GlossAnnotationsPanel *self,
                         guint                  position,
                         guint                  removed,
                         guint                  added,
                         GListModel            *source)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (added, g_object_unref);

  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  for (guint i = 0; i < removed; i++)
    {
      g_autoptr(GlossAnnotation) gone = g_list_model_get_item (G_LIST_MODEL (self->store), position + i);

      unwatch (self, gone);
    }
  for (guint i = 0; i < added; i++)
    {
      GlossAnnotation *annotation = g_list_model_get_item (source, position + i);

      watch (self, annotation);
      g_ptr_array_add (items, annotation);
    }

  g_list_store_splice (self->store, position, removed, items->pdata, added);
}

/* Mirrors @source (NULL: nothing) from now on, all of it at once. */
static void
set_source (GlossAnnotationsPanel *self,
            GListModel            *source)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint n = source ? g_list_model_get_n_items (source) : 0;
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);

  if (source == self->source)
    return;

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, source_items_changed_cb, self);
  for (guint i = 0; i < n_old; i++)
    {
      g_autoptr(GlossAnnotation) old = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      unwatch (self, old);
    }
  g_hash_table_remove_all (self->pending);
  g_set_object (&self->source, source);

  for (guint i = 0; i < n; i++)
    {
      GlossAnnotation *annotation = g_list_model_get_item (source, i);

      watch (self, annotation);
      g_ptr_array_add (items, annotation);
    }
  g_list_store_splice (self->store, 0, n_old, items->pdata, n);

  if (source != NULL)
    g_signal_connect_object (source, "items-changed", G_CALLBACK (source_items_changed_cb),
                             self, G_CONNECT_SWAPPED);
  update_visibility (self);
}

/* Puts each annotation changed in place back where it is, so that the
 * filters and the row see it again; many at once (the clip anchored
 * anew) as one change of the whole list. */
#define MAX_ROWS_ONE_BY_ONE 32

static void
update_changed_rows (GlossAnnotationsPanel *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  GHashTableIter iter;
  gpointer annotation;

  if (g_hash_table_size (self->pending) == 0)
    return;

  if (g_hash_table_size (self->pending) > MAX_ROWS_ONE_BY_ONE)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (self->store), i));
      g_hash_table_remove_all (self->pending);
      g_list_store_splice (self->store, 0, n, items->pdata, n);
      return;
    }

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &annotation, NULL))
    {
      guint position;

      if (g_list_store_find (self->store, annotation, &position))
        g_list_store_splice (self->store, position, 1, &annotation, 1);
      g_hash_table_iter_remove (&iter);
    }
}

static gboolean
update_idle_cb (gpointer user_data)
{
  GlossAnnotationsPanel *self = user_data;

  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  self->update_source = 0;
  update_changed_rows (self);

  return G_SOURCE_REMOVE;
}

/* @annotation's row is shown again after the change itself is done, once
 * for a burst of changes. */
static void
queue_row_update (GlossAnnotationsPanel *self,
                  GlossAnnotation       *annotation)
{
  if (!g_hash_table_contains (self->pending, annotation))
    g_hash_table_add (self->pending, g_object_ref (annotation));

  if (self->update_source == 0)
    self->update_source = g_idle_add_full (G_PRIORITY_LOW, update_idle_cb, self, NULL);
}

static void
annotation_notify_cb (GlossAnnotation       *annotation,
                      GParamSpec            *pspec,
                      GlossAnnotationsPanel *self)
{
  const char *name = g_param_spec_get_name (pspec);

  g_assert (GLOSS_IS_ANNOTATION (annotation));
  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  /* What a row shows, or what the filters and sections go by. */
  if (!g_str_equal (name, "color") && !g_str_equal (name, "note") &&
      !g_str_equal (name, "orphan") && !g_str_equal (name, "exact"))
    return;

  queue_row_update (self, annotation);
}


static void rebuild_tags (GlossAnnotationsPanel *self);

/* The page note and tags are saved by the clip's saver, the one the
 * annotator's changes go through: written after a pause, off the main
 * loop, errors shown by the annotator. */
static void
queue_save (GlossAnnotationsPanel *self)
{
  if (self->saver != NULL)
    gloss_clip_saver_queue (self->saver);
  else if (self->clip != NULL)
    g_warning ("No library to save clip %s into", gloss_clip_get_id (self->clip));
}

static void
remove_tag_clicked_cb (GtkButton             *button,
                       GlossAnnotationsPanel *self)
{
  const char *tag = g_object_get_data (G_OBJECT (button), "gloss-tag");

  if (self->clip == NULL || tag == NULL)
    return;

  if (gloss_clip_remove_tag (self->clip, tag))
    queue_save (self);
  rebuild_tags (self);
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
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
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

  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  if (self->clip == NULL || *tag == '\0')
    return;

  if (gloss_clip_add_tag (self->clip, tag))
    queue_save (self);

  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  rebuild_tags (self);
  update_completion (self);
}

/* The library a clip is in: clips/<id>/ two folders down. */
static GFile *
library_folder_of (GlossClip *clip)
{
  GFile *folder = gloss_clip_get_folder (clip);
  g_autoptr(GFile) clips = folder ? g_file_get_parent (folder) : NULL;

  return clips ? g_file_get_parent (clips) : NULL;
}

static const char *
lost_text (JsonObject *lost,
           const char *field)
{
  JsonObject *entry = lost != NULL && json_object_has_member (lost, field)
                      ? json_object_get_object_member (lost, field) : NULL;

  return entry != NULL ? json_object_get_string_member_with_default (entry, "text", NULL) : NULL;
}

/* Looks again at what lost a merge against the clip as it is now: the
 * title's and page note's notices, and the rows whose notice changed. */
static void
update_lost (GlossAnnotationsPanel *self)
{
  g_autoptr(GFile) library = NULL;
  g_autoptr(JsonObject) old = g_steal_pointer (&self->lost);
  JsonObject *maps[2];

  if (self->clip != NULL && !gloss_clip_get_read_only (self->clip) &&
      (library = library_folder_of (self->clip)) != NULL)
    self->lost = gloss_merge_lost_lookup (library, gloss_clip_get_id (self->clip),
                                          gloss_clip_to_json (self->clip));

  gloss_merge_notice_set_text (self->lost_title, lost_text (self->lost, "title"));
  gloss_merge_notice_set_text (self->lost_note, lost_text (self->lost, "note"));

  /* The rows of highlights named before or now show it again. */
  maps[0] = old != NULL && json_object_has_member (old, "annotations")
            ? json_object_get_object_member (old, "annotations") : NULL;
  maps[1] = self->lost != NULL && json_object_has_member (self->lost, "annotations")
            ? json_object_get_object_member (self->lost, "annotations") : NULL;
  for (guint m = 0; m < G_N_ELEMENTS (maps) && self->clip != NULL; m++)
    {
      g_autoptr(GList) ids = maps[m] != NULL ? json_object_get_members (maps[m]) : NULL;

      for (GList *l = ids; l != NULL; l = l->next)
        {
          GlossAnnotation *annotation = gloss_clip_find_annotation (self->clip, l->data);

          if (annotation != NULL)
            queue_row_update (self, annotation);
        }
    }
}

/* Forgets the notice on @key ("title", "note" or an annotation id). */
static void
dismiss_lost (GlossAnnotationsPanel *self,
              const char            *key)
{
  g_autoptr(GFile) library = NULL;
  g_autoptr(GError) error = NULL;

  if (self->clip != NULL && (library = library_folder_of (self->clip)) != NULL &&
      !gloss_merge_lost_dismiss (library, gloss_clip_get_id (self->clip), key, &error))
    g_warning ("%s", error->message);
  update_lost (self);
}

static void
lost_dismiss_cb (GlossAnnotationsPanel *self,
                 GlossMergeNotice      *notice)
{
  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  dismiss_lost (self, notice == self->lost_title ? "title" : "note");
}

static void
lost_use_cb (GlossAnnotationsPanel *self,
             GlossMergeNotice      *notice)
{
  g_autofree char *text = NULL;

  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  text = g_strdup (gloss_merge_notice_get_text (notice));
  if (self->clip == NULL || text == NULL)
    return;

  /* As if typed: saved like any change to the note or title. */
  if (notice == self->lost_title)
    {
      gloss_clip_set_title (self->clip, text);
      queue_save (self);
    }
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->page_note_view), text, -1);
  lost_dismiss_cb (self, notice);
}

static void
lost_highlight_use_cb (GlossAnnotationsPanel *self,
                       GlossMergeNotice      *notice)
{
  g_autofree char *id = g_strdup (gloss_merge_notice_get_key (notice));
  g_autofree char *text = g_strdup (gloss_merge_notice_get_text (notice));

  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  /* Through the annotator, as the note editor does: one undo step, the
   * note marker, the save. */
  if (self->annotator != NULL && id != NULL && text != NULL)
    gloss_annotator_edit_note (self->annotator, id, text);
  if (id != NULL)
    dismiss_lost (self, id);
}

static void
lost_highlight_dismiss_cb (GlossAnnotationsPanel *self,
                           GlossMergeNotice      *notice)
{
  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  if (gloss_merge_notice_get_key (notice) != NULL)
    dismiss_lost (self, gloss_merge_notice_get_key (notice));
}

static void
build_lost_box (GlossAnnotationsPanel *self)
{
  GtkWidget *scrolled = gtk_widget_get_parent (GTK_WIDGET (self->page_note_view));
  GtkWidget *box = gtk_widget_get_parent (scrolled);

  self->lost_title = GLOSS_MERGE_NOTICE (gloss_merge_notice_new (GLOSS_MERGE_NOTICE_TITLE));
  self->lost_note = GLOSS_MERGE_NOTICE (gloss_merge_notice_new (GLOSS_MERGE_NOTICE_NOTE));
  for (guint i = 0; i < 2; i++)
    {
      GlossMergeNotice *notice = i == 0 ? self->lost_title : self->lost_note;

      g_signal_connect_object (notice, "use", G_CALLBACK (lost_use_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (notice, "dismiss", G_CALLBACK (lost_dismiss_cb), self, G_CONNECT_SWAPPED);
    }
  gtk_box_prepend (GTK_BOX (box), GTK_WIDGET (self->lost_title));
  gtk_box_insert_child_after (GTK_BOX (box), GTK_WIDGET (self->lost_note), scrolled);
}

/* The note changed on disk (another machine's, merged): shown at once.
 * What is typed goes into the clip at each change, so our own typing
 * never differs from the clip here. */
static void
clip_note_changed_cb (GlossAnnotationsPanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->page_note_view);
  GtkTextIter start, end;
  g_autofree char *shown = NULL;

  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  if (self->clip == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (!g_str_equal (shown, gloss_clip_get_note (self->clip)))
    {
      self->loading = TRUE;
      gtk_text_buffer_set_text (buffer, gloss_clip_get_note (self->clip), -1);
      self->loading = FALSE;
      update_lost (self);
    }
}

static void
update_sensitivity (GlossAnnotationsPanel *self)
{
  gboolean writable = self->clip != NULL && !gloss_clip_get_read_only (self->clip);

  gtk_widget_set_sensitive (GTK_WIDGET (self->page_note_view), writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tag_entry), writable);
}

/* The clip's tags or read-only state changed (read again from disk). */
static void
clip_changed_cb (GlossAnnotationsPanel *self)
{
  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  rebuild_tags (self);
  update_sensitivity (self);
}

/* Another writer's changes were folded into the clip: a text of ours may
 * have lost (our own writes alone change nothing shown here). */
static void
library_clip_changed_cb (GlossAnnotationsPanel *self,
                         GlossClip             *clip)
{
  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  if (clip == self->clip && !gloss_clip_saver_is_notifying (clip))
    update_lost (self);
}

static void
load_clip (GlossAnnotationsPanel *self)
{
  GlossClip *clip = self->annotator ? gloss_annotator_get_clip (self->annotator) : NULL;

  if (clip != self->clip)
    {
      /* The saver writes what is pending when its last user lets go. */
      g_clear_object (&self->saver);
      if (self->clip != NULL)
        {
          g_signal_handlers_disconnect_by_func (self->clip, clip_note_changed_cb, self);
          g_signal_handlers_disconnect_by_func (self->clip, clip_changed_cb, self);
        }
      g_set_object (&self->clip, clip);
      if (clip != NULL && self->library != NULL)
        self->saver = gloss_clip_saver_get_for_clip (self->library, clip);
      if (clip != NULL)
        {
          g_signal_connect_object (clip, "notify::note", G_CALLBACK (clip_note_changed_cb),
                                   self, G_CONNECT_SWAPPED);
          g_signal_connect_object (clip, "notify::tags", G_CALLBACK (clip_changed_cb),
                                   self, G_CONNECT_SWAPPED);
          g_signal_connect_object (clip, "notify::read-only", G_CALLBACK (clip_changed_cb),
                                   self, G_CONNECT_SWAPPED);
        }

      self->loading = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->page_note_view),
                                clip ? gloss_clip_get_note (clip) : "", -1);
      self->loading = FALSE;
      update_sensitivity (self);
      update_completion (self);

      /* The one time the list is made whole; from now on it follows the
       * clip's changes one by one. */
      set_source (self, clip ? gloss_clip_get_annotations (clip) : NULL);
      rebuild_tags (self);
      update_lost (self);
    }

  update_changed_rows (self);
}

static gboolean
rebuild_idle_cb (gpointer user_data)
{
  GlossAnnotationsPanel *self = user_data;

  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  self->rebuild_source = 0;
  self->dirty = FALSE;
  load_clip (self);

  return G_SOURCE_REMOVE;
}

/* The rows follow the clip's list and each annotation by themselves;
 * what is left is another clip being shown: taken in while the panel
 * shows, after the change itself is done. */
static void
annotations_changed_cb (GlossAnnotationsPanel *self)
{
  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  if (self->annotator == NULL || gloss_annotator_get_clip (self->annotator) == self->clip)
    return;

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

static void
page_note_changed_cb (GlossAnnotationsPanel *self,
                      GtkTextBuffer         *buffer)
{
  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->loading || self->clip == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gloss_clip_set_note (self->clip, text);
  queue_save (self);
}

static void
filter_changed_cb (GlossAnnotationsPanel *self)
{
  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
row_activated_cb (GlossAnnotationsPanel *self,
                  guint                  position)
{
  g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (G_LIST_MODEL (self->shown), position);

  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  if (self->annotator != NULL && annotation != NULL)
    gloss_annotator_scroll_to (self->annotator, gloss_annotation_get_id (annotation));
}

static void
gloss_annotations_panel_dispose (GObject *object)
{
  GlossAnnotationsPanel *self = (GlossAnnotationsPanel *)object;

  g_clear_handle_id (&self->rebuild_source, g_source_remove);
  g_clear_handle_id (&self->update_source, g_source_remove);
  if (self->store != NULL)
    set_source (self, NULL);
  if (self->orphans != NULL)
    gtk_list_box_bind_model (self->orphans, NULL, NULL, NULL, NULL);

  if (self->annotator != NULL)
    g_signal_handlers_disconnect_by_data (self->annotator, self);
  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);

  g_clear_object (&self->annotator);
  g_clear_object (&self->saver);
  g_clear_object (&self->library);
  if (self->clip != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->clip, clip_note_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->clip, clip_changed_cb, self);
    }
  g_clear_object (&self->clip);
  g_clear_object (&self->shown);
  g_clear_object (&self->orphan_model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->lost, json_object_unref);

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
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, list_view);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, empty_label);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, orphans_box);
  gtk_widget_class_bind_template_child (widget_class, GlossAnnotationsPanel, orphans);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
gloss_annotations_panel_init (GlossAnnotationsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 reads the drop-down's own button by its type name. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->color_filter));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Highlight Colour to Show"), -1);

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

  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
    GtkNoSelection *selection;

    self->store = g_list_store_new (GLOSS_TYPE_ANNOTATION);
    self->pending = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);

    self->filter = gtk_custom_filter_new (shown_filter_cb, self, NULL);
    self->shown = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)), GTK_FILTER (self->filter));
    self->orphan_filter = gtk_custom_filter_new (orphan_filter_cb, self, NULL);
    self->orphan_model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                                    GTK_FILTER (self->orphan_filter));
    g_signal_connect_object (self->shown, "items-changed", G_CALLBACK (gloss_annotations_panel_update_visibility_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (self->orphan_model, "items-changed", G_CALLBACK (gloss_annotations_panel_update_visibility_cb), self, G_CONNECT_SWAPPED);

    g_signal_connect (factory, "setup", G_CALLBACK (setup_item_cb), self);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_item_cb), self);
    selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->shown)));
    gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
    gtk_list_view_set_factory (self->list_view, factory);
    g_object_unref (selection);
    g_object_unref (factory);

    gtk_list_box_bind_model (self->orphans, G_LIST_MODEL (self->orphan_model),
                             create_orphan_row_cb, self, NULL);
  }

  build_lost_box (self);
  update_visibility (self);
  rebuild_tags (self);
}

/* The live page's anchoring changed which annotations it has: both lists
 * filter again (the rows themselves are the same). */
static void
live_painted_cb (GlossAnnotationsPanel *self)
{
  g_assert (GLOSS_IS_ANNOTATIONS_PANEL (self));

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->orphan_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
gloss_annotations_panel_set_annotator (GlossAnnotationsPanel *self,
                                       GlossAnnotator        *annotator,
                                       GlossLibrary          *library)
{
  g_return_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self));
  g_return_if_fail (annotator == NULL || GLOSS_IS_ANNOTATOR (annotator));

  if (self->library != library)
    {
      if (self->library != NULL)
        g_signal_handlers_disconnect_by_data (self->library, self);
      g_set_object (&self->library, library);
      if (library != NULL)
        g_signal_connect_object (library, "clip-changed", G_CALLBACK (library_clip_changed_cb),
                                 self, G_CONNECT_SWAPPED);
    }

  if (self->annotator != annotator)
    {
      if (self->annotator != NULL)
        g_signal_handlers_disconnect_by_data (self->annotator, self);
      g_set_object (&self->annotator, annotator);
      if (annotator != NULL)
        g_signal_connect_object (annotator, "changed",
                                 G_CALLBACK (annotations_changed_cb), self, G_CONNECT_SWAPPED);
      /* A live page anchors when it loads (and again when its text
       * grows): what it lacks is listed apart, under its own heading. */
      if (annotator != NULL && gloss_annotator_get_live (annotator))
        g_signal_connect_object (annotator, "painted",
                                 G_CALLBACK (live_painted_cb), self, G_CONNECT_SWAPPED);
      gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (self->orphans_box)),
                           annotator != NULL && gloss_annotator_get_live (annotator)
                           ? _("Not on this page") : _("Not Found in the Text"));
    }

  update_completion (self);
  load_clip (self);
}

GListModel *
gloss_annotations_panel_get_shown (GlossAnnotationsPanel *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self), NULL);

  return G_LIST_MODEL (self->shown);
}

GtkListView *
gloss_annotations_panel_get_list_view (GlossAnnotationsPanel *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self), NULL);

  return self->list_view;
}

GtkListBox *
gloss_annotations_panel_get_orphans (GlossAnnotationsPanel *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self), NULL);

  return self->orphans;
}

GtkTextView *
gloss_annotations_panel_get_page_note_view (GlossAnnotationsPanel *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self), NULL);

  return self->page_note_view;
}

GtkEntry *
gloss_annotations_panel_get_tag_entry (GlossAnnotationsPanel *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self), NULL);

  return self->tag_entry;
}

void
gloss_annotations_panel_set_filter (GlossAnnotationsPanel *self,
                                    guint                  color_index,
                                    gboolean               with_note)
{
  g_return_if_fail (GLOSS_IS_ANNOTATIONS_PANEL (self));
  g_return_if_fail (color_index <= GLOSS_N_COLORS);

  gtk_drop_down_set_selected (self->color_filter, color_index);
  gtk_toggle_button_set_active (self->note_filter, with_note);
}
