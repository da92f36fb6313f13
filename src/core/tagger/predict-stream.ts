/**
 * Predicting a stream of CoNLL items, as `ner predict` does: the items are cut into chunks of
 * whole documents, each chunk tagged (several at once on a worker pool) and written back as
 * CoNLL text with the predicted tag appended to every token line, in input order as it is
 * ready (see mapInOrder). Portable: the items come from any async iterable; where the text
 * goes is the caller's.
 *
 * @example
 * for await (const text of predictConll(tagger, streamConll('test.txt', { tagColumn: 'none' }))) out.write(text);
 */
import type { ConllItem } from '../corpus/conll-lines.js';
import { formatDocstart, formatSentenceWithPrediction } from '../corpus/conll-writer.js';
import type { Document } from '../document/document.js';
import { mapInOrder } from '../util/in-order.js';
import type { DocumentTagger } from './types.js';
import { utf8ByteLength } from '../text/utf8.js';

/** Sentences predicted per chunk: large enough for efficient batches, small enough to stream. */
const SENTENCES_PER_CHUNK = 2000;
/** A document longer than this is cut, so that memory stays bounded on files without -DOCSTART-. */
const MAX_CHUNK = 20 * SENTENCES_PER_CHUNK;

/** Options of {@link predictConll}. */
export interface PredictConllArgs {
  /** Chunks tagged at once, the oldest handed on while the others are tagged: a pool's size. Default 1. */
  inFlight?: number;
  /** Told after each chunk is handed on: the totals so far (for a progress display). */
  onProgress?: (done: PredictProgress) => void;
}

/** How far predictConll has got. */
export interface PredictProgress {
  sentences: number;
  tokens: number;
  /** Bytes of the input written so far, counted as its lines with `\n` endings. */
  bytes: number;
}

/**
 * Yields the items as CoNLL text, in order, with each token line's predicted tag appended as
 * a new last column and an `O` column added to `-DOCSTART-` lines (so every line has as many
 * columns, as the CoNLL evaluation script needs). Chunks are cut at `-DOCSTART-` lines, the
 * same whatever tags them, so a pool writes what one thread does; each `-DOCSTART-` section
 * is its own document for document-level features.
 */
export async function* predictConll(
  tagger: DocumentTagger,
  items: AsyncIterable<ConllItem> | Iterable<ConllItem>,
  args: PredictConllArgs = {},
): AsyncGenerator<string> {
  const done: PredictProgress = { sentences: 0, tokens: 0, bytes: 0 };
  for await (const { text, items: chunk } of mapInOrder(chunks(items), async (c) => ({ text: await predictChunk(tagger, c), items: c }), args.inFlight)) {
    yield text;
    if (args.onProgress) {
      addChunk(done, chunk, text);
      args.onProgress({ ...done });
    }
  }
}

/** Adds a chunk to the totals: its input bytes are its output's less the predicted columns. */
function addChunk(done: PredictProgress, items: readonly ConllItem[], text: string): void {
  let added = 0;
  for (const item of items) {
    if (item.kind === 'docstart') {
      added += 2; // the " O" column
      continue;
    }
    done.sentences++;
    done.tokens += item.sentence.tokens.length;
    for (const tag of item.sentence.predicted ?? []) added += 1 + tag.length;
  }
  done.bytes += utf8ByteLength(text) - added;
}

async function predictChunk(tagger: DocumentTagger, items: readonly ConllItem[]): Promise<string> {
  const documents: Document[] = [{ sentences: [] }];
  for (const item of items) {
    if (item.kind === 'docstart') documents.push({ sentences: [] });
    else documents[documents.length - 1].sentences.push(item.sentence);
  }
  await tagger.tagDocuments(documents.filter((d) => d.sentences.length > 0));
  let out = '';
  for (const item of items) out += item.kind === 'docstart' ? formatDocstart(item.row, ['O']) : formatSentenceWithPrediction(item.sentence);
  return out;
}

async function* chunks(items: AsyncIterable<ConllItem> | Iterable<ConllItem>): AsyncGenerator<ConllItem[]> {
  let pending: ConllItem[] = [];
  let count = 0;
  for await (const item of items) {
    if ((item.kind === 'docstart' && count >= SENTENCES_PER_CHUNK) || count >= MAX_CHUNK) {
      yield pending;
      pending = [];
      count = 0;
    }
    pending.push(item);
    if (item.kind === 'sentence') count++;
  }
  if (pending.length > 0) yield pending;
}
