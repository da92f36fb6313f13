import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { useBackend } from '../../src/node/backend.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { WindowNetwork } from '../../src/core/model/network.js';
import { WindowModel } from '../../src/core/model/window-model.js';
import { applyStoredPrecision, loadModel, saveModel } from '../../src/node/storage/model-io.js';
import {
  dequantizeRows,
  dequantizeRows4,
  fromFloat16,
  quantizeRows,
  quantizeRows4,
  roundTripFloat16,
  roundTripRows4,
  rowsOn4BitGrid,
  toFloat16,
} from '../../src/core/storage/quantize.js';
import { Random } from '../../src/core/util/random.js';
import { predictWords } from '../helpers/predict-words.js';

function tinyModel(seed = 1): WindowModel {
  const rng = new Random(seed);
  const specs = [{ name: 'word' as const, dim: 4 }, { name: 'casing' as const, dim: 2 }];
  const fs = FeatureSet.build(specs, [['Anna', 'visited', 'Oslo', '.']], { minCount: 1 });
  const tables = new EmbeddingTables(specs, specs.map((s, f) => Float32Array.from({ length: fs.vocabularies[f].size * s.dim }, () => rng.uniform(-1, 1))));
  const network = WindowNetwork.init(3 * tables.tokenDim, [5], 3, 'tanh', rng);
  return new WindowModel(
    { window: 1, features: specs, hidden: [5], activation: 'tanh', tags: ['O', 'B-PER', 'B-LOC'], scheme: 'IOB2', decoder: 'greedy' },
    fs,
    tables,
    network,
  );
}

const dirs: string[] = [];
async function saved(): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'ner-io-')), 'model');
  dirs.push(dir);
  await saveModel(tinyModel(), dir);
  return dir;
}

describe('model storage', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('round-trips: the loaded model predicts the same probabilities (word table within int8 error)', async () => {
    const model = tinyModel();
    const dir = await saved();
    const { model: loaded, manifest } = await loadModel(dir);
    expect(manifest.formatVersion).toBe(1);
    expect(loaded.config).toEqual(model.config);
    const words = [['Anna', 'visited', 'Oslo', '.'], ['Unknown', 'words']];
    const a = predictWords(model, words);
    const b = predictWords(loaded, words);
    expect(b.map((p) => p.tags)).toEqual(a.map((p) => p.tags));
    a.forEach((p, i) => p.scores.forEach((s, j) => expect(b[i].scores[j]).toBeCloseTo(s, 2)));
  });

  it('replaces an existing model atomically and leaves no temporary directories', async () => {
    const dir = await saved();
    await saveModel(tinyModel(2), dir);
    const parent = join(dir, '..');
    expect(readdirSync(parent)).toEqual(['model']);
    expect((await loadModel(dir)).model.network.layers[0].W[0]).toBeCloseTo(tinyModel(2).network.layers[0].W[0], 6);
  });

  it('names a missing directory, a missing manifest and a missing weights file', async () => {
    await expect(loadModel('/nonexistent/model')).rejects.toThrow(/\/nonexistent\/model: model directory not found/);
    const empty = mkdtempSync(join(tmpdir(), 'ner-io-'));
    await expect(loadModel(empty)).rejects.toThrow(/model\.json is missing/);
    const dir = await saved();
    rmSync(join(dir, 'weights.bin'));
    await expect(loadModel(dir)).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/weights\.bin is missing/) });
  });

  it('detects a truncated and a corrupted weights file', async () => {
    const dir = await saved();
    const path = join(dir, 'weights.bin');
    const size = readFileSync(path).byteLength;
    truncateSync(path, size - 10);
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`weights\\.bin is truncated: ${size - 10} bytes, expected ${size}`));
    const dir2 = await saved();
    const bytes = readFileSync(join(dir2, 'weights.bin'));
    bytes[0] ^= 0xff;
    writeFileSync(join(dir2, 'weights.bin'), bytes);
    await expect(loadModel(dir2)).rejects.toThrow(/weights\.bin is corrupt \(checksum mismatch\)/);
  });

  it('refuses a model from a future format version and a broken manifest', async () => {
    const dir = await saved();
    const manifestPath = join(dir, 'model.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, formatVersion: 99 }));
    await expect(loadModel(dir)).rejects.toThrow(/model format version 99 is newer than this version of ner reads \(2\)/);
    writeFileSync(manifestPath, '{"format": "ner-window-mo');
    await expect(loadModel(dir)).rejects.toThrow(/corrupt manifest/);
    expect(existsSync(dir)).toBe(true);
  });

  it('keeps the entity bias in model.json; a model without the field loads with bias 0; a bad one is named', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-io-')), 'model');
    dirs.push(dir);
    const biased = tinyModel().withEntityBias(1.5);
    await saveModel(biased, dir);
    const manifestPath = join(dir, 'model.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    expect(manifest.config.entityBias).toBe(1.5);
    expect((await loadModel(dir)).model.entityBias).toBe(1.5);
    // A model saved before the field existed: no entityBias in its config.
    const { entityBias: _, ...old } = manifest.config;
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, config: old }));
    const loaded = (await loadModel(dir)).model;
    expect(loaded.entityBias).toBe(0);
    expect(loaded.config).not.toHaveProperty('entityBias');
    const words = [['Anna', 'visited', 'Oslo', '.']];
    expect(predictWords(loaded, words)).toEqual(predictWords(loaded.withEntityBias(0), words));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, config: { ...old, entityBias: 'high' } }));
    await expect(loadModel(dir)).rejects.toThrow(/config\.entityBias: expected a finite number, found "high"/);
  });

  it('keeps the consistency weight in model.json; a model without the field decodes as before; a bad one is named', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-io-')), 'model');
    dirs.push(dir);
    await saveModel(tinyModel().withConsistency(0.5), dir);
    const manifestPath = join(dir, 'model.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    expect(manifest.config.consistency).toBe(0.5);
    expect((await loadModel(dir)).model.consistency).toBe(0.5);
    const { consistency: _, ...old } = manifest.config;
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, config: old }));
    const loaded = (await loadModel(dir)).model;
    expect(loaded.consistency).toBe(0);
    expect(loaded.config).not.toHaveProperty('consistency');
    for (const bad of [1.5, -0.1, 'high']) {
      writeFileSync(manifestPath, JSON.stringify({ ...manifest, config: { ...old, consistency: bad } }));
      await expect(loadModel(dir)).rejects.toThrow(/config\.consistency: expected a number in 0\.\.1, found/);
    }
  });

  it("keeps an ensemble's own consistency and temperature through a save and load", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-io-')), 'model');
    dirs.push(dir);
    const ensemble = WindowModel.ensemble([tinyModel(1), tinyModel(2)]).withConsistency(0.25).withTemperature(0.8);
    await saveModel(ensemble, dir);
    const loaded = (await loadModel(dir)).model;
    expect(loaded.memberCount).toBe(2);
    expect(loaded.consistency).toBe(0.25);
    expect(loaded.temperature).toBe(0.8);
    const words = [['Anna', 'visited', 'Oslo', '.'], ['Oslo', 'is', 'cold', '.']];
    // Word tables are stored in 8 bits: the same tags, scores close.
    expect(predictWords(loaded, words).map((p) => p.tags)).toEqual(predictWords(ensemble, words).map((p) => p.tags));
  });

  it('applyStoredPrecision gives the in-memory model exactly the saved weights', async () => {
    const model = tinyModel(3);
    applyStoredPrecision(model);
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-io-')), 'model');
    await saveModel(model, dir);
    const { model: loaded } = await loadModel(dir);
    expect(loaded.tables.tables[0]).toEqual(model.tables.tables[0]);
    const words = [['Anna', 'visited', 'Oslo', '.']];
    expect(predictWords(loaded, words)).toEqual(predictWords(model, words));
  });

  it('quantises rows within half a step of each value', () => {
    const table = Float32Array.from([0.5, -1.27, 0.01, 3, 0, 0]);
    const q = quantizeRows(table, 3);
    const back = dequantizeRows(q, 3);
    table.forEach((x, i) => expect(Math.abs(back[i] - x)).toBeLessThanOrEqual(q.scales[Math.floor(i / 3)] / 2 + 1e-7));
    expect(Array.from(back.subarray(3))).toEqual([3, 0, 0]);
  });

  it('quantises rows to 4 bits within half a step, two values per byte', () => {
    const table = Float32Array.from([0.5, -1.4, 0.01, 3, 0, -0.2, 0, 0, 0]);
    const q = quantizeRows4(table, 3);
    expect(q.values.length).toBe(5);
    const back = dequantizeRows4(q, 3);
    table.forEach((x, i) => expect(Math.abs(back[i] - x)).toBeLessThanOrEqual(q.scales[Math.floor(i / 3)] / 2 + 1e-7));
    expect(back[1]).toBeCloseTo(-1.4, 6);
    expect(back[3]).toBeCloseTo(3, 6);
    expect(Array.from(back.subarray(6))).toEqual([0, 0, 0]);
    // Rounded rows are found as such; a row off the grid is not.
    const mixed = Float32Array.from([...roundTripRows4(Float32Array.from([0.3, -0.9, 0.05]), 3), 0.3, -0.9, 0.05]);
    expect(Array.from(rowsOn4BitGrid(mixed, 3))).toEqual([1, 0]);
  });

  it('converts to float16 and back: exact where representable, else within half a unit', () => {
    const exact = Float32Array.from([0, 1, -2, 0.5, 65504, 2 ** -24, -0.333251953125]);
    expect(Array.from(fromFloat16(toFloat16(exact)))).toEqual(Array.from(exact));
    expect(Array.from(toFloat16(Float32Array.from([1, -2, 65504, 1e6])))).toEqual([0x3c00, 0xc000, 0x7bff, 0x7c00]);
    const rng = new Random(5);
    const values = Float32Array.from({ length: 1000 }, () => rng.uniform(-3, 3));
    const back = roundTripFloat16(values);
    values.forEach((x, i) => expect(Math.abs(back[i] - x)).toBeLessThanOrEqual(Math.max(Math.abs(x) * 2 ** -11, 2 ** -25)));
    expect(roundTripFloat16(back)).toEqual(back);
  });

  it('stores 4-bit word rows and float16 weights compactly, and loads what applyStoredPrecision predicted', async () => {
    // A model whose pretrained rows were rounded to 4 bits in training: all word rows but PAD and UNK.
    const compact = (seed: number) => {
      const model = tinyModel(seed);
      const word = model.tables.tables[0];
      word.set(roundTripRows4(word.subarray(8), 4), 8);
      model.config.precision = 'float16';
      return model;
    };
    const model = compact(4);
    applyStoredPrecision(model);
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-io-')), 'model');
    await saveModel(model, dir);
    const { model: loaded, manifest } = await loadModel(dir);
    expect(manifest.formatVersion).toBe(2);
    const byName = new Map(manifest.weights.tensors.map((t) => [t.name, t]));
    expect(byName.get('table/word@4bit')?.dtype).toBe('int4-rows');
    expect(byName.get('table/word')).toMatchObject({ base: 'table/word@4bit', rows: 2, dtype: 'int8-rows' });
    expect(byName.get('dense0/W')?.dtype).toBe('float16');
    expect(byName.get('table/casing')?.dtype).toBe('float16');
    model.tables.tables.forEach((t, f) => t.forEach((x, i) => expect(loaded.tables.tables[f][i]).toBeCloseTo(x, 6)));
    expect(loaded.network.layers[0].W).toEqual(model.network.layers[0].W);
    const words = [['Anna', 'visited', 'Oslo', '.']];
    expect(predictWords(loaded, words).map((p) => p.tags)).toEqual(predictWords(model, words).map((p) => p.tags));
    // Smaller than the same model in 8 bits and float32.
    const plain = tinyModel(4);
    const plainDir = join(mkdtempSync(join(tmpdir(), 'ner-io-')), 'model');
    await saveModel(plain, plainDir);
    expect(manifest.weights.bytes).toBeLessThan((await loadModel(plainDir)).manifest.weights.bytes * 0.6);

    // An ensemble of two such members stores the second's word table as its differing rows only.
    const second = compact(5);
    second.tables.tables[0].set(model.tables.tables[0].subarray(8), 8);
    applyStoredPrecision(second);
    const ensemble = WindowModel.ensemble([model, second]);
    const ensembleDir = join(mkdtempSync(join(tmpdir(), 'ner-io-')), 'model');
    await saveModel(ensemble, ensembleDir);
    const reloaded = await loadModel(ensembleDir);
    expect(reloaded.manifest.weights.tensors.find((t) => t.name === 'member2/table/word')).toMatchObject({ base: 'table/word', rows: 2 });
    expect(predictWords(reloaded.model, words)).toEqual(predictWords(ensemble, words));
  });
});
