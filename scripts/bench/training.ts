/**
 * Training throughput of the recipe's model, one mini-batch at a time, timed phase by phase.
 * Each step is `TrainingSession.step`, the very step `train()` runs, so the figures are those
 * of the real training loop.
 */
import type { BackendRequest } from '../../src/model/backend.js';
import { useBackend } from '../../src/model/backend.js';
import { BUNDLED_RECIPE } from '../../src/train/recipe.js';
import { readLabeled } from '../../src/train/train-files.js';
import { TrainingSession, type StepPhases } from '../../src/train/training-session.js';
import { cpuMs, summarize, type Stat } from './stats.js';

/** The recipe's session, built once and shared by every backend's run. */
export interface TrainingData {
  session: TrainingSession;
  /** Seconds spent reading the corpus, loading vectors and encoding (not part of any step). */
  setupSeconds: number;
}

/** How many steps to run on one backend. */
export interface TrainingRunArgs {
  warmup: number;
  steps: number;
  repeats: number;
}

/** The phases of one training step (see StepPhases). */
export const STEP_PHASES = ['batch', 'gradients', 'denseUpdate', 'scatter', 'rowsUpdate'] as const satisfies readonly (keyof StepPhases)[];
export type StepPhase = (typeof STEP_PHASES)[number];

/** What a backend's training run measured; times are milliseconds per step. */
export interface TrainingFigures {
  backend: string;
  batchSize: number;
  warmup: number;
  steps: number;
  repeats: number;
  windowsPerSecond: Stat;
  stepMs: Stat;
  phasesMs: Record<StepPhase, Stat>;
  /** `network.probabilities` on one batch (forward without dropout): an estimate of the forward share of `gradients`. */
  forwardOnlyMs: Stat;
  /** Process CPU time over wall time while stepping: near 1 when the bench had a core to itself. */
  cpuShare: Stat;
}

/** Reads the training file and sets up the recipe's training session, as `train()` does before its first epoch. */
export async function prepareTraining(trainFile: string): Promise<TrainingData> {
  const started = performance.now();
  const { backend: _backend, ...recipe } = BUNDLED_RECIPE;
  const session = await TrainingSession.create({ ...recipe, train: await readLabeled(trainFile), dev: [] });
  return { session, setupSeconds: (performance.now() - started) / 1000 };
}

/**
 * Activates `backend` and runs `warmup` then `repeats` x `steps` training steps of the
 * recipe's network on shuffled CoNLL windows. Throws the backend's own error when it does
 * not load.
 */
export async function benchTraining(data: TrainingData, backend: BackendRequest, run: TrainingRunArgs): Promise<TrainingFigures> {
  const info = await useBackend(backend);
  const { session } = data;
  const B = session.args.batchSize;
  const n = session.enc.length;
  const order = session.rng.permutation(n);
  const phases: StepPhases = { batch: 0, gradients: 0, denseUpdate: 0, scatter: 0, rowsUpdate: 0 };
  let from = 0;
  const step = (): void => {
    if (from + B > n) from = 0;
    const loss = session.step(order, from, B, phases);
    if (!Number.isFinite(loss)) throw new Error(`loss ${loss} on ${info.name}`);
    from += B;
  };

  for (let i = 0; i < run.warmup; i++) step();
  const perRepeat: Record<StepPhase, number[]> = { batch: [], gradients: [], denseUpdate: [], scatter: [], rowsUpdate: [] };
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
    for (let i = 0; i < run.steps; i++) step();
    const ms = performance.now() - started;
    cpuShare.push(cpuMs(process.cpuUsage(cpu)) / ms);
    throughput.push((run.steps * B) / (ms / 1000));
    stepMs.push(ms / run.steps);
    for (const p of STEP_PHASES) perRepeat[p].push(phases[p] / run.steps);
    const f0 = performance.now();
    for (let i = 0; i < forwardCalls; i++) session.model.network.probabilities(X, B);
    forwardMs.push((performance.now() - f0) / forwardCalls);
  }
  const phasesMs = Object.fromEntries(STEP_PHASES.map((p) => [p, summarize(perRepeat[p])])) as Record<StepPhase, Stat>;
  return {
    backend: info.name,
    batchSize: B,
    warmup: run.warmup,
    steps: run.steps,
    repeats: run.repeats,
    windowsPerSecond: summarize(throughput),
    stepMs: summarize(stepMs),
    phasesMs,
    forwardOnlyMs: summarize(forwardMs),
    cpuShare: summarize(cpuShare),
  };
}
