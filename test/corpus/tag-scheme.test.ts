import { describe, expect, it } from 'vitest';
import {
  SchemeDetector, bioesToIob2, convertTags, detectScheme, iob1ToIob2, iob2ToBioes, iob2ToIob1,
} from '../../src/core/tags/tag-scheme.js';

const IOB1 = ['I-PER', 'I-PER', 'B-PER', 'O', 'I-ORG', 'O', 'O', 'I-LOC', 'I-LOC'];
const IOB2 = ['B-PER', 'I-PER', 'B-PER', 'O', 'B-ORG', 'O', 'O', 'B-LOC', 'I-LOC'];
const BIOES = ['B-PER', 'E-PER', 'S-PER', 'O', 'S-ORG', 'O', 'O', 'B-LOC', 'E-LOC'];

describe('detectScheme', () => {
  it('tells the three schemes apart', () => {
    expect(detectScheme(IOB1)).toBe('IOB1');
    expect(detectScheme(IOB2)).toBe('IOB2');
    expect(detectScheme(BIOES)).toBe('BIOES');
  });

  it('calls a sequence without I- starts IOB2, also one without entities', () => {
    expect(detectScheme(['O', 'B-PER', 'O'])).toBe('IOB2');
    expect(detectScheme(['O', 'O'])).toBe('IOB2');
    expect(detectScheme([])).toBe('IOB2');
  });

  it('looks at sentences separately: an I- at a sentence start is IOB1', () => {
    expect(detectScheme([['B-PER', 'I-PER'], ['I-PER', 'O']])).toBe('IOB1');
    expect(detectScheme([['B-PER', 'I-PER'], ['B-PER', 'O']])).toBe('IOB2');
    // Flattened, the second sentence's I-PER would look like a continuation.
    expect(detectScheme(['B-PER', 'I-PER', 'I-PER', 'O'])).toBe('IOB2');
  });

  it('finds IOB1 from an I- after another type', () => {
    expect(detectScheme(['B-PER', 'I-LOC'])).toBe('IOB1');
  });

  it('accumulates over sentences with SchemeDetector', () => {
    const detector = new SchemeDetector();
    detector.add(['B-PER', 'O']);
    expect(detector.scheme).toBe('IOB2');
    detector.add(['O', 'I-LOC']);
    expect(detector.scheme).toBe('IOB1');
    detector.add(['S-LOC']);
    expect(detector.scheme).toBe('BIOES');
  });
});

describe('converters', () => {
  it('convert the same sentence between every pair of schemes', () => {
    expect(iob1ToIob2(IOB1)).toEqual(IOB2);
    expect(iob2ToIob1(IOB2)).toEqual(IOB1);
    expect(iob2ToBioes(IOB2)).toEqual(BIOES);
    expect(bioesToIob2(BIOES)).toEqual(IOB2);
    expect(convertTags(IOB1, 'IOB1', 'BIOES')).toEqual(BIOES);
    expect(convertTags(BIOES, 'BIOES', 'IOB1')).toEqual(IOB1);
  });

  it('repair ill-formed input by conlleval\'s rules', () => {
    expect(iob1ToIob2(['O', 'I-PER', 'I-PER'])).toEqual(['O', 'B-PER', 'I-PER']);
    expect(iob1ToIob2(['B-PER', 'I-LOC'])).toEqual(['B-PER', 'B-LOC']);
    expect(iob2ToBioes(['I-PER', 'B-PER'])).toEqual(['S-PER', 'S-PER']);
  });

  it('never change their input', () => {
    const input = Object.freeze([...IOB1]);
    const output = iob1ToIob2(input);
    expect(input).toEqual(IOB1);
    expect(output).not.toBe(input);
  });

  it('refuse E- and S- tags in a sequence said to be IOB1 or IOB2', () => {
    expect(() => iob2ToBioes(['B-PER', 'E-PER'])).toThrow(/tag "E-PER" at position 1 does not belong to IOB2/);
    expect(() => iob1ToIob2(['S-PER'])).toThrow(/does not belong to IOB1/);
  });

  it('report malformed tags', () => {
    expect(() => iob1ToIob2(['O', 'X-PER'])).toThrow(/malformed tag "X-PER" at position 1/);
  });
});
