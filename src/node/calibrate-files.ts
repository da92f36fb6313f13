/**
 * Calibrating an existing model folder, as `ner calibrate` does: the temperature of its
 * scores fitted on a labelled (dev) CoNLL file and written into that folder's model.json only
 * (updateManifest: the weights stay byte for byte as they are). The fit is
 * core/train/calibrate.ts.
 */
import { existsSync } from 'node:fs';
import { copyDocuments } from '../core/document/document.js';
import { calibrationTable, type CalibrationResult } from '../core/eval/calibration.js';
import { NerError } from '../core/errors.js';
import { fitModelTemperatureOn, type ModelTemperatureFit } from '../core/train/calibrate.js';
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
  /** The backend to compute the probabilities on. Default 'auto'. */
  backend?: BackendRequest;
}

/** The fit, the temperature before it, and the entity scores' calibration on dev before and after. */
export interface CalibrateResult {
  fit: ModelTemperatureFit;
  previous: number;
  dev: { before: CalibrationResult; after: CalibrationResult };
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
  const { model } = await loadModel(args.modelDir);
  const probs = await model.documentProbabilitiesAsync(dev);
  const fit = fitModelTemperatureOn(model, dev, probs);
  if (fit.sentences === 0) {
    throw new NerError('E_FORMAT', `no sentence's gold tags are ones the model predicts (${model.config.tags.join(', ')})`, {
      file: args.devFile,
      hint: 'calibrate on labelled data of the types the model was trained on',
    });
  }
  const at = (temperature: number) => {
    const scored = copyDocuments(dev);
    model.withTemperature(temperature).decodeInto(scored, probs);
    return calibrationTable(scored);
  };
  const result = { fit, previous: model.temperature, dev: { before: at(model.temperature), after: at(fit.temperature) } };
  if (args.dryRun) return { ...result, saved: false };
  await updateManifest(args.modelDir, (manifest) => ({ ...manifest, config: { ...manifest.config, temperature: fit.temperature } }));
  return { ...result, saved: true };
}

/** One line for a person: the temperature and what it did to the dev NLL. */
export function describeTemperatureFit(fit: ModelTemperatureFit): string {
  const skipped = fit.skipped > 0 ? `; ${fit.skipped} sentences with tags the model does not predict left out` : '';
  return `temperature ${fit.temperature} fitted on ${fit.sentences} dev sentences (NLL per token ${fit.nllAtOne.toFixed(4)} at T=1 -> ${fit.nll.toFixed(4)})${skipped}`;
}
