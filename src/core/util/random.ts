/** The state's increment per draw (mulberry32's state is a Weyl sequence). */
export const RANDOM_STEP = 0x6d2b79f5;

/**
 * A small seeded random number generator (mulberry32), so that the same seed gives the same
 * shuffles, initial weights and dropout masks on every backend.
 *
 * @example
 * const rng = new Random(42);
 * rng.next(); // a float in [0, 1)
 */
export class Random {
  // Kept as a signed 32-bit integer: an unsigned one above 2^31 is not a small integer to V8, so
  // every store boxed it (a draw took 11-12 ns against 5 ns). The same bits, the same sequence.
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** An unsigned 32-bit integer. */
  uint32(): number {
    const s = (this.state = (this.state + RANDOM_STEP) | 0);
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /**
   * Hands the next `draws` draws to a caller that computes them itself (a SIMD kernel): returns
   * the state they start from and moves past them: draw j (from 0) is `uint32()`'s output for
   * the state `start + (j + 1) * RANDOM_STEP`.
   */
  reserve(draws: number): number {
    const start = this.state;
    this.state = (this.state + Math.imul(draws, RANDOM_STEP)) | 0;
    return start;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** A float uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A new array with the integers 0..n-1 in random order (Fisher-Yates). */
  permutation(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}
