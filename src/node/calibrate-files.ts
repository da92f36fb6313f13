/**
 * Calibrating an existing model folder, as `ner calibrate` does: the temperature of its
 * scores fitted on a labelled (dev) CoNLL file, after choosing its document-consistency weight
 * there when asked (`--consistency`), and written into that folder's model.json only
 * (updateManifest: the weights stay byte for byte as they are). The fit is
 * core/train/calibrate.ts.
 */
import { existsSync } from 'node:fs';
import { copyDocuments } from '../core/document/document.js';
import { calibrationTable, type CalibrationResult } from '../core/eval/calibration.js';
import { NerError } from '../core/errors.js';
import { scoreDocuments } from '../core/eval/score.js';
import type { WindowModel } from '../core/model/window-model.js';
import { CONSISTENCY_WEIGHTS } from '../core/decode/document-consistency.js';
import { fitModelTemperatureOn, type ModelTemperatureFit } from '../core/train/calibrate.js';
import { chooseDecoding, scoreAsTagged, type DevScores } from '../core/train/choose-decoding.js';
import { checkDocuments } from '../core/train/validate-data.js';
import { useBackend, type BackendRequest } from './backend.js';
import { loadModel, updateManifest } from './storage/model-io.js';
import { readLabeledDocuments } from './train-files.js';

/** What calibrateModelDir is told. */
export interface CalibrateArgs {
  /** The model folder to calibrate (its model.json is rewritten). */
  modelDir: string;
  /** CoNLL file with gold tags (any scheme) to fit the temperature on: dev data, never test. */
  devFile: string;
  /** Fit and report, but write nothing. */
  dryRun?: boolean;
  /**
   * Also set the document-consistency weight (0..1), or 'auto': choose it on `devFile` among
   * CONSISTENCY_WEIGHTS, kept when it gains MIN_CONSISTENCY_GAIN dev F1. Absent: the model's own.
   */
  consistency?: number | 'auto';
  /** The backend to compute the probabilities on. Default 'auto'. */
  backend?: BackendRequest;
}

/** The fit, the temperature before it, and the entity scores' calibration on dev before and after. */
export interface CalibrateResult {
  fit: ModelTemperatureFit;
  previous: number;
  dev: { before: CalibrationResult; after: CalibrationResult };
  /** With `consistency` asked for: the weight before and after, and dev entity scores with each. */
  consistency?: { previous: number; chosen: number; before: DevScores; after: DevScores };
  saved: boolean;
}

/**
 * Fits the temperature of the model in `modelDir` on `devFile` and stores it in its model.json.
 *
 * @example
 * const { fit } = await calibrateModelDir({ modelDir: 'models/mine', devFile: 'valid.txt' });
 * fit.temperature; // 1.47
 */
export async function calibrateModelDir(args: CalibrateArgs): Promise<CalibrateResult> {
  // The folder as given, not a bundled model's name: only a folder the user names is written.
  if (!existsSync(args.modelDir)) {
    throw new NerError('E_MODEL', 'model directory not found', { file: args.modelDir, hint: 'give the path of the model folder to calibrate' });
  }
  const dev = await readLabeledDocuments(args.devFile);
  await useBackend(args.backend ?? 'auto');
  checkDocuments(dev, 'dev', args.devFile);
  const { consistency: asked } = args;
  if (asked !== undefined && asked !== 'auto' && !(typeof asked === 'number' && asked >= 0 && asked <= 1)) {
    throw new NerError('E_CONFIG', `consistency must be a number in 0..1 or auto, got ${String(asked)}`);
  }
  const { model: loaded } = await loadModel(args.modelDir);
  const loadedProbs = await loaded.documentProbabilitiesAsync(dev);
  // A two-stage model's are computed again for the chosen settings (scoreAsTagged).
  let probs = loadedProbs;
  let model = loaded;
  let consistency: CalibrateResult['consistency'];
  if (asked !== undefined) {
    // Only the consistency is chosen: the model's own transition weight and entity bias stay.
    const scored = copyDocuments(dev);
    loaded.decodeTagsInto(scored, loadedProbs);
    const { precision, recall, f1 } = scoreDocuments(scored);
    const before = { precision, recall, f1 };
    const chosen = chooseDecoding(loaded, scored, loadedProbs, { biases: [loaded.entityBias], consistencies: asked === 'auto' ? [0, ...CONSISTENCY_WEIGHTS] : [asked] });
    const tagged = await scoreAsTagged(chosen, scored, loadedProbs);
    model = chosen.model;
    probs = tagged.probs;
    consistency = { previous: loaded.consistency, chosen: model.consistency, before, after: tagged.dev };
  }
  const fit = fitModelTemperatureOn(model, dev, probs);
  if (fit.sentences === 0) {
    throw new NerError('E_FORMAT', `no sentence's gold tags are ones the model predicts (${model.config.tags.join(', ')})`, {
      file: args.devFile,
      hint: 'calibrate on labelled data of the types the model was trained on',
    });
  }
  const at = (m: WindowModel, p: Float32Array) => {
    const scored = copyDocuments(dev);
    m.decodeInto(scored, p);
    return calibrationTable(scored);
  };
  const result = { fit, previous: loaded.temperature, dev: { before: at(loaded, loadedProbs), after: at(model.withTemperature(fit.temperature), probs) }, consistency };
  if (args.dryRun) return { ...result, saved: false };
  await updateManifest(args.modelDir, (manifest) => {
    const { consistency: _old, ...config } = manifest.config;
    const mixed = model.consistency === 0 ? {} : { consistency: model.consistency };
    return { ...manifest, config: { ...config, ...mixed, temperature: fit.temperature } };
  });
  return { ...result, saved: true };
}

/** One line for a person: the temperature and what it did to the dev NLL. */
export function describeTemperatureFit(fit: ModelTemperatureFit): string {
  const skipped = fit.skipped > 0 ? `; ${fit.skipped} sentences with tags the model does not predict left out` : '';
  return `temperature ${fit.temperature} fitted on ${fit.sentences} dev sentences (NLL per token ${fit.nllAtOne.toFixed(4)} at T=1 -> ${fit.nll.toFixed(4)})${skipped}`;
}
