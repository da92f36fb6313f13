import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDocuments, sentencesOf, type Document } from '../../src/core/document/document.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import { useBackend } from '../../src/node/backend.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { WindowModel } from '../../src/core/model/window-model.js';
import { applyStoredPrecision, loadModel, saveModel } from '../../src/node/storage/model-io.js';
import { buildEnsemble } from '../../src/core/train/ensemble.js';
import { train } from '../../src/core/train/trainer.js';
import { readLabeledDocuments } from '../../src/node/train-files.js';
import { runCli } from '../helpers/cli.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const tiny = {
  // One network (the fixture is small enough for members 'auto' to train three): these tests are of one.
  members: 1,
  vectors: null,
  features: [{ name: 'word' as const, dim: 8 }, { name: 'casing' as const, dim: 4 }],
  hidden: [16],
  batchSize: 16,
  epochs: 4,
  learningRate: 0.01,
};
let documents: Document[];
let members: WindowModel[];

describe('ensembles of window models', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    documents = await readLabeledDocuments(FIXTURE);
    members = [];
    for (const seed of [1, 2, 3]) members.push((await train({ ...tiny, seed, train: documents, dev: documents })).model);
  });

  it('averages the members\' probabilities; saved and loaded, it predicts the same', async () => {
    const ensemble = WindowModel.ensemble(members);
    expect(ensemble.memberCount).toBe(3);
    expect(ensemble.config.members).toBe(3);
    const enc = encodeDocuments(ensemble.featureSet, documents);
    const probs = members.map((m) => m.tagProbabilities(enc));
    const mean = probs[0].map((_, i) => (probs[0][i] + probs[1][i] + probs[2][i]) / 3);
    const got = ensemble.tagProbabilities(enc);
    got.forEach((p, i) => expect(p).toBeCloseTo(mean[i], 5));
    expect(got.some((p, i) => Math.abs(p - probs[0][i]) > 1e-4)).toBe(true);

    const dir = join(mkdtempSync(join(tmpdir(), 'ner-ensemble-')), 'model');
    applyStoredPrecision(ensemble); // the word tables as saved (8 bits), so predictions can match exactly
    await saveModel(ensemble, dir);
    const { model } = await loadModel(dir);
    expect(model.memberCount).toBe(3);
    const [loaded, original] = [copyDocuments(documents), copyDocuments(documents)];
    model.predict(loaded);
    ensemble.predict(original);
    expect(loaded).toEqual(original);
    expect(sentencesOf(loaded)[0].predicted).toHaveLength(sentencesOf(documents)[0].tokens.length);
  });

  it('keeps its own temperature through save and load, not its first member\'s', async () => {
    const ensemble = WindowModel.ensemble([members[0].withTemperature(3), members[1]]);
    expect(ensemble.temperature).toBe(1);
    const calibrated = ensemble.withTemperature(0.7);
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-ensemble-')), 'model');
    await saveModel(calibrated, dir);
    const { model } = await loadModel(dir);
    expect(model.temperature).toBe(0.7);
    // members[0] is the ensemble itself; the later members have no temperature of their own.
    expect(model.members.slice(1).map((m) => m.temperature)).toEqual([1]);
  });

  it('stores a member\'s table as its changed rows when it mostly equals the first member\'s', async () => {
    const [a, b] = members;
    const tables = a.tables.tables.map((t) => t.slice());
    tables[0].fill(0.5, 8, 16); // word row 1 differs (word dim 8); every other row equals a's
    tables[1].set(b.tables.tables[1]); // the casing table differs everywhere: stored whole
    const near = new WindowModel(b.config, b.featureSet, new EmbeddingTables(b.config.features, tables), b.network);
    const ensemble = WindowModel.ensemble([a, near]);
    applyStoredPrecision(ensemble);
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-ensemble-')), 'model');
    await saveModel(ensemble, dir);
    const { model, manifest } = await loadModel(dir);
    const sparse = manifest.weights.tensors.filter((t) => t.base !== undefined);
    expect(sparse.map((t) => [t.name, t.base, t.rows])).toEqual([['member2/table/word', 'table/word', 1]]);
    expect(model.members[1].tables.tables[0]).toEqual(ensemble.members[1].tables.tables[0]);
    expect(model.members[1].tables.tables[1]).toEqual(ensemble.members[1].tables.tables[1]);
  });

  it('an ensemble of ensembles flattens; one member is a plain model', () => {
    expect(WindowModel.ensemble([WindowModel.ensemble(members.slice(0, 2)), members[2]]).memberCount).toBe(3);
    expect(WindowModel.ensemble([members[0]]).config.members).toBeUndefined();
  });

  it('chooses the transition weight on dev and reports each member', async () => {
    const { model, dev, calibration } = await buildEnsemble(members, documents);
    expect(dev!.members).toHaveLength(3);
    // One temperature for the averaged probabilities, fitted on dev; none without dev.
    expect(model.temperature).toBe(calibration!.temperature);
    expect(calibration!.nll).toBeLessThanOrEqual(calibration!.nllAtOne);
    expect((await buildEnsemble(members)).model.config.temperature).toBeUndefined();
    expect(dev!.f1).toBeGreaterThan(0);
    expect(model.memberCount).toBe(3);
    expect(sentencesOf(documents).some((s) => s.predicted)).toBe(false); // scored in copies
    expect((await buildEnsemble(members, [{ sentences: [] }])).dev).toBeUndefined();
  });

  it('refuses members with other vocabularies or shapes', async () => {
    const few = [{ sentences: sentencesOf(documents).slice(0, 5) }];
    const other = (await train({ ...tiny, train: few, dev: few })).model;
    expect(() => WindowModel.ensemble([members[0], other])).toThrow(/member 2 has another word vocabulary than member 1/);
    const wider = (await train({ ...tiny, hidden: [8], train: documents, dev: documents })).model;
    expect(() => WindowModel.ensemble([members[0], wider])).toThrow(/member 2 has other features, window, layers or tags/);
  });

  it('ner ensemble: saves a model the other commands use; usage errors exit 2', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ner-ensemble-cli-'));
    for (const [i, m] of members.slice(0, 2).entries()) await saveModel(m, join(root, `m${i}`));
    const ok = await runCli('ensemble', join(root, 'm0'), join(root, 'm1'), '--out', join(root, 'ens'), '--dev', FIXTURE);
    expect(ok.stderr).toMatch(/ensemble of 2: dev F1/);
    expect(ok.code).toBe(0);
    const tagged = await runCli('eval', FIXTURE, '--model', join(root, 'ens'), '--json');
    expect(tagged.code).toBe(0);
    expect(JSON.parse(tagged.stdout).f1).toBeGreaterThan(0);
    expect((await runCli('ensemble', join(root, 'm0'), '--out', join(root, 'x'))).code).toBe(2);
    expect((await runCli('ensemble', join(root, 'm0'), join(root, 'm1'))).code).toBe(2);
    const missing = await runCli('ensemble', join(root, 'm0'), join(root, 'nope'), '--out', join(root, 'y'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/model directory not found/);
  });
});
