import type { Writable } from 'node:stream';
import { streamConll } from '../corpus/conll-reader.js';
import { formatDocstart, formatSentenceWithPrediction } from '../corpus/conll-writer.js';
import type { ConllItem } from '../corpus/conll-lines.js';
import type { Tagger } from './tagger.js';

/** Sentences predicted per network pass: large enough for efficient batches, small enough to stream. */
const SENTENCES_PER_CHUNK = 2000;

/**
 * Reads a CoNLL file and writes it to `out` with the predicted tag appended to every token
 * line, `-DOCSTART-` and blank lines where they were: what the CoNLL evaluation script reads.
 *
 * @example
 * await predictFile(tagger, 'test.txt', process.stdout);
 */
export async function predictFile(tagger: Tagger, file: string, out: Writable): Promise<void> {
  let pending: ConllItem[] = [];
  const flush = async () => {
    const sentences = pending.flatMap((item) => (item.kind === 'sentence' ? [item.sentence] : []));
    const predictions = tagger.tagWords(sentences.map((s) => s.words));
    let k = 0;
    const text = pending
      .map((item) => (item.kind === 'docstart' ? formatDocstart(item.row, ['O']) : formatSentenceWithPrediction(item.sentence, predictions[k++].tags)))
      .join('');
    pending = [];
    if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  };
  let count = 0;
  for await (const item of streamConll(file)) {
    pending.push(item);
    if (item.kind === 'sentence' && ++count % SENTENCES_PER_CHUNK === 0) await flush();
  }
  await flush();
}
