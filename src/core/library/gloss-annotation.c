/* gloss-annotation.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One highlight of a clip. It keeps the JsonObject it was read from and
 * writes its known members back into it, so that members a newer Gloss or
 * another tool added survive a save (FORMAT.md "Reading and writing"). */

#define G_LOG_DOMAIN "gloss-annotation"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gloss-annotation.h"
#include "gloss-clip-file.h"
#include "gloss-error.h"
#include "gloss-id.h"
#include "gloss-json-private.h"
#include <string.h>

struct _GlossAnnotation
{
  GObject     parent_instance;

  JsonObject *object;
  char       *id;
  char       *created;
  char       *modified;
  char       *note;
  char       *exact;
  char       *prefix;
  char       *suffix;
  guint       start;
  guint       end;
  GlossColor  color;
  guint       orphan : 1;

  /* The JSON text of what is written, made by gloss_annotation_freeze()
   * and dropped by every change to it: immutable, so a writer on another
   * thread may hold it while the annotation changes here. */
  GBytes     *frozen;
};

G_DEFINE_FINAL_TYPE (GlossAnnotation, gloss_annotation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CREATED,
  PROP_MODIFIED,
  PROP_COLOR,
  PROP_NOTE,
  PROP_EXACT,
  PROP_START,
  PROP_END,
  PROP_ORPHAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const color_names[GLOSS_N_COLORS] = {
  "yellow", "green", "blue", "pink", "purple",
};

const char *
gloss_color_to_string (GlossColor color)
{
  if ((guint) color >= GLOSS_N_COLORS)
    return NULL;
  return color_names[color];
}

gboolean
gloss_color_from_string (const char *string,
                         GlossColor *color)
{
  if (string == NULL)
    return FALSE;

  for (guint i = 0; i < GLOSS_N_COLORS; i++)
    {
      if (g_str_equal (string, color_names[i]))
        {
          if (color != NULL)
            *color = (GlossColor) i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
gloss_annotation_finalize (GObject *object)
{
  GlossAnnotation *self = (GlossAnnotation *) object;

  g_clear_pointer (&self->object, json_object_unref);
  g_clear_pointer (&self->frozen, g_bytes_unref);
  g_free (self->id);
  g_free (self->created);
  g_free (self->modified);
  g_free (self->note);
  g_free (self->exact);
  g_free (self->prefix);
  g_free (self->suffix);

  G_OBJECT_CLASS (gloss_annotation_parent_class)->finalize (object);
}

static void
gloss_annotation_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GlossAnnotation *self = GLOSS_ANNOTATION (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_CREATED: g_value_set_string (value, self->created); break;
    case PROP_MODIFIED: g_value_set_string (value, self->modified); break;
    case PROP_COLOR: g_value_set_uint (value, self->color); break;
    case PROP_NOTE: g_value_set_string (value, self->note); break;
    case PROP_EXACT: g_value_set_string (value, self->exact); break;
    case PROP_START: g_value_set_uint (value, self->start); break;
    case PROP_END: g_value_set_uint (value, self->end); break;
    case PROP_ORPHAN: g_value_set_boolean (value, self->orphan); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_annotation_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GlossAnnotation *self = GLOSS_ANNOTATION (object);

  switch (prop_id)
    {
    case PROP_COLOR: gloss_annotation_set_color (self, g_value_get_uint (value)); break;
    case PROP_NOTE: gloss_annotation_set_note (self, g_value_get_string (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_annotation_class_init (GlossAnnotationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = gloss_annotation_finalize;
  object_class->get_property = gloss_annotation_get_property;
  object_class->set_property = gloss_annotation_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_CREATED] = g_param_spec_string ("created", NULL, NULL, NULL, ro);
  properties[PROP_MODIFIED] = g_param_spec_string ("modified", NULL, NULL, NULL, ro);
  /* A GlossColor; a plain uint so that no enum type needs registering. */
  properties[PROP_COLOR] = g_param_spec_uint ("color", NULL, NULL, 0, GLOSS_N_COLORS - 1, 0, rw);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, rw);
  properties[PROP_EXACT] = g_param_spec_string ("exact", NULL, NULL, NULL, ro);
  properties[PROP_START] = g_param_spec_uint ("start", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_END] = g_param_spec_uint ("end", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_ORPHAN] = g_param_spec_boolean ("orphan", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gloss_annotation_init (GlossAnnotation *self)
{
}

GlossAnnotation *
gloss_annotation_new (const char *exact,
                      const char *prefix,
                      const char *suffix,
                      guint       start,
                      guint       end,
                      GlossColor  color)
{
  GlossAnnotation *self;

  g_return_val_if_fail (exact != NULL, NULL);
  g_return_val_if_fail (start <= end, NULL);
  g_return_val_if_fail ((guint) color < GLOSS_N_COLORS, NULL);

  self = g_object_new (GLOSS_TYPE_ANNOTATION, NULL);
  self->object = json_object_new ();
  self->id = gloss_id_new ();
  self->created = gloss_time_now_string ();
  self->modified = g_strdup (self->created);
  self->note = g_strdup ("");
  self->exact = g_strdup (exact);
  self->prefix = g_strdup (prefix ? prefix : "");
  self->suffix = g_strdup (suffix ? suffix : "");
  self->start = start;
  self->end = end;
  self->color = color;

  return self;
}

/* The rules for an annotation's values, for the check on the fast
 * scanner's tree (further down), which every annotation read goes
 * through. */

static gboolean
check_time (const char  *value,
            const char  *where,
            const char  *member,
            GError     **error)
{
  if (gloss_time_is_valid (value))
    return TRUE;

  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
               /* Translators: a member name of clip.json, then where it is, such
                * as “annotation ID”. */
               _("“%s” in %s is not an RFC 3339 UTC time"), member, where);
  return FALSE;
}

static gboolean
check_position (gint64       value,
                const char  *where,
                const char  *member,
                GError     **error)
{
  if (value >= 0 && value <= G_MAXINT32)
    return TRUE;

  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
               /* Translators: a member name of clip.json, then where it is, such
                * as “annotation ID”. */
               _("“%s” in %s is out of range"), member, where);
  return FALSE;
}

/* @out may be NULL. */
static gboolean
check_color (const char  *color,
             const char  *where,
             GlossColor  *out,
             GError     **error)
{
  g_autofree char *shown = NULL;

  if (gloss_color_from_string (color, out))
    return TRUE;

  shown = g_utf8_make_valid (color, MIN (strlen (color), 40));
  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
               _("%s has an unknown color “%s”"), where, shown);
  return FALSE;
}

static gboolean
check_span (gint64       start,
            gint64       end,
            const char  *where,
            GError     **error)
{
  if (start <= end)
    return TRUE;

  g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
               _("%s ends before it starts"), where);
  return FALSE;
}

/* The first selector of @type in target.selector, or NULL. */
static JsonObject *
find_selector (JsonArray  *selectors,
               const char *type)
{
  guint n = json_array_get_length (selectors);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (selectors, i);
      JsonObject *sel;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      sel = json_node_get_object (node);
      if (g_strcmp0 (gloss_json_peek_string (sel, "type"), type) == 0)
        return sel;
    }

  return NULL;
}

GlossAnnotation *
gloss_annotation_new_from_json (JsonObject  *object,
                                GError     **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  GlossScanValue *view;
  GlossAnnotation *self;
  const char *id;

  g_return_val_if_fail (object != NULL, NULL);

  /* The checks are written once, on the scanner's tree that clip.json is
   * read into; json-glib's tree (a clip loaded in full, an import's
   * annotation) is judged through a view of it, so that both accept the
   * same annotations and say the same of the others. */
  view = gloss_json_to_scan (object, values);
  if (!gloss_annotation_check_scan (view, &id, error))
    return NULL;

  self = gloss_annotation_new_from_scan (view);
  self->object = json_object_ref (object);

  return self;
}

static JsonObject *
ensure_selector (JsonArray  *selectors,
                 const char *type)
{
  JsonObject *sel = find_selector (selectors, type);

  if (sel == NULL)
    {
      sel = json_object_new ();
      json_object_set_string_member (sel, "type", type);
      json_array_add_object_element (selectors, sel);
    }

  return sel;
}

JsonObject *
gloss_annotation_to_json (GlossAnnotation *self)
{
  JsonNode *target_node;
  JsonObject *target;
  JsonNode *selector_node;
  JsonArray *selectors;
  JsonObject *quote, *position;

  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), NULL);

  if (self->object == NULL)
    self->object = json_object_new ();
  json_object_set_string_member (self->object, "id", self->id);
  json_object_set_string_member (self->object, "created", self->created);
  json_object_set_string_member (self->object, "modified", self->modified);
  json_object_set_string_member (self->object, "color", gloss_color_to_string (self->color));
  json_object_set_string_member (self->object, "note", self->note);

  target_node = json_object_get_member (self->object, "target");
  if (target_node == NULL || !JSON_NODE_HOLDS_OBJECT (target_node))
    json_object_set_object_member (self->object, "target", json_object_new ());
  target = json_object_get_object_member (self->object, "target");

  selector_node = json_object_get_member (target, "selector");
  if (selector_node == NULL || !JSON_NODE_HOLDS_ARRAY (selector_node))
    json_object_set_array_member (target, "selector", json_array_new ());
  selectors = json_object_get_array_member (target, "selector");

  quote = ensure_selector (selectors, "TextQuoteSelector");
  json_object_set_string_member (quote, "exact", self->exact);
  /* An absent, empty context stays absent: the file means the same. */
  if (self->prefix[0] != '\0' || json_object_has_member (quote, "prefix"))
    json_object_set_string_member (quote, "prefix", self->prefix);
  if (self->suffix[0] != '\0' || json_object_has_member (quote, "suffix"))
    json_object_set_string_member (quote, "suffix", self->suffix);

  position = ensure_selector (selectors, "TextPositionSelector");
  json_object_set_int_member (position, "start", self->start);
  json_object_set_int_member (position, "end", self->end);

  return self->object;
}

GBytes *
gloss_annotation_freeze (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), NULL);

  if (self->frozen == NULL)
    {
      gsize length;
      char *text = gloss_json_to_data (gloss_annotation_to_json (self), &length);

      self->frozen = g_bytes_new_take (text, length);
    }

  return g_bytes_ref (self->frozen);
}

/* What is written changed: the frozen text no longer says it. */
static void
thaw (GlossAnnotation *self)
{
  g_clear_pointer (&self->frozen, g_bytes_unref);
}

GlossAnnotation *
gloss_annotation_copy (GlossAnnotation *self)
{
  g_autoptr(JsonNode) node = NULL;
  GlossAnnotation *copy;

  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), NULL);

  {
    g_autoptr(JsonNode) shallow = json_node_alloc ();

    json_node_init_object (shallow, gloss_annotation_to_json (self));
    node = gloss_json_deep_copy (shallow);
  }

  copy = gloss_annotation_new_from_json (json_node_get_object (node), NULL);
  g_assert (copy != NULL);
  copy->orphan = self->orphan;

  return copy;
}

const char *
gloss_annotation_get_id (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), NULL);
  return self->id;
}

const char *
gloss_annotation_get_created (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), NULL);
  return self->created;
}

const char *
gloss_annotation_get_modified (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), NULL);
  return self->modified;
}

/* Now, or when now is not later than @time, the whole second after it:
 * gloss_merge_time_after(), kept here so that the annotation (and the
 * fuzz targets built from a few files) needs no merge code. */
static char *
time_after (const char *time)
{
  g_autofree char *now = gloss_time_now_string ();
  g_autoptr(GDateTime) then = time != NULL ? gloss_time_parse (time) : NULL;
  g_autoptr(GDateTime) now_time = gloss_time_parse (now);
  g_autoptr(GDateTime) later = NULL;

  if (then == NULL || now_time == NULL || g_date_time_compare (now_time, then) > 0)
    return g_steal_pointer (&now);

  later = g_date_time_new_from_unix_utc (g_date_time_to_unix (then) + 1);
  return gloss_time_to_string (later);
}

static void
touch (GlossAnnotation *self)
{
  char *modified;

  /* Later than the time it replaces, even in the second the highlight
   * was made: a merge takes the later "modified" (FORMAT.md "Several
   * machines"), and at the same instant the edit could lose. */
  modified = time_after (self->modified);
  thaw (self);
  g_free (self->modified);
  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

void
gloss_annotation_set_modified (GlossAnnotation *self,
                               const char      *modified)
{
  g_return_if_fail (GLOSS_IS_ANNOTATION (self));
  g_return_if_fail (gloss_time_is_valid (modified));

  if (g_str_equal (self->modified, modified))
    return;
  thaw (self);
  g_free (self->modified);
  self->modified = g_strdup (modified);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

GlossColor
gloss_annotation_get_color (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), GLOSS_COLOR_YELLOW);
  return self->color;
}

void
gloss_annotation_set_color (GlossAnnotation *self,
                            GlossColor       color)
{
  g_return_if_fail (GLOSS_IS_ANNOTATION (self));
  g_return_if_fail ((guint) color < GLOSS_N_COLORS);

  if (self->color == color)
    return;
  self->color = color;
  touch (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

const char *
gloss_annotation_get_note (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), NULL);
  return self->note;
}

void
gloss_annotation_set_note (GlossAnnotation *self,
                           const char      *note)
{
  g_return_if_fail (GLOSS_IS_ANNOTATION (self));

  if (note == NULL)
    note = "";
  if (g_str_equal (self->note, note))
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  touch (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}

const char *
gloss_annotation_get_exact (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), NULL);
  return self->exact;
}

const char *
gloss_annotation_get_prefix (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), NULL);
  return self->prefix;
}

const char *
gloss_annotation_get_suffix (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), NULL);
  return self->suffix;
}

guint
gloss_annotation_get_start (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), 0);
  return self->start;
}

guint
gloss_annotation_get_end (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), 0);
  return self->end;
}

void
gloss_annotation_set_target (GlossAnnotation *self,
                             const char      *exact,
                             const char      *prefix,
                             const char      *suffix,
                             guint            start,
                             guint            end)
{
  g_return_if_fail (GLOSS_IS_ANNOTATION (self));
  g_return_if_fail (exact != NULL);
  g_return_if_fail (start <= end);

  thaw (self);
  g_free (self->exact);
  g_free (self->prefix);
  g_free (self->suffix);
  self->exact = g_strdup (exact);
  self->prefix = g_strdup (prefix ? prefix : "");
  self->suffix = g_strdup (suffix ? suffix : "");
  self->start = start;
  self->end = end;
  touch (self);
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXACT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
  gloss_annotation_set_orphan (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
gloss_annotation_get_orphan (GlossAnnotation *self)
{
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (self), FALSE);
  return self->orphan;
}

void
gloss_annotation_set_orphan (GlossAnnotation *self,
                             gboolean         orphan)
{
  g_return_if_fail (GLOSS_IS_ANNOTATION (self));

  if (self->orphan == !!orphan)
    return;
  self->orphan = !!orphan;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORPHAN]);
}

/* --- the checks, on the fast scanner's tree (every annotation read) ---- */

static gboolean
scan_check_time (GlossScanValue  *object,
                 const char      *where,
                 const char      *member,
                 GError         **error)
{
  const char *value;

  return gloss_scan_read_string (object, where, member, GLOSS_JSON_REQUIRED, &value, error) &&
         check_time (value, where, member, error);
}

static gboolean
scan_check_position (GlossScanValue  *selector,
                     const char      *where,
                     const char      *member,
                     gint64          *out,
                     GError         **error)
{
  return gloss_scan_read_int (selector, where, member, GLOSS_JSON_REQUIRED, out, error) &&
         check_position (*out, where, member, error);
}

gboolean
gloss_annotation_check_scan (GlossScanValue  *object,
                             const char     **id_out,
                             GError         **error)
{
  g_autofree char *where = NULL;
  const char *id, *color, *note, *exact, *prefix, *suffix;
  GlossScanValue *target, *selectors, *quote, *position;
  gint64 start, end;

  if (!gloss_scan_read_string (object, _("an annotation"), "id", GLOSS_JSON_REQUIRED, &id, error))
    return FALSE;
  if (!gloss_id_check (id, error))
    return FALSE;

  /* Translators: %s is an annotation id; where in clip.json, in messages
   * such as “%s has no “%s””. */
  where = g_strdup_printf (_("annotation %s"), id);

  if (!scan_check_time (object, where, "created", error) ||
      !scan_check_time (object, where, "modified", error))
    return FALSE;

  if (!gloss_scan_read_string (object, where, "color", GLOSS_JSON_REQUIRED, &color, error))
    return FALSE;
  if (!check_color (color, where, NULL, error))
    return FALSE;

  if (!gloss_scan_read_string (object, where, "note", GLOSS_JSON_OPTIONAL | GLOSS_JSON_NULLABLE, &note, error))
    return FALSE;

  target = gloss_scan_get_member (object, "target");
  if (target == NULL || target->type != GLOSS_SCAN_OBJECT)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("%s has no “target” object"), where);
      return FALSE;
    }
  selectors = gloss_scan_get_member (target, "selector");
  if (selectors == NULL || selectors->type != GLOSS_SCAN_ARRAY)
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("%s has no “target.selector” array"), where);
      return FALSE;
    }

  if (!(quote = gloss_scan_find_selector (selectors, "TextQuoteSelector")))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("%s has no TextQuoteSelector"), where);
      return FALSE;
    }
  if (!gloss_scan_read_string (quote, where, "exact", GLOSS_JSON_REQUIRED, &exact, error) ||
      !gloss_scan_read_string (quote, where, "prefix", GLOSS_JSON_OPTIONAL | GLOSS_JSON_NULLABLE, &prefix, error) ||
      !gloss_scan_read_string (quote, where, "suffix", GLOSS_JSON_OPTIONAL | GLOSS_JSON_NULLABLE, &suffix, error))
    return FALSE;

  if (!(position = gloss_scan_find_selector (selectors, "TextPositionSelector")))
    {
      g_set_error (error, GLOSS_ERROR, GLOSS_ERROR_DAMAGED,
                   _("%s has no TextPositionSelector"), where);
      return FALSE;
    }
  if (!scan_check_position (position, where, "start", &start, error) ||
      !scan_check_position (position, where, "end", &end, error) ||
      !check_span (start, end, where, error))
    return FALSE;

  *id_out = id;
  return TRUE;
}

/* The annotation as the scanner read it, after
 * gloss_annotation_check_scan() accepted it. It has no JsonObject of its
 * own (gloss_annotation_to_json() would start an empty one) unless the
 * caller gives it one, as gloss_annotation_new_from_json() does. */
GlossAnnotation *
gloss_annotation_new_from_scan (GlossScanValue *object)
{
  GlossAnnotation *self = g_object_new (GLOSS_TYPE_ANNOTATION, NULL);
  GlossClipFileAnnotation fields;

  gloss_clip_file_get_annotation (object, &fields);
  self->id = g_strdup (fields.id);
  self->created = g_strdup (fields.created);
  self->modified = g_strdup (fields.modified);
  self->note = g_strdup (fields.note);
  self->color = fields.color;
  self->exact = g_strdup (fields.exact);
  self->prefix = g_strdup (fields.prefix);
  self->suffix = g_strdup (fields.suffix);
  self->start = fields.start;
  self->end = fields.end;

  return self;
}
