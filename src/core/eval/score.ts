/**
 * Scoring documents: the one function training, `ner eval`, cross-validation, ensembles and
 * the sweep script score with, so that every figure is computed the same way.
 */
import { sentencesOf, type Document } from '../document/document.js';
import { NerError } from '../errors.js';
import { evaluate, type EvalResult } from './conlleval.js';

/** Anything that fills predicted tags into documents: a WindowModel, a Tagger's model. */
export interface DocumentPredictor {
  predict(documents: readonly Document[]): void;
}

/**
 * Scores the predicted tags of labelled documents against their gold tags, exactly as the
 * CoNLL evaluation script does. Every sentence must have both.
 *
 * @example
 * scoreDocuments(docs).f1; // 91.2
 */
export function scoreDocuments(documents: readonly Document[]): EvalResult {
  const sentences = sentencesOf(documents);
  const gold: string[][] = [];
  const predicted: string[][] = [];
  for (const s of sentences) {
    if (!s.gold || !s.predicted) {
      throw new NerError('E_CONFIG', `scoreDocuments: every sentence needs gold and predicted tags; one has ${s.gold ? 'no predicted' : 'no gold'} tags`);
    }
    gold.push(s.gold);
    predicted.push(s.predicted);
  }
  return evaluate(gold, predicted);
}

/**
 * Predicts labelled documents with `model` and scores them (predicted tags are filled in).
 *
 * @example
 * evaluateModel(model, devDocuments).f1;
 */
export function evaluateModel(model: DocumentPredictor, documents: readonly Document[]): EvalResult {
  model.predict(documents);
  return scoreDocuments(documents);
}
