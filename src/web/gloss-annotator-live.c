/* gloss-annotator-live.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The annotator's live mode: the clip's highlights on the live page a
 * GlossBrowser shows. The page script (gloss-live.js with gloss-paint.js, in the private gloss
 * world, sent with the first call on each page that has a clip) hands over
 * the page's text and later changes of it; the editor anchors the clip's
 * annotations in that text by quote and context first
 * (gloss_annotation_editor_set_live_text ()), and the page paints what it
 * is told, leaving alone what is painted right already. Everything else —
 * colour, note, delete, undo, the selection made into a highlight — is the
 * reader's code in gloss-annotator*.c, which talks to either page through
 * the same glossHighlight calls. A highlight asked for on a page with no
 * clip is kept by its quote and context ("clip-needed") until the window
 * gives the clip. */

#define G_LOG_DOMAIN "gloss-annotator"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gloss-anchor.h"
#include "gloss-annotator-private.h"
#include "gloss-web-context.h"

/* A highlight asked for before its page had a clip (or its text was
 * anchored): the selection by its quote and context in the live text. */
struct _LivePending
{
  char       *exact;
  char       *prefix;
  char       *suffix;
  guint       start;
  GlossColor  color;
  gboolean    open_note;
};

static void
live_pending_free (LivePending *pending)
{
  g_free (pending->exact);
  g_free (pending->prefix);
  g_free (pending->suffix);
  g_free (pending);
}

static void
drop_pending (GlossAnnotator *self)
{
  g_clear_pointer (&self->live_pending, live_pending_free);
}

/* A highlight needs the page clipped first: the page is not in the
 * library, or it is but not clipped yet (an imported item: no
 * article.txt, FORMAT.md), so there is no text to store it against. */
gboolean
_gloss_annotator_live_needs_clip (GlossAnnotator *self)
{
  return self->live_clip == NULL || self->live_article == NULL || *self->live_article == '\0';
}

WebKitWebView *
_gloss_annotator_get_web_view (GlossAnnotator *self)
{
  if (self->browser != NULL)
    return gloss_browser_get_web_view (self->browser);

  return gloss_reader_view_get_web_view (self->reader);
}

char *
_gloss_annotator_live_script (GlossAnnotator *self,
                              const char     *script)
{
  static char *source;

  if (self->live_script_sent)
    return g_strdup (script);

  if (source == NULL)
    {
      g_autofree char *text = gloss_web_load_script ("gloss-text.js");
      g_autofree char *paint = gloss_web_load_script ("gloss-paint.js");
      g_autofree char *live = gloss_web_load_script ("gloss-live.js");

      source = g_strconcat (text, "\n;\n", paint, "\n;\n", live, NULL);
    }

  /* It defines window.glossHighlight once per page, and does nothing when
   * it is there already. */
  self->live_script_sent = TRUE;
  return g_strconcat (source, "\n;\n", script, NULL);
}

/* Whatever was asked of the page that goes is dropped with it. */
static void
forget_page (GlossAnnotator *self)
{
  self->live_token++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  drop_pending (self);
  g_clear_object (&self->live_added);
  g_clear_pointer (&self->live_text, g_free);
  self->live_anchored = FALSE;
  self->painted = FALSE;
}

/* "changed" when which annotations are on the page changed. */
static void
update_on_page (GlossAnnotator *self)
{
  g_autoptr(GString) signature = g_string_new (NULL);
  GListModel *annotations;
  guint n;

  if (self->live_clip != NULL && self->live_anchored)
    {
      annotations = gloss_clip_get_annotations (self->live_clip);
      n = g_list_model_get_n_items (annotations);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (annotations, i);
          const char *id = gloss_annotation_get_id (annotation);

          g_string_append (signature, id);
          g_string_append_c (signature, gloss_annotation_editor_get_range (self->editor, id, NULL, NULL) ? '+' : '-');
        }
    }

  if (g_strcmp0 (signature->str, self->live_on_page) == 0)
    return;

  g_free (self->live_on_page);
  self->live_on_page = g_string_free (g_steal_pointer (&signature), FALSE);
  _gloss_annotator_emit_changed (self);
}

static void
gloss_annotator_live_painted_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GlossAnnotator) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GlossAnnotation) added = NULL;

  g_assert (GLOSS_IS_ANNOTATOR (self));

  value = _gloss_annotator_run_script_finish (self, result, &error);
  if (value == NULL)
    {
      /* Cancelled: the page went, or the clip did. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not paint the highlights on the page: %s", error->message);
      return;
    }

  _gloss_annotator_emit_painted (self);

  added = g_steal_pointer (&self->live_added);
  if (added != NULL && gloss_annotation_editor_lookup (self->editor, gloss_annotation_get_id (added)) == added)
    _gloss_annotator_emit_highlighted (self, added, self->live_added_note);
}

void
_gloss_annotator_live_paint_all (GlossAnnotator *self)
{
  g_autofree char *json = NULL;
  g_autofree char *script = NULL;

  if (self->live_clip == NULL || !self->live_anchored)
    return;

  /* What is painted right already stays as it is: no flicker. */
  json = _gloss_annotator_placed_json (self, NULL, TRUE);
  script = g_strdup_printf ("glossHighlight.sync (%s)", json);
  self->painted = FALSE;
  _gloss_annotator_run_script (self, script, gloss_annotator_live_painted_cb, g_object_ref (self));
}

void
_gloss_annotator_live_reload_article (GlossAnnotator *self)
{
  g_autofree char *article = NULL;

  if (self->live_clip == NULL)
    return;

  article = gloss_clip_load_article_text (self->live_clip, NULL);
  if (article == NULL)
    article = g_strdup ("");
  if (g_strcmp0 (article, self->live_article) == 0)
    return;

  g_debug ("The article of clip %s changed: new highlights are found in the new one",
           gloss_clip_get_id (self->live_clip));
  g_free (self->live_article);
  self->live_article = g_steal_pointer (&article);
  gloss_annotation_editor_set_live_text (self->editor, self->live_clip,
                                         self->live_text != NULL ? self->live_text : "",
                                         self->live_article);
  update_on_page (self);
}

/* The pending highlight, once the page's text is anchored: found again
 * in it by its quote (the page may have changed meanwhile) and stored;
 * "highlighted" follows the paint. */
static void
resolve_pending (GlossAnnotator *self)
{
  LivePending *pending = self->live_pending;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossAnnotation) annotation = NULL;
  GlossText *text;
  guint start, end;

  /* A clip not clipped yet: it waits for the article the window clips. */
  if (pending == NULL || _gloss_annotator_live_needs_clip (self) || !self->live_anchored)
    return;

  self->live_pending = NULL;
  text = gloss_annotation_editor_get_text (self->editor);
  if (text == NULL ||
      gloss_anchor_quote_near (text, pending->exact, pending->prefix, pending->suffix,
                               pending->start, &start, &end) == GLOSS_ANCHOR_ORPHAN)
    {
      _gloss_annotator_report_error (self, _("The selected passage is no longer on the page, so it was not highlighted"));
      live_pending_free (pending);
      return;
    }

  annotation = gloss_annotation_editor_add (self->editor, start, end, pending->color, &error);
  if (annotation == NULL)
    _gloss_annotator_report_error (self, error->message);
  else
    {
      g_set_object (&self->live_added, annotation);
      self->live_added_note = pending->open_note;
    }

  live_pending_free (pending);
}

/* A page that changes itself (a ticker, a clock, a counter) sends its
 * text again and again, each time changed in one small place. When that
 * place is away from every highlight on the page (and from the context
 * each was found by), no highlight is missing from the page, and no
 * highlight's quote is in what changed, anchoring again would find every
 * highlight where it was: the ranges after the change just move. */
static gboolean
shift_live_text (GlossAnnotator *self,
                 const char     *text)
{
  const char *old = self->live_text;
  gsize old_len, new_len, prefix = 0, suffix = 0, max_suffix;
  guint at, removed, added;
  GListModel *annotations;
  guint n;

  if (!self->live_anchored || old == NULL)
    return FALSE;

  old_len = strlen (old);
  new_len = strlen (text);
  while (prefix < old_len && prefix < new_len && old[prefix] == text[prefix])
    prefix++;
  while (prefix > 0 && (old[prefix] & 0xC0) == 0x80)
    prefix--;
  max_suffix = MIN (old_len, new_len) - prefix;
  while (suffix < max_suffix && old[old_len - 1 - suffix] == text[new_len - 1 - suffix])
    suffix++;
  while (suffix > 0 && (old[old_len - suffix] & 0xC0) == 0x80)
    suffix--;

  at = g_utf8_strlen (old, prefix);
  removed = g_utf8_strlen (old + prefix, old_len - suffix - prefix);
  added = g_utf8_strlen (text + prefix, new_len - suffix - prefix);

  annotations = gloss_clip_get_annotations (self->live_clip);
  n = g_list_model_get_n_items (annotations);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossAnnotation) annotation = g_list_model_get_item (annotations, i);
      const char *exact = gloss_annotation_get_exact (annotation);
      gsize exact_len = strlen (exact);
      gsize from, to;
      guint start, end;

      /* Missing: the change may be what brings it. */
      if (!gloss_annotation_editor_get_range (self->editor, gloss_annotation_get_id (annotation), &start, &end))
        return FALSE;

      /* Its words, or the context it was found by, changed. */
      if (!(end + g_utf8_strlen (gloss_annotation_get_suffix (annotation), -1) <= at ||
            start >= at + removed + g_utf8_strlen (gloss_annotation_get_prefix (annotation), -1)))
        return FALSE;

      /* Its quote is in the new text now, where it could be found. */
      from = prefix >= exact_len ? prefix - exact_len + 1 : 0;
      to = MIN (new_len, new_len - suffix + exact_len - 1);
      if (exact_len > 0 && to > from && g_strstr_len (text + from, to - from, exact) != NULL)
        return FALSE;
    }

  gloss_annotation_editor_shift_live_text (self->editor, text, at, removed, added);
  return TRUE;
}

/* The page's text, first or changed: anchor and paint. */
static void
text_arrived (GlossAnnotator *self,
              const char     *text)
{
  gint64 begin = g_get_monotonic_time ();

  if (self->live_clip == NULL || text == NULL)
    return;

  /* The page sends only a text that changed; a start asks again. */
  if (self->live_anchored && g_strcmp0 (text, self->live_text) == 0)
    return;

  if (!shift_live_text (self, text))
    gloss_annotation_editor_set_live_text (self->editor, self->live_clip, text, self->live_article);
  g_free (self->live_text);
  self->live_text = g_strdup (text);
  self->live_anchored = TRUE;
  g_debug ("Live page text of %zu bytes anchored in %.1f ms",
           strlen (text), (g_get_monotonic_time () - begin) / 1000.0);

  resolve_pending (self);
  _gloss_annotator_live_paint_all (self);
  update_on_page (self);
}

typedef struct
{
  GlossAnnotator *self;
  guint           token;
} StartData;

static void
gloss_annotator_live_started_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  StartData *data = user_data;
  g_autoptr(GlossAnnotator) self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;
  g_autofree char *text = NULL;
  guint token = data->token;

  g_free (data);
  g_assert (GLOSS_IS_ANNOTATOR (self));

  value = _gloss_annotator_run_script_finish (self, result, &error);
  if (value == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The live page gave no text: %s", error->message);
      return;
    }

  if (token != self->live_token || !jsc_value_is_string (value))
    return;

  text = jsc_value_to_string (value);
  text_arrived (self, text);
}

/* Asks the page for its text: the script (once), the observer that sends
 * later changes, the listeners for clicks and selections. */
static void
start (GlossAnnotator *self)
{
  g_autofree char *script = NULL;
  StartData *data;

  if (self->live_clip == NULL || self->live_leaving)
    return;

  data = g_new0 (StartData, 1);
  data->self = g_object_ref (self);
  data->token = ++self->live_token;
  script = g_strdup_printf ("glossHighlight.start ('%u')", data->token);
  _gloss_annotator_run_script (self, script, gloss_annotator_live_started_cb, data);
}

static void
gloss_annotator_live_load_changed_cb (GlossAnnotator  *self,
                                      WebKitLoadEvent  event,
                                      WebKitWebView   *web_view)
{
  g_assert (GLOSS_IS_ANNOTATOR (self));
  g_assert (WEBKIT_IS_WEB_VIEW (web_view));

  switch (event)
    {
    case WEBKIT_LOAD_STARTED:
      self->live_leaving = TRUE;
      forget_page (self);
      break;

    case WEBKIT_LOAD_REDIRECTED:
      break;

    case WEBKIT_LOAD_COMMITTED:
      /* A new document: the marks went with the old one. */
      self->live_leaving = FALSE;
      self->live_script_sent = FALSE;
      forget_page (self);
      if (self->live_clip != NULL)
        {
          gloss_annotation_editor_set_live_text (self->editor, self->live_clip, "", self->live_article);
          update_on_page (self);
          /* As the page is built: the observer sends its text as it grows. */
          start (self);
        }
      break;

    case WEBKIT_LOAD_FINISHED:
      self->live_leaving = FALSE;
      start (self);
      break;

    default:
      break;
    }
}

static void
gloss_annotator_live_message_cb (GlossAnnotator *self,
                                 JSCValue       *message,
                                 GlossBrowser   *browser)
{
  g_autofree char *type = gloss_web_message_dup_string (message, "type");
  g_autofree char *token = gloss_web_message_dup_string (message, "token");
  g_autofree char *current = g_strdup_printf ("%u", self->live_token);

  g_assert (GLOSS_IS_ANNOTATOR (self));
  g_assert (GLOSS_IS_BROWSER (browser));

  /* From a page or a start that is gone: says nothing of this one. */
  if (type == NULL || self->live_clip == NULL || g_strcmp0 (token, current) != 0)
    return;

  if (g_str_equal (type, "live-text"))
    {
      g_autofree char *text = gloss_web_message_dup_string (message, "text");

      text_arrived (self, text);
      return;
    }

  if (self->live_anchored)
    _gloss_annotator_handle_message (self, message);
}

static gboolean
is_blank (const char *s)
{
  for (; *s != '\0'; s = g_utf8_next_char (s))
    if (!g_unichar_isspace (g_utf8_get_char (s)))
      return FALSE;
  return TRUE;
}

typedef struct
{
  GlossAnnotator *self;
  GlossColor      color;
  gboolean        open_note;
} CaptureData;

static void
gloss_annotator_live_captured_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  CaptureData *data = user_data;
  g_autoptr(GlossAnnotator) self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;
  LivePending *pending;
  GlossColor color = data->color;
  gboolean open_note = data->open_note;
  guint start = 0;

  g_free (data);
  g_assert (GLOSS_IS_ANNOTATOR (self));

  value = _gloss_annotator_run_script_finish (self, result, &error);
  if (value == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  pending = g_new0 (LivePending, 1);
  pending->exact = value ? gloss_web_message_dup_string (value, "exact") : NULL;
  pending->prefix = value ? gloss_web_message_dup_string (value, "prefix") : NULL;
  pending->suffix = value ? gloss_web_message_dup_string (value, "suffix") : NULL;
  if (pending->exact == NULL || is_blank (pending->exact) ||
      pending->prefix == NULL || pending->suffix == NULL ||
      !_gloss_annotator_message_get_uint (value, "start", &start))
    {
      live_pending_free (pending);
      _gloss_annotator_report_error (self, _("Select some text of the page first"));
      return;
    }

  pending->start = start;
  pending->color = color;
  pending->open_note = open_note;
  drop_pending (self);
  self->live_pending = pending;

  if (_gloss_annotator_live_needs_clip (self))
    {
      _gloss_annotator_emit_clip_needed (self);
      return;
    }

  /* The clip's text was anchored meanwhile. */
  if (self->live_anchored)
    {
      resolve_pending (self);
      _gloss_annotator_live_paint_all (self);
    }
}

void
_gloss_annotator_live_capture (GlossAnnotator *self,
                               GlossColor      color,
                               gboolean        open_note)
{
  CaptureData *data = g_new0 (CaptureData, 1);

  data->self = g_object_ref (self);
  data->color = color;
  data->open_note = open_note;
  _gloss_annotator_run_script (self, "glossHighlight.capture ()", gloss_annotator_live_captured_cb, data);
}

void
_gloss_annotator_live_dispose (GlossAnnotator *self)
{
  if (self->browser == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->browser, self);
  g_signal_handlers_disconnect_by_data (gloss_browser_get_web_view (self->browser), self);
  drop_pending (self);
  g_clear_object (&self->live_added);
  g_clear_object (&self->live_clip);
  g_clear_pointer (&self->live_article, g_free);
  g_clear_pointer (&self->live_text, g_free);
  g_clear_pointer (&self->live_on_page, g_free);
  g_clear_object (&self->browser);
}

GlossAnnotator *
gloss_annotator_new_for_browser (GlossBrowser *browser)
{
  GlossAnnotator *self;
  WebKitWebView *web_view;
  WebKitUserContentManager *manager;

  g_return_val_if_fail (GLOSS_IS_BROWSER (browser), NULL);

  self = g_object_new (GLOSS_TYPE_ANNOTATOR, NULL);
  self->browser = g_object_ref (browser);
  web_view = gloss_browser_get_web_view (browser);

  /* The colours, at the user level: the page's CSS cannot override them.
   * Only ::highlight() rules: nothing of the page matches them. */
  manager = webkit_web_view_get_user_content_manager (web_view);
  _gloss_annotator_add_style_sheet (manager, "highlight.css");

  /* The page already shown may be mid-load: a start waits for its commit. */
  self->live_leaving = webkit_web_view_is_loading (web_view) &&
                       webkit_web_view_get_uri (web_view) == NULL;

  g_signal_connect_object (browser, "message",
                           G_CALLBACK (gloss_annotator_live_message_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (web_view, "load-changed",
                           G_CALLBACK (gloss_annotator_live_load_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

gboolean
gloss_annotator_get_live (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return self->browser != NULL;
}

void
gloss_annotator_set_live_clip (GlossAnnotator *self,
                               GlossClip      *clip)
{
  g_autofree char *article = NULL;

  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));
  g_return_if_fail (self->browser != NULL);
  g_return_if_fail (clip == NULL || GLOSS_IS_CLIP (clip));

  if (clip == NULL)
    {
      gboolean had_clip = self->live_clip != NULL;

      forget_page (self);
      /* Every mark goes; a page that never had a clip runs nothing. */
      if (had_clip && self->live_script_sent)
        _gloss_annotator_run_script (self, "glossHighlight.stop ()", NULL, NULL);
      g_clear_object (&self->live_clip);
      g_clear_pointer (&self->live_article, g_free);
      g_clear_pointer (&self->live_on_page, g_free);
      gloss_annotation_editor_set_clip (self->editor, NULL, NULL, NULL);
      if (had_clip)
        _gloss_annotator_emit_changed (self);
      return;
    }

  /* Positions are stored against article.txt; a clip with none yet (an
   * imported page not clipped) has nothing to highlight in. */
  article = gloss_clip_load_article_text (clip, NULL);
  if (article == NULL)
    article = g_strdup ("");

  /* A highlight waiting for this clip stays (it is what the clip was
   * made for); what was asked of the page for another one goes. */
  if (self->live_clip != clip)
    {
      LivePending *pending = g_steal_pointer (&self->live_pending);

      forget_page (self);
      self->live_pending = pending;
    }

  g_set_object (&self->live_clip, clip);
  g_free (self->live_article);
  self->live_article = g_steal_pointer (&article);
  self->live_anchored = FALSE;
  g_clear_pointer (&self->live_text, g_free);
  g_clear_pointer (&self->live_on_page, g_free);

  gloss_annotation_editor_set_live_text (self->editor, clip, "", self->live_article);
  _gloss_annotator_emit_changed (self);
  start (self);
}

void
gloss_annotator_drop_live_highlight (GlossAnnotator *self)
{
  g_return_if_fail (GLOSS_IS_ANNOTATOR (self));

  drop_pending (self);
}

gboolean
gloss_annotator_get_live_highlight_waiting (GlossAnnotator *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  return self->live_pending != NULL && _gloss_annotator_live_needs_clip (self);
}

gboolean
gloss_annotator_is_on_page (GlossAnnotator *self,
                            const char     *id)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATOR (self), FALSE);

  if (self->browser != NULL && !self->live_anchored)
    return gloss_annotation_editor_lookup (self->editor, id) != NULL;

  return gloss_annotation_editor_get_range (self->editor, id, NULL, NULL);
}
