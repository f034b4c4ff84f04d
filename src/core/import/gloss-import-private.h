/* gloss-import-private.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The plan an import file is read into, shared by the parser
 * (gloss-import.c) and the part that writes it into the library
 * (gloss-import-apply.c). */

#pragma once

#include <json-glib/json-glib.h>

#include "gloss-import.h"
#include "gloss-json-private.h"

G_BEGIN_DECLS

typedef struct
{
  char     *id;        /* a valid annotation id, stable across imports */
  char     *created;   /* RFC 3339, valid */
  char     *modified;
  char     *color;     /* a GlossColor name */
  char     *note;      /* "" when none */
  char     *exact;
  char     *prefix;    /* "" when none */
  char     *suffix;
  guint     start;
  guint     end;
  gboolean  has_position;
  JsonArray *selectors; /* the selectors as the file gave them, or NULL */
  GPtrArray *tags;      /* char *: the annotation's own tags, or NULL */
} GlossImportAnnotation;

typedef struct
{
  char      *url;          /* without its fragment */
  char      *clip_id;      /* the clip it came from, for Gloss's own export */
  char      *title;
  char      *byline;
  char      *site_name;
  char      *published;
  char      *excerpt;
  char      *lang;
  char      *note;         /* "" when none */
  GPtrArray *tags;         /* char * */
  GPtrArray *annotations;  /* GlossImportAnnotation */
  char      *created;      /* when it was saved there, RFC 3339 UTC, or NULL */
  JsonObject *import;      /* what the format has no field for, or NULL */
  char      *article_html; /* the article the export carries, or NULL */
} GlossImportPage;

struct _GlossImportPlan
{
  GlossImportFormat  format;
  GPtrArray         *pages;     /* GlossImportPage, in the order of the file */
  GHashTable        *by_url;    /* url → GlossImportPage */
  GPtrArray         *warnings;  /* char *, NULL-terminated */
  GPtrArray         *rejected;  /* char *, NULL-terminated: items not kept, each with why */
  char              *found;     /* the format found, as a person names it */
};

gboolean gloss_import_page_has_data (GlossImportPage *page);

/* Limits that keep a hostile file from exhausting memory. */
#define GLOSS_IMPORT_MAX_BYTES (512 * 1024 * 1024)
#define GLOSS_IMPORT_MAX_FIELD_CHARS (1024 * 1024)

/* The plan and its pages (gloss-import-plan.c). */
GlossImportPlan       *gloss_import_plan_new            (GlossImportFormat  format);
void                   gloss_import_plan_warn           (GlossImportPlan   *plan,
                                                         const char        *format,
                                                         ...) G_GNUC_PRINTF (2, 3);
void                   gloss_import_plan_reject         (GlossImportPlan   *plan,
                                                         const char        *format,
                                                         ...) G_GNUC_PRINTF (2, 3);
/* Moves the pages of @other into @plan, merging those of the same
 * address (a Pocket export split in parts). */
void                   gloss_import_plan_absorb         (GlossImportPlan   *plan,
                                                         GlossImportPlan   *other);
GlossImportPage       *gloss_import_plan_page           (GlossImportPlan   *plan,
                                                         const char        *url);
char                  *gloss_import_clean_text          (const char        *text);
char                  *gloss_import_clean_optional      (const char        *text);
/* A page's address without its fragment and with its scheme in lower
 * case (HTTP://x is http://x); NULL when it is not an absolute URI. */
char                  *gloss_import_normalize_url       (const char        *url);
gboolean               gloss_import_is_web_url          (const char        *url);
void                   gloss_import_page_add_tag        (GlossImportPage   *page,
                                                         const char        *tag);
void                   gloss_import_page_add_note       (GlossImportPage   *page,
                                                         const char        *note);
void                   gloss_import_set_if_unset        (char             **field,
                                                         const char        *value);
/* The page's `import` object, made on first use. */
JsonObject            *gloss_import_page_get_import     (GlossImportPage   *page);
/* Copies @member of @object, when there and not null, into the page's
 * `import` object under the same name (never over a value there). */
void                   gloss_import_page_keep_member    (GlossImportPage   *page,
                                                         JsonObject        *object,
                                                         const char        *member);
void                   gloss_import_page_set_created    (GlossImportPage   *page,
                                                         const char        *time);
/* A time as RFC 3339 UTC: ISO 8601 with any offset, or Unix seconds in a
 * string or number; NULL when it is none of these. */
char                  *gloss_import_parse_time          (const char        *value);
char                  *gloss_import_valid_time          (const char        *value);
char                  *gloss_import_stable_id           (const char        *source,
                                                         const char        *key);
gboolean               gloss_import_member_uint         (JsonObject        *object,
                                                         const char        *member,
                                                         guint             *out);
GPtrArray             *gloss_import_member_list         (JsonObject        *object,
                                                         const char        *member);
gboolean               gloss_import_has_type            (JsonObject        *object,
                                                         const char        *type);
const char            *gloss_import_color_or_default    (const char        *color);
GlossImportAnnotation *gloss_import_annotation_new      (const char        *id,
                                                         const char        *created,
                                                         const char        *modified,
                                                         const char        *color,
                                                         const char        *note,
                                                         const char        *exact,
                                                         const char        *prefix,
                                                         const char        *suffix);
void                   gloss_import_annotation_free     (GlossImportAnnotation *a);
/* Keeps a copy of the selectors exactly as the file gave them (one or an
 * array); the annotation is written with them until it is anchored. */
void                   gloss_import_annotation_keep_selectors (GlossImportAnnotation *a,
                                                         JsonNode          *selectors);
/* TRUE when the W3C annotation's motivation is @motivation. */
gboolean               gloss_import_has_motivation      (JsonObject        *object,
                                                         const char        *motivation);
void                   gloss_import_take_position       (GlossImportAnnotation *a,
                                                         JsonObject        *position);
/* Adds @a (taken) unless the page has an annotation of that id; returns
 * the annotation kept. */
GlossImportAnnotation *gloss_import_page_add_annotation (GlossImportPage   *page,
                                                         GlossImportAnnotation *a);
void                   gloss_import_find_selectors      (JsonNode          *node,
                                                         JsonObject       **quote,
                                                         JsonObject       **position,
                                                         guint              depth);

/* The parsers, each on UTF-8 text (or the zip's bytes): NULL with @error
 * when the file is not theirs or is damaged. */
GlossImportPlan *gloss_import_parse_csv        (const char  *text,
                                                const char  *name,
                                                GError     **error);
GlossImportPlan *gloss_import_parse_html       (const char  *text,
                                                gsize        length,
                                                const char  *name,
                                                GError     **error);
GlossImportPlan *gloss_import_parse_zip        (GBytes      *bytes,
                                                const char  *name,
                                                GError     **error);
/* JSON (gloss-import.c), also for the JSON inside a zip. */
GlossImportPlan *gloss_import_parse_json_text  (const char  *text,
                                                const char  *name,
                                                GError     **error);
gboolean         gloss_import_read_omnivore    (GlossImportPlan  *plan,
                                                JsonArray        *items,
                                                const char       *name,
                                                GError          **error);

/* Article HTML (gloss-import-html.c): the fragment an export carries made
 * safe to show (no scripts, no handlers) and its text as the reader's
 * textContent computes it. FALSE when it holds no text. */
gboolean gloss_import_html_article (const char  *html,
                                    char       **clean_html,
                                    char       **text);
/* The one place an import writes a clip (gloss-import-keep.c): a new
 * clip for @page when @existing is NULL, else what @existing lacks. The
 * clip, or NULL with @error (GLOSS_ERROR_IO when the library cannot be
 * written at all). */
typedef struct _GlossImportWrites GlossImportWrites;

GlossClip *gloss_import_keep_page (GlossLibrary        *library,
                                   GlossClip           *existing,
                                   GlossImportPlan     *plan,
                                   GlossImportPage     *page,
                                   GlossImportSummary  *summary,
                                   GlossImportWrites   *writes,
                                   GError             **error);
/* With @writes, new clips are gathered there and written together by
 * gloss_import_writes_flush() (several at a time), which adds them to the
 * library and counts them. */
GlossImportWrites *gloss_import_writes_new   (void);
void               gloss_import_writes_free  (GlossImportWrites  *writes);
guint              gloss_import_writes_get_n (GlossImportWrites  *writes);
gboolean           gloss_import_writes_flush (GlossImportWrites  *writes,
                                              GlossLibrary       *library,
                                              GlossImportPlan    *plan,
                                              GlossImportSummary *summary,
                                              GError            **error);

/* The textContent of an HTML fragment (a W3C body in text/html). */
char    *gloss_import_html_text    (const char  *html);

G_END_DECLS
