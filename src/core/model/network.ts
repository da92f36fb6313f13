import { Random } from '../util/random.js';
import { activate, activationDerivative, type ActivationName } from './activations.js';
import { dropoutMask, keptUnits } from './dropout.js';
import { hostBackprop } from './host-backprop.js';
import { createSlotSumKernel, type SlotSumKernel } from './kernels/slot-sum.js';
import { tf, type Tensor2D } from './tf.js';

/** A dense layer `y = x W + b`, W stored row-major `[inputs, outputs]`. */
export interface DenseLayer {
  inputs: number;
  outputs: number;
  W: Float32Array;
  b: Float32Array;
}

/** Gradients of the mean cross-entropy of a batch. */
export interface NetworkGradients {
  /** Mean cross-entropy over the batch. */
  loss: number;
  /** Gradient with respect to the input rows, `[batch, inputs]`. */
  dX: Float32Array;
  dW: Float32Array[];
  db: Float32Array[];
}

/** Options of one training step. */
export interface StepArgs {
  /** Probability of dropping a hidden unit. 0 turns dropout off. */
  dropout: number;
  /** Draws the dropout masks, so that a seed fixes them. */
  rng: Random;
  /** One dropout mask for all rows of the batch instead of one per row (faster; see `gradients`). */
  sharedMask?: boolean;
  /** Rows the loss is averaged over: this call's rows (default), or a whole batch this call has a share of. */
  meanOver?: number;
  /** Buffers to write the dense gradients into (returned as `dW`, `db`), instead of new arrays. */
  into?: { dW: Float32Array[]; db: Float32Array[] };
  /**
   * Target distributions `[batch, outputs]` (rows summing to 1) to take the cross-entropy
   * against instead of the labels' one-hot rows: soft targets, as distillation trains on.
   */
  targets?: Float32Array;
  /**
   * The input gradient's columns the caller will read, as blocks (see InputGradientBlock):
   * the host step computes only those and leaves the rest 0, e.g. no gradient for frozen
   * word vectors. Absent: every column. The entries computed are the same either way.
   */
  inputGradientBlocks?: readonly InputGradientBlock[];
}

/** Input columns `[start, end)` whose gradient is needed, for `rows` of the batch only (ascending), or for all (null). */
export interface InputGradientBlock {
  start: number;
  end: number;
  rows: Int32Array | null;
}

/**
 * The feed-forward part of the window classifier: hidden dense layers with a non-linearity
 * and dropout, then a softmax output. Parameters live in typed arrays (the optimizer updates
 * them on the CPU). A training step's products run in our own SIMD kernel (host-backprop.ts;
 * on the tfjs backend where SIMD is missing); inference's on the active TensorFlow.js backend.
 *
 * The backward pass is written out by hand rather than taken from autodiff, because the
 * automatic gradients of matMul use transposed products that are ~10x slower on wasm than an
 * explicit transpose followed by a plain product.
 */
export class WindowNetwork {
  readonly layers: DenseLayer[];
  readonly activation: ActivationName;

  constructor(layers: DenseLayer[], activation: ActivationName) {
    this.layers = layers;
    this.activation = activation;
  }

  /** A network with Xavier/Glorot-uniform weights and zero biases. */
  static init(inputs: number, hidden: readonly number[], outputs: number, activation: ActivationName, rng: Random): WindowNetwork {
    const sizes = [inputs, ...hidden, outputs];
    const layers: DenseLayer[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [i, o] = [sizes[l], sizes[l + 1]];
      const limit = Math.sqrt(6 / (i + o));
      const W = new Float32Array(i * o);
      for (let k = 0; k < W.length; k++) W[k] = rng.uniform(-limit, limit);
      layers.push({ inputs: i, outputs: o, W, b: new Float32Array(o) });
    }
    return new WindowNetwork(layers, activation);
  }

  get inputs(): number {
    return this.layers[0].inputs;
  }

  get outputs(): number {
    return this.layers[this.layers.length - 1].outputs;
  }

  /** Softmax probabilities `[batch, outputs]` for input rows `X` `[batch, inputs]` (no dropout). */
  forward(X: Float32Array, batch: number): Float32Array {
    // Results leave tf.tidy through a closure: returning typed arrays from it makes tfjs walk
    // every element looking for tensors.
    let out: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      const first = this.layers[0];
      const z = tf.add(tf.matMul(tf.tensor2d(X, [batch, this.inputs]), weights(first)), tf.tensor1d(first.b)) as Tensor2D;
      out = this.fromFirstLayer(z).dataSync() as Float32Array;
    });
    return out;
  }

  /** Softmax output from the first layer's pre-activations, through the remaining layers. @internal */
  fromFirstLayer(z: Tensor2D): Tensor2D {
    let a: Tensor2D = this.layers.length > 1 ? activate(this.activation, z) : tf.softmax(z);
    for (let l = 1; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const zl = tf.add(tf.matMul(a, weights(layer)), tf.tensor1d(layer.b)) as Tensor2D;
      a = l + 1 < this.layers.length ? activate(this.activation, zl) : tf.softmax(zl);
    }
    return a;
  }

  /**
   * The same probabilities as `forward`, computed from distinct tokens: the first layer is
   * split by window slot, each distinct token's inputs (`tokenInputs`, `[unique, tokenDim]`) go
   * through all slots' blocks in one product, and every window sums the rows of its tokens,
   * `z = b + sum_s Q[slotIndex[s * batch + b], s]`. Exact up to float rounding. The sum runs
   * in our own SIMD kernel (kernels/slot-sum.ts), or in JavaScript where SIMD is missing:
   * tfjs-wasm's gather and tile kernels are ~10x slower than even the JavaScript loop.
   */
  forwardDistinctTokens(tokenInputs: Float32Array, unique: number, slotIndex: Int32Array, batch: number, slots: number): Float32Array {
    const first = this.layers[0];
    const H = first.outputs;
    const tokenDim = first.inputs / slots;
    // W split by slot and laid side by side: Wt[k, s * H + j] = W[s * tokenDim + k, j].
    const Wt = new Float32Array(tokenDim * slots * H);
    for (let s = 0; s < slots; s++) {
      for (let k = 0; k < tokenDim; k++) Wt.set(first.W.subarray((s * tokenDim + k) * H, (s * tokenDim + k + 1) * H), (k * slots + s) * H);
    }
    let Q: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      Q = tf.matMul(tf.tensor2d(tokenInputs, [unique, tokenDim]), tf.tensor2d(Wt, [tokenDim, slots * H])).dataSync() as Float32Array;
    });
    const kernel = H % 4 === 0 ? slotSumKernel() : null;
    const z = kernel ? kernel.sum(Q, slotIndex, first.b, batch, slots) : sumSlots(Q, slotIndex, first.b, batch, slots);
    let out: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      out = this.fromFirstLayer(tf.tensor2d(z, [batch, H])).dataSync() as Float32Array;
    });
    return out;
  }

  /**
   * Loss and gradients of a batch with integer labels (or `args.targets`), with dropout on the hidden layers.
   * With `sharedMask`, one dropout mask serves every row of the batch: the dropped units
   * are then whole columns, so the step runs on the smaller network of the kept units
   * (half the work of the wide layers at dropout 0.5) and scatters its gradients back.
   */
  gradients(X: Float32Array, labels: Int32Array, batch: number, args: StepArgs): NetworkGradients {
    const into = args.into;
    if (!args.sharedMask || args.dropout <= 0) {
      const masks = this.layers.slice(0, -1).map((layer) => dropoutMask(batch * layer.outputs, args.dropout, args.rng));
      const g = denseBackprop({ layers: this.layers, activation: this.activation, X, labels, targets: args.targets, batch, meanOver: args.meanOver ?? batch, masks, inputGradientBlocks: args.inputGradientBlocks });
      if (!into) return g;
      g.dW.forEach((dW, l) => into.dW[l].set(dW));
      g.db.forEach((db, l) => into.db[l].set(db));
      return { ...g, ...into };
    }
    const kept = this.layers.slice(0, -1).map((layer) => keptUnits(layer.outputs, args.dropout, args.rng));
    const sub = this.layers.map((layer, l) => subLayer(layer, l > 0 ? kept[l - 1] : null, l < kept.length ? kept[l] : null));
    const masks = kept.map(() => 1 / (1 - args.dropout));
    const g = denseBackprop({ layers: sub, activation: this.activation, X, labels, targets: args.targets, batch, meanOver: args.meanOver ?? batch, masks, inputGradientBlocks: args.inputGradientBlocks });
    return {
      loss: g.loss,
      dX: g.dX,
      dW: this.layers.map((layer, l) => expandRows(layer, g.dW[l], l > 0 ? kept[l - 1] : null, l < kept.length ? kept[l] : null, into?.dW[l])),
      db: this.layers.map((layer, l) => expandColumns(g.db[l], l < kept.length ? kept[l] : null, layer.outputs, into?.db[l])),
    };
  }
}

/** What a forward and backward pass of dense layers reads (hostBackprop, tensorBackprop). */
export interface BackpropInputs {
  layers: readonly DenseLayer[];
  activation: ActivationName;
  /** Input rows `[batch, inputs]`. */
  X: Float32Array;
  labels: Int32Array;
  /** Soft targets `[batch, outputs]` in place of the labels' one-hot rows. */
  targets?: Float32Array;
  batch: number;
  /** Rows the loss is averaged over. */
  meanOver: number;
  /** `masks[l]` scales hidden layer l's output: an inverted-dropout mask `[batch, outputs]`, one factor for every entry, or null for none. */
  masks: readonly (Float32Array | number | null)[];
  /** See StepArgs.inputGradientBlocks (hostBackprop's saving; the tfjs path computes every column). */
  inputGradientBlocks?: readonly InputGradientBlock[];
}

/** The forward and backward pass in our SIMD kernel (host-backprop.ts), else on the tfjs backend. */
const denseBackprop = (inputs: BackpropInputs): NetworkGradients => hostBackprop(inputs) ?? tensorBackprop(inputs);

/**
 * Forward and backward pass of dense layers on the active tfjs backend, where WebAssembly
 * SIMD is missing. It computes every column of the input gradient.
 * @internal exported for the test that compares it with hostBackprop
 */
export function tensorBackprop(inputs: BackpropInputs): NetworkGradients {
  const { layers, activation, X, labels, targets, batch, meanOver, masks } = inputs;
  const L = layers.length;
  const outputs = layers[L - 1].outputs;
  const scale = (t: Tensor2D, l: number): Tensor2D => {
    const mask = masks[l];
    if (mask === null) return t;
    return typeof mask === 'number' ? tf.mul(t, mask) : tf.mul(t, tf.tensor2d(mask, [batch, layers[l].outputs]));
  };
  let result: NetworkGradients | null = null;
  tf.tidy(() => {
    const Ws = layers.map(weights);
    // Forward, keeping what the backward pass needs.
    const inputs: Tensor2D[] = [tf.tensor2d(X, [batch, layers[0].inputs])];
    const zs: Tensor2D[] = [];
    const acts: Tensor2D[] = [];
    for (let l = 0; l < L; l++) {
      const z = tf.add(tf.matMul(inputs[l], Ws[l]), tf.tensor1d(layers[l].b)) as Tensor2D;
      zs.push(z);
      if (l + 1 < L) {
        const a = activate(activation, z);
        acts.push(a);
        inputs.push(scale(a, l));
      }
    }
    const logProbs = tf.logSoftmax(zs[L - 1]);
    // One-hot rows of 0 and 1 give the same floats as hard labels: targets equal to them, the same step.
    const target = targets ? tf.tensor2d(targets.subarray(0, batch * outputs), [batch, outputs]) : tf.oneHot(tf.tensor1d(labels, 'int32'), outputs);
    const loss = tf.div(tf.neg(tf.sum(tf.mul(target, logProbs))), meanOver);

    // Backward: d = dLoss/dz of the current layer.
    let d: Tensor2D = tf.div(tf.sub(tf.exp(logProbs), target), meanOver);
    const dW: Float32Array[] = new Array(L);
    const db: Float32Array[] = new Array(L);
    let dX: Float32Array = new Float32Array(0);
    for (let l = L - 1; l >= 0; l--) {
      dW[l] = tf.matMul(tf.transpose(inputs[l]), d).dataSync() as Float32Array;
      db[l] = tf.sum(d, 0).dataSync() as Float32Array;
      const dIn = tf.matMul(d, tf.transpose(Ws[l])) as Tensor2D;
      if (l === 0) dX = dIn.dataSync() as Float32Array;
      else d = tf.mul(scale(dIn, l - 1), activationDerivative(activation, zs[l - 1], acts[l - 1])) as Tensor2D;
    }
    result = { loss: loss.dataSync()[0], dX, dW, db };
  });
  return result!;
}

/** The layer restricted to input units `rows` and output units `cols` (null: all). */
function subLayer(layer: DenseLayer, rows: Int32Array | null, cols: Int32Array | null): DenseLayer {
  if (!rows && !cols) return layer;
  const inputs = rows ? rows.length : layer.inputs;
  const outputs = cols ? cols.length : layer.outputs;
  const W = new Float32Array(inputs * outputs);
  for (let i = 0; i < inputs; i++) {
    const from = (rows ? rows[i] : i) * layer.outputs;
    if (!cols) W.set(layer.W.subarray(from, from + outputs), i * outputs);
    else for (let j = 0; j < outputs; j++) W[i * outputs + j] = layer.W[from + cols[j]];
  }
  const b = cols ? Float32Array.from(cols, (j) => layer.b[j]) : layer.b;
  return { inputs, outputs, W, b };
}

/** A sub-layer's weight gradient placed back into a zero gradient of the whole layer (`out`, or a new array). */
function expandRows(layer: DenseLayer, g: Float32Array, rows: Int32Array | null, cols: Int32Array | null, out?: Float32Array): Float32Array {
  if (!rows && !cols) return out ? (out.set(g), out) : g;
  const full = out ? out.fill(0) : new Float32Array(layer.inputs * layer.outputs);
  const inputs = rows ? rows.length : layer.inputs;
  const outputs = cols ? cols.length : layer.outputs;
  for (let i = 0; i < inputs; i++) {
    const to = (rows ? rows[i] : i) * layer.outputs;
    if (!cols) full.set(g.subarray(i * outputs, (i + 1) * outputs), to);
    else for (let j = 0; j < outputs; j++) full[to + cols[j]] = g[i * outputs + j];
  }
  return full;
}

function expandColumns(g: Float32Array, cols: Int32Array | null, size: number, out?: Float32Array): Float32Array {
  if (!cols) return out ? (out.set(g), out) : g;
  const full = out ? out.fill(0) : new Float32Array(size);
  for (let j = 0; j < cols.length; j++) full[cols[j]] = g[j];
  return full;
}

let kernel: SlotSumKernel | null | undefined;

/** The SIMD slot-sum kernel, compiled on first use; null where WebAssembly SIMD is missing. */
function slotSumKernel(): SlotSumKernel | null {
  if (kernel === undefined) kernel = createSlotSumKernel();
  return kernel;
}

/**
 * `z[b] = bias + sum_s Q[slotIndex[s * batch + b], s]`, rows of `bias.length` values. A plain
 * function over typed arrays so that V8 compiles one tight loop.
 */
export function sumSlots(Q: Float32Array, slotIndex: Int32Array, bias: Float32Array, batch: number, slots: number): Float32Array {
  const H = bias.length;
  const rowSize = slots * H;
  const z = new Float32Array(batch * H);
  for (let b = 0; b < batch; b++) {
    const zo = b * H;
    z.set(bias, zo);
    for (let s = 0; s < slots; s++) {
      const qo = slotIndex[s * batch + b] * rowSize + s * H;
      for (let j = 0; j < H; j++) z[zo + j] += Q[qo + j];
    }
  }
  return z;
}

function weights(layer: DenseLayer): Tensor2D {
  return tf.tensor2d(layer.W, [layer.inputs, layer.outputs]);
}

