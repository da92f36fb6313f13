import type { FeatureSpec } from '../features/token-features.js';

/** Rows of one table touched by a batch and their summed gradients, `grads[k * dim ..]` for `rows[k]`. */
export interface SparseGradient {
  rows: Int32Array;
  grads: Float32Array;
}

/**
 * A table kept in its stored form until all of it is needed: a loaded model's int8 word
 * table (180,869 x 100 values in the bundled model) takes 18 MB so, 72 MB as floats, and
 * restoring it is a fifth of `ner tag`'s start-up, while tagging reads only the rows of the
 * words it meets (first-layer-projections.ts, through copyRows).
 */
export interface DeferredTable {
  /** Values in the table (rows * dim), as a Float32Array's length. */
  readonly length: number;
  /** Writes rows `ids` one after another into `out`, with exactly the values of `materialize()`. */
  copyRows(ids: readonly number[], out: Float32Array): void;
  /** The whole table as floats (a new array). */
  materialize(): Float32Array;
}

/**
 * The input layer of the window network, kept in plain typed arrays: one learned table per
 * feature. Looking rows up and scattering their gradients back happens here on the CPU,
 * because the embedding gradient (a scatter-add) has no kernel on the wasm backend, and
 * because only the few rows a batch touches need updating.
 */
export class EmbeddingTables {
  readonly specs: readonly FeatureSpec[];
  /** Offset of each feature's slice inside one token's concatenated embedding. */
  readonly offsets: number[];
  readonly tokenDim: number;
  private readonly given: (Float32Array | DeferredTable)[];
  private all: Float32Array[] | undefined;

  /** `tables[f]`: feature f's rows, row-major; a DeferredTable is restored on first use of `tables`. */
  constructor(specs: readonly FeatureSpec[], tables: (Float32Array | DeferredTable)[]) {
    this.specs = specs;
    this.given = tables;
    if (tables.every((t) => t instanceof Float32Array)) this.all = tables as Float32Array[];
    this.offsets = [];
    let o = 0;
    for (const s of specs) {
      this.offsets.push(o);
      o += s.dim;
    }
    this.tokenDim = o;
  }

  /** Every table as floats (deferred ones restored now, once); the same array on every call. */
  get tables(): Float32Array[] {
    return (this.all ??= this.given.map((t) => (t instanceof Float32Array ? t : t.materialize())));
  }

  /** Rows in feature f's table. */
  rowCount(f: number): number {
    return (this.all ? this.all[f] : this.given[f]).length / this.specs[f].dim;
  }

  /** Rows `ids` of feature f's table, one after another, into `out` (without restoring a deferred table). */
  copyRows(f: number, ids: readonly number[], out: Float32Array): void {
    const table = this.all ? this.all[f] : this.given[f];
    if (!(table instanceof Float32Array)) {
      table.copyRows(ids, out);
      return;
    }
    const dim = this.specs[f].dim;
    for (let k = 0; k < ids.length; k++) out.set(table.subarray(ids[k] * dim, (ids[k] + 1) * dim), k * dim);
  }

  /**
   * Concatenated embeddings of a batch of windows: `ids` as built by `windowIds`, with
   * `count * slots` token positions; returns `[count, slots * tokenDim]` row-major.
   */
  lookup(ids: Int32Array, positions: number, out: Float32Array = new Float32Array(positions * this.tokenDim)): Float32Array {
    const F = this.specs.length;
    const D = this.tokenDim;
    for (let p = 0; p < positions; p++) {
      for (let f = 0; f < F; f++) {
        const dim = this.specs[f].dim;
        const row = ids[p * F + f] * dim;
        out.set(this.tables[f].subarray(row, row + dim), p * D + this.offsets[f]);
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
    return (this.gradientRows[f] ??= new Int32Array(this.tables[f].length / this.specs[f].dim).fill(-1));
  }
}
