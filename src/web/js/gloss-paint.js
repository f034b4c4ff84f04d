/* gloss-paint.js
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Painting highlights, shared by the reader (gloss-highlight.js) and the
 * live page (gloss-live.js), in the private script world "gloss".
 *
 * Highlights are painted with the CSS Custom Highlight API, not <mark>
 * elements: the DOM is never changed, so painting one costs the engine
 * no style recalculation, no layout and no repaint beyond the text it
 * covers, and nothing under the page's own scripts moves. The ranges,
 * their ids and which have notes live only in this world's closures;
 * clicks are hit-tested here. Note markers are dots in a closed shadow
 * root of one element outside <body> (and outside the reader's article):
 * no text, so no position changes. The colours are user style sheets
 * (highlight.css, and highlight-reader.css for the reader's dark style).
 *
 * Each script makes one painter with glossPaint.painter () and gives it
 * Range objects; positions and how ranges are made stay with the
 * script, which knows its own text. */

var glossPaint = glossPaint || (function () {
  'use strict';

  const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'];
  const ID_RE = /^[0-9a-z-]{1,64}$/;

  function isValid (h) {
    return h !== null && typeof h === 'object' &&
           typeof h.id === 'string' && ID_RE.test (h.id) &&
           Number.isInteger (h.start) && Number.isInteger (h.end) &&
           h.start >= 0 && h.end > h.start;
  }

  /* A valid highlight with only what is painted of it. */
  function clean (h) {
    return {
      id: h.id,
      start: h.start,
      end: h.end,
      color: COLORS.includes (h.color) ? h.color : 'yellow',
      note: h.note === true,
    };
  }

  function rectOf (range) {
    const rect = range.getBoundingClientRect ();
    return { x: rect.left, y: rect.top, width: rect.width, height: rect.height };
  }

  /* The passage the user selected, kept across WebKit's X11 primary
   * selection handling: when the PRIMARY clipboard changes hands (another
   * program takes it, or WebKit's own quick successive writes of it race
   * each other) WebKitGTK collapses the page's selection to its end
   * (WebPage::collapseSelectionInFrame), with no input from the user. A
   * Ctrl+H that follows then found only a caret and nothing to highlight;
   * so the last range selected is kept until the user does something that
   * moves the selection (a press of a mouse button or a key), or the
   * script moves it itself, and a caret left at its end by such a
   * collapse stands for it. @active, when given, says whether a
   * selection is to be kept now (the live page keeps none while it shows
   * no clip). */
  function selectionKeeper (active) {
    let kept = null;
    let listening = false;

    function forget () {
      kept = null;
    }

    return {
      listen: function () {
        if (listening)
          return;
        listening = true;
        document.addEventListener ('selectionchange', () => {
          if (active !== undefined && !active ())
            return;
          const sel = window.getSelection ();
          if (sel !== null && sel.rangeCount > 0 && !sel.isCollapsed)
            kept = sel.getRangeAt (0).cloneRange ();
        });
        document.addEventListener ('mousedown', forget, true);
        document.addEventListener ('keydown', forget, true);
      },
      forget: forget,
      /* The script selected @range itself. */
      keep: function (range) {
        kept = range.cloneRange ();
      },
      /* A caret exactly where the kept range ends (or starts) was left by
       * that collapse: the range is selected again, as the user left it. */
      restore: function (sel) {
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
      },
    };
  }

  /* With @options.cull, only the highlights within a screen of the view
   * are in the registry: the engine goes through every registered range
   * for each piece of text it paints, so 500 highlights doubled the time
   * of a frame while the reader scrolled. Their places are measured once
   * per layout and compared with the view as it scrolls. For a page whose
   * document scrolls (the reader), not one that scrolls boxes of its own. */
  function painter (options) {
    const cull = options !== undefined && options.cull === true;
    const painted = new Map ();  /* id → { start, end, color, note, range, serial } */
    const registry = new Map (); /* colour → Highlight */
    let flash = null;
    let serial = 0;              /* counts ranges painted, for tests */
    let host = null;
    let shadow = null;
    let placing = 0;
    let watching = false;
    let notesChanged = false;    /* a highlight with a note came or went */
    let culling = 0;

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

    /* A dot after the last piece of each highlight with a note, in the
     * colour of the text there. */
    function placeMarkers () {
      notesChanged = false;
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
          /* Raised as a superscript would be, clear of the punctuation
           * that often follows: it takes no room in the text. */
          places.push ({
            left: (last.right - origin.left + 0.05 * size) + 'px',
            top: (last.top - origin.top - 0.15 * size) + 'px',
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

    function placeMarkersSoon () {
      if (placing !== 0)
        return;
      placing = requestAnimationFrame (() => {
        placing = 0;
        placeMarkers ();
      });
    }

    /* Whether @p is in its colour's registry entry. */
    function show (p, on) {
      if (p.shown === on)
        return;
      p.shown = on;
      if (on)
        highlightOf (p.color).add (p.range);
      else
        highlightOf (p.color).delete (p.range);
    }

    function cullNow () {
      if (culling !== 0)
        cancelAnimationFrame (culling);
      culling = 0;
      const y = window.scrollY;
      const view = window.innerHeight;
      for (const p of painted.values ())
        {
          if (p.top === undefined)
            {
              const rect = p.range.getBoundingClientRect ();
              p.top = rect.top + y;
              p.bottom = rect.bottom + y;
            }
          show (p, p.bottom >= y - view && p.top <= y + 2 * view);
        }
    }

    /* Before the next frame: a scroll's comes before it is painted. */
    function cullSoon () {
      if (cull && culling === 0)
        culling = requestAnimationFrame (cullNow);
    }

    /* The text moves without a DOM change (the window, fonts, images
     * arriving, a box scrolled inside the page), and its colour with the
     * page's classes (the reader's dark style): the markers follow, and
     * the places of the highlights are measured again. */
    function layoutChanged () {
      if (cull)
        {
          for (const p of painted.values ())
            p.top = undefined;
          cullSoon ();
        }
      placeMarkersSoon ();
    }

    const resized = new ResizeObserver (layoutChanged);
    const restyled = new MutationObserver (layoutChanged);

    function watchLayout () {
      resized.disconnect ();
      restyled.disconnect ();
      if (document.body !== null)
        {
          resized.observe (document.body);
          restyled.observe (document.body, { attributes: true, attributeFilter: ['class', 'style'] });
        }
      restyled.observe (document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
      if (watching)
        return;
      watching = true;
      window.addEventListener ('resize', layoutChanged);
      document.addEventListener ('load', layoutChanged, true);
      if (cull)
        window.addEventListener ('scroll', cullSoon, { passive: true });
      document.addEventListener ('scroll', event => {
        if (event.target !== document)
          placeMarkersSoon ();
      }, true);
      if (document.fonts && document.fonts.ready)
        document.fonts.ready.then (layoutChanged);
    }

    function remove (id) {
      const p = painted.get (id);
      if (p === undefined)
        return false;
      show (p, false);
      painted.delete (id);
      if (p.note)
        notesChanged = true;
      return true;
    }

    return {
      /* Paints @h (clean ()) over @range, in place of what had its id. */
      add: function (h, range) {
        remove (h.id);
        const p = { start: h.start, end: h.end, color: h.color, note: h.note, range: range,
                    serial: ++serial, shown: false, top: undefined, bottom: undefined };
        painted.set (h.id, p);
        if (cull)
          cullSoon ();
        else
          show (p, true);
        if (h.note)
          notesChanged = true;
      },
      remove: remove,
      get: function (id) {
        return painted.get (id);
      },
      ids: function () {
        return Array.from (painted.keys ());
      },
      /* Every highlight goes; the number there were. */
      removeAll: function () {
        const n = painted.size;
        for (const id of Array.from (painted.keys ()))
          remove (id);
        return n;
      },
      /* Every highlight, marker and registry entry goes. */
      clear: function () {
        for (const id of Array.from (painted.keys ()))
          remove (id);
        for (const color of COLORS)
          if (CSS.highlights.get ('gloss-' + color) === registry.get (color))
            CSS.highlights.delete ('gloss-' + color);
        registry.clear ();
        resized.disconnect ();
        restyled.disconnect ();
        if (host !== null)
          host.remove ();
        host = null;
        shadow = null;
      },
      setColor: function (id, color) {
        const p = painted.get (id);
        if (p === undefined || !COLORS.includes (color))
          return 0;
        const shown = p.shown;
        show (p, false);
        p.color = color;
        show (p, shown);
        return 1;
      },
      setNote: function (id, hasNote) {
        const p = painted.get (id);
        if (p === undefined)
          return false;
        if (p.note !== (hasNote === true))
          notesChanged = true;
        p.note = hasNote === true;
        return true;
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
      /* The innermost (shortest) highlight holding code point @at, or
       * null. */
      around: function (at) {
        let best = null;
        for (const [id, p] of painted)
          if (p.start <= at && at <= p.end && (best === null || p.end - p.start < best.end - best.start))
            best = { id: id, start: p.start, end: p.end };
        return best === null ? null : best.id;
      },
      /* Whether one highlight covers all of [start, end). */
      covers: function (start, end) {
        for (const p of painted.values ())
          if (p.start <= start && end <= p.end)
            return true;
        return false;
      },
      /* The highlights under the point (x, y) of the viewport, innermost
       * (shortest) first. */
      at: function (x, y) {
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
            /* caretRangeFromPoint () snaps to the nearest text: the point
             * must be on the highlight's own boxes. */
            for (const r of p.range.getClientRects ())
              if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom)
                {
                  found.push ({ id: id, length: p.end - p.start });
                  break;
                }
          }
        found.sort ((a, b) => a.length - b.length);
        return found.map (f => f.id);
      },
      rectOf: function (id) {
        const p = painted.get (id);
        return p === undefined ? null : rectOf (p.range);
      },
      scrollTo: function (id, doFlash, instant) {
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
      },
      /* A caret at the end of highlight @id, in place of the selection. */
      caretAtEnd: function (id) {
        const sel = window.getSelection ();
        const p = painted.get (id);
        if (sel === null)
          return false;
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
      placeMarkers: placeMarkers,
      /* Places the markers again before the next frame if a highlight
       * with a note came or went since they were last placed: painting
       * one without costs no layout read, and painting as the page is
       * built forces no layout before the engine's own. */
      updateMarkers: function () {
        if (notesChanged)
          placeMarkersSoon ();
      },
      placeMarkersSoon: placeMarkersSoon,
      watchLayout: watchLayout,
      /* For tests: what each highlight covers, its colour as painted, its
       * note, which range object paints it (a serial number), and the
       * number of note markers shown (under "#markers"), placed first if
       * they are due. */
      painted: function () {
        const out = {};
        if (culling !== 0)
          cullNow ();
        if (notesChanged)
          placeMarkers ();
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
      /* For tests: whether the flash paints @id now. */
      flashing: function (id) {
        const p = painted.get (id);
        return p !== undefined && flash !== null && CSS.highlights.get ('gloss-flash') === flash &&
               flash.has (p.range);
      },
    };
  }

  return {
    COLORS: COLORS,
    ID_RE: ID_RE,
    isValid: isValid,
    clean: clean,
    rectOf: rectOf,
    selectionKeeper: selectionKeeper,
    painter: painter,
  };
}) ();
