/** Tagger.load from every kind of source in Node: a name, a path, a file: URL, an http URL, bytes. */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tagger } from '../../src/core/tagger/tagger.js';
import { bundledModelDir } from '../../src/node/storage/bundled-model.js';
import { serveStatic } from '../helpers/chromium.js';

const DIR = bundledModelDir();
const TEXT = 'Angela Merkel met Emmanuel Macron in Paris.';
const file = (name: string) => readFileSync(join(DIR, name));

describe('Tagger.load sources', () => {
  let server: Server;
  let base: string;
  let expected: unknown;

  beforeAll(async () => {
    ({ server, url: base } = await serveStatic(['models/conll2003-en/'], [(p) => (p === '/cut/weights.bin' ? file('weights.bin').subarray(0, 10) : p.startsWith('/cut/') ? file(p.slice(5)) : null)]));
    expected = (await (await Tagger.load('conll2003-en', { backend: 'wasm' })).tag(TEXT)).entities;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  it('a path, a file: URL, an http URL and the files as bytes all give the same model', async () => {
    const sources = [DIR, pathToFileURL(DIR), new URL('models/conll2003-en/', base), `${base}models/conll2003-en`,
      { model: file('model.json'), weights: file('weights.bin'), vocabularies: file('vocabularies.json').toString('utf8') }];
    for (const source of sources) {
      const tagger = await Tagger.load(source, { backend: 'wasm' });
      expect((await tagger.tag(TEXT)).entities).toEqual(expected);
    }
  });

  it('keeps its own copy of weights given as bytes: changing them after the load changes nothing', async () => {
    const weights = new Uint8Array(file('weights.bin'));
    const tagger = await Tagger.load({ model: file('model.json'), weights, vocabularies: file('vocabularies.json') }, { backend: 'wasm' });
    weights.fill(0);
    expect((await tagger.tag(TEXT)).entities).toEqual(expected);
  });

  it('reports download progress in bytes', async () => {
    const seen: number[] = [];
    await Tagger.load(new URL('models/conll2003-en/', base), { backend: 'wasm', onProgress: (n) => seen.push(n) });
    expect(seen.at(-1)).toBe(['model.json', 'weights.bin', 'vocabularies.json'].reduce((n, f) => n + file(f).length, 0));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('refuses a truncated download, tampered bytes and a wrong kind of source with clear errors', async () => {
    await expect(Tagger.load(new URL('cut/', base))).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/weights\.bin is truncated: 10 bytes/) });
    const weights = Uint8Array.from(file('weights.bin'));
    weights[5] ^= 1;
    await expect(Tagger.load({ model: file('model.json'), weights, vocabularies: file('vocabularies.json') })).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/checksum mismatch/) });
    await expect(Tagger.load(42 as never)).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/Tagger\.load\(source\).*a number/) });
  });
});
