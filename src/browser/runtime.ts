/**
 * The browser runtime of the core (see core/runtime.ts): TensorFlow.js as ES modules with the
 * wasm backend (and the plain cpu one as a fallback), SHA-256 through WebCrypto where the page
 * is a secure context and in JavaScript elsewhere, no file system (models load from URLs or
 * bytes) and one thread per training step.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { NerError } from '../core/errors.js';
import { BACKENDS, installRuntime, type BackendInfo, type BackendRequest, type Runtime } from '../core/runtime.js';
import { sha256Hex } from '../core/util/sha256.js';
import { WASM_FILES } from './wasm-files.js';

let wasmPaths: string | undefined;

/**
 * Where the wasm backend's `.wasm` files are served (a folder URL ending in `/`), as tfjs's
 * `setWasmPaths`. Default: the binaries embedded in the bundle (the build's), else the folder
 * of this module.
 *
 * @example
 * setWasmLocation('https://cdn.example.com/ner-window/');
 */
export function setWasmLocation(prefix: string | URL): void {
  wasmPaths = String(prefix);
}

function defaultWasmPaths(): string {
  return new URL('./', import.meta.url).href;
}

async function useBackend(request: BackendRequest): Promise<BackendInfo> {
  if (!(BACKENDS as readonly string[]).includes(request)) {
    throw new NerError('E_CONFIG', `unknown backend "${request}"`, { hint: `choose from ${BACKENDS.join(', ')}` });
  }
  if (request === 'tensorflow') {
    throw new NerError('E_BACKEND', 'the tensorflow backend needs Node (@tensorflow/tfjs-node-gpu); it does not run in a browser', { hint: "use 'wasm' or 'auto'" });
  }
  const notes: string[] = [];
  if (request === 'auto' || request === 'wasm') {
    try {
      if (wasmPaths !== undefined || Object.keys(WASM_FILES).length === 0) setWasmPaths(wasmPaths ?? defaultWasmPaths());
      // A cross-origin-isolated page runs the threaded binary: served beside the bundle, not embedded.
      else setWasmPaths({ 'tfjs-backend-wasm-threaded-simd.wasm': new URL('tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href, ...WASM_FILES });
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { name: 'wasm', gpu: false, notes };
      }
      throw new Error('initialisation failed');
    } catch (err) {
      const reason = (err as Error).message.split('\n')[0];
      if (request === 'wasm') throw new NerError('E_BACKEND', `the wasm backend failed to start: ${reason}`, { hint: 'check where the .wasm files are served (setWasmLocation), or use cpu' });
      notes.push(`wasm backend failed (${reason}); using cpu`);
    }
  }
  await tf.setBackend('cpu');
  return { name: 'cpu', gpu: false, notes };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256Hex(bytes);
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const browserRuntime: Runtime = {
  name: 'browser',
  tf,
  useBackend,
  sha256,
  cores: globalThis.navigator?.hardwareConcurrency ?? 1,
};

installRuntime(browserRuntime);
