import { describe, expect, it } from 'vitest';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describeBackend, useBackend } from '../../src/node/backend.js';
import { tf } from '../../src/core/model/tf.js';

const missing = () => Promise.reject(new Error("Cannot find package '@tensorflow/tfjs-node-gpu' imported from x"));

describe('backend selection', () => {
  it('auto falls back to wasm with a note when the native package is absent', async () => {
    const info = await useBackend('auto', missing);
    expect(info).toMatchObject({ name: 'wasm', gpu: false });
    expect(info.notes[0]).toMatch(/@tensorflow\/tfjs-node-gpu not available \(not installed\); using wasm/);
    expect(tf.getBackend()).toBe('wasm');
    expect(describeBackend(info)).toMatch(/^backend: wasm\n  note:/);
  });

  it('asking for tensorflow where it is not installed is a clear error', async () => {
    await expect(useBackend('tensorflow', missing)).rejects.toMatchObject({
      code: 'E_BACKEND',
      message: expect.stringMatching(/tensorflow backend is not available: not installed \(install @tensorflow\/tfjs-node-gpu/),
    });
  });

  it('a native package that fails to load is reported with its reason', async () => {
    const broken = () => Promise.reject(new Error('libtensorflow.so: cannot open shared object file'));
    const info = await useBackend('auto', broken);
    expect(info.notes[0]).toMatch(/libtensorflow\.so: cannot open shared object file/);
  });

  it('selects the tensorflow backend when the package loads and registers it', async () => {
    const fake = async () => {
      if (!tf.findBackendFactory('tensorflow')) tf.registerBackend('tensorflow', () => new MathBackendCPU());
    };
    const info = await useBackend('auto', fake);
    expect(info).toMatchObject({ name: 'tensorflow', gpu: false, notes: [] });
    expect(tf.getBackend()).toBe('tensorflow');
    tf.removeBackend('tensorflow');
  });

  it('cpu and wasm can be asked for by name; unknown names are usage errors', async () => {
    expect((await useBackend('cpu')).name).toBe('cpu');
    expect((await useBackend('wasm')).name).toBe('wasm');
    await expect(useBackend('gpu' as never)).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});
