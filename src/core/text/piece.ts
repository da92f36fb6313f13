/**
 * The tokenizer's working unit before it becomes a document Token: a character range
 * and what kind of thing it is. Kept apart from the public types because only the
 * tokenizer's passes need the kind.
 *
 * @example
 * const piece: Piece = { start: 0, end: 5, kind: 'word' };
 */

/**
 * - `word`: letters, digits and the words wink finds (numbers, ordinals, `'s`, `n't`);
 *   these may be glued to their neighbours (`Jean` `-` `Luc`).
 * - `punct`: one punctuation mark or symbol (or a run of dots or dashes once merged).
 * - `url`: a web address; its trailing punctuation is split off.
 * - `atom`: an e-mail address, emoji, @mention or #hashtag: never merged or split.
 */
export type PieceKind = 'word' | 'punct' | 'url' | 'atom';

/** A range `[start, end)` of the original string (UTF-16 code units, end exclusive). */
export interface Piece {
  start: number;
  end: number;
  kind: PieceKind;
}

/** `text[piece]` is exactly the one code unit `code`. */
export function isChar(text: string, piece: Piece, code: number): boolean {
  return piece.end - piece.start === 1 && text.charCodeAt(piece.start) === code;
}
