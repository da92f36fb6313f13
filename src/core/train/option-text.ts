/**
 * How a training option reads: its rule in error messages, its range and default in `--help`
 * and the README. Made from TRAIN_OPTIONS only, so that the three say the same.
 */
import { FEATURE_NAMES, type FeatureSpec } from '../features/token-features.js';
import { OPTIMIZERS, type OptimizerName } from './optimizers.js';
import { LIMITS, TRAIN_OPTIONS, type OptionType, type TrainOption } from './options.js';

/** What a valid value is, as the end of "X must be ...": `an integer >= 1`, `in [0, 1)`, `4 or 32`. */
export function ruleText(type: OptionType): string {
  switch (type.kind) {
    case 'int':
      return type.max === undefined ? `an integer >= ${type.min}` : `an integer in [${type.min}, ${type.max}]`;
    case 'number': {
      const openMin = type.open === 'min' || type.open === 'both';
      if (type.max === undefined) return `a number ${openMin ? '>' : '>='} ${type.min}`;
      const openMax = type.open === 'max' || type.open === 'both';
      return `in ${openMin ? '(' : '['}${type.min}, ${type.max}${openMax ? ')' : ']'}`;
    }
    case 'enum':
      return type.values.length === 2 ? `${type.values[0]} or ${type.values[1]}` : `one of ${type.values.join(', ')}`;
    case 'switch':
      return 'true or false';
    case 'features':
      return 'a non-empty list of { name, dim }';
    case 'hidden':
      return 'a non-empty list of layer sizes';
    case 'vectors':
      return 'a name or file path, or null (random vectors)';
    case 'weight':
      return type.max === undefined ? 'a number >= 0 or auto' : `a number in [0, ${type.max}] or auto`;
    case 'count':
      return `an integer in [${type.min}, ${type.limit}] or auto`;
  }
}

/** The values an option takes, as help and the README state them (CLI spelling); '' for a switch. */
export function rangeText(option: TrainOption): string {
  const type = option.type;
  const range = (() => {
    switch (type.kind) {
      case 'int':
        return type.limit === undefined ? ruleText(type) : `an integer in [${type.min}, ${type.limit}]`;
      case 'features':
        return `name:size pairs, comma-separated; names: ${FEATURE_NAMES.join(', ')}; sizes in [1, ${LIMITS.featureSize}]`;
      case 'hidden':
        return `sizes in [1, ${LIMITS.hiddenSize}]`;
      case 'switch':
      case 'vectors':
        return '';
      default:
        return ruleText(type);
    }
  })();
  const needs = needsText(option);
  return [range, needs].filter((part) => part !== '').join('; ');
}

/** `with --decay step or exponential` for an option only some decay kinds take; '' otherwise. */
function needsText(option: TrainOption): string {
  if (!('perDecayKind' in option.default)) return '';
  return `with --${TRAIN_OPTIONS['decay.kind'].flag} ${Object.keys(option.default.perDecayKind).join(' or ')}`;
}

/** A value as the command line spells it: `word:100,casing:8`, `300,150`, `none`, `off`. */
export function formatValue(type: OptionType, value: unknown): string {
  switch (type.kind) {
    case 'switch':
      return value ? 'on' : 'off';
    case 'features':
      return (value as FeatureSpec[]).map((f) => `${f.name}:${f.dim}`).join(',');
    case 'hidden':
      return (value as number[]).join(',');
    case 'vectors':
      return value === null ? 'none' : String(value);
    default:
      return String(value);
  }
}

/**
 * An option's default as help and the README state it: the value, or for a dependent default
 * what it is in each case (`0.001 for rmsprop, adam; 1 for adadelta; ...`).
 */
export function defaultText(option: TrainOption): string {
  const d = option.default;
  const show = (value: unknown) => formatValue(option.type, value);
  if ('value' in d) return show(d.value);
  if ('perOptimizer' in d) return casesText(OPTIMIZERS.map((o): [OptimizerName, string] => [o, show(d.perOptimizer(o))]));
  if ('perDecayKind' in d) return casesText(Object.entries(d.perDecayKind).map(([kind, v]): [string, string] => [kind, show(v)]));
  return `${show(d.perCoreCount(2))}, or ${show(d.perCoreCount(1))} on one core`;
}

/** `[[sgd, 0.01], [adam, 0.001], [momentum, 0.01]]` -> `0.01 for sgd, momentum; 0.001 for adam`. */
function casesText(cases: [string, string][]): string {
  const byValue = new Map<string, string[]>();
  for (const [name, value] of cases) byValue.set(value, [...(byValue.get(value) ?? []), name]);
  return [...byValue].map(([value, names]) => `${value} for ${names.join(', ')}`).join('; ');
}
