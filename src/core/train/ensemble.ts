import { ENTITY_BIASES } from '../decode/decoders.js';
import { CONSISTENCY_WEIGHTS } from '../decode/document-consistency.js';
import { TRANSITION_WEIGHTS } from '../decode/transition-scores.js';
import { copyDocuments, sentencesOf, type Document } from '../document/document.js';
import { scoreDocuments } from '../eval/score.js';
import { encodeDocuments } from '../features/windows.js';
import { averageProbabilities, WindowModel } from '../model/window-model.js';
import { fitModelTemperatureOn, type ModelTemperatureFit } from './calibrate.js';
import { chooseDecoding, scoreAsTagged } from './choose-decoding.js';

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
 * without dev the ensemble has no temperature. Two-stage members (feature docpred) are averaged
 * in both passes: the ensemble's first-pass tags give the keys of its second pass.
 *
 * @example
 * const { model, dev } = await buildEnsemble([a, b, c], await readLabeledDocuments('valid.txt'));
 */
export async function buildEnsemble(members: readonly WindowModel[], dev?: readonly Document[]): Promise<EnsembleResult> {
  let model = WindowModel.ensemble(members);
  if (!dev || sentencesOf(dev).length === 0) return { model };
  // Predictions go into copies: the caller's documents are not written to.
  const scored = copyDocuments(dev);
  const score = (m: WindowModel, probs: Float32Array) => {
    m.decodeInto(scored, probs);
    return scoreDocuments(scored);
  };
  const flat = model.members;
  let parts: Float32Array[];
  let probs: Float32Array;
  if (model.featureSet.usesFirstStage) {
    // A two-stage model tags with its second pass, whose keys come from its first pass's tags:
    // each member alone as it would tag, the ensemble from its averaged first pass (decoded with
    // member 1's transitions and bias: the settings are chosen on it, and scoreAsTagged then
    // scores what the ensemble tags with them).
    parts = flat.map((m) => WindowModel.ensemble([m]).documentProbabilities(scored));
    probs = model.documentProbabilities(scored);
  } else {
    // One network pass per member: its own F1, then their mean for the ensemble's.
    parts = model.memberTagProbabilities(encodeDocuments(model.featureSet, scored));
    probs = averageProbabilities(parts);
  }
  const memberF1 = parts.map((p, i) => score(flat[i], p).f1);
  const scores = members.find((m) => m.config.transitions)?.config.transitions?.scores;
  const best = chooseDecoding(model, scored, probs, { transitionScores: scores, weights: TRANSITION_WEIGHTS, biases: ENTITY_BIASES, consistencies: [0, ...CONSISTENCY_WEIGHTS] });
  const tagged = await scoreAsTagged(best, scored, probs);
  // One temperature for the averaged probabilities, fitted on the chosen decoder's.
  const calibration = fitModelTemperatureOn(best.model, scored, tagged.probs);
  model = best.model.withTemperature(calibration.temperature);
  const { f1, precision, recall } = tagged.dev;
  return { model, dev: { f1, precision, recall, members: memberF1 }, calibration };
}
