import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConll } from '../../src/core/corpus/conll-reader.js';
import { readConll } from '../../src/node/files/conll-files.js';
import { formatConll, formatDocstart, formatSentence, formatSentenceWithPrediction } from '../../src/core/corpus/conll-writer.js';
import { writeConll } from '../../src/node/files/conll-files.js';
import { iob2ToIob1 } from '../../src/core/tags/tag-scheme.js';
import type { Document, Sentence } from '../../src/core/document/document.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'conll-writer-test-'));

describe('round trips', () => {
  it('writes a canonical file back byte for byte', async () => {
    const text = readFileSync(fixture('mini-4col.txt'), 'utf8');
    expect(formatConll(parseConll(text))).toBe(text);
    const out = join(tmp, 'mini-out.txt');
    await writeConll(out, await readConll(fixture('mini-4col.txt')));
    expect(readFileSync(out, 'utf8')).toBe(text);
  });

  it('reads back what it wrote from a messy file identically (all but line numbers)', async () => {
    const messy = await readConll(fixture('bom-crlf.txt'));
    const again = parseConll(formatConll(messy));
    const strip = (docs: Document[]) => docs.map((d) => d.sentences.map(({ tokens, gold, source }) => ({ tokens, gold, rows: source?.rows })));
    expect(strip(again.documents)).toEqual(strip(messy.documents));
    expect(again.sentenceCount).toBe(messy.sentenceCount);
    expect(formatConll(messy)).toBe('Acme B-ORG\nhires O\n\nMaria B-PER\nLindqvist I-PER\n\n');
  });

  it('round-trips an empty corpus and one with only -DOCSTART-', () => {
    expect(formatConll(parseConll(''))).toBe('');
    const docOnly = '-DOCSTART- -X- -X- O\n\n';
    expect(formatConll(parseConll(docOnly))).toBe(docOnly);
  });
});

describe('formatSentence', () => {
  const sentence: Sentence = {
    tokens: [{ text: 'Maria' }, { text: 'sings' }],
    gold: ['B-PER', 'O'],
    source: { rows: [['Maria', 'NNP', 'B-PER'], ['sings', 'VBZ', 'O']], line: 5 },
  };

  it('writes new tags into the tag column without changing the sentence', () => {
    const converted = { ...sentence, gold: iob2ToIob1(sentence.gold!) };
    expect(formatSentence(converted)).toBe('Maria NNP I-PER\nsings VBZ O\n\n');
    expect(sentence.source?.rows[0]).toEqual(['Maria', 'NNP', 'B-PER']);
    expect(formatSentence(converted, { tagColumn: 1 })).toBe('Maria I-PER B-PER\nsings O O\n\n');
  });

  it('writes word and tag when there are no rows', () => {
    expect(formatSentence({ tokens: [{ text: 'a' }, { text: 'b' }], gold: ['O', 'S-LOC'] })).toBe('a O\nb S-LOC\n\n');
  });

  it('writes a sentence without gold tags as its rows', () => {
    const untagged: Sentence = { tokens: [{ text: 'a' }, { text: 'b' }], source: { rows: [['a', 'NN'], ['b', 'VB']], line: 1 } };
    expect(formatSentence(untagged)).toBe('a NN\nb VB\n\n');
  });

  it('appends a predicted column for the CoNLL evaluation script', () => {
    expect(formatSentenceWithPrediction({ ...sentence, predicted: ['B-PER', 'B-LOC'] })).toBe('Maria NNP B-PER B-PER\nsings VBZ O B-LOC\n\n');
    expect(() => formatSentenceWithPrediction({ ...sentence, predicted: ['O'] })).toThrow(/line 5 has 2 tokens but 1 predicted tags/);
    expect(() => formatSentenceWithPrediction(sentence)).toThrow(/2 tokens but no predicted tags/);
  });

  it('keeps -DOCSTART- lines, optionally with extra columns', () => {
    expect(formatDocstart(['-DOCSTART-', '-X-', 'O'])).toBe('-DOCSTART- -X- O\n\n');
    expect(formatDocstart(['-DOCSTART-', '-X-', 'O'], ['O'])).toBe('-DOCSTART- -X- O O\n\n');
  });

  it('gives documents built in code a -DOCSTART- line as wide as their tokens', () => {
    const docs: Document[] = [{ source: { line: 1 }, sentences: [sentence] }];
    expect(formatConll([{ sentences: [sentence] }])).toBe('Maria NNP B-PER\nsings VBZ O\n\n');
    expect(formatConll(docs)).toBe('-DOCSTART- -X- O\n\nMaria NNP B-PER\nsings VBZ O\n\n');
  });
});
