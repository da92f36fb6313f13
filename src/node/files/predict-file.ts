import type { Writable } from 'node:stream';
import { predictConll, type PredictConllArgs } from '../../core/tagger/predict-stream.js';
import type { DocumentTagger } from '../../core/tagger/types.js';
import { writeChunks } from '../write-chunks.js';
import { streamConll } from './conll-files.js';

/**
 * Reads a CoNLL file and writes it to `out` with the predicted tag appended to every token
 * line, `-DOCSTART-` and blank lines where they were: what the CoNLL evaluation script reads.
 * The file needs no gold tag column: a token-only file, or one whose last column is a POS
 * tag, gets the prediction as a new last column all the same (columns are kept as read, and
 * their count must not change). Lines may end in `\n`, `\r\n` or `\r`; the output's end in `\n`.
 * The file is read, tagged and written a chunk at a time (see predictConll), waiting for `out`
 * when it falls behind; `inFlight` chunks are tagged at once (a pool's size).
 *
 * @example
 * await predictFile(tagger, 'test.txt', process.stdout);
 * await predictFile(pool, 'big.txt', process.stdout, { inFlight: pool.size });
 */
export function predictFile(tagger: DocumentTagger, file: string, out: Writable, args: PredictConllArgs = {}): Promise<void> {
  return writeChunks(out, predictConll(tagger, streamConll(file, { tagColumn: 'none' }), args));
}
