import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { NerError } from '../errors.js';
import { windowIds, type EncodedTokens } from '../features/windows.js';
import { activate } from './activations.js';
import type { EmbeddingTables } from './embedding-tables.js';
import type { WindowNetwork } from './network.js';
import { tf } from './tf.js';

/**
 * Whether the active backend computes on a device whose results can only be read
 * asynchronously (webgpu: a synchronous `dataSync()` read aborts in browsers). There, inference
 * keeps the parameters on the device and reads each batch's probabilities with `await data()`.
 */
export function onAsyncDevice(): boolean {
  return tf.getBackend() === 'webgpu';
}

/** Windows per device pass: large enough to keep a GPU busy, small enough for its memory. */
const DEVICE_BATCH = 8192;

/** A model member's parameters copied to the device once, for inference there. @internal */
export class DeviceWeights {
  private constructor(
    readonly tables: Tensor2D[],
    readonly W: Tensor2D[],
    readonly b: Tensor1D[],
  ) {}

  static upload(tables: EmbeddingTables, network: WindowNetwork): DeviceWeights {
    if (!tables.columns.oneIdPerFeature) {
      throw new NerError('E_BACKEND', 'a model with the chars feature cannot tag on the webgpu backend (its device path gathers one id per feature)', {
        hint: 'tag with the wasm or cpu backend (--backend wasm)',
      });
    }
    return new DeviceWeights(
      tables.tables.map((t, f) => tf.tensor2d(t, [t.length / tables.specs[f].dim, tables.specs[f].dim])),
      network.layers.map((l) => tf.tensor2d(l.W, [l.inputs, l.outputs])),
      network.layers.map((l) => tf.tensor1d(l.b)),
    );
  }

  dispose(): void {
    for (const t of [...this.tables, ...this.W, ...this.b]) t.dispose();
  }
}

/**
 * The input rows `[windows, slots * tokenDim]` of a batch on the device: `ids` as windowIds
 * builds them (`windows * slots` positions of one id per feature), each feature's rows
 * gathered from its table there and laid side by side. Call inside tf.tidy.
 * @internal
 */
export function gatherWindowRows(tables: readonly Tensor2D[], ids: Int32Array, windows: number, slots: number): Tensor2D {
  const F = tables.length;
  const positions = windows * slots;
  const idsT = tf.tensor2d(ids.subarray(0, positions * F), [positions, F], 'int32');
  const columns = tables.map((table, f) => tf.gather(table, tf.reshape(tf.slice(idsT, [0, f], [positions, 1]), [positions])));
  const rows = columns.length === 1 ? columns[0] : tf.concat(columns, 1);
  return tf.reshape(rows, [windows, -1]) as Tensor2D;
}

/**
 * Tag probabilities `[tokens, tags]` of every token of `enc`, computed on the device: the
 * window's rows gathered from the tables there, the network's products, the softmax; one
 * asynchronous read per DEVICE_BATCH windows. The same numbers as the host's paths up to float
 * rounding.
 * @internal
 */
export async function deviceTagProbabilities(weights: DeviceWeights, network: WindowNetwork, enc: EncodedTokens, window: number): Promise<Float32Array> {
  const T = network.outputs;
  const slots = 2 * window + 1;
  const L = network.layers.length;
  const out = new Float32Array(enc.length * T);
  for (let from = 0; from < enc.length; from += DEVICE_BATCH) {
    const count = Math.min(DEVICE_BATCH, enc.length - from);
    const ids = windowIds(enc, null, from, count, window);
    const probs = tf.tidy(() => {
      let a = gatherWindowRows(weights.tables, ids, count, slots);
      for (let l = 0; l < L; l++) {
        const z = tf.add(tf.matMul(a, weights.W[l]), weights.b[l]) as Tensor2D;
        a = l + 1 < L ? activate(network.activation, z) : tf.softmax(z);
      }
      return a;
    });
    try {
      out.set(await probs.data(), from * T);
    } finally {
      probs.dispose();
    }
  }
  return out;
}
