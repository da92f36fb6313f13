/**
 * The probability model behind the Viterbi decoder, made explicit so that scores are
 * probabilities: a tag sequence y of a sentence has
 *
 *   P_T(y) ∝ exp((Σ_i (log p_i(y_i) + b(y_i)) + Σ_i s(y_i-1, y_i)) / T)
 *
 * over the sequences the scheme allows, with p_i the network's tag probabilities, b the
 * entity bias Viterbi adds to every tag but O (0 without one), s the weighted transition
 * scores Viterbi adds (0 without them) and T the model's temperature
 * (fitted on dev: see temperature.ts). Dividing the whole path score by T never changes which
 * path is best, so decoding is the same at every T; only the probabilities of paths, tags and
 * entities are sharpened (T < 1) or softened (T > 1).
 *
 * Forward-backward in linear space with one scale per token (each token's potentials are also
 * divided by their largest, so nothing underflows at small T).
 */
import { entityBiasVector } from './decoders.js';
import { transitionLists, transitionMask, type ModelScheme, type TransitionMask } from './transitions.js';

/** Smallest probability taken from the network, as the Viterbi decoder takes it (log(p + 1e-12)). */
const FLOOR = 1e-12;

/**
 * The sequence model of one decoder setting (tags, scheme, weighted transition scores,
 * temperature): built once, then used for any number of sentences.
 *
 * @example
 * const chain = new TagChain(tags, 'IOB2', transitionScores, 1.3);
 * const posterior = chain.posterior(probs, n);
 * posterior.tagProbability(0, path[0]);
 */
export class TagChain {
  /** Number of tags. */
  readonly T: number;
  private readonly mask: TransitionMask;
  /** `psi[p * T + c]`: exp(s(p, c) / temperature) where the transition is allowed, else 0. */
  private readonly psi: Float64Array;
  /** Of each tag, the entity type that an `I-`/`E-` tag of it continues ('' for the others). */
  readonly continues: readonly string[];
  /** `factor[c]`: exp(entity bias of tag c), 1 for O (and for every tag without a bias). */
  private readonly factor: Float64Array;
  /** The allowed transitions as lists (transitionLists; only they carry mass): into each tag c, `fromTag[fromStart[c] .. fromStart[c + 1]]` with `fromPsi` their psi; out of each tag p, `toTag[toStart[p] ..]` with `toPsi`. */
  private readonly fromStart: Int32Array;
  private readonly fromTag: Int32Array;
  private readonly fromPsi: Float64Array;
  private readonly toStart: Int32Array;
  private readonly toTag: Int32Array;
  private readonly toPsi: Float64Array;
  /** The backward pass's row of one token, kept between sentences. */
  private readonly next: Float64Array;

  constructor(
    readonly tags: readonly string[],
    scheme: ModelScheme,
    transitionScores: Float32Array | undefined,
    readonly temperature = 1,
    entityBias = 0,
  ) {
    this.T = tags.length;
    this.next = new Float64Array(this.T);
    this.factor = entityBiasVector(tags, entityBias).map(Math.exp);
    this.mask = transitionMask(tags, scheme);
    this.psi = Float64Array.from(this.mask.allowed, (a, i) => (a ? Math.exp((transitionScores ? transitionScores[i] : 0) / temperature) : 0));
    const { into, out } = transitionLists(this.mask);
    [this.fromStart, this.fromTag, this.fromPsi] = [into.start, into.tag, Float64Array.from(into.at, (pair) => this.psi[pair])];
    [this.toStart, this.toTag, this.toPsi] = [out.start, out.tag, Float64Array.from(out.at, (pair) => this.psi[pair])];
    this.continues = tags.map((t) => (t[0] === 'I' || t[0] === 'E') && t[1] === '-' ? t.slice(2) : '');
  }

  /** `phi[i * T + c]` ∝ (p_i(c) exp(b(c)))^(1/temperature), each token's largest 1. */
  private potentials(probs: Float32Array, n: number, phi: Float64Array = new Float64Array(n * this.T)): Float64Array {
    const { T, factor } = this;
    const inv = 1 / this.temperature;
    for (let i = 0, row = 0; i < n; i++, row += T) {
      let max = 0;
      for (let c = 0; c < T; c++) {
        const x = (probs[row + c] + FLOOR) * factor[c];
        phi[row + c] = x;
        if (x > max) max = x;
      }
      // exp(log) is about twice as fast as Math.pow with a fractional exponent; T = 1 needs neither.
      if (inv === 1) for (let c = 0; c < T; c++) phi[row + c] /= max;
      else for (let c = 0; c < T; c++) phi[row + c] = Math.exp(inv * Math.log(phi[row + c] / max));
    }
    return phi;
  }

  /** Scaled forward pass: `alpha` (each row sums to 1), the per-token scales `scale`, and the end mass. */
  private forward(phi: Float64Array, n: number, alpha: Float64Array = new Float64Array(n * this.T), scale: Float64Array = new Float64Array(n)): { alpha: Float64Array; scale: Float64Array; endMass: number } {
    const { T, fromStart, fromTag, fromPsi } = this;
    const { start, end } = this.mask;
    if (n === 0) return { alpha, scale, endMass: 0 };
    let sum = 0;
    for (let c = 0; c < T; c++) sum += alpha[c] = start[c] * phi[c];
    scale[0] = sum;
    for (let c = 0; c < T; c++) alpha[c] /= sum;
    for (let i = 1, row = T; i < n; i++, row += T) {
      const prev = row - T;
      sum = 0;
      for (let c = 0; c < T; c++) {
        let into = 0;
        for (let k = fromStart[c], stop = fromStart[c + 1]; k < stop; k++) into += alpha[prev + fromTag[k]] * fromPsi[k];
        sum += alpha[row + c] = into * phi[row + c];
      }
      scale[i] = sum;
      const k = 1 / sum;
      for (let c = 0; c < T; c++) alpha[row + c] *= k;
    }
    let endMass = 0;
    const last = (n - 1) * T;
    for (let c = 0; c < T; c++) if (end[c]) endMass += alpha[last + c];
    return { alpha, scale, endMass };
  }

  /**
   * log P_T(path): the log-likelihood of one tag sequence (tag indices) of a sentence of `n`
   * tokens; -Infinity for a sequence the scheme forbids. What the temperature is fitted by.
   */
  logLikelihood(probs: Float32Array, n: number, path: ArrayLike<number>): number {
    if (n === 0) return 0;
    const { T, psi } = this;
    const phi = this.potentials(probs, n);
    const { scale, endMass } = this.forward(phi, n);
    const { start, end } = this.mask;
    let score = Math.log(start[path[0]] * phi[path[0]]);
    for (let i = 1; i < n; i++) score += Math.log(psi[path[i - 1] * T + path[i]] * phi[i * T + path[i]]);
    score += Math.log(end[path[n - 1]]);
    let logZ = Math.log(endMass);
    for (let i = 0; i < n; i++) logZ += Math.log(scale[i]);
    return score - logZ;
  }

  /** Forward and backward over a sentence of `n` tokens (probs `[n, tags]` row-major). */
  posterior(probs: Float32Array, n: number): ChainPosterior {
    const T = this.T;
    return this.posteriorIn(probs, n, new Float64Array(n * T), new Float64Array(n * T), new Float64Array(n * T), new Float64Array(n));
  }

  /**
   * posterior, in working arrays the chain keeps: the result is valid only until the next call
   * of this method on this chain. For a caller that reads each sentence's posterior before the
   * next (WindowModel.decodeInto): no new arrays per sentence.
   */
  reusedPosterior(probs: Float32Array, n: number): ChainPosterior {
    const T = this.T;
    if (this.work.scale.length < n) {
      const rows = Math.max(n, 2 * this.work.scale.length, 128);
      this.work = { phi: new Float64Array(rows * T), alpha: new Float64Array(rows * T), beta: new Float64Array(rows * T), scale: new Float64Array(rows) };
    }
    const { phi, alpha, beta, scale } = this.work;
    return this.posteriorIn(probs, n, phi, alpha, beta, scale);
  }

  private work = { phi: new Float64Array(0), alpha: new Float64Array(0), beta: new Float64Array(0), scale: new Float64Array(0) };

  private posteriorIn(probs: Float32Array, n: number, phiOut: Float64Array, alphaOut: Float64Array, beta: Float64Array, scaleOut: Float64Array): ChainPosterior {
    const { T, psi, toStart, toTag, toPsi } = this;
    const { end } = this.mask;
    const phi = this.potentials(probs, n, phiOut);
    const { alpha, scale, endMass } = this.forward(phi, n, alphaOut, scaleOut);
    // beta[i * T + c]: the mass of the rest of the sentence after tag c at token i, in the forward pass's scales.
    if (n > 0) for (let c = 0; c < T; c++) beta[(n - 1) * T + c] = end[c];
    const { next } = this;
    for (let i = n - 2, row = (n - 2) * T; i >= 0; i--, row -= T) {
      const k = 1 / scale[i + 1];
      for (let c = 0; c < T; c++) next[c] = phi[row + T + c] * beta[row + T + c] * k;
      for (let p = 0; p < T; p++) {
        let sum = 0;
        for (let k = toStart[p], stop = toStart[p + 1]; k < stop; k++) sum += toPsi[k] * next[toTag[k]];
        beta[row + p] = sum;
      }
    }
    return new ChainPosterior(this, psi, phi, alpha, beta, scale, endMass, n);
  }
}

/** The marginals of one sentence under a TagChain (see TagChain.posterior). */
export class ChainPosterior {
  /** @internal */
  constructor(
    private readonly chain: TagChain,
    private readonly psi: Float64Array,
    private readonly phi: Float64Array,
    private readonly alpha: Float64Array,
    private readonly beta: Float64Array,
    private readonly scale: Float64Array,
    private readonly endMass: number,
    readonly n: number,
  ) {}

  /** P(y_i = c): the probability that token i has tag c. */
  tagProbability(i: number, c: number): number {
    const at = i * this.chain.T + c;
    // A marginal near 1 can come out a rounding above it (1.0000000000000002): a probability is at most 1.
    return Math.min(1, (this.alpha[at] * this.beta[at]) / this.endMass);
  }

  /**
   * The probability that tokens `start .. end-1` have exactly the tags `path[start .. end-1]`
   * and that token `end` does not continue them (is not `I-`/`E-` of the type of `path[end-1]`):
   * for the tags of one decoded entity, the probability that the sentence holds exactly that
   * entity, boundaries and type. This is the entity score (see WindowModel.decodeInto).
   */
  spanProbability(path: ArrayLike<number>, start: number, end: number): number {
    const { T, continues } = this.chain;
    const { psi, phi, alpha, beta, scale } = this;
    let p = alpha[start * T + path[start]];
    for (let i = start + 1; i < end; i++) p *= (psi[path[i - 1] * T + path[i]] * phi[i * T + path[i]]) / scale[i];
    const last = path[end - 1];
    let rest: number;
    if (end === this.n) rest = beta[(end - 1) * T + last];
    else {
      const type = this.chain.tags[last].slice(2);
      rest = 0;
      for (let c = 0; c < T; c++) {
        if (continues[c] !== '' && continues[c] === type) continue;
        rest += psi[last * T + c] * phi[end * T + c] * beta[end * T + c];
      }
      rest /= scale[end];
    }
    return Math.min(1, (p * rest) / this.endMass);
  }
}
