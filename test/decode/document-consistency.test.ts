import { describe, expect, it } from 'vitest';
import type { Document } from '../../src/core/document/document.js';
import { mixDocumentConsistency } from '../../src/core/decode/document-consistency.js';

const TAGS = ['O', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC'];

/** One document per list of sentences (each a list of words). */
function docs(...documents: string[][][]): Document[] {
  return documents.map((sentences) => ({ sentences: sentences.map((words) => ({ tokens: words.map((text) => ({ text })) })) }));
}

/** Rows of probabilities, one per token, as the network gives them. */
const rows = (...r: number[][]) => Float32Array.from(r.flat());

describe("mixDocumentConsistency (a logarithmic pool of a word's occurrences in its document)", () => {
  it('pools the class distributions of a repeated capitalised word and keeps each occurrence its own B/I split', () => {
    // "Lazio" twice: once sure it is an ORG, once torn between ORG and LOC.
    const documents = docs([['Lazio', 'won'], ['Lazio', 'lost']]);
    const probs = rows([0.02, 0.9, 0.02, 0.04, 0.02], [0.9, 0.025, 0.025, 0.025, 0.025], [0.1, 0.2, 0.2, 0.4, 0.1], [0.9, 0.025, 0.025, 0.025, 0.025]);
    const before = probs.slice();
    const w = 0.5;
    const out = mixDocumentConsistency(documents, probs, TAGS, w);
    expect(probs).toEqual(before); // the input is not written to
    // By hand: classes O, ORG, LOC; masses (0.02, 0.92, 0.06) and (0.1, 0.4, 0.5).
    const a = [0.02, 0.92, 0.06];
    const b = [0.1, 0.4, 0.5];
    const meanLog = a.map((x, c) => (Math.log(x) + Math.log(b[c])) / 2);
    const pooled = b.map((x, c) => Math.exp((1 - w) * Math.log(x) + w * meanLog[c]));
    const z = pooled.reduce((s, x) => s + x, 0);
    const second = Array.from(out.subarray(10, 15));
    expect(second[0]).toBeCloseTo(pooled[0] / z, 6);
    expect(second[1] + second[2]).toBeCloseTo(pooled[1] / z, 6);
    expect(second[1] / second[2]).toBeCloseTo(1, 6); // its own B/I split: 0.2 / 0.2
    expect(second[3] / second[4]).toBeCloseTo(4, 6); // 0.4 / 0.1
    // The torn occurrence now says ORG, as the sure one does; every row still sums to 1.
    expect(second[1] + second[2]).toBeGreaterThan(second[3] + second[4]);
    for (let t = 0; t < 4; t++) expect(out.subarray(t * 5, t * 5 + 5).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 6);
    // Lowercase words are left as they are.
    expect(Array.from(out.subarray(5, 10))).toEqual(Array.from(probs.subarray(5, 10)));
  });

  it('changes nothing at weight 0, for a word used once, for one-letter or lowercase words, or across documents', () => {
    const probs = rows([0.1, 0.2, 0.2, 0.4, 0.1], [0.02, 0.9, 0.02, 0.04, 0.02], [0.5, 0.1, 0.1, 0.2, 0.1], [0.3, 0.3, 0.1, 0.2, 0.1]);
    const twice = docs([['Lazio', 'Roma'], ['Lazio', 'Milan']]);
    expect(mixDocumentConsistency(twice, probs, TAGS, 0)).toBe(probs);
    expect(mixDocumentConsistency(docs([['Lazio', 'Roma'], ['Milan', 'Inter']]), probs, TAGS, 0.7)).toBe(probs);
    expect(mixDocumentConsistency(docs([['A', 'lazio'], ['A', 'lazio']]), probs, TAGS, 0.7)).toBe(probs);
    // The same word in two documents: each document is its own context.
    expect(mixDocumentConsistency(docs([['Lazio', 'Roma']], [['Lazio', 'Milan']]), probs, TAGS, 0.7)).toBe(probs);
  });

  it('groups by lowercased text: LAZIO in a headline and Lazio in the text are one word', () => {
    const probs = rows([0.1, 0.2, 0.2, 0.4, 0.1], [0.02, 0.9, 0.02, 0.04, 0.02]);
    const out = mixDocumentConsistency(docs([['LAZIO'], ['Lazio']]), probs, TAGS, 0.5);
    expect(out).not.toBe(probs);
    expect(out[1] + out[2]).toBeGreaterThan(probs[1] + probs[2]);
  });

  it('works for BIOES tags: a type is all of its B, I, E and S tags', () => {
    const tags = ['O', 'B-ORG', 'I-ORG', 'E-ORG', 'S-ORG', 'B-LOC', 'I-LOC', 'E-LOC', 'S-LOC'];
    const probs = rows([0.02, 0, 0, 0, 0.9, 0, 0, 0, 0.08], [0.1, 0, 0, 0, 0.35, 0, 0, 0, 0.55]);
    const out = mixDocumentConsistency(docs([['Lazio'], ['Lazio']]), probs, tags, 0.5);
    expect(out[9 + 4]).toBeGreaterThan(out[9 + 8]); // S-ORG now above S-LOC
    expect(out.subarray(9).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 6);
  });
});
