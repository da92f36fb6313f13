import { ENTITY_BIASES } from '../decode/decoders.js';
import { CONSISTENCY_WEIGHTS } from '../decode/document-consistency.js';
import { TRANSITION_WEIGHTS } from '../decode/transition-scores.js';
import { copyDocuments, sentencesOf, type Document } from '../document/document.js';
import { NerError } from '../errors.js';
import { scoreDocuments } from '../eval/score.js';
import { encodeDocuments } from '../features/windows.js';
import { averageProbabilities, WindowModel } from '../model/window-model.js';
import { fitModelTemperatureOn, type ModelTemperatureFit } from './calibrate.js';
import { chooseDecoding } from './choose-decoding.js';

/** An ensemble and, when dev data was given, its dev scores and each member's (members of members counted one by one). */
export interface EnsembleResult {
  model: WindowModel;
  dev?: { f1: number; precision: number; recall: number; members: number[] };
  /** The temperature fitted on dev for the averaged probabilities (with dev only; without, none). */
  calibration?: ModelTemperatureFit;
}

/**
 * Averages models trained on the same data with the same features (e.g. seeds of one recipe)
 * into one ensemble (WindowModel.ensemble). With dev documents (IOB2 gold tags), the weight of
 * the transition scores Viterbi adds and the entity bias are chosen again for the ensemble, on
 * dev, among TRANSITION_WEIGHTS and ENTITY_BIASES (choose-decoding.ts), then the document-consistency weight among CONSISTENCY_WEIGHTS, and the temperature of the averaged probabilities fitted (calibrate.ts);
 * without dev the ensemble has no temperature.
 *
 * @example
 * const { model, dev } = buildEnsemble([a, b, c], await readLabeledDocuments('valid.txt'));
 */
export function buildEnsemble(members: readonly WindowModel[], dev?: readonly Document[]): EnsembleResult {
  let model = WindowModel.ensemble(members);
  if (model.featureSet.usesFirstStage) {
    // Choosing on dev below scores the members' first-pass probabilities, not what a two-stage model tags with.
    throw new NerError('E_CONFIG', 'buildEnsemble cannot yet average two-stage models (feature docpred)', { hint: 'ensemble models trained without docpred' });
  }
  if (!dev || sentencesOf(dev).length === 0) return { model };
  // Predictions go into copies: the caller's documents are not written to.
  const scored = copyDocuments(dev);
  const enc = encodeDocuments(model.featureSet, scored);
  const score = (m: WindowModel, probs: Float32Array) => {
    m.decodeInto(scored, probs);
    return scoreDocuments(scored);
  };
  // One network pass per member: its own F1, then their mean for the ensemble's.
  const parts = model.memberTagProbabilities(enc);
  const flat = model.members;
  const memberF1 = parts.map((p, i) => score(flat[i], p).f1);
  const probs = averageProbabilities(parts);
  const scores = members.find((m) => m.config.transitions)?.config.transitions?.scores;
  const best = chooseDecoding(model, scored, probs, { transitionScores: scores, weights: TRANSITION_WEIGHTS, biases: ENTITY_BIASES, consistencies: [0, ...CONSISTENCY_WEIGHTS] });
  // One temperature for the averaged probabilities, fitted on the chosen decoder's.
  const calibration = fitModelTemperatureOn(best.model, scored, probs);
  model = best.model.withTemperature(calibration.temperature);
  const { f1, precision, recall } = best.dev;
  return { model, dev: { f1, precision, recall, members: memberF1 }, calibration };
}
