import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/core/text/tokenize.js';
import { tokenTexts } from './check.js';

function sentencesOf(text: string): string[] {
  return tokenize(text).sentences.map((s) => text.slice(s.start, s.end));
}

describe('tokenize: sentences', () => {
  it('splits after a period but not after Mr. or inside U.S.', () => {
    const text = 'Mr. Smith went to the U.S. on Monday. He left.';
    const sentences = tokenize(text).sentences;
    expect(sentences.map((s) => [s.start, s.end])).toEqual([[0, 37], [38, 46]]);
    expect(tokenTexts(sentences)).toEqual([
      ['Mr.', 'Smith', 'went', 'to', 'the', 'U.S.', 'on', 'Monday', '.'],
      ['He', 'left', '.'],
    ]);
  });

  it.each([
    ['Dr. Jones and Mrs. Brown met St. John on Jan. 5 with J. Smith.', 1],
    ['Troops from the U.S. Army arrived. They stayed.', 2],
    ['It opened at 5 p.m. Friday in Dallas.', 1],
    ['He works at Apple Inc. The firm is big.', 2],
    ['Apple Inc. said so.', 1],
    ['Really? Yes! Fine... ok. Done.', 4],
    ['He said "Go." Then he left.', 2],
    ['(See below.) Then more.', 2],
    ['e.g. this one. And 3.5 is a number.', 2],
    ['Prices rose 5. 6 firms fell.', 2],
    ['東京に行った。大阪に行った。', 2],
    ['lowercase after a period. continues the sentence.', 1],
  ])('%j has %i sentence(s)', (text, count) => {
    expect(sentencesOf(text)).toHaveLength(count);
  });

  it('ends a sentence at every line break, blank line or not', () => {
    expect(sentencesOf('HEADLINE HERE\nBody text with Mr.\nSmith\n\nNext para\r\nand CRLF\rand CR')).toEqual([
      'HEADLINE HERE', 'Body text with Mr.', 'Smith', 'Next para', 'and CRLF', 'and CR',
    ]);
  });

  it('keeps closing quotes with the sentence they end', () => {
    expect(sentencesOf('She said "Stop." "Why?" he asked.')).toEqual(['She said "Stop."', '"Why?" he asked.']);
  });
});
