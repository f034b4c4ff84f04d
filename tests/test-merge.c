/* test-merge.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* FORMAT.md "Several machines": the merge's rules one by one, and its
 * properties over thousands of random versions (seeded: a failure prints
 * the seed and the versions, and GLOSS_MERGE_SEED=N repeats it). */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "gloss-clip-private.h"
#include "gloss-clip-writer.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-library.h"
#include "gloss-library-private.h"
#include "gloss-merge.h"
#include "gloss-merge-check.h"
#include "gloss-test-util.h"

/* --- helpers ------------------------------------------------------------ */

static JsonObject *
read_clip (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *clip = gloss_merge_read (json, strlen (json), NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (clip);
  return clip;
}

static char *
text_of (JsonObject *clip)
{
  return gloss_merge_to_data (clip, NULL);
}

/* A clip.json from a few members written as JSON text. */
static JsonObject *
clip_with (const char *members)
{
  g_autofree char *json = g_strdup_printf ("{\"format\": 1, \"id\": \"c1\", \"url\": \"https://example.org/\","
                                           " \"title\": \"T\", \"created\": \"2026-01-01T00:00:00Z\","
                                           " \"modified\": \"2026-01-01T00:00:00Z\"%s%s}",
                                           members[0] ? ", " : "", members);
  JsonObject *clip = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  JsonObject *object;
  g_autoptr(GList) names = NULL;

  /* Later members replace the defaults, as in a JSON object read by
   * json-glib: rebuild without duplicates first. */
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  data = gloss_merge_to_data (object, NULL);
  clip = read_clip (data);
  return clip;
}

static char *
annotation (const char *id,
            const char *modified,
            const char *color,
            const char *note,
            guint       start)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"%s\","
                          " \"color\": \"%s\", \"note\": \"%s\", \"target\": {\"selector\": ["
                          "{\"type\": \"TextQuoteSelector\", \"exact\": \"x%u\", \"prefix\": \"\", \"suffix\": \"\"},"
                          "{\"type\": \"TextPositionSelector\", \"start\": %u, \"end\": %u}]}}",
                          id, modified, color, note, start, start, start + 2);
}

static JsonObject *
merged (JsonObject *a,
        JsonObject *b)
{
  JsonObject *m = gloss_merge_clips (a, b, NULL);
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autoptr(JsonObject) other = gloss_merge_clips (b, a, NULL);

  g_assert_nonnull (m);
  t1 = text_of (m);
  t2 = text_of (other);
  g_assert_cmpstr (t1, ==, t2);
  return m;
}

static const char *
member_string (JsonObject *o,
               const char *name)
{
  return json_object_has_member (o, name) ? json_object_get_string_member (o, name) : NULL;
}

static guint
n_annotations (JsonObject *clip)
{
  return json_object_has_member (clip, "annotations")
         ? json_array_get_length (json_object_get_array_member (clip, "annotations")) : 0;
}

static JsonObject *
annotation_at (JsonObject *clip,
               guint       i)
{
  return json_array_get_object_element (json_object_get_array_member (clip, "annotations"), i);
}

static char *
tags_joined (JsonObject *clip)
{
  JsonArray *tags = json_object_get_array_member (clip, "tags");
  GString *s = g_string_new (NULL);

  for (guint i = 0; tags && i < json_array_get_length (tags); i++)
    g_string_append_printf (s, "%s%s", i ? "," : "", json_array_get_string_element (tags, i));
  return g_string_free (s, FALSE);
}

/* --- times -------------------------------------------------------------- */

static void
test_times (void)
{
  g_autofree char *after = NULL;
  g_autofree char *after2 = NULL;
  g_autofree char *now = NULL;

  g_assert_cmpint (gloss_merge_compare_times ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000Z"), ==, 0);
  g_assert_cmpint (gloss_merge_compare_times ("2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00.50Z"), ==, 0);
  g_assert_cmpint (gloss_merge_compare_times ("2026-01-01T00:00:00.05Z", "2026-01-01T00:00:00.5Z"), <, 0);
  g_assert_cmpint (gloss_merge_compare_times ("2026-01-01T00:00:00.123Z", "2026-01-01T00:00:00.12Z"), >, 0);
  g_assert_cmpint (gloss_merge_compare_times ("2026-01-01T00:00:00.0000001Z", "2026-01-01T00:00:00Z"), >, 0);
  /* Instants, not strings: 9 < 10 seconds though "9" sorts after "1". */
  g_assert_cmpint (gloss_merge_compare_times ("2026-01-01T00:00:09.9Z", "2026-01-01T00:00:10Z"), <, 0);
  g_assert_cmpint (gloss_merge_compare_times ("2025-12-31T23:59:59.999Z", "2026-01-01T00:00:00Z"), <, 0);
  g_assert_cmpint (gloss_merge_compare_times ("2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"), <, 0);
  /* Invalid is earlier than any valid time. */
  g_assert_cmpint (gloss_merge_compare_times ("yesterday", "0001-01-01T00:00:00Z"), <, 0);
  g_assert_cmpint (gloss_merge_compare_times ("2023-02-29T00:00:00Z", "0001-01-01T00:00:00Z"), <, 0);
  g_assert_cmpint (gloss_merge_compare_times (NULL, NULL), ==, 0);

  after = gloss_merge_time_after ("2999-01-01T00:00:00Z");
  g_assert_cmpstr (after, ==, "2999-01-01T00:00:01Z");
  after2 = gloss_merge_time_after ("2999-12-31T23:59:59.9995Z");
  g_assert_cmpstr (after2, ==, "3000-01-01T00:00:00Z");
  g_assert_cmpint (gloss_merge_compare_times (after2, "2999-12-31T23:59:59.9995Z"), >, 0);
  now = gloss_merge_time_after ("2000-01-01T00:00:00Z");
  g_assert_true (gloss_time_is_valid (now));
  g_assert_cmpint (gloss_merge_compare_times (now, "2000-01-01T00:00:00Z"), >, 0);
}

/* --- one rule at a time --------------------------------------------------- */

static void
test_annotations_by_modified (void)
{
  g_autofree char *y = annotation ("a1", "2026-01-02T00:00:00Z", "yellow", "old", 10);
  g_autofree char *g = annotation ("a1", "2026-01-03T00:00:00Z", "green", "new", 10);
  g_autofree char *only_b = annotation ("a2", "2026-01-02T00:00:00Z", "blue", "", 2);
  g_autofree char *ma = g_strdup_printf ("\"annotations\": [%s]", y);
  g_autofree char *mb = g_strdup_printf ("\"annotations\": [%s, %s]", only_b, g);
  g_autoptr(JsonObject) a = clip_with (ma);
  g_autoptr(JsonObject) b = clip_with (mb);
  g_autoptr(JsonObject) m = merged (a, b);

  g_assert_cmpuint (n_annotations (m), ==, 2);
  /* Document order: a2 starts at 2, a1 at 10. */
  g_assert_cmpstr (member_string (annotation_at (m, 0), "id"), ==, "a2");
  g_assert_cmpstr (member_string (annotation_at (m, 1), "color"), ==, "green");
  g_assert_cmpstr (member_string (annotation_at (m, 1), "note"), ==, "new");
}

static void
test_annotations_equal_times (void)
{
  /* Same modified, different colours: the JSON text that sorts first
   * ("color": "green" before "color": "yellow"). */
  g_autofree char *y = annotation ("a1", "2026-01-02T00:00:00Z", "yellow", "", 1);
  g_autofree char *g = annotation ("a1", "2026-01-02T00:00:00.000Z", "green", "", 1);
  g_autofree char *ma = g_strdup_printf ("\"annotations\": [%s]", y);
  g_autofree char *mb = g_strdup_printf ("\"annotations\": [%s]", g);
  g_autoptr(JsonObject) a = clip_with (ma);
  g_autoptr(JsonObject) b = clip_with (mb);
  g_autoptr(JsonObject) m = merged (a, b);

  g_assert_cmpstr (member_string (annotation_at (m, 0), "color"), ==, "green");
}

static void
test_annotations_order_ties (void)
{
  g_autofree char *x = annotation ("b", "2026-01-02T00:00:00Z", "yellow", "", 5);
  g_autofree char *y = annotation ("a", "2026-01-02T00:00:00Z", "yellow", "", 5);
  g_autofree char *ma = g_strdup_printf ("\"annotations\": [%s]", x);
  g_autofree char *mb = g_strdup_printf ("\"annotations\": [%s]", y);
  g_autoptr(JsonObject) a = clip_with (ma);
  g_autoptr(JsonObject) b = clip_with (mb);
  g_autoptr(JsonObject) m = merged (a, b);

  /* Same start and end: by id. */
  g_assert_cmpstr (member_string (annotation_at (m, 0), "id"), ==, "a");
  g_assert_cmpstr (member_string (annotation_at (m, 1), "id"), ==, "b");
}

static void
test_removed (void)
{
  g_autofree char *x = annotation ("a1", "2026-01-02T00:00:00Z", "yellow", "", 5);
  g_autofree char *later = annotation ("a2", "2026-01-05T00:00:00Z", "yellow", "", 7);
  g_autofree char *equal = annotation ("a3", "2026-01-03T00:00:00Z", "yellow", "", 9);
  g_autofree char *ma = g_strdup_printf ("\"annotations\": [%s, %s, %s]", x, later, equal);
  g_autoptr(JsonObject) a = clip_with (ma);
  /* b deleted a1 after its last change, a2 before it was changed again
   * (restored by Undo, or changed on the other machine), a3 at the very
   * time of its change. */
  g_autoptr(JsonObject) b = clip_with ("\"annotations\": [], \"removed\": {"
                                       "\"a1\": \"2026-01-02T00:00:01Z\","
                                       "\"a2\": \"2026-01-04T00:00:00Z\","
                                       "\"a3\": \"2026-01-03T00:00:00.000Z\"}");
  g_autoptr(JsonObject) m = merged (a, b);
  JsonObject *removed = json_object_get_object_member (m, "removed");

  g_assert_cmpuint (n_annotations (m), ==, 1);
  g_assert_cmpstr (member_string (annotation_at (m, 0), "id"), ==, "a2");
  g_assert_cmpuint (json_object_get_size (removed), ==, 3);
}

static void
test_time_maps (void)
{
  g_autoptr(JsonObject) a = clip_with ("\"removed\": {\"x\": \"2026-01-02T00:00:00Z\", \"y\": \"2026-01-09T00:00:00Z\"},"
                                       " \"removed_tags\": {\"rust\": \"2026-01-02T00:00:00Z\"},"
                                       " \"changed\": {\"title\": \"2026-01-01T00:00:09.9Z\"}");
  g_autoptr(JsonObject) b = clip_with ("\"removed\": {\"x\": \"2026-01-03T00:00:00Z\", \"z\": \"2026-01-01T00:00:00Z\"},"
                                       " \"removed_tags\": {\"go\": \"2026-01-02T00:00:00Z\"},"
                                       " \"changed\": {\"title\": \"2026-01-01T00:00:10Z\", \"note\": \"2026-01-02T00:00:00Z\"}");
  g_autoptr(JsonObject) m = merged (a, b);
  JsonObject *removed = json_object_get_object_member (m, "removed");
  JsonObject *changed = json_object_get_object_member (m, "changed");

  g_assert_cmpstr (member_string (removed, "x"), ==, "2026-01-03T00:00:00Z");
  g_assert_cmpstr (member_string (removed, "y"), ==, "2026-01-09T00:00:00Z");
  g_assert_cmpstr (member_string (removed, "z"), ==, "2026-01-01T00:00:00Z");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (m, "removed_tags")), ==, 2);
  /* 10 s is later than 9.9 s, although "10" sorts before "09.9". */
  g_assert_cmpstr (member_string (changed, "title"), ==, "2026-01-01T00:00:10Z");
  g_assert_cmpstr (member_string (changed, "note"), ==, "2026-01-02T00:00:00Z");
}

static void
test_title_and_note (void)
{
  g_autoptr(JsonObject) a = clip_with ("\"title\": \"From A\", \"note\": \"note A\","
                                       " \"modified\": \"2026-01-09T00:00:00Z\","
                                       " \"changed\": {\"title\": \"2026-01-02T00:00:00Z\", \"note\": \"2026-01-05T00:00:00Z\"}");
  g_autoptr(JsonObject) b = clip_with ("\"title\": \"From B\", \"note\": \"note B\","
                                       " \"changed\": {\"title\": \"2026-01-03T00:00:00Z\"}");
  g_autoptr(JsonObject) m = NULL;
  g_autoptr(JsonObject) lost = NULL;

  m = gloss_merge_clips (a, b, &lost);
  /* The title changed last in B, though A was modified later. */
  g_assert_cmpstr (member_string (m, "title"), ==, "From B");
  g_assert_cmpstr (member_string (m, "note"), ==, "note A");
  g_assert_cmpstr (member_string (m, "modified"), ==, "2026-01-09T00:00:00Z");

  /* Both changed the title: A's title lost; B's note had no change of
   * its own (it counts from "created"), so it came along, not lost. */
  g_assert_nonnull (lost);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (lost, "title"), "text"),
                   ==, "From A");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (lost, "title"), "against"),
                   ==, "2026-01-03T00:00:00Z");
  g_assert_false (json_object_has_member (lost, "note"));
}

static void
test_absent_changed_counts_as_created (void)
{
  /* A has no "changed" but was created after B's title change: A's
   * title wins, and the merge writes that time out, since the merged
   * "created" (the earlier) would no longer say it. */
  g_autoptr(JsonObject) a = clip_with ("\"title\": \"A\", \"created\": \"2026-01-10T00:00:00Z\","
                                       " \"modified\": \"2026-01-10T00:00:00Z\"");
  g_autoptr(JsonObject) b = clip_with ("\"title\": \"B\", \"changed\": {\"title\": \"2026-01-05T00:00:00Z\"}");
  g_autoptr(JsonObject) c = clip_with ("\"title\": \"C\", \"changed\": {\"title\": \"2026-01-07T00:00:00Z\"}");
  g_autoptr(JsonObject) ab = merged (a, b);
  g_autoptr(JsonObject) ab_c = merged (ab, c);

  g_assert_cmpstr (member_string (ab, "title"), ==, "A");
  g_assert_cmpstr (member_string (ab, "created"), ==, "2026-01-01T00:00:00Z");
  g_assert_cmpstr (member_string (json_object_get_object_member (ab, "changed"), "title"),
                   ==, "2026-01-10T00:00:00Z");
  g_assert_cmpstr (member_string (ab_c, "title"), ==, "A");
}

static void
test_tags (void)
{
  /* A removed "Rust" at 5 (and changed its tags then); B, which still
   * holds it, last changed its tags at 3 and added "go". "Web" is held by
   * both in two spellings. */
  g_autoptr(JsonObject) a = clip_with ("\"tags\": [\"web\", \"zig\"], \"removed_tags\": {\"rust\": \"2026-01-05T00:00:00Z\"},"
                                       " \"changed\": {\"tags\": \"2026-01-05T00:00:00Z\"}");
  g_autoptr(JsonObject) b = clip_with ("\"tags\": [\"Rust\", \"go\", \"Web\"], \"changed\": {\"tags\": \"2026-01-03T00:00:00Z\"}");
  g_autoptr(JsonObject) c = clip_with ("\"tags\": [\"Rust\"], \"changed\": {\"tags\": \"2026-01-05T00:00:00Z\"}");
  g_autoptr(JsonObject) ab = merged (a, b);
  g_autoptr(JsonObject) ac = merged (a, c);
  g_autofree char *tags_ab = tags_joined (ab);
  g_autofree char *tags_ac = tags_joined (ac);

  g_assert_cmpstr (tags_ab, ==, "go,Web,zig");
  /* C holds it with a change at the same time as the removal: not later,
   * so it stays. */
  g_assert_cmpstr (tags_ac, ==, "Rust,web,zig");
}

static void
test_created_modified_and_others (void)
{
  g_autoptr(JsonObject) a = clip_with ("\"created\": \"2026-01-02T00:00:00Z\", \"modified\": \"2026-01-08T00:00:00Z\","
                                       " \"byline\": \"A\", \"word_count\": 5, \"x-future\": {\"k\": 1}");
  g_autoptr(JsonObject) b = clip_with ("\"created\": \"2026-01-01T00:00:00.5Z\", \"modified\": \"2026-01-09T00:00:00Z\","
                                       " \"byline\": \"B\", \"lang\": \"en\"");
  g_autoptr(JsonObject) c = clip_with ("\"modified\": \"2026-01-09T00:00:00.000Z\", \"byline\": \"A\", \"lang\": \"de\"");
  g_autoptr(JsonObject) ab = merged (a, b);
  g_autoptr(JsonObject) bc = merged (b, c);

  g_assert_cmpstr (member_string (ab, "created"), ==, "2026-01-01T00:00:00.5Z");
  g_assert_cmpstr (member_string (ab, "modified"), ==, "2026-01-09T00:00:00Z");
  /* Other fields from the later modified, unknown ones included. */
  g_assert_cmpstr (member_string (ab, "byline"), ==, "B");
  g_assert_cmpstr (member_string (ab, "lang"), ==, "en");
  g_assert_false (json_object_has_member (ab, "word_count"));
  g_assert_false (json_object_has_member (ab, "x-future"));
  /* The same instant: field by field, the JSON text that sorts first. */
  g_assert_cmpstr (member_string (bc, "byline"), ==, "A");
  g_assert_cmpstr (member_string (bc, "lang"), ==, "de");
  g_assert_cmpstr (member_string (bc, "modified"), ==, "2026-01-09T00:00:00.000Z");
}

static void
test_unknown_members_kept (void)
{
  g_autoptr(JsonObject) a = clip_with ("\"modified\": \"2026-01-08T00:00:00Z\", \"import\": {\"source\": \"pocket\", \"status\": 1},"
                                       " \"zzz\": [1, 2, {\"q\": null}]");
  g_autoptr(JsonObject) b = clip_with ("");
  g_autoptr(JsonObject) m = merged (a, b);
  g_autofree char *text = text_of (m);

  g_assert_nonnull (strstr (text, "\"source\" : \"pocket\""));
  g_assert_nonnull (strstr (text, "\"zzz\" : ["));
}

static void
test_hostile_maps (void)
{
  /* Maps of the wrong type, entries that are not times: never a crash,
   * the same answer both ways, and a valid time wins over garbage. */
  g_autoptr(JsonObject) a = clip_with ("\"removed\": 5, \"changed\": [1, 2],"
                                       " \"removed_tags\": {\"web\": 3, \"go\": \"yesterday\"}, \"tags\": [\"web\", \"go\"]");
  g_autoptr(JsonObject) b = clip_with ("\"removed\": {\"a1\": null, \"a2\": {}},"
                                       " \"changed\": {\"title\": \"2026-13-45T00:00:00Z\", \"note\": \"2026-01-05T00:00:00Z\"},"
                                       " \"removed_tags\": {\"web\": \"2026-01-09T00:00:00Z\"}");
  g_autoptr(JsonObject) m = merged (a, b);
  g_autofree char *tags = tags_joined (m);
  JsonObject *removed_tags = json_object_get_object_member (m, "removed_tags");

  /* "web" is removed by b's valid time, later than a's tags (created). */
  g_assert_cmpstr (tags, ==, "go");
  g_assert_cmpstr (member_string (removed_tags, "web"), ==, "2026-01-09T00:00:00Z");
  g_assert_cmpstr (member_string (json_object_get_object_member (m, "changed"), "note"),
                   ==, "2026-01-05T00:00:00Z");
}

static void
test_different_ids (void)
{
  g_autoptr(JsonObject) a = clip_with ("");
  g_autoptr(JsonObject) b = clip_with ("\"id\": \"c2\"");

  g_assert_null (gloss_merge_clips (a, b, NULL));
}

static void
test_three_way (void)
{
  g_autofree char *x = annotation ("a1", "2026-01-02T00:00:00Z", "yellow", "base", 5);
  g_autofree char *x_ours = annotation ("a1", "2026-01-03T00:00:00Z", "yellow", "ours", 5);
  g_autofree char *x_theirs = annotation ("a1", "2026-01-04T00:00:00Z", "yellow", "theirs", 5);
  g_autofree char *y = annotation ("a2", "2026-01-02T00:00:00Z", "blue", "", 9);
  g_autofree char *mbase = g_strdup_printf ("\"annotations\": [%s, %s], \"tags\": [\"t1\", \"t2\"],"
                                            " \"note\": \"n\", \"modified\": \"2026-01-02T00:00:00Z\"", x, y);
  /* Ours is an older Gloss: it deleted a2 and the tag t1 and changed the
   * note without writing "removed", "removed_tags" or "changed". */
  g_autofree char *mours = g_strdup_printf ("\"annotations\": [%s], \"tags\": [\"t2\"], \"note\": \"ours\","
                                            " \"modified\": \"2026-01-03T00:00:00Z\"", x_ours);
  g_autofree char *mtheirs = g_strdup_printf ("\"annotations\": [%s, %s], \"tags\": [\"t1\", \"t2\", \"t3\"],"
                                              " \"note\": \"theirs\", \"modified\": \"2026-01-04T00:00:00Z\","
                                              " \"changed\": {\"note\": \"2026-01-04T00:00:00Z\", \"tags\": \"2026-01-02T12:00:00Z\"}",
                                              x_theirs, y);
  g_autoptr(JsonObject) base = clip_with (mbase);
  g_autoptr(JsonObject) ours = clip_with (mours);
  g_autoptr(JsonObject) theirs = clip_with (mtheirs);
  g_autoptr(JsonObject) lost = NULL;
  g_autoptr(JsonObject) m = gloss_merge_clips3 (base, ours, theirs, &lost);
  g_autoptr(JsonObject) m2 = gloss_merge_clips3 (base, theirs, ours, NULL);
  g_autofree char *t1 = text_of (m);
  g_autofree char *t2 = text_of (m2);
  g_autofree char *tags = tags_joined (m);

  g_assert_cmpstr (t1, ==, t2);
  g_assert_cmpuint (n_annotations (m), ==, 1);
  g_assert_cmpstr (member_string (annotation_at (m, 0), "note"), ==, "theirs");
  g_assert_cmpstr (tags, ==, "t2,t3");
  g_assert_cmpstr (member_string (m, "note"), ==, "theirs");
  /* Both changed the note and a1's note: ours lost both. */
  g_assert_nonnull (lost);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (lost, "note"), "text"), ==, "ours");
  g_assert_true (json_object_has_member (json_object_get_object_member (lost, "annotations"), "a1"));
}

static void
test_read_refuses (void)
{
  static const char *bad[] = {
    "",
    "{",
    "[]",
    "{\"format\": 1, \"id\": \"c1\"}",
    "{\"format\": 2, \"id\": \"c1\", \"url\": \"u\", \"title\": \"t\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\"}",
    "{\"format\": 1, \"id\": \"c1\", \"url\": \"u\", \"title\": \"t\", \"created\": \"now\", \"modified\": \"2026-01-01T00:00:00Z\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) clip = gloss_merge_read (bad[i], strlen (bad[i]), NULL, &error);

      g_assert_null (clip);
      int expected = i == 4 ? GLOSS_ERROR_READ_ONLY : GLOSS_ERROR_DAMAGED;

      g_assert_error (error, GLOSS_ERROR, expected);
    }

  {
    g_autoptr(GError) error = NULL;
    const char *other = "{\"format\": 1, \"id\": \"c2\", \"url\": \"u\", \"title\": \"t\","
                        " \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"2026-01-01T00:00:00Z\"}";

    g_assert_null (gloss_merge_read (other, strlen (other), "c1", &error));
    g_assert_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_ID);
  }
}

/* --- random versions ------------------------------------------------------ */

static const char *
random_time (GRand *rand)
{
  /* Few distinct instants, written several ways, so that equal times
   * with different values and different texts for one instant are
   * common. */
  static const char *times[] = {
    "2026-01-01T00:00:01Z", "2026-01-01T00:00:01.0Z", "2026-01-01T00:00:01.500Z",
    "2026-01-01T00:00:01.5Z", "2026-01-01T00:00:02Z", "2026-01-01T00:00:09Z",
    "2026-01-01T00:00:10Z", "2026-01-01T00:00:10.000001Z", "2026-01-01T00:01:00Z",
    "2026-01-02T00:00:00Z",
  };

  return times[g_rand_int_range (rand, 0, G_N_ELEMENTS (times))];
}

static const char *
pick (GRand             *rand,
      const char * const *list,
      guint              n)
{
  return list[g_rand_int_range (rand, 0, n)];
}

static JsonObject *
random_clip (GRand *rand)
{
  static const char *colors[] = { "yellow", "green", "blue", "pink", "purple" };
  static const char *notes[] = { "", "a", "b", "Why now?", "naïve ✓" };
  static const char *titles[] = { "One", "Two", "Three" };
  static const char *tags[] = { "web", "Web", "rust", "go", "zig", " spaced " };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  guint n;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "clip-1");
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, g_rand_boolean (rand) ? "https://a.example/" : "https://b.example/");
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, pick (rand, titles, G_N_ELEMENTS (titles)));
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, g_rand_int_range (rand, 0, 4) ? "2026-01-01T00:00:00Z" : random_time (rand));
  json_builder_set_member_name (b, "modified");
  json_builder_add_string_value (b, random_time (rand));

  if (g_rand_boolean (rand))
    {
      json_builder_set_member_name (b, "byline");
      json_builder_add_string_value (b, pick (rand, titles, G_N_ELEMENTS (titles)));
    }
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      json_builder_set_member_name (b, g_rand_boolean (rand) ? "x-unknown" : "import");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "n");
      json_builder_add_int_value (b, g_rand_int_range (rand, 0, 3));
      json_builder_end_object (b);
    }
  if (g_rand_int_range (rand, 0, 4) != 0)
    {
      json_builder_set_member_name (b, "note");
      json_builder_add_string_value (b, pick (rand, notes, G_N_ELEMENTS (notes)));
    }
  if (g_rand_int_range (rand, 0, 4) != 0)
    {
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      n = g_rand_int_range (rand, 0, 4);
      for (guint i = 0; i < n; i++)
        json_builder_add_string_value (b, pick (rand, tags, G_N_ELEMENTS (tags)));
      json_builder_end_array (b);
    }

  if (g_rand_int_range (rand, 0, 5) != 0)
    {
      g_autoptr(GHashTable) used = g_hash_table_new (g_direct_hash, g_direct_equal);

      json_builder_set_member_name (b, "annotations");
      json_builder_begin_array (b);
      n = g_rand_int_range (rand, 0, 6);
      for (guint i = 0; i < n; i++)
        {
          guint k = g_rand_int_range (rand, 0, 8);
          g_autofree char *id = g_strdup_printf ("a%u", k);
          guint start = g_rand_int_range (rand, 0, 4) * 10;

          if (!g_hash_table_add (used, GUINT_TO_POINTER (k + 1)))
            continue;
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, id);
          json_builder_set_member_name (b, "created");
          json_builder_add_string_value (b, "2026-01-01T00:00:00Z");
          json_builder_set_member_name (b, "modified");
          json_builder_add_string_value (b, random_time (rand));
          json_builder_set_member_name (b, "color");
          json_builder_add_string_value (b, pick (rand, colors, G_N_ELEMENTS (colors)));
          json_builder_set_member_name (b, "note");
          json_builder_add_string_value (b, pick (rand, notes, G_N_ELEMENTS (notes)));
          json_builder_set_member_name (b, "target");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "selector");
          json_builder_begin_array (b);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, "TextQuoteSelector");
          json_builder_set_member_name (b, "exact");
          json_builder_add_string_value (b, "quote");
          json_builder_end_object (b);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, "TextPositionSelector");
          json_builder_set_member_name (b, "start");
          json_builder_add_int_value (b, start);
          json_builder_set_member_name (b, "end");
          json_builder_add_int_value (b, start + g_rand_int_range (rand, 1, 3));
          json_builder_end_object (b);
          json_builder_end_array (b);
          json_builder_end_object (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  {
    static const char *maps[] = { "removed", "removed_tags", "changed" };

    for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
      {
        if (g_rand_int_range (rand, 0, 3) == 0)
          continue;
        json_builder_set_member_name (b, maps[m]);
        json_builder_begin_object (b);
        n = g_rand_int_range (rand, 0, 4);
        for (guint i = 0; i < n; i++)
          {
            static const char *changed_keys[] = { "title", "note", "tags" };
            static const char *tag_keys[] = { "web", "rust", "go", "zig", "spaced" };
            g_autofree char *id = g_strdup_printf ("a%d", g_rand_int_range (rand, 0, 8));

            json_builder_set_member_name (b, m == 0 ? id
                                             : m == 1 ? pick (rand, tag_keys, G_N_ELEMENTS (tag_keys))
                                             : pick (rand, changed_keys, G_N_ELEMENTS (changed_keys)));
            json_builder_add_string_value (b, random_time (rand));
          }
        json_builder_end_object (b);
      }
  }

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  data = gloss_merge_to_data (json_node_get_object (root), NULL);
  return read_clip (data);
}

static guint32
test_seed (void)
{
  const char *env = g_getenv ("GLOSS_MERGE_SEED");

  return env != NULL ? (guint32) g_ascii_strtoull (env, NULL, 10) : 20261202;
}

/* Every annotation of either version is in the merge, unless "removed"
 * holds it with a time later than or equal to the "modified" of the
 * version that won. */
static void
check_nothing_dropped (JsonObject *a,
                       JsonObject *b,
                       JsonObject *m)
{
  JsonObject *versions[] = { a, b };
  JsonObject *removed = json_object_has_member (m, "removed") ? json_object_get_object_member (m, "removed") : NULL;
  g_autoptr(GHashTable) in_m = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n_annotations (m); i++)
    g_hash_table_insert (in_m, (gpointer) member_string (annotation_at (m, i), "id"), annotation_at (m, i));

  for (guint v = 0; v < 2; v++)
    for (guint i = 0; i < n_annotations (versions[v]); i++)
      {
        JsonObject *x = annotation_at (versions[v], i);
        const char *id = member_string (x, "id");
        JsonObject *kept = g_hash_table_lookup (in_m, id);

        if (kept != NULL)
          {
            g_assert_cmpint (gloss_merge_compare_times (member_string (kept, "modified"),
                                                        member_string (x, "modified")), >=, 0);
            continue;
          }
        g_assert_nonnull (removed);
        g_assert_true (json_object_has_member (removed, id));
        g_assert_cmpint (gloss_merge_compare_times (member_string (removed, id),
                                                    member_string (x, "modified")), >=, 0);
      }
}

static void
check_pair (JsonObject *a,
            JsonObject *b)
{
  g_autoptr(JsonObject) ab = gloss_merge_clips (a, b, NULL);
  g_autoptr(JsonObject) ba = gloss_merge_clips (b, a, NULL);
  g_autoptr(JsonObject) ab_b = NULL;
  g_autoptr(JsonObject) ab_a = NULL;
  g_autoptr(JsonObject) reread = NULL;
  g_autofree char *t_ab = text_of (ab);
  g_autofree char *t_ba = text_of (ba);
  g_autofree char *t_ab_b = NULL;
  g_autofree char *t_ab_a = NULL;
  g_autofree char *t_reread = NULL;

  g_assert_cmpstr (t_ab, ==, t_ba);

  ab_b = gloss_merge_clips (ab, b, NULL);
  ab_a = gloss_merge_clips (ab, a, NULL);
  t_ab_b = text_of (ab_b);
  t_ab_a = text_of (ab_a);
  g_assert_cmpstr (t_ab_b, ==, t_ab);
  g_assert_cmpstr (t_ab_a, ==, t_ab);

  /* The merge is a clip the reader takes, and writes back unchanged. */
  reread = read_clip (t_ab);
  t_reread = text_of (reread);
  g_assert_cmpstr (t_reread, ==, t_ab);

  check_nothing_dropped (a, b, ab);
}

static void
test_random_pairs (void)
{
  guint32 seed = test_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint n = g_test_thorough () ? 50000 : 5000;

  g_test_message ("seed %u, %u pairs", seed, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) a = random_clip (rand);
      g_autoptr(JsonObject) b = g_rand_int_range (rand, 0, 10) == 0
                                ? json_object_ref (a) : random_clip (rand);

      check_pair (a, b);
    }
}

static gboolean
holds_tag (JsonObject *clip,
           const char *key)
{
  JsonArray *tags = json_object_has_member (clip, "tags") ? json_object_get_array_member (clip, "tags") : NULL;

  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (json_array_get_string_element (tags, i)));
      g_autofree char *lower = g_utf8_strdown (trimmed, -1);

      if (g_str_equal (lower, key))
        return TRUE;
    }
  return FALSE;
}

/* FORMAT.md's tag rule weighs a tag's removal against the "changed.tags"
 * of the versions that hold it, and a merged version's "changed.tags" is
 * the later of the two: a holder that the removal beats on its own may be
 * protected by the other side's time once they are merged, or dropped
 * before it meets the holder that protects the tag (and its spelling goes
 * with it). So where a removal is later than some holder's time, the order
 * of the merges can decide that tag. Everything else is associative. */
static gboolean
tags_order_sensitive (JsonObject *x,
                      JsonObject *y,
                      JsonObject *z)
{
  JsonObject *v[] = { x, y, z };

  for (guint r = 0; r < 3; r++)
    {
      JsonObject *removed = json_object_has_member (v[r], "removed_tags")
                            ? json_object_get_object_member (v[r], "removed_tags") : NULL;
      g_autoptr(GList) keys = removed ? json_object_get_members (removed) : NULL;

      for (GList *l = keys; l != NULL; l = l->next)
        {
          const char *when = json_object_get_string_member (removed, l->data);

          for (guint h = 0; h < 3; h++)
            {
              JsonObject *c = json_object_has_member (v[h], "changed") ? json_object_get_object_member (v[h], "changed") : NULL;
              const char *ch = c && json_object_has_member (c, "tags") ? json_object_get_string_member (c, "tags")
                                                                      : json_object_get_string_member (v[h], "created");

              if (holds_tag (v[h], l->data) && gloss_merge_compare_times (ch, when) < 0)
                return TRUE;
            }
        }
    }
  return FALSE;
}

static void
test_random_triples (void)
{
  guint32 seed = test_seed () + 1;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint n = g_test_thorough () ? 30000 : 3000;
  guint sensitive = 0, not_associative = 0;

  g_test_message ("seed %u, %u triples", seed, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) a = random_clip (rand);
      g_autoptr(JsonObject) b = random_clip (rand);
      g_autoptr(JsonObject) c = random_clip (rand);
      g_autoptr(JsonObject) ab = gloss_merge_clips (a, b, NULL);
      g_autoptr(JsonObject) bc = gloss_merge_clips (b, c, NULL);
      g_autoptr(JsonObject) ab_c = gloss_merge_clips (ab, c, NULL);
      g_autoptr(JsonObject) a_bc = gloss_merge_clips (a, bc, NULL);
      g_autoptr(JsonObject) base3 = NULL;
      g_autofree char *t1 = NULL;
      g_autofree char *t2 = NULL;

      if (tags_order_sensitive (a, b, c))
        {
          g_autofree char *tags1 = tags_joined (ab_c);
          g_autofree char *tags2 = tags_joined (a_bc);

          /* Known FORMAT.md issue (/merge/known-format-issue/tags): here
           * the order of the merges may decide a tag. Counted and said,
           * then all but the tags compared. Nowhere else. */
          if (g_strcmp0 (tags1, tags2) != 0)
            {
              if (not_associative++ == 0)
                g_test_message ("Known FORMAT.md issue, first random triple (number %u): tags of (a+b)+c "
                                "[%s], of a+(b+c) [%s]", i, tags1, tags2);
            }
          json_object_remove_member (ab_c, "tags");
          json_object_remove_member (a_bc, "tags");
          sensitive++;
        }
      t1 = text_of (ab_c);
      t2 = text_of (a_bc);
      if (g_strcmp0 (t1, t2) != 0)
        {
          g_autofree char *ta = text_of (a);
          g_autofree char *tb = text_of (b);
          g_autofree char *tc = text_of (c);

          g_printerr ("a = %s\nb = %s\nc = %s\n", ta, tb, tc);
          if (g_getenv ("GLOSS_MERGE_DUMP"))
            {
              g_file_set_contents ("/tmp/merge-t1.json", t1, -1, NULL);
              g_file_set_contents ("/tmp/merge-t2.json", t2, -1, NULL);
            }
        }
      g_assert_cmpstr (t1, ==, t2);

      /* Three-way: symmetric in ours and theirs, and a pair merge of the
       * result with either side changes nothing. */
      {
        g_autoptr(JsonObject) m1 = gloss_merge_clips3 (a, b, c, NULL);
        g_autoptr(JsonObject) m2 = gloss_merge_clips3 (a, c, b, NULL);
        g_autoptr(JsonObject) again = NULL;
        g_autofree char *s1 = text_of (m1);
        g_autofree char *s2 = text_of (m2);
        g_autofree char *s3 = NULL;

        g_assert_cmpstr (s1, ==, s2);
        again = gloss_merge_clips (m1, b, NULL);
        s3 = text_of (again);
        g_assert_cmpstr (s3, ==, s1);
        (void) base3;
      }
    }
  g_test_message ("%u triples with a tag removal later than a holder's changed.tags; in %u of them the "
                  "order of merges decided a tag (known FORMAT.md issue, see /merge/known-format-issue/tags)",
                  sensitive, not_associative);
  /* The property holds, or fails only where it is known to: a change to
   * FORMAT.md's rule or to the code shows here. */
  g_assert_cmpuint (not_associative, >, 0);
}

/* Known FORMAT.md issue: its tag rule is not associative. FORMAT.md drops
 * a tag when its "removed_tags" time is later than the "changed.tags" of
 * every version that holds it, and a merged version's "changed.tags" is
 * the later of the two. So a holder that a removal beats on its own is
 * protected once it has been merged with a version that changed its tags
 * later, even though that version never held the tag:
 *
 *   x: tags [t], changed.tags 00:00:01   (machine X added t)
 *   y: tags [u], changed.tags 00:00:03   (machine Y, which never saw t,
 *                                         added u)
 *   z: tags [],  changed.tags 00:00:02,  removed_tags {t: 00:00:02}
 *                                        (machine Z removed t)
 *
 *   (x + y) + z = [t, u]   x + y holds t with changed.tags 3 > 2: kept
 *   x + (y + z) = [u]      x holds t with changed.tags 1 < 2: dropped
 *
 * Two versions merge the same in either order, and merging again changes
 * nothing (both hold, /merge/random/pairs), so two machines settle; with
 * three or more versions of one clip the order of merges can decide such
 * a tag. The code follows the rule as written (FORMAT.md is the contract,
 * unchanged here) and merges a folder's copies in one order on every
 * machine: clip.json, then the copies sorted by name. */
static void
test_known_format_issue_tags (void)
{
  g_autoptr(JsonObject) x = clip_with ("\"tags\": [\"t\"], \"changed\": {\"tags\": \"2026-01-01T00:00:01Z\"}");
  g_autoptr(JsonObject) y = clip_with ("\"tags\": [\"u\"], \"changed\": {\"tags\": \"2026-01-01T00:00:03Z\"}");
  g_autoptr(JsonObject) z = clip_with ("\"tags\": [], \"changed\": {\"tags\": \"2026-01-01T00:00:02Z\"},"
                                       " \"removed_tags\": {\"t\": \"2026-01-01T00:00:02Z\"}");
  g_autoptr(JsonObject) xy = gloss_merge_clips (x, y, NULL);
  g_autoptr(JsonObject) yz = gloss_merge_clips (y, z, NULL);
  g_autoptr(JsonObject) xy_z = gloss_merge_clips (xy, z, NULL);
  g_autoptr(JsonObject) x_yz = gloss_merge_clips (x, yz, NULL);
  g_autofree char *left = tags_joined (xy_z);
  g_autofree char *right = tags_joined (x_yz);

  g_test_message ("Known FORMAT.md issue: the tag rule is not associative: (x+y)+z has tags [%s], x+(y+z) [%s]",
                  left, right);
  g_assert_cmpstr (left, ==, "t,u");
  g_assert_cmpstr (right, ==, "u");

  /* Everything but the tags agrees, and each pair merge is commutative. */
  json_object_remove_member (xy_z, "tags");
  json_object_remove_member (x_yz, "tags");
  {
    g_autofree char *t1 = text_of (xy_z);
    g_autofree char *t2 = text_of (x_yz);
    g_autoptr(JsonObject) yx = gloss_merge_clips (y, x, NULL);
    g_autofree char *s1 = text_of (xy);
    g_autofree char *s2 = text_of (yx);

    g_assert_cmpstr (t1, ==, t2);
    g_assert_cmpstr (s1, ==, s2);
  }
}

/* Versions that come from one another as the app makes them: merging a
 * history in any order gives the same clip. */
static void
test_random_histories (void)
{
  guint32 seed = test_seed () + 2;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint n = g_test_thorough () ? 20000 : 2000;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) a = random_clip (rand);
      g_autoptr(JsonObject) b = random_clip (rand);
      g_autoptr(JsonObject) ab = gloss_merge_clips (a, b, NULL);
      g_autoptr(JsonObject) ab_ab = gloss_merge_clips (ab, ab, NULL);
      g_autofree char *t1 = text_of (ab);
      g_autofree char *t2 = text_of (ab_ab);

      g_assert_cmpstr (t1, ==, t2);
    }
}

/* --- conflict copies and sync files ------------------------------------- */

static void
test_copy_names (void)
{
  const char *original = NULL;

  g_assert_cmpint (gloss_merge_conflict_copy_of ("clip.sync-conflict-20261129-223802-ABCDEFG.json", &original),
                   ==, GLOSS_SYNC_TOOL_SYNCTHING);
  g_assert_cmpstr (original, ==, "clip.json");
  g_assert_cmpint (gloss_merge_conflict_copy_of ("clip (conflicted copy 2026-11-29 223802).json", &original),
                   ==, GLOSS_SYNC_TOOL_NEXTCLOUD);
  g_assert_cmpint (gloss_merge_conflict_copy_of ("clip (Ada's conflicted copy 2026-11-29).json", &original),
                   ==, GLOSS_SYNC_TOOL_DROPBOX);
  g_assert_cmpint (gloss_merge_conflict_copy_of ("clip (Ada’s conflicted copy 2026-11-29) (1).json", NULL),
                   ==, GLOSS_SYNC_TOOL_DROPBOX);
  g_assert_cmpint (gloss_merge_conflict_copy_of ("article.sync-conflict-20261129-223802-ABCDEFG.html", &original),
                   ==, GLOSS_SYNC_TOOL_SYNCTHING);
  g_assert_cmpstr (original, ==, "article.html");
  g_assert_cmpint (gloss_merge_conflict_copy_of ("article (conflicted copy 2026-11-29 223802).txt", &original),
                   ==, GLOSS_SYNC_TOOL_NEXTCLOUD);
  g_assert_cmpstr (original, ==, "article.txt");

  g_assert_cmpint (gloss_merge_conflict_copy_of ("clip.json", NULL), ==, GLOSS_SYNC_TOOL_NONE);
  g_assert_cmpint (gloss_merge_conflict_copy_of ("clip.sync-conflict-.json", NULL), ==, GLOSS_SYNC_TOOL_NONE);
  g_assert_cmpint (gloss_merge_conflict_copy_of ("clip (copy).json", NULL), ==, GLOSS_SYNC_TOOL_NONE);
  g_assert_cmpint (gloss_merge_conflict_copy_of ("notes.sync-conflict-1.json", NULL), ==, GLOSS_SYNC_TOOL_NONE);
  g_assert_cmpint (gloss_merge_conflict_copy_of ("clip.sync-conflict-1.txt", NULL), ==, GLOSS_SYNC_TOOL_NONE);

  g_assert_true (gloss_merge_is_sync_file (".stfolder"));
  g_assert_true (gloss_merge_is_sync_file (".stversions"));
  g_assert_true (gloss_merge_is_sync_file (".syncthing.clip.json.tmp"));
  g_assert_true (gloss_merge_is_sync_file ("~syncthing~clip.json.tmp"));
  g_assert_true (gloss_merge_is_sync_file (".sync_1a2b3c.db"));
  g_assert_true (gloss_merge_is_sync_file (".sync_1a2b3c.db-wal"));
  g_assert_true (gloss_merge_is_sync_file (".~lock.clip.json#"));
  g_assert_true (gloss_merge_is_sync_file (".dropbox"));
  g_assert_true (gloss_merge_is_sync_file (".dropbox.cache"));
  g_assert_false (gloss_merge_is_sync_file ("clip.json"));
  g_assert_false (gloss_merge_is_sync_file ("6f1c2b9e"));
  g_assert_false (gloss_merge_is_sync_file (".trash"));
}

static void
write_clip_file (const char *dir,
                 const char *name,
                 JsonObject *clip)
{
  g_autofree char *data = text_of (clip);

  gloss_test_write_file (dir, name, data);
}

static void
test_merge_folder (void)
{
  g_autofree char *library = gloss_test_make_dir ("merge-folder");
  g_autofree char *clip_dir = g_build_filename (library, "clips", "c1", NULL);
  g_autofree char *y = annotation ("a1", "2026-01-02T00:00:00Z", "yellow", "mine", 10);
  g_autofree char *g = annotation ("a2", "2026-01-03T00:00:00Z", "green", "", 20);
  g_autofree char *ma = g_strdup_printf ("\"annotations\": [%s], \"note\": \"A\","
                                         " \"changed\": {\"note\": \"2026-01-02T00:00:00Z\"}", y);
  g_autofree char *mb = g_strdup_printf ("\"annotations\": [%s], \"note\": \"B\","
                                         " \"changed\": {\"note\": \"2026-01-03T00:00:00Z\"}", g);
  g_autoptr(JsonObject) a = clip_with (ma);
  g_autoptr(JsonObject) b = clip_with (mb);
  g_autoptr(JsonObject) c = clip_with ("\"tags\": [\"from-dropbox\"], \"changed\": {\"tags\": \"2026-01-04T00:00:00Z\"}");
  g_autoptr(GFile) library_file = g_file_new_for_path (library);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip_dir);
  g_autoptr(GlossMergeReport) report = NULL;
  g_autoptr(GlossMergeReport) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) expected = NULL;
  g_autoptr(JsonObject) expected2 = NULL;
  g_autoptr(JsonObject) lost = NULL;
  g_autofree char *path = NULL;
  g_autofree char *written = NULL;
  g_autofree char *want = NULL;

  write_clip_file (clip_dir, "clip.json", a);
  write_clip_file (clip_dir, "clip.sync-conflict-20261129-223802-ABCDEFG.json", b);
  write_clip_file (clip_dir, "clip (Ada's conflicted copy 2026-11-29).json", c);
  gloss_test_write_file (clip_dir, "clip (conflicted copy 2026-11-29 223802).json", "{ damaged");
  gloss_test_write_file (clip_dir, "article.html", "<p>text</p>");
  gloss_test_write_file (clip_dir, "article.txt", "text");
  gloss_test_write_file (clip_dir, "article (conflicted copy 2026-11-29 223802).txt", "other text");
  g_assert_true (gloss_merge_folder_has_copies (clip_file));

  report = gloss_merge_clip_folder (library_file, clip_file, &error);
  g_assert_no_error (error);
  g_assert_true (report->changed);
  g_assert_cmpuint (report->merged->len, ==, 3);
  g_assert_cmpuint (report->left->len, ==, 1);
  g_assert_nonnull (strstr (report->left->pdata[0], "conflicted copy 2026-11-29 223802).json"));

  expected = gloss_merge_clips (a, c, NULL);
  expected2 = gloss_merge_clips (expected, b, NULL);
  want = text_of (expected2);
  path = g_build_filename (clip_dir, "clip.json", NULL);
  written = gloss_test_read_file (path);
  g_assert_cmpstr (written, ==, want);

  /* The damaged copy is left where it is; the others are gone. */
  g_assert_true (gloss_merge_folder_has_copies (clip_file));
  {
    g_autofree char *copy = g_build_filename (clip_dir, "clip.sync-conflict-20261129-223802-ABCDEFG.json", NULL);
    g_autofree char *article_copy = g_build_filename (clip_dir, "article (conflicted copy 2026-11-29 223802).txt", NULL);

    g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (article_copy, G_FILE_TEST_EXISTS));
  }

  /* A's note lost to B's, which is what clip.json now holds. */
  lost = gloss_merge_lost_lookup (library_file, "c1", expected2);
  g_assert_nonnull (lost);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (lost, "note"), "text"), ==, "A");
  g_assert_true (gloss_merge_lost_dismiss (library_file, "c1", "note", &error));
  g_assert_no_error (error);
  g_clear_pointer (&lost, json_object_unref);
  lost = gloss_merge_lost_lookup (library_file, "c1", expected2);
  g_assert_null (lost);

  /* Merging again with only the damaged copy there changes nothing. */
  again = gloss_merge_clip_folder (library_file, clip_file, &error);
  g_assert_no_error (error);
  g_assert_false (again->changed);
  g_assert_cmpuint (again->merged->len, ==, 0);
  g_assert_cmpuint (again->left->len, ==, 1);
}

/* A save that finds clip.json changed by another writer merges it in,
 * and our text that lost to theirs is remembered, as for a conflict
 * copy, so that the window can offer it back. */
static void
test_save_remembers_lost (void)
{
  g_autofree char *library = gloss_test_make_dir ("save-lost");
  g_autofree char *clip_dir = g_build_filename (library, "clips", "c1", NULL);
  g_autoptr(JsonObject) base = clip_with ("\"note\": \"base\", \"changed\": {\"note\": \"2026-01-02T00:00:00Z\"}");
  g_autoptr(JsonObject) theirs = clip_with ("\"note\": \"theirs\", \"changed\": {\"note\": \"2099-01-01T00:00:00Z\"}");
  g_autoptr(GFile) library_file = g_file_new_for_path (library);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip_dir);
  g_autoptr(GlossClip) clip = NULL;
  g_autoptr(JsonObject) lost = NULL;
  g_autoptr(GError) error = NULL;

  write_clip_file (clip_dir, "clip.json", base);
  gloss_test_write_file (clip_dir, "article.html", "<p>text</p>");
  gloss_test_write_file (clip_dir, "article.txt", "text");
  clip = gloss_clip_load (clip_file, &error);
  g_assert_no_error (error);

  /* Ours changed in memory, theirs on disk later. */
  gloss_clip_set_note (clip, "mine");
  write_clip_file (clip_dir, "clip.json", theirs);

  g_assert_true (gloss_clip_save (clip, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_clip_get_note (clip), ==, "theirs");

  lost = gloss_merge_lost_lookup (library_file, "c1", gloss_clip_to_json (clip));
  g_assert_nonnull (lost);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (lost, "note"), "text"), ==, "mine");
}

/* Where there is no desktop trash, the copies go to
 * <library>/.trash/<id>.conflict-copies/, and a later copy of the same
 * name goes beside the first rather than over it. */
static void
test_merge_folder_own_trash (void)
{
  g_autofree char *library = gloss_test_make_dir ("merge-own-trash");
  g_autofree char *clip_dir = g_build_filename (library, "clips", "c1", NULL);
  g_autofree char *desktop_trash = g_build_filename (g_get_user_data_dir (), "Trash", NULL);
  g_autofree char *moved_aside = g_strconcat (desktop_trash, ".aside", NULL);
  const char *name = "clip.sync-conflict-20261129-223802-ABCDEFG.json";
  g_autofree char *own = g_build_filename (library, ".trash", "c1.conflict-copies", name, NULL);
  g_autofree char *own_second = g_strconcat (own, ".1", NULL);
  g_autoptr(JsonObject) a = clip_with ("\"note\": \"A\", \"changed\": {\"note\": \"2026-01-02T00:00:00Z\"}");
  g_autoptr(JsonObject) b = clip_with ("\"note\": \"B\", \"changed\": {\"note\": \"2026-01-03T00:00:00Z\"}");
  g_autoptr(JsonObject) c = clip_with ("\"note\": \"C\", \"changed\": {\"note\": \"2026-01-04T00:00:00Z\"}");
  g_autoptr(GFile) library_file = g_file_new_for_path (library);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip_dir);
  g_autoptr(GError) error = NULL;
  gboolean had_trash;

  /* No desktop trash can be made: a file stands where it would go. */
  had_trash = g_file_test (desktop_trash, G_FILE_TEST_EXISTS);
  if (had_trash)
    g_assert_cmpint (g_rename (desktop_trash, moved_aside), ==, 0);
  gloss_test_write_file (g_get_user_data_dir (), "Trash", "not a folder");

  write_clip_file (clip_dir, "clip.json", a);
  write_clip_file (clip_dir, name, b);
  {
    g_autoptr(GlossMergeReport) report = gloss_merge_clip_folder (library_file, clip_file, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (report->merged->len, ==, 1);
    g_assert_cmpuint (report->left->len, ==, 0);
  }
  g_assert_false (gloss_merge_folder_has_copies (clip_file));
  g_assert_true (g_file_test (own, G_FILE_TEST_IS_REGULAR));

  write_clip_file (clip_dir, name, c);
  {
    g_autoptr(GlossMergeReport) report = gloss_merge_clip_folder (library_file, clip_file, &error);
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (report->merged->len, ==, 1);
    first = gloss_test_read_file (own);
    second = gloss_test_read_file (own_second);
    g_assert_nonnull (strstr (first, "\"B\""));
    g_assert_nonnull (strstr (second, "\"C\""));
  }
  g_assert_false (gloss_merge_folder_has_copies (clip_file));

  g_unlink (desktop_trash);
  if (had_trash)
    g_assert_cmpint (g_rename (moved_aside, desktop_trash), ==, 0);
}

static void
test_merge_folder_damaged_clip (void)
{
  g_autofree char *library = gloss_test_make_dir ("merge-damaged");
  g_autofree char *clip_dir = g_build_filename (library, "clips", "c1", NULL);
  g_autoptr(JsonObject) b = clip_with ("\"note\": \"B\"");
  g_autoptr(GFile) library_file = g_file_new_for_path (library);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip_dir);
  g_autoptr(GlossMergeReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (clip_dir, "clip.json", NULL);
  g_autofree char *after = NULL;

  gloss_test_write_file (clip_dir, "clip.json", "{\"format\": 1, \"id\": \"c1\"");
  write_clip_file (clip_dir, "clip.sync-conflict-20261129-223802-ABCDEFG.json", b);

  report = gloss_merge_clip_folder (library_file, clip_file, &error);
  g_assert_no_error (error);
  g_assert_false (report->changed);
  g_assert_cmpuint (report->merged->len, ==, 0);
  g_assert_cmpuint (report->left->len, ==, 1);
  after = gloss_test_read_file (path);
  g_assert_cmpstr (after, ==, "{\"format\": 1, \"id\": \"c1\"");
}

/* --- conflict copies of the article ------------------------------------ */

static char *
quoted_annotation (const char *id,
                   const char *modified,
                   const char *exact,
                   guint       start)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"created\": \"2026-01-01T00:00:00Z\", \"modified\": \"%s\","
                          " \"color\": \"yellow\", \"target\": {\"selector\": ["
                          "{\"type\": \"TextQuoteSelector\", \"exact\": \"%s\", \"prefix\": \"\", \"suffix\": \"\"},"
                          "{\"type\": \"TextPositionSelector\", \"start\": %u, \"end\": %u}]}}",
                          id, modified, exact, start, start + (guint) g_utf8_strlen (exact, -1));
}

static const char *
modified_of (JsonObject *clip,
             const char *id)
{
  for (guint i = 0; i < n_annotations (clip); i++)
    {
      JsonObject *a = annotation_at (clip, i);

      if (g_str_equal (member_string (a, "id"), id))
        return member_string (a, "modified");
    }
  g_assert_not_reached ();
}

static guint
position_of (JsonObject *clip,
             const char *id)
{
  for (guint i = 0; i < n_annotations (clip); i++)
    {
      JsonObject *a = annotation_at (clip, i);
      JsonArray *selectors;

      if (!g_str_equal (member_string (a, "id"), id))
        continue;
      selectors = json_object_get_array_member (json_object_get_object_member (a, "target"), "selector");
      for (guint k = 0; k < json_array_get_length (selectors); k++)
        {
          JsonObject *sel = json_array_get_object_element (selectors, k);

          if (g_str_equal (member_string (sel, "type"), "TextPositionSelector"))
            return json_object_get_int_member (sel, "start");
        }
    }
  g_assert_not_reached ();
}

#define KEPT_TEXT "A paragraph added on this machine. The quokka smiles at the wombat."
#define COPY_TEXT "The quokka smiles at the wombat, said the other machine."

/* A clip updated on two machines: this machine's article was kept, the
 * other's is a Syncthing copy, and so is the other's clip.json with a
 * highlight made in the other text. Returns the clip's folder. */
static char *
make_article_conflict_named (const char *library,
                             gboolean    kept_readable,
                             const char *middle)
{
  g_autofree char *clip_dir = g_build_filename (library, "clips", "c1", NULL);
  /* "quokka" is at 4 in the other machine's text, at 39 in this one's. */
  g_autofree char *mine = quoted_annotation ("a1", "2026-01-02T00:00:00Z", "paragraph", 2);
  g_autofree char *theirs = quoted_annotation ("a2", "2026-01-03T00:00:00Z", "quokka", 4);
  g_autofree char *ma = g_strdup_printf ("\"annotations\": [%s]", mine);
  g_autofree char *mb = g_strdup_printf ("\"annotations\": [%s], \"modified\": \"2026-01-03T00:00:00Z\"", theirs);
  g_autoptr(JsonObject) a = clip_with (ma);
  g_autoptr(JsonObject) b = clip_with (mb);

  write_clip_file (clip_dir, "clip.json", a);
  write_clip_file (clip_dir, "clip.sync-conflict-20261129-223802-ABCDEFG.json", b);
  gloss_test_write_file (clip_dir, "article.html", "<p>" KEPT_TEXT "</p>");
  gloss_test_write_file (clip_dir, "article.txt", kept_readable ? KEPT_TEXT : "Not UTF-8: \xff\xfe");
  {
    g_autofree char *html_copy = g_strconcat ("article", middle, ".html", NULL);
    g_autofree char *text_copy = g_strconcat ("article", middle, ".txt", NULL);

    gloss_test_write_file (clip_dir, html_copy, "<p>" COPY_TEXT "</p>");
    gloss_test_write_file (clip_dir, text_copy, COPY_TEXT);
  }
  return g_steal_pointer (&clip_dir);
}

static char *
make_article_conflict (const char *library,
                       gboolean    kept_readable)
{
  return make_article_conflict_named (library, kept_readable, ".sync-conflict-20261129-223802-ABCDEFG");
}

static void
test_merge_article_copies (void)
{
  g_autofree char *library = gloss_test_make_dir ("article-copies");
  g_autofree char *twin = gloss_test_make_dir ("article-copies-twin");
  g_autofree char *clip_dir = make_article_conflict (library, TRUE);
  g_autofree char *twin_dir = make_article_conflict (twin, TRUE);
  g_autofree char *json_path = g_build_filename (clip_dir, "clip.json", NULL);
  g_autofree char *twin_json = g_build_filename (twin_dir, "clip.json", NULL);
  g_autofree char *text_path = g_build_filename (clip_dir, "article.txt", NULL);
  g_autoptr(GFile) library_file = g_file_new_for_path (library);
  g_autoptr(GFile) twin_file = g_file_new_for_path (twin);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip_dir);
  g_autoptr(GFile) twin_clip = g_file_new_for_path (twin_dir);
  g_autoptr(GlossMergeReport) report = NULL;
  g_autoptr(GlossMergeReport) twin_report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *data = NULL;
  g_autofree char *twin_data = NULL;
  g_autofree char *text = NULL;

  report = gloss_merge_clip_folder (library_file, clip_file, &error);
  g_assert_no_error (error);
  g_assert_true (report->changed);
  g_assert_cmpuint (report->left->len, ==, 0);
  g_assert_cmpuint (report->merged->len, ==, 3);
  g_assert_cmpuint (report->n_orphans, ==, 0);
  g_assert_false (gloss_merge_folder_has_copies (clip_file));

  /* The article this machine's sync tool kept stays; both machines'
   * highlights are anchored in it; a merge is no edit. */
  text = gloss_test_read_file (text_path);
  g_assert_cmpstr (text, ==, KEPT_TEXT);
  data = gloss_test_read_file (json_path);
  after = read_clip (data);
  g_assert_cmpuint (n_annotations (after), ==, 2);
  g_assert_cmpuint (position_of (after, "a2"), ==, 39);
  g_assert_cmpuint (position_of (after, "a1"), ==, 2);
  g_assert_cmpstr (member_string (after, "modified"), ==, "2026-01-03T00:00:00Z");
  /* Moved to where it is in the kept text, not edited: were it stamped
   * with the time of the merge, two machines merging in different
   * seconds would write different files. */
  g_assert_cmpstr (modified_of (after, "a2"), ==, "2026-01-03T00:00:00Z");
  g_assert_cmpstr (modified_of (after, "a1"), ==, "2026-01-02T00:00:00Z");

  /* Every machine that merges the same files writes the same clip.json. */
  twin_report = gloss_merge_clip_folder (twin_file, twin_clip, &error);
  g_assert_no_error (error);
  twin_data = gloss_test_read_file (twin_json);
  g_assert_cmpstr (twin_data, ==, data);
}

static void
test_merge_article_copy_wins (gconstpointer user_data)
{
  const char *middle = user_data;
  g_autofree char *name = g_strdup_printf ("article-copy-wins-%u", g_str_hash (middle));
  g_autofree char *library = gloss_test_make_dir (name);
  g_autofree char *clip_dir = make_article_conflict_named (library, FALSE, middle);
  g_autofree char *json_path = g_build_filename (clip_dir, "clip.json", NULL);
  g_autofree char *text_path = g_build_filename (clip_dir, "article.txt", NULL);
  g_autofree char *html_path = g_build_filename (clip_dir, "article.html", NULL);
  g_autoptr(GFile) library_file = g_file_new_for_path (library);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip_dir);
  g_autoptr(GlossMergeReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;

  /* The article kept cannot be anchored in (not UTF-8): the copy's pair
   * takes its place, and this machine's highlight, not in that text, is
   * kept as an orphan. */
  report = gloss_merge_clip_folder (library_file, clip_file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->left->len, ==, 0);
  g_assert_cmpuint (report->merged->len, ==, 3);
  g_assert_cmpuint (report->n_orphans, ==, 1);
  text = gloss_test_read_file (text_path);
  g_assert_cmpstr (text, ==, COPY_TEXT);
  html = gloss_test_read_file (html_path);
  g_assert_cmpstr (html, ==, "<p>" COPY_TEXT "</p>");
  data = gloss_test_read_file (json_path);
  after = read_clip (data);
  g_assert_cmpuint (n_annotations (after), ==, 2);
  g_assert_cmpuint (position_of (after, "a2"), ==, 4);
}

/* Nothing can be anchored in: the copies stay, with the reason. */
static void
test_merge_article_unreadable (void)
{
  g_autofree char *library = gloss_test_make_dir ("article-unreadable");
  g_autofree char *clip_dir = make_article_conflict (library, FALSE);
  g_autoptr(GFile) library_file = g_file_new_for_path (library);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip_dir);
  g_autoptr(GlossMergeReport) report = NULL;
  g_autoptr(GError) error = NULL;

  gloss_test_write_file (clip_dir, "article.sync-conflict-20261129-223802-ABCDEFG.txt", "\xc3");
  report = gloss_merge_clip_folder (library_file, clip_file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->merged->len, ==, 1);
  g_assert_cmpuint (report->left->len, ==, 2);
  g_assert_true (gloss_merge_folder_has_copies (clip_file));
}

/* --- the app's edits keep the fields ------------------------------------ */

static JsonObject *
saved_json (GlossClip *clip)
{
  g_autoptr(GFile) file = g_file_get_child (gloss_clip_get_folder (clip), "clip.json");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *data = gloss_test_read_file (path);

  return read_clip (data);
}

static void
test_edits (void)
{
  g_autofree char *library = gloss_test_make_dir ("edits");
  g_autoptr(GFile) library_dir = g_file_new_for_path (library);
  g_autoptr(GlossLibrary) gloss_library = gloss_library_new (library_dir);
  g_autoptr(GlossClipWriter) writer = NULL;
  g_autoptr(GlossClip) clip = gloss_clip_new ("https://example.org/a", "Title");
  GlossClipPage page = { .word_count = 2, .html = "<p>quote other</p>", .text = "quote other" };
  g_autoptr(GlossAnnotation) a = gloss_annotation_new ("quote", "", "", 0, 5, GLOSS_COLOR_YELLOW);
  g_autoptr(GlossAnnotation) b = gloss_annotation_new ("other", "", "", 10, 15, GLOSS_COLOR_BLUE);
  g_autoptr(GlossAnnotation) undone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) m = NULL;
  JsonObject *changed, *removed, *removed_tags;
  const char *id_a = gloss_annotation_get_id (a);
  g_autofree char *id_b = g_strdup (gloss_annotation_get_id (b));
  g_autofree char *tags = NULL;

  gloss_clip_add_tag (clip, "Keep");
  gloss_clip_add_tag (clip, "Drop Me");
  gloss_clip_add_annotation (clip, a);
  gloss_clip_add_annotation (clip, b);
  writer = gloss_clip_writer_new (gloss_library, clip);
  g_assert_true (gloss_clip_writer_commit (writer, &page, &error) == clip);
  g_assert_no_error (error);
  before = saved_json (clip);

  gloss_clip_set_title (clip, "New title");
  gloss_clip_set_note (clip, "A page note");
  gloss_clip_remove_tag (clip, "drop me");
  gloss_clip_remove_annotation (clip, id_b);
  /* Delete and Undo, at once: the restored highlight is later than its
   * deletion. */
  undone = g_object_ref (gloss_clip_find_annotation (clip, id_a));
  gloss_clip_remove_annotation (clip, id_a);
  gloss_clip_add_annotation (clip, undone);
  g_assert_true (gloss_clip_save (clip, TRUE, &error));
  g_assert_no_error (error);
  after = saved_json (clip);

  changed = json_object_get_object_member (after, "changed");
  removed = json_object_get_object_member (after, "removed");
  removed_tags = json_object_get_object_member (after, "removed_tags");
  g_assert_true (json_object_has_member (changed, "title"));
  g_assert_true (json_object_has_member (changed, "note"));
  g_assert_true (json_object_has_member (changed, "tags"));
  g_assert_true (json_object_has_member (removed, id_b));
  g_assert_true (json_object_has_member (removed, id_a));
  g_assert_true (json_object_has_member (removed_tags, "drop me"));
  g_assert_cmpint (gloss_merge_compare_times (gloss_annotation_get_modified (undone),
                                              json_object_get_string_member (removed, id_a)), >, 0);

  /* Merged with the version from before (another machine that did not
   * see these edits), the edits win: b and the tag stay deleted, the
   * restored a stays. */
  m = merged (before, after);
  g_assert_cmpstr (member_string (m, "title"), ==, "New title");
  g_assert_cmpstr (member_string (m, "note"), ==, "A page note");
  g_assert_cmpuint (n_annotations (m), ==, 1);
  g_assert_cmpstr (member_string (annotation_at (m, 0), "id"), ==, id_a);
  tags = tags_joined (m);
  g_assert_cmpstr (tags, ==, "Keep");

  /* A clip that was never changed has none of the maps. */
  {
    g_autoptr(GlossClip) fresh = gloss_clip_new ("https://example.org/b", "B");
    JsonObject *root = gloss_clip_to_json (fresh);

    g_assert_false (json_object_has_member (root, "changed"));
    g_assert_false (json_object_has_member (root, "removed"));
  }
}

/* --- the app's library: at start-up and while it runs -------------------- */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
n_annotations_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    data)
{
  *(gboolean *) data = TRUE;
}

static void
test_library_merges (void)
{
  g_autofree char *library = gloss_test_make_dir ("library-merges");
  g_autofree char *clip_dir = g_build_filename (library, "clips", "c1", NULL);
  g_autofree char *other_dir = g_build_filename (library, "clips", "c2", NULL);
  g_autofree char *x = annotation ("a1", "2026-01-02T00:00:00Z", "yellow", "", 10);
  g_autofree char *y = annotation ("a2", "2026-01-03T00:00:00Z", "green", "", 20);
  g_autofree char *z = annotation ("a3", "2026-01-04T00:00:00Z", "blue", "", 30);
  g_autofree char *ma = g_strdup_printf ("\"annotations\": [%s]", x);
  g_autofree char *mb = g_strdup_printf ("\"annotations\": [%s]", y);
  g_autofree char *mc = g_strdup_printf ("\"annotations\": [%s], \"modified\": \"2026-01-04T00:00:00Z\"", z);
  g_autoptr(JsonObject) a = clip_with (ma);
  g_autoptr(JsonObject) b = clip_with (mb);
  g_autoptr(JsonObject) c = clip_with (mc);
  g_autoptr(JsonObject) c2 = clip_with ("\"id\": \"c2\", \"title\": \"Untouched\"");
  g_autoptr(GFile) folder = g_file_new_for_path (library);
  g_autoptr(GlossLibrary) lib = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;
  GlossClip *clip;
  gboolean changed = FALSE, timed_out = FALSE;
  guint timeout;

  write_clip_file (clip_dir, "clip.json", a);
  write_clip_file (clip_dir, "clip.sync-conflict-20261129-223802-ABCDEFG.json", b);
  write_clip_file (other_dir, "clip.json", c2);

  /* --list and --verify's scan never writes: the copy stays. */
  {
    g_autofree char *clips = g_build_filename (library, "clips", NULL);
    g_autoptr(GFile) clips_folder = g_file_new_for_path (clips);
    g_autoptr(GPtrArray) scanned = gloss_library_scan_clips (clips_folder, NULL, &error);
    g_autoptr(GFile) c1 = g_file_new_for_path (clip_dir);

    g_assert_no_error (error);
    g_assert_cmpuint (scanned->len, ==, 2);
    g_assert_true (gloss_merge_folder_has_copies (c1));
  }

  /* At start-up, in the load. */
  gloss_library_set_merging (lib, TRUE);
  g_assert_true (gloss_library_load (lib, NULL, &error));
  g_assert_no_error (error);
  clip = gloss_library_lookup (lib, "c1");
  g_assert_nonnull (clip);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 2);
  {
    g_autoptr(GFile) c1 = g_file_new_for_path (clip_dir);

    g_assert_false (gloss_merge_folder_has_copies (c1));
  }

  /* While it runs: a copy that appears is merged and the clip reloads. */
  gloss_library_set_monitoring (lib, TRUE);
  g_signal_connect (clip, "notify::n-annotations", G_CALLBACK (n_annotations_cb), &changed);
  write_clip_file (clip_dir, "clip (conflicted copy 2026-11-29 223802).json", c);
  timeout = g_timeout_add_seconds (20, timeout_cb, &timed_out);
  while (!changed && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
  g_assert_cmpuint (gloss_clip_get_n_annotations (clip), ==, 3);
  {
    g_autoptr(GFile) c1 = g_file_new_for_path (clip_dir);

    g_assert_false (gloss_merge_folder_has_copies (c1));
  }
  gloss_library_set_monitoring (lib, FALSE);
  g_signal_handlers_disconnect_by_func (clip, n_annotations_cb, &changed);
}


/* The file system's clock has moved past @path's change time: a change
 * made now gives it another time. Waits on the clock, not for a while. */
static void
wait_for_clock_past (const char *path)
{
  g_autofree char *probe = g_build_filename (gloss_test_get_root (), "clock.probe", NULL);
  struct stat target, st;

  g_assert_cmpint (stat (path, &target), ==, 0);
  for (guint i = 0;; i++)
    {
      g_assert_cmpuint (i, <, 1000000);
      g_assert_true (g_file_set_contents (probe, "x", 1, NULL));
      g_assert_cmpint (stat (probe, &st), ==, 0);
      g_unlink (probe);
      if (st.st_ctim.tv_sec > target.st_ctim.tv_sec ||
          (st.st_ctim.tv_sec == target.st_ctim.tv_sec && st.st_ctim.tv_nsec > target.st_ctim.tv_nsec))
        break;
    }
}

static guint
load_listing (GFile *folder)
{
  g_autoptr(GlossLibrary) lib = gloss_library_new (folder);
  g_autoptr(GError) error = NULL;

  gloss_library_set_merging (lib, TRUE);
  g_assert_true (gloss_library_load (lib, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lib)), ==, 2);
  return lib->n_folders_listed;
}

/* The start-up check lists a folder only when it may have changed since
 * it was last listed without a copy (gloss-merge-check.h): a copy that
 * arrives later is still found, and a record that cannot be read is no
 * record. */
static void
test_startup_record (void)
{
  g_autofree char *library = gloss_test_make_dir ("startup-record");
  g_autofree char *clips = g_build_filename (library, "clips", NULL);
  g_autofree char *c1_dir = g_build_filename (clips, "c1", NULL);
  g_autofree char *c2_dir = g_build_filename (clips, "c2", NULL);
  g_autofree char *x = annotation ("a1", "2026-01-02T00:00:00Z", "yellow", "", 10);
  g_autofree char *y = annotation ("a2", "2026-01-03T00:00:00Z", "green", "", 20);
  g_autofree char *ma = g_strdup_printf ("\"annotations\": [%s]", x);
  g_autofree char *mb = g_strdup_printf ("\"annotations\": [%s]", y);
  g_autoptr(JsonObject) a = clip_with (ma);
  g_autoptr(JsonObject) b = clip_with (mb);
  g_autoptr(JsonObject) c2 = clip_with ("\"id\": \"c2\"");
  g_autoptr(GFile) folder = g_file_new_for_path (library);
  g_autoptr(GFile) c1 = g_file_new_for_path (c1_dir);
  g_autoptr(GlossMergeCheck) probe = NULL;

  write_clip_file (c1_dir, "clip.json", a);
  write_clip_file (c2_dir, "clip.json", c2);

  probe = gloss_merge_check_new (folder, clips, 0);
  if (!gloss_merge_check_is_trusted (probe))
    {
      g_test_skip ("The test folder's file system does not keep change times: every folder is listed");
      return;
    }

  /* Folders changed in the last seconds are listed every time: a copy
   * written in the same tick of the clock as the listing would not
   * change the folder's time. */
  g_assert_cmpuint (load_listing (folder), ==, 2);
  g_assert_cmpuint (load_listing (folder), ==, 2);

  /* Seen from later on, the folders are old enough to be recorded. */
  _gloss_merge_check_set_now (g_get_real_time () + 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (load_listing (folder), ==, 2);
  g_assert_cmpuint (load_listing (folder), ==, 0);

  /* A copy that arrives changes its folder's time: that folder (only) is
   * listed, and the copy merged. */
  wait_for_clock_past (c1_dir);
  write_clip_file (c1_dir, "clip.sync-conflict-20261129-223802-ABCDEFG.json", b);
  {
    g_autoptr(GlossLibrary) lib = gloss_library_new (folder);
    g_autoptr(GError) error = NULL;

    gloss_library_set_merging (lib, TRUE);
    g_assert_true (gloss_library_load (lib, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (lib->n_folders_listed, ==, 1);
    g_assert_cmpuint (gloss_clip_get_n_annotations (gloss_library_lookup (lib, "c1")), ==, 2);
    g_assert_false (gloss_merge_folder_has_copies (c1));
  }
  /* The merge changed the folder: listed once more, then known. */
  g_assert_cmpuint (load_listing (folder), ==, 1);
  g_assert_cmpuint (load_listing (folder), ==, 0);

  /* A record cut short or of another kind is no record. */
  {
    g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "gloss", NULL);
    g_autoptr(GDir) dir = g_dir_open (cache, 0, NULL);
    const char *name;
    guint damaged = 0;

    g_assert_nonnull (dir);
    while ((name = g_dir_read_name (dir)))
      if (g_str_has_prefix (name, "conflict-check-"))
        {
          g_autofree char *path = g_build_filename (cache, name, NULL);
          g_autofree char *data = NULL;
          gsize length;

          g_assert_true (g_file_get_contents (path, &data, &length, NULL));
          g_assert_true (g_file_set_contents (path, data, length - 3, NULL));
          damaged++;
        }
    g_assert_cmpuint (damaged, >=, 1);
  }
  g_assert_cmpuint (load_listing (folder), ==, 2);
  g_assert_cmpuint (load_listing (folder), ==, 0);

  _gloss_merge_check_set_now (0);
}

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);

  g_test_add_func ("/merge/times", test_times);
  g_test_add_func ("/merge/annotations/modified", test_annotations_by_modified);
  g_test_add_func ("/merge/annotations/equal-times", test_annotations_equal_times);
  g_test_add_func ("/merge/annotations/order-ties", test_annotations_order_ties);
  g_test_add_func ("/merge/removed", test_removed);
  g_test_add_func ("/merge/time-maps", test_time_maps);
  g_test_add_func ("/merge/title-note", test_title_and_note);
  g_test_add_func ("/merge/absent-changed", test_absent_changed_counts_as_created);
  g_test_add_func ("/merge/tags", test_tags);
  g_test_add_func ("/merge/created-modified-others", test_created_modified_and_others);
  g_test_add_func ("/merge/unknown-members", test_unknown_members_kept);
  g_test_add_func ("/merge/different-ids", test_different_ids);
  g_test_add_func ("/merge/hostile-maps", test_hostile_maps);
  g_test_add_func ("/merge/three-way", test_three_way);
  g_test_add_func ("/merge/read-refuses", test_read_refuses);
  g_test_add_func ("/merge/random/pairs", test_random_pairs);
  g_test_add_func ("/merge/random/triples", test_random_triples);
  g_test_add_func ("/merge/known-format-issue/tags", test_known_format_issue_tags);
  g_test_add_func ("/merge/random/self", test_random_histories);
  g_test_add_func ("/merge/edits", test_edits);
  g_test_add_func ("/merge/copies/names", test_copy_names);
  g_test_add_func ("/merge/copies/library", test_library_merges);
  g_test_add_func ("/merge/copies/startup-record", test_startup_record);
  g_test_add_func ("/merge/copies/folder", test_merge_folder);
  g_test_add_func ("/merge/copies/own-trash", test_merge_folder_own_trash);
  g_test_add_func ("/merge/save-remembers-lost", test_save_remembers_lost);
  g_test_add_func ("/merge/copies/damaged-clip", test_merge_folder_damaged_clip);
  g_test_add_func ("/merge/copies/article", test_merge_article_copies);
  /* The copy's pair, named as each tool names it. */
  g_test_add_data_func ("/merge/copies/article-copy-wins/syncthing",
                        ".sync-conflict-20261129-223802-ABCDEFG", test_merge_article_copy_wins);
  g_test_add_data_func ("/merge/copies/article-copy-wins/nextcloud",
                        " (conflicted copy 2026-11-29 223802)", test_merge_article_copy_wins);
  g_test_add_data_func ("/merge/copies/article-copy-wins/dropbox",
                        " (Ada's conflicted copy 2026-11-29)", test_merge_article_copy_wins);
  g_test_add_func ("/merge/copies/article-unreadable", test_merge_article_unreadable);

  return g_test_run ();
}
