/* gloss-export-dialog.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window side of export (src/core/gloss-export.c does the work, off
 * the main thread). */

#define G_LOG_DOMAIN "gloss-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-export-dialog.h"
#include "gloss-export.h"
#include "gloss-search-result.h"

typedef enum
{
  SCOPE_ALL,
  SCOPE_SEARCH,
  SCOPE_CLIP,
} Scope;

enum {
  FORMAT_MARKDOWN,
  FORMAT_JSONLD,
};

struct _GlossExportDialog
{
  AdwWindow             parent_instance;

  GlossLibrary         *library;
  GlossIndex           *index;
  char                 *query;
  char                 *clip_id;
  GArray               *scopes;        /* Scope, in the order of scope_row */
  GFile                *template_file;
  GFile                *destination;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;

  /* Template widgets */
  GtkButton            *cancel_button;
  GtkButton            *export_button;
  AdwPreferencesPage   *page;
  AdwComboRow          *scope_row;
  AdwComboRow          *format_row;
  AdwPreferencesGroup  *markdown_group;
  AdwPreferencesGroup  *jsonld_group;
  GtkSwitch            *combined_switch;
  GtkSwitch            *article_switch;
  GtkSwitch            *lines_switch;
  AdwActionRow         *template_row;
  GtkButton            *template_clear_button;
  GtkProgressBar       *progress_bar;
};

G_DEFINE_FINAL_TYPE (GlossExportDialog, gloss_export_dialog, ADW_TYPE_WINDOW)

enum {
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_toast (GlossExportDialog *self,
            AdwToast          *toast)
{
  g_autoptr(AdwToast) owned = toast;  /* adw_toast_new () gave us a reference */

  g_signal_emit (self, signals[TOAST], 0, owned);
}

static gboolean
is_markdown (GlossExportDialog *self)
{
  return adw_combo_row_get_selected (self->format_row) == FORMAT_MARKDOWN;
}

static Scope
selected_scope (GlossExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->scope_row);

  return selected < self->scopes->len ? g_array_index (self->scopes, Scope, selected) : SCOPE_ALL;
}

static void
format_changed_cb (GlossExportDialog *self)
{
  g_assert (GLOSS_IS_EXPORT_DIALOG (self));

  gtk_widget_set_visible (GTK_WIDGET (self->markdown_group), is_markdown (self));
  gtk_widget_set_visible (GTK_WIDGET (self->jsonld_group), !is_markdown (self));
}

static void
set_running (GlossExportDialog *self,
             gboolean           running)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, running ? _("Exporting…") : NULL);
}

static void
finish_with_error (GlossExportDialog *self,
                   const GError      *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    emit_toast (self, adw_toast_new (error->message));

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
open_folder_cb (AdwToast *toast,
                GFile    *folder)
{
  g_autofree char *uri = g_file_get_uri (folder);
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    g_warning ("Could not open %s: %s", uri, error->message);
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  GlossExportDialog *self = user_data;
  g_autofree char *text = NULL;

  g_assert (GLOSS_IS_EXPORT_DIALOG (self));

  if (total == 0)
    return;

  gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exporting %u of %u clip…", "Exporting %u of %u clips…", total), done, total);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GlossExportDialog) self = user_data;
  g_autoptr(GlossExportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_assert (GLOSS_IS_EXPORT_DIALOG (self));

  if (is_markdown (self))
    summary = gloss_export_markdown_finish (result, &error);
  else
    summary = gloss_export_jsonld_finish (result, &error);

  if (summary == NULL)
    {
      finish_with_error (self, error);
      return;
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Exported %u clip",
                                        "Exported %u clips",
                                        summary->clips),
                           summary->clips);
  toast = adw_toast_new (title);

  /* The folder that holds what was written: the destination itself for
   * one Markdown file per clip, else the file's folder. */
  if (summary->path != NULL)
    {
      g_autoptr(GFile) written = g_file_new_for_path (summary->path);

      folder = g_file_query_file_type (written, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY
        ? g_object_ref (written) : g_file_get_parent (written);
    }

  if (folder != NULL)
    {
      adw_toast_set_button_label (toast, _("Open Folder"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (open_folder_cb),
                             g_steal_pointer (&folder), (GClosureNotify) g_object_unref, 0);
    }

  emit_toast (self, toast);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
run_export (GlossExportDialog  *self,
            const char * const *clip_ids)
{
  g_autoptr(GPtrArray) clips = NULL;
  g_autoptr(GError) error = NULL;
  GlossExportFlags flags = GLOSS_EXPORT_NONE;

  if (!(clips = gloss_export_collect_clips (self->library, clip_ids, &error)))
    {
      finish_with_error (self, error);
      return;
    }

  if (is_markdown (self))
    {
      if (gtk_switch_get_active (self->combined_switch))
        flags |= GLOSS_EXPORT_COMBINED;
      if (gtk_switch_get_active (self->article_switch))
        flags |= GLOSS_EXPORT_WITH_ARTICLE;

      gloss_export_markdown_async (clips, self->destination, self->template_file, flags,
                                   progress_cb, g_object_ref (self), g_object_unref,
                                   self->cancellable, export_done_cb, g_object_ref (self));
    }
  else
    {
      if (gtk_switch_get_active (self->lines_switch))
        flags |= GLOSS_EXPORT_JSON_LINES;

      gloss_export_jsonld_async (clips, self->destination, flags,
                                 progress_cb, g_object_ref (self), g_object_unref,
                                 self->cancellable, export_done_cb, g_object_ref (self));
    }
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GlossExportDialog) self = user_data;
  g_autoptr(GListModel) results = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (GLOSS_IS_EXPORT_DIALOG (self));

  if (!(results = gloss_index_search_finish (GLOSS_INDEX (object), result, &error)))
    {
      finish_with_error (self, error);
      return;
    }

  ids = gloss_search_results_dup_clip_ids (results);
  run_export (self, (const char * const *) ids);
}

static void
start_export (GlossExportDialog *self)
{
  set_running (self, TRUE);

  switch (selected_scope (self))
    {
    case SCOPE_SEARCH:
      gloss_index_search_async (self->index, self->query, 0, self->cancellable,
                                search_done_cb, g_object_ref (self));
      break;

    case SCOPE_CLIP:
      {
        const char *ids[] = { self->clip_id, NULL };

        run_export (self, ids);
      }
      break;

    case SCOPE_ALL:
    default:
      run_export (self, NULL);
      break;
    }
}

static void
destination_response_cb (GlossExportDialog    *self,
                         int                   response,
                         GtkFileChooserNative *chooser)
{
  g_assert (GLOSS_IS_EXPORT_DIALOG (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_clear_object (&self->destination);
      self->destination = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
    }

  g_clear_object (&self->chooser);

  if (response == GTK_RESPONSE_ACCEPT && self->destination != NULL)
    start_export (self);
}

static void
export_clicked_cb (GlossExportDialog *self)
{
  gboolean one_file = !is_markdown (self) || gtk_switch_get_active (self->combined_switch);

  g_assert (GLOSS_IS_EXPORT_DIALOG (self));

  self->chooser = gtk_file_chooser_native_new (one_file ? _("Export To") : _("Export Into Folder"),
                                               GTK_WINDOW (self),
                                               one_file ? GTK_FILE_CHOOSER_ACTION_SAVE
                                                        : GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  if (one_file)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                       is_markdown (self) ? _("Highlights.md")
                                       : gtk_switch_get_active (self->lines_switch) ? _("Annotations.jsonl")
                                       : _("Annotations.jsonld"));

  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (destination_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
cancel_clicked_cb (GlossExportDialog *self)
{
  g_assert (GLOSS_IS_EXPORT_DIALOG (self));

  /* While exporting, Cancel stops the export; the dialog closes when the
   * export reports back. */
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->export_button)))
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
template_response_cb (GlossExportDialog    *self,
                      int                   response,
                      GtkFileChooserNative *chooser)
{
  g_assert (GLOSS_IS_EXPORT_DIALOG (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *name = NULL;

      g_clear_object (&self->template_file);
      self->template_file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      name = g_file_get_basename (self->template_file);
      adw_action_row_set_subtitle (self->template_row, name);
      gtk_widget_set_visible (GTK_WIDGET (self->template_clear_button), TRUE);
    }

  g_clear_object (&self->chooser);
}

static void
template_choose_clicked_cb (GlossExportDialog *self)
{
  g_assert (GLOSS_IS_EXPORT_DIALOG (self));

  self->chooser = gtk_file_chooser_native_new (_("Choose a Template"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (template_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
template_clear_clicked_cb (GlossExportDialog *self)
{
  g_assert (GLOSS_IS_EXPORT_DIALOG (self));

  g_clear_object (&self->template_file);
  adw_action_row_set_subtitle (self->template_row, _("Built-in"));
  gtk_widget_set_visible (GTK_WIDGET (self->template_clear_button), FALSE);
}

static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  cancel_clicked_cb (GLOSS_EXPORT_DIALOG (widget));
  return TRUE;
}

static void
gloss_export_dialog_dispose (GObject *object)
{
  GlossExportDialog *self = (GlossExportDialog *)object;

  g_cancellable_cancel (self->cancellable);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLOSS_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (gloss_export_dialog_parent_class)->dispose (object);
}

static void
gloss_export_dialog_finalize (GObject *object)
{
  GlossExportDialog *self = (GlossExportDialog *)object;

  g_clear_object (&self->library);
  g_clear_object (&self->index);
  g_clear_object (&self->template_file);
  g_clear_object (&self->destination);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->scopes, g_array_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->clip_id, g_free);

  G_OBJECT_CLASS (gloss_export_dialog_parent_class)->finalize (object);
}

static void
gloss_export_dialog_class_init (GlossExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_export_dialog_dispose;
  object_class->finalize = gloss_export_dialog_finalize;

  signals[TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/gloss-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, page);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, scope_row);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, markdown_group);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, jsonld_group);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, combined_switch);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, article_switch);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, lines_switch);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, template_row);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, template_clear_button);
  gtk_widget_class_bind_template_child (widget_class, GlossExportDialog, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, template_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, template_clear_clicked_cb);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
}

static void
gloss_export_dialog_init (GlossExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->scopes = g_array_new (FALSE, FALSE, sizeof (Scope));
}

static void
add_scope (GlossExportDialog *self,
           GtkStringList     *labels,
           Scope              scope,
           const char        *label)
{
  g_array_append_val (self->scopes, scope);
  gtk_string_list_append (labels, label);
}

GlossExportDialog *
gloss_export_dialog_new (GtkWindow    *parent,
                         GlossLibrary *library,
                         GlossIndex   *index,
                         const char   *query,
                         GlossClip    *clip)
{
  GlossExportDialog *self;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *all = NULL;
  guint n_clips;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (GLOSS_IS_LIBRARY (library), NULL);
  g_return_val_if_fail (index == NULL || GLOSS_IS_INDEX (index), NULL);
  g_return_val_if_fail (clip == NULL || GLOSS_IS_CLIP (clip), NULL);

  self = g_object_new (GLOSS_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->library = g_object_ref (library);
  self->index = index ? g_object_ref (index) : NULL;

  n_clips = g_list_model_get_n_items (G_LIST_MODEL (self->library));
  all = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "All (%u clip)", "All (%u clips)", n_clips),
                         n_clips);
  add_scope (self, labels, SCOPE_ALL, all);

  if (query != NULL && *query != '\0' && self->index != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("Search Results for “%s”"), query);

      self->query = g_strdup (query);
      add_scope (self, labels, SCOPE_SEARCH, label);
    }

  if (clip != NULL)
    {
      self->clip_id = g_strdup (gloss_clip_get_id (clip));
      add_scope (self, labels, SCOPE_CLIP, _("This Clip"));
    }

  adw_combo_row_set_model (self->scope_row, G_LIST_MODEL (labels));
  /* The narrowest choice is the likeliest: this clip, then the search. */
  adw_combo_row_set_selected (self->scope_row, self->scopes->len - 1);

  return self;
}
