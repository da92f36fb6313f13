import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveTinyModel } from '../helpers/tiny-model.js';
import { documentFromWords, type Document } from '../../src/core/document/document.js';
import { createTagCommand } from '../../src/cli/commands/tag.js';
import { renderDocument, type RenderSpec } from '../../src/core/tagger/format.js';
import { Tagger } from '../../src/core/tagger/tagger.js';
import { tokenize } from '../../src/core/text/tokenize.js';
import { TaggerPool } from '../../src/node/workers/tagger-pool.js';

let dir: string;

describe('TaggerPool: tagging on worker threads', () => {
  beforeAll(async () => {
    dir = await saveTinyModel('ner-pool-');
  });

  it('gives the same results as the in-process tagger, in order, across concurrent batches', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `Anna Keller visited Oslo on day ${i}. Tellco opened an office in Kyoto.`);
    const tagger = await Tagger.load(dir, { backend: 'wasm' });
    const expected = await tagger.tagBatch(texts);
    const pool = await TaggerPool.start({ modelDir: dir, workers: 2, backend: 'wasm' });
    try {
      expect(pool.size).toBe(2);
      const parts = [texts.slice(0, 10), texts.slice(10, 25), texts.slice(25)];
      const results = (await Promise.all(parts.map((p) => pool.tagBatch(p)))).flat();
      expect(results).toEqual(expected);
      expect(await pool.tag(texts[3])).toEqual(expected[3]);
    } finally {
      await pool.close();
    }
  });

  it('renders on the workers exactly what rendering the in-process results gives', async () => {
    const texts = Array.from({ length: 30 }, (_, i) => `Anna Keller visited Oslo on day ${i}.\nTellco opened an office in Kyoto. It rained.`);
    const tagger = await Tagger.load(dir, { backend: 'wasm' });
    const expected = texts.map((text) => tokenize(text));
    await tagger.tagDocuments(expected);
    const pool = await TaggerPool.start({ modelDir: dir, workers: 2, backend: 'wasm' });
    try {
      for (const spec of [{ format: 'jsonl' }, { format: 'conll' }, { format: 'pretty', color: true }] as RenderSpec[]) {
        const parts = [texts.slice(0, 7), texts.slice(7, 20), texts.slice(20)];
        const rendered = (await Promise.all(parts.map((p) => pool.tagBatchRendered(p, spec)))).flat();
        expect(rendered).toEqual(expected.map((doc) => renderDocument(doc, spec)));
        expect(await tagger.tagBatchRendered(texts, spec)).toEqual(rendered);
      }
    } finally {
      await pool.close();
    }
  });

  it('tagTokens and tagDocuments on the workers give the in-process tags and scores, documents included', async () => {
    const sentences = Array.from({ length: 60 }, (_, i) => (i % 5 === 4 ? [] : `Anna Keller visited Oslo on day ${i} .`.split(' ')));
    const documents = sentences.map((_, i) => Math.floor(i / 7));
    const tagger = await Tagger.load(dir, { backend: 'wasm' });
    const expected = await tagger.tagTokens(sentences, { documents });
    expect(expected.map((s) => s.tags.length)).toEqual(sentences.map((s) => s.length));
    const docs = (): Document[] => [documentFromWords(sentences.slice(0, 30)), documentFromWords(sentences.slice(30))];
    const inProcess = docs();
    await tagger.tagDocuments(inProcess);
    const pool = await TaggerPool.start({ modelDir: dir, workers: 2, backend: 'wasm' });
    try {
      const [a, b] = await Promise.all([pool.tagTokens(sentences, { documents }), pool.tagTokens(sentences.slice(0, 3))]);
      expect(a).toEqual(expected);
      expect(b).toEqual(await tagger.tagTokens(sentences.slice(0, 3)));
      expect(await pool.tagTokens([])).toEqual([]);
      const onPool = docs();
      await pool.tagDocuments(onPool);
      expect(onPool).toEqual(inProcess);
      expect(onPool[0].sentences[0].scores!.every((x) => x > 0 && x <= 1)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('ner tag --workers 2 writes what one thread writes', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => (i % 7 === 3 ? '' : `Anna Keller met Bo Lind in Oslo, line ${i}. Tellco said so.`));
    const input = join(dirname(dir), 'input.txt');
    writeFileSync(input, lines.join('\n'));
    const loader = async (modelDir: string | undefined, workers: number) =>
      workers > 1 ? TaggerPool.start({ modelDir, workers, backend: 'wasm' }) : Tagger.load(modelDir, { backend: 'wasm' });
    const tagWith = async (format: string, workers: number): Promise<string> => {
      let text = '';
      const stdout = new Writable({ write(chunk, _enc, done) { text += chunk.toString(); done(); } });
      const command = createTagCommand(loader, { stdout, stderr: new Writable({ write: (_c, _e, done) => done() }), color: false });
      expect(await command.run(['--input', input, '--model', dir, '--format', format, '--workers', String(workers)])).toBe(0);
      return text;
    };
    for (const format of ['jsonl', 'conll', 'pretty']) {
      const one = await tagWith(format, 1);
      expect(one.length).toBeGreaterThan(1000);
      expect(await tagWith(format, 2)).toBe(one);
    }
  });

  it('a bad model directory fails start-up with the loader\'s message', async () => {
    await expect(TaggerPool.start({ modelDir: join(dir, 'nope'), workers: 1 })).rejects.toMatchObject({
      code: 'E_MODEL',
      message: expect.stringMatching(/nope: model directory not found/),
    });
  });
});
