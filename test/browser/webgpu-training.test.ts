/**
 * The same model either way (issue 14): in headless Chromium, one epoch on the fixture with the
 * same seed on wasm (the typed-array step) and on webgpu (SwiftShader, the step whose
 * parameters stay on the device) gives the same losses, dev F1 and tags; the bundled model
 * tags the same on both.
 */
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumFor, launchChromium, openNerPage, ROOT, serveStatic, WEBGPU_FLAGS } from '../helpers/chromium.js';

const chromium = chromiumFor('test/browser/webgpu-training');
type Ner = typeof import('../../src/browser/index.js');
const TINY = { vectors: null, features: [{ name: 'word', dim: 16 }, { name: 'casing', dim: 4 }], hidden: [32], batchSize: 16, epochs: 1, dropout: 0.5, inputDropout: 0.1, seed: 7 };
const TEXTS = ['Angela Merkel met Emmanuel Macron in Paris on Monday.', 'Reuters said Siemens AG bought shares in London and New York.'];

describe.skipIf(!chromium)('wasm and webgpu train and tag the same in Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let server: Server;

  beforeAll(async () => {
    const served = await serveStatic(['dist/browser/', 'test/browser/', 'models/conll2003-en/']);
    server = served.server;
    context = await launchChromium(chromium!, WEBGPU_FLAGS);
    page = await openNerPage(context, `${served.url}test/browser/page.html`);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((done) => server?.close(done));
  });

  it('one epoch with one seed: losses within 1e-3 relative, dev F1 within 0.5, the same tags', async () => {
    const text = readFileSync(join(ROOT, 'test/fixtures/tiny-train.conll'), 'utf8');
    const run = (backend: 'wasm' | 'webgpu') =>
      page.evaluate(
        async ({ text, options, backend }) => {
          const ner = (window as unknown as { ner: Ner }).ner;
          const docs = ner.parseLabeledConll(text, { file: 'tiny-train.conll' });
          const result = await ner.trainModel({ ...options, train: docs, dev: docs, backend });
          const copies = ner.copyDocuments(docs);
          await result.model.predictAsync(copies);
          return { backend: result.backend, losses: result.history.map((h) => h.loss), f1: result.dev.f1, tags: ner.sentencesOf(copies).map((s) => s.predicted!) };
        },
        { text, options: TINY, backend },
      );
    const wasm = await run('wasm');
    const webgpu = await run('webgpu');
    expect(wasm.backend.name).toBe('wasm');
    expect(webgpu.backend.name).toBe('webgpu');
    expect(webgpu.backend.adapter?.software).toBe(true);
    expect(webgpu.losses).toHaveLength(1);
    webgpu.losses.forEach((loss, i) => expect(Math.abs(loss - wasm.losses[i]) / wasm.losses[i]).toBeLessThan(1e-3));
    expect(Math.abs(webgpu.f1 - wasm.f1)).toBeLessThan(0.5);
    expect(webgpu.tags).toEqual(wasm.tags);
    // It learned: not every tag is O.
    expect(wasm.tags.flat().some((t) => t !== 'O')).toBe(true);
  }, 120_000);

  it('the bundled model tags the same on webgpu as on wasm (scores within 1e-4)', async () => {
    const got = await page.evaluate(
      async ({ texts }) => {
        const ner = (window as unknown as { ner: Ner }).ner;
        const url = new URL('/models/conll2003-en/', location.href);
        const out: Record<string, { backend: string; results: Awaited<ReturnType<InstanceType<typeof ner.Tagger>['tagBatch']>> }> = {};
        for (const backend of ['wasm', 'webgpu'] as const) {
          const tagger = await ner.Tagger.load(url, { backend });
          out[backend] = { backend: tagger.backend.name, results: await tagger.tagBatch(texts) };
        }
        return out;
      },
      { texts: TEXTS },
    );
    expect(got.webgpu.backend).toBe('webgpu');
    expect(got.wasm.backend).toBe('wasm');
    const entities = (r: typeof got.wasm) => r.results.map((t) => t.entities.map((e) => `${e.text}/${e.type}`));
    expect(entities(got.webgpu)).toEqual(entities(got.wasm));
    expect(entities(got.wasm).flat()).toEqual(expect.arrayContaining(['Angela Merkel/PER', 'Paris/LOC']));
    got.webgpu.results.forEach((r, i) => r.entities.forEach((e, j) => expect(Math.abs(e.score - got.wasm.results[i].entities[j].score)).toBeLessThan(1e-4)));
  }, 180_000);
});
