import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureSet, type FeatureSpec } from '../../src/core/features/token-features.js';
import { documentFromWords } from '../../src/core/document/document.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import type { ActivationName } from '../../src/core/model/activations.js';
import { useBackend } from '../../src/node/backend.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { FirstLayerProjections } from '../../src/core/model/first-layer-projections.js';
import { WindowNetwork } from '../../src/core/model/network.js';
import { uniqueTokens } from '../../src/core/model/unique-tokens.js';
import { WindowModel } from '../../src/core/model/window-model.js';
import { Random } from '../../src/core/util/random.js';

const WORDS = 'the cat saw the dog and the cat ran to Oslo while the dog sat in Paris with Anna'.split(' ');
const SENTENCES = [WORDS.slice(0, 7), WORDS.slice(7), ['Oslo'], WORDS, WORDS.slice(3, 12)];
const SPECS: FeatureSpec[] = [{ name: 'word', dim: 6 }, { name: 'casing', dim: 3 }, { name: 'suffix2', dim: 2 }, { name: 'doccase', dim: 2 }];

/** A random model over SENTENCES' vocabulary. */
function randomModel(window: number, hidden: number[], seed = 11, activation: ActivationName = 'relu'): WindowModel {
  const rng = new Random(seed);
  const fs = FeatureSet.build(SPECS, SENTENCES, { minCount: 1 });
  const tables = new EmbeddingTables(SPECS, SPECS.map((s, f) => Float32Array.from({ length: fs.vocabularies[f].size * s.dim }, () => rng.uniform(-1, 1))));
  const network = WindowNetwork.init((2 * window + 1) * tables.tokenDim, hidden, 4, activation, rng);
  return new WindowModel(
    { window, features: SPECS, hidden, activation, tags: ['O', 'B-X', 'I-X', 'B-Y'], scheme: 'IOB2', decoder: 'greedy' },
    fs,
    tables,
    network,
  );
}

/** The same parameters, inference through projections with the given cache budget. */
function withProjections(model: WindowModel, budgetBytes?: number): WindowModel {
  return new WindowModel(model.config, model.featureSet, model.tables, model.network).useFirstLayerProjections({ budgetBytes });
}

/** The sentences as two documents, the even- and the odd-numbered ones, so that document features see two contexts. */
const encode = (model: WindowModel, sentences = SENTENCES) =>
  encodeDocuments(model.featureSet, [0, 1].map((d) => documentFromWords(sentences.filter((_, i) => i % 2 === d))));

describe('first-layer projections', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('pre-activations equal bias + sum over slots and features of embedding x weight block (float64 reference)', () => {
    const model = randomModel(2, [8]);
    const enc = encode(model);
    const F = enc.features;
    const S = model.slots;
    const first = model.network.layers[0];
    const H = first.outputs;
    const D = model.tables.tokenDim;
    const unique = uniqueTokens(enc.ids, F, 0, enc.length);
    const slotIndex = new Int32Array(S * enc.length);
    for (let t = 0; t < enc.length; t++) {
      for (let s = 0; s < S; s++) {
        const p = t + s - 2;
        slotIndex[s * enc.length + t] = p < enc.sentenceStart[t] || p >= enc.sentenceEnd[t] ? 0 : unique.index[p];
      }
    }
    const projections = FirstLayerProjections.create(model.tables, model.network, S, { budgetBytes: 5 * S * H * 4 })!;
    expect(() => projections.preActivations(unique.tuples, unique.count, slotIndex, enc.length)).toThrow(/not prepared/);
    projections.prepare(enc.ids, 0, enc.length);
    const z = projections.preActivations(unique.tuples, unique.count, slotIndex, enc.length).slice();
    for (let t = 0; t < enc.length; t++) {
      for (let j = 0; j < H; j++) {
        let expected = first.b[j];
        for (let s = 0; s < S; s++) {
          const u = slotIndex[s * enc.length + t];
          for (let f = 0; f < F; f++) {
            const dim = SPECS[f].dim;
            const id = unique.tuples[u * F + f];
            for (let k = 0; k < dim; k++) {
              expected += model.tables.tables[f][id * dim + k] * first.W[(s * D + model.tables.offsets[f] + k) * H + j];
            }
          }
        }
        expect(z[t * H + j]).toBeCloseTo(expected, 4);
      }
    }
    expect(projections.cache.rows).toBe(5); // the budget: 5 rows cached, the rest projected per batch
    // The whole network from the same rows: softmax(b1 + relu(z) W1), float64 reference.
    const out = model.network.layers[1];
    const T = out.outputs;
    const p = projections.forward(unique.tuples, unique.count, slotIndex, enc.length);
    for (let t = 0; t < enc.length; t++) {
      const logits = Array.from({ length: T }, (_, o) => {
        let x = out.b[o];
        for (let k = 0; k < H; k++) x += Math.max(0, z[t * H + k]) * out.W[k * T + o];
        return x;
      });
      const m = Math.max(...logits);
      const e = logits.map((x) => Math.exp(x - m));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let o = 0; o < T; o++) expect(p[t * T + o]).toBeCloseTo(e[o] / sum, 5);
    }
  });

  it.each([
    [1, [8], undefined, 'relu'],
    [2, [8], undefined, 'relu'],
    [2, [12, 5], undefined, 'relu'],
    [2, [8], undefined, 'tanh'],
    [2, [8], 0, 'relu'],
    [2, [8], 3, 'relu'],
    [3, [16], 40, 'relu'],
    [2, [12], 40, 'elu'],
  ] as [number, number[], number | undefined, ActivationName][])('gives the window-by-window probabilities (window %i, hidden %j, cache budget %s rows, %s)', (window, hidden, rows, activation) => {
    const model = randomModel(window, hidden, 11, activation);
    const fast = withProjections(model, rows === undefined ? undefined : rows * model.slots * hidden[0] * 4);
    const enc = encode(model);
    const plain = model.referenceTagProbabilities(enc);
    const p = fast.tagProbabilities(enc);
    expect(fast.firstLayerProjections()).not.toBeNull();
    // One ReLU hidden layer: the kernels compute the whole network; else the first layer.
    expect(fast.firstLayerProjections()!.wholeNetwork).toBe(hidden.length === 1 && activation === 'relu');
    expect(p.length).toBe(plain.length);
    plain.forEach((x, i) => expect(p[i]).toBeCloseTo(x, 5));
    // A second pass, now from the cache, gives exactly the first pass's numbers.
    expect(fast.tagProbabilities(enc)).toEqual(p);
  });

  it('results do not depend on what was tagged before, nor on the cache budget', () => {
    const model = randomModel(2, [8]);
    const a = encode(model, SENTENCES.slice(0, 2));
    const b = encode(model, SENTENCES.slice(2));
    const fresh = withProjections(model).tagProbabilities(b);
    const warmed = withProjections(model);
    warmed.tagProbabilities(a);
    expect(warmed.tagProbabilities(b)).toEqual(fresh);
    for (const budget of [0, 7 * model.slots * 8 * 4]) {
      const other = withProjections(model, budget);
      other.tagProbabilities(a);
      expect(other.tagProbabilities(b)).toEqual(fresh);
    }
  });

  it('falls back to the product path where the hidden size is not a multiple of 4', () => {
    const model = randomModel(2, [7]);
    const fast = withProjections(model);
    expect(fast.firstLayerProjections()).toBeNull();
    const enc = encode(model);
    const plain = model.referenceTagProbabilities(enc);
    fast.tagProbabilities(enc).forEach((x, i) => expect(x).toBeCloseTo(plain[i], 5));
  });

  it('variants made by withDecoder share the cache; a model never told its parameters are fixed has none', () => {
    const model = randomModel(2, [8]);
    expect(model.firstLayerProjections()).toBeNull();
    const fast = withProjections(model);
    const viterbi = fast.withDecoder('viterbi');
    expect(viterbi.firstLayerProjections()).toBe(fast.firstLayerProjections());
  });

  it('probabilities of a network that is not one ReLU hidden layer is an error, not a wrong answer', () => {
    const model = randomModel(2, [8], 11, 'tanh');
    const projections = FirstLayerProjections.create(model.tables, model.network, model.slots)!;
    expect(projections.wholeNetwork).toBe(false);
    expect(() => projections.forward(new Int32Array(SPECS.length), 1, new Int32Array(model.slots), 1)).toThrow(/one ReLU hidden layer/);
  });

  it('a negative budget is an error', () => {
    const model = randomModel(2, [8]);
    expect(() => withProjections(model, -1).firstLayerProjections()).toThrow(/budgetBytes must be 0 or more, got -1/);
  });
});
