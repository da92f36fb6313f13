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

/** Sentences predicted per chunk: large enough for efficient batches, small enough to stream. */
const SENTENCES_PER_CHUNK = 2000;
/** A document longer than this is cut, so that memory stays bounded on files without -DOCSTART-. */
const MAX_CHUNK = 20 * SENTENCES_PER_CHUNK;

/** Options of {@link predictConll}. */
export interface PredictConllArgs {
  /** Chunks tagged at once, the oldest handed on while the others are tagged: a pool's size. Default 1. */
  inFlight?: number;
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
  yield* mapInOrder(chunks(items), (chunk) => predictChunk(tagger, chunk), args.inFlight);
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
