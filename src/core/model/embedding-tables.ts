import type { FeatureSpec } from '../features/token-features.js';

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
  base: Float32Array;
  /** Per row: its index among `values`' rows, or -1 where the base's row holds. */
  slotOf: Int32Array;
  values: Float32Array;
}

/** The full table an overlay stands for (a copy of the base with its rows replaced). */
export function materialize(t: Float32Array | RowOverlay, dim: number): Float32Array {
  if (t instanceof Float32Array) return t;
  const out = t.base.slice();
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
 * A table may be stored as a RowOverlay (ensemble members loaded for tagging): `lookup` and
 * `row` read it in place; `tables` (training, saving, device upload) makes the full arrays.
 */
export class EmbeddingTables {
  readonly specs: readonly FeatureSpec[];
  private readonly stored: (Float32Array | RowOverlay)[];
  private full: Float32Array[] | undefined;
  /** Offset of each feature's slice inside one token's concatenated embedding. */
  readonly offsets: number[];
  readonly tokenDim: number;

  constructor(specs: readonly FeatureSpec[], tables: (Float32Array | RowOverlay)[]) {
    this.specs = specs;
    this.stored = tables;
    if (tables.every((t) => t instanceof Float32Array)) this.full = tables as Float32Array[];
    this.offsets = [];
    let o = 0;
    for (const s of specs) {
      this.offsets.push(o);
      o += s.dim;
    }
    this.tokenDim = o;
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
    const t = this.full?.[f] ?? this.stored[f];
    return (t instanceof Float32Array ? t.length : t.base.length) / this.specs[f].dim;
  }

  /** Row `id` of feature f's table (a view, not a copy). */
  row(f: number, id: number): Float32Array {
    const dim = this.specs[f].dim;
    const t = this.full?.[f] ?? this.stored[f];
    if (t instanceof Float32Array) return t.subarray(id * dim, (id + 1) * dim);
    const k = t.slotOf[id];
    return k >= 0 ? t.values.subarray(k * dim, (k + 1) * dim) : t.base.subarray(id * dim, (id + 1) * dim);
  }

  /**
   * Concatenated embeddings of a batch of windows: `ids` as built by `windowIds`, with
   * `count * slots` token positions; returns `[count, slots * tokenDim]` row-major.
   */
  lookup(ids: Int32Array, positions: number, out: Float32Array = new Float32Array(positions * this.tokenDim)): Float32Array {
    const F = this.specs.length;
    const D = this.tokenDim;
    const full = this.full;
    for (let p = 0; p < positions; p++) {
      for (let f = 0; f < F; f++) {
        const dim = this.specs[f].dim;
        const id = ids[p * F + f];
        out.set(full ? full[f].subarray(id * dim, (id + 1) * dim) : this.row(f, id), p * D + this.offsets[f]);
      }
    }
    return out;
  }

  /**
   * Sums the gradient of the concatenated input `dX` (same layout as `lookup`'s output) into
   * per-feature gradients of the rows that were looked up. Rows marked in `fixed[f]` (e.g.
   * frozen pretrained vectors) are left out: nobody updates them.
   */
  scatter(ids: Int32Array, positions: number, dX: Float32Array, fixed?: readonly (Uint8Array | null)[]): SparseGradient[] {
    const F = this.specs.length;
    const D = this.tokenDim;
    return this.specs.map((spec, f) => {
      const dim = spec.dim;
      // gradientRow[id]: where row id's gradient goes, -1 when the batch has not touched it (reset below).
      const gradientRow = this.gradientRowsOf(f);
      const skip = fixed?.[f];
      const order: number[] = [];
      for (let p = 0; p < positions; p++) {
        const id = ids[p * F + f];
        if (gradientRow[id] < 0 && !skip?.[id]) {
          gradientRow[id] = order.length;
          order.push(id);
        }
      }
      const grads = new Float32Array(order.length * dim);
      const off = this.offsets[f];
      for (let p = 0; p < positions; p++) {
        const at = gradientRow[ids[p * F + f]];
        if (at < 0) continue;
        const k = at * dim;
        const src = p * D + off;
        for (let d = 0; d < dim; d++) grads[k + d] += dX[src + d];
      }
      for (const id of order) gradientRow[id] = -1;
      return { rows: Int32Array.from(order), grads };
    });
  }

  /** Per feature, each table row's index in the gradient being built, or -1 (kept between calls, reset after each). */
  private readonly gradientRows: Int32Array[] = [];

  private gradientRowsOf(f: number): Int32Array {
    return (this.gradientRows[f] ??= new Int32Array(this.rowCount(f)).fill(-1));
  }
}
