/* gloss-export-render.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Turns the export's copy of a clip into Markdown (through a template) and
 * into W3C Web Annotation objects. No I/O and no GObject here: the worker
 * thread of the export calls these, and so do the tests. */

#define G_LOG_DOMAIN "gloss-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gloss-export-private.h"
#include "gloss-markdown.h"

GlossExportClip *
gloss_export_clip_new (void)
{
  GlossExportClip *clip = g_new0 (GlossExportClip, 1);

  clip->annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) gloss_export_annotation_free);
  return clip;
}

void
gloss_export_clip_free (GlossExportClip *clip)
{
  if (clip == NULL)
    return;
  g_free (clip->id);
  g_free (clip->url);
  g_free (clip->title);
  g_free (clip->byline);
  g_free (clip->site_name);
  g_free (clip->published);
  g_free (clip->created);
  g_free (clip->modified);
  g_free (clip->excerpt);
  g_free (clip->lang);
  g_free (clip->note);
  g_strfreev (clip->tags);
  g_ptr_array_unref (clip->annotations);
  g_free (clip->folder);
  g_free (clip);
}

GlossExportAnnotation *
gloss_export_annotation_new (void)
{
  return g_new0 (GlossExportAnnotation, 1);
}

void
gloss_export_annotation_free (GlossExportAnnotation *annotation)
{
  if (annotation == NULL)
    return;
  g_free (annotation->id);
  g_free (annotation->created);
  g_free (annotation->modified);
  g_free (annotation->color);
  g_free (annotation->note);
  g_free (annotation->exact);
  g_free (annotation->prefix);
  g_free (annotation->suffix);
  g_free (annotation);
}

static const char * const template_names[] = {
  /* the clip */
  "gloss_id", "title", "url", "author", "site", "published", "clipped",
  "modified", "excerpt", "lang", "tags", "tags_yaml", "tag_list", "tag",
  "note", "highlight_count", "highlights", "article",
  /* each highlight */
  "number", "quote", "color", "link", "highlight_id", "created", "orphan",
  NULL,
};

const char * const *
gloss_export_template_names (void)
{
  return template_names;
}

/* The clip's note and its highlights: the same in a clip's own file and in
 * the combined file, so that a highlight reads alike in both. The words
 * are the user's language: the two %s are "not found in the saved
 * article" and "Open on the page". */
#define NOTE_AND_HIGHLIGHTS \
  "{{#note}}\n" \
  "{{note}}\n" \
  "\n" \
  "{{/note}}\n" \
  "{{#highlights}}\n" \
  "{{quote|blockquote}}\n" \
  "\n" \
  "*{{color}}*{{#orphan}} · %s{{/orphan}} · [%s](<{{link}}>)\n" \
  "\n" \
  "{{#note}}\n" \
  "{{note}}\n" \
  "\n" \
  "{{/note}}\n" \
  "{{/highlights}}\n"

/* The front matter's keys are for programs and stay as they are. */
static const char default_template_format[] =
  "---\n"
  "gloss_id: {{gloss_id|yaml}}\n"
  "title: {{title|yaml}}\n"
  "url: {{url|yaml}}\n"
  "author: {{author|yaml}}\n"
  "site: {{site|yaml}}\n"
  "published: {{published|yaml}}\n"
  "clipped: {{clipped|yaml}}\n"
  "tags: {{tags_yaml}}\n"
  "highlight_count: {{highlight_count}}\n"
  "---\n"
  "\n"
  "# {{title}}\n"
  "\n"
  NOTE_AND_HIGHLIGHTS
  "{{#article}}\n"
  "---\n"
  "\n"
  "## %s\n"
  "\n"
  "{{article}}\n"
  "{{/article}}\n";

static const char combined_template_format[] =
  "## {{title}}\n"
  "\n"
  "- %s [{{url|line}}](<{{url}}>)\n"
  "{{#author}}\n"
  "- %s {{author}}\n"
  "{{/author}}\n"
  "{{#site}}\n"
  "- %s {{site}}\n"
  "{{/site}}\n"
  "{{#published}}\n"
  "- %s {{published}}\n"
  "{{/published}}\n"
  "- %s {{clipped}}\n"
  "{{#tags}}\n"
  "- %s {{tags}}\n"
  "{{/tags}}\n"
  "- %s {{highlight_count}}\n"
  "\n"
  NOTE_AND_HIGHLIGHTS
  "{{#article}}\n"
  "### %s\n"
  "\n"
  "{{article}}\n"
  "\n"
  "{{/article}}\n";

/* Made once, in the language of the process. */
static gpointer
build_templates (gpointer data)
{
  char **templates = g_new0 (char *, 2);
  /* Translators: in a Markdown export, after a highlight whose text is no
   * longer in the updated article. */
  const char *orphan = _("not found in the saved article");
  /* Translators: in a Markdown export, a link to the highlight on the web page. */
  const char *open = _("Open on the page");
  /* Translators: in a Markdown export, the heading of the whole article. */
  const char *article = _("Article");

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  templates[0] = g_strdup_printf (default_template_format, orphan, open, article);
  templates[1] = g_strdup_printf (combined_template_format,
                                  /* Translators: labels of a clip's details in a combined Markdown export. */
                                  _("Page:"), _("Author:"), _("Site:"), _("Published:"),
                                  _("Clipped:"), _("Tags:"), _("Highlights:"),
                                  orphan, open, article);
#pragma GCC diagnostic pop

  return templates;
}

const char *
gloss_export_default_template (gboolean combined)
{
  static GOnce once = G_ONCE_INIT;
  char **templates = g_once (&once, build_templates, NULL);

  return combined ? templates[1] : templates[0];
}

static char *
tags_yaml (GStrv tags)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_autofree char *quoted = gloss_yaml_quote (tags[i]);

      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, quoted);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

void
gloss_export_render_markdown (GlossExportClip *clip,
                              GlossTemplate   *tmpl,
                              const char      *article_text,
                              const char      *article_markdown,
                              GString         *out)
{
  g_autoptr(GlossTemplateScope) scope = gloss_template_scope_new ();
  const char *title;

  g_return_if_fail (clip != NULL);
  g_return_if_fail (tmpl != NULL);

  /* A page without a title still needs a heading and a file name. */
  title = clip->title != NULL && clip->title[0] != '\0' ? clip->title : clip->url;

  gloss_template_scope_set (scope, "gloss_id", GLOSS_TEMPLATE_LINE, clip->id);
  gloss_template_scope_set (scope, "title", GLOSS_TEMPLATE_LINE, title);
  gloss_template_scope_set (scope, "url", GLOSS_TEMPLATE_URL, clip->url);
  gloss_template_scope_set (scope, "author", GLOSS_TEMPLATE_LINE, clip->byline);
  gloss_template_scope_set (scope, "site", GLOSS_TEMPLATE_LINE, clip->site_name);
  gloss_template_scope_set (scope, "published", GLOSS_TEMPLATE_LINE, clip->published);
  gloss_template_scope_set (scope, "clipped", GLOSS_TEMPLATE_LINE, clip->created);
  gloss_template_scope_set (scope, "modified", GLOSS_TEMPLATE_LINE, clip->modified);
  gloss_template_scope_set (scope, "excerpt", GLOSS_TEMPLATE_TEXT, clip->excerpt);
  gloss_template_scope_set (scope, "lang", GLOSS_TEMPLATE_LINE, clip->lang);
  gloss_template_scope_take (scope, "tags", GLOSS_TEMPLATE_LINE,
                             clip->tags != NULL ? g_strjoinv (", ", clip->tags) : NULL);
  gloss_template_scope_take (scope, "tags_yaml", GLOSS_TEMPLATE_MARKDOWN, tags_yaml (clip->tags));
  gloss_template_scope_set_list (scope, "tag_list");
  for (guint i = 0; clip->tags != NULL && clip->tags[i] != NULL; i++)
    {
      GlossTemplateScope *item = gloss_template_scope_add_item (scope, "tag_list");
      gloss_template_scope_set (item, "tag", GLOSS_TEMPLATE_LINE, clip->tags[i]);
    }
  /* The page note is Markdown by FORMAT.md; highlight notes are text. */
  gloss_template_scope_set (scope, "note", GLOSS_TEMPLATE_MARKDOWN, clip->note);
  gloss_template_scope_take (scope, "highlight_count", GLOSS_TEMPLATE_LINE,
                             g_strdup_printf ("%u", clip->annotations->len));
  gloss_template_scope_set (scope, "article", GLOSS_TEMPLATE_MARKDOWN, article_markdown);

  gloss_template_scope_set_list (scope, "highlights");
  for (guint i = 0; i < clip->annotations->len; i++)
    {
      GlossExportAnnotation *a = g_ptr_array_index (clip->annotations, i);
      GlossTemplateScope *item = gloss_template_scope_add_item (scope, "highlights");
      gboolean unique;

      /* Without the article we cannot know, and the context never hurts. */
      unique = article_text != NULL && gloss_count_occurrences (article_text, a->exact, 2) <= 1;

      gloss_template_scope_take (item, "number", GLOSS_TEMPLATE_LINE, g_strdup_printf ("%u", i + 1));
      gloss_template_scope_set (item, "quote", GLOSS_TEMPLATE_TEXT, a->exact);
      gloss_template_scope_set (item, "color", GLOSS_TEMPLATE_LINE, a->color);
      gloss_template_scope_set (item, "note", GLOSS_TEMPLATE_TEXT, a->note);
      gloss_template_scope_take (item, "link", GLOSS_TEMPLATE_URL,
                                 gloss_text_fragment_url (clip->url != NULL ? clip->url : "",
                                                          a->exact, a->prefix, a->suffix, unique));
      gloss_template_scope_set (item, "highlight_id", GLOSS_TEMPLATE_LINE, a->id);
      gloss_template_scope_set (item, "created", GLOSS_TEMPLATE_LINE, a->created);
      gloss_template_scope_set (item, "modified", GLOSS_TEMPLATE_LINE, a->modified);
      gloss_template_scope_set (item, "orphan", GLOSS_TEMPLATE_LINE, a->orphan ? "orphan" : "");
    }

  gloss_template_render (tmpl, scope, out);
}

void
gloss_export_render_combined_header (guint       n_clips,
                                     const char *exported,
                                     GString    *out)
{
  g_autofree char *quoted = gloss_yaml_quote (exported);

  g_string_append_printf (out,
                          "---\n"
                          "title: \"Gloss export\"\n"
                          "exported: %s\n"
                          "clip_count: %u\n"
                          "---\n"
                          "\n"
                          "# Gloss export\n"
                          "\n",
                          quoted, n_clips);
}

JsonNode *
gloss_export_jsonld_context (void)
{
  JsonArray *context = json_array_new ();
  JsonObject *ours = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_array_add_string_element (context, "http://www.w3.org/ns/anno.jsonld");
  json_object_set_string_member (ours, "gloss", GLOSS_JSONLD_NAMESPACE);
  json_array_add_object_element (context, ours);
  json_node_take_array (node, context);
  return node;
}

static void
set_optional (JsonObject *object,
              const char *member,
              const char *value)
{
  if (value != NULL && value[0] != '\0')
    json_object_set_string_member (object, member, value);
}

static JsonObject *
textual_body (const char *value,
              const char *purpose,
              const char *format)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "type", "TextualBody");
  json_object_set_string_member (body, "value", value);
  json_object_set_string_member (body, "purpose", purpose);
  if (format != NULL)
    json_object_set_string_member (body, "format", format);
  return body;
}

static void
add_tags (JsonArray       *bodies,
          GlossExportClip *clip)
{
  for (guint i = 0; clip->tags != NULL && clip->tags[i] != NULL; i++)
    json_array_add_object_element (bodies, textual_body (clip->tags[i], "tagging", NULL));
}

/* The live page as the source, with the saved copy as its state: the
 * positions count code points of the saved article.txt (FORMAT.md). */
static JsonObject *
page_target (GlossExportClip *clip)
{
  JsonObject *target = json_object_new ();

  json_object_set_string_member (target, "type", "SpecificResource");
  json_object_set_string_member (target, "source", clip->url != NULL ? clip->url : "");

  if (clip->folder != NULL)
    {
      JsonObject *state = json_object_new ();
      g_autofree char *path = g_build_filename (clip->folder, "article.html", NULL);
      g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

      json_object_set_string_member (state, "type", "TimeState");
      if (uri != NULL)
        json_object_set_string_member (state, "cached", uri);
      set_optional (state, "sourceDate", clip->created);
      json_object_set_object_member (target, "state", state);
    }

  return target;
}

static void
set_id (JsonObject *object,
        const char *clip_id,
        const char *annotation_id)
{
  g_autofree char *id = NULL;

  if (annotation_id != NULL)
    id = g_strconcat (GLOSS_JSONLD_ID_PREFIX, clip_id, ":", annotation_id, NULL);
  else
    id = g_strconcat (GLOSS_JSONLD_ID_PREFIX, clip_id, NULL);
  json_object_set_string_member (object, "id", id);
}

static JsonObject *
annotation_object (JsonNode *context)
{
  JsonObject *object = json_object_new ();

  /* "@context" first, as readers of JSON Lines expect it. */
  if (context != NULL)
    json_object_set_member (object, "@context", json_node_copy (context));
  return object;
}

void
gloss_export_clip_to_jsonld (GlossExportClip *clip,
                             JsonNode        *context,
                             GPtrArray       *out)
{
  JsonObject *page = annotation_object (context);
  JsonArray *bodies = json_array_new ();

  g_return_if_fail (clip != NULL);
  g_return_if_fail (out != NULL);

  /* The page itself, as a bookmark: it carries what a clip holds besides
   * its highlights, so that an import gives the clip back whole. */
  set_id (page, clip->id, NULL);
  json_object_set_string_member (page, "type", "Annotation");
  json_object_set_string_member (page, "motivation", "bookmarking");
  set_optional (page, "created", clip->created);
  set_optional (page, "modified", clip->modified);
  if (clip->note != NULL && clip->note[0] != '\0')
    json_array_add_object_element (bodies, textual_body (clip->note, "commenting", "text/markdown"));
  add_tags (bodies, clip);
  if (json_array_get_length (bodies) > 0)
    json_object_set_array_member (page, "body", bodies);
  else
    json_array_unref (bodies);
  json_object_set_object_member (page, "target", page_target (clip));
  set_optional (page, "gloss:title", clip->title);
  set_optional (page, "gloss:author", clip->byline);
  set_optional (page, "gloss:site", clip->site_name);
  set_optional (page, "gloss:published", clip->published);
  set_optional (page, "gloss:excerpt", clip->excerpt);
  set_optional (page, "gloss:lang", clip->lang);
  g_ptr_array_add (out, page);

  for (guint i = 0; i < clip->annotations->len; i++)
    {
      GlossExportAnnotation *a = g_ptr_array_index (clip->annotations, i);
      JsonObject *object = annotation_object (context);
      JsonObject *target = page_target (clip);
      JsonArray *selectors = json_array_new ();
      JsonObject *quote = json_object_new ();
      JsonObject *position = json_object_new ();
      gboolean has_note = a->note != NULL && a->note[0] != '\0';

      set_id (object, clip->id, a->id);
      json_object_set_string_member (object, "type", "Annotation");
      json_object_set_string_member (object, "motivation", has_note ? "commenting" : "highlighting");
      set_optional (object, "created", a->created);
      set_optional (object, "modified", a->modified);

      bodies = json_array_new ();
      if (has_note)
        json_array_add_object_element (bodies, textual_body (a->note, "commenting", "text/plain"));
      add_tags (bodies, clip);
      if (json_array_get_length (bodies) > 0)
        json_object_set_array_member (object, "body", bodies);
      else
        json_array_unref (bodies);

      json_object_set_string_member (quote, "type", "TextQuoteSelector");
      json_object_set_string_member (quote, "exact", a->exact != NULL ? a->exact : "");
      set_optional (quote, "prefix", a->prefix);
      set_optional (quote, "suffix", a->suffix);
      json_array_add_object_element (selectors, quote);
      json_object_set_string_member (position, "type", "TextPositionSelector");
      json_object_set_int_member (position, "start", a->start);
      json_object_set_int_member (position, "end", a->end);
      json_array_add_object_element (selectors, position);
      json_object_set_array_member (target, "selector", selectors);
      json_object_set_object_member (object, "target", target);

      set_optional (object, "gloss:color", a->color);
      g_ptr_array_add (out, object);
    }
}
