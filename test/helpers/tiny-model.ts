import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConll } from '../../src/node/files/conll-files.js';
import { useBackend } from '../../src/node/backend.js';
import { saveModel } from '../../src/node/storage/model-io.js';
import { train } from '../../src/core/train/trainer.js';
import type { WindowModel } from '../../src/core/model/window-model.js';

export const TINY_FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');

/**
 * The small network the training tests share: word and casing features, 16 hidden units, no
 * pretrained vectors, and one network (members 'auto' would train three on the tiny fixture).
 */
export const TINY_NETWORK = {
  members: 1,
  vectors: null,
  features: [
    { name: 'word' as const, dim: 8 },
    { name: 'casing' as const, dim: 4 },
  ],
  hidden: [16],
  batchSize: 16,
};

/** The weights of every table and layer, concatenated, to compare two models exactly. */
export function modelParameters(model: WindowModel): number[] {
  return [...model.tables.tables.flatMap((t) => [...t]), ...model.network.layers.flatMap((l) => [...l.W, ...l.b])];
}

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
