import type { Document } from '../document/document.js';
import { documentPredictionKeys, NO_FIRST_STAGE } from '../features/document-predictions.js';
import { normalizeWord } from '../features/normalize.js';
import type { FeatureSet } from '../features/token-features.js';
import { UNK_ID } from '../features/vocabulary.js';
import type { EncodedTokens } from '../features/windows.js';

/**
 * The tokens whose windows the second pass of a two-stage model must run again: those with
 * some token of their window (same sentence) whose `docpred` key is not `none`. Every other
 * window is exactly what the first pass saw, so its probabilities stay as they were.
 *
 * @example
 * secondPassTokens(featureSet, encodeDocuments(featureSet, docs, { firstStage: firstPassTags }), 2); // Int32Array [3, 4, 5, ...]
 */
export function secondPassTokens(featureSet: FeatureSet, enc: EncodedTokens, window: number): Int32Array {
  const docpred = featureSet.specs.findIndex((s) => s.name === 'docpred');
  if (docpred < 0) return new Int32Array(0);
  const none = featureSet.vocabularies[docpred].id(NO_FIRST_STAGE);
  const f = featureSet.columnOf(docpred);
  const F = enc.features;
  const out: number[] = [];
  // `next`: the first keyed token at or after the window's start; window starts only move right.
  let next = 0;
  for (let t = 0; t < enc.length; t++) {
    const lo = Math.max(enc.sentenceStart[t], t - window);
    const hi = Math.min(enc.sentenceEnd[t], t + window + 1);
    if (next < lo) next = lo;
    while (next < enc.length && enc.ids[next * F + f] === none) next++;
    if (next < hi) out.push(t);
  }
  return Int32Array.from(out);
}

/**
 * `enc` (the first pass's encoding of `documents`) with its `docpred` column filled from the
 * first pass's tags (per document and sentence): what encodeDocuments(featureSet, documents,
 * { firstStage: tags }) gives, without encoding every other feature again. A new array; `enc` is unchanged.
 */
export function withFirstStage(featureSet: FeatureSet, enc: EncodedTokens, documents: readonly Document[], tags: readonly (readonly (readonly string[])[])[]): EncodedTokens {
  const docpred = featureSet.specs.findIndex((s) => s.name === 'docpred');
  const vocab = featureSet.vocabularies[docpred];
  const f = featureSet.columnOf(docpred);
  const F = enc.features;
  const ids = enc.ids.slice();
  // Words already have ids: a known word's id stands for its normalised form (no string work);
  // unknown words share <UNK>, so those are told apart by the normalised word itself.
  const wordFeature = featureSet.specs.findIndex((s) => s.name === 'word');
  const w = wordFeature < 0 ? -1 : featureSet.columnOf(wordFeature);
  let t = 0;
  documents.forEach((doc, d) => {
    const first = t;
    const starts: number[] = [];
    for (const s of doc.sentences) starts.push(t), (t += s.tokens.length);
    const identity =
      w < 0
        ? undefined
        : (word: string, s: number, i: number): string | number => {
            const id = enc.ids[(starts[s] + i) * F + w];
            return id === UNK_ID ? normalizeWord(word) : id;
          };
    const keys = documentPredictionKeys(
      doc.sentences.map((s) => s.tokens.map((token) => token.text)),
      tags[d],
      identity,
    );
    let k = first;
    // The first pass's column is all `none`: only the few keyed tokens change.
    for (const sentence of keys) {
      for (const key of sentence) {
        if (key !== NO_FIRST_STAGE) ids[k * F + f] = vocab.id(key);
        k++;
      }
    }
  });
  return { ...enc, ids };
}
