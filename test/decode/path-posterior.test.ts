/**
 * The decoder's sequence model against its definition, by enumerating every tag sequence of
 * short sentences: P_T(y) ∝ exp((Σ (log p_i(y_i) + b(y_i)) + Σ s(y_i-1, y_i)) / T) over allowed
 * sequences, b the entity bias on every tag but O.
 */
import { describe, expect, it } from 'vitest';
import { decodeViterbi } from '../../src/core/decode/decoders.js';
import { TagChain } from '../../src/core/decode/path-posterior.js';
import { fitTemperature, goldNll } from '../../src/core/decode/temperature.js';
import { allowedTransition, type ModelScheme } from '../../src/core/decode/transitions.js';
import { Random } from '../../src/core/util/random.js';

function mulberry32(seed: number): () => number {
  const rng = new Random(seed);
  return () => rng.next();
}

const IOB2 = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
const BIOES = ['O', 'B-PER', 'I-PER', 'E-PER', 'S-PER'];

/** Random tag probabilities [n, T], rows summing to 1, some rows peaked. */
function randomProbs(n: number, T: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const p = new Float32Array(n * T);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < T; c++) sum += p[i * T + c] = Math.pow(rng(), 3);
    for (let c = 0; c < T; c++) p[i * T + c] /= sum;
  }
  return p;
}

function randomTransitions(T: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: T * T }, () => -3 * rng());
}

/** Every allowed sequence with its unnormalised weight. */
function enumerate(probs: Float32Array, n: number, tags: string[], scheme: ModelScheme, trans: Float32Array | undefined, temperature: number, bias = 0): { path: number[]; weight: number }[] {
  const T = tags.length;
  const out: { path: number[]; weight: number }[] = [];
  const walk = (path: number[]) => {
    if (path.length === n) {
      if (!allowedTransition(tags[path[n - 1]], null, scheme)) return;
      let score = 0;
      path.forEach((c, i) => {
        score += Math.log(probs[i * T + c] + 1e-12) + (tags[c] === 'O' ? 0 : bias);
        if (i > 0 && trans) score += trans[path[i - 1] * T + c];
      });
      out.push({ path: [...path], weight: Math.exp(score / temperature) });
      return;
    }
    for (let c = 0; c < T; c++) {
      const prev = path.length === 0 ? null : tags[path[path.length - 1]];
      if (allowedTransition(prev, tags[c], scheme)) walk([...path, c]);
    }
  };
  walk([]);
  return out;
}

const CASES: { name: string; tags: string[]; scheme: ModelScheme; withTransitions: boolean; temperature: number; bias?: number }[] = [
  { name: 'IOB2, no transition scores, T = 1', tags: IOB2, scheme: 'IOB2', withTransitions: false, temperature: 1 },
  { name: 'IOB2, transition scores, T = 1.7', tags: IOB2, scheme: 'IOB2', withTransitions: true, temperature: 1.7 },
  { name: 'IOB2, transition scores, T = 0.3', tags: IOB2, scheme: 'IOB2', withTransitions: true, temperature: 0.3 },
  { name: 'BIOES, transition scores, T = 1.2', tags: BIOES, scheme: 'BIOES', withTransitions: true, temperature: 1.2 },
  { name: 'IOB2, transition scores, T = 1.4, entity bias 0.8', tags: IOB2, scheme: 'IOB2', withTransitions: true, temperature: 1.4, bias: 0.8 },
  { name: 'BIOES, no transition scores, T = 1, entity bias 1.5', tags: BIOES, scheme: 'BIOES', withTransitions: false, temperature: 1, bias: 1.5 },
];

describe('TagChain: forward-backward equals the enumeration of all sequences', () => {
  for (const { name, tags, scheme, withTransitions, temperature, bias = 0 } of CASES) {
    it(name, () => {
      const T = tags.length;
      const n = 5;
      for (let seed = 1; seed <= 3; seed++) {
        const probs = randomProbs(n, T, seed);
        const trans = withTransitions ? randomTransitions(T, seed + 10) : undefined;
        const all = enumerate(probs, n, tags, scheme, trans, temperature, bias);
        const Z = all.reduce((s, x) => s + x.weight, 0);
        const chain = new TagChain(tags, scheme, trans, temperature, bias);
        const posterior = chain.posterior(probs, n);
        // Token marginals.
        for (let i = 0; i < n; i++) {
          for (let c = 0; c < T; c++) {
            const want = all.filter((x) => x.path[i] === c).reduce((s, x) => s + x.weight, 0) / Z;
            expect(posterior.tagProbability(i, c)).toBeCloseTo(want, 9);
          }
        }
        // The likelihood of a few sequences, and of the best one.
        const best = Array.from(decodeViterbi(probs, n, tags, scheme, trans, bias));
        expect(all.reduce((a, b) => (b.weight > a.weight ? b : a)).path).toEqual(best);
        for (const { path, weight } of [...all.slice(0, 5), all.find((x) => x.path.join() === best.join())!]) {
          expect(chain.logLikelihood(probs, n, path)).toBeCloseTo(Math.log(weight / Z), 9);
        }
        // The probability of exactly each entity of the best path: its tags, and no continuation after it.
        for (let start = 0; start < n; start++) {
          if (!/^[BS]-/.test(tags[best[start]])) continue;
          let end = start + 1;
          while (end < n && /^[IE]-/.test(tags[best[end]]) && tags[best[end]].slice(2) === tags[best[start]].slice(2) && !/^[ES]-/.test(tags[best[end - 1]])) end++;
          const type = tags[best[start]].slice(2);
          const want = all.filter((x) => {
            for (let i = start; i < end; i++) if (x.path[i] !== best[i]) return false;
            return end === n || !(/^[IE]-/.test(tags[x.path[end]]) && tags[x.path[end]].slice(2) === type);
          }).reduce((s, x) => s + x.weight, 0) / Z;
          expect(posterior.spanProbability(best, start, end)).toBeCloseTo(want, 9);
        }
        // A forbidden sequence has no likelihood.
        if (scheme === 'IOB2') expect(chain.logLikelihood(probs, n, [2, 0, 0, 0, 0])).toBe(-Infinity);
      }
    });
  }

  it('leaves the most probable sequence where it is at every temperature', () => {
    const tags = IOB2;
    const probs = randomProbs(6, tags.length, 7);
    const trans = randomTransitions(tags.length, 8);
    for (const temperature of [0.2, 1, 3]) {
      const all = enumerate(probs, 6, tags, 'IOB2', trans, temperature);
      const top = all.reduce((a, b) => (b.weight > a.weight ? b : a));
      expect(top.path).toEqual(Array.from(decodeViterbi(probs, 6, tags, 'IOB2', trans)));
    }
  });
});

describe('fitTemperature', () => {
  it('finds the minimum of the gold NLL that a fine grid finds, deterministically', () => {
    const tags = IOB2;
    const T = tags.length;
    const trans = randomTransitions(T, 3);
    // Overconfident probabilities: the gold tag is the peak only part of the time.
    const rng = mulberry32(42);
    const sequences = Array.from({ length: 40 }, (_, k) => {
      const n = 4;
      const probs = randomProbs(n, T, 100 + k);
      const gold = Array.from(decodeViterbi(probs, n, tags, 'IOB2', trans));
      if (rng() < 0.4) gold[0] = 0; // O is always allowed first, and before B-/O
      if (gold[1] === 2 || gold[1] === 4) gold[0] = gold[1] - 1;
      return { probs, n, gold };
    });
    const chainAt = (t: number) => new TagChain(tags, 'IOB2', trans, t);
    const fit = fitTemperature(sequences, chainAt);
    let bestT = 1;
    let bestNll = Infinity;
    for (let t = 0.05; t <= 20; t *= 1.001) {
      const nll = goldNll(sequences, chainAt(t));
      if (nll < bestNll) [bestT, bestNll] = [t, nll];
    }
    expect(Math.abs(Math.log(fit.temperature / bestT))).toBeLessThan(2e-3);
    expect(fit.nll).toBeLessThanOrEqual(fit.nllAtOne);
    expect(fit.nll).toBeCloseTo(bestNll, 6);
    expect(fit).toEqual(fitTemperature(sequences, chainAt));
    expect(fit.sentences).toBe(40);
    expect(fit.tokens).toBe(160);
  });

  it('gives T = 1 with nothing to fit on', () => {
    expect(fitTemperature([], (t) => new TagChain(IOB2, 'IOB2', undefined, t)).temperature).toBe(1);
  });
});

describe('TagChain.reusedPosterior', () => {
  it('equals posterior sentence after sentence, as its working arrays grow and are reused', () => {
    for (const { tags, scheme } of [{ tags: IOB2, scheme: 'IOB2' as const }, { tags: BIOES, scheme: 'BIOES' as const }]) {
      const T = tags.length;
      const trans = randomTransitions(T, 7);
      const chain = new TagChain(tags, scheme, trans, 0.8, 0.5);
      // Long after short after long: rows left over from a longer sentence must not leak into a shorter one.
      for (const [k, n] of [3, 200, 1, 7, 150, 2].entries()) {
        const probs = randomProbs(n, T, 50 + k);
        const fresh = chain.posterior(probs, n);
        const reused = chain.reusedPosterior(probs, n);
        const path = decodeViterbi(probs, n, tags, scheme, trans, 0.5);
        for (let i = 0; i < n; i++) for (let c = 0; c < T; c++) expect(reused.tagProbability(i, c)).toBe(fresh.tagProbability(i, c));
        for (let start = 0; start < n; start++) for (let end = start + 1; end <= Math.min(n, start + 3); end++) {
          expect(reused.spanProbability(path, start, end)).toBe(fresh.spanProbability(path, start, end));
        }
      }
    }
  });
});
