import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const tmp = mkdtempSync(join(tmpdir(), 'ner-cli-train-'));
const model = join(tmp, 'model');
const tiny = ['--vectors', 'none', '--features', 'word:16,casing:4', '--hidden', '32', '--batch-size', '16', '--lr', '0.01', '--dropout', '0.1', '--backend', 'wasm'];

describe('ner train, predict and eval with a model', () => {
  it('trains, writes the model with metrics.tsv, and reports the backend and epochs on stderr', async () => {
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--test', FIXTURE, '--out', model, '--epochs', '25', '--patience', '25', ...tiny);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^backend: wasm/m);
    expect(run.stderr).toMatch(/epoch 1: loss [\d.]+ +dev P [\d.]+ R [\d.]+ F1 [\d.]+/);
    expect(run.stderr).toMatch(/test: P 100\.00 R 100\.00 F1 100\.00/);
    const metrics = readFileSync(join(model, 'metrics.tsv'), 'utf8').trim().split('\n');
    expect(metrics[0]).toBe('epoch\tloss\tdev_precision\tdev_recall\tdev_f1\tlearning_rate\twindows_per_s\tseconds');
    expect(metrics.length).toBe(26);
    const manifest = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(manifest.training.backend).toEqual({ name: 'wasm', gpu: false });
    expect(manifest.training.test.f1).toBe(100);
  });

  it('predict appends a tag column, keeps -DOCSTART- and blank lines, and eval --scored agrees with eval', async () => {
    const run = await runCli('predict', FIXTURE, '--model', model);
    expect(run.code).toBe(0);
    const input = readFileSync(FIXTURE, 'utf8').split('\n');
    const output = run.stdout.split('\n');
    expect(output.length).toBe(input.length);
    output.forEach((line, i) => {
      if (input[i] === '') expect(line).toBe('');
      else expect(line.startsWith(`${input[i]} `)).toBe(true);
    });
    const scoredFile = join(tmp, 'scored.txt');
    writeFileSync(scoredFile, run.stdout);
    const scored = await runCli('eval', '--scored', scoredFile, '--json');
    const direct = await runCli('eval', FIXTURE, '--model', model, '--json');
    expect(direct.code).toBe(0);
    expect(JSON.parse(direct.stdout)).toEqual(JSON.parse(scored.stdout));
    expect(JSON.parse(direct.stdout).f1).toBe(100);
  });

  it('eval --decoder and --transition-weight change the decoding; bad values are usage errors', async () => {
    for (const extra of [['--decoder', 'greedy'], ['--transition-weight', '0'], ['--transition-weight', '1']]) {
      const run = await runCli('eval', FIXTURE, '--model', model, '--json', ...extra);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).f1).toBeGreaterThan(50);
    }
    expect((await runCli('eval', FIXTURE, '--model', model, '--transition-weight', 'heavy')).code).toBe(2);
    expect((await runCli('eval', FIXTURE, '--model', model, '--transition-weight=-1')).code).toBe(2);
    expect((await runCli('eval', FIXTURE, '--model', model, '--decoder', 'beam')).code).toBe(2);
  });

  it('eval --errors adds the error classes and the token confusion table; not with --scored', async () => {
    const run = await runCli('eval', FIXTURE, '--model', model, '--errors');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^processed \d+ tokens/);
    expect(run.stdout).toMatch(/Entity errors[\s\S]*\n\s+all\s+\d+/);
    expect(run.stdout).toMatch(/Token confusion[\s\S]*gold \\ pred/);
    expect((await runCli('eval', '--scored', FIXTURE, '--errors')).code).toBe(2);
  });

  it.each([
    [['--hidden', '0'], /--hidden takes positive integer sizes/],
    [['--window=-1'], /window must be an integer >= 0, got -1/],
    [['--window', '-1'], /Option '--window' argument is ambiguous/],
    [['--optimizer', 'adamw'], /--optimizer must be one of sgd, momentum, adagrad, adadelta, rmsprop, adam; got "adamw"/],
    [['--epochs', 'ten'], /--epochs expects an integer, got "ten"/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ])('bad option %o is a usage error (exit 2) and writes no model', async (bad, message) => {
    const out = join(tmp, `bad-${bad.join('').replace(/\W/g, '')}`);
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', out, ...tiny, ...bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing training file names the file (exit 1); missing --out is a usage error', async () => {
    const run = await runCli('train', '--train', join(tmp, 'nope.txt'), '--dev', FIXTURE, '--out', join(tmp, 'x'), ...tiny);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nope\.txt/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect((await runCli('train', '--train', FIXTURE, '--dev', FIXTURE)).code).toBe(2);
  });

  it('--vector-bits 4 and --precision float16 save a compact model that scores as trained; bad values are usage errors', async () => {
    const out = join(tmp, 'compact');
    // Vectors for all but a few of the fixture's words, so that most word rows are pretrained.
    const words = [...new Set(readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('-DOCSTART-')).map((l) => l.split(' ')[0].toLowerCase()))];
    const glove = join(tmp, 'vectors.txt');
    writeFileSync(glove, words.slice(3).map((w, i) => `${w} ${[1, 2, 3].map((d) => Math.sin(i * d + d).toFixed(4)).join(' ')}`).join('\n'));
    const args = ['--vectors', glove, '--freeze-vectors', '--features', 'word:3,casing:4', '--hidden', '32', '--batch-size', '16', '--lr', '0.01', '--dropout', '0.1', '--backend', 'wasm'];
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--test', FIXTURE, '--out', out, '--epochs', '25', '--patience', '25', '--vector-bits', '4', '--precision', 'float16', ...args);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    const dtypes = Object.fromEntries(manifest.weights.tensors.map((t: { name: string; dtype: string }) => [t.name, t.dtype]));
    expect(dtypes).toMatchObject({ 'table/word@4bit': 'int4-rows', 'table/word': 'int8-rows', 'dense0/W': 'float16', 'table/casing': 'float16' });
    expect(manifest.config.precision).toBe('float16');
    const trained = run.stderr.match(/test: P [\d.]+ R [\d.]+ F1 ([\d.]+)/)![1];
    const scored = await runCli('eval', FIXTURE, '--model', out);
    expect(scored.stdout).toMatch(new RegExp(`FB1: +${trained}`));
    for (const bad of [['--vector-bits', '8'], ['--precision', 'half']]) {
      const r = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', join(tmp, 'bad'), ...bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${bad[0]} must be one of`));
    }
    expect(existsSync(join(tmp, 'bad'))).toBe(false);
  });

  it('predict --workers 2 writes what one thread writes, over many chunks in flight', async () => {
    const big = join(tmp, 'big.conll');
    writeFileSync(big, readFileSync(FIXTURE, 'utf8').repeat(150)); // ~7,000 sentences: chunks of 2,000 cut at -DOCSTART-
    const one = await runCli('predict', big, '--model', model, '--workers', '1');
    expect(one.code).toBe(0);
    expect(one.stdout.split('\n').length).toBe(readFileSync(big, 'utf8').split('\n').length);
    const two = await runCli('predict', big, '--model', model, '--workers', '2');
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  it('predict: a bad --workers is a usage error, a missing FILE an error naming it', async () => {
    const zero = await runCli('predict', FIXTURE, '--model', model, '--workers', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--workers must be from 1 to \d+ \(the number of cores\), got 0/);
    const missing = await runCli('predict', join(tmp, 'nope.conll'), '--model', model);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.conll/);
  });

  it('a missing or corrupt --model is a clear error for predict and eval', async () => {
    const predict = await runCli('predict', FIXTURE, '--model', join(tmp, 'no-model'));
    expect(predict.code).toBe(1);
    expect(predict.stderr).toMatch(/no-model: model directory not found/);
    const evalRun = await runCli('eval', FIXTURE, '--model', tmp);
    expect(evalRun.code).toBe(1);
    expect(evalRun.stderr).toMatch(/model\.json is missing/);
  });
});

describe('ner cv', () => {
  it('cross-validates over folds and prints mean and spread', async () => {
    const run = await runCli('cv', '--train', FIXTURE, '--folds', '4', '--epochs', '8', '--json', ...tiny);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.folds).toHaveLength(4);
    expect(result.folds.map((f: { trainSentences: number }) => f.trainSentences)).toEqual([20, 20, 20, 20]);
    const f1s = result.folds.map((f: { heldOut: { f1: number } }) => f.heldOut.f1);
    expect(result.mean.f1).toBeCloseTo(f1s.reduce((a: number, b: number) => a + b, 0) / 4, 8);
    expect(result.mean.f1).toBeGreaterThan(50);
    expect(run.stderr).toMatch(/fold 4\/4: held-out P/);
  });

  it('rejects fewer than 3 folds as a usage error', async () => {
    const run = await runCli('cv', '--train', FIXTURE, '--folds', '2');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--folds must be at least 3, got 2/);
  });
});

describe('ner without a command', () => {
  it('prints the help to stderr and exits 2; --help prints it to stdout and exits 0', async () => {
    const none = await runCli();
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/Usage: ner <command>/);
    const help = await runCli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:\n  tag/);
    const unknown = await runCli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
