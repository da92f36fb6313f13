/**
 * The browser build in a real browser: headless Chromium loads dist/browser/ner-window.js and
 * the bundled model over HTTP from 127.0.0.1 and tags the same texts as Node; tokens, tags,
 * offsets and entities must match, scores within 1e-5 (both on the wasm backend).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { build } from 'esbuild';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tagger } from '../../src/core/tagger/tagger.js';
import type { TagResult } from '../../src/core/tagger/format.js';
import { chromiumFor, launchChromium, openNerPage, ROOT, serveStatic } from '../helpers/chromium.js';

const chromium = chromiumFor('test/browser');
const bundle = join(ROOT, 'dist/browser/ner-window.js');

const TEXTS = [
  'Angela Merkel met Emmanuel Macron in Paris on Monday.',
  'Kofi Annan 😀 visited Iraq 🇮🇶 with 𝒳 Ban Ki-moon.',
  'Line one in Berlin.\r\nLine two: Microsoft and the U.N. in New York.\r\n',
  '',
  '   ',
  Array.from({ length: 120 }, (_, i) => `Report ${i}: Reuters said Germany's Siemens AG bought shares in London.`).join(' '),
];
const MODEL = 'models/conll2003-en/';

describe.skipIf(!chromium)('the browser build in headless Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let server: Server;
  let base: string;
  let appBundle: string;

  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error('dist/browser/ner-window.js is not built: run npm run build');
    appBundle = await bundleAnApp();
    const weights = readFileSync(join(ROOT, MODEL, 'weights.bin'));
    const served = await serveStatic(['dist/browser/', MODEL, 'test/browser/', 'examples/browser/'], [
      // The bundled model with weights.bin cut short, and with one byte changed.
      (path) => (path.startsWith('/truncated/') ? (path.endsWith('weights.bin') ? weights.subarray(0, weights.length - 100) : readModelFile(path)) : null),
      (path) => (path.startsWith('/tampered/') ? (path.endsWith('weights.bin') ? tamper(weights) : readModelFile(path)) : null),
      // A user's page: `import { Tagger } from 'ner-window'`, bundled by esbuild --platform=browser.
      (path) => (path === '/app/app.js' ? appBundle : path === '/app/index.html' ? '<!doctype html><meta charset="utf-8"><script type="module" src="app.js"></script>' : null),
    ]);
    server = served.server;
    base = served.url;
    context = await launchChromium(chromium!);
    page = await openNerPage(context, `${base}test/browser/page.html`);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((done) => server?.close(done));
  });

  it('tags like Node: same tokens, tags, offsets and entities, scores within 1e-5', async () => {
    const inBrowser = await page.evaluate(
      async ({ texts, model }) => {
        const { Tagger: BrowserTagger } = (window as unknown as { ner: typeof import('../../src/browser/index.js') }).ner;
        const received: number[] = [];
        const tagger = await BrowserTagger.load(new URL(model, location.href), { onProgress: (n) => received.push(n) });
        return { backend: tagger.backend, results: await tagger.tagBatch(texts), received: received.at(-1) ?? 0 };
      },
      { texts: TEXTS, model: `/${MODEL}` },
    );
    expect(inBrowser.backend.name).toBe('wasm');
    const node = await (await Tagger.load(undefined, { backend: 'wasm' })).tagBatch(TEXTS);
    expect(inBrowser.results.length).toBe(node.length);
    inBrowser.results.forEach((got: TagResult, i: number) => {
      const want = node[i];
      expect(got.text).toBe(want.text);
      expect(got.sentences).toEqual(want.sentences);
      expect(got.entities.map(({ score: _, ...e }) => e)).toEqual(want.entities.map(({ score: _, ...e }) => e));
      got.entities.forEach((e, k) => expect(Math.abs(e.score - want.entities[k].score)).toBeLessThan(1e-5));
    });
    expect(node[0].entities.map((e) => e.text)).toEqual(['Angela Merkel', 'Emmanuel Macron', 'Paris']);
    // Loading reported its progress in bytes: every file of the model came through.
    const files = ['model.json', 'weights.bin', 'vocabularies.json'].reduce((n, f) => n + readFileSync(join(ROOT, MODEL, f)).length, 0);
    expect(inBrowser.received).toBe(files);
  }, 120_000);

  it('refuses a truncated or tampered download with a clear error, never a wrong model', async () => {
    const errors = await page.evaluate(async () => {
      const { Tagger: BrowserTagger } = (window as unknown as { ner: typeof import('../../src/browser/index.js') }).ner;
      const attempt = async (path: string) => {
        try {
          await BrowserTagger.load(new URL(path, location.href));
          return 'loaded';
        } catch (err) {
          return `${(err as { code?: string }).code}: ${(err as Error).message}`;
        }
      };
      return [await attempt('/truncated/'), await attempt('/tampered/'), await attempt('/no-such-model/')];
    });
    expect(errors[0]).toMatch(/^E_MODEL: .*weights\.bin is truncated/);
    expect(errors[1]).toMatch(/^E_MODEL: .*weights\.bin is corrupt \(checksum mismatch\)/);
    expect(errors[2]).toMatch(/^E_MODEL: .*model\.json is missing/);
  }, 120_000);

  it("a user's page bundled with esbuild --platform=browser from the package entry loads the model by URL and tags", async () => {
    const app = await openNerPage(context, `${base}app/index.html`);
    const result = await app.evaluate(async () => {
      const { Tagger: AppTagger } = (window as unknown as { ner: typeof import('../../src/browser/index.js') }).ner;
      const tagger = await AppTagger.load(new URL('../models/conll2003-en/', location.href));
      return { backend: tagger.backend.name, entities: (await tagger.tag('Angela Merkel met Emmanuel Macron in Paris.')).entities.map((e) => `${e.type}:${e.text}`) };
    });
    await app.close();
    // The wasm binaries travel inside the bundle, so even a re-bundled copy runs on wasm.
    expect(result).toEqual({ backend: 'wasm', entities: ['PER:Angela Merkel', 'PER:Emmanuel Macron', 'LOC:Paris'] });
  }, 120_000);

  it('the example page (examples/browser/) highlights the entities of its text', async () => {
    const example = await context.newPage();
    await example.goto(`${base}examples/browser/index.html`);
    await example.waitForFunction(() => /entities in/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 60_000 });
    const marks = await example.$$eval('#out mark', (els) => els.map((e) => `${e.getAttribute('data-type')}:${e.textContent}`));
    await example.screenshot({ path: join(mkdtempSync(join(tmpdir(), 'ner-shot-')), 'example.png') });
    await example.close();
    expect(marks).toEqual(['PER:Angela Merkel', 'PER:Emmanuel Macron', 'LOC:Paris', 'ORG:Microsoft', 'LOC:Berlin']);
  }, 120_000);
});

/** Bundles a one-line app that imports the package by name (the `browser` export condition), as a user's bundler would. */
async function bundleAnApp(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ner-app-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'ner-window'));
  writeFileSync(join(dir, 'app.js'), "import { Tagger } from 'ner-window';\nwindow.ner = { Tagger };\nwindow.nerReady = true;\n");
  const out = await build({ entryPoints: [join(dir, 'app.js')], absWorkingDir: dir, bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
  return out.outputFiles[0].text;
}

function readModelFile(path: string): Uint8Array {
  return readFileSync(join(ROOT, MODEL, path.split('/').pop()!));
}

function tamper(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[1000] ^= 0xff;
  return copy;
}
