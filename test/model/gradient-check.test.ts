import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureSet } from '../../src/features/token-features.js';
import { encodeSentences, windowIds } from '../../src/features/windows.js';
import { ACTIVATIONS, type ActivationName } from '../../src/model/activations.js';
import { useBackend } from '../../src/model/backend.js';
import { EmbeddingTables } from '../../src/model/embedding-tables.js';
import { WindowNetwork } from '../../src/model/network.js';
import { Random } from '../../src/util/random.js';

// Central differences in float32: step 1e-3 keeps rounding error (~1e-4) and truncation error
// (~1e-6) well under the tolerance, which is still tight enough to catch a wrong term.
const STEP = 1e-3;
// Where a ReLU kink lies inside [x - STEP, x + STEP] the loss is not differentiable and central
// differences mean nothing; such points are recognised by one-sided slopes that disagree.
const KINK = 5e-3;
const ABS_TOL = 2e-3;
const REL_TOL = 2e-2;

function setup(activation: ActivationName) {
  const rng = new Random(3);
  const sentences = [['Anna', 'met', 'Tom', 'in', 'Oslo', '.'], ['EU', 'talks', 'resume']];
  const fs = FeatureSet.build([{ name: 'word', dim: 3 }, { name: 'casing', dim: 2 }], sentences, { minCount: 1 });
  const tables = new EmbeddingTables(
    fs.specs,
    fs.specs.map((s, f) => Float32Array.from({ length: fs.vocabularies[f].size * s.dim }, () => rng.uniform(-1, 1))),
  );
  const window = 1;
  const slots = 2 * window + 1;
  const network = WindowNetwork.init(slots * tables.tokenDim, [4, 3], 3, activation, rng);
  const enc = encodeSentences(fs, sentences);
  const ids = windowIds(enc, null, 0, enc.length, window);
  const labels = Int32Array.from([1, 0, 1, 0, 2, 0, 2, 0, 0]);
  const loss = () => {
    const X = tables.lookup(ids, enc.length * slots);
    return network.gradients(X, labels, enc.length, { dropout: 0, rng }).loss;
  };
  const analytic = () => {
    const X = tables.lookup(ids, enc.length * slots);
    const g = network.gradients(X, labels, enc.length, { dropout: 0, rng });
    return { g, sparse: tables.scatter(ids, enc.length * slots, g.dX) };
  };
  return { tables, network, loss, analytic };
}

/** The central difference, or null at a kink. */
function numeric(param: Float32Array, k: number, loss: () => number): number | null {
  const keep = param[k];
  const center = loss();
  param[k] = keep + STEP;
  const up = loss();
  param[k] = keep - STEP;
  const down = loss();
  param[k] = keep;
  if (Math.abs((up - center) / STEP - (center - down) / STEP) > KINK) return null;
  return (up - down) / (2 * STEP);
}

let kinks = 0;

function expectClose(a: number, n: number | null, what: string) {
  if (n === null) {
    kinks++;
    return;
  }
  const err = Math.abs(a - n);
  expect(err <= ABS_TOL || err <= REL_TOL * Math.max(Math.abs(a), Math.abs(n)), `${what}: analytic ${a} vs numeric ${n}`).toBe(true);
}

describe('gradient check: hand-written backward pass against central differences', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it.each(ACTIVATIONS)('%s: dense weights, biases, word and casing embeddings', (activation) => {
    const { tables, network, loss, analytic } = setup(activation);
    const { g, sparse } = analytic();
    let checked = 0;
    kinks = 0;
    network.layers.forEach((layer, l) => {
      for (let k = 0; k < layer.W.length; k += 3) {
        expectClose(g.dW[l][k], numeric(layer.W, k, loss), `layer ${l} W[${k}]`);
        checked++;
      }
      for (let k = 0; k < layer.b.length; k++) expectClose(g.db[l][k], numeric(layer.b, k, loss), `layer ${l} b[${k}]`);
    });
    sparse.forEach((s, f) => {
      const dim = tables.specs[f].dim;
      s.rows.forEach((row, r) => {
        for (let d = 0; d < dim; d++) {
          expectClose(s.grads[r * dim + d], numeric(tables.tables[f], row * dim + d, loss), `table ${f} row ${row}[${d}]`);
          checked++;
        }
      });
    });
    expect(checked).toBeGreaterThan(30);
    expect(kinks, 'points skipped at kinks').toBeLessThan(checked / 10);
  });

  it('detects a wrong gradient (the check can fail)', () => {
    const { network, loss, analytic } = setup('tanh');
    const { g } = analytic();
    const wrong = g.dW[0][0] * 2 + 0.05;
    const err = Math.abs(wrong - numeric(network.layers[0].W, 0, loss)!);
    expect(err).toBeGreaterThan(ABS_TOL);
  });
});
