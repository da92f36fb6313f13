/**
 * The Node runtime of the core (see core/runtime.ts), installed when this module is first
 * imported: every Node entry point (the package's index, the CLI, the worker threads) imports
 * it before anything computes.
 */
import './wasm-features.js';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { installRuntime, type Runtime } from '../core/runtime.js';
import { useBackend } from './backend.js';
import { bundledModelDir } from './storage/bundled-model.js';
import { directorySource } from './storage/model-io.js';
import { tf } from './tensorflow.js';
import { loadPretrained } from './vectors.js';
import { startStepWorker } from './workers/start-step-worker.js';

export const nodeRuntime: Runtime = {
  name: 'node',
  tf,
  useBackend: (request) => useBackend(request),
  sha256: (bytes) => createHash('sha256').update(bytes).digest('hex'),
  cores: availableParallelism(),
  modelSource: (source) => directorySource(source === undefined ? bundledModelDir() : source instanceof URL ? fileURLToPath(source) : source),
  loadVectors: (source, limit, onWords) => loadPretrained(source, { limit, onWords }),
  startStepWorker,
};

installRuntime(nodeRuntime);
