/**
 * Ensemble members' word tables are overlays on one shared base (embedding-tables.ts RowOverlay):
 * reading rows in place must give exactly the tables the stored rows describe, and the
 * ensemble's probabilities must equal those of members holding full copies.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { documentFromWords } from '../../src/core/document/document.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import { EmbeddingTables, materialize, type RowOverlay } from '../../src/core/model/embedding-tables.js';
import { WindowModel } from '../../src/core/model/window-model.js';
import { loadModel } from '../../src/node/storage/model-io.js';
import { dequantizeRows, dequantizeRows4, quantizeRows, quantizeRows4 } from '../../src/core/storage/quantize.js';
import { bundledModelDir } from '../../src/node/storage/bundled-model.js';
import { useBackend } from '../../src/node/backend.js';

describe('row overlays', () => {
  // Pick the backend as the library does, instead of tfjs's default (which prints a banner).
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('read a row from the overlay where it has one, else from the base', () => {
    const base = Float32Array.from([1, 2, 3, 4, 5, 6]); // 3 rows of 2
    const overlay: RowOverlay = { base, slotOf: Int32Array.from([-1, 0, -1]), values: Float32Array.from([9, 8]) };
    const tables = new EmbeddingTables([{ name: 'word', dim: 2 }], [overlay]);
    expect(Array.from(tables.row(0, 1))).toEqual([9, 8]);
    expect(Array.from(tables.row(0, 2))).toEqual([5, 6]);
    expect(tables.rowCount(0)).toBe(3);
    expect(Array.from(tables.lookup(Int32Array.from([1, 0]), 2))).toEqual([9, 8, 1, 2]);
    expect(Array.from(materialize(overlay, 2))).toEqual([1, 2, 9, 8, 5, 6]);
    expect(Array.from(base)).toEqual([1, 2, 3, 4, 5, 6]); // the base is shared, never written
    expect(Array.from(tables.tables[0])).toEqual([1, 2, 9, 8, 5, 6]);
  });

  it('packed 8- and 4-bit rows decode as read to what dequantizing the whole table gives', () => {
    const dim = 5;
    const table = Float32Array.from({ length: 4 * dim }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 3)));
    const q8 = quantizeRows(table, dim);
    const q4 = quantizeRows4(table, dim);
    const tables = new EmbeddingTables(
      [{ name: 'word', dim }, { name: 'casing', dim }],
      [{ bits: 8, scales: q8.scales, values: q8.values }, { bits: 4, scales: q4.scales, values: q4.values }],
    );
    const full8 = dequantizeRows(q8, dim);
    const full4 = dequantizeRows4(q4, dim);
    for (let r = 0; r < 4; r++) {
      expect(Array.from(tables.row(0, r))).toEqual(Array.from(full8.subarray(r * dim, (r + 1) * dim)));
      expect(Array.from(tables.row(1, r))).toEqual(Array.from(full4.subarray(r * dim, (r + 1) * dim)));
    }
    expect(Array.from(tables.tables[0])).toEqual(Array.from(full8));
    expect(Array.from(tables.tables[1])).toEqual(Array.from(full4));
  });

  it('the bundled ensemble shares one word table and predicts as members with full copies do', async () => {
    const { model: ensemble } = await loadModel(bundledModelDir('conll2003-en-ensemble'));
    const members = ensemble.members;
    expect(members.length).toBe(5);
    // Members with full copies of their tables (`tables` materializes each overlay), for comparison.
    const copies = members.map((m) => new WindowModel(m.config, m.featureSet, new EmbeddingTables(m.tables.specs, m.tables.tables.map((t) => t.slice())), m.network));
    const doc = documentFromWords([['Angela', 'Merkel', 'met', 'Reuters', 'in', 'Paris', '.'], ['Siemens', 'AG', 'shares', 'rose', 'in', 'Frankfurt']]);
    const { model: fresh } = await loadModel(bundledModelDir('conll2003-en-ensemble'));
    const enc = encodeDocuments(fresh.featureSet, [doc]);
    const shared = fresh.tagProbabilities(enc);
    const full = WindowModel.ensemble(copies).tagProbabilities(enc);
    expect(Array.from(shared)).toEqual(Array.from(full));
    // Members 2..5 differ from member 1 in some rows: the overlays are not all the same table.
    const wordRows = (m: WindowModel) => m.tables.tables[0];
    const differing = wordRows(members[1]).some((x, i) => x !== wordRows(members[0])[i]);
    expect(differing).toBe(true);
  }, 60_000);
});
