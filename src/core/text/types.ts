/**
 * Tokens and sentences of raw text. `start`/`end` are character offsets into the original
 * string as JavaScript indexes it (UTF-16 code units), `end` exclusive, so that
 * `text.slice(token.start, token.end) === token.text` always holds.
 *
 * @example
 * import { tokenize } from 'ner-window';
 * const [sentence] = tokenize('Hello world.');
 * sentence.tokens.map((t) => t.text); // ['Hello', 'world', '.']
 */

/** A token: its text and its character range in the original string. */
export interface TextToken {
  text: string;
  start: number;
  end: number;
}

/**
 * A sentence: the character range from its first token's start to its last token's end,
 * and its tokens in order. A sentence always holds at least one token.
 */
export interface TextSentence {
  start: number;
  end: number;
  tokens: TextToken[];
}
