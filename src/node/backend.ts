/**
 * The backends in Node: `auto` is webgpu when the `webgpu` package is installed and finds a
 * hardware GPU adapter, else wasm, else cpu. Used through the Node runtime (runtime.ts).
 */
import { NerError } from '../core/errors.js';
import { formatAdapter } from '../core/util/webgpu-adapter.js';
import { loadWasmBackend, tf } from './tensorflow.js';
import { defaultWebGpuLoaders, startWebGpu, type WebGpuLoaders } from './webgpu.js';
import { BACKENDS, type BackendInfo, type BackendRequest } from '../core/runtime.js';

export { BACKENDS, type BackendInfo, type BackendRequest };
export { WEBGPU_PACKAGE, type WebGpuLoaders } from './webgpu.js';

/** Why `tensorflow` (tfjs-node-gpu) is no longer a backend, for whoever still asks for it. */
export const TENSORFLOW_REMOVED =
  'the tensorflow backend (@tensorflow/tfjs-node-gpu) was removed: its libtensorflow 2.9 (CUDA 11.2) does not install from npm alone nor run on current CUDA drivers';

/**
 * Activates a TensorFlow.js backend and says which one runs. `webgpu` replaces the machine
 * steps of starting webgpu (tests).
 *
 * @example
 * const info = await useBackend('auto');
 * console.error(describeBackend(info));
 */
export async function useBackend(request: BackendRequest = 'auto', webgpu: WebGpuLoaders = defaultWebGpuLoaders): Promise<BackendInfo> {
  if ((request as string) === 'tensorflow') throw new NerError('E_USAGE', TENSORFLOW_REMOVED, { hint: 'use webgpu for the GPU, with the webgpu package and a GPU driver, or wasm' });
  if (!(BACKENDS as readonly string[]).includes(request)) {
    throw new NerError('E_USAGE', `unknown backend "${request}"`, { hint: `choose from ${BACKENDS.join(', ')}` });
  }
  const notes: string[] = [];
  if (request === 'auto' || request === 'webgpu') {
    const started = await startWebGpu(webgpu, { hardwareOnly: request === 'auto' });
    if (started.ok) return started.info;
    if (request === 'webgpu') throw new NerError('E_BACKEND', `the webgpu backend cannot start: ${started.problem}`, { hint: started.hint });
    notes.push(`webgpu not used: ${started.problem}; using wasm`);
  }
  if (request === 'auto' || request === 'wasm') {
    const failure = await tryWasm();
    if (failure === null) return { name: 'wasm', gpu: false, notes };
    if (request === 'wasm') throw new NerError('E_BACKEND', `the wasm backend failed to start: ${failure}`, { hint: 'use --backend cpu' });
    notes.push(`wasm backend failed (${failure}); using cpu`);
  }
  await tf.setBackend('cpu');
  // On first use in Node the cpu backend prints an advertisement for tfjs-node, which this
  // package does not use (see the README's Backends): marked as used, it stays quiet.
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
  return { name: 'cpu', gpu: false, notes };
}

async function tryWasm(): Promise<string | null> {
  try {
    loadWasmBackend();
    return (await tf.setBackend('wasm')) ? null : 'initialisation failed';
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

/** Lines for stderr saying which backend runs, on which adapter, and why a faster one was not used. */
export function describeBackend(info: BackendInfo): string {
  const on = info.adapter ? ` on ${formatAdapter(info.adapter)}` : '';
  return [`backend: ${info.name}${on}`, ...info.notes.map((n) => `  note: ${n}`)].join('\n');
}
