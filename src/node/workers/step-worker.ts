/**
 * The worker thread of a two-thread training step (see StepThread): computes shard 1 of each
 * batch, then, once the main thread's shard is in, updates the dense layers. It has its own
 * TensorFlow.js backend; parameters and buffers are the main thread's shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import '../runtime.js';
import { useBackend } from '../backend.js';
import { EmbeddingTables } from '../../core/model/embedding-tables.js';
import { WindowNetwork } from '../../core/model/network.js';
import { Optimizer } from '../../core/train/optimizers.js';
import { computeShard, type ShardInputs } from '../../core/train/step/shard.js';
import { COMMAND, CONTROL, type StepWorkerData } from '../../core/train/step/step-thread.js';
import { updateDense } from '../../core/train/step/updates.js';

const data = workerData as StepWorkerData;
const c = data.control;

function waitFor(cell: number, generation: number): void {
  let seen: number;
  while ((seen = Atomics.load(c, cell)) !== generation) Atomics.wait(c, cell, seen);
}

function fail(err: unknown, generation: number): void {
  const message = err instanceof Error ? err.message : String(err);
  data.error.fill(0);
  data.error.set(new TextEncoder().encode(message).subarray(0, data.error.length - 1));
  Atomics.store(c, CONTROL.failed, 1);
  for (const cell of [CONTROL.shardDone, CONTROL.denseDone]) {
    Atomics.store(c, cell, generation);
    Atomics.notify(c, cell);
  }
}

try {
  await useBackend(data.backend);
  const network = new WindowNetwork(data.layers, data.activation);
  const inputs: ShardInputs = { ...data.shard, tables: new EmbeddingTables(data.specs, data.tables), network };
  const optimizer = new Optimizer(data.optimizer);
  const X = new Float32Array(data.maxRows * network.inputs);
  parentPort!.postMessage({ ready: true });
  let generation = 0;
  for (;;) {
    Atomics.wait(c, CONTROL.generation, generation);
    generation = Atomics.load(c, CONTROL.generation);
    if (c[CONTROL.command] === COMMAND.stop) break;
    try {
      computeShard(inputs, data.buffers, X, c[CONTROL.step], 1, c[CONTROL.count]);
      Atomics.store(c, CONTROL.shardDone, generation);
      Atomics.notify(c, CONTROL.shardDone);
      waitFor(CONTROL.mainDone, generation);
      optimizer.learningRate = data.learningRate[0];
      optimizer.nextStep();
      updateDense(optimizer, network.layers, data.buffers, data.l2);
      Atomics.store(c, CONTROL.denseDone, generation);
      Atomics.notify(c, CONTROL.denseDone);
    } catch (err) {
      fail(err, generation);
    }
  }
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
