import { RANDOM_STEP, type Random } from '../../util/random.js';
import {
  ADD, CONST, F32X4_MUL, GET, I16X8_LT_U, I16X8_SPLAT, I32, I32X4_ADD, I32X4_EXTEND_HIGH_I16X8_S, I32X4_EXTEND_LOW_I16X8_S, I32X4_MUL, I32X4_SHR_U, I32X4_SPLAT,
  SET, V128, V128_AND_NOT, V128_OR, V128_XOR, V_LOAD, V_STORE, assembleModule, forLoop, growMemory, instantiate, v128Const, type KernelFunction,
} from './wasm-assembly.js';

/**
 * Inverted dropout in place with its mask, `mask = dropoutMask(n, p, rng); X *= mask`, in
 * 128-bit SIMD: the same draws, the same mask and the same products as dropout.ts's loop, 8
 * entries at a time. Input dropout draws one number per two inputs of every window (215,040
 * entries per shard of the recipe's step), and the loop took ~4.4 ms a shard, a seventh of a
 * one-thread step. It can be done four draws at once because mulberry32 (util/random.ts) is a
 * hash of a counter: draw j of a run that starts at state S hashes S + (j + 1) * RANDOM_STEP.
 *
 *   (func (export "drop") (param $X $mask $bytes $state $threshold $keepBits i32)
 *     s = splat($state) + [1, 2, 3, 4] * RANDOM_STEP            ;; four draws' states
 *     for $i < $bytes, $i += 32:                                ;; eight entries
 *       t = mulberry32's hash of each lane of s;  s += 4 * RANDOM_STEP
 *       dropped = i16x8.lt_u(t, splat16($threshold))           ;; the low, then high 16 bits of each draw
 *       mask[i..i+8] = keep & ~extend(dropped);  X[i..i+8] *= mask[i..i+8]
 */

// Parameters, then locals: i (i32), s t u thr keep dropped m (v128).
const [pX, pMask, pBytes, pState, pThreshold, pKeep] = [0, 1, 2, 3, 4, 5];
const i = 6;
const [s, t, u, thr, keep, dropped, m] = [7, 8, 9, 10, 11, 12, 13];

/** `x ^ (x >>> n)` of a v128 local, left on the stack. */
const xorShift = (x: number, n: number) => [GET, x, GET, x, CONST, n, ...I32X4_SHR_U, ...V128_XOR];
/** `x | splat(c)`, left on the stack. */
const orConst = (x: number, c: number) => [GET, x, ...v128Const([c, c, c, c]), ...V128_OR];

function dropFunction(): KernelFunction {
  const half = (at: number, extend: number[]) => [
    GET, keep, GET, dropped, ...extend, ...V128_AND_NOT, SET, m,
    GET, pMask, GET, i, ADD, CONST, at, ADD, GET, m, ...V_STORE,
    GET, pX, GET, i, ADD, CONST, at, ADD,
    GET, pX, GET, i, ADD, CONST, at, ADD, ...V_LOAD, GET, m, ...F32X4_MUL, ...V_STORE,
  ];
  const body = [
    // t = imul(s ^ (s >>> 15), s | 1); t ^= t + imul(t ^ (t >>> 7), t | 61); t ^= t >>> 14
    ...xorShift(s, 15), ...orConst(s, 1), ...I32X4_MUL, SET, t,
    ...xorShift(t, 7), ...orConst(t, 61), ...I32X4_MUL, SET, u,
    GET, t, GET, t, GET, u, ...I32X4_ADD, ...V128_XOR, SET, t,
    ...xorShift(t, 14), SET, t,
    GET, t, GET, thr, ...I16X8_LT_U, SET, dropped,
    ...half(0, I32X4_EXTEND_LOW_I16X8_S),
    ...half(16, I32X4_EXTEND_HIGH_I16X8_S),
    GET, s, ...v128Const([4, 4, 4, 4].map((x) => Math.imul(x, RANDOM_STEP))), ...I32X4_ADD, SET, s,
  ];
  const setup = [
    GET, pState, ...I32X4_SPLAT, ...v128Const([1, 2, 3, 4].map((x) => Math.imul(x, RANDOM_STEP))), ...I32X4_ADD, SET, s,
    GET, pThreshold, ...I16X8_SPLAT, SET, thr,
    GET, pKeep, ...I32X4_SPLAT, SET, keep,
  ];
  return { name: 'drop', params: 6, locals: [[1, I32], [7, V128]], body: [...setup, ...forLoop(i, pBytes, 32, body)] };
}

let shared: DropoutKernel | null | undefined;
/** This thread's kernel, compiled on first use; null where WebAssembly SIMD is missing. */
export function dropoutKernel(): DropoutKernel | null {
  if (shared === undefined) shared = DropoutKernel.create();
  return shared;
}

export class DropoutKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly drop: (...args: number[]) => void;

  private constructor(instance: WebAssembly.Instance) {
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.drop = instance.exports.drop as (...args: number[]) => void;
  }

  static create(): DropoutKernel | null {
    const instance = instantiate(assembleModule([dropFunction()]));
    return instance ? new DropoutKernel(instance) : null;
  }

  /**
   * Scales `X` in place by an inverted-dropout mask of rate `p` drawn from `rng` and writes
   * the mask into `mask` (at least X's length): dropoutMask(X.length, p, rng)'s numbers, and
   * `rng` moved past the same draws. False (nothing done) when `p` rounds to a threshold
   * that 16 bits cannot hold (p within 1/131072 of 1).
   */
  apply(X: Float32Array, p: number, rng: Random, mask: Float32Array): boolean {
    const threshold = Math.round(p * 65536);
    if (threshold > 0xffff) return false;
    const n = X.length;
    const padded = Math.ceil(n / 8) * 8;
    const maskAt = padded * 4;
    growMemory(this.memory, 2 * maskAt);
    const f = new Float32Array(this.memory.buffer);
    f.set(X);
    const keepBits = new Int32Array(Float32Array.of(1 / (1 - p)).buffer)[0];
    this.drop(0, maskAt, maskAt, rng.reserve(Math.ceil(n / 2)), threshold, keepBits);
    X.set(f.subarray(0, n));
    mask.set(f.subarray(padded, padded + n));
    return true;
  }
}
