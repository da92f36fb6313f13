/**
 * The bundled models' scores on the real CoNLL-2003 files, when CONLL2003_DIR points at them:
 * the default model valid >= 94 and test >= 90 (90.21 with its document consistency, 89.79
 * without: losing it fails here), the ensemble test >= 89.6, so that a change that costs
 * accuracy shows up here.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_MODEL_NAME } from '../../src/node/storage/bundled-model.js';
import { evaluateWithModel } from '../../src/node/files/evaluate-with-model.js';
import { ENSEMBLE_MODEL_NAME } from '../../src/node/recipe.js';

const dir = process.env.CONLL2003_DIR;

const TARGETS = [
  { model: BUNDLED_MODEL_NAME, split: 'valid', f1: 94 },
  { model: BUNDLED_MODEL_NAME, split: 'test', f1: 90 },
  { model: ENSEMBLE_MODEL_NAME, split: 'test', f1: 89.6 },
];

describe(dir ? `bundled models on CoNLL-2003 in ${dir}` : 'bundled models on CoNLL-2003 (skipped: CONLL2003_DIR not set)', () => {
  for (const { model, split, f1 } of TARGETS) {
    it.skipIf(!dir)(`${model} scores F1 >= ${f1} on ${split}`, async () => {
      const result = await evaluateWithModel(join(dir!, `${split}.txt`), model);
      expect(result.f1).toBeGreaterThanOrEqual(f1);
    }, 60_000);
  }
});
