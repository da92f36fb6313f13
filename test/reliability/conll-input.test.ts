/**
 * Issue 11, items 9-11: reading CoNLL files.
 * - 9: `\r` alone is a line break (as are `\n` and `\r\n`, mixed, with a BOM) in every reader.
 * - 10: a tag type holding a control or invisible character is a malformed tag, with file:line.
 * - 11: `ner predict` needs no gold column; `ner eval` still does, and says so.
 * Every fixture is written here, into a temp folder.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConll } from '../../src/core/corpus/conll-reader.js';
import { readConll, streamConll } from '../../src/node/files/conll-files.js';
import { formatSentenceWithPrediction } from '../../src/core/corpus/conll-writer.js';
import { LineSplitter, decodeLines } from '../../src/core/corpus/line-reader.js';
import { readLineBatches } from '../../src/node/files/conll-files.js';
import { isTag, tryParseTag } from '../../src/core/tags/tag.js';
import { NerError } from '../../src/core/errors.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'ner-conll-input-'));
const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const LF_TEXT = readFileSync(FIXTURE, 'utf8');
const tiny = ['--vectors', 'none', '--features', 'word:16,casing:4', '--hidden', '32', '--batch-size', '16', '--backend', 'wasm', '--epochs', '2', '--threads', '1'];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function file(name: string, text: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

/** The same text with every line break `\r` alone. */
const crOnly = (text: string): string => text.replace(/\n/g, '\r');
/**
 * The same text with its line breaks cycling through `\r\n`, `\r`, `\r\n`, `\n`: never a `\r`
 * before a `\n` break, which would read as one `\r\n` (and lose a blank line).
 */
const mixedBreaks = (text: string): string => {
  let i = 0;
  return text.replace(/\n/g, () => ['\r\n', '\r', '\r\n', '\n'][i++ % 4]);
};

/** A scored file (`token gold predicted`) of exactly `tokens` token lines, some entities wrong. */
function scoredText(tokens: number): string {
  const lines: string[] = [];
  for (let i = 0; i < tokens; i++) {
    const gold = i % 5 === 0 ? 'B-PER' : i % 7 === 0 ? 'B-LOC' : 'O';
    const predicted = i % 10 === 0 ? 'B-ORG' : gold;
    lines.push(`w${i} ${gold} ${predicted}`);
    if (i % 12 === 11) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

async function linesOf(path: string, chunkBytes: number): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const { lines, firstLine } of readLineBatches(path, chunkBytes)) {
    lines.forEach((line, i) => out.push([firstLine + i, line]));
  }
  return out;
}

async function errorOf(fn: () => unknown): Promise<NerError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NerError);
    return err as NerError;
  }
  throw new Error('expected a NerError');
}

const withoutPath = <T extends { path: string }>(corpus: T): Omit<T, 'path'> => {
  const { path: _path, ...rest } = corpus;
  return rest;
};

describe('item 9: \\r alone is a line break, as are \\n and \\r\\n, mixed and after a BOM', () => {
  const TEXT = '\uFEFFZürich B-LOC\r\rb O\r\nc O\n\r\nd O\re 😀 O';
  const EXPECTED = ['Zürich B-LOC', '', 'b O', 'c O', '', 'd O', 'e 😀 O'];
  const path = file('breaks.txt', TEXT);

  // Chunks of 1..7 bytes cut between every \r and \n pair, and through the BOM and characters.
  it.each([1, 2, 3, 4, 5, 6, 7, 64, 1 << 20])('readLineBatches gives the same lines and numbers with %i-byte chunks', async (chunkBytes) => {
    expect(await linesOf(path, chunkBytes)).toEqual(EXPECTED.map((line, i) => [i + 1, line]));
  });

  it('a \\r\\n split across two chunks is one line break, even with an empty chunk between', () => {
    const splitter = new LineSplitter('x.txt');
    expect(splitter.push(bytes('a O\r'))).toEqual({ lines: ['a O'], firstLine: 1 });
    expect(splitter.push(bytes(''))).toEqual({ lines: [], firstLine: 2 });
    expect(splitter.push(bytes('\nb O\r'))).toEqual({ lines: ['b O'], firstLine: 2 });
    expect(splitter.push(bytes('\r\n'))).toEqual({ lines: [''], firstLine: 3 });
    expect(splitter.push(bytes('c O'))).toEqual({ lines: [], firstLine: 4 });
    expect(splitter.end()).toEqual({ lines: ['c O'], firstLine: 4 });
  });

  it('decodeLines reads \\r-only, \\r\\n and mixed bytes alike', () => {
    expect(decodeLines(bytes('a O\rb O\r\rc O\r'), 'x')).toEqual(['a O', 'b O', '', 'c O']);
    expect(decodeLines(bytes('\uFEFFa O\r\nb O\n\rc O'), 'x')).toEqual(['a O', 'b O', '', 'c O']);
  });

  it('invalid UTF-8 in a \\r-only file is reported on its own line', async () => {
    const bad = file('bad-utf8-cr.txt', Buffer.concat([Buffer.from('one O\rtwo O\rthr'), Buffer.from([0xe2, 0x82]), Buffer.from('ee O\rfour O\r')]));
    for (const chunkBytes of [3, 1 << 20]) {
      await expect(linesOf(bad, chunkBytes)).rejects.toThrow(`${bad}:3: invalid UTF-8 byte sequence`);
    }
  });

  it.each([
    ['\\r only', crOnly],
    ['\\r\\n', (t: string) => t.replace(/\n/g, '\r\n')],
    ['mixed', mixedBreaks],
    ['\\r only after a BOM', (t: string) => `\uFEFF${crOnly(t)}`],
  ])('parseConll and readConll read a %s file as its \\n twin', async (_name, convert) => {
    const expected = withoutPath(parseConll(LF_TEXT));
    expect(expected.tokenCount).toBeGreaterThan(100);
    const text = convert(LF_TEXT);
    expect(withoutPath(parseConll(text))).toEqual(expected);
    expect(withoutPath(parseConll(bytes(text)))).toEqual(expected);
    expect(withoutPath(await readConll(file(`twin-${_name.replace(/\W/g, '')}.conll`, text)))).toEqual(expected);
  });

  it('a malformed tag in a \\r-only file is reported on its own line', async () => {
    const path = file('bad-tag-cr.txt', 'a O\r\rb O\rc I-\r');
    const err = await errorOf(async () => {
      for await (const _item of streamConll(path)) void _item;
    });
    expect(err.message.startsWith(`${path}:4: malformed tag "I-"`)).toBe(true);
  });

  it('ner eval --scored scores a 742-token \\r-only file as its 742 tokens, as the \\n file', async () => {
    const lf = await runCli('eval', '--scored', file('scored-lf.txt', scoredText(742)), '--json');
    const cr = await runCli('eval', '--scored', file('scored-cr.txt', crOnly(scoredText(742))), '--json');
    const mixed = await runCli('eval', '--scored', file('scored-mixed.txt', mixedBreaks(scoredText(742))), '--json');
    expect([lf.code, cr.code, mixed.code]).toEqual([0, 0, 0]);
    expect(JSON.parse(lf.stdout).tokens).toBe(742);
    expect(JSON.parse(cr.stdout)).toEqual(JSON.parse(lf.stdout));
    expect(JSON.parse(mixed.stdout)).toEqual(JSON.parse(lf.stdout));
  });
});

describe('item 9: train, eval and predict with \\r-only files', () => {
  const model = join(tmp, 'model-from-cr');
  const lfFile = file('tiny-lf.conll', LF_TEXT);
  const crFile = file('tiny-cr.conll', crOnly(LF_TEXT));
  const mixedFile = file('tiny-mixed.conll', mixedBreaks(LF_TEXT));

  beforeAll(async () => {
    const run = await runCli('train', '--train', crFile, '--dev', crFile, '--out', model, '--seed', '1', ...tiny);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);

  it('train learns every entity type of a \\r-only --train file', () => {
    const manifest = readFileSync(join(model, 'model.json'), 'utf8');
    for (const type of ['PER', 'LOC', 'ORG', 'MISC']) expect(manifest).toContain(`"B-${type}"`);
  });

  it('ner eval FILE scores a \\r-only or mixed file as the \\n file', async () => {
    const lf = await runCli('eval', lfFile, '--model', model, '--json');
    expect(lf.code).toBe(0);
    const corpus = parseConll(LF_TEXT);
    const docstarts = corpus.documents.filter((d) => d.source!.line > 0).length;
    expect(JSON.parse(lf.stdout).tokens).toBe(corpus.tokenCount + docstarts);
    for (const other of [crFile, mixedFile]) {
      const run = await runCli('eval', other, '--model', model, '--json');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(JSON.parse(lf.stdout));
    }
  });

  it('ner predict writes \\n line endings whatever the input uses, the same text as for the \\n file', async () => {
    const lf = await runCli('predict', lfFile, '--model', model);
    expect(lf.code).toBe(0);
    expect(lf.stdout.split('\n').length).toBe(LF_TEXT.split('\n').length);
    for (const other of [crFile, mixedFile]) {
      const run = await runCli('predict', other, '--model', model);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('\r');
      expect(run.stdout).toBe(lf.stdout);
    }
    const help = await runCli('predict', '--help');
    expect(help.stdout).toMatch(/lines may end in \\n, \\r\\n or \\r alone; the output's end in \\n/i);
  });

  it('ner predict appends a tag to a token-only file and to one whose last column is a POS tag', async () => {
    const words = parseConll(LF_TEXT).documents.flatMap((d) => d.sentences.map((s) => s.tokens.map((t) => t.text)));
    // Each sentence followed by a blank line, as CoNLL files (and predict's output) have it.
    const tokenOnly = `-DOCSTART-\n\n${words.map((ws) => `${ws.map((w) => `${w}\n`).join('')}\n`).join('')}`;
    const withPos = words.map((ws) => `${ws.map((w) => `${w} ${/^[A-Z]/.test(w) ? 'NNP' : 'NN'}\n`).join('')}\n`).join('');
    const help = (await runCli('predict', '--help')).stdout;
    expect(help).toMatch(/needs no gold tag column/);
    for (const [name, text] of [['token-only.conll', tokenOnly], ['pos-last.conll', withPos]]) {
      const run = await runCli('predict', file(name, text), '--model', model);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const inLines = text.split('\n');
      const outLines = run.stdout.split('\n');
      expect(outLines.length).toBe(inLines.length);
      outLines.forEach((line, i) => {
        if (inLines[i] === '') return expect(line).toBe('');
        expect(line.startsWith(`${inLines[i]} `)).toBe(true);
        expect(isTag(line.slice(inLines[i].length + 1))).toBe(true);
      });
    }
  });

  it("the reader's tagColumn 'none' keeps every column, checks none as a tag, and the writer appends", () => {
    const corpus = parseConll('Acme NNP\nhires VBZ\n', { tagColumn: 'none' });
    const [sentence] = corpus.documents[0].sentences;
    expect(sentence).toEqual({ tokens: [{ text: 'Acme' }, { text: 'hires' }], source: { rows: [['Acme', 'NNP'], ['hires', 'VBZ']], line: 1 } });
    expect(formatSentenceWithPrediction({ ...sentence, predicted: ['B-ORG', 'O'] })).toBe('Acme NNP B-ORG\nhires VBZ O\n\n');
    expect(parseConll('Acme\nhires\n', { tagColumn: 'none' }).tokenCount).toBe(2);
    expect(() => parseConll('Acme NNP\nhires\n', { tagColumn: 'none', file: 'x.txt' })).toThrow('x.txt:2: found 1 columns, but line 1 has 2');
    expect(() => parseConll('Acme NNP\n', { file: 'x.txt' })).toThrow('x.txt:1: malformed tag "NNP"');
  });

  it('ner predict still refuses a changing column count, with file:line', async () => {
    const bad = file('ragged.conll', 'a NN\nb NN\n\nc\n');
    const run = await runCli('predict', bad, '--model', model);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}:4: found 1 columns, but line 1 has 2`);
  });

  it('ner eval FILE still needs a gold last column, and says so', async () => {
    const tokenOnly = file('eval-token-only.conll', 'Maria\nvisited\nOslo\n');
    const posLast = file('eval-pos-last.conll', 'Maria NNP\nvisited VBD\nOslo NNP\n');
    const a = await runCli('eval', tokenOnly, '--model', model);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(`${tokenOnly}:1: too few columns: found 1`);
    expect(a.stderr).toMatch(/the last column holds the gold NER tag/);
    const b = await runCli('eval', posLast, '--model', model);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${posLast}:1: malformed tag "NNP"`);
    expect(b.stderr).toMatch(/the last column must hold the gold NER tag/);
    expect(a.stderr + b.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('item 10: a tag type with a control, whitespace or invisible character is malformed', () => {
  it.each([
    ['B-ORG\u0000', 'B-ORG\\u0000'],
    ['I-PER\u0007', 'I-PER\\u0007'],
    ['B-LOC\u007f', 'B-LOC\\u007f'],
    ['B-ORG\u0085', 'B-ORG\\u0085'],
    ['B-OR\u200bG', 'B-OR\\u200bG'],
    ['B-\ufeffORG', 'B-\\ufeffORG'],
    ['S-MI\u00a0SC', 'S-MI\\u00a0SC'],
    ['B-ORG\u000b', 'B-ORG\\u000b'],
  ])('%j is refused with file:line, the character shown escaped', async (tag, shown) => {
    expect(tryParseTag(tag)).toBeUndefined();
    const err = await errorOf(() => parseConll(`a O\nb ${tag}\n`, { file: 'bad.txt' }));
    expect(err.code).toBe('E_TAG');
    expect(err.message.startsWith(`bad.txt:2: malformed tag "${shown}"`)).toBe(true);
    expect(err.message).toMatch(/no whitespace, control or invisible characters/);
  });

  it('types of letters, digits and punctuation in any script are still tags', () => {
    for (const tag of ['B-ORG', 'I-ORG-X', 'B-Ort', 'S-组织', 'E-PER2', 'B-A.B']) expect(tryParseTag(tag)?.type).toBe(tag.slice(2));
  });

  it('ner eval --scored refuses a NUL in the gold or the predicted column, with file:line', async () => {
    const inGold = file('nul-gold.txt', 'a O O\nb B-ORG\u0000 B-ORG\n');
    const inPredicted = file('nul-pred.txt', 'a O O\n\nb B-ORG B-ORG\u0000\n');
    const gold = await runCli('eval', '--scored', inGold);
    expect(gold.code).toBe(1);
    expect(gold.stdout).toBe('');
    expect(gold.stderr).toContain(`${inGold}:2: malformed tag "B-ORG\\u0000"`);
    const predicted = await runCli('eval', '--scored', inPredicted);
    expect(predicted.code).toBe(1);
    expect(predicted.stdout).toBe('');
    expect(predicted.stderr).toContain(`${inPredicted}:3: malformed tag "B-ORG\\u0000"`);
  });

  it('ner train refuses a NUL in a --train tag before training, and writes no model', async () => {
    const bad = file('nul-train.conll', `${LF_TEXT}\nAcme B-ORG\u0000\n`);
    const out = join(tmp, 'model-nul');
    const run = await runCli('train', '--train', bad, '--dev', FIXTURE, '--out', out, ...tiny);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}:${LF_TEXT.split('\n').length + 1}: malformed tag "B-ORG\\u0000"`);
    expect(existsSync(join(out, 'model.json'))).toBe(false);
  });
});
