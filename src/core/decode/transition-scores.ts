/**
 * Tag-to-tag transition scores estimated on training data, `log P(tag_i | tag_i-1)` with
 * add-one smoothing, for the Viterbi decoder to add to the classifier's per-token log
 * probabilities. The window classifier predicts each token on its own; the transition scores
 * bring in what it cannot see: how tags follow each other.
 *
 * @example
 * const scores = estimateTransitions([['B-PER', 'I-PER', 'O']], ['O', 'B-PER', 'I-PER']);
 * scores[1 * 3 + 2]; // log P(I-PER | B-PER)
 */
export function estimateTransitions(sequences: Iterable<readonly string[]>, tags: readonly string[]): Float32Array {
  const T = tags.length;
  const index = new Map(tags.map((t, i) => [t, i]));
  const counts = new Float64Array(T * T).fill(1);
  for (const seq of sequences) {
    for (let i = 1; i < seq.length; i++) {
      const p = index.get(seq[i - 1]);
      const c = index.get(seq[i]);
      if (p !== undefined && c !== undefined) counts[p * T + c]++;
    }
  }
  const scores = new Float32Array(T * T);
  for (let p = 0; p < T; p++) {
    let sum = 0;
    for (let c = 0; c < T; c++) sum += counts[p * T + c];
    for (let c = 0; c < T; c++) scores[p * T + c] = Math.log(counts[p * T + c] / sum);
  }
  return scores;
}

/** Transition scores as a model stores them: the log probabilities and the weight they get. */
export interface TransitionScores {
  /** `scores[p * T + c]`: log P(tag c | tag p) over the model's tag list. */
  scores: number[];
  /** Multiplier of the scores in Viterbi decoding, chosen on dev; 0 turns them off. */
  weight: number;
}

/** The weights training tries, the best on dev is kept (0: no transition scores). */
export const TRANSITION_WEIGHTS = [0, 0.25, 0.5, 0.75, 1] as const;
