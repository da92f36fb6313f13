import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allSentences, readConll } from '../../src/corpus/conll-reader.js';
import { useBackend } from '../../src/model/backend.js';
import { saveModel } from '../../src/storage/model-io.js';
import { Tagger } from '../../src/tagger/tagger.js';
import { TaggerPool } from '../../src/tagger/tagger-pool.js';
import { train } from '../../src/train/trainer.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const dir = join(mkdtempSync(join(tmpdir(), 'ner-pool-')), 'model');

describe('TaggerPool: tagging on worker threads', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    const sentences = allSentences(await readConll(FIXTURE)).map((s) => ({ words: s.words, tags: s.tags }));
    const { model } = await train({
      train: sentences, dev: sentences, vectors: null, hidden: [16], epochs: 5, batchSize: 16, learningRate: 0.01,
      features: [{ name: 'word', dim: 8 }, { name: 'casing', dim: 4 }],
    });
    await saveModel(model, dir);
  });

  it('gives the same results as the in-process tagger, in order, across concurrent batches', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `Anna Keller visited Oslo on day ${i}. Tellco opened an office in Kyoto.`);
    const tagger = await Tagger.load(dir, { backend: 'wasm' });
    const expected = await tagger.tagBatch(texts);
    const pool = await TaggerPool.start({ modelDir: dir, workers: 2, backend: 'wasm' });
    try {
      expect(pool.size).toBe(2);
      const parts = [texts.slice(0, 10), texts.slice(10, 25), texts.slice(25)];
      const results = (await Promise.all(parts.map((p) => pool.tagBatch(p)))).flat();
      expect(results).toEqual(expected);
      expect(await pool.tag(texts[3])).toEqual(expected[3]);
    } finally {
      await pool.close();
    }
  });

  it('a bad model directory fails start-up with the loader\'s message', async () => {
    await expect(TaggerPool.start({ modelDir: join(dir, 'nope'), workers: 1 })).rejects.toMatchObject({
      code: 'E_MODEL',
      message: expect.stringMatching(/nope: model directory not found/),
    });
  });
});
