/* gloss-highlight.js
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs in the private script world "gloss" in the reader. It only converts
 * between DOM ranges and positions and paints (DESIGN.md step 4): C owns
 * the annotations, computes quotes and anchors them against article.txt.
 *
 * Positions count Unicode code points into the article root's textContent
 * (FORMAT.md "Text and positions"), while JavaScript strings count UTF-16
 * units, so every conversion goes through cpLength() and cpToUnit().
 *
 * A highlight is a Range painted with the CSS Custom Highlight API by
 * gloss-paint.js, as on the live page, and the article's DOM is never
 * changed. It used to be <mark> elements around each piece of text: each
 * new highlight then split text nodes, which cost the web process a style
 * recalculation, a layout and a repaint of much of the view, where a
 * custom highlight repaints only the text it covers. The reader's page
 * runs no script of its own and nothing here changes its article, so the
 * article's text nodes are indexed once. */

(function () {
  'use strict';

  const handler = window.webkit.messageHandlers.gloss;
  const post = handler.postMessage.bind (handler);
  const painter = glossPaint.painter ({ cull: true });

  function root () {
    return document.getElementById ('gloss-article');
  }

  const { cpLength, cpToUnit } = glossText;
  const { isValid, clean, rectOf } = glossPaint;

  /* Every text node under the article root with its code-point start,
   * in document order. */
  let indexed = null;

  function textNodes () {
    const r = root ();
    if (r === null)
      return [];
    if (indexed !== null && indexed.root === r)
      return indexed.nodes;

    const nodes = [];
    const walker = document.createTreeWalker (r, NodeFilter.SHOW_TEXT);
    let offset = 0;
    for (let node = walker.nextNode (); node !== null; node = walker.nextNode ())
      {
        const length = cpLength (node.data);
        nodes.push ({ node: node, start: offset, end: offset + length });
        offset += length;
      }
    indexed = { root: r, nodes: nodes };
    return nodes;
  }

  /* The DOM boundary of code point @cp, or null: a start is in the first
   * node that goes on after it, an end in the first that reaches it (the
   * end of a node rather than the start of the next). */
  function boundary (nodes, cp, isEnd) {
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi)
      {
        const mid = (lo + hi) >> 1;
        if (isEnd ? nodes[mid].end >= cp : nodes[mid].end > cp)
          hi = mid;
        else
          lo = mid + 1;
      }
    if (lo === nodes.length)
      return null;
    const n = nodes[lo];
    return [n.node, cpToUnit (n.node.data, Math.max (0, cp - n.start))];
  }

  /* A range over code points [start, end) of the article, or null. */
  function makeRange (start, end) {
    const nodes = textNodes ();
    const from = boundary (nodes, start, false);
    const to = boundary (nodes, end, true);
    if (from === null || to === null)
      return null;
    const range = document.createRange ();
    range.setStart (from[0], from[1]);
    range.setEnd (to[0], to[1]);
    return range;
  }

  /* The code-point offset of a DOM boundary point, or -1. */
  function offsetOf (container, offset) {
    const r = root ();
    const range = document.createRange ();
    range.setStart (r, 0);
    range.setEnd (container, offset);
    return cpLength (range.toString ());
  }

  /* The highlight the caret is in (caret browsing), or null. */
  function markAtCaret (sel) {
    const r = root ();
    if (r === null || sel === null || sel.rangeCount === 0 || !sel.isCollapsed ||
        !r.contains (sel.anchorNode))
      return null;
    const id = painter.around (offsetOf (sel.anchorNode, sel.anchorOffset));
    return id === null ? null : { mark: id, rect: painter.rectOf (id) };
  }

  /* The selection, kept across WebKit's X11 PRIMARY handling. */
  const keeper = glossPaint.selectionKeeper ();
  keeper.listen ();

  /* The selection inside the article as code points; for a caret inside
   * a highlight, that highlight; else null. */
  function selection () {
    const r = root ();
    const sel = window.getSelection ();
    if (r === null || sel === null || sel.rangeCount === 0)
      return null;
    if (sel.isCollapsed && !keeper.restore (sel))
      return markAtCaret (sel);

    const range = sel.getRangeAt (0).cloneRange ();
    const all = document.createRange ();
    all.selectNodeContents (r);

    /* Only the part inside the article counts. */
    if (range.compareBoundaryPoints (Range.END_TO_START, all) >= 0 ||
        range.compareBoundaryPoints (Range.START_TO_END, all) <= 0)
      return null;
    if (range.compareBoundaryPoints (Range.START_TO_START, all) < 0)
      range.setStart (all.startContainer, all.startOffset);
    if (range.compareBoundaryPoints (Range.END_TO_END, all) > 0)
      range.setEnd (all.endContainer, all.endOffset);

    const start = offsetOf (range.startContainer, range.startOffset);
    const exact = range.toString ();
    if (exact.length === 0)
      return null;

    return {
      start: start,
      end: start + cpLength (exact),
      exact: exact,
      rect: rectOf (range),
    };
  }

  /* Paints each of @list; the number painted. */
  function paint (list) {
    if (!Array.isArray (list))
      return 0;
    let n = 0;
    for (const h of list)
      if (isValid (h))
        {
          const c = clean (h);
          const range = makeRange (c.start, c.end);
          if (range === null)
            continue;
          painter.add (c, range);
          n++;
        }
    painter.updateMarkers ();
    return n;
  }

  /* Selects [start, end) so that the keyboard user can act on it; with
   * @scroll, brings it into view. */
  function select (start, end, scroll) {
    const range = makeRange (start, end);
    if (range === null)
      return false;
    const sel = window.getSelection ();
    sel.removeAllRanges ();
    sel.addRange (range);
    keeper.keep (range);
    if (scroll === true && range.startContainer.parentElement !== null)
      range.startContainer.parentElement.scrollIntoView ({ block: 'center' });
    return true;
  }

  function postSelection (how) {
    const s = selection ();
    if (s === null)
      return;
    s.type = 'selection';
    s.how = how;
    post (s);
  }

  document.addEventListener ('mouseup', event => {
    if (event.button !== 0)
      return;
    /* Let the click finish selecting (a double click selects a word). */
    setTimeout (() => {
      const sel = window.getSelection ();
      if (sel !== null && !sel.isCollapsed)
        {
          postSelection ('mouse');
          return;
        }

      const target = event.target;
      /* A link inside a highlight is followed, not edited. */
      if (target && target.closest && target.closest ('a[href]') !== null)
        return;
      const r = root ();
      if (r === null || !r.contains (target))
        return;
      const ids = painter.at (event.clientX, event.clientY);
      if (ids.length > 0)
        post ({ type: 'mark-clicked', id: ids[0], rect: painter.rectOf (ids[0]) });
    }, 0);
  });

  /* The note markers follow the text as the window, fonts, images and
   * the reader's style change it. */
  painter.watchLayout ();

  /* A highlight is clicked to open it: the pointer says so over one, as
   * it did over the <mark>s. Hit-tested once a frame at most; the style
   * changes only when the pointer goes onto or off a highlight. */
  let hovering = false;
  let pointer = null;
  let pointing = 0;

  document.addEventListener ('mousemove', event => {
    pointer = [event.clientX, event.clientY];
    if (pointing !== 0)
      return;
    pointing = requestAnimationFrame (() => {
      pointing = 0;
      const over = painter.at (pointer[0], pointer[1]).length > 0;
      if (over !== hovering)
        {
          hovering = over;
          /* An attribute, not a class: the note markers follow the
           * root's classes (the dark style), not this. */
          document.documentElement.toggleAttribute ('data-gloss-pointer', over);
        }
    });
  }, { passive: true });

  let preloadedToken = '';

  window.glossHighlight = {
    selection: selection,
    paint: paint,
    unpaint: function (id) {
      const n = painter.remove (id) ? 1 : 0;
      painter.updateMarkers ();
      return n;
    },
    /* Paints the stored highlights as the page is built (a user script
     * that C adds before loading clip @clipId) and remembers @token, which
     * C asks for with preloaded () once the page has said it is loaded: an
     * answer always comes, where a message sent from here could be
     * dropped with a page or process that goes away. */
    preload: function (clipId, token, list) {
      if (document.location.protocol !== 'gloss-clip:' || document.location.host !== clipId)
        return false;
      paint (list);
      preloadedToken = String (token);
      return true;
    },
    preloaded: function () {
      return preloadedToken;
    },
    unpaintAll: function () {
      const n = painter.removeAll ();
      painter.updateMarkers ();
      return n;
    },
    setColor: painter.setColor,
    setNote: function (id, hasNote) {
      const done = painter.setNote (id, hasNote);
      painter.updateMarkers ();
      return done;
    },
    /* Replaces one highlight: after a colour, note or target change. */
    repaint: function (h) {
      if (!isValid (h))
        return 0;
      painter.remove (h.id);
      return paint ([h]);
    },
    scrollTo: painter.scrollTo,
    select: select,
    /* Paints the selection at once under a provisional id, in the same
     * call that reads it: C then checks it, makes the annotation, writes
     * the file and renames the marks (or removes them, if it says no). A
     * selection inside one highlight is not painted: it offers that one. */
    highlightSelection: function (pendingId, color) {
      const s = selection ();
      if (s === null || s.mark !== undefined || !isValid ({ id: pendingId, start: s.start, end: s.end }))
        return s;

      /* Inside one highlight: that one is offered, nothing painted. */
      if (painter.covers (s.start, s.end))
        return s;

            paint ([{ id: pendingId, start: s.start, end: s.end, color: color, note: false }]);
      this.caretAtEnd (pendingId);
      s.pending = pendingId;
      return s;
    },

    rename: painter.rename,

    /* The selection gives way to a caret at the end of the new highlight,
     * inside it, so that with caret browsing Ctrl+H again offers it. */
    caretAtEnd: function (id) {
      keeper.forget ();
      return painter.caretAtEnd (id);
    },
    rectOf: painter.rectOf,
    /* For tests (gloss-paint.js). */
    painted: painter.painted,
    flashing: painter.flashing,
  };
}) ();
