/**
 * The hyperparameter options shared by `ner train` and `ner cv`: their parseArgs specs, help
 * text, and conversion into TrainArgs.
 */
import { DECODERS, type DecoderName } from '../core/decode/decoders.js';
import { TRANSITION_WEIGHTS } from '../core/decode/transition-scores.js';
import { usageError } from '../core/errors.js';
import { DEFAULT_VECTORS } from '../core/features/pretrained.js';
import { FEATURE_NAMES, type FeatureName, type FeatureSpec } from '../core/features/token-features.js';
import { ACTIVATIONS, type ActivationName } from '../core/model/activations.js';
import { BACKENDS, type BackendRequest } from '../node/backend.js';
import { OPTIMIZERS, type OptimizerName } from '../core/train/optimizers.js';
import type { DecayArgs } from '../core/train/schedule.js';
import { DEFAULT_FEATURES, type EpochMetrics, type TrainArgs } from '../core/train/train-args.js';
import { LIMITS, validateTrainArgs } from '../core/train/validate-args.js';
import { intOption, numberOption, type ParsedArgs } from './args.js';

const defaultFeatures = DEFAULT_FEATURES.map((f) => `${f.name}:${f.dim}`).join(',');

/** Help text of the hyperparameter options. */
export const TRAIN_OPTIONS_HELP = `Model:
  --window N            neighbours on each side of a token, 0 to ${LIMITS.window} (default 2: 5-token windows)
  --features LIST       input features as name:size (default ${defaultFeatures});
                        names: ${FEATURE_NAMES.join(', ')}; sizes 1 to ${LIMITS.featureSize}
  --vectors SRC         pretrained word vectors: ${DEFAULT_VECTORS} (default), a GloVe or
                        word2vec text file, or none (random vectors)
  --vectors-limit N     most frequent pretrained words kept beside the training words, >= 1
                        (default 100000)
  --freeze-vectors      keep pretrained vectors fixed (words without one are still learned)
  --vector-bits N       4: round the pretrained vectors to 4 bits per value before training;
                        with --freeze-vectors the model then stores them in half the space,
                        losing nothing; 32: keep them as they are (default 32)
  --precision P         float32|float16: how dense weights and small tables are saved (default float32)
  --hidden SIZES        hidden layer sizes (1 to ${LIMITS.hiddenSize} each), comma-separated
                        (default 300; e.g. 300,150)
  --activation NAME     ${ACTIVATIONS.join('|')} (default relu)
  --dropout P           dropout on hidden layers, in [0, 1) (default 0.5)
  --shared-dropout-mask one hidden dropout mask per half-batch instead of per window: the
                        dropped units are skipped, so steps are faster
  --input-dropout P     dropout on the input embeddings, in [0, 1) (default 0.1)
  --unknown-word-rate P probability in [0, 1] of training a rare word (seen once, no pretrained
                        vector) as <UNK>, so the unknown-word vector learns (default 0.5)
  --decoder NAME        ${DECODERS.join('|')} (default viterbi: best well-formed tag sequence)
  --transition-weight W weight of tag-transition scores (estimated on the training tags) that
                        viterbi adds: a number >= 0 (0: none), or auto (default): the best on
                        dev of ${TRANSITION_WEIGHTS.join(', ')}

Optimisation:
  --optimizer NAME      ${OPTIMIZERS.join('|')} (default adam)
  --lr X                learning rate, > 0 (default: adam/rmsprop 0.001, adadelta 1.0, others 0.01)
  --decay KIND          learning-rate decay: none|step|exponential (default none)
  --decay-factor X      multiplier per decay, in (0, 1); with --decay step or exponential
                        (default 0.5 for step, 0.9 for exponential)
  --decay-every N       epochs between decays, >= 1; with --decay step only (default 3)
  --batch-size N        windows per mini-batch, >= 1 (default 256)
  --epochs N            most epochs to run, >= 1 (default 20)
  --patience N          stop after N epochs without a better dev F1, >= 1 (default 4)
  --l2 X                L2 penalty on dense weights, >= 0 (default 0)
  --seed N              seed of initialisation, shuffling and dropout, 0 to 4294967295 (default 1)
  --threads N           1 or 2 threads per training step; the model is the same either way
                        (default 2 on machines with two cores or more)
  --backend NAME        ${BACKENDS.join('|')} (default auto: tensorflow if installed, else wasm)

`;

/** parseArgs specs of the hyperparameter options. */
export const TRAIN_OPTION_SPECS = {
  window: { type: 'string' }, features: { type: 'string' }, vectors: { type: 'string' },
  'vectors-limit': { type: 'string' }, 'freeze-vectors': { type: 'boolean' }, hidden: { type: 'string' },
  'vector-bits': { type: 'string' }, precision: { type: 'string' },
  activation: { type: 'string' }, dropout: { type: 'string' },
  'input-dropout': { type: 'string' }, 'unknown-word-rate': { type: 'string' }, decoder: { type: 'string' },
  optimizer: { type: 'string' }, lr: { type: 'string' }, decay: { type: 'string' },
  'decay-factor': { type: 'string' }, 'decay-every': { type: 'string' }, 'batch-size': { type: 'string' },
  epochs: { type: 'string' }, patience: { type: 'string' }, l2: { type: 'string' }, seed: { type: 'string' },
  backend: { type: 'string' }, 'transition-weight': { type: 'string' },
  'shared-dropout-mask': { type: 'boolean' }, threads: { type: 'string' },
} as const;

/**
 * Hyperparameters read from parsed options, every one checked against its range before the
 * command does any work; a bad value is a usage error naming the flag.
 */
export function hyperparameters(v: ParsedArgs['values']): Omit<TrainArgs, 'train' | 'dev'> & { backend: BackendRequest } {
  const options = parseHyperparameters(v);
  validateTrainArgs(options, 'flag');
  return options;
}

function parseHyperparameters(v: ParsedArgs['values']): Omit<TrainArgs, 'train' | 'dev'> & { backend: BackendRequest } {
  const s = (k: string) => v[k] as string | undefined;
  return {
    backend: oneOf(s('backend'), BACKENDS, 'backend', 'auto') as BackendRequest,
    window: intOption(s('window'), 'window', 2),
    features: s('features') ? parseFeatures(s('features')!) : undefined,
    vectors: s('vectors') === 'none' ? null : s('vectors'),
    vectorsLimit: intOption(s('vectors-limit'), 'vectors-limit', 100_000),
    freezeVectors: Boolean(v['freeze-vectors']),
    vectorBits: Number(oneOf(s('vector-bits'), ['4', '32'], 'vector-bits', '32')) as 4 | 32,
    precision: oneOf(s('precision'), ['float32', 'float16'], 'precision', 'float32') as 'float32' | 'float16',
    hidden: s('hidden') ? parseHidden(s('hidden')!) : undefined,
    activation: oneOf(s('activation'), ACTIVATIONS, 'activation', 'relu') as ActivationName,
    dropout: numberOption(s('dropout'), 'dropout', 0.5),
    sharedDropoutMask: Boolean(v['shared-dropout-mask']),
    inputDropout: numberOption(s('input-dropout'), 'input-dropout', 0.1),
    unknownWordRate: numberOption(s('unknown-word-rate'), 'unknown-word-rate', 0.5),
    decoder: oneOf(s('decoder'), DECODERS, 'decoder', 'viterbi') as DecoderName,
    transitionWeight: s('transition-weight') === undefined || s('transition-weight') === 'auto' ? 'auto' : numberOption(s('transition-weight'), 'transition-weight', 0),
    optimizer: oneOf(s('optimizer'), OPTIMIZERS, 'optimizer', 'adam') as OptimizerName,
    learningRate: s('lr') === undefined ? undefined : numberOption(s('lr'), 'lr', 0),
    decay: parseDecay(s('decay'), s('decay-factor'), s('decay-every')),
    batchSize: intOption(s('batch-size'), 'batch-size', 256),
    epochs: intOption(s('epochs'), 'epochs', 20),
    patience: intOption(s('patience'), 'patience', 4),
    l2: numberOption(s('l2'), 'l2', 0),
    seed: intOption(s('seed'), 'seed', 1),
    threads: s('threads') === undefined ? undefined : threadsOption(s('threads')!),
  };
}

function threadsOption(text: string): number {
  if (text !== '1' && text !== '2') throw usageError(`--threads must be 1 or 2; got "${text}"`);
  return Number(text);
}

/** One line of figures for a finished epoch. */
export function formatEpoch(m: EpochMetrics, bestNote = '  (best)'): string {
  return (
    `epoch ${m.epoch}: loss ${m.loss.toFixed(4)}  dev P ${m.dev.precision.toFixed(2)} R ${m.dev.recall.toFixed(2)} F1 ${m.dev.f1.toFixed(2)}` +
    `  ${Math.round(m.windowsPerSecond)} windows/s  ${m.seconds.toFixed(1)} s${m.best ? bestNote : ''}`
  );
}

export function oneOf(value: string | undefined, allowed: readonly string[], flag: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw usageError(`--${flag} must be one of ${allowed.join(', ')}; got "${value}"`);
  return value;
}

/** `300,150` -> [300, 150]; every size a positive integer. */
export function parseHidden(text: string): number[] {
  return text.split(',').map((part) => {
    if (!/^\d+$/.test(part.trim()) || Number(part) < 1) throw usageError(`--hidden takes positive integer sizes like 300 or 300,150; got "${text}"`);
    return Number(part);
  });
}

/** `word:100,casing:8` -> feature specs. */
export function parseFeatures(text: string): FeatureSpec[] {
  return text.split(',').map((part) => {
    const m = /^([a-z0-9]+):(\d+)$/.exec(part.trim());
    if (!m || !(FEATURE_NAMES as readonly string[]).includes(m[1]) || Number(m[2]) < 1) {
      throw usageError(`--features takes name:size pairs like word:100,casing:8 (names: ${FEATURE_NAMES.join(', ')}); got "${part}"`);
    }
    return { name: m[1] as FeatureName, dim: Number(m[2]) };
  });
}

export function parseDecay(kind: string | undefined, factor: string | undefined, every: string | undefined): DecayArgs {
  const k = oneOf(kind, ['none', 'step', 'exponential'], 'decay', 'none') as DecayArgs['kind'];
  return {
    kind: k,
    factor: factor === undefined ? undefined : numberOption(factor, 'decay-factor', 0.5),
    every: every === undefined ? undefined : intOption(every, 'decay-every', 3),
  };
}
