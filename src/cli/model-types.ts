/** The entity types of a model folder, read cheaply (model.json only) for help texts and warnings. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_FILES } from '../core/storage/model-format.js';
import { bundledModelDir, resolveModelDir } from '../node/storage/bundled-model.js';

/** The models shipped with the package, by the name `--model` takes. */
export const BUNDLED_MODELS = ['conll2003-en', 'conll2003-en-ensemble'] as const;

/**
 * The entity types (`PER`, `LOC`, ...) of the model in `dir` (default: the bundled model),
 * from its manifest's tags, sorted; undefined when the manifest cannot be read.
 */
export function modelTypes(dir?: string): string[] | undefined {
  try {
    const root = dir === undefined ? bundledModelDir() : resolveModelDir(dir);
    const manifest = JSON.parse(readFileSync(join(root, MODEL_FILES.manifest), 'utf8')) as { config?: { tags?: unknown } };
    const tags = manifest.config?.tags;
    if (!Array.isArray(tags)) return undefined;
    return typesOfTags(tags.filter((t): t is string => typeof t === 'string'));
  } catch {
    return undefined;
  }
}

/** The entity types a tag set names (`B-PER`, `I-PER` -> `PER`), sorted. */
export function typesOfTags(tags: readonly string[]): string[] {
  return [...new Set(tags.filter((t) => t !== 'O').map((t) => t.replace(/^[BIES]-/, '')))].sort();
}
