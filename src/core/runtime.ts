/**
 * What the portable core needs from the platform it runs on, in one small interface that the
 * Node adapter (src/node/runtime.ts) and a browser build implement: TensorFlow.js and its
 * backends, SHA-256, the core count, reading a model named by a path, and the second thread of
 * a training step. The core imports no platform module; an entry point installs a runtime
 * before anything computes.
 *
 * @example
 * import { installRuntime } from 'ner-window/core';
 * installRuntime(myRuntime); // done for you by `import 'ner-window'` in Node
 */
import type * as TF from '@tensorflow/tfjs-core';
import { NerError } from './errors.js';
import type { PretrainedVectors } from './features/pretrained.js';
import type { ModelFileSource } from './storage/model-source.js';
import type { StepWorker, StepWorkerData } from './train/step/step-thread.js';

/**
 * Backends a user can ask for. `auto`: webgpu when a hardware GPU adapter is found, else wasm,
 * else cpu.
 */
export const BACKENDS = ['auto', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKENDS)[number];

/** The WebGPU adapter a webgpu backend runs on, as the platform describes it. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software adapter (SwiftShader, lavapipe, a fallback adapter): correct, not fast. */
  software: boolean;
}

/** The backend that actually runs, as reported at start and stored in a model's metadata. */
export interface BackendInfo {
  name: 'webgpu' | 'wasm' | 'cpu';
  /** Whether it computes on a hardware GPU. */
  gpu: boolean;
  /** The adapter, for webgpu. */
  adapter?: GpuAdapterInfo;
  /** Why a faster backend was not used, for the user to read. */
  notes: string[];
}

export interface Runtime {
  /** `node` or `browser`: for messages. */
  readonly name: string;
  /**
   * TensorFlow.js core with the cpu backend registered. Internal: kept out of the published
   * types, so that a user's compiler never needs TensorFlow.js's own (which the package does not install).
   * @internal
   */
  readonly tf: typeof TF;
  /** Activates a backend and says which one runs; an unavailable one asked for by name is an E_BACKEND error. */
  useBackend(request: BackendRequest): Promise<BackendInfo>;
  /** Lower-case hex SHA-256 of `bytes` (model file checks). */
  sha256(bytes: Uint8Array): string | Promise<string>;
  /** Processor cores this process may use. */
  readonly cores: number;
  /**
   * The files of a model the core cannot read itself: a directory path, a bundled model's name
   * or a `file:` URL (Node); undefined: the bundled default model. Absent where there is no
   * file system: then models load from http(s) URLs and bytes.
   */
  modelSource?(source: string | URL | undefined): Promise<ModelFileSource>;
  /** Loads named pretrained vectors (the default package, a GloVe/word2vec file), at most `limit` words; `onWords` hears how many so far. */
  loadVectors?(source: string, limit: number, onWords?: (words: number) => void): Promise<PretrainedVectors>;
  /** Starts the thread that computes half of each training step; absent: steps run on one thread. */
  startStepWorker?(data: StepWorkerData): Promise<StepWorker>;
}

const INSTALL_HINT = "import 'ner-window' (Node or browser build) before using 'ner-window/core', or call installRuntime";

let installed: Runtime | undefined;

const notInstalled = new Proxy({} as typeof TF, {
  get() {
    throw new NerError('E_BACKEND', 'TensorFlow.js is not set up: no runtime is installed', { hint: INSTALL_HINT });
  },
});

/**
 * TensorFlow.js as the installed runtime provides it: the core never loads it itself, so that
 * Node can load it the fast way (CommonJS `require`) and a browser bundle its ES modules. A
 * live binding: modules that import it see the runtime's once it is installed; before that,
 * using it is an error that says what is missing.
 * @internal
 */
export let tf: typeof TF = notInstalled;

/** Makes `runtime` the one the core uses from now on (an entry point does this once). */
export function installRuntime(runtime: Runtime): void {
  installed = runtime;
  tf = runtime.tf;
}

/** The installed runtime; none installed is an error saying how to get one. */
export function runtime(): Runtime {
  if (!installed) {
    throw new NerError('E_BACKEND', 'no runtime is installed', { hint: INSTALL_HINT });
  }
  return installed;
}
