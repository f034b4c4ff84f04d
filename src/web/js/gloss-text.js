/* gloss-text.js
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Code points and UTF-16 units, for the page scripts of the private world
 * "gloss" (gloss-highlight.js in the reader, gloss-live.js on the live
 * page), which run after it. FORMAT.md counts positions in Unicode code
 * points, JavaScript strings in UTF-16 units: every conversion goes
 * through here. Strings without surrogates, nearly all of them, take the
 * short way. */

var glossText = glossText || (function () {
  'use strict';

  const SURROGATE = /[\ud800-\udfff]/;

  function isHigh (code) {
    return code >= 0xd800 && code <= 0xdbff;
  }

  function isLow (code) {
    return code >= 0xdc00 && code <= 0xdfff;
  }

  /* Code points in @s. */
  function cpLength (s) {
    if (!SURROGATE.test (s))
      return s.length;
    let n = s.length;
    for (let i = 0; i < s.length - 1; i++)
      if (isHigh (s.charCodeAt (i)) && isLow (s.charCodeAt (i + 1)))
        {
          n--;
          i++;
        }
    return n;
  }

  /* The UTF-16 index of code point @cp in @s (clamped to its length). */
  function cpToUnit (s, cp) {
    if (!SURROGATE.test (s))
      return Math.min (cp, s.length);
    let i = 0;
    while (cp > 0 && i < s.length)
      {
        if (isHigh (s.charCodeAt (i)) && i + 1 < s.length && isLow (s.charCodeAt (i + 1)))
          i += 2;
        else
          i++;
        cp--;
      }
    return i;
  }

  /* Code points [@from, @to) of @s. */
  function cpSlice (s, from, to) {
    if (!SURROGATE.test (s))
      return s.slice (from, to);
    const a = cpToUnit (s, from);
    return s.slice (a, a + cpToUnit (s.slice (a), to - from));
  }

  return Object.freeze ({ cpLength: cpLength, cpToUnit: cpToUnit, cpSlice: cpSlice });
}) ();
