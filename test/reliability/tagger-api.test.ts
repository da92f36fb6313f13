/**
 * Issue 11, the tagging library and `ner tag` workers: items 6 (--workers unbounded),
 * 7 (TaggerPool hangs on close), 15 (library options), the API-misuse part of 16, and 17
 * (a size limit for tag/tagBatch). Every promise that could hang is raced against a timer,
 * so a hang fails the test in seconds instead of at the suite's timeout.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTagCommand, MAX_DOCUMENT_BYTES } from '../../src/cli/commands/tag.js';
import { readConll } from '../../src/node/files/conll-files.js';
import { NerError, USAGE_CODES } from '../../src/core/errors.js';
import { MAX_TEXT_BYTES } from '../../src/index.js';
import { useBackend } from '../../src/node/backend.js';
import { saveModel } from '../../src/node/storage/model-io.js';
import { Tagger, type TaggerLoadArgs } from '../../src/core/tagger/tagger.js';
import { TaggerPool } from '../../src/node/workers/tagger-pool.js';
import { train } from '../../src/core/train/trainer.js';
import { runCli } from '../helpers/cli.js';
import { FakeTagger } from '../tagger/fake-tagger.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const dir = join(mkdtempSync(join(tmpdir(), 'ner-rel-api-')), 'model');
const cores = availableParallelism();

/** `promise`, or a rejection saying it hung when it has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms (a hang)`)), ms);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

/** The error `run` throws or rejects with (it must fail). */
async function failure(run: () => unknown): Promise<NerError> {
  try {
    await within(Promise.resolve().then(run));
  } catch (err) {
    return err as NerError;
  }
  throw new Error('expected a failure, but it succeeded');
}

/** Expects a NerError of `code` whose message matches every pattern. */
async function expectNerError(run: () => unknown, code: string, ...patterns: RegExp[]): Promise<void> {
  const err = await failure(run);
  expect(err, String(err)).toBeInstanceOf(NerError);
  expect(err.code, err.message).toBe(code);
  for (const pattern of patterns) expect(err.message).toMatch(pattern);
}

const quiet = (): Writable => new Writable({ write: (_c, _e, done) => done() });

let tagger: Tagger;

beforeAll(async () => {
  await useBackend('wasm');
  const { documents } = await readConll(FIXTURE);
  const { model } = await train({
    train: documents, dev: documents, vectors: null, hidden: [16], epochs: 1, batchSize: 16, learningRate: 0.01,
    features: [{ name: 'word', dim: 8 }, { name: 'casing', dim: 4 }],
  });
  await saveModel(model, dir);
  tagger = await Tagger.load(dir, { backend: 'wasm' });
});

describe('ner tag --workers is bounded by the core count (item 6)', () => {
  /** Runs `ner tag` with a stand-in loader that records the worker counts it was asked for. */
  async function tagWithWorkers(workers: string): Promise<{ asked: number[]; error?: NerError }> {
    const asked: number[] = [];
    const command = createTagCommand(async (_dir, n) => { asked.push(n); return new FakeTagger(); }, { stdout: quiet(), stderr: quiet() });
    try {
      await within(Promise.resolve(command.run(['--workers', workers, 'Barack Obama visited Paris.'])));
      return { asked };
    } catch (err) {
      return { asked, error: err as NerError };
    }
  }

  it('--workers 100000 is a usage error naming the range, before any worker starts', async () => {
    const { asked, error } = await tagWithWorkers('100000');
    expect(asked).toEqual([]);
    expect(error).toBeInstanceOf(NerError);
    expect(USAGE_CODES).toContain(error!.code);
    expect(error!.message).toMatch(/--workers/);
    expect(error!.message).toContain(`from 1 to ${cores}`);
    expect(error!.message).toMatch(/100000/);
  });

  it('one more worker than cores is refused with exit code 2 by the real CLI', async () => {
    const run = await within(runCli('tag', '--workers', String(cores + 1), '--model', dir, 'Anna Keller visited Oslo.'), 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--workers must be from 1 to ${cores}`);
    expect(run.stdout).toBe('');
  });

  it('ner predict --workers above the core count is refused the same way', async () => {
    const file = join(dirname(dir), 'predict-in.conll');
    writeFileSync(file, 'Anna NNP B-NP B-PER\nvisited VBD B-VP O\n');
    const run = await within(runCli('predict', file, '--model', dir, '--workers', String(cores + 1)), 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--workers must be from 1 to ${cores}`);
  });

  it('the core count itself is accepted', async () => {
    const { asked, error } = await tagWithWorkers(String(cores));
    expect(error).toBeUndefined();
    expect(asked).toEqual([cores]);
  });

  it('TaggerPool.start refuses a worker count outside 1..cores with E_CONFIG naming the range', async () => {
    for (const workers of [cores + 1, 100_000, 0, -1, 1.5, Number.NaN]) {
      await expectNerError(() => TaggerPool.start({ modelDir: dir, workers, backend: 'wasm' }), 'E_CONFIG',
        /TaggerPool\.start/, /workers/, new RegExp(`from 1 to ${cores}`));
    }
  });
});

describe('TaggerPool never leaves a promise unsettled (item 7)', () => {
  const texts = Array.from({ length: 400 }, (_, i) => `Anna Keller visited Oslo on day ${i}. Tellco opened an office in Kyoto, said Bo Lind.`);

  it('close() while tagBatch() is in flight rejects that batch', async () => {
    const pool = await TaggerPool.start({ modelDir: dir, workers: 1, backend: 'wasm' });
    const inFlight = pool.tagBatch(texts);
    const rendered = pool.tagBatchRendered(texts, { format: 'jsonl' });
    const tags = pool.tagTokens([['Anna', 'Keller']]);
    const filled = pool.tagDocuments([{ sentences: [{ tokens: [{ text: 'Anna' }] }] }]);
    // Watched before close(), which rejects them at once.
    const checks = [inFlight, rendered, tags, filled].map((pending) => expectNerError(() => pending, 'E_USAGE', /tagger pool was closed/));
    await within(pool.close());
    await Promise.all(checks);
  });

  it('every call after close() rejects at once, and close() may be called again', async () => {
    const pool = await TaggerPool.start({ modelDir: dir, workers: 1, backend: 'wasm' });
    expect((await within(pool.tagBatch(['Anna Keller visited Oslo.'])))[0].sentences).toHaveLength(1);
    await within(pool.close());
    await expectNerError(() => pool.tagBatch(['Anna']), 'E_USAGE', /TaggerPool\.tagBatch/, /the tagger pool is closed/);
    await expectNerError(() => pool.tag('Anna'), 'E_USAGE', /the tagger pool is closed/);
    await expectNerError(() => pool.tagBatchRendered(['Anna'], { format: 'conll' }), 'E_USAGE', /the tagger pool is closed/);
    await expectNerError(() => pool.tagTokens([['Anna']]), 'E_USAGE', /TaggerPool\.tagTokens/, /the tagger pool is closed/);
    await expectNerError(() => pool.tagDocuments([]), 'E_USAGE', /TaggerPool\.tagDocuments/, /the tagger pool is closed/);
    await within(pool.close());
  });

  it('a worker that dies rejects its pending work, and a pool with no worker left refuses new work', async () => {
    const pool = await TaggerPool.start({ modelDir: dir, workers: 1, backend: 'wasm' });
    try {
      const inFlight = pool.tagBatch(texts);
      // The worker thread going away, as a crash or an out-of-memory kill would.
      void (pool as unknown as { workers: Worker[] }).workers[0].terminate();
      await expectNerError(() => inFlight, 'E_BACKEND', /worker thread stopped/);
      await expectNerError(() => pool.tagBatch(['Anna']), 'E_BACKEND', /no worker thread/);
    } finally {
      await within(pool.close());
    }
  });

  it('with one of two workers dead, work goes to the live one', async () => {
    if (cores < 2) return; // two workers need two cores
    const pool = await TaggerPool.start({ modelDir: dir, workers: 2, backend: 'wasm' });
    try {
      const workers = (pool as unknown as { workers: Worker[] }).workers;
      await workers[0].terminate();
      const results = await within(Promise.all([pool.tagBatch(['Anna Keller.']), pool.tagBatch(['Tellco said so.'])]));
      expect(results.map((r) => r[0].text)).toEqual(['Anna Keller.', 'Tellco said so.']);
    } finally {
      await within(pool.close());
    }
  });
});

describe('Tagger.load and TaggerPool.start validate their options first (item 15)', () => {
  const cases: [string, TaggerLoadArgs, RegExp[]][] = [
    ['a bogus decoder', { decoder: 'bogus' as never }, [/options\.decoder/, /greedy, viterbi/, /"bogus"/]],
    ['a NaN transition weight', { transitionWeight: Number.NaN }, [/options\.transitionWeight/, />= 0/, /NaN/]],
    ['a negative transition weight', { transitionWeight: -5 }, [/options\.transitionWeight/, />= 0/, /-5/]],
    ['an infinite transition weight', { transitionWeight: Number.POSITIVE_INFINITY }, [/options\.transitionWeight/, /Infinity/]],
    ['a string transition weight', { transitionWeight: '0.5' as never }, [/options\.transitionWeight/, /a string/]],
    ['an unknown backend', { backend: 'bogus' as never }, [/options\.backend/, /auto, webgpu, wasm, cpu/, /"bogus"/]],
    ['a misspelt option', { decodr: 'viterbi' } as never, [/unknown option "decodr"/, /backend, decoder, transitionWeight/]],
  ];
  for (const [what, options, patterns] of cases) {
    it(`refuses ${what} with E_CONFIG`, async () => {
      await expectNerError(() => Tagger.load(undefined, options), 'E_CONFIG', /Tagger\.load/, ...patterns);
    });
  }

  it('checks the options before loading anything (a missing model is not what it reports)', async () => {
    await expectNerError(() => Tagger.load(join(dir, 'absent'), { decoder: 'beam' as never }), 'E_CONFIG', /options\.decoder/);
  });

  it('refuses options that are not an object, and a model path that is not a string', async () => {
    await expectNerError(() => Tagger.load(undefined, 'viterbi' as never), 'E_CONFIG', /Tagger\.load/, /options/, /a string/);
    await expectNerError(() => Tagger.load(42 as never), 'E_USAGE', /Tagger\.load\(source\)/, /a number/);
  });

  it('valid options still load', async () => {
    const t = await Tagger.load(dir, { backend: 'wasm', decoder: 'greedy', transitionWeight: 0 });
    expect(t.model.config.decoder).toBe('greedy');
  });

  it('TaggerPool.start refuses a bogus backend or option in the main thread', async () => {
    await expectNerError(() => TaggerPool.start({ modelDir: dir, workers: 1, backend: 'bogus' as never }), 'E_CONFIG',
      /TaggerPool\.start/, /options\.backend/, /auto, webgpu, wasm, cpu/);
    await expectNerError(() => TaggerPool.start({ modelDir: dir, worker: 2 } as never), 'E_CONFIG', /unknown option "worker"/);
  });
});

describe('misusing the tagging API names the method, the argument, what was expected and given (items 15, 16)', () => {
  it('tagBatch with something other than an array of strings', async () => {
    await expectNerError(() => tagger.tagBatch(undefined as never), 'E_USAGE',
      /Tagger\.tagBatch\(texts\)/, /expected an array of strings/, /got undefined/);
    await expectNerError(() => tagger.tagBatch('str' as never), 'E_USAGE', /Tagger\.tagBatch\(texts\)/, /got a string/);
    await expectNerError(() => tagger.tagBatch(['ok', 123] as never), 'E_USAGE', /Tagger\.tagBatch\(texts\)/, /texts\[1\] is a number/);
  });

  it('tag with something other than a string', async () => {
    await expectNerError(() => tagger.tag(123 as never), 'E_USAGE', /Tagger\.tag\(text\)/, /expected a string/, /got a number/);
    await expectNerError(() => tagger.tag(undefined as never), 'E_USAGE', /Tagger\.tag\(text\)/, /got undefined/);
  });

  it('tagTokens with something other than sentences of words', async () => {
    await expectNerError(() => tagger.tagTokens('Kofi' as never), 'E_USAGE',
      /Tagger\.tagTokens\(sentences\)/, /expected an array of sentences, each an array of words/, /got a string/);
    await expectNerError(() => tagger.tagTokens(['Kofi'] as never), 'E_USAGE', /sentences\[0\] is a string/);
    await expectNerError(() => tagger.tagTokens([['x', null]] as never), 'E_USAGE', /Tagger\.tagTokens\(sentences\)/, /sentences\[0\]\[1\] is null/);
    await expectNerError(() => tagger.tagTokens([[7]] as never), 'E_USAGE', /Tagger\.tagTokens\(sentences\)/, /sentences\[0\]\[0\] is a number/);
  });

  it('tagTokens with too few, too many or non-numeric document numbers, or an unknown option', async () => {
    const sentences = [['Anna', 'Keller'], ['visited'], ['Oslo', '.']];
    await expectNerError(() => tagger.tagTokens(sentences, { documents: [0, 0] }), 'E_USAGE',
      /Tagger\.tagTokens\(sentences, options\)/, /options\.documents/, /2 document numbers for 3 sentences/);
    await expectNerError(() => tagger.tagTokens(sentences, { documents: [0, 0, 1, 1] }), 'E_USAGE', /4 document numbers for 3 sentences/);
    await expectNerError(() => tagger.tagTokens(sentences, { documents: [0, '1', 1] } as never), 'E_USAGE', /options\.documents\[1\] is a string/);
    await expectNerError(() => tagger.tagTokens(sentences, { documents: 3 } as never), 'E_USAGE', /options\.documents/, /got a number/);
    await expectNerError(() => tagger.tagTokens(sentences, { document: [0, 0, 1] } as never), 'E_CONFIG', /unknown option "document"/);
    // One number per sentence is fine, and gives what one document per number gives.
    expect((await tagger.tagTokens(sentences, { documents: [0, 0, 1] })).map((s) => s.tags.length)).toEqual([2, 1, 2]);
  });

  it('tagDocuments with something other than documents of sentences of tokens', async () => {
    await expectNerError(() => tagger.tagDocuments('Kofi' as never), 'E_USAGE',
      /Tagger\.tagDocuments\(documents\)/, /expected an array of documents/, /got a string/);
    await expectNerError(() => tagger.tagDocuments([{ sentences: 'x' }] as never), 'E_USAGE', /documents\[0\]\.sentences is a string/);
    await expectNerError(() => tagger.tagDocuments([{ sentences: [{ tokens: [{ text: 'a' }, 'b'] }] }] as never), 'E_USAGE',
      /documents\[0\]\.sentences\[0\]\.tokens\[1\]\.text is undefined/);
    await expectNerError(() => tagger.tagDocuments([{ sentences: [{ words: ['a'] }] }] as never), 'E_USAGE', /sentences\[0\]\.tokens is undefined/);
  });

  it('the pool refuses bad arguments in the main thread with E_USAGE, not E_MODEL', async () => {
    const pool = await TaggerPool.start({ modelDir: dir, workers: 1, backend: 'wasm' });
    try {
      await expectNerError(() => pool.tagBatch([123] as never), 'E_USAGE', /TaggerPool\.tagBatch\(texts\)/, /texts\[0\] is a number/);
      await expectNerError(() => pool.tagBatch(undefined as never), 'E_USAGE', /TaggerPool\.tagBatch\(texts\)/, /got undefined/);
      await expectNerError(() => pool.tag(123 as never), 'E_USAGE', /TaggerPool\.tag\(text\)/, /got a number/);
      await expectNerError(() => pool.tagTokens('Kofi' as never), 'E_USAGE', /TaggerPool\.tagTokens\(sentences\)/);
      await expectNerError(() => pool.tagTokens([['a'], ['b']], { documents: [0] }), 'E_USAGE', /1 document numbers for 2 sentences/);
      await expectNerError(() => pool.tagDocuments([null] as never), 'E_USAGE', /TaggerPool\.tagDocuments\(documents\)/, /documents\[0\]\.sentences/);
      await expectNerError(() => pool.tagBatchRendered(['a'], { format: 'html' } as never), 'E_USAGE', /spec\.format/, /jsonl, conll, pretty/);
      // The pool still works after refusing.
      expect((await within(pool.tagBatch(['Anna Keller visited Oslo.'])))[0].text).toBe('Anna Keller visited Oslo.');
    } finally {
      await within(pool.close());
    }
  });
});

describe('a documented maximum text size, the same as the CLI\'s (item 17)', () => {
  it('is the CLI\'s per-document limit', () => {
    expect(MAX_TEXT_BYTES).toBe(MAX_DOCUMENT_BYTES);
  });

  it('tag() refuses a text over the limit at once, saying what to do', async () => {
    const started = Date.now();
    await expectNerError(() => tagger.tag('a'.repeat(MAX_TEXT_BYTES + 1)), 'E_FORMAT',
      /Tagger\.tag\(text\)/, /larger than 2 MiB/, /split/, /tagBatch/, /--input/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('counts UTF-8 bytes as the CLI does, not UTF-16 code units', async () => {
    // Fewer code units than the limit, but two bytes each in UTF-8.
    const text = 'é'.repeat(MAX_TEXT_BYTES / 2 + 1);
    expect(text.length).toBeLessThan(MAX_TEXT_BYTES);
    await expectNerError(() => tagger.tag(text), 'E_FORMAT', /larger than 2 MiB/);
  });

  it('tagBatch() names the item over the limit, on the pool too', async () => {
    const big = 'Anna '.repeat(MAX_TEXT_BYTES / 5 + 1);
    await expectNerError(() => tagger.tagBatch(['ok', big]), 'E_FORMAT', /Tagger\.tagBatch\(texts\)/, /texts\[1\] is larger than 2 MiB/);
    const pool = await TaggerPool.start({ modelDir: dir, workers: 1, backend: 'wasm' });
    try {
      await expectNerError(() => pool.tagBatch([big]), 'E_FORMAT', /TaggerPool\.tagBatch\(texts\)/, /texts\[0\] is larger than 2 MiB/);
    } finally {
      await within(pool.close());
    }
  });

  it('a text of exactly the limit is tagged', async () => {
    const text = `Anna Keller visited Oslo.${' '.repeat(MAX_TEXT_BYTES - 'Anna Keller visited Oslo.'.length)}`;
    expect(Buffer.byteLength(text)).toBe(MAX_TEXT_BYTES);
    const result = await within(tagger.tag(text), 30_000);
    expect(result.sentences[0].tokens.map((t) => t.text)).toEqual(['Anna', 'Keller', 'visited', 'Oslo', '.']);
  });
});
