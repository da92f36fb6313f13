import { NerError } from '../../errors.js';
import type { FeatureSpec } from '../../features/token-features.js';
import type { ActivationName } from '../../model/activations.js';
import type { DenseLayer } from '../../model/network.js';
import type { OptimizerArgs } from '../optimizers.js';
import type { ShardInputs, StepBuffers } from './shard.js';
import { sharedInt32 } from './shared-memory.js';

/** Cells of the control array the two threads synchronise on (Atomics.wait / notify). */
export const CONTROL = {
  /** Incremented by the main thread to start a step (or to stop). */
  generation: 0,
  command: 1,
  count: 2,
  step: 3,
  /** Set to the generation when the worker's shard gradients are written. */
  shardDone: 4,
  /** Set to the generation when the main thread's shard is written (the dense update may start). */
  mainDone: 5,
  /** Set to the generation when the worker has updated the dense layers. */
  denseDone: 6,
  failed: 7,
  size: 8,
} as const;

export const COMMAND = { step: 1, stop: 2 } as const;

/** Everything the worker is sent once; every array in it is on shared memory. */
export interface StepWorkerData {
  backend: 'wasm' | 'cpu';
  shard: Omit<ShardInputs, 'tables' | 'network'>;
  specs: readonly FeatureSpec[];
  tables: Float32Array[];
  layers: DenseLayer[];
  activation: ActivationName;
  optimizer: OptimizerArgs;
  l2: number;
  buffers: StepBuffers;
  control: Int32Array;
  /** The learning rate of the current step (it can change between epochs). */
  learningRate: Float64Array;
  /** The worker's error message, UTF-8, when `control[failed]` is 1. */
  error: Uint8Array;
  /** Most rows a shard has (the X scratch size). */
  maxRows: number;
}

/** The thread running the worker side (node/workers/step-worker.ts), as the runtime started it. */
export interface StepWorker {
  terminate(): Promise<unknown>;
}

/** How long the main thread waits for the worker before giving up on it. */
const WAIT_LIMIT_MS = 120_000;

/**
 * The second thread of a training step, seen from the main thread: it computes shard 1 of
 * every batch while the main thread computes shard 0, then updates the dense layers while the
 * main thread updates the embedding rows. All data is shared memory; the threads meet through
 * Atomics on a small control array, so a step costs no messages.
 */
export class StepThread {
  private generation = 0;

  private constructor(
    private readonly worker: StepWorker,
    private readonly data: StepWorkerData,
  ) {}

  /** Starts the worker through the runtime's `start` and waits until its backend is ready. */
  static async start(
    data: Omit<StepWorkerData, 'control' | 'learningRate' | 'error'>,
    start: (data: StepWorkerData) => Promise<StepWorker>,
  ): Promise<StepThread> {
    const full: StepWorkerData = {
      ...data,
      control: sharedInt32(CONTROL.size),
      learningRate: new Float64Array(new SharedArrayBuffer(8)),
      error: new Uint8Array(new SharedArrayBuffer(4096)),
    };
    return new StepThread(await start(full), full);
  }

  /** Tells the worker to compute its shard of step `step` (a batch of `count`, inputs already in the buffers). */
  begin(step: number, count: number, learningRate: number): void {
    const c = this.data.control;
    this.data.learningRate[0] = learningRate;
    c[CONTROL.command] = COMMAND.step;
    c[CONTROL.count] = count;
    c[CONTROL.step] = step;
    Atomics.store(c, CONTROL.generation, ++this.generation);
    Atomics.notify(c, CONTROL.generation);
  }

  /** Says the main thread's shard is written, so the worker may sum the gradients. */
  mainShardDone(): void {
    Atomics.store(this.data.control, CONTROL.mainDone, this.generation);
    Atomics.notify(this.data.control, CONTROL.mainDone);
  }

  /** Waits until the worker's shard is written. */
  waitShard(): void {
    this.waitFor(CONTROL.shardDone);
  }

  /** Waits until the worker has updated the dense layers. */
  waitDense(): void {
    this.waitFor(CONTROL.denseDone);
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    const c = this.data.control;
    c[CONTROL.command] = COMMAND.stop;
    Atomics.store(c, CONTROL.generation, ++this.generation);
    Atomics.notify(c, CONTROL.generation);
    await this.worker.terminate();
  }

  private waitFor(cell: number): void {
    const c = this.data.control;
    const started = performance.now();
    let seen: number;
    while ((seen = Atomics.load(c, cell)) !== this.generation) {
      Atomics.wait(c, cell, seen, 1000);
      if (performance.now() - started > WAIT_LIMIT_MS) throw new NerError('E_TRAIN', 'the training worker stopped responding');
    }
    if (Atomics.load(c, CONTROL.failed)) {
      const bytes = this.data.error;
      const message = new TextDecoder().decode(bytes.slice(0, bytes.indexOf(0) < 0 ? bytes.length : bytes.indexOf(0)));
      throw new NerError('E_TRAIN', `the training worker failed: ${message}`);
    }
  }
}
