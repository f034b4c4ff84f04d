/* gloss-cli-clip-pending.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `gloss --clip-pending`: the library's Clip All Not Clipped without a
 * window. The pages go through `gloss --clip`'s front-end, whose queue
 * gives a clip not clipped yet its article instead of making a new one. */

#define G_LOG_DOMAIN "gloss-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "gloss-cli-clip.h"
#include "gloss-cli-clip-pending.h"
#include "gloss-import.h"
#include "gloss-library.h"

int
gloss_cli_clip_pending (GFile   *library_folder,
                        GString *out,
                        GString *err)
{
  g_autoptr(GlossLibrary) library = gloss_library_new (library_folder);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = NULL;
  GListModel *model = G_LIST_MODEL (library);
  guint n;

  g_return_val_if_fail (G_IS_FILE (library_folder), 1);

  if (!gloss_library_load (library, NULL, &error))
    {
      g_string_append_printf (err, "gloss: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GlossClip) clip = g_list_model_get_item (model, i);
      const char *url = gloss_clip_get_url (clip);

      if (gloss_import_clip_is_pending (clip) &&
          (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://")))
        g_strv_builder_add (builder, url);
    }
  urls = g_strv_builder_end (builder);
  n = g_strv_length (urls);

  /* At once, before the progress lines that follow it live. */
  if (n == 0)
    fprintf (stderr, "gloss: %s\n", _("No clip waits to be clipped."));
  else
    fprintf (stderr,
             g_dngettext (GETTEXT_PACKAGE,
                          "gloss: clipping %u page not clipped yet\n",
                          "gloss: clipping %u pages not clipped yet\n", n),
             n);
  fflush (stderr);
  /* The library is read again by the clipper's own run, which also
   * fetches the pictures of imported articles still on the web. */
  g_clear_object (&library);
  return gloss_cli_clip_run (library_folder, NULL, TRUE, TRUE, out, err);
}
