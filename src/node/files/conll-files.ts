/**
 * CoNLL files in Node: reading a file a chunk at a time (so a 1 GB corpus never needs 1 GB of
 * strings at once) and writing one a sentence at a time. The parsing is the core's.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readConllLines, streamConllLines } from '../../core/corpus/conll-reader.js';
import type { ConllItem, ConllReadArgs } from '../../core/corpus/conll-lines.js';
import { docstartOf, documentsOf, formatDocstart, formatSentence, type ConllWriteArgs } from '../../core/corpus/conll-writer.js';
import { LineSplitter, type LineBatch } from '../../core/corpus/line-reader.js';
import type { Document } from '../../core/document/document.js';
import type { Corpus } from '../../core/corpus/types.js';
import { fileReadError, NerError } from '../../core/errors.js';

const DEFAULT_CHUNK_BYTES = 1 << 20;

/**
 * Reads a file as batches of lines, about `chunkBytes` at a time (1 MiB by default).
 * A missing or unreadable file is a NerError (`E_FILE`); invalid UTF-8 is `E_UTF8` with
 * the line.
 *
 * @example
 * for await (const { lines, firstLine } of readLineBatches('train.txt')) {
 *   lines.forEach((text, i) => console.log(firstLine + i, text));
 * }
 */
export async function* readLineBatches(path: string, chunkBytes = DEFAULT_CHUNK_BYTES): AsyncGenerator<LineBatch> {
  const splitter = new LineSplitter(path);
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const batch = splitter.push(chunk);
      if (batch.lines.length > 0) yield batch;
    }
  } catch (err) {
    throw fileReadError(err, path);
  } finally {
    stream.destroy();
  }
  const last = splitter.end();
  if (last.lines.length > 0) yield last;
}

/**
 * Reads a CoNLL file, streaming it a chunk at a time (see readConllLines for the rules).
 *
 * @example
 * const corpus = await readConll('../shared/corpora/conll2003/train.txt');
 * console.log(corpus.sentenceCount, corpus.tokenCount, corpus.scheme); // 14041 203621 'IOB2'
 */
export function readConll(path: string, options: ConllReadArgs = {}): Promise<Corpus> {
  return readConllLines(readLineBatches(path), path, options);
}

/**
 * Streams a CoNLL file as items in file order (see streamConllLines).
 *
 * @example
 * for await (const item of streamConll('test.txt')) {
 *   if (item.kind === 'docstart') console.log('document at line', item.line);
 * }
 */
export function streamConll(path: string, options: ConllReadArgs = {}): AsyncGenerator<ConllItem> {
  return streamConllLines(readLineBatches(path), path, options);
}

/**
 * Writes a corpus to a file, a sentence at a time (waiting whenever the disk falls behind),
 * so writing needs no more memory than the corpus itself.
 *
 * @example
 * await writeConll('out.txt', await readConll('train.txt'));
 */
export async function writeConll(path: string, corpus: Corpus | readonly Document[], options: ConllWriteArgs = {}): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([err]) => {
    throw new NerError('E_FILE', `cannot write: ${(err as Error).message}`, { file: path });
  });
  // Keeps an early failure from being reported as unhandled while we are still writing.
  failed.catch(() => undefined);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  for (const doc of documentsOf(corpus)) {
    const header = docstartOf(doc);
    if (header) await write(formatDocstart(header));
    for (const sentence of doc.sentences) await write(formatSentence(sentence, options));
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}

