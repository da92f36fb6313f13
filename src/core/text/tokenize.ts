import type { Document, Sentence, Token } from '../document/document.js';
import { isLineBreakCode } from './chars.js';
import type { Piece } from './piece.js';
import { sentenceEnds } from './sentences.js';
import { conllStylePieces } from './conll-style.js';
import { winkPieces } from './wink.js';

/**
 * Splits raw text into a Document: its sentences of CoNLL-2003-shaped tokens, each token with
 * its character offsets into `text` (UTF-16 code units, end exclusive), and each sentence
 * with the range from its first token's start to its last token's end. For every token,
 * `text.slice(token.start, token.end) === token.text`, whatever the text holds. Tokens are in
 * order and never overlap, every non-whitespace character is in exactly one token, and
 * tokens never contain whitespace. Every line break ends a sentence (so a blank line does
 * too); empty or whitespace-only text has no sentences. Every token and sentence of the
 * result has its offsets set, and `text` is the document's `text`.
 *
 * Shape: punctuation split off (`Monday .`), `U.S.`, `Mr.`, `O'Neill`, `Jean-Luc`, `1,000` and
 * `3.5` whole, possessives and contractions split (`Germany 's`, `do n't`). See
 * sentences.ts for where sentences end.
 *
 * @example
 * import { tokenize } from 'ner-window';
 * const { sentences } = tokenize('Mr. Smith went to the U.S. on Monday. He left.');
 * sentences.length;                          // 2
 * sentences[0].tokens.map((t) => t.text);    // ['Mr.', 'Smith', 'went', 'to', 'the', 'U.S.', 'on', 'Monday', '.']
 * sentences[1];                              // { start: 38, end: 46, tokens: [...] }
 */
export function tokenize(text: string): Document {
  if (typeof text !== 'string') throw new TypeError(`tokenize expects a string, got ${typeof text}`);
  const sentences: Sentence[] = [];
  let lineStart = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    if (i === n || isLineBreakCode(text.charCodeAt(i))) {
      if (i > lineStart) tokenizeLine(text, lineStart, i, sentences);
      lineStart = i + 1;
    }
  }
  return { text, sentences };
}

function tokenizeLine(text: string, start: number, end: number, sentences: Sentence[]): void {
  const raw: Piece[] = [];
  winkPieces(text, start, end, raw);
  if (raw.length === 0) return;
  const pieces = conllStylePieces(text, raw);
  let from = 0;
  for (const to of sentenceEnds(text, pieces)) {
    const tokens: Token[] = new Array(to - from);
    for (let k = from; k < to; k++) {
      const p = pieces[k];
      tokens[k - from] = { text: text.slice(p.start, p.end), start: p.start, end: p.end };
    }
    sentences.push({ tokens, start: tokens[0].start, end: tokens[tokens.length - 1].end });
    from = to;
  }
}
