import type { Document } from '../document/document.js';
import { DocumentContext } from './document-context.js';
import { documentPredictionKeys } from './document-predictions.js';
import type { FeatureSet } from './token-features.js';
import { PAD_ID } from './vocabulary.js';

/**
 * Sentences turned into feature ids, all tokens in one flat array, with each token's
 * sentence bounds so windows can pad at the sentence edges.
 */
export interface EncodedTokens {
  /** Id columns per token (FeatureSet.columns: one per feature, several for `chars`). */
  features: number;
  /** Number of tokens. */
  length: number;
  /** `ids[t * features + c]`: id column c of token t (FeatureSet.columnOf gives a feature's). */
  ids: Int32Array;
  /** Index of the first token of token t's sentence. */
  sentenceStart: Int32Array;
  /** Index one past the last token of token t's sentence. */
  sentenceEnd: Int32Array;
}

/** What encodeDocuments may take besides the documents (see there). */
export interface EncodeOptions {
  /** Per document, the first pass's tags of its sentences (the `docpred` feature). */
  firstStage?: readonly (readonly (readonly string[])[] | undefined)[];
  /** Per document, the feature set that encodes it (training folds' gazetteers). */
  featureSetOf?: (d: number) => FeatureSet;
}

/**
 * Encodes the sentences of documents into one flat EncodedTokens, in order. Each document is
 * its own context for the features that look at the whole document. `options.firstStage[d]`,
 * when given, holds the first pass's tags of document d's sentences, which the `docpred`
 * feature reads (see document-predictions.ts); without it (or for a document left undefined)
 * every token's `docpred` key is `none`. `options.featureSetOf(d)`, when given, encodes
 * document d instead (the same vocabularies; training folds' gazetteers).
 *
 * @example
 * const enc = encodeDocuments(featureSet, [documentFromWords([['Paris', 'is', 'big'], ['Yes']])]);
 * enc.length; // 4
 */
export function encodeDocuments(
  featureSet: FeatureSet,
  documents: readonly Document[],
  options: EncodeOptions = {},
): EncodedTokens {
  const { firstStage, featureSetOf } = options;
  const F = featureSet.columns;
  let length = 0;
  for (const d of documents) for (const s of d.sentences) length += s.tokens.length;
  const ids = new Int32Array(length * F);
  const sentenceStart = new Int32Array(length);
  const sentenceEnd = new Int32Array(length);
  let t = 0;
  for (const [d, doc] of documents.entries()) {
    const sentences = doc.sentences.map((s) => s.tokens.map((token) => token.text));
    const context = featureSet.usesDocuments ? DocumentContext.of(sentences, featureSet.topics) : undefined;
    const encoder = featureSetOf ? featureSetOf(d) : featureSet;
    const tags = featureSet.usesFirstStage ? firstStage?.[d] : undefined;
    const keys = tags ? documentPredictionKeys(sentences, tags) : undefined;
    for (const [s, words] of sentences.entries()) {
      ids.set(encoder.encode(words, context, keys?.[s]), t * F);
      const end = t + words.length;
      sentenceStart.fill(t, t, end);
      sentenceEnd.fill(end, t, end);
      t = end;
    }
  }
  return { features: F, length, ids, sentenceStart, sentenceEnd };
}

/**
 * The feature ids of the windows around `count` tokens (`tokens[from .. from+count)`, or the
 * consecutive tokens `from .. from+count` when `tokens` is null), as one batch: `out[(b * slots + s) * features + f]` with `slots = 2 * window + 1`. Positions past a
 * sentence edge get PAD_ID.
 */
export function windowIds(
  enc: EncodedTokens,
  tokens: ArrayLike<number> | null,
  from: number,
  count: number,
  window: number,
  out: Int32Array = new Int32Array(count * (2 * window + 1) * enc.features),
): Int32Array {
  const F = enc.features;
  const slots = 2 * window + 1;
  const { ids, sentenceStart, sentenceEnd } = enc;
  for (let b = 0; b < count; b++) {
    const t = tokens === null ? from + b : tokens[from + b];
    const lo = sentenceStart[t];
    const hi = sentenceEnd[t];
    let o = b * slots * F;
    for (let s = 0; s < slots; s++) {
      const p = t + s - window;
      if (p < lo || p >= hi) {
        for (let f = 0; f < F; f++) out[o++] = PAD_ID;
      } else {
        const base = p * F;
        for (let f = 0; f < F; f++) out[o++] = ids[base + f];
      }
    }
  }
  return out;
}
