import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/eval/conlleval.js';
import { formatConllevalReport, printfFixed } from '../../src/core/eval/report.js';

describe('printfFixed', () => {
  it('rounds exact ties to even like C printf, unlike toFixed', () => {
    // Values checked with: perl -e 'printf "%6.2f", 12.125' and friends.
    expect(printfFixed(12.125, 2, 6)).toBe(' 12.12');
    expect(printfFixed(12.375, 2, 6)).toBe(' 12.38');
    expect(printfFixed(0.125, 2)).toBe('0.12');
    expect(printfFixed(2.5, 0)).toBe('2');
    expect(printfFixed(3.5, 0)).toBe('4');
    expect((12.125).toFixed(2)).toBe('12.13'); // why printfFixed exists
  });

  it('rounds non-ties to nearest and pads to the width', () => {
    expect(printfFixed(100, 2, 6)).toBe('100.00');
    expect(printfFixed(0, 2, 6)).toBe('  0.00');
    expect(printfFixed((100 * 2) / 3, 2, 6)).toBe(' 66.67');
    // 1.005 is stored as 1.00499999999999989…, so it is not a tie and rounds down.
    expect(printfFixed(1.005, 2)).toBe('1.00');
    expect(printfFixed(-12.125, 2)).toBe('-12.12');
  });
});

describe('formatConllevalReport', () => {
  it('prints conlleval\'s layout (checked against conlleval.pl on the same tags)', () => {
    const result = evaluate(
      [['B-PER', 'I-PER', 'O', 'B-LOC'], ['B-ORG', 'O']],
      [['B-PER', 'I-PER', 'O', 'B-ORG'], ['B-ORG', 'O']],
    );
    expect(formatConllevalReport(result)).toBe(
      'processed 6 tokens with 3 phrases; found: 3 phrases; correct: 2.\n' +
        'accuracy:  83.33%; precision:  66.67%; recall:  66.67%; FB1:  66.67\n' +
        '              LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  0\n' +
        '              ORG: precision:  50.00%; recall: 100.00%; FB1:  66.67  2\n' +
        '              PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  1\n',
    );
  });

  it('prints only the counts line when there are no tokens', () => {
    expect(formatConllevalReport(evaluate([], []))).toBe('processed 0 tokens with 0 phrases; found: 0 phrases; correct: 0.\n');
  });

  it('right-aligns type names in 17 columns and lets longer ones run over', () => {
    const report = formatConllevalReport(evaluate([['B-A', 'B-VERY_LONG_TYPE_NAME_X']], [['B-A', 'O']]));
    expect(report).toContain('\n                A: precision: 100.00%;');
    expect(report).toContain('\nVERY_LONG_TYPE_NAME_X: precision:   0.00%;');
  });
});
