/**
 * Sums of rows picked by address, `q[u] = sum_f memory[offsets[u * F + f] ..]`, rows of
 * `rowBytes` bytes (a multiple of 16), in 128-bit SIMD. It builds each distinct token's
 * first-layer row from its features' precomputed projections (first-layer-projections.ts).
 * The feature count F is fixed when assembling: each token's row addresses are read once into
 * locals and the features unrolled, so the inner loop is loads and adds only. Rows are added
 * in feature order, so a result never depends on where its rows lie.
 *
 *   (func (export "rows") (param $offsets $count $features $rowBytes $q i32)  ;; $features unused
 *     (local $u $j $qrow $a_0 .. $a_F-1 i32) (local $acc v128)
 *     for $u < $count:                              ;; each distinct token
 *       $qrow = $q + $u * $rowBytes
 *       $a_f = i32.load($offsets + ($u * F + f) * 4)   for each f < F
 *       for $j < $rowBytes, $j += 16:               ;; four floats at a time
 *         v128.store($qrow + $j, v128.load($a_0 + $j) + v128.load($a_1 + $j) + .. + v128.load($a_F-1 + $j))
 */
import { ADD, CONST, F32X4_ADD, GET, I32, LOAD, MUL, SET, V128, V_LOAD, V_STORE, forLoop, sleb, type KernelFunction } from './wasm-assembly.js';

// Parameters.
const [offsets, count, rowBytes, q] = [0, 1, 3, 4];

/** The `rows` function above for `featureCount` features, to assemble beside the slot sum. */
export function rowSumFunction(featureCount: number): KernelFunction {
  // Locals after the 5 parameters: u j qrow a_0 .. a_F-1 (i32), then acc (v128).
  const [u, j, qrow] = [5, 6, 7];
  const a = (k: number) => 8 + k;
  const acc = 8 + featureCount;
  const uBody = [GET, q, GET, u, GET, rowBytes, MUL, ADD, SET, qrow];
  for (let k = 0; k < featureCount; k++) {
    uBody.push(GET, offsets, GET, u, CONST, ...sleb(featureCount), MUL, CONST, ...sleb(k), ADD, CONST, 4, MUL, ADD, LOAD, 2, 0, SET, a(k));
  }
  const jBody = [GET, a(0), GET, j, ADD, ...V_LOAD];
  for (let k = 1; k < featureCount; k++) jBody.push(GET, a(k), GET, j, ADD, ...V_LOAD, ...F32X4_ADD);
  jBody.push(SET, acc, GET, qrow, GET, j, ADD, GET, acc, ...V_STORE);
  uBody.push(...forLoop(j, rowBytes, 16, jBody));
  return { name: 'rows', params: 5, locals: [[3 + featureCount, I32], [1, V128]], body: forLoop(u, count, 1, uBody) };
}
