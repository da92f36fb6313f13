/**
 * Sums of rows picked by address, `q[u] = sum_f memory[offsets[u * features + f] ..]`, rows of
 * `rowBytes` bytes (a multiple of 16), in 128-bit SIMD. It builds each distinct token's
 * first-layer row from its features' precomputed projections (first-layer-projections.ts).
 * The rows are added in feature order, so a result never depends on where its rows lie.
 *
 *   (func (export "rows") (param $offsets $count $features $rowBytes $q i32)
 *     (local $u $f $j $base $qrow i32) (local $acc v128)
 *     for $u < $count:                              ;; each distinct token
 *       $base = $offsets + $u * $features * 4
 *       $qrow = $q + $u * $rowBytes
 *       for $j < $rowBytes, $j += 16:               ;; four floats at a time
 *         $acc = v128.load(i32.load($base) + $j)
 *         for $f = 1; $f < $features:               ;; the other features' rows
 *           $acc = f32x4.add($acc, v128.load(i32.load($base + $f * 4) + $j))
 *         v128.store($qrow + $j, $acc)
 */
import { ADD, CONST, F32X4_ADD, GET, I32, LOAD, MUL, SET, V128, V_LOAD, V_STORE, forLoop, type KernelFunction } from './wasm-assembly.js';

// Locals: parameters 0-4, then u f j base qrow (i32) and acc (v128).
const [offsets, count, features, rowBytes, q, u, f, j, base, qrow, acc] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** The `rows` function above, to assemble beside the slot sum. */
export function rowSumFunction(): KernelFunction {
  const fBody = [
    GET, acc,
    GET, base, GET, f, CONST, 4, MUL, ADD, LOAD, 2, 0, GET, j, ADD, ...V_LOAD,
    ...F32X4_ADD, SET, acc,
  ];
  const jBody = [
    GET, base, LOAD, 2, 0, GET, j, ADD, ...V_LOAD, SET, acc,
    ...forLoop(f, features, 1, fBody, 1),
    GET, qrow, GET, j, ADD, GET, acc, ...V_STORE,
  ];
  const uBody = [
    GET, offsets, GET, u, GET, features, MUL, CONST, 4, MUL, ADD, SET, base,
    GET, q, GET, u, GET, rowBytes, MUL, ADD, SET, qrow,
    ...forLoop(j, rowBytes, 16, jBody),
  ];
  return { name: 'rows', params: 5, locals: [[5, I32], [1, V128]], body: forLoop(u, count, 1, uBody) };
}
