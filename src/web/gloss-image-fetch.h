/* gloss-image-fetch.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* One picture of a page fetched over HTTP, for the clipper (a page being
 * clipped) and the clip queue (the pictures of an imported article). Each
 * caller decides what to do with a picture it could not have; this only
 * says why, in the error.
 *
 * The limits, and why each one is there:
 *
 * GLOSS_IMAGE_FETCH_MAX_BYTES: a picture is held in memory until the clip
 *   writer has it on disk, and several are under way at once; no picture
 *   an article shows is this large, while a "picture" that is a video, an
 *   endless stream or a trap would fill the memory and the library.
 *
 * GLOSS_IMAGE_FETCH_TIMEOUT_MS: the whole fetch, from the request to the
 *   last byte. One slow or stuck host must not hold the clip of a page
 *   (whose other pictures wait for a free slot) nor the clip queue.
 *
 * GLOSS_IMAGE_FETCH_IDLE_TIMEOUT_S: a host that accepts the connection and
 *   then says nothing (an overloaded ad server) gives up its picture after
 *   this much silence; one that sends, however slowly, has the whole
 *   GLOSS_IMAGE_FETCH_TIMEOUT_MS.
 *
 * GLOSS_IMAGE_FETCH_PARALLEL: how many pictures one caller fetches at a
 *   time, and the connections a session keeps per host: enough that a
 *   page of many small pictures is quick, few enough not to flood a host
 *   (or be taken for an attack by it).
 *
 * GLOSS_IMAGE_FETCH_CHUNK_SIZE: how much is read at a time, so that the
 *   size limit holds while the picture arrives, not after. */
#define GLOSS_IMAGE_FETCH_MAX_BYTES      (10 * 1024 * 1024)
#define GLOSS_IMAGE_FETCH_TIMEOUT_MS     (15 * 1000)
#define GLOSS_IMAGE_FETCH_IDLE_TIMEOUT_S 5
#define GLOSS_IMAGE_FETCH_PARALLEL       4
#define GLOSS_IMAGE_FETCH_CHUNK_SIZE     (64 * 1024)

SoupSession *gloss_image_fetch_session_new (void);

/* Fetches @url (http or https) with @session, sent with @referrer as its
 * Referer when not %NULL. @max_bytes and @timeout_ms are the limits above
 * (the test suite lowers them).
 *
 * Errors, all in G_IO_ERROR, with a message for a person:
 * - %G_IO_ERROR_CANCELLED: @cancellable was cancelled;
 * - %G_IO_ERROR_HOST_UNREACHABLE: no answer: offline, no such host, the
 *   connection refused or broken before the server answered;
 * - %G_IO_ERROR_TIMED_OUT: no answer within @timeout_ms;
 * - %G_IO_ERROR_NOT_FOUND: the server said no (an HTTP 4xx status);
 * - %G_IO_ERROR_FAILED: the server failed (any other status but 2xx);
 * - %G_IO_ERROR_INVALID_DATA: the answer is not an image/ type;
 * - %G_IO_ERROR_MESSAGE_TOO_LARGE: the picture is over @max_bytes;
 * - %G_IO_ERROR_PARTIAL_INPUT: the server answered, but the picture did
 *   not arrive whole (the connection broke, or @timeout_ms passed);
 * - %G_IO_ERROR_INVALID_ARGUMENT: @url is not an address to fetch.
 * %G_IO_ERROR_HOST_UNREACHABLE, %G_IO_ERROR_TIMED_OUT and %G_IO_ERROR_FAILED
 * are the ones worth trying again when the network is back. */
void    gloss_image_fetch_async  (SoupSession          *session,
                                  const char           *url,
                                  const char           *referrer,
                                  gsize                 max_bytes,
                                  guint                 timeout_ms,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
/* The picture's bytes; @content_type (nullable) receives its type as the
 * server named it, in lower case and without parameters ("image/png"). */
GBytes *gloss_image_fetch_finish (GAsyncResult         *result,
                                  char                **content_type,
                                  GError              **error);

G_END_DECLS
