/* gloss-preferences-window.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-library.h"
#include "gloss-preferences-window.h"

struct _GlossPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GtkFileChooserNative *chooser;
  GFile                *override;   /* --library or GLOSS_LIBRARY, which win */

  /* Template widgets */
  GtkSwitch            *serif_switch;
  GtkSwitch            *links_switch;
  GtkAdjustment        *zoom_adjustment;
  AdwActionRow         *folder_row;
  GtkButton            *folder_reset_button;
};

G_DEFINE_FINAL_TYPE (GlossPreferencesWindow, gloss_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static gboolean
font_to_serif (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  g_value_set_boolean (value, g_strcmp0 (g_variant_get_string (variant, NULL), "serif") == 0);
  return TRUE;
}

static GVariant *
serif_to_font (const GValue       *value,
               const GVariantType *type,
               gpointer            user_data)
{
  return g_variant_new_string (g_value_get_boolean (value) ? "serif" : "sans");
}

static gboolean
zoom_to_percent (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_double (variant) * 100.0);
  return TRUE;
}

static GVariant *
percent_to_zoom (const GValue       *value,
                 const GVariantType *type,
                 gpointer            user_data)
{
  return g_variant_new_double (g_value_get_double (value) / 100.0);
}

static void
update_folder_row (GlossPreferencesWindow *self)
{
  g_autofree char *setting = g_settings_get_string (self->settings, "library-folder");
  g_autoptr(GFile) folder = NULL;

  /* --library and GLOSS_LIBRARY win over the setting (FORMAT.md "Where
   * the library lives"): say so rather than offer a choice that would not
   * take effect. */
  if (self->override != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf (_("%s, chosen on the command line for this session"),
                                                   g_file_peek_path (self->override));

      adw_action_row_set_subtitle (self->folder_row, subtitle);
      gtk_widget_set_sensitive (GTK_WIDGET (self->folder_row), FALSE);
      return;
    }

  folder = gloss_library_resolve_folder (NULL, setting);
  adw_action_row_set_subtitle (self->folder_row, g_file_peek_path (folder));
  gtk_widget_set_visible (GTK_WIDGET (self->folder_reset_button), *setting != '\0');
}

/* update_folder_row () as a signal handler (connected swapped; the
 * signal's own arguments are not needed). */
static void
gloss_preferences_window_update_folder_row_cb (GlossPreferencesWindow *self)
{
  g_assert (GLOSS_IS_PREFERENCES_WINDOW (self));

  update_folder_row (self);
}

static void
folder_response_cb (GlossPreferencesWindow *self,
                    int                     response,
                    GtkFileChooserNative   *chooser)
{
  g_assert (GLOSS_IS_PREFERENCES_WINDOW (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (folder != NULL && g_file_peek_path (folder) != NULL)
        g_settings_set_string (self->settings, "library-folder", g_file_peek_path (folder));
    }

  g_clear_object (&self->chooser);
}

static void
folder_choose_clicked_cb (GlossPreferencesWindow *self)
{
  g_assert (GLOSS_IS_PREFERENCES_WINDOW (self));

  self->chooser = gtk_file_chooser_native_new (_("Choose the Library Folder"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (folder_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
folder_reset_clicked_cb (GlossPreferencesWindow *self)
{
  g_assert (GLOSS_IS_PREFERENCES_WINDOW (self));

  g_settings_reset (self->settings, "library-folder");
}

static void
gloss_preferences_window_dispose (GObject *object)
{
  GlossPreferencesWindow *self = (GlossPreferencesWindow *)object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);
  g_clear_object (&self->override);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLOSS_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (gloss_preferences_window_parent_class)->dispose (object);
}

static void
gloss_preferences_window_class_init (GlossPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/gloss-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GlossPreferencesWindow, serif_switch);
  gtk_widget_class_bind_template_child (widget_class, GlossPreferencesWindow, links_switch);
  gtk_widget_class_bind_template_child (widget_class, GlossPreferencesWindow, zoom_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GlossPreferencesWindow, folder_row);
  gtk_widget_class_bind_template_child (widget_class, GlossPreferencesWindow, folder_reset_button);
  gtk_widget_class_bind_template_callback (widget_class, folder_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, folder_reset_clicked_cb);
}

static void
gloss_preferences_window_init (GlossPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  g_settings_bind_with_mapping (self->settings, "reader-font",
                                self->serif_switch, "active",
                                G_SETTINGS_BIND_DEFAULT,
                                font_to_serif, serif_to_font, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "reader-zoom",
                                self->zoom_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT,
                                zoom_to_percent, percent_to_zoom, NULL, NULL);
  g_settings_bind (self->settings, "open-links-externally",
                   self->links_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed::library-folder",
                           G_CALLBACK (gloss_preferences_window_update_folder_row_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
gloss_preferences_window_new (GtkWindow *parent,
                              GFile     *library_override)
{
  GlossPreferencesWindow *self = g_object_new (GLOSS_TYPE_PREFERENCES_WINDOW,
                                               "transient-for", parent,
                                               NULL);

  g_set_object (&self->override, library_override);
  update_folder_row (self);

  return GTK_WIDGET (self);
}
