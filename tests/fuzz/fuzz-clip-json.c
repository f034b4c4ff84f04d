/* fuzz-clip-json.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target: bytes as clip.json through the real loader. Besides
 * "no crash, no sanitizer report", it checks two promises: a rejected
 * file comes with a readable reason, the list's fast reader and the full
 * one agree on every input, and an accepted one is written back
 * as JSON that the loader accepts again (nothing the loader keeps can
 * make a later save unreadable). Built and run by build-aux/run-fuzz.sh. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gloss-anchor.h"
#include "gloss-clip-private.h"
#include "gloss-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const char *article_text =
  "The minister told reporters that the US “will not be the mediators” going "
  "forward. Café 😀 東京 e\xcc\x81 — the end.";

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GFile *folder;
  static GlossText *text;
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GlossClip) again = NULL;
  g_autoptr(GlossClip) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *written = NULL;
  GListModel *annotations;
  gsize length;

  if (folder == NULL)
    {
      /* Never touched on disk: the loader only takes its name. */
      folder = g_file_new_for_path ("/nonexistent/gloss-fuzz/clips/fuzz-clip");
      text = gloss_text_new (article_text, -1);
    }

  /* The list reads a clip with the fast scanner only; opening it adds
   * json-glib. They must agree, or a clip listed as fine could not be
   * opened. */
  summary = gloss_clip_load_from_data (folder, (const char *) data, size,
                                       GLOSS_CLIP_LOAD_SUMMARY, NULL);
  clip = gloss_clip_load_from_data (folder, (const char *) data, size,
                                    GLOSS_CLIP_LOAD_FULL, &error);
  if ((summary == NULL) != (clip == NULL))
    {
      g_printerr ("Summary and full loads disagree: %s\n", error ? error->message : "full load worked");
      abort ();
    }
  if (clip == NULL)
    {
      if (error == NULL || error->domain != GLOSS_ERROR ||
          !g_utf8_validate (error->message, -1, NULL) || error->message[0] == '\0')
        abort ();
      return 0;
    }

  annotations = gloss_clip_get_annotations (clip);
  for (guint i = 0; i < g_list_model_get_n_items (annotations); i++)
    {
      g_autoptr(GlossAnnotation) a = g_list_model_get_item (annotations, i);
      guint s = 0, e = 0;

      if (gloss_anchor_annotation (text, a, &s, &e) != GLOSS_ANCHOR_ORPHAN &&
          (s > e || e > gloss_text_get_length (text)))
        abort ();
    }

  generator = json_generator_new ();
  node = json_node_alloc ();
  json_node_init_object (node, gloss_clip_to_json (clip));
  json_generator_set_root (generator, node);
  written = json_generator_to_data (generator, &length);

  again = gloss_clip_load_from_data (folder, written, length, GLOSS_CLIP_LOAD_FULL, &error);
  if (again == NULL)
    {
      g_printerr ("A loaded clip was written back unreadable: %s\n%s\n",
                  error ? error->message : "?", written);
      abort ();
    }
  if (g_strcmp0 (gloss_clip_get_title (clip), gloss_clip_get_title (again)) != 0 ||
      gloss_clip_get_n_annotations (clip) != gloss_clip_get_n_annotations (again))
    abort ();

  return 0;
}
