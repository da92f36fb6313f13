/**
 * Issue 14: the webgpu backend in Node. Each way it cannot start (no `webgpu` package, no
 * Vulkan loader, no adapter, the adapter refusing a device) is simulated through injected
 * loaders and must name its reason and remedy; `auto` falls back to wasm saying why, and uses a
 * hardware adapter (a fake one, registering the cpu kernels as 'webgpu'). On a machine without
 * a Vulkan loader (this one) the real backend and `ner train --backend webgpu` fail with it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describeBackend, useBackend, type WebGpuLoaders } from '../../src/node/backend.js';
import { defaultWebGpuLoaders, type WebGpuPackage } from '../../src/node/webgpu.js';
import { loadWebGpuBackend, TENSORFLOW_SOURCE } from '../../src/node/tensorflow.js';
import { validateManifest } from '../../src/core/storage/manifest-schema.js';
import type { GpuAdapterLike } from '../../src/core/util/webgpu-adapter.js';
import { tf } from '../../src/core/model/tf.js';
import { runCli } from '../helpers/cli.js';

const NVIDIA = { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'NVIDIA GeForce RTX 3080' };
const SWIFTSHADER = { vendor: 'google', architecture: 'swiftshader', device: '', description: '' };
const LAVAPIPE = { vendor: 'mesa', architecture: '', device: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' };

/** What the fakes saw. */
interface Seen {
  steps: string[];
  device?: { requiredLimits?: Record<string, number> };
}

function fakeAdapter(info: GpuAdapterLike['info'], seen: Seen, refuse?: string, fallback = false): GpuAdapterLike {
  return {
    features: new Set<string>(),
    limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 },
    info,
    isFallbackAdapter: fallback,
    async requestDevice(descriptor) {
      seen.steps.push('requestDevice');
      if (refuse) throw new Error(refuse);
      seen.device = descriptor;
      return { fake: 'device' };
    },
  };
}

/** Loaders whose every step works, with `adapter` (null: none found); `over` breaks one. */
function loaders(seen: Seen, adapter: GpuAdapterLike | null, over: Partial<WebGpuLoaders> = {}): WebGpuLoaders {
  const pkg: WebGpuPackage = {
    create: () => ({
      async requestAdapter() {
        seen.steps.push('requestAdapter');
        return adapter;
      },
    }),
    globals: { GPUBufferUsage: { MAP_READ: 1 } },
  };
  return {
    packageInstalled: () => (seen.steps.push('resolve'), true),
    vulkanProblem: () => (seen.steps.push('vulkan'), null),
    loadPackage: async () => (seen.steps.push('load'), pkg),
    register: (device) => {
      seen.steps.push(`register ${JSON.stringify(device)}`);
      if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
      tf.registerBackend('webgpu', () => new MathBackendCPU());
    },
    ...over,
  };
}

afterEach(async () => {
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  delete (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
  await tf.setBackend('cpu');
});

describe('asking for webgpu where it cannot start is an E_BACKEND error naming why', () => {
  it('the webgpu package is not installed: says to install it, loads nothing', async () => {
    const seen: Seen = { steps: [] };
    const err = await useBackend('webgpu', loaders(seen, null, { packageInstalled: () => false })).catch((e) => e);
    expect(err).toMatchObject({ code: 'E_BACKEND', message: expect.stringMatching(/^the webgpu backend cannot start: the `webgpu` package \(Dawn for Node\) is not installed/) });
    expect(err.hint).toMatch(/npm install webgpu/);
    expect(seen.steps).toEqual([]);
  });

  it('no Vulkan loader: names the library and what to install, before Dawn is loaded', async () => {
    const seen: Seen = { steps: [] };
    const missing = () => 'libvulkan.so.1: cannot open shared object file: No such file or directory';
    const err = await useBackend('webgpu', loaders(seen, null, { vulkanProblem: missing })).catch((e) => e);
    expect(err.code).toBe('E_BACKEND');
    expect(err.message).toMatch(/cannot start: no Vulkan loader \(libvulkan\.so\.1: cannot open shared object file/);
    expect(err.hint).toMatch(/libvulkan1/);
    expect(seen.steps).toEqual(['resolve']);
  });

  it('the package fails to load (a broken dawn.node): says so with the reason', async () => {
    const seen: Seen = { steps: [] };
    const broken = () => Promise.reject(new Error("/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found\nmore"));
    const err = await useBackend('webgpu', loaders(seen, null, { loadPackage: broken })).catch((e) => e);
    expect(err.message).toMatch(/the `webgpu` package failed to load \(.*GLIBC_2\.38' not found\) \(reinstall/);
    expect(err.hint).toMatch(/reinstall webgpu for this platform/);
  });

  it('no adapter found: says so and how to check the driver', async () => {
    const seen: Seen = { steps: [] };
    const err = await useBackend('webgpu', loaders(seen, null)).catch((e) => e);
    expect(err.message).toMatch(/cannot start: no GPU adapter found \(requestAdapter\(\) found none\)/);
    expect(err.hint).toMatch(/vulkaninfo --summary/);
    expect(seen.steps).toEqual(['resolve', 'vulkan', 'load', 'requestAdapter']);
    // tfjs-backend-webgpu expects a browser's globals: they are installed.
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeDefined();
    expect((globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage).toBeDefined();
  });

  it("the adapter refuses the device: names the adapter and the driver's reason", async () => {
    const seen: Seen = { steps: [] };
    const reason = 'shaderUniformBufferArrayDynamicIndexing required';
    const err = await useBackend('webgpu', loaders(seen, fakeAdapter(LAVAPIPE, seen, reason))).catch((e) => e);
    expect(err.message).toBe(`the webgpu backend cannot start: the adapter mesa (llvmpipe (LLVM 15.0.6, 256 bits), software) refused a device (${reason}) (${err.hint})`);
    expect(err.hint).toMatch(/update the GPU driver/);
  });

  it('tensorflow was removed: a usage error saying so and to use webgpu', async () => {
    await expect(useBackend('tensorflow' as never)).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/tensorflow backend \(@tensorflow\/tfjs-node-gpu\) was removed.*use webgpu/) });
  });
});

describe('auto and a working adapter', () => {
  it('auto without the package: wasm, a note saying why, and nothing else tried', async () => {
    const seen: Seen = { steps: [] };
    const info = await useBackend('auto', loaders(seen, null, { packageInstalled: () => false }));
    expect(info).toMatchObject({ name: 'wasm', gpu: false });
    expect(info.notes).toEqual(['webgpu not used: the `webgpu` package (Dawn for Node) is not installed; using wasm']);
    expect(seen.steps).toEqual([]);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto on a software adapter (SwiftShader, lavapipe, a fallback adapter): wasm with a note, no device asked for', async () => {
    for (const [adapterInfo, fallback] of [[SWIFTSHADER, false], [LAVAPIPE, false], [{ ...NVIDIA, description: 'Some GPU' }, true]] as const) {
      const seen: Seen = { steps: [] };
      const info = await useBackend('auto', loaders(seen, fakeAdapter(adapterInfo, seen, undefined, fallback)));
      expect(info.name).toBe('wasm');
      expect(info.notes[0]).toMatch(/^webgpu not used: the only adapter is .*software\), slower than wasm; using wasm$/);
      expect(seen.steps).not.toContain('requestDevice');
    }
  });

  it('auto on a hardware adapter: webgpu, named in BackendInfo and describeBackend, with the adapter limits', async () => {
    const seen: Seen = { steps: [] };
    const nvidia = loaders(seen, fakeAdapter(NVIDIA, seen));
    const info = await useBackend('auto', nvidia);
    expect(info).toEqual({ name: 'webgpu', gpu: true, adapter: { ...NVIDIA, software: false }, notes: [] });
    expect(tf.getBackend()).toBe('webgpu');
    expect(describeBackend(info)).toBe('backend: webgpu on nvidia (ampere, NVIDIA GeForce RTX 3080)');
    expect(seen.device?.requiredLimits).toEqual({ maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 });
    expect(seen.steps.at(-1)).toBe('register {"fake":"device"}');
    // A second request reuses the backend (tensors made on it stay valid): no second device.
    await tf.setBackend('cpu');
    expect(await useBackend('webgpu', nvidia)).toEqual(info);
    expect(tf.getBackend()).toBe('webgpu');
    expect(seen.steps.filter((s) => s === 'requestDevice')).toHaveLength(1);
  });

  it('webgpu by name runs on a software adapter, reported as software and not a GPU', async () => {
    const seen: Seen = { steps: [] };
    const info = await useBackend('webgpu', loaders(seen, fakeAdapter(SWIFTSHADER, seen)));
    expect(info).toMatchObject({ name: 'webgpu', gpu: false, adapter: { architecture: 'swiftshader', software: true } });
    expect(describeBackend(info)).toBe('backend: webgpu on google (swiftshader, software)');
  });
});

describe('tfjs-backend-webgpu in Node', () => {
  it('is loaded only when webgpu is asked for, and registers its kernels with the core the rest of the code uses', () => {
    // Loading the runtime and failing to start webgpu (above) never loaded it.
    expect(tf.getKernelsForBackend('webgpu')).toHaveLength(0);
    const WebGPUBackend = loadWebGpuBackend();
    expect(typeof WebGPUBackend).toBe('function');
    // The kernels land in this core's registry (the dist/vendor bundle, or the package): one engine.
    expect(tf.getKernelsForBackend('webgpu').map((k) => k.kernelName)).toEqual(expect.arrayContaining(['BatchMatMul', 'GatherV2', 'UnsortedSegmentSum']));
    expect(['bundled (dist/vendor)', 'packages']).toContain(TENSORFLOW_SOURCE);
  });
});

describe('model.json records the adapter', () => {
  const manifest = () => JSON.parse(readFileSync(join(import.meta.dirname, '../../models/conll2003-en/model.json'), 'utf8'));

  it('an adapter in training.backend loads; one of the wrong shape is refused naming the field', () => {
    const good = manifest();
    good.training = { ...good.training, backend: { name: 'webgpu', gpu: true, adapter: { ...NVIDIA, software: false } } };
    expect(validateManifest(good, 'model.json').training?.backend.adapter?.vendor).toBe('nvidia');
    const old = manifest();
    old.training = { ...old.training, backend: { name: 'tensorflow', gpu: false } };
    expect(() => validateManifest(old, 'model.json')).not.toThrow();
    const bad = manifest();
    bad.training = { ...bad.training, backend: { name: 'webgpu', gpu: true, adapter: { ...NVIDIA, software: 'no' } } };
    expect(() => validateManifest(bad, 'model.json')).toThrow(/training\.backend\.adapter\.software: expected true or false, found "no"/);
    const noVendor = manifest();
    noVendor.training = { ...noVendor.training, backend: { name: 'webgpu', gpu: true, adapter: { software: true } } };
    expect(() => validateManifest(noVendor, 'model.json')).toThrow(/training\.backend\.adapter\.vendor: expected a string, found nothing/);
  });
});

// This machine has no Vulkan loader; where one exists these say nothing about it.
const noVulkan = defaultWebGpuLoaders.vulkanProblem() !== null;

describe.runIf(noVulkan)('on a machine without a Vulkan loader', () => {
  const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
  const tiny = ['--vectors', 'none', '--features', 'word:16,casing:4', '--hidden', '32', '--batch-size', '16', '--epochs', '1'];

  it('the real useBackend("webgpu") fails with the no-Vulkan message', async () => {
    await expect(useBackend('webgpu')).rejects.toMatchObject({ code: 'E_BACKEND', message: expect.stringMatching(/^the webgpu backend cannot start: no Vulkan loader \(libvulkan\.so\.1: cannot open shared object file/) });
  });

  it('ner train --backend webgpu exits 1 with it, before reading the data, writing nothing to --out', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ner-webgpu-'));
    const out = join(root, 'new', 'model');
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', out, ...tiny, '--backend', 'webgpu');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ner train: the webgpu backend cannot start: no Vulkan loader \(libvulkan\.so\.1: .*libvulkan1/);
    expect(run.stderr).not.toMatch(/train: \d+ sentences|epoch/);
    expect(existsSync(join(root, 'new'))).toBe(false);
    // A training file that does not exist is not even opened: the backend fails first.
    const empty = mkdtempSync(join(tmpdir(), 'ner-webgpu-'));
    const missing = await runCli('train', '--train', join(root, 'no-such.conll'), '--dev', FIXTURE, '--out', empty, ...tiny, '--backend', 'webgpu');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no Vulkan loader/);
    expect(missing.stderr).not.toMatch(/no-such\.conll/);
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe('the CLI', () => {
  const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');

  it('ner train --backend tensorflow is a usage error (exit 2) saying it was removed and to use webgpu', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ner-webgpu-'));
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', join(root, 'm'), '--vectors', 'none', '--epochs', '1', '--backend', 'tensorflow');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ner train: the tensorflow backend \(@tensorflow\/tfjs-node-gpu\) was removed/);
    expect(run.stderr).toMatch(/use --backend webgpu/);
    expect(readdirSync(root)).toEqual([]);
  });
});
