import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../src/core/model/activations.js';
import { dropoutMask } from '../../src/core/model/dropout.js';
import { hostBackprop } from '../../src/core/model/host-backprop.js';
import { MatMulKernel } from '../../src/core/model/kernels/matmul.js';
import { WindowNetwork, tensorBackprop } from '../../src/core/model/network.js';
import { Random } from '../../src/core/util/random.js';
import { useBackend } from '../../src/node/backend.js';
import { relaxedSimd } from '../../src/node/wasm-features.js';

const randomArray = (n: number, rng: Random) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));

/** C = op(A) B by the textbook loop, in doubles. */
function reference(A: Float32Array, B: Float32Array, m: number, k: number, n: number, transposeA: boolean): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += (transposeA ? A[q * m + i] : A[i * k + q]) * B[q * n + j];
      C[i * n + j] = s;
    }
  }
  return C;
}

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};

describe('MatMulKernel', () => {
  it('compiles here with fused multiply-adds (the Node runtime turns relaxed SIMD on), and without when asked', () => {
    expect(relaxedSimd()).toBe(true);
    expect(MatMulKernel.create()?.fused).toBe(true);
    expect(MatMulKernel.create(false)?.fused).toBe(false);
  });

  it('fused and unfused kernels agree to float32 rounding, and each repeats itself exactly', () => {
    const rng = new Random(8);
    const [m, k, n] = [37, 300, 45];
    const A = randomArray(m * k, rng);
    const B = randomArray(k * n, rng);
    const fused = MatMulKernel.create(true)!;
    const plain = MatMulKernel.create(false)!;
    const f = Float32Array.from(fused.multiply(A, B, m, k, n));
    const p = Float32Array.from(plain.multiply(A, B, m, k, n));
    expect(maxDifference(f, p)).toBeLessThan(1e-4);
    expect(maxDifference(f, p)).toBeGreaterThan(0); // really two different kernels
    expect(Array.from(fused.multiply(A, B, m, k, n))).toEqual(Array.from(f));
  });

  for (const fused of [true, false]) describe(fused ? 'fused' : 'unfused', () => {
    const kernel = MatMulKernel.create(fused);
    it('multiplies any shape, A or A^T, like the textbook loop', () => {
      const rng = new Random(5);
      // Shapes around the 4-row and 8/4-column blocks, and ones of the training step's size.
      const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 8, 8], [5, 3, 12], [9, 17, 13], [16, 1, 4], [2, 33, 30], [37, 20, 150], [64, 84, 45]];
      for (const [m, k, n] of shapes) {
        for (const transposeA of [false, true]) {
          const A = randomArray(m * k, rng);
          const B = randomArray(k * n, rng);
          const C = kernel!.multiply(A, B, m, k, n, transposeA);
          expect(C.length, `${m}x${k}x${n}`).toBe(m * n);
          expect(maxDifference(C, reference(A, B, m, k, n, transposeA)), `${m}x${k}x${n} transposeA ${transposeA}`).toBeLessThan(1e-5 * k);
        }
      }
    });

    it('gives the same numbers for a row whatever the other rows are (results do not depend on the batch)', () => {
      const rng = new Random(6);
      const [k, n] = [30, 22];
      const B = randomArray(k * n, rng);
      const row = randomArray(k, rng);
      const alone = Float32Array.from(kernel!.multiply(row, B, 1, k, n));
      const batch = randomArray(7 * k, rng);
      batch.set(row, 5 * k);
      const inBatch = kernel!.multiply(batch, B, 7, k, n).slice(5 * n, 6 * n);
      expect(Array.from(inBatch)).toEqual(Array.from(alone));
    });
  });
});

describe('hostBackprop', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('gives the tfjs path\'s loss and gradients for every activation, mask kind and soft targets', () => {
    const rng = new Random(7);
    const [batch, inputs, outputs] = [13, 21, 5];
    for (const activation of ACTIVATIONS) {
      const network = WindowNetwork.init(inputs, [10, 6], outputs, activation, rng);
      const X = randomArray(batch * inputs, rng);
      const labels = Int32Array.from({ length: batch }, (_, i) => i % outputs);
      const soft = Float32Array.from({ length: batch * outputs }, (_, i) => (i % outputs === 0 ? 0.6 : 0.1));
      const maskSets: (Float32Array | number | null)[][] = [
        [null, null],
        [2, 1.25],
        [dropoutMask(batch * 10, 0.5, rng), dropoutMask(batch * 6, 0.3, rng)],
      ];
      for (const masks of maskSets) {
        for (const targets of [undefined, soft]) {
          const inputs = { layers: network.layers, activation, X, labels, targets, batch, meanOver: 2 * batch, masks };
          const host = hostBackprop(inputs)!;
          const tensor = tensorBackprop(inputs);
          const what = `${activation}, masks ${masks.map((m) => (m === null ? 'none' : typeof m)).join('/')}, ${targets ? 'soft' : 'hard'} targets`;
          expect(host.loss, what).toBeCloseTo(tensor.loss, 5);
          expect(maxDifference(host.dX, tensor.dX), what).toBeLessThan(1e-6);
          for (let l = 0; l < 3; l++) {
            expect(maxDifference(host.dW[l], tensor.dW[l]), `${what}, dW ${l}`).toBeLessThan(1e-6);
            expect(maxDifference(host.db[l], tensor.db[l]), `${what}, db ${l}`).toBeLessThan(1e-6);
          }
          // The test can tell: a gradient of one wrong entry is caught.
          const wrong = Float32Array.from(host.dW[0]);
          wrong[3] += 1e-3;
          expect(maxDifference(wrong, tensor.dW[0])).toBeGreaterThan(1e-6);
        }
      }
    }
  });
});
