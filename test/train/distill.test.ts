/**
 * Issue 16, idea 4: training on a teacher's soft targets (distillation). The soft-target step
 * must be the hard-label step when the targets are one-hot, follow the gradient of its loss
 * otherwise, and a teacher of other tags must be refused before any work.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDocuments, sentencesOf, type Document } from '../../src/core/document/document.js';
import { NerError } from '../../src/core/errors.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import { WindowNetwork } from '../../src/core/model/network.js';
import type { WindowModel } from '../../src/core/model/window-model.js';
import { softTargets } from '../../src/core/train/soft-targets.js';
import { train } from '../../src/core/train/trainer.js';
import { TrainingSession } from '../../src/core/train/training-session.js';
import { Random } from '../../src/core/util/random.js';
import { useBackend } from '../../src/node/backend.js';
import { saveModel } from '../../src/node/storage/model-io.js';
import { readLabeledDocuments } from '../../src/node/train-files.js';
import { runCli } from '../helpers/cli.js';
import { modelParameters, TINY_FIXTURE, TINY_NETWORK } from '../helpers/tiny-model.js';
import { centralDifference } from '../helpers/central-difference.js';

const FIXTURE = TINY_FIXTURE;

const tiny = { ...TINY_NETWORK, dropout: 0.1, learningRate: 0.01, seed: 5 };

let documents: Document[];
let teacher: WindowModel;


describe('distillation: training on soft targets', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    documents = await readLabeledDocuments(FIXTURE);
    teacher = (await train({ ...tiny, seed: 9, epochs: 8, patience: 8, train: documents, dev: documents })).model;
  });

  it('takes one-hot targets as the same step as hard labels (the network, exactly)', () => {
    const rng = new Random(1);
    const network = WindowNetwork.init(6, [5], 3, 'relu', rng);
    const X = Float32Array.from({ length: 4 * 6 }, () => rng.uniform(-1, 1));
    const labels = Int32Array.from([0, 2, 1, 2]);
    const oneHot = new Float32Array(4 * 3);
    labels.forEach((y, i) => (oneHot[i * 3 + y] = 1));
    const hard = network.gradients(X, labels, 4, { dropout: 0.5, rng: new Random(7) });
    const soft = network.gradients(X, labels, 4, { dropout: 0.5, rng: new Random(7), targets: oneHot });
    expect(soft.loss).toBe(hard.loss);
    expect([...soft.dX]).toEqual([...hard.dX]);
    soft.dW.forEach((dW, l) => expect([...dW]).toEqual([...hard.dW[l]]));
    // Other targets move the step: the test above could fail.
    const other = network.gradients(X, labels, 4, { dropout: 0.5, rng: new Random(7), targets: oneHot.map((v) => 0.5 * v + 0.5 / 3) });
    expect([...other.dW[1]]).not.toEqual([...hard.dW[1]]);
  });

  it('follows the gradient of the cross-entropy against soft targets (central differences)', () => {
    const rng = new Random(2);
    const network = WindowNetwork.init(4, [6], 3, 'tanh', rng);
    const X = Float32Array.from({ length: 5 * 4 }, () => rng.uniform(-1, 1));
    const labels = new Int32Array(5);
    const targets = new Float32Array(5 * 3);
    for (let i = 0; i < 5; i++) {
      const row = [rng.next() + 0.1, rng.next() + 0.1, rng.next() + 0.1];
      const sum = row[0] + row[1] + row[2];
      row.forEach((v, j) => (targets[i * 3 + j] = v / sum));
    }
    const loss = () => network.gradients(X, labels, 5, { dropout: 0, rng: new Random(1), targets }).loss;
    const g = network.gradients(X, labels, 5, { dropout: 0, rng: new Random(1), targets });
    const h = 1e-3;
    for (const [l, param, grad] of [[0, 'W', g.dW[0]], [1, 'W', g.dW[1]], [1, 'b', g.db[1]]] as const) {
      const values = network.layers[l][param];
      for (const k of [0, values.length >> 1, values.length - 1]) {
        expect(grad[k]).toBeCloseTo(centralDifference(values, k, loss, h), 3);
      }
    }
  });

  it('mixes the gold tags with the teacher at a temperature: rows sum to 1, weight 0 is the one-hot row', async () => {
    const tags = teacher.config.tags;
    const labels = Int32Array.from(sentencesOf(documents).flatMap((s) => s.gold!.map((t) => tags.indexOf(t))));
    const T = tags.length;
    const [pure, soft, hot, hard] = await Promise.all([
      softTargets(teacher, documents, tags, labels, { weight: 1, temperature: 1 }),
      softTargets(teacher, documents, tags, labels, { weight: 1, temperature: 3 }),
      softTargets(teacher, documents, tags, labels, { weight: 0.5, temperature: 2 }),
      softTargets(teacher, documents, tags, labels, { weight: 0, temperature: 2 }),
    ]);
    const probs = await teacher.tagProbabilitiesAsync(encodeDocuments(teacher.featureSet, documents));
    for (let j = 0; j < pure.length; j++) expect(pure[j]).toBeCloseTo(probs[j], 5);
    const maxOf = (a: Float32Array, i: number) => Math.max(...a.subarray(i * T, (i + 1) * T));
    let softer = 0;
    for (let i = 0; i < labels.length; i++) {
      for (const a of [pure, soft, hot]) expect(a.subarray(i * T, (i + 1) * T).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(hot[i * T + labels[i]]).toBeGreaterThanOrEqual(0.5);
      if (maxOf(soft, i) < maxOf(pure, i)) softer++;
      for (let j = 0; j < T; j++) expect(hard[i * T + j]).toBe(j === labels[i] ? 1 : 0);
    }
    // A temperature above 1 flattens every row the teacher is not certain of.
    expect(softer).toBeGreaterThan(labels.length * 0.9);
  });

  it.each([1, 2])('with distillWeight 0 trains the very model of the gold labels (%i threads); with 0.5 another', async (threads) => {
    const run = (extra: object) => train({ ...tiny, threads, epochs: 2, patience: 2, transitionWeight: 0, train: documents, dev: documents, ...extra });
    const [hard, zero, half] = [await run({}), await run({ teacher, distillWeight: 0 }), await run({ teacher, distillWeight: 0.5 })];
    expect(zero.history.map((h) => h.loss)).toEqual(hard.history.map((h) => h.loss));
    expect(modelParameters(zero.model)).toEqual(modelParameters(hard.model));
    expect(half.history.map((h) => h.loss)).not.toEqual(hard.history.map((h) => h.loss));
  });

  it('refuses a teacher whose tags are not the training data\'s, before loading anything', async () => {
    // The same text with the organisations relabelled as a new type: tags the teacher never had.
    const relabelled = copyDocuments(documents);
    for (const s of sentencesOf(relabelled)) s.gold = s.gold!.map((t) => t.replace('ORG', 'COMPANY'));
    const err = await train({ ...tiny, epochs: 1, teacher, train: relabelled, dev: relabelled }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NerError);
    expect((err as NerError).code).toBe('E_CONFIG');
    expect((err as NerError).message).toMatch(/teacher's tags do not match the training data's: the teacher lacks B-COMPANY, I-COMPANY; has B-ORG, I-ORG the training data has not/);
  });

  it('refuses the distillation settings without a teacher, and a teacher on the device step', async () => {
    await expect(train({ ...tiny, distillWeight: 0.3, train: documents, dev: documents })).rejects.toThrow(/distillWeight needs teacher/);
    await expect(train({ ...tiny, teacher: 'some/folder' as never, train: documents, dev: documents })).rejects.toThrow(/teacher must be a loaded model here/);
    await expect(TrainingSession.create({ ...tiny, teacher, train: documents, dev: [] }, 'cpu', 'device')).rejects.toThrow(/device step \(webgpu\) takes gold tags only/);
  });

  it('ner train --teacher DIR distils the model in DIR and records it in model.json; a missing DIR is a clear error', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ner-distill-'));
    await saveModel(teacher, join(root, 'teacher'));
    const flags = ['--train', FIXTURE, '--dev', FIXTURE, '--vectors', 'none', '--features', 'word:8,casing:4', '--hidden', '16', '--epochs', '1', '--backend', 'wasm'];
    const run = await runCli('train', ...flags, '--out', join(root, 'student'), '--teacher', join(root, 'teacher'), '--distill-weight', '0.7');
    expect(run.code, run.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(root, 'student', 'model.json'), 'utf8'));
    expect(saved.training.args).toMatchObject({ teacher: 'teacher', distillWeight: 0.7 });
    const missing = await runCli('train', ...flags, '--out', join(root, 'other'), '--teacher', join(root, 'nowhere'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/nowhere.*model directory not found/);
    expect(existsSync(join(root, 'other'))).toBe(false);
  });

  it('ner train: --distill-temperature without --teacher is a usage error naming both flags', async () => {
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', '/tmp/distill-never-written', '--distill-temperature', '2');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--distill-temperature needs --teacher/);
  });
});
