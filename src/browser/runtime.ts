/**
 * The browser runtime of the core (see core/runtime.ts): TensorFlow.js as ES modules with the
 * webgpu backend (where the browser has WebGPU and a GPU adapter), the wasm backend, and the
 * plain cpu one as a fallback, SHA-256 through WebCrypto where the page
 * is a secure context and in JavaScript elsewhere, no file system (models load from URLs or
 * bytes) and one thread per training step.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { NerError } from '../core/errors.js';
import { BACKENDS, installRuntime, type BackendInfo, type BackendRequest, type Runtime } from '../core/runtime.js';
import { sha256Hex } from '../core/util/sha256.js';
import { formatAdapter, openWebGpuDevice, type GpuLike } from '../core/util/webgpu-adapter.js';
import { WASM_FILES } from './wasm-files.js';

// tfjs-backend-webgpu registers, where navigator.gpu exists, a factory of its own that tfjs
// would pick by priority over wasm; useBackend registers one on the device it opened instead.
if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');

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
  const notes: string[] = [];
  if (request === 'auto' || request === 'webgpu') {
    const started = await startWebGpu(request === 'auto');
    if (started.ok) return started.info;
    if (request === 'webgpu') throw new NerError('E_BACKEND', `the webgpu backend cannot start: ${started.problem}`, { hint: started.hint });
    notes.push(`webgpu not used: ${started.problem}; using wasm`);
  }
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

const OR_WASM = "or use the 'wasm' backend";

/** The webgpu backend this page started: later requests reuse it (the tensors made so far live on it). */
let webgpu: BackendInfo | undefined;
/**
 * The adapter and device it runs on, held for the page's lifetime: the backend keeps only the
 * device, and once the adapter is collected Chromium fails every later read ("A valid external
 * Instance reference no longer exists").
 */
let webgpuHandles: { adapter: unknown; device: unknown } | undefined;

/**
 * Opens a WebGPU device and makes tfjs's webgpu backend on it the active one. `hardwareOnly`
 * (auto): a software adapter (SwiftShader: correct, slower than wasm) is not used.
 */
async function startWebGpu(hardwareOnly: boolean): Promise<{ ok: true; info: BackendInfo } | { ok: false; problem: string; hint: string }> {
  if (webgpu && tf.findBackend('webgpu') && (!hardwareOnly || webgpu.gpu)) {
    await tf.setBackend('webgpu');
    return { ok: true, info: { ...webgpu, notes: [] } };
  }
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) {
    return {
      ok: false,
      problem: 'this browser has no WebGPU (navigator.gpu is missing)',
      hint: `use a browser with WebGPU, such as Chrome or Edge 113+, Safari 26+ or Firefox 141+ on Windows, on an https or localhost page; ${OR_WASM}`,
    };
  }
  const opened = await openWebGpuDevice(gpu, { hardwareOnly });
  switch (opened.kind) {
    case 'no-adapter':
      return { ok: false, problem: `WebGPU found no adapter (${opened.reason})`, hint: `the GPU may be disabled or blocklisted, see chrome://gpu; ${OR_WASM}` };
    case 'software':
      return { ok: false, problem: `the only adapter is ${formatAdapter(opened.info)}, slower than wasm`, hint: "ask for 'webgpu' to use it anyway" };
    case 'refused':
      return { ok: false, problem: `the adapter ${formatAdapter(opened.info)} refused a device (${opened.reason})`, hint: `update the browser or the GPU driver; ${OR_WASM}` };
  }
  try {
    const backend = new WebGPUBackend(opened.device as ConstructorParameters<typeof WebGPUBackend>[0], opened.adapter.info as ConstructorParameters<typeof WebGPUBackend>[1]);
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => backend);
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not initialise it');
    await tf.ready();
  } catch (err) {
    return { ok: false, problem: `tfjs-backend-webgpu failed to start on ${formatAdapter(opened.info)} (${(err as Error).message.split('\n')[0]})`, hint: OR_WASM };
  }
  webgpu = { name: 'webgpu', gpu: !opened.info.software, adapter: opened.info, notes: [] };
  webgpuHandles = { adapter: opened.adapter, device: opened.device };
  return { ok: true, info: { ...webgpu, notes: [] } };
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
