import { describe, expect, it } from 'vitest';
import { Optimizer, OPTIMIZERS } from '../../src/core/train/optimizers.js';
import { learningRateAt } from '../../src/core/train/schedule.js';

describe('optimizers', () => {
  it('one step of each rule from hand-computed values (g = 2 at p = 1)', () => {
    const step = (name: (typeof OPTIMIZERS)[number], lr: number) => {
      const opt = new Optimizer({ name, learningRate: lr });
      const p = Float32Array.of(1);
      opt.nextStep();
      opt.updateDense(p, Float32Array.of(2));
      return p[0];
    };
    expect(step('sgd', 0.1)).toBeCloseTo(1 - 0.1 * 2, 6);
    expect(step('momentum', 0.1)).toBeCloseTo(1 - 0.1 * 2, 6); // v = 0.9*0 + 2
    expect(step('adagrad', 0.1)).toBeCloseTo(1 - (0.1 * 2) / Math.sqrt(0.1 + 4), 6);
    expect(step('rmsprop', 0.1)).toBeCloseTo(1 - (0.1 * 2) / Math.sqrt(0.1 * 4), 5); // ms = 0.1 * g^2
    expect(step('adam', 0.1)).toBeCloseTo(1 - 0.1, 5); // bias-corrected m/sqrt(v) = g/|g|
    // adadelta: acc = 0.05*4 = 0.2; upd = sqrt(1e-6)/sqrt(0.2+1e-6)*2
    expect(step('adadelta', 1)).toBeCloseTo(1 - (Math.sqrt(1e-6) / Math.sqrt(0.2 + 1e-6)) * 2, 6);
  });

  it.each(OPTIMIZERS)('%s minimises a quadratic', (name) => {
    const opt = new Optimizer({ name, learningRate: name === 'adadelta' ? 1 : name === 'sgd' || name === 'momentum' ? 0.05 : 0.1 });
    const p = Float32Array.of(3, -2);
    const target = [1, 0.5];
    const loss = () => (p[0] - target[0]) ** 2 + (p[1] - target[1]) ** 2;
    const before = loss();
    for (let i = 0; i < 500; i++) {
      opt.nextStep();
      opt.updateDense(p, Float32Array.of(2 * (p[0] - target[0]), 2 * (p[1] - target[1])));
    }
    expect(loss()).toBeLessThan(before / (name === 'adadelta' ? 2 : 100));
  });

  it('sparse updates touch only the given rows', () => {
    const opt = new Optimizer({ name: 'adam', learningRate: 0.1 });
    const table = new Float32Array(6).fill(1); // 3 rows of 2
    opt.nextStep();
    opt.updateRows(table, 2, Int32Array.of(2), Float32Array.of(1, -1));
    expect(Array.from(table)).toEqual([1, 1, 1, 1, expect.closeTo(0.9, 5), expect.closeTo(1.1, 5)]);
  });

  it('rejects unknown optimizers and bad learning rates', () => {
    expect(() => new Optimizer({ name: 'lbfgs' as never })).toThrow(/unknown optimizer "lbfgs"/);
    expect(() => new Optimizer({ name: 'sgd', learningRate: 0 })).toThrow(/learning rate must be a positive number/);
  });

  it('learning-rate decay: step halving and exponential', () => {
    expect(learningRateAt(0.1, { kind: 'none' }, 7)).toBe(0.1);
    expect(learningRateAt(0.1, { kind: 'step', factor: 0.5, every: 2 }, 1)).toBe(0.1);
    expect(learningRateAt(0.1, { kind: 'step', factor: 0.5, every: 2 }, 3)).toBe(0.05);
    expect(learningRateAt(0.1, { kind: 'step', factor: 0.5, every: 2 }, 5)).toBeCloseTo(0.025, 10);
    expect(learningRateAt(1, { kind: 'exponential', factor: 0.9 }, 3)).toBeCloseTo(0.81, 10);
  });
});
