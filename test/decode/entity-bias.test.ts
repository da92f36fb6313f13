/**
 * The entity bias (ModelConfig.entityBias): b added to the log probability of every tag but O,
 * in greedy and Viterbi decoding and in the sequence model behind the scores.
 */
import { describe, expect, it } from 'vitest';
import { decodeGreedy, decodeViterbi, entityBiasVector } from '../../src/core/decode/decoders.js';
import { TagChain } from '../../src/core/decode/path-posterior.js';
import { Random } from '../../src/core/util/random.js';

const TAGS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
const names = (path: Int32Array) => Array.from(path, (k) => TAGS[k]);

/** A hand-made sentence of three tokens: "Ann saw Rome", the network unsure of both names. */
//                                 O     B-PER I-PER B-LOC I-LOC
const HAND = Float32Array.from([0.55, 0.35, 0.04, 0.04, 0.02, // Ann: O 0.55 against B-PER 0.35 (ratio 1.57)
  0.9, 0.02, 0.04, 0.02, 0.02, // saw
  0.7, 0.02, 0.02, 0.24, 0.02]); // Rome: O 0.7 against B-LOC 0.24 (ratio 2.92)

describe('entity bias', () => {
  it('puts b on every tag but O', () => {
    expect(Array.from(entityBiasVector(TAGS, 0.5))).toEqual([0, 0.5, 0.5, 0.5, 0.5]);
  });

  it('turns an O into an entity once exp(b) passes the ratio of their probabilities, in both decoders', () => {
    for (const decodeWith of [(b: number) => decodeGreedy(HAND, 3, TAGS, b), (b: number) => decodeViterbi(HAND, 3, TAGS, 'IOB2', undefined, b)]) {
      expect(names(decodeWith(0))).toEqual(['O', 'O', 'O']);
      // log(1.57) = 0.45 < 0.5: Ann becomes B-PER; log(2.92) = 1.07 > 0.5: Rome stays O.
      expect(names(decodeWith(0.5))).toEqual(['B-PER', 'O', 'O']);
      expect(names(decodeWith(1.2))).toEqual(['B-PER', 'O', 'B-LOC']);
      // saw: log(0.9 / 0.04) = 3.1 keeps it O at b = 3.
      expect(names(decodeWith(3))).toEqual(['B-PER', 'O', 'B-LOC']);
    }
  });

  it('bias 0 decodes exactly as before on random probabilities, with and without transition scores', () => {
    const rng = new Random(4);
    const T = TAGS.length;
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + (trial % 7);
      const p = Float32Array.from({ length: n * T }, () => Math.pow(rng.next(), 3) + 1e-4);
      const trans = trial % 2 ? Float32Array.from({ length: T * T }, () => -3 * rng.next()) : undefined;
      expect(decodeViterbi(p, n, TAGS, 'IOB2', trans, 0)).toEqual(decodeViterbi(p, n, TAGS, 'IOB2', trans));
      expect(decodeGreedy(p, n, TAGS, 0)).toEqual(decodeGreedy(p, n, TAGS));
      const before = new TagChain(TAGS, 'IOB2', trans, 1.3).posterior(p, n);
      const after = new TagChain(TAGS, 'IOB2', trans, 1.3, 0).posterior(p, n);
      for (let i = 0; i < n; i++) for (let c = 0; c < T; c++) expect(after.tagProbability(i, c)).toBe(before.tagProbability(i, c));
    }
  });

  it("the scores follow the decoder: under b the chain's best path is Viterbi's, and entity tags gain probability", () => {
    const plain = new TagChain(TAGS, 'IOB2', undefined, 1).posterior(HAND, 3);
    const biased = new TagChain(TAGS, 'IOB2', undefined, 1, 1.2).posterior(HAND, 3);
    const path = decodeViterbi(HAND, 3, TAGS, 'IOB2', undefined, 1.2);
    // Each token's decoded tag is its most probable one under the biased chain.
    for (let i = 0; i < 3; i++) {
      const best = TAGS.map((_, c) => biased.tagProbability(i, c)).reduce((a, x, c, all) => (x > all[a] ? c : a), 0);
      expect(best).toBe(path[i]);
    }
    expect(biased.tagProbability(0, 1)).toBeGreaterThan(plain.tagProbability(0, 1));
    expect(biased.tagProbability(0, 0)).toBeLessThan(plain.tagProbability(0, 0));
  });
});
