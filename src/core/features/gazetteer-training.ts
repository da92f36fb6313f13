import { goldSpans, type Document } from '../document/document.js';
import { Gazetteer, type GazetteerLists } from './gazetteer.js';
import { normalizeWord } from './normalize.js';

/** Which of the training data's own entities go into the gazetteer. */
export interface TrainingEntityArgs {
  /** An entity needs this many occurrences in the (other) training documents. */
  minCount: number;
  /** ...and this share of them under its most frequent type (0.5 to 1). */
  minPurity: number;
}

/** Counts of one entity string: its first spelling and its occurrences per type. */
interface EntityCounts {
  text: string;
  byType: Map<string, number>;
}

/**
 * The gold entities of documents, counted by (normalised) string and type: what
 * `trainingEntityLists` chooses from.
 */
export function countEntities(documents: readonly Document[]): Map<string, EntityCounts> {
  const counts = new Map<string, EntityCounts>();
  for (const doc of documents) {
    for (const sentence of doc.sentences) {
      for (const span of goldSpans(sentence)) {
        const tokens = sentence.tokens.slice(span.start, span.end).map((t) => t.text);
        const key = tokens.map(normalizeWord).join(' ');
        let entry = counts.get(key);
        if (!entry) counts.set(key, (entry = { text: tokens.join(' '), byType: new Map() }));
        entry.byType.set(span.type, (entry.byType.get(span.type) ?? 0) + 1);
      }
    }
  }
  return counts;
}

/** The entities of `counts` that pass `args`, each under its most frequent type. */
export function trainingEntityLists(counts: Map<string, EntityCounts>, args: TrainingEntityArgs): GazetteerLists {
  const lists: Record<string, string[]> = {};
  for (const { text, byType } of counts.values()) {
    let total = 0;
    let top = '';
    let topCount = 0;
    for (const [type, n] of byType) {
      total += n;
      if (n > topCount) [top, topCount] = [type, n];
    }
    if (total >= args.minCount && topCount / total >= args.minPurity) (lists[top] ??= []).push(text);
  }
  return lists;
}

/** What a training gazetteer is built from: lists of names, and which training entities join them. */
export interface GazetteerSources {
  /** External lists of names by type (parsed files). */
  lists: GazetteerLists;
  /** The training data's own entities, or null for none. */
  fromTraining: TrainingEntityArgs | null;
  /**
   * Training documents are encoded with gazetteers made from the other folds' entities (k-fold
   * jackknife), so that the network learns how far a match of an entity it has not seen in
   * that very document can be trusted: every training entity matches itself otherwise.
   */
  folds: number;
}

/**
 * The model's gazetteer (from all training documents) and, for each training document, the
 * gazetteer its windows are encoded with during training (`forDocument[d]`): the model's
 * own when no training entities are used, else that of the folds without document d's.
 */
export function trainingGazetteers(train: readonly Document[], sources: GazetteerSources): { model: Gazetteer; forDocument: Gazetteer[] } {
  const build = (docs: readonly Document[]) => Gazetteer.from(sources.lists, sources.fromTraining ? trainingEntityLists(countEntities(docs), sources.fromTraining) : {});
  const model = build(train);
  if (!sources.fromTraining || sources.folds < 2) return { model, forDocument: train.map(() => model) };
  const folds = Array.from({ length: sources.folds }, (_, k) => build(train.filter((_, d) => d % sources.folds !== k)));
  return { model, forDocument: train.map((_, d) => folds[d % sources.folds]) };
}
