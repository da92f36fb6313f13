import type { Random } from '../util/random.js';
import { dropoutKernel } from './kernels/dropout-mask.js';

/**
 * An inverted-dropout mask: each entry 0 with probability p, else 1/(1-p); null when p is 0.
 * Each 32-bit draw decides two entries (16 bits each, so p is honoured to 1/65536): the
 * masks are a tenth of a training step otherwise.
 *
 * @example
 * dropoutMask(4, 0.5, new Random(1)); // e.g. Float32Array [2, 0, 0, 2]
 */
export function dropoutMask(size: number, p: number, rng: Random): Float32Array | null {
  if (p <= 0) return null;
  const keep = 1 / (1 - p);
  const threshold = Math.round(p * 65536);
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i += 2) {
    const bits = rng.uint32();
    mask[i] = (bits & 0xffff) < threshold ? 0 : keep;
    if (i + 1 < size) mask[i + 1] = bits >>> 16 < threshold ? 0 : keep;
  }
  return mask;
}

/** Indices of the units a shared dropout mask keeps (at least one). */
export function keptUnits(units: number, p: number, rng: Random): Int32Array {
  const kept: number[] = [];
  for (let j = 0; j < units; j++) if (rng.next() >= p) kept.push(j);
  if (kept.length === 0) kept.push(Math.floor(rng.next() * units));
  return Int32Array.from(kept);
}

/**
 * Inverted dropout on `X` in place: `X *= dropoutMask(X.length, p, rng)`, in a SIMD kernel
 * where there is one (the same numbers). Returns the mask, written into `mask` when it is given
 * (at least X's length) and p > 0; null when p is 0.
 */
export function dropInPlace(X: Float32Array, p: number, rng: Random, mask?: Float32Array): Float32Array | null {
  if (p <= 0) return null;
  const out = mask ? mask.subarray(0, X.length) : new Float32Array(X.length);
  if (dropoutKernel()?.apply(X, p, rng, out)) return out;
  out.set(dropoutMask(X.length, p, rng)!);
  for (let i = 0; i < X.length; i++) X[i] *= out[i];
  return out;
}
