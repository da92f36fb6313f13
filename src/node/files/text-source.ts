/**
 * Where `ner tag` reads text from in Node: a file, opened at once (so a wrong path fails
 * before a model loads) and read a chunk at a time, or stdin. The splitting into checked
 * lines is the core's (readInputLines).
 */
import { open } from 'node:fs/promises';
import { fileReadError, NerError } from '../../core/errors.js';

/**
 * Bytes per read from a file: 1 MiB, about 13,000 lines of news text. The lines of one read
 * are the most one batch of tagging can hold (tag-stream.ts never waits for more input to
 * fill a batch), and 64 KiB reads made batches of ~800 lines where 2048 fit: twice the
 * rounds of work per token, and for a pool twice the hand-offs.
 */
export const READ_CHUNK = 1 << 20;

/** An open input: its name for messages, its size, its bytes as a stream. */
export interface TextSource {
  /** The file path, or `stdin`. */
  name: string;
  /** Size of a file in bytes; 0 for stdin. */
  bytes: number;
  /** The bytes, a chunk at a time; read once. */
  read: () => AsyncIterable<Uint8Array | string>;
  close: () => Promise<void>;
}

/**
 * Opens `path` (`-` or nothing: `stdin`). A missing or unreadable file, or a directory, is a
 * NerError E_FILE naming it; a read error later is E_FILE too.
 *
 * @example
 * const source = await openTextSource('news.txt', process.stdin);
 * try { for await (const lines of readInputLines(source.read(), { name: source.name, maxLineBytes })) ... }
 * finally { await source.close(); }
 */
export async function openTextSource(path: string | undefined, stdin: AsyncIterable<Uint8Array | string>): Promise<TextSource> {
  if (path === undefined || path === '-') return { name: 'stdin', bytes: 0, read: () => stdin, close: async () => {} };
  const handle = await open(path, 'r').catch((err: unknown) => { throw fileReadError(err, path); });
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new NerError('E_FILE', 'is a directory, not a file', { file: path });
  }
  return {
    name: path,
    bytes: stat.size,
    read: () => readChunks(handle.createReadStream({ highWaterMark: READ_CHUNK, autoClose: false }), path),
    close: () => handle.close(),
  };
}

async function* readChunks(stream: AsyncIterable<Uint8Array> & { destroy(): void }, path: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (err) {
    throw fileReadError(err, path);
  } finally {
    stream.destroy();
  }
}
