import { describe, expect, it } from 'vitest';
import { dropoutMask } from '../../src/core/model/dropout.js';
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
