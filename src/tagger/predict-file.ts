import type { Writable } from 'node:stream';
import { streamConll } from '../corpus/conll-reader.js';
import { formatDocstart, formatSentenceWithPrediction } from '../corpus/conll-writer.js';
import type { ConllItem } from '../corpus/conll-lines.js';
import type { Tagger } from './tagger.js';

/** Sentences predicted per network pass: large enough for efficient batches, small enough to stream. */
const SENTENCES_PER_CHUNK = 2000;
/** A document longer than this is cut, so that memory stays bounded on files without -DOCSTART-. */
const MAX_CHUNK = 20 * SENTENCES_PER_CHUNK;

/**
 * Reads a CoNLL file and writes it to `out` with the predicted tag appended to every token
 * line, `-DOCSTART-` and blank lines where they were: what the CoNLL evaluation script reads.
 * Whole documents are predicted together (for document-level features); chunks are cut at
 * `-DOCSTART-` lines.
 *
 * @example
 * await predictFile(tagger, 'test.txt', process.stdout);
 */
export async function predictFile(tagger: Tagger, file: string, out: Writable): Promise<void> {
  let pending: ConllItem[] = [];
  const flush = async () => {
    const words: string[][] = [];
    const documents: number[] = [];
    let doc = 0;
    for (const item of pending) {
      if (item.kind === 'docstart') doc++;
      else {
        words.push(item.sentence.words);
        documents.push(doc);
      }
    }
    const predictions = tagger.tagWords(words, documents);
    let k = 0;
    const text = pending
      .map((item) => (item.kind === 'docstart' ? formatDocstart(item.row, ['O']) : formatSentenceWithPrediction(item.sentence, predictions[k++].tags)))
      .join('');
    pending = [];
    if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  };
  let count = 0;
  for await (const item of streamConll(file)) {
    if ((item.kind === 'docstart' && count >= SENTENCES_PER_CHUNK) || count >= MAX_CHUNK) {
      await flush();
      count = 0;
    }
    pending.push(item);
    if (item.kind === 'sentence') count++;
  }
  await flush();
}
