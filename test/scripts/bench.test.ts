import { describe, expect, it } from 'vitest';
import { parseConll } from '../../src/core/corpus/conll-reader.js';
import { firstDocs, textFromCorpora } from '../../scripts/bench/conll-text.js';
import { formatStat, summarize } from '../../scripts/bench/stats.js';
import { chunkDocs } from '../../scripts/bench/tagging-workers.js';

describe('bench helpers', () => {
  it('summarizes repeats as median, min and max', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, values: [3, 1, 2] });
    expect(summarize([4, 1, 2, 3]).median).toBe(2.5);
    expect(() => summarize([])).toThrow();
    expect(formatStat(summarize([1000, 2500, 4000]), 1, ' s')).toBe('2,500.0 s [1,000.0 - 4,000.0]');
  });

  it('rebuilds raw text from CoNLL: a document per text, a sentence per line', () => {
    const corpus = parseConll('-DOCSTART- O\n\nAcme B-ORG\nhires O\n\nIt O\n\n-DOCSTART- O\n\nZurich B-LOC\n');
    const text = textFromCorpora([corpus]);
    expect(text.docs).toEqual(['Acme hires\nIt', 'Zurich']);
    expect(text.conllTokens).toBe(4);
    expect(firstDocs(text.docs, 2)).toEqual(['Acme hires\nIt']);
    expect(firstDocs(text.docs, 100)).toEqual(text.docs);
  });

  it('chunks documents by at least 256 lines, as ner tag batches them', () => {
    const docs = [Array(200).fill('a').join('\n'), Array(100).fill('b').join('\n'), 'c'];
    expect(chunkDocs(docs).map((c) => c.length)).toEqual([2, 1]);
  });
});
