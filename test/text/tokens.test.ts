import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/core/text/tokenize.js';
import winkTokenizer from 'wink-tokenizer';
import type { Piece } from '../../src/core/text/piece.js';
import { isPlainRun, winkPieces } from '../../src/core/text/wink.js';
import { tokenTexts } from './check.js';

function tokensOf(text: string): string[] {
  return tokenTexts(tokenize(text).sentences).flat();
}

describe('tokenize: CoNLL-2003-shaped tokens', () => {
  it.each([
    ['Mr. Smith went to the U.S. on Monday.', ['Mr.', 'Smith', 'went', 'to', 'the', 'U.S.', 'on', 'Monday', '.']],
    ["O'Neill met Jean-Luc in Germany's capital.", ["O'Neill", 'met', 'Jean-Luc', 'in', 'Germany', "'s", 'capital', '.']],
    ['The U.N. and U.S.-led forces, J. R. R. Tolkien.', ['The', 'U.N.', 'and', 'U.S.-led', 'forces', ',', 'J.', 'R.', 'R.', 'Tolkien', '.']],
    ["We don't, can't and won't; they're here, I'm sure.", ['We', 'do', "n't", ',', 'ca', "n't", 'and', 'wo', "n't", ';', 'they', "'re", 'here', ',', 'I', "'m", 'sure', '.']],
    ['Shares rose 3.5 percent to 1,000 on 1996-08-22.', ['Shares', 'rose', '3.5', 'percent', 'to', '1,000', 'on', '1996-08-22', '.']],
    ['It cost $4.5 (about 3.5%).', ['It', 'cost', '$', '4.5', '(', 'about', '3.5', '%', ')', '.']],
    ['"No," he said... -- it ended.', ['"', 'No', ',', '"', 'he', 'said', '...', '--', 'it', 'ended', '.']],
    ['Apple Inc. and Acme Corp. vs. Smith Ltd.', ['Apple', 'Inc.', 'and', 'Acme', 'Corp.', 'vs.', 'Smith', 'Ltd.']],
    ['No. 1 said no.', ['No.', '1', 'said', 'no', '.']],
    ["Curly O’Neill’s don’t", ['Curly', 'O’Neill', '’s', 'do', 'n’t']],
    ["Müller's LET'S Couldn't", ['Müller', "'s", 'LET', "'S", 'Could', "n't"]],
    ["the Jameses' house, rock 'n' roll, o'clock", ['the', 'Jameses', "'", 'house', ',', 'rock', "'", 'n', "'", 'roll', ',', "o'clock"]],
    ['Łódź, G7, MP3, the mid-1990s, café', ['Łódź', ',', 'G7', ',', 'MP3', ',', 'the', 'mid-1990s', ',', 'café']],
    ['See https://example.com/a?b=1. Mail bob@example.org or www.bbc.co.uk now', ['See', 'https://example.com/a?b=1', '.', 'Mail', 'bob@example.org', 'or', 'www.bbc.co.uk', 'now']],
    ['Fans 😀👍🏽 of 👨‍👩‍👧!', ['Fans', '😀', '👍🏽', 'of', '👨‍👩‍👧', '!']],
    ['東京都に住んでいます。', ['東京都に住んでいます', '。']],
    ['مرحبا، بالعالم', ['مرحبا', '،', 'بالعالم']],
    ['Call +44 171 at 10:30 on 08/29/1996; S&P and AT&T hit .500 for HK$ 43.', ['Call', '+44', '171', 'at', '10:30', 'on', '08/29/1996', ';', 'S&P', 'and', 'AT&T', 'hit', '.500', 'for', 'HK$', '43', '.']],
    ['1. Michael Schumacher (Germany) Ferrari', ['1.', 'Michael', 'Schumacher', '(', 'Germany', ')', 'Ferrari']],
    ['It fell 5-3 and -2.5 points.', ['It', 'fell', '5-3', 'and', '-', '2.5', 'points', '.']],
    ['at 10 amendments; Score:Dallas', ['at', '10', 'amendments', ';', 'Score', ':', 'Dallas']],
  ])('%j', (text, expected) => {
    expect(tokensOf(text)).toEqual(expected);
  });

  it('keeps a combining mark with its letter', () => {
    expect(tokensOf('Ame\u0301lie')).toEqual(['Ame\u0301lie']);
  });

  it('never puts whitespace in a token', () => {
    expect(tokensOf('a\u00a0b\u3000c\ufeffd')).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('tokenize: runs of plain letters or digits skip wink', () => {
  // winkPieces gives such a run back whole without asking wink; that is only right while wink
  // itself returns it as one token. Words whose forms wink treats specially (contractions,
  // possessives, ordinals, emoticons, time) sit next to plain ones here.
  const wink = winkTokenizer();
  wink.defineConfig({ time: false, emoticon: false, quoted_phrase: false });
  const PLAIN = ['cannot', 'gonna', 'Im', 'dont', 'xD', 'D', 'st', 'nd', 'th', 'am', 'pm', 'ABC', 'Monday', 'a', '0', '1996', '00000000000000000000001', '4', '10'];

  it.each(PLAIN)('wink returns %s as one token', (run) => {
    expect(isPlainRun(run, 0, run.length)).toBe(true);
    expect(wink.tokenize(run).map((t) => t.value)).toEqual([run]);
  });

  it('tells plain runs from others', () => {
    for (const run of ["don't", 'G7', '1st', 'U.S.', 'Müller', '1,000', 'a-b', '#tag', 'x@y.z', '3.5', 'ı']) expect(isPlainRun(run, 0, run.length)).toBe(false);
  });

  it('tokenizes lines of plain and other runs as wink does them whole', () => {
    const line = "At 10 am Im gonna say 1st: we cannot, 1996 ; Monday's 4 pm D xD :D 10:30 st th";
    const pieces: Piece[] = [];
    winkPieces(line, 0, line.length, pieces);
    expect(pieces.map((p) => line.slice(p.start, p.end))).toEqual(wink.tokenize(line).map((t) => t.value));
  });
});
