import { describe, expect, it } from 'vitest';
import { mapInOrder } from '../../src/core/util/in-order.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An input that records how many items have been read from it. */
function counted(n: number): { items: AsyncGenerator<number>; read: () => number } {
  let read = 0;
  async function* items(): AsyncGenerator<number> {
    for (let i = 0; i < n; i++) {
      read++;
      yield i;
    }
  }
  return { items: items(), read: () => read };
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of stream) out.push(x);
  return out;
}

describe('mapInOrder', () => {
  it('yields results in input order when later work finishes first', async () => {
    const delays = [30, 1, 15, 0, 5, 20, 2];
    const out = await collect(mapInOrder(delays.map((d, i) => [d, i] as const), async ([d, i]) => { await sleep(d); return i; }, 4));
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('runs at most inFlight pieces of work at once, and uses all of them', async () => {
    let running = 0;
    let most = 0;
    const work = async (i: number) => {
      running++;
      most = Math.max(most, running);
      await sleep(2);
      running--;
      return i * 2;
    };
    expect(await collect(mapInOrder(counted(20).items, work, 3))).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(most).toBe(3);
    most = 0;
    await collect(mapInOrder(counted(5).items, work));
    expect(most).toBe(1); // default: one at a time
  });

  it('reads no further ahead than inFlight items while the consumer waits (backpressure)', async () => {
    const input = counted(100);
    const stream = mapInOrder(input.items, async (i) => i, 3);
    const seen: number[] = [];
    for await (const x of stream) {
      seen.push(x);
      // A slow consumer: however long it takes, the stream has not read on.
      await sleep(1);
      expect(input.read()).toBeLessThanOrEqual(x + 1 + 3);
      if (x === 10) break;
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(input.read()).toBeLessThanOrEqual(14);
  });

  it('yields the results before a failure, then rejects with it, leaving nothing unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      const seen: number[] = [];
      const work = async (i: number) => {
        await sleep(i === 2 ? 5 : 1);
        if (i >= 2) throw new Error(`item ${i} failed`);
        return i;
      };
      await expect((async () => { for await (const x of mapInOrder([0, 1, 2, 3, 4], work, 3)) seen.push(x); })()).rejects.toThrow('item 2 failed');
      expect(seen).toEqual([0, 1]);
      await sleep(20);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('passes on a failure of the input itself', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('bad input');
    }
    await expect(collect(mapInOrder(failing(), async (i) => i, 2))).rejects.toThrow('bad input');
  });
});
