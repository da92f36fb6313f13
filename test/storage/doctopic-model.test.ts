/**
 * A model with the doctopic feature: trained on a small invented corpus of several documents,
 * saved with its topics, loaded and used by the CLI; a damaged topic table is refused; models
 * without the feature load as before.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFromWords } from '../../src/core/document/document.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import type { WindowModel } from '../../src/core/model/window-model.js';
import { train } from '../../src/core/train/trainer.js';
import { useBackend } from '../../src/node/backend.js';
import { readConll } from '../../src/node/files/conll-files.js';
import { bundledModelDir } from '../../src/node/storage/bundled-model.js';
import { applyStoredPrecision, loadModel, saveModel } from '../../src/node/storage/model-io.js';
import { runCli } from '../helpers/cli.js';
import { predictWords } from '../helpers/predict-words.js';
import { withChangedVocabularies } from '../helpers/changed-vocabularies.js';

/** Invented CoNLL documents: football results (clubs named after places), company news, weather. */
function corpusText(): string {
  const sports = [
    'SOCCER O\n- O\nLEAGUE O\nRESULTS O\n\nHarbor B-ORG\n2 O\nBergen B-ORG\n1 O\n\nLisbon B-ORG\nbeat O\nOslo B-ORG\nin O\nthe O\nleague O\nmatch O\nafter O\nhalftime O\ngoals O\n. O\n',
    'SOCCER O\n- O\nCUP O\nMATCH O\n\nOslo B-ORG\n3 O\nHarbor B-ORG\n0 O\n\nthe O\ngoals O\ncame O\nafter O\nhalftime O\nin O\nthe O\ncup O\nmatch O\n. O\n',
    'Standings O\nafter O\nthe O\nleague O\nmatch O\n\nBergen B-ORG\ngoals O\npoints O\ndrawn O\nlost O\n\nLisbon B-ORG\n4 O\nOslo B-ORG\n2 O\n',
  ];
  const other = [
    'Maria B-PER\nLopez I-PER\nvisited O\nBergen B-LOC\n. O\n\nthe O\ncompany O\nsaid O\nprofit O\nrose O\nin O\nOslo B-LOC\n. O\n\nshares O\nof O\nNordic B-ORG\nSteel I-ORG\nrose O\n. O\n',
    'Rain O\nin O\nLisbon B-LOC\n\nrain O\nand O\nwind O\nforecast O\nfor O\nthe O\ncoast O\nnear O\nHarbor B-LOC\n. O\n\nJonas B-PER\nsaid O\nstorm O\nwarning O\n. O\n',
    'Bank O\nprofit O\nfalls O\n\nthe O\nbank O\nin O\nOslo B-LOC\nsaid O\nits O\nquarter O\nprofit O\nfell O\n. O\n\ncompany O\nshares O\ntraded O\nlower O\nin O\nBergen B-LOC\n. O\n',
  ];
  return [...sports, ...other, ...sports, ...other].map((d) => `-DOCSTART- O\n\n${d}\n`).join('');
}

const root = mkdtempSync(join(tmpdir(), 'ner-doctopic-'));
const corpus = join(root, 'topics.conll');
const out = join(root, 'model');
const FEATURES = [
  { name: 'word' as const, dim: 8 },
  { name: 'casing' as const, dim: 4 },
  { name: 'doctopic' as const, dim: 4 },
];
let trained: WindowModel;

/** A copy of the model with its vocabularies.json changed by `change` (and its checksum fixed). */
const damaged = (name: string, change: (vocabs: Record<string, any>) => void): string => withChangedVocabularies(out, join(root, name), change);

describe('a model with the doctopic feature', () => {
  beforeAll(async () => {
    writeFileSync(corpus, corpusText());
    await useBackend('wasm');
    const { documents } = await readConll(corpus);
    ({ model: trained } = await train({ train: documents, dev: documents, vectors: null, features: FEATURES, hidden: [16], epochs: 3, batchSize: 16, learningRate: 0.01, members: 1 }));
    // The word table as it is stored (8 bits), so that the model in memory is the saved one but for its files.
    applyStoredPrecision(trained);
    await saveModel(trained, out);
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores its topics; each document gets the same topic from the loaded model as in training', async () => {
    const vocabs = JSON.parse(readFileSync(join(out, 'vocabularies.json'), 'utf8'));
    expect(vocabs['@doctopic'].centroids.length).toBeGreaterThan(1);
    expect(vocabs.doctopic).toEqual(['<PAD>', '<UNK>', ...trained.featureSet.topics!.keys()]);
    const { model } = await loadModel(out);
    expect(model.featureSet.topics!.toSaved()).toEqual(trained.featureSet.topics!.toSaved());
    const { documents } = await readConll(corpus);
    const column = (m: WindowModel) => {
      const f = m.featureSet.specs.findIndex((s) => s.name === 'doctopic');
      const enc = encodeDocuments(m.featureSet, documents);
      return Array.from({ length: enc.length }, (_, t) => m.featureSet.vocabularies[f].keys[enc.ids[t * enc.features + m.featureSet.columnOf(f)]]);
    };
    const keys = column(trained);
    expect(column(model)).toEqual(keys);
    // The football documents share a topic that the others do not have.
    const sportsTopic = keys[0];
    expect(keys.filter((k) => k === sportsTopic).length).toBeLessThan(keys.length);
    expect(sportsTopic).not.toBe('none');
  });

  it('a save/load round trip gives identical tags and scores', async () => {
    const { model } = await loadModel(out);
    const { documents } = await readConll(corpus);
    for (const doc of documents) {
      const words = doc.sentences.map((s) => s.tokens.map((t) => t.text));
      expect(predictWords(model, words)).toEqual(predictWords(trained, words));
    }
    const alone = [['Oslo', '2', 'Bergen', '1', 'in', 'the', 'league', 'match']];
    expect(predictWords(model, alone)).toEqual(predictWords(trained, alone));
    expect(documentFromWords(alone).sentences.length).toBe(1);
  });

  it('tags one line through ner tag (a document of its own), and predict and eval run', async () => {
    const tag = await runCli('tag', '--model', out, '--format', 'json', 'Lisbon beat Oslo in the cup match.');
    expect(tag.code, tag.stderr).toBe(0);
    expect(JSON.parse(tag.stdout.trim().split('\n')[0])).toHaveProperty('entities');
    const evaluated = await runCli('eval', corpus, '--model', out, '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout).f1).toBeGreaterThanOrEqual(0);
  });

  it('a corrupted centroid table is refused at load with an E_MODEL error naming the field', async () => {
    const nan = damaged('bad-centroid', (v) => (v['@doctopic'].centroids[1][5] = null));
    await expect(loadModel(nan)).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/vocabularies\.json: @doctopic\.centroids\[1\]\[5\]: expected a finite number, found null/) });
    const short = damaged('short-centroid', (v) => v['@doctopic'].centroids[0].pop());
    await expect(loadModel(short)).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/@doctopic\.centroids\[0\]: expected \d+ numbers/) });
    const missing = damaged('no-topics', (v) => delete v['@doctopic']);
    await expect(loadModel(missing)).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/has the doctopic feature but vocabularies\.json holds no @doctopic/) });
    const extra = damaged('extra-centroid', (v) => v['@doctopic'].centroids.push(v['@doctopic'].centroids[0]));
    await expect(loadModel(extra)).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/@doctopic\.centroids: \d+ topics, but the doctopic vocabulary has no key t\d+/) });
  });

  it('models without the feature (the bundled default) load unchanged, with no topics', async () => {
    const { model } = await loadModel(bundledModelDir());
    expect(model.featureSet.topics).toBeNull();
    expect(model.config.features.map((f) => f.name)).not.toContain('doctopic');
    expect(predictWords(model, [['Angela', 'Merkel', 'visited', 'Paris', '.']])[0].tags).toEqual(['B-PER', 'I-PER', 'O', 'B-LOC', 'O']);
  });
});
