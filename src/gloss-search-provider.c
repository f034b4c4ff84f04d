/* gloss-search-provider.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The GNOME Shell search provider: the overview's search box asks the
 * library's search index, as the library view's search entry does (same
 * query language, same ranking), and a chosen result opens in the reader
 * at its first match.
 *
 * Every search runs on the index's worker thread; the method call is
 * answered from its callback, so the main loop never waits on the disk.
 * Each call holds the application until it is answered: started by D-Bus
 * activation, the process lives only as long as GApplication's inactivity
 * timeout after the last call. */

#define G_LOG_DOMAIN "gloss-search-provider"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gloss-annotator.h"
#include "gloss-error.h"
#include "gloss-index.h"
#include "gloss-library-view.h"
#include "gloss-reader-pane.h"
#include "gloss-search-provider.h"
#include "gloss-search-result.h"
#include "gloss-window.h"

/* How long a process started for a search stays after the last call, so
 * that the next keystroke finds it running. */
#define INACTIVITY_TIMEOUT_MS 10000
/* Results kept for GetResultMetas and ActivateResult. */
#define MAX_CACHED_RESULTS 500
/* Characters of snippet in a description. */
#define DESCRIPTION_LENGTH 120

struct _GlossSearchProvider
{
  GObject           parent_instance;

  GlossApplication *application;   /* unowned: the application owns us */
  GDBusConnection  *connection;
  guint             registration_id;
  GCancellable     *search_cancellable;
  GHashTable       *results;       /* clip id → GlossSearchResult */
  gboolean          synced;
};

G_DEFINE_FINAL_TYPE (GlossSearchProvider, gloss_search_provider, G_TYPE_OBJECT)

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.gnome.Shell.SearchProvider2'>"
  "    <method name='GetInitialResultSet'>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='as' name='results' direction='out'/>"
  "    </method>"
  "    <method name='GetSubsearchResultSet'>"
  "      <arg type='as' name='previous_results' direction='in'/>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='as' name='results' direction='out'/>"
  "    </method>"
  "    <method name='GetResultMetas'>"
  "      <arg type='as' name='identifiers' direction='in'/>"
  "      <arg type='aa{sv}' name='metas' direction='out'/>"
  "    </method>"
  "    <method name='ActivateResult'>"
  "      <arg type='s' name='identifier' direction='in'/>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='LaunchSearch'>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static GDBusInterfaceInfo *
get_interface_info (void)
{
  static GDBusInterfaceInfo *info;

  if (g_once_init_enter (&info))
    {
      g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (introspection_xml, NULL);

      g_assert (node != NULL);
      g_once_init_leave (&info, g_dbus_interface_info_ref (node->interfaces[0]));
    }

  return info;
}

/* The Shell splits what the user typed at white space; the index reads
 * the same words back as one query. */
static char *
join_terms (const char * const *terms)
{
  g_autofree char *joined = g_strjoinv (" ", (char **) terms);

  return g_strstrip (g_steal_pointer (&joined));
}

char *
gloss_search_provider_describe (const char *site_name,
                                const char *marked_snippet)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *plain = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *snippet = NULL;

  /* One line: every run of white space (new lines too) becomes a space. */
  plain = gloss_search_marked_to_plain (marked_snippet ? marked_snippet : "");
  words = g_strsplit_set (g_strstrip (plain), " \t\r\n\v\f", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        if (line->len > 0)
          g_string_append_c (line, ' ');
        g_string_append (line, words[i]);
      }

  if (g_utf8_strlen (line->str, -1) > DESCRIPTION_LENGTH)
    {
      const char *end = g_utf8_offset_to_pointer (line->str, DESCRIPTION_LENGTH);

      g_string_truncate (line, end - line->str);
      g_string_append (line, "…");
    }
  snippet = g_string_free (g_steal_pointer (&line), FALSE);

  if (site_name == NULL || *site_name == '\0')
    return g_steal_pointer (&snippet);
  if (*snippet == '\0')
    return g_strdup (site_name);

  /* Translators: a search result in the GNOME Shell overview: the site
   * (e.g. "en.wikipedia.org") and the piece of the article that matches. */
  return g_strdup_printf (_("%s — %s"), site_name, snippet);
}

typedef struct
{
  GlossSearchProvider   *self;
  GDBusMethodInvocation *invocation;
} Search;

static void
search_free (Search *search)
{
  g_application_release (G_APPLICATION (search->self->application));
  g_clear_object (&search->invocation);
  g_clear_object (&search->self);
  g_free (search);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Search, search_free)

static void
gloss_search_provider_search_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(Search) search = user_data;
  GlossSearchProvider *self = search->self;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariantBuilder) ids = g_variant_builder_new (G_VARIANT_TYPE ("as"));
  guint n;

  g_assert (GLOSS_IS_SEARCH_PROVIDER (self));

  results = gloss_index_search_finish (GLOSS_INDEX (object), result, &error);

  /* A query with a mistake in it (an unclosed quote while typing) or a
   * search overtaken by the next keystroke finds nothing; only a real
   * failure is worth a line in the journal. */
  if (results == NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, GLOSS_ERROR, GLOSS_ERROR_BAD_QUERY))
    g_warning ("Could not search the library: %s", error->message);

  if (g_hash_table_size (self->results) > MAX_CACHED_RESULTS)
    g_hash_table_remove_all (self->results);

  n = results ? g_list_model_get_n_items (results) : 0;
  for (guint i = 0; i < n && i < GLOSS_SEARCH_PROVIDER_LIMIT; i++)
    {
      g_autoptr(GlossSearchResult) item = g_list_model_get_item (results, i);
      const char *id = gloss_search_result_get_clip_id (item);

      g_variant_builder_add (ids, "s", id);
      g_hash_table_replace (self->results, g_strdup (id), g_object_ref (item));
    }

  g_dbus_method_invocation_return_value (search->invocation,
                                         g_variant_new ("(as)", ids));
}

static GlossIndex *
get_index (GlossSearchProvider *self)
{
  GlossIndex *index = gloss_application_get_index (self->application);

  /* Started for a search, no window has brought the index up to date:
   * do it now, in the index's thread; searches go ahead of that work. */
  if (!self->synced)
    {
      self->synced = TRUE;
      gloss_index_sync_async (index, NULL, NULL, NULL);
    }

  return index;
}

static void
start_search (GlossSearchProvider   *self,
              GDBusMethodInvocation *invocation,
              const char * const    *terms)
{
  g_autofree char *query = join_terms (terms);
  Search *search;

  /* The Shell asks again at every keystroke: the previous answer is no
   * longer wanted. */
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (*query == '\0')
    {
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(as)", NULL));
      return;
    }

  search = g_new0 (Search, 1);
  search->self = g_object_ref (self);
  search->invocation = g_object_ref (invocation);
  g_application_hold (G_APPLICATION (self->application));

  self->search_cancellable = g_cancellable_new ();
  gloss_index_search_async (get_index (self), query, GLOSS_SEARCH_PROVIDER_LIMIT,
                            self->search_cancellable, gloss_search_provider_search_cb, search);
}

static GVariant *
result_meta (GlossSearchProvider *self,
             const char          *id)
{
  GlossSearchResult *result = g_hash_table_lookup (self->results, id);
  g_autofree char *description = NULL;
  const char *title;
  GVariantDict meta;

  if (result == NULL)
    return NULL;

  title = gloss_search_result_get_title (result);
  if (title == NULL || *title == '\0')
    title = gloss_search_result_get_url (result);
  description = gloss_search_provider_describe (gloss_search_result_get_site_name (result),
                                                gloss_search_result_get_snippet (result));

  g_variant_dict_init (&meta, NULL);
  g_variant_dict_insert (&meta, "id", "s", id);
  g_variant_dict_insert (&meta, "name", "s", title);
  g_variant_dict_insert (&meta, "description", "s", description);
  g_variant_dict_insert (&meta, "gicon", "s", APP_ID);
  if (gloss_search_result_get_url (result) != NULL)
    g_variant_dict_insert (&meta, "clipboardText", "s", gloss_search_result_get_url (result));

  return g_variant_dict_end (&meta);
}

static void
return_metas (GlossSearchProvider   *self,
              GDBusMethodInvocation *invocation,
              const char * const    *ids)
{
  GVariantBuilder metas;

  g_variant_builder_init (&metas, G_VARIANT_TYPE ("aa{sv}"));
  /* Only ids this provider gave out; any other is left out. */
  for (guint i = 0; ids[i] != NULL; i++)
    {
      GVariant *meta = result_meta (self, ids[i]);

      if (meta != NULL)
        g_variant_builder_add_value (&metas, meta);
    }

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(aa{sv})", &metas));
}

/* Where a result opens: the first highlight or note that matched, else
 * the first match in the article. */
typedef struct
{
  char   *clip_id;
  char   *annotation_id;
  int     match_offset;
  int     match_length;
} Target;

static void
target_free (gpointer data,
             GClosure *closure)
{
  Target *target = data;

  g_free (target->clip_id);
  g_free (target->annotation_id);
  g_free (target);
}

static void
target_destroy (gpointer data)
{
  target_free (data, NULL);
}

static Target *
target_new (GlossSearchResult *result,
            const char        *clip_id)
{
  Target *target = g_new0 (Target, 1);

  target->clip_id = g_strdup (clip_id);
  target->match_offset = -1;

  if (result != NULL)
    {
      GPtrArray *annotations = gloss_search_result_get_annotations (result);
      const char *snippet = gloss_search_result_get_snippet (result);
      const char *start;
      const char *end;

      if (annotations->len > 0)
        target->annotation_id = g_strdup (((GlossSearchAnnotation *) g_ptr_array_index (annotations, 0))->id);

      target->match_offset = gloss_search_result_get_match_offset (result);
      /* The snippet marks the match that match_offset points at. */
      if (snippet != NULL &&
          (start = strstr (snippet, GLOSS_SEARCH_MATCH_START)) != NULL &&
          (end = strstr (start, GLOSS_SEARCH_MATCH_END)) != NULL)
        {
          start += strlen (GLOSS_SEARCH_MATCH_START);
          target->match_length = g_utf8_strlen (start, end - start);
        }
    }

  return target;
}

static void
gloss_search_provider_painted_cb (GlossAnnotator *annotator,
                                  Target         *target)
{
  GlossClip *clip = gloss_annotator_get_clip (annotator);

  g_assert (GLOSS_IS_ANNOTATOR (annotator));

  /* Another clip that was still loading. */
  if (clip == NULL || g_strcmp0 (gloss_clip_get_id (clip), target->clip_id) != 0)
    return;

  if (target->annotation_id != NULL && gloss_annotator_get_range (annotator, target->annotation_id, NULL, NULL))
    gloss_annotator_scroll_to (annotator, target->annotation_id);
  else if (target->match_offset >= 0)
    /* Selected, so that the keyboard can act on it at once. */
    gloss_annotator_select_text (annotator, target->match_offset,
                                 target->match_offset + target->match_length);

  /* Disconnecting frees @target. */
  g_signal_handlers_disconnect_by_func (annotator, gloss_search_provider_painted_cb, target);
}

static void
open_target (GlossWindow *window,
             Target      *target)
{
  GlossLibrary *library = gloss_window_get_library (window);
  GlossAnnotator *annotator;
  GlossClip *clip;

  if (library == NULL || !(clip = gloss_library_lookup (library, target->clip_id)))
    {
      gloss_window_show_toast (window, _("That clip is no longer in the library"));
      target_free (target, NULL);
      return;
    }

  annotator = gloss_reader_pane_get_annotator (gloss_window_get_reader_pane (window));
  /* The last result chosen wins over one whose clip is still loading. */
  g_signal_handlers_disconnect_matched (annotator, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        gloss_search_provider_painted_cb, NULL);
  if (target->annotation_id != NULL || target->match_offset >= 0)
    g_signal_connect_data (annotator, "painted", G_CALLBACK (gloss_search_provider_painted_cb),
                           target, target_free, 0);
  else
    target_free (target, NULL);

  gloss_window_open_clip (window, clip);
}

static void
gloss_search_provider_library_loaded_cb (GlossLibrary *library,
                                         GParamSpec   *pspec,
                                         GlossWindow  *window)
{
  Target *target = g_object_get_data (G_OBJECT (window), "gloss-search-target");

  g_assert (GLOSS_IS_WINDOW (window));

  if (!gloss_library_get_loaded (library))
    return;

  g_signal_handlers_disconnect_by_func (library, gloss_search_provider_library_loaded_cb, window);
  if (target != NULL)
    {
      g_object_steal_data (G_OBJECT (window), "gloss-search-target");
      open_target (window, target);
    }
}

static GlossWindow *
present_window (GlossSearchProvider *self,
                guint32              timestamp)
{
  GtkWindow *window;

  /* activate() makes a window when there is none. */
  g_application_activate (G_APPLICATION (self->application));
  window = gtk_application_get_active_window (GTK_APPLICATION (self->application));
  g_assert (GLOSS_IS_WINDOW (window));
  gtk_window_present_with_time (window, timestamp);

  return GLOSS_WINDOW (window);
}

static void
activate_result (GlossSearchProvider *self,
                 const char          *clip_id,
                 guint32              timestamp)
{
  GlossWindow *window = present_window (self, timestamp);
  GlossLibrary *library = gloss_window_get_library (window);
  Target *target = target_new (g_hash_table_lookup (self->results, clip_id), clip_id);

  if (library != NULL && !gloss_library_get_loaded (library))
    {
      /* A window made just now: its library is read after its first
       * frame. The last result asked for wins. */
      g_object_set_data_full (G_OBJECT (window), "gloss-search-target", target,
                              target_destroy);
      g_signal_handlers_disconnect_by_func (library, gloss_search_provider_library_loaded_cb, window);
      g_signal_connect_object (library, "notify::loaded",
                               G_CALLBACK (gloss_search_provider_library_loaded_cb), window, 0);
      return;
    }

  open_target (window, target);
}

static void
launch_search (GlossSearchProvider *self,
               const char * const  *terms,
               guint32              timestamp)
{
  GlossWindow *window = present_window (self, timestamp);
  g_autofree char *query = join_terms (terms);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  gloss_library_view_set_query (gloss_window_get_library_view (window), query);
}

static void
gloss_search_provider_method_call_cb (GDBusConnection       *connection,
                                      const char            *sender,
                                      const char            *object_path,
                                      const char            *interface_name,
                                      const char            *method_name,
                                      GVariant              *parameters,
                                      GDBusMethodInvocation *invocation,
                                      gpointer               user_data)
{
  GlossSearchProvider *self = user_data;
  GApplication *app = G_APPLICATION (self->application);

  g_assert (GLOSS_IS_SEARCH_PROVIDER (self));

  /* A process that the Shell started for a search lingers a little for
   * the next keystroke, then goes. */
  if (g_application_get_inactivity_timeout (app) < INACTIVITY_TIMEOUT_MS)
    g_application_set_inactivity_timeout (app, INACTIVITY_TIMEOUT_MS);

  g_application_hold (app);

  if (g_str_equal (method_name, "GetInitialResultSet"))
    {
      g_autofree const char **terms = NULL;

      g_variant_get (parameters, "(^a&s)", &terms);
      start_search (self, invocation, terms);
    }
  else if (g_str_equal (method_name, "GetSubsearchResultSet"))
    {
      g_autofree const char **previous = NULL;
      g_autofree const char **terms = NULL;

      /* A new search rather than a filter of the previous results: the
       * ranking then stays the library view's. */
      g_variant_get (parameters, "(^a&s^a&s)", &previous, &terms);
      start_search (self, invocation, terms);
    }
  else if (g_str_equal (method_name, "GetResultMetas"))
    {
      g_autofree const char **ids = NULL;

      g_variant_get (parameters, "(^a&s)", &ids);
      return_metas (self, invocation, ids);
    }
  else if (g_str_equal (method_name, "ActivateResult"))
    {
      g_autofree const char **terms = NULL;
      const char *id;
      guint32 timestamp;

      g_variant_get (parameters, "(&s^a&su)", &id, &terms, &timestamp);
      activate_result (self, id, timestamp);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "LaunchSearch"))
    {
      g_autofree const char **terms = NULL;
      guint32 timestamp;

      g_variant_get (parameters, "(^a&su)", &terms, &timestamp);
      launch_search (self, terms, timestamp);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "Unknown method %s", method_name);

  g_application_release (app);
}

static const GDBusInterfaceVTable vtable = {
  gloss_search_provider_method_call_cb,
  NULL,
  NULL,
  { NULL },
};

gboolean
gloss_search_provider_register (GlossSearchProvider  *self,
                                GDBusConnection      *connection,
                                const char           *object_path,
                                GError              **error)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_PROVIDER (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->registration_id == 0, FALSE);

  self->registration_id = g_dbus_connection_register_object (connection, object_path,
                                                             get_interface_info (), &vtable,
                                                             self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;

  self->connection = g_object_ref (connection);
  return TRUE;
}

void
gloss_search_provider_unregister (GlossSearchProvider *self)
{
  g_return_if_fail (GLOSS_IS_SEARCH_PROVIDER (self));

  g_cancellable_cancel (self->search_cancellable);
  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
}

static void
gloss_search_provider_dispose (GObject *object)
{
  GlossSearchProvider *self = GLOSS_SEARCH_PROVIDER (object);

  gloss_search_provider_unregister (self);
  g_clear_object (&self->search_cancellable);
  g_clear_pointer (&self->results, g_hash_table_unref);

  G_OBJECT_CLASS (gloss_search_provider_parent_class)->dispose (object);
}

static void
gloss_search_provider_class_init (GlossSearchProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_search_provider_dispose;
}

static void
gloss_search_provider_init (GlossSearchProvider *self)
{
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

GlossSearchProvider *
gloss_search_provider_new (GlossApplication *application)
{
  GlossSearchProvider *self;

  g_return_val_if_fail (GLOSS_IS_APPLICATION (application), NULL);

  self = g_object_new (GLOSS_TYPE_SEARCH_PROVIDER, NULL);
  self->application = application;

  return self;
}
