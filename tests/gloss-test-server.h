/* gloss-test-server.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A SoupServer on 127.0.0.1 with a free port, serving tests/fixtures/
 * (GLOSS_SOURCE_DIR). Nothing in the tests reaches another host. */
typedef struct _GlossTestServer GlossTestServer;

GlossTestServer *gloss_test_server_new        (void);
void             gloss_test_server_free       (GlossTestServer *server);
SoupServer      *gloss_test_server_get_server (GlossTestServer *server);
/* "http://127.0.0.1:PORT/@path" */
char            *gloss_test_server_uri        (GlossTestServer *server,
                                               const char      *path);
/* How many requests for @path were answered so far. */
guint            gloss_test_server_count      (GlossTestServer *server,
                                               const char      *path);
/* A port on 127.0.0.1 where nothing listens. */
guint            gloss_test_closed_port       (void);

/* Spins the main context until @condition (checked after each
 * iteration) holds, or fails the test after @timeout_ms. */
#define gloss_test_wait_until(condition, timeout_ms)                      \
  G_STMT_START {                                                          \
    gint64 _deadline = g_get_monotonic_time () + (timeout_ms) * 1000;     \
    while (!(condition))                                                  \
      {                                                                   \
        if (g_get_monotonic_time () > _deadline)                          \
          g_error ("Timed out waiting for %s", #condition);               \
        g_main_context_iteration (NULL, FALSE);                           \
        g_usleep (1000);                                                  \
      }                                                                   \
  } G_STMT_END

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossTestServer, gloss_test_server_free)

G_END_DECLS
