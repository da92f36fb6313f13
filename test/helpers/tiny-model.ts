import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConll } from '../../src/node/files/conll-files.js';
import { useBackend } from '../../src/node/backend.js';
import { saveModel } from '../../src/node/storage/model-io.js';
import { train } from '../../src/core/train/trainer.js';

export const TINY_FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');

/** Trains a small model (word and casing features, 16 hidden units) on the tiny fixture, on wasm, and saves it in a new temp folder; returns the model folder. */
export async function saveTinyModel(prefix: string): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), prefix)), 'model');
  await useBackend('wasm');
  const { documents } = await readConll(TINY_FIXTURE);
  const { model } = await train({
    train: documents, dev: documents, vectors: null, hidden: [16], epochs: 5, batchSize: 16, learningRate: 0.01,
    features: [{ name: 'word', dim: 8 }, { name: 'casing', dim: 4 }],
  });
  await saveModel(model, dir);
  return dir;
}
