import { AND, CONST, F32X4_ADD, F32X4_MUL, F32X4_RELAXED_MADD, GET, I32, MUL, ADD, SET, SHL, V128, V128_ZERO, assembleModule, forLoop, growMemory, instantiate, sleb, splat32At, vLoadAt, vStoreAt, type KernelFunction } from './wasm-assembly.js';

/**
 * Matrix products in our own 128-bit SIMD WebAssembly, `C = A B` and `C = A^T B` (row-major
 * floats), for the products of a training step on the host and the first layer's
 * projections of embedding rows. Why not tfjs-wasm's matMul: measured side by side as each is
 * used (scripts/bench-matmul.ts: arrays in, the product, arrays out), this plain
 * register-blocked kernel ran 1.7x faster on each of a training step's three products
 * (256x840 by 840x152 and the two backward ones; tfjs-wasm transposes first for A^T B), 1.6x
 * on word-row projections and 3.2x on a small feature's (512x16 by 16x1500), and it works on
 * our own typed arrays: no tensors to upload, read back and dispose.
 *
 * The kernel: each 4 x 8 block of C is held in eight v128 registers while k runs over the
 * shared dimension, one broadcast A value and two B vectors per step (a 4 x 4 block for a
 * last four columns). Rows of A are padded to a multiple of 4 and columns of B and C to a
 * multiple of 4 in this module's memory, so any shape works; the sums run in k order.
 *
 * Training's kernel: where the runtime has relaxed SIMD (Chrome 114+, Node 22+; Node 20 once
 * node/wasm-features.ts has turned it on), each multiply-add is one `f32x4.relaxed_madd`, a
 * fused multiply-add on hardware with FMA: 1.2-1.5x the speed of a multiply and an add on the
 * step's shapes (scripts/bench-matmul.ts). Fused sums round once per term instead of twice, so
 * results differ from the unfused kernel's in the last bits, and between machines with and
 * without FMA; on one machine they repeat exactly. Tagging keeps the unfused kernel.
 *
 *   (func (export "nn" | "tn") (param $A $B $C $M $K $N $lda $ldb $ldc i32)  ;; strides in bytes
 *     for $i < $M, $i += 4:
 *       for $j < $N & ~7, $j += 8:  c[0..4][0..2] = 0
 *         for $k < $K:  b = B[k, j..j+8];  c[r] += splat(A[i+r, k]) * b   (tn: A[k, i+r])
 *         store c into C[i..i+4, j..j+8]
 *       the same for a last 4 columns, when $N % 8 == 4
 */

// Parameters, then locals: i j k pa pb pc jEnd (i32), a b0 b1 c00 c01 .. c31 (v128).
const [pA, pB, pC, pM, pK, pN, lda, ldb, ldc] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [i, j, k, pa, pb, pc, jEnd] = [9, 10, 11, 12, 13, 14, 15];
const [a, b0] = [16, 17];
const R = 4;
const c = (r: number, v: number) => 19 + r * 2 + v;

/** The column loop over blocks of `4 * V` columns from the current $j up to $jEnd. */
function columnBlocks(V: number, transposeA: boolean, fused: boolean): number[] {
  const zero: number[] = [];
  for (let r = 0; r < R; r++) for (let v = 0; v < V; v++) zero.push(...V128_ZERO, SET, c(r, v));
  const kBody: number[] = [];
  for (let v = 0; v < V; v++) kBody.push(GET, pb, ...vLoadAt(16 * v), SET, b0 + v);
  for (let r = 0; r < R; r++) {
    // a = A[i + r, k]: rows of A are $lda apart; tn: A[k, i + r], adjacent floats.
    if (transposeA) kBody.push(GET, pa, ...splat32At(4 * r), SET, a);
    else kBody.push(GET, pa, CONST, ...sleb(r), GET, lda, MUL, ADD, ...splat32At(0), SET, a);
    for (let v = 0; v < V; v++) {
      if (fused) kBody.push(GET, a, GET, b0 + v, GET, c(r, v), ...F32X4_RELAXED_MADD, SET, c(r, v));
      else kBody.push(GET, c(r, v), GET, a, GET, b0 + v, ...F32X4_MUL, ...F32X4_ADD, SET, c(r, v));
    }
  }
  kBody.push(GET, pa, ...(transposeA ? [GET, lda] : [CONST, 4]), ADD, SET, pa);
  kBody.push(GET, pb, GET, ldb, ADD, SET, pb);
  const store: number[] = [];
  for (let r = 0; r < R; r++) {
    for (let v = 0; v < V; v++) store.push(GET, pc, GET, c(r, v), ...vStoreAt(16 * v));
    store.push(GET, pc, GET, ldc, ADD, SET, pc);
  }
  const jBody = [
    // pc = C + i * ldc + j * 4; pb = B + j * 4; pa = A + i * lda (tn: A + i * 4)
    GET, pC, GET, i, GET, ldc, MUL, ADD, GET, j, CONST, 2, SHL, ADD, SET, pc,
    GET, pB, GET, j, CONST, 2, SHL, ADD, SET, pb,
    GET, pA, GET, i, ...(transposeA ? [CONST, 2, SHL] : [GET, lda, MUL]), ADD, SET, pa,
    ...zero,
    ...forLoop(k, pK, 1, kBody),
    ...store,
  ];
  // $j goes on from where the previous column loop left it.
  return forLoop(j, jEnd, 4 * V, jBody, null);
}

function matMulFunction(name: string, transposeA: boolean, fused: boolean): KernelFunction {
  const iBody = [
    CONST, 0, SET, j,
    GET, pN, CONST, ...sleb(-8), AND, SET, jEnd,
    ...columnBlocks(2, transposeA, fused),
    GET, pN, SET, jEnd,
    ...columnBlocks(1, transposeA, fused),
  ];
  const body = forLoop(i, pM, R, iBody);
  return { name, params: 9, locals: [[7, I32], [2 + 2 + R * 2, V128]], body };
}

const align = (n: number) => Math.ceil(n / 64) * 64;
const pad4 = (n: number) => (n + 3) & ~3;

const shared: { fused?: MatMulKernel | null; unfused?: MatMulKernel | null } = {};
let fusedAllowed = true;

/**
 * This thread's kernel, compiled on first use; null where WebAssembly SIMD is missing.
 * `fused: false` asks for the unfused kernel, whose numbers are the same on every machine
 * (tagging uses it, so a model's scores do not depend on the hardware); training takes the
 * fused one where it compiles.
 */
export function matMulKernel(fused = true): MatMulKernel | null {
  if (fused && fusedAllowed) {
    if (shared.fused === undefined) shared.fused = MatMulKernel.create(true);
    return shared.fused;
  }
  if (shared.unfused === undefined) shared.unfused = MatMulKernel.create(false);
  return shared.unfused;
}

/**
 * Whether matMulKernel() may hand out the fused kernel (the default): false gives the unfused
 * kernel's numbers everywhere; for benchmarks that compare the two.
 */
export function allowFusedProducts(fused: boolean): void {
  fusedAllowed = fused;
}

/**
 * The two products in a memory of their own. Inputs are copied in (padded), results read
 * from the memory: `multiply` returns a view of it, valid until the next call on this kernel.
 */
export class MatMulKernel {
  private memory: WebAssembly.Memory;
  private readonly nn: (...args: number[]) => void;
  private readonly tn: (...args: number[]) => void;

  private constructor(instance: WebAssembly.Instance, readonly fused: boolean) {
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.nn = instance.exports.nn as (...args: number[]) => void;
    this.tn = instance.exports.tn as (...args: number[]) => void;
  }

  /**
   * The kernel, or null where WebAssembly SIMD is missing: with fused multiply-adds where
   * relaxed SIMD compiles, unless `fused` is false.
   */
  static create(fused = true): MatMulKernel | null {
    const compile = (withMadd: boolean) => instantiate(assembleModule([matMulFunction('nn', false, withMadd), matMulFunction('tn', true, withMadd)]));
    const instance = fused ? compile(true) : null;
    if (instance) return new MatMulKernel(instance, true);
    const plain = compile(false);
    return plain ? new MatMulKernel(plain, false) : null;
  }

  /**
   * `C = A B` (`A`: `[m, k]`) or, with `transposeA`, `C = A^T B` (`A` given as `[k, m]`);
   * `B`: `[k, n]`. Returns C, `[m, n]` row-major, as a view of the kernel's memory: read or
   * copy it before the next call.
   */
  multiply(A: Float32Array, B: Float32Array, m: number, k: number, n: number, transposeA = false): Float32Array {
    const m4 = pad4(m);
    const n4 = pad4(n);
    // A padded: [m4, k] rows (the extra rows zero), or [k, m4] for A^T; then B [k, n4], then C.
    const aAt = 0;
    const bAt = align(aAt + (transposeA ? k * m4 : m4 * k) * 4);
    const cAt = align(bAt + k * n4 * 4);
    growMemory(this.memory, cAt + m4 * n4 * 4);
    if (transposeA) this.place(A, k, m, aAt, m4);
    else {
      this.floats().set(A.subarray(0, m * k), aAt / 4);
      this.floats().fill(0, aAt / 4 + m * k, aAt / 4 + m4 * k);
    }
    this.place(B, k, n, bAt, n4);
    (transposeA ? this.tn : this.nn)(aAt, bAt, cAt, m4, k, n4, (transposeA ? m4 : k) * 4, n4 * 4, n4 * 4);
    if (n4 === n) return new Float32Array(this.memory.buffer, cAt, m * n);
    // Columns padded: close the rows up in place (each row moves left, so nothing is overwritten unread).
    const f = this.floats();
    for (let r = 1; r < m; r++) f.copyWithin(cAt / 4 + r * n, cAt / 4 + r * n4, cAt / 4 + r * n4 + n);
    return new Float32Array(this.memory.buffer, cAt, m * n);
  }

  /** Writes `[rows, cols]` at byte `at` with rows `stride` floats apart, the padding zero. */
  private place(X: Float32Array, rows: number, cols: number, at: number, stride: number): void {
    const f = this.floats();
    const base = at / 4;
    if (stride === cols) {
      f.set(X.subarray(0, rows * cols), base);
      return;
    }
    for (let r = 0; r < rows; r++) {
      f.set(X.subarray(r * cols, (r + 1) * cols), base + r * stride);
      f.fill(0, base + r * stride + cols, base + (r + 1) * stride);
    }
  }

  private floats(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

}
