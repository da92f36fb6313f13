/**
 * Training throughput of the recipe's model, one mini-batch at a time, timed phase by phase.
 * Each step is `TrainingSession.step`, the very step `train()` runs, so the figures are those
 * of the real training loop.
 */
import type { BackendRequest } from '../../src/node/backend.js';
import { useBackend } from '../../src/node/backend.js';
import { NETWORK_RECIPE } from '../../src/node/recipe.js';
import { readLabeledDocuments } from '../../src/node/train-files.js';
import type { Document } from '../../src/core/document/document.js';
import { TrainingSession, type StepPhases } from '../../src/core/train/training-session.js';
import { formatAdapter } from '../../src/core/util/webgpu-adapter.js';
import { cpuMs, summarize, type Stat } from './stats.js';

/** The training documents, read once for every backend's run. */
export interface TrainingData {
  train: Document[];
}

/** How many steps to run on one backend. */
export interface TrainingRunArgs {
  warmup: number;
  steps: number;
  repeats: number;
}

/** The phases of one training step (see StepPhases). */
export const STEP_PHASES = ['batch', 'gradients', 'waitShard', 'rowsUpdate', 'denseUpdate'] as const satisfies readonly (keyof StepPhases)[];
export type StepPhase = (typeof STEP_PHASES)[number];

/** What a backend's training run measured; times are milliseconds per step. */
export interface TrainingFigures {
  backend: string;
  /** Threads each step ran on. */
  threads: number;
  /** Seconds to set up the session (vectors, vocabularies, windows, worker start). */
  setupSeconds: number;
  batchSize: number;
  warmup: number;
  steps: number;
  repeats: number;
  windowsPerSecond: Stat;
  stepMs: Stat;
  phasesMs: Record<StepPhase, Stat>;
  /** `network.forward` on one batch (forward without dropout): an estimate of the forward share of `gradients`. */
  forwardOnlyMs: Stat;
  /** Process CPU time over wall time while stepping: near 1 when the bench had a core to itself. */
  cpuShare: Stat;
  /** On a device (webgpu): the adapter, the host's share of a step and what a step uploads. */
  device?: { adapter: string; hostPrepMs: Stat; uploadBytesPerWindow: number };
}

/** Reads the training file. */
export async function prepareTraining(trainFile: string): Promise<TrainingData> {
  return { train: await readLabeledDocuments(trainFile) };
}

/**
 * Activates `backend`, sets up the recipe's training session on `threads` threads as
 * `train()` does before its first epoch, and runs `warmup` then `repeats` x `steps` training
 * steps on shuffled CoNLL windows. Throws the backend's own error when it does not load.
 */
export async function benchTraining(data: TrainingData, backend: BackendRequest, threads: number, run: TrainingRunArgs, batchSize?: number): Promise<TrainingFigures> {
  const info = await useBackend(backend);
  const setupStarted = performance.now();
  const { backend: _backend, ...recipe } = NETWORK_RECIPE;
  const session = await TrainingSession.create({ ...recipe, threads, batchSize: batchSize ?? recipe.batchSize, train: data.train, dev: [] }, info.name);
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  try {
    const figures = await stepping(session, info.name, setupSeconds, run);
    return info.adapter ? { ...figures, device: { ...figures.device!, adapter: formatAdapter(info.adapter) } } : figures;
  } finally {
    await session.close();
  }
}

async function stepping(session: TrainingSession, backend: string, setupSeconds: number, run: TrainingRunArgs): Promise<TrainingFigures> {
  const B = session.args.batchSize;
  const n = session.enc.length;
  const order = session.rng.permutation(n);
  const phases: StepPhases = { batch: 0, gradients: 0, waitShard: 0, rowsUpdate: 0, denseUpdate: 0 };
  let from = 0;
  const step = (): void => {
    if (from + B > n) from = 0;
    const loss = session.step(order, from, B, phases);
    if (loss !== undefined && !Number.isFinite(loss)) throw new Error(`loss ${loss} on ${backend}`);
    from += B;
  };
  // On a device the steps are queued: reading the summed loss waits for all of them.
  const finish = async (): Promise<void> => {
    if (!session.onDevice) return;
    const loss = await session.takeDeviceLoss();
    if (!Number.isFinite(loss)) throw new Error(`loss ${loss} on ${backend}`);
  };
  const hostPrep: number[] = [];

  for (let i = 0; i < run.warmup; i++) step();
  await finish();
  const perRepeat: Record<StepPhase, number[]> = { batch: [], gradients: [], waitShard: [], rowsUpdate: [], denseUpdate: [] };
  const throughput: number[] = [];
  const stepMs: number[] = [];
  const forwardMs: number[] = [];
  const cpuShare: number[] = [];
  const forwardCalls = Math.max(1, Math.min(10, Math.round(run.steps / 4)));
  const X = new Float32Array(B * session.model.network.inputs).map((_, i) => ((i * 7919) % 101) / 101 - 0.5);
  for (let r = 0; r < run.repeats; r++) {
    for (const p of STEP_PHASES) phases[p] = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const host0 = session.deviceHostMs;
    for (let i = 0; i < run.steps; i++) step();
    await finish();
    const ms = performance.now() - started;
    hostPrep.push((session.deviceHostMs - host0) / run.steps);
    cpuShare.push(cpuMs(process.cpuUsage(cpu)) / ms);
    throughput.push((run.steps * B) / (ms / 1000));
    stepMs.push(ms / run.steps);
    for (const p of STEP_PHASES) perRepeat[p].push(phases[p] / run.steps);
    // The forward-only estimate reads synchronously: host backends only.
    if (session.onDevice) continue;
    const f0 = performance.now();
    for (let i = 0; i < forwardCalls; i++) session.model.network.forward(X, B);
    forwardMs.push((performance.now() - f0) / forwardCalls);
  }
  const phasesMs = Object.fromEntries(STEP_PHASES.map((p) => [p, summarize(perRepeat[p])])) as Record<StepPhase, Stat>;
  return {
    backend,
    threads: session.threads,
    setupSeconds,
    batchSize: B,
    warmup: run.warmup,
    steps: run.steps,
    repeats: run.repeats,
    windowsPerSecond: summarize(throughput),
    stepMs: summarize(stepMs),
    phasesMs,
    forwardOnlyMs: summarize(forwardMs.length ? forwardMs : [0]),
    cpuShare: summarize(cpuShare),
    ...(session.onDevice ? { device: { adapter: '', hostPrepMs: summarize(hostPrep), uploadBytesPerWindow: Math.round(session.uploaded!.perWindow) } } : {}),
  };
}
