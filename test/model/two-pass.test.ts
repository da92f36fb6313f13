import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDocuments, documentFromWords, sentencesOf, type Document } from '../../src/core/document/document.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import { secondPassTokens, withFirstStage } from '../../src/core/model/second-pass.js';
import type { WindowModel } from '../../src/core/model/window-model.js';
import { buildEnsemble } from '../../src/core/train/ensemble.js';
import { train } from '../../src/core/train/trainer.js';
import { scoreDocuments } from '../../src/core/eval/score.js';
import { firstStagePerDocument } from '../../src/core/train/first-stage.js';
import { useBackend } from '../../src/node/backend.js';
import { loadModel, saveModel } from '../../src/node/storage/model-io.js';
import { readLabeledDocuments } from '../../src/node/train-files.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const BUNDLED = join(import.meta.dirname, '../../models/conll2003-en');

const tiny = {
  vectors: null,
  features: [
    { name: 'word' as const, dim: 16 },
    { name: 'casing' as const, dim: 4 },
    { name: 'docpred' as const, dim: 4 },
  ],
  hidden: [32],
  batchSize: 16,
  epochs: 8,
  patience: 8,
  dropout: 0.1,
  optimizer: 'adam' as const,
  learningRate: 0.01,
  seed: 5,
  threads: 1,
};

let documents: Document[];
let model: WindowModel;

/** First-stage tags that disagree with themselves: gold, with the types of every other sentence rotated. */
const ROTATE: Record<string, string> = { PER: 'ORG', ORG: 'LOC', LOC: 'PER', MISC: 'ORG' };
function firstStageOf(docs: readonly Document[]): string[][][] {
  let k = 0;
  return docs.map((d) => d.sentences.map((s) => s.gold!.map((t) => (k % 2 === 1 && t !== 'O' ? `${t.slice(0, 2)}${ROTATE[t.slice(2)]}` : t)).concat((k++, []))));
}

/** The tags of documents' sentences as the model predicts them (into copies). */
function predictedTags(m: WindowModel, docs: readonly Document[]): (string[] | undefined)[] {
  const copies = copyDocuments(docs);
  m.predict(copies);
  return sentencesOf(copies).map((s) => s.predicted);
}

describe('a two-stage model (feature docpred)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    documents = await readLabeledDocuments(FIXTURE);
    // Made-up first-stage tags stand in for out-of-fold ones: training needs no extra folds here.
    model = (await train({ ...tiny, train: documents, dev: documents, firstStage: { tags: firstStageOf(documents).flat() } })).model;
  }, 60_000);

  it('re-runs exactly the windows that hold a key, and gets what a full second pass gets', () => {
    const enc = encodeDocuments(model.featureSet, documents);
    const probs = model.tagProbabilities(enc);
    // First-stage tags that disagree across sentences, so that many words have a key.
    const tags = firstStageOf(documents);
    const second = encodeDocuments(model.featureSet, documents, { firstStage: tags });
    const tokens = secondPassTokens(model.featureSet, second, model.config.window);
    const f = model.featureSet.specs.findIndex((s) => s.name === 'docpred');
    const none = model.featureSet.vocabularies[f].id('none');
    const keyed = (t: number) => second.ids[t * second.features + f] !== none;
    const expected: number[] = [];
    for (let t = 0; t < second.length; t++) {
      let near = false;
      for (let p = Math.max(second.sentenceStart[t], t - 2); p < Math.min(second.sentenceEnd[t], t + 3); p++) near ||= keyed(p);
      if (near) expected.push(t);
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(second.length);
    expect(Array.from(tokens)).toEqual(expected);
    // Filling the first pass's encoding with the keys gives the same ids as encoding afresh.
    expect(Array.from(withFirstStage(model.featureSet, enc, documents, tags).ids)).toEqual(Array.from(second.ids));
    // Unknown words share <UNK>; they are still told apart by their own (normalised) text.
    const unknown = [documentFromWords([['Zyx', 'Qwv', 'met'], ['Zyx', 'Qwv', 'left'], ['ZYX', 'slept']])];
    const unknownTags = [[['B-PER', 'B-ORG', 'O'], ['B-LOC', 'B-ORG', 'O'], ['B-LOC', 'O']]];
    const fresh = encodeDocuments(model.featureSet, unknown, { firstStage: unknownTags });
    expect(Array.from(withFirstStage(model.featureSet, encodeDocuments(model.featureSet, unknown), unknown, unknownTags).ids)).toEqual(Array.from(fresh.ids));
    expect(model.featureSet.vocabularies[f].keys[fresh.ids[f]]).toBe('LOC'); // the first Zyx: LOC twice elsewhere
    // The windows' probabilities on their own equal those rows of a full pass.
    const full = model.tagProbabilities(second);
    const T = model.config.tags.length;
    const rows = model.tagProbabilitiesAt(second, tokens);
    tokens.forEach((t, k) => {
      for (let j = 0; j < T; j++) expect(rows[k * T + j]).toBeCloseTo(full[t * T + j], 5);
    });
    // Windows without a key are the first pass's.
    const untouched = [...Array(second.length).keys()].filter((t) => !expected.includes(t));
    for (const t of untouched) for (let j = 0; j < T; j++) expect(full[t * T + j]).toBeCloseTo(probs[t * T + j], 5);
  });

  it('the fast path (cached first-layer projections) tags as the plain one', () => {
    const sentences = [['Maria', 'Lopez', 'visited', 'Oslo'], ['Lopez', 'works', 'for', 'Nordic', 'Steel', 'in', 'Oslo']];
    const plain = predictedTags(model, [documentFromWords(sentences)]);
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-twostage-')), 'model');
    return (async () => {
      await saveModel(model, dir);
      const { model: loaded } = await loadModel(dir);
      expect(loaded.config.features.map((s) => s.name)).toContain('docpred');
      expect(loaded.featureSet.usesFirstStage).toBe(true);
      expect(predictedTags(loaded, documents)).toEqual(predictedTags(model, documents));
      const fast = loaded.useFirstLayerProjections();
      expect(predictedTags(fast, [documentFromWords(sentences)])).toEqual(plain);
      expect(predictedTags(fast, documents)).toEqual(predictedTags(model, documents));
      // predict reuses the first pass's paths of sentences the second left alone: the same as decoding all.
      const all = copyDocuments(documents);
      fast.decodeInto(all, fast.documentProbabilities(all));
      const reused = copyDocuments(documents);
      fast.predict(reused);
      expect(sentencesOf(reused).map((x) => [x.predicted, x.scores])).toEqual(sentencesOf(all).map((x) => [x.predicted, x.scores]));
      // The second pass's windows through the projections equal those rows of a full pass.
      const second = encodeDocuments(fast.featureSet, documents, { firstStage: firstStageOf(documents) });
      const tokens = secondPassTokens(fast.featureSet, second, fast.config.window);
      const T = fast.config.tags.length;
      const full = fast.tagProbabilities(second);
      const rows = fast.tagProbabilitiesAt(second, tokens);
      expect(tokens.length).toBeGreaterThan(0);
      tokens.forEach((t, k) => {
        for (let j = 0; j < T; j++) expect(rows[k * T + j]).toBeCloseTo(full[t * T + j], 4);
      });
    })();
  });

  it('without given tags, trains its first stage out of fold, and leaves a noneRate share of documents without keys', async () => {
    const { model: m } = await train({ ...tiny, epochs: 2, train: documents, dev: documents, firstStage: { folds: 2 } });
    expect(m.featureSet.usesFirstStage).toBe(true);
    const docs = Array.from({ length: 1000 }, () => documents[0]);
    const tags = sentencesOf(docs).map((s) => s.gold!);
    let x = 0;
    const draw = () => ((x = (x * 69069 + 1) >>> 0) / 2 ** 32);
    const kept = firstStagePerDocument(docs, tags, 0.3, draw).filter((d) => d !== undefined).length;
    expect(kept).toBeGreaterThan(650);
    expect(kept).toBeLessThan(750);
  }, 60_000);

  it('refuses first-stage tags that do not fit the training sentences', async () => {
    const tags = sentencesOf(documents).map((s) => s.gold!);
    await expect(train({ ...tiny, train: documents, dev: documents, firstStage: { tags: tags.slice(1) } })).rejects.toThrow(/firstStage\.tags has \d+ tag lists for \d+ training sentences/);
    await expect(train({ ...tiny, train: documents, dev: documents, firstStage: { noneRate: 1 } })).rejects.toThrow(/firstStage\.noneRate must be a number in \[0, 1\)/);
  });

  it('averages two-stage members in both passes, and scores on dev what the saved ensemble tags', async () => {
    const other = (await train({ ...tiny, seed: 6, train: documents, dev: documents, firstStage: { tags: firstStageOf(documents).flat() } })).model;
    const scoreOf = (m: WindowModel) => {
      const copies = copyDocuments(documents);
      m.predict(copies);
      return scoreDocuments(copies).f1;
    };
    const { model: ensemble, dev } = await buildEnsemble([model, other], documents);
    expect(ensemble.memberCount).toBe(2);
    expect(ensemble.featureSet.usesFirstStage).toBe(true);
    // Each member is scored as it tags alone (both passes), the ensemble as it will tag.
    expect(dev!.members[1]).toBeCloseTo(scoreOf(other), 6);
    expect(dev!.f1).toBeCloseTo(scoreOf(ensemble), 6);
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-twostage-ens-')), 'model');
    await saveModel(ensemble, dir);
    const { model: loaded } = await loadModel(dir);
    expect(loaded.memberCount).toBe(2);
    expect(predictedTags(loaded, documents)).toEqual(predictedTags(ensemble, documents));
  }, 60_000);

  it('an old model (no docpred) loads unchanged and tags in one pass', async () => {
    const { model: old } = await loadModel(BUNDLED);
    expect(old.featureSet.usesFirstStage).toBe(false);
    const docs = [documentFromWords([['Leeds', 'United', 'beat', 'Chelsea', 'in', 'London'], ['Leeds', 'scored', 'twice']])];
    expect(Array.from(old.documentProbabilities(docs))).toEqual(Array.from(old.tagProbabilities(encodeDocuments(old.featureSet, docs))));
  });
});
