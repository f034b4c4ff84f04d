/* gloss-cli-library.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `gloss --list` and `gloss --verify`, without a window. They read the
 * library exactly as the app does and never write into it: a check that
 * changed what it checks could not be trusted. */

#define G_LOG_DOMAIN "gloss-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-anchor.h"
#include "gloss-clip-anchor.h"
#include "gloss-cli.h"
#include "gloss-cli-library.h"
#include "gloss-error.h"
#include "gloss-fs.h"
#include "gloss-id.h"
#include "gloss-library-private.h"
#include "gloss-merge.h"

static void
list_text (GPtrArray *clips,
           GString   *out)
{
  for (guint i = 0; i < clips->len; i++)
    {
      GlossClip *clip = clips->pdata[i];
      const char *damage = gloss_clip_get_damage (clip);
      g_autofree char *title = NULL;
      g_autofree char *site = NULL;
      guint n;

      if (damage != NULL)
        {
          g_autofree char *reason = gloss_cli_one_line (damage, FALSE);

          /* Translators: a line of “gloss --list” for a clip that cannot be
           * read: the clip id, then the reason. The first word is padded to
           * the width of a date (2026-01-31) and two spaces, so that the ids
           * line up with the titles of the other lines. */
          g_string_append_printf (out, _("damaged     %s: %s\n"), gloss_clip_get_id (clip), reason);
          continue;
        }

      title = gloss_cli_one_line (gloss_clip_get_title (clip), FALSE);
      site = gloss_cli_one_line (gloss_clip_get_site_name (clip), FALSE);
      n = gloss_clip_get_n_annotations (clip);

      /* The date part of the RFC 3339 time. */
      g_string_append_printf (out, "%.10s  %s", gloss_clip_get_created (clip), title);
      if (site[0] != '\0')
        g_string_append_printf (out, " — %s", site);
      g_string_append (out, "  (");
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u highlight", "%u highlights", n), n);
      g_string_append_c (out, ')');
      if (gloss_clip_get_read_only (clip))
        g_string_append (out, _(" [read-only: newer format]"));
      g_string_append_c (out, '\n');
    }
}

static void
list_json (GPtrArray *clips,
           GString   *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < clips->len; i++)
    {
      GlossClip *clip = clips->pdata[i];
      const char *damage = gloss_clip_get_damage (clip);
      const char * const *tags = gloss_clip_get_tags (clip);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, gloss_clip_get_id (clip));
      if (damage != NULL)
        {
          /* The same members as a readable clip, so that a script can
           * read every element alike. */
          static const char * const unknown[] = { "title", "url", "site_name", "created" };

          for (guint j = 0; j < G_N_ELEMENTS (unknown); j++)
            {
              json_builder_set_member_name (builder, unknown[j]);
              json_builder_add_null_value (builder);
            }
          json_builder_set_member_name (builder, "highlights");
          json_builder_add_int_value (builder, 0);
          json_builder_set_member_name (builder, "tags");
          json_builder_begin_array (builder);
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "damaged");
          json_builder_add_string_value (builder, damage);
          json_builder_end_object (builder);
          continue;
        }

      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, gloss_clip_get_title (clip));
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, gloss_clip_get_url (clip));
      gloss_cli_json_add_string (builder, "site_name", gloss_clip_get_site_name (clip));
      json_builder_set_member_name (builder, "created");
      json_builder_add_string_value (builder, gloss_clip_get_created (clip));
      json_builder_set_member_name (builder, "highlights");
      json_builder_add_int_value (builder, gloss_clip_get_n_annotations (clip));
      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      for (guint j = 0; tags[j] != NULL; j++)
        json_builder_add_string_value (builder, tags[j]);
      json_builder_end_array (builder);
      if (gloss_clip_get_read_only (clip))
        {
          json_builder_set_member_name (builder, "read_only");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  gloss_cli_append_json (out, builder);
}

int
gloss_cli_list (GFile    *library_folder,
                gboolean  json,
                GString  *out,
                GString  *err)
{
  g_autoptr(GFile) clips_folder = NULL;
  g_autoptr(GPtrArray) clips = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (G_IS_FILE (library_folder), GLOSS_CLI_FAILED);
  g_return_val_if_fail (out != NULL && err != NULL, GLOSS_CLI_FAILED);

  if (!gloss_cli_check_library_folder (library_folder, err))
    return GLOSS_CLI_FAILED;

  clips_folder = g_file_get_child (library_folder, "clips");
  clips = gloss_library_scan_clips (clips_folder, NULL, &error);
  if (clips == NULL)
    {
      g_string_append_printf (err, "%s\n", error->message);
      return GLOSS_CLI_FAILED;
    }

  if (json)
    list_json (clips, out);
  else
    list_text (clips, out);

  return GLOSS_CLI_OK;
}

/* --- verify ------------------------------------------------------------- */

typedef struct
{
  char    *name;
  GString *report;
  guint    attention;
  gboolean is_clip;
  guint    n_annotations;
  guint    by_method[4];
} Check;

static void
check_free (Check *check)
{
  g_free (check->name);
  g_string_free (check->report, TRUE);
  g_free (check);
}

G_GNUC_PRINTF (3, 4)
static void
report (Check      *check,
        gboolean    attention,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  g_autofree char *name = gloss_cli_one_line (check->name, FALSE);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_string_append_printf (check->report, "%s clips/%s: %s\n",
                          attention ? "!" : " ", name, message);
  if (attention)
    check->attention++;
}

static char *
shorten (const char *text,
         guint       max_chars)
{
  g_autofree char *line = gloss_cli_one_line (text, FALSE);

  if (g_utf8_strlen (line, -1) <= max_chars)
    return g_steal_pointer (&line);

  {
    g_autofree char *head = g_utf8_substring (line, 0, max_chars);
    return g_strconcat (head, "…", NULL);
  }
}

/* Whether @name is in @folder, as anything (a link is not followed). */
static gboolean
child_exists (GFile      *folder,
              const char *name)
{
  g_autoptr(GFile) child = g_file_get_child (folder, name);

  return g_file_query_file_type (child, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) != G_FILE_TYPE_UNKNOWN;
}

/* TRUE when the file is there and valid UTF-8. */
static gboolean
check_text_file (Check      *check,
                 GFile      *folder,
                 const char *name,
                 char      **contents_out)
{
  g_autoptr(GFile) file = g_file_get_child (folder, name);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  const char *bad;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        report (check, TRUE, _("%s is missing"), name);
      else
        report (check, TRUE, _("%s cannot be read: %s"), name, error->message);
      return FALSE;
    }

  if (g_utf8_validate_len (contents, length, &bad))
    {
      if (contents_out != NULL)
        *contents_out = g_steal_pointer (&contents);
      return TRUE;
    }
  else
    {
      if (*bad == '\0' && memchr (contents, '\0', length) != NULL)
        /* Translators: the first %s is a file name, %zu a byte offset. */
        report (check, TRUE, _("%s holds a NUL byte at byte %zu"),
                name, (size_t) (bad - contents));
      else
        /* Translators: %s is a file name, %zu a byte offset. */
        report (check, TRUE, _("%s is not valid UTF-8 (at byte %zu)"),
                name, (size_t) (bad - contents));
    }

  /* Anchoring still works on what can be read of a damaged text. */
  if (contents_out != NULL)
    *contents_out = g_utf8_make_valid (contents, length);
  return FALSE;
}

/* An approximation of the article's textContent from article.html: tags
 * dropped, the usual entities decoded, whitespace runs made one space.
 * NULL when the HTML holds something this cannot judge (an entity it does
 * not know, a script or style element). */
static char *
approximate_text (const char *html)
{
  static const struct { const char *name; const char *text; } entities[] = {
    { "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" },
    { "apos;", "'" }, { "nbsp;", "\xc2\xa0" },
  };
  GString *out = g_string_sized_new (strlen (html));
  const char *p = html;

  while (*p)
    {
      if (*p == '<')
        {
          const char *close;

          if (g_ascii_strncasecmp (p, "<script", 7) == 0 || g_ascii_strncasecmp (p, "<style", 6) == 0 ||
              g_str_has_prefix (p, "<!--") || !(close = strchr (p, '>')))
            return (g_string_free (out, TRUE), NULL);
          p = close + 1;
        }
      else if (*p == '&')
        {
          gboolean known = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (entities) && !known; i++)
            if (g_str_has_prefix (p + 1, entities[i].name))
              {
                g_string_append (out, entities[i].text);
                p += 1 + strlen (entities[i].name);
                known = TRUE;
              }
          if (!known && p[1] == '#')
            {
              char *end = NULL;
              gunichar c = p[2] == 'x' || p[2] == 'X'
                           ? (gunichar) g_ascii_strtoull (p + 3, &end, 16)
                           : (gunichar) g_ascii_strtoull (p + 2, &end, 10);

              if (end != NULL && *end == ';' && g_unichar_validate (c) && c != 0)
                {
                  g_string_append_unichar (out, c);
                  p = end + 1;
                  known = TRUE;
                }
            }
          if (!known)
            return (g_string_free (out, TRUE), NULL);
        }
      else
        {
          /* Plain text up to the next tag or entity, in one piece. */
          gsize run = strcspn (p, "<&");

          g_string_append_len (out, p, run);
          p += run;
        }
    }

  return g_string_free (out, FALSE);
}

/* The next character of @p with whitespace runs read as one space and
 * leading whitespace skipped: layout differs, words do not. ASCII, most
 * of any article, takes the short way. */
static gunichar
next_squeezed (const char **p,
               gboolean    *after_text)
{
  gboolean space = FALSE;

  for (;;)
    {
      guchar b = (guchar) **p;
      gunichar c;

      if (b == '\0')
        return GLOSS_CLI_OK;

      if (b < 0x80)
        {
          c = b;
          (*p)++;
        }
      else
        {
          c = g_utf8_get_char (*p);
          *p = g_utf8_next_char (*p);
        }

      if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
          (c >= 0x80 && g_unichar_isspace (c)))
        {
          space = *after_text;
          continue;
        }

      if (space)
        {
          /* Give the character back: the space comes first. */
          *p = g_utf8_prev_char (*p);
          *after_text = FALSE;
          return ' ';
        }

      *after_text = TRUE;
      return c;
    }
}

/* @html and @text are valid UTF-8 (check_text_file() said so). */
static void
check_text_matches_html (Check      *check,
                         const char *html,
                         const char *text)
{
  g_autofree char *approx = NULL;
  const char *a, *b;
  gboolean a_text = FALSE, b_text = FALSE;
  guint at = 0;
  gunichar ca, cb;

  if (html == NULL || text == NULL || !(approx = approximate_text (html)))
    return;

  a = approx;
  b = text;
  do
    {
      /* The common case, the same printable ASCII on both sides, in a
       * tight loop; anything else (a space, a difference, other
       * characters) one character at a time below. */
      if (*a == *b && *a > ' ' && (guchar) *a < 0x80)
        {
          while (*a == *b && *a > ' ' && (guchar) *a < 0x80)
            {
              a++;
              b++;
              at++;
            }
          a_text = b_text = TRUE;
        }

      ca = next_squeezed (&a, &a_text);
      cb = next_squeezed (&b, &b_text);
      /* A trailing space (a run at the very end) is no difference. */
      if (ca == ' ' && cb == 0 && *a == '\0')
        ca = 0;
      if (cb == ' ' && ca == 0 && *b == '\0')
        cb = 0;
      if (ca != cb)
        break;
      at++;
    }
  while (ca != 0);

  if (ca == cb)
    return;

  report (check, FALSE,
          /* Translators: %u is a character offset; the %s is empty or the
           * message that follows it. */
          _("article.txt differs from the text of article.html from character %u on%s"),
          at, cb == 0 ? _(" (article.txt is shorter: cut off?)") : "");
}

static void
check_annotations (Check      *check,
                   GlossClip  *clip,
                   const char *text_utf8)
{
  g_autoptr(GlossText) text = NULL;
  g_autoptr(GArray) anchorings = gloss_clip_anchor_all (clip, text_utf8, &text, GLOSS_CLIP_ANCHOR_DEFAULT, NULL);
  guint previous_start = 0;
  gboolean out_of_order = FALSE;

  for (guint i = 0; i < anchorings->len; i++)
    {
      const GlossAnchoring *anchoring = &g_array_index (anchorings, GlossAnchoring, i);
      GlossAnnotation *a = anchoring->annotation;
      guint start = anchoring->start, end = anchoring->end;
      GlossAnchorMethod method = anchoring->method;
      g_autofree char *quote = NULL;

      check->n_annotations++;
      check->by_method[method]++;

      if (gloss_annotation_get_start (a) < previous_start)
        out_of_order = TRUE;
      previous_start = gloss_annotation_get_start (a);

      if (method != GLOSS_ANCHOR_POSITION)
        quote = shorten (gloss_annotation_get_exact (a), 40);

      switch (method)
        {
        case GLOSS_ANCHOR_POSITION:
          break;
        case GLOSS_ANCHOR_QUOTE:
          report (check, FALSE,
                  /* Translators: an annotation id, the character range where its
                   * quote is found, the range it was saved with, and the quote. */
                  _("annotation %s anchors by its quote at %u–%u, not at its position %u–%u: “%s”"),
                  gloss_annotation_get_id (a), start, end,
                  gloss_annotation_get_start (a), gloss_annotation_get_end (a), quote);
          break;
        case GLOSS_ANCHOR_FUZZY:
          {
            g_autofree char *found = gloss_text_substring (text, start, end);
            g_autofree char *found_short = shorten (found, 40);

            report (check, FALSE,
                    /* Translators: an annotation id, a character range, the
                     * saved quote and the text now found there. */
                    _("annotation %s anchors only approximately at %u–%u: “%s” now reads “%s”"),
                    gloss_annotation_get_id (a), start, end, quote, found_short);
          }
          break;
        case GLOSS_ANCHOR_ORPHAN:
        default:
          report (check, TRUE,
                  /* Translators: an annotation id and its quote. */
                  _("annotation %s is an orphan: its text is not in article.txt: “%s”"),
                  gloss_annotation_get_id (a), quote);
          break;
        }
    }

  if (out_of_order)
    report (check, FALSE, _("the annotations are not in document order"));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
check_conflicts (Check *check,
                 GFile *folder)
{
  g_autofree char *path = g_file_get_path (folder);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)))
    if (gloss_merge_conflict_copy_of (name, NULL) != GLOSS_SYNC_TOOL_NONE)
      g_ptr_array_add (names, g_strdup (name));

  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *shown = gloss_cli_one_line (names->pdata[i], FALSE);

      report (check, TRUE,
              /* Translators: %s is the file name of a sync tool's conflict copy. */
              _("sync conflict copy %s is not merged yet: gloss --merge-conflicts (or starting Gloss) merges it"),
              shown);
    }
}

static void
check_one (GFile *clips_folder,
           Check *check)
{
  g_autoptr(GFile) folder = g_file_get_child (clips_folder, check->name);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  gboolean html_ok, text_ok;
  GFileType type;

  type = g_file_query_file_type (folder, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL);
  if (type == G_FILE_TYPE_SYMBOLIC_LINK)
    {
      report (check, TRUE, _("a symbolic link, not a clip folder: Gloss neither lists it nor writes through it"));
      return;
    }
  if (type != G_FILE_TYPE_DIRECTORY)
    {
      report (check, FALSE, _("not a clip folder; Gloss leaves it alone"));
      return;
    }

  if (!gloss_id_is_valid (check->name))
    {
      report (check, TRUE,
              _("the folder name is not a valid clip id (1 to 64 characters of 0-9, a-z and -); Gloss does not show it"));
      return;
    }

  check->is_clip = TRUE;
  check_conflicts (check, folder);

  {
    g_autofree char *path = g_file_get_path (folder);
    g_auto(GStrv) leftovers = gloss_fs_find_leftovers (path, 0);

    for (guint i = 0; leftovers != NULL && leftovers[i] != NULL; i++)
      {
        g_autofree char *shown = gloss_cli_one_line (leftovers[i], FALSE);

        report (check, TRUE,
                /* Translators: %s is a file name inside a clip folder. */
                _("leftover temporary file %s from an interrupted save: the next save of this clip removes it"),
                shown);
      }
  }

  clip = gloss_clip_load_with_mode (folder, GLOSS_CLIP_LOAD_CHECK, &error);
  if (clip == NULL)
    {
      if (g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_NOT_FOUND))
        report (check, TRUE,
                _("unfinished clip: no clip.json (a save was interrupted); Gloss does not show it"));
      else
        report (check, TRUE, _("damaged: %s"), error->message);
      return;
    }

  if (gloss_clip_get_read_only (clip))
    {
      report (check, FALSE,
              /* Translators: %lld is the format number in clip.json. */
              _("written by a newer Gloss (format %lld): shown read-only, not checked further"),
              (long long) gloss_clip_get_format (clip));
      return;
    }

  /* FORMAT.md: with neither article file the page is saved but not
   * clipped yet (an imported reading list, a clip that failed); its
   * annotations keep their selectors until it is clipped. */
  if (!child_exists (folder, "article.html") && !child_exists (folder, "article.txt"))
    {
      guint n = gloss_clip_get_n_annotations (clip);

      if (n > 0)
        report (check, FALSE,
                g_dngettext (GETTEXT_PACKAGE,
                             "not clipped yet: its %u annotation will be anchored when the page is clipped (gloss --clip-pending)",
                             "not clipped yet: its %u annotations will be anchored when the page is clipped (gloss --clip-pending)",
                             n),
                n);
      else
        report (check, FALSE, _("not clipped yet (gloss --clip-pending clips it)"));
      return;
    }

  html_ok = check_text_file (check, folder, "article.html", &html);
  text_ok = check_text_file (check, folder, "article.txt", &text);
  if (html_ok && text_ok)
    check_text_matches_html (check, html, text);

  if (text != NULL)
    check_annotations (check, clip, text);
  else if (gloss_clip_get_n_annotations (clip) > 0)
    {
      check->n_annotations += gloss_clip_get_n_annotations (clip);
      check->by_method[GLOSS_ANCHOR_ORPHAN] += gloss_clip_get_n_annotations (clip);
      report (check, TRUE, g_dngettext (GETTEXT_PACKAGE, "%u annotation cannot be anchored without article.txt", "%u annotations cannot be anchored without article.txt", gloss_clip_get_n_annotations (clip)),
              gloss_clip_get_n_annotations (clip));
    }
}

typedef struct
{
  GFile     *clips_folder;
  GPtrArray *checks;
} VerifyJob;

static void
verify_one_cb (guint    index,
               gpointer user_data)
{
  VerifyJob *job = user_data;

  check_one (job->clips_folder, job->checks->pdata[index]);
}

static int
compare_checks (gconstpointer a,
                gconstpointer b)
{
  const Check *ca = *(const Check **) a;
  const Check *cb = *(const Check **) b;

  return strcmp (ca->name, cb->name);
}

int
gloss_cli_verify (GFile   *library_folder,
                  GString *out,
                  GString *err)
{
  g_autoptr(GFile) clips_folder = NULL;
  g_autofree char *clips_path = NULL;
  g_autofree char *library_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  VerifyJob job = { 0, };
  guint attention = 0, n_clips = 0, n_annotations = 0;
  guint by_method[4] = { 0, };
  const char *name;

  g_return_val_if_fail (G_IS_FILE (library_folder), GLOSS_CLI_FAILED);
  g_return_val_if_fail (out != NULL && err != NULL, GLOSS_CLI_FAILED);

  if (!gloss_cli_check_library_folder (library_folder, err))
    return GLOSS_CLI_FAILED;

  library_path = g_file_get_parse_name (library_folder);
  clips_folder = g_file_get_child (library_folder, "clips");
  clips_path = g_file_get_path (clips_folder);

  g_string_append_printf (out, _("Library: %s\n"), library_path);

  if (!(dir = g_dir_open (clips_path, 0, &error)))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_string_append (out, _("No clips yet. All is well.\n"));
          return GLOSS_CLI_OK;
        }
      g_string_append_printf (err, _("Could not read “%s”: %s\n"), clips_path, error->message);
      return GLOSS_CLI_FAILED;
    }

  checks = g_ptr_array_new_with_free_func ((GDestroyNotify) check_free);
  while ((name = g_dir_read_name (dir)))
    {
      Check *check;

      /* A sync tool's own folders and files (.stversions, .stfolder,
       * ~syncthing~….tmp). */
      if (name[0] == '.' || gloss_merge_is_sync_file (name))
        continue;

      check = g_new0 (Check, 1);
      check->name = g_strdup (name);
      check->report = g_string_new (NULL);
      g_ptr_array_add (checks, check);
    }
  g_ptr_array_sort (checks, compare_checks);

  job.clips_folder = clips_folder;
  job.checks = checks;
  gloss_library_for_each_folder (checks->len, 32, "gloss-verify", NULL, verify_one_cb, &job);

  for (guint i = 0; i < checks->len; i++)
    {
      Check *check = checks->pdata[i];

      g_string_append_len (out, check->report->str, check->report->len);
      attention += check->attention;
      n_clips += check->is_clip;
      n_annotations += check->n_annotations;
      for (guint m = 0; m < 4; m++)
        by_method[m] += check->by_method[m];
    }

  {
    /* One plural per number: the summary is put together from its parts. */
    g_autofree char *folders = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u clip folder",
                                                             "%u clip folders", n_clips),
                                                n_clips);
    g_autofree char *annotations = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u annotation",
                                                                 "%u annotations", n_annotations),
                                                    n_annotations);
    g_autofree char *orphans = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u orphan", "%u orphans",
                                                             by_method[GLOSS_ANCHOR_ORPHAN]),
                                                by_method[GLOSS_ANCHOR_ORPHAN]);

    /* Translators: of the annotations “gloss --verify” checked, how many
     * anchor at their saved position. */
    g_autofree char *at_position = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u at its position", "%u at their position",
                                                                 by_method[GLOSS_ANCHOR_POSITION]),
                                                    by_method[GLOSS_ANCHOR_POSITION]);
    /* Translators: … how many anchor by their quote. */
    g_autofree char *by_quote = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u by quote", "%u by quote",
                                                              by_method[GLOSS_ANCHOR_QUOTE]),
                                                 by_method[GLOSS_ANCHOR_QUOTE]);
    /* Translators: … how many anchor only approximately. */
    g_autofree char *fuzzy = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u approximately", "%u approximately",
                                                           by_method[GLOSS_ANCHOR_FUZZY]),
                                              by_method[GLOSS_ANCHOR_FUZZY]);

    /* Translators: the last line of “gloss --verify”: “%u clip folders”,
     * “%u annotations”, then how many annotations anchor at their saved
     * position, by their quote and approximately, then “%u orphans”. */
    g_string_append_printf (out, _("Checked %s and %s: %s, %s, %s, %s.\n"),
                            folders, annotations, at_position, by_quote, fuzzy, orphans);
  }

  if (attention > 0)
    {
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u problem needs attention (marked !).\n",
                                                "%u problems need attention (marked !).\n", attention),
                              attention);
      return GLOSS_CLI_FAILED;
    }

  g_string_append (out, _("All is well.\n"));
  return GLOSS_CLI_OK;
}
