/* gloss-cli-clip.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `gloss --clip URL…`: the clipper without a window. The pages go through
 * GlossClipQueue, the background clipper of imports, whose hidden
 * GlossBrowser carries the same scripts as the window's, so a clip from
 * the command line equals one from the window. */

#define G_LOG_DOMAIN "gloss-cli-clip"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "gloss-cli.h"
#include "gloss-cli-clip.h"
#include "gloss-clip-queue.h"

typedef struct
{
  GString  *out;
  GString  *err;
  guint     failed;
  guint     images;
  gboolean  finished;
  gboolean  live;
} Run;

/* One line of progress: on stderr at once when live, for a person
 * watching a long list go by; else in @err for the caller. */
static void
progress_line (Run        *run,
               const char *format,
               ...) G_GNUC_PRINTF (2, 3);

static void
progress_line (Run        *run,
               const char *format,
               ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  if (run->live)
    {
      fputs (line, stderr);
      fflush (stderr);
    }
  else
    g_string_append (run->err, line);
}

static void
item_done_cb (GlossClipQueue *queue,
              const char     *url,
              GlossClip      *clip,
              gboolean        skipped,
              const char     *failure,
              Run            *run)
{
  guint n_saved = 0, n_images = 0;

  g_assert (GLOSS_IS_CLIP_QUEUE (queue));

  if (failure != NULL)
    {
      progress_line (run, "gloss: %s: %s\n", url, failure);
      run->failed++;
    }
  else if (skipped)
    {
      progress_line (run, "gloss: %s: %s\n", url, _("already in the library"));
      g_string_append_printf (run->out, "%s\n", gloss_clip_get_id (clip));
    }
  else if (gloss_clip_queue_get_last_images (queue, &n_saved, &n_images))
    {
      /* The pictures of an article an import kept. */
      g_autofree char *line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "the images of “%s”: %u of %u saved",
                                                            "the images of “%s”: %u of %u saved",
                                                            n_images),
                                               gloss_clip_get_title (clip), n_saved, n_images);

      progress_line (run, "gloss: %s: %s\n", url, line);
      run->images++;
    }
  else
    {
      progress_line (run, "gloss: %s: %s “%s” (%u of %u images saved)\n",
                     url, _("clipped"), gloss_clip_get_title (clip), n_saved, n_images);
      g_string_append_printf (run->out, "%s\n", gloss_clip_get_id (clip));
    }
}

static void
finished_cb (GlossClipQueue *queue,
             Run            *run)
{
  run->finished = TRUE;
}

int
gloss_cli_clip (GFile              *library_folder,
                const char * const *urls,
                GString            *out,
                GString            *err)
{
  return gloss_cli_clip_full (library_folder, urls, FALSE, out, err);
}

int
gloss_cli_clip_full (GFile              *library_folder,
                     const char * const *urls,
                     gboolean            live,
                     GString            *out,
                     GString            *err)
{
  return gloss_cli_clip_run (library_folder, urls, FALSE, live, out, err);
}

int
gloss_cli_clip_run (GFile              *library_folder,
                    const char * const *urls,
                    gboolean            pending,
                    gboolean            live,
                    GString            *out,
                    GString            *err)
{
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GlossClipQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { .out = out, .err = err, .live = live };

  g_return_val_if_fail (G_IS_FILE (library_folder), GLOSS_CLI_FAILED);
  g_return_val_if_fail (urls != NULL || pending, GLOSS_CLI_FAILED);
  g_return_val_if_fail (out != NULL && err != NULL, GLOSS_CLI_FAILED);

  if (!pending && urls[0] == NULL)
    {
      g_string_append_printf (err, "gloss: %s\n", _("--clip needs at least one URL"));
      return GLOSS_CLI_USAGE;
    }

  library = gloss_library_new (library_folder);
  if (!gloss_library_load (library, NULL, &error))
    {
      g_string_append_printf (err, "gloss: %s\n", error->message);
      return GLOSS_CLI_FAILED;
    }

  queue = gloss_clip_queue_ref_for_library (library);
  /* Not resumed by the window: the list in the cache is the window's. */
  gloss_clip_queue_set_keep_list (queue, FALSE);
  g_signal_connect (queue, "item-done", G_CALLBACK (item_done_cb), &run);
  g_signal_connect (queue, "finished", G_CALLBACK (finished_cb), &run);

  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    gloss_clip_queue_add (queue, urls[i], FALSE);
  /* The pages in @urls, and the pictures of imported articles. */
  if (pending)
    gloss_clip_queue_add_pending (queue);

  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);

  return run.failed > 0 ? GLOSS_CLI_FAILED : GLOSS_CLI_OK;
}
