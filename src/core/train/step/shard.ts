import type { EncodedTokens } from '../../features/windows.js';
import { windowIds } from '../../features/windows.js';
import { UNK_ID } from '../../features/vocabulary.js';
import { dropInPlace } from '../../model/dropout.js';
import type { EmbeddingTables } from '../../model/embedding-tables.js';
import type { InputGradientBlock, WindowNetwork } from '../../model/network.js';
import { Random } from '../../util/random.js';

/**
 * A training step splits its mini-batch into this many shards. Each shard has its own random
 * stream and dropout masks, so a step computes the same gradients whether the shards run one
 * after the other on one thread or side by side on two.
 */
export const SHARDS = 2;

/** What computing a shard's gradients reads; the same on the main thread and in the worker. */
export interface ShardInputs {
  enc: EncodedTokens;
  tables: EmbeddingTables;
  network: WindowNetwork;
  window: number;
  dropout: number;
  inputDropout: number;
  sharedDropoutMask: boolean;
  unknownWordRate: number;
  /** Word ids a step may replace by UNK, or null. */
  rareWords: Uint8Array | null;
  /** The word feature's id column (FeatureSet.columnOf), -1 when there is none. */
  wordColumn: number;
  /** The word feature's index among the features (its rows' place in a token's input), -1 when there is none. */
  wordFeature: number;
  /**
   * Word ids whose rows no step updates (frozen pretrained vectors), or null: the input
   * gradient's word columns are then computed only where a window holds another word.
   */
  frozenWords: Uint8Array | null;
  seed: number;
}

/** Where a step's inputs and the shards' results live (shared memory when two threads step). */
export interface StepBuffers {
  /** The batch's tokens (indices into `enc`) and their labels. */
  tokens: Int32Array;
  labels: Int32Array;
  /** The batch's target distributions `[batch, tags]` when training on soft targets (distillation), else null. */
  targets: Float32Array | null;
  /** Window feature ids of the whole batch, `[batch * slots * features]`. */
  ids: Int32Array;
  /** Gradient of the loss with respect to the batch's input rows, `[batch, slots * tokenDim]`. */
  dX: Float32Array;
  /** Per shard, per layer. */
  dW: Float32Array[][];
  db: Float32Array[][];
  /** Per shard: its part of the batch's mean loss. */
  loss: Float64Array;
}

/** The rows `[from, to)` of a batch of `count` that shard `k` computes. */
export function shardRows(k: number, count: number): [number, number] {
  const size = Math.ceil(count / SHARDS);
  return [Math.min(count, k * size), Math.min(count, (k + 1) * size)];
}

/** The seed of shard `k` of step `step`: a fixed function of the run's seed, so runs repeat. */
export function shardSeed(seed: number, step: number, k: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(step + 1, 0xc2b2ae35) ^ Math.imul(k + 1, 0x27d4eb2f);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}

/**
 * Computes shard `k` of a step over `count` windows: window ids (rare words replaced by UNK
 * at random), the embedding lookup, input dropout, forward and backward pass. Writes the ids,
 * the input gradient (input dropout applied) and the dense gradients into `out`. `X` is
 * scratch space of at least the shard's rows. With `phases`, adds the milliseconds spent
 * building the batch and in the network to it.
 */
export function computeShard(
  inp: ShardInputs,
  out: StepBuffers,
  X: Float32Array,
  step: number,
  k: number,
  count: number,
  phases?: { batch: number; gradients: number },
): void {
  const t0 = phases ? performance.now() : 0;
  const [from, to] = shardRows(k, count);
  const rows = to - from;
  if (rows === 0) {
    out.loss[k] = 0;
    out.dW[k].forEach((g) => g.fill(0));
    out.db[k].forEach((g) => g.fill(0));
    return;
  }
  const rng = new Random(shardSeed(inp.seed, step, k));
  const slots = 2 * inp.window + 1;
  const F = inp.enc.features;
  const positions = rows * slots;
  const ids = out.ids.subarray(from * slots * F, to * slots * F);
  windowIds(inp.enc, out.tokens, from, rows, inp.window, ids);
  if (inp.rareWords && inp.unknownWordRate > 0) replaceRareWords(ids, positions, F, inp.wordColumn, inp.rareWords, inp.unknownWordRate, rng);
  const D = slots * inp.tables.tokenDim;
  const input = X.subarray(0, rows * D);
  inp.tables.lookup(ids, positions, input);
  const inputMask = inp.inputDropout > 0 ? dropInputs(input, inp.inputDropout, rng) : null;
  const t1 = phases ? performance.now() : 0;
  const tags = inp.network.layers[inp.network.layers.length - 1].outputs;
  const g = inp.network.gradients(input, out.labels.subarray(from, to), rows, {
    ...(out.targets ? { targets: out.targets.subarray(from * tags, to * tags) } : {}),
    ...(inp.frozenWords && inp.wordFeature >= 0 ? { inputGradientBlocks: learnedInputBlocks(inp, ids, rows, slots, F) } : {}),
    dropout: inp.dropout,
    rng,
    sharedMask: inp.sharedDropoutMask,
    meanOver: count,
    into: { dW: out.dW[k], db: out.db[k] },
  });
  // The input gradient through the input-dropout mask, written straight into the step's buffer.
  const dX = g.dX;
  const target = out.dX.subarray(from * D, to * D);
  if (inputMask) for (let i = 0; i < dX.length; i++) target[i] = dX[i] * inputMask[i];
  else target.set(dX);
  out.loss[k] = g.loss;
  if (phases) {
    const t2 = performance.now();
    phases.batch += t1 - t0;
    phases.gradients += t2 - t1;
  }
}

/**
 * The blocks of the input gradient a step reads when word vectors are frozen: every column of
 * the other features, and each slot's word columns only for the windows whose word there has a
 * learned row (`<PAD>`, `<UNK>`, words without a vector). The scatter into the tables skips
 * frozen rows, so the word columns of the other windows would be computed for nothing (they are
 * most of the word columns, and the word columns most of the input: 100 of 168 per token).
 */
export function learnedInputBlocks(inp: ShardInputs, ids: Int32Array, rows: number, slots: number, F: number): InputGradientBlock[] {
  const D = inp.tables.tokenDim;
  const at = inp.tables.offsets[inp.wordFeature];
  const dim = inp.tables.specs[inp.wordFeature].dim;
  const frozen = inp.frozenWords!;
  const blocks: InputGradientBlock[] = [];
  // The columns between one slot's word block and the next one's: all rows.
  let from = 0;
  for (let s = 0; s < slots; s++) {
    const wordStart = s * D + at;
    if (wordStart > from) blocks.push({ start: from, end: wordStart, rows: null });
    const learned: number[] = [];
    for (let r = 0; r < rows; r++) if (!frozen[ids[(r * slots + s) * F + inp.wordColumn]]) learned.push(r);
    blocks.push({ start: wordStart, end: wordStart + dim, rows: Int32Array.from(learned) });
    from = wordStart + dim;
  }
  if (slots * D > from) blocks.push({ start: from, end: slots * D, rows: null });
  return blocks;
}

/** Replaces rare words' ids (column `f` of `F` per position) by UNK with probability `rate` (each step draws anew). */
export function replaceRareWords(ids: Int32Array, positions: number, F: number, f: number, rare: Uint8Array, rate: number, rng: Random): void {
  for (let p = 0; p < positions; p++) {
    const i = p * F + f;
    if (rare[ids[i]] && rng.next() < rate) ids[i] = UNK_ID;
  }
}

/** The input-dropout mask of this thread's latest shard, kept from shard to shard. */
let inputMaskScratch = new Float32Array(0);

/** Inverted dropout on the input rows, in place; returns the mask for the backward pass (valid until the next shard). */
function dropInputs(X: Float32Array, p: number, rng: Random): Float32Array {
  if (inputMaskScratch.length < X.length) inputMaskScratch = new Float32Array(X.length);
  return dropInPlace(X, p, rng, inputMaskScratch)!;
}
