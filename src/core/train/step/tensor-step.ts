import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { windowIds } from '../../features/windows.js';
import { activate, activationDerivative } from '../../model/activations.js';
import { gatherWindowRows } from '../../model/device-inference.js';
import { dropoutMask, keptUnits } from '../../model/dropout.js';
import type { WindowModel } from '../../model/window-model.js';
import { tf } from '../../model/tf.js';
import { Random } from '../../util/random.js';
import type { Optimizer } from '../optimizers.js';
import { TensorOptimizer, variableOf, type TensorMoments } from '../tensor-optimizer.js';
import { replaceRareWords, SHARDS, shardRows, shardSeed, type ShardInputs } from './shard.js';

/** What one step sends to the device, in bytes per window of the batch (see TensorStep.step). */
export interface UploadBytes {
  perWindow: number;
  perStep: number;
}

/**
 * A training step whose parameters live on the backend's device (webgpu): the embedding
 * tables, the dense layers and the optimizer's moments are tf.Variables, and the embedding
 * gather, the products, the backward pass, the scatter-add of the input gradient into the rows
 * a batch touched and every optimizer update run there. Nothing is read back per step: the
 * loss is summed on the device until `takeLoss`, the parameters come back with
 * `readParameters` (once per epoch, for dev scoring and saving).
 *
 * What the host still computes and uploads each step are the inputs whose random draws must
 * match the typed-array step (step/shard.ts) exactly: the window ids (rare words replaced by
 * UNK), the dropout masks, the labels and, per feature, the distinct rows the batch touched.
 * The random streams are the shards' own, so a seed trains the same model here as on wasm.
 */
export class TensorStep {
  private readonly tables: Variable[];
  private readonly W: Variable[];
  private readonly b: Variable[];
  /** The optimizer's moments of each parameter (null for sgd, which keeps none). */
  private readonly tableMoments: (TensorMoments | null)[];
  private readonly WMoments: (TensorMoments | null)[];
  private readonly bMoments: (TensorMoments | null)[];
  private readonly optimizer: TensorOptimizer;
  private readonly loss: Variable;
  private readonly ids: Int32Array;
  /** Bytes the last step uploaded, and its windows. */
  private lastUpload = 0;
  private lastCount = 0;
  /** Milliseconds the host has spent preparing steps (window ids, random draws, row lists): the part a GPU cannot speed up. */
  hostMs = 0;

  constructor(
    private readonly model: WindowModel,
    private readonly inp: Omit<ShardInputs, 'tables' | 'network'>,
    private readonly host: Optimizer,
    private readonly l2: number,
    /** Per feature, the rows no step updates (frozen pretrained vectors), or null. */
    private readonly fixed: readonly (Uint8Array | null)[],
    batchSize: number,
  ) {
    const { tables, network } = model;
    this.optimizer = new TensorOptimizer(host);
    this.tables = tables.tables.map((t, f) => variableOf(tf.tensor2d(t, [t.length / tables.specs[f].dim, tables.specs[f].dim])));
    this.W = network.layers.map((l) => variableOf(tf.tensor2d(l.W, [l.inputs, l.outputs])));
    this.b = network.layers.map((l) => variableOf(tf.tensor1d(l.b)));
    this.tableMoments = this.tables.map((t) => this.optimizer.moments(t.shape));
    this.WMoments = this.W.map((w) => this.optimizer.moments(w.shape));
    this.bMoments = this.b.map((b) => this.optimizer.moments(b.shape));
    this.loss = variableOf(tf.scalar(0));
    this.ids = new Int32Array(batchSize * model.slots * inp.enc.features);
  }

  /** Bytes the last step uploaded (inputs, masks, row lists), per window and in all. */
  get uploaded(): UploadBytes {
    return { perStep: this.lastUpload, perWindow: this.lastUpload / Math.max(1, this.lastCount) };
  }

  /**
   * One mini-batch on the device: windows of `tokens[0 .. count)` with gold `labels`, step
   * number `step` (it seeds the shards' random streams). Call after host.nextStep().
   */
  step(tokens: Int32Array, labels: Int32Array, count: number, step: number): void {
    const started = performance.now();
    const { enc, window, dropout, inputDropout, sharedDropoutMask } = this.inp;
    const layers = this.model.network.layers;
    const activation = this.model.network.activation;
    const F = enc.features;
    const S = this.model.slots;
    const positions = count * S;
    const tokenDim = this.model.tables.tokenDim;
    const D = S * tokenDim;
    const hidden = layers.slice(0, -1).map((l) => l.outputs);
    const ids = this.ids.subarray(0, positions * F);
    windowIds(enc, tokens, 0, count, window, ids);

    // The shards' random draws, in the order the typed-array step makes them (shard.ts, network.ts).
    const inputMask = inputDropout > 0 ? new Float32Array(count * D) : null;
    const perRow = dropout > 0 && !sharedDropoutMask;
    const rowMasks = perRow ? hidden.map((h) => new Float32Array(count * h)) : null;
    const shardMasks = dropout > 0 && sharedDropoutMask ? hidden.map((h) => new Float32Array(SHARDS * h)) : null;
    const rowShard = shardMasks ? new Int32Array(count) : null;
    for (let k = 0; k < SHARDS; k++) {
      const [from, to] = shardRows(k, count);
      const rows = to - from;
      if (rows === 0) continue;
      const rng = new Random(shardSeed(this.inp.seed, step, k));
      const shardIds = ids.subarray(from * S * F, to * S * F);
      if (this.inp.rareWords && this.inp.unknownWordRate > 0) {
        replaceRareWords(shardIds, rows * S, F, this.inp.wordColumn, this.inp.rareWords, this.inp.unknownWordRate, rng);
      }
      if (inputMask) inputMask.set(dropoutMask(rows * D, inputDropout, rng)!, from * D);
      if (rowMasks) hidden.forEach((h, l) => rowMasks[l].set(dropoutMask(rows * h, dropout, rng)!, from * h));
      if (shardMasks) {
        const keep = 1 / (1 - dropout);
        hidden.forEach((h, l) => {
          for (const j of keptUnits(h, dropout, rng)) shardMasks[l][k * h + j] = keep;
        });
        rowShard!.fill(k, from, to);
      }
    }
    const touched = this.touchedRows(ids, positions);
    this.lastCount = count;
    this.lastUpload =
      4 * (ids.length + count + (inputMask?.length ?? 0) + (rowShard?.length ?? 0)) +
      4 * [...(rowMasks ?? []), ...(shardMasks ?? [])].reduce((n, m) => n + m.length, 0) +
      4 * touched.reduce((n, t) => n + t.rows.length + t.segment.length, 0);
    this.hostMs += performance.now() - started;

    tf.tidy(() => {
      let X = gatherWindowRows(this.tables as Tensor2D[], ids, count, S);
      const inMask = inputMask ? tf.tensor2d(inputMask, [count, D]) : null;
      if (inMask) X = tf.mul(X, inMask);
      const masks: (Tensor | null)[] = hidden.map((h, l) =>
        rowMasks ? tf.tensor2d(rowMasks[l], [count, h]) : shardMasks ? tf.gather(tf.tensor2d(shardMasks[l], [SHARDS, h]), tf.tensor1d(rowShard!, 'int32')) : null,
      );

      // Forward, keeping what the backward pass needs.
      const L = layers.length;
      const inputs: Tensor2D[] = [X];
      const zs: Tensor2D[] = [];
      const acts: Tensor2D[] = [];
      for (let l = 0; l < L; l++) {
        const z = tf.add(tf.matMul(inputs[l], this.W[l]), this.b[l]) as Tensor2D;
        zs.push(z);
        if (l + 1 < L) {
          const a = activate(activation, z);
          acts.push(a);
          inputs.push(masks[l] ? (tf.mul(a, masks[l]!) as Tensor2D) : a);
        }
      }
      const logProbs = tf.logSoftmax(zs[L - 1]);
      const oneHot = tf.oneHot(tf.tensor1d(labels.subarray(0, count), 'int32'), layers[L - 1].outputs);
      this.loss.assign(tf.add(this.loss, tf.div(tf.neg(tf.sum(tf.mul(oneHot, logProbs))), count)));

      // Backward (d = dLoss/dz of the current layer), each layer's update as soon as its gradient is known.
      let d: Tensor2D = tf.div(tf.sub(tf.exp(logProbs), oneHot), count);
      let dX: Tensor2D | null = null;
      for (let l = L - 1; l >= 0; l--) {
        let dW = tf.matMul(inputs[l], d, true, false);
        const db = tf.sum(d, 0);
        const dIn = tf.matMul(d, this.W[l], false, true) as Tensor2D;
        if (l === 0) dX = dIn;
        else d = tf.mul(masks[l - 1] ? tf.mul(dIn, masks[l - 1]!) : dIn, activationDerivative(activation, zs[l - 1], acts[l - 1])) as Tensor2D;
        if (this.l2 > 0) dW = tf.add(dW, tf.mul(this.W[l], this.l2));
        this.optimizer.updateDense(this.W[l], dW, this.WMoments[l]);
        this.optimizer.updateDense(this.b[l], db, this.bMoments[l]);
      }

      // The input gradient summed into the rows each feature looked up, and those rows updated.
      const dInput = tf.reshape(inMask ? tf.mul(dX!, inMask) : dX!, [positions, tokenDim]);
      const offsets = this.model.tables.offsets;
      touched.forEach(({ rows, segment }, f) => {
        if (rows.length === 0) return;
        const dim = this.model.tables.specs[f].dim;
        const slice = tf.slice(dInput, [0, offsets[f]], [positions, dim]);
        // Positions of fixed rows go to one extra segment, dropped here.
        const summed = tf.unsortedSegmentSum(slice, tf.tensor1d(segment, 'int32'), rows.length + 1);
        const grads = tf.slice(summed, [0, 0], [rows.length, dim]);
        this.optimizer.updateRows(this.tables[f], tf.tensor1d(rows, 'int32'), grads, this.tableMoments[f]);
      });
    });
  }

  /**
   * Per feature, the distinct rows the batch looked up (as the host step's scatter finds them)
   * and each position's index among them, `rows.length` for a fixed row: unsortedSegmentSum
   * puts those in one extra segment, which is dropped.
   */
  private touchedRows(ids: Int32Array, positions: number): { rows: Int32Array; segment: Int32Array }[] {
    return this.fixed.map((skip, f) => {
      const touched = this.model.tables.touchedRows(ids, positions, f, skip);
      const dropped = touched.rows.length;
      touched.segment.forEach((k, p) => {
        if (k < 0) touched.segment[p] = dropped;
      });
      return touched;
    });
  }

  /** The losses summed on the device since the last call (one read), and the sum reset. */
  async takeLoss(): Promise<number> {
    const value = (await this.loss.data())[0];
    tf.tidy(() => this.loss.assign(tf.scalar(0)));
    return value;
  }

  /** Copies the device's parameters into the model's typed arrays (for dev scoring and saving). */
  async readParameters(): Promise<void> {
    const { tables, network } = this.model;
    const reads = [
      ...this.tables.map(async (t, f) => tables.tables[f].set(await t.data())),
      ...this.W.map(async (w, l) => network.layers[l].W.set(await w.data())),
      ...this.b.map(async (b, l) => network.layers[l].b.set(await b.data())),
    ];
    await Promise.all(reads);
  }

  /** Frees the device's memory. */
  dispose(): void {
    const all = [
      ...this.tables, ...this.W, ...this.b, this.loss,
      ...[...this.tableMoments, ...this.WMoments, ...this.bMoments].flatMap((m) => (m ? (m.b ? [m.a, m.b] : [m.a]) : [])),
    ];
    for (const v of all) v.dispose();
  }
}
