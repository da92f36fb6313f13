/**
 * The features `train` uses when none are given. `doccase` describes a word's casing across
 * its document; a training file without document boundaries (no `-DOCSTART-` lines) reads as
 * one document, so there it would learn from casing counted over the whole file, which no
 * tagged text has (each text tagged is its own document). Such data gets the defaults without
 * it. WNUT 2017 (one document of 3,394 sentences), `ner train` defaults (3 networks), seeds
 * 1-3: dev F1 45.12 ± 0.69 with doccase, 46.00 ± 0.67 without (docs/wnut17.md). CoNLL-2003
 * has 946 documents: its defaults keep doccase.
 */
import type { Document } from '../document/document.js';
import type { FeatureSpec } from '../features/token-features.js';
import { DEFAULT_FEATURES } from './options.js';

/** Whether the training documents are one document of several sentences: a file without document boundaries. */
export function withoutDocumentBoundaries(train: readonly Document[]): boolean {
  return train.length === 1 && train[0].sentences.length > 1;
}

/**
 * DEFAULT_FEATURES, less doccase when the training data has no document boundaries.
 *
 * @example
 * defaultFeatures(conllTrain).map((f) => f.name); // ['word', 'casing', 'prefix3', 'suffix3', 'doccase']
 * defaultFeatures(wnutTrain).map((f) => f.name);  // ['word', 'casing', 'prefix3', 'suffix3']
 */
export function defaultFeatures(train: readonly Document[]): FeatureSpec[] {
  return withoutDocumentBoundaries(train) ? DEFAULT_FEATURES.filter((f) => f.name !== 'doccase') : DEFAULT_FEATURES;
}
