/**
 * Converting between tag sequences and entity spans `{ start, end, type }` (token indices,
 * `end` exclusive).
 */
import { NerError } from '../errors.js';
import { endOfChunk, startOfChunk } from './chunk-rules.js';
import { malformedTag, tryParseTag, type ParsedTag } from './tag.js';
import type { TagScheme } from './tag-scheme.js';

/**
 * An entity over token indices: tokens `start` .. `end - 1` have type `type`. `score`, for a
 * predicted span, is the model's confidence in [0, 1]: the calibrated probability that the
 * sentence holds exactly this entity (see Sentence.entityScores).
 * Part of the document model (document/document.ts).
 */
export interface Span {
  start: number;
  end: number;
  type: string;
  score?: number;
}

const OUTSIDE: ParsedTag = { prefix: 'O', type: '' };

/**
 * Decodes a tag sequence into entity spans with the CoNLL evaluation script's chunk rules,
 * so the spans are exactly the phrases conlleval counts. Any scheme is accepted (IOB1, IOB2,
 * BIOES), as are ill-formed sequences: `I-X` after `O` or after another type starts an
 * entity, and a change of type ends one. A malformed tag throws a NerError (`E_TAG`).
 *
 * @example
 * tagsToSpans(['B-PER', 'I-PER', 'O', 'B-LOC']);
 * // [{ start: 0, end: 2, type: 'PER' }, { start: 3, end: 4, type: 'LOC' }]
 * tagsToSpans(['O', 'I-PER', 'I-PER']);   // [{ start: 1, end: 3, type: 'PER' }]
 * tagsToSpans(['B-PER', 'I-LOC']);        // PER 0..1 and LOC 1..2
 */
export function tagsToSpans(tags: readonly string[]): Span[] {
  const spans: Span[] = [];
  let prev = OUTSIDE;
  let open = -1;
  for (let i = 0; i < tags.length; i++) {
    const tag = parseTagAt(tags[i], i);
    if (open >= 0 && endOfChunk(prev, tag)) {
      spans.push({ start: open, end: i, type: prev.type });
      open = -1;
    }
    if (startOfChunk(prev, tag)) open = i;
    prev = tag;
  }
  if (open >= 0) spans.push({ start: open, end: tags.length, type: prev.type });
  return spans;
}

/**
 * Encodes spans as a tag sequence of length `n` in the given scheme (IOB2 by default).
 * In IOB1 an entity starts with `I-` unless the token before it ends an entity of the same
 * type, where it takes `B-` (CoNLL-2003's original encoding). Spans must lie within
 * `0..n`, be non-empty and not overlap; they may come in any order.
 *
 * @example
 * const spans = [{ start: 0, end: 2, type: 'PER' }, { start: 2, end: 3, type: 'PER' }];
 * spansToTags(spans, 4, 'IOB2');  // ['B-PER', 'I-PER', 'B-PER', 'O']
 * spansToTags(spans, 4, 'IOB1');  // ['I-PER', 'I-PER', 'B-PER', 'O']
 * spansToTags(spans, 4, 'BIOES'); // ['B-PER', 'E-PER', 'S-PER', 'O']
 */
export function spansToTags(spans: readonly Span[], n: number, scheme: TagScheme = 'IOB2'): string[] {
  if (!Number.isInteger(n) || n < 0) {
    throw new NerError('E_CONFIG', `spansToTags: length must be a non-negative integer, got ${n}`);
  }
  const tags: string[] = new Array<string>(n).fill('O');
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let prevEnd = 0;
  let prevType = '';
  for (const span of sorted) {
    checkSpan(span, n, prevEnd);
    const { start, end, type } = span;
    const length = end - start;
    if (scheme === 'BIOES') {
      if (length === 1) tags[start] = `S-${type}`;
      else {
        tags[start] = `B-${type}`;
        for (let i = start + 1; i < end - 1; i++) tags[i] = `I-${type}`;
        tags[end - 1] = `E-${type}`;
      }
    } else {
      // IOB1 needs B- only where it would otherwise merge with the entity just before.
      const touching = start === prevEnd && prevType === type && start > 0;
      tags[start] = scheme === 'IOB2' || touching ? `B-${type}` : `I-${type}`;
      for (let i = start + 1; i < end; i++) tags[i] = `I-${type}`;
    }
    prevEnd = end;
    prevType = type;
  }
  return tags;
}

function parseTagAt(tag: string, position: number): ParsedTag {
  const parsed = tryParseTag(tag);
  if (parsed === undefined) throw malformedTag(tag, {}, position);
  return parsed;
}

function checkSpan(span: Span, n: number, prevEnd: number): void {
  const { start, end, type } = span;
  const what = `span ${JSON.stringify({ start, end, type })}`;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start >= end) {
    throw new NerError('E_FORMAT', `${what} does not lie within 0..${n} with start < end`);
  }
  if (start < prevEnd) throw new NerError('E_FORMAT', `${what} overlaps the span before it`);
  // The same rule as a tag's type (tag.ts), so that every span encodes to a well-formed tag.
  if (typeof type !== 'string' || tryParseTag(`B-${type}`) === undefined) {
    throw new NerError('E_FORMAT', `${what} needs a non-empty type without whitespace, control or invisible characters`);
  }
}
