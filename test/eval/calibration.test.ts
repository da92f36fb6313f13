/**
 * The reliability table and ECE of entity scores on hand-made documents, against figures
 * worked out by hand below.
 */
import { describe, expect, it } from 'vitest';
import type { Document } from '../../src/core/document/document.js';
import { calibrationTable, formatCalibrationTable, reliability } from '../../src/core/eval/calibration.js';

const tokens = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `w${i}` }));

/**
 * Five predicted entities:
 *   s1: PER 0..2 (0.95, right), LOC 3..4 (0.92, wrong type: gold ORG)
 *   s2: ORG 0..1 (0.55, wrong span: gold ORG 0..2), PER 3..4 (0.15, right)
 *   s3 (IOB1 gold, as CoNLL files have): LOC 0..1 (0.58, right)
 * Bins: 0.1-0.2: {0.15 right}; 0.5-0.6: {0.55 wrong, 0.58 right}; 0.9-1.0: {0.95 right, 0.92 wrong}.
 * ECE = 1/5 |1 - 0.15| + 2/5 |0.5 - 0.565| + 2/5 |0.5 - 0.935| = 0.17 + 0.026 + 0.174 = 0.37.
 */
const documents: Document[] = [
  {
    sentences: [
      { tokens: tokens(4), gold: ['B-PER', 'I-PER', 'O', 'B-ORG'], predicted: ['B-PER', 'I-PER', 'O', 'B-LOC'], entityScores: [0.95, 0.92] },
      { tokens: tokens(4), gold: ['B-ORG', 'I-ORG', 'O', 'B-PER'], predicted: ['B-ORG', 'O', 'O', 'B-PER'], entityScores: [0.55, 0.15] },
    ],
  },
  { sentences: [{ tokens: tokens(2), gold: ['I-LOC', 'O'], predicted: ['B-LOC', 'O'], entityScores: [0.58] }] },
];

describe('calibrationTable', () => {
  it('bins the predicted entities by score and counts those exactly right (span and type), as worked out by hand', () => {
    const result = calibrationTable(documents);
    expect(result.entities).toBe(5);
    expect(result.ece).toBeCloseTo(0.37, 12);
    expect(result.bins).toHaveLength(10);
    const filled = result.bins.filter((b) => b.count > 0);
    expect(filled.map((b) => [b.from, b.count])).toEqual([[0.1, 1], [0.5, 2], [0.9, 2]]);
    expect(filled[0].precision).toBe(1);
    expect(filled[1].meanScore).toBeCloseTo(0.565, 12);
    expect(filled[1].precision).toBe(0.5);
    expect(filled[2].meanScore).toBeCloseTo(0.935, 12);
    expect(result.bins[0]).toEqual({ from: 0, to: 0.1, count: 0, meanScore: null, precision: null });
  });

  it('scores entities by the mean of their tokens\' scores when a sentence has no entity scores', () => {
    const result = calibrationTable([{ sentences: [{ tokens: tokens(2), gold: ['B-PER', 'I-PER'], predicted: ['B-PER', 'I-PER'], scores: [0.9, 0.7] }] }]);
    expect(result.bins[8]).toMatchObject({ count: 1, precision: 1 });
    expect(result.ece).toBeCloseTo(0.2, 12);
  });

  it('puts a score of exactly 1 in the last bin and gives an ECE of 0 with no entities', () => {
    const r = reliability([{ score: 1, correct: true }, { score: 0, correct: false }]);
    expect(r.bins[9].count).toBe(1);
    expect(r.bins[0].count).toBe(1);
    expect(r.ece).toBe(0);
    expect(reliability([]).ece).toBe(0);
  });

  it('refuses sentences without predictions and scores outside [0, 1]', () => {
    expect(() => calibrationTable([{ sentences: [{ tokens: tokens(1), gold: ['O'] }] }])).toThrow(/gold and predicted/);
    expect(() => reliability([{ score: 1.5, correct: true }])).toThrow(/\[0, 1\]/);
    expect(() => calibrationTable([{ sentences: [{ tokens: tokens(1), gold: ['O'], predicted: ['B-PER'] }] }])).toThrow(/need scores/);
  });

  it('prints one row per bin and the ECE', () => {
    const text = formatCalibrationTable(calibrationTable(documents));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[6]).toMatch(/^0\.5-0\.6\s+2\s+0\.5650\s+0\.5000$/);
    expect(lines[1]).toMatch(/^0\.0-0\.1\s+0\s+-\s+-$/);
    expect(lines[11]).toBe('ECE 0.3700 over 5 predicted entities');
  });
});
