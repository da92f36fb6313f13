import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/core/eval/conlleval.js';
import { analyzeErrors } from '../../../src/core/eval/error-analysis.js';
import { confusionTable } from '../../../src/core/eval/confusion.js';
import { renderEvalReport } from '../../../src/core/report/eval-report.js';
import { isReport, readableTime, REPORT_MARKER } from '../../../src/core/report/page.js';
import { renderTrainingReport } from '../../../src/core/report/training-report.js';
import type { ScoredSet } from '../../../src/core/report/sections.js';

const gold = [['B-PER', 'I-PER', 'O', 'B-LOC'], ['B-<b>', 'O']];
const predicted = [['B-PER', 'I-PER', 'O', 'B-ORG'], ['O', 'O']];
const scores: ScoredSet = { result: evaluate(gold, predicted), errors: analyzeErrors(gold, predicted), confusion: confusionTable(gold, predicted) };

describe('the training report', () => {
  const html = renderTrainingReport({
    name: 'm<1>',
    epochs: [
      { epoch: 1, loss: 1.2, dev: { precision: 40, recall: 30, f1: 34.3 } },
      { epoch: 2, loss: 0.6, dev: { precision: 60, recall: 50, f1: 54.5 } },
      { epoch: 3, loss: 0.5, dev: { precision: 55, recall: 50, f1: 52.4 } },
    ],
    bestEpoch: 2,
    stopped: 'epochs',
    dev: scores,
    options: { lr: 0.01, features: [{ name: 'word', dim: 16 }], trainFile: '</td><script>x</script>' },
    created: '2026-12-01T21:35:27.320Z',
  });

  it('is a marked, self-contained page: no script, no external reference', () => {
    expect(isReport(html)).toBe(true);
    expect(html.startsWith(`<!doctype html>\n${REPORT_MARKER}\n`)).toBe(true);
    expect(html).not.toMatch(/<script|<link|\bsrc=|url\(/i);
  });

  it('holds the loss chart and the P/R/F1 chart, both marking the best epoch', () => {
    expect(html.match(/<svg class="line-chart"/g)).toHaveLength(2);
    expect(html.match(/<path class="series"/g)).toHaveLength(4);
    expect(html.match(/<g class="best-marker" data-x="2">/g)).toHaveLength(2);
  });

  it('has one row per type with its figures, escaped, and the options', () => {
    expect(html).toMatch(/<tr class="type-row" data-type="PER"><td class="label">PER<\/td><td class="num">100.00<\/td>/);
    expect(html).toMatch(/<tr class="type-row" data-type="LOC"><td class="label">LOC<\/td><td class="num">0.00<\/td>/);
    expect(html).toContain('data-type="&lt;b&gt;"');
    expect(html).toContain('<td>&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;</td>');
    expect(html).toContain('[{&quot;name&quot;:&quot;word&quot;,&quot;dim&quot;:16}]');
    expect(html).toContain('Training report: m&lt;1&gt;');
    expect(html).toContain('2026-12-01 21:35 UTC');
  });

  it('has the error classes and the confusion table', () => {
    // LOC predicted as ORG: a wrong type; <b> missed.
    expect(html).toMatch(/<tr class="error-row" data-type="LOC"><td class="label">LOC<\/td><td class="num">0<\/td><td class="num">1<\/td>/);
    expect(html).toMatch(/<tr class="error-row" data-type="&lt;b&gt;">(<td[^>]*>[^<]*<\/td>){5}<td class="num">1<\/td>/);
    expect(html).toMatch(/<tr data-gold="LOC"><th>LOC<\/th>/);
  });
});

describe('the evaluation report', () => {
  it('names the model and the file and holds the same tables', () => {
    const html = renderEvalReport({ model: 'conll2003-en', file: 'a&b.txt', scores });
    expect(isReport(html)).toBe(true);
    expect(html).toContain('conll2003-en on a&amp;b.txt');
    expect(html).not.toContain('a&amp;amp;b');
    expect(html.match(/<tr class="type-row"/g)).toHaveLength(4);
    expect(html).toContain('<table class="confusion">');
    expect(html).toContain('<table class="error-classes">');
  });
});

describe('isReport and readableTime', () => {
  it('know a report only by the marker at its start', () => {
    expect(isReport(`<!doctype html>\n<p>${REPORT_MARKER}</p>`)).toBe(false);
    expect(isReport('hello')).toBe(false);
    expect(readableTime('yesterday')).toBe('yesterday');
  });
});
