/**
 * Our SIMD matrix product (src/core/model/kernels/matmul.ts) against tfjs-wasm's matMul on the
 * shapes that matter: a training step's three products (one shard of 256 windows, 840 inputs,
 * ~150 hidden units kept at dropout 0.5) and the first layer's projections of embedding rows
 * (512 rows at once; a word row has 100 values, a small feature's 16, through 5 slots x 300
 * units). tfjs is timed as the step used it: tensors made from the typed arrays, the product
 * (A^T by an explicit transpose, ~10x faster on wasm than its transposed matMul) and read back.
 * "ours" is the unfused kernel (tagging's), "fused" the one with relaxed SIMD's multiply-add
 * (training's, where it compiles). Runs alternate, so a busy machine weighs on all three;
 * prints median [min - max] GFLOP/s.
 *
 *   node dist/scripts/bench-matmul.js [--repeats 7]
 */
import '../src/node/runtime.js';
import { parseArgs } from 'node:util';
import { MatMulKernel } from '../src/core/model/kernels/matmul.js';
import { tf } from '../src/core/model/tf.js';
import { useBackend } from '../src/node/backend.js';

const { values } = parseArgs({ options: { repeats: { type: 'string' } } });
const repeats = Number(values.repeats ?? 7);
await useBackend('wasm');
const fusedKernel = MatMulKernel.create(true);
const kernel = MatMulKernel.create(false);
if (!kernel || !fusedKernel) throw new Error('no WebAssembly SIMD here');
if (!fusedKernel.fused) process.stdout.write('no relaxed SIMD here: "fused" is the unfused kernel again\n');

const shapes: [string, number, number, number, boolean][] = [
  ['step: forward, X W', 256, 840, 152, false],
  ['step: dW = X^T delta', 840, 256, 152, true],
  ['step: dX = delta W^T', 256, 152, 840, false],
  ['projections of word rows', 512, 100, 1500, false],
  ['projections of affix rows', 512, 16, 1500, false],
];
const random = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perCall = (f: () => void, calls: number) => {
  const started = performance.now();
  for (let i = 0; i < calls; i++) f();
  return (performance.now() - started) / calls;
};

for (const [name, m, k, n, transposeA] of shapes) {
  const A = random(m * k);
  const B = random(k * n);
  const ours = () => kernel.multiply(A, B, m, k, n, transposeA);
  const fused = () => fusedKernel.multiply(A, B, m, k, n, transposeA);
  const theirs = () => {
    tf.tidy(() => {
      const a = tf.tensor2d(A, transposeA ? [k, m] : [m, k]);
      tf.matMul(transposeA ? tf.transpose(a) : a, tf.tensor2d(B, [k, n])).dataSync();
    });
  };
  for (let i = 0; i < 3; i++) (ours(), fused(), theirs());
  const calls = Math.max(3, Math.round(2e8 / (m * k * n)));
  const gflops = 2 * m * k * n / 1e6;
  const t: Record<'ours' | 'fused' | 'tfjs', number[]> = { ours: [], fused: [], tfjs: [] };
  const ratio: number[] = [];
  const fusedRatio: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const a = perCall(ours, calls);
    const f = perCall(fused, calls);
    const b = perCall(theirs, calls);
    t.ours.push(gflops / a);
    t.fused.push(gflops / f);
    t.tfjs.push(gflops / b);
    ratio.push(b / a);
    fusedRatio.push(a / f);
  }
  const stat = (xs: number[]) => `${median(xs).toFixed(1)} [${Math.min(...xs).toFixed(1)} - ${Math.max(...xs).toFixed(1)}]`;
  process.stdout.write(
    `${name} (${m}x${k} by ${k}x${n}): ours ${stat(t.ours)} GFLOP/s, fused ${stat(t.fused)}, tfjs-wasm ${stat(t.tfjs)}; ours/tfjs speed ${stat(ratio)}, fused/ours ${stat(fusedRatio)}\n`,
  );
}
