import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NerError } from '../../core/errors.js';

/**
 * The compiled script of a worker thread that sits beside the calling module. From the build
 * it is found beside the caller; when the caller runs from the TypeScript sources (tests),
 * the build's copy is used, since Node cannot start a worker from a .ts file.
 *
 * @example
 * new Worker(workerScript(import.meta.url, 'step-worker.js'), { workerData });
 */
export function workerScript(callerUrl: string, fileName: string): string {
  const here = dirname(fileURLToPath(callerUrl));
  const beside = join(here, fileName);
  if (existsSync(beside)) return beside;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const built = join(root, 'dist', relative(root, here), fileName);
  if (existsSync(built)) return built;
  throw new NerError('E_FILE', `the worker script ${fileName} is not built`, { hint: 'run npm run build' });
}
