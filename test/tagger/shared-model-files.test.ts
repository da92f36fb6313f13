import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveTinyModel } from '../helpers/tiny-model.js';
import { Tagger } from '../../src/core/tagger/tagger.js';
import { TaggerPool } from '../../src/node/workers/tagger-pool.js';
import { readSharedModelFiles } from '../../src/node/workers/shared-model-files.js';

let dir: string;
const TEXTS = Array.from({ length: 24 }, (_, i) => `Anna Keller visited Oslo on day ${i}. Tellco opened an office in Kyoto.`);

describe('TaggerPool workers build their models on one shared copy of the weights', () => {
  beforeAll(async () => {
    dir = await saveTinyModel('ner-shared-');
  });

  it('reads weights.bin into a SharedArrayBuffer, byte for byte', async () => {
    const files = await readSharedModelFiles(dir);
    expect(files!.weights.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(files!.weights).equals(readFileSync(join(dir, 'weights.bin')))).toBe(true);
    expect(new TextDecoder().decode(files!.model)).toBe(readFileSync(join(dir, 'model.json'), 'utf8'));
  });

  it('a model built on shared weights views them in place, and tags as one loaded from the folder', async () => {
    const files = (await readSharedModelFiles(dir))!;
    const shared = await Tagger.load(files, { backend: 'wasm' });
    expect(shared.model.network.layers[0].W.buffer).toBe(files.weights.buffer);
    const fromDir = await Tagger.load(dir, { backend: 'wasm' });
    expect(await shared.tagBatch(TEXTS)).toEqual(await fromDir.tagBatch(TEXTS));
  });

  it('weights given in an ordinary buffer are still copied (the caller may change them)', async () => {
    const files = (await readSharedModelFiles(dir))!;
    const plain = { ...files, weights: Uint8Array.from(files.weights) };
    const tagger = await Tagger.load(plain, { backend: 'wasm' });
    expect(tagger.model.network.layers[0].W.buffer).not.toBe(plain.weights.buffer);
  });

  it('a pool of two on the shared weights tags as one in-process Tagger', async () => {
    const expected = await (await Tagger.load(dir, { backend: 'wasm' })).tagBatch(TEXTS);
    const pool = await TaggerPool.start({ modelDir: dir, workers: 2, backend: 'wasm' });
    try {
      const parts = [TEXTS.slice(0, 5), TEXTS.slice(5, 13), TEXTS.slice(13)];
      expect((await Promise.all(parts.map((p) => pool.tagBatch(p)))).flat()).toEqual(expected);
    } finally {
      await pool.close();
    }
  });

  it('a missing folder fails in the main thread with the loader\'s error, naming it', async () => {
    await expect(readSharedModelFiles(join(dir, 'nope'))).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/nope: model directory not found/) });
  });
});
