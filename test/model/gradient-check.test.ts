import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { documentFromWords } from '../../src/core/document/document.js';
import { encodeDocuments, windowIds } from '../../src/core/features/windows.js';
import { ACTIVATIONS, type ActivationName } from '../../src/core/model/activations.js';
import { useBackend } from '../../src/node/backend.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { WindowNetwork, type StepArgs } from '../../src/core/model/network.js';
import { Random } from '../../src/core/util/random.js';

// Central differences in float32: step 1e-3 keeps rounding error (~1e-4) and truncation error
// (~1e-6) well under the tolerance, which is still tight enough to catch a wrong term.
const STEP = 1e-3;
// Where a ReLU kink lies inside [x - STEP, x + STEP] the loss is not differentiable and central
// differences mean nothing; such points are recognised by one-sided slopes that disagree.
const KINK = 5e-3;
const ABS_TOL = 2e-3;
const REL_TOL = 2e-2;

function setup(activation: ActivationName, stepArgs: () => StepArgs = () => ({ dropout: 0, rng: new Random(1) })) {
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
  const enc = encodeDocuments(fs, [documentFromWords(sentences)]);
  const ids = windowIds(enc, null, 0, enc.length, window);
  const labels = Int32Array.from([1, 0, 1, 0, 2, 0, 2, 0, 0]);
  const loss = () => {
    const X = tables.lookup(ids, enc.length * slots);
    return network.gradients(X, labels, enc.length, stepArgs()).loss;
  };
  const analytic = () => {
    const X = tables.lookup(ids, enc.length * slots);
    const g = network.gradients(X, labels, enc.length, stepArgs());
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

  // The same mask on every call (a fresh stream with the same seed), so the loss is one function.
  const shared = (): StepArgs => ({ dropout: 0.5, rng: new Random(11), sharedMask: true });
  const cases: [string, ActivationName, (() => StepArgs) | undefined][] = [
    ...ACTIVATIONS.map((a): [string, ActivationName, undefined] => [a, a, undefined]),
    ['relu with a shared dropout mask', 'relu', shared],
    ['tanh with a shared dropout mask', 'tanh', shared],
  ];

  it.each(cases)('%s: dense weights, biases, word and casing embeddings', (_name, activation, stepArgs) => {
    const { tables, network, loss, analytic } = setup(activation, stepArgs);
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

  it('a shared mask drops whole units: their weights get no gradient, the kept ones do', () => {
    let mixed = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const { network, analytic } = setup('tanh', () => ({ dropout: 0.5, rng: new Random(seed), sharedMask: true }));
      const { g } = analytic();
      const H = network.layers[0].outputs;
      const dropped = Array.from({ length: H }, (_, j) => g.dW[0].every((v, k) => k % H !== j || v === 0));
      dropped.forEach((d, j) => expect(g.db[0][j] === 0, `seed ${seed} unit ${j}`).toBe(d));
      if (dropped.some((d) => d) && dropped.some((d) => !d)) mixed++;
    }
    expect(mixed).toBeGreaterThan(3);
  });

  it('detects a wrong gradient (the check can fail)', () => {
    const { network, loss, analytic } = setup('tanh');
    const { g } = analytic();
    const wrong = g.dW[0][0] * 2 + 0.05;
    const err = Math.abs(wrong - numeric(network.layers[0].W, 0, loss)!);
    expect(err).toBeGreaterThan(ABS_TOL);
  });
});
