import winkTokenizer from 'wink-tokenizer';
import { isSpaceCode } from './chars.js';
import { splitFallback } from './fallback.js';
import type { Piece, PieceKind } from './piece.js';

/**
 * Runs of non-whitespace longer than this skip wink: its e-mail and ordinal regexes fail
 * at every start position of a long run and rescan it, which is quadratic (a 10 MB line
 * without spaces would never finish). No real word, number or URL is this long.
 */
export const MAX_WINK_RUN = 256;

/** wink is given at most about this many characters at once, cut at whitespace, to keep its intermediate arrays small. */
const SEGMENT_CHARS = 16_384;

let shared: winkTokenizer.WinkTokenizer | undefined;

// One instance for the process: wink keeps no state between `tokenize` calls that matters
// to us, and `tokenize` here is synchronous, so calls can never interleave.
function wink(): winkTokenizer.WinkTokenizer {
  if (shared === undefined) {
    shared = winkTokenizer();
    // Off: `time` matches across spaces and inside words ("10 am" of "10 amendments"),
    // `emoticon` eats letters (":D" of "Score:Dallas"), `quoted_phrase` spans sentences.
    shared.defineConfig({ time: false, emoticon: false, quoted_phrase: false });
  }
  return shared;
}

const KIND_OF_TAG: Record<string, PieceKind | 'alien'> = {
  word: 'word',
  number: 'word',
  ordinal: 'word',
  url: 'url',
  email: 'atom',
  emoji: 'atom',
  mention: 'atom',
  hashtag: 'atom',
  alien: 'alien',
};

/**
 * Tokenizes `text[start, end)` (one line, no line breaks needed) with wink-tokenizer and
 * gives every token its offsets by finding it in the original string.
 *
 * wink returns values without offsets and sometimes rewrites or drops characters
 * (`Couldn't` -> `could` `n't`, `LET'S` -> `THAT` `'S`, `Müller's` -> `ller` `'s`), so each
 * value is looked for at the cursor, then within the current whitespace-free run only
 * (bounded: never a scan of the rest of the text); a value not found there is dropped, and
 * every stretch no value covered is split by {@link splitFallback}. So the pieces cover every
 * non-whitespace character exactly once, in order, whatever wink does.
 *
 * @example
 * const out: Piece[] = [];
 * winkPieces("O'Neill's U.S. trip", 0, 19, out);
 * // -> O'Neill / 's / U / . / S / . / trip
 */
export function winkPieces(text: string, start: number, end: number, out: Piece[]): void {
  let segStart = -1;
  let segEnd = -1;
  let i = start;
  while (i < end) {
    while (i < end && isSpaceCode(text.charCodeAt(i))) i++;
    if (i >= end) break;
    let j = i + 1;
    while (j < end && !isSpaceCode(text.charCodeAt(j))) j++;
    if (j - i > MAX_WINK_RUN) {
      if (segStart >= 0) alignSegment(text, segStart, segEnd, out);
      segStart = -1;
      splitFallback(text, i, j, out);
    } else if (isPlainRun(text, i, j)) {
      // wink gives such a run back whole, as one word or number: no need to ask it.
      if (segStart >= 0) alignSegment(text, segStart, segEnd, out);
      segStart = -1;
      out.push({ start: i, end: j, kind: 'word' });
    } else {
      if (segStart < 0) segStart = i;
      segEnd = j;
      if (segEnd - segStart >= SEGMENT_CHARS) {
        alignSegment(text, segStart, segEnd, out);
        segStart = -1;
      }
    }
    i = j;
  }
  if (segStart >= 0) alignSegment(text, segStart, segEnd, out);
}

/**
 * Is `text[start, end)` all ASCII letters or all ASCII digits? wink returns exactly such a run
 * as one token (`word` or `number`; no enabled pattern reaches across whitespace, and its
 * contractions and possessives need an apostrophe): checked on every distinct letter or digit
 * run of CoNLL-2003 and WNUT 2017 (31,433), and by tokenize's tests against wink itself.
 */
export function isPlainRun(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start);
  const digits = first >= 48 && first <= 57;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (digits ? c < 48 || c > 57 : !((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

function alignSegment(text: string, start: number, end: number, out: Piece[]): void {
  const values = wink().tokenize(text.slice(start, end));
  let cursor = start;
  for (const { value, tag } of values) {
    if (value.length === 0) continue;
    let p = cursor;
    while (p < end && isSpaceCode(text.charCodeAt(p))) p++;
    let at = p;
    if (!text.startsWith(value, p) || p + value.length > end) {
      let runEnd = p;
      while (runEnd < end && !isSpaceCode(text.charCodeAt(runEnd))) runEnd++;
      const found = text.slice(p, runEnd).indexOf(value);
      if (found < 0) continue; // rewritten by wink: its characters are covered as a gap
      at = p + found;
    }
    if (at > cursor) splitFallback(text, cursor, at, out);
    const valueEnd = at + value.length;
    const kind = KIND_OF_TAG[tag] ?? 'punct';
    if (kind === 'alien') splitFallback(text, at, valueEnd, out);
    else if (kind === 'punct' && value.length > 1) splitFallback(text, at, valueEnd, out);
    else out.push({ start: at, end: valueEnd, kind });
    cursor = valueEnd;
  }
  if (cursor < end) splitFallback(text, cursor, end, out);
}
