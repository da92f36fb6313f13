import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Name of the bundled model's directory under `models/`: the default model. */
export const BUNDLED_MODEL_NAME = 'conll2003-en';

/**
 * The directory of a model shipped with the package (by default the one used when no
 * `--model` is given).
 * Found by walking up from this file to the package root, so it works from the sources
 * (tests) and from the build alike.
 */
export function bundledModelDir(name: string = BUNDLED_MODEL_NAME): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ner-window') {
      return join(dir, 'models', name);
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the ner-window package root');
    dir = up;
  }
}

/**
 * Where a `--model` value points: an existing directory as given, else a model of that name
 * in the package's `models/` folder (`conll2003-en`, or one built there such as
 * `conll2003-en-ensemble`), else the value as given (loading then says it is missing).
 *
 * @example
 * resolveModelDir('conll2003-en'); // .../models/conll2003-en
 */
export function resolveModelDir(dir: string): string {
  if (existsSync(dir) || !/^[\w.-]+$/.test(dir)) return dir;
  const bundled = bundledModelDir(dir);
  return existsSync(bundled) ? bundled : dir;
}
