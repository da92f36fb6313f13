/**
 * Issue 14: the webgpu backend of the browser build in headless Chromium on its SwiftShader
 * adapter (WEBGPU_FLAGS): asked for by name it runs there and says the adapter is a software
 * one; `auto` leaves a software adapter for wasm, with a note; a page without WebGPU, without
 * an adapter, or whose adapter refuses the device gets an E_BACKEND error naming which.
 * (Tagging on webgpu against wasm: test/browser/webgpu-training.test.ts.)
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumFor, launchChromium, openNerPage, ROOT, serveStatic, WEBGPU_FLAGS } from '../helpers/chromium.js';

const chromium = chromiumFor('test/browser/webgpu-backend');
const bundle = join(ROOT, 'dist/browser/ner-window.js');
const MODEL = '/models/conll2003-en/';

type Ner = typeof import('../../src/browser/index.js');

describe.skipIf(!chromium)('the webgpu backend in headless Chromium (SwiftShader)', () => {
  let context: BrowserContext;
  let server: Server;
  let base: string;

  /** A fresh page with the bundle loaded (its own TensorFlow.js, so no backend started yet). */
  async function freshPage(): Promise<Page> {
    return openNerPage(context, `${base}test/browser/page.html`);
  }

  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error('dist/browser/ner-window.js is not built: run npm run build');
    const served = await serveStatic(['dist/browser/', 'models/conll2003-en/', 'test/browser/']);
    server = served.server;
    base = served.url;
    context = await launchChromium(chromium!, WEBGPU_FLAGS);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((done) => server?.close(done));
  });

  it("Tagger.load with backend 'webgpu' runs on the SwiftShader adapter, reported as software; auto picks wasm with a note", async () => {
    const page = await freshPage();
    const result = await page.evaluate(async (model) => {
      const { Tagger } = (window as unknown as { ner: Ner }).ner;
      const url = new URL(model, location.href);
      const auto = (await Tagger.load(url)).backend;
      const webgpu = (await Tagger.load(url, { backend: 'webgpu' })).backend;
      return { auto, webgpu };
    }, MODEL);
    await page.close();
    expect(result.webgpu).toMatchObject({ name: 'webgpu', gpu: false, notes: [], adapter: { architecture: 'swiftshader', software: true } });
    expect(typeof result.webgpu.adapter?.vendor).toBe('string');
    expect(result.auto).toMatchObject({ name: 'wasm', gpu: false });
    expect(result.auto.notes).toEqual([expect.stringMatching(/^webgpu not used: the only adapter is .*swiftshader.*software\), slower than wasm; using wasm$/)]);
  }, 120_000);

  it('the webgpu backend computes on the adapter: a small product read back asynchronously', async () => {
    const page = await freshPage();
    const result = await page.evaluate(async () => {
      const { runtime } = (window as unknown as { ner: Ner & { runtime: () => { useBackend(r: string): Promise<unknown>; tf: any } } }).ner;
      await runtime().useBackend('webgpu');
      const tf = runtime().tf;
      const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
      return { backend: tf.getBackend(), values: Array.from(await product.data()) };
    });
    await page.close();
    expect(result).toEqual({ backend: 'webgpu', values: [19, 22, 43, 50] });
  }, 120_000);

  it('no WebGPU, no adapter, a refused device: E_BACKEND errors naming which; auto then runs wasm', async () => {
    const page = await freshPage();
    const result = await page.evaluate(async (model) => {
      const { Tagger } = (window as unknown as { ner: Ner }).ner;
      const url = new URL(model, location.href);
      const setGpu = (gpu: unknown) => Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true });
      const attempt = async () => {
        try {
          await Tagger.load(url, { backend: 'webgpu' });
          return 'loaded';
        } catch (err) {
          return `${(err as { code?: string }).code}: ${(err as Error).message}`;
        }
      };
      const refusing = {
        features: new Set(),
        limits: {},
        info: { vendor: 'acme', architecture: 'rocket', device: '', description: 'Acme GPU' },
        requestDevice: () => Promise.reject(new Error('shaderUniformBufferArrayDynamicIndexing required')),
      };
      setGpu(undefined);
      const none = await attempt();
      const autoNone = (await Tagger.load(url)).backend;
      setGpu({ requestAdapter: async () => null });
      const noAdapter = await attempt();
      setGpu({ requestAdapter: async () => refusing });
      const refused = await attempt();
      const autoRefused = (await Tagger.load(url)).backend;
      return { none, autoNone, noAdapter, refused, autoRefused };
    }, MODEL);
    await page.close();
    expect(result.none).toMatch(/^E_BACKEND: the webgpu backend cannot start: this browser has no WebGPU \(navigator\.gpu is missing\) \(use a browser with WebGPU/);
    expect(result.autoNone).toMatchObject({ name: 'wasm', notes: ['webgpu not used: this browser has no WebGPU (navigator.gpu is missing); using wasm'] });
    expect(result.noAdapter).toMatch(/^E_BACKEND: the webgpu backend cannot start: WebGPU found no adapter \(requestAdapter\(\) found none\)/);
    expect(result.refused).toMatch(/^E_BACKEND: the webgpu backend cannot start: the adapter acme \(rocket, Acme GPU\) refused a device \(shaderUniformBufferArrayDynamicIndexing required\)/);
    expect(result.autoRefused).toMatchObject({ name: 'wasm', notes: [expect.stringMatching(/^webgpu not used: the adapter acme .* refused a device/)] });
  }, 120_000);
});
