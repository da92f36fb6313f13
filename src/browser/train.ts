/**
 * Training in a browser: the core's `train` on documents the page holds (parsed from a file
 * the user picked, parseLabeledConll), on the backend asked for, one thread and random word
 * vectors (no vectors package here), and the trained model as the files of a model folder,
 * the same files `ner train` writes, so that Node's `Tagger.load(folder)` loads it.
 */
import { copyDocuments, type Document } from '../core/document/document.js';
import { NerError } from '../core/errors.js';
import { DEFAULT_VECTORS } from '../core/features/pretrained.js';
import type { WindowModel } from '../core/model/window-model.js';
import { METRICS_HEADER, metricsLine } from '../core/report/metrics-tsv.js';
import { scoreSet } from '../core/report/scored-set.js';
import { renderTrainingReport, type EpochFigures } from '../core/report/training-report.js';
import { runtime, type BackendInfo, type BackendRequest } from '../core/runtime.js';
import { MODEL_FILES, type TrainingSummary } from '../core/storage/model-format.js';
import { applyStoredPrecision, packModel } from '../core/storage/model-pack.js';
import type { ModelBytes } from '../core/storage/model-source.js';
import type { TrainArgs } from '../core/train/train-args.js';
import { train, type TrainResult } from '../core/train/trainer.js';
import { validateTrainArgs } from '../core/train/validate-args.js';
import { checkDocuments } from '../core/train/validate-data.js';
import type { NamedBytes } from './zip.js';

/** Options of trainModel: the core's training options, the backend, and names for model.json. */
export interface BrowserTrainArgs extends TrainArgs {
  /** The backend to train on. Default 'auto' (the best the browser has). */
  backend?: BackendRequest;
  /** The training file's name, kept in model.json (the data itself is not). */
  trainFile?: string;
  /** The dev file's name, kept in model.json. */
  devFile?: string;
  /** The model's name in report.html. Default 'model'. */
  name?: string;
}

/** What trainModel returns: the core's result, the backend that ran and what model.json and the folder keep. */
export interface BrowserTrainResult extends TrainResult {
  backend: BackendInfo;
  /** The training summary stored in model.json, as `ner train` writes it. */
  training: TrainingSummary;
  /** metrics.tsv and report.html, as `ner train` writes them beside the model. */
  extraFiles: Record<string, string>;
  seconds: number;
}

/**
 * Trains a model on labelled documents in the page, as `ner train` does from files: the best
 * dev epoch is kept and given the precision it is stored in, so that its tags equal those of
 * the saved files. `vectors` must be null (random word vectors): there is no vectors package
 * in a browser. One thread.
 *
 * @example
 * const train = parseLabeledConll(await trainPick.text(), { file: trainPick.name });
 * const result = await trainModel({ train, dev: train, vectors: null, epochs: 5, backend: 'auto' });
 * const files = await modelFiles(result); // [{ name: 'weights.bin', bytes }, ..., { name: 'model.json', bytes }]
 */
export async function trainModel(args: BrowserTrainArgs): Promise<BrowserTrainResult> {
  const started = performance.now();
  checkBrowserArgs(args);
  const { backend: _b, trainFile: _t, devFile: _d, name: _n, ...coreArgs } = args;
  validateTrainArgs(coreArgs);
  // Here rather than only in train(): the messages then name the files the user picked.
  checkDocuments(args.train, 'training', args.trainFile);
  checkDocuments(args.dev, 'dev', args.devFile);
  const { backend: request = 'auto', trainFile, devFile, name = 'model', ...trainArgs } = args;
  const backend = await runtime().useBackend(request);
  const epochs: EpochFigures[] = [];
  let metrics = METRICS_HEADER;
  const result = await train({
    ...trainArgs,
    threads: 1,
    onEpoch: async (m, model) => {
      // An ensemble training's files show its first network's epochs, as Node training's do.
      if ((m.member?.index ?? 1) === 1) {
        epochs.push({ epoch: m.epoch, loss: m.loss, dev: m.dev });
        metrics += metricsLine(m);
      }
      await args.onEpoch?.(m, model);
    },
  });
  if (result.history.length === 0) {
    throw new NerError('E_TRAIN', 'training stopped before the first epoch ended: there is no model', { hint: 'let at least one epoch finish' });
  }
  // Tags from here on equal those of the saved files (8-bit words, float16 where asked).
  applyStoredPrecision(result.model);
  const seconds = (performance.now() - started) / 1000;
  const options = summarizeArgs(args);
  const training: TrainingSummary = {
    args: options,
    backend: { name: backend.name, gpu: backend.gpu },
    vectors: result.vectors,
    bestEpoch: result.bestEpoch,
    epochs: result.history.length,
    stopped: result.stopped,
    dev: result.dev,
    ...(result.members ? { members: result.members } : {}),
    seconds,
    created: new Date().toISOString(),
  };
  // The report shows the kept model on dev, predicted into copies (the caller's documents stay as they are).
  const dev = copyDocuments(args.dev);
  await result.model.predictAsync(dev);
  const report = renderTrainingReport({ name, epochs, bestEpoch: training.bestEpoch, stopped: training.stopped, dev: scoreSet(dev), options, created: training.created });
  return { ...result, backend, training, extraFiles: { [MODEL_FILES.metrics]: metrics, [MODEL_FILES.report]: report }, seconds };
}

/** What the browser cannot do, refused before anything runs. */
function checkBrowserArgs(args: BrowserTrainArgs): void {
  if (typeof args !== 'object' || args === null) throw new NerError('E_USAGE', 'trainModel takes an options object: { train, dev, vectors: null, ... }');
  if (args.vectors !== null) {
    const named = args.vectors ?? DEFAULT_VECTORS;
    throw new NerError('E_CONFIG', `pretrained vectors cannot be loaded in a browser ("${named}"${args.vectors === undefined ? ', the default, is an npm package Node reads from disk' : ' names a file or package'})`, {
      hint: 'pass vectors: null to train with random word vectors, or train in Node (ner train) for pretrained ones',
    });
  }
  if (args.threads !== undefined && args.threads !== 1) {
    throw new NerError('E_CONFIG', `threads must be 1 in a browser, got ${JSON.stringify(args.threads)}`, { hint: 'omit threads: the browser build trains on one thread' });
  }
}

/** The options worth keeping in model.json: no data, no callbacks (as `ner train` keeps them). */
function summarizeArgs(args: BrowserTrainArgs): Record<string, unknown> {
  const { train: _t, dev: _d, onEpoch: _e, onProgress: _p, onStage: _s, signal: _g, name: _n, trainFile, devFile, ...rest } = args;
  return { ...rest, threads: 1, ...(trainFile ? { trainFile } : {}), ...(devFile ? { devFile } : {}) };
}

/** A trained model and what its folder keeps beside it: trainModel's result, or any model. */
export interface TrainedModel {
  model: WindowModel;
  training?: TrainingSummary;
  extraFiles?: Record<string, string | Uint8Array>;
}

/**
 * The files of a model folder, as `ner train` writes it: weights.bin, vocabularies.json, the
 * extra files (metrics.tsv, report.html), model.json last (with the training summary). Put
 * them in one folder and Node loads it: `Tagger.load(folder)`.
 *
 * @example
 * for (const { name, bytes } of await modelFiles(result)) download(name, bytes);
 */
export async function modelFiles(trained: TrainedModel): Promise<NamedBytes[]> {
  const { [MODEL_FILES.manifest]: manifest, ...data } = await packModel(trained.model, { training: trained.training });
  const encoder = new TextEncoder();
  const extra = Object.entries(trained.extraFiles ?? {}).map(([name, v]) => ({ name, bytes: typeof v === 'string' ? encoder.encode(v) : v }));
  return [...Object.entries(data).map(([name, bytes]) => ({ name, bytes })), ...extra, { name: MODEL_FILES.manifest, bytes: manifest }];
}

/**
 * The model files as Tagger.load takes bytes, to tag with the model in the page exactly as it
 * will load elsewhere.
 *
 * @example
 * const tagger = await Tagger.load(modelBytes(await modelFiles(result)));
 */
export function modelBytes(files: readonly NamedBytes[]): ModelBytes {
  const find = (name: string) => {
    const file = files.find((f) => f.name === name);
    if (!file) throw new NerError('E_USAGE', `modelBytes: ${name} is missing from the files`, { hint: 'pass what modelFiles returned' });
    return file.bytes;
  };
  return { model: find(MODEL_FILES.manifest), weights: find(MODEL_FILES.weights), vocabularies: find(MODEL_FILES.vocabularies) };
}
