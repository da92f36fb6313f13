import type { Document } from '../document/document.js';
import { foldDocuments } from './fold-documents.js';
import { NerError } from '../errors.js';
import { evaluateModel } from '../eval/score.js';
import type { TrainArgs } from './train-args.js';
import { train } from './trainer.js';
import { validateTrainArgs } from './validate-args.js';
import { checkDocuments } from './validate-data.js';

/** Options of crossValidate: the data, k, and the training options of every fold. */
export interface CrossValidateArgs extends Omit<TrainArgs, 'train' | 'dev'> {
  /** Labelled documents, as for `train` (IOB2 gold tags); the folds cut their sentences. */
  documents: readonly Document[];
  /** Number of folds, at least 3 (one scored, one for early stopping, the rest trained on). */
  folds: number;
  /** Called when a fold is done. */
  onFold?: (fold: FoldResult) => void | Promise<void>;
}

/** Scores of one fold: its held-out part scored with the model selected on the next part. */
export interface FoldResult {
  fold: number;
  trainSentences: number;
  bestEpoch: number;
  dev: { precision: number; recall: number; f1: number };
  heldOut: { precision: number; recall: number; f1: number };
}

/** All folds, and the mean and sample standard deviation of the held-out scores. */
export interface CrossValidationResult {
  folds: FoldResult[];
  mean: { precision: number; recall: number; f1: number };
  std: { precision: number; recall: number; f1: number };
}

/**
 * k-fold cross-validation over one labelled set. The sentences (of all documents, in order)
 * are cut into k contiguous folds, so a document's sentences mostly stay together; fold i is
 * held out and scored, fold i+1 (mod k) is the dev set for early stopping, and the model
 * trains on the rest. No figure that chooses anything is computed on the scored fold.
 *
 * @example
 * const cv = await crossValidate({ documents: await readLabeledDocuments('train.txt'), folds: 5, epochs: 5 });
 * console.log(cv.mean.f1, cv.std.f1);
 */
export async function crossValidate(args: CrossValidateArgs): Promise<CrossValidationResult> {
  const { documents, folds: k, onFold, ...trainArgs } = args;
  validateTrainArgs(trainArgs);
  checkDocuments(documents, 'training');
  if (!Number.isInteger(k) || k < 3) throw new NerError('E_CONFIG', `folds must be an integer >= 3, got ${k}`);
  const sentences = documents.flatMap((document) => document.sentences.map((sentence) => ({ sentence, document })));
  if (sentences.length < k) throw new NerError('E_CONFIG', `${sentences.length} sentences cannot be cut into ${k} folds`);
  const bounds = Array.from({ length: k + 1 }, (_, i) => Math.round((i * sentences.length) / k));
  const part = (i: number) => sentences.slice(bounds[i], bounds[i + 1]);
  const results: FoldResult[] = [];
  for (let i = 0; i < k; i++) {
    const devIndex = (i + 1) % k;
    const trainSet = Array.from({ length: k }, (_, j) => j)
      .filter((j) => j !== i && j !== devIndex)
      .flatMap(part);
    const result = await train({ ...trainArgs, train: foldDocuments(trainSet), dev: foldDocuments(part(devIndex)) });
    const scores = await evaluateModel(result.model, foldDocuments(part(i)));
    const fold: FoldResult = {
      fold: i + 1,
      trainSentences: trainSet.length,
      bestEpoch: result.bestEpoch,
      dev: result.dev,
      heldOut: { precision: scores.precision, recall: scores.recall, f1: scores.f1 },
    };
    results.push(fold);
    await onFold?.(fold);
  }
  return { folds: results, mean: aggregate(results, mean), std: aggregate(results, std) };
}

function aggregate(folds: FoldResult[], f: (xs: number[]) => number) {
  return {
    precision: f(folds.map((r) => r.heldOut.precision)),
    recall: f(folds.map((r) => r.heldOut.recall)),
    f1: f(folds.map((r) => r.heldOut.f1)),
  };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
}
