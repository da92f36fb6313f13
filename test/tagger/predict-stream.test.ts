import { describe, expect, it } from 'vitest';
import { parseConll } from '../../src/core/corpus/conll-reader.js';
import type { ConllItem } from '../../src/core/corpus/conll-lines.js';
import type { Document } from '../../src/core/document/document.js';
import { predictConll } from '../../src/core/tagger/predict-stream.js';
import { FakeTagger } from './fake-tagger.js';

/** The fake tagger, recording the documents it is given (as their words). */
class RecordingTagger extends FakeTagger {
  readonly documents: string[][][][] = [];
  override async tagDocuments(documents: readonly Document[]): Promise<void> {
    this.documents.push(documents.map((d) => d.sentences.map((s) => s.tokens.map((t) => t.text))));
    await super.tagDocuments(documents);
  }
}

/** The items of a CoNLL text read without a tag column, as `ner predict` reads a file. */
function itemsOf(text: string): ConllItem[] {
  const items: ConllItem[] = [];
  for (const doc of parseConll(text, { tagColumn: 'none' }).documents) {
    if (doc.source?.docstartRow) items.push({ kind: 'docstart', line: doc.source.line, row: doc.source.docstartRow });
    for (const sentence of doc.sentences) items.push({ kind: 'sentence', sentence });
  }
  return items;
}

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const x of stream) out.push(x);
  return out;
}

const FILE = [
  'Barack NNP B-PER', 'Obama NNP I-PER', '', '-DOCSTART- -X- O', '', 'Paris NNP B-LOC', 'is VBZ O', '', 'Berlin NNP B-LOC', '',
  '-DOCSTART- -X- O', '', 'Merkel NNP B-PER', '',
].join('\n');

describe('predictConll', () => {
  it('appends the predicted tag to every token line and an O to -DOCSTART- lines', async () => {
    const out = (await collect(predictConll(new FakeTagger(), itemsOf(FILE)))).join('');
    expect(out).toBe([
      'Barack NNP B-PER B-PER', 'Obama NNP I-PER I-PER', '', '-DOCSTART- -X- O O', '', 'Paris NNP B-LOC B-LOC', 'is VBZ O O', '',
      'Berlin NNP B-LOC B-LOC', '', '-DOCSTART- -X- O O', '', 'Merkel NNP B-PER B-PER', '', '',
    ].join('\n'));
  });

  it('gives every -DOCSTART- section its own document', async () => {
    const tagger = new RecordingTagger();
    await collect(predictConll(tagger, itemsOf(FILE)));
    expect(tagger.documents).toEqual([[[['Barack', 'Obama']], [['Paris', 'is'], ['Berlin']], [['Merkel']]]]);
  });

  it('cuts long input into chunks at -DOCSTART- lines, the same with any number in flight', async () => {
    const doc = (i: number) => `-DOCSTART- -X- O\n\n${Array.from({ length: 700 }, (_, k) => `Paris${i}-${k} NNP O\n`).join('\n')}\n`;
    const text = Array.from({ length: 9 }, (_, i) => doc(i)).join('');
    const one = new RecordingTagger();
    const alone = (await collect(predictConll(one, itemsOf(text)))).join('');
    // 2000 sentences a chunk, cut at the next -DOCSTART-: three documents (2100 sentences) each.
    expect(one.documents.map((chunk) => chunk.length)).toEqual([3, 3, 3]);
    expect(one.documents.flat().every((d) => d.length === 700)).toBe(true);
    const many = new RecordingTagger();
    expect((await collect(predictConll(many, itemsOf(text), { inFlight: 3 }))).join('')).toBe(alone);
    expect(many.documents).toEqual(one.documents);
  });

  it('gives nothing for no items', async () => {
    expect(await collect(predictConll(new FakeTagger(), []))).toEqual([]);
  });
});
