import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_MODEL_NAME, bundledModelDir, resolveModelDir } from '../../src/node/storage/bundled-model.js';
import { Tagger } from '../../src/core/tagger/tagger.js';
import { ENSEMBLE_MODEL_NAME } from '../../src/node/recipe.js';

/** [text, entities as "TYPE:text"] — well-known names the bundled CoNLL-2003 model must find. */
const CASES: [string, string[]][] = [
  ['Angela Merkel met Emmanuel Macron in Paris on Monday.', ['PER:Angela Merkel', 'PER:Emmanuel Macron', 'LOC:Paris']],
  ['Microsoft and Google were fined by the European Commission in Brussels.', ['ORG:Microsoft', 'ORG:Google', 'ORG:European Commission', 'LOC:Brussels']],
  ['The United Nations said on Tuesday that Kofi Annan would visit Iraq.', ['ORG:United Nations', 'PER:Kofi Annan', 'LOC:Iraq']],
  ['Shares of General Motors fell 3 percent on the New York Stock Exchange.', ['ORG:General Motors', 'ORG:New York Stock Exchange']],
  ['Barack Obama was born in Hawaii.', ['PER:Barack Obama', 'LOC:Hawaii']],
];

describe('the bundled model', () => {
  it.each(CASES)('%s', async (text, expected) => {
    const tagger = await Tagger.load();
    const result = await tagger.tag(text);
    expect(result.entities.map((e) => `${e.type}:${e.text}`)).toEqual(expected);
    for (const e of result.entities) {
      expect(text.slice(e.start, e.end)).toBe(e.text);
      expect(e.score).toBeGreaterThan(0.5);
      expect(e.score).toBeLessThanOrEqual(1);
    }
  });

  it('reports exact offsets in text with emoji and several spaces before the names', async () => {
    const text = '😀😀  Angela   Merkel visited\tParis.';
    const result = await (await Tagger.load()).tag(text);
    expect(result.entities.map((e) => [e.type, e.start, e.end])).toEqual([
      ['PER', 6, 21],
      ['LOC', 30, 35],
    ]);
  });

  it('is safe to call concurrently: parallel calls give the sequential results', async () => {
    const tagger = await Tagger.load();
    const texts = CASES.map(([text]) => text);
    const sequential = [];
    for (const text of texts) sequential.push(await tagger.tag(text));
    expect(await Promise.all(texts.map((t) => tagger.tag(t)))).toEqual(sequential);
    expect(await tagger.tagBatch(texts)).toEqual(sequential);
  });

  it('loads with the model manifest and the backend it runs on', async () => {
    const tagger = await Tagger.load();
    expect(tagger.manifest.config.tags).toContain('B-PER');
    expect(['webgpu', 'wasm', 'cpu']).toContain(tagger.backend.name);
  });
});

describe('the bundled ensemble', () => {
  it('finds the same well-known names, from one load', async () => {
    const tagger = await Tagger.load(ENSEMBLE_MODEL_NAME);
    expect(tagger.manifest.config.members).toBe(5);
    const results = await tagger.tagBatch(CASES.map(([text]) => text));
    expect(results.map((r) => r.entities.map((e) => `${e.type}:${e.text}`))).toEqual(CASES.map(([, expected]) => expected));
  });
});

describe('bundled models on disk', () => {
  it('each takes at most 25 MB (the budget of a bundled model)', () => {
    for (const name of [BUNDLED_MODEL_NAME, ENSEMBLE_MODEL_NAME]) {
      const dir = bundledModelDir(name);
      const bytes = readdirSync(dir).reduce((n, file) => n + statSync(join(dir, file)).size, 0);
      expect(bytes, name).toBeGreaterThan(1_000_000);
      expect(bytes, name).toBeLessThanOrEqual(25_000_000);
    }
  });
});

describe('models by name', () => {
  it('resolveModelDir finds a model in models/ by name and leaves other values alone', async () => {
    expect(resolveModelDir('conll2003-en')).toBe(bundledModelDir('conll2003-en'));
    expect(resolveModelDir('no-such-model')).toBe('no-such-model');
    const tagger = await Tagger.load('conll2003-en');
    expect((await tagger.tag(CASES[0][0])).entities.map((e) => `${e.type}:${e.text}`)).toEqual(CASES[0][1]);
  });
});
