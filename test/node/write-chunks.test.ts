import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { closedByReader, writeChunks } from '../../src/node/write-chunks.js';

/** A Writable that takes `delayMs` per write, keeping what it was given. */
class SlowSink extends Writable {
  text = '';
  constructor(private readonly delayMs: number, highWaterMark: number) {
    super({ highWaterMark, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: string, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    if (this.delayMs > 0) setTimeout(done, this.delayMs);
    else done();
  }
}

describe('writeChunks', () => {
  it('writes every chunk in order, skipping empty ones', async () => {
    const sink = new SlowSink(0, 16);
    const written: string[] = [];
    const write = sink.write.bind(sink);
    sink.write = ((chunk: string) => { written.push(chunk); return write(chunk); }) as typeof sink.write;
    await writeChunks(sink, ['a', '', 'bc', 'd']);
    expect(sink.text).toBe('abcd');
    expect(written).toEqual(['a', 'bc', 'd']);
  });

  it('asks for the next chunk only once the stream has room (backpressure)', async () => {
    const sink = new SlowSink(2, 100);
    let most = 0;
    async function* chunks(): AsyncGenerator<string> {
      for (let i = 0; i < 40; i++) {
        most = Math.max(most, sink.writableLength);
        yield 'x'.repeat(60);
      }
    }
    await writeChunks(sink, chunks());
    expect(sink.text).toBe('x'.repeat(60 * 40));
    // Never more than the buffer's limit plus one chunk waiting.
    expect(most).toBeLessThan(100 + 60);
    expect(most).toBeGreaterThan(0);
  });

  it('rejects with the stream error (EPIPE: the reader went away) instead of an unhandled event', async () => {
    const sink = new Writable({
      highWaterMark: 4,
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const failure = await writeChunks(sink, Array.from({ length: 100 }, () => 'line\n')).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect(closedByReader(failure)).toBe(true);
    expect(closedByReader(new Error('other'))).toBe(false);
  });

  it('rejects when the stream closes while it waits for room', async () => {
    const sink = new Writable({ highWaterMark: 1, write() { /* never done */ } });
    const writing = writeChunks(sink, ['abc', 'def']);
    setTimeout(() => sink.destroy(), 5);
    await expect(writing).rejects.toMatchObject({ code: 'EPIPE' });
  });

  it('passes on a failure of the chunks themselves, and leaves no listener behind on success', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'a';
      throw new Error('tagging failed');
    }
    const sink = new SlowSink(0, 16);
    await expect(writeChunks(sink, failing())).rejects.toThrow('tagging failed');
    const listeners = sink.listenerCount('error');
    await writeChunks(sink, ['b']);
    expect(sink.listenerCount('error')).toBe(listeners);
  });
});
