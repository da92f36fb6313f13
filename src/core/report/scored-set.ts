/** A model's predictions on labelled documents, scored every way the reports show. */
import type { Document } from '../document/document.js';
import { confusionTable } from '../eval/confusion.js';
import { analyzeErrors } from '../eval/error-analysis.js';
import { scoreDocuments, tagSequences, type ScoreArgs } from '../eval/score.js';
import type { ScoredSet } from './sections.js';

/**
 * Scores, error classes and confusion table of documents whose sentences hold gold and
 * predicted tags (computed with scoreDocuments, as every figure of the project is).
 *
 * @example
 * model.predict(dev);
 * renderEvalReport({ model: 'mine', file: 'dev.txt', scores: scoreSet(dev) });
 */
export function scoreSet(documents: readonly Document[], args: ScoreArgs = {}): ScoredSet {
  const { gold, predicted } = tagSequences(documents, args);
  return { result: scoreDocuments(documents, args), errors: analyzeErrors(gold, predicted), confusion: confusionTable(gold, predicted) };
}
