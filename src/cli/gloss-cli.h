/* gloss-cli.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The exit statuses of every command (DESIGN.md). Front-ends return one
 * of these and nothing else; gloss_cli_status_for_error() is the one rule
 * that turns an error into a status. */
typedef enum
{
  GLOSS_CLI_OK = 0,        /* done; --search found something */
  GLOSS_CLI_FAILED = 1,    /* a user error, --verify found a problem, --search found nothing */
  GLOSS_CLI_USAGE = 2,     /* bad usage, or a query with a mistake in it */
} GlossCliStatus;

/* Returned by gloss_cli_run() when the GUI program has to go on. */
#define GLOSS_CLI_NEEDS_GUI (-1)

GlossCliStatus      gloss_cli_status_for_error   (const GError        *error);
/* Appends "gloss: MESSAGE\n" to @err and returns the status for @error. */
GlossCliStatus      gloss_cli_fail               (GString             *err,
                                                  const GError        *error);

/* The one table of options of both programs: `gloss` parses it itself,
 * the GUI program gives it to GApplication. */
const GOptionEntry *gloss_cli_get_option_entries (void);
const char         *gloss_cli_get_summary        (void);
/* For --help: where the whole story is, the manual page gloss(1). */
const char         *gloss_cli_get_description    (void);

/* Parses @argv (with the table above) into @options, as GApplication
 * would: FALSE with a message that starts with "gloss: " in @error on bad
 * usage. Options of type FILENAME, FILENAME_ARRAY and the remaining
 * arguments are kept as bytestrings; gloss_cli_dup_text() turns one into
 * UTF-8. */
gboolean            gloss_cli_parse              (int                  argc,
                                                  char               **argv,
                                                  GVariantDict        *options,
                                                  GError             **error);
/* The text of a command-line argument in UTF-8: as it is when it is valid
 * UTF-8, else converted from the locale's encoding; NULL with an error that starts with @what (such as
 * "The query given to --search") when it is not valid in that encoding. */
char               *gloss_cli_dup_text           (const char          *what,
                                                  const char          *argument,
                                                  GError             **error);

/* TRUE when @library_folder is a folder; else appends why not (there is
 * nothing there, or it is not a folder) to @err. */
gboolean            gloss_cli_check_library_folder (GFile             *library_folder,
                                                    GString           *err);

/* @text (from a web page, a file name, anything) made fit for one line of
 * a terminal: valid UTF-8, and each run of control characters and line or
 * paragraph separators one space. With @keep_match_marks, the search
 * snippets' match marks (U+0002, U+0003) stay for the caller to replace. */
char               *gloss_cli_one_line           (const char          *text,
                                                  gboolean             keep_match_marks);

/* The --json outputs (--list, --search) written one way, so that a
 * script reads them alike: a member that may be null, and the whole
 * document from @builder with a two-space indent and a final newline. */
void                gloss_cli_json_add_string    (JsonBuilder         *builder,
                                                  const char          *name,
                                                  const char          *value);
void                gloss_cli_append_json        (GString             *out,
                                                  JsonBuilder         *builder);

/* Runs the command in @options that needs no window (gloss-cli.c lists
 * them) and returns its exit status, or GLOSS_CLI_NEEDS_GUI when the GUI
 * program has to go on: no command (a window, URLs), --clip, or the pages
 * an --import has to clip, which are then in *@clip_urls_out (and the
 * library folder in *@library_out). Prints to stdout and stderr. */
int                 gloss_cli_run                (GVariantDict        *options,
                                                  GFile              **library_out,
                                                  GPtrArray          **clip_urls_out);

/* The library folder @options ask for: --library, else $GLOSS_LIBRARY,
 * else the library-folder setting, else the default. */
GFile              *gloss_cli_resolve_library    (GVariantDict        *options);
/* The same from the value of --library (or NULL). */
GFile              *gloss_cli_resolve_library_folder (const char      *command_line);

/* Writes @out to stdout and @err to stderr and returns @status. */
int                 gloss_cli_finish             (int                  status,
                                                  GString             *out,
                                                  GString             *err);

G_END_DECLS
