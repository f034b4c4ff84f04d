/* gloss-test-clips.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writes clip folders straight to disk in FORMAT.md's shape, so that the
 * search tests see exactly what another program (or a sync tool) would
 * leave in a library. Header-only: included by the search tests. */

#pragma once

#include <json-glib/json-glib.h>

#include "gloss-test-util.h"

typedef struct
{
  const char *id;
  int         color;    /* 0 yellow … 4 purple */
  const char *exact;
  const char *note;
  int         start;
} TestAnnotation;

typedef struct
{
  const char           *id;
  const char           *title;
  const char           *url;
  const char           *created;  /* NULL: 2026-01-01T00:00:00Z */
  const char           *site_name;
  const char           *byline;
  const char           *note;
  const char           *tags[4];
  TestAnnotation        annotations[3];
  const char           *text;
} TestClip;

static inline void
test_write_clip (const char     *library,
                 const TestClip *clip)
{
  static const char * const colors[] = { "yellow", "green", "blue", "pink", "purple" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *dir = g_build_filename (library, "clips", clip->id, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, clip->id);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, clip->url ? clip->url : "https://example.org/");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, clip->title ? clip->title : "Untitled");
  json_builder_set_member_name (builder, "byline");
  if (clip->byline)
    json_builder_add_string_value (builder, clip->byline);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "site_name");
  if (clip->site_name)
    json_builder_add_string_value (builder, clip->site_name);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, clip->created ? clip->created : "2026-01-01T00:00:00Z");
  json_builder_set_member_name (builder, "modified");
  json_builder_add_string_value (builder, clip->created ? clip->created : "2026-01-01T00:00:00Z");
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (clip->tags) && clip->tags[i]; i++)
    json_builder_add_string_value (builder, clip->tags[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "note");
  json_builder_add_string_value (builder, clip->note ? clip->note : "");
  json_builder_set_member_name (builder, "annotations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (clip->annotations) && clip->annotations[i].id; i++)
    {
      const TestAnnotation *a = &clip->annotations[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, a->id);
      json_builder_set_member_name (builder, "created");
      json_builder_add_string_value (builder, "2026-01-01T00:00:00Z");
      json_builder_set_member_name (builder, "modified");
      json_builder_add_string_value (builder, "2026-01-01T00:00:00Z");
      json_builder_set_member_name (builder, "color");
      json_builder_add_string_value (builder, colors[a->color]);
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, a->note ? a->note : "");
      json_builder_set_member_name (builder, "target");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "selector");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "TextQuoteSelector");
      json_builder_set_member_name (builder, "exact");
      json_builder_add_string_value (builder, a->exact);
      json_builder_set_member_name (builder, "prefix");
      json_builder_add_string_value (builder, "");
      json_builder_set_member_name (builder, "suffix");
      json_builder_add_string_value (builder, "");
      json_builder_end_object (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "TextPositionSelector");
      json_builder_set_member_name (builder, "start");
      json_builder_add_int_value (builder, a->start);
      json_builder_set_member_name (builder, "end");
      json_builder_add_int_value (builder, a->start + g_utf8_strlen (a->exact, -1));
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json = json_generator_to_data (generator, NULL);

  gloss_test_write_file (dir, "article.html", "<p>article</p>");
  gloss_test_write_file (dir, "article.txt", clip->text ? clip->text : "");
  gloss_test_write_file (dir, "clip.json", json);
}
