/**
 * Turns on WebAssembly relaxed SIMD in Node versions that have it behind a flag (Node 20's
 * V8 11.3; Node 22 has it on), so the matrix-product kernel (core/model/kernels/matmul.ts)
 * can use fused multiply-adds: 1.2-1.5x the speed of its products (scripts/bench-matmul.ts). V8 reads WebAssembly
 * feature flags when it compiles a module, so setting this one before our kernels compile
 * is enough; modules compiled without it (tfjs-wasm's) are untouched. Imported by the Node
 * runtime, before anything computes.
 */
import { setFlagsFromString } from 'node:v8';
import { DROP, F32X4_RELAXED_MADD, GET, V128, assembleModule } from '../core/model/kernels/wasm-assembly.js';

/** A module whose one function computes a relaxed multiply-add: valid only with relaxed SIMD. */
const probe = assembleModule([{ name: 'madd', params: 0, locals: [[1, V128]], body: [GET, 0, GET, 0, GET, 0, ...F32X4_RELAXED_MADD, DROP] }]);

export function relaxedSimd(): boolean {
  return WebAssembly.validate(probe);
}

if (!relaxedSimd()) setFlagsFromString('--experimental-wasm-relaxed-simd');
