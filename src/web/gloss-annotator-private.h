/* gloss-annotator-private.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the siblings of gloss-annotator.c share: gloss-annotator-paint.c
 * (painting and the first-frame preload) and gloss-annotator-page.c (page
 * messages, the selection, mark rectangles). Editing itself (targets,
 * checks, undo) is GlossAnnotationEditor's, saving GlossClipSaver's. */

#pragma once

#include "gloss-annotation-editor.h"
#include "gloss-annotator.h"
#include "gloss-browser.h"

G_BEGIN_DECLS

/* A highlight asked for on the live page before it had a clip. */
typedef struct _LivePending LivePending;

struct _GlossAnnotator
{
  GObject                parent_instance;

  GlossReaderView       *reader;
  GlossAnnotationEditor *editor;
  GCancellable          *cancellable;  /* cancelled with the clip shown */

  /* Painting with the page's first frame: before the reader loads a
   * clip, its annotations are anchored against article.txt and a user
   * script paints them as the page is built. Valid when the reader's
   * text turns out to be article.txt and nothing changed meanwhile. */
  WebKitUserScript      *preload_script;
  GlossClip             *preload_clip;
  char                  *preload_json;   /* what it paints */
  char                  *preload_token;  /* names this load's preload */

  guint                  painted : 1;

  /* Live mode (gloss-annotator-live.c): the page @browser shows. */
  GlossBrowser          *browser;
  GlossClip             *live_clip;
  char                  *live_article;   /* its article.txt ("" if none) */
  char                  *live_text;      /* the page's text, as anchored */
  char                  *live_on_page;   /* which are on the page, to tell changes */
  GlossAnnotation       *live_added;     /* a pending highlight, stored */
  LivePending           *live_pending;   /* waiting for the clip */
  guint                  live_token;     /* names this page's start */
  guint                  live_script_sent : 1;  /* gloss-live.js is in this page */
  guint                  live_anchored : 1;     /* this page's text anchored */
  guint                  live_leaving : 1;      /* a load started, not committed */
  guint                  live_added_note : 1;   /* open live_added's note */
};

/* gloss-annotator.c */
void   _gloss_annotator_add_style_sheet     (WebKitUserContentManager *manager,
                                             const char               *name);
void   _gloss_annotator_emit_painted        (GlossAnnotator  *self);
void   _gloss_annotator_emit_highlighted    (GlossAnnotator  *self,
                                             GlossAnnotation *annotation,
                                             gboolean         open_note);
void   _gloss_annotator_emit_mark_activated (GlossAnnotator  *self,
                                             const char      *id,
                                             const double     rect[4]);
void   _gloss_annotator_emit_selection_released (GlossAnnotator *self,
                                                 const double    rect[4]);
void   _gloss_annotator_emit_note_requested (GlossAnnotator  *self,
                                             const char      *id);
void   _gloss_annotator_emit_changed        (GlossAnnotator  *self);
void   _gloss_annotator_emit_clip_needed    (GlossAnnotator  *self);
void   _gloss_annotator_report_error        (GlossAnnotator  *self,
                                             const char      *message);

/* gloss-annotator-live.c */
WebKitWebView *_gloss_annotator_get_web_view       (GlossAnnotator  *self);
void   _gloss_annotator_live_dispose        (GlossAnnotator  *self);
void   _gloss_annotator_live_capture        (GlossAnnotator  *self,
                                             GlossColor       color,
                                             gboolean         open_note);
void   _gloss_annotator_live_paint_all      (GlossAnnotator  *self);
/* No clip, or one not clipped yet: a highlight needs the page clipped. */
gboolean _gloss_annotator_live_needs_clip   (GlossAnnotator  *self);
/* The clip changed on disk: its article.txt is read again. */
void   _gloss_annotator_live_reload_article (GlossAnnotator  *self);
/* The script to run in the live page, with gloss-live.js first when this
 * page has not had it yet. */
char  *_gloss_annotator_live_script         (GlossAnnotator  *self,
                                             const char      *script);

/* gloss-annotator-page.c: one page message, from either page. */
void   _gloss_annotator_handle_message      (GlossAnnotator  *self,
                                             JSCValue        *message);

/* gloss-annotator-paint.c */
/* The highlights to paint as the page scripts take them: every one the
 * editor placed (only @id's, when not NULL), in the clip's order. */
char  *_gloss_annotator_placed_json         (GlossAnnotator  *self,
                                             const char      *only_id,
                                             gboolean         as_list);
void   _gloss_annotator_run_script          (GlossAnnotator      *self,
                                             const char          *script,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
JSCValue *_gloss_annotator_run_script_finish (GlossAnnotator     *self,
                                              GAsyncResult       *result,
                                              GError            **error);
void   _gloss_annotator_paint_all           (GlossAnnotator  *self);
void   _gloss_annotator_paint_one           (GlossAnnotator  *self,
                                             const char      *id);
void   _gloss_annotator_unpaint             (GlossAnnotator  *self,
                                             const char      *id);
void   _gloss_annotator_rename_marks        (GlossAnnotator  *self,
                                             const char      *from,
                                             const char      *to);
void   _gloss_annotator_preload             (GlossAnnotator  *self,
                                             GlossClip       *clip);
void   _gloss_annotator_clear_preload       (GlossAnnotator  *self);
/* After "article-loaded" with the text of article.txt: "painted" once the
 * page confirms that the preload painted what the editor has now, else
 * paints the ordinary way. */
void   _gloss_annotator_confirm_preload     (GlossAnnotator  *self);

/* gloss-annotator-page.c */
gboolean _gloss_annotator_message_get_uint  (JSCValue        *message,
                                             const char      *member,
                                             guint           *out);
gboolean _gloss_annotator_message_get_rect  (GlossAnnotator  *self,
                                             JSCValue        *message,
                                             double           rect[4]);
void   _gloss_annotator_ask_selection       (GlossAnnotator  *self,
                                             GlossColor       color,
                                             gboolean         open_note,
                                             const char      *reattach_id);
void   _gloss_annotator_message_cb          (GlossAnnotator  *self,
                                             JSCValue        *message,
                                             GlossReaderView *reader);

G_END_DECLS
