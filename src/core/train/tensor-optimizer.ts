import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { tf } from '../model/tf.js';
import type { Optimizer } from './optimizers.js';

/** An optimizer's running statistics of one parameter tensor, kept beside it on the device. */
export interface TensorMoments {
  a: Variable;
  b?: Variable;
}

/** A variable holding `t` (which is then released: the variable keeps its data). */
export function variableOf(t: Tensor): Variable {
  const v = tf.variable(t);
  t.dispose();
  return v;
}

/**
 * The optimizers of optimizers.ts with their state on the backend's device: the same formulas,
 * in the same order of operations, on tensors, so that a step on webgpu updates the
 * parameters as the typed-array optimizer does on the CPU (up to float32 rounding). The
 * learning rate and the step count are read from that Optimizer, which the session advances.
 */
export class TensorOptimizer {
  constructor(private readonly host: Optimizer) {}

  /** Zeroed (Adagrad: 0.1) moments for a parameter of `shape`; none for sgd, which keeps no state. */
  moments(shape: number[]): TensorMoments | null {
    const name = this.host.name;
    if (name === 'sgd') return null;
    const a = variableOf(name === 'adagrad' ? tf.fill(shape, 0.1) : tf.zeros(shape));
    const two = name === 'adam' || name === 'adadelta';
    return { a, b: two ? variableOf(tf.zeros(shape)) : undefined };
  }

  /** Updates every element of `param` with `grad` (same shape). Call inside tf.tidy. */
  updateDense(param: Variable, grad: Tensor, m: TensorMoments | null): void {
    const next = this.next(param, grad, m?.a, m?.b);
    param.assign(next.p);
    if (m && next.a) m.a.assign(next.a);
    if (m?.b && next.b) m.b.assign(next.b);
  }

  /**
   * Updates only rows `rows` (int32 `[U]`) of the table `param` `[rows, dim]` with `grads`
   * `[U, dim]` ("lazy" sparse updates: untouched rows and their moments stay as they are).
   * Call inside tf.tidy.
   */
  updateRows(param: Variable, rows: Tensor, grads: Tensor, m: TensorMoments | null): void {
    const at = tf.reshape(rows, [-1, 1]);
    const next = this.next(tf.gather(param, rows), grads, m ? tf.gather(m.a, rows) : undefined, m?.b ? tf.gather(m.b, rows) : undefined);
    param.assign(tf.tensorScatterUpdate(param, at, next.p));
    if (m && next.a) m.a.assign(tf.tensorScatterUpdate(m.a, at, next.a));
    if (m?.b && next.b) m.b.assign(tf.tensorScatterUpdate(m.b, at, next.b));
  }

  /** The optimizer's formula: new parameters and moments (none for sgd) from the old ones and the gradient. */
  private next(p: Tensor, g: Tensor, a: Tensor | undefined, b: Tensor | undefined): { p: Tensor; a?: Tensor; b?: Tensor } {
    const o = this.host;
    const s = o.settings;
    const lr = o.learningRate;
    switch (o.name) {
      case 'sgd':
        return { p: tf.sub(p, tf.mul(g, lr)) };
      case 'momentum': {
        const v = tf.add(tf.mul(a!, s.momentum), g);
        return { p: tf.sub(p, tf.mul(v, lr)), a: v };
      }
      case 'adagrad': {
        const acc = tf.add(a!, tf.square(g));
        return { p: tf.sub(p, tf.div(tf.mul(g, lr), tf.add(tf.sqrt(acc), s.epsilon))), a: acc };
      }
      case 'rmsprop': {
        const ms = tf.add(tf.mul(a!, s.rho), tf.mul(tf.square(g), 1 - s.rho));
        return { p: tf.sub(p, tf.div(tf.mul(g, lr), tf.sqrt(tf.add(ms, s.epsilon)))), a: ms };
      }
      case 'adadelta': {
        const acc = tf.add(tf.mul(a!, s.rho), tf.mul(tf.square(g), 1 - s.rho));
        const upd = tf.mul(tf.div(tf.sqrt(tf.add(b!, s.epsilon)), tf.sqrt(tf.add(acc, s.epsilon))), g);
        const delta = tf.add(tf.mul(b!, s.rho), tf.mul(tf.square(upd), 1 - s.rho));
        return { p: tf.sub(p, tf.mul(upd, lr)), a: acc, b: delta };
      }
      case 'adam': {
        const m = tf.add(tf.mul(a!, s.beta1), tf.mul(g, 1 - s.beta1));
        const v = tf.add(tf.mul(b!, s.beta2), tf.mul(tf.square(g), 1 - s.beta2));
        return { p: tf.sub(p, tf.div(tf.mul(m, o.adamStepSize()), tf.add(tf.sqrt(v), s.epsilon))), a: m, b: v };
      }
    }
  }
}
