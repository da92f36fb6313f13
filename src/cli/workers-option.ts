import { usageError } from '../core/errors.js';
import { workerCountProblem } from '../node/workers/worker-count.js';
import { intOption } from './args.js';

/**
 * The value of a `--workers N` flag, checked against the core count; undefined when the flag
 * is absent. Refused rather than capped: a count the machine cannot run is a mistake in
 * the command line (a typo, a script written for another machine) that the user should see.
 */
export function workersOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = intOption(value, 'workers', 1);
  const problem = workerCountProblem(count);
  if (problem) throw usageError(`--workers ${problem}, got ${value}`);
  return count;
}
