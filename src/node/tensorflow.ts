/**
 * The one place Node loads TensorFlow.js from: the core and the reference CPU backend (always
 * there), and the wasm and webgpu backends on demand (loadWasmBackend, loadWebGpuBackend).
 *
 * They come from the build's bundles in dist/vendor/ (scripts/build-vendor.mjs), which an
 * installed package ships instead of depending on the tfjs packages (65 MB); a checkout
 * without a build uses the packages themselves (dev dependencies). Either way they are loaded
 * with `require`: an ESM `import` makes Node scan the whole 1 MB core for its export names, a
 * quarter of `ner tag`'s start-up.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

/** dist/vendor/ from the build (dist/src/node/) or from the sources (src/node/), if built. */
function vendorDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, '..', '..', 'vendor'), join(here, '..', '..', 'dist', 'vendor')]) {
    if (existsSync(join(dir, 'tfjs-core.cjs'))) return dir;
  }
  return null;
}

const vendor = vendorDir();
const load = (name: 'tfjs-core' | 'tfjs-backend-cpu' | 'tfjs-backend-wasm' | 'tfjs-backend-webgpu'): unknown =>
  require(vendor ? join(vendor, `${name}.cjs`) : `@tensorflow/${name}`);

export const tf = load('tfjs-core') as typeof TF;
load('tfjs-backend-cpu');

/** Registers the wasm backend (once). */
export function loadWasmBackend(): void {
  if (!tf.findBackendFactory('wasm')) load('tfjs-backend-wasm');
}

/** tfjs-backend-webgpu's backend class, constructed on a device the caller opened. */
export type WebGpuBackendClass = new (device: unknown, adapterInfo?: unknown) => TF.KernelBackend;

/**
 * Loads tfjs-backend-webgpu (750 kB: only when webgpu is asked for) against this core, and
 * returns its backend class. Loading it registers a 'webgpu' factory of its own when
 * navigator.gpu exists; the caller replaces that with one on its own device.
 */
export function loadWebGpuBackend(): WebGpuBackendClass {
  return (load('tfjs-backend-webgpu') as { WebGPUBackend: WebGpuBackendClass }).WebGPUBackend;
}

/** Where TensorFlow.js was loaded from, for messages and tests. */
export const TENSORFLOW_SOURCE = vendor ? 'bundled (dist/vendor)' : 'packages';
