/* gloss-library-view.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The library sidebar. Both lists are GtkListViews over GListModels, so a
 * library of 100,000 clips makes rows only for what is on screen. */

#define G_LOG_DOMAIN "gloss-library-view"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-clip-queue.h"
#include "gloss-error.h"
#include "gloss-import.h"
#include "gloss-library-view.h"
#include "gloss-search-result.h"

#define RESULTS_LIMIT 200
#define ROW_ANNOTATIONS 3

struct _GlossLibraryView
{
  GtkWidget       parent_instance;

  GlossLibrary   *library;
  GlossIndex     *index;
  GListModel     *results;
  GCancellable   *search_cancellable;
  char           *query;
  guint           requery_id;

  /* Clips not clipped yet (an import's reading list) and the background
   * queue that clips them. */
  GlossClipQueue *queue;
  GHashTable     *failures;       /* url → why it could not be clipped */
  GHashTable     *bound;          /* GtkListItem: the clip rows on screen */
  guint           pending_id;
  guint           n_pending;
  gboolean        resumed;

  /* Template widgets */
  GtkWidget      *box;
  GtkSearchEntry *search_entry;
  GtkProgressBar *index_progress;
  GtkStack       *stack;
  GtkSpinner     *loading_spinner;
  GtkListView    *clips_view;
  GtkListView    *results_view;
  GtkSingleSelection *clips_selection; /* the clip in view; never the pointer's */
  AdwStatusPage  *no_results_page;
  GtkWidget      *pending_bar;
  GtkLabel       *pending_label;
  GtkButton      *clip_all_button;
};

G_DEFINE_FINAL_TYPE (GlossLibraryView, gloss_library_view, GTK_TYPE_WIDGET)

enum {
  CLIP_ACTIVATED,
  CLIP_DELETE,
  CLIP_OPEN_ORIGINAL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
gloss_library_view_format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int days;

  if (when == NULL)
    return g_strdup ("");

  days = g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (when);

  if (g_date_time_get_year (now) == g_date_time_get_year (when))
    {
      if (days == 0)
        return g_strdup (_("Today"));
      if (days == 1)
        return g_strdup (_("Yesterday"));
      /* Translators: a date in this year, see g_date_time_format() */
      return g_date_time_format (when, _("%-d %B"));
    }

  /* Translators: a date in another year, see g_date_time_format() */
  return g_date_time_format (when, _("%-d %B %Y"));
}

/* Whether a clip is not clipped yet, asked of the disk once per clip and
 * kept on it until the library says the clip changed. */
static gboolean
clip_is_pending (GlossClip *clip)
{
  gpointer cached = g_object_get_data (G_OBJECT (clip), "gloss-pending");

  if (cached == NULL)
    {
      cached = GINT_TO_POINTER (gloss_import_clip_is_pending (clip) ? 2 : 1);
      g_object_set_data (G_OBJECT (clip), "gloss-pending", cached);
    }
  return GPOINTER_TO_INT (cached) == 2;
}

static gboolean
is_web_page (GlossClip *clip)
{
  const char *url = gloss_clip_get_url (clip);

  return url != NULL && (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"));
}

static void
update_pending_bar (GlossLibraryView *self)
{
  g_autofree char *text = NULL;
  guint loading = self->queue != NULL ? gloss_clip_queue_get_n_loading (self->queue) : 0;

  gtk_widget_set_visible (self->pending_bar, self->n_pending > 0);
  if (self->n_pending == 0)
    return;

  if (loading > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u page not clipped yet; clipping…",
                                         "%u pages not clipped yet; clipping…", self->n_pending),
                            self->n_pending);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u page not clipped yet",
                                         "%u pages not clipped yet", self->n_pending),
                            self->n_pending);
  gtk_label_set_text (self->pending_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clip_all_button), loading == 0);
}

static gboolean
count_pending_cb (gpointer user_data)
{
  GlossLibraryView *self = user_data;
  GListModel *model;
  guint n = 0;

  self->pending_id = 0;
  if (self->library == NULL)
    return G_SOURCE_REMOVE;

  model = G_LIST_MODEL (self->library);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GlossClip) clip = g_list_model_get_item (model, i);

      if (gloss_clip_get_damage (clip) == NULL && is_web_page (clip) && clip_is_pending (clip))
        n++;
    }
  self->n_pending = n;
  update_pending_bar (self);
  return G_SOURCE_REMOVE;
}

/* Once after a burst of changes (an import adds thousands). */
static void
schedule_count_pending (GlossLibraryView *self)
{
  if (self->pending_id == 0)
    self->pending_id = g_timeout_add (100, count_pending_cb, self);
}

static void
clip_changed_cb (GlossLibraryView *self,
                 GlossClip        *clip)
{
  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  g_object_set_data (G_OBJECT (clip), "gloss-pending", NULL);
  schedule_count_pending (self);
}

static void clip_bind_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *item,
                          gpointer                  user_data);

/* Binds again the rows on screen of the clip of @url (or all). */
static void
refresh_rows (GlossLibraryView *self,
              const char       *url)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      GlossClip *clip = gtk_list_item_get_item (item);

      if (clip != NULL && (url == NULL || g_strcmp0 (gloss_clip_get_url (clip), url) == 0))
        clip_bind_cb (NULL, item, self);
    }
}

static void
queue_item_done_cb (GlossLibraryView *self,
                    const char       *url,
                    GlossClip        *clip,
                    gboolean          skipped,
                    const char       *failure,
                    GlossClipQueue   *queue)
{
  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  if (failure != NULL)
    g_hash_table_replace (self->failures, g_strdup (url), g_strdup (failure));
  else
    g_hash_table_remove (self->failures, url);
  if (clip != NULL)
    g_object_set_data (G_OBJECT (clip), "gloss-pending", NULL);

  /* The row says how it went: clipped, or why not. */
  refresh_rows (self, url);
  schedule_count_pending (self);
}

static GlossClipQueue *
ensure_queue (GlossLibraryView *self)
{
  if (self->queue == NULL && self->library != NULL)
    {
      self->queue = gloss_clip_queue_ref_for_library (self->library);
      g_signal_connect_object (self->queue, "item-done", G_CALLBACK (queue_item_done_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->queue, "finished", G_CALLBACK (update_pending_bar),
                               self, G_CONNECT_SWAPPED);
    }
  return self->queue;
}

/* What a quit interrupted goes on by itself, once the library is read. */
static void
library_loaded_cb (GlossLibraryView *self)
{
  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  if (self->resumed || self->library == NULL || !gloss_library_get_loaded (self->library))
    return;
  self->resumed = TRUE;
  gloss_clip_queue_resume (ensure_queue (self));
  schedule_count_pending (self);
}

static void
clip_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  GlossLibraryView *self = GLOSS_LIBRARY_VIEW (widget);
  GlossClip *clip;

  if (self->library == NULL ||
      (clip = gloss_library_lookup (self->library, g_variant_get_string (param, NULL))) == NULL)
    return;
  g_hash_table_remove (self->failures, gloss_clip_get_url (clip));
  gloss_clip_queue_add (ensure_queue (self), gloss_clip_get_url (clip), FALSE);
  refresh_rows (self, gloss_clip_get_url (clip));
  update_pending_bar (self);
}

static void
clip_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  GlossLibraryView *self = GLOSS_LIBRARY_VIEW (widget);

  if (self->library == NULL)
    return;
  g_hash_table_remove_all (self->failures);
  gloss_clip_queue_add_pending (ensure_queue (self));
  refresh_rows (self, NULL);
  update_pending_bar (self);
}

static void
update_page (GlossLibraryView *self)
{
  const char *page;

  if (self->library == NULL || !gloss_library_get_loaded (self->library))
    page = "loading";
  else if (self->query != NULL && *self->query != '\0' && self->results == NULL && self->search_cancellable != NULL)
    page = "loading";  /* the first results of this search are on their way */
  else if (self->query != NULL && *self->query != '\0')
    page = self->results != NULL && g_list_model_get_n_items (self->results) > 0 ? "results" : "no-results";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->library)) == 0)
    page = "empty";
  else
    page = "clips";

  gtk_stack_set_visible_child_name (self->stack, page);
  /* Spinning only while shown: GTK animates a spinner on a hidden page
   * too, and its animation alone had the window drawn 60 times a second
   * for as long as it was open (each frame a restyle, a layout and a
   * redraw, with nothing on screen changing). */
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
}

/* update_page () as a signal handler (connected swapped; the
 * signal's own arguments are not needed). */
static void
gloss_library_view_update_page_cb (GlossLibraryView *self)
{
  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  update_page (self);
}

/* Rows: a title, a line of facts, and (for results) a snippet and the
 * highlights that matched. */

static GtkWidget *
new_label (const char *css_class,
           int         lines)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), lines);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static const char *
row_clip_id (GtkListItem *item)
{
  gpointer object = gtk_list_item_get_item (item);

  if (GLOSS_IS_CLIP (object))
    return gloss_clip_get_id (object);
  if (GLOSS_IS_SEARCH_RESULT (object))
    return gloss_search_result_get_clip_id (object);

  return NULL;
}

static gboolean
unparent_cb (gpointer data)
{
  gtk_widget_unparent (data);
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
popover_closed_cb (GtkWidget *popover)
{
  /* Not while the popover is still emitting its own signal. */
  g_idle_add (unparent_cb, g_object_ref (popover));
}

static void
popup_row_menu (GtkListItem *item,
                double       x,
                double       y)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  const char *clip_id = row_clip_id (item);
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) open = NULL;
  g_autoptr(GMenuItem) original = NULL;
  g_autoptr(GMenuItem) delete = NULL;
  GtkWidget *popover;

  if (clip_id == NULL)
    return;

  menu = g_menu_new ();
  open = g_menu_item_new (_("_Open"), NULL);
  g_menu_item_set_action_and_target (open, "library.open", "s", clip_id);
  g_menu_append_item (menu, open);
  original = g_menu_item_new (_("Open _Original Page"), NULL);
  g_menu_item_set_action_and_target (original, "library.open-original", "s", clip_id);
  g_menu_append_item (menu, original);
  delete = g_menu_item_new (_("_Delete"), NULL);
  g_menu_item_set_action_and_target (delete, "library.delete", "s", clip_id);
  g_menu_append_item (menu, delete);

  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, box);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  if (x >= 0 && y >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  /* The popover goes with its row: unparented once it has closed. */
  g_signal_connect (popover, "closed", G_CALLBACK (popover_closed_cb), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
row_secondary_click_cb (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        GtkListItem     *item)
{
  popup_row_menu (item, x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
row_long_press_cb (GtkGestureLongPress *gesture,
                   double               x,
                   double               y,
                   GtkListItem         *item)
{
  popup_row_menu (item, x, y);
}

/* The list item whose row has the keyboard focus, if any. */
static GtkListItem *
focused_list_item (GlossLibraryView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *w = focus; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    {
      GtkWidget *child = gtk_widget_get_first_child (w);
      GtkListItem *item = child ? g_object_get_data (G_OBJECT (child), "gloss-list-item") : NULL;

      if (item != NULL)
        return item;
    }

  return NULL;
}

static gboolean
row_menu_shortcut_cb (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  GtkListItem *item = focused_list_item (GLOSS_LIBRARY_VIEW (widget));

  if (item == NULL)
    return FALSE;

  popup_row_menu (item, -1, -1);
  return TRUE;
}

static gboolean
row_delete_shortcut_cb (GtkWidget *widget,
                        GVariant  *args,
                        gpointer   user_data)
{
  GtkListItem *item = focused_list_item (GLOSS_LIBRARY_VIEW (widget));
  const char *clip_id = item ? row_clip_id (item) : NULL;

  if (clip_id == NULL)
    return FALSE;

  g_signal_emit (widget, signals[CLIP_DELETE], 0, clip_id);
  return TRUE;
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  g_signal_emit (widget, signals[CLIP_ACTIVATED], 0, g_variant_get_string (param, NULL), NULL);
}

static void
open_original_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  g_signal_emit (widget, signals[CLIP_OPEN_ORIGINAL], 0, g_variant_get_string (param, NULL));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  g_signal_emit (widget, signals[CLIP_DELETE], 0, g_variant_get_string (param, NULL));
}

/* The row's Clip Now: the row's clip, through the view's action. */
static void
clip_now_clicked_cb (GtkButton   *button,
                     GtkListItem *item)
{
  GlossClip *clip = gtk_list_item_get_item (item);

  g_assert (GTK_IS_BUTTON (button));

  if (GLOSS_IS_CLIP (clip))
    gtk_widget_activate_action (GTK_WIDGET (button), "library.clip-now", "s", gloss_clip_get_id (clip));
}

static void
clip_all_clicked_cb (GlossLibraryView *self,
                     GtkButton        *button)
{
  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "library.clip-all-pending", NULL);
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = new_label ("heading", 2);
  GtkWidget *facts = new_label ("caption", 2);
  GtkWidget *extra = new_label ("caption", 3);
  GtkWidget *annotations = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  /* Selected by the window only (the clip it shows), not by the pointer
   * passing over a row of a single-click list. */
  gtk_list_item_set_selectable (item, FALSE);
  gtk_widget_add_css_class (facts, "dim-label");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), facts);
  gtk_box_append (GTK_BOX (box), extra);
  gtk_box_append (GTK_BOX (box), annotations);

  /* Shown on a clip not clipped yet. */
  {
    GtkWidget *clip_now = gtk_button_new_with_label (_("Clip Now"));

    gtk_widget_set_halign (clip_now, GTK_ALIGN_START);
    gtk_widget_add_css_class (clip_now, "flat");
    gtk_widget_set_visible (clip_now, FALSE);
    gtk_widget_set_tooltip_text (clip_now, _("Load the page and clip its article, keeping tags, notes and highlights"));
    g_signal_connect (clip_now, "clicked", G_CALLBACK (clip_now_clicked_cb), item);
    gtk_box_append (GTK_BOX (box), clip_now);
  }

  /* The row's menu: right click or long press here, the Menu key or
   * Shift+F10 on the list. */
  g_object_set_data (G_OBJECT (box), "gloss-list-item", item);
  {
    GtkGesture *click = gtk_gesture_click_new ();
    GtkGesture *press = gtk_gesture_long_press_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (row_secondary_click_cb), item);
    gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));
    gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
    g_signal_connect (press, "pressed", G_CALLBACK (row_long_press_cb), item);
    gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (press));
  }

  gtk_list_item_set_child (item, box);
}

static void
set_row (GtkListItem *item,
         const char  *title,
         const char  *facts,
         const char  *extra_markup)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title_label = gtk_widget_get_first_child (box);
  GtkWidget *facts_label = gtk_widget_get_next_sibling (title_label);
  GtkWidget *extra_label = gtk_widget_get_next_sibling (facts_label);

  gtk_label_set_text (GTK_LABEL (title_label), title);
  gtk_label_set_text (GTK_LABEL (facts_label), facts);
  gtk_label_set_markup (GTK_LABEL (extra_label), extra_markup ? extra_markup : "");
  gtk_widget_set_visible (extra_label, extra_markup != NULL && *extra_markup != '\0');
}

static GtkWidget *
row_clip_now_button (GtkListItem *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  return gtk_widget_get_last_child (box);
}

static GtkWidget *
row_annotations_box (GtkListItem *item)
{
  return gtk_widget_get_prev_sibling (row_clip_now_button (item));
}

static void
clear_annotations (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
  gtk_widget_set_visible (box, FALSE);
}

static void
clip_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                GlossLibraryView         *self)
{
  if (self->bound != NULL)
    g_hash_table_remove (self->bound, item);
}

static void
clip_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GlossLibraryView *self = user_data;
  GlossClip *clip = gtk_list_item_get_item (item);
  GtkWidget *clip_now = row_clip_now_button (item);
  gboolean pending = FALSE;

  if (self->bound != NULL)
    g_hash_table_add (self->bound, item);
  g_autoptr(GString) facts = g_string_new (NULL);
  g_autofree char *date = gloss_library_view_format_date (gloss_clip_get_created_unix (clip));
  g_autofree char *tags_markup = NULL;
  const char * const *tags = gloss_clip_get_tags (clip);
  const char *damage = gloss_clip_get_damage (clip);
  const char *site = gloss_clip_get_site_name (clip);
  guint n = gloss_clip_get_n_annotations (clip);
  const char *title = gloss_clip_get_title (clip);

  clear_annotations (row_annotations_box (item));
  gtk_widget_set_visible (clip_now, FALSE);

  if (damage != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (damage, -1);
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"#c01c28\">%s</span>", escaped);

      set_row (item, gloss_clip_get_id (clip), _("This clip could not be read"), markup);
      return;
    }

  pending = clip_is_pending (clip);
  if (pending)
    {
      g_string_append (facts, _("Not clipped yet"));
      g_string_append (facts, " · ");
    }
  if (site != NULL && *site != '\0')
    g_string_append_printf (facts, "%s · ", site);
  g_string_append (facts, date);
  if (n > 0)
    {
      g_string_append (facts, " · ");
      g_string_append_printf (facts, g_dngettext (GETTEXT_PACKAGE, "%u highlight", "%u highlights", n), n);
    }

  if (tags != NULL && tags[0] != NULL)
    {
      g_autoptr(GString) markup = g_string_new (NULL);

      for (guint i = 0; tags[i] != NULL; i++)
        {
          g_autofree char *escaped = g_markup_escape_text (tags[i], -1);

          g_string_append_printf (markup, "%s#%s", i > 0 ? "  " : "", escaped);
        }
      tags_markup = g_string_free (g_steal_pointer (&markup), FALSE);
    }

  if (pending && is_web_page (clip))
    {
      const char *failure = self->failures != NULL ? g_hash_table_lookup (self->failures, gloss_clip_get_url (clip)) : NULL;
      gboolean queued = self->queue != NULL && gloss_clip_queue_has_url (self->queue, gloss_clip_get_url (clip));

      /* Why the last try failed, so that the person can tell a page gone
       * from a network down. */
      if (failure != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (failure, -1);
          g_autofree char *markup = g_strdup_printf ("<span foreground=\"#c01c28\">%s</span>%s%s",
                                                     escaped, tags_markup ? "\n" : "",
                                                     tags_markup ? tags_markup : "");

          g_free (tags_markup);
          tags_markup = g_steal_pointer (&markup);
        }
      /* No mnemonic: rows come and go, a mnemonic would outlive them. */
      gtk_button_set_label (GTK_BUTTON (clip_now), queued ? _("Clipping…") : _("Clip Now"));
      gtk_widget_set_sensitive (clip_now, !queued);
      gtk_widget_set_visible (clip_now, TRUE);
    }

  set_row (item, title && *title ? title : gloss_clip_get_url (clip), facts->str, tags_markup);
}

static const char *
color_hex (int color)
{
  static const char *hex[] = { "#f5c211", "#33d17a", "#3584e4", "#f66151", "#9141ac" };

  return color >= 0 && color < (int) G_N_ELEMENTS (hex) ? hex[color] : hex[0];
}

static void
result_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GlossSearchResult *result = gtk_list_item_get_item (item);
  GPtrArray *annotations = gloss_search_result_get_annotations (result);
  GtkWidget *box = row_annotations_box (item);
  g_autofree char *date = gloss_library_view_format_date (gloss_search_result_get_created (result));
  g_autofree char *facts = NULL;
  g_autofree char *snippet = NULL;
  const char *site = gloss_search_result_get_site_name (result);

  facts = site != NULL && *site != '\0' ? g_strdup_printf ("%s · %s", site, date) : g_strdup (date);
  snippet = gloss_search_marked_to_markup (gloss_search_result_get_snippet (result));
  set_row (item, gloss_search_result_get_title (result), facts, snippet);

  clear_annotations (box);
  for (guint i = 0; i < annotations->len && i < ROW_ANNOTATIONS; i++)
    {
      GlossSearchAnnotation *annotation = g_ptr_array_index (annotations, i);
      g_autofree char *quote = gloss_search_marked_to_markup (annotation->quote);
      g_autofree char *note = gloss_search_marked_to_markup (annotation->note);
      g_autofree char *markup = NULL;
      GtkWidget *label = new_label ("caption", 3);

      /* The colour bar says which highlight this is, as in the reader. */
      markup = g_strdup_printf ("<span foreground=\"%s\">▍</span>“%s”%s%s",
                                color_hex (annotation->color), quote,
                                *note ? " — " : "", note);
      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_widget_set_margin_start (label, 6);
      gtk_box_append (GTK_BOX (box), label);
    }
  gtk_widget_set_visible (box, annotations->len > 0);
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GlossLibraryView) self = user_data;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;
  GtkNoSelection *selection;

  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  results = gloss_index_search_finish (GLOSS_INDEX (object), result, &error);

  /* A newer query is on its way, or the view is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->results);

  if (error != NULL)
    {
      adw_status_page_set_title (self->no_results_page,
                                 g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY)
                                 ? _("Check the Search") : _("Search Failed"));
      adw_status_page_set_description (self->no_results_page, error->message);
      gtk_list_view_set_model (self->results_view, NULL);
      update_page (self);
      return;
    }

  adw_status_page_set_title (self->no_results_page, _("No Results"));
  adw_status_page_set_description (self->no_results_page,
                                   _("No clip, highlight or note matches. Try other words, or fewer of them."));

  self->results = g_steal_pointer (&results);
  selection = gtk_no_selection_new (g_object_ref (self->results));
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  update_page (self);
}

static void
run_search (GlossLibraryView *self)
{
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (self->query == NULL || *self->query == '\0' || self->index == NULL)
    {
      update_page (self);
      return;
    }

  self->search_cancellable = g_cancellable_new ();
  gloss_index_search_async (self->index, self->query, RESULTS_LIMIT,
                            self->search_cancellable, search_done_cb, g_object_ref (self));
}

static void
search_changed_cb (GlossLibraryView *self,
                   GtkSearchEntry   *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  g_free (self->query);
  self->query = g_steal_pointer (&stripped);

  run_search (self);
}

static void
emit_result (GlossLibraryView *self,
             guint             position)
{
  g_autoptr(GlossSearchResult) result = NULL;
  GPtrArray *annotations;

  if (self->results == NULL || position >= g_list_model_get_n_items (self->results))
    return;

  result = g_list_model_get_item (self->results, position);
  annotations = gloss_search_result_get_annotations (result);

  g_signal_emit (self, signals[CLIP_ACTIVATED], 0,
                 gloss_search_result_get_clip_id (result),
                 annotations->len > 0
                 ? ((GlossSearchAnnotation *) g_ptr_array_index (annotations, 0))->id
                 : NULL);
}

static void
search_activate_cb (GlossLibraryView *self,
                    GtkSearchEntry   *entry)
{
  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  /* Enter opens the best match. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "results") == 0)
    emit_result (self, 0);
}

/* Down from the search entry goes to the first row, as in Files. */
static gboolean
search_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       GlossLibraryView      *self)
{
  GtkWidget *list;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;

  list = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "results") == 0
    ? GTK_WIDGET (self->results_view) : GTK_WIDGET (self->clips_view);

  return gtk_widget_get_mapped (list) && gtk_widget_child_focus (list, GTK_DIR_TAB_FORWARD);
}

static void
stop_search_cb (GlossLibraryView *self,
                GtkSearchEntry   *entry)
{
  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
results_view_activate_cb (GlossLibraryView *self,
                          guint             position,
                          GtkListView      *view)
{
  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  emit_result (self, position);
}

static void
clips_view_activate_cb (GlossLibraryView *self,
                        guint             position,
                        GtkListView      *view)
{
  g_autoptr(GlossClip) clip = NULL;

  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  if (self->library == NULL)
    return;

  clip = g_list_model_get_item (G_LIST_MODEL (self->library), position);
  /* A page not clipped yet has no article to read: its live page opens. */
  if (clip != NULL && gloss_clip_get_damage (clip) == NULL && is_web_page (clip) && clip_is_pending (clip))
    g_signal_emit (self, signals[CLIP_OPEN_ORIGINAL], 0, gloss_clip_get_id (clip));
  else if (clip != NULL)
    g_signal_emit (self, signals[CLIP_ACTIVATED], 0, gloss_clip_get_id (clip), NULL);
}

static void
index_progress_cb (GlossLibraryView *self)
{
  gboolean indexing = self->index != NULL && gloss_index_get_indexing (self->index);

  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->index_progress), indexing);
  if (indexing)
    gtk_progress_bar_set_fraction (self->index_progress, gloss_index_get_progress (self->index));
  else if (self->query != NULL && *self->query != '\0')
    run_search (self);
}

static gboolean
requery_cb (gpointer user_data)
{
  GlossLibraryView *self = user_data;

  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  self->requery_id = 0;
  run_search (self);

  return G_SOURCE_REMOVE;
}

/* The index changed (a clip added, edited or deleted, here or by another
 * process): the results on screen may be stale. Indexing reports after
 * each batch, so wait for a pause before searching again. */
static void
index_changed_cb (GlossLibraryView *self)
{
  g_assert (GLOSS_IS_LIBRARY_VIEW (self));

  if (self->query == NULL || *self->query == '\0')
    return;

  g_clear_handle_id (&self->requery_id, g_source_remove);
  self->requery_id = g_timeout_add (300, requery_cb, self);
}

static void
gloss_library_view_dispose (GObject *object)
{
  GlossLibraryView *self = (GlossLibraryView *)object;

  g_clear_handle_id (&self->requery_id, g_source_remove);
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_object (&self->queue);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  if (self->index != NULL)
    g_signal_handlers_disconnect_by_data (self->index, self);

  g_clear_object (&self->clips_selection);
  g_clear_object (&self->library);
  g_clear_object (&self->index);
  g_clear_object (&self->results);
  g_clear_pointer (&self->query, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLOSS_TYPE_LIBRARY_VIEW);
  /* After the rows are gone: unbinding them looks at these. */
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_pointer (&self->bound, g_hash_table_unref);

  G_OBJECT_CLASS (gloss_library_view_parent_class)->dispose (object);
}

static void
gloss_library_view_class_init (GlossLibraryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_library_view_dispose;

  /**
   * GlossLibraryView::clip-activated:
   * @clip_id: the clip to open
   * @annotation_id: (nullable): the first matching highlight, to scroll to
   */
  signals[CLIP_ACTIVATED] =
    g_signal_new ("clip-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * GlossLibraryView::clip-delete:
   * @clip_id: the clip the user asked to delete (the window deletes it,
   *   with Undo)
   */
  signals[CLIP_DELETE] =
    g_signal_new ("clip-delete",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GlossLibraryView::clip-open-original:
   * @clip_id: the clip whose live page to open
   */
  signals[CLIP_OPEN_ORIGINAL] =
    g_signal_new ("clip-open-original",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "library.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "library.open-original", "s", open_original_action);
  gtk_widget_class_install_action (widget_class, "library.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "library.clip-now", "s", clip_now_action);
  gtk_widget_class_install_action (widget_class, "library.clip-all-pending", NULL, clip_all_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, row_menu_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, row_menu_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, 0, row_delete_shortcut_cb, NULL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/gloss-library-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "librarysidebar");
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, box);
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, index_progress);
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, stack);
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, clips_view);
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, results_view);
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, pending_bar);
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, pending_label);
  gtk_widget_class_bind_template_child (widget_class, GlossLibraryView, clip_all_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, clips_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, clip_all_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, results_view_activate_cb);
}

static void
gloss_library_view_init (GlossLibraryView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->bound = g_hash_table_new (NULL, NULL);

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    g_signal_connect (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  }

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (clip_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (clip_unbind_cb), self);
  gtk_list_view_set_factory (self->clips_view, factory);
  g_object_unref (factory);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (result_bind_cb), NULL);
  gtk_list_view_set_factory (self->results_view, factory);
  g_object_unref (factory);

  update_page (self);
}

GtkWidget *
gloss_library_view_new (void)
{
  return g_object_new (GLOSS_TYPE_LIBRARY_VIEW, NULL);
}

void
gloss_library_view_set_library (GlossLibraryView *self,
                                GlossLibrary     *library)
{
  g_return_if_fail (GLOSS_IS_LIBRARY_VIEW (self));
  g_return_if_fail (!library || GLOSS_IS_LIBRARY (library));

  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  if (self->library != library)
    {
      g_clear_object (&self->queue);
      self->resumed = FALSE;
      self->n_pending = 0;
    }
  g_set_object (&self->library, library);

  g_clear_object (&self->clips_selection);
  if (library != NULL)
    {
      /* The row of the clip the window shows is the selected one
       * (gloss_library_view_select_clip()); rows themselves are not
       * selectable, or the pointer would select them as it passes. */
      self->clips_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (library)));
      gtk_single_selection_set_autoselect (self->clips_selection, FALSE);
      gtk_single_selection_set_can_unselect (self->clips_selection, TRUE);
      gtk_single_selection_set_selected (self->clips_selection, GTK_INVALID_LIST_POSITION);
      gtk_list_view_set_model (self->clips_view, GTK_SELECTION_MODEL (self->clips_selection));

      g_signal_connect_object (library, "items-changed",
                               G_CALLBACK (gloss_library_view_update_page_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (library, "notify::loaded",
                               G_CALLBACK (gloss_library_view_update_page_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (library, "notify::loaded",
                               G_CALLBACK (library_loaded_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (library, "items-changed",
                               G_CALLBACK (schedule_count_pending), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (library, "clip-changed",
                               G_CALLBACK (clip_changed_cb), self, G_CONNECT_SWAPPED);
      library_loaded_cb (self);
    }
  else
    gtk_list_view_set_model (self->clips_view, NULL);

  update_pending_bar (self);
  update_page (self);
}

void
gloss_library_view_select_clip (GlossLibraryView *self,
                                GlossClip        *clip)
{
  GListModel *model;
  guint n;

  g_return_if_fail (GLOSS_IS_LIBRARY_VIEW (self));
  g_return_if_fail (clip == NULL || GLOSS_IS_CLIP (clip));

  if (self->clips_selection == NULL ||
      gtk_single_selection_get_selected_item (self->clips_selection) == (gpointer) clip)
    return;

  if (clip == NULL)
    {
      gtk_single_selection_set_selected (self->clips_selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  model = G_LIST_MODEL (self->library);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossClip) item = g_list_model_get_item (model, i);

      if (item == clip)
        {
          gtk_single_selection_set_selected (self->clips_selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->clips_view), "list.scroll-to-item", "u", i);
          return;
        }
    }

  gtk_single_selection_set_selected (self->clips_selection, GTK_INVALID_LIST_POSITION);
}

GlossClip *
gloss_library_view_get_selected_clip (GlossLibraryView *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_VIEW (self), NULL);

  return self->clips_selection ? gtk_single_selection_get_selected_item (self->clips_selection) : NULL;
}

void
gloss_library_view_set_index (GlossLibraryView *self,
                              GlossIndex       *index)
{
  g_return_if_fail (GLOSS_IS_LIBRARY_VIEW (self));
  g_return_if_fail (!index || GLOSS_IS_INDEX (index));

  if (self->index != NULL)
    g_signal_handlers_disconnect_by_data (self->index, self);
  g_set_object (&self->index, index);

  if (index != NULL)
    {
      g_signal_connect_object (index, "notify::indexing",
                               G_CALLBACK (index_progress_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (index, "notify::progress",
                               G_CALLBACK (index_progress_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (index, "changed",
                               G_CALLBACK (index_changed_cb), self, G_CONNECT_SWAPPED);
      index_progress_cb (self);
    }

  run_search (self);
}

void
gloss_library_view_focus_search (GlossLibraryView *self)
{
  g_return_if_fail (GLOSS_IS_LIBRARY_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

const char *
gloss_library_view_get_query (GlossLibraryView *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_VIEW (self), NULL);

  return self->query;
}

void
gloss_library_view_set_query (GlossLibraryView *self,
                              const char       *query)
{
  g_return_if_fail (GLOSS_IS_LIBRARY_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query ? query : "");
  /* Now, not after the entry's typing delay. */
  search_changed_cb (self, self->search_entry);
}

const char *
gloss_library_view_get_page (GlossLibraryView *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GListModel *
gloss_library_view_get_results (GlossLibraryView *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_VIEW (self), NULL);

  return self->results;
}
