import { describe, expect, it } from 'vitest';
import { UNK_ID, Vocabulary } from '../../src/core/features/vocabulary.js';

describe('Vocabulary.id', () => {
  // Large enough to be scanned for its first lookups; 'dup' saved twice: the last id wins.
  const keys = ['<PAD>', '<UNK>', ...Array.from({ length: 30_000 }, (_, i) => `w${i}`), 'dup', 'x', 'dup'];
  const dup = keys.length - 1;

  it('answers the same before and after its index is built, the last of duplicate keys winning', () => {
    const v = Vocabulary.fromSaved([...keys]);
    const asked = ['w0', 'dup', 'nope', 'w29999', 'x', '<PAD>'];
    const expected = [2, dup, UNK_ID, 30_001, dup - 1, 0];
    // 40 rounds: the first lookups scan, the later ones use the index.
    for (let round = 0; round < 40; round++) expect(asked.map((k) => v.id(k))).toEqual(expected);
    expect(v.has('dup')).toBe(true);
    expect(v.has('nope')).toBe(false);
  });

  it('has() before any id() builds the index and agrees with it', () => {
    const v = Vocabulary.fromSaved([...keys]);
    expect(v.has('w5')).toBe(true);
    expect(v.id('w5')).toBe(7);
    expect(v.id('dup')).toBe(dup);
  });
});
