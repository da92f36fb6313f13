/**
 * Out-of-fold predictions (first-stage.ts): the folds trained one at a time (`only`, as
 * scripts/first-stage-tags.ts --fold N runs them in separate processes) must join into what one
 * run of all folds gives, and a saved teacher must reach each fold model without the held-out rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sentencesOf, tokenCount, type Document } from '../../src/core/document/document.js';
import { outOfFoldPredictions } from '../../src/core/train/first-stage.js';
import type { TrainArgs } from '../../src/core/train/train-args.js';
import { train } from '../../src/core/train/trainer.js';
import { useBackend } from '../../src/node/backend.js';
import { readLabeledDocuments } from '../../src/node/train-files.js';
import { TINY_FIXTURE, TINY_NETWORK } from '../helpers/tiny-model.js';

const FIXTURE = TINY_FIXTURE;

const tiny = { ...TINY_NETWORK, epochs: 2, patience: 2, seed: 5 };

let documents: Document[];
const tokens = tokenCount;

describe('out-of-fold predictions', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    documents = await readLabeledDocuments(FIXTURE);
  });

  it('fold by fold join into the run of all folds: every training sentence and token once, in order', async () => {
    const args = { ...tiny, train: documents, dev: documents };
    const all = await outOfFoldPredictions(args, 3, (a) => train(a));
    const parts = [...(await outOfFoldPredictions(args, 3, (a) => train(a), [2])), ...(await outOfFoldPredictions(args, 3, (a) => train(a), [0, 1]))].sort((x, y) => x.fold - y.fold);
    expect(all.map((f) => f.fold)).toEqual([0, 1, 2]);
    expect(parts.flatMap((f) => f.tags)).toEqual(all.flatMap((f) => f.tags));
    expect(parts.map((f) => [...f.probabilities])).toEqual(all.map((f) => [...f.probabilities]));
    const sentences = sentencesOf(documents);
    expect(all.flatMap((f) => f.tags).map((t) => t.length)).toEqual(sentences.map((s) => s.tokens.length));
    const T = all[0].tagOrder.length;
    expect(all.reduce((n, f) => n + f.probabilities.length / T, 0)).toBe(tokens(documents));
    await expect(outOfFoldPredictions(args, 3, (a) => train(a), [3])).rejects.toThrow(/fold 4 does not exist: there are 3 folds/);
  });

  it('gives each fold model the saved teacher rows of its own training tokens only', async () => {
    const T = 9;
    const seen: { rows: number; tokens: number; first: number }[] = [];
    // Row i holds i in its first column: which rows a fold model got shows in the values.
    const rows = tokens(documents);
    const probabilities = new Float32Array(rows * T);
    for (let i = 0; i < rows; i++) probabilities[i * T] = i / rows;
    const tags = ['O', 'B-LOC', 'I-LOC', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-MISC', 'I-MISC'];
    const record = (a: TrainArgs) => {
      const p = a.teacherProbabilities!.probabilities;
      seen.push({ rows: p.length / T, tokens: tokens(a.train), first: Math.round(p[0] * rows) });
      return train({ ...a, teacherProbabilities: undefined });
    };
    const folds = await outOfFoldPredictions({ ...tiny, train: documents, dev: documents, teacherProbabilities: { tags, probabilities } }, 3, record);
    const heldOut = folds.map((f) => f.tags.reduce((n, t) => n + t.length, 0));
    expect(seen.map((s) => s.rows)).toEqual(seen.map((s) => s.tokens));
    expect(seen.map((s) => s.rows)).toEqual(heldOut.map((h) => rows - h));
    // Fold 1 held out: its model's rows start after fold 1's tokens; the others' at row 0.
    expect(seen.map((s) => s.first)).toEqual([heldOut[0], 0, 0]);
  });
});
