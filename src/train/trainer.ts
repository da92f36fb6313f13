import { NerError } from '../errors.js';
import { evaluate } from '../eval/conlleval.js';
import { DEFAULT_VECTORS, loadPretrained, type PretrainedVectors } from '../features/pretrained.js';
import { normalizeWord } from '../features/normalize.js';
import { FeatureSet, validateSpecs } from '../features/token-features.js';
import { encodeSentences, windowIds, type EncodedTokens } from '../features/windows.js';
import { UNK_ID } from '../features/vocabulary.js';
import { ACTIVATIONS } from '../model/activations.js';
import { WindowNetwork } from '../model/network.js';
import { WindowModel, type ModelConfig } from '../model/window-model.js';
import { Random } from '../util/random.js';
import { initTables } from './init-tables.js';
import { Optimizer } from './optimizers.js';
import { learningRateAt } from './schedule.js';
import { DEFAULT_FEATURES, type EpochMetrics, type LabeledSentence, type TrainArgs } from './train-args.js';

/** What training returns: the model of the best dev epoch and the history. */
export interface TrainResult {
  model: WindowModel;
  history: EpochMetrics[];
  bestEpoch: number;
  /** Why training ended. */
  stopped: 'epochs' | 'early-stopping' | 'interrupted';
  /** Where the pretrained vectors came from, or null. */
  vectors: string | null;
}

/**
 * Trains a window classifier by mini-batch gradient descent on shuffled windows, keeping the
 * epoch with the best dev entity F1 (early stopping with patience).
 *
 * @example
 * const { model, history } = await train({ train: trainSentences, dev: devSentences, epochs: 10 });
 */
export async function train(args: TrainArgs): Promise<TrainResult> {
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
  const devWords = a.dev.map((s) => s.words);
  const devDocuments = documentIds(a.dev);
  const devGold = a.dev.map((s) => s.tags);

  const optimizer = new Optimizer({ name: a.optimizer, learningRate: a.learningRate });
  const baseRate = optimizer.learningRate;
  const frozen = a.freezeVectors && wordFeature >= 0 ? pretrainedRows : null;

  const history: EpochMetrics[] = [];
  let best: { f1: number; epoch: number; snapshot: Snapshot } | null = null;
  let stopped: TrainResult['stopped'] = 'epochs';
  const B = a.batchSize;
  const ids = new Int32Array(B * slots * featureSet.count);
  const X = new Float32Array(B * slots * tables.tokenDim);
  const batchLabels = new Int32Array(B);

  for (let epoch = 1; epoch <= a.epochs; epoch++) {
    const started = performance.now();
    optimizer.learningRate = learningRateAt(baseRate, a.decay, epoch);
    const order = rng.permutation(enc.length);
    let lossSum = 0;
    let batches = 0;
    for (let from = 0; from < enc.length; from += B) {
      if (a.signal?.aborted) break;
      const count = Math.min(B, enc.length - from);
      windowIds(enc, order, from, count, a.window, ids);
      const positions = count * slots;
      if (rareWords) replaceRareWords(ids, positions, featureSet.count, wordFeature, rareWords, a.unknownWordRate, rng);
      const input = count === B ? X : X.subarray(0, positions * tables.tokenDim);
      tables.lookup(ids, positions, input);
      const inputMask = a.inputDropout > 0 ? dropInputs(input, a.inputDropout, rng) : null;
      for (let b = 0; b < count; b++) batchLabels[b] = labels[order[from + b]];
      const g = network.gradients(input, batchLabels.subarray(0, count), count, { dropout: a.dropout, rng });
      optimizer.nextStep();
      network.layers.forEach((layer, l) => {
        if (a.l2 > 0) for (let k = 0; k < layer.W.length; k++) g.dW[l][k] += a.l2 * layer.W[k];
        optimizer.updateDense(layer.W, g.dW[l]);
        optimizer.updateDense(layer.b, g.db[l]);
      });
      if (inputMask) for (let k = 0; k < inputMask.length; k++) g.dX[k] *= inputMask[k];
      tables.scatter(ids, positions, g.dX).forEach((sparse, f) => {
        const rows = f === wordFeature && frozen ? sparse.rows.filter((r) => !frozen[r]) : sparse.rows;
        const grads = rows === sparse.rows ? sparse.grads : pick(sparse, rows, a.features[f].dim);
        optimizer.updateRows(tables.tables[f], a.features[f].dim, rows, grads);
      });
      lossSum += g.loss;
      batches++;
      if (!Number.isFinite(g.loss)) {
        throw new NerError('E_TRAIN', `training diverged (loss ${g.loss}) in epoch ${epoch}`, { hint: 'lower the learning rate' });
      }
      if (a.onProgress && batches % 20 === 0) a.onProgress(epoch, from + count, enc.length, lossSum / batches);
      if (batches % 50 === 0) await new Promise((r) => setImmediate(r)); // let Ctrl-C and progress through
    }
    const trainSeconds = (performance.now() - started) / 1000;
    if (a.signal?.aborted && batches * B < enc.length) {
      stopped = 'interrupted';
      break;
    }
    const predicted = model.predict(devWords, devDocuments).map((p) => p.tags);
    const { precision, recall, f1 } = evaluate(devGold, predicted);
    const dev = { precision, recall, f1 };
    const isBest = best === null || dev.f1 > best.f1;
    const metrics: EpochMetrics = {
      epoch,
      loss: lossSum / Math.max(1, batches),
      learningRate: optimizer.learningRate,
      dev,
      seconds: (performance.now() - started) / 1000,
      windowsPerSecond: enc.length / trainSeconds,
      best: isBest,
    };
    history.push(metrics);
    if (isBest) best = { f1: dev.f1, epoch, snapshot: snapshot(model) };
    await a.onEpoch?.(metrics, model);
    if (best && epoch - best.epoch >= a.patience) {
      stopped = 'early-stopping';
      break;
    }
  }
  if (best) restore(model, best.snapshot);
  return { model, history, bestEpoch: best?.epoch ?? 0, stopped, vectors: pretrained?.source ?? null };
}

type Required2<T> = { [K in keyof T]-?: T[K] };
type Resolved = Required2<Omit<TrainArgs, 'onEpoch' | 'onProgress' | 'signal' | 'vectors' | 'learningRate'>> &
  Pick<TrainArgs, 'onEpoch' | 'onProgress' | 'signal' | 'learningRate'> & { vectors: string | null };

/** Fills in defaults and rejects impossible settings with errors naming the option. */
function withDefaults(args: TrainArgs): Resolved {
  const a: Resolved = {
    ...args,
    features: args.features ?? DEFAULT_FEATURES,
    vectors: args.vectors === undefined ? DEFAULT_VECTORS : args.vectors,
    vectorsLimit: args.vectorsLimit ?? 100_000,
    window: args.window ?? 2,
    hidden: args.hidden ?? [300],
    activation: args.activation ?? 'relu',
    dropout: args.dropout ?? 0.5,
    inputDropout: args.inputDropout ?? 0,
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
  validateSpecs(a.features);
  return a;
}

/** The document id of each sentence, or undefined when none has one. */
export function documentIds(sentences: readonly LabeledSentence[]): number[] | undefined {
  return sentences.some((s) => s.document !== undefined) ? sentences.map((s) => s.document ?? -1) : undefined;
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
  const keep = 1 / (1 - p);
  const mask = new Float32Array(X.length);
  for (let k = 0; k < X.length; k++) {
    mask[k] = rng.next() < p ? 0 : keep;
    X[k] *= mask[k];
  }
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

interface Snapshot {
  tables: Float32Array[];
  W: Float32Array[];
  b: Float32Array[];
}

function snapshot(model: WindowModel): Snapshot {
  return {
    tables: model.tables.tables.map((t) => t.slice()),
    W: model.network.layers.map((l) => l.W.slice()),
    b: model.network.layers.map((l) => l.b.slice()),
  };
}

function restore(model: WindowModel, s: Snapshot): void {
  model.tables.tables.forEach((t, i) => t.set(s.tables[i]));
  model.network.layers.forEach((l, i) => {
    l.W.set(s.W[i]);
    l.b.set(s.b[i]);
  });
}

export type { PretrainedVectors };
