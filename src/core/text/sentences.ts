import { abbreviationKind } from './abbreviations.js';
import { isLowerAt, isUpperAt } from './chars.js';
import type { Piece } from './piece.js';

/**
 * Where the sentences of one line end, as indexes into its shaped pieces: the first
 * sentence is `pieces[0, ends[0])`, the next `pieces[ends[0], ends[1])`, and the last ends at
 * `pieces.length` (always the last entry). A line with no pieces has no sentences.
 *
 * A sentence ends after `.`, `!`, `?`, `...` or `…` (with any closing quotes or brackets
 * touching it) when whitespace follows and the next token does not start with a lowercase
 * letter or continuing punctuation (`,` `;` `:` `)`); after a CJK full stop `。！？` always.
 * Abbreviations keep their period inside the token and never end a sentence when they
 * come before what they qualify (`Mr.`, `Dr.`, `St.`, `Jan.`, initials `J.`, `U.S.`), and end
 * one after a closing abbreviation (`Inc.`, `Corp.`, `Tex.`) only before a capitalised word.
 * Line breaks are handled by the caller: every line break ends a sentence.
 *
 * @example
 * // pieces of "Mr. Smith went to the U.S. on Monday. He left."
 * sentenceEnds(text, pieces); // [9, 12]: "Mr. ... Monday ." and "He left ."
 */
export function sentenceEnds(text: string, pieces: readonly Piece[]): number[] {
  const ends: number[] = [];
  const n = pieces.length;
  let i = 0;
  while (i < n) {
    const p = pieces[i];
    if (p.kind === 'punct' && isTerminal(text, p)) {
      const j = skipClosers(text, pieces, i + 1);
      const next = pieces[j];
      if (next !== undefined && (isFullWidthStop(text, p) || (hasGapBefore(pieces, j) && mayStartSentence(text, next)))) {
        ends.push(j);
      }
      i = j;
      continue;
    }
    if (p.kind === 'word' && p.end - p.start > 1 && text.charCodeAt(p.end - 1) === 46) {
      if (abbreviationKind(text.slice(p.start, p.end)) === 'suffix') {
        const j = skipClosers(text, pieces, i + 1);
        const next = pieces[j];
        if (next !== undefined && hasGapBefore(pieces, j) && (isUpperAt(text, next.start) || isOpener(text.charCodeAt(next.start)))) {
          ends.push(j);
        }
        i = j;
        continue;
      }
    }
    i++;
  }
  if (n > 0) ends.push(n);
  return ends;
}

/** A piece made only of `.`, `!`, `?`, `…` or the CJK stops. */
function isTerminal(text: string, p: Piece): boolean {
  for (let i = p.start; i < p.end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 46 && c !== 33 && c !== 63 && c !== 0x2026 && !isFullWidthStopCode(c)) return false;
  }
  return true;
}

function isFullWidthStopCode(c: number): boolean {
  return c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0xff61;
}

function isFullWidthStop(text: string, p: Piece): boolean {
  return isFullWidthStopCode(text.charCodeAt(p.start));
}

/** Closing quotes and brackets that belong to the sentence they follow. */
function isCloser(c: number): boolean {
  return c === 34 || c === 39 || c === 41 || c === 93 || c === 125 || c === 0x201d || c === 0x2019 ||
    c === 0xbb || c === 0x203a || c === 0x300d || c === 0x300f || c === 0xff09;
}

/** Opening quotes and brackets that may begin a sentence. */
function isOpener(c: number): boolean {
  return c === 34 || c === 39 || c === 40 || c === 91 || c === 0x201c || c === 0x2018 || c === 0xab || c === 0x2039;
}

/** Index of the first piece after the terminal ones and the closers that touch them. */
function skipClosers(text: string, pieces: readonly Piece[], from: number): number {
  let j = from;
  while (j < pieces.length && pieces[j].start === pieces[j - 1].end && pieces[j].kind === 'punct') {
    const q = pieces[j];
    if (!isTerminal(text, q) && !(q.end - q.start === 1 && isCloser(text.charCodeAt(q.start)))) break;
    j++;
  }
  return j;
}

function hasGapBefore(pieces: readonly Piece[], j: number): boolean {
  return j > 0 && pieces[j].start > pieces[j - 1].end;
}

/** Not a lowercase word and not punctuation that continues a sentence. */
function mayStartSentence(text: string, p: Piece): boolean {
  if (isLowerAt(text, p.start)) return false;
  const c = text.charCodeAt(p.start);
  return !(c === 44 || c === 59 || c === 58 || c === 41 || c === 93 || c === 125 || c === 37);
}
