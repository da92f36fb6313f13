/**
 * The one data model every reader, model, decoder and scorer speaks.
 *
 * Token positions are indices into a sentence; spans use `end` exclusive everywhere.
 */

/** A sentence read from a CoNLL file. */
export interface Sentence {
  /** The words: the first column of each token line. */
  words: string[];
  /** The NER tags: the tag column of each token line (the last one unless told otherwise). */
  tags: string[];
  /** Every column of each token line, as read (words and tags included). */
  rows: string[][];
  /** 1-based line number of the sentence's first token line in its file. */
  line: number;
}

/** A document: the sentences between two `-DOCSTART-` lines (or the whole file without them). */
export interface Document {
  sentences: Sentence[];
  /** 1-based line of the `-DOCSTART-` line that opened it; 0 when the file has none. */
  line: number;
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
