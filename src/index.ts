/**
 * The package's Node entry: installs the Node runtime (TensorFlow.js, files, worker threads),
 * then exports the portable core (also `ner-window/core`) and the Node adapters.
 */
import './node/runtime.js';

export * from './core/index.js';

// Node adapters: files, model folders, worker threads, backends, training from files.
export { readConll, streamConll, readLineBatches, writeConll } from './node/files/conll-files.js';
export { evaluateScoredFile } from './node/files/scored-file.js';
export { evaluateWithModel, predictConllFile, CONLLEVAL_SCORING } from './node/files/evaluate-with-model.js';
export { predictFile } from './node/files/predict-file.js';
export { writeReportFile, checkReportPath } from './node/files/report-file.js';
export { openTextSource, type TextSource } from './node/files/text-source.js';
export { writeChunks, closedByReader } from './node/write-chunks.js';
export { ensembleFiles, type EnsembleFilesArgs } from './node/ensemble-files.js';
export { trainFiles, readLabeledDocuments, type TrainFilesArgs, type TrainFilesResult } from './node/train-files.js';
export { BUNDLED_RECIPE, NETWORK_RECIPE } from './node/recipe.js';
export { useBackend, describeBackend } from './node/backend.js';
export { saveModel, loadModel, type SaveModelArgs } from './node/storage/model-io.js';
export { bundledModelDir, resolveModelDir, BUNDLED_MODEL_NAME } from './node/storage/bundled-model.js';
export { loadPretrained } from './node/vectors.js';
export { TaggerPool, type TaggerPoolArgs } from './node/workers/tagger-pool.js';
