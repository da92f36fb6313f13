import { describe, expect, it } from 'vitest';
import { SHARDS, shardRows, shardSeed } from '../../src/core/train/step/shard.js';
import { StepThread } from '../../src/core/train/step/step-thread.js';
import { startStepWorker } from '../../src/node/workers/start-step-worker.js';

describe('training step shards', () => {
  it.each([1, 2, 3, 255, 256])('the shards of a batch of %i cover it exactly once, in order', (count) => {
    const covered: number[] = [];
    for (let k = 0; k < SHARDS; k++) {
      const [from, to] = shardRows(k, count);
      expect(from).toBeLessThanOrEqual(to);
      for (let r = from; r < to; r++) covered.push(r);
    }
    expect(covered).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('gives every shard of every step its own seed, the same on every call', () => {
    const seeds = new Set<number>();
    for (let step = 0; step < 100; step++) for (let k = 0; k < SHARDS; k++) seeds.add(shardSeed(1, step, k));
    expect(seeds.size).toBe(100 * SHARDS);
    expect(shardSeed(1, 7, 1)).toBe(shardSeed(1, 7, 1));
    expect(shardSeed(2, 7, 1)).not.toBe(shardSeed(1, 7, 1));
  });

  it('reports a worker that cannot start as a training error, with its reason', async () => {
    const start = StepThread.start({ backend: 'no-such-backend' as never } as never, startStepWorker);
    await expect(start).rejects.toMatchObject({ code: 'E_TRAIN', message: expect.stringMatching(/training worker failed to start: .*unknown backend "no-such-backend"/) });
  });
});
