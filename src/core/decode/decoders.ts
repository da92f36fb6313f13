import { transitionMask, type ModelScheme, type TransitionMask } from './transitions.js';

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
  const trans = transitionTable(mask, transitionScores);
  const NEG = -Infinity;
  let score = new Float64Array(T);
  let next = new Float64Array(T);
  const back = new Int32Array(n * T);
  for (let c = 0; c < T; c++) score[c] = start[c] ? Math.log(probs[c] + 1e-12) + bias[c] : NEG;
  for (let i = 1; i < n; i++) {
    for (let c = 0; c < T; c++) {
      let best = NEG;
      let arg = 0;
      for (let p = 0; p < T; p++) {
        // Disallowed transitions are -Infinity, so they are never the best.
        const s = score[p] + trans[p * T + c];
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      next[c] = best + Math.log(probs[i * T + c] + 1e-12) + bias[c];
      back[i * T + c] = arg;
    }
    [score, next] = [next, score];
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

const tables = new WeakMap<TransitionMask, WeakMap<object, Float64Array>>();

/**
 * `table[p * T + c]`: the transition score (0 without scores) where the transition is
 * allowed, -Infinity where not. One branch-free table instead of a mask and an optional
 * array looked up in the innermost loop; built once per mask and scores.
 */
function transitionTable(mask: TransitionMask, transitionScores: Float32Array | undefined): Float64Array {
  let byScores = tables.get(mask);
  if (!byScores) tables.set(mask, (byScores = new WeakMap()));
  const key = transitionScores ?? mask;
  let table = byScores.get(key);
  if (!table) {
    table = Float64Array.from(mask.allowed, (a, i) => (a ? (transitionScores ? transitionScores[i] : 0) : -Infinity));
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
