import { describe, expect, it } from 'vitest';
import { ConllEvaluator, evaluate } from '../../src/core/eval/conlleval.js';
import { PRFScore } from '../../src/core/eval/prf.js';

// The sentences of test/fixtures/scored-hand.txt (without its -DOCSTART- line).
//                 John     Smith    visited New      York     .
const GOLD_IOB2 = [
  ['B-PER', 'I-PER', 'O', 'B-LOC', 'I-LOC', 'O'],
  ['O', 'B-ORG', 'O', 'B-ORG', 'O'], //  Both ACME and UN met
  ['B-LOC', 'B-PER', 'O'], //            Paris Hilton sang
  ['B-LOC', 'O'], //                     Germany won
];
const PRED = [
  ['B-PER', 'I-PER', 'O', 'B-ORG', 'I-ORG', 'O'], // PER right; LOC predicted as ORG
  ['O', 'B-ORG', 'I-ORG', 'I-ORG', 'O'], //         ORG 1..4 matches neither gold ORG
  ['I-LOC', 'I-PER', 'O'], //                       IOB1-style starts: LOC 0..1, PER 1..2, both right
  ['O', 'B-MISC'], //                               LOC missed, MISC invented
];
// The same entities in IOB1 (CoNLL-2003's original scheme).
const GOLD_IOB1 = [
  ['I-PER', 'I-PER', 'O', 'I-LOC', 'I-LOC', 'O'],
  ['O', 'I-ORG', 'O', 'I-ORG', 'O'],
  ['I-LOC', 'I-PER', 'O'],
  ['I-LOC', 'O'],
];

describe('evaluate on a hand-scored example', () => {
  // Gold entities: PER 2 (John Smith, Hilton), LOC 3 (New York, Paris, Germany), ORG 2 (ACME, UN) = 7.
  // Predicted:     PER 2, LOC 1 (Paris), ORG 2 (New York, ACME and UN), MISC 1 (won) = 6.
  // Correct:       PER 2 (John Smith, Hilton), LOC 1 (Paris) = 3.
  it('gives conlleval\'s overall figures', () => {
    const r = evaluate(GOLD_IOB2, PRED);
    expect([r.tokens, r.gold, r.predicted, r.correct]).toEqual([16, 7, 6, 3]);
    expect(r.precision).toBe(50); // 100*3/6
    expect(r.recall).toBeCloseTo(42.857142857, 8); // 100*3/7
    expect(r.f1).toBeCloseTo(46.153846154, 8); // 2*50*42.857/(50+42.857) = 600/13
    // Equal tags: sentence 1: John Smith visited . = 4; 2: Both ACME met = 3; 3: sang = 1; 4: none.
    expect(r.accuracy).toBe(50); // 100*8/16
  });

  it('gives conlleval\'s per-type figures', () => {
    const r = evaluate(GOLD_IOB2, PRED);
    expect(Object.keys(r.types)).toEqual(['LOC', 'MISC', 'ORG', 'PER']);
    expect(r.types.PER).toEqual({ precision: 100, recall: 100, f1: 100, gold: 2, predicted: 2, correct: 2 });
    // LOC: P 100*1/1 = 100, R 100*1/3 = 33.33, F1 2*100*33.33/133.33 = 50.
    expect(r.types.LOC.precision).toBe(100);
    expect(r.types.LOC.recall).toBeCloseTo(33.333333333, 8);
    expect(r.types.LOC.f1).toBeCloseTo(50, 10);
    expect([r.types.LOC.gold, r.types.LOC.predicted, r.types.LOC.correct]).toEqual([3, 1, 1]);
    // ORG: 0 of 2 predicted correct, 0 of 2 gold found: all 0.
    expect(r.types.ORG).toEqual({ precision: 0, recall: 0, f1: 0, gold: 2, predicted: 2, correct: 0 });
    // MISC: never in the gold standard: recall 0 by conlleval's convention, not NaN.
    expect(r.types.MISC).toEqual({ precision: 0, recall: 0, f1: 0, gold: 0, predicted: 1, correct: 0 });
  });

  it('gives the same entity figures for IOB1 gold; only accuracy changes', () => {
    const iob1 = evaluate(GOLD_IOB1, PRED);
    const iob2 = evaluate(GOLD_IOB2, PRED);
    expect({ ...iob1, accuracy: 0 }).toEqual({ ...iob2, accuracy: 0 });
    // Equal tags now: 1: Smith visited . = 3; 2: Both UN met = 3; 3: Paris Hilton sang = 3; 4: none.
    expect(iob1.accuracy).toBe(56.25); // 100*9/16
  });

  it('serializes to exactly the contract\'s --json keys, in order', () => {
    const r = evaluate(GOLD_IOB2, PRED);
    expect(Object.keys(JSON.parse(JSON.stringify(r)))).toEqual([
      'precision', 'recall', 'f1', 'accuracy', 'tokens', 'gold', 'predicted', 'correct', 'types',
    ]);
    expect(Object.keys(r.types.PER)).toEqual(['precision', 'recall', 'f1', 'gold', 'predicted', 'correct']);
  });
});

describe('evaluate: edge cases', () => {
  it('scores nothing as zeros', () => {
    expect(evaluate([], [])).toEqual({
      precision: 0, recall: 0, f1: 0, accuracy: 0, tokens: 0, gold: 0, predicted: 0, correct: 0, types: {},
    });
  });

  it('needs the whole entity: a predicted entity one token short is wrong', () => {
    const r = evaluate([['B-PER', 'I-PER']], [['B-PER', 'O']]);
    expect([r.gold, r.predicted, r.correct]).toEqual([1, 1, 0]);
  });

  it('counts B-PER vs I-PER at the same token as a wrong tag but can still match the entity', () => {
    // Gold PER 0..1 (IOB2) and predicted PER 0..1 (IOB1 start): same entity, different tags.
    const r = evaluate([['B-PER', 'O']], [['I-PER', 'O']]);
    expect(r.correct).toBe(1);
    expect(r.accuracy).toBe(50);
  });

  it('does not let entities run across sentences', () => {
    const r = evaluate([['O', 'B-PER'], ['I-PER']], [['O', 'B-PER'], ['I-PER']]);
    expect(r.gold).toBe(2);
    expect(r.correct).toBe(2);
  });

  it('rejects mismatched lengths and malformed tags', () => {
    expect(() => evaluate([['O']], [])).toThrow(/1 gold sentences but 0 predicted/);
    expect(() => evaluate([['O', 'O']], [['O']])).toThrow(/sentence 0: 2 gold tags but 1 predicted/);
    expect(() => evaluate([['O']], [['B-']])).toThrow(/sentence 0: predicted malformed tag "B-" at position 0/);
  });

  it('accumulates sentence by sentence like evaluate', () => {
    const evaluator = new ConllEvaluator();
    GOLD_IOB2.forEach((gold, i) => evaluator.add(gold, PRED[i]));
    expect(evaluator.result()).toEqual(evaluate(GOLD_IOB2, PRED));
  });
});

describe('PRFScore', () => {
  it('computes percentages from tp/fp/fn', () => {
    const prf = new PRFScore(3, 1, 2);
    expect([prf.predicted, prf.gold]).toEqual([4, 5]);
    expect(prf.precision).toBe(75); // 100*3/4
    expect(prf.recall).toBe(60); // 100*3/5
    expect(prf.f1).toBeCloseTo(66.666666667, 8); // 2*75*60/135
    expect(new PRFScore().f1).toBe(0);
    expect(new PRFScore().addCounts({ gold: 5, predicted: 4, correct: 3 })).toEqual(prf);
  });

  it('uses conlleval\'s order of operations, which decides exact ties', () => {
    // 100*97/800 is exactly 12.125 (printed 12.12); 100*(97/800) is not.
    expect(new PRFScore(97, 703, 0).precision).toBe(12.125);
  });
});
