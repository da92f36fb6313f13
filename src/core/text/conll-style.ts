import { isAbbreviation } from './abbreviations.js';
import {
  hasApostrophe, isApostropheCode, isAttachingAt, isDigitAt, isLetterAt, isUpperAt, isWordCharAt, lastCharStart,
} from './chars.js';
import { isChar, type Piece } from './piece.js';

/**
 * Rebuilds raw pieces (wink's tokens and the fallback's) into tokens like CoNLL-2003's, the
 * ones the model was trained on: `Jean-Luc`, `O'Neill`, `U.S.`, `Mr.`, `G7`, `Łódź` whole;
 * `Germany 's`, `do n't`, `Hello ...` split. Each pass returns a new array; none changes
 * the pieces it is given. Every pass only joins adjacent pieces or splits one piece at a
 * position inside it, so the pieces keep covering the same characters.
 *
 * @example
 * // pieces of "Jean-Luc's U.S. trip" from winkPieces:
 * //   Jean / - / Luc / 's / U / . / S / . / trip
 * conllStylePieces(text, pieces);
 * //   Jean-Luc / 's / U.S. / trip
 */
export function conllStylePieces(text: string, pieces: readonly Piece[]): Piece[] {
  let out = glueWords(text, pieces);
  out = joinApostrophes(text, out);
  out = splitContractions(text, out);
  out = mergeRuns(text, out);
  out = mergeAbbreviations(text, out);
  out = joinHyphens(text, out);
  out = joinInnerSymbols(text, out);
  return splitUrlTails(text, out);
}

const DOT = 46;
const HYPHEN = 45;

function adjacent(a: Piece | undefined, b: Piece): a is Piece {
  return a !== undefined && a.end === b.start;
}

function endsWithWordChar(text: string, p: Piece): boolean {
  return isWordCharAt(text, lastCharStart(text, p.start, p.end));
}

/**
 * Joins touching word pieces wink or the fallback cut apart: `G` `7`, `1990` `s`, `Ł` `ód`
 * `ź` (wink's words are Latin-1 only), `cafe` + a combining accent. Pieces with an
 * apostrophe stay apart, since wink split those on purpose (`do` `n't`, `Germany` `'s`).
 * A piece that starts with a combining mark joins whatever it touches.
 */
function glueWords(text: string, pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (adjacent(last, p)) {
      if (isAttachingAt(text, p.start) && last.kind !== 'url') {
        out[out.length - 1] = { start: last.start, end: p.end, kind: last.kind };
        continue;
      }
      if (
        last.kind === 'word' && p.kind === 'word' && endsWithWordChar(text, last) && isWordCharAt(text, p.start) &&
        !hasApostrophe(text, last.start, last.end) && !hasApostrophe(text, p.start, p.end)
      ) {
        out[out.length - 1] = { start: last.start, end: p.end, kind: 'word' };
        continue;
      }
    }
    out.push(p);
  }
  return out;
}

/** Joins word, apostrophe, word when they touch (`O` `’` `Neill`); the next pass splits off `’s` and the like. */
function joinApostrophes(text: string, pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const n = out.length;
    if (n >= 2 && p.kind === 'word' && isWordCharAt(text, p.start)) {
      const q = out[n - 1];
      const w = out[n - 2];
      if (
        q.kind === 'punct' && q.end - q.start === 1 && isApostropheCode(text.charCodeAt(q.start)) &&
        adjacent(w, q) && adjacent(q, p) && w.kind === 'word' && endsWithWordChar(text, w)
      ) {
        out.length = n - 2;
        out.push({ start: w.start, end: p.end, kind: 'word' });
        continue;
      }
    }
    out.push(p);
  }
  return out;
}

function lowerCode(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * Where a word with an apostrophe splits, Penn Treebank style as in CoNLL: `Germany|'s`,
 * `they|'re`, `I|'m`, `do|n't`, `James|'`; -1 for words kept whole (`O'Neill`, `o'clock`).
 */
function contractionSplit(text: string, p: Piece): number {
  const { start, end } = p;
  const len = end - start;
  const last = lowerCode(text.charCodeAt(end - 1));
  if (len >= 2 && isApostropheCode(text.charCodeAt(end - 1))) return end - 1;
  if (len >= 3 && isApostropheCode(text.charCodeAt(end - 2)) && (last === 115 || last === 109 || last === 100)) {
    return end - 2; // 's 'm 'd
  }
  if (len >= 4 && isApostropheCode(text.charCodeAt(end - 3))) {
    const mid = lowerCode(text.charCodeAt(end - 2));
    if ((mid === 108 && last === 108) || (mid === 114 && last === 101) || (mid === 118 && last === 101)) {
      return end - 3; // 'll 're 've
    }
  }
  if (len >= 4 && last === 116 && isApostropheCode(text.charCodeAt(end - 2)) && lowerCode(text.charCodeAt(end - 3)) === 110) {
    return end - 3; // n't
  }
  return -1;
}

/** Splits contractions and possessives off words: `they're` -> `they` `'re`, `don’t` -> `do` `n’t`. */
function splitContractions(text: string, pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    if (p.kind === 'word' && hasApostrophe(text, p.start, p.end)) {
      const at = contractionSplit(text, p);
      if (at > p.start) {
        const tailKind = at === p.end - 1 ? 'punct' : 'word';
        out.push({ start: p.start, end: at, kind: 'word' }, { start: at, end: p.end, kind: tailKind });
        continue;
      }
    }
    out.push(p);
  }
  return out;
}

/** Runs of touching dots or hyphens become one token: `...`, `--`, as in CoNLL. */
function mergeRuns(text: string, pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (adjacent(last, p) && last.kind === 'punct' && p.kind === 'punct') {
      const c = text.charCodeAt(p.start);
      // Only this pass makes runs, from single characters, so the ends tell what the run is
      // made of (a scan of the whole run would make a long run quadratic).
      if ((c === DOT || c === HYPHEN) && p.end - p.start === 1 && text.charCodeAt(last.start) === c && text.charCodeAt(last.end - 1) === c) {
        out[out.length - 1] = { start: last.start, end: p.end, kind: 'punct' };
        continue;
      }
    }
    out.push(p);
  }
  return out;
}

function isSingleLetter(text: string, p: Piece): boolean {
  const len = p.end - p.start;
  return p.kind === 'word' && (len === 1 || (len === 2 && lastCharStart(text, p.start, p.end) === p.start)) && isLetterAt(text, p.start);
}

const MAX_HOST_LABELS = 8;

/** Top-level domains that make `word.word` a host name (`bbc.co.uk`, `Reuters.com`). */
const TLDS = new Set(['com', 'org', 'net', 'edu', 'gov', 'int', 'mil', 'info', 'biz', 'io', 'uk', 'de', 'fr', 'it', 'es', 'nl', 'ru', 'cn', 'jp', 'ca', 'au', 'ch', 'eu', 'in', 'br']);

/**
 * Keeps periods that belong to a word: dotted acronyms (`U.S.`, `a.m.`), known abbreviations
 * (`Mr.`, `Inc.`, `No.` before a number), initials (`J.`), and host names (`www.bbc.co.uk`).
 */
function mergeAbbreviations(text: string, pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  const n = pieces.length;
  let i = 0;
  while (i < n) {
    const p = pieces[i];
    const dot = pieces[i + 1];
    if (p.kind !== 'word' || dot === undefined || !adjacent(p, dot) || !isChar(text, dot, DOT)) {
      out.push(p);
      i++;
      continue;
    }
    // Dotted acronym: letter . letter . (letter .)*
    if (isSingleLetter(text, p)) {
      let j = i;
      while (j + 1 < n && isSingleLetter(text, pieces[j]) && isChar(text, pieces[j + 1], DOT) &&
        (j === i || adjacent(pieces[j - 1], pieces[j])) && adjacent(pieces[j], pieces[j + 1])) j += 2;
      if (j - i >= 4) {
        out.push({ start: p.start, end: pieces[j - 1].end, kind: 'word' });
        i = j;
        continue;
      }
    }
    // Host name: word . word (. word)* ending in a known top-level domain. At most
    // MAX_HOST_LABELS labels are looked at, or a long run of `ab.ab.ab...` would be quadratic.
    let j = i;
    while (j + 2 < n && j - i < 2 * MAX_HOST_LABELS && adjacent(pieces[j], pieces[j + 1]) && isChar(text, pieces[j + 1], DOT) &&
      adjacent(pieces[j + 1], pieces[j + 2]) && pieces[j + 2].kind === 'word') j += 2;
    if (j > i && TLDS.has(text.slice(pieces[j].start, pieces[j].end))) {
      out.push({ start: p.start, end: pieces[j].end, kind: 'word' });
      i = j + 1;
      continue;
    }
    const next = pieces[i + 2];
    // A line that starts `1. ` numbers a list (sports results, rankings): CoNLL writes `1.`.
    if (i === 0 && next !== undefined && next.start > dot.end && p.end - p.start <= 3 && isAllDigits(text, p)) {
      out.push({ start: p.start, end: dot.end, kind: 'word' });
      i += 2;
      continue;
    }
    const beforeNumber = next !== undefined && isDigitAt(text, next.start);
    if ((isSingleLetter(text, p) && isUpperAt(text, p.start)) || (p.end - p.start <= 7 && isAbbreviation(text.slice(p.start, p.end), beforeNumber))) {
      out.push({ start: p.start, end: dot.end, kind: 'word' });
      i += 2;
      continue;
    }
    out.push(p);
    i++;
  }
  return out;
}

function isAllDigits(text: string, p: Piece): boolean {
  for (let i = p.start; i < p.end; i++) if (!isDigitAt(text, i)) return false;
  return true;
}

function isAllUpper(text: string, p: Piece): boolean {
  for (let i = p.start; i < p.end; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

function isHyphen(text: string, p: Piece): boolean {
  if (p.kind !== 'punct' || p.end - p.start !== 1) return false;
  const c = text.charCodeAt(p.start);
  return c === HYPHEN || c === 0x2010 || c === 0x2011;
}

/** Hyphenated words stay whole, as in CoNLL: `Jean-Luc`, `Coca-Cola`, `U.S.-led`, `mid-1990s`. */
function joinHyphens(text: string, pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const n = out.length;
    if (n >= 2 && p.kind === 'word' && isWordCharAt(text, p.start)) {
      const h = out[n - 1];
      const w = out[n - 2];
      if (
        isHyphen(text, h) && adjacent(w, h) && adjacent(h, p) && w.kind === 'word' &&
        (endsWithWordChar(text, w) || text.charCodeAt(w.end - 1) === DOT)
      ) {
        out.length = n - 2;
        out.push({ start: w.start, end: p.end, kind: 'word' });
        continue;
      }
    }
    out.push(p);
  }
  return out;
}

/**
 * CoNLL's number and name shapes: an explicit sign or a leading decimal point stays with
 * its number when nothing touches it from the left (`+44`, `+0.05`, `.500`); `&` between
 * touching words stays in the name (`S&P`, `AT&T`); `:` and `/` between touching numbers
 * stay in the time, score or date (`10:30`, `38:18.759`, `08/29/1996`); a currency's country code keeps its `$`
 * (`US$`, `HK$`, `C$`). A minus stays apart, as in CoNLL.
 */
function joinInnerSymbols(text: string, pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    const next = pieces[i + 1];
    const before = out[out.length - 1];
    const c = text.charCodeAt(p.start);
    if (
      (c === 43 || c === DOT) && p.kind === 'punct' && p.end - p.start === 1 && next !== undefined &&
      adjacent(p, next) && next.kind === 'word' && isDigitAt(text, next.start) && !adjacent(before, p)
    ) {
      out.push({ start: p.start, end: next.end, kind: 'word' });
      i++;
      continue;
    }
    const between = p.kind === 'punct' && p.end - p.start === 1 && next !== undefined && adjacent(before, p) &&
      adjacent(p, next) && before.kind === 'word' && next.kind === 'word';
    if (
      between && ((c === 38 && endsWithWordChar(text, before) && isWordCharAt(text, next.start)) ||
        ((c === 58 || c === 47) && isDigitAt(text, before.end - 1) && isDigitAt(text, next.start)))
    ) {
      out[out.length - 1] = { start: before.start, end: next.end, kind: 'word' };
      i++;
      continue;
    }
    if (c === 36 && adjacent(before, p) && before.kind === 'word' && before.end - before.start <= 3 && isAllUpper(text, before)) {
      out[out.length - 1] = { start: before.start, end: p.end, kind: 'word' };
      continue;
    }
    out.push(p);
  }
  return out;
}

/** Trailing characters that end the sentence or clause, not the address. */
function isUrlTail(c: number): boolean {
  return c === DOT || c === 44 || c === 59 || c === 58 || c === 33 || c === 63 || c === 41 || c === 39 || c === 34;
}

/** `https://example.com/a.` -> `https://example.com/a` `.`: wink keeps a sentence's final period in the URL. */
function splitUrlTails(text: string, pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    if (p.kind === 'url') {
      let end = p.end;
      while (end - 1 > p.start && isUrlTail(text.charCodeAt(end - 1))) end--;
      if (end < p.end) {
        out.push({ start: p.start, end, kind: 'url' });
        const tail: Piece[] = [];
        for (let i = end; i < p.end; i++) tail.push({ start: i, end: i + 1, kind: 'punct' });
        out.push(...mergeRuns(text, tail));
        continue;
      }
    }
    out.push(p);
  }
  return out;
}
