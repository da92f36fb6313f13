import { describe, expect, it } from 'vitest';
import { createSlotSumKernel } from '../../src/core/model/kernels/slot-sum.js';
import { sumSlots } from '../../src/core/model/network.js';
import { Random } from '../../src/core/util/random.js';

describe('the SIMD slot-sum kernel', () => {
  it('compiles here (Node 20 has WebAssembly SIMD)', () => {
    expect(createSlotSumKernel()).not.toBeNull();
  });

  it.each([
    [1, 1, 4, 1],
    [7, 3, 8, 5],
    [300, 5, 300, 120],
  ])('equals the JavaScript sum: batch %i, slots %i, hidden %i, %i distinct tokens', (batch, slots, H, unique) => {
    const rng = new Random(batch);
    const Q = Float32Array.from({ length: unique * slots * H }, () => rng.uniform(-1, 1));
    const index = Int32Array.from({ length: slots * batch }, () => rng.int(unique));
    const bias = Float32Array.from({ length: H }, () => rng.uniform(-1, 1));
    const kernel = createSlotSumKernel()!;
    expect(kernel.sum(Q, index, bias, batch, slots)).toEqual(sumSlots(Q, index, bias, batch, slots));
    // A second, smaller call reuses the grown memory and still gives exact results.
    expect(kernel.sum(Q, index.subarray(0, slots), bias, 1, slots)).toEqual(sumSlots(Q, index.subarray(0, slots), bias, 1, slots));
  });

  it.each([
    [1, 1, 4, 1],
    [7, 3, 8, 5],
    [300, 5, 300, 120],
    [33, 7, 12, 9],
  ])('unrolled for a fixed slot count, equals the JavaScript sum: batch %i, slots %i, hidden %i, %i distinct tokens', (batch, slots, H, unique) => {
    const rng = new Random(batch + 1);
    const Q = Float32Array.from({ length: unique * slots * H }, () => rng.uniform(-1, 1));
    const index = Int32Array.from({ length: slots * batch }, () => rng.int(unique));
    const bias = Float32Array.from({ length: H }, () => rng.uniform(-1, 1));
    expect(createSlotSumKernel(slots)!.sum(Q, index, bias, batch, slots)).toEqual(sumSlots(Q, index, bias, batch, slots));
  });

  it('a hand-checked case: bias plus the rows of each slot', () => {
    // 2 distinct tokens, 2 slots, 4 hidden: Q[u][s] rows
    const Q = Float32Array.from([1, 1, 1, 1, 2, 2, 2, 2, 10, 10, 10, 10, 20, 20, 20, 20]);
    const index = Int32Array.from([1, 0]); // slot 0 -> token 1, slot 1 -> token 0
    const z = createSlotSumKernel()!.sum(Q, index, Float32Array.from([0.5, 0.5, 0.5, 0.5]), 1, 2);
    expect(Array.from(z)).toEqual([12.5, 12.5, 12.5, 12.5]); // 0.5 + Q[1][0] (10) + Q[0][1] (2)
  });
});
