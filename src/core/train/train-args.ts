import type { DecoderName } from '../decode/decoders.js';
import type { Document } from '../document/document.js';
import type { GazetteerLists } from '../features/gazetteer.js';
import type { TrainingEntityArgs } from '../features/gazetteer-training.js';
import type { TeacherProbabilities } from './teacher-probabilities.js';
import type { FeatureSpec } from '../features/token-features.js';
import type { ActivationName } from '../model/activations.js';
import type { WindowModel } from '../model/window-model.js';
import type { OptimizerName } from './optimizers.js';
import type { DecayArgs } from './schedule.js';
import type { FirstStageArgs } from './first-stage.js';

/** Figures of one finished epoch. */
export interface EpochMetrics {
  epoch: number;
  /** Mean training cross-entropy over the epoch's batches. */
  loss: number;
  learningRate: number;
  dev: { precision: number; recall: number; f1: number };
  /** Wall time of the epoch, dev evaluation included. */
  seconds: number;
  /** Training windows per second (dev evaluation excluded). */
  windowsPerSecond: number;
  /** Whether this epoch has the best dev F1 so far (the one kept). */
  best: boolean;
  /** Which network of an ensemble training (TrainArgs.members > 1) this epoch is of; absent when one network is trained. */
  member?: EpochMember;
}

/** An ensemble training's network: the index-th (1-based) of `count`, trained with `seed`. */
export interface EpochMember {
  index: number;
  count: number;
  seed: number;
}

/**
 * Everything training can be told. Every field but the data and the callbacks is an option with a
 * default, a range and help in TRAIN_OPTIONS (options.ts), the one place they are written: `ner
 * train --help` and the README's table show them.
 */
export interface TrainArgs {
  /**
   * Documents whose sentences have `gold` tags in the scheme models are trained on (IOB2;
   * `readLabeledDocuments` converts a file's). Each document is one context for the
   * document-level features.
   */
  train: readonly Document[];
  /** Labelled like `train`; chooses the best epoch (and the transition weight). Never written to. */
  dev: readonly Document[];
  /**
   * The names the `gazetteer` feature matches (needed with it, refused without it): lists of
   * names by type and/or the training data's own entities, stored in the model. Data, like
   * `train`, not an option of the table.
   */
  gazetteer?: TrainGazetteerArgs;
  /** Input features. The `word` size must match the vectors'. */
  features?: FeatureSpec[];
  /** Pretrained vectors: the default package (DEFAULT_VECTORS), a GloVe/word2vec text file, or null for random vectors. */
  vectors?: string | null;
  /** Most frequent pretrained words kept beside the training words. */
  vectorsLimit?: number;
  /**
   * Round the pretrained vectors to 4 bits per value (one scale per row) before training, 32:
   * keep them as they are. With 4 and frozen vectors, the saved model stores those rows in 4
   * bits (half the size of the default 8) and loses nothing, since training saw the same
   * values; fine-tuned rows leave the 4-bit grid and are stored in 8 bits.
   */
  vectorBits?: 4 | 32;
  /**
   * Precision the dense weights and the small tables are saved in: float16 halves their size
   * (relative error under 0.05%).
   */
  precision?: 'float32' | 'float16';
  /** Neighbours on each side of the token (2: 5-token windows). */
  window?: number;
  /** Hidden layer sizes. */
  hidden?: number[];
  /** Activation of the hidden layers. */
  activation?: ActivationName;
  /** Dropout probability on hidden layers. */
  dropout?: number;
  /**
   * Draw one hidden-layer dropout mask per mini-batch (per thread's share of it) instead of
   * one per window: the dropped units are then skipped outright, halving the work of the
   * wide layers at dropout 0.5.
   */
  sharedDropoutMask?: boolean;
  /**
   * Threads a training step runs on, 1 or 2 (wasm and cpu backends). The batch is always
   * computed in two shards with their own random streams, so the trained model is the same
   * on one thread or two. The default depends on the machine's cores.
   */
  threads?: number;
  /** Dropout probability on the concatenated input embeddings. */
  inputDropout?: number;
  /**
   * Probability of replacing a training word seen once and without a pretrained vector by
   * `<UNK>`, so that the unknown-word vector is trained on words like the unknown words of
   * new text.
   */
  unknownWordRate?: number;
  /** The gradient-descent optimizer. */
  optimizer?: OptimizerName;
  /** Learning rate. Default: the optimizer's own (see defaultLearningRate). */
  learningRate?: number;
  /** Learning-rate decay per epoch. */
  decay?: DecayArgs;
  /** Windows per mini-batch. */
  batchSize?: number;
  /** Most epochs to run. */
  epochs?: number;
  /** Stop after this many epochs without a better dev F1. */
  patience?: number;
  /** L2 penalty on the dense weights (added to their gradient as l2 * W). */
  l2?: number;
  /** Keep the pretrained word vectors fixed (words without one are still learned). */
  freezeVectors?: boolean;
  /**
   * A trained model to distil: the targets become its tag probabilities on each training
   * window (at distillTemperature) mixed with the gold tags (see soft-targets.ts). Its tags
   * must be the training data's. Host steps only (wasm, cpu), not the device step.
   */
  teacher?: WindowModel;
  /**
   * Instead of `teacher`: a teacher's tag probabilities saved earlier, one row per training
   * token in order (e.g. out-of-fold models', which did not see the sentences they score).
   * Distilled exactly as a teacher model's; tags and token count must match the training data.
   */
  teacherProbabilities?: TeacherProbabilities;
  /** Weight of the teacher's probabilities in the targets, in [0, 1] (with `teacher` or `teacherProbabilities`). */
  distillWeight?: number;
  /** Temperature the teacher's probabilities are softened at (with `teacher` or `teacherProbabilities`). */
  distillTemperature?: number;
  /** Seed of initialisation, shuffling and dropout. */
  seed?: number;
  /** How tags are decoded from the probabilities. */
  decoder?: DecoderName;
  /**
   * Weight of the transition scores (estimated on the training tags) that Viterbi adds;
   * 'auto' picks the best of TRANSITION_WEIGHTS on dev after training; 0: none.
   */
  transitionWeight?: number | 'auto';
  /**
   * Added to the log probability of every tag but O when decoding (ModelConfig.entityBias);
   * 'auto' picks the best of ENTITY_BIASES on dev after training (with each transition weight); 0: none.
   */
  entityBias?: number | 'auto';
  /**
   * Document-consistency weight (ModelConfig.consistency, 0..1); 'auto' picks the best of
   * CONSISTENCY_WEIGHTS on dev after training, kept when it gains MIN_CONSISTENCY_GAIN; 0: none.
   */
  consistency?: number | 'auto';
  /**
   * Networks trained, member i with seed `seed + 1000 i`, and averaged into one ensemble
   * (members.ts); 'auto': 3 on a training set under 100,000 tokens, else 1.
   */
  members?: number | 'auto';
  /** Called after each epoch with its figures and the model holding that epoch's weights. */
  onEpoch?: (metrics: EpochMetrics, model: WindowModel) => void | Promise<void>;
  /** Called every 50 ms or so (and at the end of the epoch's windows) with windows done and total in the epoch. */
  onProgress?: (epoch: number, done: number, total: number, loss: number) => void;
  /** Called as the work before the first epoch goes on: vectors loading (words so far), features built. */
  onStage?: (stage: TrainStage) => void;
  /** Aborting stops training after the current batch; the best model so far is returned. */
  signal?: AbortSignal;
  /** For a two-stage model (feature `docpred`): where its first stage's tags on train come from (first-stage.ts). */
  firstStage?: FirstStageArgs;
}

/** What a model's gazetteer is made of (see features/gazetteer-training.ts). */
export interface TrainGazetteerArgs {
  /** Names by type (e.g. parsed by parseGazetteerText). */
  lists?: GazetteerLists;
  /** Add the training data's entities that pass these thresholds; absent: none. */
  fromTraining?: TrainingEntityArgs;
  /** Training documents are encoded with the entities of the other folds (default 5; 1: all, itself included). */
  folds?: number;
}

/** What training is doing before its first epoch, for a progress display. */
export type TrainStage =
  | { stage: 'vectors'; source: string; words: number; done: boolean }
  | { stage: 'features'; sentences: number };
