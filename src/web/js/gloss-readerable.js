/* gloss-readerable.js
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs in the private script world "gloss" once a live page has loaded,
 * after Readability-readerable.js, and tells Gloss whether Readability
 * considers the page an article: the Clip button follows the answer. */

(function () {
  'use strict';

  let readerable = false;

  try {
    readerable = isProbablyReaderable (document) === true;
  } catch (e) {
    readerable = false;
  }

  window.webkit.messageHandlers.gloss.postMessage ({
    type: 'readerable',
    readerable: readerable,
    url: String (document.location.href),
  });
}) ();
