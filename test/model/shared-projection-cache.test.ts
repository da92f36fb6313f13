import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureSet, type FeatureSpec } from '../../src/core/features/token-features.js';
import { documentFromWords } from '../../src/core/document/document.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import { useBackend } from '../../src/node/backend.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { FirstLayerProjections } from '../../src/core/model/first-layer-projections.js';
import { MAX_MEMORY_PAGES } from '../../src/core/model/kernels/wasm-assembly.js';
import { WindowNetwork } from '../../src/core/model/network.js';
import { WindowModel } from '../../src/core/model/window-model.js';
import { Random } from '../../src/core/util/random.js';

const WORDS = 'the cat saw the dog and the cat ran to Oslo while the dog sat in Paris with Anna near Bergen'.split(' ');
const SENTENCES = [WORDS.slice(0, 7), WORDS.slice(7), ['Oslo'], WORDS, WORDS.slice(3, 12), WORDS.slice(10)];
const SPECS: FeatureSpec[] = [{ name: 'word', dim: 6 }, { name: 'casing', dim: 3 }, { name: 'suffix2', dim: 2 }];
const HIDDEN = 8;

function randomModel(seed = 5, hidden = HIDDEN): WindowModel {
  const rng = new Random(seed);
  const fs = FeatureSet.build(SPECS, SENTENCES, { minCount: 1 });
  const tables = new EmbeddingTables(SPECS, SPECS.map((s, f) => Float32Array.from({ length: fs.vocabularies[f].size * s.dim }, () => rng.uniform(-1, 1))));
  const network = WindowNetwork.init(5 * tables.tokenDim, [hidden], 4, 'relu', rng);
  return new WindowModel({ window: 2, features: SPECS, hidden: [hidden], activation: 'relu', tags: ['O', 'B-X', 'I-X', 'B-Y'], scheme: 'IOB2', decoder: 'greedy' }, fs, tables, network);
}

/** The same parameters, a fresh WindowModel (its own projections), as another thread would build it. */
const copyOf = (m: WindowModel): WindowModel => new WindowModel(m.config, m.featureSet, m.tables, m.network);
const copyOfEnsemble = (m: WindowModel): WindowModel => WindowModel.ensemble(m.members.map(copyOf));
const sharedMemory = (): WebAssembly.Memory => new WebAssembly.Memory({ initial: 1, maximum: MAX_MEMORY_PAGES, shared: true });
const encode = (model: WindowModel, sentences = SENTENCES) => encodeDocuments(model.featureSet, sentences.map((s) => documentFromWords([s])));
const rowBytes = 5 * HIDDEN * 4;

describe('one projection cache in a shared memory', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('users of one shared memory give exactly the probabilities of a private cache, and the second reuses the rows the first cached', () => {
    const model = randomModel();
    const enc = encode(model);
    const privateP = copyOf(model).useFirstLayerProjections().tagProbabilities(enc);
    const memory = sharedMemory();
    const first = copyOf(model).useFirstLayerProjections({ memories: [memory] });
    const second = copyOf(model).useFirstLayerProjections({ memories: [memory] });
    expect(first.tagProbabilities(enc)).toEqual(privateP);
    const cached = first.firstLayerProjections()!.cache.rows;
    expect(cached).toBeGreaterThan(0);
    expect(second.tagProbabilities(enc)).toEqual(privateP);
    const other = second.firstLayerProjections()!;
    expect(other.shared).toBe(true);
    // Everything was cached by the first user: the second projected nothing and added no rows.
    expect(other.cache.projected).toBe(0);
    expect(other.cache.rows).toBe(cached);
  });

  it('a budget too small for every row: users share it (rows count once) and still give the private probabilities', () => {
    const model = randomModel();
    const enc = encode(model);
    const privateP = copyOf(model).useFirstLayerProjections({ budgetBytes: 6 * rowBytes }).tagProbabilities(enc);
    const memory = sharedMemory();
    const users = [0, 1].map(() => copyOf(model).useFirstLayerProjections({ budgetBytes: 6 * rowBytes, memories: [memory] }));
    // Interleaved halves, as two workers take batches in turn.
    const halves = [SENTENCES.slice(0, 3), SENTENCES.slice(3)];
    const together = [users[0].tagProbabilities(encode(model, halves[0])), users[1].tagProbabilities(encode(model, halves[1]))];
    expect(users[1].tagProbabilities(enc)).toEqual(privateP);
    expect(users[0].tagProbabilities(enc)).toEqual(privateP);
    expect(Float32Array.from([...together[0], ...together[1]])).toEqual(privateP);
    expect(users[0].firstLayerProjections()!.cache.rows).toBe(6);
    expect(users[1].firstLayerProjections()!.cache.rows).toBe(6);
  });

  it('rounds that stop early (overflow rows full) give the same probabilities as whole rounds', () => {
    const model = randomModel();
    const enc = encode(model);
    const whole = copyOf(model).useFirstLayerProjections({ budgetBytes: 0 }).tagProbabilities(enc);
    // Budget 0: every row overflows; room for 4 rows a round stops after about a token.
    const small = copyOf(model).useFirstLayerProjections({ budgetBytes: 0, overflowBytes: 4 * rowBytes });
    expect(small.tagProbabilities(enc)).toEqual(whole);
    const projections = FirstLayerProjections.create(model.tables, model.network, 5, { budgetBytes: 0, overflowBytes: 4 * rowBytes })!;
    const end = projections.prepare(enc.ids, 0, enc.length, 3);
    expect(end).toBeGreaterThanOrEqual(3);
    expect(end).toBeLessThan(enc.length);
    expect(projections.prepare(enc.ids, 0, enc.length)).toBe(enc.length); // minEnd defaults to the whole range
  });

  it('a shared memory laid out for another model is refused, naming why', () => {
    const memory = sharedMemory();
    copyOf(randomModel()).useFirstLayerProjections({ memories: [memory] }).firstLayerProjections();
    const wider = randomModel(5, 12);
    expect(() => copyOf(wider).useFirstLayerProjections({ memories: [memory] }).firstLayerProjections()).toThrow(/laid out for another model/);
  });

  it('memories must be one per member', () => {
    const model = randomModel();
    expect(() => model.useFirstLayerProjections({ memories: [sharedMemory(), sharedMemory()] })).toThrow(/one per member \(1\), got 2/);
  });
  it("an ensemble's members share modelBudgetBytes equally; budgetBytes is each member's", () => {
    const ensemble = WindowModel.ensemble([randomModel(5), randomModel(6), randomModel(7)]);
    const capacities = (m: WindowModel) => m.members.map((member) => member.firstLayerProjections()!.cache.capacity);
    // 30 rows for the model: 10 rows each (a budget of 31 rows would give 10 too, floored per member).
    expect(capacities(copyOfEnsemble(ensemble).useFirstLayerProjections({ modelBudgetBytes: 30 * rowBytes }))).toEqual([10, 10, 10]);
    expect(capacities(copyOfEnsemble(ensemble).useFirstLayerProjections({ modelBudgetBytes: 31 * rowBytes }))).toEqual([10, 10, 10]);
    expect(capacities(copyOfEnsemble(ensemble).useFirstLayerProjections({ budgetBytes: 30 * rowBytes, modelBudgetBytes: 3 * rowBytes }))).toEqual([30, 30, 30]);
  });
});
