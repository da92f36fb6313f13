import { describe, expect, it } from 'vitest';
import { spansToTags, tagsToSpans } from '../../src/core/tags/spans.js';
import type { Span } from '../../src/core/document/document.js';

// "John Smith Mary met Acme officials in New York": two touching PER entities, so IOB1
// needs its B- once.
const SPANS: Span[] = [
  { start: 0, end: 2, type: 'PER' },
  { start: 2, end: 3, type: 'PER' },
  { start: 4, end: 5, type: 'ORG' },
  { start: 7, end: 9, type: 'LOC' },
];
const IOB1 = ['I-PER', 'I-PER', 'B-PER', 'O', 'I-ORG', 'O', 'O', 'I-LOC', 'I-LOC'];
const IOB2 = ['B-PER', 'I-PER', 'B-PER', 'O', 'B-ORG', 'O', 'O', 'B-LOC', 'I-LOC'];
const BIOES = ['B-PER', 'E-PER', 'S-PER', 'O', 'S-ORG', 'O', 'O', 'B-LOC', 'E-LOC'];

describe('tagsToSpans', () => {
  it('decodes the same sentence identically from IOB1, IOB2 and BIOES', () => {
    expect(tagsToSpans(IOB1)).toEqual(SPANS);
    expect(tagsToSpans(IOB2)).toEqual(SPANS);
    expect(tagsToSpans(BIOES)).toEqual(SPANS);
  });

  it('starts an entity at an I- after O (conlleval: O then I starts a chunk)', () => {
    expect(tagsToSpans(['O', 'I-PER', 'I-PER'])).toEqual([{ start: 1, end: 3, type: 'PER' }]);
  });

  it('splits on a change of type even without B- (B-PER I-LOC is two entities)', () => {
    expect(tagsToSpans(['B-PER', 'I-LOC'])).toEqual([
      { start: 0, end: 1, type: 'PER' },
      { start: 1, end: 2, type: 'LOC' },
    ]);
  });

  it('ends an entity at B- of the same type (I-PER B-PER is two entities)', () => {
    expect(tagsToSpans(['I-PER', 'B-PER'])).toEqual([
      { start: 0, end: 1, type: 'PER' },
      { start: 1, end: 2, type: 'PER' },
    ]);
  });

  it('continues an entity through I- of the same type after B-', () => {
    expect(tagsToSpans(['B-LOC', 'I-LOC', 'I-LOC', 'O'])).toEqual([{ start: 0, end: 3, type: 'LOC' }]);
  });

  it('closes an entity at the end of the sentence', () => {
    expect(tagsToSpans(['O', 'B-MISC'])).toEqual([{ start: 1, end: 2, type: 'MISC' }]);
  });

  it('separates BIOES entities after E- and S-, which conlleval.pl alone would merge', () => {
    expect(tagsToSpans(['S-PER', 'S-PER'])).toEqual([
      { start: 0, end: 1, type: 'PER' },
      { start: 1, end: 2, type: 'PER' },
    ]);
    expect(tagsToSpans(['B-PER', 'E-PER', 'B-PER', 'E-PER'])).toEqual([
      { start: 0, end: 2, type: 'PER' },
      { start: 2, end: 4, type: 'PER' },
    ]);
    // An E- after E- or O starts a new entity (conlleval's E rules).
    expect(tagsToSpans(['E-PER', 'E-PER'])).toEqual([
      { start: 0, end: 1, type: 'PER' },
      { start: 1, end: 2, type: 'PER' },
    ]);
  });

  it('gives no spans for an empty or all-O sequence', () => {
    expect(tagsToSpans([])).toEqual([]);
    expect(tagsToSpans(['O', 'O'])).toEqual([]);
  });

  it('throws on a malformed tag, naming its position', () => {
    expect(() => tagsToSpans(['O', 'B-'])).toThrow(/malformed tag "B-" at position 1/);
  });

  it('does not change its input', () => {
    const tags = Object.freeze([...IOB1]);
    tagsToSpans(tags);
    expect(tags).toEqual(IOB1);
  });
});

describe('spansToTags', () => {
  it('encodes spans in each scheme', () => {
    expect(spansToTags(SPANS, 9, 'IOB1')).toEqual(IOB1);
    expect(spansToTags(SPANS, 9, 'IOB2')).toEqual(IOB2);
    expect(spansToTags(SPANS, 9, 'BIOES')).toEqual(BIOES);
    expect(spansToTags(SPANS, 9)).toEqual(IOB2);
  });

  it('accepts spans in any order without reordering the caller\'s array', () => {
    const reversed = Object.freeze([...SPANS].reverse());
    expect(spansToTags(reversed, 9, 'IOB1')).toEqual(IOB1);
    expect(reversed[0]).toEqual(SPANS[3]);
  });

  it('uses B- in IOB1 only where the entity before has the same type', () => {
    const spans = [{ start: 0, end: 1, type: 'PER' }, { start: 1, end: 2, type: 'LOC' }];
    expect(spansToTags(spans, 2, 'IOB1')).toEqual(['I-PER', 'I-LOC']);
  });

  it('rejects overlapping, empty and out-of-range spans', () => {
    expect(() => spansToTags([{ start: 0, end: 2, type: 'PER' }, { start: 1, end: 3, type: 'LOC' }], 4)).toThrow(/overlaps/);
    expect(() => spansToTags([{ start: 1, end: 1, type: 'PER' }], 4)).toThrow(/within 0..4/);
    expect(() => spansToTags([{ start: 3, end: 5, type: 'PER' }], 4)).toThrow(/within 0..4/);
    expect(() => spansToTags([{ start: 0, end: 1, type: '' }], 4)).toThrow(/non-empty type/);
  });
});
