/**
 * Writing a stream of text to a Node Writable (stdout, a file) with backpressure: the core's
 * streams (tagLines, predictConll) are pulled one chunk at a time, and the next is asked for
 * only when the Writable has room, so a slow reader slows the tagging instead of growing
 * memory. A stream error (EPIPE when the reader of a pipe went away) is kept and turned into
 * a rejection, never an unhandled 'error' event.
 *
 * @example
 * await writeChunks(process.stdout, tagLines(tagger, lines, { format: 'jsonl' }));
 */
import type { Writable } from 'node:stream';

/**
 * Writes every chunk to `out` in order, waiting for 'drain' whenever its buffer is full.
 * Rejects with the stream's error (or an EPIPE error when it closes first); see
 * {@link closedByReader}. `out` is not ended: stdout stays open, and a caller may write more.
 */
export async function writeChunks(out: Writable, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  let error: Error | undefined;
  const onError = (err: Error): void => { error = err; };
  out.on('error', onError);
  try {
    for await (const chunk of chunks) {
      if (error) throw error;
      if (chunk === '' || out.write(chunk)) continue;
      await drained(out, () => error);
    }
    if (error) throw error;
  } finally {
    // Left attached after a failure, for errors still to come from writes already buffered.
    if (error === undefined) out.off('error', onError);
  }
}

/** Was `err` the reader closing the pipe (EPIPE), which ends a command quietly (`ner tag ... | head`)? */
export function closedByReader(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/** Resolves on 'drain'; rejects on an error, or on 'close' before it. */
function drained(out: Writable, errorSoFar: () => Error | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error): void => {
      out.off('drain', onDrain);
      out.off('error', done);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(errorSoFar() ?? Object.assign(new Error('the output stream closed'), { code: 'EPIPE' }));
    out.on('drain', onDrain);
    out.on('error', done);
    out.on('close', onClose);
  });
}
