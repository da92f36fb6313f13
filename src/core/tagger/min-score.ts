/**
 * Thresholding entities by score (`ner tag --min-score`, `ner predict --min-score`, the
 * `minScore` option of the Tagger API): an entity scored below the threshold is dropped and
 * its tokens' tags become `O`, so every output format (entities, tags, CoNLL columns) agrees.
 * Entity scores are calibrated probabilities (decode/path-posterior.ts): `minScore: 0.8` keeps
 * entities the model is right about at least about 80% of the time.
 */
import { predictedSpans, type Document } from '../document/document.js';
import { NerError } from '../errors.js';
import type { RenderSpec } from './format.js';
import type { DocumentTagger, TagOptions } from './types.js';

/**
 * Drops, in place, every predicted entity of the documents scored below `minScore`: its
 * tokens' predicted tags become `O` and its entry of `entityScores` goes. The tokens' own
 * `scores` stay as they were (the probability of the tag they had).
 *
 * @example
 * dropEntitiesBelow([doc], 0.5);
 */
export function dropEntitiesBelow(documents: readonly Document[], minScore: number): void {
  for (const doc of documents) {
    for (const sentence of doc.sentences) {
      if (!sentence.predicted) continue;
      const spans = predictedSpans(sentence);
      if (!spans.some((s) => s.score !== undefined && s.score < minScore)) continue;
      const predicted = [...sentence.predicted];
      const kept: number[] = [];
      for (const span of spans) {
        if (span.score !== undefined && span.score < minScore) predicted.fill('O', span.start, span.end);
        else kept.push(span.score!);
      }
      sentence.predicted = predicted;
      if (sentence.entityScores) sentence.entityScores = kept;
    }
  }
}

/**
 * `options.minScore` of a tagging method: nothing, or a number in [0, 1] (E_CONFIG otherwise).
 */
export function checkMinScore(method: string, minScore: unknown): asserts minScore is number | undefined {
  if (minScore === undefined) return;
  if (typeof minScore !== 'number' || !(minScore >= 0 && minScore <= 1)) {
    const shown = typeof minScore === 'number' ? String(minScore) : typeof minScore === 'string' ? `a string (${JSON.stringify(minScore)})` : `${minScore === null ? 'null' : typeof minScore}`;
    throw new NerError('E_CONFIG', `${method}: options.minScore must be a number from 0 to 1 (an entity score); got ${shown}`);
  }
}

/**
 * A tagger that drops entities scored below `minScore` from whatever `tagger` tags (the
 * tagger itself when `minScore` is undefined): what `ner tag` and `ner predict` tag with.
 * A pool renders on its threads with the threshold applied there.
 *
 * @example
 * await predictFile(withMinScore(tagger, 0.5), 'test.txt', process.stdout);
 */
export function withMinScore<T extends DocumentTagger & { close?: () => Promise<void> }>(tagger: T, minScore: number | undefined): DocumentTagger & { close?: () => Promise<void> } {
  checkMinScore('withMinScore', minScore);
  if (minScore === undefined) return tagger;
  const options: TagOptions = { minScore };
  const filtered: DocumentTagger & { close?: () => Promise<void> } = {
    async tagDocuments(documents: readonly Document[]) {
      await tagger.tagDocuments(documents);
      dropEntitiesBelow(documents, minScore);
    },
  };
  if (tagger.tagBatchRendered) filtered.tagBatchRendered = (texts: readonly string[], spec: RenderSpec) => tagger.tagBatchRendered!(texts, spec, options);
  if (tagger.close) filtered.close = () => tagger.close!();
  return filtered;
}
