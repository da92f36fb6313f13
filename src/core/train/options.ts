/**
 * The one table of training options: for each, its TrainArgs field, CLI flag, type, range,
 * default and help. The `ner train`/`ner cv` flags and help (cli/train-options.ts),
 * validateTrainArgs, withDefaults and the README's table (scripts/options-table.ts) are all
 * made from it; test/train/options-table.test.ts fails when one of them drifts.
 * Portable: no Node import (the core count is passed in).
 */
import { DECODERS, ENTITY_BIASES } from '../decode/decoders.js';
import { CONSISTENCY_WEIGHTS, MIN_CONSISTENCY_GAIN } from '../decode/document-consistency.js';
import { MIN_BIAS_GAIN } from './choose-decoding.js';
import { AUTO_MEMBERS, MEMBER_SEED_STEP, SMALL_TRAINING_TOKENS } from './members.js';
import { TRANSITION_WEIGHTS } from '../decode/transition-scores.js';
import { DEFAULT_VECTORS } from '../features/pretrained.js';
import type { FeatureSpec } from '../features/token-features.js';
import { ACTIVATIONS } from '../model/activations.js';
import { BACKENDS, type BackendRequest } from '../runtime.js';
import { defaultLearningRate, OPTIMIZERS, type OptimizerName } from './optimizers.js';
import type { DecayArgs } from './schedule.js';
import type { TrainArgs } from './train-args.js';

/** Largest sizes accepted: beyond them a model would not fit in memory, so it is a typo. */
export const LIMITS = { window: 50, hiddenSize: 65_536, featureSize: 4096, members: 100 } as const;

/** The default input features (those of the bundled model): word vectors, casing, short affixes, document casing. */
export const DEFAULT_FEATURES: FeatureSpec[] = [
  { name: 'word', dim: 100 },
  { name: 'casing', dim: 8 },
  { name: 'prefix3', dim: 16 },
  { name: 'suffix3', dim: 16 },
  { name: 'doccase', dim: 4 },
];

export type DecayKind = DecayArgs['kind'];

/** TrainArgs fields that are not options: the data and the callbacks. */
export type NotOptionFields = 'train' | 'dev' | 'teacher' | 'teacherProbabilities' | 'gazetteer' | 'firstStage' | 'onEpoch' | 'onProgress' | 'onStage' | 'signal';

/**
 * An option's key: a TrainArgs field, a field of TrainArgs.decay (`decay.factor`), or
 * `backend` (an option of trainFiles and the CLI, not of the portable train()).
 */
export type TrainOptionKey = Exclude<keyof TrainArgs, NotOptionFields | 'decay'> | `decay.${keyof DecayArgs}` | 'backend';

/** The type of an option's value. */
export type OptionValue<K extends TrainOptionKey> = K extends `decay.${infer D extends keyof DecayArgs}`
  ? Exclude<DecayArgs[D], undefined>
  : K extends 'backend'
    ? BackendRequest
    : K extends keyof TrainArgs
      ? Exclude<TrainArgs[K], undefined>
      : never;

/**
 * What values an option takes. `int` and `number` ranges are closed unless `open` says which
 * end is excluded; `limit` is a sanity bound (see LIMITS), reported apart from the range.
 */
export type OptionType<V = unknown> =
  | { kind: 'int'; min: number; max?: number; limit?: number }
  | { kind: 'number'; min: number; max?: number; open?: 'min' | 'max' | 'both' }
  | { kind: 'enum'; values: readonly V[] }
  | { kind: 'switch' }
  /** A list of { name, dim }; on the command line `name:size,...`. */
  | { kind: 'features' }
  /** A list of layer sizes; on the command line `300,150`. */
  | { kind: 'hidden' }
  /** A vectors name or file, or null for random vectors; on the command line `none`. */
  | { kind: 'vectors' }
  /** A number >= 0 or `auto`. */
  | { kind: 'weight'; max?: number }
  /** An integer in [min, limit] or `auto`. */
  | { kind: 'count'; min: number; limit: number };

/** An option's default: a value, or one that follows from the optimizer, the decay kind or the machine. */
export type OptionDefault<V> =
  | { value: V }
  | { perOptimizer: (optimizer: OptimizerName) => V }
  /** Kinds absent from the map take no such setting (giving one is an error). */
  | { perDecayKind: Partial<Record<DecayKind, V>> }
  | { perCoreCount: (cores: number) => V };

export const OPTION_GROUPS = ['Model', 'Optimisation'] as const;
export type OptionGroup = (typeof OPTION_GROUPS)[number];

export interface TrainOption<V = unknown> {
  /** The CLI flag, without `--`. */
  flag: string;
  /** The flag's value in help (`N`, `P`...); absent for a switch. */
  placeholder?: string;
  group: OptionGroup;
  type: OptionType<V>;
  default: OptionDefault<V>;
  /** What the option does, for `--help` and the README (range and default are added to it). */
  help: string;
}

/** Every training option, in the order of `--help`. */
export const TRAIN_OPTIONS: { [K in TrainOptionKey]: TrainOption<OptionValue<K>> } = {
  window: {
    flag: 'window', placeholder: 'N', group: 'Model',
    type: { kind: 'int', min: 0, limit: LIMITS.window },
    default: { value: 2 },
    help: 'neighbours on each side of a token (2: 5-token windows)',
  },
  features: {
    flag: 'features', placeholder: 'LIST', group: 'Model',
    type: { kind: 'features' },
    default: { value: DEFAULT_FEATURES },
    help: 'input features and their embedding sizes (by default without doccase when the training data is one document: no -DOCSTART- lines)',
  },
  vectors: {
    flag: 'vectors', placeholder: 'SRC', group: 'Model',
    type: { kind: 'vectors' },
    default: { value: DEFAULT_VECTORS },
    help: `pretrained word vectors: ${DEFAULT_VECTORS} (the package), a GloVe or word2vec text file, or none (random vectors)`,
  },
  vectorsLimit: {
    flag: 'vectors-limit', placeholder: 'N', group: 'Model',
    type: { kind: 'int', min: 1 },
    default: { value: 100_000 },
    help: 'most frequent pretrained words kept beside the training words',
  },
  freezeVectors: {
    flag: 'freeze-vectors', group: 'Model',
    type: { kind: 'switch' },
    default: { value: false },
    help: 'keep the pretrained vectors fixed (words without one are still learned)',
  },
  vectorBits: {
    flag: 'vector-bits', placeholder: 'N', group: 'Model',
    type: { kind: 'enum', values: [4, 32] },
    default: { value: 32 },
    help:
      '4: round the pretrained vectors to 4 bits per value (a scale per row) before training; with --freeze-vectors ' +
      'the model then stores them in half the space of the usual 8 bits, losing nothing (fine-tuned vectors leave ' +
      'the 4-bit grid and are stored in 8 bits); 32: keep them as they are',
  },
  precision: {
    flag: 'precision', placeholder: 'P', group: 'Model',
    type: { kind: 'enum', values: ['float32', 'float16'] },
    default: { value: 'float32' },
    help: 'how the dense weights and small tables are saved: float16 halves their size (relative error under 0.05%)',
  },
  hidden: {
    flag: 'hidden', placeholder: 'SIZES', group: 'Model',
    type: { kind: 'hidden' },
    default: { value: [300] },
    help: 'hidden layer sizes, comma-separated (e.g. 300,150)',
  },
  activation: {
    flag: 'activation', placeholder: 'NAME', group: 'Model',
    type: { kind: 'enum', values: ACTIVATIONS },
    default: { value: 'relu' },
    help: 'activation of the hidden layers',
  },
  dropout: {
    flag: 'dropout', placeholder: 'P', group: 'Model',
    type: { kind: 'number', min: 0, max: 1, open: 'max' },
    default: { value: 0.5 },
    help: 'dropout on the hidden layers',
  },
  sharedDropoutMask: {
    flag: 'shared-dropout-mask', group: 'Model',
    type: { kind: 'switch' },
    default: { value: false },
    help: 'one hidden dropout mask per half-batch instead of per window: the dropped units are skipped, so steps are faster',
  },
  inputDropout: {
    flag: 'input-dropout', placeholder: 'P', group: 'Model',
    type: { kind: 'number', min: 0, max: 1, open: 'max' },
    default: { value: 0.1 },
    help: 'dropout on the input embeddings',
  },
  unknownWordRate: {
    flag: 'unknown-word-rate', placeholder: 'P', group: 'Model',
    type: { kind: 'number', min: 0, max: 1 },
    default: { value: 0.5 },
    help: 'probability of training a rare word (seen once, no pretrained vector) as <UNK>, so that the unknown-word vector learns',
  },
  decoder: {
    flag: 'decoder', placeholder: 'NAME', group: 'Model',
    type: { kind: 'enum', values: DECODERS },
    default: { value: 'viterbi' },
    help: "viterbi: the best well-formed tag sequence; greedy: each token's best tag, repaired",
  },
  transitionWeight: {
    flag: 'transition-weight', placeholder: 'W', group: 'Model',
    type: { kind: 'weight' },
    default: { value: 'auto' },
    help: `weight of the tag-transition scores (estimated on the training tags) that viterbi adds; 0: none; auto: the best on dev of ${TRANSITION_WEIGHTS.join(', ')}`,
  },
  entityBias: {
    flag: 'entity-bias', placeholder: 'B', group: 'Model',
    type: { kind: 'weight' },
    default: { value: 'auto' },
    help: `added to the log probability of every tag but O when decoding (more entities found, fewer of them right); 0: none; auto: the best on dev of ${ENTITY_BIASES.join(', ')} (with each transition weight), kept when it gains at least ${MIN_BIAS_GAIN} dev F1`,
  },
  consistency: {
    flag: 'consistency', placeholder: 'W', group: 'Model',
    type: { kind: 'weight', max: 1 },
    default: { value: 'auto' },
    help: `how strongly each repeated capitalised word's type probabilities are pooled with its other occurrences' in the document before decoding (one name, one type); 0: none; auto: the best on dev of ${CONSISTENCY_WEIGHTS.join(', ')}, kept when it gains at least ${MIN_CONSISTENCY_GAIN} dev F1`,
  },
  members: {
    flag: 'members', placeholder: 'N', group: 'Model',
    type: { kind: 'count', min: 1, limit: LIMITS.members },
    default: { value: 'auto' },
    help:
      `networks trained (seeds S, S+${MEMBER_SEED_STEP}, ...) and averaged into one ensemble model (each costs its own training and ` +
      `its own pass when tagging); auto: ${AUTO_MEMBERS} when the training data has under ${SMALL_TRAINING_TOKENS.toLocaleString('en-US')} tokens, else 1 (1 for a two-stage model, docpred)`,
  },
  optimizer: {
    flag: 'optimizer', placeholder: 'NAME', group: 'Optimisation',
    type: { kind: 'enum', values: OPTIMIZERS },
    default: { value: 'adam' },
    help: 'the gradient-descent optimizer',
  },
  learningRate: {
    flag: 'lr', placeholder: 'X', group: 'Optimisation',
    type: { kind: 'number', min: 0, open: 'min' },
    default: { perOptimizer: defaultLearningRate },
    help: 'learning rate',
  },
  'decay.kind': {
    flag: 'decay', placeholder: 'KIND', group: 'Optimisation',
    type: { kind: 'enum', values: ['none', 'step', 'exponential'] },
    default: { value: 'none' },
    help: 'learning-rate decay: step multiplies the rate by --decay-factor every --decay-every epochs, exponential after every epoch',
  },
  'decay.factor': {
    flag: 'decay-factor', placeholder: 'X', group: 'Optimisation',
    type: { kind: 'number', min: 0, max: 1, open: 'both' },
    default: { perDecayKind: { step: 0.5, exponential: 0.9 } },
    help: 'multiplier of the learning rate at each decay',
  },
  'decay.every': {
    flag: 'decay-every', placeholder: 'N', group: 'Optimisation',
    type: { kind: 'int', min: 1 },
    default: { perDecayKind: { step: 3 } },
    help: 'epochs between decays',
  },
  batchSize: {
    flag: 'batch-size', placeholder: 'N', group: 'Optimisation',
    type: { kind: 'int', min: 1 },
    default: { value: 256 },
    help: 'windows per mini-batch',
  },
  epochs: {
    flag: 'epochs', placeholder: 'N', group: 'Optimisation',
    type: { kind: 'int', min: 1 },
    default: { value: 20 },
    help: 'most epochs to run',
  },
  patience: {
    flag: 'patience', placeholder: 'N', group: 'Optimisation',
    type: { kind: 'int', min: 1 },
    default: { value: 4 },
    help: 'stop after this many epochs without a better dev F1',
  },
  l2: {
    flag: 'l2', placeholder: 'X', group: 'Optimisation',
    type: { kind: 'number', min: 0 },
    default: { value: 0 },
    help: 'L2 penalty on the dense weights',
  },
  distillWeight: {
    flag: 'distill-weight', placeholder: 'W', group: 'Optimisation',
    type: { kind: 'number', min: 0, max: 1 },
    default: { value: 0.5 },
    help: "with --teacher: weight of the teacher's tag probabilities in the targets (the gold tags get the rest)",
  },
  distillTemperature: {
    flag: 'distill-temperature', placeholder: 'T', group: 'Optimisation',
    type: { kind: 'number', min: 0, open: 'min' },
    // 3: where the bundled ensemble's probabilities on its own training data, mixed half and half
    // with the gold tags, leave as much off the gold tag (1.8%) as the ensemble does on valid at 1 (1.65%).
    default: { value: 3 },
    help: "with --teacher: temperature the teacher's probabilities are softened at (its logits divided by T)",
  },
  seed: {
    flag: 'seed', placeholder: 'N', group: 'Optimisation',
    // The random stream takes a 32-bit seed: larger or negative ones would alias other seeds.
    type: { kind: 'int', min: 0, max: 0xffffffff },
    default: { value: 1 },
    help: 'seed of initialisation, shuffling and dropout: the same seed on the same backend trains the same model',
  },
  threads: {
    flag: 'threads', placeholder: 'N', group: 'Optimisation',
    type: { kind: 'enum', values: [1, 2] },
    default: { perCoreCount: (cores) => (cores >= 2 ? 2 : 1) },
    help: 'threads per training step; the model is the same either way',
  },
  backend: {
    flag: 'backend', placeholder: 'NAME', group: 'Optimisation',
    type: { kind: 'enum', values: BACKENDS },
    default: { value: 'auto' },
    help: 'auto: webgpu on a hardware GPU adapter (needs the webgpu package), else wasm',
  },
};

/** The keys of TRAIN_OPTIONS, in its order. */
export const TRAIN_OPTION_KEYS = Object.keys(TRAIN_OPTIONS) as TrainOptionKey[];

/** What dependent defaults follow from. */
export interface DefaultContext {
  optimizer: OptimizerName;
  decayKind: DecayKind;
  /** Cores of the machine (the Node adapter asks the OS; the core never does). */
  cores: number;
}

/** An option's default in a context; undefined where it does not apply (a decay factor without decay). */
export function defaultOf<V>(d: OptionDefault<V>, context: DefaultContext): V | undefined {
  if ('value' in d) return d.value;
  if ('perOptimizer' in d) return d.perOptimizer(context.optimizer);
  if ('perDecayKind' in d) return d.perDecayKind[context.decayKind];
  return d.perCoreCount(context.cores);
}

/** The default of an option whose default depends on nothing (the optimizer, the decay kind). */
export function fixedDefault<K extends TrainOptionKey>(key: K): OptionValue<K> {
  const d = TRAIN_OPTIONS[key].default;
  if (!('value' in d)) throw new Error(`the default of ${key} depends on other options`);
  return d.value;
}

/** The context of the defaults for these options, on a machine with `cores` cores. */
export function defaultContext(options: Partial<Pick<TrainArgs, 'optimizer' | 'decay'>>, cores: number): DefaultContext {
  return {
    optimizer: options.optimizer ?? fixedDefault('optimizer'),
    decayKind: options.decay?.kind ?? fixedDefault('decay.kind'),
    cores,
  };
}

/**
 * A decay setting with the factor and interval of its kind filled in (none: neither).
 *
 * @example
 * decayWithDefaults({ kind: 'step' }); // { kind: 'step', factor: 0.5, every: 3 }
 */
export function decayWithDefaults(decay: DecayArgs): DecayArgs {
  // The decay defaults follow from the kind alone; the core count plays no part.
  const context = defaultContext({ decay }, 1);
  const factor = decay.factor ?? defaultOf(TRAIN_OPTIONS['decay.factor'].default, context);
  const every = decay.every ?? defaultOf(TRAIN_OPTIONS['decay.every'].default, context);
  return { ...decay, ...(factor !== undefined ? { factor } : {}), ...(every !== undefined ? { every } : {}) };
}

type Required2<T> = { [K in keyof T]-?: T[K] };

/** TrainArgs with every option's default filled in (callbacks stay optional). */
export type ResolvedTrainArgs = Required2<Omit<TrainArgs, 'onEpoch' | 'onProgress' | 'onStage' | 'signal' | 'vectors' | 'teacher' | 'teacherProbabilities' | 'gazetteer' | 'firstStage'>> &
  Pick<TrainArgs, 'onEpoch' | 'onProgress' | 'onStage' | 'signal' | 'teacher' | 'teacherProbabilities' | 'gazetteer' | 'firstStage'> & { vectors: string | null };

/**
 * Fills in the defaults of options validateTrainArgs has checked, on a machine with `cores`
 * cores (the default thread count depends on it).
 *
 * @example
 * withDefaults({ train, dev, optimizer: 'sgd' }, 2).learningRate; // 0.01
 */
export function withDefaults(args: TrainArgs, cores: number): ResolvedTrainArgs {
  const context = defaultContext(args, cores);
  const given = args as unknown as Record<string, unknown>;
  const resolved: Record<string, unknown> = { ...args };
  for (const key of TRAIN_OPTION_KEYS) {
    // backend is not a TrainArgs field; decay is one object, filled in below.
    if (key === 'backend' || key.startsWith('decay.')) continue;
    const option: TrainOption = TRAIN_OPTIONS[key];
    if (given[key] === undefined) resolved[key] = defaultOf(option.default, context);
  }
  resolved.decay = decayWithDefaults(args.decay ?? { kind: context.decayKind });
  return resolved as ResolvedTrainArgs;
}
