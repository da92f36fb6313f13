import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { documentFromWords } from '../../src/core/document/document.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import { useBackend } from '../../src/node/backend.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { WindowNetwork } from '../../src/core/model/network.js';
import { uniqueTokens } from '../../src/core/model/unique-tokens.js';
import { WindowModel } from '../../src/core/model/window-model.js';
import { Random } from '../../src/core/util/random.js';

describe('inference from distinct tokens', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('uniqueTokens finds each distinct tuple once, with tuple 0 the padding', () => {
    const ids = Int32Array.from([5, 1, 7, 2, 5, 1, 0, 0, 7, 2]); // 5 tokens of 2 features
    const u = uniqueTokens(ids, 2, 0, 5);
    expect(u.count).toBe(3); // padding, (5,1), (7,2); (0,0) is the padding tuple itself
    expect(Array.from(u.tuples)).toEqual([0, 0, 5, 1, 7, 2]);
    expect(Array.from(u.index)).toEqual([1, 2, 1, 0, 2]);
    expect(Array.from(uniqueTokens(ids, 2, 2, 4).index)).toEqual([1, 0]); // tokens 2 and 3: (5,1) and the padding tuple
  });

  it.each([1, 2])('gives the window-by-window probabilities (window %i, two hidden layers)', (window) => {
    const rng = new Random(11);
    const words = 'the cat saw the dog and the cat ran to Oslo while the dog sat'.split(' ');
    const sentences = [words.slice(0, 7), words.slice(7), ['Oslo'], words];
    const specs = [{ name: 'word' as const, dim: 6 }, { name: 'casing' as const, dim: 3 }, { name: 'doccase' as const, dim: 2 }];
    const fs = FeatureSet.build(specs, sentences, { minCount: 1 });
    const tables = new EmbeddingTables(specs, specs.map((s, f) => Float32Array.from({ length: fs.vocabularies[f].size * s.dim }, () => rng.uniform(-1, 1))));
    const slots = 2 * window + 1;
    const network = WindowNetwork.init(slots * tables.tokenDim, [7, 5], 4, 'elu', rng);
    const model = new WindowModel(
      { window, features: specs, hidden: [7, 5], activation: 'elu', tags: ['O', 'B-X', 'I-X', 'B-Y'], scheme: 'IOB2', decoder: 'greedy' },
      fs,
      tables,
      network,
    );
    const enc = encodeDocuments(fs, [documentFromWords(sentences.slice(0, 2)), documentFromWords(sentences.slice(2))]);
    const fast = model.tagProbabilities(enc);
    const plain = model.referenceTagProbabilities(enc);
    expect(fast.length).toBe(plain.length);
    plain.forEach((p, i) => expect(fast[i]).toBeCloseTo(p, 5));
  });
});
