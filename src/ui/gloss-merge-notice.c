/* gloss-merge-notice.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* "Changed on another machine too": the text that lost a merge, with Use
 * This … and Dismiss (gloss-merge-notice.h). The annotations panel shows
 * one for the title and the page note, and one in each highlight's row. */

#define G_LOG_DOMAIN "gloss-merge-notice"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-merge-notice.h"

struct _GlossMergeNotice
{
  AdwBin                parent_instance;

  GlossMergeNoticeKind  kind;
  char                 *text;
  char                 *key;
  GtkLabel             *label;
};

G_DEFINE_FINAL_TYPE (GlossMergeNotice, gloss_merge_notice, ADW_TYPE_BIN)

enum {
  SIGNAL_USE,
  SIGNAL_DISMISS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
use_clicked_cb (GlossMergeNotice *self)
{
  g_assert (GLOSS_IS_MERGE_NOTICE (self));

  g_signal_emit (self, signals[SIGNAL_USE], 0);
}

static void
dismiss_clicked_cb (GlossMergeNotice *self)
{
  g_assert (GLOSS_IS_MERGE_NOTICE (self));

  g_signal_emit (self, signals[SIGNAL_DISMISS], 0);
}

static void
gloss_merge_notice_finalize (GObject *object)
{
  GlossMergeNotice *self = GLOSS_MERGE_NOTICE (object);

  g_free (self->text);
  g_free (self->key);

  G_OBJECT_CLASS (gloss_merge_notice_parent_class)->finalize (object);
}

static void
gloss_merge_notice_class_init (GlossMergeNoticeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gloss_merge_notice_finalize;

  signals[SIGNAL_USE] = g_signal_new ("use", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DISMISS] = g_signal_new ("dismiss", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gloss_merge_notice_init (GlossMergeNotice *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static GtkWidget *
make_button (GlossMergeNotice *self,
             const char       *mnemonic,
             GCallback         callback,
             gboolean          compact)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (mnemonic);

  if (compact)
    {
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "caption");
    }
  g_signal_connect_object (button, "clicked", callback, self, G_CONNECT_SWAPPED);
  return button;
}

GtkWidget *
gloss_merge_notice_new (GlossMergeNoticeKind kind)
{
  GlossMergeNotice *self = g_object_new (GLOSS_TYPE_MERGE_NOTICE, NULL);
  gboolean compact = kind == GLOSS_MERGE_NOTICE_HIGHLIGHT;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, compact ? 2 : 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *use_label;

  self->kind = kind;
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_wrap_mode (self->label, PANGO_WRAP_WORD_CHAR);

  switch (kind)
    {
    case GLOSS_MERGE_NOTICE_TITLE:
      use_label = _("_Use This Title");
      break;
    case GLOSS_MERGE_NOTICE_NOTE:
      use_label = _("_Use This Note");
      break;
    case GLOSS_MERGE_NOTICE_HIGHLIGHT:
    default:
      use_label = _("_Use This Instead");
      break;
    }

  if (compact)
    {
      /* A line under the highlight's own note: the other note, quoted. */
      gtk_label_set_lines (self->label, 3);
      gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "caption");
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "warning");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
      gtk_widget_set_halign (buttons, GTK_ALIGN_START);
    }
  else
    {
      GtkWidget *heading = gtk_label_new (kind == GLOSS_MERGE_NOTICE_TITLE
                                          ? _("Title changed on another machine too")
                                          : _("Changed on another machine too"));

      gtk_widget_add_css_class (box, "card");
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
      gtk_widget_add_css_class (heading, "heading");
      gtk_widget_set_margin_top (heading, 6);
      gtk_widget_set_margin_start (heading, 6);
      gtk_widget_set_margin_end (heading, 6);
      gtk_box_append (GTK_BOX (box), heading);

      gtk_label_set_selectable (self->label, TRUE);
      gtk_widget_set_margin_start (GTK_WIDGET (self->label), 6);
      gtk_widget_set_margin_end (GTK_WIDGET (self->label), 6);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));

      gtk_widget_set_halign (buttons, GTK_ALIGN_END);
      gtk_widget_set_margin_bottom (buttons, 6);
      gtk_widget_set_margin_end (buttons, 6);
    }

  gtk_box_append (GTK_BOX (buttons), make_button (self, _("_Dismiss"), G_CALLBACK (dismiss_clicked_cb), compact));
  gtk_box_append (GTK_BOX (buttons), make_button (self, use_label, G_CALLBACK (use_clicked_cb), compact));
  gtk_box_append (GTK_BOX (box), buttons);

  adw_bin_set_child (ADW_BIN (self), box);
  return GTK_WIDGET (self);
}

void
gloss_merge_notice_set_text (GlossMergeNotice *self,
                             const char       *text)
{
  g_return_if_fail (GLOSS_IS_MERGE_NOTICE (self));

  if (g_strcmp0 (self->text, text) != 0)
    {
      g_free (self->text);
      self->text = g_strdup (text);
      if (text == NULL)
        gtk_label_set_text (self->label, "");
      else if (self->kind == GLOSS_MERGE_NOTICE_HIGHLIGHT)
        {
          /* Translators: the note this highlight had on another machine,
           * kept out by a newer change made here. */
          g_autofree char *line = g_strdup_printf (_("Changed on another machine too: “%s”"), text);

          gtk_label_set_text (self->label, line);
        }
      else
        gtk_label_set_text (self->label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), text != NULL);
}

const char *
gloss_merge_notice_get_text (GlossMergeNotice *self)
{
  g_return_val_if_fail (GLOSS_IS_MERGE_NOTICE (self), NULL);

  return self->text;
}

void
gloss_merge_notice_set_key (GlossMergeNotice *self,
                            const char       *key)
{
  g_return_if_fail (GLOSS_IS_MERGE_NOTICE (self));

  if (g_strcmp0 (self->key, key) != 0)
    {
      g_free (self->key);
      self->key = g_strdup (key);
    }
}

const char *
gloss_merge_notice_get_key (GlossMergeNotice *self)
{
  g_return_val_if_fail (GLOSS_IS_MERGE_NOTICE (self), NULL);

  return self->key;
}
