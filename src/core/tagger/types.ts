/**
 * The shapes `tagger.tag(text)` and `ner tag --format json` return (see CONTRACT.md).
 * All `start`/`end` here are character offsets into the input string as JavaScript indexes
 * it (UTF-16 code units), `end` exclusive, so `text.slice(start, end) === entity.text`.
 */

import type { RenderSpec } from './format.js';

/** A token of the tagged text. */
export interface TaggedToken {
  text: string;
  start: number;
  end: number;
  /** The predicted tag in IOB2 (`B-PER`, `I-PER`, `O`). */
  tag: string;
}

/** A sentence of the tagged text: its character range and its tokens. */
export interface TaggedSentence {
  start: number;
  end: number;
  tokens: TaggedToken[];
}

/** An entity found in the text. `score` is the model's confidence in [0, 1]. */
export interface TaggedEntity {
  text: string;
  type: string;
  start: number;
  end: number;
  score: number;
}

/** The result of tagging one document. */
export interface TagResult {
  text: string;
  entities: TaggedEntity[];
  sentences: TaggedSentence[];
}

/** Anything that tags raw text: the real Tagger, or a stand-in in tests. */
export interface TextTagger {
  tag(text: string): Promise<TagResult>;
  tagBatch(texts: readonly string[]): Promise<TagResult[]>;
  /**
   * Tags texts and renders each result with `renderResult(result, spec)`. Optional: where it
   * is missing, callers render tagBatch's results themselves. TaggerPool renders on its
   * worker threads, which spares the main thread most of the work of big inputs.
   */
  tagBatchRendered?(texts: readonly string[], spec: RenderSpec): Promise<string[]>;
}
