import { describe, expect, it } from 'vitest';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { deferredInt8Rows } from '../../src/core/storage/deferred-rows.js';
import { dequantizeRows, quantizeRows } from '../../src/core/storage/quantize.js';
import { Tagger } from '../../src/core/tagger/tagger.js';
import '../../src/node/runtime.js';

const DIM = 5;
const table = Float32Array.from({ length: 7 * DIM }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 3)));
const q = quantizeRows(table, DIM);

describe('deferredInt8Rows', () => {
  it('gives each row exactly as dequantizeRows restores it, in the order asked', () => {
    const restored = dequantizeRows(q, DIM);
    const out = new Float32Array(3 * DIM);
    deferredInt8Rows(q, DIM).copyRows([6, 0, 3], out);
    expect(Array.from(out)).toEqual([...restored.subarray(30, 35), ...restored.subarray(0, 5), ...restored.subarray(15, 20)]);
    expect(Array.from(deferredInt8Rows(q, DIM).materialize())).toEqual(Array.from(restored));
    expect(deferredInt8Rows(q, DIM).length).toBe(table.length);
  });

  it('stays int8 in EmbeddingTables until `tables` is read, which restores it once', () => {
    let restores = 0;
    const deferred = deferredInt8Rows(q, DIM);
    const counted = { ...deferred, materialize: () => (restores++, deferred.materialize()) };
    const tables = new EmbeddingTables([{ name: 'word', dim: DIM }], [counted]);
    expect(tables.rowCount(0)).toBe(7);
    const out = new Float32Array(DIM);
    tables.copyRows(0, [2], out);
    expect(restores).toBe(0);
    expect(tables.tables[0]).toBe(tables.tables[0]);
    expect(restores).toBe(1);
    tables.copyRows(0, [2], out);
    expect(Array.from(out)).toEqual(Array.from(tables.tables[0].subarray(2 * DIM, 3 * DIM)));
  });
});

describe('the bundled model', () => {
  it('tags without restoring its int8 word table, and tags the same once it is restored', async () => {
    const tagger = await Tagger.load();
    const tables = tagger.model.tables as unknown as { all: Float32Array[] | undefined };
    const text = 'Angela Merkel met Emmanuel Macron in Paris on Monday.';
    const before = await tagger.tag(text);
    expect(tables.all).toBeUndefined();
    const fresh = await Tagger.load();
    expect(fresh.model.tables.tables[0].length).toBe(fresh.model.tables.rowCount(0) * 100);
    expect(await fresh.tag(text)).toEqual(before);
    expect(before.entities.map((e) => e.type)).toEqual(['PER', 'PER', 'LOC']);
  });
});
