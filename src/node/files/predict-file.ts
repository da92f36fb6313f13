import type { Writable } from 'node:stream';
import { streamConll } from './conll-files.js';
import { formatDocstart, formatSentenceWithPrediction } from '../../core/corpus/conll-writer.js';
import type { ConllItem } from '../../core/corpus/conll-lines.js';

/** Sentences predicted per network pass: large enough for efficient batches, small enough to stream. */
const SENTENCES_PER_CHUNK = 2000;
/** A document longer than this is cut, so that memory stays bounded on files without -DOCSTART-. */
const MAX_CHUNK = 20 * SENTENCES_PER_CHUNK;

/** What predictFile tags with: Tagger (in this thread) or TaggerPool (worker threads). */
export interface SentenceTagger {
  /** Tags of sentences given as words; `documentIds[i]` is sentence i's document. */
  predictTags(sentences: readonly (readonly string[])[], documentIds?: readonly number[]): Promise<string[][]>;
}

/** Options of predictFile. */
export interface PredictFileArgs {
  /**
   * Chunks tagged at once, the oldest written while the others are tagged: the pool's
   * worker count, so that every worker has a chunk. Default 1.
   */
  inFlight?: number;
}

/**
 * Reads a CoNLL file and writes it to `out` with the predicted tag appended to every token
 * line, `-DOCSTART-` and blank lines where they were: what the CoNLL evaluation script reads.
 * The file needs no gold tag column: a token-only file, or one whose last column is a POS
 * tag, gets the prediction as a new last column all the same (columns are kept as read, and
 * their count must not change). Lines may end in `\n`, `\r\n` or `\r`; the output's end in `\n`.
 * Whole documents are predicted together (for document-level features); chunks are cut at
 * `-DOCSTART-` lines, the same wherever they are tagged, so a pool writes what one thread does.
 *
 * @example
 * await predictFile(tagger, 'test.txt', process.stdout);
 * await predictFile(pool, 'big.txt', process.stdout, { inFlight: pool.size });
 */
export async function predictFile(tagger: SentenceTagger, file: string, out: Writable, args: PredictFileArgs = {}): Promise<void> {
  const limit = Math.max(1, args.inFlight ?? 1);
  const inFlight: Promise<string>[] = [];
  const tagChunk = async (items: ConllItem[]): Promise<string> => {
    const words: string[][] = [];
    const documents: number[] = [];
    let doc = 0;
    for (const item of items) {
      if (item.kind === 'docstart') doc++;
      else {
        words.push(item.sentence.words);
        documents.push(doc);
      }
    }
    const predicted = await tagger.predictTags(words, documents);
    let k = 0;
    return items
      .map((item) => (item.kind === 'docstart' ? formatDocstart(item.row, ['O']) : formatSentenceWithPrediction(item.sentence, predicted[k++])))
      .join('');
  };
  const writeOldest = async () => {
    const text = await inFlight.shift()!;
    if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  };
  let pending: ConllItem[] = [];
  let count = 0;
  const flush = async () => {
    inFlight.push(tagChunk(pending));
    pending = [];
    count = 0;
    if (inFlight.length >= limit) await writeOldest();
  };
  try {
    for await (const item of streamConll(file, { tagColumn: 'none' })) {
      if ((item.kind === 'docstart' && count >= SENTENCES_PER_CHUNK) || count >= MAX_CHUNK) await flush();
      pending.push(item);
      if (item.kind === 'sentence') count++;
    }
    await flush();
    while (inFlight.length > 0) await writeOldest();
  } finally {
    // A failure leaves chunks in flight; their rejections must not go unhandled.
    for (const chunk of inFlight) chunk.catch(() => {});
  }
}
