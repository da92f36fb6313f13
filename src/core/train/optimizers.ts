import { NerError } from '../errors.js';

/** The optimizers training can use. */
export const OPTIMIZERS = ['sgd', 'momentum', 'adagrad', 'adadelta', 'rmsprop', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Settings of an optimizer; defaults are the usual ones from the papers and from tfjs. */
export interface OptimizerArgs {
  name: OptimizerName;
  /** Step size. Default: defaultLearningRate(name). */
  learningRate?: number;
  /** Momentum coefficient (momentum). Default 0.9. */
  momentum?: number;
  /** Decay of the squared-gradient average (rmsprop 0.9, adadelta 0.95). */
  rho?: number;
  /** Adam's moment decays. Defaults 0.9 and 0.999. */
  beta1?: number;
  beta2?: number;
  /** Added to denominators. Default 1e-8 (1e-6 for adadelta). */
  epsilon?: number;
}

/** The default learning rate of each optimizer. */
export function defaultLearningRate(name: OptimizerName): number {
  return name === 'adadelta' ? 1.0 : name === 'adam' || name === 'rmsprop' ? 0.001 : 0.01;
}

/** An optimizer's running statistics of one parameter array: its first (and second) moment, or accumulators. */
interface MomentState {
  a: Float32Array;
  b?: Float32Array;
}

/**
 * Updates parameters stored in typed arrays, densely (a whole weight matrix) or sparsely
 * (only the embedding rows a batch touched: "lazy" updates, whose per-row state advances
 * only when the row is seen, as in TensorFlow's sparse optimizers).
 *
 * @example
 * const opt = new Optimizer({ name: 'adam', learningRate: 0.001 });
 * opt.nextStep();
 * opt.updateDense(W, dW);
 */
export class Optimizer {
  readonly name: OptimizerName;
  learningRate: number;
  private readonly momentum: number;
  private readonly rho: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly state = new WeakMap<Float32Array, MomentState>();
  private step = 0;

  constructor(args: OptimizerArgs) {
    if (!(OPTIMIZERS as readonly string[]).includes(args.name)) {
      throw new NerError('E_CONFIG', `unknown optimizer "${args.name}"`, { hint: `choose from ${OPTIMIZERS.join(', ')}` });
    }
    this.name = args.name;
    this.learningRate = args.learningRate ?? defaultLearningRate(args.name);
    if (!(this.learningRate > 0) || !Number.isFinite(this.learningRate)) {
      throw new NerError('E_CONFIG', `the learning rate must be a positive number, got ${args.learningRate}`);
    }
    this.momentum = args.momentum ?? 0.9;
    this.rho = args.rho ?? (args.name === 'adadelta' ? 0.95 : 0.9);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? (args.name === 'adadelta' ? 1e-6 : 1e-8);
  }

  /** The resolved settings, for the same optimizer run on tensors (tensor-optimizer.ts). */
  get settings(): Required<Omit<OptimizerArgs, 'learningRate'>> {
    return { name: this.name, momentum: this.momentum, rho: this.rho, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  /** Mini-batches stepped so far. */
  get steps(): number {
    return this.step;
  }

  /** Adam's step size at the current step: the learning rate with both bias corrections. */
  adamStepSize(): number {
    const t = Math.max(1, this.step);
    return (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
  }

  /** Call once per mini-batch, before its updates (Adam's bias correction counts steps). */
  nextStep(): void {
    this.step++;
  }

  /** Updates every element of `param` with `grad` (same length). */
  updateDense(param: Float32Array, grad: Float32Array): void {
    this.apply(param, 0, grad, 0, param.length, this.momentsOf(param));
  }

  /** Updates only rows `rows[k]` (each `dim` wide) of `param` with `grads[k*dim ..]`. */
  updateRows(param: Float32Array, dim: number, rows: Int32Array, grads: Float32Array): void {
    const moments = this.momentsOf(param);
    for (let k = 0; k < rows.length; k++) this.apply(param, rows[k] * dim, grads, k * dim, dim, moments);
  }

  private momentsOf(param: Float32Array): MomentState {
    let s = this.state.get(param);
    if (!s) {
      const a = new Float32Array(param.length);
      // tfjs and Keras start Adagrad's accumulator at 0.1 so that early steps are not huge.
      if (this.name === 'adagrad') a.fill(0.1);
      const two = this.name === 'adam' || this.name === 'adadelta';
      s = { a, b: two ? new Float32Array(param.length) : undefined };
      this.state.set(param, s);
    }
    return s;
  }

  private apply(p: Float32Array, po: number, g: Float32Array, go: number, n: number, s: MomentState): void {
    const lr = this.learningRate;
    const eps = this.epsilon;
    const a = s.a;
    switch (this.name) {
      case 'sgd':
        for (let i = 0; i < n; i++) p[po + i] -= lr * g[go + i];
        break;
      case 'momentum': {
        const mu = this.momentum;
        for (let i = 0; i < n; i++) {
          const v = (a[po + i] = mu * a[po + i] + g[go + i]);
          p[po + i] -= lr * v;
        }
        break;
      }
      case 'adagrad':
        for (let i = 0; i < n; i++) {
          const gi = g[go + i];
          const acc = (a[po + i] += gi * gi);
          p[po + i] -= (lr * gi) / (Math.sqrt(acc) + eps);
        }
        break;
      case 'rmsprop': {
        const rho = this.rho;
        for (let i = 0; i < n; i++) {
          const gi = g[go + i];
          const ms = (a[po + i] = rho * a[po + i] + (1 - rho) * gi * gi);
          p[po + i] -= (lr * gi) / Math.sqrt(ms + eps);
        }
        break;
      }
      case 'adadelta': {
        const rho = this.rho;
        const b = s.b!;
        for (let i = 0; i < n; i++) {
          const gi = g[go + i];
          const acc = (a[po + i] = rho * a[po + i] + (1 - rho) * gi * gi);
          const upd = (Math.sqrt(b[po + i] + eps) / Math.sqrt(acc + eps)) * gi;
          b[po + i] = rho * b[po + i] + (1 - rho) * upd * upd;
          p[po + i] -= lr * upd;
        }
        break;
      }
      case 'adam': {
        const b1 = this.beta1;
        const b2 = this.beta2;
        const v = s.b!;
        const stepSize = this.adamStepSize();
        for (let i = 0; i < n; i++) {
          const gi = g[go + i];
          const m = (a[po + i] = b1 * a[po + i] + (1 - b1) * gi);
          const vv = (v[po + i] = b2 * v[po + i] + (1 - b2) * gi * gi);
          p[po + i] -= (stepSize * m) / (Math.sqrt(vv) + eps);
        }
        break;
      }
    }
  }
}
