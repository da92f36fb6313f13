import { describe, expect, it } from 'vitest';
import { NerError } from '../../src/core/errors.js';
import { isTag, parseTag, tryParseTag, validateTags } from '../../src/core/tags/tag.js';

describe('parseTag', () => {
  it('splits well-formed tags into prefix and type', () => {
    expect(parseTag('O')).toEqual({ prefix: 'O', type: '' });
    expect(parseTag('B-PER')).toEqual({ prefix: 'B', type: 'PER' });
    expect(parseTag('I-LOC')).toEqual({ prefix: 'I', type: 'LOC' });
    expect(parseTag('E-ORG')).toEqual({ prefix: 'E', type: 'ORG' });
    expect(parseTag('S-MISC')).toEqual({ prefix: 'S', type: 'MISC' });
  });

  it('keeps hyphens and lower case inside the type, as conlleval does', () => {
    expect(parseTag('B-ORG-X')).toEqual({ prefix: 'B', type: 'ORG-X' });
    expect(parseTag('I-person')).toEqual({ prefix: 'I', type: 'person' });
  });

  it.each(['B-', 'X-PER', 'b-per', 'o', '', 'B', 'BPER', 'O-PER', 'B_PER', '-PER', 'I- PER'])(
    'rejects the malformed tag %j with E_TAG',
    (tag) => {
      expect(tryParseTag(tag)).toBeUndefined();
      expect(isTag(tag)).toBe(false);
      let error: unknown;
      try {
        parseTag(tag, { file: 'a.txt', line: 7 });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(NerError);
      expect((error as NerError).code).toBe('E_TAG');
      expect((error as NerError).message).toContain(`a.txt:7: malformed tag "${tag}"`);
    },
  );
});

describe('validateTags', () => {
  it('names the position of the first malformed tag', () => {
    expect(() => validateTags(['B-PER', 'I-PER', 'O'])).not.toThrow();
    expect(() => validateTags(['B-PER', 'I-', 'X-PER'])).toThrow(/malformed tag "I-" at position 1/);
  });
});
