import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NerError } from '../../src/core/errors.js';
import { allSentences, parseConll, type ConllItem } from '../../src/core/corpus/conll-reader.js';
import { readConll, streamConll } from '../../src/node/files/conll-files.js';
import { words } from '../../src/core/document/document.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'conll-reader-test-'));
const tmpFile = (name: string, content: string | Uint8Array): string => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

/** The NerError a call throws (sync or async), so tests can check its code and message. */
async function errorOf(fn: () => unknown): Promise<NerError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NerError);
    return err as NerError;
  }
  throw new Error('expected a NerError, nothing was thrown');
}

describe('readConll', () => {
  it('reads documents, sentences, columns and line numbers of a 4-column file', async () => {
    const corpus = await readConll(fixture('mini-4col.txt'));
    expect(corpus.path).toBe(fixture('mini-4col.txt'));
    expect(corpus.sentenceCount).toBe(3);
    expect(corpus.tokenCount).toBe(9); // 5 + 2 + 2
    expect(corpus.scheme).toBe('IOB2');
    expect(corpus.documents.map((d) => [d.source?.line, d.sentences.length])).toEqual([[1, 2], [12, 1]]);
    expect(corpus.documents[0].source?.docstartRow).toEqual(['-DOCSTART-', '-X-', '-X-', 'O']);
    const [first, second] = corpus.documents[0].sentences;
    expect(first.tokens).toEqual(['Acme', 'hires', 'Norwegian', 'engineers', '.'].map((text) => ({ text })));
    expect(first.gold).toEqual(['B-ORG', 'O', 'B-MISC', 'O', 'O']);
    expect(first.source?.rows[0]).toEqual(['Acme', 'NNP', 'B-NP', 'B-ORG']);
    expect(first.source?.line).toBe(3);
    expect(second.source?.line).toBe(9);
    const third = corpus.documents[1].sentences[0];
    expect(words(third)).toEqual(['Zürich', '2031-04-01']);
    expect(third.source?.line).toBe(14);
  });

  it('accepts a BOM, CRLF, tabs, runs of spaces, trailing whitespace and no final newline', async () => {
    const corpus = await readConll(fixture('bom-crlf.txt'));
    expect(allSentences(corpus).map((s) => [words(s), s.gold, s.source?.line])).toEqual([
      [['Acme', 'hires'], ['B-ORG', 'O'], 1],
      [['Maria', 'Lindqvist'], ['B-PER', 'I-PER'], 6],
    ]);
    expect(corpus.documents).toHaveLength(1);
    expect(corpus.documents[0].source).toEqual({ line: 0 }); // no -DOCSTART-
  });

  it('reads an empty file as an empty corpus', async () => {
    const corpus = await readConll(tmpFile('empty.txt', ''));
    expect(corpus).toMatchObject({ documents: [], sentenceCount: 0, tokenCount: 0, scheme: 'IOB2' });
  });

  it('reads a file with only -DOCSTART- as one empty document', async () => {
    const corpus = await readConll(tmpFile('docstart.txt', '-DOCSTART- -X- -X- O\n'));
    expect(corpus.documents).toEqual([{ sentences: [], source: { line: 1, docstartRow: ['-DOCSTART-', '-X-', '-X-', 'O'] } }]);
    expect(corpus.sentenceCount).toBe(0);
  });

  it('reports a missing file with E_FILE', async () => {
    const err = await errorOf(() => readConll(join(tmp, 'nope.txt')));
    expect(err.code).toBe('E_FILE');
    expect(err.message).toBe(`${join(tmp, 'nope.txt')}: cannot read: no such file`);
  });

  it('reports invalid UTF-8 with the line it is on', async () => {
    const bytes = Buffer.concat([Buffer.from('a O\n\nb O\nc'), Buffer.from([0xff, 0xfe]), Buffer.from(' O\nd O\n')]);
    const path = tmpFile('latin.txt', bytes);
    const err = await errorOf(() => readConll(path));
    expect(err.code).toBe('E_UTF8');
    expect(err.message).toMatch(new RegExp(`^${escape(path)}:4: invalid UTF-8 byte sequence`));
  });

  it('detects IOB1 files', async () => {
    const corpus = await readConll(tmpFile('iob1.txt', 'a I-PER\nb O\n\nc I-LOC\nd B-LOC\n'));
    expect(corpus.scheme).toBe('IOB1');
  });
});

describe('parseConll: layout', () => {
  it('treats several blank lines (also whitespace-only ones) as one boundary', () => {
    const corpus = parseConll('a O\n\n\n  \n\t\nb B-PER\n');
    expect(allSentences(corpus).map((s) => [words(s), s.source?.line])).toEqual([[['a'], 1], [['b'], 6]]);
  });

  it('ends a sentence at a -DOCSTART- line even without a blank line before it', () => {
    const corpus = parseConll('a O\n-DOCSTART- O\nb O\n');
    expect(corpus.documents.map((d) => [d.source?.line, d.sentences.map(words)])).toEqual([
      [0, [['a']]],
      [2, [['b']]],
    ]);
  });

  it('does not hold -DOCSTART- lines to the token lines\' column count', () => {
    const corpus = parseConll('-DOCSTART-\n\na NN O\n');
    expect(corpus.documents[0].source?.docstartRow).toEqual(['-DOCSTART-']);
    expect(corpus.tokenCount).toBe(1);
  });

  it('reads the tag from another column when told', () => {
    const text = 'a NN B-PER O\nb NN I-PER O\n';
    expect(parseConll(text, { tagColumn: -2 }).documents[0].sentences[0].gold).toEqual(['B-PER', 'I-PER']);
    expect(parseConll(text, { tagColumn: 2 }).documents[0].sentences[0].gold).toEqual(['B-PER', 'I-PER']);
    expect(parseConll(text).documents[0].sentences[0].gold).toEqual(['O', 'O']);
  });

  it("keeps every column and gives no gold tags with tagColumn 'none'", () => {
    const [sentence] = parseConll('a NN\nb VB\n', { tagColumn: 'none' }).documents[0].sentences;
    expect(sentence.gold).toBeUndefined();
    expect(sentence.source?.rows).toEqual([['a', 'NN'], ['b', 'VB']]);
  });

  it('accepts UTF-8 bytes and strips a BOM from a string', () => {
    expect(words(parseConll(new TextEncoder().encode('Zürich B-LOC\n')).documents[0].sentences[0])).toEqual(['Zürich']);
    expect(words(parseConll('\uFEFFa O\n').documents[0].sentences[0])).toEqual(['a']);
  });
});

describe('parseConll: malformed input names file:line', () => {
  it.each([
    ['a token line with one column', 'a B-PER\nb\n', 'bad.txt:2: too few columns: found 1, a token line needs at least 2 (token ... tag)', 'E_FORMAT'],
    ['a first line with one column', 'x\n', 'bad.txt:1: too few columns: found 1', 'E_FORMAT'],
    ['a column count that changes', 'a NN B-PER\nb NN I-PER\n\nc O\n', 'bad.txt:4: found 2 columns, but line 1 has 3', 'E_FORMAT'],
    ['a tag "B-"', 'a O\nb B-\n', 'bad.txt:2: malformed tag "B-"', 'E_TAG'],
    ['a tag "X-PER"', 'a X-PER\n', 'bad.txt:1: malformed tag "X-PER"', 'E_TAG'],
    ['a tag "b-per"', 'a O\n\nb b-per\n', 'bad.txt:3: malformed tag "b-per"', 'E_TAG'],
  ])('%s', async (_name, text, message, code) => {
    const err = await errorOf(() => parseConll(text, { file: 'bad.txt' }));
    expect(err.code).toBe(code);
    expect(err.message.startsWith(message)).toBe(true);
  });

  it('a tag column the line does not have', async () => {
    const err = await errorOf(() => parseConll('a O\n', { file: 'bad.txt', tagColumn: -2 }));
    expect(err.message).toMatch(/^bad\.txt:1: too few columns: found 2, a token line needs at least 3/);
  });

  it('invalid UTF-8 in bytes, with its line', async () => {
    const bytes = Uint8Array.from([...Buffer.from('a O\nb O\n\n'), 0xc3, 0x28, ...Buffer.from(' O\n')]);
    const err = await errorOf(() => parseConll(bytes, { file: 'bad.txt' }));
    expect(err.code).toBe('E_UTF8');
    expect(err.message.startsWith('bad.txt:4: invalid UTF-8 byte sequence')).toBe(true);
  });

  it('a tagColumn of 0 (the token) is an option error', async () => {
    const err = await errorOf(() => parseConll('a O\n', { tagColumn: 0 }));
    expect(err.code).toBe('E_CONFIG');
  });

  it('names <text> when no file name is given', async () => {
    const err = await errorOf(() => parseConll('a B-\n'));
    expect(err.message.startsWith('<text>:1: malformed tag "B-"')).toBe(true);
  });
});

describe('streamConll', () => {
  it('yields -DOCSTART- lines and sentences in file order', async () => {
    const items: ConllItem[] = [];
    for await (const item of streamConll(fixture('mini-4col.txt'))) items.push(item);
    expect(items.map((i) => (i.kind === 'docstart' ? `doc@${i.line}` : words(i.sentence).join(' ')))).toEqual([
      'doc@1',
      'Acme hires Norwegian engineers .',
      'Maria Lindqvist',
      'doc@12',
      'Zürich 2031-04-01',
    ]);
  });

  it('can be stopped early', async () => {
    let count = 0;
    for await (const item of streamConll(fixture('mini-4col.txt'))) {
      count++;
      if (item.kind === 'sentence') break;
    }
    expect(count).toBe(2);
  });

  it('reports errors while streaming, with file:line', async () => {
    const path = tmpFile('bad-stream.txt', 'a O\n\nb O\nc I-\n');
    const err = await errorOf(async () => {
      for await (const _item of streamConll(path)) void _item;
    });
    expect(err.message.startsWith(`${path}:4: malformed tag "I-"`)).toBe(true);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
