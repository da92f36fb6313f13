/**
 * Issue 12, section 3: training options are written once, in TRAIN_OPTIONS. These tests fail
 * when the TrainArgs fields, the CLI flags, `--help`, the README's table or the defaults that
 * training applies drift from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainOptionsMarkdown } from '../../scripts/options-table.js';
import { hyperparameters, TRAIN_OPTION_SPECS, TRAIN_OPTIONS_HELP } from '../../src/cli/train-options.js';
import { defaultText, rangeText } from '../../src/core/train/option-text.js';
import { Optimizer, OPTIMIZERS } from '../../src/core/train/optimizers.js';
import {
  TRAIN_OPTION_KEYS,
  TRAIN_OPTIONS,
  withDefaults,
  type NotOptionFields,
  type TrainOption,
  type TrainOptionKey,
} from '../../src/core/train/options.js';
import { learningRateAt } from '../../src/core/train/schedule.js';
import type { TrainArgs } from '../../src/core/train/train-args.js';
import { runCli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '../..');
const source = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const options = TRAIN_OPTION_KEYS.map((key): [TrainOptionKey, TrainOption] => [key, TRAIN_OPTIONS[key]]);
const data = { train: [], dev: [] } satisfies Pick<TrainArgs, 'train' | 'dev'>;

/** The fields of `export interface NAME { ... }` in a TypeScript source, as written there. */
function interfaceFields(text: string, name: string): string[] {
  const body = text.split(`export interface ${name} {\n`)[1]?.split('\n}\n')[0];
  expect(body, `interface ${name}`).toBeDefined();
  return [...body!.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]);
}

/** `0.01 for sgd, momentum; 1 for adadelta` -> { sgd: 0.01, momentum: 0.01, adadelta: 1 }. */
function cases(text: string): Record<string, number> {
  return Object.fromEntries(
    text.split('; ').flatMap((part) => {
      const [value, names] = part.split(' for ');
      return names.split(', ').map((n) => [n, Number(value)]);
    }),
  );
}

describe('the table of training options', () => {
  it('has an entry for every option field of TrainArgs and its decay, and no other', () => {
    // The type system keeps this list to the fields the table leaves out on purpose.
    const notOptions: Record<NotOptionFields, true> = { train: true, dev: true, teacher: true, teacherProbabilities: true, gazetteer: true, firstStage: true, onEpoch: true, onProgress: true, onStage: true, signal: true };
    const topLevel = TRAIN_OPTION_KEYS.filter((k) => k !== 'backend').map((k) => k.split('.')[0]);
    const trainArgs = interfaceFields(source('src/core/train/train-args.ts'), 'TrainArgs');
    expect(new Set([...topLevel, ...Object.keys(notOptions)])).toEqual(new Set(trainArgs));
    expect(trainArgs.length).toBe(new Set(trainArgs).size);
    const decay = TRAIN_OPTION_KEYS.filter((k) => k.startsWith('decay.')).map((k) => k.slice('decay.'.length));
    expect(decay.sort()).toEqual(interfaceFields(source('src/core/train/schedule.ts'), 'DecayArgs').sort());
    const flags = options.map(([, o]) => o.flag);
    expect(new Set(flags).size).toBe(flags.length);
  });

  it('gives parseArgs one spec per flag: a boolean for a switch, a string otherwise', () => {
    expect(Object.keys(TRAIN_OPTION_SPECS).sort()).toEqual(options.map(([, o]) => o.flag).sort());
    for (const [, o] of options) expect(TRAIN_OPTION_SPECS[o.flag].type).toBe(o.type.kind === 'switch' ? 'boolean' : 'string');
  });

  it('ner train --help lists every flag with its range and default, and no flag the table lacks', async () => {
    const run = await runCli('train', '--help');
    expect(run.code).toBe(0);
    const options_ = run.stdout.split('\nModel:\n')[1]?.split('\n\nExit codes')[0];
    expect(options_).toBeDefined();
    // One entry per flag: its line and the indented lines under it, joined as one text.
    const entries = new Map(
      options_!
        .split(/\n(?= {2}--)/)
        .filter((entry) => entry.startsWith('  --'))
        .map((entry) => [/^ {2}--([\w-]+)/.exec(entry)![1], entry.replace(/\s+/g, ' ')]),
    );
    expect([...entries.keys()].sort()).toEqual(options.map(([, o]) => o.flag).sort());
    for (const [, o] of options) {
      const entry = entries.get(o.flag)!;
      expect(entry).toContain(`(default ${defaultText(o)})`);
      expect(entry).toContain(rangeText(o));
      expect(entry).toContain(o.help);
    }
    expect((await runCli('cv', '--help')).stdout).toContain(TRAIN_OPTIONS_HELP);
  });

  it("the README's table is exactly what scripts/options-table.ts prints, every flag with the table's default", () => {
    const readme = source('README.md');
    expect(readme).toContain(trainOptionsMarkdown());
    const section = readme.split('### `ner train`')[1].split('\n### ')[0];
    const rows = section.split('\n').filter((line) => line.startsWith('| `--'));
    const defaults = new Map(
      rows.map((row) => {
        const cells = row.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());
        return [/^`--([\w-]+)/.exec(cells[0])![1], cells[1]];
      }),
    );
    expect(defaults).toEqual(new Map(options.map(([, o]) => [o.flag, defaultText(o)])));
  });
});

describe('the defaults training applies are those the table states', () => {
  it('withDefaults({ train, dev }) holds every fixed default, as the CLI would read its stated value', () => {
    const resolved = withDefaults(data, 2) as unknown as Record<string, unknown>;
    for (const [key, o] of options) {
      if (key === 'backend' || !('value' in o.default)) continue;
      const field = key.split('.')[0];
      const stated = defaultText(o);
      if (o.type.kind === 'switch') {
        expect(stated).toBe('off');
        expect(resolved[field], key).toBe(false);
      } else {
        // The distillation options are refused without a teacher beside them.
        const teacher = key.startsWith('distill') ? { teacher: 'some/model' } : {};
        const read = hyperparameters({ [o.flag]: stated, ...teacher }) as Record<string, unknown>;
        expect(resolved[field], key).toEqual(read[field]);
      }
    }
    expect(resolved.decay).toEqual({ kind: 'none' });
  });

  it('the learning rate follows the optimizer as stated, and is the Optimizer\'s own', () => {
    const stated = cases(defaultText(TRAIN_OPTIONS.learningRate));
    expect(Object.keys(stated).sort()).toEqual([...OPTIMIZERS].sort());
    for (const optimizer of OPTIMIZERS) {
      const rate = withDefaults({ ...data, optimizer }, 2).learningRate;
      expect(rate, optimizer).toBe(stated[optimizer]);
      expect(new Optimizer({ name: optimizer }).learningRate).toBe(rate);
    }
  });

  it('the decay factor and interval follow the decay kind as stated, and learningRateAt uses them', () => {
    const factors = cases(defaultText(TRAIN_OPTIONS['decay.factor']));
    const intervals = cases(defaultText(TRAIN_OPTIONS['decay.every']));
    expect(withDefaults({ ...data, decay: { kind: 'step' } }, 2).decay).toEqual({ kind: 'step', factor: factors.step, every: intervals.step });
    expect(withDefaults({ ...data, decay: { kind: 'exponential' } }, 2).decay).toEqual({ kind: 'exponential', factor: factors.exponential });
    expect(Object.keys(factors).sort()).toEqual(['exponential', 'step']);
    expect(Object.keys(intervals)).toEqual(['step']);
    for (const epoch of [1, 4, 7]) {
      expect(learningRateAt(1, { kind: 'step' }, epoch)).toBe(learningRateAt(1, { kind: 'step', factor: factors.step, every: intervals.step }, epoch));
      expect(learningRateAt(1, { kind: 'exponential' }, epoch)).toBe(learningRateAt(1, { kind: 'exponential', factor: factors.exponential }, epoch));
    }
  });

  it('the thread count follows the cores passed in, as stated', () => {
    const [many, one] = /^(\d+), or (\d+) on one core$/.exec(defaultText(TRAIN_OPTIONS.threads))!.slice(1).map(Number);
    expect(withDefaults(data, 1).threads).toBe(one);
    for (const cores of [2, 3, 16, 128]) expect(withDefaults(data, cores).threads).toBe(many);
  });

  it('given options are kept, whatever the defaults', () => {
    const given = { ...data, window: 0, dropout: 0, freezeVectors: true, vectors: null, learningRate: 0.3, threads: 1, decay: { kind: 'step' as const, factor: 0.2 } };
    const every = cases(defaultText(TRAIN_OPTIONS['decay.every'])).step;
    expect(withDefaults(given, 2)).toMatchObject({ ...given, decay: { kind: 'step', factor: 0.2, every } });
  });
});
