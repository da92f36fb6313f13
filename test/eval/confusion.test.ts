import { describe, expect, it } from 'vitest';
import { confusionTable, formatConfusionTable } from '../../src/core/eval/confusion.js';

describe('confusionTable', () => {
  it('counts tokens by gold type and predicted type, O first', () => {
    const table = confusionTable(
      [['B-ORG', 'I-ORG', 'O', 'B-PER'], ['O', 'B-LOC']],
      [['B-LOC', 'I-ORG', 'O', 'I-PER'], ['B-PER', 'O']],
    );
    expect(table.labels).toEqual(['O', 'LOC', 'ORG', 'PER']);
    expect(table.counts).toEqual([
      // pred: O  LOC ORG PER
      [1, 0, 0, 1], // gold O: "O" right, one O token predicted PER
      [1, 0, 0, 0], // gold LOC: predicted O
      [0, 1, 1, 0], // gold ORG: one token predicted LOC, one ORG
      [0, 0, 0, 1], // gold PER: B-PER vs I-PER is the same type
    ]);
  });

  it('rejects sequences of different lengths', () => {
    expect(() => confusionTable([['O']], [['O', 'O']])).toThrow(/sentence 0: 1 gold tags but 2 predicted/);
  });
});

describe('formatConfusionTable', () => {
  it('aligns counts with totals and the share predicted right', () => {
    expect(formatConfusionTable(confusionTable([['B-ORG', 'O', 'O']], [['B-LOC', 'O', 'B-ORG']]))).toBe(
      'gold \\ pred  O  LOC  ORG  total  correct\n' +
        '          O  1    0    1      2   50.00%\n' +
        '        LOC  0    0    0      0    0.00%\n' +
        '        ORG  0    1    0      1    0.00%\n',
    );
  });
});
