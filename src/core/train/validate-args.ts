/**
 * Checks every training option's type and range before any work is done (no file read, no
 * vectors loaded), so a bad value costs milliseconds, not the minutes of loading before it.
 * `ner train`/`ner cv` call it with flag names, trainFiles/train/TrainingSession with field names.
 */
import { DECODERS } from '../decode/decoders.js';
import { NerError } from '../errors.js';
import { FEATURE_NAMES } from '../features/token-features.js';
import { ACTIVATIONS } from '../model/activations.js';
import { BACKENDS } from '../runtime.js';
import { OPTIMIZERS } from './optimizers.js';
import { checkDecay } from './schedule.js';
import type { TrainArgs } from './train-args.js';

/** Largest sizes accepted: beyond them a model would not fit in memory, so it is a typo. */
export const LIMITS = { window: 50, hiddenSize: 65_536, featureSize: 4096 } as const;

/** The options validateTrainArgs checks: TrainArgs without the data, and the backend. */
export type TrainOptions = Partial<Omit<TrainArgs, 'train' | 'dev'>> & { backend?: string };

/** How an option is named in messages: its TrainArgs field (library) or its flag (CLI). */
export type OptionNaming = 'field' | 'flag';

const FLAGS: Record<string, string> = {
  features: 'features', vectors: 'vectors', vectorsLimit: 'vectors-limit', vectorBits: 'vector-bits',
  precision: 'precision', window: 'window', hidden: 'hidden', activation: 'activation', dropout: 'dropout',
  sharedDropoutMask: 'shared-dropout-mask', threads: 'threads', inputDropout: 'input-dropout',
  unknownWordRate: 'unknown-word-rate', optimizer: 'optimizer', learningRate: 'lr', decay: 'decay',
  'decay.kind': 'decay', 'decay.factor': 'decay-factor', 'decay.every': 'decay-every', batchSize: 'batch-size',
  epochs: 'epochs', patience: 'patience', l2: 'l2', freezeVectors: 'freeze-vectors', seed: 'seed',
  decoder: 'decoder', transitionWeight: 'transition-weight', backend: 'backend',
};

/**
 * Throws an E_CONFIG NerError (exit code 2 in the CLI) naming the first option whose value is
 * of the wrong type or out of range, with the range; undefined options (defaults) pass.
 *
 * @example
 * validateTrainArgs({ learningRate: 0 }); // throws "learningRate must be a number > 0, got 0"
 * validateTrainArgs({ learningRate: 0 }, 'flag'); // throws "--lr must be a number > 0, got 0"
 */
export function validateTrainArgs(options: TrainOptions, naming: OptionNaming = 'field'): void {
  const name = (field: string) => (naming === 'flag' ? `--${FLAGS[field] ?? field}` : field);
  const o = options as Record<string, unknown>;
  const fail = (field: string, rule: string, hint?: string): never => {
    throw new NerError('E_CONFIG', `${name(field)} must be ${rule}, got ${show(o[field])}`, { hint });
  };
  const has = (field: string) => o[field] !== undefined;
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
  const intAtLeast = (field: string, min: number) => {
    if (has(field) && !(isInt(o[field]) && (o[field] as number) >= min)) fail(field, `an integer >= ${min}`);
  };
  const inRange = (field: string, rule: string, ok: (v: number) => boolean) => {
    if (has(field) && !(isNumber(o[field]) && ok(o[field] as number))) fail(field, rule);
  };
  const oneOf = (field: string, allowed: readonly unknown[]) => {
    if (has(field) && !allowed.includes(o[field])) fail(field, allowed.length === 2 ? `${allowed[0]} or ${allowed[1]}` : `one of ${allowed.join(', ')}`);
  };
  const flag = (field: string) => {
    if (has(field) && typeof o[field] !== 'boolean') fail(field, 'true or false');
  };

  if (has('features')) checkFeatures(o.features, name('features'));
  if (has('vectors') && o.vectors !== null && !(typeof o.vectors === 'string' && o.vectors !== '')) {
    fail('vectors', 'a name or file path, or null (random vectors)');
  }
  intAtLeast('vectorsLimit', 1);
  oneOf('vectorBits', [4, 32]);
  oneOf('precision', ['float32', 'float16']);
  if (has('window') && !(isInt(o.window) && o.window >= 0)) fail('window', 'an integer >= 0');
  if (has('window') && (o.window as number) > LIMITS.window) fail('window', `at most ${LIMITS.window}`);
  if (has('hidden')) checkHidden(o.hidden, name('hidden'));
  oneOf('activation', ACTIVATIONS);
  inRange('dropout', 'in [0, 1)', (v) => v >= 0 && v < 1);
  flag('sharedDropoutMask');
  oneOf('threads', [1, 2]);
  inRange('inputDropout', 'in [0, 1)', (v) => v >= 0 && v < 1);
  inRange('unknownWordRate', 'in [0, 1]', (v) => v >= 0 && v <= 1);
  oneOf('optimizer', OPTIMIZERS);
  inRange('learningRate', 'a number > 0', (v) => v > 0);
  checkDecay(o.decay, { decay: name('decay'), kind: name('decay.kind'), factor: name('decay.factor'), every: name('decay.every') });
  intAtLeast('batchSize', 1);
  intAtLeast('epochs', 1);
  intAtLeast('patience', 1);
  inRange('l2', 'a number >= 0', (v) => v >= 0);
  flag('freezeVectors');
  // The random stream takes a 32-bit seed: larger or negative ones would alias other seeds.
  if (has('seed') && !(isInt(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff)) fail('seed', 'an integer in [0, 4294967295]');
  oneOf('decoder', DECODERS);
  if (has('transitionWeight') && o.transitionWeight !== 'auto' && !(isNumber(o.transitionWeight) && o.transitionWeight >= 0)) {
    fail('transitionWeight', 'a number >= 0 or auto');
  }
  oneOf('backend', BACKENDS);
  for (const callback of ['onEpoch', 'onProgress']) if (has(callback) && typeof o[callback] !== 'function') fail(callback, 'a function');
  if (has('signal') && typeof (o.signal as AbortSignal).aborted !== 'boolean') fail('signal', 'an AbortSignal');
}

/** A list of { name, dim } with known names, each once, and sizes in [1, LIMITS.featureSize]. */
function checkFeatures(features: unknown, name: string): void {
  if (!Array.isArray(features) || features.length === 0) {
    throw new NerError('E_CONFIG', `${name} must be a non-empty list of { name, dim }, got ${show(features)}`);
  }
  const seen = new Set<unknown>();
  for (const spec of features as { name?: unknown; dim?: unknown }[]) {
    if (typeof spec !== 'object' || spec === null || !(FEATURE_NAMES as readonly unknown[]).includes(spec.name)) {
      throw new NerError('E_CONFIG', `${name}: unknown feature ${show(spec?.name ?? spec)}`, { hint: `choose from ${FEATURE_NAMES.join(', ')}` });
    }
    if (seen.has(spec.name)) throw new NerError('E_CONFIG', `${name}: feature "${spec.name}" is listed twice`);
    seen.add(spec.name);
    if (!(typeof spec.dim === 'number' && Number.isSafeInteger(spec.dim) && spec.dim >= 1 && spec.dim <= LIMITS.featureSize)) {
      throw new NerError('E_CONFIG', `${name}: feature "${spec.name}" needs an integer size in [1, ${LIMITS.featureSize}], got ${show(spec.dim)}`);
    }
  }
}

/** A non-empty list of layer sizes in [1, LIMITS.hiddenSize]. */
function checkHidden(hidden: unknown, name: string): void {
  if (!Array.isArray(hidden) || hidden.length === 0) {
    throw new NerError('E_CONFIG', `${name} must be a non-empty list of layer sizes, got ${show(hidden)}`, { hint: 'e.g. [300] or [300, 150]' });
  }
  const bad = hidden.findIndex((h) => !(typeof h === 'number' && Number.isSafeInteger(h) && h >= 1 && h <= LIMITS.hiddenSize));
  if (bad >= 0) throw new NerError('E_CONFIG', `${name} sizes must be integers in [1, ${LIMITS.hiddenSize}], got ${show(hidden[bad])}`);
}

/** A value as a message shows it: strings quoted, anything long cut. */
function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
