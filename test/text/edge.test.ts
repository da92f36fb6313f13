import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/core/text/tokenize.js';
import { offsetProblems, tokenTexts } from './check.js';

describe('tokenize: edge inputs', () => {
  it('gives no sentences for empty and whitespace-only text', () => {
    expect(tokenize('').sentences).toEqual([]);
    expect(tokenize(' \t\n\r\n\u00a0\u3000\ufeff\u2028 ').sentences).toEqual([]);
  });

  it('returns one document holding the text its offsets index into', () => {
    const text = 'Anna left.\nBo stayed.';
    const doc = tokenize(text);
    expect(doc.text).toBe(text);
    expect(doc.sentences.map((s) => text.slice(s.start, s.end))).toEqual(['Anna left.', 'Bo stayed.']);
    expect(tokenize('').text).toBe('');
  });

  it('tokenizes emoji-only text', () => {
    const text = '😀😀 👍🏽\n🇩🇪';
    expect(tokenTexts(tokenize(text).sentences)).toEqual([['😀', '😀', '👍🏽'], ['🇩🇪']]);
    expect(offsetProblems(text, tokenize(text).sentences)).toEqual([]);
  });

  it('refuses a non-string instead of guessing', () => {
    expect(() => tokenize(42 as unknown as string)).toThrow(TypeError);
  });

  it('handles a 2 MB line of prose in linear time', () => {
    const sentence = "Mr. O'Neill of the U.S. met Jean-Luc in Paris on Monday, and Germany's 1,000 fans cheered. ";
    const text = sentence.repeat(Math.ceil(2_000_000 / sentence.length));
    const started = performance.now();
    const sentences = tokenize(text).sentences;
    const seconds = (performance.now() - started) / 1000;
    expect(sentences).toHaveLength(Math.ceil(2_000_000 / sentence.length));
    expect(offsetProblems(text, sentences)).toEqual([]);
    expect(seconds).toBeLessThan(10); // about 1 s on a loaded 2-core machine; quadratic would be hours
  });

  it('handles a 2 MB run without whitespace (wink would be quadratic on it)', () => {
    const text = 'abc@def.'.repeat(250_000);
    const started = performance.now();
    const sentences = tokenize(text).sentences;
    expect((performance.now() - started) / 1000).toBeLessThan(10);
    expect(offsetProblems(text, sentences)).toEqual([]);
  });

  it.each(['.', 'ab.', 'a-', "a'", 'U.S.', '-', "'s", '\u0301', '😀', '"', '. ', 'Mr. ', '1,', '’', 'www.', 'a@', '\ud800', 'ab.ab ', 'Inc. ', '? "'])(
    'stays linear on 300 kB of %j repeated',
    (unit) => {
      const text = unit.repeat(Math.ceil(300_000 / unit.length));
      const started = performance.now();
      const sentences = tokenize(text).sentences;
      expect((performance.now() - started) / 1000).toBeLessThan(5); // ~0.1 s; quadratic would be minutes
      expect(offsetProblems(text, sentences)).toEqual([]);
    },
  );
});
