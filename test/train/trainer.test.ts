import { CONSISTENCY_WEIGHTS, MIN_CONSISTENCY_GAIN } from '../../src/core/decode/document-consistency.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDocuments, sentencesOf, type Document } from '../../src/core/document/document.js';
import { evaluateModel, scoreDocuments } from '../../src/core/eval/score.js';
import type { WindowModel } from '../../src/core/model/window-model.js';
import { useBackend } from '../../src/node/backend.js';
import { loadModel, saveModel } from '../../src/node/storage/model-io.js';
import { train } from '../../src/core/train/trainer.js';
import { readLabeledDocuments } from '../../src/node/train-files.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
let documents: Document[];

/** The tags a model predicts for the fixture's sentences (into copies, so the documents stay unpredicted). */
const predictedTags = (model: WindowModel) => {
  const copies = copyDocuments(documents);
  model.predict(copies);
  return sentencesOf(copies).map((s) => s.predicted);
};
/** The model's scores on the fixture. */
const scores = (model: WindowModel) => evaluateModel(model, copyDocuments(documents));

const tiny = {
  // One network (the fixture is small enough for members 'auto' to train three): these tests are of one.
  members: 1,
  vectors: null,
  features: [
    { name: 'word' as const, dim: 16 },
    { name: 'casing' as const, dim: 4 },
  ],
  hidden: [32],
  batchSize: 16,
  epochs: 30,
  patience: 30,
  dropout: 0.1,
  optimizer: 'adam' as const,
  learningRate: 0.01,
  seed: 5,
};

describe('training a tiny window model', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    documents = await readLabeledDocuments(FIXTURE);
  });

  it('drives the loss down and fits its training data; save, load, predict gives identical tags', async () => {
    const result = await train({ ...tiny, train: documents, dev: documents });
    const losses = result.history.map((h) => h.loss);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 5);
    const fit = await scores(result.model);
    expect(fit.f1).toBe(100);
    expect(fit.accuracy).toBe(100);
    // Training scored dev in copies: the caller's documents carry no predictions.
    expect(sentencesOf(documents).some((s) => s.predicted)).toBe(false);

    const dir = join(mkdtempSync(join(tmpdir(), 'ner-train-')), 'model');
    await saveModel(result.model, dir);
    const { model } = await loadModel(dir);
    expect(predictedTags(model)).toEqual(predictedTags(result.model));
  });

  it('is reproducible: the same seed on the same backend gives the same losses', async () => {
    const a = await train({ ...tiny, epochs: 2, train: documents, dev: documents });
    const b = await train({ ...tiny, epochs: 2, train: documents, dev: documents });
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
    const c = await train({ ...tiny, epochs: 2, seed: 6, train: documents, dev: documents });
    expect(c.history.map((h) => h.loss)).not.toEqual(a.history.map((h) => h.loss));
  });

  it.each([
    [{ hidden: [0] }, /hidden sizes must be integers in \[1, 65536\], got 0/],
    [{ window: -1 }, /window must be an integer >= 0, got -1/],
    [{ optimizer: 'adamw' as never }, /optimizer must be one of sgd, .*, got "adamw"/],
    [{ activation: 'swish' as never }, /activation must be one of relu, .*, got "swish"/],
    [{ dropout: 1 }, /dropout must be in \[0, 1\)/],
    [{ batchSize: 0 }, /batchSize must be an integer >= 1, got 0/],
    [{ learningRate: -1 }, /learningRate must be a number > 0, got -1/],
    [{ features: [{ name: 'wrod' as never, dim: 5 }] }, /features: unknown feature "wrod"/],
    [{ threads: 3 }, /threads must be 1 or 2, got 3/],
  ])('rejects bad hyperparameters %o', async (bad, message) => {
    await expect(train({ ...tiny, ...bad, train: documents, dev: documents })).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringMatching(message) });
  });

  it('adds transition scores to Viterbi: a fixed weight, auto (chosen on dev), or none; saved with the model', async () => {
    const fixed = await train({ ...tiny, epochs: 3, transitionWeight: 0.5, train: documents, dev: documents });
    const T = fixed.model.config.tags.length;
    expect(fixed.model.config.transitions?.weight).toBe(0.5);
    expect(fixed.model.config.transitions?.scores).toHaveLength(T * T);
    const auto = await train({ ...tiny, epochs: 3, train: documents, dev: documents });
    expect([undefined, 0.25, 0.5, 0.75, 1]).toContain(auto.model.config.transitions?.weight);
    expect(auto.dev.f1).toBeGreaterThanOrEqual(Math.max(...auto.history.map((h) => h.dev.f1)));
    const none = await train({ ...tiny, epochs: 3, transitionWeight: 0, train: documents, dev: documents });
    expect(none.model.config.transitions).toBeUndefined();
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-train-')), 'model');
    await saveModel(fixed.model, dir);
    expect((await loadModel(dir)).model.config.transitions).toEqual(fixed.model.config.transitions);
    await expect(train({ ...tiny, transitionWeight: -1, train: documents, dev: documents })).rejects.toThrow(/transitionWeight must be a number >= 0 or auto/);
  });

  it('chooses the entity bias on dev (auto), or keeps the one given; the dev F1 it gains is over the unbiased best', async () => {
    // One epoch: an undertrained network that says O too often, where a bias can pay off.
    const auto = await train({ ...tiny, epochs: 1, train: documents, dev: documents });
    expect([0, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3]).toContain(auto.model.entityBias);
    expect(auto.dev.f1).toBeGreaterThanOrEqual(auto.devWithoutBias.f1);
    expect(auto.devWithoutBias.f1).toBeGreaterThanOrEqual(auto.history[0].dev.f1);
    // The model decodes with its bias: its predictions score what training reported.
    expect((await scores(auto.model)).f1).toBeCloseTo(auto.dev.f1, 6);
    const fixed = await train({ ...tiny, epochs: 1, entityBias: 1.5, transitionWeight: 0, train: documents, dev: documents });
    expect(fixed.model.entityBias).toBe(1.5);
    const none = await train({ ...tiny, epochs: 1, entityBias: 0, transitionWeight: 0, consistency: 0, train: documents, dev: documents });
    expect(none.model.config).not.toHaveProperty('entityBias');
    expect(none.dev).toEqual(none.history[0].dev);
    await expect(train({ ...tiny, entityBias: -1, train: documents, dev: documents })).rejects.toThrow(/entityBias must be a number >= 0 or auto/);
  });

  it('chooses the document-consistency weight on dev (auto) or keeps the one given; the model decodes with it', async () => {
    const auto = await train({ ...tiny, epochs: 1, train: documents, dev: documents });
    expect([0, ...CONSISTENCY_WEIGHTS]).toContain(auto.model.consistency);
    expect(auto.dev.f1).toBeGreaterThanOrEqual(auto.devWithoutConsistency.f1);
    if (auto.model.consistency > 0) expect(auto.dev.f1 - auto.devWithoutConsistency.f1).toBeGreaterThanOrEqual(MIN_CONSISTENCY_GAIN);
    expect((await scores(auto.model)).f1).toBeCloseTo(auto.dev.f1, 6);
    const fixed = await train({ ...tiny, epochs: 1, consistency: 0.3, train: documents, dev: documents });
    expect(fixed.model.consistency).toBe(0.3);
    await expect(train({ ...tiny, consistency: 1.5, train: documents, dev: documents })).rejects.toThrow(/consistency must be a number in \[0, 1\] or auto/);
  });

  it('fits the temperature of the chosen model on dev, leaving its dev tags and F1 as they are; saved with the model', async () => {
    const result = await train({ ...tiny, epochs: 3, train: documents, dev: documents });
    const fit = result.calibration!;
    expect(fit.sentences).toBe(sentencesOf(documents).length);
    expect(fit.nll).toBeLessThanOrEqual(fit.nllAtOne);
    expect(result.model.temperature).toBe(fit.temperature);
    const plain = copyDocuments(documents);
    const calibrated = copyDocuments(documents);
    result.model.withTemperature(undefined).predict(plain);
    result.model.predict(calibrated);
    expect(calibrated.map((d) => d.sentences.map((s) => s.predicted))).toEqual(plain.map((d) => d.sentences.map((s) => s.predicted)));
    expect(scoreDocuments(calibrated).f1).toBeCloseTo(result.dev.f1, 10);
    const dir = join(mkdtempSync(join(tmpdir(), 'ner-train-')), 'model');
    await saveModel(result.model, dir);
    expect((await loadModel(dir)).model.config.temperature).toBe(fit.temperature === 1 ? undefined : fit.temperature);
  });

  it('trains the same model on one thread or two (each half-batch has its own random stream)', async () => {
    const opts = { ...tiny, epochs: 3, inputDropout: 0.1, unknownWordRate: 0.5, train: documents, dev: documents };
    const one = await train({ ...opts, threads: 1 });
    const two = await train({ ...opts, threads: 2 });
    expect(two.history.map((h) => h.loss)).toEqual(one.history.map((h) => h.loss));
    expect(two.model.network.layers[0].W).toEqual(one.model.network.layers[0].W);
    expect(two.model.tables.tables[0]).toEqual(one.model.tables.tables[0]);
    const shared = await train({ ...opts, threads: 2, sharedDropoutMask: true });
    expect(shared.history.map((h) => h.loss)).not.toEqual(two.history.map((h) => h.loss));
  });

  it('fits its training data with a shared dropout mask too', async () => {
    const result = await train({ ...tiny, sharedDropoutMask: true, train: documents, dev: documents });
    expect((await scores(result.model)).f1).toBe(100);
  });

  it('stops early when dev F1 stops improving, keeping the best epoch', async () => {
    const result = await train({ ...tiny, epochs: 30, patience: 2, train: documents, dev: documents });
    expect(result.stopped).toBe('early-stopping');
    const best = Math.max(...result.history.map((h) => h.dev.f1));
    expect(result.history.find((h) => h.epoch === result.bestEpoch)!.dev.f1).toBe(best);
    expect(result.history.length).toBe(result.bestEpoch + 2);
  });
});
