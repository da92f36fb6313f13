/**
 * Issue 11, items 5 (options), 8, 12 and 13: training refuses bad options before any work,
 * bad training data with the file's name, and an ensemble of incompatible models with the
 * offending model's folder.
 */
import { runtime } from '../../src/core/runtime.js';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NerError } from '../../src/core/errors.js';
import { train } from '../../src/core/train/trainer.js';
import { readLabeledDocuments, trainFiles } from '../../src/node/train-files.js';
import type { Document } from '../../src/core/document/document.js';
import type { TrainArgs } from '../../src/core/train/train-args.js';
import { runCli } from '../helpers/cli.js';

// Every call of the runtime's vectors loader is counted, so a test can tell that none happened.
const vectorLoads = { count: 0 };
const realLoadVectors = runtime().loadVectors!;
runtime().loadVectors = (...args) => {
  vectorLoads.count++;
  return realLoadVectors(...args);
};

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const VECTORS = join(import.meta.dirname, '../fixtures/tiny-glove.txt');
const tmp = mkdtempSync(join(tmpdir(), 'ner-train-validation-'));
const MISSING = join(tmp, 'no-such-file.conll');
const tiny = ['--vectors', 'none', '--features', 'word:16,casing:4', '--hidden', '32', '--batch-size', '16', '--backend', 'wasm', '--threads', '1'];

/** A file in the temporary folder with this text. */
function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

/** The error a promise rejects with (the test fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<NerError> {
  const err = await promise.then(
    () => { throw new Error('expected a rejection'); },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NerError);
  return err as NerError;
}

beforeEach(() => {
  vectorLoads.count = 0;
});

describe('training options are checked before any work (item 5)', () => {
  it('the vectors loader runs for valid options (the spy works)', async () => {
    const out = join(tmp, 'with-vectors');
    // One network: an ensemble training (members auto on this small fixture: 3) loads the vectors per member.
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', out, ...tiny, '--vectors', VECTORS, '--features', 'word:3,casing:4', '--epochs', '1', '--members', '1');
    expect(run.code).toBe(0);
    expect(vectorLoads.count).toBe(1);
  });

  it('--lr 0 is a usage error before the vectors are read', async () => {
    const out = join(tmp, 'lr0');
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', out, ...tiny, '--vectors', VECTORS, '--lr', '0');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--lr must be a number > 0, got 0/);
    expect(vectorLoads.count).toBe(0);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [['--lr', '0'], /--lr must be a number > 0/],
    [['--lr=-0.5'], /--lr must be a number > 0, got -0.5/],
    [['--dropout', '1'], /--dropout must be in \[0, 1\), got 1/],
    [['--dropout=-0.1'], /--dropout must be in \[0, 1\)/],
    [['--input-dropout', '1.5'], /--input-dropout must be in \[0, 1\), got 1.5/],
    [['--unknown-word-rate', '2'], /--unknown-word-rate must be in \[0, 1\], got 2/],
    [['--batch-size', '0'], /--batch-size must be an integer >= 1, got 0/],
    [['--epochs', '0'], /--epochs must be an integer >= 1, got 0/],
    [['--patience', '0'], /--patience must be an integer >= 1, got 0/],
    [['--window=-1'], /--window must be an integer >= 0, got -1/],
    [['--window', '1000'], /--window must be at most 50, got 1000/],
    [['--l2=-1'], /--l2 must be a number >= 0, got -1/],
    [['--vectors-limit', '0'], /--vectors-limit must be an integer >= 1, got 0/],
    [['--seed=-3'], /--seed must be an integer in \[0, 4294967295\], got -3/],
    [['--hidden', '100000000'], /--hidden sizes must be integers in \[1, 65536\], got 100000000/],
    [['--features', 'word:100000000'], /--features: feature "word" needs an integer size in \[1, 4096\], got 100000000/],
    [['--features', 'word:8,word:8'], /--features: feature "word" is listed twice/],
  ])('%o is refused (exit 2) before the data files are read', async (bad, message) => {
    // The data files do not exist: reading them first would fail with exit 1 instead.
    const out = join(tmp, 'never');
    const run = await runCli('train', '--train', MISSING, '--dev', MISSING, '--out', out, ...tiny, ...bad);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('ner cv checks its options before reading the data', async () => {
    const run = await runCli('cv', '--train', MISSING, ...tiny, '--dropout', '1');
    expect(run.stderr).toMatch(/--dropout must be in \[0, 1\)/);
    expect(run.code).toBe(2);
  });

  it('trainFiles (the library) checks its options before reading files or vectors, naming the field', async () => {
    const err = await rejection(trainFiles({ trainFile: MISSING, devFile: MISSING, out: join(tmp, 'lib-never'), vectors: VECTORS, learningRate: 0 }));
    expect(err.code).toBe('E_CONFIG');
    expect(err.message).toMatch(/learningRate must be a number > 0, got 0/);
    expect(vectorLoads.count).toBe(0);
    const backend = await rejection(trainFiles({ trainFile: MISSING, devFile: MISSING, out: join(tmp, 'lib-never'), backend: 'gpu' as never }));
    expect(backend.code).toBe('E_CONFIG');
    expect(backend.message).toMatch(/backend must be one of auto, /);
    const noFile = await rejection(trainFiles({ trainFile: undefined as never, devFile: MISSING, out: join(tmp, 'lib-never') }));
    expect(noFile.message).toMatch(/trainFile must be a file path/);
  });

  it('train() (the library) refuses values of the wrong type with the field name, before loading vectors', async () => {
    const data = await readLabeledDocuments(FIXTURE);
    const base: TrainArgs = { train: data, dev: data, vectors: VECTORS, threads: 1 };
    const cases: [Partial<TrainArgs>, RegExp][] = [
      [{ learningRate: '0.1' as never }, /learningRate must be a number > 0, got "0.1"/],
      [{ hidden: 300 as never }, /hidden must be a non-empty list of layer sizes/],
      [{ features: 'word:16' as never }, /features must be a non-empty list of \{ name, dim \}/],
      [{ decay: 'step' as never }, /decay must be \{ kind, factor\?, every\? \}/],
      [{ freezeVectors: 'yes' as never }, /freezeVectors must be true or false/],
      [{ threads: 3 }, /threads must be 1 or 2, got 3/],
      [{ seed: 1.5 }, /seed must be an integer in \[0, 4294967295\], got 1.5/],
      [{ vectors: 7 as never }, /vectors must be a name or file path, or null/],
    ];
    for (const [bad, message] of cases) {
      const err = await rejection(train({ ...base, ...bad }));
      expect(err.code).toBe('E_CONFIG');
      expect(err.message).toMatch(message);
    }
    expect(vectorLoads.count).toBe(0);
  });
});

describe('learning-rate decay options (item 12)', () => {
  it.each([
    [['--decay', 'step', '--decay-every', '0'], /--decay-every must be an integer >= 1, got 0/],
    [['--decay', 'step', '--decay-factor=-2'], /--decay-factor must be in \(0, 1\), got -2/],
    [['--decay', 'step', '--decay-factor', '0'], /--decay-factor must be in \(0, 1\), got 0/],
    [['--decay', 'step', '--decay-factor', '1'], /--decay-factor must be in \(0, 1\), got 1/],
    [['--decay', 'exponential', '--decay-factor', '5'], /--decay-factor must be in \(0, 1\), got 5/],
    [['--decay-factor', '0.5'], /--decay-factor needs --decay step or exponential/],
    [['--decay-every', '2'], /--decay-every needs --decay step/],
    [['--decay', 'none', '--decay-factor', '0.5'], /--decay-factor needs --decay step or exponential/],
    [['--decay', 'exponential', '--decay-every', '2'], /--decay-every needs --decay step/],
  ])('%o is a usage error (exit 2) naming the flag and its range', async (bad, message) => {
    const out = join(tmp, 'never');
    const run = await runCli('train', '--train', MISSING, '--dev', MISSING, '--out', out, ...tiny, ...bad);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('valid decay options still train', async () => {
    const out = join(tmp, 'decay-ok');
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', out, ...tiny, '--epochs', '2', '--decay', 'step', '--decay-factor', '0.5', '--decay-every', '1');
    expect(run.code).toBe(0);
    const rates = readFileSync(join(out, 'metrics.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split('\t')[5]));
    expect(rates[1]).toBeCloseTo(rates[0] * 0.5);
  });

  it('the library refuses the same decay settings with the field name', async () => {
    const data = await readLabeledDocuments(FIXTURE);
    const cases: [TrainArgs['decay'], RegExp][] = [
      [{ kind: 'step', every: 0 }, /decay\.every must be an integer >= 1, got 0/],
      [{ kind: 'exponential', factor: -2 }, /decay\.factor must be in \(0, 1\), got -2/],
      [{ kind: 'none', factor: 0.5 }, /decay\.factor needs decay\.kind step or exponential/],
      [{ kind: 'exponential', every: 2 }, /decay\.every needs decay\.kind step/],
      [{ kind: 'linear' as never }, /decay\.kind must be one of none, step, exponential, got "linear"/],
    ];
    for (const [decay, message] of cases) {
      const err = await rejection(train({ train: data, dev: data, vectors: null, threads: 1, decay }));
      expect(err.code).toBe('E_CONFIG');
      expect(err.message).toMatch(message);
    }
  });
});

describe('training data that cannot train a model (item 8)', () => {
  const onlyO = file('only-o.conll', 'The O\ncat O\nsat O\n\nIt O\nran O\n');
  const empty = file('empty.conll', '');
  const docstartOnly = file('docstart.conll', '-DOCSTART- O\n\n-DOCSTART- O\n\n');

  it.each([
    ['an empty --dev', ['--dev', empty], empty, /has no sentences/],
    ['a -DOCSTART- only --dev', ['--dev', docstartOnly], docstartOnly, /has no sentences/],
    ['an empty --train', ['--train', empty], empty, /has no sentences/],
    ['a -DOCSTART- only --train', ['--train', docstartOnly], docstartOnly, /has no sentences/],
    ['a --train with only O tags', ['--train', onlyO], onlyO, /no entities to learn: every tag is O/],
    ['an empty --test', ['--test', empty], empty, /has no sentences/],
  ])('%s is refused (exit 1) naming the file, and nothing is written', async (_name, swap, named, message) => {
    const out = join(tmp, 'data-never');
    const args = { '--train': FIXTURE, '--dev': FIXTURE } as Record<string, string>;
    args[swap[0]] = swap[1];
    const run = await runCli('train', ...Object.entries(args).flat(), '--out', out, ...tiny, '--epochs', '1');
    expect(run.stderr).toContain(`${named}: `);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/oneHot|epoch 1/);
    expect(run.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it('ner cv refuses an empty or entity-less --train with exit 1, naming the file', async () => {
    for (const [path, message] of [[empty, /has no sentences/], [onlyO, /no entities to learn/]] as const) {
      const run = await runCli('cv', '--train', path, ...tiny, '--epochs', '1');
      expect(run.stderr).toContain(`${path}: `);
      expect(run.stderr).toMatch(message);
      expect(run.code).toBe(1);
    }
  });

  it('train() (the library) refuses empty or entity-less data with a clear NerError', async () => {
    const data = await readLabeledDocuments(FIXTURE);
    const noEntities: Document[] = [{ sentences: [{ tokens: [{ text: 'a' }, { text: 'b' }], gold: ['O', 'O'] }] }];
    const sentence = (gold?: string[]) => ({ tokens: [{ text: 'a' }, { text: 'b' }], gold });
    const cases: [TrainArgs, RegExp][] = [
      [{ train: data, dev: [], vectors: null, threads: 1 }, /the dev data has no sentences/],
      [{ train: [], dev: data, vectors: null, threads: 1 }, /the training data has no sentences/],
      [{ train: noEntities, dev: data, vectors: null, threads: 1 }, /the training data has no entities to learn: every tag is O/],
      [{ train: [{ sentences: [] }], dev: data, vectors: null, threads: 1 }, /the training data has no sentences/],
      [{ train: data, dev: 'valid.txt' as never, vectors: null, threads: 1 }, /dev must be a list of documents/],
      [{ train: data, dev: [{ words: ['a'], tags: ['O'] }] as never, vectors: null, threads: 1 }, /dev document 1 must be \{ sentences: \[\.\.\.\] \}/],
      [{ train: [...noEntities, { sentences: [sentence(['O'])] }], dev: data, vectors: null, threads: 1 }, /training document 2, sentence 1 has 2 tokens but 1 gold tags/],
      [{ train: data, dev: [{ sentences: [sentence()] }], vectors: null, threads: 1 }, /dev document 1, sentence 1 must have gold tags/],
      [{ train: data, dev: [{ sentences: [{ words: ['a'] }] }] as never, vectors: null, threads: 1 }, /dev document 1, sentence 1 must have tokens/],
    ];
    for (const [args, message] of cases) {
      const err = await rejection(train(args));
      expect(err.code).not.toMatch(/E_USAGE|E_CONFIG/);
      expect(err.message).toMatch(message);
    }
  });
});

describe('ner ensemble with incompatible members (item 13)', () => {
  const trainTiny = async (name: string, ...extra: string[]) => {
    const out = join(tmp, name);
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', out, ...tiny, '--epochs', '1', ...extra);
    expect(run.code).toBe(0);
    return out;
  };

  it('exits 1 and names the folder of the member that does not fit', async () => {
    const a = await trainTiny('member-a');
    const b = await trainTiny('member-b', '--seed', '2');
    const otherFeatures = await trainTiny('member-features', '--features', 'word:16');
    const otherData = file('other-data.conll', 'Anna B-PER\nsang O\n\nBonn B-LOC\nslept O\n');
    const otherVocabulary = await trainTiny('member-vocabulary', '--train', otherData);
    for (const bad of [otherFeatures, otherVocabulary]) {
      const out = join(tmp, 'ensemble-never');
      const run = await runCli('ensemble', a, b, bad, '--out', out, '--backend', 'wasm');
      expect(run.stderr).toContain(`${bad}: `);
      expect(run.stderr).not.toContain(`${b}: `);
      expect(run.stderr).toMatch(/has (other features|another \w+ vocabulary)/);
      expect(run.stderr).toContain(` than ${a}, so the two cannot be averaged`);
      expect(run.code).toBe(1);
      expect(existsSync(out)).toBe(false);
    }
    const ok = await runCli('ensemble', a, b, '--out', join(tmp, 'ensemble-ok'), '--backend', 'wasm');
    expect(ok.code).toBe(0);
  });
});
