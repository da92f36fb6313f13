/**
 * A table stored as int8 rows (one scale per row), restored row by row as tagging reaches
 * them instead of all at load (see DeferredTable): the word table of a loaded model.
 */
import type { DeferredTable } from '../model/embedding-tables.js';
import { dequantizeRows, type QuantizedRows } from './quantize.js';

/**
 * The int8 rows `q` of width `dim` as a DeferredTable. Holds views of `q`, which must not
 * change afterwards. Rows come out exactly as dequantizeRows makes them (int8 times the
 * row's float32 scale, rounded once to float32).
 *
 * @example
 * const table = deferredInt8Rows({ values, scales }, 100);
 * table.copyRows([5, 2], out); // rows 5 and 2, 200 floats
 */
export function deferredInt8Rows(q: QuantizedRows, dim: number): DeferredTable {
  const { values, scales } = q;
  return {
    length: values.length,
    copyRows(ids, out) {
      for (let k = 0; k < ids.length; k++) {
        const s = scales[ids[k]];
        const from = ids[k] * dim;
        const to = k * dim;
        for (let d = 0; d < dim; d++) out[to + d] = values[from + d] * s;
      }
    },
    materialize: () => dequantizeRows(q, dim),
  };
}
