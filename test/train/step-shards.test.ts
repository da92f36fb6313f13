import { describe, expect, it } from 'vitest';
import { documentFromWords } from '../../src/core/document/document.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { WindowNetwork } from '../../src/core/model/network.js';
import { computeShard, SHARDS, shardRows, shardSeed, type ShardInputs, type StepBuffers } from '../../src/core/train/step/shard.js';
import { Random } from '../../src/core/util/random.js';
import { StepThread } from '../../src/core/train/step/step-thread.js';
import { startStepWorker } from '../../src/node/workers/start-step-worker.js';

describe('training step shards', () => {
  it.each([1, 2, 3, 255, 256])('the shards of a batch of %i cover it exactly once, in order', (count) => {
    const covered: number[] = [];
    for (let k = 0; k < SHARDS; k++) {
      const [from, to] = shardRows(k, count);
      expect(from).toBeLessThanOrEqual(to);
      for (let r = from; r < to; r++) covered.push(r);
    }
    expect(covered).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('gives every shard of every step its own seed, the same on every call', () => {
    const seeds = new Set<number>();
    for (let step = 0; step < 100; step++) for (let k = 0; k < SHARDS; k++) seeds.add(shardSeed(1, step, k));
    expect(seeds.size).toBe(100 * SHARDS);
    expect(shardSeed(1, 7, 1)).toBe(shardSeed(1, 7, 1));
    expect(shardSeed(2, 7, 1)).not.toBe(shardSeed(1, 7, 1));
  });

  it('with frozen word vectors computes the input gradient only where the tables read it, and the same numbers there', () => {
    const rng = new Random(11);
    const sentences = [['Anna', 'met', 'Tom', 'in', 'Oslo', '.'], ['EU', 'talks', 'resume', 'in', 'Rome'], ['Tom', 'left']];
    const fs = FeatureSet.build([{ name: 'casing', dim: 2 }, { name: 'word', dim: 3 }, { name: 'shape', dim: 2 }], sentences, { minCount: 1 });
    const tables = new EmbeddingTables(fs.specs, fs.specs.map((sp, f) => Float32Array.from({ length: fs.vocabularies[f].size * sp.dim }, () => rng.uniform(-1, 1))));
    const enc = encodeDocuments(fs, [documentFromWords(sentences)]);
    const window = 1;
    const slots = 2 * window + 1;
    const network = WindowNetwork.init(slots * tables.tokenDim, [8], 3, 'relu', rng);
    const wordFeature = 1;
    // Every other word frozen (PAD and UNK, ids 0 and 1, stay learned).
    const frozen = Uint8Array.from({ length: fs.vocabularies[wordFeature].size }, (_, id) => (id >= 2 && id % 2 === 0 ? 1 : 0));
    const count = enc.length;
    const buffers = (): StepBuffers => ({
      tokens: Int32Array.from({ length: count }, (_, i) => i),
      labels: Int32Array.from({ length: count }, (_, i) => i % 3),
      targets: null,
      ids: new Int32Array(count * slots * enc.features),
      dX: new Float32Array(count * network.inputs),
      dW: Array.from({ length: SHARDS }, () => network.layers.map((l) => new Float32Array(l.inputs * l.outputs))),
      db: Array.from({ length: SHARDS }, () => network.layers.map((l) => new Float32Array(l.outputs))),
      loss: new Float64Array(SHARDS),
    });
    const inputs = (frozenWords: Uint8Array | null): ShardInputs => ({
      enc, tables, network, window, dropout: 0.5, inputDropout: 0.2, sharedDropoutMask: true, unknownWordRate: 0,
      rareWords: null, wordColumn: fs.columnOf(wordFeature), wordFeature, frozenWords, seed: 5,
    });
    const [all, learned] = [buffers(), buffers()];
    const X = new Float32Array(count * network.inputs);
    for (let k = 0; k < SHARDS; k++) {
      computeShard(inputs(null), all, X, 3, k, count);
      computeShard(inputs(frozen), learned, X, 3, k, count);
    }
    expect(Array.from(learned.loss)).toEqual(Array.from(all.loss));
    for (let k = 0; k < SHARDS; k++) {
      learned.dW[k].forEach((g, l) => expect(g).toEqual(all.dW[k][l]));
      learned.db[k].forEach((g, l) => expect(g).toEqual(all.db[k][l]));
    }
    // Entry by entry: the same number where the row is learned, 0 in a frozen word's columns.
    const D = tables.tokenDim;
    const at = tables.offsets[wordFeature];
    const F = enc.features;
    let zeroed = 0;
    for (let p = 0; p < count * slots; p++) {
      const wordFrozen = frozen[all.ids[p * F + fs.columnOf(wordFeature)]] === 1;
      for (let c = 0; c < D; c++) {
        const inWord = c >= at && c < at + fs.specs[wordFeature].dim;
        const i = p * D + c;
        if (inWord && wordFrozen) {
          expect(learned.dX[i]).toBe(0);
          if (all.dX[i] !== 0) zeroed++;
        } else expect(learned.dX[i], `position ${p} column ${c}`).toBe(all.dX[i]);
      }
    }
    // The test can tell: some frozen entries were non-zero in the full gradient.
    expect(zeroed).toBeGreaterThan(10);
  });

  it('reports a worker that cannot start as a training error, with its reason', async () => {
    const start = StepThread.start({ backend: 'no-such-backend' as never } as never, startStepWorker);
    await expect(start).rejects.toMatchObject({ code: 'E_TRAIN', message: expect.stringMatching(/training worker failed to start: .*unknown backend "no-such-backend"/) });
  });
});
