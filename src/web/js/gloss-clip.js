/* gloss-clip.js
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs in the private script world "gloss", after Readability.js and
 * turndown.js, and defines glossClip (token, mode), which C calls with
 * webkit_web_view_evaluate_javascript() in the same world (with settle
 * true for a view nobody looks at: see whenSettled). It extracts the
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

  /* How a page settles: once its document is parsed (DOMContentLoaded),
   * the clip waits until the DOM has been quiet for QUIET_MS, at most
   * SETTLE_MS after the call, and never for sub-resources (images, frames,
   * far-away scripts) that may never come. A document still being parsed
   * is waited for while the parser adds to it, up to READY_MS; one whose
   * parser has added nothing for STUCK_MS (stuck on a script that never
   * arrives) is clipped as it stands. */
  const QUIET_MS = 1000;
  const SETTLE_MS = 4000;
  const STUCK_MS = 3000;
  const READY_MS = 20000;
  /* The width the reader shows images at, twice over for dense screens:
   * the srcset candidate kept is the largest up to it. */
  const IMAGE_WIDTH = 1600;

  let lastMutation = performance.now ();
  let parsedCopy = null;

  function watchMutations () {
    try {
      new MutationObserver (function () {
        lastMutation = performance.now ();
      }).observe (document, { childList: true, subtree: true, characterData: true });
    } catch (e) {
      /* No observer: the clip then only waits for the parse. */
    }
  }

  /* The document as the server sent it and the parser built it, before
   * the page's later scripts rewrote it: kept to compare with. */
  document.addEventListener ('DOMContentLoaded', function () {
    lastMutation = performance.now ();
    try {
      parsedCopy = document.cloneNode (true);
    } catch (e) {
      parsedCopy = null;
    }
  }, { once: true });
  watchMutations ();

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

  /* The candidates of a srcset, with their width (w), density (x) or
   * neither. */
  function parseSrcset (value) {
    const candidates = [];

    for (const part of String (value || '').split (/,\s+|,(?=\S*\s)/)) {
      const fields = part.trim ().split (/\s+/);
      if (fields.length === 0 || fields[0] === '')
        continue;

      const url = fields[0].replace (/,$/, '');
      const descriptor = fields[1] || '';
      const number = parseFloat (descriptor);

      candidates.push ({
        url: url,
        width: /w$/i.test (descriptor) && number > 0 ? number : 0,
        density: /x$/i.test (descriptor) && number > 0 ? number : (descriptor === '' ? 1 : 0),
      });
    }

    return candidates.filter (c => c.url !== '' && !isDangerousUrl (c.url));
  }

  /* The largest candidate up to IMAGE_WIDTH (2× by density), else the
   * smallest above it. */
  function bestCandidate (candidates) {
    let best = null, bestScore = 0;

    for (const c of candidates) {
      const size = c.width > 0 ? c.width : c.density * IMAGE_WIDTH / 2;
      const score = size <= IMAGE_WIDTH ? size : IMAGE_WIDTH - size / 1e6;

      if (best === null || score > bestScore) {
        best = c;
        bestScore = score;
      }
    }

    return best ? best.url : null;
  }

  /* A src that only stands in for the real image: none, a data: URL (the
   * 1×1 GIF of lazy loaders), or a name that says so. */
  function isPlaceholderSrc (src) {
    return !src || /^\s*data:/i.test (src) || /(^|[\/._-])(blank|spacer|placeholder|lazy|loading|pixel|transparent)[^\/]*\.(gif|png|svg|jpe?g|webp)(\?|$)/i.test (src);
  }

  function parseFragment (doc, html) {
    const template = doc.createElement ('template');
    template.innerHTML = html;
    return template.content;
  }

  function singleImage (fragment) {
    const images = fragment.querySelectorAll ('img');
    return images.length === 1 && fragment.textContent.trim () === '' ? images[0] : null;
  }

  /* Before Readability sees the copy: every image gets the address it
   * would show (srcset, data-srcset, data-src, a <picture>'s sources, a
   * <noscript> fallback behind a lazy placeholder), so that nothing is
   * dropped for want of a src. */
  function fixImages (doc, base) {
    for (const noscript of Array.from (doc.querySelectorAll ('noscript'))) {
      const image = singleImage (parseFragment (doc, noscript.textContent || noscript.innerHTML));
      if (image === null)
        continue;

      const previous = noscript.previousElementSibling;
      const placeholder = previous && previous.tagName === 'IMG' ? previous :
                          (previous && previous.querySelector && previous.childElementCount <= 1 ? previous.querySelector ('img') : null);
      const fallback = doc.importNode (image, true);

      if (placeholder && !isPlaceholderSrc (placeholder.getAttribute ('src')) &&
          !placeholder.getAttribute ('data-src') && !placeholder.getAttribute ('data-srcset')) {
        noscript.remove ();  /* a real image is already there */
        continue;
      }

      if (placeholder) {
        for (const attribute of Array.from (placeholder.attributes))
          if (!fallback.hasAttribute (attribute.name) && attribute.name !== 'src' && attribute.name !== 'srcset')
            fallback.setAttribute (attribute.name, attribute.value);
        placeholder.replaceWith (fallback);
        noscript.remove ();
      } else {
        noscript.replaceWith (fallback);
      }
    }

    for (const picture of Array.from (doc.querySelectorAll ('picture'))) {
      const image = picture.querySelector ('img') || doc.createElement ('img');
      let candidates = [];

      for (const source of Array.from (picture.querySelectorAll ('source')))
        candidates = candidates.concat (parseSrcset (source.getAttribute ('srcset') || source.getAttribute ('data-srcset')));
      candidates = candidates.concat (parseSrcset (image.getAttribute ('srcset') || image.getAttribute ('data-srcset')));

      const best = bestCandidate (candidates);
      if (best && isPlaceholderSrc (image.getAttribute ('src')))
        image.setAttribute ('src', best);
      else if (best)
        image.setAttribute ('srcset', best + ' ' + IMAGE_WIDTH + 'w');
      picture.replaceWith (image);
    }

    for (const image of Array.from (doc.querySelectorAll ('img'))) {
      const srcset = image.getAttribute ('srcset') || image.getAttribute ('data-srcset') ||
                     image.getAttribute ('data-lazy-srcset');
      const lazy = image.getAttribute ('data-src') || image.getAttribute ('data-lazy-src') ||
                   image.getAttribute ('data-original');
      const best = bestCandidate (parseSrcset (srcset));
      const src = image.getAttribute ('src');
      const chosen = best || (isPlaceholderSrc (src) ? lazy : null);

      if (chosen) {
        const resolved = absolute (chosen, base);
        if (resolved !== null)
          image.setAttribute ('src', resolved);
      }
      /* Chosen once: Readability's own lazy-image pass must not swap in a
       * smaller candidate afterwards. */
      for (const name of ['srcset', 'data-srcset', 'data-lazy-srcset', 'loading'])
        image.removeAttribute (name);
      if (chosen)
        for (const name of ['data-src', 'data-lazy-src', 'data-original'])
          image.removeAttribute (name);
    }
  }

  /* Frames, video, audio and plug-ins cannot play in the reader: each
   * becomes a figure with its poster, if any, and a link to the media (or
   * to the page), so that the reader shows where something was. */
  function placeholdMedia (doc, base, pageUrl) {
    for (const media of Array.from (doc.querySelectorAll ('iframe, video, audio, embed, object'))) {
      if (!media.isConnected || (media.parentElement && media.parentElement.closest ('video, audio, object')))
        continue;

      const width = parseInt (media.getAttribute ('width') || '', 10);
      const height = parseInt (media.getAttribute ('height') || '', 10);
      /* Tracking pixels and hidden frames are not media. */
      if ((width >= 0 && width <= 2) || (height >= 0 && height <= 2) ||
          /display\s*:\s*none|visibility\s*:\s*hidden/i.test (media.getAttribute ('style') || ''))
        {
          media.remove ();
          continue;
        }

      let url = media.getAttribute ('src') || media.getAttribute ('data-src') || media.getAttribute ('data') || '';
      if (!url) {
        const source = media.querySelector ('source[src]');
        url = source ? source.getAttribute ('src') : '';
      }
      url = url && !isDangerousUrl (url) ? absolute (url, base) : null;
      if (!url || !/^https?:/i.test (url))
        url = pageUrl;

      const figure = doc.createElement ('figure');
      figure.className = 'gloss-embed';
      const poster = media.getAttribute ('poster');
      if (poster && !isDangerousUrl (poster) && absolute (poster, base) !== null) {
        const link = doc.createElement ('a');
        const image = doc.createElement ('img');
        link.setAttribute ('href', url);
        image.setAttribute ('src', absolute (poster, base));
        image.setAttribute ('alt', media.getAttribute ('title') || media.getAttribute ('aria-label') || '');
        link.appendChild (image);
        figure.appendChild (link);
      }
      const caption = doc.createElement ('figcaption');
      const link = doc.createElement ('a');
      link.setAttribute ('href', url);
      link.textContent = media.getAttribute ('title') || media.getAttribute ('aria-label') || url;
      caption.appendChild (link);
      figure.appendChild (caption);
      media.replaceWith (figure);
    }
  }

  const SCRIPT_MARKUP = /<\s*script\b[^>]*>[\s\S]*?<\s*\/\s*script\s*>|<\s*\/?\s*script\b[^>]*>/gi;

  /* Markup that a script wrote as text (an ad's <script> tag set with
   * textContent, say) is not the article's: it goes, unless it was already
   * there when the document was parsed or it is shown as code. */
  function dropWrittenMarkup (root, parsedText) {
    const walker = root.ownerDocument.createTreeWalker (root, NodeFilter.SHOW_TEXT);
    const changed = [];

    for (let node = walker.nextNode (); node !== null; node = walker.nextNode ()) {
      if (!/<\s*\/?\s*script\b/i.test (node.data))
        continue;
      if (node.parentElement && node.parentElement.closest ('pre, code, kbd, samp, tt'))
        continue;
      if (parsedText !== null && parsedText.includes (node.data.trim ()))
        continue;
      changed.push (node);
    }

    for (const node of changed) {
      node.data = node.data.replace (SCRIPT_MARKUP, '');
      if (node.data.trim () === '')
        node.remove ();
    }

    return changed.length;
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

  function bodyLength (doc) {
    return doc && doc.body ? doc.body.textContent.replace (/\s+/g, ' ').length : 0;
  }

  /* The article of one copy of the document, cleaned, or null. */
  function extract (doc, mode, base, url, parsedText) {
    fixImages (doc, base);
    placeholdMedia (doc, base, url);

    const result = mode === 'whole-page' ? wholePage (doc) : readable (doc, base);
    if (result === null)
      return null;

    result.dropped = dropWrittenMarkup (result.container, parsedText);
    sanitize (result.container, base);
    result.length = result.container.textContent.replace (/\s+/g, ' ').length;

    return result;
  }

  function clip (token, mode) {
    const started = performance.now ();
    const url = String (document.location.href);
    const base = String (document.baseURI);
    const parsed = parsedCopy;
    const parsedText = parsed && parsed.body ? parsed.body.textContent : null;
    let result = extract (document.cloneNode (true), mode, base, url, parsedText);

    /* Scripts rewrote the page wildly since it was parsed (a paywall, an
     * overlay, a document.write that replaced it): the parsed document
     * decides when it holds the longer article. */
    if (parsed !== null && mode !== 'whole-page') {
      const now = bodyLength (document), then = bodyLength (parsed);

      if (then > 3 * now || (result !== null && result.dropped > 0) || result === null) {
        const other = extract (parsed.cloneNode (true), mode, base, url, parsedText);
        if (other !== null && (result === null || other.length > 3 * result.length))
          result = other;
      }
    }

    if (result === null) {
      post ({ type: 'clip-failed', token: token, reason: 'not-article', url: url });
      return;
    }

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

  function run (token, mode) {
    try {
      clip (token, mode);
    } catch (e) {
      post ({ type: 'clip-failed', token: token, reason: 'error', message: String (e && e.message) });
    }
  }

  /* Waits for the document to be parsed and, for a page nobody is looking
   * at (@settle), quiet (see QUIET_MS), then clips. A person who presses
   * Clip has seen the page as they want it. */
  function whenSettled (token, mode, settle, called) {
    const now = performance.now ();

    if (document.readyState === 'loading' && now - called < READY_MS && now - lastMutation < STUCK_MS) {
      setTimeout (whenSettled, 50, token, mode, settle, called);
      return;
    }

    if (settle && now - lastMutation < QUIET_MS && now - called < SETTLE_MS) {
      setTimeout (whenSettled, Math.max (10, QUIET_MS - (now - lastMutation)), token, mode, settle, called);
      return;
    }

    run (token, mode);
  }

  window.glossClip = function (token, mode, settle) {
    whenSettled (String (token), String (mode), settle === true, performance.now ());
  };
}) ();
