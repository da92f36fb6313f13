import { describe, expect, it } from 'vitest';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { WindowNetwork } from '../../src/core/model/network.js';
import { WindowModel } from '../../src/core/model/window-model.js';
import type { Document } from '../../src/core/document/document.js';
import { chooseDecoding, MIN_BIAS_GAIN } from '../../src/core/train/choose-decoding.js';
import { Random } from '../../src/core/util/random.js';

const TAGS = ['O', 'B-PER', 'I-PER'];

/** A model whose network is never run here: chooseDecoding decodes the probabilities it is given. */
function model(): WindowModel {
  const rng = new Random(1);
  const specs = [{ name: 'word' as const, dim: 2 }];
  const fs = FeatureSet.build(specs, [['Ann']], { minCount: 1 });
  const tables = new EmbeddingTables(specs, [Float32Array.from({ length: fs.vocabularies[0].size * 2 }, () => rng.uniform(-1, 1))]);
  const network = WindowNetwork.init(2, [3], 3, 'tanh', rng);
  return new WindowModel({ window: 0, features: specs, hidden: [3], activation: 'tanh', tags: TAGS, scheme: 'IOB2', decoder: 'viterbi' }, fs, tables, network);
}

/** One sentence "Ann Lee met Bo" with gold B-PER I-PER O B-PER. */
function dev(): Document[] {
  const words = ['Ann', 'Lee', 'met', 'Bo'];
  return [{ sentences: [{ tokens: words.map((text) => ({ text })), gold: ['B-PER', 'I-PER', 'O', 'B-PER'] }] }];
}

describe('chooseDecoding', () => {
  it('chooses a bias that finds an entity the network gives less than O, and reports F1 without it', () => {
    //                              O    B-PER I-PER
    const probs = Float32Array.from([0.2, 0.7, 0.1, 0.2, 0.1, 0.7, 0.9, 0.05, 0.05, 0.6, 0.35, 0.05]); // Bo: O 0.6 > B-PER 0.35
    const choice = chooseDecoding(model(), dev(), probs, { biases: [0, 0.25, 1, 2] });
    // log(0.6 / 0.35) = 0.54: 1 is the smallest bias on the list that tags Bo; 2 ties and loses to it.
    expect(choice.model.entityBias).toBe(1);
    expect(choice.dev.f1).toBeCloseTo(100, 6);
    expect(choice.withoutBias.f1).toBeCloseTo(100 * (2 * 1 * 0.5) / 1.5, 6); // P 1, R 1/2
  });

  it('decodes the tags decodeInto decodes, at every bias', () => {
    const rng = new Random(3);
    const probs = Float32Array.from({ length: 12 }, () => rng.next() + 0.01);
    for (const bias of [0, 0.5, 2]) {
      const [full, tagsOnly] = [dev(), dev()];
      model().withEntityBias(bias).decodeInto(full, probs);
      model().withEntityBias(bias).decodeTagsInto(tagsOnly, probs);
      expect(tagsOnly[0].sentences[0].predicted).toEqual(full[0].sentences[0].predicted);
      expect(tagsOnly[0].sentences[0].scores).toBeUndefined();
    }
  });

  it('keeps a bias only when it gains at least MIN_BIAS_GAIN dev F1: one entity of 1,000 is noise, one of 10 is not', () => {
    // Sentences "Ann" (gold B-PER), the network sure of all but the last, which it gives to O.
    const corpus = (n: number) => {
      const docs: Document[] = [{ sentences: Array.from({ length: n }, () => ({ tokens: [{ text: 'Ann' }], gold: ['B-PER'] })) }];
      const probs = Float32Array.from({ length: 3 * n }, (_, i) => [0.1, 0.85, 0.05][i % 3]);
      probs.set([0.6, 0.35, 0.05], 3 * (n - 1));
      return { docs, probs };
    };
    const many = corpus(1000);
    const small = chooseDecoding(model(), many.docs, many.probs, { biases: [0, 1] });
    expect(100 - 100 * (2 * 0.999) / 1.999).toBeLessThan(MIN_BIAS_GAIN); // the gain bias 1 would bring
    expect(small.model.entityBias).toBe(0);
    expect(small.dev).toEqual(small.withoutBias);
    const few = corpus(10);
    const large = chooseDecoding(model(), few.docs, few.probs, { biases: [0, 1] });
    expect(large.model.entityBias).toBe(1);
    expect(large.dev.f1 - large.withoutBias.f1).toBeGreaterThan(MIN_BIAS_GAIN);
  });

  it('keeps bias 0 when the network is already right: a tie goes to the smallest bias', () => {
    const probs = Float32Array.from([0.2, 0.7, 0.1, 0.2, 0.1, 0.7, 0.9, 0.05, 0.05, 0.2, 0.75, 0.05]);
    const choice = chooseDecoding(model(), dev(), probs, { biases: [2, 1, 0] });
    expect(choice.model.entityBias).toBe(0);
    expect(choice.model.config).not.toHaveProperty('entityBias');
    expect(choice.dev).toEqual(choice.withoutBias);
  });
});

describe('chooseDecoding: document consistency', () => {
  /** Documents of one word "Lazio" said `n` times, gold ORG; the network sure of all but `torn` of them, which it calls LOC. */
  const TAGS2 = ['O', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC'];
  function corpus(documents: number, n: number, torn: number) {
    const docs: Document[] = [];
    const rowsOf: number[] = [];
    for (let d = 0; d < documents; d++) {
      docs.push({ sentences: Array.from({ length: n }, () => ({ tokens: [{ text: 'Lazio' }], gold: ['B-ORG'] })) });
      for (let i = 0; i < n; i++) rowsOf.push(...(i < torn ? [0.05, 0.4, 0.02, 0.5, 0.03] : [0.02, 0.9, 0.02, 0.04, 0.02]));
    }
    return { docs, probs: Float32Array.from(rowsOf) };
  }
  function orgModel(): WindowModel {
    const m = model();
    return new WindowModel({ ...m.config, tags: TAGS2 }, m.featureSet, m.tables, m.network);
  }

  it('keeps the weight that fixes the torn occurrences, and reports dev F1 without it', () => {
    const { docs, probs } = corpus(5, 3, 1);
    const choice = chooseDecoding(orgModel(), docs, probs, { biases: [0], consistencies: [0, 0.25, 0.5, 0.75] });
    expect(choice.model.consistency).toBeGreaterThan(0);
    expect(choice.dev.f1).toBeCloseTo(100, 6);
    expect(choice.withoutConsistency.f1).toBeLessThan(100 - 10);
    expect(choice.model.config.consistency).toBe(choice.model.consistency);
  });

  it('keeps none when the network is already consistent (no gain), and takes a weight asked for without 0', () => {
    const { docs, probs } = corpus(5, 3, 0);
    const none = chooseDecoding(orgModel(), docs, probs, { biases: [0], consistencies: [0, 0.5] });
    expect(none.model.consistency).toBe(0);
    expect(none.model.config).not.toHaveProperty('consistency');
    const asked = chooseDecoding(orgModel(), docs, probs, { biases: [0], consistencies: [0.5] });
    expect(asked.model.consistency).toBe(0.5);
  });

  it('decodeInto and decodeTagsInto decode the pooled probabilities alike; the caller\'s probabilities stay as they were', () => {
    const { docs, probs } = corpus(2, 3, 1);
    const before = probs.slice();
    const m = orgModel().withConsistency(0.5);
    const [full, tagsOnly] = [structuredClone(docs), structuredClone(docs)];
    m.decodeInto(full, probs);
    m.decodeTagsInto(tagsOnly, probs);
    expect(full.flatMap((d) => d.sentences.map((s) => s.predicted))).toEqual(tagsOnly.flatMap((d) => d.sentences.map((s) => s.predicted)));
    expect(full[0].sentences[0].predicted).toEqual(['B-ORG']);
    expect(probs).toEqual(before);
    // Without consistency the torn occurrence stays LOC.
    orgModel().decodeTagsInto(tagsOnly, probs);
    expect(tagsOnly[0].sentences[0].predicted).toEqual(['B-LOC']);
  });
});
