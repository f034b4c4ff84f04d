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
 * Painting, hit-testing clicks and note markers are gloss-paint.js's, as
 * in the reader: the page's DOM is never changed (no split text nodes
 * under the page's own scripts, no frameworks confused, nothing for a
 * MutationObserver to see), and the ranges, their ids and the notes'
 * existence live only in this world's closures. The colours are a user
 * style sheet (highlight.css): a user-level !important rule outranks
 * anything the page's own CSS says about them. */

(function () {
  'use strict';

  if (window.glossHighlight && window.glossHighlight.live === true)
    return;

  const handler = window.webkit.messageHandlers.gloss;
  const post = handler.postMessage.bind (handler);
  /* Elements whose text is not shown as text. */
  const SKIP = new Set (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA',
                         'IFRAME', 'OBJECT']);
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
  const painter = glossPaint.painter ();
  const timing = { extract: 0, sync: 0 };  /* the last ones, in ms */

  const { cpLength, cpToUnit, cpSlice } = glossText;
  const { isValid, clean, rectOf } = glossPaint;

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

  /* Whether @p's range still covers [start, end) of the text last sent
   * (a live range follows the DOM as the page changes). */
  function stillAt (p, start, end) {
    if (p.range.collapsed && start < end)
      return false;
    return offsetOf (p.range.startContainer, p.range.startOffset) === start &&
           offsetOf (p.range.endContainer, p.range.endOffset) === end;
  }

  function paintOne (h) {
    const p = painter.get (h.id);
    if (p !== undefined && p.color === h.color && stillAt (p, h.start, h.end))
      {
        p.start = h.start;
        p.end = h.end;
        painter.setNote (h.id, h.note);
        return false;
      }
    painter.remove (h.id);
    const range = makeRange (h.start, h.end);
    if (range === null)
      return false;
    painter.add (h, range);
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
    for (const id of painter.ids ())
      if (!wanted.has (id))
        painter.remove (id);
    painter.placeMarkers ();
    /* The page changed while C anchored: send the text again. */
    if (dirty)
      schedule ();
    timing.sync = performance.now () - begin;
    return fresh;
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
    painter.placeMarkersSoon ();
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

  /* The selection, kept across WebKit's X11 PRIMARY handling, while
   * the page shows a clip. */
  const keeper = glossPaint.selectionKeeper (() => token !== null);

  function markAtCaret (sel) {
    if (sel === null || sel.rangeCount === 0 || !sel.isCollapsed)
      return null;
    const at = offsetOf (sel.anchorNode, sel.anchorOffset);
    const id = at < 0 ? null : painter.around (at);
    return id === null ? null : { mark: id, rect: painter.rectOf (id) };
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
    if (sel.isCollapsed && !keeper.restore (sel))
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

    keeper.listen ();

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
        const ids = painter.at (x, y);
        if (ids.length > 0)
          post ({ type: 'mark-clicked', token: token, id: ids[0], rect: painter.rectOf (ids[0]) });
      }, 0);
    }, true);
  }

  function select (start, end) {
    const range = makeRange (start, end);
    if (range === null)
      return false;
    const sel = window.getSelection ();
    sel.removeAllRanges ();
    sel.addRange (range);
    keeper.keep (range);
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
      painter.watchLayout ();
      const begin = performance.now ();
      lastText = extract ();
      timing.extract = performance.now () - begin;
      return lastText.length <= MAX_TEXT ? lastText : null;
    },
    /* No clip any more: every highlight and marker goes. */
    stop: function () {
      token = null;
      observer.disconnect ();
      if (timer !== 0)
        clearTimeout (timer);
      timer = 0;
      painter.clear ();
      keeper.forget ();
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
      painter.placeMarkers ();
      return n;
    },
    unpaint: function (id) {
      const n = painter.remove (id) ? 1 : 0;
      painter.placeMarkers ();
      return n;
    },
    unpaintAll: function () {
      const n = painter.removeAll ();
      painter.placeMarkers ();
      return n;
    },
    repaint: function (h) {
      if (!isValid (h))
        return 0;
      painter.remove (h.id);
      const n = paintOne (clean (h)) ? 1 : 0;
      painter.placeMarkers ();
      return n;
    },
    setColor: painter.setColor,
    setNote: function (id, hasNote) {
      const done = painter.setNote (id, hasNote);
      painter.placeMarkers ();
      return done;
    },
    scrollTo: painter.scrollTo,
    select: select,
    selection: selection,
    highlightSelection: function (pendingId, color) {
      const s = selection ();
      if (s === null || s.mark !== undefined || !isValid ({ id: pendingId, start: s.start, end: s.end }))
        return s;
      /* Inside one highlight: that one is offered, nothing painted. */
      if (painter.covers (s.start, s.end))
        return s;
      paintOne (clean ({ id: pendingId, start: s.start, end: s.end, color: color, note: false }));
      this.caretAtEnd (pendingId);
      s.pending = pendingId;
      return s;
    },
    rename: painter.rename,
    caretAtEnd: function (id) {
      keeper.forget ();
      return painter.caretAtEnd (id);
    },
    rectOf: painter.rectOf,
    preloaded: function () {
      return '';
    },
    /* For the benchmark: how long the last text walk and paint took. */
    timing: function () {
      return JSON.stringify (timing);
    },
    painted: painter.painted,
  };
}) ();
