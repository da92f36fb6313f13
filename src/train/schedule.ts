import { NerError } from '../errors.js';

/**
 * Learning-rate decay by epoch.
 * - `none`: constant.
 * - `step`: multiply by `factor` every `every` epochs (factor 0.5: halving).
 * - `exponential`: multiply by `factor` after every epoch.
 */
export interface DecayArgs {
  kind: 'none' | 'step' | 'exponential';
  /** Default 0.5 for step, 0.9 for exponential. */
  factor?: number;
  /** Epochs between steps (step decay). Default 3. */
  every?: number;
}

/**
 * The learning rate for a 1-based epoch.
 *
 * @example
 * learningRateAt(0.1, { kind: 'step', factor: 0.5, every: 2 }, 5); // 0.025
 */
export function learningRateAt(base: number, decay: DecayArgs, epoch: number): number {
  const e = epoch - 1;
  switch (decay.kind) {
    case 'none':
      return base;
    case 'step':
      return base * (decay.factor ?? 0.5) ** Math.floor(e / (decay.every ?? 3));
    case 'exponential':
      return base * (decay.factor ?? 0.9) ** e;
    default:
      throw new NerError('E_CONFIG', `unknown learning-rate decay "${(decay as DecayArgs).kind}"`, { hint: 'choose none, step or exponential' });
  }
}
