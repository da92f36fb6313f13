/**
 * What a single NER tag is: `O`, or a prefix `B`, `I`, `E`, `S` with a type (`B-PER`).
 *
 * Parsing is strict on purpose: a tag the file meant as something else (`B-`, `X-PER`,
 * `b-per`) is reported instead of being read as a new entity type or as `O`.
 */
import { NerError, type ErrorWhere } from '../errors.js';

/** The part of a tag before the hyphen; `O` for the outside tag. */
export type TagPrefix = 'O' | 'B' | 'I' | 'E' | 'S';

/** A tag split into its prefix and its entity type (`''` for `O`). */
export interface ParsedTag {
  prefix: TagPrefix;
  type: string;
}

const OUTSIDE: ParsedTag = Object.freeze({ prefix: 'O', type: '' }) as ParsedTag;

/**
 * What an entity type may not hold: whitespace, control characters (C0, DEL, C1: a stray NUL
 * or `\v` from a broken export) and invisible format characters (zero-width space, BOM,
 * direction marks). Each would make a new type that looks like an existing one.
 */
const NOT_IN_TYPE = /[\s\p{Cc}\p{Cf}]/u;

/**
 * Splits a tag, or returns undefined when it is malformed. The type may contain hyphens
 * (`B-ORG-X` has type `ORG-X`), as conlleval allows since 2004, and letters, digits,
 * punctuation and symbols of any script; it may not be empty or contain whitespace,
 * control or invisible (format) characters.
 *
 * @example
 * tryParseTag('I-LOC'); // { prefix: 'I', type: 'LOC' }
 * tryParseTag('b-per'); // undefined
 */
export function tryParseTag(tag: string): ParsedTag | undefined {
  if (tag === 'O') return OUTSIDE;
  // Checked by character codes rather than a regex: this runs once per token of every file.
  if (tag.length < 3 || tag.charCodeAt(1) !== 45 /* - */) return undefined;
  const p = tag[0];
  if (p !== 'B' && p !== 'I' && p !== 'E' && p !== 'S') return undefined;
  const type = tag.slice(2);
  if (!isPlainAscii(type) && NOT_IN_TYPE.test(type)) return undefined;
  return { prefix: p, type };
}

/** Printable ASCII only (the usual case, checked without a regex). */
function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f) return false;
  }
  return true;
}

/**
 * Splits a tag into prefix and type; a malformed tag is a NerError (`E_TAG`) naming
 * `where` (file and line) when given.
 *
 * @example
 * parseTag('B-PER'); // { prefix: 'B', type: 'PER' }
 * parseTag('O');     // { prefix: 'O', type: '' }
 * parseTag('B-');    // throws NerError: malformed tag "B-" ...
 */
export function parseTag(tag: string, where: ErrorWhere = {}): ParsedTag {
  const parsed = tryParseTag(tag);
  if (parsed === undefined) throw malformedTag(tag, where);
  return parsed;
}

/**
 * Whether `tag` is a well-formed tag.
 *
 * @example
 * isTag('S-MISC'); // true
 * isTag('X-PER');  // false
 */
export function isTag(tag: string): boolean {
  return tryParseTag(tag) !== undefined;
}

/**
 * Checks every tag of a sequence, throwing for the first malformed one with its position.
 *
 * @example
 * validateTags(['B-PER', 'I-PER', 'O']); // ok
 * validateTags(['B-PER', 'I-']);         // throws: malformed tag "I-" at position 1
 */
export function validateTags(tags: readonly string[]): void {
  for (let i = 0; i < tags.length; i++) {
    if (tryParseTag(tags[i]) === undefined) throw malformedTag(tags[i], {}, i);
  }
}

/** The hint of a malformed tag: what a tag is. */
export const TAG_HINT = 'a tag is O, or B-, I-, E- or S- followed by an entity type, e.g. B-PER; a type has no whitespace, control or invisible characters';

/**
 * The error for a malformed tag, shared so that every reader words it the same way. The
 * tag is quoted with its invisible characters escaped (`"B-ORG\u0000"`), and a type that
 * holds one says which.
 */
export function malformedTag(tag: string, where: ErrorWhere, position?: number): NerError {
  const at = position === undefined ? '' : ` at position ${position}`;
  return new NerError('E_TAG', `malformed tag ${quoteTag(tag)}${at}${badCharacter(tag)}`, {
    ...where,
    hint: where.hint ?? TAG_HINT,
  });
}

/** `"tag"`, with every whitespace (but the plain space), control and format character as `\uXXXX`. */
function quoteTag(tag: string): string {
  const shown = tag.replace(/[^\S ]|[\p{Cc}\p{Cf}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${shown}"`;
}

/** Why an otherwise well-shaped tag was refused, when its type holds a character it may not. */
function badCharacter(tag: string): string {
  if (tag.length < 3 || tag[1] !== '-') return '';
  const c = NOT_IN_TYPE.exec(tag.slice(2))?.[0];
  if (c === undefined) return '';
  const code = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const kind = /\p{Cc}/u.test(c) ? 'a control character' : /\p{Cf}/u.test(c) ? 'an invisible format character' : 'whitespace';
  return `: its type holds ${code}, ${kind}`;
}
