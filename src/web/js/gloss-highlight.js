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
 * A highlight is one <mark class="gloss-hl gloss-COLOR" data-id=ID> around
 * each piece of text it covers; overlapping highlights nest their marks.
 * Marks hold no text of their own (the note marker is a CSS ::after), so
 * the article's textContent, and with it every position, stays the same. */

(function () {
  'use strict';

  const handler = window.webkit.messageHandlers.gloss;
  const post = handler.postMessage.bind (handler);
  const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'];
  /* Where a <mark> around whitespace would break the layout. */
  const NO_MARK_PARENTS = new Set (['TABLE', 'THEAD', 'TBODY', 'TFOOT', 'TR',
                                    'UL', 'OL', 'DL', 'SELECT', 'COLGROUP']);
  /* Whose text is not shown as text: a <mark> inside would break them. */
  const RAW_PARENTS = new Set (['SCRIPT', 'STYLE', 'TEXTAREA', 'NOSCRIPT',
                                'TEMPLATE', 'TITLE', 'OPTION']);

  function root () {
    return document.getElementById ('gloss-article');
  }

  const { cpLength, cpToUnit } = glossText;

  /* Every text node under the article root with its code-point start. */
  function textNodes () {
    const r = root ();
    const nodes = [];
    if (r === null)
      return nodes;

    const walker = document.createTreeWalker (r, NodeFilter.SHOW_TEXT);
    let offset = 0;
    for (let node = walker.nextNode (); node !== null; node = walker.nextNode ())
      {
        const length = cpLength (node.data);
        nodes.push ({ node: node, start: offset, end: offset + length });
        offset += length;
      }
    return nodes;
  }

  /* The code-point offset of a DOM boundary point, or -1. */
  function offsetOf (container, offset) {
    const r = root ();
    const range = document.createRange ();
    range.setStart (r, 0);
    range.setEnd (container, offset);
    return cpLength (range.toString ());
  }

  function rectOf (range) {
    const rect = range.getBoundingClientRect ();
    return { x: rect.left, y: rect.top, width: rect.width, height: rect.height };
  }

  /* The highlight the caret is in (caret browsing), or null. */
  function markAtCaret (sel) {
    if (sel === null || sel.rangeCount === 0 || !sel.isCollapsed)
      return null;
    let node = sel.anchorNode;
    if (node !== null && node.nodeType !== Node.ELEMENT_NODE)
      node = node.parentElement;
    const mark = node && node.closest ? node.closest ('mark.gloss-hl') : null;
    if (mark === null || root () === null || !root ().contains (mark))
      return null;
    return { mark: mark.dataset.id, rect: rectOfMark (mark.dataset.id) };
  }

  /* The passage the user selected, kept across WebKit's X11 primary
   * selection handling: when the PRIMARY clipboard changes hands (another
   * program takes it, or WebKit's own quick successive writes of it race
   * each other) WebKitGTK collapses the page's selection to its end
   * (WebPage::collapseSelectionInFrame), with no input from the user. A
   * Ctrl+H that follows then found only a caret and nothing to highlight;
   * so the last range selected is kept until the user does something that
   * moves the selection (a press of a mouse button or a key), or we move
   * it ourselves, and a caret left at its end by such a collapse stands
   * for it. */
  let kept = null;

  function forget () {
    kept = null;
  }

  document.addEventListener ('selectionchange', () => {
    const sel = window.getSelection ();
    if (sel !== null && sel.rangeCount > 0 && !sel.isCollapsed)
      kept = sel.getRangeAt (0).cloneRange ();
  });
  document.addEventListener ('mousedown', forget, true);
  document.addEventListener ('keydown', forget, true);

  /* A caret exactly where the kept range ends (or starts) was left by
   * that collapse: the range is selected again, as the user left it. */
  function restoreKept (sel) {
    if (kept === null || !sel.isCollapsed || sel.rangeCount === 0)
      return false;
    const caret = sel.getRangeAt (0);
    const atEnd = caret.compareBoundaryPoints (Range.END_TO_END, kept) === 0;
    const atStart = caret.compareBoundaryPoints (Range.START_TO_START, kept) === 0;
    if (!atEnd && !atStart)
      return false;
    const range = kept;
    sel.removeAllRanges ();
    sel.addRange (range);
    kept = range;
    return true;
  }

  /* The selection inside the article as code points; for a caret inside
   * a highlight, that highlight; else null. */
  function selection () {
    const r = root ();
    const sel = window.getSelection ();
    if (r === null || sel === null || sel.rangeCount === 0)
      return null;
    if (sel.isCollapsed && !restoreKept (sel))
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

  function wrap (node, id, color, className) {
    const mark = document.createElement ('mark');
    mark.className = 'gloss-hl gloss-' + color + (className ? ' ' + className : '');
    mark.dataset.id = id;
    node.parentNode.insertBefore (mark, node);
    mark.appendChild (node);
    return mark;
  }

  function isValid (h) {
    return h !== null && typeof h === 'object' &&
           typeof h.id === 'string' && /^[0-9a-z-]{1,64}$/.test (h.id) &&
           Number.isInteger (h.start) && Number.isInteger (h.end) &&
           h.start >= 0 && h.end > h.start;
  }

  function updateNoteMarker (id, hasNote) {
    const marks = marksOf (id);
    marks.forEach (m => m.classList.remove ('gloss-has-note'));
    if (hasNote && marks.length > 0)
      marks[marks.length - 1].classList.add ('gloss-has-note');
  }

  function marksOf (id) {
    const r = root ();
    if (r === null)
      return [];
    /* Ids are [0-9a-z-] (checked by isValid or by C): safe in a selector. */
    if (!/^[0-9a-z-]{1,64}$/.test (String (id)))
      return [];
    return Array.from (r.querySelectorAll ('mark.gloss-hl[data-id="' + id + '"]'));
  }

  /* Paints several highlights in one pass over the text: each text node is
   * split at every boundary inside it, then each piece is wrapped once per
   * highlight that covers it. */
  function paint (list) {
    if (!Array.isArray (list))
      return 0;

    const highlights = list.filter (isValid).map (h => ({
      id: h.id,
      start: h.start,
      end: h.end,
      color: COLORS.includes (h.color) ? h.color : 'yellow',
      note: h.note === true,
    }));
    if (highlights.length === 0)
      return 0;

    highlights.sort ((a, b) => a.start - b.start);
    const nodes = textNodes ();
    const work = new Map ();

    /* Sweep: highlights in start order against nodes in document order. */
    let first = 0;
    for (const h of highlights)
      {
        while (first < nodes.length && nodes[first].end <= h.start)
          first++;
        for (let i = first; i < nodes.length && nodes[i].start < h.end; i++)
          {
            const n = nodes[i];
            if (n.end === n.start)
              continue;
            let list = work.get (i);
            if (list === undefined)
              work.set (i, list = []);
            list.push (h);
          }
      }

    /* In document order, so that the last mark of each is known. */
    const lastMarks = new Map ();
    const order = Array.from (work.keys ()).sort ((a, b) => a - b);
    for (const i of order)
      {
        const hs = work.get (i);
        const n = nodes[i];
        const parent = n.node.parentNode;
        const parentName = parent ? parent.nodeName : '';

        /* Nor inside SVG or MathML, where an HTML <mark> means nothing. */
        if (parent === null || RAW_PARENTS.has (parentName) ||
            parent.namespaceURI !== 'http://www.w3.org/1999/xhtml')
          continue;

        const cuts = new Set ([n.start, n.end]);
        for (const h of hs)
          {
            cuts.add (Math.max (n.start, h.start));
            cuts.add (Math.min (n.end, h.end));
          }
        const points = Array.from (cuts).sort ((a, b) => a - b);
        const text = n.node.data;

        /* Split from the end so that earlier unit offsets stay valid. */
        const pieces = [];
        const node = n.node;
        for (let p = points.length - 2; p >= 0; p--)
          {
            const from = cpToUnit (text, points[p] - n.start);
            const piece = from > 0 ? node.splitText (from) : node;
            pieces.unshift ({ node: piece, start: points[p], end: points[p + 1] });
          }

        for (const piece of pieces)
          {
            if (NO_MARK_PARENTS.has (parentName) && piece.node.data.trim () === '')
              continue;
            for (const h of hs)
              if (h.start <= piece.start && piece.end <= h.end)
                lastMarks.set (h.id, wrap (piece.node, h.id, h.color, null));
          }
      }

    /* The note marker goes on each highlight's last piece. */
    for (const h of highlights)
      if (h.note && lastMarks.has (h.id))
        lastMarks.get (h.id).classList.add ('gloss-has-note');

    return highlights.length;
  }

  function unpaint (id) {
    const marks = marksOf (id);
    const parents = new Set ();
    for (const mark of marks)
      {
        const parent = mark.parentNode;
        while (mark.firstChild !== null)
          parent.insertBefore (mark.firstChild, mark);
        parent.removeChild (mark);
        parents.add (parent);
      }
    parents.forEach (p => p.normalize ());
    return marks.length;
  }

  function unpaintAll () {
    const r = root ();
    if (r === null)
      return 0;
    const ids = new Set (Array.from (r.querySelectorAll ('mark.gloss-hl')).map (m => m.dataset.id));
    ids.forEach (unpaint);
    return ids.size;
  }

  function setColor (id, color) {
    if (!COLORS.includes (color))
      return 0;
    const marks = marksOf (id);
    for (const mark of marks)
      {
        COLORS.forEach (c => mark.classList.remove ('gloss-' + c));
        mark.classList.add ('gloss-' + color);
      }
    return marks.length;
  }

  function scrollTo (id, flash, instant) {
    const marks = marksOf (id);
    if (marks.length === 0)
      return false;
    marks[0].scrollIntoView ({ block: 'center', behavior: instant === true ? 'instant' : 'smooth' });
    if (flash)
      for (const mark of marks)
        {
          mark.classList.remove ('gloss-flash');
          /* Restart the animation. */
          void mark.offsetWidth;
          mark.classList.add ('gloss-flash');
          setTimeout (() => mark.classList.remove ('gloss-flash'), 1500);
        }
    return true;
  }

  /* Selects [start, end) so that the keyboard user can act on it; with
   * @scroll, brings it into view. */
  function select (start, end, scroll) {
    const nodes = textNodes ();
    let from = null;
    let to = null;
    for (const n of nodes)
      {
        if (from === null && start < n.end)
          from = [n.node, cpToUnit (n.node.data, Math.max (0, start - n.start))];
        if (end <= n.end)
          {
            to = [n.node, cpToUnit (n.node.data, Math.max (0, end - n.start))];
            break;
          }
      }
    if (from === null || to === null)
      return false;
    const range = document.createRange ();
    range.setStart (from[0], from[1]);
    range.setEnd (to[0], to[1]);
    const sel = window.getSelection ();
    sel.removeAllRanges ();
    sel.addRange (range);
    kept = range.cloneRange ();
    if (scroll === true && from[0].parentElement !== null)
      from[0].parentElement.scrollIntoView ({ block: 'center' });
    return true;
  }

  function rectOfMark (id) {
    const marks = marksOf (id);
    if (marks.length === 0)
      return null;
    const range = document.createRange ();
    range.setStartBefore (marks[0]);
    range.setEndAfter (marks[marks.length - 1]);
    return rectOf (range);
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
      const mark = target && target.closest ? target.closest ('mark.gloss-hl') : null;
      if (mark !== null && root () !== null && root ().contains (mark))
        post ({ type: 'mark-clicked', id: mark.dataset.id, rect: rectOfMark (mark.dataset.id) });
    }, 0);
  });

  let preloadedToken = '';

  window.glossHighlight = {
    selection: selection,
    paint: paint,
    unpaint: unpaint,
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
    unpaintAll: unpaintAll,
    setColor: setColor,
    setNote: function (id, hasNote) {
      updateNoteMarker (id, hasNote === true);
      return true;
    },
    /* Replaces one highlight: after a colour, note or target change. */
    repaint: function (h) {
      if (!isValid (h))
        return 0;
      unpaint (h.id);
      return paint ([h]);
    },
    scrollTo: scrollTo,
    select: select,
    /* Paints the selection at once under a provisional id, in the same
     * call that reads it: C then checks it, makes the annotation, writes
     * the file and renames the marks (or removes them, if it says no). A
     * selection inside one highlight is not painted: it offers that one. */
    highlightSelection: function (pendingId, color) {
      const s = selection ();
      if (s === null || s.mark !== undefined || !isValid ({ id: pendingId, start: s.start, end: s.end }))
        return s;

      const sel = window.getSelection ();
      const range = sel.getRangeAt (0);
      const markOf = node => {
        const e = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
        return e && e.closest ? e.closest ('mark.gloss-hl') : null;
      };
      const a = markOf (range.startContainer);
      const b = markOf (range.endContainer);
      if (a !== null && b !== null && a.dataset.id === b.dataset.id)
        return s;

      paint ([{ id: pendingId, start: s.start, end: s.end, color: color, note: false }]);
      this.caretAtEnd (pendingId);
      s.pending = pendingId;
      return s;
    },

    rename: function (from, to) {
      if (!/^[0-9a-z-]{1,64}$/.test (String (to)))
        return 0;
      const marks = marksOf (from);
      marks.forEach (m => { m.dataset.id = to; });
      return marks.length;
    },

    /* The selection gives way to a caret at the end of the new highlight,
     * inside it, so that with caret browsing Ctrl+H again offers it. */
    caretAtEnd: function (id) {
      const sel = window.getSelection ();
      const marks = marksOf (id);
      if (sel === null)
        return false;
      forget ();
      sel.removeAllRanges ();
      if (marks.length === 0)
        return false;
      const walker = document.createTreeWalker (marks[marks.length - 1], NodeFilter.SHOW_TEXT);
      let last = null;
      for (let n = walker.nextNode (); n !== null; n = walker.nextNode ())
        last = n;
      if (last === null)
        return false;
      sel.collapse (last, last.data.length);
      return true;
    },
    rectOf: rectOfMark,
    /* For tests: the text each highlight's marks cover, by id. */
    painted: function () {
      const r = root ();
      const out = {};
      if (r === null)
        return out;
      /* Walk text nodes in order and give each to every mark around it. */
      const walker = document.createTreeWalker (r, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode (); node !== null; node = walker.nextNode ())
        for (let e = node.parentElement; e !== null && e !== r; e = e.parentElement)
          if (e.nodeName === 'MARK' && e.classList.contains ('gloss-hl'))
            out[e.dataset.id] = (out[e.dataset.id] || '') + node.data;
      return out;
    },
  };
}) ();
