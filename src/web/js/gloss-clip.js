/* gloss-clip.js
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs in the private script world "gloss", after Readability.js and
 * turndown.js, and defines glossClip (token, mode), which C calls with
 * webkit_web_view_evaluate_javascript() in the same world. It extracts the
 * article from a copy of the page and posts exactly one message to the
 * "gloss" handler: {type: 'clip', …} or {type: 'clip-failed', reason}.
 *
 * The page's scripts live in another world with another global object, so
 * they can neither see nor replace anything defined here; the references
 * are still captured now, at injection time, so that nothing that runs
 * later in this world can swap them either. */

(function () {
  'use strict';

  const ReadabilityClass = Readability;
  const TurndownClass = TurndownService;
  const probablyReaderable = isProbablyReaderable;
  const handler = window.webkit.messageHandlers.gloss;
  const post = handler.postMessage.bind (handler);

  /* Elements that never belong in a clip: they run code, load other
   * documents, take input or restyle the page. */
  const REMOVED = [
    'script', 'noscript', 'style', 'link', 'meta', 'base', 'template',
    'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
    'form', 'input', 'button', 'select', 'textarea', 'option', 'dialog',
    'svg script', 'canvas', 'audio', 'video', 'source', 'track', 'portal',
  ].join (',');

  const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'cite', 'longdesc'];

  function isDangerousUrl (value) {
    /* Browsers ignore control characters and spaces in a scheme. */
    const squeezed = String (value).replace (/[\u0000-\u0020]/g, '').toLowerCase ();
    return squeezed.startsWith ('javascript:') || squeezed.startsWith ('vbscript:') ||
           (squeezed.startsWith ('data:') && !squeezed.startsWith ('data:image/'));
  }

  function absolute (value, base) {
    try {
      return new URL (value, base).href;
    } catch (e) {
      return null;
    }
  }

  /* Cleans a container in place: no scripts, styles, forms, frames,
   * event handlers or javascript: URLs; links and images absolute. */
  function sanitize (root, base) {
    for (const element of Array.from (root.querySelectorAll (REMOVED)))
      element.remove ();

    for (const element of Array.from (root.querySelectorAll ('*'))) {
      for (const attribute of Array.from (element.attributes)) {
        const name = attribute.name.toLowerCase ();

        if (name.startsWith ('on') || name === 'style' || name === 'srcdoc' ||
            name === 'srcset' || name === 'sizes' || name === 'ping' ||
            name === 'formaction' || name === 'autofocus') {
          element.removeAttribute (attribute.name);
          continue;
        }

        if (URL_ATTRIBUTES.includes (name)) {
          if (isDangerousUrl (attribute.value)) {
            element.removeAttribute (attribute.name);
            continue;
          }
          if (name === 'href' || name === 'src') {
            const resolved = absolute (attribute.value, base);
            if (resolved === null)
              element.removeAttribute (attribute.name);
            else if (!attribute.value.startsWith ('#'))
              element.setAttribute (attribute.name, resolved);
          }
        }
      }
    }
  }

  /* Replaces every image source with a placeholder that C swaps for the
   * saved asset (or the original address when saving failed), and returns
   * the original addresses in placeholder order. */
  function collectImages (root, token) {
    const images = [];

    for (const image of Array.from (root.querySelectorAll ('img'))) {
      const src = image.getAttribute ('src');

      if (!src || !/^https?:/i.test (src)) {
        if (src && !src.startsWith ('data:image/'))
          image.removeAttribute ('src');
        continue;
      }

      image.setAttribute ('src', 'gloss-image-' + token + '-' + images.length);
      images.push (src);
    }

    return images;
  }

  function textOf (html) {
    /* The same parse the reader does: the fragment as the children of an
     * element in the body of an inert document, where nothing loads. */
    const doc = document.implementation.createHTMLDocument ('');
    const article = doc.createElement ('article');

    doc.body.appendChild (article);
    article.innerHTML = html;

    return article.textContent;
  }

  function wholePage (doc) {
    const container = doc.createElement ('div');

    if (doc.body)
      for (const child of Array.from (doc.body.childNodes))
        container.appendChild (child);

    return {
      title: doc.title || '',
      byline: null,
      siteName: null,
      excerpt: null,
      lang: doc.documentElement.getAttribute ('lang'),
      dir: doc.documentElement.getAttribute ('dir'),
      publishedTime: null,
      container: container,
    };
  }

  function readable (doc, base) {
    /* Readability's defaults, as in Firefox: its test suite is the reference. */
    const reader = new ReadabilityClass (doc);
    const article = reader.parse ();

    if (article === null || typeof article.content !== 'string')
      return null;

    /* Readability finds "something" in almost any page; a short one that
     * Firefox's heuristic would not offer in reader view is not an article. */
    if (!probablyReaderable (document) && (article.length || 0) < 500)
      return null;

    const holder = document.implementation.createHTMLDocument ('');
    const container = holder.createElement ('div');

    holder.body.appendChild (container);
    container.innerHTML = article.content;

    /* Readability wraps its result in <div id="readability-page-1">. */
    const page = container.firstElementChild;
    if (container.childElementCount === 1 && page && page.id === 'readability-page-1') {
      while (page.firstChild)
        container.insertBefore (page.firstChild, page);
      page.remove ();
    }

    return {
      title: article.title,
      byline: article.byline,
      siteName: article.siteName,
      excerpt: article.excerpt,
      lang: article.lang,
      dir: article.dir,
      publishedTime: article.publishedTime,
      container: container,
    };
  }

  function stringOrNull (value) {
    return typeof value === 'string' && value.trim () !== '' ? value.trim () : null;
  }

  function clip (token, mode) {
    const started = performance.now ();
    const url = String (document.location.href);
    const base = String (document.baseURI);
    const copy = document.cloneNode (true);
    const result = mode === 'whole-page' ? wholePage (copy) : readable (copy, base);

    if (result === null) {
      post ({ type: 'clip-failed', token: token, reason: 'not-article', url: url });
      return;
    }

    sanitize (result.container, base);

    const images = collectImages (result.container, token);
    const content = result.container.innerHTML;
    let markdown = '';

    try {
      const turndown = new TurndownClass ({ headingStyle: 'atx', codeBlockStyle: 'fenced', emDelimiter: '*' });
      markdown = turndown.turndown (content);
    } catch (e) {
      markdown = '';
    }

    post ({
      type: 'clip',
      token: token,
      mode: mode === 'whole-page' ? 'whole-page' : 'article',
      url: url,
      title: stringOrNull (result.title) || stringOrNull (document.title) || url,
      byline: stringOrNull (result.byline),
      siteName: stringOrNull (result.siteName),
      excerpt: stringOrNull (result.excerpt),
      lang: stringOrNull (result.lang) || stringOrNull (document.documentElement.lang),
      dir: stringOrNull (result.dir) || stringOrNull (document.documentElement.dir),
      publishedTime: stringOrNull (result.publishedTime),
      content: content,
      markdown: markdown,
      text: textOf (content),
      images: images,
      elapsed: performance.now () - started,
    });
  }

  window.glossClip = function (token, mode) {
    try {
      clip (String (token), String (mode));
    } catch (e) {
      post ({ type: 'clip-failed', token: String (token), reason: 'error', message: String (e && e.message) });
    }
  };
}) ();
