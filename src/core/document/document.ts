/**
 * The one document model every layer speaks, in the spirit of flair's Sentence/Token/Span and
 * spaCy's Doc: a document of sentences of tokens. The CoNLL reader and the raw-text tokenizer
 * make documents; features read document boundaries from them; prediction fills predicted tags
 * and scores into their sentences; the scorer reads gold and predicted spans from them; the
 * renderers (JSON, JSONL, CoNLL, pretty) write them.
 *
 * Positions: token indices within a sentence, spans `end` exclusive. Character offsets, where
 * the text is known, are UTF-16 code units into `Document.text`, `end` exclusive, so that
 * `text.slice(token.start, token.end) === token.text`.
 *
 * @example
 * const doc = documentFromWords([['Angela', 'Merkel', 'visited', 'Paris']]);
 * model.predict([doc]);
 * predictedSpans(doc.sentences[0]); // [{ start: 0, end: 2, type: 'PER', score: 0.99 }, ...]
 */
import { tagsToSpans, type Span } from '../tags/spans.js';

export type { Span };

/** A token: its text and, when it came from raw text, its character range in the document's text. */
export interface Token {
  text: string;
  start?: number;
  end?: number;
}

/** A sentence: its tokens and what is known or predicted about them, one entry per token. */
export interface Sentence {
  tokens: Token[];
  /** Character range in the document's text, from the first token's start to the last one's end (raw text). */
  start?: number;
  end?: number;
  /** Gold tags, as read (a CoNLL file's tag column). */
  gold?: string[];
  /** Tags the model predicted (in the model's scheme, IOB2). */
  predicted?: string[];
  /** The probability the model gives each predicted tag (its marginal under the decoder's calibrated sequence model). */
  scores?: number[];
  /**
   * The score of each predicted entity, in the order tagsToSpans(predicted) gives them: the
   * probability that the sentence holds exactly that entity (see decode/path-posterior.ts).
   * Absent: predictedSpans scores an entity by the mean of its tokens' `scores`.
   */
  entityScores?: number[];
  /** Where the sentence was read from (CoNLL): every column of each token line, and the first token line's number (1-based; token i is on line `line + i`). */
  source?: { rows: string[][]; line: number };
}

/** A document: the unit document-level features look across (a CoNLL `-DOCSTART-` section, or one text). */
export interface Document {
  sentences: Sentence[];
  /** The raw text the tokens' offsets index into (documents made from text). */
  text?: string;
  /** CoNLL: the 1-based line of the `-DOCSTART-` line that opened it (0: none) and its columns as read. */
  source?: { line: number; docstartRow?: string[] };
}

/** The words of a sentence. */
export function words(sentence: Sentence): string[] {
  return sentence.tokens.map((t) => t.text);
}

/** Number of tokens in documents. */
export function tokenCount(documents: readonly Document[]): number {
  let n = 0;
  for (const d of documents) for (const s of d.sentences) n += s.tokens.length;
  return n;
}

/** Every sentence of the documents, in order. */
export function sentencesOf(documents: readonly Document[]): Sentence[] {
  return documents.flatMap((d) => d.sentences);
}

/**
 * One document of pre-tokenized sentences (words only), as CoNLL-style input without a file.
 *
 * @example
 * documentFromWords([['Acme', 'hires'], ['Maria']]).sentences.length; // 2
 */
export function documentFromWords(sentences: readonly (readonly string[])[]): Document {
  return { sentences: sentences.map((ws) => ({ tokens: ws.map((text) => ({ text })) })) };
}

/**
 * Copies of documents whose sentences share their tokens and gold tags but not their
 * predictions: predicting into the copies leaves the originals as they were.
 *
 * @example
 * const scored = copyDocuments(dev);
 * model.predict(scored); // dev's sentences keep their own `predicted` (or none)
 */
export function copyDocuments(documents: readonly Document[]): Document[] {
  return documents.map((d) => ({ ...d, sentences: d.sentences.map((s) => ({ ...s })) }));
}

/** The gold entity spans of a sentence (decoded with the CoNLL script's chunk rules, any scheme). */
export function goldSpans(sentence: Sentence): Span[] {
  return sentence.gold ? tagsToSpans(sentence.gold) : [];
}

/** The predicted entity spans of a sentence, each with its score (`entityScores`, else the mean of its tokens' `scores`). */
export function predictedSpans(sentence: Sentence): Span[] {
  const { predicted, scores, entityScores } = sentence;
  if (!predicted) return [];
  const spans = tagsToSpans(predicted);
  if (entityScores && entityScores.length === spans.length) return spans.map((span, k) => ({ ...span, score: entityScores[k] }));
  return spans.map((span) => {
    if (!scores) return span;
    let sum = 0;
    for (let i = span.start; i < span.end; i++) sum += scores[i];
    return { ...span, score: sum / (span.end - span.start) };
  });
}
