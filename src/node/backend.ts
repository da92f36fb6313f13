/**
 * The backends in Node: `auto` is native TensorFlow (GPU build) if it loads, else wasm, else cpu.
 * Used through the Node runtime (runtime.ts).
 */
import { createRequire } from 'node:module';
import { NerError } from '../core/errors.js';
import { loadWasmBackend, tf } from './tensorflow.js';
import { BACKENDS, type BackendInfo, type BackendRequest } from '../core/runtime.js';

export { BACKENDS, type BackendInfo, type BackendRequest };

const require = createRequire(import.meta.url);

/** The optional package of the GPU path. Its install downloads libtensorflow, so it is often absent. */
export const NATIVE_PACKAGE = '@tensorflow/tfjs-node-gpu';

/** How the native package is loaded; tests replace it. */
export type NativeLoader = () => Promise<unknown>;

const defaultNativeLoader: NativeLoader = async () => require(NATIVE_PACKAGE);

/**
 * Activates a TensorFlow.js backend and says which one runs.
 *
 * @example
 * const info = await useBackend('auto');
 * console.error(`backend: ${info.name}${info.gpu ? ' (GPU)' : ''}`);
 */
export async function useBackend(request: BackendRequest = 'auto', loadNative: NativeLoader = defaultNativeLoader): Promise<BackendInfo> {
  if (!(BACKENDS as readonly string[]).includes(request)) {
    throw new NerError('E_USAGE', `unknown backend "${request}"`, { hint: `choose from ${BACKENDS.join(', ')}` });
  }
  const notes: string[] = [];
  if (request === 'auto' || request === 'tensorflow') {
    const failure = await tryNative(loadNative);
    if (failure === null) return { name: 'tensorflow', gpu: usingGpu(), notes };
    if (request === 'tensorflow') {
      throw new NerError('E_BACKEND', `the tensorflow backend is not available: ${failure}`, {
        hint: `install ${NATIVE_PACKAGE} (its install script downloads libtensorflow), or use --backend wasm`,
      });
    }
    notes.push(`${NATIVE_PACKAGE} not available (${failure}); using wasm`);
  }
  if (request === 'auto' || request === 'wasm') {
    const failure = await tryWasm();
    if (failure === null) return { name: 'wasm', gpu: false, notes };
    if (request === 'wasm') throw new NerError('E_BACKEND', `the wasm backend failed to start: ${failure}`, { hint: 'use --backend cpu' });
    notes.push(`wasm backend failed (${failure}); using cpu`);
  }
  await tf.setBackend('cpu');
  return { name: 'cpu', gpu: false, notes };
}

async function tryNative(loadNative: NativeLoader): Promise<string | null> {
  try {
    await loadNative();
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    return /Cannot find (module|package)/.test(message) ? 'not installed' : firstLine(message);
  }
  try {
    return (await tf.setBackend('tensorflow')) ? null : 'it loaded but did not register a backend';
  } catch (err) {
    return firstLine((err as Error).message);
  }
}

async function tryWasm(): Promise<string | null> {
  try {
    loadWasmBackend();
    return (await tf.setBackend('wasm')) ? null : 'initialisation failed';
  } catch (err) {
    return firstLine((err as Error).message);
  }
}

function usingGpu(): boolean {
  // tfjs-node exposes whether TensorFlow placed ops on a GPU through its binding.
  const binding = (tf.backend() as unknown as { binding?: { isUsingGpuDevice?: () => boolean } }).binding;
  try {
    return binding?.isUsingGpuDevice?.() ?? false;
  } catch {
    return false;
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/** A line for stderr saying which backend runs and why. */
export function describeBackend(info: BackendInfo): string {
  const gpu = info.name === 'tensorflow' ? (info.gpu ? ' on GPU' : ' on CPU (no GPU found)') : '';
  return [`backend: ${info.name}${gpu}`, ...info.notes.map((n) => `  note: ${n}`)].join('\n');
}
