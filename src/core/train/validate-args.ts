/**
 * Checks every training option's type and range before any work is done (no file read, no
 * vectors loaded), so a bad value costs milliseconds, not the minutes of loading before it.
 * The rules are TRAIN_OPTIONS'. `ner train`/`ner cv` call it with flag names,
 * trainFiles/train/TrainingSession with field names.
 */
import { NerError } from '../errors.js';
import { FEATURE_NAMES } from '../features/token-features.js';
import { ruleText } from './option-text.js';
import { validateFirstStage } from './first-stage.js';
import { LIMITS, TRAIN_OPTION_KEYS, TRAIN_OPTIONS, type TrainOptionKey } from './options.js';
import type { TrainArgs } from './train-args.js';

/** The options validateTrainArgs checks: TrainArgs without the data, and the backend. */
export type TrainOptions = Partial<Omit<TrainArgs, 'train' | 'dev' | 'teacher'>> & {
  backend?: string;
  /** A loaded model (train, TrainingSession) or a model folder (trainFiles, `ner train --teacher`). */
  teacher?: TrainArgs['teacher'] | string;
  /** trainFiles (`ner train --teacher-probabilities`): the file teacherProbabilities are read from. */
  teacherFile?: string;
};

/** How an option is named in messages: its TrainArgs field (library) or its flag (CLI). */
export type OptionNaming = 'field' | 'flag';

/**
 * Throws an E_CONFIG NerError (exit code 2 in the CLI) naming the first option whose value is
 * of the wrong type or out of range, with the range; undefined options (defaults) pass.
 *
 * @example
 * validateTrainArgs({ learningRate: 0 }); // throws "learningRate must be a number > 0, got 0"
 * validateTrainArgs({ learningRate: 0 }, 'flag'); // throws "--lr must be a number > 0, got 0"
 */
export function validateTrainArgs(options: TrainOptions, naming: OptionNaming = 'field'): void {
  const name = (key: TrainOptionKey) => (naming === 'flag' ? `--${TRAIN_OPTIONS[key].flag}` : key);
  const o = options as Record<string, unknown>;
  for (const key of TRAIN_OPTION_KEYS) {
    if (key === 'decay.kind') checkDecay(o.decay, naming);
    else if (!key.startsWith('decay.') && o[key] !== undefined) checkValue(key, o[key], name(key));
  }
  const fail = (field: string, rule: string): never => {
    throw new NerError('E_CONFIG', `${field} must be ${rule}, got ${show(o[field])}`);
  };
  checkTeacher(o, naming);
  for (const callback of ['onEpoch', 'onProgress', 'onStage']) if (o[callback] !== undefined && typeof o[callback] !== 'function') fail(callback, 'a function');
  if (o.signal !== undefined && typeof (o.signal as AbortSignal).aborted !== 'boolean') fail('signal', 'an AbortSignal');
  validateFirstStage(o.firstStage);
}

/** Throws when `value` is not of the option's type or out of its range. */
function checkValue(key: TrainOptionKey, value: unknown, name: string, hint?: string): void {
  const type = TRAIN_OPTIONS[key].type;
  const fail = (rule: string): never => {
    throw new NerError('E_CONFIG', `${name} must be ${rule}, got ${show(value)}`, { hint });
  };
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  switch (type.kind) {
    case 'int':
      if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= type.min && value <= (type.max ?? Infinity))) fail(ruleText(type));
      if (type.limit !== undefined && (value as number) > type.limit) fail(`at most ${type.limit}`);
      return;
    case 'number': {
      const aboveMin = type.open === 'min' || type.open === 'both' ? (v: number) => v > type.min : (v: number) => v >= type.min;
      const max = type.max ?? Infinity;
      const belowMax = type.open === 'max' || type.open === 'both' ? (v: number) => v < max : (v: number) => v <= max;
      if (!(isNumber(value) && aboveMin(value) && belowMax(value))) fail(ruleText(type));
      return;
    }
    case 'enum':
      if (!(type.values as readonly unknown[]).includes(value)) fail(ruleText(type));
      return;
    case 'switch':
      if (typeof value !== 'boolean') fail(ruleText(type));
      return;
    case 'features':
      return checkFeatures(value, name);
    case 'hidden':
      return checkHidden(value, name);
    case 'vectors':
      if (value !== null && !(typeof value === 'string' && value !== '')) fail(ruleText(type));
      return;
    case 'weight':
      if (value !== 'auto' && !(isNumber(value) && value >= 0 && value <= (type.max ?? Infinity))) fail(ruleText(type));
      return;
    case 'count':
      if (value !== 'auto' && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= type.min && value <= type.limit)) fail(ruleText(type));
      return;
  }
}

/**
 * Refuses a decay setting that would not decay sensibly: a factor outside (0, 1) (0 stops
 * learning, above 1 grows the rate, below 0 flips its sign), a step interval that is not an
 * integer >= 1, or a factor or interval given where the kind does not use it.
 */
function checkDecay(decay: unknown, naming: OptionNaming): void {
  if (decay === undefined) return;
  const name = (key: 'decay.kind' | 'decay.factor' | 'decay.every') => (naming === 'flag' ? `--${TRAIN_OPTIONS[key].flag}` : key);
  if (typeof decay !== 'object' || decay === null || Array.isArray(decay)) {
    throw new NerError('E_CONFIG', `${naming === 'flag' ? name('decay.kind') : 'decay'} must be { kind, factor?, every? }, got ${show(decay)}`);
  }
  const { kind, factor, every } = decay as Record<string, unknown>;
  checkValue('decay.kind', kind, name('decay.kind'));
  const none = 'without a decay the learning rate stays constant';
  for (const [key, value] of [['decay.factor', factor], ['decay.every', every]] as const) {
    const d = TRAIN_OPTIONS[key].default;
    const kinds = 'perDecayKind' in d ? Object.keys(d.perDecayKind) : [];
    if (value !== undefined && !kinds.includes(kind as string)) {
      const hint = kind === 'exponential' ? 'exponential decay multiplies the rate after every epoch' : none;
      throw new NerError('E_CONFIG', `${name(key)} needs ${name('decay.kind')} ${kinds.join(' or ')}`, { hint });
    }
  }
  if (factor !== undefined) checkValue('decay.factor', factor, name('decay.factor'), 'e.g. 0.5 halves the learning rate at each decay');
  if (every !== undefined) checkValue('decay.every', every, name('decay.every'));
}

/**
 * The teacher is a model or a folder, or saved probabilities (teacherProbabilities, or the file
 * trainFiles reads them from: teacherFile), never two of them; the distillation settings come with one.
 */
function checkTeacher(o: Record<string, unknown>, naming: OptionNaming): void {
  const teacher = o.teacher;
  const teacherName = naming === 'flag' ? '--teacher' : 'teacher';
  const savedName = naming === 'flag' ? '--teacher-probabilities' : o.teacherFile !== undefined ? 'teacherFile' : 'teacherProbabilities';
  const saved = o.teacherProbabilities ?? o.teacherFile;
  if (o.teacherProbabilities !== undefined && o.teacherFile !== undefined) throw new NerError('E_CONFIG', 'give teacherProbabilities or teacherFile, not both');
  if (teacher !== undefined && saved !== undefined) {
    throw new NerError('E_CONFIG', `${teacherName} and ${savedName} are two teachers: give one`, { hint: `${savedName} are a teacher's probabilities saved earlier; ${teacherName} a model whose probabilities are computed` });
  }
  if (teacher === undefined && saved === undefined) {
    for (const key of ['distillWeight', 'distillTemperature'] as const) {
      if (o[key] !== undefined) {
        const name = naming === 'flag' ? `--${TRAIN_OPTIONS[key].flag}` : key;
        throw new NerError('E_CONFIG', `${name} needs ${teacherName} or ${savedName}: it sets how a teacher's probabilities are learnt`, { hint: `add ${teacherName} with the model to distil, or drop ${name}` });
      }
    }
    return;
  }
  if (o.teacherFile !== undefined && !(typeof o.teacherFile === 'string' && o.teacherFile !== '')) throw new NerError('E_CONFIG', `${savedName} must be a file path, got ${show(o.teacherFile)}`);
  const p = o.teacherProbabilities as { tags?: unknown; probabilities?: unknown } | undefined;
  if (p !== undefined && !(typeof p === 'object' && p !== null && Array.isArray(p.tags) && p.probabilities instanceof Float32Array)) {
    throw new NerError('E_CONFIG', `teacherProbabilities must be { tags: string[], probabilities: Float32Array }, got ${show(p)}`, { hint: 'read a saved file with decodeTeacherProbabilities' });
  }
  if (teacher === undefined) return;
  const isModel = typeof teacher === 'object' && teacher !== null && typeof (teacher as { tagProbabilitiesAsync?: unknown }).tagProbabilitiesAsync === 'function';
  if (!isModel && !(typeof teacher === 'string' && teacher !== '')) {
    throw new NerError('E_CONFIG', `${teacherName} must be a model${naming === 'flag' ? ' folder' : ' (WindowModel, or a model folder for trainFiles)'}, got ${show(teacher)}`);
  }
}

/** A list of { name, dim } with known names, each once, and sizes in [1, LIMITS.featureSize]. */
function checkFeatures(features: unknown, name: string): void {
  if (!Array.isArray(features) || features.length === 0) {
    throw new NerError('E_CONFIG', `${name} must be ${ruleText(TRAIN_OPTIONS.features.type)}, got ${show(features)}`);
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
    throw new NerError('E_CONFIG', `${name} must be ${ruleText(TRAIN_OPTIONS.hidden.type)}, got ${show(hidden)}`, { hint: 'e.g. [300] or [300, 150]' });
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
