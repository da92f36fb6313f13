import { availableParallelism } from 'node:os';

/**
 * The most worker threads a TaggerPool (and `ner tag --workers`, `ner predict --workers`)
 * starts: one per core. Each thread holds its own copy of the model and computes on one
 * core, so more threads than cores only cost memory (1,407 threads took 5.9 GB in 21 s).
 */
export function maxWorkers(): number {
  return availableParallelism();
}

/** Why `count` is not a worker count to start, as "must be ..."; undefined when it is one. */
export function workerCountProblem(count: unknown): string | undefined {
  const max = maxWorkers();
  if (typeof count === 'number' && Number.isInteger(count) && count >= 1 && count <= max) return undefined;
  return `must be from 1 to ${max} (the number of cores)`;
}
