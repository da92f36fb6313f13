/**
 * Tagging a stream of text lines, as `ner tag` does for jsonl, conll and pretty: lines are cut
 * into batches, each batch tagged (several at once on a worker pool) and rendered, and the
 * rendered text handed on in input order as it is ready (see mapInOrder: bounded, and
 * held back by a slow consumer). Portable: the lines come from any async iterable (a file or
 * stdin in Node, a fetch body in a browser); where the text goes is the caller's.
 *
 * @example
 * const lines = readInputLines(stream, { name: 'news.txt', maxLineBytes: MAX_TEXT_BYTES });
 * for await (const text of tagLines(tagger, lines, { format: 'jsonl' })) out.write(text);
 */
import type { Document } from '../document/document.js';
import type { InputLine } from '../text/input-lines.js';
import { tokenize } from '../text/tokenize.js';
import { utf8ByteLength } from '../text/utf8.js';
import { mapInOrder } from '../util/in-order.js';
import { renderDocument, type RenderSpec } from './format.js';
import type { DocumentTagger } from './types.js';

/** Lines per batch: enough to fill the network's batches, few enough to start output early. */
export const BATCH_LINES = 2048;
/** Characters per batch, so a batch of long lines stays small in memory. */
export const BATCH_CHARS = 256 << 10;

/** Options of {@link tagLines}. */
export interface TagLinesArgs {
  /** Batches tagged at once, the oldest handed on while the others are tagged: a pool's size. Default 1. */
  inFlight?: number;
  /**
   * Told after each batch is handed on: the totals so far. Tokens are counted in the jsonl
   * and conll renderings; for pretty, counting tokenizes each line once more.
   */
  onProgress?: (done: TagProgress) => void;
}

/** How far tagLines has got. */
export interface TagProgress {
  lines: number;
  tokens: number;
  /** UTF-8 bytes of the lines done, their line endings included. */
  bytes: number;
}

/**
 * Tags lines (each its own document) and yields their rendering in input order, one string
 * per batch: `jsonl` one JSON line per input line; `conll` the lines' sentences with a blank
 * line between sentences (a line without tokens writes nothing); `pretty` each line marked,
 * with the line ending it had (and a final `\n` when the input's last line had none).
 */
export async function* tagLines(
  tagger: DocumentTagger,
  lines: AsyncIterable<readonly InputLine[]> | Iterable<readonly InputLine[]>,
  spec: RenderSpec,
  args: TagLinesArgs = {},
): AsyncGenerator<string> {
  let sentenceWritten = false;
  let endedWithNewline = true;
  const done: TagProgress = { lines: 0, tokens: 0, bytes: 0 };
  const tagBatch = async (batch: readonly InputLine[]) => ({ batch, texts: await tagAndRender(tagger, batch.map((l) => l.text), spec) });
  for await (const { batch, texts } of mapInOrder(batches(lines), tagBatch, args.inFlight)) {
    let chunk = '';
    for (let i = 0; i < batch.length; i++) {
      const text = texts[i];
      if (spec.format === 'jsonl') chunk += text;
      else if (spec.format === 'conll') {
        // A blank line between the sentences of consecutive lines.
        if (text === '') continue;
        if (sentenceWritten) chunk += '\n';
        sentenceWritten = true;
        chunk += text;
      } else {
        // pretty: the line as it was, its own line ending included
        chunk += text + batch[i].ending;
        endedWithNewline = batch[i].ending !== '';
      }
    }
    yield chunk;
    if (args.onProgress) args.onProgress(addBatch(done, batch, texts, spec));
  }
  if (spec.format === 'pretty' && !endedWithNewline) yield '\n';
}

/** Adds a batch of lines, rendered as `texts`, to the totals and returns a copy of them. */
function addBatch(done: TagProgress, batch: readonly InputLine[], texts: readonly string[], spec: RenderSpec): TagProgress {
  for (let i = 0; i < batch.length; i++) {
    const line = batch[i];
    done.lines++;
    done.bytes += utf8ByteLength(line.text) + line.ending.length;
    done.tokens += renderedTokens(texts[i], line.text, spec);
  }
  return { ...done };
}

/**
 * Tokens of one line, read off its rendering where that names each token once: a jsonl
 * token's `"tag":"` (inside a JSON string a quote is escaped, so the sequence is only ever a
 * key), a conll line that is not blank. Tokenizing every line again for the progress display
 * cost a terminal user a tenth of the run; only pretty still does.
 */
function renderedTokens(rendered: string, text: string, spec: RenderSpec): number {
  let n = 0;
  if (spec.format === 'jsonl') {
    for (let at = rendered.indexOf(TAG_KEY); at >= 0; at = rendered.indexOf(TAG_KEY, at + TAG_KEY.length)) n++;
  } else if (spec.format === 'conll') {
    for (let from = 0, end = rendered.indexOf('\n'); end >= 0; from = end + 1, end = rendered.indexOf('\n', from)) if (end > from) n++;
  } else if (HAS_TEXT.test(text)) {
    for (const sentence of tokenize(text).sentences) n += sentence.tokens.length;
  }
  return n;
}

/** How a token's tag begins in a jsonl line. */
const TAG_KEY = '"tag":"';

/** Any non-whitespace: a text without it is blank and needs no model. */
const HAS_TEXT = /\S/;

/**
 * Tags texts (each its own document) and renders each with `spec`, in order: on the tagger's
 * own threads where it renders (TaggerPool), else tokenized, tagged with tagDocuments and
 * rendered here. Blank texts get their empty rendering without a trip through the model.
 *
 * @example
 * await tagAndRender(tagger, ['Kofi Annan left.', ''], { format: 'jsonl' });
 * // ['{"text":"Kofi Annan left.",...}\n', '{"text":"","entities":[],"sentences":[]}\n']
 */
export async function tagAndRender(tagger: DocumentTagger, texts: readonly string[], spec: RenderSpec): Promise<string[]> {
  const toTag = texts.filter((t) => HAS_TEXT.test(t));
  let rendered: string[] = [];
  if (toTag.length > 0) {
    if (tagger.tagBatchRendered) rendered = await tagger.tagBatchRendered(toTag, spec);
    else {
      const docs = toTag.map((text) => tokenize(text));
      await tagger.tagDocuments(docs);
      rendered = docs.map((doc) => renderDocument(doc, spec));
    }
  }
  if (rendered.length !== toTag.length) {
    throw new Error(`the tagger returned ${rendered.length} results for ${toTag.length} texts`);
  }
  let k = 0;
  return texts.map((text) => (HAS_TEXT.test(text) ? rendered[k++] : renderDocument(blank(text), spec)));
}

/** A text without tokens, as tokenize makes it. */
function blank(text: string): Document {
  return { text, sentences: [] };
}

/** The lines cut into batches of at most BATCH_LINES lines and about BATCH_CHARS characters. */
async function* batches(lines: AsyncIterable<readonly InputLine[]> | Iterable<readonly InputLine[]>): AsyncGenerator<readonly InputLine[]> {
  for await (const block of lines) {
    for (let first = 0; first < block.length;) {
      const to = batchEnd(block, first);
      yield block.slice(first, to);
      first = to;
    }
  }
}

function batchEnd(lines: readonly InputLine[], from: number): number {
  let chars = 0;
  let to = from;
  while (to < lines.length && to - from < BATCH_LINES) {
    chars += lines[to].text.length;
    if (chars > BATCH_CHARS && to > from) break;
    to++;
  }
  return to;
}
