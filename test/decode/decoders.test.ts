import { describe, expect, it } from 'vitest';
import { decodeGreedy, decodeViterbi } from '../../src/core/decode/decoders.js';
import { allowedTransition } from '../../src/core/decode/transitions.js';

const TAGS = ['O', 'B-LOC', 'B-PER', 'I-LOC', 'I-PER'];

/** Probabilities from rows of per-tag values (normalised per token). */
function probs(rows: number[][]): Float32Array {
  return Float32Array.from(rows.flatMap((r) => r.map((x) => x / r.reduce((a, b) => a + b, 0))));
}
const names = (path: Int32Array) => Array.from(path, (k) => TAGS[k]);

describe('decoders', () => {
  it('greedy repairs an I- tag that starts an entity into B-, as conlleval reads it', () => {
    //            O    B-LOC B-PER I-LOC I-PER
    const p = probs([
      [0.1, 0.1, 0.1, 0.1, 0.6], // I-PER at the start -> B-PER
      [0.1, 0.1, 0.1, 0.1, 0.6], // continues PER
      [0.1, 0.1, 0.1, 0.6, 0.1], // I-LOC after PER -> B-LOC
      [0.6, 0.1, 0.1, 0.1, 0.1],
    ]);
    expect(names(decodeGreedy(p, 4, TAGS))).toEqual(['B-PER', 'I-PER', 'B-LOC', 'O']);
  });

  it('viterbi picks the best well-formed sequence, not the token-wise best', () => {
    const p = probs([
      [0.5, 0.05, 0.4, 0.0, 0.05], // O slightly better than B-PER alone...
      [0.05, 0.05, 0.05, 0.05, 0.8], // ...but I-PER next is only allowed after B-PER/I-PER
      [0.9, 0.025, 0.025, 0.025, 0.025],
    ]);
    expect(names(decodeGreedy(p, 3, TAGS))).toEqual(['O', 'B-PER', 'O']);
    // Viterbi: B-PER I-PER O = 0.4 * 0.8 * 0.9 = 0.288 beats O B-PER O = 0.5 * 0.05 * 0.9 = 0.0225
    expect(names(decodeViterbi(p, 3, TAGS, 'IOB2'))).toEqual(['B-PER', 'I-PER', 'O']);
  });

  it('viterbi never produces a forbidden transition on random probabilities', () => {
    let seed = 9;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + (trial % 9);
      const p = probs(Array.from({ length: n }, () => TAGS.map(() => rand() + 1e-3)));
      const path = names(decodeViterbi(p, n, TAGS, 'IOB2'));
      path.forEach((tag, i) => expect(allowedTransition(i ? path[i - 1] : null, tag, 'IOB2')).toBe(true));
    }
  });

  it('BIOES transitions: E and I only inside an entity of their type, no open entity at the end', () => {
    expect(allowedTransition('B-PER', 'E-PER', 'BIOES')).toBe(true);
    expect(allowedTransition('B-PER', 'E-LOC', 'BIOES')).toBe(false);
    expect(allowedTransition('O', 'E-PER', 'BIOES')).toBe(false);
    expect(allowedTransition('S-PER', 'B-LOC', 'BIOES')).toBe(true);
    expect(allowedTransition('B-PER', 'O', 'BIOES')).toBe(false);
    expect(allowedTransition('I-PER', null, 'BIOES')).toBe(false);
    expect(allowedTransition(null, 'I-PER', 'IOB2')).toBe(false);
  });

  it('empty sentences decode to empty paths', () => {
    expect(decodeViterbi(new Float32Array(0), 0, TAGS, 'IOB2').length).toBe(0);
    expect(decodeGreedy(new Float32Array(0), 0, TAGS).length).toBe(0);
  });
});
