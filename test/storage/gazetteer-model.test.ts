/**
 * A model with the gazetteer feature: trained from a list file and the training entities, saved
 * with its gazetteer, loaded and used by the CLI; models without one load as before.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledModelDir } from '../../src/node/storage/bundled-model.js';
import { ENSEMBLE_MODEL_NAME } from '../../src/node/recipe.js';
import { loadModel } from '../../src/node/storage/model-io.js';
import { trainFiles } from '../../src/node/train-files.js';
import { runCli } from '../helpers/cli.js';
import { predictWords } from '../helpers/predict-words.js';
import { withChangedVocabularies } from '../helpers/changed-vocabularies.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const root = mkdtempSync(join(tmpdir(), 'ner-gazetteer-'));
const listFile = join(root, 'names.tsv');
const out = join(root, 'model');
const tiny = {
  vectors: null,
  features: [{ name: 'word' as const, dim: 8 }, { name: 'casing' as const, dim: 4 }, { name: 'gazetteer' as const, dim: 4 }],
  hidden: [16],
  batchSize: 16,
  epochs: 2,
  learningRate: 0.01,
  backend: 'wasm' as const,
};

describe('a model with a gazetteer', () => {
  beforeAll(async () => {
    writeFileSync(listFile, '# test names\nLOC\tBergen\nLOC\tNew Harbor\nPER\tMaria Lopez\n');
    await trainFiles({ ...tiny, trainFile: FIXTURE, devFile: FIXTURE, out, gazetteer: { files: [listFile], fromTraining: { minCount: 1, minPurity: 1 }, folds: 2 } });
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores its gazetteer and loads it: the names of the file and of the training data match, predictions are the same', async () => {
    const { model } = await loadModel(out);
    const g = model.featureSet.gazetteer!;
    expect(g.match(['Bergen', 'and', 'New', 'Harbor'])).toEqual(['B-LOC', 'none', 'B-LOC', 'I-LOC']);
    // From the training data (tiny-train.conll tags Nordic Steel as ORG).
    expect(g.typeOf('Nordic Steel')).toBe('ORG');
    const again = (await loadModel(out)).model;
    const words = [['Maria', 'Lopez', 'visited', 'Bergen', '.']];
    expect(predictWords(again, words)).toEqual(predictWords(model, words));
  });

  it('tags through ner tag, predict and eval', async () => {
    const tag = await runCli('tag', '--model', out, '--format', 'json', 'Maria Lopez visited Bergen.');
    expect(tag.code).toBe(0);
    expect(JSON.parse(tag.stdout.trim().split('\n')[0])).toHaveProperty('entities');
    const predict = await runCli('predict', FIXTURE, '--model', out);
    expect(predict.code).toBe(0);
    expect(predict.stdout.split('\n').filter((l) => l.trim() !== '').length).toBeGreaterThan(10);
    const evaluated = await runCli('eval', FIXTURE, '--model', out, '--json');
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout).f1).toBeGreaterThanOrEqual(0);
  });

  it('a vocabularies.json without the gazetteer is a clear E_MODEL error', async () => {
    const broken = withChangedVocabularies(out, join(root, 'broken'), (vocabs) => delete vocabs['@gazetteer']);
    await expect(loadModel(broken)).rejects.toThrow(/has the gazetteer feature but vocabularies\.json holds no @gazetteer/);
  });

  it('a bad gazetteer file stops training with its file and line', async () => {
    const bad = join(root, 'bad.tsv');
    writeFileSync(bad, 'LOC\tOslo\nLOC Bergen\n');
    await expect(trainFiles({ ...tiny, trainFile: FIXTURE, devFile: FIXTURE, out: join(root, 'never'), gazetteer: { files: [bad] } })).rejects.toThrow(/bad\.tsv:2: expected TYPE<tab>entry/);
  });

  it('a gazetteer without the feature, or the feature without a gazetteer, is refused', async () => {
    const plain = { ...tiny, features: tiny.features.slice(0, 2) };
    await expect(trainFiles({ ...plain, trainFile: FIXTURE, devFile: FIXTURE, out: join(root, 'never2'), gazetteer: { files: [listFile] } })).rejects.toThrow(/no gazetteer feature/);
    await expect(trainFiles({ ...tiny, trainFile: FIXTURE, devFile: FIXTURE, out: join(root, 'never3') })).rejects.toThrow(/the gazetteer feature needs a gazetteer/);
  });

  it('ner train --gazetteer FILE --gazetteer-from-training trains a model whose gazetteer holds both; an empty or missing list is refused', async () => {
    const cliOut = join(root, 'cli-model');
    const args = ['--train', FIXTURE, '--dev', FIXTURE, '--vectors', 'none', '--features', 'word:8,casing:4,gazetteer:4', '--hidden', '16', '--epochs', '1', '--backend', 'wasm'];
    const trained = await runCli('train', ...args, '--out', cliOut, '--gazetteer', listFile, '--gazetteer-from-training');
    expect(trained.code, trained.stderr).toBe(0);
    const g = (await loadModel(cliOut)).model.featureSet.gazetteer!;
    expect(g.match(['New', 'Harbor'])).toEqual(['B-LOC', 'I-LOC']);
    // --gazetteer-from-training keeps entities seen twice: tiny-train.conll has Nordic Steel as ORG more than once.
    expect(g.typeOf('Nordic Steel')).toBe('ORG');
    const empty = await runCli('train', ...args, '--out', join(root, 'never4'), '--gazetteer', ',');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--gazetteer needs at least one file/);
    const missing = await runCli('train', ...args, '--out', join(root, 'never5'), '--gazetteer', join(root, 'nope.tsv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.tsv/);
  }, 120_000);

  it('a model without a gazetteer (the bundled ensemble) loads unchanged; the bundled default has one', async () => {
    const { model } = await loadModel(bundledModelDir(ENSEMBLE_MODEL_NAME));
    expect(model.featureSet.gazetteer).toBeNull();
    expect((await loadModel(bundledModelDir())).model.featureSet.gazetteer).not.toBeNull();
    expect(predictWords(model, [['Angela', 'Merkel', 'visited', 'Paris', '.']])[0].tags).toEqual(['B-PER', 'I-PER', 'O', 'B-LOC', 'O']);
  });
});
