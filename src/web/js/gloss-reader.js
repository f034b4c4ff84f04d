/* gloss-reader.js
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs in the private script world "gloss" in the reader, where the page's
 * own scripts are off. Once the clip is shown it posts the article text as
 * the engine computes it (the textContent of the article root), which C
 * compares with article.txt (FORMAT.md "Text and positions"). glossReader
 * lets C restyle the page without reloading it. */

(function () {
  'use strict';

  const handler = window.webkit.messageHandlers.gloss;
  const post = handler.postMessage.bind (handler);

  function articleRoot () {
    return document.getElementById ('gloss-article');
  }

  window.glossReader = {
    articleRoot: articleRoot,

    text: function () {
      const root = articleRoot ();
      return root ? root.textContent : null;
    },

    setStyle: function (dark, font) {
      const root = document.documentElement;

      root.classList.toggle ('dark', dark === true);
      root.classList.toggle ('font-serif', font === 'serif');
      root.classList.toggle ('font-sans', font !== 'serif');
    },
  };

  const root = articleRoot ();

  /* Readability keeps the article's own heading when it cannot tell that
   * it repeats the title (it compares Latin words only): then the
   * template's title is hidden rather than the article changed, so that
   * the article's text stays article.txt. */
  const title = document.querySelector ('.gloss-title');
  const heading = root ? root.querySelector ('h1, h2') : null;
  const squeeze = function (text) { return String (text).trim ().replace (/\s+/g, ' '); };

  if (title && heading && squeeze (heading.textContent) === squeeze (title.textContent) &&
      squeeze (root.textContent).startsWith (squeeze (heading.textContent)))
    title.hidden = true;

  if (document.location.protocol === 'gloss-clip:' && root !== null)
    post ({
      type: 'reader-loaded',
      url: String (document.location.href),
      text: root.textContent,
    });
}) ();
