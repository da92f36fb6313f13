import { Worker } from 'node:worker_threads';
import { NerError } from '../../core/errors.js';
import type { StepWorker, StepWorkerData } from '../../core/train/step/step-thread.js';
import { workerScript } from './worker-script.js';

/** Starts step-worker.js on a worker thread and resolves once its backend is ready. */
export async function startStepWorker(data: StepWorkerData): Promise<StepWorker> {
  const worker = new Worker(workerScript(import.meta.url, 'step-worker.js'), { workerData: data });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ready?: boolean; error?: string }) => {
      if (m.ready) resolve();
      else reject(new NerError('E_TRAIN', `the training worker failed to start: ${m.error}`));
    });
    worker.once('error', (err) => reject(new NerError('E_TRAIN', `the training worker failed to start: ${err.message}`)));
  });
  worker.unref();
  return worker;
}
