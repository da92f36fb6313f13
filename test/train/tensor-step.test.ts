/**
 * The training step whose parameters stay on the device (step/tensor-step.ts, what webgpu runs)
 * against the typed-array step (what wasm runs): the same seed must give the same losses and
 * parameters. Here both run on tfjs's cpu backend, whose kernels are the reference ones, so
 * any difference is the step's own; test/browser/webgpu-training.test.ts runs the device step on
 * WebGPU itself.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDocuments, sentencesOf, type Document } from '../../src/core/document/document.js';
import type { TrainArgs } from '../../src/core/train/train-args.js';
import { train } from '../../src/core/train/trainer.js';
import { TrainingSession } from '../../src/core/train/training-session.js';
import { OPTIMIZERS } from '../../src/core/train/optimizers.js';
import { useBackend } from '../../src/node/backend.js';
import { readLabeledDocuments } from '../../src/node/train-files.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
let documents: Document[];

const tiny: Omit<TrainArgs, 'train' | 'dev'> = {
  vectors: null,
  features: [
    { name: 'word', dim: 8 },
    { name: 'casing', dim: 4 },
    { name: 'suffix3', dim: 4 },
  ],
  hidden: [16],
  batchSize: 16,
  dropout: 0.5,
  inputDropout: 0.1,
  unknownWordRate: 0.5,
  threads: 1,
  seed: 3,
};

/** Losses of `steps` steps and the parameters after them, on the host or on the device. */
async function run(args: Omit<TrainArgs, 'train' | 'dev'>, placement: 'host' | 'device', steps = 6) {
  const session = await TrainingSession.create({ ...args, train: documents, dev: [] }, 'cpu', placement);
  try {
    expect(session.onDevice).toBe(placement === 'device');
    const order = session.rng.permutation(session.enc.length);
    const losses: number[] = [];
    const B = session.args.batchSize;
    for (let i = 0; i < steps; i++) {
      const from = (i * B) % (session.enc.length - B);
      const loss = session.step(order, from, B);
      losses.push(loss ?? (await session.takeDeviceLoss()));
    }
    await session.syncParameters();
    const { model } = session;
    const parameters = [...model.tables.tables, ...model.network.layers.flatMap((l) => [l.W, l.b])].map((p) => p.slice());
    return { losses, parameters, uploaded: session.uploaded };
  } finally {
    await session.close();
  }
}

function expectClose(host: Awaited<ReturnType<typeof run>>, device: Awaited<ReturnType<typeof run>>, tolerance: number): void {
  device.losses.forEach((loss, i) => expect(Math.abs(loss - host.losses[i]) / host.losses[i]).toBeLessThan(tolerance));
  expect(device.parameters.length).toBe(host.parameters.length);
  device.parameters.forEach((p, k) => {
    let worst = 0;
    for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - host.parameters[k][i]));
    expect(worst, `parameter array ${k}`).toBeLessThan(tolerance);
  });
}

describe('the training step on the device', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    documents = await readLabeledDocuments(join(FIXTURES, 'tiny-train.conll'));
  });

  it.each(OPTIMIZERS)('%s: the same losses and parameters as the typed-array step', async (optimizer) => {
    const args = { ...tiny, optimizer };
    const [host, device] = [await run(args, 'host'), await run(args, 'device')];
    // The parameters moved (a step that did nothing would also match).
    const initial = await run(args, 'host', 0);
    expect(host.parameters.some((p, k) => p.some((x, i) => x !== initial.parameters[k][i]))).toBe(true);
    expectClose(host, device, 1e-4);
  });

  it('matches with a shared dropout mask, two hidden layers, tanh and L2', async () => {
    const args = { ...tiny, sharedDropoutMask: true, hidden: [12, 8], activation: 'tanh' as const, l2: 1e-3 };
    expectClose(await run(args, 'host'), await run(args, 'device'), 1e-4);
  });

  it('matches with frozen pretrained vectors, which neither path updates', async () => {
    const args = { ...tiny, features: [{ name: 'word' as const, dim: 3 }, ...tiny.features!.slice(1)], vectors: join(FIXTURES, 'tiny-glove.txt'), freezeVectors: true };
    const host = await run(args, 'host');
    const device = await run(args, 'device');
    const initial = await run(args, 'device', 0);
    expectClose(host, device, 1e-4);
    // Row 'paris' of the word table has a pretrained vector: frozen, it stays as it was.
    const session = await TrainingSession.create({ ...args, train: documents, dev: [] }, 'cpu', 'device');
    const row = session.model.featureSet.vocabularies[0].keys.indexOf('paris');
    const dim = session.model.tables.specs[0].dim;
    await session.close();
    expect(row).toBeGreaterThan(0);
    expect(device.parameters[0].subarray(row * dim, (row + 1) * dim)).toEqual(initial.parameters[0].subarray(row * dim, (row + 1) * dim));
  });

  it('matches with the document features doccase and doctopic (one id per token each)', async () => {
    const args = { ...tiny, features: [...tiny.features!, { name: 'doccase' as const, dim: 3 }, { name: 'doctopic' as const, dim: 2 }] };
    expectClose(await run(args, 'host'), await run(args, 'device'), 1e-4);
  });

  it('says what a step uploads: window ids, labels, masks and row lists, nothing per parameter', async () => {
    const { uploaded } = await run(tiny, 'device', 1);
    const slots = 5;
    const D = slots * (8 + 4 + 4);
    // ids + segments (slots * features each), a label, the input mask (D) and the hidden mask (16), plus distinct rows.
    const atLeast = 4 * (2 * slots * 3 + 1 + D + 16);
    expect(uploaded!.perWindow).toBeGreaterThanOrEqual(atLeast);
    expect(uploaded!.perWindow).toBeLessThan(atLeast + 4 * slots * 3);
  });

  it('train() on the device: one epoch gives the losses, dev F1 and tags of the host', async () => {
    const args = { ...tiny, epochs: 2, patience: 2, dropout: 0.1, train: documents, dev: documents };
    const host = await train(args, 'host');
    const device = await train(args, 'device');
    device.history.forEach((h, i) => expect(Math.abs(h.loss - host.history[i].loss) / host.history[i].loss).toBeLessThan(1e-3));
    expect(Math.abs(device.dev.f1 - host.dev.f1)).toBeLessThan(0.5);
    const tags = async (r: typeof host) => {
      const copies = copyDocuments(documents);
      await r.model.predictAsync(copies);
      return sentencesOf(copies).map((s) => s.predicted);
    };
    expect(await tags(device)).toEqual(await tags(host));
  });
});
