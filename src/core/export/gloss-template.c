/* gloss-template.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The template engine of the Markdown export. A template is parsed once
 * into a tree and rendered for every clip, so that exporting a large
 * library costs string appends, not parsing. */

#define G_LOG_DOMAIN "gloss-template"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-markdown.h"
#include "gloss-template.h"

typedef enum
{
  NODE_TEXT,
  NODE_VARIABLE,
  NODE_SECTION,
  NODE_INVERTED,
} NodeType;

typedef enum
{
  FILTER_NONE,
  FILTER_RAW,
  FILTER_YAML,
  FILTER_BLOCKQUOTE,
  FILTER_LINE,
  FILTER_URL,
} Filter;

static const struct
{
  const char *name;
  Filter filter;
} filters[] = {
  { "raw", FILTER_RAW },
  { "yaml", FILTER_YAML },
  { "blockquote", FILTER_BLOCKQUOTE },
  { "line", FILTER_LINE },
  { "url", FILTER_URL },
};

typedef struct
{
  NodeType   type;
  Filter     filter;
  char      *text;      /* the text, or the name */
  GPtrArray *children;  /* of Node, for sections */
} Node;

struct _GlossTemplate
{
  GPtrArray *nodes;
};

typedef struct
{
  const char        *name;
  GlossTemplateKind  kind;
  char              *value;  /* NULL for a list */
  GPtrArray         *items;  /* of GlossTemplateScope, for a list */
} Entry;

struct _GlossTemplateScope
{
  GArray *entries;  /* of Entry */
};

static void
node_free (gpointer data)
{
  Node *node = data;

  g_free (node->text);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node);
}

static Node *
node_new (NodeType    type,
          const char *text,
          gsize       len)
{
  Node *node = g_new0 (Node, 1);

  node->type = type;
  node->text = g_strndup (text, len);
  if (type == NODE_SECTION || type == NODE_INVERTED)
    node->children = g_ptr_array_new_with_free_func (node_free);
  return node;
}

static guint
line_of (const char *source,
         const char *p)
{
  guint line = 1;

  for (const char *q = source; q < p; q++)
    if (*q == '\n')
      line++;
  return line;
}

static gboolean
name_is_valid (const char *name)
{
  if (*name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Drops the blanks before a standalone tag from the text node that holds
 * them; returns where the text after the tag starts. */
static const char *
strip_standalone (GPtrArray  *siblings,
                  const char *source,
                  const char *tag_start,
                  const char *tag_end)
{
  const char *p;
  const char *after = tag_end;

  for (p = tag_start; p > source && (p[-1] == ' ' || p[-1] == '\t'); p--)
    ;
  if (p != source && p[-1] != '\n')
    return tag_end;

  while (*after == ' ' || *after == '\t')
    after++;
  if (*after == '\r')
    after++;
  if (*after != '\n' && *after != '\0')
    return tag_end;
  if (*after == '\n')
    after++;

  if (p < tag_start && siblings->len > 0)
    {
      Node *last = g_ptr_array_index (siblings, siblings->len - 1);

      if (last->type == NODE_TEXT)
        {
          gsize len = strlen (last->text);
          gsize drop = tag_start - p;

          if (drop <= len)
            last->text[len - drop] = '\0';
        }
    }

  return after;
}

GlossTemplate *
gloss_template_new (const char          *source,
                    const char * const  *known_names,
                    GError             **error)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func (node_free);
  GPtrArray *current = roots;
  const char *p = source;
  GlossTemplate *self;

  g_return_val_if_fail (source != NULL, NULL);

  if (!g_utf8_validate (source, -1, NULL))
    {
      g_set_error_literal (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                           _("The template is not UTF-8 text"));
      return NULL;
    }

  while (*p != '\0')
    {
      const char *open = strstr (p, "{{");
      const char *close;
      g_autofree char *tag = NULL;
      char *name;
      char *bar;
      char sigil;

      if (open == NULL)
        {
          g_ptr_array_add (current, node_new (NODE_TEXT, p, strlen (p)));
          break;
        }
      if (open > p)
        g_ptr_array_add (current, node_new (NODE_TEXT, p, open - p));

      close = strstr (open + 2, "}}");
      if (close == NULL)
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                       _("Template line %u: “{{” is never closed by “}}”"),
                       line_of (source, open));
          return NULL;
        }

      tag = g_strstrip (g_strndup (open + 2, close - open - 2));
      sigil = tag[0];
      p = close + 2;

      if (sigil == '!')
        {
          p = strip_standalone (current, source, open, p);
          continue;
        }

      name = (sigil == '#' || sigil == '^' || sigil == '/') ? g_strstrip (tag + 1) : tag;
      bar = strchr (name, '|');
      if (bar != NULL)
        {
          *bar = '\0';
          g_strstrip (name);
        }

      if (!name_is_valid (name) ||
          (known_names != NULL && !g_strv_contains (known_names, name)))
        {
          g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                       _("Template line %u: unknown name “%s”"),
                       line_of (source, open), name);
          return NULL;
        }

      if (sigil == '#' || sigil == '^')
        {
          Node *node;

          if (bar != NULL)
            {
              g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                           _("Template line %u: a section takes no filter"),
                           line_of (source, open));
              return NULL;
            }
          p = strip_standalone (current, source, open, p);
          node = node_new (sigil == '#' ? NODE_SECTION : NODE_INVERTED, name, strlen (name));
          g_ptr_array_add (current, node);
          g_ptr_array_add (stack, current);
          g_ptr_array_add (stack, node);
          current = node->children;
        }
      else if (sigil == '/')
        {
          Node *section;

          if (stack->len == 0)
            {
              g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                           _("Template line %u: “{{/%s}}” closes no section"),
                           line_of (source, open), name);
              return NULL;
            }
          section = g_ptr_array_index (stack, stack->len - 1);
          if (!g_str_equal (section->text, name))
            {
              g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                           _("Template line %u: “{{/%s}}” closes the section “%s”"),
                           line_of (source, open), name, section->text);
              return NULL;
            }
          p = strip_standalone (current, source, open, p);
          current = g_ptr_array_index (stack, stack->len - 2);
          g_ptr_array_set_size (stack, stack->len - 2);
        }
      else
        {
          Node *node = node_new (NODE_VARIABLE, name, strlen (name));

          g_ptr_array_add (current, node);
          if (bar != NULL)
            {
              const char *filter = g_strstrip (bar + 1);
              gboolean found = FALSE;

              for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
                if (g_str_equal (filter, filters[i].name))
                  {
                    node->filter = filters[i].filter;
                    found = TRUE;
                  }
              if (!found)
                {
                  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                               _("Template line %u: unknown filter “%s”"),
                               line_of (source, open), filter);
                  return NULL;
                }
            }
        }
    }

  if (stack->len > 0)
    {
      Node *section = g_ptr_array_index (stack, stack->len - 1);

      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("Template: the section “%s” is never closed"), section->text);
      return NULL;
    }

  self = g_new0 (GlossTemplate, 1);
  self->nodes = g_steal_pointer (&roots);
  return self;
}

void
gloss_template_free (GlossTemplate *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->nodes);
  g_free (self);
}

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_free (entry->value);
  g_clear_pointer (&entry->items, g_ptr_array_unref);
}

GlossTemplateScope *
gloss_template_scope_new (void)
{
  GlossTemplateScope *self = g_new0 (GlossTemplateScope, 1);

  self->entries = g_array_sized_new (FALSE, TRUE, sizeof (Entry), 24);
  g_array_set_clear_func (self->entries, entry_clear);
  return self;
}

void
gloss_template_scope_free (GlossTemplateScope *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->entries);
  g_free (self);
}

static Entry *
scope_find (GlossTemplateScope *self,
            const char         *name)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->name == name || g_str_equal (entry->name, name))
        return entry;
    }
  return NULL;
}

static Entry *
scope_ensure (GlossTemplateScope *self,
              const char         *name)
{
  Entry *entry = scope_find (self, name);

  if (entry == NULL)
    {
      Entry empty = { name, GLOSS_TEMPLATE_TEXT, NULL, NULL };

      g_array_append_val (self->entries, empty);
      entry = &g_array_index (self->entries, Entry, self->entries->len - 1);
    }
  return entry;
}

void
gloss_template_scope_take (GlossTemplateScope *self,
                           const char         *name,
                           GlossTemplateKind   kind,
                           char               *value)
{
  Entry *entry = scope_ensure (self, name);

  g_clear_pointer (&entry->items, g_ptr_array_unref);
  g_free (entry->value);
  entry->kind = kind;
  entry->value = value != NULL ? value : g_strdup ("");
}

void
gloss_template_scope_set (GlossTemplateScope *self,
                          const char         *name,
                          GlossTemplateKind   kind,
                          const char         *value)
{
  gloss_template_scope_take (self, name, kind, g_strdup (value));
}

void
gloss_template_scope_set_list (GlossTemplateScope *self,
                               const char         *name)
{
  Entry *entry = scope_ensure (self, name);

  g_clear_pointer (&entry->value, g_free);
  if (entry->items == NULL)
    entry->items = g_ptr_array_new_with_free_func ((GDestroyNotify) gloss_template_scope_free);
}

GlossTemplateScope *
gloss_template_scope_add_item (GlossTemplateScope *self,
                               const char         *name)
{
  GlossTemplateScope *item = gloss_template_scope_new ();
  Entry *entry;

  gloss_template_scope_set_list (self, name);
  entry = scope_find (self, name);
  g_ptr_array_add (entry->items, item);
  return item;
}

static Entry *
lookup (GPtrArray  *scopes,
        const char *name)
{
  for (guint i = scopes->len; i > 0; i--)
    {
      Entry *entry = scope_find (g_ptr_array_index (scopes, i - 1), name);

      if (entry != NULL)
        return entry;
    }
  return NULL;
}

static char *
render_default (Entry *entry)
{
  switch (entry->kind)
    {
    case GLOSS_TEMPLATE_TEXT:
      return gloss_markdown_escape_text (entry->value);
    case GLOSS_TEMPLATE_LINE:
      return gloss_markdown_escape_line (entry->value);
    case GLOSS_TEMPLATE_URL:
      return gloss_markdown_link_destination (entry->value);
    case GLOSS_TEMPLATE_MARKDOWN:
    default:
      return g_strdup (entry->value);
    }
}

static void
render_variable (Node    *node,
                 Entry   *entry,
                 GString *out)
{
  g_autofree char *text = NULL;

  if (entry == NULL || entry->value == NULL)
    {
      /* A missing value is an empty one; YAML still needs a scalar. */
      if (node->filter == FILTER_YAML)
        g_string_append (out, "\"\"");
      return;
    }

  switch (node->filter)
    {
    case FILTER_RAW:
      g_string_append (out, entry->value);
      return;
    case FILTER_YAML:
      text = gloss_yaml_quote (entry->value);
      break;
    case FILTER_LINE:
      text = gloss_markdown_escape_line (entry->value);
      break;
    case FILTER_URL:
      text = g_uri_escape_string (entry->value, NULL, FALSE);
      break;
    case FILTER_BLOCKQUOTE:
      {
        g_autofree char *inner = render_default (entry);
        text = gloss_markdown_blockquote (inner);
      }
      break;
    case FILTER_NONE:
    default:
      text = render_default (entry);
    }

  g_string_append (out, text);
}

static gboolean
entry_is_true (Entry *entry)
{
  if (entry == NULL)
    return FALSE;
  if (entry->items != NULL)
    return entry->items->len > 0;
  return entry->value != NULL && entry->value[0] != '\0';
}

static void
render_nodes (GPtrArray *nodes,
              GPtrArray *scopes,
              GString   *out)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      Node *node = g_ptr_array_index (nodes, i);
      Entry *entry;

      switch (node->type)
        {
        case NODE_TEXT:
          g_string_append (out, node->text);
          break;
        case NODE_VARIABLE:
          render_variable (node, lookup (scopes, node->text), out);
          break;
        case NODE_INVERTED:
          if (!entry_is_true (lookup (scopes, node->text)))
            render_nodes (node->children, scopes, out);
          break;
        case NODE_SECTION:
          entry = lookup (scopes, node->text);
          if (!entry_is_true (entry))
            break;
          if (entry->items == NULL)
            {
              render_nodes (node->children, scopes, out);
              break;
            }
          for (guint j = 0; j < entry->items->len; j++)
            {
              g_ptr_array_add (scopes, g_ptr_array_index (entry->items, j));
              render_nodes (node->children, scopes, out);
              g_ptr_array_set_size (scopes, scopes->len - 1);
            }
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

void
gloss_template_render (GlossTemplate      *self,
                       GlossTemplateScope *scope,
                       GString            *out)
{
  g_autoptr(GPtrArray) scopes = g_ptr_array_new ();

  g_return_if_fail (self != NULL);
  g_return_if_fail (scope != NULL);
  g_return_if_fail (out != NULL);

  g_ptr_array_add (scopes, scope);
  render_nodes (self->nodes, scopes, out);
}
