import { describe, expect, it } from 'vitest';
import { dropInPlace, dropoutMask } from '../../src/core/model/dropout.js';
import { DropoutKernel, dropoutKernel } from '../../src/core/model/kernels/dropout-mask.js';
import { Random } from '../../src/core/util/random.js';

describe('dropoutMask', () => {
  it.each([0.1, 0.5, 0.9])('drops a fraction p = %f of entries and scales the rest by 1/(1-p)', (p) => {
    const mask = dropoutMask(100_001, p, new Random(4))!;
    const dropped = mask.filter((m) => m === 0).length / mask.length;
    expect(Math.abs(dropped - p)).toBeLessThan(0.01);
    expect(new Set(mask)).toEqual(new Set([0, Math.fround(1 / (1 - p))]));
  });

  it('is null for p = 0 and the same for the same seed', () => {
    expect(dropoutMask(10, 0, new Random(1))).toBeNull();
    expect(dropoutMask(9, 0.3, new Random(2))).toEqual(dropoutMask(9, 0.3, new Random(2)));
  });
});

describe('dropInPlace (the SIMD dropout kernel)', () => {
  /** The loop it replaces: the mask, then X times the mask. */
  const byLoop = (X: Float32Array, p: number, rng: Random) => {
    const mask = dropoutMask(X.length, p, rng)!;
    return { X: X.map((x, i) => x * mask[i]), mask };
  };

  it('compiles here', () => {
    expect(dropoutKernel()).toBeInstanceOf(DropoutKernel);
  });

  it.each([[1, 0.5], [7, 0.1], [8, 0.3], [9, 0.5], [33, 0.9], [1000, 0.25], [21_504, 0.1]])(
    'n = %i, p = %f: the loop\'s mask and products, and the generator left where the loop leaves it',
    (n, p) => {
      const X = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
      const [a, b] = [new Random(42), new Random(42)];
      const expected = byLoop(X, p, a);
      const mask = dropInPlace(X, p, b)!;
      expect(Array.from(mask)).toEqual(Array.from(expected.mask));
      expect(Array.from(X)).toEqual(Array.from(expected.X));
      expect(b.uint32()).toBe(a.uint32());
    },
  );

  it('writes into a longer mask array given to it, and keeps p = 0 a no-op', () => {
    const X = Float32Array.from({ length: 10 }, (_, i) => i + 1);
    const scratch = new Float32Array(16).fill(-1);
    const mask = dropInPlace(X, 0.5, new Random(3), scratch)!;
    expect(mask.length).toBe(10);
    expect(mask.buffer).toBe(scratch.buffer);
    expect(scratch[12]).toBe(-1);
    const untouched = Float32Array.from(X);
    expect(dropInPlace(X, 0, new Random(3))).toBeNull();
    expect(X).toEqual(untouched);
  });

  it('leaves a rate too close to 1 for 16-bit thresholds to the loop, with the same result', () => {
    const X = new Float32Array(12).fill(2);
    expect(dropoutKernel()!.apply(Float32Array.from(X), 0.999995, new Random(1), new Float32Array(12))).toBe(false);
    const [a, b] = [new Random(9), new Random(9)];
    const expected = byLoop(Float32Array.from(X), 0.999995, a);
    expect(Array.from(dropInPlace(X, 0.999995, b)!)).toEqual(Array.from(expected.mask));
    expect(b.uint32()).toBe(a.uint32());
  });
});

describe('Random.reserve', () => {
  it('skips exactly the draws it hands out', () => {
    const [a, b] = [new Random(5), new Random(5)];
    for (let i = 0; i < 37; i++) a.uint32();
    b.reserve(37);
    expect(b.uint32()).toBe(a.uint32());
  });
});
