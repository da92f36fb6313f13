/**
 * Scoring documents: the one function training, `ner eval`, cross-validation, ensembles and
 * the sweep script score with, so that every figure is computed the same way.
 */
import type { Document } from '../document/document.js';
import { NerError } from '../errors.js';
import { evaluate, type EvalResult } from './conlleval.js';

/** Anything that fills predicted tags into documents: a WindowModel, a Tagger's model. */
export interface DocumentPredictor {
  predict(documents: readonly Document[]): void;
  /** The same on any backend (webgpu reads only asynchronously); used by evaluateModel. */
  predictAsync?(documents: readonly Document[]): Promise<void>;
}

/** How documents are scored. */
export interface ScoreArgs {
  /**
   * Count each document's `-DOCSTART-` line (a document read from a CoNLL file with
   * `source.line` > 0) as one token tagged `O` in gold and prediction, as the CoNLL evaluation
   * script does on `ner predict` output: only the token count and the accuracy change.
   * Default false.
   */
  docstartTokens?: boolean;
}

/**
 * The gold and predicted tags of every sentence of labelled documents, in order (with one
 * `['O']` before each document's sentences for its `-DOCSTART-` line when
 * `args.docstartTokens`), as `evaluate`, `analyzeErrors` and `confusionTable` take them.
 * Every sentence must have both.
 *
 * @example
 * const { gold, predicted } = tagSequences(docs);
 * confusionTable(gold, predicted);
 */
export function tagSequences(documents: readonly Document[], args: ScoreArgs = {}): { gold: string[][]; predicted: string[][] } {
  const gold: string[][] = [];
  const predicted: string[][] = [];
  for (const doc of documents) {
    if (args.docstartTokens && (doc.source?.line ?? 0) > 0) {
      gold.push(['O']);
      predicted.push(['O']);
    }
    for (const s of doc.sentences) {
      if (!s.gold || !s.predicted) {
        throw new NerError('E_CONFIG', `scoreDocuments: every sentence needs gold and predicted tags; one has ${s.gold ? 'no predicted' : 'no gold'} tags`);
      }
      gold.push(s.gold);
      predicted.push(s.predicted);
    }
  }
  return { gold, predicted };
}

/**
 * Scores the predicted tags of labelled documents against their gold tags, exactly as the
 * CoNLL evaluation script does. Every sentence must have both.
 *
 * @example
 * scoreDocuments(docs).f1; // 91.2
 */
export function scoreDocuments(documents: readonly Document[], args: ScoreArgs = {}): EvalResult {
  const { gold, predicted } = tagSequences(documents, args);
  return evaluate(gold, predicted);
}

/**
 * Predicts labelled documents with `model` and scores them (predicted tags are filled in).
 *
 * @example
 * (await evaluateModel(model, devDocuments)).f1;
 */
export async function evaluateModel(model: DocumentPredictor, documents: readonly Document[], args: ScoreArgs = {}): Promise<EvalResult> {
  if (model.predictAsync) await model.predictAsync(documents);
  else model.predict(documents);
  return scoreDocuments(documents, args);
}
