/* gloss-anchor.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Finding an annotation in an article text (FORMAT.md "Text and
 * positions"): the stored position, else the exact quote chosen by its
 * context, else an approximate match found with Myers' bit-parallel
 * edit-distance search (G. Myers, "A fast bit-vector algorithm for
 * approximate string matching based on dynamic programming", J. ACM 1999),
 * in its multi-word (block) form so that quotes longer than 64 code points
 * cost O(n·⌈m/64⌉) and never a quadratic scan. */

#define G_LOG_DOMAIN "gloss-anchor"

#include "config.h"

#ifndef _GNU_SOURCE
# define _GNU_SOURCE /* memmem() */
#endif
#include <string.h>

#include "gloss-anchor.h"

#define CONTEXT_LENGTH 32
/* Local minima kept from the approximate search before scoring. */
#define MAX_FUZZY_CANDIDATES 256
/* Quotes longer than this (in code points) are anchored by their exact
 * text and context only: the approximate search costs time and memory in
 * proportion to the quote's length times the article's, and nobody edits
 * a passage of thousands of characters and expects it found again. */
#define MAX_FUZZY_QUOTE 4096

struct _GlossText
{
  gatomicrefcount  ref_count;
  char            *utf8;
  gsize            n_bytes;
  gunichar        *chars;
  /* n_chars + 1 byte offsets: offsets[i] is where code point i starts. */
  guint32         *offsets;
  guint            n_chars;
};

const char *
gloss_anchor_method_to_string (GlossAnchorMethod method)
{
  switch (method)
    {
    case GLOSS_ANCHOR_POSITION:
      return "position";
    case GLOSS_ANCHOR_QUOTE:
      return "quote";
    case GLOSS_ANCHOR_FUZZY:
      return "fuzzy";
    case GLOSS_ANCHOR_ORPHAN:
      return "orphan";
    default:
      return NULL;
    }
}

GlossText *
gloss_text_new (const char *utf8,
                gssize      length)
{
  GlossText *text;
  gsize n_bytes;
  guint n = 0;
  const char *p, *end;

  if (utf8 == NULL)
    utf8 = "";
  n_bytes = length < 0 ? strlen (utf8) : (gsize) length;
  /* Positions are 32-bit in the selectors; a larger article is not a text
   * anyone clips, and it keeps the offset table small. */
  n_bytes = MIN (n_bytes, (gsize) G_MAXUINT32 / 2);

  text = g_new0 (GlossText, 1);
  g_atomic_ref_count_init (&text->ref_count);

  if (g_utf8_validate_len (utf8, n_bytes, NULL))
    text->utf8 = g_strndup (utf8, n_bytes);
  else
    /* --verify reports the damage; anchoring works on what can be read. */
    text->utf8 = g_utf8_make_valid (utf8, n_bytes);
  text->n_bytes = strlen (text->utf8);

  text->chars = g_new (gunichar, text->n_bytes + 1);
  text->offsets = g_new (guint32, text->n_bytes + 1);

  p = text->utf8;
  end = text->utf8 + text->n_bytes;
  while (p < end)
    {
      text->offsets[n] = (guint32) (p - text->utf8);
      if ((guchar) *p < 0x80)
        {
          /* Most of an article, even a French or German one. */
          text->chars[n++] = (guchar) *p++;
          continue;
        }
      text->chars[n] = g_utf8_get_char (p);
      n++;
      p = g_utf8_next_char (p);
    }
  text->offsets[n] = (guint32) text->n_bytes;
  text->n_chars = n;

  /* Give back what ASCII-heavy text did not need. */
  text->chars = g_renew (gunichar, text->chars, n + 1);
  text->offsets = g_renew (guint32, text->offsets, n + 1);

  return text;
}

GlossText *
gloss_text_ref (GlossText *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  g_atomic_ref_count_inc (&text->ref_count);
  return text;
}

void
gloss_text_unref (GlossText *text)
{
  g_return_if_fail (text != NULL);

  if (g_atomic_ref_count_dec (&text->ref_count))
    {
      g_free (text->utf8);
      g_free (text->chars);
      g_free (text->offsets);
      g_free (text);
    }
}

const char *
gloss_text_get_utf8 (GlossText *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return text->utf8;
}

guint
gloss_text_get_length (GlossText *text)
{
  g_return_val_if_fail (text != NULL, 0);
  return text->n_chars;
}

gsize
gloss_text_byte_offset (GlossText *text,
                        guint      offset)
{
  g_return_val_if_fail (text != NULL, 0);
  return text->offsets[MIN (offset, text->n_chars)];
}

char *
gloss_text_substring (GlossText *text,
                      guint      start,
                      guint      end)
{
  g_return_val_if_fail (text != NULL, NULL);

  end = MIN (end, text->n_chars);
  start = MIN (start, end);

  return g_strndup (text->utf8 + text->offsets[start],
                    text->offsets[end] - text->offsets[start]);
}

void
gloss_text_get_context (GlossText  *text,
                        guint       start,
                        guint       end,
                        char      **prefix,
                        char      **suffix)
{
  g_return_if_fail (text != NULL);

  end = MIN (end, text->n_chars);
  start = MIN (start, end);

  if (prefix != NULL)
    *prefix = gloss_text_substring (text,
                                    start > CONTEXT_LENGTH ? start - CONTEXT_LENGTH : 0,
                                    start);
  if (suffix != NULL)
    *suffix = gloss_text_substring (text, end, end + CONTEXT_LENGTH);
}

static guint
code_point_at_byte (GlossText *text,
                    gsize      byte)
{
  guint lo = 0, hi = text->n_chars;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (text->offsets[mid] < byte)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* The smallest p > 0 such that @s[i] == @s[i + p] for every i: the
 * shortest shift at which the string can overlap itself (@len when it
 * cannot). Knuth–Morris–Pratt's failure function, in linear time. */
static gsize
smallest_period (const char *s,
                 gsize       len)
{
  g_autofree gsize *fail = NULL;
  gsize k = 0;

  if (len == 0)
    return 1;

  fail = g_new (gsize, len);
  fail[0] = 0;
  for (gsize i = 1; i < len; i++)
    {
      while (k > 0 && s[i] != s[k])
        k = fail[k - 1];
      if (s[i] == s[k])
        k++;
      fail[i] = k;
    }

  return len - fail[len - 1];
}

/* A quote, prefix or suffix as code points; invalid UTF-8 (from a damaged
 * file) is repaired rather than trusted. */
static gunichar *
to_ucs4 (const char *utf8,
         glong      *n_chars,
         char      **valid_utf8)
{
  g_autofree char *valid = NULL;
  gunichar *ret;

  if (utf8 == NULL)
    utf8 = "";

  valid = g_utf8_make_valid (utf8, -1);
  ret = g_utf8_to_ucs4_fast (valid, -1, n_chars);

  if (valid_utf8 != NULL)
    *valid_utf8 = g_steal_pointer (&valid);

  return ret;
}

/* How many code points of @ctx, read outward from the quote, agree with
 * the text: backwards for a prefix, forwards for a suffix. */
static guint
context_agreement (GlossText      *text,
                   const gunichar *ctx,
                   glong           ctx_len,
                   guint           boundary,
                   gboolean        backwards)
{
  guint n = 0;

  ctx_len = MIN (ctx_len, 2 * CONTEXT_LENGTH);

  if (backwards)
    {
      while (n < (guint) ctx_len && n < boundary &&
             ctx[ctx_len - 1 - n] == text->chars[boundary - 1 - n])
        n++;
    }
  else
    {
      while (n < (guint) ctx_len && boundary + n < text->n_chars &&
             ctx[n] == text->chars[boundary + n])
        n++;
    }

  return n;
}

static guint
distance (guint a,
          guint b)
{
  return a > b ? a - b : b - a;
}

/* Edit distance of two short strings (the context, at most 32 code
 * points each after clamping), by the textbook table in one row. */
static guint
short_edit_distance (const gunichar *a,
                     guint           a_len,
                     const gunichar *b,
                     guint           b_len)
{
  guint row[2 * CONTEXT_LENGTH + 1];

  g_assert (b_len <= 2 * CONTEXT_LENGTH);

  for (guint j = 0; j <= b_len; j++)
    row[j] = j;

  for (guint i = 1; i <= a_len; i++)
    {
      guint diag = row[0];

      row[0] = i;
      for (guint j = 1; j <= b_len; j++)
        {
          guint up = row[j];
          guint best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);

          best = MIN (best, up + 1);
          best = MIN (best, row[j - 1] + 1);
          diag = up;
          row[j] = best;
        }
    }

  return row[b_len];
}

/* 1 for a perfect context, 0 for none; 1 when there is no context to
 * compare, as at the very start of an article. */
static double
context_similarity (GlossText      *text,
                    const gunichar *ctx,
                    glong           ctx_len,
                    guint           boundary,
                    gboolean        backwards)
{
  guint len, from, avail;

  len = MIN ((guint) ctx_len, CONTEXT_LENGTH);
  if (len == 0)
    return 1.0;

  if (backwards)
    {
      ctx += ctx_len - len;
      avail = MIN (boundary, len);
      from = boundary - avail;
    }
  else
    {
      from = MIN (boundary, text->n_chars);
      avail = MIN (text->n_chars - from, len);
    }

  return 1.0 - (double) short_edit_distance (text->chars + from, avail, ctx, len) / len;
}

/* --- Myers' bit-parallel search ---------------------------------------- */

typedef struct
{
  guint     m;
  guint     n_blocks;
  guint64  *ascii;       /* 256 × n_blocks */
  gunichar *keys;        /* open addressing for code points ≥ 256 */
  guint    *slots;
  guint     mask;
  guint64  *others;      /* one n_blocks vector per distinct key */
  guint64  *zero;
} Pattern;

static void
pattern_clear (Pattern *pat)
{
  g_free (pat->ascii);
  g_free (pat->zero);
  g_free (pat->keys);
  g_free (pat->slots);
  g_free (pat->others);
}

static inline const guint64 *
pattern_peq (const Pattern *pat,
             gunichar       c)
{
  guint h;

  if (c < 256)
    return pat->ascii + (gsize) c * pat->n_blocks;

  h = (c * 2654435761u) & pat->mask;
  while (pat->keys[h] != (gunichar) -1)
    {
      if (pat->keys[h] == c)
        return pat->others + (gsize) pat->slots[h] * pat->n_blocks;
      h = (h + 1) & pat->mask;
    }

  return pat->zero;
}

static void
pattern_init (Pattern        *pat,
              const gunichar *chars,
              guint           m,
              gboolean        reversed)
{
  guint n_others = 0, size = 16;

  pat->m = m;
  pat->n_blocks = (m + 63) / 64;
  pat->ascii = g_new0 (guint64, 256 * pat->n_blocks);
  pat->zero = g_new0 (guint64, pat->n_blocks);

  while (size < 2 * m)
    size *= 2;
  pat->mask = size - 1;
  pat->keys = g_new (gunichar, size);
  pat->slots = g_new (guint, size);
  memset (pat->keys, 0xff, size * sizeof (gunichar));

  /* One vector per distinct code point above 255, not per position: the
   * table grows with the alphabet of the quote, never with its square. */
  for (guint i = 0; i < m; i++)
    {
      gunichar c = chars[i];
      guint h;

      if (c < 256)
        continue;

      h = (c * 2654435761u) & pat->mask;
      while (pat->keys[h] != c && pat->keys[h] != (gunichar) -1)
        h = (h + 1) & pat->mask;
      if (pat->keys[h] == (gunichar) -1)
        {
          pat->keys[h] = c;
          pat->slots[h] = n_others++;
        }
    }
  pat->others = g_new0 (guint64, (gsize) MAX (n_others, 1) * pat->n_blocks);

  for (guint i = 0; i < m; i++)
    {
      gunichar c = chars[reversed ? m - 1 - i : i];
      guint64 *vec;

      if (c < 256)
        vec = pat->ascii + (gsize) c * pat->n_blocks;
      else
        vec = (guint64 *) pattern_peq (pat, c);

      vec[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
    }
}

/* One column of one 64-row block; @hin is the horizontal delta entering
 * the block's top row, the return value the one leaving its last row. */
static inline int
advance_block (guint64 *pv_,
               guint64 *mv_,
               guint64  eq,
               int      hin,
               guint64  last_row)
{
  guint64 pv = *pv_, mv = *mv_;
  guint64 xv, xh, ph, mh;
  int hout = 0;

  xv = eq | mv;
  if (hin < 0)
    eq |= 1;
  xh = (((eq & pv) + pv) ^ pv) | eq;
  ph = mv | ~(xh | pv);
  mh = pv & xh;

  if (ph & last_row)
    hout = 1;
  else if (mh & last_row)
    hout = -1;

  ph <<= 1;
  mh <<= 1;
  if (hin < 0)
    mh |= 1;
  else if (hin > 0)
    ph |= 1;

  *pv_ = mh | ~(xv | ph);
  *mv_ = ph & xv;

  return hout;
}

typedef struct
{
  guint end;
  guint errors;
} MatchEnd;

/* Calls back for every column j of @text where the pattern matches a
 * substring ending at j + 1 with at most @k errors. With @anchored the
 * match must start at text[0] (row 0 grows by one per column); otherwise
 * it may start anywhere. */
typedef void (*MatchFunc) (guint end, guint errors, gpointer data);

static void
myers (const Pattern  *pat,
       const gunichar *text,
       guint           n,
       gboolean        reversed_text,
       guint           k,
       gboolean        anchored,
       MatchFunc       func,
       gpointer        data)
{
  guint nb = pat->n_blocks;
  g_autofree guint64 *pv = g_new (guint64, nb);
  g_autofree guint64 *mv = g_new0 (guint64, nb);
  guint64 last_row = G_GUINT64_CONSTANT (1) << ((pat->m - 1) % 64);
  guint64 top = G_GUINT64_CONSTANT (1) << 63;
  guint score = pat->m;

  memset (pv, 0xff, nb * sizeof (guint64));

  for (guint j = 0; j < n; j++)
    {
      const guint64 *eq = pattern_peq (pat, reversed_text ? text[n - 1 - j] : text[j]);
      int h = anchored ? 1 : 0;

      for (guint b = 0; b + 1 < nb; b++)
        h = advance_block (&pv[b], &mv[b], eq[b], h, top);
      h = advance_block (&pv[nb - 1], &mv[nb - 1], eq[nb - 1], h, last_row);

      score += h;
      if (score <= k)
        func (j + 1, score, data);
    }
}

/* The search over the whole article, with Ukkonen's cut-off in its block
 * form (Hyyrö, "A bit-vector algorithm for computing Levenshtein and
 * Damerau edit distances", 2003; as in Hypothesis' approx-string-match):
 * only the blocks whose rows can still be within @k are advanced, which
 * for a quote of a few hundred code points and k = m/4 is about one
 * block in two or three. Every end with at most @k errors is reported,
 * with its exact count. */
static void
myers_search (const Pattern  *pat,
              const gunichar *text,
              guint           n,
              guint           k,
              MatchFunc       func,
              gpointer        data)
{
  guint nb = pat->n_blocks;
  guint last = nb - 1;
  guint last_rows = pat->m - last * 64;
  g_autofree guint64 *pv = g_new (guint64, nb);
  g_autofree guint64 *mv = g_new0 (guint64, nb);
  g_autofree gint64 *score = g_new0 (gint64, nb);
  guint64 top = G_GUINT64_CONSTANT (1) << 63;
  guint64 last_row = G_GUINT64_CONSTANT (1) << ((pat->m - 1) % 64);
  guint y;

  if (nb == 1)
    {
      /* Quotes of up to 64 code points, the common case: one word, no
       * carries between blocks, and no cut-off to keep. */
      guint64 p = ~G_GUINT64_CONSTANT (0), mm = 0;
      guint sc = pat->m;

      for (guint j = 0; j < n; j++)
        {
          guint64 eq = *pattern_peq (pat, text[j]);
          guint64 xv = eq | mm;
          guint64 xh = (((eq & p) + p) ^ p) | eq;
          guint64 ph = mm | ~(xh | p);
          guint64 mh = p & xh;

          sc += ((ph & last_row) != 0) - ((mh & last_row) != 0);
          ph <<= 1;
          mh <<= 1;
          p = mh | ~(xv | ph);
          mm = ph & xv;

          if (sc <= k)
            func (j + 1, sc, data);
        }
      return;
    }

  /* The first block that can hold a row with at most k errors at once. */
  y = MIN ((k + 63) / 64, last);
  if (y > 0)
    y--;
  for (guint b = 0; b <= y; b++)
    {
      pv[b] = ~G_GUINT64_CONSTANT (0);
      mv[b] = 0;
      score[b] = b == last ? pat->m : (gint64) (b + 1) * 64;
    }

  for (guint j = 0; j < n; j++)
    {
      const guint64 *eq = pattern_peq (pat, text[j]);
      int carry = 0;

      for (guint b = 0; b <= y; b++)
        {
          carry = advance_block (&pv[b], &mv[b], eq[b], carry, b == last ? last_row : top);
          score[b] += carry;
        }

      if (score[y] - carry <= (gint64) k && y < last &&
          ((eq[y + 1] & 1) || carry < 0))
        {
          guint rows;

          y++;
          pv[y] = ~G_GUINT64_CONSTANT (0);
          mv[y] = 0;
          rows = y == last ? last_rows : 64;
          score[y] = score[y - 1] + rows - carry +
                     advance_block (&pv[y], &mv[y], eq[y], carry, y == last ? last_row : top);
        }
      else
        {
          while (y > 0 && score[y] >= (gint64) k + 64)
            y--;
        }

      if (y == last && score[y] <= (gint64) k)
        func (j + 1, (guint) score[y], data);
    }
}

typedef struct
{
  GArray *ends;        /* MatchEnd, local minima only */
  guint   run_end;     /* end of the previous reported column, or 0 */
} SearchState;

static void
collect_end_cb (guint    end,
                guint    errors,
                gpointer data)
{
  SearchState *state = data;
  MatchEnd m = { end, errors };

  /* Consecutive ends are the same place seen with one more or one less
   * character: keep the best of each run. */
  if (state->run_end != 0 && state->run_end + 1 == end && state->ends->len > 0)
    {
      MatchEnd *last = &g_array_index (state->ends, MatchEnd, state->ends->len - 1);

      if (errors < last->errors)
        *last = m;
    }
  else
    g_array_append_val (state->ends, m);

  state->run_end = end;
}

typedef struct
{
  guint best_errors;
  guint best_len;
  guint m;
} StartState;

static void
find_start_cb (guint    len,
               guint    errors,
               gpointer data)
{
  StartState *state = data;

  if (errors < state->best_errors ||
      (errors == state->best_errors &&
       distance (len, state->m) < distance (state->best_len, state->m)))
    {
      state->best_errors = errors;
      state->best_len = len;
    }
}

static int
compare_errors (gconstpointer a,
                gconstpointer b)
{
  const MatchEnd *ma = a, *mb = b;

  if (ma->errors != mb->errors)
    return ma->errors < mb->errors ? -1 : 1;
  return ma->end < mb->end ? -1 : (ma->end > mb->end);
}

typedef struct
{
  GlossText      *text;
  const Pattern  *forward;
  const Pattern  *backward;
  guint           m;
  const gunichar *prefix;
  glong           prefix_len;
  const gunichar *suffix;
  glong           suffix_len;
  guint           hint;
  /* The best so far. */
  double          score;
  guint           start;
  guint           end;
} Fuzzy;

/* Every local best match with at most @k errors in [from, to), scored;
 * keeps the best in @fz. */
static void
fuzzy_region (Fuzzy *fz,
              guint  from,
              guint  to,
              guint  k)
{
  GlossText *text = fz->text;
  SearchState state = { 0, };
  guint m = fz->m;

  if (to <= from)
    return;

  state.ends = g_array_new (FALSE, FALSE, sizeof (MatchEnd));
  myers_search (fz->forward, text->chars + from, to - from, k, collect_end_cb, &state);

  /* Fewest errors first, so that the bound below can stop early. */
  g_array_sort (state.ends, compare_errors);
  if (state.ends->len > MAX_FUZZY_CANDIDATES)
    g_array_set_size (state.ends, MAX_FUZZY_CANDIDATES);

  for (guint i = 0; i < state.ends->len; i++)
    {
      MatchEnd *c = &g_array_index (state.ends, MatchEnd, i);
      guint end = from + c->end;
      guint window = MIN (end, m + k);
      StartState start = { G_MAXUINT, 0, m };
      guint s;
      double quote_score, prefix_score, suffix_score, pos_score, score;

      /* Even a perfect context and position cannot lift this one, nor
       * any after it, above the best so far. */
      if (50 * (1.0 - (double) c->errors / m) + 20 + 20 + 2 <= fz->score)
        break;

      /* The match ends at @end; read the text backwards from there with
       * the pattern reversed, anchored at the end, to find where it
       * starts. */
      myers (fz->backward, text->chars + end - window, window, TRUE,
             c->errors, TRUE, find_start_cb, &start);
      if (start.best_errors == G_MAXUINT)
        continue;

      s = end - start.best_len;
      quote_score = 1.0 - (double) start.best_errors / m;
      prefix_score = context_similarity (text, fz->prefix, fz->prefix_len, s, TRUE);
      suffix_score = context_similarity (text, fz->suffix, fz->suffix_len, end, FALSE);
      pos_score = 1.0 - (double) distance (s, fz->hint) / MAX (text->n_chars, 1);
      /* The weights of Hypothesis' match-quote: the quote first, then the
       * context, then the position as a tie-breaker. */
      score = 50 * quote_score + 20 * prefix_score + 20 * suffix_score + 2 * pos_score;

      if (score > fz->score)
        {
          fz->score = score;
          fz->start = s;
          fz->end = end;
        }
    }

  g_array_unref (state.ends);
}

static gboolean
anchor_fuzzy (GlossText      *text,
              const gunichar *pat_chars,
              guint           m,
              const gunichar *prefix,
              glong           prefix_len,
              const gunichar *suffix,
              glong           suffix_len,
              guint           hint,
              guint          *out_start,
              guint          *out_end)
{
  Pattern forward, backward;
  Fuzzy fz = { text, &forward, &backward, m, prefix, prefix_len, suffix, suffix_len,
               MIN (hint, text->n_chars), -1, 0, 0 };
  guint k = m / 4;
  guint n = text->n_chars;
  guint reach, from, to, k_out;

  if (k == 0 || n == 0 || m > MAX_FUZZY_QUOTE)
    return FALSE;

  pattern_init (&forward, pat_chars, m, FALSE);
  pattern_init (&backward, pat_chars, m, TRUE);

  /* Edited text is usually still near where it was: search there first.
   * The best found there bounds how many errors a match elsewhere may
   * have and still win (score = 50·(1 − e/m) + at most 42), and a search
   * with fewer allowed errors is much cheaper: the cut-off keeps it in
   * the first block. The result is the best over the whole text all the
   * same. */
  reach = 2 * (m + k) + 256;
  from = fz.hint > reach ? fz.hint - reach : 0;
  to = MIN (n, (guint64) fz.hint + m + reach);
  fuzzy_region (&fz, from, to, k);

  if (fz.score < 0)
    k_out = k;
  else
    {
      double bound = m * (92.0 - fz.score) / 50.0;

      k_out = bound < 0 ? 0 : (guint) MIN ((double) k, bound);
    }

  /* Outside the window, overlapping it by a match's length so that a
   * match across its edge is seen whole. */
  if (from > 0)
    fuzzy_region (&fz, 0, MIN (n, from + m + k), k_out);
  if (to < n)
    fuzzy_region (&fz, to > m + k ? to - m - k : 0, n, k_out);

  pattern_clear (&forward);
  pattern_clear (&backward);

  if (fz.score < 0)
    return FALSE;

  *out_start = fz.start;
  *out_end = fz.end;
  return TRUE;
}

/* Every occurrence of the quote in the bytes [@from, @to) of the text,
 * scored by its context; the best so far in @found, @best_score and
 * @best_start (ties go to the nearest to @hint). memmem() is linear and a
 * match of valid UTF-8 in valid UTF-8 starts on a character. */
static void
scan_occurrences (GlossText      *text,
                  const char     *exact_valid,
                  gsize           exact_bytes,
                  glong           m,
                  const gunichar *pre,
                  glong           pre_len,
                  const gunichar *suf,
                  glong           suf_len,
                  guint           hint,
                  gsize           from,
                  gsize           to,
                  gboolean       *found,
                  guint          *best_score,
                  guint          *best_start)
{
  const char *hay = text->utf8 + from;
  const char *hay_end = text->utf8 + MIN (to, text->n_bytes);
  const char *p;
  gsize period = 0;

  while (hay < hay_end &&
         (p = memmem (hay, hay_end - hay, exact_valid, exact_bytes)) != NULL)
    {
      /* Occurrences of a quote that repeats itself ("aaaa…", "abab…")
       * overlap, and searching again from each one would compare the whole
       * quote each time: quadratic. Two occurrences are never closer than
       * the quote's smallest period, and the next one at that distance
       * only needs the period's bytes compared. */
      if (period == 0)
        period = smallest_period (exact_valid, exact_bytes);

      for (;;)
        {
          guint at = code_point_at_byte (text, p - text->utf8);
          guint score = context_agreement (text, pre, pre_len, at, TRUE) +
                        context_agreement (text, suf, suf_len, at + m, FALSE);

          if (!*found || score > *best_score ||
              (score == *best_score && distance (at, hint) < distance (*best_start, hint)))
            {
              *found = TRUE;
              *best_score = score;
              *best_start = at;
            }

          if (period >= exact_bytes || (gsize) (hay_end - p) < exact_bytes + period ||
              memcmp (p + exact_bytes, exact_valid + exact_bytes - period, period) != 0)
            break;
          p += period;
        }

      hay = p + period;
    }
}

/* How far from the hint the quote is looked for first, in code points,
 * when the stored position is only a hint (a live page). */
#define NEAR_WINDOW 8192

static GlossAnchorMethod
anchor_quote (GlossText  *text,
              const char *exact,
              const char *prefix,
              const char *suffix,
              guint       start,
              guint       end,
              gboolean    position_first,
              guint      *out_start,
              guint      *out_end)
{
  g_autofree gunichar *pat = NULL;
  g_autofree gunichar *pre = NULL;
  g_autofree gunichar *suf = NULL;
  g_autofree char *exact_valid = NULL;
  glong m, pre_len, suf_len;
  gsize exact_bytes;
  gboolean found = FALSE;
  guint best_score = 0, best_start = 0, s = 0, e = 0;

  g_return_val_if_fail (text != NULL, GLOSS_ANCHOR_ORPHAN);

  if (out_start == NULL)
    out_start = &s;
  if (out_end == NULL)
    out_end = &e;

  pat = to_ucs4 (exact, &m, &exact_valid);
  if (m <= 0)
    return GLOSS_ANCHOR_ORPHAN;

  /* 1. The position still holds the quote. */
  if (position_first &&
      start <= end && end <= text->n_chars && end - start == (guint) m &&
      memcmp (text->chars + start, pat, m * sizeof (gunichar)) == 0)
    {
      *out_start = start;
      *out_end = end;
      return GLOSS_ANCHOR_POSITION;
    }

  pre = to_ucs4 (prefix, &pre_len, NULL);
  suf = to_ucs4 (suffix, &suf_len, NULL);
  exact_bytes = strlen (exact_valid);

  /* 2. Every occurrence of the quote, by its context. With the position
   * only a hint, the text around it first: an occurrence there whose
   * whole context agrees cannot be beaten by one farther away (a tie
   * goes to the nearest), so the rest of the text is not searched. */
  if (!position_first && text->n_chars > 2 * NEAR_WINDOW)
    {
      guint hint = MIN (start, text->n_chars);
      guint from = hint > NEAR_WINDOW ? hint - NEAR_WINDOW : 0;
      guint to = MIN (text->n_chars, hint + NEAR_WINDOW);
      guint perfect = MIN (pre_len, 2 * CONTEXT_LENGTH) + MIN (suf_len, 2 * CONTEXT_LENGTH);

      scan_occurrences (text, exact_valid, exact_bytes, m, pre, pre_len, suf, suf_len, start,
                        text->offsets[from], text->offsets[to] + exact_bytes,
                        &found, &best_score, &best_start);
      if (!found || best_score < perfect)
        {
          found = FALSE;
          best_score = best_start = 0;
        }
    }

  if (!found)
    scan_occurrences (text, exact_valid, exact_bytes, m, pre, pre_len, suf, suf_len, start,
                      0, text->n_bytes, &found, &best_score, &best_start);

  if (found)
    {
      *out_start = best_start;
      *out_end = best_start + m;
      return GLOSS_ANCHOR_QUOTE;
    }

  /* 3. An approximate match. */
  if (anchor_fuzzy (text, pat, m, pre, pre_len, suf, suf_len, start, out_start, out_end))
    return GLOSS_ANCHOR_FUZZY;

  return GLOSS_ANCHOR_ORPHAN;
}

GlossAnchorMethod
gloss_anchor_quote (GlossText  *text,
                    const char *exact,
                    const char *prefix,
                    const char *suffix,
                    guint       start,
                    guint       end,
                    guint      *out_start,
                    guint      *out_end)
{
  return anchor_quote (text, exact, prefix, suffix, start, end, TRUE, out_start, out_end);
}

GlossAnchorMethod
gloss_anchor_quote_near (GlossText  *text,
                         const char *exact,
                         const char *prefix,
                         const char *suffix,
                         guint       hint,
                         guint      *out_start,
                         guint      *out_end)
{
  return anchor_quote (text, exact, prefix, suffix, hint, hint, FALSE, out_start, out_end);
}

GlossAnchorMethod
gloss_anchor_annotation (GlossText       *text,
                         GlossAnnotation *annotation,
                         guint           *out_start,
                         guint           *out_end)
{
  GlossAnchorMethod method;

  g_return_val_if_fail (text != NULL, GLOSS_ANCHOR_ORPHAN);
  g_return_val_if_fail (GLOSS_IS_ANNOTATION (annotation), GLOSS_ANCHOR_ORPHAN);

  method = gloss_anchor_quote (text,
                               gloss_annotation_get_exact (annotation),
                               gloss_annotation_get_prefix (annotation),
                               gloss_annotation_get_suffix (annotation),
                               gloss_annotation_get_start (annotation),
                               gloss_annotation_get_end (annotation),
                               out_start, out_end);
  gloss_annotation_set_orphan (annotation, method == GLOSS_ANCHOR_ORPHAN);

  return method;
}
