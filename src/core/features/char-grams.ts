/**
 * The `chars` feature's keys: the character 3-grams of `<` + normalised word + `>` (a bag, as
 * fastText's subwords), each with its own learned row; the token's vector is the mean of its
 * 3-grams' rows (EmbeddingTables). 3-grams only: with the boundary marks they already hold the
 * 2-character prefix and suffix (`<pa`, `is>`), a word has exactly as many as it has
 * characters (so few id columns serve), and their vocabulary stays small (2- and 4-grams would
 * double the columns and the rows for little the affix features do not already carry).
 */
export const CHAR_GRAM_SIZE = 3;

/**
 * Id columns the `chars` feature takes per token: a word of up to this many characters keeps
 * all its 3-grams (99.35% of CoNLL-2003 train's tokens, 96.9% of its distinct words); a longer
 * one keeps its first and last CHAR_GRAM_COLUMNS / 2, which hold its prefix and suffix. Unused
 * columns hold PAD_ID, which the mean leaves out. Part of the model format: do not change.
 */
export const CHAR_GRAM_COLUMNS = 12;

/**
 * The 3-grams of `normalized` the feature uses, at most CHAR_GRAM_COLUMNS (see there).
 *
 * @example
 * charGrams('paris'); // ['<pa', 'par', 'ari', 'ris', 'is>']
 */
export function charGrams(normalized: string): string[] {
  const chars = ['<', ...normalized, '>'];
  const all: string[] = [];
  for (let i = 0; i + CHAR_GRAM_SIZE <= chars.length; i++) all.push(chars.slice(i, i + CHAR_GRAM_SIZE).join(''));
  if (all.length <= CHAR_GRAM_COLUMNS) return all;
  const half = CHAR_GRAM_COLUMNS / 2;
  return [...all.slice(0, half), ...all.slice(all.length - half)];
}
