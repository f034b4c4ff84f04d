/* fuzz-import.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target: bytes as an import file through the real parser.
 * Besides "no crash, no sanitizer report" it checks the parser's promises:
 * a rejected file comes with a message that names it, and an accepted one
 * gives pages whose URLs are valid UTF-8 without a fragment. Built and run
 * by build-aux/run-fuzz.sh (tests/meson.build). */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossImportPlan) plan = NULL;
  g_auto(GStrv) urls = NULL;
  const char * const *warnings;

  plan = gloss_import_parse ((const char *) data, size, "fuzz.json", &error);
  if (plan == NULL)
    {
      if (error == NULL || error->domain != GLOSS_ERROR || strstr (error->message, "fuzz.json") == NULL)
        abort ();
      return 0;
    }

  urls = gloss_import_plan_dup_urls (plan);
  if (g_strv_length (urls) != gloss_import_plan_get_n_pages (plan))
    abort ();
  for (guint i = 0; urls[i] != NULL; i++)
    if (!g_utf8_validate (urls[i], -1, NULL) || strchr (urls[i], '#') != NULL)
      abort ();
  warnings = gloss_import_plan_get_warnings (plan);
  for (guint i = 0; warnings[i] != NULL; i++)
    if (!g_utf8_validate (warnings[i], -1, NULL))
      abort ();
  (void) gloss_import_plan_get_n_annotations (plan);
  return 0;
}
