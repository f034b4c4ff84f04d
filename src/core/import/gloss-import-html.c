/* gloss-import-html.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* HTML in imports, read with libxml2's HTML parser (recovering from what
 * browsers accept: unquoted and single-quoted attributes, entities,
 * unclosed <DT> and <p>), never with regular expressions, never touching
 * the network or loading an entity:
 *
 * - Pocket's ril_export.html and the Netscape bookmark file that Firefox,
 *   Chrome, Safari, Pinboard, Raindrop.io and Shaarli write;
 * - the article an export carries (Omnivore, wallabag): made safe to show
 *   and given its text as the reader computes textContent. */

#define G_LOG_DOMAIN "gloss-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/SAX2.h>
#include <string.h>

#include "gloss-error.h"
#include "gloss-import-private.h"

#define HTML_OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | \
                      HTML_PARSE_NOWARNING)

/* libxml2 brings ICU and libstdc++ with it: linked, its libraries would
 * be mapped and relocated at every start of the command line (about 3 ms
 * of CPU, most of `gloss --version`), though only an import reading HTML
 * needs them. So it is opened the first time HTML is read, and what this
 * file calls of it is looked up once. */
typedef struct
{
  void              (*free)                      (void *mem);
  htmlParserCtxtPtr (*htmlNewParserCtxt)         (void);
  void              (*htmlFreeParserCtxt)        (htmlParserCtxtPtr ctxt);
  htmlDocPtr        (*htmlCtxtReadMemory)        (htmlParserCtxtPtr ctxt, const char *buffer, int size,
                                                  const char *url, const char *encoding, int options);
  void              (*htmlNodeDumpFormatOutput)  (xmlOutputBufferPtr buf, xmlDocPtr doc, xmlNodePtr cur,
                                                  const char *encoding, int format);
  void              (*xmlSAX2Characters)         (void *ctx, const xmlChar *ch, int len);
  xmlOutputBufferPtr (*xmlAllocOutputBuffer)     (xmlCharEncodingHandlerPtr encoder);
  int               (*xmlOutputBufferFlush)      (xmlOutputBufferPtr out);
  int               (*xmlOutputBufferClose)      (xmlOutputBufferPtr out);
  const xmlChar    *(*xmlOutputBufferGetContent) (xmlOutputBufferPtr out);
  size_t            (*xmlOutputBufferGetSize)    (xmlOutputBufferPtr out);
  xmlNodePtr        (*xmlDocGetRootElement)      (const xmlDoc *doc);
  void              (*xmlFreeDoc)                (xmlDocPtr cur);
  void              (*xmlFreeNode)               (xmlNodePtr cur);
  void              (*xmlUnlinkNode)             (xmlNodePtr cur);
  xmlChar          *(*xmlGetProp)                (const xmlNode *node, const xmlChar *name);
  xmlAttrPtr        (*xmlHasProp)                (const xmlNode *node, const xmlChar *name);
  xmlAttrPtr        (*xmlSetProp)                (xmlNodePtr node, const xmlChar *name, const xmlChar *value);
  int               (*xmlUnsetProp)              (xmlNodePtr node, const xmlChar *name);
  int               (*xmlRemoveProp)             (xmlAttrPtr cur);
} Xml;

static Xml xml_functions;
/* Set once libxml2 is open: every call below is made on a document that
 * read_html () gave, so after xml_open () succeeded. */
static const Xml *xml;
static char *xml_error;

static gpointer
xml_open_once (gpointer data)
{
  GModule *module = g_module_open (LIBXML2_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  xmlFreeFunc *free_func = NULL;
  const struct { const char *name; gpointer *address; } symbols[] = {
#define SYMBOL(name) { #name, (gpointer *) &xml_functions.name }
    SYMBOL (htmlNewParserCtxt), SYMBOL (htmlFreeParserCtxt), SYMBOL (htmlCtxtReadMemory),
    SYMBOL (htmlNodeDumpFormatOutput), SYMBOL (xmlSAX2Characters), SYMBOL (xmlAllocOutputBuffer),
    SYMBOL (xmlOutputBufferFlush), SYMBOL (xmlOutputBufferClose), SYMBOL (xmlOutputBufferGetContent),
    SYMBOL (xmlOutputBufferGetSize), SYMBOL (xmlDocGetRootElement), SYMBOL (xmlFreeDoc),
    SYMBOL (xmlFreeNode), SYMBOL (xmlUnlinkNode), SYMBOL (xmlGetProp), SYMBOL (xmlHasProp),
    SYMBOL (xmlSetProp), SYMBOL (xmlUnsetProp), SYMBOL (xmlRemoveProp),
#undef SYMBOL
  };

  if (module == NULL)
    {
      xml_error = g_strdup (g_module_error ());
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (!g_module_symbol (module, symbols[i].name, symbols[i].address) || *symbols[i].address == NULL)
      {
        xml_error = g_strdup (g_module_error ());
        return NULL;
      }
  /* The deallocator is a variable of libxml2's (xmlMemSetup ()). */
  if (!g_module_symbol (module, "xmlFree", (gpointer *) &free_func) || free_func == NULL || *free_func == NULL)
    {
      xml_error = g_strdup (g_module_error ());
      return NULL;
    }
  xml_functions.free = *free_func;
  /* Kept open for the life of the process. */
  g_module_make_resident (module);
  xml = &xml_functions;
  return (gpointer) xml;
}

/* Opens libxml2; FALSE with a message when it cannot be. */
static gboolean
xml_open (GError **error)
{
  static GOnce once = G_ONCE_INIT;

  if (g_once (&once, xml_open_once, NULL) != NULL)
    return TRUE;
  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_FAILED,
               _("The HTML reader (libxml2) could not be loaded: %s"),
               xml_error != NULL ? xml_error : "");
  return FALSE;
}

static void
xml_free_doc (xmlDoc *doc)
{
  xml->xmlFreeDoc (doc);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xml_free_doc)

/* libxml2 drops some whitespace-only text between elements as
 * "ignorable"; a browser keeps every bit of it in textContent, so here it
 * is kept too. */
static xmlDocPtr
read_html (const char *text,
           gsize       length)
{
  htmlParserCtxtPtr ctxt;
  xmlDocPtr doc;

  if (!xml_open (NULL))
    return NULL;
  ctxt = xml->htmlNewParserCtxt ();
  if (ctxt == NULL || length > G_MAXINT)
    {
      if (ctxt != NULL)
        xml->htmlFreeParserCtxt (ctxt);
      return NULL;
    }
  ctxt->sax->ignorableWhitespace = xml->xmlSAX2Characters;
  doc = xml->htmlCtxtReadMemory (ctxt, text, (int) length, NULL, "UTF-8", HTML_OPTIONS);
  xml->htmlFreeParserCtxt (ctxt);
  return doc;
}

static gboolean
is_element (xmlNodePtr  node,
            const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE && node->name != NULL &&
         g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

/* The next node in document order inside @top, without recursion: a
 * deeply nested file cannot exhaust the stack. */
static xmlNodePtr
next_node (xmlNodePtr node,
           xmlNodePtr top,
           gboolean   descend)
{
  if (descend && node->children != NULL && node->type == XML_ELEMENT_NODE)
    return node->children;
  while (node != NULL && node != top)
    {
      if (node->next != NULL)
        return node->next;
      node = node->parent;
    }
  return NULL;
}

static char *
attr (xmlNodePtr  node,
      const char *name)
{
  xmlChar *value = xml->xmlGetProp (node, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xml->free (value);
  return copy;
}

/* Whether the HTML5 parser, reading this element back, drops a newline
 * that starts its content. */
static gboolean
drops_leading_newline (xmlNodePtr element)
{
  return is_element (element, "pre") || is_element (element, "textarea") || is_element (element, "listing");
}

/* textContent: every text node under @top, in document order, nothing
 * added between them. */
static void
append_text_content (GString    *out,
                     xmlNodePtr  top)
{
  for (xmlNodePtr node = top->children; node != NULL; node = next_node (node, top, TRUE))
    if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) && node->content != NULL)
      {
        const char *content = (const char *) node->content;

        if (node->prev == NULL && node->parent != NULL && drops_leading_newline (node->parent) &&
            content[0] == '\n')
          content++;
        g_string_append (out, content);
      }
}

static char *
text_content (xmlNodePtr node)
{
  GString *out = g_string_new (NULL);

  append_text_content (out, node);
  return g_string_free (out, FALSE);
}

static xmlNodePtr
find_body (xmlDocPtr doc)
{
  xmlNodePtr root = xml->xmlDocGetRootElement (doc);

  for (xmlNodePtr node = root; node != NULL; node = next_node (node, root, TRUE))
    if (is_element (node, "body"))
      return node;
  return NULL;
}

/* --- the article an export carries -------------------------------------- */

static gboolean
unsafe_element (xmlNodePtr node)
{
  static const char * const names[] = {
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "applet", "link", "meta", "base", "title", "head", "form", "input", "button",
    "select", "textarea", "svg", "math",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (is_element (node, names[i]))
      return TRUE;
  return FALSE;
}

static gboolean
unsafe_url (const char *value)
{
  g_autofree char *squeezed = g_strdup (value);
  char *w = squeezed;

  /* "java\tscript:" is javascript: to a browser. */
  for (const char *r = value; *r != '\0'; r++)
    if (!g_ascii_isspace (*r) && (guchar) *r >= 0x20)
      *w++ = g_ascii_tolower (*r);
  *w = '\0';
  return g_str_has_prefix (squeezed, "javascript:") || g_str_has_prefix (squeezed, "vbscript:") ||
         (g_str_has_prefix (squeezed, "data:") && !g_str_has_prefix (squeezed, "data:image/"));
}

static void
clean_attributes (xmlNodePtr node)
{
  xmlAttrPtr attribute = node->properties;

  while (attribute != NULL)
    {
      xmlAttrPtr next = attribute->next;
      const char *name = (const char *) attribute->name;
      gboolean drop = g_ascii_strncasecmp (name, "on", 2) == 0 || g_ascii_strcasecmp (name, "srcdoc") == 0 ||
                      g_ascii_strcasecmp (name, "formaction") == 0;

      if (!drop && (g_ascii_strcasecmp (name, "href") == 0 || g_ascii_strcasecmp (name, "src") == 0 ||
                    g_ascii_strcasecmp (name, "action") == 0 || g_ascii_strcasecmp (name, "xlink:href") == 0))
        {
          g_autofree char *value = attr (node, name);

          drop = value != NULL && unsafe_url (value);
        }
      if (drop)
        xml->xmlRemoveProp (attribute);
      attribute = next;
    }
}

/* The fragment as the body's content, as the reader shows it: text at
 * its start stays where it is. CR LF as the HTML5 parser reads them.
 * Nothing that runs, loads a frame or posts a form is kept. */
static xmlDocPtr
read_article (const char *html,
              xmlNodePtr *body_out)
{
  g_autoptr(GString) normal = g_string_new ("<!DOCTYPE html><html><head></head><body>");
  xmlDocPtr doc;
  xmlNodePtr body;
  xmlNodePtr node;

  *body_out = NULL;
  for (const char *p = html; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (normal, '\n');
          if (p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (normal, *p);
    }
  g_string_append (normal, "</body></html>");

  doc = read_html (normal->str, normal->len);
  if (doc == NULL)
    return NULL;
  if ((body = find_body (doc)) == NULL)
    {
      xml->xmlFreeDoc (doc);
      return NULL;
    }

  node = body->children;
  while (node != NULL)
    {
      if (node->type == XML_COMMENT_NODE || node->type == XML_PI_NODE || unsafe_element (node))
        {
          xmlNodePtr next = next_node (node, body, FALSE);

          xml->xmlUnlinkNode (node);
          xml->xmlFreeNode (node);
          node = next;
          continue;
        }
      if (node->type == XML_ELEMENT_NODE)
        clean_attributes (node);
      node = next_node (node, body, TRUE);
    }

  *body_out = body;
  return doc;
}

/* The body's content as article.html and its textContent as
 * article.txt; FALSE when it is not UTF-8 or holds no text. */
static gboolean
write_article (xmlDocPtr    doc,
               xmlNodePtr   body,
               char       **clean_html,
               char       **text)
{
  xmlOutputBufferPtr output;
  g_autoptr(GString) serialized = g_string_new (NULL);
  g_autoptr(GString) content = g_string_new (NULL);
  gboolean has_text = FALSE;

  output = xml->xmlAllocOutputBuffer (NULL);
  for (xmlNodePtr node = body->children; node != NULL; node = node->next)
    xml->htmlNodeDumpFormatOutput (output, doc, node, "UTF-8", 0);
  xml->xmlOutputBufferFlush (output);
  g_string_append_len (serialized, (const char *) xml->xmlOutputBufferGetContent (output),
                       xml->xmlOutputBufferGetSize (output));
  xml->xmlOutputBufferClose (output);

  append_text_content (content, body);
  if (!g_utf8_validate (serialized->str, serialized->len, NULL) ||
      !g_utf8_validate (content->str, content->len, NULL))
    return FALSE;

  for (const char *p = content->str; *p != '\0' && !has_text; p++)
    has_text = !g_ascii_isspace (*p);
  if (!has_text)
    return FALSE;

  *clean_html = g_string_free (g_steal_pointer (&serialized), FALSE);
  *text = g_string_free (g_steal_pointer (&content), FALSE);
  return TRUE;
}

gboolean
gloss_import_html_article (const char  *html,
                           char       **clean_html,
                           char       **text)
{
  g_autoptr(xmlDoc) doc = NULL;
  xmlNodePtr body;

  *clean_html = NULL;
  *text = NULL;
  if (html == NULL || (doc = read_article (html, &body)) == NULL)
    return FALSE;
  return write_article (doc, body, clean_html, text);
}

/* The web address an <img> shows, resolved against the article's page;
 * NULL for anything else (data:, a local path, already saved assets/). */
static char *
image_address (xmlNodePtr  node,
               const char *base_url)
{
  g_autofree char *src = attr (node, "src");
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (src == NULL || src[0] == '\0')
    return NULL;
  g_strstrip (src);
  if (base_url != NULL)
    {
      g_autoptr(GUri) base = g_uri_parse (base_url, G_URI_FLAGS_PARSE_RELAXED, NULL);

      /* Only an absolute page resolves a relative address: assets/NAME of
       * a saved image has no page to come from. */
      if (base != NULL && g_uri_peek_scheme (src) == NULL &&
          (g_str_has_prefix (src, "//") || src[0] == '/'))
        uri = g_uri_parse_relative (base, src, G_URI_FLAGS_PARSE_RELAXED, NULL);
    }
  if (uri == NULL)
    uri = g_uri_parse (src, G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri == NULL || (scheme = g_uri_get_scheme (uri)) == NULL || g_uri_get_host (uri) == NULL ||
      g_uri_get_host (uri)[0] == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    return NULL;
  return g_uri_to_string (uri);
}

gboolean
gloss_import_article_images (const char   *html,
                             const char   *base_url,
                             const char   *token,
                             char        **html_out,
                             char        **text_out,
                             GStrv        *urls_out)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  xmlNodePtr body;

  g_return_val_if_fail (html != NULL, FALSE);
  g_return_val_if_fail (token != NULL || (html_out == NULL && text_out == NULL), FALSE);

  if (html_out != NULL)
    *html_out = NULL;
  if (text_out != NULL)
    *text_out = NULL;
  if (urls_out != NULL)
    *urls_out = NULL;

  /* Most articles have no picture: no parse for them. */
  if (strstr (html, "<img") == NULL && strstr (html, "<IMG") == NULL)
    return FALSE;
  if ((doc = read_article (html, &body)) == NULL)
    return FALSE;

  for (xmlNodePtr node = body->children; node != NULL; node = next_node (node, body, TRUE))
    {
      g_autofree char *url = NULL;
      g_autofree char *placeholder = NULL;
      gpointer n;

      if (!is_element (node, "img") || (url = image_address (node, base_url)) == NULL)
        continue;
      if (!g_hash_table_lookup_extended (index, url, NULL, &n))
        {
          n = GUINT_TO_POINTER (urls->len);
          g_ptr_array_add (urls, g_strdup (url));
          g_hash_table_insert (index, g_ptr_array_index (urls, urls->len - 1), n);
        }
      if (token == NULL)
        continue;

      /* The one picture the reader will show, saved or not: a srcset or
       * a <picture>'s <source> would be chosen over src. */
      placeholder = g_strdup_printf ("gloss-image-%s-%u", token, GPOINTER_TO_UINT (n));
      xml->xmlSetProp (node, (const xmlChar *) "src", (const xmlChar *) placeholder);
      xml->xmlUnsetProp (node, (const xmlChar *) "srcset");
      xml->xmlUnsetProp (node, (const xmlChar *) "sizes");
      if (is_element (node->parent, "picture"))
        {
          xmlNodePtr child = node->parent->children;

          while (child != NULL)
            {
              xmlNodePtr next = child->next;

              if (is_element (child, "source"))
                {
                  xml->xmlUnlinkNode (child);
                  xml->xmlFreeNode (child);
                }
              child = next;
            }
        }
    }

  if (urls->len == 0)
    return FALSE;
  if (html_out != NULL && !write_article (doc, body, html_out, text_out))
    return FALSE;
  if (urls_out != NULL)
    {
      g_ptr_array_add (urls, NULL);
      *urls_out = (GStrv) g_ptr_array_free (g_steal_pointer (&urls), FALSE);
    }
  return TRUE;
}

char *
gloss_import_html_text (const char *html)
{
  g_autofree char *clean = NULL;
  char *text = NULL;

  if (!gloss_import_html_article (html, &clean, &text))
    return g_strdup ("");
  return text;
}

/* --- Pocket's ril_export.html and bookmark files ------------------------- */

/* The folder a bookmark list belongs to: the <H3> just before its <DL>,
 * or the one in the <DT> that holds it. */
static xmlNodePtr
folder_heading (xmlNodePtr dl)
{
  for (xmlNodePtr prev = dl->prev; prev != NULL; prev = prev->prev)
    {
      if (is_element (prev, "h3"))
        return prev;
      /* libxml2 closes the <DT> before a <DL>: the heading is inside it. */
      if (is_element (prev, "dt"))
        {
          for (xmlNodePtr child = prev->children; child != NULL; child = child->next)
            if (is_element (child, "h3"))
              return child;
          break;
        }
      if (prev->type == XML_ELEMENT_NODE && !is_element (prev, "p") && !is_element (prev, "dd"))
        break;
    }
  if (is_element (dl->parent, "dt"))
    for (xmlNodePtr child = dl->parent->children; child != NULL; child = child->next)
      if (is_element (child, "h3"))
        return child;
  return NULL;
}

static gboolean
is_system_folder (xmlNodePtr h3)
{
  return xml->xmlHasProp (h3, (const xmlChar *) "personal_toolbar_folder") != NULL ||
         xml->xmlHasProp (h3, (const xmlChar *) "unfiled_bookmarks_folder") != NULL;
}

/* The description a bookmark file gives in the <DD> after its <DT>. */
static char *
bookmark_description (xmlNodePtr a)
{
  xmlNodePtr dt = a->parent;

  for (xmlNodePtr n = a->next; n != NULL; n = n->next)
    if (is_element (n, "dd"))
      return text_content (n);
  if (!is_element (dt, "dt"))
    return NULL;
  for (xmlNodePtr n = dt->next; n != NULL; n = n->next)
    {
      if (is_element (n, "dd"))
        return text_content (n);
      if (n->type == XML_ELEMENT_NODE)
        break;
    }
  return NULL;
}

static void
keep_attribute (GlossImportPage *page,
                xmlNodePtr       a,
                const char      *name)
{
  g_autofree char *value = attr (a, name);
  JsonObject *import;

  if (value == NULL || value[0] == '\0')
    return;
  import = gloss_import_page_get_import (page);
  if (!json_object_has_member (import, name))
    {
      g_autofree char *clean = gloss_import_clean_text (value);

      json_object_set_string_member (import, name, clean);
    }
}

static void
read_link (GlossImportPlan *plan,
           xmlNodePtr       a,
           const char      *section,
           gboolean         pocket,
           guint            index)
{
  g_autofree char *href = attr (a, "href");
  g_autofree char *url = gloss_import_normalize_url (href);
  g_autofree char *title = text_content (a);
  g_autofree char *tags = attr (a, "tags");
  g_autofree char *description = NULL;
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  GlossImportPage *page;

  if (href == NULL)
    return;  /* an anchor, not a link */
  if (url == NULL || !gloss_import_is_web_url (url))
    {
      g_autofree char *clean = gloss_import_clean_text (g_strstrip (title));
      g_autofree char *where = gloss_import_clean_text (href);

      /* place: and javascript: bookmarks are not pages. */
      gloss_import_plan_reject (plan, _("Link %u (“%s”): “%s” is not a web page"), index, clean, where);
      return;
    }

  page = gloss_import_plan_page (plan, url);
  g_strstrip (title);
  if (title[0] != '\0' && g_strcmp0 (title, href) != 0)
    gloss_import_set_if_unset (&page->title, title);

  if (tags != NULL)
    {
      g_auto(GStrv) each = g_strsplit (tags, ",", -1);

      for (guint i = 0; each[i] != NULL; i++)
        gloss_import_page_add_tag (page, each[i]);
    }

  {
    g_autofree char *added = attr (a, pocket ? "time_added" : "add_date");

    if (added == NULL)
      added = attr (a, pocket ? "add_date" : "time_added");
    gloss_import_page_set_created (page, added);
  }

  if (pocket)
    {
      JsonObject *import = gloss_import_page_get_import (page);

      keep_attribute (page, a, "time_added");
      if (section != NULL && !json_object_has_member (import, "status"))
        {
          g_autofree char *lower = g_utf8_strdown (section, -1);

          /* "Unread" and "Read Archive", as the CSV says "unread" and "archive". */
          json_object_set_string_member (import, "status",
                                         strstr (lower, "archive") != NULL ? "archive" :
                                         strstr (lower, "unread") != NULL ? "unread" : lower);
        }
      return;
    }

  for (xmlNodePtr n = a->parent; n != NULL; n = n->parent)
    if (is_element (n, "dl"))
      {
        xmlNodePtr h3 = folder_heading (n);

        if (h3 != NULL)
          {
            g_autofree char *name = text_content (h3);

            g_strstrip (name);
            if (name[0] != '\0')
              {
                g_ptr_array_insert (folders, 0, g_steal_pointer (&name));
                if (!is_system_folder (h3))
                  gloss_import_page_add_tag (page, g_ptr_array_index (folders, 0));
              }
          }
      }
  if (folders->len > 0)
    {
      JsonObject *import = gloss_import_page_get_import (page);

      g_ptr_array_add (folders, NULL);
      if (!json_object_has_member (import, "folder"))
        {
          g_autofree char *path = g_strjoinv ("/", (char **) folders->pdata);
          g_autofree char *clean = gloss_import_clean_text (path);

          json_object_set_string_member (import, "folder", clean);
        }
    }

  description = bookmark_description (a);
  if (description != NULL)
    {
      g_strstrip (description);
      gloss_import_set_if_unset (&page->excerpt, description);
    }
  keep_attribute (page, a, "add_date");
  keep_attribute (page, a, "last_modified");
  keep_attribute (page, a, "private");
  keep_attribute (page, a, "toread");
  keep_attribute (page, a, "shortcuturl");
}

GlossImportPlan *
gloss_import_parse_html (const char  *text,
                         gsize        length,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GlossImportPlan) plan = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *section = NULL;
  xmlNodePtr root;
  gboolean pocket = FALSE;
  gboolean netscape = FALSE;
  guint links = 0;

  if (!xml_open (error))
    return NULL;
  doc = read_html (text, length);
  if (doc == NULL || (root = xml->xmlDocGetRootElement (doc)) == NULL)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("“%s” is damaged: it could not be read as HTML"), name);
      return NULL;
    }

  /* Pocket heads its lists "Unread" and "Read Archive" and dates links
   * with time_added; a bookmark file says NETSCAPE-Bookmark-file-1 and
   * dates them with ADD_DATE. */
  netscape = doc->intSubset != NULL && doc->intSubset->name != NULL &&
             g_ascii_strncasecmp ((const char *) doc->intSubset->name, "netscape", 8) == 0;
  for (xmlNodePtr node = root; node != NULL && !pocket; node = next_node (node, root, TRUE))
    if (is_element (node, "a") && xml->xmlHasProp (node, (const xmlChar *) "time_added") != NULL)
      pocket = TRUE;
    else if (is_element (node, "title"))
      {
        g_autofree char *title = text_content (node);

        pocket = strstr (title, "Pocket") != NULL && !netscape;
      }

  plan = gloss_import_plan_new (pocket ? GLOSS_IMPORT_FORMAT_POCKET : GLOSS_IMPORT_FORMAT_BOOKMARKS);
  plan->found = g_strdup (pocket ? _("Pocket HTML export") : _("bookmarks HTML file"));

  for (xmlNodePtr node = root; node != NULL; node = next_node (node, root, TRUE))
    {
      if (is_element (node, "h1") || is_element (node, "h2"))
        {
          g_free (section);
          section = text_content (node);
        }
      else if (is_element (node, "a"))
        read_link (plan, node, section, pocket, ++links);
    }

  if (links == 0)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_INVALID_INPUT,
                   _("“%s” is HTML, but holds no links. Gloss reads: %s"),
                   name, gloss_import_get_expected_formats ());
      return NULL;
    }
  return g_steal_pointer (&plan);
}
