import type { EmbeddingTables } from '../../model/embedding-tables.js';
import type { DenseLayer } from '../../model/network.js';
import type { Optimizer } from '../optimizers.js';
import { SHARDS, type StepBuffers } from './shard.js';

/**
 * The optimizer step of the dense layers: sums the shards' gradients (in shard order, so the
 * sum is the same on any thread), adds the L2 term, and updates W and b in place.
 */
export function updateDense(optimizer: Optimizer, layers: readonly DenseLayer[], buffers: StepBuffers, l2: number): void {
  layers.forEach((layer, l) => {
    const dW = sumShards(buffers.dW, l);
    const db = sumShards(buffers.db, l);
    if (l2 > 0) for (let i = 0; i < dW.length; i++) dW[i] += l2 * layer.W[i];
    optimizer.updateDense(layer.W, dW);
    optimizer.updateDense(layer.b, db);
  });
}

/** Shard 0's buffer of layer `l`, with the other shards' gradients added to it. */
function sumShards(grads: Float32Array[][], l: number): Float32Array {
  const sum = grads[0][l];
  for (let k = 1; k < SHARDS; k++) {
    const g = grads[k][l];
    for (let i = 0; i < sum.length; i++) sum[i] += g[i];
  }
  return sum;
}

/**
 * The optimizer step of the embedding tables: the input gradient of the whole batch summed
 * into the rows it looked up, then only those rows updated. Rows marked in `fixed[f]`
 * (frozen pretrained vectors) are neither summed nor updated.
 */
export function updateRows(optimizer: Optimizer, tables: EmbeddingTables, buffers: StepBuffers, positions: number, fixed: readonly (Uint8Array | null)[]): void {
  tables.scatter(buffers.ids, positions, buffers.dX, fixed).forEach((s, f) => optimizer.updateRows(tables.tables[f], tables.specs[f].dim, s.rows, s.grads));
}
