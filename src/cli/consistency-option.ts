import { usageError } from '../core/errors.js';
import { numberOption } from './args.js';

/**
 * The value of a `--consistency W` flag (`ner eval`, `ner calibrate`): a document-consistency
 * weight from 0 to 1, or with `auto` allowed the string 'auto'; undefined when the flag is absent.
 */
export function consistencyOption(value: string | undefined, allowAuto: false): number | undefined;
export function consistencyOption(value: string | undefined, allowAuto: true): number | 'auto' | undefined;
export function consistencyOption(value: string | undefined, allowAuto: boolean): number | 'auto' | undefined {
  if (value === undefined) return undefined;
  if (allowAuto && value === 'auto') return 'auto';
  const w = numberOption(value, 'consistency', 0);
  if (!(w >= 0 && w <= 1)) throw usageError(`--consistency must be in 0..1${allowAuto ? ' or auto' : ''}, got ${value}`);
  return w;
}
