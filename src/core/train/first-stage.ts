import { sentencesOf, type Document } from '../document/document.js';
import { foldDocuments } from './fold-documents.js';
import { NerError } from '../errors.js';
import type { TeacherProbabilities } from './teacher-probabilities.js';
import type { TrainArgs } from './train-args.js';
import type { TrainResult } from './trainer.js';

/**
 * Where a two-stage model's (feature `docpred`) training inputs come from. Its `docpred` keys
 * on train must be what a first stage predicts for sentences it did not see: a model scoring
 * its own training sentences is far surer than on new text, and the second stage would learn
 * to trust the key more than it deserves.
 */
export interface FirstStageArgs {
  /** The first stage's tags of every training sentence, in order (e.g. out-of-fold tags saved earlier); absent: computed by `folds`. */
  tags?: readonly (readonly string[])[];
  /**
   * Out-of-fold tags: the training sentences are cut into this many contiguous folds and each
   * is tagged by the same recipe without `docpred`, trained on the other folds (early-stopped
   * on dev). Default 3: k more trainings on (k-1)/k of the data.
   */
  folds?: number;
  /**
   * Fraction of training documents whose keys are all `none`, as in the first pass: the one
   * network then serves both passes. Default 0.5.
   */
  noneRate?: number;
}

export const FIRST_STAGE_DEFAULTS = { folds: 3, noneRate: 0.5 } as const;

/** Checks a FirstStageArgs' shape (the tags' lengths are checked against the data by firstStageTags). */
export function validateFirstStage(value: unknown): void {
  if (value === undefined) return;
  const fail = (what: string): never => {
    throw new NerError('E_CONFIG', `firstStage${what}`, { hint: 'firstStage takes { tags?: string[][], folds?: integer >= 2, noneRate?: number in [0, 1) }' });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(' must be an object');
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) if (!['tags', 'folds', 'noneRate'].includes(key)) fail(` has no option "${key}"`);
  if (v.folds !== undefined && !(Number.isInteger(v.folds) && (v.folds as number) >= 2)) fail(`.folds must be an integer >= 2, got ${String(v.folds)}`);
  if (v.noneRate !== undefined && !(typeof v.noneRate === 'number' && v.noneRate >= 0 && v.noneRate < 1)) fail(`.noneRate must be a number in [0, 1), got ${String(v.noneRate)}`);
  if (v.tags !== undefined && !(Array.isArray(v.tags) && v.tags.every((t) => Array.isArray(t) && t.every((x) => typeof x === 'string')))) fail('.tags must be an array of tag arrays, one per training sentence');
}

/**
 * The first stage's tags of each training sentence: `firstStage.tags` when given (checked
 * against the sentences), else out-of-fold tags. `train` is the trainer itself (passed in, so
 * that this file and the trainer do not import each other).
 */
export async function firstStageTags(args: TrainArgs, train: (args: TrainArgs) => Promise<TrainResult>): Promise<string[][]> {
  const sentences = sentencesOf(args.train);
  const given = args.firstStage?.tags;
  if (given) {
    if (given.length !== sentences.length) {
      throw new NerError('E_CONFIG', `firstStage.tags has ${given.length} tag lists for ${sentences.length} training sentences`, { hint: 'give one list of tags per training sentence, in order' });
    }
    given.forEach((tags, i) => {
      if (tags.length !== sentences[i].tokens.length) throw new NerError('E_CONFIG', `firstStage.tags[${i}] has ${tags.length} tags for ${sentences[i].tokens.length} tokens`);
    });
    return given.map((t) => [...t]);
  }
  return outOfFoldTags(args, args.firstStage?.folds ?? FIRST_STAGE_DEFAULTS.folds, train);
}

/** Tags of every training sentence from a model that did not train on it (see FirstStageArgs.folds). */
async function outOfFoldTags(args: TrainArgs, k: number, train: (args: TrainArgs) => Promise<TrainResult>): Promise<string[][]> {
  const out: string[][] = [];
  for (const fold of await outOfFoldPredictions(args, k, train)) out.push(...fold.tags);
  return out;
}

/** One held-out fold's predictions by the model trained on the other folds. */
export interface FoldPredictions {
  /** 0-based fold number: folds are contiguous runs of training sentences, in order. */
  fold: number;
  /** Decoded tags of each of the fold's sentences. */
  tags: string[][];
  /** The network's tag probabilities `[tokens, tags]` of the fold's tokens, columns in `tagOrder`. */
  probabilities: Float32Array;
  tagOrder: string[];
}

/**
 * Out-of-fold predictions of the training sentences: the sentences cut into k contiguous folds,
 * each predicted by the recipe (without `docpred`) trained on the other folds and early-stopped
 * on dev. `only`: the 0-based folds to train (default all), so that folds can run in separate
 * processes; concatenated in fold order they cover every training sentence once.
 */
export async function outOfFoldPredictions(args: TrainArgs, k: number, train: (args: TrainArgs) => Promise<TrainResult>, only?: readonly number[]): Promise<FoldPredictions[]> {
  const entries = args.train.flatMap((document) => document.sentences.map((sentence) => ({ sentence, document })));
  if (entries.length < k) throw new NerError('E_CONFIG', `${entries.length} training sentences cannot be cut into ${k} folds for the first stage`);
  for (const i of only ?? []) if (!(Number.isInteger(i) && i >= 0 && i < k)) throw new NerError('E_CONFIG', `fold ${i + 1} does not exist: there are ${k} folds (1 to ${k})`);
  const bounds = Array.from({ length: k + 1 }, (_, i) => Math.round((i * entries.length) / k));
  const { firstStage: _fs, onEpoch: _e, onProgress: _p, onStage: _s, ...recipe } = args;
  const features = (args.features ?? []).filter((f) => f.name !== 'docpred');
  // Where each sentence's tokens start: a saved teacher's rows of a fold model's training sentences.
  const tokenStart = [0];
  for (const { sentence } of entries) tokenStart.push(tokenStart[tokenStart.length - 1] + sentence.tokens.length);
  const out: FoldPredictions[] = [];
  for (let i = 0; i < k; i++) {
    if (only && !only.includes(i)) continue;
    const heldOut = foldDocuments(entries.slice(bounds[i], bounds[i + 1]));
    const rest = foldDocuments([...entries.slice(0, bounds[i]), ...entries.slice(bounds[i + 1])]);
    // One network per fold, as a two-stage model is one network (members.ts).
    const { model } = await train({ ...recipe, members: 1, features, train: rest, dev: args.dev, ...(recipe.teacherProbabilities ? { teacherProbabilities: withoutRows(recipe.teacherProbabilities, tokenStart[bounds[i]], tokenStart[bounds[i + 1]]) } : {}) });
    const probabilities = await model.documentProbabilitiesAsync(heldOut);
    await model.predictAsync(heldOut);
    out.push({ fold: i, tags: sentencesOf(heldOut).map((s) => s.predicted!), probabilities, tagOrder: [...model.config.tags] });
  }
  return out;
}

/** Saved teacher probabilities without the rows of tokens [from, to) (the held-out fold's). */
function withoutRows(teacher: TeacherProbabilities, from: number, to: number): TeacherProbabilities {
  const T = teacher.tags.length;
  const p = teacher.probabilities;
  const probabilities = new Float32Array(p.length - (to - from) * T);
  probabilities.set(p.subarray(0, from * T));
  probabilities.set(p.subarray(to * T), from * T);
  return { tags: teacher.tags, probabilities };
}

/**
 * Per training document, its sentences' first-stage tags, or undefined (all keys `none`) for
 * a `noneRate` share of the documents drawn with `draw` (uniform in [0, 1)).
 */
export function firstStagePerDocument(documents: readonly Document[], tags: readonly (readonly string[])[], noneRate: number, draw: () => number): ((readonly string[])[] | undefined)[] {
  let s = 0;
  return documents.map((doc) => {
    const own = tags.slice(s, (s += doc.sentences.length));
    return draw() < noneRate ? undefined : own;
  });
}
