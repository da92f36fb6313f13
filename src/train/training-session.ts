import { NerError } from '../errors.js';
import { DEFAULT_VECTORS, loadPretrained } from '../features/pretrained.js';
import { normalizeWord } from '../features/normalize.js';
import { FeatureSet, validateSpecs } from '../features/token-features.js';
import { encodeSentences, windowIds, type EncodedTokens } from '../features/windows.js';
import { UNK_ID } from '../features/vocabulary.js';
import { ACTIVATIONS } from '../model/activations.js';
import { dropoutMask } from '../model/dropout.js';
import { WindowNetwork } from '../model/network.js';
import { WindowModel, type ModelConfig } from '../model/window-model.js';
import { Random } from '../util/random.js';
import { initTables } from './init-tables.js';
import { Optimizer } from './optimizers.js';
import { DEFAULT_FEATURES, type LabeledSentence, type TrainArgs } from './train-args.js';

/** Milliseconds spent in each phase of the steps run so far; pass one to `step` to time it. */
export interface StepPhases {
  /** Window ids, rare words to UNK, embedding lookup, input dropout, labels. */
  batch: number;
  /** Forward and backward pass of the network. */
  gradients: number;
  /** Optimizer update of the dense layers. */
  denseUpdate: number;
  /** Input-dropout mask on dX and the scatter of dX into embedding rows. */
  scatter: number;
  /** Optimizer update of the touched embedding rows. */
  rowsUpdate: number;
}

/**
 * Everything training needs before its first step (features, tables, network, encoded
 * windows, optimizer, random stream), and one mini-batch step. `train()` runs epochs of
 * these steps; the benchmark times the very same step.
 *
 * @example
 * const session = await TrainingSession.create({ train: sentences, dev: [] });
 * const order = session.rng.permutation(session.enc.length);
 * const loss = session.step(order, 0, 256);
 */
export class TrainingSession {
  private readonly ids: Int32Array;
  private readonly X: Float32Array;
  private readonly batchLabels: Int32Array;

  private constructor(
    /** The options with their defaults filled in. */
    readonly args: ResolvedTrainArgs,
    readonly model: WindowModel,
    readonly enc: EncodedTokens,
    readonly labels: Int32Array,
    readonly optimizer: Optimizer,
    readonly rng: Random,
    /** Word ids a step may replace by UNK (seen once, no pretrained vector), or null. */
    private readonly rareWords: Uint8Array | null,
    /** Word ids whose pretrained vectors stay fixed, or null. */
    private readonly frozen: Uint8Array | null,
    /** Where pretrained vectors came from, or null. */
    readonly vectors: string | null,
    /** Index of the word feature, -1 when there is none. */
    private readonly wordFeature: number,
  ) {
    const B = args.batchSize;
    const slots = model.slots;
    this.ids = new Int32Array(B * slots * model.featureSet.count);
    this.X = new Float32Array(B * slots * model.tables.tokenDim);
    this.batchLabels = new Int32Array(B);
  }

  /** Checks the options, loads the vectors, builds vocabularies, tables and the network. */
  static async create(args: TrainArgs): Promise<TrainingSession> {
    const a = withDefaults(args);
    const rng = new Random(a.seed);
    const tags = tagSet(a.train);
    const pretrained = a.vectors === null ? null : await loadPretrained(a.vectors, { limit: a.vectorsLimit });
    const featureSet = FeatureSet.build(
      a.features,
      a.train.map((s) => s.words),
      { pretrainedKeys: pretrained ? pretrained.words.map(normalizeWord) : undefined },
    );
    const { tables, pretrainedRows } = initTables(featureSet, pretrained, rng);
    const slots = 2 * a.window + 1;
    const network = WindowNetwork.init(slots * tables.tokenDim, a.hidden, tags.length, a.activation, rng);
    const config: ModelConfig = {
      window: a.window,
      features: a.features,
      hidden: a.hidden,
      activation: a.activation,
      tags,
      scheme: 'IOB2',
      decoder: a.decoder,
    };
    const model = new WindowModel(config, featureSet, tables, network);
    const wordFeature = a.features.findIndex((f) => f.name === 'word');
    const enc = encodeSentences(featureSet, a.train.map((s) => s.words), documentIds(a.train));
    const rareWords = wordFeature >= 0 && a.unknownWordRate > 0 ? rareWordIds(enc, wordFeature, pretrainedRows) : null;
    const tagIndex = new Map(tags.map((t, i) => [t, i]));
    const labels = Int32Array.from(a.train.flatMap((s) => s.tags.map((t) => tagIndex.get(t)!)));
    const optimizer = new Optimizer({ name: a.optimizer, learningRate: a.learningRate });
    const frozen = a.freezeVectors && wordFeature >= 0 ? pretrainedRows : null;
    return new TrainingSession(a, model, enc, labels, optimizer, rng, rareWords, frozen, pretrained?.source ?? null, wordFeature);
  }

  /**
   * One mini-batch of gradient descent on the windows of tokens `order[from .. from+count)`
   * (count at most the batch size). Returns the batch's mean cross-entropy. With `phases`,
   * adds the milliseconds of each phase to it.
   */
  step(order: ArrayLike<number>, from: number, count: number, phases?: StepPhases): number {
    const a = this.args;
    const { featureSet, tables, network } = this.model;
    const wordFeature = this.wordFeature;
    const clock = phases ? () => performance.now() : () => 0;
    const t0 = clock();
    const positions = count * this.model.slots;
    const ids = windowIds(this.enc, order, from, count, a.window, this.ids);
    if (this.rareWords) replaceRareWords(ids, positions, featureSet.count, wordFeature, this.rareWords, a.unknownWordRate, this.rng);
    const input = count === a.batchSize ? this.X : this.X.subarray(0, positions * tables.tokenDim);
    tables.lookup(ids, positions, input);
    const inputMask = a.inputDropout > 0 ? dropInputs(input, a.inputDropout, this.rng) : null;
    for (let b = 0; b < count; b++) this.batchLabels[b] = this.labels[order[from + b]];
    const t1 = clock();
    const g = network.gradients(input, this.batchLabels.subarray(0, count), count, { dropout: a.dropout, rng: this.rng });
    const t2 = clock();
    this.optimizer.nextStep();
    network.layers.forEach((layer, l) => {
      if (a.l2 > 0) for (let k = 0; k < layer.W.length; k++) g.dW[l][k] += a.l2 * layer.W[k];
      this.optimizer.updateDense(layer.W, g.dW[l]);
      this.optimizer.updateDense(layer.b, g.db[l]);
    });
    const t3 = clock();
    if (inputMask) for (let k = 0; k < inputMask.length; k++) g.dX[k] *= inputMask[k];
    const sparse = tables.scatter(ids, positions, g.dX);
    const t4 = clock();
    sparse.forEach((s, f) => {
      const frozen = f === wordFeature ? this.frozen : null;
      const rows = frozen ? s.rows.filter((r) => !frozen[r]) : s.rows;
      const grads = rows === s.rows ? s.grads : pick(s, rows, a.features[f].dim);
      this.optimizer.updateRows(tables.tables[f], a.features[f].dim, rows, grads);
    });
    if (phases) {
      const t5 = clock();
      phases.batch += t1 - t0;
      phases.gradients += t2 - t1;
      phases.denseUpdate += t3 - t2;
      phases.scatter += t4 - t3;
      phases.rowsUpdate += t5 - t4;
    }
    return g.loss;
  }
}

/** The document id of each sentence, or undefined when none has one. */
export function documentIds(sentences: readonly LabeledSentence[]): number[] | undefined {
  return sentences.some((s) => s.document !== undefined) ? sentences.map((s) => s.document ?? -1) : undefined;
}

type Required2<T> = { [K in keyof T]-?: T[K] };
export type ResolvedTrainArgs = Required2<Omit<TrainArgs, 'onEpoch' | 'onProgress' | 'signal' | 'vectors' | 'learningRate'>> &
  Pick<TrainArgs, 'onEpoch' | 'onProgress' | 'signal' | 'learningRate'> & { vectors: string | null };

/** Fills in defaults and rejects impossible settings with errors naming the option. */
function withDefaults(args: TrainArgs): ResolvedTrainArgs {
  const a: ResolvedTrainArgs = {
    ...args,
    features: args.features ?? DEFAULT_FEATURES,
    vectors: args.vectors === undefined ? DEFAULT_VECTORS : args.vectors,
    vectorsLimit: args.vectorsLimit ?? 100_000,
    window: args.window ?? 2,
    hidden: args.hidden ?? [300],
    activation: args.activation ?? 'relu',
    dropout: args.dropout ?? 0.5,
    inputDropout: args.inputDropout ?? 0.1,
    unknownWordRate: args.unknownWordRate ?? 0.5,
    optimizer: args.optimizer ?? 'adam',
    decay: args.decay ?? { kind: 'none' },
    batchSize: args.batchSize ?? 256,
    epochs: args.epochs ?? 20,
    patience: args.patience ?? 4,
    l2: args.l2 ?? 0,
    freezeVectors: args.freezeVectors ?? false,
    seed: args.seed ?? 1,
    decoder: args.decoder ?? 'viterbi',
    transitionWeight: args.transitionWeight ?? 'auto',
  };
  const positiveInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v < 1) throw new NerError('E_CONFIG', `${name} must be a positive integer, got ${v}`);
  };
  if (a.train.length === 0) throw new NerError('E_CONFIG', 'the training data has no sentences');
  if (!Number.isInteger(a.window) || a.window < 0) throw new NerError('E_CONFIG', `window must be an integer >= 0, got ${a.window}`);
  if (a.hidden.length === 0) throw new NerError('E_CONFIG', 'at least one hidden layer is needed');
  a.hidden.forEach((h) => positiveInt(h, 'each hidden layer size'));
  positiveInt(a.batchSize, 'batch size');
  positiveInt(a.epochs, 'epochs');
  positiveInt(a.patience, 'patience');
  positiveInt(a.vectorsLimit, 'vectors limit');
  if (!(a.dropout >= 0 && a.dropout < 1)) throw new NerError('E_CONFIG', `dropout must be in [0, 1), got ${a.dropout}`);
  if (!(a.inputDropout >= 0 && a.inputDropout < 1)) throw new NerError('E_CONFIG', `input dropout must be in [0, 1), got ${a.inputDropout}`);
  if (!(a.unknownWordRate >= 0 && a.unknownWordRate <= 1)) throw new NerError('E_CONFIG', `unknown-word rate must be in [0, 1], got ${a.unknownWordRate}`);
  if (!(a.l2 >= 0)) throw new NerError('E_CONFIG', `l2 must be >= 0, got ${a.l2}`);
  if (!(ACTIVATIONS as readonly string[]).includes(a.activation)) {
    throw new NerError('E_CONFIG', `unknown activation "${a.activation}"`, { hint: `choose from ${ACTIVATIONS.join(', ')}` });
  }
  if (a.transitionWeight !== 'auto' && !(a.transitionWeight >= 0 && Number.isFinite(a.transitionWeight))) {
    throw new NerError('E_CONFIG', `transition weight must be a number >= 0 or auto, got ${a.transitionWeight}`);
  }
  validateSpecs(a.features);
  return a;
}


/** The tags of the training data, `O` first, then sorted. */
function tagSet(sentences: readonly LabeledSentence[]): string[] {
  const set = new Set<string>();
  for (const s of sentences) for (const t of s.tags) set.add(t);
  set.delete('O');
  return ['O', ...[...set].sort()];
}

/** Word ids seen once in training that have no pretrained vector: stand-ins for unknown words. */
function rareWordIds(enc: EncodedTokens, wordFeature: number, pretrainedRows: Uint8Array): Uint8Array {
  const counts = new Map<number, number>();
  for (let t = 0; t < enc.length; t++) {
    const id = enc.ids[t * enc.features + wordFeature];
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const rare = new Uint8Array(Math.max(0, ...counts.keys()) + 1);
  for (const [id, c] of counts) if (c === 1 && !pretrainedRows[id]) rare[id] = 1;
  return rare;
}

function replaceRareWords(ids: Int32Array, positions: number, F: number, f: number, rare: Uint8Array, rate: number, rng: Random): void {
  for (let p = 0; p < positions; p++) {
    const k = p * F + f;
    if (rare[ids[k]] && rng.next() < rate) ids[k] = UNK_ID;
  }
}

/** Inverted dropout on the input rows, in place; returns the mask for the backward pass. */
function dropInputs(X: Float32Array, p: number, rng: Random): Float32Array {
  const mask = dropoutMask(X.length, p, rng)!;
  for (let k = 0; k < X.length; k++) X[k] *= mask[k];
  return mask;
}

function pick(sparse: { rows: Int32Array; grads: Float32Array }, keep: Int32Array, dim: number): Float32Array {
  const out = new Float32Array(keep.length * dim);
  let k = 0;
  for (let i = 0; i < sparse.rows.length && k < keep.length; i++) {
    if (sparse.rows[i] === keep[k]) out.set(sparse.grads.subarray(i * dim, (i + 1) * dim), k++ * dim);
  }
  return out;
}

