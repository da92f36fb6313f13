/**
 * Inference with the parameters on the device (what webgpu runs, reading results with
 * `await data()`), against the host's projection path: the same probabilities. Run here on tfjs's
 * cpu backend; test/browser/webgpu-training.test.ts runs it on WebGPU.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { documentFromWords } from '../../src/core/document/document.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import { deviceTagProbabilities, DeviceWeights } from '../../src/core/model/device-inference.js';
import { Tagger } from '../../src/core/tagger/tagger.js';

let tagger: Tagger;

describe('inference on the device', () => {
  beforeAll(async () => {
    tagger = await Tagger.load('conll2003-en', { backend: 'cpu' });
  });

  it('gives the probabilities of the host paths', async () => {
    const doc = documentFromWords([
      ['Angela', 'Merkel', 'visited', 'Paris', '.'],
      ['Reuters', 'reported', 'from', 'New', 'York', 'on', 'Monday', '.'],
    ]);
    const { model } = tagger;
    const enc = encodeDocuments(model.featureSet, [doc]);
    const host = model.tagProbabilities(enc);
    const weights = DeviceWeights.upload(model.tables, model.network);
    try {
      const device = await deviceTagProbabilities(weights, model.network, enc, model.config.window);
      expect(device.length).toBe(host.length);
      let worst = 0;
      for (let i = 0; i < host.length; i++) worst = Math.max(worst, Math.abs(device[i] - host[i]));
      expect(worst).toBeLessThan(1e-5);
      // Not a constant: the entity tokens get other tags than 'O'.
      const T = model.config.tags.length;
      expect(device[0 * T]).toBeLessThan(0.5);
      expect(device[2 * T]).toBeGreaterThan(0.5);
    } finally {
      weights.dispose();
    }
  }, 60_000);
});
