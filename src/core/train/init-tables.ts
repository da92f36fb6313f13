import { NerError } from '../errors.js';
import type { PretrainedVectors } from '../features/pretrained.js';
import { normalizeWord } from '../features/normalize.js';
import type { FeatureSet } from '../features/token-features.js';
import { EmbeddingTables } from '../model/embedding-tables.js';
import type { Random } from '../util/random.js';

/** Spread of randomly initialised rows when there are no pretrained vectors to match. */
const DEFAULT_SPREAD = 0.4;

/** Tables ready for training, and which word rows hold pretrained vectors (for freezing). */
export interface InitialTables {
  tables: EmbeddingTables;
  /** `pretrainedRows[id]` is 1 when word id `id` was initialised from a pretrained vector. */
  pretrainedRows: Uint8Array;
}

/**
 * Creates the embedding tables of a feature set: the word table from pretrained vectors where
 * a word has one, every other row uniform random with the pretrained vectors' standard
 * deviation so that no feature starts on a different scale.
 */
export function initTables(featureSet: FeatureSet, pretrained: PretrainedVectors | null, rng: Random): InitialTables {
  const std = pretrained ? standardDeviation(pretrained.vectors) : DEFAULT_SPREAD;
  const limit = std * Math.sqrt(3);
  let pretrainedRows = new Uint8Array(0);
  const tables = featureSet.specs.map((spec, f) => {
    const vocab = featureSet.vocabularies[f];
    const table = new Float32Array(vocab.size * spec.dim);
    for (let i = 0; i < table.length; i++) table[i] = rng.uniform(-limit, limit);
    if (spec.name === 'word' && pretrained) {
      if (spec.dim !== pretrained.dim) {
        throw new NerError('E_CONFIG', `the word feature has size ${spec.dim} but the vectors have ${pretrained.dim} dimensions`, {
          hint: `use word:${pretrained.dim} in --features`,
        });
      }
      pretrainedRows = new Uint8Array(vocab.size);
      for (let i = 0; i < pretrained.words.length; i++) {
        const id = vocab.id(normalizeWord(pretrained.words[i]));
        // The first (most frequent) pretrained word of a normalised key gives its vector.
        if (id > 1 && !pretrainedRows[id]) {
          table.set(pretrained.vectors.subarray(i * spec.dim, (i + 1) * spec.dim), id * spec.dim);
          pretrainedRows[id] = 1;
        }
      }
    }
    return table;
  });
  return { tables: new EmbeddingTables(featureSet.specs, tables), pretrainedRows };
}

function standardDeviation(x: Float32Array): number {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i];
    sq += x[i] * x[i];
  }
  const mean = sum / x.length;
  return Math.sqrt(Math.max(sq / x.length - mean * mean, 1e-12));
}
