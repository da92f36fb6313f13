import { describe, expect, it, vi } from 'vitest';
import { sentencesOf, words, type Document } from '../../src/core/document/document.js';
import type { TrainArgs } from '../../src/core/train/train-args.js';

// train() is replaced by one that records what each fold trains on and returns a model that
// "predicts" the gold tags, so that the test sees exactly how the folds are cut.
const calls = vi.hoisted(() => [] as { train: string[][]; dev: string[][] }[]);
vi.mock('../../src/core/train/trainer.js', () => ({
  train: async (args: TrainArgs) => {
    const asWords = (docs: readonly Document[]) => docs.map((d) => d.sentences.map((s) => words(s).join(' ')));
    calls.push({ train: asWords(args.train), dev: asWords(args.dev) });
    const model = {
      predict: (docs: readonly Document[]) => {
        for (const s of sentencesOf(docs)) s.predicted = s.gold;
      },
    };
    return { model, bestEpoch: 1, dev: { precision: 100, recall: 100, f1: 100 } };
  },
}));

const { crossValidate } = await import('../../src/core/train/cross-validate.js');

/** A document of one-token sentences named by their words, each a PER entity. */
const doc = (...names: string[]): Document => ({ sentences: names.map((text) => ({ tokens: [{ text }], gold: ['B-PER'] })) });

describe('crossValidate', () => {
  it('cuts the sentences into contiguous folds; sentences of one document stay one document in each set', async () => {
    const documents = [doc('a1', 'a2', 'a3', 'a4', 'a5'), doc('b1', 'b2', 'b3')];
    // 8 sentences in 4 folds: [a1 a2] [a3 a4] [a5 b1] [b2 b3].
    const result = await crossValidate({ documents, folds: 4, vectors: null });
    expect(calls).toEqual([
      // Fold 1 held out; fold 2 is dev; folds 3 and 4 train, b1 b2 b3 one document.
      { train: [['a5'], ['b1', 'b2', 'b3']], dev: [['a3', 'a4']] },
      { train: [['a1', 'a2'], ['b2', 'b3']], dev: [['a5'], ['b1']] },
      // Folds 1 and 2 train: a1 .. a4, cut by a fold boundary, are one document again.
      { train: [['a1', 'a2', 'a3', 'a4']], dev: [['b2', 'b3']] },
      { train: [['a3', 'a4', 'a5'], ['b1']], dev: [['a1', 'a2']] },
    ]);
    expect(result.folds.map((f) => f.trainSentences)).toEqual([4, 4, 4, 4]);
    // The held-out folds are scored with the fold's model: here it predicts the gold tags.
    expect(result.folds.map((f) => f.heldOut.f1)).toEqual([100, 100, 100, 100]);
    expect(result.mean.f1).toBe(100);
    // Predictions went into copies: the caller's documents have none.
    expect(sentencesOf(documents).some((s) => s.predicted)).toBe(false);
  });

  it('needs at least k sentences and k >= 3', async () => {
    await expect(crossValidate({ documents: [doc('a', 'b')], folds: 3, vectors: null })).rejects.toThrow(/2 sentences cannot be cut into 3 folds/);
    await expect(crossValidate({ documents: [doc('a', 'b', 'c')], folds: 2, vectors: null })).rejects.toThrow(/folds must be an integer >= 3, got 2/);
  });
});
