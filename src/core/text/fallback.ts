import { charWidth, isAttachingAt, isSpaceCode, isWordCharAt } from './chars.js';
import type { Piece } from './piece.js';

/**
 * Splits `text[start, end)` into pieces without wink: runs of word characters (letters,
 * digits, marks, format characters, in any script) become one `word` piece each, every
 * other character one `punct` piece together with what attaches to it (combining marks,
 * variation selectors, skin tones, ZWJ-joined code points). Whitespace is skipped.
 *
 * The tokenizer uses it wherever wink's output cannot be trusted to cover the text: for
 * characters wink dropped or rewrote, for its "alien" tokens (CJK, Arabic, Cyrillic, ...),
 * and for very long runs without whitespace, which wink's regexes scan in quadratic time.
 * Linear in `end - start`, and it never drops a non-whitespace character.
 *
 * Appends to `out` (a fresh array owned by the caller) rather than returning a new one,
 * because it is called once per gap, possibly millions of times.
 *
 * @example
 * const out: Piece[] = [];
 * splitFallback('東京都。 مرحبا،', 0, 13, out);
 * // -> 東京都 / 。 / مرحبا / ، as { start, end, kind } pieces
 */
export function splitFallback(text: string, start: number, end: number, out: Piece[]): void {
  let i = start;
  while (i < end) {
    if (isSpaceCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + charWidth(text, i, end);
    if (isWordCharAt(text, i)) {
      while (j < end && isWordCharAt(text, j)) j += charWidth(text, j, end);
      out.push({ start: i, end: j, kind: 'word' });
    } else {
      while (j < end) {
        if (text.charCodeAt(j) === 0x200d && j + 1 < end && !isSpaceCode(text.charCodeAt(j + 1))) {
          j += 1 + charWidth(text, j + 1, end); // ZWJ sequence: 👨‍👩‍👧 stays whole
        } else if (isAttachingAt(text, j)) {
          j += charWidth(text, j, end);
        } else break;
      }
      out.push({ start: i, end: j, kind: 'punct' });
    }
    i = j;
  }
}
