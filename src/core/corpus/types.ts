/**
 * The one data model every reader, model, decoder and scorer speaks.
 *
 * Token positions are indices into a sentence; spans use `end` exclusive everywhere.
 */

/** A sentence read from a CoNLL file. */
export interface Sentence {
  /** The words: the first column of each token line. */
  words: string[];
  /**
   * The NER tags: the tag column of each token line (the last one unless told otherwise);
   * empty for a file read without one (`tagColumn: 'none'`).
   */
  tags: string[];
  /** Every column of each token line, as read (words and tags included). */
  rows: string[][];
  /**
   * 1-based line number of the sentence's first token line in its file. Token lines of a
   * sentence are consecutive, so token `i` is on line `line + i`.
   */
  line: number;
}

/** A document: the sentences between two `-DOCSTART-` lines (or the whole file without them). */
export interface Document {
  sentences: Sentence[];
  /** 1-based line of the `-DOCSTART-` line that opened it; 0 when the file has none. */
  line: number;
  /** The columns of that `-DOCSTART-` line as read, so a writer can put it back unchanged. */
  docstartRow?: string[];
}

/**
 * An entity span over token indices: tokens `start` .. `end - 1` have type `type`.
 * `score`, when present, is the model's confidence in [0, 1].
 */
export interface Span {
  start: number;
  end: number;
  type: string;
  score?: number;
}

/** The tag schemes a CoNLL file can use. */
export type TagScheme = 'IOB1' | 'IOB2' | 'BIOES';

/**
 * A whole CoNLL file in memory, as `readConll` and `parseConll` return it.
 *
 * @example
 * const corpus = parseConll('Acme B-ORG\nhires O\n');
 * corpus.sentenceCount; // 1
 * corpus.tokenCount;    // 2
 */
export interface Corpus {
  /** The file it was read from (`<text>` for in-memory text without a name). */
  path: string;
  documents: Document[];
  /** The scheme the tags use, as `detectScheme` finds it (IOB2 when there are no entities). */
  scheme: TagScheme;
  sentenceCount: number;
  tokenCount: number;
}
