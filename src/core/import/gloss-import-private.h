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

#include "gloss-import.h"

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
  char      *cached;       /* a file: URI of a saved article.html, or NULL */
} GlossImportPage;

struct _GlossImportPlan
{
  GlossImportFormat  format;
  GPtrArray         *pages;     /* GlossImportPage, in the order of the file */
  GHashTable        *by_url;    /* url → GlossImportPage */
  GPtrArray         *warnings;  /* char *, NULL-terminated */
};

gboolean gloss_import_page_has_data (GlossImportPage *page);

G_END_DECLS
