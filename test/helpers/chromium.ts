/**
 * Headless Chromium for the browser tests (Debian's `chromium`, driven by playwright-core),
 * and a small static server on 127.0.0.1 for the pages, the bundle and the models.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');

/** The Chromium executable: $CHROMIUM_PATH, or `chromium` on the PATH; null when there is none. */
export function findChromium(): string | null {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
    } catch {
      // not this name
    }
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
}

/**
 * The Chromium executable for the browser tests of `suite`, or null: in CI a missing Chromium
 * fails the file; elsewhere the file's tests skip with the reason on stderr.
 */
export function chromiumFor(suite: string): string | null {
  const chromium = findChromium();
  if (!chromium) {
    const why = 'Chromium is not installed (apt-get install chromium; .ci/run installs it): the browser tests cannot run';
    if (process.env.CI) throw new Error(why);
    console.warn(`SKIPPED ${suite}: ${why}`);
  }
  return chromium;
}

/** The flags every browser test starts Chromium with (extra ones, e.g. for WebGPU, appended). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Extra flags that give headless Chromium a WebGPU adapter without a GPU: SwiftShader, a CPU
 * implementation (correct, slow: keep shapes tiny).
 */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader'];

/** Starts Chromium with an empty profile folder. */
export async function launchChromium(executablePath: string, extraFlags: string[] = []): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'ner-chromium-'));
  return chromium.launchPersistentContext(profile, { executablePath, headless: true, args: [...CHROMIUM_FLAGS, ...extraFlags] });
}

/**
 * A new page of `context` at `url`, returned once the page has set `window.nerReady` (its
 * bundle loaded). Page errors go to `onError` (default: the test's stderr).
 */
export async function openNerPage(context: BrowserContext, url: string, onError: (message: string) => void = (m) => console.error('page error:', m)): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => onError(err.message));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { nerReady?: boolean }).nerReady === true, null, { timeout: 30_000 });
  return page;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

/** What the server answers for a path: a file of the repository, or bytes a test makes up. */
export type Route = (path: string) => Uint8Array | string | null;

/** Serves files under ROOT (only below `allowed` prefixes) and the routes' answers, on a free port of 127.0.0.1. */
export async function serveStatic(allowed: readonly string[], routes: Route[] = []): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    for (const route of routes) {
      const body = route(path);
      if (body !== null) {
        res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
        res.end(body);
        return;
      }
    }
    const file = normalize(join(ROOT, path));
    const ok = allowed.some((prefix) => file.startsWith(join(ROOT, prefix))) && existsSync(file) && statSync(file).isFile();
    if (!ok) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, server };
}
