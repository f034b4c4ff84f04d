/* gloss-window-import.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Import from the window: choose a file, merge its annotations into the
 * library (src/core/gloss-import.c), then clip the pages it names in the
 * background, and say what happened. The pages go to the library's one
 * clip queue (gloss_clip_queue_ref_for_library()), the one the library
 * view's Clip Now and Clip All Not Clipped use, which may be busy with
 * other pages: the summary counts only the pages this import added. */

#define G_LOG_DOMAIN "gloss-window-import"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-clip-queue.h"
#include "gloss-import.h"
#include "gloss-window.h"

typedef struct
{
  GlossWindow          *window;     /* weak */
  GlossLibrary         *library;
  GtkFileChooserNative *chooser;
  GlossClipQueue       *queue;
  GlossImportPlan      *plan;
  GHashTable           *waiting;    /* URLs of this import not done yet */
  guint                 clipped;
  guint                 skipped;
  GPtrArray            *failures;   /* "URL: reason" */
} ImportRun;

static void
import_run_free (ImportRun *run)
{
  if (run->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (run->window), (gpointer *) &run->window);
  if (run->queue != NULL)
    g_signal_handlers_disconnect_by_data (run->queue, run);

  g_clear_object (&run->chooser);
  g_clear_object (&run->queue);
  g_clear_object (&run->library);
  g_clear_pointer (&run->plan, gloss_import_plan_free);
  g_clear_pointer (&run->waiting, g_hash_table_unref);
  g_clear_pointer (&run->failures, g_ptr_array_unref);
  g_free (run);
}

static void
toast (ImportRun  *run,
       const char *message)
{
  if (run->window != NULL)
    gloss_window_show_toast (run->window, message);
}

static void
show_failures_cb (AdwToast *toast_,
                  gpointer  user_data)
{
  GtkWindow *window = g_object_get_data (G_OBJECT (toast_), "gloss-window");
  const char *details = g_object_get_data (G_OBJECT (toast_), "gloss-details");
  GtkWidget *dialog;

  if (window == NULL)
    return;

  dialog = adw_message_dialog_new (window, _("Pages That Could Not Be Clipped"), details);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Says how the pages of this import went, once they are all done (or
 * the queue stopped: a cancel). */
static void
summarize (ImportRun *run)
{
  guint n_failed = run->failures->len;
  g_autoptr(GString) message = g_string_new (NULL);
  AdwToast *summary;

  g_string_append_printf (message,
                          g_dngettext (GETTEXT_PACKAGE, "Clipped %u page.", "Clipped %u pages.",
                                       run->clipped),
                          run->clipped);
  if (run->skipped > 0)
    g_string_append_printf (message, g_dngettext (GETTEXT_PACKAGE, " %u was already in the library.", " %u were already in the library.", run->skipped), run->skipped);
  if (n_failed > 0)
    g_string_append_printf (message, g_dngettext (GETTEXT_PACKAGE, " %u failed.", " %u failed.", n_failed), n_failed);

  if (run->window != NULL)
    {
      summary = adw_toast_new (message->str);
      adw_toast_set_timeout (summary, n_failed > 0 ? 0 : 5);

      if (n_failed > 0)
        {
          g_autofree char *details = NULL;

          g_ptr_array_add (run->failures, NULL);
          details = g_strjoinv ("\n", (char **) run->failures->pdata);

          adw_toast_set_button_label (summary, _("Details"));
          g_object_set_data (G_OBJECT (summary), "gloss-window", run->window);
          g_object_set_data_full (G_OBJECT (summary), "gloss-details", g_steal_pointer (&details), g_free);
          g_signal_connect (summary, "button-clicked", G_CALLBACK (show_failures_cb), NULL);
        }

      gloss_window_add_toast (run->window, summary);
    }

  import_run_free (run);
}

static void
queue_item_done_cb (GlossClipQueue *queue,
                    const char     *url,
                    GlossClip      *clip,
                    gboolean        skipped,
                    const char     *failure,
                    ImportRun      *run)
{
  g_assert (GLOSS_IS_CLIP_QUEUE (queue));

  /* Another page of the shared queue (Clip Now, another import). */
  if (!g_hash_table_remove (run->waiting, url))
    return;

  if (failure != NULL)
    g_ptr_array_add (run->failures, g_strdup_printf ("%s: %s", url, failure));
  else if (skipped)
    run->skipped++;
  else if (clip != NULL)
    run->clipped++;

  if (g_hash_table_size (run->waiting) == 0)
    summarize (run);
}

static void
queue_finished_cb (GlossClipQueue *queue,
                   ImportRun      *run)
{
  g_assert (GLOSS_IS_CLIP_QUEUE (queue));

  /* Nothing left in the queue while pages of this import were not done:
   * they were cancelled. */
  summarize (run);
}

static void
release_queue_cb (GlossClipQueue *queue,
                  gpointer        user_data)
{
  g_assert (GLOSS_IS_CLIP_QUEUE (queue));

  g_signal_handlers_disconnect_by_func (queue, release_queue_cb, user_data);
  g_object_unref (queue);
}

static void
apply_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ImportRun *run = user_data;
  g_autoptr(GlossImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) message = g_string_new (NULL);

  if (!(summary = gloss_import_apply_finish (result, &error)))
    {
      toast (run, error->message);
      import_run_free (run);
      return;
    }

  g_string_append_printf (message,
                          g_dngettext (GETTEXT_PACKAGE, "Imported %u highlight.", "Imported %u highlights.",
                                       summary->annotations_added),
                          summary->annotations_added);
  if (summary->annotations_present > 0)
    g_string_append_printf (message, g_dngettext (GETTEXT_PACKAGE, " %u was already there.", " %u were already there.", summary->annotations_present), summary->annotations_present);
  if (summary->orphans > 0)
    g_string_append_printf (message,
                            g_dngettext (GETTEXT_PACKAGE,
                                         " %u could not be placed in its article and is kept apart.",
                                         " %u could not be placed in their articles and are kept apart.",
                                         summary->orphans),
                            summary->orphans);

  /* The pictures of the articles the file carried, where they can be
   * fetched: in the background, the article is there already. */
  if (summary->images_to_fetch->len > 0)
    {
      g_autoptr(GlossClipQueue) queue = gloss_clip_queue_ref_for_library (run->library);

      for (guint i = 0; i < summary->images_to_fetch->len; i++)
        {
          GlossClip *clip = gloss_library_lookup (run->library, g_ptr_array_index (summary->images_to_fetch, i));

          if (clip != NULL)
            gloss_clip_queue_add_images (queue, clip);
        }
      /* Held until they are done, whatever else lets go of the queue. */
      g_signal_connect (g_object_ref (queue), "finished", G_CALLBACK (release_queue_cb), NULL);
    }

  if (summary->urls_to_clip->len == 0)
    {
      toast (run, message->str);
      import_run_free (run);
      return;
    }

  g_string_append_printf (message,
                          g_dngettext (GETTEXT_PACKAGE, " Clipping %u page…", " Clipping %u pages…",
                                       summary->urls_to_clip->len),
                          summary->urls_to_clip->len);
  toast (run, message->str);

  /* The queue gives the clips the import made from its own data their
   * real article (highlights re-anchored in it) and leaves every other
   * clip of those pages alone. */
  run->queue = gloss_clip_queue_ref_for_library (run->library);
  run->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->failures = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (run->queue, "item-done", G_CALLBACK (queue_item_done_cb), run);
  g_signal_connect (run->queue, "finished", G_CALLBACK (queue_finished_cb), run);
  /* A page the queue has already (Clip All Not Clipped is running) is
   * not added twice; its "item-done" still comes, once. */
  for (guint i = 0; i < summary->urls_to_clip->len; i++)
    {
      const char *url = g_ptr_array_index (summary->urls_to_clip, i);

      g_hash_table_add (run->waiting, g_strdup (url));
      gloss_clip_queue_add (run->queue, url, FALSE);
    }
}

static void
read_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ImportRun *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!(run->plan = gloss_import_read_finish (result, &error)))
    {
      toast (run, error->message);
      import_run_free (run);
      return;
    }

  gloss_import_apply_async (run->plan, run->library, GLOSS_IMPORT_CREATE_PLACEHOLDERS,
                            NULL, NULL, NULL, NULL, apply_done_cb, run);
}

static void
chooser_response_cb (GtkFileChooserNative *chooser,
                     int                   response,
                     ImportRun            *run)
{
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT ||
      !(file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    {
      import_run_free (run);
      return;
    }

  gloss_import_read_async (file, NULL, read_done_cb, run);
}

void
gloss_window_import (GlossWindow *self)
{
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) any = gtk_file_filter_new ();
  GlossLibrary *library;
  ImportRun *run;

  g_return_if_fail (GLOSS_IS_WINDOW (self));

  if (!(library = gloss_window_get_library (self)) || !gloss_library_get_loaded (library))
    {
      gloss_window_show_toast (self, _("The library is still loading; try again in a moment"));
      return;
    }

  run = g_new0 (ImportRun, 1);
  run->window = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &run->window);
  run->library = g_object_ref (library);

  run->chooser = gtk_file_chooser_native_new (_("Import Highlights or Pages"),
                                              GTK_WINDOW (self),
                                              GTK_FILE_CHOOSER_ACTION_OPEN,
                                              _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (run->chooser), TRUE);

  gtk_file_filter_set_name (all, _("Hypothesis, W3C, Pocket, Omnivore and URL lists"));
  gtk_file_filter_add_suffix (all, "json");
  gtk_file_filter_add_suffix (all, "jsonld");
  gtk_file_filter_add_suffix (all, "jsonl");
  gtk_file_filter_add_suffix (all, "html");
  gtk_file_filter_add_suffix (all, "csv");
  gtk_file_filter_add_suffix (all, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (run->chooser), all);
  gtk_file_filter_set_name (any, _("All Files"));
  gtk_file_filter_add_pattern (any, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (run->chooser), any);

  g_signal_connect (run->chooser, "response", G_CALLBACK (chooser_response_cb), run);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (run->chooser));
}
