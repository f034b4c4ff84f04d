/* gloss-cli.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The command line's dispatcher: the one option table, the one rule for
 * exit statuses, and the table of commands.
 *
 * Two programs share it. `gloss` (gloss-main.c) is small: it links only
 * src/core and src/cli (GLib, GIO, json-glib, SQLite), runs every command
 * that needs no window itself, and hands the rest to the GUI program
 * (`gloss-app`, in libexecdir) with execv(): windows, `gloss URL`, --clip
 * and the clipping of the pages an --import found. The GUI program gives
 * the same table to GApplication and calls gloss_cli_run() too, so that a
 * command works the same whichever program gets it.
 *
 * How to add a command, say `--frobnicate FILE`:
 *
 *  1. Add its option to `entries` below (G_OPTION_ARG_FILENAME for a
 *     path, so that no encoding conversion can fail before we can say
 *     which argument was wrong; gloss_cli_dup_text() for text). A
 *     command that takes several arguments (`--merge-clip BASE OURS
 *     THEIRS`) is a G_OPTION_ARG_NONE option: its arguments are the
 *     remaining ones, g_variant_dict_lookup (options, G_OPTION_REMAINING,
 *     "^aay", &strv).
 *  2. Write `static int run_frobnicate (Run *run)`: read its arguments
 *     from run->options (g_variant_dict_lookup), call core, put the report
 *     into run->out and a one-line message into run->err, and return a
 *     GlossCliStatus (gloss_cli_fail() turns a GError into the status and
 *     the message). Longer front-ends live in their own gloss-cli-*.c.
 *  3. Add `{ "frobnicate", run_frobnicate }` to `commands`. A command
 *     that needs the web engine (GTK) gets NULL instead of a function: the
 *     GUI program then runs it in gloss-application.c.
 *
 * Nothing else: the check that only one command is given, the library
 * folder, printing and the exit status are done here for every command.
 * tests/test-cli-program.c checks that `gloss` never maps GTK, libadwaita
 * or WebKit. */

#define G_LOG_DOMAIN "gloss-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gloss-cli.h"
#include "gloss-cli-export.h"
#include "gloss-cli-library.h"
#include "gloss-cli-merge.h"
#include "gloss-cli-search.h"
#include "gloss-error.h"
#include "gloss-index.h"
#include "gloss-library.h"
#include "gloss-search-result.h"
#include "gloss-uri.h"

static const GOptionEntry entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { "library", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Use the library in DIR"), N_("DIR") },
  { "list", 0, 0, G_OPTION_ARG_NONE, NULL, N_("List the clips in the library"), NULL },
  { "verify", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Check every file of the library and report what needs attention"), NULL },
  { "merge-conflicts", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Merge the conflict copies that sync tools left in the library"), NULL },
  { "merge-clip", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Merge BASE, OURS and THEIRS versions of a clip.json into OURS (git’s merge driver)"), NULL },
  { "search", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Search the library and print the ranked results"), N_("QUERY") },
  { "limit", 0, 0, G_OPTION_ARG_INT, NULL, N_("Print at most N results (with --search)"), N_("N") },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print JSON (with --list or --search)"), NULL },
  { "clip", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Clip the pages at URL… into the library without showing a window"), NULL },
  { "clip-pending", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Clip every page an import kept that is not clipped yet, without showing a window"), NULL },
  { "export-markdown", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Export highlights and notes as Markdown files into DIR (of the clips QUERY finds, or all)"), N_("DIR") },
  { "export-jsonld", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Export annotations as W3C Web Annotation JSON-LD into FILE (of the clips QUERY finds, or all)"), N_("FILE") },
  { "import", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Import FILE: Pocket, Omnivore, Instapaper, wallabag, bookmarks, Hypothesis, W3C, Readwise or a list of URLs"), N_("FILE") },
  { "template", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Markdown template file (with --export-markdown; see gloss(1))"), N_("FILE") },
  { "combined", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Write one combined Markdown file (with --export-markdown)"), NULL },
  { "with-article", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Add the whole article after the highlights (with --export-markdown)"), NULL },
  { "json-lines", 0, 0, G_OPTION_ARG_NONE, NULL, N_("One annotation per line (with --export-jsonld)"), NULL },
  /* From `gloss --import` to the GUI program: the pages to --clip are an
   * import's, so that no display is not an error (the import is done). */
  { "clip-imported", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[URL…]") },
  { NULL }
};

const GOptionEntry *
gloss_cli_get_option_entries (void)
{
  return entries;
}

const char *
gloss_cli_get_summary (void)
{
  return _("Clip web articles and annotate them.");
}

const char *
gloss_cli_get_description (void)
{
  return _("Every option, the search language, templates, gloss: links and the exit status are described in the manual page gloss(1): man gloss");
}

GlossCliStatus
gloss_cli_status_for_error (const GError *error)
{
  if (error == NULL)
    return GLOSS_CLI_OK;
  if (error->domain == G_OPTION_ERROR ||
      g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY))
    return GLOSS_CLI_USAGE;
  return GLOSS_CLI_FAILED;
}

GlossCliStatus
gloss_cli_fail (GString      *err,
                const GError *error)
{
  g_string_append_printf (err, "gloss: %s\n", error->message);
  return gloss_cli_status_for_error (error);
}

int
gloss_cli_finish (int      status,
                  GString *out,
                  GString *err)
{
  if (out->len > 0)
    {
      fputs (out->str, stdout);
      fflush (stdout);
    }
  if (err->len > 0)
    {
      fputs (err->str, stderr);
      fflush (stderr);
    }
  g_string_truncate (out, 0);
  g_string_truncate (err, 0);

  return status;
}

gboolean
gloss_cli_check_library_folder (GFile   *library_folder,
                                GString *err)
{
  g_autofree char *name = g_file_get_parse_name (library_folder);
  const char *path = g_file_peek_path (library_folder);
  GFileType type;
  struct stat st;

  /* stat() where there is a path: asking GIO would load the list of its
   * modules, a millisecond of every command. */
  if (path != NULL)
    type = g_stat (path, &st) != 0 ? G_FILE_TYPE_UNKNOWN
           : S_ISDIR (st.st_mode) ? G_FILE_TYPE_DIRECTORY : G_FILE_TYPE_REGULAR;
  else
    type = g_file_query_file_type (library_folder, 0, NULL);

  if (type == G_FILE_TYPE_UNKNOWN)
    {
      g_string_append_printf (err, _("There is no library at “%s”\n"), name);
      return FALSE;
    }
  if (type != G_FILE_TYPE_DIRECTORY)
    {
      g_string_append_printf (err, _("“%s” is not a folder\n"), name);
      return FALSE;
    }
  return TRUE;
}

char *
gloss_cli_one_line (const char *text,
                    gboolean    keep_match_marks)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *line = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (keep_match_marks && (c == 0x02 || c == 0x03))
        g_string_append_unichar (line, c);
      else if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        {
          if (line->len > 0 && line->str[line->len - 1] != ' ')
            g_string_append_c (line, ' ');
        }
      else
        g_string_append_unichar (line, c);
    }
  return g_string_free (line, FALSE);
}

void
gloss_cli_json_add_string (JsonBuilder *builder,
                           const char  *name,
                           const char  *value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
gloss_cli_append_json (GString     *out,
                       JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (out != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}

char *
gloss_cli_dup_text (const char  *what,
                    const char  *argument,
                    GError     **error)
{
  const char *charset = NULL;
  const char *bad = NULL;
  g_autoptr(GError) local_error = NULL;
  char *text;

  /* UTF-8 whatever the locale says: a script run with LC_ALL=C (cron)
   * still means "café". */
  if (g_utf8_validate (argument, -1, &bad))
    return g_strdup (argument);

  if (g_get_charset (&charset))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: %s names a command-line argument, such as
                    * “The query given to --search”; %u is a byte offset. */
                   _("%s is not valid UTF-8 text (at byte %u)"),
                   what, (guint) (bad - argument));
      return NULL;
    }

  text = g_locale_to_utf8 (argument, -1, NULL, NULL, &local_error);
  if (text == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 /* Translators: %s names a command-line argument, such as
                  * “The query given to --search”, then a character set
                  * name such as ISO-8859-1. */
                 _("%s is not valid text in this system’s encoding (%s)"),
                 what, charset);
  return text;
}

/* --- parsing ------------------------------------------------------------ */

/* An --limit that was not given, told apart from any the user can give. */
#define UNSET_INT G_MININT

/* Where GOption writes one option's value. */
typedef union
{
  gboolean   flag;
  int        number;
  char      *string;
  char     **strv;
} Slot;

gboolean
gloss_cli_parse (int            argc,
                 char         **argv,
                 GVariantDict  *options,
                 GError       **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree GOptionEntry *copy = NULL;
  g_autofree Slot *slots = NULL;
  g_autofree char **args = NULL;
  char **p;
  int n_args = argc;
  guint n = 0;
  gboolean ok;

  while (entries[n].long_name != NULL)
    n++;

  /* Each entry gets a slot of its own to write into, as GApplication
   * does, and the slots then go into @options. */
  copy = g_new0 (GOptionEntry, n + 1);
  slots = g_new0 (Slot, n);
  for (guint i = 0; i < n; i++)
    {
      copy[i] = entries[i];
      if (entries[i].arg == G_OPTION_ARG_INT)
        slots[i].number = UNSET_INT;
      copy[i].arg_data = &slots[i];
    }

  g_option_context_set_summary (context, gloss_cli_get_summary ());
  g_option_context_set_description (context, gloss_cli_get_description ());
  g_option_context_add_main_entries (context, copy, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  /* g_option_context_parse() takes things out of the array it is given:
   * a copy, not the caller's. */
  args = g_new0 (char *, argc + 1);
  memcpy (args, argv, sizeof (char *) * argc);
  p = args;
  ok = g_option_context_parse (context, &n_args, &p, error);

  for (guint i = 0; i < n; i++)
    {
      const char *name = entries[i].long_name;
      Slot *slot = &slots[i];

      switch (entries[i].arg)
        {
        case G_OPTION_ARG_NONE:
          if (slot->flag)
            g_variant_dict_insert (options, name, "b", TRUE);
          break;
        case G_OPTION_ARG_INT:
          if (slot->number != UNSET_INT)
            g_variant_dict_insert (options, name, "i", slot->number);
          break;
        case G_OPTION_ARG_STRING:
          if (slot->string != NULL)
            g_variant_dict_insert (options, name, "s", slot->string);
          g_free (slot->string);
          break;
        case G_OPTION_ARG_FILENAME:
          if (slot->string != NULL)
            g_variant_dict_insert (options, name, "^ay", slot->string);
          g_free (slot->string);
          break;
        case G_OPTION_ARG_STRING_ARRAY:
          if (slot->strv != NULL)
            g_variant_dict_insert (options, name, "^as", slot->strv);
          g_strfreev (slot->strv);
          break;
        case G_OPTION_ARG_FILENAME_ARRAY:
          if (slot->strv != NULL)
            g_variant_dict_insert (options, name, "^aay", slot->strv);
          g_strfreev (slot->strv);
          break;
        case G_OPTION_ARG_CALLBACK:
        case G_OPTION_ARG_DOUBLE:
        case G_OPTION_ARG_INT64:
        default:
          g_assert_not_reached ();
        }
    }

  return ok;
}

/* --- the library -------------------------------------------------------- */

/* The library-folder setting, when the schema is installed: the command
 * line must work from a build folder too, where it may not be. */
static char *
dup_library_setting (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source == NULL || !(schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)))
    return NULL;

  settings = g_settings_new (APP_ID);
  return g_settings_get_string (settings, "library-folder");
}

GFile *
gloss_cli_resolve_library_folder (const char *command_line)
{
  g_autofree char *setting = NULL;
  const char *env = g_getenv ("GLOSS_LIBRARY");

  /* The settings backend costs a few milliseconds: only when needed. */
  if ((command_line == NULL || command_line[0] == '\0') && (env == NULL || env[0] == '\0'))
    setting = dup_library_setting ();

  return gloss_library_resolve_folder (command_line, setting);
}

GFile *
gloss_cli_resolve_library (GVariantDict *options)
{
  g_autofree char *command_line = NULL;

  g_variant_dict_lookup (options, "library", "^ay", &command_line);
  return gloss_cli_resolve_library_folder (command_line);
}

/* --- the commands ------------------------------------------------------- */

typedef struct
{
  GVariantDict *options;
  GFile        *library;
  GString      *out;
  GString      *err;
  /* --import: the pages the GUI program is to clip. */
  GPtrArray    *clip_urls;
} Run;

typedef struct
{
  /* The option's long name. */
  const char *option;
  /* NULL: the GUI program runs it (it needs the web engine). */
  int       (*run) (Run *run);
} Command;

static int
run_list (Run *run)
{
  return gloss_cli_list (run->library, g_variant_dict_contains (run->options, "json"),
                         run->out, run->err);
}

static int
run_verify (Run *run)
{
  return gloss_cli_verify (run->library, run->out, run->err);
}

static int
run_search (Run *run)
{
  g_autofree char *raw = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GError) error = NULL;
  int limit = 20;

  g_variant_dict_lookup (run->options, "search", "^ay", &raw);
  if (!(query = gloss_cli_dup_text (_("The query given to --search"), raw, &error)))
    return gloss_cli_fail (run->err, error);

  if (g_variant_dict_lookup (run->options, "limit", "i", &limit) && limit <= 0)
    {
      g_string_append_printf (run->err, "gloss: %s\n", _("--limit takes a number greater than 0"));
      return GLOSS_CLI_USAGE;
    }

  return gloss_cli_search (run->library, query, g_variant_dict_contains (run->options, "json"),
                           limit, run->out, run->err);
}

static int
run_merge_conflicts (Run *run)
{
  return gloss_cli_merge_conflicts (run->library, run->out, run->err);
}

/* git's merge driver: `gloss --merge-clip %O %A %B`. The three are paths,
 * handed on as they are (no library: git runs it in the work tree). */
static int
run_merge_clip (Run *run)
{
  g_auto(GStrv) files = NULL;

  if (!g_variant_dict_lookup (run->options, G_OPTION_REMAINING, "^aay", &files) ||
      files == NULL || g_strv_length (files) != 3)
    {
      g_string_append_printf (run->err, "gloss: %s\n", _("--merge-clip takes three files: BASE OURS THEIRS"));
      return GLOSS_CLI_USAGE;
    }

  return gloss_cli_merge_clip (files[0], files[1], files[2], run->out, run->err);
}

/* The ids of the clips @query finds, through the search index (brought
 * up to date first). */
static gboolean
find_query_ids (GFile       *library,
                const char  *query,
                GStrv       *out_ids,
                GError     **error)
{
  g_autoptr(GlossIndex) index = gloss_index_new (library);
  g_autoptr(GListModel) results = NULL;

  if (!gloss_index_sync (index, NULL, error) ||
      !(results = gloss_index_search (index, query, 0, NULL, error)))
    return FALSE;

  *out_ids = gloss_search_results_dup_clip_ids (results);
  return TRUE;
}

/* Whatever follows the options, as one text: `--export-markdown DIR
 * tag:work has:notes` exports what that search finds. NULL (and no
 * error) when nothing follows. */
static char *
dup_remaining_text (GVariantDict  *options,
                    const char    *what,
                    GError       **error)
{
  g_auto(GStrv) remaining = NULL;
  g_autofree char *joined = NULL;

  if (!g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &remaining) ||
      remaining == NULL || remaining[0] == NULL)
    return NULL;

  joined = g_strjoinv (" ", remaining);
  return gloss_cli_dup_text (what, joined, error);
}

static int
run_export (Run *run)
{
  g_autofree char *query = NULL;
  g_autofree char *destination = NULL;
  g_autofree char *template_path = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;
  GlossExportFlags flags = GLOSS_EXPORT_NONE;
  gboolean markdown = g_variant_dict_contains (run->options, "export-markdown");

  query = dup_remaining_text (run->options, _("The search query after the options"), &error);
  if (error != NULL)
    return gloss_cli_fail (run->err, error);
  if (query != NULL && !find_query_ids (run->library, query, &ids, &error))
    return gloss_cli_fail (run->err, error);

  if (g_variant_dict_contains (run->options, "combined"))
    flags |= GLOSS_EXPORT_COMBINED;
  if (g_variant_dict_contains (run->options, "with-article"))
    flags |= GLOSS_EXPORT_WITH_ARTICLE;
  if (g_variant_dict_contains (run->options, "json-lines"))
    flags |= GLOSS_EXPORT_JSON_LINES;
  g_variant_dict_lookup (run->options, "template", "^ay", &template_path);

  if (markdown)
    {
      g_variant_dict_lookup (run->options, "export-markdown", "^ay", &destination);
      return gloss_cli_export_markdown_full (run->library, destination, (const char * const *) ids,
                                             template_path, flags, run->out, run->err);
    }

  g_variant_dict_lookup (run->options, "export-jsonld", "^ay", &destination);
  return gloss_cli_export_jsonld_full (run->library, destination, (const char * const *) ids,
                                       flags, run->out, run->err);
}

/* Keep first, clip later (docs/import.md): every item is kept here, with
 * no network and no display; `gloss --clip-pending` clips the pages. */
static int
run_import (Run *run)
{
  g_autofree char *file = NULL;

  g_variant_dict_lookup (run->options, "import", "^ay", &file);
  return gloss_cli_import (run->library, file, NULL, run->out, run->err);
}

static const Command commands[] = {
  { "list", run_list },
  { "verify", run_verify },
  { "merge-conflicts", run_merge_conflicts },
  { "merge-clip", run_merge_clip },
  { "search", run_search },
  { "export-markdown", run_export },
  { "export-jsonld", run_export },
  { "import", run_import },
  { "clip", NULL },
  { "clip-pending", NULL },
};

static int
usage (const char *message)
{
  g_printerr ("gloss: %s\n", message);
  return GLOSS_CLI_USAGE;
}

/* A gloss: link (from a browser) is checked before any window starts:
 * a bad one is refused here with its message. */
static int
check_gloss_uris (GVariantDict *options)
{
  g_auto(GStrv) remaining = NULL;

  if (!g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &remaining))
    return GLOSS_CLI_NEEDS_GUI;

  for (guint i = 0; remaining[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;
      GlossUriAction action;

      if (!gloss_uri_is_gloss (remaining[i]))
        continue;
      if (!(url = gloss_uri_parse (remaining[i], &action, &error)))
        {
          g_printerr ("gloss: %s\n", error->message);
          return GLOSS_CLI_FAILED;
        }
    }

  return GLOSS_CLI_NEEDS_GUI;
}

int
gloss_cli_run (GVariantDict  *options,
               GFile        **library_out,
               GPtrArray    **clip_urls_out)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GFile) library = NULL;
  const Command *command = NULL;
  guint n_commands = 0;
  Run run = { 0, };
  int status;

  g_return_val_if_fail (options != NULL, GLOSS_CLI_USAGE);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return GLOSS_CLI_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_variant_dict_contains (options, commands[i].option))
      {
        command = &commands[i];
        n_commands++;
      }

  if (n_commands == 0)
    {
      if (g_variant_dict_contains (options, "limit"))
        return usage (_("--limit goes with --search"));
      if (g_variant_dict_contains (options, "json"))
        return usage (_("--json goes with --list or --search"));
      return check_gloss_uris (options);
    }

  if (n_commands > 1)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *message = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        g_string_append_printf (names, "%s--%s", i > 0 ? ", " : "", commands[i].option);
      /* Translators: %s is a list of options: “--list, --verify, …”. */
      message = g_strdup_printf (_("Give only one of %s at a time"), names->str);
      return usage (message);
    }

  if (command->run == NULL)
    return GLOSS_CLI_NEEDS_GUI;

  library = gloss_cli_resolve_library (options);
  run.options = options;
  run.library = library;
  run.out = out;
  run.err = err;

  status = gloss_cli_finish (command->run (&run), out, err);

  if (status == GLOSS_CLI_OK && run.clip_urls != NULL && run.clip_urls->len > 0)
    {
      if (library_out != NULL)
        *library_out = g_steal_pointer (&library);
      if (clip_urls_out != NULL)
        *clip_urls_out = g_steal_pointer (&run.clip_urls);
      g_clear_pointer (&run.clip_urls, g_ptr_array_unref);
      return GLOSS_CLI_NEEDS_GUI;
    }

  g_clear_pointer (&run.clip_urls, g_ptr_array_unref);
  return status;
}
