import { describe, expect, it } from 'vitest';
import { parseConll } from '../../src/core/corpus/conll-reader.js';
import { firstDocs, textFromCorpora } from '../../scripts/bench/conll-text.js';
import { formatStat, summarize } from '../../scripts/bench/stats.js';
import { chunkDocs } from '../../scripts/bench/tagging-workers.js';
import { countJsonl, formatCliFile, linesFromCorpus, type CliFileRun } from '../../scripts/bench/cli-file.js';

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

  it('writes the CLI file as one sentence per line and counts the CLI\'s jsonl output back', () => {
    const corpus = parseConll('-DOCSTART- O\n\nAcme B-ORG\nhires O\n\nIt O\n\n-DOCSTART- O\n\nZurich B-LOC\n');
    expect(linesFromCorpus(corpus)).toEqual({ text: 'Acme hires\nIt\nZurich\n', lines: 3, tokens: 4 });
    expect(linesFromCorpus(corpus, 2)).toEqual({ text: 'Acme hires\nIt\n', lines: 2, tokens: 3 });
    const doc = (n: number) => JSON.stringify({ text: 'x', entities: [], sentences: [{ tokens: Array(n).fill({}) }] });
    expect(countJsonl(`${doc(2)}\n${doc(3)}\n`)).toEqual({ lines: 2, tokens: 5 });
    expect(() => countJsonl('{"text":"x"}\n')).toThrow(/line 1 has no "sentences"/);
    expect(() => countJsonl('not json\n')).toThrow();
  });

  it('prints the CLI file figures with the two-worker ratios, a skip line, and a differing output', () => {
    const run = (workers: number, tps: number[], rss: number[], same = true): CliFileRun => ({
      workers, repeats: tps.length, tokensPerSecond: summarize(tps), seconds: summarize(tps.map((t) => 1000 / t)),
      maxRssMiB: summarize(rss), outputTokens: 1000, sameAsOneWorker: same,
    });
    const row = (label: string, value: string) => `${label}|${value}`;
    const figures = { command: 'ner tag --input FILE --format jsonl --workers N', lines: 10, tokens: 1000, bytes: 5000, runs: [run(1, [90, 100, 110], [300, 310, 320]), run(2, [150, 160, 170], [390, 400, 410])] };
    const out = formatCliFile(figures, row);
    expect(out[0]).toMatch(/10 lines, 1,000 tokens, 0\.01 MB/);
    expect(out).toContain('--workers 1, tokens/s|100 [90 - 110]');
    expect(out).toContain('--workers 2, tokens/s|160 [150 - 170]  (x1.60 speed, x1.29 memory of 1 worker)');
    expect(out).toContain('  peak RSS of the child, MiB|400 [390 - 410]');
    expect(out.some((l) => l.includes('DIFFERS'))).toBe(false);
    const differs = formatCliFile({ ...figures, runs: [figures.runs[0], run(2, [1], [1], false)] }, row);
    expect(differs.some((l) => l.includes('OUTPUT DIFFERS from --workers 1'))).toBe(true);
    expect(formatCliFile({ skipped: 'no train.txt' }, row)).toEqual(['  ner tag --input FILE: skipped: no train.txt']);
  });
});
