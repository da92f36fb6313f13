import { describe, expect, it } from 'vitest';
import { DocumentContext } from '../../src/core/features/document-context.js';
import { FeatureSet, type FeatureSpec } from '../../src/core/features/token-features.js';
import { UNK_ID } from '../../src/core/features/vocabulary.js';

const SPECS: FeatureSpec[] = [
  { name: 'word', dim: 4 }, { name: 'casing', dim: 2 }, { name: 'doccase', dim: 2 }, { name: 'suffix3', dim: 2 }, { name: 'shape', dim: 2 },
];
const TRAIN = [['Paris', 'is', 'big'], ['paris', 'IS', 'Big', '1996'], ['Oslo', 'was', 'cold', 'in', '2003']];

/** Ids computed key by key, as encode did before it remembered words. */
function reference(fs: FeatureSet, words: string[], doc?: DocumentContext): number[] {
  const fresh = new FeatureSet(fs.specs, fs.vocabularies);
  return words.flatMap((w) => Array.from(fresh.encode([w], doc)));
}

describe('FeatureSet.encode', () => {
  it('gives the same ids for a word every time, whatever the document features say', () => {
    const fs = FeatureSet.build(SPECS, TRAIN, { minCount: 1 });
    const words = ['Paris', 'is', 'PARIS', 'unseenword', 'Paris', '1996', 'is'];
    const docA = DocumentContext.of([['The', 'paris', 'is', 'Is']]);
    const docB = DocumentContext.of([['In', 'Paris', 'IS']]);
    const a = fs.encode(words, docA);
    expect(Array.from(fs.encode(words, docB))).toEqual(reference(fs, words, docB));
    expect(Array.from(fs.encode(words, docA))).toEqual(Array.from(a));
    expect(Array.from(a)).toEqual(reference(fs, words, docA));
    expect(Array.from(fs.encode(words))).toEqual(reference(fs, words));
    // doccase differs between the documents for the same word
    expect(a[2]).not.toBe(fs.encode(words, docB)[2]);
    expect(a[3 * SPECS.length]).toBe(UNK_ID);
  });

  it('stays right past the number of words it remembers (100,000)', () => {
    const fs = FeatureSet.build(SPECS, TRAIN, { minCount: 1 });
    const many = Array.from({ length: 101_000 }, (_, i) => (i % 1000 === 0 ? 'Paris' : `w${i}`));
    const doc = DocumentContext.of([['x', 'Paris', 'w1', 'W2']]);
    const ids = fs.encode(many, doc);
    const F = SPECS.length;
    const check = [0, 1, 2, ...Array.from({ length: 200 }, (_, k) => 100_000 + k)];
    for (const i of check) expect(Array.from(ids.subarray(i * F, (i + 1) * F))).toEqual(reference(fs, [many[i]], doc));
    expect(Array.from(fs.encode(['Oslo', 'w1', 'is', 'w2'], doc))).toEqual(reference(fs, ['Oslo', 'w1', 'is', 'w2'], doc));
  });
});
