import { LEAKY_SLOPE, type ActivationName } from './activations.js';
import { matMulKernel, type MatMulKernel } from './kernels/matmul.js';
import type { BackpropInputs, InputGradientBlock, NetworkGradients } from './network.js';

/**
 * Forward and backward pass of dense layers on typed arrays, the products in our own SIMD
 * kernel (kernels/matmul.ts) and the rest (bias, activation, dropout scale, softmax
 * cross-entropy) in plain loops: the same arithmetic as the tfjs path in network.ts, without
 * its tensors. Measured on a shard of the recipe's step (256 windows, 840 inputs, ~150 kept
 * units), the tfjs path spent ~11 ms around its three products (uploads, transposes,
 * element-wise kernels, reads back) to ~15 ms in them. With `inputGradientBlocks`, the input gradient has only those blocks (the rest 0): a
 * block's entries are the same numbers as the full product's (each is one sum in k order).
 * Returns null where WebAssembly SIMD is missing (the caller then takes the tfjs path).
 */
export function hostBackprop(inp: BackpropInputs): NetworkGradients | null {
  const kernel = matMulKernel();
  if (!kernel) return null;
  const { layers, activation, X, labels, targets, batch, meanOver, masks, inputGradientBlocks } = inp;
  const L = layers.length;
  // Forward, keeping each layer's input, pre-activations and activations.
  const inputs: Float32Array[] = [X.length === batch * layers[0].inputs ? X : X.subarray(0, batch * layers[0].inputs)];
  const zs: Float32Array[] = [];
  const acts: Float32Array[] = [];
  for (let l = 0; l < L; l++) {
    const { inputs: n, outputs: H, W, b } = layers[l];
    const z = scratch(`z${l}`, batch * H);
    z.set(kernel.multiply(inputs[l], W, batch, n, H));
    addBias(z, b);
    zs.push(z);
    if (l + 1 < L) {
      const act = activate(activation, z, scratch(`a${l}`, z.length));
      acts.push(act);
      const mask = masks[l];
      inputs.push(mask === null ? act : scaled(act, mask, scratch(`h${l}`, z.length)));
    }
  }
  // Softmax cross-entropy against the labels' one-hot rows or the targets, and its gradient.
  const T = layers[L - 1].outputs;
  const d = zs[L - 1];
  let loss = 0;
  for (let r = 0; r < batch; r++) {
    const at = r * T;
    let max = -Infinity;
    for (let t = 0; t < T; t++) max = Math.max(max, d[at + t]);
    let sum = 0;
    for (let t = 0; t < T; t++) sum += Math.exp(d[at + t] - max);
    const logSum = Math.log(sum) + max;
    for (let t = 0; t < T; t++) {
      const logP = d[at + t] - logSum;
      const target = targets ? targets[at + t] : labels[r] === t ? 1 : 0;
      if (target !== 0) loss -= target * logP;
      d[at + t] = (Math.exp(logP) - target) / meanOver;
    }
  }
  // Backward: `delta` = dLoss/dz of layer l.
  const dW: Float32Array[] = new Array(L);
  const db: Float32Array[] = new Array(L);
  let dX: Float32Array = new Float32Array(0);
  let delta = d;
  for (let l = L - 1; l >= 0; l--) {
    const { inputs: n, outputs: H, W } = layers[l];
    dW[l] = kernel.multiply(inputs[l], delta, n, batch, H, true).slice();
    db[l] = columnSums(delta, batch, H);
    const product = () => kernel.multiply(delta, transposeInto(W, n, H, scratch('Wt', n * H)), batch, H, n);
    if (l === 0) {
      // dX is returned, a new array; the hidden layers' deltas below are scratch.
      dX = inputGradientBlocks ? inputGradientIn(kernel, delta, W, batch, n, H, inputGradientBlocks) : product().slice();
      break;
    }
    const dIn = scratch(`d${l}`, batch * n);
    dIn.set(product());
    scaleInPlace(dIn, masks[l - 1]);
    multiplyByDerivative(dIn, activation, zs[l - 1], acts[l - 1]);
    delta = dIn;
  }
  return { loss: loss / meanOver, dX, dW, db };
}

/**
 * This thread's working arrays, by role, reused from step to step: a fresh array of this size
 * costs its page faults on first touch, which measured more than the loop that fills it.
 */
const scratchArrays = new Map<string, Float32Array>();
function scratch(role: string, size: number): Float32Array {
  let a = scratchArrays.get(role);
  if (!a || a.length < size) scratchArrays.set(role, (a = new Float32Array(size)));
  return a.subarray(0, size);
}

function addBias(z: Float32Array, b: Float32Array): void {
  const H = b.length;
  for (let at = 0; at < z.length; at += H) for (let j = 0; j < H; j++) z[at + j] += b[j];
}

function activate(name: ActivationName, z: Float32Array, a: Float32Array): Float32Array {
  switch (name) {
    case 'relu':
      for (let i = 0; i < z.length; i++) a[i] = z[i] > 0 ? z[i] : 0;
      break;
    case 'tanh':
      for (let i = 0; i < z.length; i++) a[i] = Math.tanh(z[i]);
      break;
    case 'sigmoid':
      for (let i = 0; i < z.length; i++) a[i] = 1 / (1 + Math.exp(-z[i]));
      break;
    case 'leaky-relu':
      for (let i = 0; i < z.length; i++) a[i] = z[i] > 0 ? z[i] : LEAKY_SLOPE * z[i];
      break;
    case 'elu':
      for (let i = 0; i < z.length; i++) a[i] = z[i] > 0 ? z[i] : Math.expm1(z[i]);
      break;
  }
  return a;
}

/** `g *= activation'(z)`, from `z` and the activation's output `a` (as activationDerivative). */
function multiplyByDerivative(g: Float32Array, name: ActivationName, z: Float32Array, a: Float32Array): void {
  switch (name) {
    case 'relu':
      for (let i = 0; i < g.length; i++) if (!(z[i] > 0)) g[i] = 0;
      break;
    case 'tanh':
      for (let i = 0; i < g.length; i++) g[i] *= 1 - a[i] * a[i];
      break;
    case 'sigmoid':
      for (let i = 0; i < g.length; i++) g[i] *= a[i] * (1 - a[i]);
      break;
    case 'leaky-relu':
      for (let i = 0; i < g.length; i++) if (!(z[i] > 0)) g[i] *= LEAKY_SLOPE;
      break;
    case 'elu':
      for (let i = 0; i < g.length; i++) if (!(z[i] > 0)) g[i] *= a[i] + 1;
      break;
  }
}

/** The activations with the dropout mask applied, into `out` (the activations are kept for the backward pass). */
function scaled(a: Float32Array, mask: Float32Array | number, out: Float32Array): Float32Array {
  if (typeof mask === 'number') for (let i = 0; i < a.length; i++) out[i] = a[i] * mask;
  else for (let i = 0; i < a.length; i++) out[i] = a[i] * mask[i];
  return out;
}

function scaleInPlace(g: Float32Array, mask: Float32Array | number | null): void {
  if (mask === null) return;
  if (typeof mask === 'number') for (let i = 0; i < g.length; i++) g[i] *= mask;
  else for (let i = 0; i < g.length; i++) g[i] *= mask[i];
}

function columnSums(d: Float32Array, rows: number, cols: number): Float32Array {
  const s = new Float32Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) s[j] += d[r * cols + j];
  return s;
}

/**
 * `delta W^T` (`[batch, n]`) in `blocks` of its columns only, the rest 0: for each block the
 * product with those columns of W^T, over the block's rows gathered (or all rows).
 */
function inputGradientIn(kernel: MatMulKernel, delta: Float32Array, W: Float32Array, batch: number, n: number, H: number, blocks: readonly InputGradientBlock[]): Float32Array {
  const dX = new Float32Array(batch * n);
  for (const { start, end, rows } of blocks) {
    const width = end - start;
    const count = rows ? rows.length : batch;
    if (width <= 0 || count === 0) continue;
    // Columns start..end of W^T: rows start..end of W, transposed.
    const Wt = transposeInto(W.subarray(start * H, end * H), width, H, scratch('Wt', width * H));
    let A = delta;
    if (rows) {
      A = scratch('rows', count * H);
      for (let r = 0; r < count; r++) A.set(delta.subarray(rows[r] * H, (rows[r] + 1) * H), r * H);
    }
    const C = kernel.multiply(A, Wt, count, H, width);
    for (let r = 0; r < count; r++) dX.set(C.subarray(r * width, (r + 1) * width), (rows ? rows[r] : r) * n + start);
  }
  return dX;
}

/** `W^T`, `[cols, rows]`, of `W` `[rows, cols]`, into `T`. */
function transposeInto(W: Float32Array, rows: number, cols: number, T: Float32Array): Float32Array {
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) T[j * rows + r] = W[r * cols + j];
  return T;
}
