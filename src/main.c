/* main.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gloss-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GlossApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The GUI program, started by `gloss` (src/cli/gloss-main.c) from
   * libexecdir: its windows still belong to "gloss". */
  g_set_prgname (PACKAGE_NAME);
  g_set_application_name (_("Gloss"));

  app = gloss_application_new ();
  gloss_application_set_argv (argv);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
