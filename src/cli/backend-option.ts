/**
 * The `--backend NAME` flag of the commands that tag with a model (tag, predict, eval, serve):
 * the same values and refusals as `ner train --backend`, and how it limits `--workers`.
 */
import { usageError } from '../core/errors.js';
import { BACKENDS, type BackendRequest } from '../core/runtime.js';
import { oneOf } from './train-options.js';

/** What webgpu does to --workers, for the help of the commands that have worker threads. */
export const WEBGPU_WORKERS_NOTE = ['webgpu tags with one in-process tagger, not worker threads', '(each would open its own GPU device)'];

/**
 * Help lines for `--backend`, its text starting `flagColumn` characters after the two-space
 * indent, as the command's other options do (on the next line when the flag is that long),
 * ending with the command's own `note` lines.
 */
export function backendHelp(flagColumn: number, note: readonly string[] = WEBGPU_WORKERS_NOTE): string {
  const flag = '--backend NAME';
  const indent = ' '.repeat(2 + flagColumn);
  const head = flag.length < flagColumn ? `  ${flag.padEnd(flagColumn)}` : `  ${flag}\n${indent}`;
  return head + [
    `${BACKENDS.join('|')} (default auto): auto is webgpu on a`,
    'hardware GPU adapter (needs the webgpu package), else wasm.',
    ...note,
  ].join(`\n${indent}`);
}

/** The flag's value, `auto` when absent; `tensorflow` and unknown names are usage errors (exit 2). */
export function backendOption(value: string | undefined): BackendRequest {
  return oneOf(value, BACKENDS, 'backend', 'auto') as BackendRequest;
}

/**
 * The worker count for a backend: webgpu runs in this process only, so it takes 1, and an
 * explicit `--workers N` above 1 with it is a usage error rather than silently ignored.
 */
export function workersForBackend(backend: BackendRequest, requested: number | undefined): number | undefined {
  if (backend !== 'webgpu') return requested;
  if (requested !== undefined && requested > 1) {
    throw usageError(`--workers ${requested} cannot be used with --backend webgpu: it tags with one in-process tagger`, 'drop --workers, or use --backend wasm for worker threads');
  }
  return 1;
}
