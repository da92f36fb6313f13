import { featureColumns, type FeatureColumns, type FeatureSpec } from '../features/token-features.js';
import { PAD_ID } from '../features/vocabulary.js';

/** Rows of one table touched by a batch and their summed gradients, `grads[k * dim ..]` for `rows[k]`. */
export interface SparseGradient {
  rows: Int32Array;
  grads: Float32Array;
}

/**
 * A table that is a shared base table with some rows of its own: how ensemble members hold
 * their word tables (they differ from the base in a few thousand of ~280k rows), so that five
 * members cost one table, not five copies of 112 MB.
 */
export interface RowOverlay {
  base: Float32Array | PackedRows;
  /** Per row: its index among `values`' rows, or -1 where the base's row holds. */
  slotOf: Int32Array;
  values: Float32Array;
}

/**
 * A table kept as stored, quantized by rows: 8 bits per value (value = byte * scale) or 4 bits
 * (value = (nibble - 8) * scale), one scale per row, as storage/quantize.ts writes them. A
 * 280k-word table of 100 dimensions is then 28 MB or 14 MB instead of 112 MB; rows are decoded
 * when read.
 */
export type PackedRows = { bits: 8; scales: Float32Array; values: Int8Array } | { bits: 4; scales: Float32Array; values: Uint8Array };

/** A table as a model holds it: an array, an overlay on a shared base, or 4-bit rows. */
export type StoredTable = Float32Array | RowOverlay | PackedRows;

function isOverlay(t: StoredTable): t is RowOverlay {
  return (t as RowOverlay).slotOf !== undefined;
}

/** Rows of a stored table `dim` wide. */
export function storedRows(t: StoredTable, dim: number): number {
  if (t instanceof Float32Array) return t.length / dim;
  if (isOverlay(t)) return storedRows(t.base, dim);
  return t.scales.length;
}

/** Row `id` of packed rows decoded into `out`. */
function decodeRow(t: PackedRows, id: number, dim: number, out: Float32Array): Float32Array {
  const s = t.scales[id];
  if (t.bits === 8) {
    const v = t.values;
    for (let j = 0, i = id * dim; j < dim; j++, i++) out[j] = v[i] * s;
  } else {
    const v = t.values;
    for (let j = 0, i = id * dim; j < dim; j++, i++) out[j] = (((v[i >> 1] >> ((i & 1) << 2)) & 15) - 8) * s;
  }
  return out;
}

/** The full table a stored one stands for (a new array unless it is one already). */
export function materialize(t: StoredTable, dim: number): Float32Array {
  if (t instanceof Float32Array) return t;
  if (!isOverlay(t)) {
    const out = new Float32Array(t.scales.length * dim);
    for (let r = 0; r < t.scales.length; r++) decodeRow(t, r, dim, out.subarray(r * dim, (r + 1) * dim));
    return out;
  }
  const out = t.base instanceof Float32Array ? t.base.slice() : materialize(t.base, dim);
  t.slotOf.forEach((k, r) => {
    if (k >= 0) out.set(t.values.subarray(k * dim, (k + 1) * dim), r * dim);
  });
  return out;
}

/**
 * The input layer of the window network, kept in plain typed arrays: one learned table per
 * feature. Looking rows up and scattering their gradients back happens here on the CPU,
 * because the embedding gradient (a scatter-add) has no kernel on the wasm backend, and
 * because only the few rows a batch touches need updating.
 *
 * A feature with several id columns (`chars`) looks up the mean of the rows of its ids other
 * than PAD_ID (none: zeros), and its gradient goes to those rows in equal shares; its PAD_ID
 * row is never read nor trained.
 *
 * A table may be stored as a RowOverlay (ensemble members loaded for tagging): `lookup` and
 * `row` read it in place; `tables` (training, saving, device upload) makes the full arrays.
 */
export class EmbeddingTables {
  readonly specs: readonly FeatureSpec[];
  private readonly stored: StoredTable[];
  /** Per feature, a row decoded from packed rows (row() returns it: valid until the next call). */
  private readonly decoded: Float32Array[];
  private full: Float32Array[] | undefined;
  /** Offset of each feature's slice inside one token's concatenated embedding. */
  readonly offsets: number[];
  readonly tokenDim: number;
  /** Where each feature's ids sit among a position's id columns (featureColumns). */
  readonly columns: FeatureColumns;

  constructor(specs: readonly FeatureSpec[], tables: StoredTable[]) {
    this.specs = specs;
    this.stored = tables;
    this.decoded = specs.map((spec) => new Float32Array(spec.dim));
    if (tables.every((t) => t instanceof Float32Array)) this.full = tables as Float32Array[];
    this.offsets = [];
    let o = 0;
    for (const s of specs) {
      this.offsets.push(o);
      o += s.dim;
    }
    this.tokenDim = o;
    this.columns = featureColumns(specs);
  }

  /**
   * Every feature's whole table as one array (an overlay is made into a full copy once, here:
   * for training, saving and uploading to a device, not for tagging). The same array object on
   * every call, so that its entries may be replaced (e.g. by shared-memory copies).
   */
  get tables(): Float32Array[] {
    return (this.full ??= this.stored.map((t, f) => materialize(t, this.specs[f].dim)));
  }

  /** Rows of feature f's table. */
  rowCount(f: number): number {
    return storedRows(this.full?.[f] ?? this.stored[f], this.specs[f].dim);
  }

  /** Row `id` of feature f's table: a view into the table, or a decoded row valid until the next call. */
  row(f: number, id: number): Float32Array {
    const dim = this.specs[f].dim;
    let t: StoredTable = this.full?.[f] ?? this.stored[f];
    if (isOverlay(t)) {
      const k = t.slotOf[id];
      if (k >= 0) return t.values.subarray(k * dim, (k + 1) * dim);
      t = t.base;
    }
    if (t instanceof Float32Array) return t.subarray(id * dim, (id + 1) * dim);
    return decodeRow(t, id, dim, this.decoded[f]);
  }

  /**
   * Concatenated embeddings of a batch of windows: `ids` as built by `windowIds`, with
   * `count * slots` token positions; returns `[count, slots * tokenDim]` row-major.
   */
  lookup(ids: Int32Array, positions: number, out: Float32Array = new Float32Array(positions * this.tokenDim)): Float32Array {
    const F = this.specs.length;
    const C = this.columns.total;
    const { offsets: at, widths } = this.columns;
    const D = this.tokenDim;
    const full = this.full;
    for (let p = 0; p < positions; p++) {
      for (let f = 0; f < F; f++) {
        const dim = this.specs[f].dim;
        if (widths[f] > 1) {
          this.meanRow(f, ids, p * C + at[f], widths[f], out, p * D + this.offsets[f]);
          continue;
        }
        const id = ids[p * C + at[f]];
        const to = p * D + this.offsets[f];
        if (!full) {
          out.set(this.row(f, id), to);
          continue;
        }
        // A plain loop, not set(subarray(..)): a view per row was a third of the lookup's time.
        const table = full[f];
        const from = id * dim;
        for (let d = 0; d < dim; d++) out[to + d] = table[from + d];
      }
    }
    return out;
  }

  /**
   * `out[to ..]` = the mean of feature f's rows of `ids[from .. from+width)` other than PAD_ID;
   * zeros for none. What `lookup` gives a feature of several columns (`chars`); the projections
   * (first-layer-projections.ts) project it per distinct token.
   */
  meanRow(f: number, ids: Int32Array, from: number, width: number, out: Float32Array, to: number): void {
    const dim = this.specs[f].dim;
    out.fill(0, to, to + dim);
    let n = 0;
    for (let k = 0; k < width; k++) {
      const id = ids[from + k];
      if (id === PAD_ID) continue;
      const row = this.row(f, id);
      for (let d = 0; d < dim; d++) out[to + d] += row[d];
      n++;
    }
    if (n > 1) for (let d = 0; d < dim; d++) out[to + d] /= n;
  }

  /** Ids other than PAD_ID among `ids[from .. from+width)`. */
  private static realIds(ids: Int32Array, from: number, width: number): number {
    let n = 0;
    for (let k = 0; k < width; k++) if (ids[from + k] !== PAD_ID) n++;
    return n;
  }

  /**
   * Sums the gradient of the concatenated input `dX` (same layout as `lookup`'s output) into
   * per-feature gradients of the rows that were looked up. Rows marked in `fixed[f]` (e.g.
   * frozen pretrained vectors) are left out: nobody updates them.
   */
  scatter(ids: Int32Array, positions: number, dX: Float32Array, fixed?: readonly (Uint8Array | null)[]): SparseGradient[] {
    const D = this.tokenDim;
    return this.specs.map((spec, f) => {
      const dim = spec.dim;
      const { rows, segment } = this.touchedRows(ids, positions, f, fixed?.[f]);
      const grads = new Float32Array(rows.length * dim);
      const off = this.offsets[f];
      const width = this.columns.widths[f];
      if (width > 1) {
        // The mean's gradient: each of a position's n rows gets 1/n of it.
        const C = this.columns.total;
        const first = this.columns.offsets[f];
        for (let p = 0; p < positions; p++) {
          const n = EmbeddingTables.realIds(ids, p * C + first, width);
          if (n === 0) continue;
          const share = 1 / n;
          const src = p * D + off;
          for (let k = 0; k < width; k++) {
            const at = segment[p * width + k];
            if (at < 0) continue;
            const g = at * dim;
            for (let d = 0; d < dim; d++) grads[g + d] += dX[src + d] * share;
          }
        }
        return { rows, grads };
      }
      for (let p = 0; p < positions; p++) {
        const at = segment[p];
        if (at < 0) continue;
        const k = at * dim;
        const src = p * D + off;
        for (let d = 0; d < dim; d++) grads[k + d] += dX[src + d];
      }
      return { rows, grads };
    });
  }

  /**
   * The distinct rows of feature f that a batch's `ids` (as windowIds builds them) look up, in
   * first-seen order, and for each position (and each of the feature's id columns, `segment[p
   * * width + k]`) its index among them: -1 for a row marked in `skip` (e.g. a frozen pretrained
   * vector), which nobody updates, and for PAD_ID in a feature of several columns (`chars`).
   */
  touchedRows(ids: Int32Array, positions: number, f: number, skip?: Uint8Array | null): { rows: Int32Array; segment: Int32Array } {
    const C = this.columns.total;
    const first = this.columns.offsets[f];
    const width = this.columns.widths[f];
    // gradientRow[id]: row id's index among the distinct rows, -1 when not seen yet (reset below).
    const gradientRow = this.gradientRowsOf(f);
    const order: number[] = [];
    const segment = new Int32Array(positions * width);
    for (let p = 0; p < positions; p++) {
      for (let k = 0; k < width; k++) {
        const id = ids[p * C + first + k];
        const i = p * width + k;
        if (gradientRow[id] < 0) {
          if (skip?.[id] || (width > 1 && id === PAD_ID)) {
            segment[i] = -1;
            continue;
          }
          gradientRow[id] = order.length;
          order.push(id);
        }
        segment[i] = gradientRow[id];
      }
    }
    for (const id of order) gradientRow[id] = -1;
    return { rows: Int32Array.from(order), segment };
  }

  /** Per feature, each table row's index in the gradient being built, or -1 (kept between calls, reset after each). */
  private readonly gradientRows: Int32Array[] = [];

  private gradientRowsOf(f: number): Int32Array {
    return (this.gradientRows[f] ??= new Int32Array(this.rowCount(f)).fill(-1));
  }
}
