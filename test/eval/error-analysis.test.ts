import { describe, expect, it } from 'vitest';
import { analyzeErrors, formatErrorAnalysis } from '../../src/core/eval/error-analysis.js';

describe('analyzeErrors', () => {
  it('classifies each kind of error by hand-built cases', () => {
    const gold = [
      ['B-PER', 'I-PER', 'O', 'B-LOC', 'O', 'B-ORG', 'I-ORG', 'O', 'B-MISC', 'O', 'O'],
      ['B-PER', 'O', 'O'],
    ];
    const pred = [
      // PER exact, LOC as ORG (type), ORG cut short (boundary), MISC longer and as LOC (both), spurious PER
      ['B-PER', 'I-PER', 'O', 'B-ORG', 'O', 'B-ORG', 'O', 'O', 'B-LOC', 'I-LOC', 'B-PER'],
      ['O', 'O', 'O'], // PER missed
    ];
    const a = analyzeErrors(gold, pred);
    expect(a.overall).toEqual({ correct: 1, type: 1, boundary: 1, boundaryAndType: 1, missed: 1, spurious: 1 });
    expect(a.types.PER).toEqual({ correct: 1, type: 0, boundary: 0, boundaryAndType: 0, missed: 1, spurious: 1 });
    expect(a.types.LOC.type).toBe(1);
    expect(a.types.ORG.boundary).toBe(1);
    expect(a.types.MISC.boundaryAndType).toBe(1);
    const text = formatErrorAnalysis(a);
    expect(text.split('\n')[0]).toMatch(/type\s+correct\s+wrong type\s+wrong boundary\s+both wrong\s+missed\s+spurious/);
    expect(text).toMatch(/all\s+1\s+1\s+1\s+1\s+1\s+1/);
  });

  it('refuses sequences of different sentence counts', () => {
    expect(() => analyzeErrors([['O']], [])).toThrow(/1 gold sentences but 0 predicted/);
  });
});
