/* gloss-accessible.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a screen reader hears. GTK 4.8 names a button with a mnemonic
 * label by its "label" property (the raw text, "_Clip") followed by the
 * label widget it is labelled by ("Clip"): "_Clip Clip". The .ui files
 * give each such button its spoken name as its accessible label; here,
 * when a button is first shown, the labelled-by relation goes, so that
 * the name is said once. A button without a name of its own in its .ui
 * file then reads as "_Clip", which tests/test-accessibility.py catches.
 *
 * The accessibility bus keeps the name it was first told, so a button
 * that is in the tree before it is shown (the window's own buttons) gets
 * its mnemonic from a GtkLabel child instead (see gloss-window.ui). */

#define G_LOG_DOMAIN "gloss-accessible"

#include "config.h"

#include "gloss-accessible.h"

static gboolean
gloss_accessible_map_hook_cb (GSignalInvocationHint *hint,
                              guint                  n_values,
                              const GValue          *values,
                              gpointer               user_data)
{
  GObject *object = g_value_get_object (&values[0]);

  if (GTK_IS_BUTTON (object) &&
      gtk_button_get_use_underline (GTK_BUTTON (object)) &&
      gtk_button_get_label (GTK_BUTTON (object)) != NULL)
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (object), GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  return TRUE;
}

void
gloss_accessible_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      /* Before any widget exists, the class has no signals yet. */
      g_type_class_unref (g_type_class_ref (GTK_TYPE_WIDGET));
      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0,
                                  gloss_accessible_map_hook_cb, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}
