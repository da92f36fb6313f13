/**
 * Document consistency at decoding: a name is usually the same kind of entity each time a
 * document uses it ("Lazio" is an ORG in every sentence of a football report), but a window
 * of five tokens sees one occurrence at a time and may call it LOC in one sentence and ORG in
 * the next. Before decoding, each occurrence's class distribution (O, or an entity type) is
 * pooled with those of all the occurrences of the same word in its document, a logarithmic
 * opinion pool (Krishnan & Manning 2006 use the same evidence as a second-stage feature; here
 * it costs no training):
 *
 *   log q'_i(c) = (1 - w) log q_i(c) + w * mean_j log q_j(c) + const,   c in {O, PER, LOC, ...}
 *
 * where q_i(X) is the summed probability of occurrence i's tags of type X (B-X and I-X, or
 * B/I/E/S), shared out again between those tags as occurrence i had them (its B/I split
 * stays its own). Occurrences are capitalised tokens longer than one character, grouped by
 * their lowercased text (lowercase words are rarely names; case-exact keys did slightly worse
 * on CoNLL-2003 valid); a word used once is left as it is.
 *
 * Why geometric, not the plain average (1 - w) q_i + w mean q (issue 16, the bundled default,
 * CoNLL-2003 valid / test F1, test entity-score ECE after refitting the temperature on valid):
 * without, 93.72 / 89.79, ECE 0.0178; the average at w = 0.7, 94.27 / 90.20 but ECE 0.028, its
 * averaged distributions too flat where the occurrences agree (entities scored 0.6-0.8 were
 * right 80-85% of the time), at any temperature; the pool at w = 0.5, 94.14 / 90.14, ECE 0.0174.
 */
import type { Document } from '../document/document.js';
import { parseTag } from '../tags/tag.js';

/** The weights training tries on dev (`--consistency auto`); 0, none, is always a candidate. */
export const CONSISTENCY_WEIGHTS = [0.25, 0.4, 0.5, 0.6, 0.75] as const;

/**
 * Least dev F1 (points) a consistency weight must gain over none to be kept: smaller gains
 * are noise (see MIN_BIAS_GAIN). On CoNLL-2003 valid the bundled default gains 0.3 to 0.45.
 */
export const MIN_CONSISTENCY_GAIN = 0.1;

/** Each tag's entity type as an index (0..types-1), -1 for O, for a model's tag list. */
interface TagTypes {
  typeOf: Int32Array;
  types: number;
}

const tagTypesCache = new WeakMap<readonly string[], TagTypes>();

function tagTypes(tags: readonly string[]): TagTypes {
  let cached = tagTypesCache.get(tags);
  if (!cached) {
    const names = new Map<string, number>();
    const typeOf = Int32Array.from(tags, (tag) => {
      const { prefix, type } = parseTag(tag);
      if (prefix === 'O') return -1;
      if (!names.has(type)) names.set(type, names.size);
      return names.get(type)!;
    });
    cached = { typeOf, types: names.size };
    tagTypesCache.set(tags, cached);
  }
  return cached;
}

/** Does the token count as a possible name's occurrence: capitalised and longer than one character. */
function isOccurrence(text: string): boolean {
  if (text.length < 2) return false;
  const c = text.charCodeAt(0);
  if (c >= 65 && c <= 90) return true; // A-Z, the common case without a regular expression
  if (c < 128) return false;
  return /^\p{Lu}/u.test(text);
}

/**
 * The probabilities of the documents' tokens (rows of `tags.length`, in document order, as
 * `probs`) with each repeated word's class distribution pooled with its other occurrences in
 * the document at `weight` (0..1). Returns `probs` itself when nothing changes (weight 0, or no
 * word repeated), else a new array: `probs` is never written to.
 *
 * @example
 * const mixed = mixDocumentConsistency(documents, probs, model.config.tags, 0.7);
 */
export function mixDocumentConsistency(documents: readonly Document[], probs: Float32Array, tags: readonly string[], weight: number): Float32Array {
  if (weight === 0) return probs;
  const T = tags.length;
  const { typeOf, types } = tagTypes(tags);
  let out: Float32Array | null = null;
  let t = 0;
  for (const doc of documents) {
    // Token positions (into probs rows) of each capitalised word, by its lowercased text.
    const groups = new Map<string, number[]>();
    for (const sentence of doc.sentences) {
      for (const token of sentence.tokens) {
        if (isOccurrence(token.text)) {
          const key = token.text.toLowerCase();
          const group = groups.get(key);
          if (group) group.push(t);
          else groups.set(key, [t]);
        }
        t++;
      }
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      out ??= probs.slice();
      mixGroup(out, probs, group, T, typeOf, types, weight);
    }
  }
  return out ?? probs;
}

/** Probabilities below this count as it in the pool's logarithms: one occurrence sure a class is impossible does not veto it for all. */
const LOG_FLOOR = 1e-4;

/** Pools the rows of one word's occurrences (read from `probs`, written to `out`). */
function mixGroup(out: Float32Array, probs: Float32Array, rows: readonly number[], T: number, typeOf: Int32Array, types: number, weight: number): void {
  // Classes 0..types-1 the entity types, `types` the O tag(s).
  const K = types + 1;
  const classOf = (k: number) => (typeOf[k] < 0 ? types : typeOf[k]);
  const mass = new Float64Array(rows.length * K);
  const meanTag = new Float64Array(T);
  rows.forEach((r, j) => {
    for (let k = 0; k < T; k++) {
      mass[j * K + classOf(k)] += probs[r * T + k];
      meanTag[k] += probs[r * T + k] / rows.length;
    }
  });
  const meanLog = new Float64Array(K);
  for (let j = 0; j < rows.length; j++) for (let c = 0; c < K; c++) meanLog[c] += Math.log(Math.max(LOG_FLOOR, mass[j * K + c])) / rows.length;
  const meanClass = new Float64Array(K);
  for (let k = 0; k < T; k++) meanClass[classOf(k)] += meanTag[k];
  const pooled = new Float64Array(K);
  rows.forEach((r, j) => {
    let z = 0;
    for (let c = 0; c < K; c++) {
      pooled[c] = Math.exp((1 - weight) * Math.log(Math.max(LOG_FLOOR, mass[j * K + c])) + weight * meanLog[c]);
      z += pooled[c];
    }
    const at = r * T;
    for (let k = 0; k < T; k++) {
      const c = classOf(k);
      const own = mass[j * K + c];
      // The class's mass shared out between its tags as this occurrence had it, or as the group had it where this one had none.
      const share = own > 0 ? probs[at + k] / own : meanClass[c] > 0 ? meanTag[k] / meanClass[c] : 0;
      out[at + k] = (pooled[c] / z) * share;
    }
  });
}
