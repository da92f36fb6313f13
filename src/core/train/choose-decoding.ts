/**
 * Choosing a model's decoding settings on dev after training (`ner train`) or averaging (`ner
 * ensemble --dev`): the weight of the transition scores Viterbi adds and the entity bias (the
 * log-score added to every tag but O), every pair decoded from the network's dev
 * probabilities once computed, then the document-consistency weight for the chosen pair.
 * None changes the network, only how its probabilities become tags.
 */
import { ENTITY_BIASES } from '../decode/decoders.js';
import { MIN_CONSISTENCY_GAIN } from '../decode/document-consistency.js';
import { TRANSITION_WEIGHTS } from '../decode/transition-scores.js';
import type { Document } from '../document/document.js';
import { scoreDocuments } from '../eval/score.js';
import type { WindowModel } from '../model/window-model.js';

/**
 * Least dev F1 (points) a bias must gain over the best choice without one to be kept: smaller
 * gains are noise (on CoNLL-2003 valid, bias 0.5 gained 0.007, under one entity of 5,942, and
 * lost 0.02 once the model was saved in 8 bits); on WNUT 2017 the bias gains 1.8 to 4.1.
 */
export const MIN_BIAS_GAIN = 0.1;

/** Entity-level dev scores. */
export interface DevScores {
  precision: number;
  recall: number;
  f1: number;
}

/** What to choose among. */
export interface DecodingCandidates {
  /** log P(tag | previous tag) over the model's tags (estimateTransitions); absent: no transition scores to weigh. */
  transitionScores?: number[];
  /** Transition weights to try (0: none); ignored without scores or for the greedy decoder. */
  weights?: readonly number[];
  /** Entity biases to try. */
  biases?: readonly number[];
  /**
   * Document-consistency weights to try for the chosen weight and bias. With 0 among them, the
   * best other is kept only when it gains at least MIN_CONSISTENCY_GAIN over 0; without, the
   * best of them is taken. Absent: the model's own consistency, not chosen.
   */
  consistencies?: readonly number[];
}

/** The chosen model and its dev scores, and the best dev scores without an entity bias (what decoding did before it). */
export interface DecodingChoice {
  model: WindowModel;
  dev: DevScores;
  withoutBias: DevScores;
  /** The chosen weight and bias's dev scores without document consistency. */
  withoutConsistency: DevScores;
}

/**
 * The model decoding with the pair (transition weight, entity bias) of the candidates that
 * scores best on `dev` (documents with gold tags; their predictions are overwritten), the
 * network's probabilities for their tokens being `probs`. A tie goes to the smaller bias, then
 * the smaller weight, and a bias is kept only when it gains at least MIN_BIAS_GAIN over the
 * best without one: nothing moves away from the network's own probabilities for nothing.
 * Then, for that pair, the document-consistency weight among `candidates.consistencies` (the
 * smallest of equals; kept only when it gains MIN_CONSISTENCY_GAIN over none).
 *
 * @example
 * const { model: chosen, dev: scores } = chooseDecoding(model, devCopy, probs, { transitionScores, weights: TRANSITION_WEIGHTS, biases: ENTITY_BIASES });
 */
export function chooseDecoding(model: WindowModel, dev: Document[], probs: Float32Array, candidates: DecodingCandidates): DecodingChoice {
  const { consistencies } = candidates;
  const pair = chooseWeightAndBias(consistencies ? model.withConsistency(0) : model, dev, probs, candidates);
  if (!consistencies) return { ...pair, withoutConsistency: pair.dev };
  let best: { model: WindowModel; dev: DevScores } | null = null;
  for (const weight of [...consistencies].sort((a, b) => a - b)) {
    if (weight === 0) continue;
    const candidate = pair.model.withConsistency(weight);
    candidate.decodeTagsInto(dev, probs);
    const { precision, recall, f1 } = scoreDocuments(dev);
    if (best === null || f1 > best.dev.f1) best = { model: candidate, dev: { precision, recall, f1 } };
  }
  const gated = consistencies.includes(0);
  const keep = best !== null && (!gated || best.dev.f1 - pair.dev.f1 >= MIN_CONSISTENCY_GAIN);
  return keep ? { ...pair, ...best!, withoutConsistency: pair.dev } : { ...pair, withoutConsistency: pair.dev };
}

/**
 * The dev scores of what the chosen model tags, and the probabilities it decodes them from
 * (to fit its temperature on). The same as the choice's for most models; a two-stage model
 * (feature docpred) decodes its first pass with the chosen settings too, which changes the
 * keys of its second pass, so its probabilities are computed again and scored: the choice
 * itself was made on the first ones. `dev`'s predictions are overwritten.
 */
export async function scoreAsTagged(choice: DecodingChoice, dev: Document[], probs: Float32Array): Promise<{ dev: DevScores; probs: Float32Array }> {
  if (!choice.model.featureSet.usesFirstStage) return { dev: choice.dev, probs };
  const decoded = await choice.model.documentProbabilitiesAsync(dev);
  choice.model.decodeTagsInto(dev, decoded);
  const { precision, recall, f1 } = scoreDocuments(dev);
  return { dev: { precision, recall, f1 }, probs: decoded };
}

/** The weight and bias of chooseDecoding. */
function chooseWeightAndBias(model: WindowModel, dev: Document[], probs: Float32Array, candidates: DecodingCandidates): Omit<DecodingChoice, 'withoutConsistency'> {
  const { transitionScores: scores } = candidates;
  const weights = scores && model.config.decoder === 'viterbi' ? [...(candidates.weights ?? TRANSITION_WEIGHTS)].sort((a, b) => a - b) : [null];
  const biases = [...(candidates.biases ?? ENTITY_BIASES)].sort((a, b) => Math.abs(a) - Math.abs(b));
  let best: { model: WindowModel; dev: DevScores } | null = null;
  let unbiased: { model: WindowModel; dev: DevScores } | null = null;
  for (const bias of biases) {
    for (const weight of weights) {
      let candidate = model.withEntityBias(bias);
      if (weight !== null) candidate = candidate.withTransitions(weight === 0 ? undefined : { scores: scores!, weight });
      candidate.decodeTagsInto(dev, probs);
      const { precision, recall, f1 } = scoreDocuments(dev);
      const result = { precision, recall, f1 };
      if (best === null || f1 > best.dev.f1) best = { model: candidate, dev: result };
      if (bias === 0 && (unbiased === null || f1 > unbiased.dev.f1)) unbiased = { model: candidate, dev: result };
    }
  }
  if (!unbiased) return { ...best!, withoutBias: best!.dev };
  const chosen = best!.dev.f1 - unbiased.dev.f1 >= MIN_BIAS_GAIN ? best! : unbiased;
  return { ...chosen, withoutBias: unbiased.dev };
}
