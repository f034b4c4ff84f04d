/* test-live.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Highlights on the live page, in real WebKit: a page served from
 * 127.0.0.1 is clipped, highlighted through the editor (the reader's path)
 * and shown live: the marks, asked for in the private world, cover the
 * quotes in their colours; the page changed on the server and reloaded
 * keeps them, or says which are not on it; a page script that searches its
 * own DOM for a note or an id finds nothing and cannot post to Gloss; a
 * highlight made on the live page is stored in article.txt at the same
 * words; Highlight on an unclipped page asks for the clip and stores the
 * highlight once it is given. */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "gloss-anchor.h"
#include "gloss-annotator.h"
#include "gloss-browser.h"
#include "gloss-clipper.h"
#include "gloss-test-server.h"
#include "gloss-test-web.h"
#include "gloss-web-context.h"
#include "gloss-test-util.h"

#define NOTE "SECRET-NOTE-7731 about the mill"
#define LATE "Added late by a script: the mill opens at ten."

static GlossTestServer *server;
static GHashTable *pages;  /* path → HTML */

static const char *paragraphs[] = {
  "The tide mill at Woodbridge stood on the river Deben for eight hundred years, and the miller worked by the moon rather than the clock.",
  "Twice a day the sea filled the mill pond through a gate that closed by itself when the water began to fall back towards the estuary.",
  "Then the wheel turned for four or five hours, grinding corn for the town, while the miller and his boy watched the level drop inch by inch.",
  "In winter the pond froze at the edges and the quick brown water under the ice kept the wheel going when every windmill in the county was still.",
  "The last miller left in 1957, and the building was saved by people who thought a machine that ran on the moon deserved to keep running.",
  "Today the wheel turns again on summer afternoons, and children press their faces to the glass to watch the stones go round.",
};

/* The page looking for what Gloss must never show it. */
static const char hunt_script[] =
  "<script>"
  "window.hunt = function (needles) {"
  "  const found = [];"
  "  const hay = [document.documentElement.outerHTML, document.documentElement.textContent,"
  "               document.title, document.cookie];"
  "  for (const e of document.querySelectorAll ('*')) {"
  "    for (const a of e.attributes) hay.push (a.name + '=' + a.value);"
  "    if (e.shadowRoot) hay.push (e.shadowRoot.innerHTML);"
  "    hay.push (getComputedStyle (e, '::after').content);"
  "  }"
  "  if (window.CSS && CSS.highlights) for (const [k, h] of CSS.highlights) hay.push (k);"
  "  for (const k of Object.getOwnPropertyNames (window)) hay.push (k);"
  "  for (const n of needles) for (const h of hay) if (String (h).includes (n)) found.push (n);"
  "  let posted = 'no handler';"
  "  try {"
  "    if (window.webkit && window.webkit.messageHandlers && window.webkit.messageHandlers.gloss) {"
  "      window.webkit.messageHandlers.gloss.postMessage ({ type: 'mark-clicked', id: needles[1] });"
  "      posted = 'posted';"
  "    }"
  "  } catch (e) { posted = 'refused'; }"
  "  return JSON.stringify ({ found: found, posted: posted });"
  "};"
  "</script>";

/* The article with Gloss's page furniture around it; @changed: a paragraph
 * inserted before, a word edited inside highlight B, the sentence of
 * highlight C gone. */
static char *
make_page (const char *title,
           gboolean    changed)
{
  GString *html = g_string_new (NULL);

  g_string_append_printf (html,
                          "<!DOCTYPE html><html><head><meta charset='utf-8'><title>%s</title>"
                          /* A page that would hide Gloss's highlights. */
                          "<style>::highlight(gloss-yellow) { background-color: transparent !important; }"
                          " ::highlight(gloss-blue) { background: none !important; color: red !important; }"
                          " html > div { display: none !important; }</style></head><body>"
                          "<nav><a href='/'>Home</a> · <a href='/about'>About</a> · Archive</nav>"
                          "<article id='story'><h1>%s</h1>",
                          title, title);
  if (changed)
    g_string_append (html, "<p>A note from the editor: this article was updated with new pictures of the mill and of its pond.</p>");

  for (guint i = 0; i < G_N_ELEMENTS (paragraphs); i++)
    {
      g_autofree char *p = g_strdup (paragraphs[i]);

      if (changed && i == 3)
        {
          g_free (p);
          p = g_strdup ("In winter the pond froze at the edges and the swift brown water under the ice kept the wheel going when every windmill in the county was still.");
        }
      else if (changed && i == 4)
        {
          g_free (p);
          p = g_strdup ("The last miller left in 1957, and what came after is another story for another day.");
        }
      g_string_append_printf (html, "<p>%s</p>", p);
    }

  g_string_append (html, "</article><footer>Written by the Woodbridge Society.</footer>");
  g_string_append (html, hunt_script);
  g_string_append (html, "</body></html>");

  return g_string_free (html, FALSE);
}

static void
page_cb (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  const char *html = g_hash_table_lookup (pages, path);

  if (html == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, html, strlen (html));
}

typedef struct
{
  char           *folder;
  GlossLibrary   *library;
  GlossClipper   *clipper;
  GlossBrowser   *browser;
  GtkWidget      *window;
  GlossAnnotator *annotator;
  guint           painted;
  guint           changed;
  guint           highlighted;
  guint           clip_needed;
  char           *note_requested;
  GlossAnnotation *last;
  guint           activated;
  char           *activated_id;
  guint           released;
} Fixture;

static void
selection_released_cb (GlossAnnotator *annotator,
                       double          x,
                       double          y,
                       double          width,
                       double          height,
                       Fixture        *fixture)
{
  g_assert_cmpfloat (width, >, 0);
  fixture->released++;
}

static void
mark_activated_cb (GlossAnnotator *annotator,
                   const char     *id,
                   double          x,
                   double          y,
                   double          width,
                   double          height,
                   Fixture        *fixture)
{
  fixture->activated++;
  g_free (fixture->activated_id);
  fixture->activated_id = g_strdup (id);
}

static void
painted_cb (GlossAnnotator *annotator,
            Fixture        *fixture)
{
  fixture->painted++;
}

static void
changed_cb (GlossAnnotator *annotator,
            Fixture        *fixture)
{
  fixture->changed++;
}

static void
highlighted_cb (GlossAnnotator  *annotator,
                GlossAnnotation *annotation,
                Fixture         *fixture)
{
  fixture->highlighted++;
  g_set_object (&fixture->last, annotation);
}

static void
clip_needed_cb (GlossAnnotator *annotator,
                Fixture        *fixture)
{
  fixture->clip_needed++;
}

static void
note_requested_cb (GlossAnnotator *annotator,
                   const char     *id,
                   Fixture        *fixture)
{
  g_free (fixture->note_requested);
  fixture->note_requested = g_strdup (id);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  static guint n;
  g_autofree char *name = g_strdup_printf ("live-library-%u", n++);

  fixture->folder = gloss_test_make_dir (name);
  folder = g_file_new_for_path (fixture->folder);
  fixture->library = gloss_library_new (folder);
  g_assert_true (gloss_library_load (fixture->library, NULL, &error));
  g_assert_no_error (error);

  fixture->clipper = gloss_clipper_new (fixture->library);
  fixture->browser = gloss_browser_new ();
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (fixture->window),
                        GTK_WIDGET (gloss_browser_get_web_view (fixture->browser)));
  gtk_window_present (GTK_WINDOW (fixture->window));

  fixture->annotator = gloss_annotator_new_for_browser (fixture->browser);
  gloss_annotator_set_library (fixture->annotator, fixture->library);
  g_signal_connect (fixture->annotator, "painted", G_CALLBACK (painted_cb), fixture);
  g_signal_connect (fixture->annotator, "changed", G_CALLBACK (changed_cb), fixture);
  g_signal_connect (fixture->annotator, "highlighted", G_CALLBACK (highlighted_cb), fixture);
  g_signal_connect (fixture->annotator, "clip-needed", G_CALLBACK (clip_needed_cb), fixture);
  g_signal_connect (fixture->annotator, "note-requested", G_CALLBACK (note_requested_cb), fixture);
  g_signal_connect (fixture->annotator, "mark-activated", G_CALLBACK (mark_activated_cb), fixture);
  g_signal_connect (fixture->annotator, "selection-released", G_CALLBACK (selection_released_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gloss_annotator_flush (fixture->annotator);
  g_clear_object (&fixture->annotator);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->browser);
  g_clear_object (&fixture->clipper);
  g_clear_object (&fixture->library);
  g_clear_object (&fixture->last);
  g_free (fixture->note_requested);
  g_free (fixture->activated_id);
  g_free (fixture->folder);
}

static void
load_page (Fixture    *fixture,
           const char *path)
{
  WebKitWebView *web_view = gloss_browser_get_web_view (fixture->browser);
  g_autofree char *uri = gloss_test_server_uri (server, path);

  gloss_browser_load (fixture->browser, uri);
  gloss_test_wait_until (!webkit_web_view_is_loading (web_view) &&
                         g_strcmp0 (webkit_web_view_get_uri (web_view), uri) == 0, 20000);
}

typedef struct
{
  gboolean   done;
  GlossClip *clip;
  GError    *error;
} ClipResult;

static void
clip_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ClipResult *res = user_data;

  res->clip = gloss_clipper_clip_finish (GLOSS_CLIPPER (object), result, NULL, &res->error);
  res->done = TRUE;
}

static GlossClip *
clip_shown_page (Fixture *fixture)
{
  ClipResult res = { 0 };

  gloss_clipper_clip_async (fixture->clipper, gloss_browser_get_web_view (fixture->browser),
                            GLOSS_CLIP_MODE_ARTICLE, NULL, NULL, clip_done_cb, &res);
  gloss_test_wait_until (res.done, 30000);
  g_assert_no_error (res.error);
  g_assert_nonnull (res.clip);

  return res.clip;
}

static char *
private_eval (Fixture    *fixture,
              const char *script)
{
  return gloss_test_web_eval (gloss_browser_get_web_view (fixture->browser), GLOSS_SCRIPT_WORLD, script, 10000);
}

static void
async_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (object), result, &error);

  *out = value ? jsc_value_to_string (value) : g_strdup_printf ("(error: %s)", error->message);
}

/* Answers in the private world once the page's pending timers have run. */
static char *
private_eval_after_timers (Fixture *fixture)
{
  char *out = NULL;

  webkit_web_view_call_async_javascript_function (gloss_browser_get_web_view (fixture->browser),
                                                  "await new Promise (r => setTimeout (r, 0)); return 'done';", -1,
                                                  NULL, "gloss", NULL, NULL, async_cb, &out);
  gloss_test_wait_until (out != NULL, 10000);

  return out;
}

/* Runs @script as the page's own scripts run (its main world). */
static char *
page_eval (Fixture    *fixture,
           const char *script)
{
  return gloss_test_web_eval (gloss_browser_get_web_view (fixture->browser), NULL, script, 10000);
}

/* What the private world has painted: id → { text, color, note, serial }. */
static JsonObject *
painted_marks (Fixture *fixture)
{
  g_autofree char *json = private_eval (fixture, "JSON.stringify (glossHighlight.painted ())");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_mark (JsonObject *marks,
             const char *id,
             const char *text,
             const char *color,
             gboolean    note)
{
  JsonObject *mark;

  g_assert_true (json_object_has_member (marks, id));
  mark = json_object_get_object_member (marks, id);
  g_assert_cmpstr (json_object_get_string_member (mark, "text"), ==, text);
  g_assert_cmpstr (json_object_get_string_member (mark, "color"), ==, color);
  g_assert_cmpint (json_object_get_boolean_member (mark, "note"), ==, note);
}

/* Highlights @quote of article.txt as the reader does (the editor on
 * article.txt); the first occurrence. */
static GlossAnnotation *
highlight_in_reader (GlossAnnotationEditor *editor,
                     const char            *article,
                     const char            *quote,
                     GlossColor             color)
{
  const char *at = strstr (article, quote);
  g_autoptr(GError) error = NULL;
  GlossAnnotation *annotation;
  glong start;

  g_assert_nonnull (at);
  start = g_utf8_pointer_to_offset (article, at);
  annotation = gloss_annotation_editor_add (editor, start, start + g_utf8_strlen (quote, -1), color, &error);
  g_assert_no_error (error);
  g_assert_nonnull (annotation);

  return annotation;
}

typedef struct
{
  GlossClip *clip;
  char      *a;  /* yellow, with a note */
  char      *b;  /* blue; a word inside it is edited later */
  char      *c;  /* pink; its sentence goes later */
} Story;

static void
story_clear (Story *story)
{
  g_clear_object (&story->clip);
  g_free (story->a);
  g_free (story->b);
  g_free (story->c);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Story, story_clear)

#define QUOTE_A "grinding corn for the town"
#define QUOTE_B "the quick brown water under the ice kept the wheel going"
#define QUOTE_C "saved by people who thought a machine"

/* The story page clipped, three highlights made in the reader's way, and
 * the page shown live with its clip. */
static void
set_up_story (Fixture *fixture,
              Story   *story)
{
  g_autoptr(GlossAnnotationEditor) editor = gloss_annotation_editor_new ();
  g_autofree char *article = NULL;
  g_autoptr(GError) error = NULL;
  GlossAnnotation *a;

  g_hash_table_replace (pages, g_strdup ("/live/story.html"), make_page ("The Tide Mill", FALSE));
  load_page (fixture, "/live/story.html");
  story->clip = clip_shown_page (fixture);

  article = gloss_clip_load_article_text (story->clip, &error);
  g_assert_no_error (error);
  gloss_annotation_editor_set_library (editor, fixture->library);
  gloss_annotation_editor_set_clip (editor, story->clip, article, NULL);
  a = highlight_in_reader (editor, article, QUOTE_A, GLOSS_COLOR_YELLOW);
  gloss_annotation_editor_edit_note (editor, gloss_annotation_get_id (a), NOTE);
  story->a = g_strdup (gloss_annotation_get_id (a));
  story->b = g_strdup (gloss_annotation_get_id (highlight_in_reader (editor, article, QUOTE_B, GLOSS_COLOR_BLUE)));
  story->c = g_strdup (gloss_annotation_get_id (highlight_in_reader (editor, article, QUOTE_C, GLOSS_COLOR_PINK)));
  g_assert_true (gloss_annotation_editor_flush (editor, &error));
  g_assert_no_error (error);
  gloss_annotation_editor_set_clip (editor, NULL, NULL, NULL);

  /* What the window does once it knows the page is this clip's. */
  fixture->painted = 0;
  gloss_annotator_set_live_clip (fixture->annotator, story->clip);
  gloss_test_wait_until (fixture->painted > 0, 20000);
  g_assert_true (gloss_annotator_get_live (fixture->annotator));
  g_assert_null (gloss_annotator_get_reader (fixture->annotator));
  g_assert_true (gloss_annotator_get_clip (fixture->annotator) == story->clip);
}

/* GLOSS_TEST_HOLD_MS=N: the live page stays on screen that long, for a
 * screenshot (import -window root) under Xvfb. WebKit's own snapshots do
 * not draw CSS highlights, so a screenshot it must be. */
static void
maybe_hold (const char *what)
{
  const char *hold = g_getenv ("GLOSS_TEST_HOLD_MS");
  gint64 until;

  if (hold == NULL)
    return;

  g_printerr ("Holding the live page (%s) for %s ms\n", what, hold);
  until = g_get_monotonic_time () + 1000 * g_ascii_strtoll (hold, NULL, 10);
  gloss_test_wait_until (g_get_monotonic_time () > until, 600000);
}

static void
test_painted (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Story) story = { 0 };
  g_autoptr(JsonObject) marks = NULL;

  set_up_story (fixture, &story);
  maybe_hold ("with its clip");

  marks = painted_marks (fixture);
  assert_mark (marks, story.a, QUOTE_A, "yellow", TRUE);
  assert_mark (marks, story.b, QUOTE_B, "blue", FALSE);
  assert_mark (marks, story.c, QUOTE_C, "pink", FALSE);
  /* One note marker, for the one note. */
  g_assert_cmpint (json_object_get_int_member (marks, "#markers"), ==, 1);
  g_assert_true (gloss_annotator_is_on_page (fixture->annotator, story.a));
  g_assert_true (gloss_annotator_is_on_page (fixture->annotator, story.c));

  /* The popover's calls act on the live page too. */
  gloss_annotator_set_color (fixture->annotator, story.c, GLOSS_COLOR_GREEN);
  g_clear_pointer (&marks, json_object_unref);
  marks = painted_marks (fixture);
  assert_mark (marks, story.c, QUOTE_C, "green", FALSE);
  g_assert_cmpint (gloss_clip_find_annotation (story.clip, story.c) != NULL, ==, TRUE);
  g_assert_cmpint (gloss_annotation_get_color (gloss_clip_find_annotation (story.clip, story.c)), ==, GLOSS_COLOR_GREEN);

  /* No clip: every mark goes. */
  gloss_annotator_set_live_clip (fixture->annotator, NULL);
  g_clear_pointer (&marks, json_object_unref);
  marks = painted_marks (fixture);
  g_assert_false (json_object_has_member (marks, story.a));
  g_assert_cmpint (json_object_get_int_member (marks, "#markers"), ==, 0);
  {
    g_autofree char *left = private_eval (fixture, "String (CSS.highlights.size)");

    g_assert_cmpstr (left, ==, "0");
  }
  maybe_hold ("without its clip");
}

static void
test_changed (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Story) story = { 0 };
  g_autoptr(JsonObject) marks = NULL;
  gint64 serial;
  guint changed, start = 0, moved = 0;

  set_up_story (fixture, &story);

  /* The page changes on the server and is reloaded. */
  g_hash_table_replace (pages, g_strdup ("/live/story.html"), make_page ("The Tide Mill", TRUE));
  changed = fixture->changed;
  gloss_browser_reload (fixture->browser);
  /* Anchored in the new text, as far as it has come: A and B in it, C
   * gone. (Parts of a page are anchored as they arrive.) */
  gloss_test_wait_until (!webkit_web_view_is_loading (gloss_browser_get_web_view (fixture->browser)) &&
                         gloss_annotator_is_on_page (fixture->annotator, story.a) &&
                         gloss_annotator_is_on_page (fixture->annotator, story.b) &&
                         !gloss_annotator_is_on_page (fixture->annotator, story.c), 20000);

  /* Scripts run in order: this one sees what the paint did. */
  marks = painted_marks (fixture);
  /* A: where it was. */
  assert_mark (marks, story.a, QUOTE_A, "yellow", TRUE);
  /* B: a word edited inside it, found by the approximate match. */
  assert_mark (marks, story.b, "the swift brown water under the ice kept the wheel going", "blue", FALSE);
  /* C: its sentence is gone: not on this page, still in the clip. */
  g_assert_false (json_object_has_member (marks, story.c));
  g_assert_true (gloss_annotator_is_on_page (fixture->annotator, story.a));
  g_assert_true (gloss_annotator_is_on_page (fixture->annotator, story.b));
  g_assert_nonnull (gloss_clip_find_annotation (story.clip, story.c));
  g_assert_false (gloss_annotation_get_orphan (gloss_clip_find_annotation (story.clip, story.c)));
  g_assert_cmpuint (fixture->changed, >, changed);

  /* Text a script adds later: sent again, anchored again, and what was
   * painted right is left as it is (the same range object). */
  serial = json_object_get_int_member (json_object_get_object_member (marks, story.a), "serial");
  g_assert_true (gloss_annotator_get_range (fixture->annotator, story.a, &start, NULL));
  g_free (page_eval (fixture,
                     "const p = document.createElement ('p');"
                     "p.textContent = '" LATE "';"
                     "document.getElementById ('story').insertBefore (p, document.querySelector ('#story p'));"
                     "'done'"));
  gloss_test_wait_until (gloss_annotator_get_range (fixture->annotator, story.a, &moved, NULL) &&
                         moved == start + strlen (LATE), 10000);
  g_clear_pointer (&marks, json_object_unref);
  marks = painted_marks (fixture);
  assert_mark (marks, story.a, QUOTE_A, "yellow", TRUE);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (marks, story.a), "serial"), ==, serial);
  assert_mark (marks, story.b, "the swift brown water under the ice kept the wheel going", "blue", FALSE);
  maybe_hold ("changed");
}

static void
test_privacy (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Story) story = { 0 };
  g_autofree char *script = NULL;
  g_autofree char *result = NULL;
  g_autoptr(JsonObject) marks = NULL;
  guint before;

  set_up_story (fixture, &story);
  marks = painted_marks (fixture);
  g_assert_true (json_object_has_member (marks, story.a));

  before = fixture->changed;
  script = g_strdup_printf ("hunt (['%s', '%s', '%s', '%s', 'SECRET-NOTE'])", NOTE, story.a, story.b, story.c);
  result = page_eval (fixture, script);
  g_assert_cmpstr (result, ==, "{\"found\":[],\"posted\":\"no handler\"}");

  /* Nor do the page's scripts see our calls. */
  g_free (result);
  result = page_eval (fixture, "String (typeof window.glossHighlight)");
  g_assert_cmpstr (result, ==, "undefined");
  g_assert_cmpuint (fixture->changed, ==, before);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  double   rect[4];
} RectResult;

static void
rect_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  RectResult *res = user_data;
  g_autoptr(GError) error = NULL;

  res->ok = gloss_annotator_get_mark_rect_finish (GLOSS_ANNOTATOR (object), result,
                                                  &res->rect[0], &res->rect[1], &res->rect[2], &res->rect[3],
                                                  &error);
  g_assert_no_error (error);
  res->done = TRUE;
}

/* A click on a highlight opens it (the popover); a click the page makes
 * up does not; a selection dragged over other words offers the popover.
 * The real mouse is xdotool's on the test's X server. */
static void
test_click (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(Story) story = { 0 };
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autofree char *fake = NULL;
  g_autofree char *command = NULL;
  g_autofree char *search = NULL;
  g_autofree char *windows = NULL;
  g_autoptr(GError) error = NULL;
  RectResult res = { 0 };
  graphene_point_t in, out;
  double sx = 0, sy = 0;
  int status;

  if (xdotool == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("Needs xdotool and an X server");
      return;
    }

  set_up_story (fixture, &story);
  gloss_annotator_get_mark_rect_async (fixture->annotator, story.b, NULL, rect_cb, &res);
  gloss_test_wait_until (res.done, 10000);
  g_assert_true (res.ok);
  g_assert_cmpfloat (res.rect[2], >, 0);

  /* The page's own scripts make up a click on it: nothing opens. */
  fake = g_strdup_printf ("document.elementFromPoint (%f, %f).dispatchEvent ("
                          "  new MouseEvent ('mouseup', { clientX: %f, clientY: %f, button: 0, bubbles: true }));"
                          "'done'",
                          res.rect[0] + 10, res.rect[1] + res.rect[3] / 2,
                          res.rect[0] + 10, res.rect[1] + res.rect[3] / 2);
  g_free (page_eval (fixture, fake));
  /* Timers run in order: once a later one has, a message the made-up
   * click caused would have been posted, and it comes before the answer. */
  g_free (private_eval_after_timers (fixture));
  g_assert_cmpuint (fixture->activated, ==, 0);

  /* The user's click, in the pixels of our X window. */
  search = g_strdup_printf ("%s search --onlyvisible --pid %d", xdotool, (int) getpid ());
  g_assert_true (g_spawn_command_line_sync (search, &windows, NULL, &status, &error));
  g_assert_no_error (error);
  if (windows == NULL || !g_ascii_isdigit (windows[0]))
    {
      g_test_skip ("xdotool does not find the test's window");
      return;
    }
  in = GRAPHENE_POINT_INIT (res.rect[0] + 10, res.rect[1] + res.rect[3] / 2);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (gloss_browser_get_web_view (fixture->browser)),
                                           fixture->window, &in, &out));
  gtk_native_get_surface_transform (GTK_NATIVE (fixture->window), &sx, &sy);
  command = g_strdup_printf ("%s mousemove --sync --window %" G_GUINT64_FORMAT " %d %d click 1", xdotool,
                             g_ascii_strtoull (windows, NULL, 10), (int) (out.x + sx), (int) (out.y + sy));
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  gloss_test_wait_until (fixture->activated > 0, 10000);
  g_assert_cmpuint (fixture->activated, ==, 1);
  g_assert_cmpstr (fixture->activated_id, ==, story.b);

  /* The user drags over words that are no highlight: the popover's
   * "selection-released". */
  g_free (fake);
  fake = page_eval (fixture,
                    "(function () {"
                    "  const w = document.createTreeWalker (document.body, NodeFilter.SHOW_TEXT);"
                    "  for (let n = w.nextNode (); n; n = w.nextNode ()) {"
                    "    const i = n.data.indexOf ('Twice a day the sea');"
                    "    if (i < 0) continue;"
                    "    const r = document.createRange (); r.setStart (n, i); r.setEnd (n, i + 19);"
                    "    const b = r.getBoundingClientRect ();"
                    "    return [b.left, b.top + b.height / 2, b.right].join (' ');"
                    "  }"
                    "  return '';"
                    "}) ()");
  {
    g_auto(GStrv) xy = g_strsplit (fake, " ", -1);
    double left, middle, right;
    /* From the page's pixels to the window's. */
    double dx = out.x - in.x + sx, dy = out.y - in.y + sy;

    g_assert_cmpuint (g_strv_length (xy), ==, 3);
    left = g_ascii_strtod (xy[0], NULL) + 2;
    middle = g_ascii_strtod (xy[1], NULL);
    right = g_ascii_strtod (xy[2], NULL) - 2;
    g_free (command);
    command = g_strdup_printf ("%s mousemove --sync --window %" G_GUINT64_FORMAT " %d %d mousedown 1 "
                               "mousemove --sync --window %" G_GUINT64_FORMAT " %d %d mouseup 1", xdotool,
                               g_ascii_strtoull (windows, NULL, 10), (int) (left + dx), (int) (middle + dy),
                               g_ascii_strtoull (windows, NULL, 10), (int) (right + dx), (int) (middle + dy));
  }
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  gloss_test_wait_until (fixture->released > 0, 10000);
  g_assert_cmpuint (fixture->activated, ==, 1);
}

/* Selects from the start of @from to the end of @to inside the story,
 * by a script of the page itself. */
static void
select_in_page (Fixture    *fixture,
                const char *from,
                const char *to)
{
  g_autofree char *script = NULL;
  g_autofree char *result = NULL;

  script = g_strdup_printf (
    "(function (from, to) {"
    "  const walker = document.createTreeWalker (document.body, NodeFilter.SHOW_TEXT);"
    "  const range = document.createRange ();"
    "  for (let n = walker.nextNode (); n; n = walker.nextNode ()) {"
    "    const i = n.data.indexOf (from);"
    "    if (i < 0) continue;"
    "    const j = n.data.indexOf (to, i);"
    "    range.setStart (n, i); range.setEnd (n, j + to.length); break;"
    "  }"
    "  const sel = window.getSelection ();"
    "  sel.removeAllRanges (); sel.addRange (range);"
    "  return sel.toString ();"
    "}) ('%s', '%s')",
    from, to);
  result = page_eval (fixture, script);
  g_assert_cmpuint (strlen (result), >, 0);
}

/* @annotation's quote is at its stored position in article.txt: where
 * the reader shows it. */
static void
assert_in_article (GlossClip       *clip,
                   GlossAnnotation *annotation,
                   const char      *quote)
{
  g_autofree char *article = gloss_clip_load_article_text (clip, NULL);
  g_autoptr(GlossText) text = gloss_text_new (article, -1);
  g_autofree char *at = gloss_text_substring (text, gloss_annotation_get_start (annotation),
                                              gloss_annotation_get_end (annotation));
  guint start, end;

  g_assert_cmpstr (gloss_annotation_get_exact (annotation), ==, quote);
  g_assert_cmpstr (at, ==, quote);
  g_assert_cmpint (gloss_anchor_annotation (text, annotation, &start, &end), ==, GLOSS_ANCHOR_POSITION);
}

static void
test_highlight_live (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Story) story = { 0 };
  g_autoptr(JsonObject) marks = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  const char *id;

  set_up_story (fixture, &story);

  select_in_page (fixture, "watched the level", "inch by inch");
  gloss_annotator_highlight_selection (fixture->annotator, GLOSS_COLOR_GREEN, FALSE);
  gloss_test_wait_until (fixture->highlighted == 1, 10000);

  id = gloss_annotation_get_id (fixture->last);
  g_assert_true (gloss_clip_find_annotation (story.clip, id) == fixture->last);
  assert_in_article (story.clip, fixture->last, "watched the level drop inch by inch");
  marks = painted_marks (fixture);
  assert_mark (marks, id, "watched the level drop inch by inch", "green", FALSE);

  /* On disk, once written. */
  gloss_annotator_flush (fixture->annotator);
  path = g_build_filename (g_file_peek_path (gloss_clip_get_folder (story.clip)), "clip.json", NULL);
  json = gloss_test_read_file (path);
  g_assert_nonnull (strstr (json, id));
  g_assert_nonnull (strstr (json, "watched the level drop inch by inch"));
}

static void
selected_text_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gloss_annotator_get_selected_text_finish (GLOSS_ANNOTATOR (object), result, &error);
  g_assert_no_error (error);
}

static void
test_clip_needed (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GlossClip) clip = NULL;
  g_autofree char *result = NULL;
  g_autofree char *selected = NULL;
  GlossAnnotation *annotation;

  g_hash_table_replace (pages, g_strdup ("/live/other.html"), make_page ("The Other Mill", FALSE));
  load_page (fixture, "/live/other.html");

  /* A page with no clip runs none of our highlight script. */
  result = private_eval (fixture, "String (typeof window.glossHighlight)");
  g_assert_cmpstr (result, ==, "undefined");

  select_in_page (fixture, "the miller worked", "the clock");
  /* What the popover shows of the selection, on a page with no clip. */
  gloss_annotator_get_selected_text_async (fixture->annotator, NULL, selected_text_cb, &selected);
  gloss_test_wait_until (selected != NULL, 10000);
  g_assert_cmpstr (selected, ==, "the miller worked by the moon rather than the clock");
  gloss_annotator_highlight_selection (fixture->annotator, GLOSS_COLOR_PINK, TRUE);
  gloss_test_wait_until (fixture->clip_needed == 1, 10000);
  g_assert_cmpuint (fixture->highlighted, ==, 0);

  /* The window clips the page and says so. */
  clip = clip_shown_page (fixture);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 0);
  gloss_annotator_set_live_clip (fixture->annotator, clip);
  gloss_test_wait_until (fixture->highlighted == 1, 10000);

  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);
  annotation = fixture->last;
  g_assert_cmpint (gloss_annotation_get_color (annotation), ==, GLOSS_COLOR_PINK);
  assert_in_article (clip, annotation, "the miller worked by the moon rather than the clock");
  g_assert_cmpstr (fixture->note_requested, ==, gloss_annotation_get_id (annotation));
  g_assert_true (gloss_annotator_is_on_page (fixture->annotator, gloss_annotation_get_id (annotation)));

  /* Once stored, it is not stored again by a later set. */
  fixture->painted = 0;
  gloss_annotator_set_live_clip (fixture->annotator, clip);
  gloss_test_wait_until (fixture->painted > 0, 10000);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 1);
}

/* A navigation, or no clip after all, drops a highlight waiting for its
 * clip. */
static void
test_pending_dropped (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GlossClip) clip = NULL;

  g_hash_table_replace (pages, g_strdup ("/live/third.html"), make_page ("The Third Mill", FALSE));
  g_hash_table_replace (pages, g_strdup ("/live/fourth.html"), make_page ("The Fourth Mill", FALSE));
  load_page (fixture, "/live/third.html");
  select_in_page (fixture, "Twice a day", "the mill pond");
  gloss_annotator_highlight_selection (fixture->annotator, GLOSS_COLOR_BLUE, FALSE);
  gloss_test_wait_until (fixture->clip_needed == 1, 10000);

  load_page (fixture, "/live/fourth.html");
  clip = clip_shown_page (fixture);
  fixture->painted = 0;
  gloss_annotator_set_live_clip (fixture->annotator, clip);
  gloss_test_wait_until (fixture->painted > 0, 10000);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 0);
  g_assert_cmpuint (fixture->highlighted, ==, 0);

  /* So does a set_live_clip (NULL): the page could not be clipped. */
  gloss_annotator_set_live_clip (fixture->annotator, NULL);
  select_in_page (fixture, "Twice a day", "the mill pond");
  gloss_annotator_highlight_selection (fixture->annotator, GLOSS_COLOR_BLUE, FALSE);
  gloss_test_wait_until (fixture->clip_needed == 2, 10000);
  gloss_annotator_set_live_clip (fixture->annotator, NULL);
  fixture->painted = 0;
  gloss_annotator_set_live_clip (fixture->annotator, clip);
  gloss_test_wait_until (fixture->painted > 0, 10000);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 0);
  g_assert_cmpuint (fixture->highlighted, ==, 0);
}

/* @id is anchored in the live text at @quote. */
static void
assert_placed (Fixture    *fixture,
               const char *id,
               const char *quote)
{
  GlossAnnotationEditor *editor = gloss_annotator_get_editor (fixture->annotator);
  g_autofree char *words = NULL;
  guint start, end;

  g_assert_true (gloss_annotator_get_range (fixture->annotator, id, &start, &end));
  words = gloss_text_substring (gloss_annotation_editor_get_text (editor), start, end);
  g_assert_cmpstr (words, ==, quote);
}

/* Changes the page's own DOM with @script and waits until Gloss has its
 * new text and painted again. */
static void
change_page (Fixture    *fixture,
             const char *script)
{
  guint painted = fixture->painted;

  g_free (page_eval (fixture, script));
  gloss_test_wait_until (fixture->painted > painted, 10000);
}

/* A page that changes itself away from its highlights (a ticker) is not
 * anchored anew each time: the highlights move with the text around
 * them. A change that touches a highlight's words or context is. */
static void
test_ticker (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Story) story = { 0 };
  g_autoptr(JsonObject) marks = NULL;
  GlossAnnotationEditor *editor;
  guint runs;

  set_up_story (fixture, &story);
  editor = gloss_annotator_get_editor (fixture->annotator);
  runs = gloss_annotation_editor_get_n_anchor_all (editor);

  /* Before every highlight (the menu), then after them (the footer). */
  for (guint tick = 1; tick <= 3; tick++)
    {
      g_autofree char *script = g_strdup_printf ("document.querySelector ('nav').lastChild.data = "
                                                 "' · Archive (%u new stories)'; 'ok'", tick * 10);

      change_page (fixture, script);
      assert_placed (fixture, story.a, QUOTE_A);
      assert_placed (fixture, story.b, QUOTE_B);
      assert_placed (fixture, story.c, QUOTE_C);
    }
  change_page (fixture, "document.querySelector ('footer').textContent = 'Written by the Woodbridge Society, 2026.'; 'ok'");
  assert_placed (fixture, story.c, QUOTE_C);
  g_assert_cmpuint (gloss_annotation_editor_get_n_anchor_all (editor), ==, runs);
  marks = painted_marks (fixture);
  assert_mark (marks, story.a, QUOTE_A, "yellow", TRUE);
  assert_mark (marks, story.b, QUOTE_B, "blue", FALSE);
  assert_mark (marks, story.c, QUOTE_C, "pink", FALSE);

  /* Right after highlight A's words: found anew, at the same words. */
  change_page (fixture,
               "(function () {"
               "  for (const p of document.querySelectorAll ('p'))"
               "    if (p.textContent.includes ('" QUOTE_A "'))"
               "      p.firstChild.data = p.firstChild.data.replace ('" QUOTE_A "', '" QUOTE_A " and the farms');"
               "  return 'ok';"
               "}) ()");
  g_assert_cmpuint (gloss_annotation_editor_get_n_anchor_all (editor), >, runs);
  assert_placed (fixture, story.a, QUOTE_A);
  assert_placed (fixture, story.c, QUOTE_C);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gloss_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server = gloss_test_server_new ();
  soup_server_add_handler (gloss_test_server_get_server (server), "/live", page_cb, NULL, NULL);

  g_test_add ("/live/painted", Fixture, NULL, fixture_set_up, test_painted, fixture_tear_down);
  g_test_add ("/live/changed", Fixture, NULL, fixture_set_up, test_changed, fixture_tear_down);
  g_test_add ("/live/click", Fixture, NULL, fixture_set_up, test_click, fixture_tear_down);
  g_test_add ("/live/privacy", Fixture, NULL, fixture_set_up, test_privacy, fixture_tear_down);
  g_test_add ("/live/highlight", Fixture, NULL, fixture_set_up, test_highlight_live, fixture_tear_down);
  g_test_add ("/live/clip-needed", Fixture, NULL, fixture_set_up, test_clip_needed, fixture_tear_down);
  g_test_add ("/live/ticker", Fixture, NULL, fixture_set_up, test_ticker, fixture_tear_down);
  g_test_add ("/live/pending-dropped", Fixture, NULL, fixture_set_up, test_pending_dropped, fixture_tear_down);

  status = g_test_run ();

  gloss_test_server_free (server);
  g_hash_table_unref (pages);

  return status;
}
