import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/core/text/tokenize.js';
import { offsetProblems, seededRandom } from './check.js';

const CASES = [
  'Mr. Smith went to the U.S. on Monday. He left.',
  'several   spaces\tand\ttabs\n\nand blank lines\r\nand CRLF\rand CR',
  'Emoji 😀 and 👍🏽 and the family 👨‍👩‍👧 and keycap 1️⃣ and flags 🇩🇪🇫🇷.',
  'Astral letters 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and math 𝟙𝟚𝟛.',
  '東京都に住んでいます。大阪へ行きました！ 中国北京市',
  'مرحبا بالعالم، كيف حالك؟ שלום עולם.',
  'Combining: cafe\u0301 nai\u0308ve Ame\u0301lie, and a lone \u0301 mark.',
  'Visit https://example.com/path?q=1&r=2. Or www.bbc.co.uk, or mail bob.smith@example.org!',
  "O'Neill, Jean-Luc Picard, the U.S. and U.N., Germany's, don't, can't, they're, O’Neill’s.",
  "Müller's LET'S Couldn't WON'T Łódź G7 MP3 mid-1990s 1,000 3.5% $4.5bn 1996-08-22",
  'Zero\u200bwidth, soft\u00adhyphen, RTL\u200fmark, BOM\ufeffhere, nbsp\u00a0here, ideographic\u3000space.',
  'Control \u0000 NUL \u0001 and lone surrogates \ud800 x \udc00 y.',
  '"Quoted." (Bracketed.) ...and so on… -- dashes — and – ranges.',
  'Line\u2028separator\u2029paragraph separator.',
  '#hashtag @mention 10:30 4pm 10 amendments Score:Dallas',
];

describe('tokenize offsets', () => {
  it.each(CASES)('keeps every offset exact in %j', (text) => {
    expect(offsetProblems(text, tokenize(text).sentences)).toEqual([]);
  });

  it('keeps every offset exact in random mixes of tricky pieces (seeded)', () => {
    const pieces = [
      ...CASES.flatMap((c) => c.split(' ')),
      ' ', '  ', '\t', '\n', '\n\n', '\r\n', '.', ',', '"', "'", '’', 'ʼ', '-', '--', '...', '…', '(', ')',
      '\u200b', '\u200d', '\ufe0f', '\ud800', '\udc00', '\ud83c', '\udffb', '\u0000', '\ufeff', '\u00a0',
      'Mr.', 'U.S.', 'J.', 'Inc.', 'No.', '1', 'a', 'S', 's', 't', 'n', "n't", "'s", '@', 'x@', '。',
    ];
    const random = seededRandom(20240605);
    const failures: string[] = [];
    for (let k = 0; k < 3000; k++) {
      let text = '';
      const count = 1 + Math.floor(random() * 30);
      for (let j = 0; j < count; j++) {
        text += pieces[Math.floor(random() * pieces.length)];
        if (random() < 0.5) text += ' ';
      }
      const problems = offsetProblems(text, tokenize(text).sentences);
      if (problems.length > 0) failures.push(`${JSON.stringify(text)}: ${problems[0]}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('keeps every offset exact in random UTF-16 code units, lone surrogates included (seeded)', () => {
    const random = seededRandom(7);
    const failures: string[] = [];
    for (let k = 0; k < 2000; k++) {
      let text = '';
      const count = Math.floor(random() * 60);
      for (let j = 0; j < count; j++) text += String.fromCharCode(Math.floor(random() * (random() < 0.5 ? 128 : 65536)));
      const problems = offsetProblems(text, tokenize(text).sentences);
      if (problems.length > 0) failures.push(`${JSON.stringify(text)}: ${problems[0]}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});
