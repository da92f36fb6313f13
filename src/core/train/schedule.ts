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

/** How a decay setting's fields are spelled in messages: `decay.factor` (library) or `--decay-factor` (CLI). */
export interface DecayNames {
  decay: string;
  kind: string;
  factor: string;
  every: string;
}

/**
 * Refuses a decay setting that would not decay sensibly: a factor outside (0, 1) (0 stops
 * learning, above 1 grows the rate, below 0 flips its sign), a step interval that is not an
 * integer >= 1, or a factor or interval given where the kind does not use it.
 */
export function checkDecay(decay: unknown, names: DecayNames): void {
  if (decay === undefined) return;
  if (typeof decay !== 'object' || decay === null || Array.isArray(decay)) {
    throw new NerError('E_CONFIG', `${names.decay} must be { kind, factor?, every? }, got ${JSON.stringify(decay)}`);
  }
  const { kind, factor, every } = decay as Record<string, unknown>;
  const kinds = ['none', 'step', 'exponential'];
  if (typeof kind !== 'string' || !kinds.includes(kind)) {
    throw new NerError('E_CONFIG', `${names.kind} must be one of ${kinds.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  if (factor !== undefined && kind === 'none') {
    throw new NerError('E_CONFIG', `${names.factor} needs ${names.kind} step or exponential`, { hint: 'without a decay the learning rate stays constant' });
  }
  if (every !== undefined && kind !== 'step') {
    throw new NerError('E_CONFIG', `${names.every} needs ${names.kind} step`, {
      hint: kind === 'exponential' ? 'exponential decay multiplies the rate after every epoch' : 'without a decay the learning rate stays constant',
    });
  }
  if (factor !== undefined && !(typeof factor === 'number' && factor > 0 && factor < 1)) {
    throw new NerError('E_CONFIG', `${names.factor} must be in (0, 1), got ${JSON.stringify(factor)}`, { hint: 'e.g. 0.5 halves the learning rate at each decay' });
  }
  if (every !== undefined && !(typeof every === 'number' && Number.isSafeInteger(every) && every >= 1)) {
    throw new NerError('E_CONFIG', `${names.every} must be an integer >= 1, got ${JSON.stringify(every)}`);
  }
}
