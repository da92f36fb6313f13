import type { Document, Sentence } from '../document/document.js';

/**
 * Documents of the sentences of a fold (or folds): consecutive sentences of one document stay
 * one document, as they are one in the data. Sentences are copied, so that predicting into
 * them leaves the caller's documents unchanged. Used by k-fold cross-validation and by the
 * out-of-fold first stage of a two-stage model.
 */
export function foldDocuments(entries: readonly { sentence: Sentence; document: Document }[]): Document[] {
  const out: Document[] = [];
  let from: Document | undefined;
  for (const { sentence, document } of entries) {
    if (document !== from) {
      out.push({ sentences: [] });
      from = document;
    }
    out[out.length - 1].sentences.push({ ...sentence });
  }
  return out;
}
