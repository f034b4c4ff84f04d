/* gloss-template.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A small Mustache-like template language for the Markdown export
 * (docs/templates.md): {{name}}, {{name|filter}}, sections
 * {{#name}}…{{/name}} (repeated for a list, shown once for a non-empty
 * value), inverted sections {{^name}}…{{/name}} and comments {{! … }}. A
 * section or comment tag alone on its line takes the whole line with it. */

/* What a value is, which decides how {{name}} without a filter escapes it. */
typedef enum
{
  GLOSS_TEMPLATE_TEXT,      /* plain text, escaped, each line a paragraph */
  GLOSS_TEMPLATE_LINE,      /* plain text, escaped, on one line */
  GLOSS_TEMPLATE_MARKDOWN,  /* Markdown already: inserted as it is */
  GLOSS_TEMPLATE_URL,       /* a URL, made safe inside <…> */
} GlossTemplateKind;

typedef struct _GlossTemplate GlossTemplate;
typedef struct _GlossTemplateScope GlossTemplateScope;

/* Parses @source. Fails with GLOSS_ERROR_INVALID_INPUT and the line number
 * for an unclosed tag or section, an unknown filter, or (when @known_names
 * is not NULL) a name that is not in it. */
GlossTemplate      *gloss_template_new            (const char          *source,
                                                   const char * const  *known_names,
                                                   GError             **error);
void                gloss_template_free           (GlossTemplate       *self);

/* The values for one rendering. Names are not copied: use string literals. */
GlossTemplateScope *gloss_template_scope_new      (void);
void                gloss_template_scope_free     (GlossTemplateScope  *self);
void                gloss_template_scope_set      (GlossTemplateScope  *self,
                                                   const char          *name,
                                                   GlossTemplateKind    kind,
                                                   const char          *value);
void                gloss_template_scope_take     (GlossTemplateScope  *self,
                                                   const char          *name,
                                                   GlossTemplateKind    kind,
                                                   char                *value);
/* Appends an item to the list @name and returns its scope, owned by @self.
 * Names not found in an item are looked up in the scopes around it. */
GlossTemplateScope *gloss_template_scope_add_item (GlossTemplateScope  *self,
                                                   const char          *name);
/* Declares @name as a list even when no item is added, so that an empty
 * list shows its inverted section rather than a parent's value. */
void                gloss_template_scope_set_list (GlossTemplateScope  *self,
                                                   const char          *name);

void                gloss_template_render         (GlossTemplate       *self,
                                                   GlossTemplateScope  *scope,
                                                   GString             *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossTemplate, gloss_template_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossTemplateScope, gloss_template_scope_free)

G_END_DECLS
