import { documentFromWords } from '../../src/core/document/document.js';
import type { DocumentPredictor } from '../../src/core/eval/score.js';

/** What a model predicts for sentences given as words (one document): each sentence's tags and their scores. */
export function predictWords(model: DocumentPredictor, sentences: readonly (readonly string[])[]): { tags: string[]; scores: number[] }[] {
  const doc = documentFromWords(sentences);
  model.predict([doc]);
  return doc.sentences.map((s) => ({ tags: s.predicted!, scores: s.scores! }));
}
