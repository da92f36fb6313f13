/**
 * Where entities start and end in a tag sequence: the rules of the CoNLL evaluation script
 * (conlleval.pl, version 2004-01-26, `startOfChunk` and `endOfChunk`).
 *
 * Decoding (`tagsToSpans`), scheme conversion and scoring all use these two functions, so
 * that they agree with each other and with conlleval on ill-formed input such as
 * `O I-PER` (an entity starting with I-) or `B-PER I-LOC` (two entities).
 *
 * On B/I/O tags (IOB1, IOB2) the rules are exactly conlleval's. conlleval's E rules were
 * written for the IOE chunk representations and it has no S rules, so on BIOES it would
 * merge `E-PER B-PER` or `S-PER S-PER` into one entity; for E and S we follow the BIOES
 * extension of the same functions used by conlleval's ports (e.g. seqeval): a chunk always
 * ends after E or S and always starts at B or S. None of the added rules fires on B/I/O tags.
 */
import type { ParsedTag } from './tag.js';

/**
 * Whether an entity ends between the token tagged `prev` and the one tagged `tag`
 * (use `{ prefix: 'O', type: '' }` before the first token and after the last).
 *
 * @example
 * endOfChunk({ prefix: 'B', type: 'PER' }, { prefix: 'I', type: 'LOC' }); // true: type changed
 * endOfChunk({ prefix: 'B', type: 'PER' }, { prefix: 'I', type: 'PER' }); // false
 */
export function endOfChunk(prev: ParsedTag, tag: ParsedTag): boolean {
  const p = prev.prefix;
  const t = tag.prefix;
  if (p === 'O') return false;
  if (p === 'E' || p === 'S') return true;
  // p is B or I here.
  if (t === 'B' || t === 'O' || t === 'S') return true;
  return prev.type !== tag.type;
}

/**
 * Whether an entity starts at the token tagged `tag`, the one before being tagged `prev`.
 *
 * @example
 * startOfChunk({ prefix: 'O', type: '' }, { prefix: 'I', type: 'PER' });    // true: IOB1-style start
 * startOfChunk({ prefix: 'I', type: 'PER' }, { prefix: 'I', type: 'PER' }); // false
 */
export function startOfChunk(prev: ParsedTag, tag: ParsedTag): boolean {
  const p = prev.prefix;
  const t = tag.prefix;
  if (t === 'O') return false;
  if (t === 'B' || t === 'S') return true;
  // t is I or E here.
  if (p === 'O' || p === 'E' || p === 'S') return true;
  return prev.type !== tag.type;
}
