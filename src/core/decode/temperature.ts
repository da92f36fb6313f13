/**
 * Temperature scaling (Guo et al. 2017) for the decoder's sequence model (path-posterior.ts):
 * one scalar T, fitted on held-out (dev) sentences by minimising the negative log-likelihood
 * of their gold tag sequences, so that the probabilities of tags and entities match how often
 * they are right. The likelihood of the gold tags is used rather than of entity correctness:
 * it counts every dev token (not only the few thousand predicted entities), it is the model's
 * own proper score, and it is exactly unimodal in T (below), so a 1-D search finds it.
 *
 * -log P_T(y) = -θ·s(y) + log Σ_y' exp(θ·s(y')) with θ = 1/T is convex in θ (a log-partition
 * function minus a linear term), so the dev NLL has one minimum along log T: golden-section
 * search on log T is deterministic and finds it to the tolerance.
 */
import type { TagChain } from './path-posterior.js';

/** One held-out sentence: its tag probabilities `[n, tags]` and its gold tag indices. */
export interface GoldSequence {
  probs: Float32Array;
  n: number;
  gold: ArrayLike<number>;
}

/** The fitted temperature and what it does to the dev NLL (mean per token, nats). */
export interface TemperatureFit {
  temperature: number;
  /** Mean NLL per token of the gold tags at the fitted temperature. */
  nll: number;
  /** The same at T = 1 (no calibration). */
  nllAtOne: number;
  /** Sentences and tokens the fit used. */
  sentences: number;
  tokens: number;
}

/** The range searched: far wider than any model needs, narrow enough for potentials to stay finite. */
export const TEMPERATURE_RANGE = [0.05, 20] as const;
/** Search tolerance in log T: T is found to about 0.01%, stored to 4 significant digits. */
const TOLERANCE = 1e-4;

/** A decoder's sequence model at a given temperature (WindowModel.tagChain). */
export type ChainAt = (temperature: number) => TagChain;

/**
 * The mean NLL per token of the gold sequences under the chain. Sequences
 * the scheme forbids have no likelihood and must be left out by the caller.
 */
export function goldNll(sequences: readonly GoldSequence[], chain: TagChain): number {
  let sum = 0;
  let tokens = 0;
  for (const s of sequences) {
    sum -= chain.logLikelihood(s.probs, s.n, s.gold);
    tokens += s.n;
  }
  return tokens === 0 ? 0 : sum / tokens;
}

/**
 * The temperature in TEMPERATURE_RANGE that minimises the dev NLL of the gold sequences,
 * rounded to 4 significant digits. With no sequences, T = 1.
 *
 * @example
 * fitTemperature([{ probs, n: 3, gold: [1, 5, 0] }], (t) => new TagChain(tags, 'IOB2', undefined, t)).temperature; // 1.47
 */
export function fitTemperature(sequences: readonly GoldSequence[], chainAt: ChainAt): TemperatureFit {
  const tokens = sequences.reduce((n, s) => n + s.n, 0);
  const nll = (t: number) => goldNll(sequences, chainAt(t));
  const nllAtOne = nll(1);
  if (tokens === 0) return { temperature: 1, nll: nllAtOne, nllAtOne, sentences: 0, tokens: 0 };
  const f = (u: number) => nll(Math.exp(u));
  const g = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(TEMPERATURE_RANGE[0]);
  let b = Math.log(TEMPERATURE_RANGE[1]);
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > TOLERANCE) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  const temperature = Number(Math.exp((a + b) / 2).toPrecision(4));
  return { temperature, nll: nll(temperature), nllAtOne, sentences: sequences.length, tokens };
}
