import { describe, expect, it } from 'vitest';
import { estimateTransitions } from '../../src/core/decode/transition-scores.js';
import { decodeViterbi } from '../../src/core/decode/decoders.js';

describe('transition scores', () => {
  it('are add-one smoothed log P(next | previous) from the training tags', () => {
    const tags = ['O', 'B-PER', 'I-PER'];
    const s = estimateTransitions([['B-PER', 'I-PER', 'O'], ['O', 'O', 'B-PER']], tags);
    // From O: O->O 1 and O->B-PER 1 observed; +1 each: counts 2, 2, 1 of 5
    expect(s[0 * 3 + 0]).toBeCloseTo(Math.log(2 / 5), 6);
    expect(s[0 * 3 + 1]).toBeCloseTo(Math.log(2 / 5), 6);
    expect(s[0 * 3 + 2]).toBeCloseTo(Math.log(1 / 5), 6);
    // From B-PER: B-PER->I-PER 1; counts 1, 1, 2 of 4
    expect(s[1 * 3 + 2]).toBeCloseTo(Math.log(2 / 4), 6);
  });

  it('can change the Viterbi path where the classifier hesitates', () => {
    const tags = ['O', 'B-PER', 'I-PER'];
    // token 2 hesitates between O and I-PER (0.5 / 0.45); training data says B-PER is nearly always followed by I-PER
    const probs = Float32Array.from([0.05, 0.9, 0.05, 0.5, 0.05, 0.45]);
    expect(Array.from(decodeViterbi(probs, 2, tags, 'IOB2'), (k) => tags[k])).toEqual(['B-PER', 'O']);
    const s = estimateTransitions(Array.from({ length: 20 }, () => ['B-PER', 'I-PER']), tags);
    expect(Array.from(decodeViterbi(probs, 2, tags, 'IOB2', s), (k) => tags[k])).toEqual(['B-PER', 'I-PER']);
  });
});
