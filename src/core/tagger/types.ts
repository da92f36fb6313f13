/**
 * What the tagging API speaks besides Documents: the shape `tagTokens` returns, and the one
 * thing every tagger (Tagger in this thread, TaggerPool on worker threads, a stand-in in
 * tests) does, which the streams of `ner tag` and `ner predict` rely on.
 */
import type { Document, Span } from '../document/document.js';
import type { RenderSpec } from './format.js';

/** Options of `tag`, `tagBatch` and `tagTokens`. */
export interface TagOptions {
  /**
   * Drop entities scored below this (0 to 1): their tokens' tags become `O`. Scores are
   * calibrated probabilities, so 0.8 keeps entities that are right about 80% of the time
   * or more. Default: keep all.
   */
  minScore?: number;
}

/** Options of `tagTokens`. */
export interface TagTokensOptions extends TagOptions {
  /**
   * Sentence i's document (one number per sentence): sentences with the same number are one
   * document for the features that look across a document. Default: all sentences are one document.
   */
  documents?: readonly number[];
}

/**
 * What `tagTokens` gives for one sentence: the predicted tag of every token (IOB2) and the
 * entities over token indices (`end` exclusive), each with the model's confidence in [0, 1].
 */
export interface TokenTags {
  tags: string[];
  entities: Required<Span>[];
}

/** Anything that tags documents: Tagger, TaggerPool, or a stand-in in tests. */
export interface DocumentTagger {
  /** Fills every sentence's `predicted` tags and `scores` in place; each document is its own context. */
  tagDocuments(documents: readonly Document[]): Promise<void>;
  /**
   * Tags texts and renders each (`renderDocument(tokenize(text), spec)` once tagged). Optional:
   * where it is missing, the streams tokenize, tag with tagDocuments and render themselves.
   * TaggerPool renders on its worker threads, which spares the main thread most of the work
   * of big inputs.
   */
  tagBatchRendered?(texts: readonly string[], spec: RenderSpec, options?: TagOptions): Promise<string[]>;
}
