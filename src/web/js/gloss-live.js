/* gloss-live.js
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Highlights on the live page. Runs in the private script world "gloss"
 * of the live web view only, and only once Gloss knows the page belongs
 * to a clip (gloss-annotator-live.c sends it with the first call on each
 * page): a page with no clip runs none of it. It offers the reader's
 * window.glossHighlight calls (gloss-highlight.js), so that the annotator
 * talks to both pages alike, and converts between DOM ranges and
 * positions and paints; C anchors (FORMAT.md's rules, quote first).
 *
 * The live text: the data of every Text node under <body>, in document
 * order, joined with nothing in between, except those inside <script>,
 * <style>, <noscript>, <template>, <textarea>, <iframe> and <object> —
 * the body's textContent less what is never shown as text. It is what
 * article.txt is of the reader's article (a textContent), so quotes and
 * their context compare alike. Positions count code points into it.
 *
 * Painting uses the CSS Custom Highlight API, not <mark>s: the page's DOM
 * is never changed (no split text nodes under the page's own scripts, no
 * frameworks confused, nothing for a MutationObserver to see), marks carry
 * no id because there are no marks, and the ranges, their ids and the
 * notes' existence live only in this world's closures. Clicks are
 * hit-tested here. Note markers are dots in a closed shadow root of one
 * element outside <body>: no text, no ids, no notes. The colours are a
 * user style sheet (live.css), which the page's CSS cannot override. */

(function () {
  'use strict';

  if (window.glossHighlight && window.glossHighlight.live === true)
    return;

  const handler = window.webkit.messageHandlers.gloss;
  const post = handler.postMessage.bind (handler);
  const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'];
  /* Elements whose text is not shown as text. */
  const SKIP = new Set (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA',
                         'IFRAME', 'OBJECT']);
  const ID_RE = /^[0-9a-z-]{1,64}$/;
  /* Text changes are sent this long after the last one, and at least
   * this often while they keep coming. */
  const QUIET_MS = 150;
  const MAX_WAIT_MS = 1000;
  /* A page with more text than this (UTF-16 units) is not anchored in:
   * no article is that long (a long book is about 1 M), and every change
   * of the page copies the whole text to Gloss. */
  const MAX_TEXT = 4 * 1024 * 1024;

  let token = null;           /* set by start (), while a clip is shown */
  let nodes = [];             /* the Text nodes of the text last sent */
  let starts = [];            /* their code point starts */
  let index = new Map ();     /* Text node → its place in nodes */
  let lastText = null;
  let dirty = false;          /* the DOM changed since the text was sent */
  let timer = 0;
  let firstChange = 0;
  const painted = new Map (); /* id → { start, end, color, note, range } */
  const registry = new Map (); /* colour → Highlight */
  let flash = null;
  let serial = 0;             /* counts ranges made, for tests */
  const timing = { extract: 0, sync: 0 };  /* the last ones, in ms */

  const { cpLength, cpToUnit, cpSlice } = glossText;

  /* The live text, and the index from it to the DOM. */
  function extract () {
    const body = document.body;
    const list = [];
    const at = [];
    const parts = [];
    const map = new Map ();
    let offset = 0;

    if (body !== null)
      {
        const walker = document.createTreeWalker (body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
          acceptNode: node => {
            if (node.nodeType === Node.TEXT_NODE)
              return NodeFilter.FILTER_ACCEPT;
            return SKIP.has (node.nodeName.toUpperCase ()) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
          },
        });
        for (let node = walker.nextNode (); node !== null; node = walker.nextNode ())
          {
            const data = node.data;
            if (data.length === 0)
              continue;
            map.set (node, list.length);
            list.push (node);
            at.push (offset);
            parts.push (data);
            offset += cpLength (data);
          }
      }

    nodes = list;
    starts = at;
    index = map;
    dirty = false;
    return parts.join ('');
  }

  /* The last node starting at or before code point @cp. */
  function nodeAt (cp) {
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0)
      return -1;
    while (lo < hi)
      {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= cp)
          lo = mid;
        else
          hi = mid - 1;
      }
    return lo;
  }

  /* The DOM boundary of code point @cp; at an end, the end of the node
   * before rather than the start of the next. */
  function boundary (cp, isEnd) {
    let i = nodeAt (cp);
    if (i < 0)
      return null;
    if (isEnd && i > 0 && starts[i] === cp)
      i--;
    const node = nodes[i];
    if (!node.isConnected)
      return null;
    return [node, cpToUnit (node.data, cp - starts[i])];
  }

  function makeRange (start, end) {
    const a = boundary (start, false);
    const b = boundary (end, true);
    if (a === null || b === null)
      return null;
    const range = new Range ();
    try {
      range.setStart (a[0], a[1]);
      range.setEnd (b[0], b[1]);
    } catch (e) {
      return null;
    }
    return range;
  }

  /* The code point offset of a DOM boundary point in the text last sent,
   * or -1. */
  function offsetOf (container, offset) {
    if (container.nodeType === Node.TEXT_NODE)
      {
        const i = index.get (container);
        if (i === undefined)
          return -1;
        return starts[i] + cpLength (container.data.slice (0, offset));
      }

    /* An element boundary: the first text node after it. */
    const point = document.createRange ();
    try {
      point.setStart (container, offset);
    } catch (e) {
      return -1;
    }
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi)
      {
        const mid = (lo + hi) >> 1;
        if (point.comparePoint (nodes[mid], 0) < 0)
          lo = mid + 1;
        else
          hi = mid;
      }
    if (lo >= nodes.length)
      return lastText === null ? -1 : cpLength (lastText);
    return starts[lo];
  }

  function highlightOf (color) {
    let h = registry.get (color);
    if (h === undefined)
      {
        h = new Highlight ();
        registry.set (color, h);
      }
    /* The page may have cleared the registry: put it back. */
    if (CSS.highlights.get ('gloss-' + color) !== h)
      CSS.highlights.set ('gloss-' + color, h);
    return h;
  }

  /* Note markers: dots after the last piece of each highlight with a
   * note, in a closed shadow root outside <body>. */
  let host = null;
  let shadow = null;

  function ensureHost () {
    if (host !== null && host.isConnected)
      return;
    host = document.createElement ('div');
    for (const [name, value] of [['position', 'absolute'], ['top', '0'], ['left', '0'],
                                 ['width', '0'], ['height', '0'], ['margin', '0'],
                                 ['padding', '0'], ['border', '0'], ['display', 'block'],
                                 ['overflow', 'visible'], ['pointer-events', 'none'],
                                 ['z-index', '2147483647'], ['visibility', 'visible'],
                                 ['opacity', '1'], ['transform', 'none']])
      host.style.setProperty (name, value, 'important');
    shadow = host.attachShadow ({ mode: 'closed' });
    const style = document.createElement ('style');
    style.textContent =
      'span { position: absolute; width: 0.45em; height: 0.45em; border-radius: 50%;' +
      ' opacity: 0.7; pointer-events: none; }';
    shadow.appendChild (style);
    document.documentElement.appendChild (host);
  }

  function placeMarkers () {
    const withNote = [];
    for (const p of painted.values ())
      if (p.note)
        withNote.push (p);

    if (withNote.length === 0)
      {
        if (shadow !== null)
          shadow.querySelectorAll ('span').forEach (s => s.remove ());
        return;
      }

    ensureHost ();
    const dots = Array.from (shadow.querySelectorAll ('span'));

    /* Every layout read first, then every write: reads between writes
     * would lay the page out again for each marker. */
    const origin = host.getBoundingClientRect ();
    const places = [];
    for (const p of withNote)
      {
        const rects = p.range.getClientRects ();
        if (rects.length === 0)
          continue;
        const last = rects[rects.length - 1];
        const parent = p.range.endContainer.parentElement || document.body;
        const style = getComputedStyle (parent);
        const size = parseFloat (style.fontSize) || 16;
        places.push ({
          left: (last.right - origin.left + 0.05 * size) + 'px',
          top: (last.top - origin.top) + 'px',
          size: size + 'px',
          color: style.color,
        });
      }

    let used = 0;
    for (const place of places)
      {
        let dot = dots[used];
        if (dot === undefined)
          {
            dot = document.createElement ('span');
            shadow.appendChild (dot);
          }
        used++;
        dot.style.left = place.left;
        dot.style.top = place.top;
        dot.style.fontSize = place.size;
        dot.style.backgroundColor = place.color;
      }
    dots.slice (used).forEach (d => d.remove ());
  }

  let placing = 0;

  function placeMarkersSoon () {
    if (placing !== 0 || token === null)
      return;
    placing = requestAnimationFrame (() => {
      placing = 0;
      if (token !== null)
        placeMarkers ();
    });
  }

  function isValid (h) {
    return h !== null && typeof h === 'object' &&
           typeof h.id === 'string' && ID_RE.test (h.id) &&
           Number.isInteger (h.start) && Number.isInteger (h.end) &&
           h.start >= 0 && h.end > h.start;
  }

  function clean (h) {
    return {
      id: h.id,
      start: h.start,
      end: h.end,
      color: COLORS.includes (h.color) ? h.color : 'yellow',
      note: h.note === true,
    };
  }

  function unpaint (id) {
    const p = painted.get (id);
    if (p === undefined)
      return 0;
    highlightOf (p.color).delete (p.range);
    painted.delete (id);
    return 1;
  }

  /* Whether @p's range still covers [start, end) of the text last sent
   * (a live range follows the DOM as the page changes). */
  function stillAt (p, start, end) {
    if (p.range.collapsed && start < end)
      return false;
    return offsetOf (p.range.startContainer, p.range.startOffset) === start &&
           offsetOf (p.range.endContainer, p.range.endOffset) === end;
  }

  function paintOne (h) {
    const p = painted.get (h.id);
    if (p !== undefined && p.color === h.color && stillAt (p, h.start, h.end))
      {
        p.start = h.start;
        p.end = h.end;
        p.note = h.note;
        return false;
      }
    unpaint (h.id);
    const range = makeRange (h.start, h.end);
    if (range === null)
      return false;
    painted.set (h.id, { start: h.start, end: h.end, color: h.color, note: h.note, range: range,
                         serial: ++serial });
    highlightOf (h.color).add (range);
    return true;
  }

  /* Paints exactly @list: what is painted right already is left alone,
   * the rest painted again or taken away. The number painted anew. */
  function sync (list) {
    if (!Array.isArray (list))
      return 0;
    const begin = performance.now ();
    const wanted = new Set ();
    let fresh = 0;
    for (const h of list)
      if (isValid (h))
        {
          const c = clean (h);
          wanted.add (c.id);
          if (paintOne (c))
            fresh++;
        }
    for (const id of Array.from (painted.keys ()))
      if (!wanted.has (id))
        unpaint (id);
    placeMarkers ();
    /* The page changed while C anchored: send the text again. */
    if (dirty)
      schedule ();
    timing.sync = performance.now () - begin;
    return fresh;
  }

  function clearAll () {
    for (const id of Array.from (painted.keys ()))
      unpaint (id);
    for (const color of COLORS)
      if (CSS.highlights.get ('gloss-' + color) === registry.get (color))
        CSS.highlights.delete ('gloss-' + color);
    registry.clear ();
    if (host !== null)
      host.remove ();
    host = null;
    shadow = null;
  }

  /* Sending the text when the page changes it (scripts, lazy content). */
  function flush () {
    if (timer !== 0)
      clearTimeout (timer);
    timer = 0;
    firstChange = 0;
    if (token === null)
      return;
    const text = extract ();
    if (text !== lastText && text.length <= MAX_TEXT)
      {
        lastText = text;
        post ({ type: 'live-text', token: token, text: text });
      }
    placeMarkersSoon ();
  }

  function schedule () {
    const now = Date.now ();
    if (firstChange === 0)
      firstChange = now;
    if (timer !== 0)
      clearTimeout (timer);
    const wait = Math.max (0, Math.min (QUIET_MS, firstChange + MAX_WAIT_MS - now));
    timer = setTimeout (flush, wait);
  }

  const observer = new MutationObserver (() => {
    if (token === null)
      return;
    dirty = true;
    schedule ();
  });

  const resized = new ResizeObserver (placeMarkersSoon);

  /* The selection, kept across WebKit's X11 PRIMARY handling (see
   * gloss-highlight.js, which does the same in the reader). */
  let kept = null;

  function forget () {
    kept = null;
  }

  function restoreKept (sel) {
    if (kept === null || !sel.isCollapsed || sel.rangeCount === 0)
      return false;
    const caret = sel.getRangeAt (0);
    let atEnd = false;
    let atStart = false;
    try {
      atEnd = caret.compareBoundaryPoints (Range.END_TO_END, kept) === 0;
      atStart = caret.compareBoundaryPoints (Range.START_TO_START, kept) === 0;
    } catch (e) {
      return false;
    }
    if (!atEnd && !atStart)
      return false;
    const range = kept;
    sel.removeAllRanges ();
    sel.addRange (range);
    kept = range;
    return true;
  }

  function rectOf (range) {
    const rect = range.getBoundingClientRect ();
    return { x: rect.left, y: rect.top, width: rect.width, height: rect.height };
  }

  /* The highlights holding the point (x, y) of the viewport, innermost
   * (shortest) first. */
  function marksAt (x, y) {
    const caret = document.caretRangeFromPoint (x, y);
    if (caret === null)
      return [];
    const found = [];
    for (const [id, p] of painted)
      {
        let inside = false;
        try {
          inside = p.range.isPointInRange (caret.startContainer, caret.startOffset);
        } catch (e) {
          inside = false;
        }
        if (!inside)
          continue;
        /* caretRangeFromPoint () snaps to the nearest text: the point must
         * be on the highlight's own boxes. */
        for (const r of p.range.getClientRects ())
          if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom)
            {
              found.push ({ id: id, length: p.end - p.start });
              break;
            }
      }
    found.sort ((a, b) => a.length - b.length);
    return found.map (f => f.id);
  }

  function markAtCaret (sel) {
    if (sel === null || sel.rangeCount === 0 || !sel.isCollapsed)
      return null;
    const at = offsetOf (sel.anchorNode, sel.anchorOffset);
    if (at < 0)
      return null;
    let best = null;
    for (const [id, p] of painted)
      if (p.start <= at && at <= p.end && (best === null || p.end - p.start < best.end - best.start))
        best = { id: id, start: p.start, end: p.end };
    return best === null ? null : { mark: best.id, rect: rectOfMark (best.id) };
  }

  /* The selection as code points of the live text (the text is sent
   * first if the page changed since); for a caret inside a highlight,
   * that highlight; else null. */
  function selection () {
    const body = document.body;
    const sel = window.getSelection ();
    if (body === null || sel === null || sel.rangeCount === 0)
      return null;
    /* With no clip nothing follows the page: its text is read now. */
    if (token === null)
      lastText = extract ();
    else if (dirty)
      flush ();
    if (sel.isCollapsed && !restoreKept (sel))
      return token === null ? null : markAtCaret (sel);

    const range = sel.getRangeAt (0).cloneRange ();
    const start = offsetOf (range.startContainer, range.startOffset);
    const end = offsetOf (range.endContainer, range.endOffset);
    if (start < 0 || end <= start)
      return null;
    const exact = cpSlice (lastText, start, end);
    if (exact.trim ().length === 0)
      return null;

    return {
      start: start,
      end: end,
      exact: exact,
      rect: rectOf (range),
    };
  }

  function rectOfMark (id) {
    const p = painted.get (id);
    if (p === undefined)
      return null;
    return rectOf (p.range);
  }

  function postSelection (how) {
    const s = selection ();
    if (s === null || s.mark !== undefined)
      return;
    s.type = 'selection';
    s.how = how;
    s.token = token;
    post (s);
  }

  let listening = false;

  function listen () {
    if (listening)
      return;
    listening = true;

    document.addEventListener ('selectionchange', () => {
      if (token === null)
        return;
      const sel = window.getSelection ();
      if (sel !== null && sel.rangeCount > 0 && !sel.isCollapsed)
        kept = sel.getRangeAt (0).cloneRange ();
    });
    document.addEventListener ('mousedown', forget, true);
    document.addEventListener ('keydown', forget, true);
    /* The text moves without a DOM change (the window, fonts, images
     * arriving, a box scrolled inside the page): the markers follow. */
    window.addEventListener ('resize', placeMarkersSoon);
    document.addEventListener ('load', placeMarkersSoon, true);
    document.addEventListener ('scroll', event => {
      if (event.target !== document)
        placeMarkersSoon ();
    }, true);
    if (document.fonts && document.fonts.ready)
      document.fonts.ready.then (placeMarkersSoon);

    document.addEventListener ('mouseup', event => {
      /* The page can dispatch events of its own making: only the user's
       * own clicks open anything. */
      if (event.button !== 0 || token === null || !event.isTrusted)
        return;
      const x = event.clientX;
      const y = event.clientY;
      const target = event.target;
      setTimeout (() => {
        const sel = window.getSelection ();
        if (sel !== null && !sel.isCollapsed)
          {
            postSelection ('mouse');
            return;
          }
        /* A link inside a highlight is followed, not edited. */
        if (target && target.closest && target.closest ('a[href]') !== null)
          return;
        const ids = marksAt (x, y);
        if (ids.length > 0)
          post ({ type: 'mark-clicked', token: token, id: ids[0], rect: rectOfMark (ids[0]) });
      }, 0);
    }, true);
  }

  function scrollTo (id, doFlash, instant) {
    const p = painted.get (id);
    if (p === undefined)
      return false;
    const rect = p.range.getBoundingClientRect ();
    window.scrollBy ({
      top: rect.top + rect.height / 2 - window.innerHeight / 2,
      behavior: instant === true ? 'instant' : 'smooth',
    });
    if (doFlash)
      {
        if (flash === null)
          flash = new Highlight ();
        CSS.highlights.set ('gloss-flash', flash);
        flash.clear ();
        flash.add (p.range);
        setTimeout (() => flash.delete (p.range), 1500);
      }
    return true;
  }

  function select (start, end) {
    const range = makeRange (start, end);
    if (range === null)
      return false;
    const sel = window.getSelection ();
    sel.removeAllRanges ();
    sel.addRange (range);
    kept = range.cloneRange ();
    return true;
  }

  window.glossHighlight = {
    live: true,

    /* Gloss shows a clip for this page: the text, for C to anchor in;
     * later changes are posted as 'live-text' messages with @t. */
    start: function (t) {
      token = String (t);
      listen ();
      observer.disconnect ();
      observer.observe (document.documentElement, { childList: true, subtree: true, characterData: true });
      resized.disconnect ();
      if (document.body !== null)
        resized.observe (document.body);
      const begin = performance.now ();
      lastText = extract ();
      timing.extract = performance.now () - begin;
      return lastText.length <= MAX_TEXT ? lastText : null;
    },
    /* No clip any more: every highlight and marker goes. */
    stop: function () {
      token = null;
      observer.disconnect ();
      resized.disconnect ();
      if (timer !== 0)
        clearTimeout (timer);
      timer = 0;
      clearAll ();
      kept = null;
      return true;
    },
    /* What an unclipped page's selection is, to highlight once clipped:
     * the quote and up to 32 code points around it, from the live text. */
    capture: function () {
      const s = selection ();
      const text = lastText;
      if (s === null || s.mark !== undefined)
        return null;
      const before = cpSlice (text, Math.max (0, s.start - 32), s.start);
      const after = cpSlice (text, s.end, s.end + 32);
      return { start: s.start, end: s.end, exact: s.exact, prefix: before, suffix: after };
    },
    sync: sync,
    paint: function (list) {
      if (!Array.isArray (list))
        return 0;
      let n = 0;
      for (const h of list)
        if (isValid (h) && paintOne (clean (h)))
          n++;
      placeMarkers ();
      return n;
    },
    unpaint: function (id) {
      const n = unpaint (id);
      placeMarkers ();
      return n;
    },
    unpaintAll: function () {
      const n = painted.size;
      for (const id of Array.from (painted.keys ()))
        unpaint (id);
      placeMarkers ();
      return n;
    },
    repaint: function (h) {
      if (!isValid (h))
        return 0;
      unpaint (h.id);
      const n = paintOne (clean (h)) ? 1 : 0;
      placeMarkers ();
      return n;
    },
    setColor: function (id, color) {
      const p = painted.get (id);
      if (p === undefined || !COLORS.includes (color))
        return 0;
      highlightOf (p.color).delete (p.range);
      p.color = color;
      highlightOf (color).add (p.range);
      return 1;
    },
    setNote: function (id, hasNote) {
      const p = painted.get (id);
      if (p === undefined)
        return false;
      p.note = hasNote === true;
      placeMarkers ();
      return true;
    },
    scrollTo: scrollTo,
    select: select,
    selection: selection,
    highlightSelection: function (pendingId, color) {
      const s = selection ();
      if (s === null || s.mark !== undefined || !isValid ({ id: pendingId, start: s.start, end: s.end }))
        return s;
      /* Inside one highlight: that one is offered, nothing painted. */
      for (const p of painted.values ())
        if (p.start <= s.start && s.end <= p.end)
          return s;
      paintOne (clean ({ id: pendingId, start: s.start, end: s.end, color: color, note: false }));
      this.caretAtEnd (pendingId);
      s.pending = pendingId;
      return s;
    },
    rename: function (from, to) {
      if (!ID_RE.test (String (to)))
        return 0;
      const p = painted.get (from);
      if (p === undefined)
        return 0;
      painted.delete (from);
      painted.set (to, p);
      return 1;
    },
    caretAtEnd: function (id) {
      const sel = window.getSelection ();
      const p = painted.get (id);
      if (sel === null)
        return false;
      forget ();
      sel.removeAllRanges ();
      if (p === undefined)
        return false;
      try {
        sel.collapse (p.range.endContainer, p.range.endOffset);
      } catch (e) {
        return false;
      }
      return true;
    },
    rectOf: rectOfMark,
    preloaded: function () {
      return '';
    },
    /* For the benchmark: how long the last text walk and paint took. */
    timing: function () {
      return JSON.stringify (timing);
    },
    /* For tests: what each highlight covers, its colour, whether it has
     * a note marker, and which range object paints it (a serial number). */
    painted: function () {
      const out = {};
      for (const [id, p] of painted)
        out[id] = {
          text: p.range.toString (),
          color: CSS.highlights.get ('gloss-' + p.color) !== undefined &&
                 CSS.highlights.get ('gloss-' + p.color).has (p.range) ? p.color : null,
          note: p.note,
          serial: p.serial,
        };
      out['#markers'] = shadow === null ? 0 : shadow.querySelectorAll ('span').length;
      return out;
    },
  };
}) ();
