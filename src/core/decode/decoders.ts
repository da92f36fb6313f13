import { transitionLists, transitionMask, type ModelScheme, type TransitionMask } from './transitions.js';

/** How per-token tag probabilities become a tag sequence. */
export const DECODERS = ['greedy', 'viterbi'] as const;
export type DecoderName = (typeof DECODERS)[number];

/**
 * The entity biases training tries (with each transition weight), the best on dev is kept:
 * up to exp(3) = 20 times an entity tag's probability against O's.
 */
export const ENTITY_BIASES = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3] as const;

/**
 * Log-scale score added to every tag but `O` (see ModelConfig.entityBias): `bias[t]` is
 * `entityBias` for an entity tag, 0 for `O`. A bias > 0 trades precision for recall.
 */
export function entityBiasVector(tags: readonly string[], entityBias: number): Float64Array {
  return Float64Array.from(tags, (t) => (t === 'O' ? 0 : entityBias));
}

// A model decodes every sentence with one tag list and bias: its vector is made once, not per sentence.
const biasVectors = new WeakMap<readonly string[], Map<number, Float64Array>>();

/** entityBiasVector, cached per tag list and bias (callers must not write to it). */
function cachedBiasVector(tags: readonly string[], entityBias: number): Float64Array {
  let byBias = biasVectors.get(tags);
  if (!byBias) biasVectors.set(tags, (byBias = new Map()));
  let vector = byBias.get(entityBias);
  if (!vector) byBias.set(entityBias, (vector = entityBiasVector(tags, entityBias)));
  return vector;
}

/**
 * Best tag per token (its probability times exp(entityBias) for any tag but `O`), then repaired so the sequence is well formed: an `I-X` that does not
 * continue an `X` entity becomes `B-X` (`E-X` becomes `S-X` in BIOES). This is exactly how
 * the CoNLL evaluation script reads such a tag, so decoding and scoring agree.
 * `probs` is `[n, T]` row-major; returns tag indices.
 */
export function decodeGreedy(probs: Float32Array, n: number, tags: readonly string[], entityBias = 0): Int32Array {
  const T = tags.length;
  const out = new Int32Array(n);
  // exp(0) is exactly 1: without a bias the products are the probabilities themselves.
  const factor = entityBiasVector(tags, entityBias).map(Math.exp);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let t = 1; t < T; t++) if (probs[i * T + t] * factor[t] > probs[i * T + best] * factor[best]) best = t;
    out[i] = best;
  }
  return repair(out, tags);
}

function repair(path: Int32Array, tags: readonly string[]): Int32Array {
  const index = new Map(tags.map((t, i) => [t, i]));
  const out = Int32Array.from(path);
  for (let i = 0; i < out.length; i++) {
    const tag = tags[out[i]];
    const prefix = tag[0];
    if (prefix !== 'I' && prefix !== 'E') continue;
    const type = tag.slice(2);
    const prev = i > 0 ? tags[out[i - 1]] : 'O';
    const continues = (prev[0] === 'B' || prev[0] === 'I') && prev.slice(2) === type;
    if (!continues) {
      const fix = index.get(`${prefix === 'I' ? 'B' : 'S'}-${type}`);
      if (fix !== undefined) out[i] = fix;
    }
  }
  return out;
}

/**
 * The most probable tag sequence whose transitions are all allowed by the scheme
 * (Viterbi over log probabilities), optionally adding `transitionScores[p * T + c]`
 * (log-scale) learned from training data, and `entityBias` to every tag but `O`.
 */
export function decodeViterbi(
  probs: Float32Array,
  n: number,
  tags: readonly string[],
  scheme: ModelScheme,
  transitionScores?: Float32Array,
  entityBias = 0,
): Int32Array {
  const T = tags.length;
  const out = new Int32Array(n);
  if (n === 0) return out;
  const bias = cachedBiasVector(tags, entityBias);
  const mask = transitionMask(tags, scheme);
  const { start, end } = mask;
  const { from, fromStart, score: trans } = transitionTable(mask, transitionScores);
  const NEG = -Infinity;
  const { back, score: first, next: second } = viterbiScratch(n, T);
  let score = first;
  let next = second;
  for (let c = 0; c < T; c++) score[c] = start[c] ? Math.log(probs[c] + 1e-12) + bias[c] : NEG;
  for (let i = 1, row = T; i < n; i++, row += T) {
    for (let c = 0; c < T; c++) {
      let best = NEG;
      let arg = 0;
      // Only the tags allowed before c (an I-X follows B-X or I-X alone): 53 of IOB2's 81 pairs with 4 types.
      for (let k = fromStart[c], stop = fromStart[c + 1]; k < stop; k++) {
        const s = score[from[k]] + trans[k];
        if (s > best) {
          best = s;
          arg = from[k];
        }
      }
      next[c] = best + Math.log(probs[row + c] + 1e-12) + bias[c];
      back[row + c] = arg;
    }
    const swap = score;
    score = next;
    next = swap;
  }
  let last = 0;
  let bestEnd = NEG;
  for (let c = 0; c < T; c++) {
    if (end[c] && score[c] > bestEnd) {
      bestEnd = score[c];
      last = c;
    }
  }
  out[n - 1] = last;
  for (let i = n - 1; i > 0; i--) out[i - 1] = back[i * T + out[i]];
  return out;
}

/** Viterbi's working arrays, kept between sentences (only the path it returns is new): fewer allocations per sentence. */
let scratch = { back: new Int32Array(0), score: new Float64Array(0), next: new Float64Array(0) };

function viterbiScratch(n: number, T: number): typeof scratch {
  if (scratch.back.length < n * T || scratch.score.length !== T) {
    scratch = { back: new Int32Array(Math.max(n, 256) * T), score: new Float64Array(T), next: new Float64Array(T) };
  }
  return scratch;
}

/**
 * The allowed transitions into each tag c (transitionLists): `from[fromStart[c] .. fromStart[c + 1]]`
 * the tags that may precede c, and `score[k]` the transition score of each (0 without
 * scores). Built once per mask and scores.
 */
interface ScoredTransitions {
  from: Int32Array;
  fromStart: Int32Array;
  score: Float64Array;
}

const tables = new WeakMap<TransitionMask, WeakMap<object, ScoredTransitions>>();

function transitionTable(mask: TransitionMask, transitionScores: Float32Array | undefined): ScoredTransitions {
  let byScores = tables.get(mask);
  if (!byScores) tables.set(mask, (byScores = new WeakMap()));
  const key = transitionScores ?? mask;
  let table = byScores.get(key);
  if (!table) {
    const { start, tag, at } = transitionLists(mask).into;
    table = { from: tag, fromStart: start, score: Float64Array.from(at, (pair) => (transitionScores ? transitionScores[pair] : 0)) };
    byScores.set(key, table);
  }
  return table;
}

/** Decodes one sentence with the named decoder. */
export function decode(
  decoder: DecoderName,
  probs: Float32Array,
  n: number,
  tags: readonly string[],
  scheme: ModelScheme,
  transitionScores?: Float32Array,
  entityBias = 0,
): Int32Array {
  return decoder === 'viterbi' ? decodeViterbi(probs, n, tags, scheme, transitionScores, entityBias) : decodeGreedy(probs, n, tags, entityBias);
}
