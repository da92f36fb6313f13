/**
 * `ner serve` as a user runs it: a child process on a free port of 127.0.0.1. Every status
 * code, 200 concurrent requests, malformed ones among good ones, SIGTERM draining, and the page
 * in headless Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from '../helpers/chromium.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/src/cli/main.js');

/** Starts `ner serve --port 0 ...` and resolves once it says where it listens. */
async function startServer(...extra: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string; exited: Promise<number | null> }> {
  if (!existsSync(MAIN)) throw new Error('dist/ is not built: run npm run build');
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    child.stderr!.on('data', (chunk) => {
      err += String(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) done(m[1]);
    });
    child.once('exit', () => fail(new Error(`ner serve exited: ${err}`)));
  });
  return { child, url, stderr: () => err, exited };
}

/** One request: status, content type and body. */
function call(url: string, method: string, body?: string | Buffer, type = 'application/json'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { method, headers: body === undefined ? {} : { 'content-type': type } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += String(c)));
      res.on('end', () => done({ status: res.statusCode!, type: String(res.headers['content-type']), body: text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

describe('ner serve', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => {
    server?.child.kill('SIGKILL');
  });

  it('binds 127.0.0.1 by default and answers GET /, /health and /model', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await call(server.url, 'GET');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    expect(JSON.parse((await call(`${server.url}health`, 'GET')).body)).toEqual({ status: 'ok' });
    const model = JSON.parse((await call(`${server.url}model`, 'GET')).body);
    expect(model.types).toEqual(['LOC', 'MISC', 'ORG', 'PER']);
    expect(model.scores.dev.f1).toBeGreaterThan(90);
  });

  it('POST /tag answers the ner tag --format json shape, and a list for texts', async () => {
    const one = await call(`${server.url}tag`, 'POST', JSON.stringify({ text: 'Kofi Annan visited Iraq.' }));
    expect(one.status).toBe(200);
    const result = JSON.parse(one.body);
    expect(Object.keys(result)).toEqual(['text', 'entities', 'sentences']);
    expect(result.entities.map((e: { type: string; text: string }) => `${e.type}:${e.text}`)).toEqual(['PER:Kofi Annan', 'LOC:Iraq']);
    const many = JSON.parse((await call(`${server.url}tag`, 'POST', JSON.stringify({ texts: ['Paris.', ''] }))).body);
    expect(many.map((r: { text: string }) => r.text)).toEqual(['Paris.', '']);
  });

  it('answers bad requests with their status and a JSON error', async () => {
    const cases: [string, string, string | Buffer | undefined, string, number, RegExp][] = [
      ['tag', 'POST', '{"text": ', 'application/json', 400, /not valid JSON/],
      ['tag', 'POST', '{}', 'application/json', 400, /missing field/],
      ['tag', 'POST', '{"text": 5}', 'application/json', 400, /"text" must be a string, got a number/],
      ['tag', 'POST', '{"texts": ["a", null]}', 'application/json', 400, /texts\[1\] is null/],
      ['tag', 'POST', '[1]', 'application/json', 400, /must be a JSON object/],
      ['tag', 'POST', 'text=hi', 'application/x-www-form-urlencoded', 415, /takes application\/json/],
      ['tag', 'POST', Buffer.alloc((1 << 20) + 10, 32), 'application/json', 413, /the most is 1048576/],
      ['tag', 'GET', undefined, '', 405, /\/tag takes POST/],
      ['health', 'POST', '{}', 'application/json', 405, /takes GET/],
      ['nope', 'GET', undefined, '', 404, /no such path/],
    ];
    for (const [path, method, body, type, status, message] of cases) {
      const res = await call(`${server.url}${path}`, method, body, type);
      expect({ path, method, status: res.status }).toEqual({ path, method, status });
      expect(JSON.parse(res.body).error).toMatch(message);
    }
    expect((await call(`${server.url}health`, 'GET')).status).toBe(200);
  });

  it('answers 200 concurrent requests correctly, malformed ones among them, and stays healthy', async () => {
    const jobs = Array.from({ length: 200 }, (_, i) =>
      i % 10 === 7
        ? call(`${server.url}tag`, 'POST', '{"text": [}').then((r) => expect(r.status).toBe(400))
        : call(`${server.url}tag`, 'POST', JSON.stringify({ text: `Report ${i}: Angela Merkel visited Paris.` })).then((r) => {
            expect(r.status).toBe(200);
            const out = JSON.parse(r.body);
            expect(out.text).toBe(`Report ${i}: Angela Merkel visited Paris.`);
            expect(out.entities.map((e: { text: string }) => e.text)).toContain('Angela Merkel');
          }),
    );
    await Promise.all(jobs);
    expect((await call(`${server.url}health`, 'GET')).status).toBe(200);
    expect(server.stderr()).toMatch(/POST \/tag 200 [\d.]+ ms/);
  }, 60_000);
});

describe('ner serve on SIGTERM', () => {
  it('finishes the request in flight, then exits 0', async () => {
    const server = await startServer();
    const texts = Array.from({ length: 3000 }, (_, i) => `Story ${i}: Reuters said Siemens AG bought shares in London on Monday.`);
    const inFlight = call(`${server.url}tag`, 'POST', JSON.stringify({ texts }));
    await new Promise((r) => setTimeout(r, 30));
    server.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).length).toBe(3000);
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toMatch(/SIGTERM: finishing the requests in flight[\s\S]*stopped/);
  }, 60_000);
});

const chromium = findChromium();
if (!chromium && process.env.CI) throw new Error('Chromium is not installed: .ci/run installs it');

describe.skipIf(!chromium)('the page of ner serve in headless Chromium', () => {
  it('tags what is typed and highlights the entities with their types', async () => {
    const server = await startServer();
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      await page.fill('#text', 'Kofi Annan met <b>Ban Ki-moon</b> at the United Nations in New York.');
      await page.click('#tag');
      await page.waitForSelector('#out mark');
      const marks = await page.$$eval('#out mark', (els) => els.map((e) => `${e.getAttribute('data-type')}:${e.textContent}`));
      await page.screenshot({ path: join(mkdtempSync(join(tmpdir(), 'ner-serve-')), 'page.png') });
      expect(marks).toContain('PER:Kofi Annan');
      expect(marks.some((m) => m.startsWith('ORG:') || m.startsWith('LOC:'))).toBe(true);
      expect(await page.$$('#out b')).toEqual([]);
    } finally {
      await context.close();
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);
});
