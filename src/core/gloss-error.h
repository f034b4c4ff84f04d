/* gloss-error.h
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GLOSS_ERROR (gloss_error_quark ())

/* Every failure a user can cause travels in this domain with a message a
 * person understands (STYLE.md, "Memory and errors"). */
typedef enum
{
  GLOSS_ERROR_FAILED,
  GLOSS_ERROR_INVALID_ID,     /* an id outside FORMAT.md's alphabet */
  GLOSS_ERROR_DAMAGED,        /* not valid JSON, or a required field missing */
  GLOSS_ERROR_READ_ONLY,      /* format > 1, or a damaged clip */
  GLOSS_ERROR_NOT_FOUND,
  GLOSS_ERROR_EXISTS,
  GLOSS_ERROR_IO,             /* a read or write failed: path and reason */
  GLOSS_ERROR_BAD_QUERY,
  GLOSS_ERROR_TOO_LARGE,
  GLOSS_ERROR_NOT_ARTICLE,
  GLOSS_ERROR_INVALID_INPUT,  /* an untrusted message or import of the wrong shape */
  GLOSS_ERROR_CANCELLED,
} GlossErrorCode;

GQuark gloss_error_quark (void);

G_END_DECLS
