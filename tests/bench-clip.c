/* bench-clip.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How long clipping takes in the real window (issue 4, "Performance"):
 * Clip → the reader showing the clip, for a 2,000-word article with 10
 * images served on 127.0.0.1, with the extraction itself apart; and
 * opening a saved clip in the reader until it has painted. Prints
 * figures; fails only when the program under measure does not run. */

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gloss-clipper.h"
#include "gloss-reader-view.h"
#include "gloss-test-util.h"
#include "gloss-window.h"

#define N_RUNS   7
#define N_IMAGES 10
#define N_WORDS  2000

static GBytes *images[N_IMAGES];
static char *article;

static const char *words[] = {
  "river", "valley", "bridge", "flood", "village", "ledger", "teacher", "water",
  "morning", "rope", "lantern", "winter", "harvest", "meadow", "orchard", "engineer",
  "the", "and", "of", "a", "to", "in", "was", "that", "it", "for", "on", "with",
};

static GBytes *
make_png (guint seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 300);
  char *buffer = NULL;
  gsize size;

  gdk_pixbuf_fill (pixbuf, 0x10204000u + seed * 0x01030500u);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", NULL, NULL));

  return g_bytes_new_take (buffer, size);
}

static char *
make_article (void)
{
  GString *html = g_string_new ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                "<title>A Long Story of the River</title>"
                                "<meta name=\"author\" content=\"Bench Writer\"></head><body>"
                                "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>"
                                "<article><h1>A Long Story of the River</h1>");
  guint word = 0;
  GRand *rand = g_rand_new_with_seed (42);

  for (guint p = 0; word < N_WORDS; p++)
    {
      g_string_append (html, "<p>");
      for (guint w = 0; w < 50 && word < N_WORDS; w++, word++)
        {
          const char *next = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

          if (w == 0)
            g_string_append_printf (html, "%c%s", g_ascii_toupper (next[0]), next + 1);
          else
            g_string_append_printf (html, " %s", next);
        }
      g_string_append (html, ".</p>\n");

      if (p % 4 == 1 && p / 4 < N_IMAGES)
        g_string_append_printf (html, "<figure><img src=\"/img/%u.png\" alt=\"Figure %u\">"
                                "<figcaption>Figure %u.</figcaption></figure>\n",
                                p / 4, p / 4, p / 4);
    }

  g_string_append (html, "</article><footer>Footer</footer></body></html>");
  g_rand_free (rand);

  return g_string_free (html, FALSE);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  guint n;

  if (g_str_has_prefix (path, "/article-"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                        article, strlen (article));
      return;
    }

  if (sscanf (path, "/img/%u.png", &n) == 1 && n < N_IMAGES)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC,
                                        g_bytes_get_data (images[n], NULL), g_bytes_get_size (images[n]));
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

typedef struct
{
  gint64   loaded_at;    /* reader: article-loaded */
  gint64   painted_at;   /* reader: first frame after its load finished */
  gboolean finished;
  gulong   paint_id;
  GdkFrameClock *clock;
} Watch;

static Watch watch;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  if (watch.finished && watch.painted_at == 0)
    watch.painted_at = g_get_monotonic_time ();
}

static void
article_loaded_cb (GlossReaderView *reader,
                   gboolean         text_changed,
                   gpointer         user_data)
{
  if (watch.loaded_at == 0)
    watch.loaded_at = g_get_monotonic_time ();
  if (text_changed)
    g_printerr ("warning: the reader's text differs from article.txt\n");
}

static void
reader_load_changed_cb (WebKitWebView   *web_view,
                        WebKitLoadEvent  event,
                        gpointer         user_data)
{
  if (event == WEBKIT_LOAD_FINISHED)
    watch.finished = TRUE;
}

static void
reset_watch (void)
{
  watch.loaded_at = watch.painted_at = 0;
  watch.finished = FALSE;
}

static void
wait_until_painted (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (watch.loaded_at == 0 || watch.painted_at == 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The reader did not show the clip within 30 s");
      g_main_context_iteration (NULL, TRUE);
    }
}

typedef struct
{
  gboolean   done;
  GlossClip *clip;
} Clipped;

static void
clipped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Clipped *clipped = user_data;

  clipped->clip = gloss_clipper_clip_finish (GLOSS_CLIPPER (object), result, NULL, NULL);
  clipped->done = TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        double     *values,
        guint       n,
        double      target)
{
  double sorted[N_RUNS];

  memcpy (sorted, values, n * sizeof (double));
  qsort (sorted, n, sizeof (double), compare_doubles);
  g_print ("%-48s median %7.1f ms   min %7.1f ms   max %7.1f ms",
           what, sorted[n / 2], sorted[0], sorted[n - 1]);
  if (target > 0)
    g_print ("   (target < %.0f ms)", target);
  g_print ("\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *dir = NULL;
  GlossWindow *window;
  GlossBrowser *browser;
  GlossReaderView *reader;
  GSList *uris;
  guint port;
  double clip_ms[N_RUNS], extract_ms[N_RUNS], in_page_ms[N_RUNS], images_ms[N_RUNS], save_ms[N_RUNS];
  double shown_ms[N_RUNS], open_loaded_ms[N_RUNS], open_painted_ms[N_RUNS];
  double first_clip_ms = 0, first_open_ms = 0;
  g_autoptr(GPtrArray) clips = g_ptr_array_new_with_free_func (g_object_unref);

  gloss_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  for (guint i = 0; i < N_IMAGES; i++)
    images[i] = make_png (i);
  article = make_article ();

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (soup_server_listen (server, address, 0, &error));
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  dir = gloss_test_make_dir ("bench-library");
  folder = g_file_new_for_path (dir);
  library = gloss_library_new (folder);
  g_assert_true (gloss_library_load (library, NULL, &error));

  window = gloss_window_new (NULL);
  gloss_window_set_library (window, library, NULL);
  gtk_window_present (GTK_WINDOW (window));
  browser = gloss_window_get_browser (window);
  reader = gloss_window_get_reader (window);
  /* get_reader () makes the reader view; the window would otherwise make
   * it when the first article shows. */
  g_signal_connect (reader, "article-loaded", G_CALLBACK (article_loaded_cb), NULL);
  g_signal_connect (gloss_reader_view_get_web_view (reader), "load-changed",
                    G_CALLBACK (reader_load_changed_cb), NULL);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  watch.clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  watch.paint_id = g_signal_connect (watch.clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);

  {
    double load[3];

    if (getloadavg (load, 3) == 3)
      g_print ("Load average %.2f %.2f %.2f on %u CPUs: figures on a busy machine run long\n",
               load[0], load[1], load[2], g_get_num_processors ());
  }
  g_print ("Clipping a %u-word article with %u images (%zu bytes of HTML) from 127.0.0.1, %u runs\n",
           N_WORDS, N_IMAGES, strlen (article), N_RUNS);

  for (guint run = 0; run <= N_RUNS; run++)
    {
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/article-%u.html", port, run);
      WebKitWebView *web_view = gloss_browser_get_web_view (browser);
      gint64 started;
      guint n = g_list_model_get_n_items (G_LIST_MODEL (library));

      gloss_window_open (window, uri);
      while (webkit_web_view_is_loading (web_view) ||
             g_strcmp0 (webkit_web_view_get_uri (web_view), uri) != 0 ||
             !gloss_browser_get_readerable (browser))
        g_main_context_iteration (NULL, TRUE);

      /* A reader looks at the page before clipping it: time enough for
       * the window to start the reader's web process. */
      if (run == 0)
        {
          gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

          while (g_get_monotonic_time () < until)
            g_main_context_iteration (NULL, FALSE), g_usleep (1000);
        }

      reset_watch ();
      started = g_get_monotonic_time ();
      gtk_widget_activate_action (GTK_WIDGET (window), "win.clip", NULL);
      wait_until_painted ();

      if (g_list_model_get_n_items (G_LIST_MODEL (library)) != n + 1)
        g_error ("Run %u did not add a clip", run);
      g_ptr_array_add (clips, g_list_model_get_item (G_LIST_MODEL (library), 0));

      /* The first run starts the reader's web process: reported apart. */
      if (run == 0)
        {
          first_clip_ms = (watch.painted_at - started) / 1000.0;
          continue;
        }

      clip_ms[run - 1] = (watch.loaded_at - started) / 1000.0;
      shown_ms[run - 1] = (watch.painted_at - started) / 1000.0;
    }

  /* The split by stage: the clipper alone, on the same loaded page. */
  {
    g_autoptr(GlossClipper) clipper = gloss_clipper_new (library);

    for (guint run = 0; run < N_RUNS; run++)
      {
        Clipped result = { 0 };
        const GlossClipStats *stats;

        gloss_clipper_clip_async (clipper, gloss_browser_get_web_view (browser),
                                  GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, clipped_cb, &result);
        while (!result.done)
          g_main_context_iteration (NULL, TRUE);
        if (result.clip == NULL)
          g_error ("The clipper failed");
        g_ptr_array_add (clips, result.clip);

        stats = gloss_clipper_get_stats (clipper);
        extract_ms[run] = stats->extract_ms;
        in_page_ms[run] = stats->in_page_ms;
        images_ms[run] = stats->images_ms;
        save_ms[run] = stats->save_ms;
        if (stats->n_images_saved != N_IMAGES)
          g_error ("Saved %u of %u images", stats->n_images_saved, stats->n_images);
      }
  }

  /* Opening saved clips in the reader. */
  for (guint run = 0; run <= N_RUNS; run++)
    {
      GlossClip *clip = g_ptr_array_index (clips, g_getenv ("BENCH_SAME") ? 1 : run);
      gint64 started;

      reset_watch ();
      started = g_get_monotonic_time ();
      gloss_window_open_clip (window, clip);
      wait_until_painted ();

      if (run == 0)
        {
          first_open_ms = (watch.painted_at - started) / 1000.0;
          continue;
        }
      open_loaded_ms[run - 1] = (watch.loaded_at - started) / 1000.0;
      open_painted_ms[run - 1] = (watch.painted_at - started) / 1000.0;
    }

  g_print ("\n");
  report ("Clip → reader has the article (article-loaded)", clip_ms, N_RUNS, 500);
  report ("Clip → reader painted", shown_ms, N_RUNS, 500);
  report ("  extraction (call → page message)", extract_ms, N_RUNS, 100);
  report ("  of which Readability + Turndown in the page", in_page_ms, N_RUNS, 100);
  report ("  images (10, fetched 4 at a time, written)", images_ms, N_RUNS, 0);
  report ("  writing the clip", save_ms, N_RUNS, 0);
  report ("Open saved clip → reader has the article", open_loaded_ms, N_RUNS, 150);
  report ("Open saved clip → reader painted", open_painted_ms, N_RUNS, 150);
  g_print ("First clip of the session, 2 s after the page showed: %.1f ms to paint\n", first_clip_ms);
  g_print ("First open after the clips: %.1f ms to paint\n", first_open_ms);

  g_signal_handler_disconnect (watch.clock, watch.paint_id);
  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
