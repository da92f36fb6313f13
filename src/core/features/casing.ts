/**
 * Casing classes of a token. The word vectors are lowercased, so capitalisation (the
 * strongest single cue for names in English) must come in as its own small feature.
 * Id 0 is reserved for the padding beyond the sentence edges.
 */
export const CASING_CLASSES = [
  'PAD',
  'lower', // berlin
  'upper', // EU, NATO
  'title', // Berlin
  'mixed', // McDonald, iPhone
  'numeric', // 1996, 3.5
  'has-digit', // F-16, 1990s
  'punct', // , . ( "
  'other', // symbols, non-Latin scripts
] as const;

export type CasingClass = (typeof CASING_CLASSES)[number];

const ID: Record<string, number> = Object.fromEntries(CASING_CLASSES.map((c, i) => [c, i]));

/**
 * The casing class id of a word (an index into CASING_CLASSES, never 0).
 *
 * @example
 * CASING_CLASSES[casingId('Berlin')]; // 'title'
 */
export function casingId(word: string): number {
  let upper = 0;
  let lower = 0;
  let digit = 0;
  let letters = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) digit++;
    else if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c > 127) {
      const ch = word[i];
      const lo = ch.toLowerCase();
      const up = ch.toUpperCase();
      if (lo !== up) {
        if (ch === up) upper++;
        else lower++;
      }
    }
  }
  letters = upper + lower;
  if (digit > 0) return letters === 0 && /^[0-9.,:\-/]+$/.test(word) ? ID.numeric : ID['has-digit'];
  if (letters === 0) return /^[\p{P}\p{S}]+$/u.test(word) ? ID.punct : ID.other;
  if (upper === 0) return ID.lower;
  if (lower === 0) return ID.upper;
  const first = word[0];
  if (first === first.toUpperCase() && first !== first.toLowerCase() && upper === 1) return ID.title;
  return ID.mixed;
}
