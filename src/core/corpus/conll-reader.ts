/**
 * Reading CoNLL text: whole (`readConllLines`, `parseConll`) or as a stream of items
 * (`streamConllLines`) for files too large to hold, or to write them back in the same layout.
 * Lines come in batches from wherever they are (node/files/conll-files.ts reads files).
 * The line format and its checks are in conll-lines.ts.
 */
import { ConllLineParser, type ConllItem, type ConllReadArgs } from './conll-lines.js';
import { decodeLines, type LineBatch } from './line-reader.js';
import { SchemeDetector } from '../tags/tag-scheme.js';
import { sentencesOf, type Document, type Sentence } from '../document/document.js';
import type { Corpus } from './types.js';

export { DOCSTART, splitColumns, type ConllItem, type ConllReadArgs } from './conll-lines.js';

/** Options for `parseConll`: those of `readConll`, plus the name to use in messages. */
export interface ConllParseArgs extends ConllReadArgs {
  /** File name for error messages and `Corpus.path`. Default `<text>`. */
  file?: string;
}

/**
 * Reads CoNLL lines as they come in batches (from a file: `readConll` in Node); lines may end in `\n`, `\r\n` or `\r`
 * alone, mixed, and a UTF-8 BOM is dropped. Bad input is a NerError naming
 * `file:line`: too few columns, a changing column count, a malformed tag, invalid UTF-8.
 *
 * @example
 * const corpus = await readConllLines(readLineBatches('train.txt'), 'train.txt');
 * console.log(corpus.sentenceCount, corpus.tokenCount, corpus.scheme); // 14041 203621 'IOB2'
 */
export async function readConllLines(batches: AsyncIterable<LineBatch>, path: string, options: ConllReadArgs = {}): Promise<Corpus> {
  const builder = new CorpusBuilder(path);
  const parser = new ConllLineParser(path, options);
  const items: ConllItem[] = [];
  for await (const { lines, firstLine } of batches) {
    for (let i = 0; i < lines.length; i++) parser.push(lines[i], firstLine + i, items);
    builder.addAll(items);
    items.length = 0;
  }
  parser.end(items);
  builder.addAll(items);
  return builder.build();
}

/**
 * Parses CoNLL text held in memory (a string, or bytes that must be UTF-8). Lines end in
 * `\n`, `\r\n` or `\r` alone, as in files.
 *
 * @example
 * const corpus = parseConll('-DOCSTART- O\n\nAcme B-ORG\nhires O\n\nMaria B-PER\n', { file: 'mini.txt' });
 * corpus.documents[0].sentences.length; // 2
 * words(corpus.documents[0].sentences[1]); // ['Maria']
 */
export function parseConll(text: string | Uint8Array, options: ConllParseArgs = {}): Corpus {
  const file = options.file ?? '<text>';
  const lines = typeof text === 'string' ? textLines(text) : decodeLines(text, file);
  const parser = new ConllLineParser(file, options);
  const items: ConllItem[] = [];
  for (let i = 0; i < lines.length; i++) parser.push(lines[i], i + 1, items);
  parser.end(items);
  const builder = new CorpusBuilder(file);
  builder.addAll(items);
  return builder.build();
}

/** A string's lines by the rules of line-reader.ts: `\n`, `\r\n` or `\r` alone end a line; a BOM is dropped. */
function textLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  // A final line break ends the last line rather than starting an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Streams CoNLL lines (from a file: `streamConll` in Node) as items in file order: `-DOCSTART-` lines and sentences. Only one
 * chunk of the file is held at a time, so it suits files of any size, and `ner predict` can
 * write `-DOCSTART-` and blank lines back where they were.
 *
 * @example
 * for await (const item of streamConllLines(readLineBatches('test.txt'), 'test.txt')) {
 *   if (item.kind === 'docstart') console.log('document at line', item.line);
 *   else console.log(words(item.sentence).join(' '));
 * }
 */
export async function* streamConllLines(batches: AsyncIterable<LineBatch>, path: string, options: ConllReadArgs = {}): AsyncGenerator<ConllItem> {
  const parser = new ConllLineParser(path, options);
  const items: ConllItem[] = [];
  for await (const { lines, firstLine } of batches) {
    for (let i = 0; i < lines.length; i++) parser.push(lines[i], firstLine + i, items);
    // A consumer that stops early ends the generator, whose finally closes the file.
    for (const item of items) yield item;
    items.length = 0;
  }
  parser.end(items);
  yield* items;
}

/**
 * Every sentence of a corpus, across documents, in order.
 *
 * @example
 * allSentences(parseConll('-DOCSTART- O\n\na O\n\n-DOCSTART- O\n\nb O\n')).length; // 2
 */
export function allSentences(corpus: Corpus): Sentence[] {
  return sentencesOf(corpus.documents);
}

/** Collects items into documents while counting and detecting the tag scheme. */
class CorpusBuilder {
  private readonly documents: Document[] = [];
  private current: Document | undefined;
  private readonly detector = new SchemeDetector();
  private sentenceCount = 0;
  private tokenCount = 0;

  constructor(private readonly path: string) {}

  addAll(items: readonly ConllItem[]): void {
    for (const item of items) this.add(item);
  }

  add(item: ConllItem): void {
    if (item.kind === 'docstart') {
      this.current = { sentences: [], source: { line: item.line, docstartRow: item.row } };
      this.documents.push(this.current);
      return;
    }
    if (this.current === undefined) {
      // Sentences before any -DOCSTART- (or a file without them) form a document of line 0.
      this.current = { sentences: [], source: { line: 0 } };
      this.documents.push(this.current);
    }
    this.current.sentences.push(item.sentence);
    if (item.sentence.gold) this.detector.add(item.sentence.gold);
    this.sentenceCount++;
    this.tokenCount += item.sentence.tokens.length;
  }

  build(): Corpus {
    return {
      path: this.path,
      documents: this.documents,
      scheme: this.detector.scheme,
      sentenceCount: this.sentenceCount,
      tokenCount: this.tokenCount,
    };
  }
}
