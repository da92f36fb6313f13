/**
 * Character classes the tokenizer asks about, answered without allocating: ASCII through a
 * table, everything else through sticky Unicode regexes tested in place (`lastIndex`), so a
 * question costs no substring and no match array.
 *
 * @example
 * isSpaceCode(' '.charCodeAt(0)); // true
 * isWordCharAt('Łódź', 0);        // true
 */

/** Whitespace exactly as JavaScript's `\s` and `String.prototype.trim` define it. */
export function isSpaceCode(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Characters that end a line: every one of them ends a sentence. */
export function isLineBreakCode(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

// 1 for ASCII letters and digits: the common case never reaches a regex.
const ASCII_WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_WORD[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_WORD[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_WORD[c] = 1;

// Letters, digits, combining marks and format characters (ZWJ, ZWNJ, soft hyphen, bidi marks)
// make up words: marks and format characters belong to the letters around them.
const WORD_CHAR = /[\p{L}\p{N}\p{M}\p{Cf}]/uy;
const LETTER = /\p{L}/uy;
const UPPER = /\p{Lu}/uy;
const LOWER = /\p{Ll}/uy;
const MARK = /\p{M}/uy;

function testAt(re: RegExp, text: string, i: number): boolean {
  re.lastIndex = i;
  return re.test(text);
}

/** Is the code point starting at `i` part of a word (letter, digit, mark, format char)? */
export function isWordCharAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_WORD[c] === 1;
  if (c === 0xfeff) return false; // a format character, but whitespace to JavaScript
  return testAt(WORD_CHAR, text, i);
}

/** Is the code point starting at `i` a letter? */
export function isLetterAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return testAt(LETTER, text, i);
}

/** Is the code point starting at `i` an uppercase letter? */
export function isUpperAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return c >= 65 && c <= 90;
  return testAt(UPPER, text, i);
}

/** Is the code point starting at `i` a lowercase letter? */
export function isLowerAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return c >= 97 && c <= 122;
  return testAt(LOWER, text, i);
}

/** Is the code point starting at `i` a digit 0-9? */
export function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * Does the code point at `i` attach to the character before it (a combining mark, a
 * variation selector, an emoji skin tone), so that the two must stay in one token?
 */
export function isAttachingAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x300) return false;
  if (c === 0xfe0f || c === 0xfe0e) return true;
  // Emoji skin tones U+1F3FB..U+1F3FF, as the surrogate pair D83C DFFB..DFFF.
  if (c === 0xd83c) {
    const d = text.charCodeAt(i + 1);
    return d >= 0xdffb && d <= 0xdfff;
  }
  return testAt(MARK, text, i);
}

/** Width in code units of the code point at `i` (2 for a whole surrogate pair below `end`). */
export function charWidth(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** Index where the last code point before `end` starts (steps back over a surrogate pair). */
export function lastCharStart(text: string, start: number, end: number): number {
  const i = end - 1;
  if (i > start) {
    const c = text.charCodeAt(i);
    const b = text.charCodeAt(i - 1);
    if (c >= 0xdc00 && c <= 0xdfff && b >= 0xd800 && b <= 0xdbff) return i - 1;
  }
  return i;
}

/** Apostrophes that can sit inside a word: ASCII ', right single quote ’, modifier ʼ. */
export function isApostropheCode(c: number): boolean {
  return c === 0x27 || c === 0x2019 || c === 0x2bc;
}

/** Does `text[start, end)` contain an apostrophe? */
export function hasApostrophe(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (isApostropheCode(text.charCodeAt(i))) return true;
  return false;
}
