/**
 * The webgpu backend in Node: Dawn from the `webgpu` package (an optional peer dependency),
 * its WebGPU globals and a `navigator.gpu`, an adapter and a device, and tfjs-backend-webgpu
 * registered on that device against this process's TensorFlow.js core (tensorflow.ts), so that
 * tensors the rest of the code makes are the backend's.
 *
 * Each step that can fail says why in words a user can act on: the package is not installed,
 * no Vulkan loader (Linux), no adapter, or the adapter refused the device. Every step is a
 * loader that tests replace (WebGpuLoaders), so that each failure and the success path run in
 * Node without a GPU.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { BackendInfo } from '../core/runtime.js';
import { formatAdapter, openWebGpuDevice, type GpuAdapterLike, type GpuLike } from '../core/util/webgpu-adapter.js';
import { loadWebGpuBackend, tf } from './tensorflow.js';

const require = createRequire(import.meta.url);

/** The package that brings WebGPU (Dawn) to Node. */
export const WEBGPU_PACKAGE = 'webgpu';

/** What the `webgpu` package exports. */
export interface WebGpuPackage {
  /** A GPU (navigator.gpu) with Dawn options, e.g. `backend=vulkan`. */
  create(options: string[]): GpuLike;
  /** The WebGPU constants and classes a browser has as globals (GPUBufferUsage, ...). */
  globals: Record<string, unknown>;
}

/** The steps of starting webgpu that depend on the machine; tests replace them. */
export interface WebGpuLoaders {
  /** Whether the package can be found, without loading it: `auto` stays cheap where it is absent. */
  packageInstalled(): boolean;
  /** Why the Vulkan loader cannot be opened; null where it opens or the platform does not use Vulkan. */
  vulkanProblem(): string | null;
  /** Loads the package (Dawn's native module). */
  loadPackage(): Promise<WebGpuPackage>;
  /** Registers tfjs's webgpu backend on the device, as 'webgpu', with this process's core. */
  register(device: unknown, adapter: GpuAdapterLike): void;
}

/** Starting webgpu either worked (the backend is active) or failed for a reason with a remedy. */
export type WebGpuStart = { ok: true; info: BackendInfo } | { ok: false; problem: string; hint: string };

const OR_WASM = 'or use --backend wasm';

export const defaultWebGpuLoaders: WebGpuLoaders = {
  packageInstalled() {
    try {
      require.resolve(WEBGPU_PACKAGE);
      return true;
    } catch {
      return false;
    }
  },
  vulkanProblem() {
    // Dawn uses Vulkan on Linux (Metal on macOS, D3D12 on Windows). Opening the loader as if
    // it were an addon tells a missing library ("cannot open shared object file") from one
    // that opens ("did not self-register"), before Dawn prints its own warning.
    if (process.platform !== 'linux') return null;
    try {
      process.dlopen({ exports: {} }, 'libvulkan.so.1');
    } catch (err) {
      const message = (err as Error).message;
      return /did not self-register/i.test(message) ? null : firstLine(message);
    }
    return null;
  },
  async loadPackage() {
    return (await import(pathToFileURL(require.resolve(WEBGPU_PACKAGE)).href)) as WebGpuPackage;
  },
  register(device, adapter) {
    const WebGPUBackend = loadWebGpuBackend();
    const backend = new WebGPUBackend(device, adapter.info);
    // Loading tfjs-backend-webgpu with navigator.gpu present registers a factory that opens
    // its own adapter: this device's backend replaces it.
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => backend);
  },
};

/** The last webgpu backend started, per set of loaders: a second request reuses it (tensors live on it). */
let active: { loaders: WebGpuLoaders; info: BackendInfo } | undefined;

/**
 * Starts the webgpu backend and makes it the active one. `hardwareOnly` (auto): a software
 * adapter (SwiftShader, lavapipe: slower than wasm) is not used.
 */
export async function startWebGpu(loaders: WebGpuLoaders, options: { hardwareOnly: boolean }): Promise<WebGpuStart> {
  if (active?.loaders === loaders && tf.findBackend('webgpu') && (!options.hardwareOnly || active.info.gpu)) {
    await tf.setBackend('webgpu');
    return { ok: true, info: { ...active.info, notes: [] } };
  }
  if (!loaders.packageInstalled()) {
    return {
      ok: false,
      problem: `the \`${WEBGPU_PACKAGE}\` package (Dawn for Node) is not installed`,
      hint: `npm install ${WEBGPU_PACKAGE}, an optional peer dependency of ner-window; ${OR_WASM}`,
    };
  }
  const vulkan = loaders.vulkanProblem();
  if (vulkan !== null) {
    return {
      ok: false,
      problem: `no Vulkan loader (${vulkan})`,
      hint: `install the Vulkan loader and your GPU's Vulkan driver, e.g. on Debian/Ubuntu libvulkan1 with NVIDIA's driver, or mesa-vulkan-drivers for AMD and Intel; ${OR_WASM}`,
    };
  }
  let pkg: WebGpuPackage;
  try {
    pkg = await loaders.loadPackage();
  } catch (err) {
    return {
      ok: false,
      problem: `the \`${WEBGPU_PACKAGE}\` package failed to load (${firstLine((err as Error).message ?? String(err))})`,
      hint: `reinstall ${WEBGPU_PACKAGE} for this platform, ${process.platform}-${process.arch}; ${OR_WASM}`,
    };
  }
  const gpu = installNavigatorGpu(pkg);
  const opened = await openWebGpuDevice(gpu, options);
  switch (opened.kind) {
    case 'no-adapter':
      return {
        ok: false,
        problem: `no GPU adapter found (${opened.reason})`,
        hint: `check the GPU driver: on Linux \`vulkaninfo --summary\` should list the GPU, macOS needs Metal, Windows D3D12; ${OR_WASM}`,
      };
    case 'software':
      return { ok: false, problem: `the only adapter is ${formatAdapter(opened.info)}, slower than wasm`, hint: 'ask for --backend webgpu to use it anyway' };
    case 'refused':
      return {
        ok: false,
        problem: `the adapter ${formatAdapter(opened.info)} refused a device (${opened.reason})`,
        hint: `this driver lacks what WebGPU needs: update the GPU driver; ${OR_WASM}`,
      };
  }
  try {
    loaders.register(opened.device, opened.adapter);
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not initialise it');
    await tf.ready();
  } catch (err) {
    return {
      ok: false,
      problem: `tfjs-backend-webgpu failed to start on ${formatAdapter(opened.info)} (${firstLine((err as Error).message ?? String(err))})`,
      hint: OR_WASM,
    };
  }
  const info: BackendInfo = { name: 'webgpu', gpu: !opened.info.software, adapter: opened.info, notes: [] };
  active = { loaders, info };
  return { ok: true, info: { ...info, notes: [] } };
}

/** Makes the package's globals and a navigator.gpu what tfjs-backend-webgpu expects of a browser. */
function installNavigatorGpu(pkg: WebGpuPackage): GpuLike {
  const global = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(pkg.globals ?? {})) {
    if (!(name in global)) global[name] = value;
  }
  const gpu = pkg.create([]);
  // Node 21+ has a navigator (without gpu); Node 20 none.
  if (global.navigator === undefined) global.navigator = {};
  Object.defineProperty(global.navigator as object, 'gpu', { value: gpu, configurable: true, enumerable: true, writable: true });
  return gpu;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
