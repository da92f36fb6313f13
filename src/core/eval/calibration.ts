/**
 * How well entity scores are calibrated: over the predicted entities, a reliability table
 * (equal-width score bins: how many entities, their mean score, the share of them that are
 * right) and the expected calibration error, ECE = Σ_bins (count / total) · |precision − mean
 * score|. An entity is right when a gold entity has exactly its span and type, as the CoNLL
 * evaluation script counts a correct chunk. A score one can threshold has an ECE near 0: of
 * the entities scored about 0.8, about 80% are right.
 *
 * @example
 * const result = calibrationTable(documents); // predicted tags and entity scores filled in
 * result.ece; // 0.012
 * formatCalibrationTable(result);
 */
import { goldSpans, predictedSpans, type Document } from '../document/document.js';
import { NerError } from '../errors.js';

/** One score bin: entities scored in [from, to) (the last bin includes 1). */
export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  /** Mean score of the bin's entities; null when the bin is empty. */
  meanScore: number | null;
  /** Share of the bin's entities that are right (0-1); null when the bin is empty. */
  precision: number | null;
}

/** A reliability table and its expected calibration error. */
export interface CalibrationResult {
  /** Expected calibration error in [0, 1]; 0 for no entities. */
  ece: number;
  /** Predicted entities counted. */
  entities: number;
  bins: ReliabilityBin[];
}

/** A scored prediction and whether it is right. */
export interface ScoredOutcome {
  score: number;
  correct: boolean;
}

/** Bins of the table: 10, as calibration is usually reported. */
export const CALIBRATION_BINS = 10;

/**
 * The reliability table of scored outcomes in `bins` equal-width bins over [0, 1].
 *
 * @example
 * reliability([{ score: 0.9, correct: true }, { score: 0.7, correct: false }]).ece; // (0.1 + 0.7) / 2
 */
export function reliability(outcomes: readonly ScoredOutcome[], bins = CALIBRATION_BINS): CalibrationResult {
  const count = new Array<number>(bins).fill(0);
  const sum = new Array<number>(bins).fill(0);
  const right = new Array<number>(bins).fill(0);
  for (const { score, correct } of outcomes) {
    if (!(score >= 0 && score <= 1)) throw new NerError('E_CONFIG', `calibration: scores must lie in [0, 1], found ${score}`);
    const b = Math.min(bins - 1, Math.floor(score * bins));
    count[b]++;
    sum[b] += score;
    if (correct) right[b]++;
  }
  const total = outcomes.length;
  let ece = 0;
  const table: ReliabilityBin[] = count.map((n, b) => {
    const meanScore = n > 0 ? sum[b] / n : null;
    const precision = n > 0 ? right[b] / n : null;
    if (n > 0) ece += (n / total) * Math.abs(precision! - meanScore!);
    return { from: b / bins, to: (b + 1) / bins, count: n, meanScore, precision };
  });
  return { ece, entities: total, bins: table };
}

/**
 * The reliability table of the predicted entities of labelled documents (each sentence with
 * gold tags, predicted tags and entity scores, as a model's predict fills them in).
 */
export function calibrationTable(documents: readonly Document[], bins = CALIBRATION_BINS): CalibrationResult {
  const outcomes: ScoredOutcome[] = [];
  for (const doc of documents) {
    for (const sentence of doc.sentences) {
      if (!sentence.gold || !sentence.predicted) {
        throw new NerError('E_CONFIG', `calibrationTable: every sentence needs gold and predicted tags; one has ${sentence.gold ? 'no predicted' : 'no gold'} tags`);
      }
      const gold = new Set(goldSpans(sentence).map((s) => `${s.start} ${s.end} ${s.type}`));
      for (const span of predictedSpans(sentence)) {
        if (span.score === undefined) throw new NerError('E_CONFIG', 'calibrationTable: predicted entities need scores (tag the documents with a model)');
        outcomes.push({ score: span.score, correct: gold.has(`${span.start} ${span.end} ${span.type}`) });
      }
    }
  }
  return reliability(outcomes, bins);
}

/**
 * The table as text, one row per bin, then the ECE:
 *
 *     score      entities  mean score  precision
 *     0.0-0.1           3      0.0712     0.0000
 *     ...
 *     ECE 0.0123 over 5648 predicted entities
 */
export function formatCalibrationTable(result: CalibrationResult): string {
  const lines = ['score      entities  mean score  precision'];
  for (const b of result.bins) {
    const range = `${b.from.toFixed(1)}-${b.to.toFixed(1)}`;
    const mean = b.meanScore === null ? '-' : b.meanScore.toFixed(4);
    const precision = b.precision === null ? '-' : b.precision.toFixed(4);
    lines.push(`${range.padEnd(9)}${String(b.count).padStart(10)}${mean.padStart(12)}${precision.padStart(11)}`);
  }
  lines.push(`ECE ${result.ece.toFixed(4)} over ${result.entities} predicted entities`);
  return `${lines.join('\n')}\n`;
}
