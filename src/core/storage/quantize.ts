/**
 * Compact storage of weights. The word table is most of a model's size:
 * - 8 bits per value with one scale per row (error under 0.4% of each row's largest value)
 *   shrink it four times with no measurable change in F1;
 * - 4 bits per value halve that again. Models trained with `vectorBits: 4` see their
 *   pretrained vectors already rounded to 4 bits, so storing those rows in 4 bits loses nothing.
 * Dense weights and the small tables may be stored as float16 (relative error under 0.05%).
 */
export interface QuantizedRows {
  scales: Float32Array;
  values: Int8Array;
}

/** Largest magnitude of a 4-bit value: values are -7..7, stored offset by 8 in a nibble. */
const INT4_MAX = 7;

/** Quantises a row-major table of `dim`-wide rows. */
export function quantizeRows(table: Float32Array, dim: number): QuantizedRows {
  return quantizeRowsTo(table, dim, 127);
}

/** Restores a float table from its quantised rows. */
export function dequantizeRows(q: QuantizedRows, dim: number): Float32Array {
  const out = new Float32Array(q.values.length);
  for (let r = 0; r < q.scales.length; r++) {
    const s = q.scales[r];
    for (let d = 0; d < dim; d++) out[r * dim + d] = q.values[r * dim + d] * s;
  }
  return out;
}

/** The values a table will have after saving and loading: each row quantised and restored. */
export function roundTripRows(table: Float32Array, dim: number): Float32Array {
  return dequantizeRows(quantizeRows(table, dim), dim);
}

/** Rows in 4 bits: `values` holds two values per byte (row-major, low nibble first). */
export interface Quantized4Rows {
  scales: Float32Array;
  values: Uint8Array;
}

/** Quantises rows to 4 bits per value, one scale per row. */
export function quantizeRows4(table: Float32Array, dim: number): Quantized4Rows {
  const q = quantizeRowsTo(table, dim, INT4_MAX);
  const values = new Uint8Array(Math.ceil(q.values.length / 2));
  for (let i = 0; i < q.values.length; i++) values[i >> 1] |= (q.values[i] + 8) << ((i & 1) * 4);
  return { scales: q.scales, values };
}

/** Restores a float table from its 4-bit rows. */
export function dequantizeRows4(q: Quantized4Rows, dim: number): Float32Array {
  const out = new Float32Array(q.scales.length * dim);
  const { values, scales } = q;
  // Row by row, the scale read once: a 280k-word table is most of an ensemble's load time.
  for (let r = 0, i = 0; r < scales.length; r++) {
    const s = scales[r];
    for (const end = i + dim; i < end; i++) out[i] = (((values[i >> 1] >> ((i & 1) << 2)) & 15) - 8) * s;
  }
  return out;
}

/** The table rounded to 4 bits per value (one scale per row), as 4-bit storage would restore it. */
export function roundTripRows4(table: Float32Array, dim: number): Float32Array {
  return dequantizeRows4(quantizeRows4(table, dim), dim);
}

/**
 * Marks the rows that 4-bit storage keeps (to float rounding): rows already rounded to 4 bits,
 * such as pretrained vectors of a model trained with `vectorBits: 4`. `restored`: the table's
 * 4-bit round trip, when the caller has it already.
 */
export function rowsOn4BitGrid(table: Float32Array, dim: number, restored = roundTripRows4(table, dim)): Uint8Array {
  const rows = table.length / dim;
  const on = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    let err = 0;
    for (let d = r * dim; d < (r + 1) * dim; d++) {
      max = Math.max(max, Math.abs(table[d]));
      err = Math.max(err, Math.abs(table[d] - restored[d]));
    }
    on[r] = err <= max * 1e-6 ? 1 : 0;
  }
  return on;
}

function quantizeRowsTo(table: Float32Array, dim: number, top: number): QuantizedRows {
  const rows = table.length / dim;
  const scales = new Float32Array(rows);
  const values = new Int8Array(table.length);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(table[r * dim + d]));
    const scale = max / top || 1;
    scales[r] = scale;
    for (let d = 0; d < dim; d++) values[r * dim + d] = Math.round(table[r * dim + d] / scale);
  }
  return { scales, values };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of `x`, rounded to nearest even (overflow to infinity, subnormals kept). */
function toHalfBits(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Float16 bits of each value. */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toHalfBits(values[i]);
  return out;
}

/** The value of every float16 bit pattern, built on first use (256 KiB). */
let halfValues: Float32Array | undefined;

/** Float values of float16 bits. */
export function fromFloat16(bits: Uint16Array): Float32Array {
  if (!halfValues) {
    halfValues = new Float32Array(1 << 16);
    for (let h = 0; h < 1 << 16; h++) halfValues[h] = fromHalfBits(h);
  }
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfValues[bits[i]];
  return out;
}

/** The values after a float16 round trip. */
export function roundTripFloat16(values: Float32Array): Float32Array {
  return fromFloat16(toFloat16(values));
}
