import { usageError } from '../core/errors.js';
import { numberOption } from './args.js';

/** What `--min-score X` does, for the help of `ner tag` and `ner predict`. */
export const MIN_SCORE_HELP = `drop entities scored below X (0 to 1): their tokens are tagged O.
                  Scores are calibrated probabilities (see ner calibrate): with 0.8,
                  the entities kept are right about 80% of the time or more`;

/** The value of a `--min-score X` flag, a number from 0 to 1; undefined when the flag is absent. */
export function minScoreOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = numberOption(value, 'min-score', 0);
  if (x < 0 || x > 1) throw usageError(`--min-score must be from 0 to 1 (an entity score), got ${value}`);
  return x;
}
