import { NerError } from '../errors.js';
import { decayWithDefaults } from './options.js';

/**
 * Learning-rate decay by epoch.
 * - `none`: constant.
 * - `step`: multiply by `factor` every `every` epochs (factor 0.5: halving).
 * - `exponential`: multiply by `factor` after every epoch.
 */
export interface DecayArgs {
  kind: 'none' | 'step' | 'exponential';
  /** Multiplier per decay (step and exponential). Default: TRAIN_OPTIONS['decay.factor'] (options.ts). */
  factor?: number;
  /** Epochs between steps (step decay). Default: TRAIN_OPTIONS['decay.every']. */
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
    case 'step': {
      const { factor, every } = decayWithDefaults(decay);
      return base * factor! ** Math.floor(e / every!);
    }
    case 'exponential':
      return base * decayWithDefaults(decay).factor! ** e;
    default:
      throw new NerError('E_CONFIG', `unknown learning-rate decay "${(decay as DecayArgs).kind}"`, { hint: 'choose none, step or exponential' });
  }
}
