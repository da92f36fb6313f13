/**
 * Issue 16, idea 3: the `chars` feature, a bag of character 3-grams whose rows are averaged.
 * Its ids, the mean the tables look up (against an explicit mean), its gradient (central
 * differences), training, tagging through the product path and through the cached
 * projections, a save/load round trip, and the refusals of the device paths, which read one
 * id per feature.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentFromWords, type Document } from '../../src/core/document/document.js';
import { NerError } from '../../src/core/errors.js';
import { CHAR_GRAM_COLUMNS, charGrams } from '../../src/core/features/char-grams.js';
import { FeatureSet, validateSpecs } from '../../src/core/features/token-features.js';
import { PAD_ID, UNK_ID } from '../../src/core/features/vocabulary.js';
import { encodeDocuments, windowIds } from '../../src/core/features/windows.js';
import { DeviceWeights } from '../../src/core/model/device-inference.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { WindowNetwork } from '../../src/core/model/network.js';
import { WindowModel } from '../../src/core/model/window-model.js';
import { train } from '../../src/core/train/trainer.js';
import { TrainingSession } from '../../src/core/train/training-session.js';
import { Random } from '../../src/core/util/random.js';
import { useBackend } from '../../src/node/backend.js';
import { applyStoredPrecision, loadModel, saveModel } from '../../src/node/storage/model-io.js';
import { readLabeledDocuments } from '../../src/node/train-files.js';
import { runCli } from '../helpers/cli.js';
import { TINY_FIXTURE, TINY_NETWORK } from '../helpers/tiny-model.js';
import { centralDifference } from '../helpers/central-difference.js';

const SENTENCES = [['Anna', 'met', 'Tom', 'in', 'Oslo', '.'], ['Annette', 'met', 'Tomas', 'in', 'Oslo']];
const SPECS = [{ name: 'casing' as const, dim: 2 }, { name: 'chars' as const, dim: 3 }, { name: 'word' as const, dim: 2 }];

function randomTables(fs: FeatureSet, rng: Random): EmbeddingTables {
  return new EmbeddingTables(fs.specs, fs.specs.map((s, f) => Float32Array.from({ length: fs.vocabularies[f].size * s.dim }, () => rng.uniform(-1, 1))));
}

describe('chars: character 3-gram ids', () => {
  it('takes the 3-grams of <word>, the first and last six of a long word', () => {
    expect(charGrams('paris')).toEqual(['<pa', 'par', 'ari', 'ris', 'is>']);
    expect(charGrams('a')).toEqual(['<a>']);
    const long = charGrams('internationalisation'); // 20 characters, 20 grams
    expect(long).toHaveLength(CHAR_GRAM_COLUMNS);
    expect(long.slice(0, 2)).toEqual(['<in', 'int']);
    expect(long.slice(-2)).toEqual(['ion', 'on>']);
  });

  it('encodes CHAR_GRAM_COLUMNS ids for chars, padded with PAD_ID, unknown grams as UNK, other features in their columns', () => {
    const fs = FeatureSet.build(SPECS, SENTENCES, { minCount: 2 });
    expect(fs.count).toBe(3);
    expect(fs.columns).toBe(2 + CHAR_GRAM_COLUMNS);
    expect([0, 1, 2].map((f) => fs.columnOf(f))).toEqual([0, 1, 1 + CHAR_GRAM_COLUMNS]);
    const ids = fs.encode(['Oslo', 'Anton']);
    const C = fs.columns;
    const chars = fs.vocabularies[1];
    // 'oslo' occurs twice: all its grams are known.
    expect([...ids.subarray(1, 1 + 5)]).toEqual(['<os', 'osl', 'slo', 'lo>'].map((g) => chars.id(g)).concat(PAD_ID));
    expect(ids.subarray(1, 5).every((id) => id > UNK_ID)).toBe(true);
    expect([...ids.subarray(5, 1 + CHAR_GRAM_COLUMNS)].every((id) => id === PAD_ID)).toBe(true);
    // 'anton': '<an' and 'ant' are seen twice (anna, annette: only '<an'), the rest UNK.
    const anton = [...ids.subarray(C + 1, C + 1 + 5)];
    expect(anton[0]).toBe(chars.id('<an'));
    expect(anton.slice(2)).toEqual([UNK_ID, UNK_ID, UNK_ID]);
    expect(ids[0]).toBe(fs.vocabularies[0].id('title'));
    expect(ids[1 + CHAR_GRAM_COLUMNS]).toBe(fs.vocabularies[2].id('oslo'));
    expect(ids[C + 1 + CHAR_GRAM_COLUMNS]).toBe(UNK_ID);
  });

  it('refuses a bad chars spec with a clear NerError', () => {
    expect(() => validateSpecs([{ name: 'chars', dim: 0 }])).toThrow(NerError);
    expect(() => validateSpecs([{ name: 'chars', dim: 0 }])).toThrow(/feature "chars" needs a positive integer size/);
    expect(() => validateSpecs([{ name: 'chars', dim: 8 }, { name: 'chars', dim: 8 }])).toThrow(/listed twice/);
  });
});

describe('chars: the mean of the 3-grams rows and its gradient', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('looks up the mean of the rows of the ids other than PAD_ID (an explicit mean), other features unchanged', () => {
    const fs = FeatureSet.build(SPECS, SENTENCES, { minCount: 1 });
    const tables = randomTables(fs, new Random(4));
    const enc = encodeDocuments(fs, [documentFromWords(SENTENCES)]);
    const X = tables.lookup(enc.ids, enc.length);
    const D = tables.tokenDim;
    SENTENCES.flat().forEach((word, t) => {
      const grams = charGrams(word.toLowerCase());
      const rows = grams.map((g) => tables.row(1, fs.vocabularies[1].id(g)).slice());
      for (let d = 0; d < 3; d++) {
        const mean = rows.reduce((s, r) => s + r[d], 0) / rows.length;
        expect(X[t * D + 2 + d]).toBeCloseTo(mean, 6);
      }
      expect(X[t * D + 5]).toBe(tables.row(2, fs.vocabularies[2].id(word.toLowerCase()))[0]);
    });
    // A padding position (all PAD_ID) gets zeros for chars.
    const pad = tables.lookup(new Int32Array(fs.columns), 1);
    expect([...pad.subarray(2, 5)]).toEqual([0, 0, 0]);
  });

  it('gives the 3-gram rows the gradient of the loss (central differences); PAD rows none', () => {
    const rng = new Random(3);
    const fs = FeatureSet.build(SPECS, SENTENCES, { minCount: 1 });
    const tables = randomTables(fs, rng);
    const slots = 3;
    const network = WindowNetwork.init(slots * tables.tokenDim, [5], 3, 'tanh', rng);
    const enc = encodeDocuments(fs, [documentFromWords(SENTENCES)]);
    const ids = windowIds(enc, null, 0, enc.length, 1);
    const labels = Int32Array.from({ length: enc.length }, (_, i) => i % 3);
    const args = () => ({ dropout: 0, rng: new Random(1) });
    const loss = () => network.gradients(tables.lookup(ids, enc.length * slots), labels, enc.length, args()).loss;
    const g = network.gradients(tables.lookup(ids, enc.length * slots), labels, enc.length, args());
    const sparse = tables.scatter(ids, enc.length * slots, g.dX);
    const chars = sparse[1];
    expect([...chars.rows]).not.toContain(PAD_ID);
    expect(chars.rows.length).toBeGreaterThan(15);
    const table = tables.tables[1];
    let checked = 0;
    chars.rows.forEach((row, r) => {
      for (let d = 0; d < 3; d++) {
        const numeric = centralDifference(table, row * 3 + d, loss, 1e-3);
        expect(Math.abs(chars.grads[r * 3 + d] - numeric), `row ${row}[${d}]`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(45);
  });
});

describe('chars: training, tagging and storage', () => {
  let documents: Document[];
  const tiny = { ...TINY_NETWORK, features: [...TINY_NETWORK.features, { name: 'chars' as const, dim: 6 }], epochs: 4, patience: 4, learningRate: 0.01, seed: 3 };

  beforeAll(async () => {
    await useBackend('wasm');
    documents = await readLabeledDocuments(TINY_FIXTURE);
  });

  it('trains on the host step, tags through the product path, and loads back with the same probabilities', async () => {
    const { model } = await train({ ...tiny, train: documents, dev: documents });
    expect(model.tables.tables[2].length).toBe(model.featureSet.vocabularies[2].size * 6);
    // The weights as saved (the word table's rows are stored rounded), so that loading gives the same numbers.
    applyStoredPrecision(model);
    const enc = encodeDocuments(model.featureSet, documents);
    const probs = model.tagProbabilities(enc);
    // The distinct-token path against the plain window-by-window definition.
    const reference = model.referenceTagProbabilities(enc);
    probs.forEach((p, i) => expect(p).toBeCloseTo(reference[i], 5));
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-chars-')), 'model');
    await saveModel(model, dir);
    const { model: loaded } = await loadModel(dir);
    expect(loaded.featureSet.columns).toBe(model.featureSet.columns);
    const again = loaded.tagProbabilities(encodeDocuments(loaded.featureSet, documents));
    expect([...again]).toEqual([...probs]);
  }, 60_000);

  it('tags through the cached projections (the 3-gram mean projected per distinct token) as the product path does', async () => {
    const { model } = await train({ ...tiny, epochs: 1, train: documents, dev: documents });
    const enc = encodeDocuments(model.featureSet, documents);
    const reference = model.referenceTagProbabilities(enc);
    const largestDifference = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
    // The comparison can tell: without the chars rows (zeroed) the probabilities move.
    const tables = model.tables.tables.map((t, f) => (model.tables.specs[f].name === 'chars' ? new Float32Array(t.length) : t));
    const blind = new WindowModel(model.config, model.featureSet, new EmbeddingTables(model.tables.specs, tables), model.network);
    expect(largestDifference(blind.referenceTagProbabilities(enc), reference)).toBeGreaterThan(1e-3);
    // A budget that caches everything, one that caches almost nothing (rows projected per round), and a shared memory.
    const settings = [{}, { budgetBytes: 12_000, overflowBytes: 24_000 }, { memories: [new WebAssembly.Memory({ initial: 1, maximum: 4096, shared: true })] }];
    for (const args of settings) {
      const fixed = new WindowModel(model.config, model.featureSet, model.tables, model.network).useFirstLayerProjections(args);
      expect(fixed.firstLayerProjections()).not.toBeNull();
      const probs = fixed.tagProbabilities(enc);
      expect(probs.length).toBe(reference.length);
      expect(largestDifference(probs, reference)).toBeLessThan(1e-5);
      expect(fixed.firstLayerProjections()!.cache.projected).toBeGreaterThan(0);
    }
  }, 60_000);

  it('trains the same model on one thread and on two (the worker reads the same columns)', async () => {
    const one = await train({ ...tiny, epochs: 1, threads: 1, train: documents, dev: documents });
    const two = await train({ ...tiny, epochs: 1, threads: 2, train: documents, dev: documents });
    expect([...two.model.tables.tables[2]]).toEqual([...one.model.tables.tables[2]]);
  }, 60_000);

  it('refuses the device step and device inference with a clear NerError', async () => {
    await expect(TrainingSession.create({ ...tiny, train: documents, dev: [] }, 'cpu', 'device')).rejects.toThrow(/chars feature trains only in the host steps/);
    const fs = FeatureSet.build(SPECS, SENTENCES, { minCount: 1 });
    const tables = randomTables(fs, new Random(1));
    const network = WindowNetwork.init(3 * tables.tokenDim, [4], 3, 'relu', new Random(2));
    expect(() => DeviceWeights.upload(tables, network)).toThrow(/chars feature cannot tag on the webgpu backend/);
  });

  it('takes chars:N in the CLI and refuses chars without a size', async () => {
    const bad = await runCli('train', '--train', TINY_FIXTURE, '--dev', TINY_FIXTURE, '--out', join(mkdtempSync(join(tmpdir(), 'ner-chars-')), 'm'), '--features', 'word:8,chars');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--features takes name:size pairs.*chars/);
  });
});
