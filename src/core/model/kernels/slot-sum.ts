import {
  ADD, CONST, F32_ADD, F32X4_ADD, F32X4_MAX, F32X4_MUL, GET, I32, LOAD, MUL, SET, V128, V_LOAD, V_STORE,
  assembleModule, f32Load, f32Store, f32x4ExtractLane, forLoop, growMemory, instantiate, sleb, type KernelFunction,
} from './wasm-assembly.js';

/**
 * The slot sum of inference, `z[b] = bias + sum_s Q[index[s * batch + b], s]`, as a small
 * WebAssembly function with 128-bit SIMD: four floats per instruction instead of one, for the
 * loop that is otherwise a third of tagging time. The module is assembled below from its
 * text form (shown in the comment) with wasm-assembly.ts, so the project needs no WebAssembly
 * toolchain.
 *
 *   (func (export "sum") (param $q $index $bias $z $batch $slots $h i32)
 *     (local $b $s $j $row $zrow i32) (local $acc v128)
 *     for $b < $batch:                              ;; each window
 *       $zrow = $z + $b * $h * 4
 *       for $j < $h, $j += 4:                       ;; four hidden units at a time
 *         $acc = v128.load($bias + $j * 4)
 *         for $s < $slots:                          ;; each token of the window
 *           $row = i32.load($index + ($s * $batch + $b) * 4)
 *           $acc = f32x4.add($acc, v128.load($q + (($row * $slots + $s) * $h + $j) * 4))
 *         v128.store($zrow + $j * 4, $acc)
 */

/** A compiled slot-sum kernel with its own memory. */
export interface SlotSumKernel {
  sum(Q: Float32Array, index: Int32Array, bias: Float32Array, batch: number, slots: number): Float32Array;
}

// Locals: parameters 0-6, then b s j row zrow (i32) and acc (v128).
const [q, index, bias, z, batch, slots, h, b, s, j, row, zrow, acc] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** The `sum` function above, to assemble alone (createSlotSumKernel) or beside other kernels. */
export function slotSumFunction(): KernelFunction {
  const sBody = [
    // row = i32.load(index + (s * batch + b) * 4)
    GET, index, GET, s, GET, batch, MUL, GET, b, ADD, CONST, 4, MUL, ADD, LOAD, 2, 0, SET, row,
    // acc += v128.load(q + ((row * slots + s) * h + j) * 4)
    GET, acc,
    GET, q, GET, row, GET, slots, MUL, GET, s, ADD, GET, h, MUL, GET, j, ADD, CONST, 4, MUL, ADD, ...V_LOAD,
    ...F32X4_ADD, SET, acc,
  ];
  const jBody = [
    GET, bias, GET, j, CONST, 4, MUL, ADD, ...V_LOAD, SET, acc,
    ...forLoop(s, slots, 1, sBody),
    GET, zrow, GET, j, CONST, 4, MUL, ADD, GET, acc, ...V_STORE,
  ];
  const bBody = [
    GET, z, GET, b, GET, h, MUL, CONST, 4, MUL, ADD, SET, zrow,
    ...forLoop(j, h, 4, jBody),
  ];
  return { name: 'sum', params: 7, locals: [[5, I32], [1, V128]], body: forLoop(b, batch, 1, bBody) };
}

/**
 * The same `sum` for a slot count fixed when assembling: the slots are unrolled, each
 * window's rows found once (not once per four hidden units) and held in locals, and the
 * inner loop steps in bytes, so it is loads and adds only. `$slots` is ignored.
 *
 *   for $b < $batch:
 *     $zrow = $z + $b * $hb                           ;; $hb = $h * 4
 *     $a_s = $q + (i32.load($index + ($s * $batch + $b) * 4) * S + s) * $hb   for each s < S
 *     for $j < $hb, $j += 16:
 *       v128.store($zrow + $j, v128.load($bias + $j) + v128.load($a_0 + $j) + .. + v128.load($a_S-1 + $j))
 */
export function unrolledSlotSumFunction(slotCount: number): KernelFunction {
  // Locals: parameters 0-6, then b j zrow hb a_0 .. a_S-1 (i32) and acc (v128).
  const [bb, jj, zr, hb] = [7, 8, 9, 10];
  const a = (k: number) => 11 + k;
  const accLocal = 11 + slotCount;
  const rowStarts: number[] = [];
  for (let k = 0; k < slotCount; k++) {
    rowStarts.push(
      GET, q,
      GET, index, GET, batch, CONST, ...sleb(k), MUL, GET, bb, ADD, CONST, 4, MUL, ADD, LOAD, 2, 0,
      CONST, ...sleb(slotCount), MUL, CONST, ...sleb(k), ADD, GET, hb, MUL, ADD, SET, a(k),
    );
  }
  const jBody = [GET, bias, GET, jj, ADD, ...V_LOAD];
  for (let k = 0; k < slotCount; k++) jBody.push(GET, a(k), GET, jj, ADD, ...V_LOAD, ...F32X4_ADD);
  jBody.push(SET, accLocal, GET, zr, GET, jj, ADD, GET, accLocal, ...V_STORE);
  const bBody = [
    GET, z, GET, bb, GET, hb, MUL, ADD, SET, zr,
    ...rowStarts,
    ...forLoop(jj, hb, 16, jBody),
  ];
  return {
    name: 'sum',
    params: 7,
    locals: [[4 + slotCount, I32], [1, V128]],
    body: [GET, h, CONST, 4, MUL, SET, hb, ...forLoop(bb, batch, 1, bBody)],
  };
}

/**
 * The slot sum followed by ReLU and a small dense layer, for a network with one ReLU hidden
 * layer: `out[b] = b1 + relu(bias + sum_s Q[index[s * batch + b], s]) W1`, with W1 given
 * transposed (`w[t * h + k] = W1[k, t]`, t < outputs). Each window's hidden units are used
 * while still in registers, four at a time, and never stored: the output layer costs about
 * a quarter of what a separate product on the stored hidden layer costs. Slots and outputs
 * are fixed when assembling.
 *
 *   (func (export "dense") (param $q $index $bias $w $b1 $out $batch $h i32)
 *     $wt_t = $w + t * $h * 4                                       for each output t
 *     for $b < $batch:
 *       $a_s = (address of window b's row at slot s, as in the slot sum)
 *       $o_t = 0                                                    for each t (v128)
 *       for $j < $h * 4, $j += 16:
 *         $r = f32x4.max(v128.load($bias + $j) + v128.load($a_0 + $j) + .., 0)
 *         $o_t = $o_t + $r * v128.load($wt_t + $j)                  for each t
 *       f32.store($out + ($b * T + t) * 4, $b1[t] + lanes of $o_t summed in order)   for each t
 */
export function slotSumReluDenseFunction(slotCount: number, outputs: number): KernelFunction {
  const [qq, ix, bs, w, b1, out, bt, h] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [bb, jj, hb, ob] = [8, 9, 10, 11];
  const a = (k: number) => 12 + k;
  const wt = (t: number) => 12 + slotCount + t;
  const acc = 12 + slotCount + outputs;
  const [r, zero] = [acc + 1, acc + 2];
  const o = (t: number) => acc + 3 + t;
  const setup: number[] = [GET, h, CONST, 4, MUL, SET, hb];
  for (let t = 0; t < outputs; t++) setup.push(GET, w, GET, hb, CONST, ...sleb(t), MUL, ADD, SET, wt(t));
  const bBody: number[] = [];
  for (let k = 0; k < slotCount; k++) {
    bBody.push(
      GET, qq,
      GET, ix, GET, bt, CONST, ...sleb(k), MUL, GET, bb, ADD, CONST, 4, MUL, ADD, LOAD, 2, 0,
      CONST, ...sleb(slotCount), MUL, CONST, ...sleb(k), ADD, GET, hb, MUL, ADD, SET, a(k),
    );
  }
  for (let t = 0; t < outputs; t++) bBody.push(GET, zero, SET, o(t));
  const jBody = [GET, bs, GET, jj, ADD, ...V_LOAD];
  for (let k = 0; k < slotCount; k++) jBody.push(GET, a(k), GET, jj, ADD, ...V_LOAD, ...F32X4_ADD);
  jBody.push(GET, zero, ...F32X4_MAX, SET, r);
  for (let t = 0; t < outputs; t++) jBody.push(GET, o(t), GET, r, GET, wt(t), GET, jj, ADD, ...V_LOAD, ...F32X4_MUL, ...F32X4_ADD, SET, o(t));
  bBody.push(...forLoop(jj, hb, 16, jBody));
  bBody.push(GET, out, GET, bb, CONST, ...sleb(outputs * 4), MUL, ADD, SET, ob);
  for (let t = 0; t < outputs; t++) {
    bBody.push(
      GET, ob, GET, b1, ...f32Load(t * 4),
      GET, o(t), ...f32x4ExtractLane(0), GET, o(t), ...f32x4ExtractLane(1), F32_ADD,
      GET, o(t), ...f32x4ExtractLane(2), F32_ADD, GET, o(t), ...f32x4ExtractLane(3), F32_ADD,
      F32_ADD, ...f32Store(t * 4),
    );
  }
  return {
    name: 'dense',
    params: 8,
    locals: [[4 + slotCount + outputs, I32], [3 + outputs, V128]],
    body: [...setup, ...forLoop(bb, bt, 1, bBody)],
  };
}

/**
 * Compiles the kernel, or returns null where WebAssembly SIMD is not available (the caller
 * then sums in JavaScript). With `slots`, the kernel is unrolled for that slot count and
 * must be called with it.
 */
export function createSlotSumKernel(slots?: number): SlotSumKernel | null {
  const instance = instantiate(assembleModule([slots === undefined ? slotSumFunction() : unrolledSlotSumFunction(slots)]));
  if (!instance) return null;
  const memory = instance.exports.memory as WebAssembly.Memory;
  const run = instance.exports.sum as (...args: number[]) => void;
  return {
    sum(Q, index, biasValues, batchSize, slotCount) {
      const H = biasValues.length;
      // Layout: Q, index, bias, z; every part 16-byte aligned for v128 loads.
      const align = (n: number) => Math.ceil(n / 16) * 16;
      const qAt = 0;
      const indexAt = align(qAt + Q.byteLength);
      const biasAt = align(indexAt + index.byteLength);
      const zAt = align(biasAt + biasValues.byteLength);
      const needed = zAt + batchSize * H * 4;
      growMemory(memory, needed);
      const buffer = memory.buffer;
      new Float32Array(buffer, qAt, Q.length).set(Q);
      new Int32Array(buffer, indexAt, index.length).set(index);
      new Float32Array(buffer, biasAt, H).set(biasValues);
      run(qAt, indexAt, biasAt, zAt, batchSize, slotCount, H);
      return new Float32Array(buffer, zAt, batchSize * H).slice();
    },
  };
}
