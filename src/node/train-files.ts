import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { validateFirstStage } from '../core/train/first-stage.js';
import { decodeTeacherProbabilities, type TeacherProbabilities } from '../core/train/teacher-probabilities.js';
import { readConll } from './files/conll-files.js';
import { NerError } from '../core/errors.js';
import { convertTags } from '../core/tags/tag-scheme.js';
import { sentencesOf, type Document } from '../core/document/document.js';
import type { EvalResult } from '../core/eval/conlleval.js';
import { evaluateModel } from '../core/eval/score.js';
import { describeBackend, useBackend, type BackendInfo, type BackendRequest } from './backend.js';
import { MODEL_FILES, type TrainingSummary } from '../core/storage/model-format.js';
import { openModelOutput, type ModelOutput } from './storage/model-dir.js';
import { applyStoredPrecision, loadModel, saveModel } from './storage/model-io.js';
import type { EpochMetrics, TrainArgs, TrainGazetteerArgs } from '../core/train/train-args.js';
import { fixedDefault } from '../core/train/options.js';
import { train, type TrainResult } from '../core/train/trainer.js';
import { checkVectorsAvailable } from './vectors.js';
import { validateTrainArgs } from '../core/train/validate-args.js';
import { checkDocuments } from '../core/train/validate-data.js';
import { renderTrainingReport, type EpochFigures } from '../core/report/training-report.js';
import { scoreSet } from '../core/report/scored-set.js';
import { METRICS_HEADER, metricsLine } from '../core/report/metrics-tsv.js';
import type { WindowModel } from '../core/model/window-model.js';
import { describeTemperatureFit } from './calibrate-files.js';
import { gazetteerFromFiles, type GazetteerFileArgs } from './files/gazetteer-files.js';

/** Training from CoNLL files into a model directory, as `ner train` and the recipe do it. */
export interface TrainFilesArgs extends Omit<TrainArgs, 'train' | 'dev' | 'onEpoch' | 'teacher' | 'gazetteer'> {
  trainFile: string;
  /** The gazetteer feature's names: list files and/or the training entities' thresholds. */
  gazetteer?: GazetteerFileArgs;
  devFile: string;
  /** Scored once with the best model at the end, never used for choices. */
  testFile?: string;
  /**
   * Model directory to write (atomically, at every better dev epoch and at the end): absent, an
   * empty folder or a model folder, checked and locked before anything is read.
   */
  out: string;
  backend?: BackendRequest;
  /** A model to distil (see TrainArgs.teacher): its folder, a bundled model's name, or the loaded model. */
  teacher?: string | WindowModel;
  /** Told about the backend, each epoch and the end, for the user to read. */
  log?: (line: string) => void;
  onEpoch?: TrainArgs['onEpoch'];
  /**
   * A two-stage model's first-stage tags on train, saved earlier: a JSON array of tag arrays,
   * one per training sentence (becomes firstStage.tags; without it they are computed by folds).
   */
  firstStageFile?: string;
  /**
   * Instead of `teacher`: a teacher's tag probabilities of every training token, saved earlier
   * (core/train/teacher-probabilities.ts; scripts/first-stage-tags.ts --probabilities writes
   * out-of-fold ones). Becomes teacherProbabilities, checked against the training data.
   */
  teacherFile?: string;
}

/** What trainFiles returns. */
export interface TrainFilesResult extends TrainResult {
  backend: BackendInfo;
  test?: EvalResult;
  seconds: number;
  /** Whether a model was saved: false when interrupted before the first epoch ended (`out` is then untouched). */
  saved: boolean;
}

/**
 * Reads the corpora, trains, and saves the best model (by dev F1) with its metrics.tsv and a
 * training summary in model.json; scores the test file at the end when one is given.
 *
 * @example
 * await trainFiles({ trainFile: 'train.txt', devFile: 'valid.txt', out: 'models/mine', epochs: 10 });
 */
export async function trainFiles(args: TrainFilesArgs): Promise<TrainFilesResult> {
  const started = performance.now();
  // Every option is checked before a file is read or a vector loaded.
  checkFileArgs(args);
  validateTrainArgs(args);
  checkVectorsAvailable(args.vectors);
  // Then --out: a target that would be refused, or cannot be written, fails before any data loads.
  const output = await openModelOutput(args.out);
  try {
    return await trainInto(args, output, started);
  } finally {
    await output.release();
  }
}

async function trainInto(args: TrainFilesArgs, output: ModelOutput, started: number): Promise<TrainFilesResult> {
  const log = args.log ?? (() => {});
  // The backend before the data: one asked for that cannot start (no GPU adapter) fails at
  // once, and releasing `output` leaves --out as it was.
  const backend = await useBackend(args.backend ?? fixedDefault('backend'));
  log(describeBackend(backend));
  // The teacher and the gazetteer before the data too: a missing or corrupt file fails in a moment.
  const { teacher, teacherProbabilities, gazetteer } = await loadTrainingAids(args, log);
  const [trainSet, devSet, testSet] = await Promise.all([
    readLabeledDocuments(args.trainFile),
    readLabeledDocuments(args.devFile),
    args.testFile !== undefined ? readLabeledDocuments(args.testFile) : Promise.resolve(undefined),
  ]);
  checkDocuments(trainSet, 'training', args.trainFile);
  checkDocuments(devSet, 'dev', args.devFile);
  if (testSet) checkDocuments(testSet, 'test', args.testFile);
  const count = (documents: readonly Document[]) => sentencesOf(documents).length;
  log(`train: ${count(trainSet)} sentences, dev: ${count(devSet)}${testSet ? `, test: ${count(testSet)}` : ''}`);

  // metrics.tsv is written only inside a save, so that a model folder's files change together.
  let metrics = METRICS_HEADER;
  const epochs: EpochFigures[] = [];
  const summaryArgs = summarizeArgs(args);
  // report.html, like metrics.tsv, is written only inside a save: it shows the saved model on dev.
  const modelFiles = async (model: WindowModel, training: TrainingSummary): Promise<Record<string, string>> => {
    await model.predictAsync(devSet);
    const report = renderTrainingReport({ name: basename(resolve(args.out)), epochs, bestEpoch: training.bestEpoch, stopped: training.stopped, dev: scoreSet(devSet), options: summaryArgs, created: training.created });
    return { [MODEL_FILES.metrics]: metrics, [MODEL_FILES.report]: report };
  };
  const summary = (result: { bestEpoch: number; epochs: number; stopped: string; dev: EpochMetrics['dev'] }, vectors: string | null): TrainingSummary => ({
    args: summaryArgs,
    backend: { name: backend.name, gpu: backend.gpu, ...(backend.adapter ? { adapter: backend.adapter } : {}) },
    vectors,
    ...result,
    seconds: (performance.now() - started) / 1000,
    created: new Date().toISOString(),
  });
  const firstStage = args.firstStageFile === undefined ? args.firstStage : { ...args.firstStage, tags: await readFirstStageFile(args.firstStageFile) };
  // teacherFile was read into teacherProbabilities above.
  const { teacherFile: _teacherFile, ...trainArgs } = args;
  const result = await train({
    ...trainArgs,
    teacher,
    teacherProbabilities,
    firstStage,
    train: trainSet,
    dev: devSet,
    gazetteer,
    onEpoch: async (m, model) => {
      // An ensemble training's files show its first network's epochs, the model saved while training.
      const first = (m.member?.index ?? 1) === 1;
      if (first) {
        epochs.push({ epoch: m.epoch, loss: m.loss, dev: m.dev });
        metrics += metricsLine(m);
      }
      await args.onEpoch?.(m, model);
      if (m.best && first) {
        // Save the best model as soon as it exists, so that Ctrl-C or a crash loses nothing.
        const training = summary({ bestEpoch: m.epoch, epochs: m.epoch, stopped: 'running', dev: m.dev }, args.vectors === undefined ? fixedDefault('vectors') : args.vectors);
        await saveModel(model, args.out, { output, training, extraFiles: await modelFiles(model, training) });
      } else {
        // An epoch that saves nothing does no I/O: give Ctrl-C (the SIGINT handler) its turn.
        await new Promise((r) => setImmediate(r));
      }
    },
  });
  const trained = result.history.length > 0;
  if (result.calibration) log(describeTemperatureFit(result.calibration));
  // Score test with exactly the weights that are saved, so the figure equals `ner eval`'s.
  applyStoredPrecision(result.model);
  let test: EvalResult | undefined;
  if (testSet && trained) test = await evaluateModel(result.model, testSet);
  if (trained) {
    const final = summary({ bestEpoch: result.bestEpoch, epochs: result.history.length, stopped: result.stopped, dev: result.dev }, result.vectors);
    if (result.members) final.members = result.members;
    if (test) final.test = { precision: test.precision, recall: test.recall, f1: test.f1 };
    await saveModel(result.model, args.out, { output, training: final, extraFiles: await modelFiles(result.model, final) });
  }
  // No epoch finished (interrupted): nothing is written, and an existing model in `out` stays as it was.
  return { ...result, backend, test, seconds: (performance.now() - started) / 1000, saved: trained };
}

/** The data files must be paths: a missing one is a usage error, not a read of "undefined". */
function checkFileArgs(args: TrainFilesArgs): void {
  for (const field of ['trainFile', 'devFile', 'testFile'] as const) {
    const value: unknown = args[field];
    if ((value !== undefined || field !== 'testFile') && !(typeof value === 'string' && value !== '')) {
      throw new NerError('E_CONFIG', `${field} must be a file path, got ${JSON.stringify(value) ?? String(value)}`);
    }
  }
}

/**
 * Reads a CoNLL file as labelled documents for training and scoring: each sentence's `gold`
 * tags converted to IOB2 (the scheme models are trained on), once, from the file's scheme.
 *
 * @example
 * const train = await readLabeledDocuments('train.txt'); // an IOB1 file gives IOB2 gold tags
 */
export async function readLabeledDocuments(file: string): Promise<Document[]> {
  const corpus = await readConll(file);
  if (corpus.scheme !== 'IOB2') {
    for (const sentence of sentencesOf(corpus.documents)) sentence.gold = convertTags(sentence.gold!, corpus.scheme, 'IOB2');
  }
  return corpus.documents;
}

/** The first-stage tags of a firstStageFile (see TrainFilesArgs), checked against the data by train(). */
async function readFirstStageFile(file: string): Promise<string[][]> {
  let tags: unknown;
  try {
    tags = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new NerError('E_CONFIG', `firstStageFile ${file} cannot be read as JSON: ${(e as Error).message}`, { hint: 'give a JSON array of tag arrays, one per training sentence' });
  }
  validateFirstStage({ tags });
  return tags as string[][];
}

/** What a training takes besides its data, as TrainArgs wants them (see loadTrainingAids). */
export interface TrainingAids {
  teacher?: WindowModel;
  teacherProbabilities?: TeacherProbabilities;
  gazetteer?: TrainGazetteerArgs;
}

/**
 * Loads what the arguments name besides the data: the teacher model (a folder or bundled
 * name), the saved teacher probabilities of `teacherFile` (else `teacherProbabilities` as
 * given), the gazetteer's list files. trainFiles and scripts/first-stage-tags.ts both use it,
 * so that a recipe trains with the same teacher and names either way.
 */
export async function loadTrainingAids(
  args: Pick<TrainFilesArgs, 'teacher' | 'teacherFile' | 'teacherProbabilities' | 'gazetteer'>,
  log: (line: string) => void = () => {},
): Promise<TrainingAids> {
  const teacher = typeof args.teacher === 'string' ? (await loadModel(args.teacher)).model : args.teacher;
  if (teacher) log(`teacher: ${typeof args.teacher === 'string' ? args.teacher : 'the given model'} (${teacher.memberCount} network${teacher.memberCount > 1 ? 's' : ''})`);
  const teacherProbabilities = args.teacherFile === undefined ? args.teacherProbabilities : await readTeacherFile(args.teacherFile);
  if (args.teacherFile !== undefined) log(`teacher: the probabilities in ${args.teacherFile} (${teacherProbabilities!.probabilities.length / teacherProbabilities!.tags.length} tokens)`);
  return { teacher, teacherProbabilities, gazetteer: await gazetteerFromFiles(args.gazetteer) };
}

/** A teacherFile's probabilities (their fit to the training data is checked by train()). */
async function readTeacherFile(file: string): Promise<TeacherProbabilities> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new NerError('E_FILE', `teacherFile ${file} cannot be read: ${(e as Error).message}`, { hint: 'give the file scripts/first-stage-tags.ts --probabilities wrote' });
  }
  return decodeTeacherProbabilities(bytes, file);
}

/** The options worth keeping in model.json: data files by name only (paths are machine-specific), no first-stage tags. */
function summarizeArgs(args: TrainFilesArgs): Record<string, unknown> {
  const { log: _l, onEpoch: _e, onProgress: _p, signal: _s, out: _o, trainFile, devFile, testFile, firstStageFile, firstStage, teacher, teacherFile, teacherProbabilities, ...rest } = args;
  const { tags: _t, ...stage } = firstStage ?? {};
  return {
    ...rest,
    ...(firstStage ? { firstStage: stage } : {}),
    ...(firstStageFile ? { firstStageFile: basename(firstStageFile) } : {}),
    trainFile: basename(trainFile),
    devFile: basename(devFile),
    ...(testFile ? { testFile: basename(testFile) } : {}),
    ...(teacher !== undefined ? { teacher: typeof teacher === 'string' ? basename(teacher) : 'a loaded model' } : {}),
    ...(teacherFile !== undefined ? { teacherFile: basename(teacherFile) } : teacherProbabilities !== undefined ? { teacherProbabilities: 'given' } : {}),
  };
}
