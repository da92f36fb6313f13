import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Name of the bundled model's directory under `models/`. */
export const BUNDLED_MODEL_NAME = 'conll2003-en';

/**
 * The directory of the model shipped with the package, used when no `--model` is given.
 * Found by walking up from this file to the package root, so it works from the sources
 * (tests) and from the build alike.
 */
export function bundledModelDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ner-window') {
      return join(dir, 'models', BUNDLED_MODEL_NAME);
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the ner-window package root');
    dir = up;
  }
}
