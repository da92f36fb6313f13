import { describe, expect, it } from 'vitest';
import { describeBackend, useBackend, type WebGpuLoaders } from '../../src/node/backend.js';
import { defaultWebGpuLoaders } from '../../src/node/webgpu.js';
import { tf } from '../../src/core/model/tf.js';

/** A machine without the `webgpu` package (the webgpu cases are in webgpu-backend.test.ts). */
const noWebGpu: WebGpuLoaders = { ...defaultWebGpuLoaders, packageInstalled: () => false };

describe('backend selection', () => {
  it('auto falls back to wasm with a note when webgpu is not available', async () => {
    const info = await useBackend('auto', noWebGpu);
    expect(info).toMatchObject({ name: 'wasm', gpu: false });
    expect(info.notes[0]).toMatch(/^webgpu not used: the `webgpu` package .* is not installed; using wasm$/);
    expect(tf.getBackend()).toBe('wasm');
    expect(describeBackend(info)).toMatch(/^backend: wasm\n  note: webgpu not used/);
  });

  it('cpu and wasm can be asked for by name; unknown names are usage errors', async () => {
    expect((await useBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await useBackend('wasm')).name).toBe('wasm');
    expect(describeBackend(await useBackend('wasm'))).toBe('backend: wasm');
    await expect(useBackend('gpu' as never)).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/unknown backend "gpu" \(choose from auto, webgpu, wasm, cpu\)/) });
  });
});
