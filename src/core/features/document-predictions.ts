import { normalizeWord } from './normalize.js';

/** Keys of the `docpred` feature besides the entity types: all others O, no majority, nothing known. */
export const FIRST_STAGE_KEYS = ['O', 'mixed', 'none'] as const;

/** The key every token has when there are no first-stage tags (pass 1, or a document trained without them). */
export const NO_FIRST_STAGE = 'none';

/**
 * What a first pass of the tagger said about each token's word elsewhere in its document: the
 * non-local evidence of two-stage NER (Krishnan and Manning 2006). A window cannot see that
 * the `Leeds` it is reading was `Leeds United` (ORG) three sentences earlier; the document can.
 *
 * A token's key is the majority entity type (`PER`, `ORG`, ...; `O` when they were not
 * entities) of the other occurrences of its normalised word where it differs from the
 * token's own first-stage type, `mixed` when no type has more than half of them, and `none`
 * when there is nothing new to say: the others agree with the token, there is no other
 * occurrence, the token is lower-case, or the first stage never put the word in an entity in
 * this document. Most tokens are `none`: that keeps the second pass, which re-runs only
 * windows with some key, cheap (on CoNLL test about 2% of tokens get a key).
 * Only occurrences that do not start lower-case count, so `us` does not speak for `US`.
 *
 * @example
 * documentPredictionKeys([['Leeds', 'United', 'won'], ['Leeds', 'lost']], [['B-ORG', 'I-ORG', 'O'], ['B-LOC', 'O']]);
 * // [['LOC', 'none', 'none'], ['ORG', 'none']]
 */
export function documentPredictionKeys(
  sentences: readonly (readonly string[])[],
  tags: readonly (readonly string[])[],
  /** What makes two words the same: by default the normalised word; any function that groups words alike (a vocabulary id). */
  identity: (word: string, sentence: number, token: number) => string | number = normalizeWord,
): string[][] {
  if (sentences.length !== tags.length) throw new Error('one tag list per sentence');
  // Per normalised word: how often each type was predicted for it, and whether one was an entity.
  const counts = new Map<string | number, { types: Map<string, number>; entity: boolean }>();
  const typeOf = (tag: string) => (tag === 'O' ? 'O' : tag.slice(2));
  // Each token's normalised word, or null when it takes no part (normalised once: most of the cost).
  const keys = sentences.map((words, s) => words.map((word, i) => (takesPart(word) ? identity(word, s, i) : null)));
  sentences.forEach((words, s) => {
    if (words.length !== tags[s].length) throw new Error('one tag per token');
    words.forEach((_word, i) => {
      const key = keys[s][i];
      if (key === null) return;
      let entry = counts.get(key);
      if (!entry) counts.set(key, (entry = { types: new Map(), entity: false }));
      const type = typeOf(tags[s][i]);
      entry.types.set(type, (entry.types.get(type) ?? 0) + 1);
      if (type !== 'O') entry.entity = true;
    });
  });
  return keys.map((sentence, s) =>
    sentence.map((key, i) => {
      if (key === null) return NO_FIRST_STAGE;
      const entry = counts.get(key)!;
      if (!entry.entity) return NO_FIRST_STAGE;
      const own = typeOf(tags[s][i]);
      let others = 0;
      let best = '';
      let bestCount = 0;
      for (const [type, n] of entry.types) {
        const c = type === own ? n - 1 : n;
        others += c;
        if (c > bestCount) {
          best = type;
          bestCount = c;
        }
      }
      if (others === 0) return NO_FIRST_STAGE;
      if (2 * bestCount <= others) return 'mixed';
      // The others agree with this token: nothing new, and the second pass need not run its windows.
      return best === own ? NO_FIRST_STAGE : best;
    }),
  );
}

/** Whether a token's word takes part: it does not start lower-case (entities are written so). */
function takesPart(word: string): boolean {
  const first = word[0];
  return first !== undefined && first === first.toUpperCase();
}
