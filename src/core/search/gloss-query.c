/* gloss-query.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The search language (see gloss-query.h): a hand-written scanner that
 * turns what the user typed into clauses, and the builders that turn the
 * clauses into FTS5 and SQL. User text only ever appears inside FTS5
 * double-quoted strings (with quotes doubled) or as bound SQL parameters. */

#define G_LOG_DOMAIN "gloss-query"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-annotation.h"
#include "gloss-error.h"
#include "gloss-query.h"

typedef enum
{
  FIELD_ANY,
  FIELD_TITLE,
  FIELD_NOTE,
  FIELD_QUOTE,
  FIELD_URL,
  FIELD_BYLINE,
  /* Everything after this one is a filter, not text. */
  FIELD_TAG,
  FIELD_SITE,
  FIELD_COLOR,
  FIELD_HAS,
  FIELD_BEFORE,
  FIELD_AFTER,
  FIELD_SORT,
} Field;

typedef enum
{
  HAS_NOTES,
  HAS_HIGHLIGHTS,
  HAS_TAGS,
} Has;

typedef struct
{
  Field     field;
  gboolean  negated;
  gboolean  prefix;
  /* Text terms: the words as typed. tag: and site: the folded value. */
  char     *text;
  /* before:/after: a Unix time; color: a bit mask; has: a Has. */
  gint64    number;
} Term;

struct _GlossQuery
{
  gatomicrefcount  ref_count;
  char            *text;
  GlossQuerySort   sort;
  /* GPtrArray of GPtrArray of Term: clauses joined by AND, each a list of
   * alternatives joined by OR. */
  GPtrArray       *clauses;
  guint            n_terms;

  char            *fts_match;
  char            *annotation_match;
  char            *sql_filter;
  GPtrArray       *params;
  /* Term *, not owned: the positive text terms. */
  GPtrArray       *highlight;
};

static const struct
{
  const char *name;
  Field       field;
} field_names[] = {
  { "title", FIELD_TITLE },
  { "note", FIELD_NOTE },
  { "notes", FIELD_NOTE },
  { "quote", FIELD_QUOTE },
  { "quotes", FIELD_QUOTE },
  { "url", FIELD_URL },
  { "byline", FIELD_BYLINE },
  { "author", FIELD_BYLINE },
  { "tag", FIELD_TAG },
  { "site", FIELD_SITE },
  { "color", FIELD_COLOR },
  { "colour", FIELD_COLOR },
  { "has", FIELD_HAS },
  { "before", FIELD_BEFORE },
  { "after", FIELD_AFTER },
  { "sort", FIELD_SORT },
};

static const char * const has_names[] = {
  "notes", "highlights", "tags",
};

static void
term_free (gpointer data)
{
  Term *term = data;

  g_free (term->text);
  g_free (term);
}

static gboolean
field_is_text (Field field)
{
  return field < FIELD_TAG;
}

/* The FTS5 column a text field searches, NULL for all of them. */
static const char *
field_column (Field field)
{
  switch (field)
    {
    case FIELD_TITLE:
      return "title";
    case FIELD_NOTE:
      return "note";
    case FIELD_QUOTE:
      return "quotes";
    case FIELD_URL:
      return "url";
    case FIELD_BYLINE:
      return "byline";
    case FIELD_ANY:
    case FIELD_TAG:
    case FIELD_SITE:
    case FIELD_COLOR:
    case FIELD_HAS:
    case FIELD_BEFORE:
    case FIELD_AFTER:
    case FIELD_SORT:
    default:
      return NULL;
    }
}

static const char *
field_name (Field field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (field_names[i].field == field)
      return field_names[i].name;
  return "";
}

char *
gloss_query_fold (const char *text)
{
  g_autofree char *normal = NULL;
  g_autofree char *folded = NULL;

  if (text == NULL)
    return NULL;

  normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (normal == NULL)
    return NULL;
  folded = g_utf8_casefold (normal, -1);
  return g_strdup (g_strstrip (folded));
}

static char *
normalize_host (const char *host)
{
  g_autofree char *folded = gloss_query_fold (host);
  const char *start = folded;
  gsize len;

  if (folded == NULL)
    return NULL;
  if (g_str_has_prefix (start, "www."))
    start += 4;
  len = strlen (start);
  while (len > 0 && start[len - 1] == '.')
    len--;
  if (len == 0)
    return NULL;
  return g_strndup (start, len);
}

char *
gloss_query_url_host (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return normalize_host (g_uri_get_host (uri));
}

/* What the user typed after site:, as a host: "https://www.Example.org/x"
 * and "example.org" both give "example.org". A site name with spaces is
 * kept as it is (folded). */
static char *
site_value (const char *value)
{
  const char *start = value;
  const char *end;
  g_autofree char *host = NULL;

  if (g_ascii_strncasecmp (start, "https://", 8) == 0)
    start += 8;
  else if (g_ascii_strncasecmp (start, "http://", 7) == 0)
    start += 7;
  if (strchr (start, ' ') != NULL)
    return gloss_query_fold (start);
  end = strchr (start, '/');
  host = end ? g_strndup (start, end - start) : g_strdup (start);
  return normalize_host (host);
}

/* YYYY, YYYY-MM or YYYY-MM-DD: the start of that period, local time. */
static gboolean
parse_date (const char *text,
            gint64     *out)
{
  int parts[3] = { 0, 1, 1 };
  const int widths[3] = { 4, 2, 2 };
  const char *p = text;
  g_autoptr(GDateTime) time = NULL;
  guint n = 0;

  while (n < 3)
    {
      int value = 0;
      int digits = 0;

      while (g_ascii_isdigit (*p) && digits < widths[n])
        {
          value = value * 10 + (*p - '0');
          p++;
          digits++;
        }
      /* Months and days may have one digit. */
      if (digits == 0 || (n == 0 && digits != 4))
        return FALSE;
      parts[n++] = value;
      if (*p == '\0')
        break;
      if (*p != '-' && *p != '/')
        return FALSE;
      p++;
    }
  if (*p != '\0')
    return FALSE;
  if (parts[0] < 1 || !g_date_valid_dmy (parts[2], parts[1], parts[0]))
    return FALSE;

  time = g_date_time_new_local (parts[0], parts[1], parts[2], 0, 0, 0);
  if (time == NULL)
    return FALSE;
  *out = g_date_time_to_unix (time);
  return TRUE;
}

/* Whether FTS5's unicode61 tokenizer finds a token in @text: a word of
 * only punctuation ("*", "-", "(") gives none and is dropped. */
static gboolean
has_token (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static gboolean
is_separator (gunichar c)
{
  return g_unichar_isspace (c) || c == '(' || c == ')';
}

static gboolean
set_error (GError     **error,
           const char  *format,
           ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_error (GError     **error,
           const char  *format,
           ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY, message);
  return FALSE;
}

/* Reads a double-quoted string; @p is on the opening quote. An unclosed
 * quote runs to the end of the query. */
static char *
read_quoted (const char **p)
{
  const char *start = *p + 1;
  const char *end = strchr (start, '"');

  if (end == NULL)
    {
      *p = start + strlen (start);
      return g_strdup (start);
    }
  *p = end + 1;
  return g_strndup (start, end - start);
}

static char *
read_word (const char **p)
{
  const char *start = *p;
  const char *q = start;

  while (*q && *q != '"' && !is_separator (g_utf8_get_char (q)))
    q = g_utf8_next_char (q);
  *p = q;
  return g_strndup (start, q - start);
}

/* Strips trailing stars; TRUE if there were any. */
static gboolean
strip_stars (char *text)
{
  gsize len = strlen (text);
  gboolean prefix = FALSE;

  while (len > 0 && text[len - 1] == '*')
    {
      text[--len] = '\0';
      prefix = TRUE;
    }
  return prefix;
}

static gboolean
lookup_field (const char *name,
              Field      *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_ascii_strcasecmp (field_names[i].name, name) == 0)
      {
        *field = field_names[i].field;
        return TRUE;
      }
  return FALSE;
}

/* Fills in a filter term from its value; FALSE with a message when the
 * value makes no sense for the field. */
static gboolean
parse_filter (GlossQuery  *self,
              Term        *term,
              const char  *value,
              GError     **error)
{
  g_autofree char *folded = gloss_query_fold (value);

  switch (term->field)
    {
    case FIELD_TAG:
      term->text = g_steal_pointer (&folded);
      return TRUE;

    case FIELD_SITE:
      term->text = site_value (value);
      if (term->text == NULL)
        /* Translators: “site:” is search syntax: keep it as it is. */
        return set_error (error, _("“site:%s” is not a web site; try site:example.org"), value);
      return TRUE;

    case FIELD_COLOR:
      for (guint i = 0; i < GLOSS_N_COLORS; i++)
        if (g_strcmp0 (folded, gloss_color_to_string (i)) == 0 ||
            (i == 3 && g_strcmp0 (folded, "red") == 0))
          {
            term->number = GLOSS_QUERY_COLOR_BIT (i);
            return TRUE;
          }
      /* Translators: the colour names are search syntax (color:yellow):
       * keep them as they are. */
      return set_error (error, _("Unknown colour “%s”: use yellow, green, blue, pink or purple"), value);

    case FIELD_HAS:
      for (guint i = 0; i < G_N_ELEMENTS (has_names); i++)
        {
          gsize len = strlen (has_names[i]);

          /* "notes" or "note", "highlights" or "highlight" */
          if (g_strcmp0 (folded, has_names[i]) == 0 ||
              (strlen (folded) == len - 1 && strncmp (folded, has_names[i], len - 1) == 0))
            {
              term->number = i;
              return TRUE;
            }
        }
      if (g_strcmp0 (folded, "annotations") == 0 || g_strcmp0 (folded, "quotes") == 0)
        {
          term->number = HAS_HIGHLIGHTS;
          return TRUE;
        }
      /* Translators: “has:” and its values are search syntax. */
      return set_error (error, _("Unknown “has:%s”: use has:notes, has:highlights or has:tags"), value);

    case FIELD_BEFORE:
    case FIELD_AFTER:
      if (!parse_date (value, &term->number))
        /* Translators: a search field (“before” or “after”) and its value. */
        return set_error (error, _("“%s:%s” is not a date; write it as 2025-01-31, 2025-01 or 2025"),
                          field_name (term->field), value);
      return TRUE;

    case FIELD_SORT:
      if (g_strcmp0 (folded, "newest") == 0 || g_strcmp0 (folded, "new") == 0)
        self->sort = GLOSS_QUERY_SORT_NEWEST;
      else if (g_strcmp0 (folded, "oldest") == 0 || g_strcmp0 (folded, "old") == 0)
        self->sort = GLOSS_QUERY_SORT_OLDEST;
      else if (g_strcmp0 (folded, "relevance") == 0 || g_strcmp0 (folded, "best") == 0)
        self->sort = GLOSS_QUERY_SORT_RELEVANCE;
      else
        /* Translators: “sort:” and its values are search syntax. */
        return set_error (error, _("Unknown “sort:%s”: use sort:newest, sort:oldest or sort:relevance"), value);
      return TRUE;

    case FIELD_ANY:
    case FIELD_TITLE:
    case FIELD_NOTE:
    case FIELD_QUOTE:
    case FIELD_URL:
    case FIELD_BYLINE:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse (GlossQuery  *self,
       const char  *text,
       GError     **error)
{
  const char *p = text;
  gboolean join_next = FALSE;
  gboolean negate_next = FALSE;

  while (TRUE)
    {
      g_autoptr(GPtrArray) clause = NULL;
      g_autofree char *word = NULL;
      g_autofree char *value = NULL;
      Term *term;
      gboolean negated = negate_next;
      gboolean quoted = FALSE;
      gboolean prefix = FALSE;
      Field field = FIELD_ANY;
      const char *colon;

      while (*p && is_separator (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      negate_next = FALSE;
      if (*p == '-' && p[1] != '\0' && !is_separator (g_utf8_get_char (p + 1)))
        {
          negated = TRUE;
          p++;
        }

      if (*p == '"')
        {
          value = read_quoted (&p);
          quoted = TRUE;
        }
      else
        {
          word = read_word (&p);

          if (!negated && (strcmp (word, "OR") == 0 || strcmp (word, "|") == 0))
            {
              join_next = self->clauses->len > 0;
              continue;
            }
          if (!negated && (strcmp (word, "AND") == 0 || strcmp (word, "&") == 0))
            continue;
          if (!negated && strcmp (word, "NOT") == 0)
            {
              negate_next = TRUE;
              continue;
            }

          colon = strchr (word, ':');
          if (colon != NULL && colon > word && !g_str_has_prefix (colon + 1, "//"))
            {
              g_autofree char *name = g_strndup (word, colon - word);
              gboolean letters = TRUE;

              for (const char *n = name; *n; n++)
                letters = letters && g_ascii_isalpha (*n);

              if (letters)
                {
                  if (!lookup_field (name, &field))
                    return set_error (error,
                                      /* Translators: the field names are search syntax: keep
                                       * them as they are. */
                                      _("Unknown search field “%s:”; use title:, note:, quote:, "
                                        "url:, byline:, tag:, site:, color:, has:, before:, "
                                        "after: or sort:"), name);

                  if (colon[1] == '\0' && *p == '"')
                    {
                      value = read_quoted (&p);
                      quoted = TRUE;
                    }
                  else
                    value = g_strdup (colon + 1);
                }
            }
          if (value == NULL)
            value = g_steal_pointer (&word);
        }

      if (quoted)
        {
          if (*p == '*')
            {
              prefix = TRUE;
              while (*p == '*')
                p++;
            }
        }
      else if (field != FIELD_SITE)
        prefix = strip_stars (value);

      if (field != FIELD_ANY)
        {
          g_strstrip (value);
          if (*value == '\0')
            /* Translators: a search field name such as “tag”, then an
             * example such as “tag:reading”, which is search syntax. */
            return set_error (error, _("“%s:” needs a value, for example %s"),
                              field_name (field),
                              field == FIELD_TAG ? "tag:reading" :
                              field == FIELD_SITE ? "site:example.org" :
                              field == FIELD_COLOR ? "color:yellow" :
                              field == FIELD_HAS ? "has:notes" :
                              field == FIELD_BEFORE ? "before:2025-01-01" :
                              field == FIELD_AFTER ? "after:2025-01-01" :
                              field == FIELD_SORT ? "sort:newest" : "title:word");
        }

      if (field == FIELD_SORT)
        {
          Term sort = { FIELD_SORT, };

          if (!parse_filter (self, &sort, value, error))
            return FALSE;
          continue;
        }

      term = g_new0 (Term, 1);
      term->field = field;
      term->negated = negated;
      term->prefix = prefix;

      if (field_is_text (field))
        {
          if (!has_token (value))
            {
              /* Nothing FTS5 could match: drop it, and any OR before it. */
              term_free (term);
              join_next = FALSE;
              continue;
            }
          term->text = g_steal_pointer (&value);
        }
      else if (!parse_filter (self, term, value, error))
        {
          term_free (term);
          return FALSE;
        }

      if (++self->n_terms > GLOSS_QUERY_MAX_TERMS)
        {
          term_free (term);
          return set_error (error, _("The search has too many words: at most %d"), GLOSS_QUERY_MAX_TERMS);
        }

      if (join_next)
        {
          g_ptr_array_add (g_ptr_array_index (self->clauses, self->clauses->len - 1), term);
          join_next = FALSE;
          continue;
        }

      clause = g_ptr_array_new_with_free_func (term_free);
      g_ptr_array_add (clause, term);
      g_ptr_array_add (self->clauses, g_steal_pointer (&clause));
    }

  return TRUE;
}

/* An FTS5 string: double quotes doubled, nothing else special inside. */
static void
append_fts_string (GString    *out,
                   const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_fts_term (GString    *out,
                 const Term *term,
                 const char *column)
{
  if (column != NULL)
    g_string_append_printf (out, "%s : ", column);
  append_fts_string (out, term->text);
  if (term->prefix)
    g_string_append (out, " *");
}

/* A clause of text terms only, without negation: goes into the main
 * MATCH. */
static gboolean
clause_is_positive_text (GPtrArray *clause)
{
  for (guint i = 0; i < clause->len; i++)
    {
      const Term *term = g_ptr_array_index (clause, i);

      if (!field_is_text (term->field) || term->negated)
        return FALSE;
    }
  return TRUE;
}

static gboolean
clause_is_negated_text (GPtrArray *clause)
{
  const Term *term = g_ptr_array_index (clause, 0);

  return clause->len == 1 && field_is_text (term->field) && term->negated;
}

static void
append_text_clause (GString   *out,
                    GPtrArray *clause)
{
  if (clause->len > 1)
    g_string_append_c (out, '(');
  for (guint i = 0; i < clause->len; i++)
    {
      const Term *term = g_ptr_array_index (clause, i);

      if (i > 0)
        g_string_append (out, " OR ");
      append_fts_term (out, term, field_column (term->field));
    }
  if (clause->len > 1)
    g_string_append_c (out, ')');
}

static void
append_filter_sql (GString    *sql,
                   GPtrArray  *params,
                   const Term *term)
{
  g_autoptr(GString) match = NULL;

  if (term->negated)
    g_string_append (sql, "NOT ");

  switch (term->field)
    {
    case FIELD_ANY:
    case FIELD_TITLE:
    case FIELD_NOTE:
    case FIELD_QUOTE:
    case FIELD_URL:
    case FIELD_BYLINE:
      match = g_string_new (NULL);
      append_fts_term (match, term, field_column (term->field));
      g_string_append (sql, "c.rowid IN (SELECT rowid FROM clip_fts WHERE clip_fts MATCH ?)");
      g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_string (match->str)));
      break;

    case FIELD_TAG:
      if (term->prefix)
        {
          g_string_append (sql, "EXISTS (SELECT 1 FROM clip_tags t WHERE t.clip = c.rowid "
                                "AND substr(t.tag, 1, ?) = ?)");
          g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_int64 (g_utf8_strlen (term->text, -1))));
        }
      else
        g_string_append (sql, "EXISTS (SELECT 1 FROM clip_tags t WHERE t.clip = c.rowid AND t.tag = ?)");
      g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_string (term->text)));
      break;

    case FIELD_SITE:
      {
        g_autofree char *dotted = g_strconcat (".", term->text, NULL);

        /* The host itself, a subdomain of it, the site name, or (for a
         * bare name such as site:nytimes) one label of the host. */
        g_string_append (sql, "(c.host = ? OR substr(c.host, -?) = ? OR c.site_key = ?");
        g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_string (term->text)));
        g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_int64 (g_utf8_strlen (dotted, -1))));
        g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_string (dotted)));
        g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_string (term->text)));
        if (strchr (term->text, '.') == NULL && strchr (term->text, ' ') == NULL)
          {
            g_autofree char *label = g_strconcat (".", term->text, ".", NULL);

            g_string_append (sql, " OR instr('.' || c.host || '.', ?) > 0");
            g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_string (label)));
          }
        g_string_append_c (sql, ')');
      }
      break;

    case FIELD_COLOR:
      g_string_append (sql, "(c.colors & ?) != 0");
      g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_int64 (term->number)));
      break;

    case FIELD_HAS:
      g_string_append (sql, term->number == HAS_NOTES ? "c.has_notes != 0" :
                            term->number == HAS_HIGHLIGHTS ? "c.has_highlights != 0" :
                            "c.has_tags != 0");
      break;

    case FIELD_BEFORE:
      g_string_append (sql, "c.created < ?");
      g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_int64 (term->number)));
      break;

    case FIELD_AFTER:
      g_string_append (sql, "c.created >= ?");
      g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_int64 (term->number)));
      break;

    case FIELD_SORT:
    default:
      g_assert_not_reached ();
    }
}

static void
build (GlossQuery *self)
{
  g_autoptr(GString) positive = g_string_new (NULL);
  g_autoptr(GString) negative = g_string_new (NULL);
  g_autoptr(GString) annotations = g_string_new (NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  guint n_negative = 0;

  for (guint i = 0; i < self->clauses->len; i++)
    {
      GPtrArray *clause = g_ptr_array_index (self->clauses, i);

      /* Highlights and notes that hold any positive word. */
      for (guint j = 0; j < clause->len; j++)
        {
          const Term *term = g_ptr_array_index (clause, j);
          const char *column;

          if (term->negated)
            continue;
          if (field_is_text (term->field))
            g_ptr_array_add (self->highlight, (gpointer) term);
          if (term->field == FIELD_ANY)
            column = NULL;
          else if (term->field == FIELD_NOTE || term->field == FIELD_QUOTE)
            column = field_column (term->field);
          else
            continue;
          if (annotations->len > 0)
            g_string_append (annotations, " OR ");
          append_fts_term (annotations, term, column);
        }

      if (clause_is_positive_text (clause))
        {
          if (positive->len > 0)
            g_string_append (positive, " AND ");
          append_text_clause (positive, clause);
        }
      else if (clause_is_negated_text (clause))
        {
          const Term *term = g_ptr_array_index (clause, 0);

          if (n_negative++ > 0)
            g_string_append (negative, " OR ");
          append_fts_term (negative, term, field_column (term->field));
        }
      else
        {
          if (sql->len > 0)
            g_string_append (sql, " AND ");
          g_string_append_c (sql, '(');
          for (guint j = 0; j < clause->len; j++)
            {
              if (j > 0)
                g_string_append (sql, " OR ");
              append_filter_sql (sql, self->params, g_ptr_array_index (clause, j));
            }
          g_string_append_c (sql, ')');
        }
    }

  if (positive->len > 0 && n_negative > 0)
    self->fts_match = g_strdup_printf ("(%s) NOT (%s)", positive->str, negative->str);
  else if (positive->len > 0)
    self->fts_match = g_strdup (positive->str);
  else if (n_negative > 0)
    {
      /* FTS5's NOT needs something on its left: without a positive word,
       * leave out what matches instead. */
      if (sql->len > 0)
        g_string_append (sql, " AND ");
      g_string_append (sql, "c.rowid NOT IN (SELECT rowid FROM clip_fts WHERE clip_fts MATCH ?)");
      g_ptr_array_add (self->params, g_variant_ref_sink (g_variant_new_string (negative->str)));
    }

  if (annotations->len > 0)
    self->annotation_match = g_strdup (annotations->str);
  if (sql->len > 0)
    self->sql_filter = g_strdup (sql->str);
}

GlossQuery *
gloss_query_parse (const char  *text,
                   GError     **error)
{
  g_autoptr(GlossQuery) self = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strlen (text) > GLOSS_QUERY_MAX_LENGTH)
    {
      set_error (error, _("The search is too long: at most %d characters"), GLOSS_QUERY_MAX_LENGTH);
      return NULL;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      set_error (error, _("The search is not valid UTF-8 text"));
      return NULL;
    }

  self = g_new0 (GlossQuery, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (text);
  self->sort = GLOSS_QUERY_SORT_RELEVANCE;
  self->clauses = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  self->highlight = g_ptr_array_new ();

  if (!parse (self, text, error))
    return NULL;
  build (self);

  return g_steal_pointer (&self);
}

GlossQuery *
gloss_query_ref (GlossQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gloss_query_unref (GlossQuery *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->text);
  g_ptr_array_unref (self->clauses);
  g_ptr_array_unref (self->params);
  g_ptr_array_unref (self->highlight);
  g_free (self->fts_match);
  g_free (self->annotation_match);
  g_free (self->sql_filter);
  g_free (self);
}

const char *
gloss_query_get_text (GlossQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

GlossQuerySort
gloss_query_get_sort (GlossQuery *self)
{
  g_return_val_if_fail (self != NULL, GLOSS_QUERY_SORT_RELEVANCE);
  return self->sort;
}

gboolean
gloss_query_is_empty (GlossQuery *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->clauses->len == 0;
}

const char *
gloss_query_get_fts_match (GlossQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->fts_match;
}

const char *
gloss_query_get_annotation_match (GlossQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->annotation_match;
}

const char *
gloss_query_get_sql_filter (GlossQuery  *self,
                            GPtrArray  **params)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (params != NULL)
    *params = self->params;
  return self->sql_filter;
}

guint
gloss_query_get_n_highlight_terms (GlossQuery *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->highlight->len;
}

const char *
gloss_query_get_highlight_term (GlossQuery  *self,
                                guint        i,
                                const char **column,
                                gboolean    *prefix)
{
  const Term *term;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->highlight->len, NULL);

  term = g_ptr_array_index (self->highlight, i);
  if (column != NULL)
    *column = field_column (term->field);
  if (prefix != NULL)
    *prefix = term->prefix;
  return term->text;
}

gint64
gloss_query_estimate_matches (GlossQuery         *self,
                              GlossQueryDocCount  doc_count,
                              gpointer            user_data)
{
  gint64 estimate = G_MAXINT64;

  g_return_val_if_fail (self != NULL, G_MAXINT64);
  g_return_val_if_fail (doc_count != NULL, G_MAXINT64);

  for (guint i = 0; i < self->clauses->len; i++)
    {
      GPtrArray *clause = g_ptr_array_index (self->clauses, i);
      gint64 sum = 0;

      /* Clauses with a filter or a negation only narrow the matches. */
      if (!clause_is_positive_text (clause))
        continue;
      for (guint j = 0; j < clause->len; j++)
        {
          const Term *term = g_ptr_array_index (clause, j);

          sum += doc_count (term->text, term->prefix, field_column (term->field), user_data);
        }
      estimate = MIN (estimate, sum);
    }
  return estimate;
}

static void
append_term_string (GString    *out,
                    const Term *term)
{
  if (term->negated)
    g_string_append_c (out, '-');

  if (field_is_text (term->field))
    {
      if (term->field != FIELD_ANY)
        g_string_append_printf (out, "%s:", field_name (term->field));
      g_string_append_printf (out, "\"%s\"%s", term->text, term->prefix ? "*" : "");
      return;
    }

  g_string_append_printf (out, "%s=", field_name (term->field));
  switch (term->field)
    {
    case FIELD_TAG:
    case FIELD_SITE:
      g_string_append_printf (out, "%s%s", term->text, term->prefix ? "*" : "");
      break;
    case FIELD_COLOR:
      for (guint i = 0; i < GLOSS_N_COLORS; i++)
        if (term->number & GLOSS_QUERY_COLOR_BIT (i))
          g_string_append (out, gloss_color_to_string (i));
      break;
    case FIELD_HAS:
      g_string_append (out, has_names[term->number]);
      break;
    case FIELD_BEFORE:
    case FIELD_AFTER:
      {
        g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (term->number);
        g_autofree char *date = g_date_time_format (time, "%Y-%m-%d");

        g_string_append (out, date);
      }
      break;
    case FIELD_ANY:
    case FIELD_TITLE:
    case FIELD_NOTE:
    case FIELD_QUOTE:
    case FIELD_URL:
    case FIELD_BYLINE:
    case FIELD_SORT:
    default:
      g_assert_not_reached ();
    }
}

char *
gloss_query_to_string (GlossQuery *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->clauses->len; i++)
    {
      GPtrArray *clause = g_ptr_array_index (self->clauses, i);

      if (i > 0)
        g_string_append (out, " AND ");
      if (clause->len > 1)
        g_string_append_c (out, '(');
      for (guint j = 0; j < clause->len; j++)
        {
          if (j > 0)
            g_string_append (out, " OR ");
          append_term_string (out, g_ptr_array_index (clause, j));
        }
      if (clause->len > 1)
        g_string_append_c (out, ')');
    }
  if (self->sort == GLOSS_QUERY_SORT_NEWEST)
    g_string_append (out, out->len ? " sort=newest" : "sort=newest");
  else if (self->sort == GLOSS_QUERY_SORT_OLDEST)
    g_string_append (out, out->len ? " sort=oldest" : "sort=oldest");

  return g_string_free (out, FALSE);
}
