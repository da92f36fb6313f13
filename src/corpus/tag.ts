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
 * Splits a tag, or returns undefined when it is malformed. The type may contain hyphens
 * (`B-ORG-X` has type `ORG-X`), as conlleval allows since 2004; it may not be empty or
 * contain whitespace.
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
  if (/\s/.test(type)) return undefined;
  return { prefix: p, type };
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

/** The error for a malformed tag, shared so that every reader words it the same way. */
export function malformedTag(tag: string, where: ErrorWhere, position?: number): NerError {
  const at = position === undefined ? '' : ` at position ${position}`;
  return new NerError('E_TAG', `malformed tag "${tag}"${at}`, {
    ...where,
    hint: where.hint ?? 'a tag is O, or B-, I-, E- or S- followed by an entity type, e.g. B-PER',
  });
}
