/**
 * The hyperparameter options shared by `ner train` and `ner cv`, made from TRAIN_OPTIONS (the
 * one table of options): their parseArgs specs, help text, and conversion into TrainArgs.
 */
import { usageError } from '../core/errors.js';
import { FEATURE_NAMES, type FeatureName, type FeatureSpec } from '../core/features/token-features.js';
import type { BackendRequest } from '../core/runtime.js';
import { defaultText, rangeText } from '../core/train/option-text.js';
import { fixedDefault, OPTION_GROUPS, TRAIN_OPTION_KEYS, TRAIN_OPTIONS, type TrainOption } from '../core/train/options.js';
import type { DecayArgs } from '../core/train/schedule.js';
import type { EpochMetrics, TrainArgs } from '../core/train/train-args.js';
import { validateTrainArgs } from '../core/train/validate-args.js';
import { TENSORFLOW_REMOVED } from '../node/backend.js';
import { intOption, numberOption, type ParsedArgs } from './args.js';

/** The hyperparameters the flags give: only those given; the defaults are filled in by training. */
export type Hyperparameters = Omit<TrainArgs, 'train' | 'dev' | 'teacher'> & { backend?: BackendRequest; teacher?: string; teacherFile?: string };

/** parseArgs specs of the hyperparameter options. */
export const TRAIN_OPTION_SPECS: Record<string, { type: 'string' | 'boolean' }> = Object.fromEntries(
  TRAIN_OPTION_KEYS.map((key) => {
    const option: TrainOption = TRAIN_OPTIONS[key];
    return [option.flag, { type: option.type.kind === 'switch' ? 'boolean' : 'string' }];
  }),
);

const FLAG_COLUMN = 22;
const HELP_WIDTH = 96;

/** Help text of the hyperparameter options: per group, each flag with what it does, its range and default. */
export const TRAIN_OPTIONS_HELP = OPTION_GROUPS.map((group) => {
  const lines = TRAIN_OPTION_KEYS.filter((key) => TRAIN_OPTIONS[key].group === group).map((key) => optionHelp(TRAIN_OPTIONS[key]));
  return `${group}:\n${lines.join('\n')}\n\n`;
}).join('');

/** `  --dropout P           dropout on the hidden layers; in [0, 1) (default 0.5)`, wrapped. */
function optionHelp(option: TrainOption): string {
  const flag = `--${option.flag}${option.placeholder ? ` ${option.placeholder}` : ''}`;
  const range = rangeText(option);
  const text = `${option.help}${range ? `; ${range}` : ''} (default ${defaultText(option)})`;
  const indent = ' '.repeat(2 + FLAG_COLUMN);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  // A flag as long as the column (or longer) puts its text on the next line.
  const head = flag.length < FLAG_COLUMN ? `  ${flag.padEnd(FLAG_COLUMN)}` : `  ${flag}\n${indent}`;
  return head + lines.join(`\n${indent}`);
}

/**
 * Hyperparameters read from parsed options, every one checked against its range before the
 * command does any work; a bad value is a usage error naming the flag. Options not given
 * stay undefined: the defaults are training's (withDefaults).
 */
export function hyperparameters(v: ParsedArgs['values']): Hyperparameters {
  const options: Record<string, unknown> = {};
  const decay: Partial<Record<keyof DecayArgs, unknown>> = {};
  for (const key of TRAIN_OPTION_KEYS) {
    const option: TrainOption = TRAIN_OPTIONS[key];
    const given = v[option.flag];
    if (given === undefined) continue;
    const value = typeof given === 'boolean' ? given : parseValue(option, String(given));
    if (key.startsWith('decay.')) decay[key.slice('decay.'.length) as keyof DecayArgs] = value;
    else options[key] = value;
  }
  // A factor or interval without --decay is checked against the default kind (and refused).
  if (Object.keys(decay).length > 0) options.decay = { kind: fixedDefault('decay.kind'), ...decay };
  // --teacher (ner train only) is a model folder; the distillation options need it.
  if (v.teacher !== undefined) options.teacher = String(v.teacher);
  // --teacher-probabilities (ner train only): a saved teacher's file (trainFiles' teacherFile).
  if (v['teacher-probabilities'] !== undefined) options.teacherFile = String(v['teacher-probabilities']);
  validateTrainArgs(options, 'flag');
  return options as Hyperparameters;
}

/** One flag's text as the option's value; a text that is not of its type is a usage error. */
function parseValue(option: TrainOption, text: string): unknown {
  const flag = option.flag;
  const type = option.type;
  switch (type.kind) {
    case 'int':
      return intOption(text, flag, Number.NaN); // the fallback is for absent flags; this one is given
    case 'number':
      return numberOption(text, flag, Number.NaN);
    case 'enum': {
      const names = type.values.map(String);
      return type.values[names.indexOf(checkOneOf(text, names, flag))];
    }
    case 'switch':
      return true;
    case 'features':
      return parseFeatures(text);
    case 'hidden':
      return parseHidden(text);
    case 'vectors':
      return text === 'none' ? null : text;
    case 'weight':
      return text === 'auto' ? 'auto' : numberOption(text, flag, Number.NaN);
    case 'count':
      return text === 'auto' ? 'auto' : intOption(text, flag, Number.NaN);
  }
}

/** One line of figures for a finished epoch. */
export function formatEpoch(m: EpochMetrics, bestNote = '  (best)'): string {
  return (
    `epoch ${m.epoch}: loss ${m.loss.toFixed(4)}  dev P ${m.dev.precision.toFixed(2)} R ${m.dev.recall.toFixed(2)} F1 ${m.dev.f1.toFixed(2)}` +
    `  ${Math.round(m.windowsPerSecond)} windows/s  ${m.seconds.toFixed(1)} s${m.best ? bestNote : ''}`
  );
}

/** A flag's value among the allowed ones, or `fallback` when the flag is absent. */
export function oneOf(value: string | undefined, allowed: readonly string[], flag: string, fallback: string): string {
  return value === undefined ? fallback : checkOneOf(value, allowed, flag);
}

function checkOneOf(value: string, allowed: readonly string[], flag: string): string {
  if (flag === 'backend' && value === 'tensorflow') throw usageError(TENSORFLOW_REMOVED, 'use --backend webgpu for the GPU, with the webgpu package and a GPU driver, or --backend wasm');
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
