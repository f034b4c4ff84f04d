/* gloss-gen-library.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* gloss-gen-library DIR N [--seed S]: writes N synthetic clips into
 * DIR/clips per FORMAT.md, for benchmarks of loading, search and export.
 * Deterministic: the same N and seed give the same bytes, whatever the
 * number of threads, because every clip draws from its own generator
 * seeded by (seed, index). Articles are 5-10 KB of real-looking prose
 * with accented words, typographic quotes, the odd "R&D" that the HTML
 * must escape, and now and then CJK or an emoji, so that byte and code
 * point offsets differ; annotations carry correct quote and position
 * selectors into article.txt. */

#define G_LOG_DOMAIN "gloss-gen-library"

#include "config.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char * const words[] = {
  "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was",
  "with", "be", "by", "on", "not", "he", "this", "are", "or", "his", "from",
  "at", "which", "but", "have", "an", "they", "you", "were", "their", "one",
  "all", "we", "can", "her", "has", "there", "been", "if", "more", "when",
  "will", "would", "who", "so", "no", "government", "minister", "talks",
  "agreement", "economy", "market", "policy", "report", "analysis", "data",
  "research", "climate", "energy", "water", "city", "council", "budget",
  "election", "campaign", "history", "science", "study", "university",
  "students", "teachers", "hospital", "doctors", "patients", "health",
  "software", "engineers", "network", "security", "privacy", "platform",
  "developers", "community", "project", "release", "version", "feature",
  "interview", "conference", "statement", "officials", "reporters", "sources",
  "according", "however", "although", "because", "despite", "therefore",
  "meanwhile", "several", "important", "significant", "difficult", "recent",
  "previous", "following", "national", "international", "regional", "local",
  "public", "private", "financial", "political", "social", "cultural",
  "growth", "decline", "increase", "decrease", "percent", "million",
  "billion", "thousand", "years", "months", "weeks", "yesterday", "today",
  "morning", "evening", "north", "south", "east", "west", "river", "mountain",
  "coast", "island", "village", "harbour", "railway", "bridge", "road",
  "museum", "library", "archive", "letters", "novel", "poetry", "music",
  "theatre", "festival", "painting", "gallery", "exhibition", "collection",
  "café", "naïve", "résumé", "façade", "déjà", "vu", "jalapeño", "Zürich",
  "São", "Paulo", "Málaga", "Kraków", "Øresund", "Ångström", "Besançon",
  "crème", "brûlée", "piñata", "señora", "über", "Fräulein", "Dvořák",
  "Łódź", "Reykjavík", "Gdańsk", "Curaçao", "Québec", "Genève", "smörgåsbord",
  "R&D", "AT&T", "mediators", "going", "forward", "reflecting", "diplomacy",
  "minerals", "deal", "peace", "negotiations", "ceasefire", "delegation",
  "treaty", "summit", "sanctions", "tariffs", "exports", "imports", "trade",
  "farmers", "harvest", "drought", "flood", "storm", "forecast", "season",
  "said", "told", "asked", "explained", "added", "noted", "argued", "wrote",
  "believed", "expected", "suggested", "announced", "confirmed", "denied",
  "quickly", "slowly", "carefully", "openly", "quietly", "largely", "mostly",
  "new", "old", "long", "short", "early", "late", "high", "low", "small",
  "large", "first", "last", "next", "other", "same", "different", "many",
  "few", "much", "little", "good", "bad", "best", "worst", "great", "young",
};

static const char * const rare[] = {
  "東京", "北京", "서울", "Ελλάδα", "Москва", "🙂", "🌍", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "e\xcc\x81t\xc3\xa9",
};

static const char * const sites[][2] = {
  { "Example News", "news.example.org" },
  { "The Daily Ledger", "ledger.example.com" },
  { "Le Monde Diplomatique", "monde.example.fr" },
  { "Süddeutsche Beispiel", "sz.example.de" },
  { "Tech Weekly", "techweekly.example.net" },
  { "Science Today", "sciencetoday.example.org" },
  { "The Harbour Gazette", "gazette.example.co.uk" },
  { "Kraków Review", "review.example.pl" },
  { "Open Source Journal", "osj.example.io" },
  { "Climate Desk", "climatedesk.example.org" },
  { "El Observador", "observador.example.es" },
  { "Nordic Notes", "nordic.example.no" },
  { "History Matters", "historymatters.example.com" },
  { "The Long Read", "longread.example.com" },
  { "Policy Brief", "policy.example.gov" },
  { "Arts & Letters", "arts.example.org" },
};

static const char * const tags_pool[] = {
  "politics", "economy", "climate", "science", "history", "diplomacy",
  "technology", "privacy", "health", "education", "culture", "music",
  "to-read", "research", "économie", "Zürich", "long read", "Ukraine",
  "energy", "trade", "EU", "software", "books", "art", "travel", "food",
};

static const char * const people[] = {
  "Anna Kowalska", "John Smith", "Maria García", "Jürgen Müller",
  "Aoife Ní Bhriain", "Olivier Dupré", "Sara Lindqvist", "Kwame Mensah",
  "Priya Raman", "Tomás Ó Briain", "Yuki Tanaka", "WGON",
};

static const char * const colors[] = { "yellow", "green", "blue", "pink", "purple" };

static const char * const notes[] = {
  "Why now? Compare with the minerals deal.",
  "Check the **numbers** against the report.",
  "Good quote for the essay.",
  "Source? Follow up — ask the café owner in Zürich.",
  "See also the previous article.",
  "Contradicts what was said last year.",
};

typedef struct
{
  guint64 state;
} Rng;

/* Seeds must be scrambled: splitmix64 streams whose seeds differ by its
 * increment are the same stream shifted by one. */
static guint64
mix64 (guint64 z)
{
  z = (z ^ (z >> 33)) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  z = (z ^ (z >> 33)) * G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  return z ^ (z >> 33);
}

static guint64
rng_next (Rng *rng)
{
  /* splitmix64: tiny, fast and good enough for synthetic text. */
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static guint
rng_range (Rng   *rng,
           guint  n)
{
  return n == 0 ? 0 : (guint) (rng_next (rng) % n);
}

static void
append_json_string (GString    *out,
                    const char *s,
                    gssize      len)
{
  const char *end = s + (len < 0 ? (gssize) strlen (s) : len);

  g_string_append_c (out, '"');
  for (const char *p = s; p < end; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
append_html_escaped (GString    *out,
                     const char *s)
{
  for (const char *p = s; *p; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        default: g_string_append_c (out, *p);
        }
    }
}

static const char *
pick_word (Rng *rng)
{
  if (rng_range (rng, 400) == 0)
    return rare[rng_range (rng, G_N_ELEMENTS (rare))];
  return words[rng_range (rng, G_N_ELEMENTS (words))];
}

static void
capitalized (GString    *out,
             const char *word)
{
  gunichar c = g_utf8_get_char (word);

  g_string_append_unichar (out, g_unichar_toupper (c));
  g_string_append (out, g_utf8_next_char (word));
}

static void
make_uuid (Rng  *rng,
           char  out[37])
{
  guint64 a = rng_next (rng), b = rng_next (rng);

  g_snprintf (out, 37, "%08x-%04x-4%03x-%04x-%012" G_GINT64_MODIFIER "x",
              (guint) (a >> 32), (guint) ((a >> 16) & 0xffff), (guint) (a & 0xfff),
              (guint) (0x8000 | ((b >> 48) & 0x3fff)),
              b & G_GUINT64_CONSTANT (0xffffffffffff));
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

typedef struct
{
  GString *text;     /* article.txt */
  GString *html;     /* article.html */
  guint    n_words;
} Article;

/* One paragraph into both the text and the HTML, sentence by sentence;
 * some words get inline markup, which textContent does not see. */
static void
write_paragraph (Rng     *rng,
                 Article *art)
{
  guint n_sentences = 3 + rng_range (rng, 5);

  g_string_append (art->html, "<p>");
  for (guint s = 0; s < n_sentences; s++)
    {
      guint n = 6 + rng_range (rng, 15);
      gboolean quoted = rng_range (rng, 8) == 0;

      if (s > 0)
        {
          g_string_append_c (art->text, ' ');
          g_string_append_c (art->html, ' ');
        }
      if (quoted)
        {
          g_string_append (art->text, "“");
          g_string_append (art->html, "“");
        }

      for (guint w = 0; w < n; w++)
        {
          const char *word = pick_word (rng);
          g_autoptr(GString) piece = g_string_new (NULL);
          guint markup = rng_range (rng, 40);

          if (w == 0)
            capitalized (piece, word);
          else
            g_string_append (piece, word);
          if (w + 1 < n && rng_range (rng, 12) == 0)
            g_string_append_c (piece, ',');

          if (w > 0)
            {
              g_string_append_c (art->text, ' ');
              g_string_append_c (art->html, ' ');
            }
          g_string_append (art->text, piece->str);
          if (markup == 0)
            g_string_append (art->html, "<em>");
          else if (markup == 1)
            g_string_append (art->html, "<a href=\"https://example.org/ref?a=1&amp;b=2\">");
          append_html_escaped (art->html, piece->str);
          if (markup == 0)
            g_string_append (art->html, "</em>");
          else if (markup == 1)
            g_string_append (art->html, "</a>");
          art->n_words++;
        }

      g_string_append (art->text, quoted ? ".”" : ".");
      g_string_append (art->html, quoted ? ".”" : ".");
    }
  g_string_append (art->html, "</p>\n");
  /* The newline between elements is a text node: part of textContent. */
  g_string_append_c (art->text, '\n');
}

static gboolean
write_file (const char  *dir,
            const char  *name,
            GString     *contents,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  FILE *f = fopen (path, "wb");

  if (f == NULL || fwrite (contents->str, 1, contents->len, f) != contents->len)
    {
      int saved = errno;

      if (f != NULL)
        fclose (f);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Could not write %s: %s", path, g_strerror (saved));
      return FALSE;
    }

  if (fclose (f) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Could not write %s: %s", path, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

/* The byte offset of each code point of @text, and one past the end. */
static guint32 *
code_point_offsets (const char *text,
                    gsize       len,
                    guint      *n_chars)
{
  guint32 *offsets = g_new (guint32, len + 1);
  guint n = 0;

  for (const char *p = text; p < text + len; p = g_utf8_next_char (p))
    offsets[n++] = (guint32) (p - text);
  offsets[n] = (guint32) len;
  *n_chars = n;
  return offsets;
}

static void
append_span (GString    *json,
             const char *text,
             guint32    *offsets,
             guint       start,
             guint       end)
{
  append_json_string (json, text + offsets[start], offsets[end] - offsets[start]);
}

static gboolean
generate_clip (const char  *clips_dir,
               guint64      seed,
               guint        index,
               GError     **error)
{
  Rng rng = { mix64 (seed ^ mix64 (index + G_GUINT64_CONSTANT (0x5851f42d4c957f2d))) };
  Article art = { g_string_sized_new (12000), g_string_sized_new (14000), 0 };
  g_autoptr(GString) json = g_string_sized_new (8192);
  g_autoptr(GString) title = g_string_new (NULL);
  g_autofree char *folder = NULL;
  g_autofree char *created = NULL;
  g_autofree char *modified = NULL;
  g_autofree char *published = NULL;
  g_autofree guint32 *offsets = NULL;
  char id[37];
  guint target, site, n_title, n_chars, n_ann, n_tags;
  gint64 created_unix;
  gboolean ok;

  make_uuid (&rng, id);
  site = rng_range (&rng, G_N_ELEMENTS (sites));

  n_title = 4 + rng_range (&rng, 8);
  for (guint w = 0; w < n_title; w++)
    {
      if (w > 0)
        g_string_append_c (title, ' ');
      if (w == 0)
        capitalized (title, pick_word (&rng));
      else
        g_string_append (title, pick_word (&rng));
    }

  target = 5000 + rng_range (&rng, 5000);
  while (art.text->len < target)
    write_paragraph (&rng, &art);

  offsets = code_point_offsets (art.text->str, art.text->len, &n_chars);

  /* 2020 to 2026, newest first in the list. */
  created_unix = G_GINT64_CONSTANT (1577836800) + rng_range (&rng, 6 * 365 * 86400);
  created = format_time (created_unix);
  modified = format_time (created_unix + rng_range (&rng, 30 * 86400));
  published = format_time (created_unix - rng_range (&rng, 90 * 86400));

  g_string_append (json, "{\n  \"format\": 1,\n  \"id\": ");
  append_json_string (json, id, -1);
  g_string_append_printf (json, ",\n  \"url\": \"https://%s/%.4s/%.2s/%u-%s\"",
                          sites[site][1], created, created + 5, index, id + 24);
  g_string_append (json, ",\n  \"title\": ");
  append_json_string (json, title->str, -1);
  g_string_append (json, ",\n  \"byline\": ");
  if (rng_range (&rng, 4) == 0)
    g_string_append (json, "null");
  else
    append_json_string (json, people[rng_range (&rng, G_N_ELEMENTS (people))], -1);
  g_string_append (json, ",\n  \"site_name\": ");
  append_json_string (json, sites[site][0], -1);
  g_string_append (json, ",\n  \"excerpt\": ");
  append_span (json, art.text->str, offsets, 0, MIN (n_chars, 140));
  g_string_append_printf (json, ",\n  \"lang\": \"%s\",\n  \"dir\": \"ltr\"",
                          rng_range (&rng, 10) == 0 ? "fr" : "en");
  g_string_append_printf (json, ",\n  \"published\": \"%s\"", published);
  g_string_append_printf (json, ",\n  \"created\": \"%s\",\n  \"modified\": \"%s\"", created, modified);
  g_string_append_printf (json, ",\n  \"word_count\": %u", art.n_words);

  g_string_append (json, ",\n  \"tags\": [");
  n_tags = rng_range (&rng, 5);
  {
    guint first = rng_range (&rng, G_N_ELEMENTS (tags_pool));

    for (guint t = 0; t < n_tags; t++)
      {
        if (t > 0)
          g_string_append (json, ", ");
        append_json_string (json, tags_pool[(first + t * 7) % G_N_ELEMENTS (tags_pool)], -1);
      }
  }
  g_string_append_c (json, ']');

  if (rng_range (&rng, 3) == 0)
    {
      g_string_append (json, ",\n  \"note\": ");
      append_json_string (json, notes[rng_range (&rng, G_N_ELEMENTS (notes))], -1);
    }

  /* Non-overlapping highlights in document order: one per equal slice of
   * the text, snapped to word boundaries. */
  n_ann = rng_range (&rng, 13);
  g_string_append (json, ",\n  \"annotations\": [");
  for (guint a = 0, written = 0; a < n_ann; a++)
    {
      guint slice = n_chars / n_ann;
      guint lo = a * slice, start, end, len;
      char ann_id[37];
      g_autofree char *a_created = format_time (created_unix + 60 + a * 60);
      const char *text = art.text->str;

      if (slice < 40)
        break;
      start = lo + rng_range (&rng, slice / 2);
      while (start > lo && text[offsets[start - 1]] != ' ')
        start--;
      len = 20 + rng_range (&rng, MIN (180, slice / 2 - 10));
      end = MIN (start + len, lo + slice);
      while (end > start + 1 && text[offsets[end]] != ' ' && text[offsets[end]] != '\n')
        end--;
      if (end <= start)
        continue;

      make_uuid (&rng, ann_id);
      g_string_append (json, written++ > 0 ? ",\n    {\n" : "\n    {\n");
      g_string_append_printf (json,
                              "      \"id\": \"%s\",\n      \"created\": \"%s\",\n"
                              "      \"modified\": \"%s\",\n      \"color\": \"%s\",\n      \"note\": ",
                              ann_id, a_created, a_created,
                              colors[rng_range (&rng, G_N_ELEMENTS (colors))]);
      if (rng_range (&rng, 5) < 2)
        append_json_string (json, notes[rng_range (&rng, G_N_ELEMENTS (notes))], -1);
      else
        g_string_append (json, "\"\"");
      g_string_append (json,
                       ",\n      \"target\": {\n        \"selector\": [\n"
                       "          { \"type\": \"TextQuoteSelector\",\n            \"exact\": ");
      append_span (json, text, offsets, start, end);
      g_string_append (json, ",\n            \"prefix\": ");
      append_span (json, text, offsets, start > 32 ? start - 32 : 0, start);
      g_string_append (json, ",\n            \"suffix\": ");
      append_span (json, text, offsets, end, MIN (end + 32, n_chars));
      g_string_append_printf (json,
                              " },\n          { \"type\": \"TextPositionSelector\", "
                              "\"start\": %u, \"end\": %u }\n        ]\n      }\n    }",
                              start, end);
    }
  g_string_append (json, "\n  ]\n}\n");

  folder = g_build_filename (clips_dir, id, NULL);
  if (g_mkdir_with_parents (folder, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Could not create %s: %s", folder, g_strerror (saved));
      ok = FALSE;
    }
  else
    /* FORMAT.md's order: the articles, then clip.json. */
    ok = write_file (folder, "article.html", art.html, error) &&
         write_file (folder, "article.txt", art.text, error) &&
         write_file (folder, "clip.json", json, error);

  g_string_free (art.text, TRUE);
  g_string_free (art.html, TRUE);
  return ok;
}

typedef struct
{
  const char *clips_dir;
  guint64     seed;
  guint       n;
  gint        next;
  gint        failed;
  GMutex      lock;
  char       *message;
} Job;

static gpointer
worker (gpointer data)
{
  Job *job = data;
  gint i;

  while (!g_atomic_int_get (&job->failed) &&
         (i = g_atomic_int_add (&job->next, 1)) < (gint) job->n)
    {
      g_autoptr(GError) error = NULL;

      if (!generate_clip (job->clips_dir, job->seed, i, &error))
        {
          g_mutex_lock (&job->lock);
          if (job->message == NULL)
            job->message = g_strdup (error->message);
          g_mutex_unlock (&job->lock);
          g_atomic_int_set (&job->failed, 1);
        }
    }

  return NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *clips_dir = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  Job job = { 0, };
  const char *dir = NULL;
  gint64 n = -1;
  guint64 seed = 1;
  guint n_threads;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--seed") && i + 1 < argc)
        seed = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (dir == NULL)
        dir = argv[i];
      else if (n < 0)
        n = g_ascii_strtoll (argv[i], NULL, 10);
      else
        n = -2;
    }

  if (dir == NULL || n < 0 || n > G_MAXINT)
    {
      g_printerr ("Usage: %s DIR N [--seed S]\n", argv[0]);
      return 2;
    }

  clips_dir = g_build_filename (dir, "clips", NULL);
  if (g_mkdir_with_parents (clips_dir, 0755) != 0)
    {
      g_printerr ("Could not create %s: %s\n", clips_dir, g_strerror (errno));
      return 1;
    }

  job.clips_dir = clips_dir;
  job.seed = seed;
  job.n = (guint) n;
  g_mutex_init (&job.lock);

  n_threads = CLAMP (g_get_num_processors (), 1, 16);
  for (guint i = 1; i < n_threads; i++)
    g_ptr_array_add (threads, g_thread_new ("gen", worker, &job));
  worker (&job);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);

  if (job.failed)
    {
      g_printerr ("%s\n", job.message);
      return 1;
    }

  return 0;
}
