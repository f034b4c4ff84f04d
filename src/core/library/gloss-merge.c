/* gloss-merge.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* FORMAT.md "Several machines": the merge of two (or, for git, three)
 * versions of one clip.json, the sync tools' conflict copies found beside
 * it, and the texts that lost a merge. The merge itself is a pure function
 * of the JSON trees: every machine that merges the same versions writes the
 * same bytes, so that the sync settles. */

#define G_LOG_DOMAIN "gloss-merge"

/* getdents64() */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gloss-clip-private.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-json-private.h"
#include "gloss-merge.h"
#include "gloss-merge-private.h"

/* --- times -------------------------------------------------------------- */

typedef struct
{
  gint64      seconds;    /* since 1970-01-01T00:00:00Z */
  const char *fraction;   /* digits after the point, trailing zeros cut */
  gsize       fraction_len;
} Instant;

static gboolean
two_digits (const char *s,
            int        *out)
{
  if (!g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]))
    return FALSE;
  *out = (s[0] - '0') * 10 + (s[1] - '0');
  return TRUE;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static gint64
days_from_civil (gint64 y,
                 int    m,
                 int    d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SS[.fraction]Z", as FORMAT.md has it and as
 * gloss_time_is_valid() accepts it: parsed by hand, because GDateTime
 * keeps microseconds only and the merge compares any fraction exactly. */
static gboolean
parse_instant (const char *s,
               Instant    *out)
{
  static const int month_days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  int c1, c2, mo, d, h, mi, se;
  gint64 year;
  gsize len, i;

  if (s == NULL)
    return FALSE;
  len = strlen (s);
  if (len < 20 || len > 40)
    return FALSE;
  if (!two_digits (s, &c1) || !two_digits (s + 2, &c2) || s[4] != '-' ||
      !two_digits (s + 5, &mo) || s[7] != '-' || !two_digits (s + 8, &d) ||
      s[10] != 'T' || !two_digits (s + 11, &h) || s[13] != ':' ||
      !two_digits (s + 14, &mi) || s[16] != ':' || !two_digits (s + 17, &se))
    return FALSE;

  year = c1 * 100 + c2;
  if (year < 1 || mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] ||
      h > 23 || mi > 59 || se > 59)
    return FALSE;
  if (mo == 2 && d == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
    return FALSE;

  out->fraction = "";
  out->fraction_len = 0;
  i = 19;
  if (s[i] == '.')
    {
      gsize start = ++i;

      while (g_ascii_isdigit (s[i]))
        i++;
      if (i == start)
        return FALSE;
      out->fraction = s + start;
      out->fraction_len = i - start;
      while (out->fraction_len > 0 && out->fraction[out->fraction_len - 1] == '0')
        out->fraction_len--;
    }
  if (s[i] != 'Z' || s[i + 1] != '\0')
    return FALSE;

  out->seconds = days_from_civil (year, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return TRUE;
}

static int
compare_instants (const Instant *a,
                  const Instant *b)
{
  gsize n = MIN (a->fraction_len, b->fraction_len);
  int c;

  if (a->seconds != b->seconds)
    return a->seconds < b->seconds ? -1 : 1;
  /* Trailing zeros are cut, so the longer of two fractions that agree
   * on their common digits is the later. */
  c = memcmp (a->fraction, b->fraction, n);
  if (c != 0)
    return c < 0 ? -1 : 1;
  if (a->fraction_len != b->fraction_len)
    return a->fraction_len < b->fraction_len ? -1 : 1;
  return 0;
}

int
gloss_merge_compare_times (const char *a,
                           const char *b)
{
  Instant ia, ib;
  gboolean va = parse_instant (a, &ia);
  gboolean vb = parse_instant (b, &ib);

  if (!va || !vb)
    return (int) va - (int) vb;
  return compare_instants (&ia, &ib);
}

static gboolean
time_is_valid (const char *s)
{
  Instant i;

  return parse_instant (s, &i);
}

char *
gloss_merge_time_after (const char *time)
{
  g_autofree char *now = gloss_time_now_string ();
  g_autoptr(GDateTime) later = NULL;
  Instant instant;

  if (!parse_instant (time, &instant) || gloss_merge_compare_times (now, time) > 0)
    return g_steal_pointer (&now);

  /* The next whole second: later than @time whatever its fraction, and
   * written as every other time the app writes (whole seconds), so that
   * even a reader that compares the strings sees it later. */
  later = g_date_time_new_from_unix_utc (instant.seconds + 1);
  return gloss_time_to_string (later);
}

/* --- JSON helpers ------------------------------------------------------- */

static char *
node_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* Equal times, different values (FORMAT.md): the value whose JSON text
 * sorts first by bytes. A value is preferred to none, so that nothing is
 * lost. <0 when @a wins. */
static int
tie_break (JsonNode *a,
           JsonNode *b)
{
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;

  if (a == NULL || b == NULL)
    return (a == NULL) - (b == NULL);

  ta = node_text (a);
  tb = node_text (b);
  return strcmp (ta, tb);
}

/* The later of two members holding times; NULL when both are NULL. An
 * entry that is not a valid time loses to one that is. */
static JsonNode *
later_time_node (JsonNode *a,
                 JsonNode *b)
{
  const char *ta, *tb;
  int c;

  if (a == NULL || b == NULL)
    return a != NULL ? a : b;

  ta = JSON_NODE_HOLDS_VALUE (a) && json_node_get_value_type (a) == G_TYPE_STRING
       ? json_node_get_string (a) : NULL;
  tb = JSON_NODE_HOLDS_VALUE (b) && json_node_get_value_type (b) == G_TYPE_STRING
       ? json_node_get_string (b) : NULL;
  c = gloss_merge_compare_times (ta, tb);
  if (c == 0)
    c = -tie_break (a, b);
  return c >= 0 ? a : b;
}

static int
compare_strings_cb (gconstpointer a,
                    gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The member names of both, once each, sorted by bytes. */
static GPtrArray *
union_of_members (JsonObject *a,
                  JsonObject *b)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new ();
  JsonObject *objects[] = { a, b };

  for (guint k = 0; k < G_N_ELEMENTS (objects); k++)
    {
      g_autoptr(GList) members = NULL;

      if (objects[k] == NULL)
        continue;
      members = json_object_get_members (objects[k]);
      for (GList *l = members; l != NULL; l = l->next)
        if (g_hash_table_add (seen, l->data))
          g_ptr_array_add (names, l->data);
    }

  g_ptr_array_sort (names, compare_strings_cb);
  return names;
}

/* "removed", "removed_tags", "changed": every key from both, the later
 * time. NULL when neither has the map. */
static JsonObject *
merge_time_maps (JsonObject *a,
                 JsonObject *b)
{
  g_autoptr(GPtrArray) keys = NULL;
  JsonObject *out;

  if (a == NULL && b == NULL)
    return NULL;

  out = json_object_new ();
  keys = union_of_members (a, b);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = keys->pdata[i];
      JsonNode *na = a && json_object_has_member (a, key) ? json_object_get_member (a, key) : NULL;
      JsonNode *nb = b && json_object_has_member (b, key) ? json_object_get_member (b, key) : NULL;

      json_object_set_member (out, key, gloss_json_deep_copy (later_time_node (na, nb)));
    }

  return out;
}

/* When a person last changed @field of this version: its "changed" entry,
 * or, where there is none, the clip's "created" (FORMAT.md). */
static const char *
effective_changed (JsonObject *clip,
                   const char *field)
{
  const char *time = gloss_json_peek_string (gloss_json_peek_object (clip, "changed"), field);

  if (time != NULL && time_is_valid (time))
    return time;
  return gloss_json_peek_string (clip, "created");
}

/* An annotation's start and end in article.txt. */
static void
annotation_position (JsonObject *annotation,
                     gint64     *start,
                     gint64     *end)
{
  JsonArray *selectors = gloss_json_peek_array (gloss_json_peek_object (annotation, "target"), "selector");
  guint n = selectors ? json_array_get_length (selectors) : 0;

  *start = *end = 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (selectors, i);
      JsonObject *selector;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      selector = json_node_get_object (node);
      if (g_strcmp0 (gloss_json_peek_string (selector, "type"), "TextPositionSelector") == 0)
        {
          *start = json_object_get_int_member_with_default (selector, "start", 0);
          *end = json_object_get_int_member_with_default (selector, "end", 0);
          return;
        }
    }
}

typedef struct
{
  JsonObject *object;
  gint64      start;
  gint64      end;
  const char *id;
} Placed;

static int
compare_placed_cb (gconstpointer a,
                   gconstpointer b)
{
  const Placed *pa = a, *pb = b;

  if (pa->start != pb->start)
    return pa->start < pb->start ? -1 : 1;
  if (pa->end != pb->end)
    return pa->end < pb->end ? -1 : 1;
  return strcmp (pa->id, pb->id);
}

static GHashTable *
annotations_by_id (JsonObject *clip)
{
  GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = gloss_json_peek_array (clip, "annotations");
  guint n = array ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = gloss_json_peek_string (json_node_get_object (node), "id");
      if (id != NULL)
        g_hash_table_insert (table, (gpointer) id, json_node_get_object (node));
    }

  return table;
}

/* A tag's key, as "removed_tags" names it: trimmed, lower case. */
static char *
tag_key (const char *tag)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (tag));

  return g_utf8_strdown (trimmed, -1);
}

static const char *
note_of (JsonObject *object)
{
  const char *note = gloss_json_peek_string (object, "note");

  return note != NULL ? note : "";
}

/* --- the merge ---------------------------------------------------------- */

typedef struct
{
  char       *key;
  const char *spelling;
  guint       holders;   /* a bit per version */
} TagSeen;

static void
tag_seen_free (gpointer data)
{
  TagSeen *seen = data;

  g_free (seen->key);
  g_free (seen);
}

static int
tie_break_objects (JsonObject *a,
                   JsonObject *b)
{
  g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return tie_break (na, nb);
}

/* The members FORMAT.md names, in its order; the merge's own maps; then
 * every other member, sorted by name. */
static const char * const known_members[] = {
  "format", "id", "url", "title", "byline", "site_name", "excerpt", "lang",
  "dir", "published", "created", "modified", "word_count", "tags", "note",
  "annotations", "changed", "removed", "removed_tags",
};

static gboolean
is_ruled_member (const char *name)
{
  static const char * const ruled[] = {
    "id", "title", "note", "tags", "annotations", "created", "modified",
    "changed", "removed", "removed_tags",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ruled); i++)
    if (g_str_equal (name, ruled[i]))
      return TRUE;
  return FALSE;
}

static void
add_lost_text (JsonObject  **lost,
               const char   *field,
               const char   *text,
               const char   *against)
{
  JsonObject *entry = json_object_new ();

  if (*lost == NULL)
    *lost = json_object_new ();
  json_object_set_string_member (entry, "text", text);
  json_object_set_string_member (entry, "against", against);
  json_object_set_object_member (*lost, field, entry);
}

static void
add_lost_note (JsonObject  **lost,
               const char   *annotation_id,
               const char   *note,
               const char   *against)
{
  JsonObject *annotations;
  JsonObject *entry = json_object_new ();

  if (*lost == NULL)
    *lost = json_object_new ();
  if (!(annotations = gloss_json_peek_object (*lost, "annotations")))
    {
      annotations = json_object_new ();
      json_object_set_object_member (*lost, "annotations", annotations);
    }
  json_object_set_string_member (entry, "note", note);
  json_object_set_string_member (entry, "against", against);
  json_object_set_object_member (annotations, annotation_id, entry);
}

/* Whether the losing side's text is one a person wrote against the
 * winner's: with a base, both sides changed it; without one, the loser
 * says a person changed it at all (an older text that merely came along
 * would not have its own "changed" entry newer than the base it shares). */
static gboolean
text_was_lost (const char *winner,
               const char *loser,
               const char *base,
               gboolean    has_base,
               gboolean    loser_changed)
{
  if (g_str_equal (winner, loser))
    return FALSE;
  if (has_base)
    return base != NULL && !g_str_equal (base, winner) && !g_str_equal (base, loser);
  return loser_changed;
}

static JsonObject *
merge_two (JsonObject  *a,
           JsonObject  *b,
           JsonObject  *base,
           gboolean     has_base,
           JsonObject **lost)
{
  JsonObject *out;
  g_autoptr(JsonObject) changed = NULL;
  g_autoptr(JsonObject) removed = NULL;
  g_autoptr(JsonObject) removed_tags = NULL;
  g_autoptr(GHashTable) ann_a = NULL;
  g_autoptr(GHashTable) ann_b = NULL;
  g_autoptr(GHashTable) ann_base = NULL;
  g_autoptr(GArray) placed = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GHashTable) members = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) json_node_unref);
  const char *mod_a = gloss_json_peek_string (a, "modified");
  const char *mod_b = gloss_json_peek_string (b, "modified");
  const char *created;
  int cmp_modified;

  if (g_strcmp0 (gloss_json_peek_string (a, "id"), gloss_json_peek_string (b, "id")) != 0)
    return NULL;

#define SET(name, node) g_hash_table_replace (members, (gpointer) (name), (node))
#define MEMBER(o, name) ((o) != NULL && json_object_has_member ((o), (name)) \
                         ? json_object_get_member ((o), (name)) : NULL)

  SET ("id", json_node_copy (json_object_get_member (a, "id")));

  /* created: the earlier; modified: the later; never "now". */
  {
    JsonNode *ca = MEMBER (a, "created"), *cb = MEMBER (b, "created");
    JsonNode *earlier = later_time_node (ca, cb) == ca ? cb : ca;
    int c = gloss_merge_compare_times (gloss_json_peek_string (a, "created"),
                                       gloss_json_peek_string (b, "created"));

    if (c == 0)
      earlier = tie_break (ca, cb) <= 0 ? ca : cb;
    SET ("created", json_node_copy (earlier));
    created = json_node_get_string (earlier);
  }
  SET ("modified", json_node_copy (later_time_node (MEMBER (a, "modified"), MEMBER (b, "modified"))));
  cmp_modified = gloss_merge_compare_times (mod_a, mod_b);

  changed = merge_time_maps (gloss_json_peek_object (a, "changed"), gloss_json_peek_object (b, "changed"));
  removed = merge_time_maps (gloss_json_peek_object (a, "removed"), gloss_json_peek_object (b, "removed"));
  removed_tags = merge_time_maps (gloss_json_peek_object (a, "removed_tags"),
                                  gloss_json_peek_object (b, "removed_tags"));

  /* "An absent entry counts as the clip's created": the merged version
   * keeps the later of the two, written out where the merged "created"
   * (the earlier) would no longer say it, so that merging again gives the
   * same answer. */
  {
    static const char * const fields[] = { "title", "note", "tags" };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      {
        const char *ea = effective_changed (a, fields[i]);
        const char *eb = effective_changed (b, fields[i]);
        const char *latest = gloss_merge_compare_times (ea, eb) >= 0 ? ea : eb;
        const char *now = gloss_json_peek_string (changed, fields[i]);

        if (gloss_merge_compare_times (ea, eb) == 0 && g_strcmp0 (ea, eb) > 0)
          latest = eb;
        /* Every version's time for it, explicit or not, weighs alike,
         * so that the merged version says the latest of them all. */
        if (now != NULL || g_strcmp0 (latest, created) != 0)
          {
            if (changed == NULL)
              changed = json_object_new ();
            json_object_set_string_member (changed, fields[i], latest);
          }
      }
  }

  if (changed != NULL)
    {
      /* Keys in byte order, as merge_time_maps() writes them. */
      g_autoptr(GPtrArray) keys = union_of_members (changed, NULL);
      JsonObject *sorted = json_object_new ();

      for (guint i = 0; i < keys->len; i++)
        json_object_set_member (sorted, keys->pdata[i],
                                json_node_ref (json_object_get_member (changed, keys->pdata[i])));
      json_object_unref (changed);
      changed = sorted;
    }

  /* title, note: from the version that changed it last. */
  {
    static const char * const fields[] = { "title", "note" };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      {
        const char *f = fields[i];
        JsonNode *na = MEMBER (a, f), *nb = MEMBER (b, f);
        int c = gloss_merge_compare_times (effective_changed (a, f), effective_changed (b, f));
        gboolean a_wins = c > 0 || (c == 0 && tie_break (na, nb) <= 0);
        JsonObject *winner = a_wins ? a : b, *loser = a_wins ? b : a;
        JsonNode *node = a_wins ? na : nb;
        const char *wt = g_str_equal (f, "note") ? note_of (winner) : gloss_json_peek_string (winner, f);
        const char *lt = g_str_equal (f, "note") ? note_of (loser) : gloss_json_peek_string (loser, f);
        const char *bt = !has_base || base == NULL ? NULL
                         : g_str_equal (f, "note") ? note_of (base) : gloss_json_peek_string (base, f);

        if (node != NULL)
          SET (f, json_node_copy (node));

        if (lost != NULL && wt != NULL && lt != NULL &&
            text_was_lost (wt, lt, bt, has_base,
                           gloss_json_peek_string (gloss_json_peek_object (loser, "changed"), f) != NULL))
          {
            const char *against = gloss_json_peek_string (changed, f);

            add_lost_text (lost, f, lt, against != NULL ? against : created);
          }
      }
  }

  /* tags: every tag of either version, less each whose removed_tags time
   * is later than the changed.tags time of every version holding it. */
  if (json_object_has_member (a, "tags") || json_object_has_member (b, "tags"))
    {
      g_autoptr(GHashTable) spelling = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, tag_seen_free);
      g_autoptr(GHashTable) removal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GPtrArray) keys = g_ptr_array_new ();
      JsonObject *versions[] = { a, b };
      JsonArray *array = json_array_new ();

      if (removed_tags != NULL)
        {
          g_autoptr(GList) names = json_object_get_members (removed_tags);

          for (GList *l = names; l != NULL; l = l->next)
            {
              const char *t = gloss_json_peek_string (removed_tags, l->data);
              g_autofree char *key = tag_key (l->data);
              const char *before = g_hash_table_lookup (removal, key);

              if (t != NULL && time_is_valid (t) &&
                  (before == NULL || gloss_merge_compare_times (t, before) > 0))
                g_hash_table_replace (removal, g_steal_pointer (&key), (gpointer) t);
            }
        }

      for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
        {
          JsonArray *tags = gloss_json_peek_array (versions[v], "tags");
          guint n = tags ? json_array_get_length (tags) : 0;

          for (guint i = 0; i < n; i++)
            {
              const char *tag = json_array_get_string_element (tags, i);
              g_autofree char *key = NULL;
              TagSeen *seen;

              if (tag == NULL)
                continue;
              key = tag_key (tag);
              if (!(seen = g_hash_table_lookup (spelling, key)))
                {
                  seen = g_new0 (TagSeen, 1);
                  seen->key = g_strdup (key);
                  seen->spelling = tag;
                  g_hash_table_insert (spelling, seen->key, seen);
                  g_ptr_array_add (keys, seen->key);
                }
              /* Tags are the same whatever their case: the spelling that
               * sorts first, the same on every machine. */
              else if (strcmp (tag, seen->spelling) < 0)
                seen->spelling = tag;
              seen->holders |= 1u << v;
            }
        }

      g_ptr_array_sort (keys, compare_strings_cb);
      for (guint i = 0; i < keys->len; i++)
        {
          TagSeen *seen = g_hash_table_lookup (spelling, keys->pdata[i]);
          const char *when = g_hash_table_lookup (removal, seen->key);
          gboolean drop = when != NULL;

          for (guint v = 0; v < G_N_ELEMENTS (versions) && drop; v++)
            if ((seen->holders & (1u << v)) &&
                gloss_merge_compare_times (when, effective_changed (versions[v], "tags")) <= 0)
              drop = FALSE;

          if (!drop)
            json_array_add_string_element (array, seen->spelling);
        }

      SET ("tags", json_node_init_array (json_node_alloc (), array));
      json_array_unref (array);
    }

  /* annotations: every id of both, the later "modified"; then those that
   * "removed" holds with a time later than or equal to it go. */
  ann_a = annotations_by_id (a);
  ann_b = annotations_by_id (b);
  ann_base = base != NULL ? annotations_by_id (base) : NULL;
  placed = g_array_new (FALSE, FALSE, sizeof (Placed));
  {
    GHashTable *tables[] = { ann_a, ann_b };

    for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
      {
        GHashTableIter iter;
        gpointer key, value;

        g_hash_table_iter_init (&iter, tables[t]);
        while (g_hash_table_iter_next (&iter, &key, &value))
          {
            JsonObject *mine = value;
            JsonObject *theirs = g_hash_table_lookup (tables[1 - t], key);
            JsonObject *winner = mine, *loser = theirs;
            const char *when_removed;
            Placed p;

            if (theirs != NULL)
              {
                int c;

                /* Both hold it: decided once, from the first table. */
                if (t == 1)
                  continue;
                c = gloss_merge_compare_times (gloss_json_peek_string (mine, "modified"),
                                               gloss_json_peek_string (theirs, "modified"));
                if (c < 0 || (c == 0 && tie_break_objects (mine, theirs) > 0))
                  {
                    winner = theirs;
                    loser = mine;
                  }
              }

            when_removed = gloss_json_peek_string (removed, key);
            if (when_removed != NULL &&
                gloss_merge_compare_times (when_removed, gloss_json_peek_string (winner, "modified")) >= 0)
              continue;

            if (lost != NULL && loser != NULL)
              {
                JsonObject *in_base = ann_base ? g_hash_table_lookup (ann_base, key) : NULL;

                /* Without a base: the loser's note is one a person
                 * wrote if that highlight was changed at all since it
                 * was made (a note that merely came along from the
                 * common past was not). */
                if (text_was_lost (note_of (winner), note_of (loser),
                                   in_base ? note_of (in_base) : NULL,
                                   has_base && in_base != NULL,
                                   note_of (loser)[0] != '\0' &&
                                   gloss_merge_compare_times (gloss_json_peek_string (loser, "modified"),
                                                              gloss_json_peek_string (loser, "created")) > 0))
                  add_lost_note (lost, key, note_of (loser), gloss_json_peek_string (winner, "modified"));
              }

            p.object = winner;
            p.id = key;
            annotation_position (winner, &p.start, &p.end);
            g_array_append_val (placed, p);
          }
      }
  }

  if (json_object_has_member (a, "annotations") || json_object_has_member (b, "annotations"))
    {
      JsonArray *array = json_array_sized_new (placed->len);

      g_array_sort (placed, compare_placed_cb);
      for (guint i = 0; i < placed->len; i++)
        {
          JsonNode *node = json_node_init_object (json_node_alloc (),
                                                  g_array_index (placed, Placed, i).object);

          json_array_add_element (array, gloss_json_deep_copy (node));
          json_node_unref (node);
        }
      SET ("annotations", json_node_init_array (json_node_alloc (), array));
      json_array_unref (array);
    }

  if (changed != NULL)
    SET ("changed", json_node_init_object (json_node_alloc (), changed));
  if (removed != NULL)
    SET ("removed", json_node_init_object (json_node_alloc (), removed));
  if (removed_tags != NULL)
    SET ("removed_tags", json_node_init_object (json_node_alloc (), removed_tags));

  /* Every other member: from the version with the later "modified"; at
   * the same instant, member by member, by the tie rule. */
  others = union_of_members (a, b);
  for (guint i = 0; i < others->len; i++)
    {
      const char *name = others->pdata[i];
      JsonNode *na = MEMBER (a, name), *nb = MEMBER (b, name);
      JsonNode *node;

      if (is_ruled_member (name))
        continue;
      if (cmp_modified != 0)
        node = cmp_modified > 0 ? na : nb;
      else
        node = tie_break (na, nb) <= 0 ? na : nb;
      if (node != NULL)
        SET (name, gloss_json_deep_copy (node));
    }

  out = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (known_members); i++)
    {
      JsonNode *node = g_hash_table_lookup (members, known_members[i]);

      if (node != NULL)
        json_object_set_member (out, known_members[i], json_node_ref (node));
    }
  for (guint i = 0; i < others->len; i++)
    {
      const char *name = others->pdata[i];
      JsonNode *node = g_hash_table_lookup (members, name);
      gboolean known = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (known_members) && !known; k++)
        known = g_str_equal (name, known_members[k]);
      if (node != NULL && !known)
        json_object_set_member (out, name, json_node_ref (node));
    }

#undef SET
#undef MEMBER

  return out;
}

JsonObject *
gloss_merge_clips (JsonObject  *a,
                   JsonObject  *b,
                   JsonObject **lost)
{
  g_return_val_if_fail (a != NULL, NULL);
  g_return_val_if_fail (b != NULL, NULL);

  if (lost != NULL)
    *lost = NULL;
  return merge_two (a, b, NULL, FALSE, lost);
}

static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

static void
set_time_entry (JsonObject *clip,
                const char *map,
                const char *key,
                const char *time)
{
  JsonObject *object = gloss_json_peek_object (clip, map);

  if (object == NULL)
    {
      object = json_object_new ();
      json_object_set_object_member (clip, map, object);
    }
  /* Never earlier than what the side says itself. */
  if (gloss_merge_compare_times (time, g_str_equal (map, "changed")
                                       ? effective_changed (clip, key)
                                       : gloss_json_peek_string (object, key)) > 0)
    json_object_set_string_member (object, key, time);
}

/* What one side did since @base, written as FORMAT.md's entries where
 * that side did not write them itself (an older Gloss, a text editor):
 * an annotation gone is "removed", a tag gone is in "removed_tags", a
 * title, note or tags different from the base is "changed", each at the
 * side's "modified". */
static JsonObject *
with_changes_since (JsonObject *side,
                    JsonObject *base)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), side);
  g_autoptr(JsonNode) copy_node = gloss_json_deep_copy (root);
  JsonObject *copy = json_object_ref (json_node_get_object (copy_node));
  const char *when = gloss_json_peek_string (side, "modified");
  g_autoptr(GHashTable) in_side = annotations_by_id (side);
  g_autoptr(GHashTable) in_base = annotations_by_id (base);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, in_base);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (in_side, key) &&
        gloss_json_peek_string (gloss_json_peek_object (side, "removed"), key) == NULL)
      set_time_entry (copy, "removed", key, when);

  {
    static const char * const fields[] = { "title", "note" };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      {
        const char *f = fields[i];
        gboolean differs = g_str_equal (f, "note")
                           ? !same_text (note_of (side), note_of (base))
                           : !same_text (gloss_json_peek_string (side, f), gloss_json_peek_string (base, f));

        if (differs &&
            gloss_merge_compare_times (effective_changed (side, f), effective_changed (base, f)) <= 0)
          set_time_entry (copy, "changed", f, when);
      }
  }

  {
    g_autoptr(GHashTable) side_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    JsonArray *tags = gloss_json_peek_array (side, "tags");
    JsonArray *base_tags = gloss_json_peek_array (base, "tags");
    gboolean differs = FALSE;
    guint n_base = 0;

    for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
      {
        const char *tag = json_array_get_string_element (tags, i);

        if (tag != NULL)
          g_hash_table_add (side_tags, tag_key (tag));
      }
    for (guint i = 0; base_tags != NULL && i < json_array_get_length (base_tags); i++)
      {
        const char *tag = json_array_get_string_element (base_tags, i);
        g_autofree char *k = NULL;

        if (tag == NULL)
          continue;
        k = tag_key (tag);
        n_base++;
        if (!g_hash_table_contains (side_tags, k))
          {
            differs = TRUE;
            if (gloss_json_peek_string (gloss_json_peek_object (side, "removed_tags"), k) == NULL)
              set_time_entry (copy, "removed_tags", k, when);
          }
      }
    differs = differs || g_hash_table_size (side_tags) != n_base;
    if (differs &&
        gloss_merge_compare_times (effective_changed (side, "tags"), effective_changed (base, "tags")) <= 0)
      set_time_entry (copy, "changed", "tags", when);
  }

  return copy;
}

JsonObject *
gloss_merge_clips3 (JsonObject  *base,
                    JsonObject  *ours,
                    JsonObject  *theirs,
                    JsonObject **lost)
{
  g_autoptr(JsonObject) ours_now = NULL;
  g_autoptr(JsonObject) theirs_now = NULL;

  g_return_val_if_fail (ours != NULL, NULL);
  g_return_val_if_fail (theirs != NULL, NULL);

  if (lost != NULL)
    *lost = NULL;
  if (base == NULL ||
      g_strcmp0 (gloss_json_peek_string (base, "id"), gloss_json_peek_string (ours, "id")) != 0)
    return merge_two (ours, theirs, NULL, FALSE, lost);

  ours_now = with_changes_since (ours, base);
  theirs_now = with_changes_since (theirs, base);
  return merge_two (ours_now, theirs_now, base, TRUE, lost);
}

char *
gloss_merge_to_data (JsonObject *clip,
                     gsize      *length)
{
  g_autofree char *text = NULL;
  GString *data;

  g_return_val_if_fail (clip != NULL, NULL);

  /* As gloss_clip_save() writes it. */
  text = gloss_json_to_data (clip, NULL);
  data = g_string_new (text);
  g_string_append_c (data, '\n');
  if (length != NULL)
    *length = data->len;
  return g_string_free (data, FALSE);
}

JsonObject *
gloss_merge_read (const char  *data,
                  gsize        length,
                  const char  *expected_id,
                  GError     **error)
{
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *scanned_id = NULL;
  const char *id = expected_id;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* The reader checks the id against the folder's name; a file given on
   * its own (git's temporary files) is checked against its own id. */
  if (id == NULL && length > 0 && memchr (data, '\0', length) == NULL &&
      g_utf8_validate_len (data, length, NULL))
    {
      g_autofree char *reason = NULL;
      g_autoptr(GlossScan) scan = gloss_scan_parse (data, length, 128, &reason);
      GlossScanValue *member = NULL;

      if (scan != NULL && gloss_scan_get_root (scan)->type == GLOSS_SCAN_OBJECT)
        member = gloss_scan_get_member (gloss_scan_get_root (scan), "id");
      if (member != NULL && member->type == GLOSS_SCAN_STRING && gloss_id_is_valid (member->s))
        id = scanned_id = g_strdup (member->s);
    }
  if (id == NULL || !gloss_id_is_valid (id))
    id = "unknown";

  folder = g_file_new_build_filename ("/", id, NULL);
  clip = gloss_clip_load_from_data (folder, data, length, GLOSS_CLIP_LOAD_FULL, error);
  if (clip == NULL)
    return NULL;

  if (gloss_clip_get_read_only (clip))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_READ_ONLY,
                   /* Translators: %lld is the “format” number in clip.json. */
                   _("It was written by a newer Gloss (format %lld), which this one cannot merge"),
                   (long long) gloss_clip_get_format (clip));
      return NULL;
    }

  return json_object_ref (gloss_clip_to_json (clip));
}

/* --- texts that lost ---------------------------------------------------- */

static GFile *
lost_file (GFile      *library_folder,
           const char *clip_id)
{
  g_autofree char *path = g_file_get_path (library_folder);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path ? path : "", -1);
  g_autofree char *name = g_strconcat (clip_id, ".json", NULL);

  hash[16] = '\0';
  return g_file_new_build_filename (g_get_user_state_dir (), "gloss", "merged", hash, name, NULL);
}

static JsonObject *
read_lost (GFile *file)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = g_file_get_path (file);
  JsonNode *root;

  if (!json_parser_load_from_mapped_file (parser, path, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static gboolean
write_lost (GFile       *file,
            JsonObject  *lost,
            GError     **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (json_object_get_size (lost) == 0)
    {
      if (!g_file_delete (file, NULL, &local_error) &&
          !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_autofree char *path = g_file_get_parse_name (file);

          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                       _("Could not remove “%s”: %s"), path, local_error->message);
          return FALSE;
        }
      return TRUE;
    }

  if (!g_file_make_directory_with_parents (parent, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *path = g_file_get_parse_name (parent);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_IO,
                   _("Could not create “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  data = gloss_merge_to_data (lost, &length);
  return gloss_write_file_atomic (file, data, length, error);
}

gboolean
gloss_merge_lost_remember (GFile       *library_folder,
                           const char  *clip_id,
                           JsonObject  *lost,
                           GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (G_IS_FILE (library_folder), FALSE);
  g_return_val_if_fail (gloss_id_is_valid (clip_id), FALSE);
  g_return_val_if_fail (lost != NULL, FALSE);

  file = lost_file (library_folder, clip_id);
  if (!(all = read_lost (file)))
    all = json_object_new ();

  members = json_object_get_members (lost);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *annotations = gloss_json_peek_object (lost, "annotations");

      if (g_str_equal (l->data, "annotations") && annotations != NULL)
        {
          g_autoptr(GList) ids = json_object_get_members (annotations);
          JsonObject *kept = gloss_json_peek_object (all, "annotations");

          if (kept == NULL)
            {
              kept = json_object_new ();
              json_object_set_object_member (all, "annotations", kept);
            }
          for (GList *i = ids; i != NULL; i = i->next)
            json_object_set_member (kept, i->data,
                                    gloss_json_deep_copy (json_object_get_member (annotations, i->data)));
        }
      else
        json_object_set_member (all, l->data, gloss_json_deep_copy (json_object_get_member (lost, l->data)));
    }

  return write_lost (file, all, error);
}

JsonObject *
gloss_merge_lost_lookup (GFile      *library_folder,
                         const char *clip_id,
                         JsonObject *clip)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(GHashTable) annotations = NULL;
  JsonObject *out = NULL;

  g_return_val_if_fail (G_IS_FILE (library_folder), NULL);
  g_return_val_if_fail (clip != NULL, NULL);

  if (!gloss_id_is_valid (clip_id))
    return NULL;
  file = lost_file (library_folder, clip_id);
  if (!(all = read_lost (file)))
    return NULL;

  for (guint i = 0; i < 2; i++)
    {
      const char *f = i == 0 ? "title" : "note";
      JsonObject *entry = gloss_json_peek_object (all, f);
      const char *now = f[0] == 'n' ? note_of (clip) : gloss_json_peek_string (clip, f);

      /* The notice stands while the clip holds the text it lost to. */
      if (entry != NULL &&
          gloss_merge_compare_times (gloss_json_peek_string (entry, "against"),
                                     effective_changed (clip, f)) == 0 &&
          !same_text (gloss_json_peek_string (entry, "text"), now))
        add_lost_text (&out, f, gloss_json_peek_string (entry, "text"),
                       gloss_json_peek_string (entry, "against"));
    }

  annotations = annotations_by_id (clip);
  if (gloss_json_peek_object (all, "annotations") != NULL)
    {
      JsonObject *lost_notes = gloss_json_peek_object (all, "annotations");
      g_autoptr(GList) ids = json_object_get_members (lost_notes);

      for (GList *l = ids; l != NULL; l = l->next)
        {
          JsonObject *entry = gloss_json_peek_object (lost_notes, l->data);
          JsonObject *a = g_hash_table_lookup (annotations, l->data);

          if (entry != NULL && a != NULL && gloss_json_peek_string (entry, "note") != NULL &&
              gloss_merge_compare_times (gloss_json_peek_string (entry, "against"),
                                         gloss_json_peek_string (a, "modified")) == 0 &&
              !same_text (gloss_json_peek_string (entry, "note"), note_of (a)))
            add_lost_note (&out, l->data, gloss_json_peek_string (entry, "note"),
                           gloss_json_peek_string (entry, "against"));
        }
    }

  return out;
}

gboolean
gloss_merge_lost_dismiss (GFile       *library_folder,
                          const char  *clip_id,
                          const char  *key,
                          GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(JsonObject) all = NULL;
  JsonObject *annotations;

  g_return_val_if_fail (G_IS_FILE (library_folder), FALSE);
  g_return_val_if_fail (gloss_id_is_valid (clip_id), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  file = lost_file (library_folder, clip_id);
  if (!(all = read_lost (file)))
    return TRUE;

  if (g_str_equal (key, "title") || g_str_equal (key, "note"))
    json_object_remove_member (all, key);
  else if ((annotations = gloss_json_peek_object (all, "annotations")) != NULL)
    {
      json_object_remove_member (annotations, key);
      if (json_object_get_size (annotations) == 0)
        json_object_remove_member (all, "annotations");
    }

  return write_lost (file, all, error);
}

/* --- sync tools' files -------------------------------------------------- */

static const char * const clip_files[] = {
  "clip.json", "article.html", "article.txt", "article.md",
};

GlossSyncTool
gloss_merge_conflict_copy_of (const char  *name,
                              const char **original)
{
  g_return_val_if_fail (name != NULL, GLOSS_SYNC_TOOL_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (clip_files); i++)
    {
      const char *dot = strrchr (clip_files[i], '.');
      gsize stem = dot - clip_files[i];
      const char *ext = dot;   /* ".json" */
      gsize len = strlen (name);
      const char *rest;
      gsize rest_len;

      if (len <= stem + strlen (ext) || strncmp (name, clip_files[i], stem) != 0 ||
          !g_str_has_suffix (name, ext))
        continue;
      rest = name + stem;
      rest_len = len - stem - strlen (ext);

      if (original != NULL)
        *original = clip_files[i];

      /* clip.sync-conflict-20261129-223802-ABCDEFG.json */
      if (rest_len > strlen (".sync-conflict-") && g_str_has_prefix (rest, ".sync-conflict-"))
        return GLOSS_SYNC_TOOL_SYNCTHING;

      /* clip (conflicted copy 2026-11-29 223802).json,
       * clip (Ada's conflicted copy 2026-11-29).json, and the " (1)" a
       * second copy of the same day gets. */
      if (rest_len > 2 && rest[0] == ' ' && rest[1] == '(')
        {
          g_autofree char *middle = g_strndup (rest, rest_len);

          if (g_str_has_prefix (middle, " (conflicted copy ") ||
              g_str_has_prefix (middle, " (Conflicted copy "))
            return GLOSS_SYNC_TOOL_NEXTCLOUD;
          if (strstr (middle, "'s conflicted copy") != NULL ||
              strstr (middle, "\xe2\x80\x99s conflicted copy") != NULL)
            return GLOSS_SYNC_TOOL_DROPBOX;
        }
    }

  return GLOSS_SYNC_TOOL_NONE;
}

gboolean
gloss_merge_is_sync_file (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return g_str_equal (name, ".stfolder") ||
         g_str_equal (name, ".stversions") ||
         g_str_equal (name, ".stignore") ||
         (g_str_has_prefix (name, ".syncthing.") && g_str_has_suffix (name, ".tmp")) ||
         (g_str_has_prefix (name, "~syncthing~") && g_str_has_suffix (name, ".tmp")) ||
         (g_str_has_prefix (name, ".sync_") && strstr (name, ".db") != NULL) ||
         g_str_has_prefix (name, "._sync_") ||
         g_str_has_prefix (name, ".~lock.") ||
         g_str_has_prefix (name, ".dropbox");
}

#ifdef __linux__
/* The start-up check reads each of 10,000 clip folders: three system calls
 * each (open, one getdents64 for the handful of names a clip has, close)
 * instead of GDir's five. */
static void
fd_has_copies (int       fd,
               gboolean *has)
{
  char buf[8192] __attribute__ ((aligned (8)));
  gboolean done = FALSE;

  *has = FALSE;
  while (!done && !*has)
    {
      ssize_t n = getdents64 (fd, buf, sizeof buf);

      if (n <= 0)
        break;
      for (ssize_t off = 0; off < n && !*has;)
        {
          const struct dirent64 *entry = (const struct dirent64 *) (buf + off);

          off += entry->d_reclen;
          if (entry->d_name[0] == 'c' || entry->d_name[0] == 'a')
            *has = gloss_merge_conflict_copy_of (entry->d_name, NULL) != GLOSS_SYNC_TOOL_NONE;
        }
      /* A buffer far from full held the whole folder. */
      done = n < (ssize_t) sizeof buf - 1024;
    }
}

static gboolean
folder_has_copies_fast (const char *path,
                        gboolean   *has)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return FALSE;
  fd_has_copies (fd, has);
  close (fd);
  return TRUE;
}
#endif

gboolean
gloss_merge_folder_fd_has_copies (int         dir_fd,
                                  const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (dir_fd >= 0, FALSE);

#ifdef __linux__
  {
    gboolean has;

    /* The descriptor is fresh (at the start of the folder); only the
     * names are read, one getdents64 for a clip's handful. */
    fd_has_copies (dir_fd, &has);
    return has;
  }
#endif

  if (path == NULL || !(dir = g_dir_open (path, 0, NULL)))
    return FALSE;
  while ((name = g_dir_read_name (dir)))
    if (gloss_merge_conflict_copy_of (name, NULL) != GLOSS_SYNC_TOOL_NONE)
      return TRUE;
  return FALSE;
}

gboolean
gloss_merge_folder_has_copies (GFile *clip_folder)
{
  const char *path = g_file_peek_path (clip_folder);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return FALSE;

#ifdef __linux__
  {
    gboolean has;

    if (folder_has_copies_fast (path, &has))
      return has;
  }
#endif

  if (!(dir = g_dir_open (path, 0, NULL)))
    return FALSE;
  while ((name = g_dir_read_name (dir)))
    if (gloss_merge_conflict_copy_of (name, NULL) != GLOSS_SYNC_TOOL_NONE)
      return TRUE;
  return FALSE;
}

void
gloss_merge_report_free (GlossMergeReport *report)
{
  if (report == NULL)
    return;
  g_free (report->clip_id);
  g_clear_pointer (&report->merged, g_ptr_array_unref);
  g_clear_pointer (&report->left, g_ptr_array_unref);
  g_clear_pointer (&report->lost, json_object_unref);
  g_free (report);
}

void
_gloss_merge_lost_add (JsonObject **all,
                       JsonObject  *lost)
{
  g_autoptr(GList) members = NULL;

  if (lost == NULL)
    return;
  if (*all == NULL)
    {
      *all = json_object_ref (lost);
      return;
    }
  members = json_object_get_members (lost);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *notes = gloss_json_peek_object (lost, l->data);

      if (g_str_equal (l->data, "annotations") && notes != NULL)
        {
          g_autoptr(GList) ids = json_object_get_members (notes);

          for (GList *i = ids; i != NULL; i = i->next)
            add_lost_note (all, i->data,
                           gloss_json_peek_string (gloss_json_peek_object (notes, i->data), "note"),
                           gloss_json_peek_string (gloss_json_peek_object (notes, i->data), "against"));
        }
      else
        json_object_set_member (*all, l->data, gloss_json_deep_copy (json_object_get_member (lost, l->data)));
    }
}
