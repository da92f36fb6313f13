/**
 * Checks of the stored numbers themselves: a NaN or infinite weight makes every score it
 * touches NaN, and the tagger would answer garbage without an error. The stored arrays are
 * scanned as stored (float16 bits, per-row scales of quantised rows), not after decoding:
 * that is a fraction of the values, and the scan stays a few milliseconds.
 */

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Index of the first value `v` of `values` for which `v * factor` is NaN or beyond float32, or -1.
 * `factor` is the largest quantised level a scale multiplies (127 for 8 bits), so that a
 * scale whose products overflow is caught too.
 */
export function firstNonFinite(values: Float32Array, factor = 1): number {
  for (let i = 0; i < values.length; i++) {
    // False for NaN as for too large values.
    if (!(Math.abs(values[i]) * factor <= FLOAT32_MAX)) return i;
  }
  return -1;
}

/** Index of the first float16 NaN or infinity (all exponent bits set) in `bits`, or -1. */
export function firstNonFiniteHalf(bits: Uint16Array): number {
  for (let i = 0; i < bits.length; i++) if ((bits[i] & 0x7c00) === 0x7c00) return i;
  return -1;
}
