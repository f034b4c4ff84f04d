/* bench-annotate.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Highlights in the real window: how long after the reader has shown a
 * clip with 500 annotations they are all anchored and painted (target
 * under 200 ms), how long a new highlight takes from the action to the
 * file written and the mark painted (target under 50 ms), and the main
 * loop's longest stall while 500 more are made back to back with the
 * annotations panel open (target 8 ms), with what the stalls were made
 * of: the main thread's own CPU time in each, the frames drawn, the ten
 * longest; and how fast the page scrolls with its 500 highlights painted.
 * Prints figures; fails only when something does not run. */

#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gloss-library.h"
#include "gloss-test-server.h"
#include "gloss-test-util.h"
#include "gloss-window.h"

#define N_ANNOTATIONS 500
#define N_BURST 500
#define FREE_PARAGRAPHS 100
#define CREATE_RUNS 25
#define OPEN_RUNS 7

/* Waits as an application's main loop does: blocked in the main
 * context's poll until a source is ready, so that the stall monitor's
 * request wakes it at once, as it would wake GTK's loop.
 * bench_wait_until () sleeps 1 ms between non-blocking iterations,
 * which adds up to a millisecond (more when the sleep outlasts its time
 * on a busy machine) to every gap measured, none of it the app's. A
 * timer wakes the loop now and then to check the deadline. */
static gboolean
bench_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

#define bench_wait_until(condition, timeout_ms)                           \
  G_STMT_START {                                                          \
    gint64 _deadline = g_get_monotonic_time () + (timeout_ms) * 1000;     \
    guint _tick = g_timeout_add (100, bench_tick_cb, NULL);               \
    while (!(condition))                                                  \
      {                                                                   \
        if (g_get_monotonic_time () > _deadline)                          \
          g_error ("Timed out waiting for %s", #condition);               \
        g_main_context_iteration (NULL, TRUE);                            \
      }                                                                   \
    g_source_remove (_tick);                                              \
  } G_STMT_END

static gint64 opened_at;
static gint64 loaded_at;
static gint64 painted_at;
static gint64 highlighted_at;

static gboolean
article_loaded_hook (GSignalInvocationHint *hint,
                     guint                  n_values,
                     const GValue          *values,
                     gpointer               user_data)
{
  /* An emission hook runs before every handler, the annotator's too. */
  loaded_at = g_get_monotonic_time ();
  return TRUE;
}

static void
painted_cb (GlossAnnotator *annotator)
{
  painted_at = g_get_monotonic_time ();
}

static void
highlighted_cb (GlossAnnotator  *annotator,
                GlossAnnotation *annotation)
{
  highlighted_at = g_get_monotonic_time ();
}

/* The main loop's stalls: a thread asks the main context to run a
 * callback at default priority every 2 ms and notes how long each took to
 * run. A wait well over 1 ms (the test's own wait loop sleeps 1 ms between
 * iterations) is time the main loop spent on something else, or, on a
 * loaded machine, time the process was not scheduled. One request at a
 * time, so that nothing else is starved. */
typedef struct
{
  gint64 asked;     /* monotonic µs */
  double ms;
  double cpu_ms;    /* of it, the main thread's own CPU time */
  double wait_ms;   /* runnable, but another thread had the core */
} Gap;

typedef struct
{
  GMutex   lock;
  GCond    cond;
  GArray  *gaps;    /* of double, ms */
  GArray  *long_gaps; /* of Gap: those over 8 ms */
  GThread *thread;
  clockid_t main_clock;   /* the main thread's CPU time */
  double   asked_cpu_ms;
  GArray  *cpu_gaps;      /* of double, ms */
  gint64   asked;
  char    *schedstat;     /* the main thread's /proc/self/task/TID/schedstat */
  double   asked_wait_ms;
  gboolean answered;
  gboolean stop;
} StallMonitor;

/* The kernel's account of a thread (Documentation/scheduler/sched-stats):
 * time on a CPU, and time runnable but waiting for one (run_delay), in
 * ms. What is left of a stall is time the thread slept: blocked on
 * something. */
static gboolean
read_schedstat (const char *path,
                double     *cpu_ms,
                double     *wait_ms)
{
  g_autofree char *contents = NULL;
  guint64 cpu, wait;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      sscanf (contents, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &cpu, &wait) != 2)
    return FALSE;
  *cpu_ms = cpu / 1e6;
  *wait_ms = wait / 1e6;
  return TRUE;
}

static double
clock_ms (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static gboolean
stall_ping_cb (gpointer user_data)
{
  StallMonitor *monitor = user_data;
  double gap = (g_get_monotonic_time () - monitor->asked) / 1000.0;
  double cpu, sched_cpu, wait = 0;

  g_mutex_lock (&monitor->lock);
  /* The main thread's own work: what Gloss and GTK did, whatever the
   * other processes of a shared machine took meanwhile. */
  cpu = clock_ms (CLOCK_THREAD_CPUTIME_ID) - monitor->asked_cpu_ms;
  if (read_schedstat (monitor->schedstat, &sched_cpu, &wait))
    wait -= monitor->asked_wait_ms;
  g_array_append_val (monitor->gaps, gap);
  g_array_append_val (monitor->cpu_gaps, cpu);
  if (gap > 8.0)
    {
      Gap g = { monitor->asked, gap, cpu, wait };

      g_array_append_val (monitor->long_gaps, g);
    }
  monitor->answered = TRUE;
  g_cond_signal (&monitor->cond);
  g_mutex_unlock (&monitor->lock);

  return G_SOURCE_REMOVE;
}

static gpointer
stall_thread (gpointer user_data)
{
  StallMonitor *monitor = user_data;

  g_mutex_lock (&monitor->lock);
  while (!monitor->stop)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      monitor->answered = FALSE;
      monitor->asked = g_get_monotonic_time ();
      monitor->asked_cpu_ms = clock_ms (monitor->main_clock);
      {
        double sched_cpu;

        if (!read_schedstat (monitor->schedstat, &sched_cpu, &monitor->asked_wait_ms))
          monitor->asked_wait_ms = 0;
      }
      /* An idle of the main thread's context, always: g_main_context_invoke ()
       * would run it here whenever it can take the context. */
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, stall_ping_cb, monitor, NULL);
      g_source_attach (source, g_main_context_default ());
      while (!monitor->answered)
        g_cond_wait (&monitor->cond, &monitor->lock);
      g_mutex_unlock (&monitor->lock);
      g_usleep (2000);
      g_mutex_lock (&monitor->lock);
    }
  g_mutex_unlock (&monitor->lock);

  return NULL;
}

/* Where the main loop's time goes: the window's frames (GTK's layout and
 * drawing, at a higher priority than any other source), noted from the
 * frame clock's signals, to tell them from the rest (Gloss's own
 * handlers, WebKit's messages). */
typedef struct
{
  gint64 begin;
  gint64 layout;
  gint64 paint;
  gint64 end;
  double cpu_ms;    /* the main thread on a CPU meanwhile */
  double wait_ms;   /* runnable, waiting for one */
} Frame;

static GArray *frames;   /* of Frame, while the burst runs */
static Frame   frame;

static gboolean read_schedstat (const char *path,
                                double     *cpu_ms,
                                double     *wait_ms);

static void
frame_before_paint_cb (GdkFrameClock *clock)
{
  frame.begin = g_get_monotonic_time ();
  frame.layout = frame.paint = 0;
  if (frames != NULL && !read_schedstat ("/proc/thread-self/schedstat", &frame.cpu_ms, &frame.wait_ms))
    frame.cpu_ms = frame.wait_ms = 0;
}

/* Connected after GTK's own handlers: the end of the update phase is
 * where layout starts, the end of layout where drawing starts. */
static void
frame_update_cb (GdkFrameClock *clock)
{
  frame.layout = g_get_monotonic_time ();
}

static void
frame_layout_cb (GdkFrameClock *clock)
{
  frame.paint = g_get_monotonic_time ();
}

static void
frame_after_paint_cb (GdkFrameClock *clock)
{
  frame.end = g_get_monotonic_time ();
  if (frames != NULL && frame.begin != 0)
    {
      double cpu, wait;

      if (read_schedstat ("/proc/thread-self/schedstat", &cpu, &wait))
        {
          frame.cpu_ms = cpu - frame.cpu_ms;
          frame.wait_ms = wait - frame.wait_ms;
        }
      g_array_append_val (frames, frame);
    }
  frame.begin = 0;
}

static void
watch_frames (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_connect (clock, "before-paint", G_CALLBACK (frame_before_paint_cb), NULL);
  g_signal_connect_after (clock, "update", G_CALLBACK (frame_update_cb), NULL);
  g_signal_connect_after (clock, "layout", G_CALLBACK (frame_layout_cb), NULL);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (frame_after_paint_cb), NULL);
}

/* How much of [begin, end) (µs) frames took, and of that layout and
 * drawing (snapshot and render), in ms. */
static void
frames_within (gint64  begin,
               gint64  end,
               double *in_frames,
               double *in_layout,
               double *in_paint)
{
  *in_frames = *in_layout = *in_paint = 0;
  for (guint i = 0; frames != NULL && i < frames->len; i++)
    {
      const Frame *f = &g_array_index (frames, Frame, i);
      gint64 b = MAX (f->begin, begin), e = MIN (f->end, end);

      if (e <= b)
        continue;
      *in_frames += (e - b) / 1000.0;
      if (f->layout != 0 && f->paint != 0)
        *in_layout += (MIN (f->paint, end) - MAX (f->layout, begin)) > 0
                      ? (MIN (f->paint, end) - MAX (f->layout, begin)) / 1000.0 : 0;
      if (f->paint != 0)
        *in_paint += (MIN (f->end, end) - MAX (f->paint, begin)) > 0
                     ? (MIN (f->end, end) - MAX (f->paint, begin)) / 1000.0 : 0;
    }
}

static int
compare_gaps (gconstpointer a,
              gconstpointer b)
{
  double x = ((const Gap *) a)->ms, y = ((const Gap *) b)->ms;

  return (x < y) - (x > y);
}

static void
stall_monitor_start (StallMonitor *monitor)
{
  g_mutex_init (&monitor->lock);
  g_cond_init (&monitor->cond);
  monitor->gaps = g_array_new (FALSE, FALSE, sizeof (double));
  monitor->long_gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  monitor->cpu_gaps = g_array_new (FALSE, FALSE, sizeof (double));
  /* Called on the main thread. */
  if (pthread_getcpuclockid (pthread_self (), &monitor->main_clock) != 0)
    g_error ("No CPU clock for the main thread");
  monitor->schedstat = g_strdup_printf ("/proc/self/task/%ld/schedstat", (long) syscall (SYS_gettid));
  monitor->thread = g_thread_new ("stall-monitor", stall_thread, monitor);
}

static void
stall_monitor_stop (StallMonitor *monitor)
{
  g_mutex_lock (&monitor->lock);
  monitor->stop = TRUE;
  g_mutex_unlock (&monitor->lock);
  /* Its last request is answered by this loop. */
  while (TRUE)
    {
      gboolean done;

      g_main_context_iteration (NULL, FALSE);
      g_mutex_lock (&monitor->lock);
      done = monitor->answered;
      g_mutex_unlock (&monitor->lock);
      if (done)
        break;
      g_usleep (1000);
    }
  g_thread_join (monitor->thread);
  g_free (monitor->schedstat);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_figures (const char *what,
               GArray     *ms,
               double      target)
{
  double *v = (double *) ms->data;

  g_array_sort (ms, compare_doubles);
  g_print ("%-44s median %7.1f ms   min %7.1f ms   max %7.1f ms   (%u runs, target < %.0f ms)\n",
           what, v[ms->len / 2], v[0], v[ms->len - 1], ms->len, target);
}

static void
eval_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(JSCValue) value = gloss_reader_view_run_script_finish (GLOSS_READER_VIEW (object), result, NULL);

  *done = TRUE;
}

#define SCROLL_RUNS 3
#define SCROLL_SCRIPT                                                                  \
  "(function () {"                                                                     \
  "  const times = [];"                                                                \
  "  window.glossBenchScroll = null;"                                                  \
  "  window.scrollTo (0, 0);"                                                          \
  "  const step = t => {"                                                              \
  "    times.push (t);"                                                                \
  "    if (times.length <= 120)"                                                       \
  "      {"                                                                            \
  "        window.scrollBy (0, 300);"                                                  \
  "        requestAnimationFrame (step);"                                              \
  "        return;"                                                                    \
  "      }"                                                                            \
  "    window.glossBenchScroll = times.slice (1).map ((t, i) => t - times[i]).join (' ');" \
  "  };"                                                                               \
  "  requestAnimationFrame (step);"                                                    \
  "  return true;"                                                                     \
  "}) ()"

static char *scrolled;

/* The frame intervals once the page has them, else NULL. */
static void
scrolled_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(JSCValue) value = gloss_reader_view_run_script_finish (GLOSS_READER_VIEW (object), result, NULL);

  if (value != NULL && jsc_value_is_string (value))
    scrolled = jsc_value_to_string (value);
  *done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *folder_path = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GString) html = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) scroll_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) create_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) whole_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) burst_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) panel_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  GlossWindow *window;
  GlossAnnotator *annotator;
  GlossReaderView *reader;

  gloss_test_init (&argc, &argv);
  /* The benchmark runs on a headless X server, where GTK's GL renderer is
   * Mesa's software rasteriser: each frame then blocks the main loop for
   * 100–300 ms on its threads whatever the app does (measured: the
   * stalls were all frames, the main thread off the CPU). Drawn with
   * cairo, a frame costs what it would with a GPU, a few ms, and what is
   * left is the app's own. GSK_RENDERER=ngl (or gl) measures the other. */
  if (g_getenv ("GSK_RENDERER") == NULL)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  gtk_init ();
  adw_init ();

  folder_path = gloss_test_make_dir ("bench-library");
  folder = g_file_new_for_path (folder_path);
  library = gloss_library_new (folder);
  if (!gloss_library_load (library, NULL, &error))
    g_error ("%s", error->message);

  /* A long article (about 9,000 words) with accents and emoji, and a
   * highlight in every paragraph. */
  for (guint i = 0; i < N_ANNOTATIONS + FREE_PARAGRAPHS; i++)
    {
      g_string_append_printf (html, "<p>Paragraph %04u: the mediators in Zürich said <em>café talks</em> "
                                    "would go on 🙂 and <a href=\"https://example.org/%u\">the report</a> "
                                    "agreed, naïvely, that nothing was settled yet.</p>", i, i);
      g_string_append_printf (text, "Paragraph %04u: the mediators in Zürich said café talks "
                                    "would go on 🙂 and the report "
                                    "agreed, naïvely, that nothing was settled yet.", i);
    }

  clip = gloss_clip_new ("https://example.org/long", "A Long Article");
  if (!gloss_library_add (library, clip, html->str, text->str, &error))
    g_error ("%s", error->message);

  for (guint i = 0; i < N_ANNOTATIONS; i++)
    {
      g_autofree char *needle = g_strdup_printf ("Paragraph %04u: ", i);
      const char *at = strstr (text->str, needle);
      const char *exact = "said café talks would go on 🙂 and the report";
      const char *from = strstr (at, exact);
      guint start = g_utf8_pointer_to_offset (text->str, from);
      g_autoptr(GlossAnnotation) a = gloss_annotation_new (exact, "the mediators in Zürich ", " agreed, naïvely",
                                                           start, start + g_utf8_strlen (exact, -1),
                                                           (GlossColor)(i % GLOSS_N_COLORS));
      if (i % 3 == 0)
        gloss_annotation_set_note (a, "A note.");
      gloss_clip_add_annotation (clip, a);
    }
  if (!gloss_library_save (library, clip, &error))
    g_error ("%s", error->message);

  window = gloss_window_new (NULL);
  gloss_window_set_library (window, library, NULL);
  gtk_window_present (GTK_WINDOW (window));
  reader = gloss_window_get_reader (window);
  annotator = gloss_reader_pane_get_annotator (gloss_window_get_reader_pane (window));
  g_signal_add_emission_hook (g_signal_lookup ("article-loaded", GLOSS_TYPE_READER_VIEW), 0,
                              article_loaded_hook, NULL, NULL);
  g_signal_connect (annotator, "painted", G_CALLBACK (painted_cb), NULL);
  gtk_widget_realize (GTK_WIDGET (window));
  watch_frames (GTK_WIDGET (window));
  g_print ("renderer: %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  g_signal_connect (annotator, "highlighted", G_CALLBACK (highlighted_cb), NULL);

  /* Opening: the first run warms the web process up and is not counted. */
  for (guint run = 0; run <= OPEN_RUNS; run++)
    {
      double ms;

      loaded_at = painted_at = 0;
      opened_at = g_get_monotonic_time ();
      gloss_window_open_clip (window, clip);
      bench_wait_until (painted_at != 0 && loaded_at != 0, 60000);
      if (run > 0)
        {
          ms = (MAX (painted_at, loaded_at) - loaded_at) / 1000.0;
          g_array_append_val (open_ms, ms);
          ms = (painted_at - opened_at) / 1000.0;
          g_array_append_val (whole_ms, ms);
        }
    }

  /* Scrolling the page with its 500 highlights: how long the web
   * process takes per frame (requestAnimationFrame to the next) while it
   * scrolls 300 px a frame, three times through 120 frames. Painting a
   * highlight costs it something in every frame that shows one. */
  for (guint run = 0; run < SCROLL_RUNS; run++)
    {
      g_auto(GStrv) intervals = NULL;
      gboolean done = FALSE;

      gloss_reader_view_run_script (reader, SCROLL_SCRIPT, NULL, eval_cb, &done);
      bench_wait_until (done, 30000);
      do
        {
          gint64 settle = g_get_monotonic_time () + 200 * 1000;

          bench_wait_until (g_get_monotonic_time () > settle, 1000);
          g_clear_pointer (&scrolled, g_free);
          done = FALSE;
          gloss_reader_view_run_script (reader, "window.glossBenchScroll", NULL, scrolled_cb, &done);
          bench_wait_until (done, 30000);
        }
      while (scrolled == NULL);

      intervals = g_strsplit (scrolled, " ", -1);
      for (guint i = 0; intervals[i] != NULL; i++)
        {
          double ms = g_ascii_strtod (intervals[i], NULL);

          g_array_append_val (scroll_ms, ms);
        }
    }

  /* Creating: select the start of a paragraph without a highlight, then
   * the action; done when the file is written and the mark painted. As a
   * person does it, the page has settled (laid out and drawn the previous
   * change) before the key press; the second half of the runs goes back
   * to back instead, the page still busy drawing. */
  for (guint run = 0; run < 3 * CREATE_RUNS; run++)
    {
      g_autofree char *script = NULL;
      gboolean done = FALSE;
      gint64 start;
      double ms;

      script = g_strdup_printf ("(function () {"
                                "  const p = document.querySelectorAll ('#gloss-article p')[%u];"
                                "  const r = document.createRange ();"
                                "  r.setStart (p.firstChild, 0); r.setEnd (p.firstChild, 14);"
                                "  const s = window.getSelection (); s.removeAllRanges (); s.addRange (r);"
                                "  return true; }) ()",
                                N_ANNOTATIONS + run);
      gloss_reader_view_run_script (reader, script, NULL, eval_cb, &done);
      bench_wait_until (done, 30000);

      /* The last third with the annotations panel open, listing them. */
      if (run == 2 * CREATE_RUNS)
        {
          gint64 settle = g_get_monotonic_time () + 1000 * 1000;

          gloss_reader_pane_set_show_annotations (gloss_window_get_reader_pane (window), TRUE);
          bench_wait_until (g_get_monotonic_time () > settle, 2000);
        }

      if (run < CREATE_RUNS || run >= 2 * CREATE_RUNS)
        {
          gint64 settle = g_get_monotonic_time () + 300 * 1000;

          bench_wait_until (g_get_monotonic_time () > settle, 1000);
        }

      highlighted_at = 0;
      start = g_get_monotonic_time ();
      gtk_widget_activate_action (GTK_WIDGET (gloss_window_get_reader_pane (window)), "reader.highlight", NULL);
      bench_wait_until (highlighted_at != 0, 30000);
      ms = (highlighted_at - start) / 1000.0;
      g_array_append_val (run < CREATE_RUNS ? create_ms : run < 2 * CREATE_RUNS ? burst_ms : panel_ms, ms);
    }

  if (gloss_clip_get_n_annotations (clip) != N_ANNOTATIONS + 3 * CREATE_RUNS)
    g_error ("Expected %u annotations, found %u", N_ANNOTATIONS + 3 * CREATE_RUNS, gloss_clip_get_n_annotations (clip));

  /* 500 more highlights created back to back on the same clip ("Paragraph
   * NNNN" at the start of each annotated paragraph, free so far), the
   * main loop watched all along: the longest stall is what a person
   * would feel (typing, scrolling) while the clip, which grows from 575
   * to 1,075 annotations, is being saved. */
  {
    StallMonitor monitor = { 0 };
    double *gaps;
    double cpu_before, over_8 = 0, p99;
    gint64 began;
    guint n_gaps;
    guint before = gloss_clip_get_n_annotations (clip);

    frames = g_array_new (FALSE, FALSE, sizeof (Frame));
    began = g_get_monotonic_time ();
    cpu_before = cpu_seconds ();
    stall_monitor_start (&monitor);
    for (guint i = 0; i < N_BURST; i++)
      {
        g_autofree char *script = NULL;
        gboolean done = FALSE;

        script = g_strdup_printf ("(function () {"
                                  "  const p = document.querySelectorAll ('#gloss-article p')[%u];"
                                  "  const r = document.createRange ();"
                                  "  r.setStart (p.firstChild, 0); r.setEnd (p.firstChild, 14);"
                                  "  const s = window.getSelection (); s.removeAllRanges (); s.addRange (r);"
                                  "  return true; }) ()", i);
        gloss_reader_view_run_script (reader, script, NULL, eval_cb, &done);
        bench_wait_until (done, 30000);

        highlighted_at = 0;
        gtk_widget_activate_action (GTK_WIDGET (gloss_window_get_reader_pane (window)), "reader.highlight", NULL);
        bench_wait_until (highlighted_at != 0, 30000);
      }
    /* Until the last write is done. */
    bench_wait_until (!gloss_annotator_get_save_pending (annotator), 20000);
    stall_monitor_stop (&monitor);

    if (gloss_clip_get_n_annotations (clip) != before + N_BURST)
      g_error ("Expected %u annotations, found %u", before + N_BURST, gloss_clip_get_n_annotations (clip));

    n_gaps = monitor.gaps->len;
    g_array_sort (monitor.gaps, compare_doubles);
    gaps = (double *) monitor.gaps->data;
    for (guint i = 0; i < n_gaps; i++)
      if (gaps[i] > 8.0)
        over_8++;
    p99 = gaps[MIN (n_gaps - 1, (guint) (n_gaps * 0.99))];

    g_print ("burst: %u highlights back to back in %.0f ms (%.1f ms each, %.0f ms CPU in this process)\n",
             N_BURST, (g_get_monotonic_time () - began) / 1000.0,
             (g_get_monotonic_time () - began) / 1000.0 / N_BURST, (cpu_seconds () - cpu_before) * 1000);
    g_print ("burst: main loop gaps: longest %.1f ms (target ≤ 8 ms), p99 %.1f ms, median %.1f ms, "
             "%.0f of %u over 8 ms\n",
             gaps[n_gaps - 1], p99, gaps[n_gaps / 2], over_8, n_gaps);
    /* Where the time of the longest stalls went. */
    {
      double all_frames = 0, longest_frame = 0, layout, paint, in_frames;

      for (guint i = 0; i < frames->len; i++)
        {
          const Frame *f = &g_array_index (frames, Frame, i);

          all_frames += (f->end - f->begin) / 1000.0;
          longest_frame = MAX (longest_frame, (f->end - f->begin) / 1000.0);
        }
      g_print ("burst: %u frames drawn, %.0f ms in all, longest %.1f ms\n",
               frames->len, all_frames, longest_frame);

      /* What each stall over 8 ms was mostly made of. */
      {
        guint off_cpu = 0, drawing = 0, own = 0;

        for (guint i = 0; i < monitor.long_gaps->len; i++)
          {
            const Gap *g = &g_array_index (monitor.long_gaps, Gap, i);

            frames_within (g->asked, g->asked + (gint64) (g->ms * 1000), &in_frames, &layout, &paint);
            if (g->cpu_ms < g->ms / 4)
              off_cpu++;
            else if (in_frames >= g->ms / 2)
              drawing++;
            else
              own++;
          }
        g_print ("burst: of %u stalls over 8 ms, %u had the main thread off the CPU most of the time "
                 "(other processes, waiting), %u were mostly frames, %u mostly the app's own work\n",
                 monitor.long_gaps->len, off_cpu, drawing, own);
      }

      g_array_sort (monitor.long_gaps, compare_gaps);
      for (guint i = 0; i < MIN (monitor.long_gaps->len, 10); i++)
        {
          const Gap *g = &g_array_index (monitor.long_gaps, Gap, i);

          frames_within (g->asked, g->asked + (gint64) (g->ms * 1000), &in_frames, &layout, &paint);
          g_print ("burst: stall of %6.1f ms at %6.0f ms (monotonic %" G_GINT64_FORMAT " µs): "
                   "main thread on CPU %.1f ms, runnable but waiting for a CPU %.1f ms, asleep %.1f ms; "
                   "%.1f ms in frames (layout %.1f, drawing %.1f), %.1f ms elsewhere\n",
                   g->ms, (g->asked - began) / 1000.0, g->asked, g->cpu_ms, g->wait_ms,
                   MAX (0, g->ms - g->cpu_ms - g->wait_ms), in_frames, layout, paint,
                   g->ms - in_frames);
          /* Each frame in it, phase by phase: "update" is the frame
           * clock's tick callbacks (animations), "layout" includes the
           * toplevel's size computation (on X11, round trips to the
           * server), "drawing" snapshot and render. */
          for (guint j = 0; j < frames->len; j++)
            {
              const Frame *f = &g_array_index (frames, Frame, j);

              if (f->end <= g->asked || f->begin >= g->asked + (gint64) (g->ms * 1000))
                continue;
              g_print ("burst:     frame of %.1f ms: update %.1f, layout %.1f, drawing %.1f; "
                       "on CPU %.1f, waiting for a CPU %.1f, asleep %.1f\n",
                       (f->end - f->begin) / 1000.0,
                       f->layout ? (f->layout - f->begin) / 1000.0 : 0,
                       f->layout && f->paint ? (f->paint - f->layout) / 1000.0 : 0,
                       f->paint ? (f->end - f->paint) / 1000.0 : 0,
                       f->cpu_ms, f->wait_ms,
                       MAX (0, (f->end - f->begin) / 1000.0 - f->cpu_ms - f->wait_ms));
            }
        }
    }
    {
      double *cpu;
      guint n_cpu = monitor.cpu_gaps->len;

      g_array_sort (monitor.cpu_gaps, compare_doubles);
      cpu = (double *) monitor.cpu_gaps->data;
      g_print ("burst: main thread's own CPU time within one gap: longest %.1f ms, p99 %.1f ms, median %.1f ms\n",
               cpu[n_cpu - 1], cpu[MIN (n_cpu - 1, (guint) (n_cpu * 0.99))], cpu[n_cpu / 2]);
    }
    g_array_unref (monitor.gaps);
    g_array_unref (monitor.cpu_gaps);
    g_array_unref (monitor.long_gaps);
    g_clear_pointer (&frames, g_array_unref);
  }

  g_print ("Article: %u paragraphs, %u annotations at first\n", N_ANNOTATIONS + FREE_PARAGRAPHS, N_ANNOTATIONS);
  print_figures ("open: article shown → 500 anchored + painted", open_ms, 200);
  print_figures ("open: load started → 500 painted (whole load)", whole_ms, 1000);
  {
    double *v = (double *) scroll_ms->data;

    g_array_sort (scroll_ms, compare_doubles);
    g_print ("%-44s median %7.1f ms   p90 %7.1f ms   max %7.1f ms   (%u frames)\n",
             "scroll: the page's frame interval, 300 px a frame", v[scroll_ms->len / 2],
             v[(guint) (scroll_ms->len * 0.9)], v[scroll_ms->len - 1], scroll_ms->len);
  }
  print_figures ("create: action → clip.json written + painted", create_ms, 50);
  print_figures ("create, back to back (page still drawing)", burst_ms, 50);
  print_figures ("create, annotations panel open", panel_ms, 50);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
