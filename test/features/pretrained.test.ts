import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPretrained } from '../../src/node/vectors.js';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { normalizeWord } from '../../src/core/features/normalize.js';
import { initTables } from '../../src/core/train/init-tables.js';
import { Random } from '../../src/core/util/random.js';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures', name);

describe('pretrained vectors from text files', () => {
  it.each(['tiny-glove.txt', 'tiny-word2vec.txt'])('reads %s (GloVe, or word2vec with its header line)', async (name) => {
    const v = await loadPretrained(fixture(name));
    expect(v.dim).toBe(3);
    expect(v.words).toEqual(['paris', 'berlin', 'the']);
    expect(Array.from(v.vectors.subarray(3, 6))).toEqual([0.4, 0.5, 0.6].map(Math.fround));
    expect((await loadPretrained(fixture(name), { limit: 2 })).words).toEqual(['paris', 'berlin']);
  });

  it('names the file and line of a short row, and a missing file', async () => {
    await expect(loadPretrained(fixture('bad-vectors.txt'))).rejects.toThrow(/bad-vectors\.txt:2: expected a word and 3 numbers, found 3 fields/);
    await expect(loadPretrained(fixture('nope.txt'))).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringMatching(/nope\.txt/) });
  });

  it('initialises word rows from the vectors, others at random; a size mismatch is a clear error', async () => {
    const v = await loadPretrained(fixture('tiny-glove.txt'));
    const fs = FeatureSet.build([{ name: 'word', dim: 3 }], [['Berlin', 'and', 'Rome']], { pretrainedKeys: v.words.map(normalizeWord) });
    const { tables, pretrainedRows } = initTables(fs, v, new Random(1));
    const berlin = fs.vocabularies[0].id('berlin');
    expect(Array.from(tables.tables[0].subarray(berlin * 3, berlin * 3 + 3))).toEqual([0.4, 0.5, 0.6].map(Math.fround));
    expect(pretrainedRows[berlin]).toBe(1);
    expect(pretrainedRows[fs.vocabularies[0].id('rome')]).toBe(0);
    const wrong = FeatureSet.build([{ name: 'word', dim: 5 }], [['Berlin']]);
    expect(() => initTables(wrong, v, new Random(1))).toThrow(/the word feature has size 5 but the vectors have 3 dimensions/);
  });
});
