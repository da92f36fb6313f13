/**
 * Model folders on disk: saving atomically into a folder (see model-dir.ts for the target
 * rule, the swap and the lock) and loading from one. The bytes themselves are the core's
 * (core/storage/model-pack.ts and model-read.ts).
 */
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { NerError } from '../../core/errors.js';
import type { WindowModel } from '../../core/model/window-model.js';
import { REPAIR_HINT, validateManifest } from '../../core/storage/manifest-schema.js';
import { MODEL_FILES, type ModelManifest } from '../../core/storage/model-format.js';
import { packModel, type PackModelArgs } from '../../core/storage/model-pack.js';
import { readManifest, readModel, type LoadedModel } from '../../core/storage/model-read.js';
import type { ModelFileSource } from '../../core/storage/model-source.js';
import { resolveModelDir } from './bundled-model.js';
import { checkModelTarget, makeTempDir, openModelOutput, recoverInterruptedSave, swapInto, type ModelOutput } from './model-dir.js';
import { writeError } from './write-errors.js';

export { applyStoredPrecision } from '../../core/storage/model-pack.js';

/** Options of saveModel. */
export interface SaveModelArgs extends PackModelArgs {
  /** Extra files to write into the directory (e.g. metrics.tsv), by name. */
  extraFiles?: Record<string, string>;
  /** The folder opened with openModelOutput by a caller that saves several times (training). */
  output?: ModelOutput;
}

/**
 * Saves a model into `dir` atomically: everything is written to a sibling temporary directory
 * first and then swapped into place (see model-dir.ts), so a crash never leaves a half-written
 * model, or no model, where a good one was. `dir` must be absent, an empty folder or a model
 * folder; anything else is refused untouched. Files in a model folder that are not the
 * model's own are kept. The folder is locked while saving unless `args.output` holds it.
 *
 * @example
 * await saveModel(model, 'models/my-model', { training });
 */
export async function saveModel(model: WindowModel, dir: string, args: SaveModelArgs = {}): Promise<void> {
  const target = resolve(dir);
  if (args.output && args.output.target !== target) throw new Error(`saveModel: args.output is for ${args.output.target}, not ${target}`);
  const output = args.output ?? (await openModelOutput(dir));
  try {
    // Checked again at every save: the folder may have changed since training started.
    const existing = await checkModelTarget(target, dir);
    const tmp = await tempFolderIn(target, dir);
    try {
      const { [MODEL_FILES.manifest]: manifest, ...data } = await packModel(model, args);
      for (const [name, bytes] of Object.entries(data)) await writeFile(join(tmp, name), bytes);
      for (const [name, text] of Object.entries(args.extraFiles ?? {})) await writeFile(join(tmp, name), text);
      if (existing === 'model') await keepOtherFiles(target, tmp);
      // model.json last: a temporary folder with it is complete (recovery relies on that).
      await writeFile(join(tmp, MODEL_FILES.manifest), manifest);
      await swapInto(tmp, target);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw writeError(err, dir);
    }
  } finally {
    if (!args.output) await output.release();
  }
}

/** A new temporary folder beside `target`; a failure is the write error naming `dir`. */
async function tempFolderIn(target: string, dir: string): Promise<string> {
  try {
    return await makeTempDir(target);
  } catch (err) {
    throw writeError(err, dir);
  }
}

/**
 * Changes only the model.json of the model folder `dir` (e.g. its temperature), through the
 * same atomic swap as saveModel: the folder's other files (weights, vocabularies, the user's
 * own) are copied byte for byte into the temporary folder, the new model.json is written
 * last, and the folder is swapped into place under its lock. The changed manifest is checked
 * against the schema before anything is written; anything but a model folder is refused.
 *
 * @example
 * await updateManifest('models/mine', (m) => ({ ...m, config: { ...m.config, temperature: 1.3 } }));
 */
export async function updateManifest(dir: string, change: (manifest: ModelManifest) => ModelManifest): Promise<ModelManifest> {
  const target = resolve(dir);
  // Never make a folder here: only an existing model folder is changed.
  if (!existsSync(target)) throw new NerError('E_MODEL', 'model directory not found', { file: dir, hint: MISSING_HINT });
  const output = await openModelOutput(dir);
  try {
    if ((await checkModelTarget(target, dir)) !== 'model') throw new NerError('E_MODEL', `not a model directory: ${MODEL_FILES.manifest} is missing`, { file: dir, hint: MISSING_HINT });
    const path = join(target, MODEL_FILES.manifest);
    const source = await directorySource(target);
    const next = change(await readManifest(source));
    validateManifest(JSON.parse(JSON.stringify(next)), path);
    const tmp = await tempFolderIn(target, dir);
    try {
      for (const entry of await readdir(target)) {
        if (entry !== MODEL_FILES.manifest) await cp(join(target, entry), join(tmp, entry), { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
      }
      // model.json last, as saveModel writes it: a temporary folder with it is complete.
      await writeFile(join(tmp, MODEL_FILES.manifest), `${JSON.stringify(next, null, 2)}\n`);
      await swapInto(tmp, target);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw writeError(err, dir);
    }
    return next;
  } finally {
    await output.release();
  }
}

/** Copies the files of the model folder `target` that are not a model's own into `tmp`: they are the user's. */
async function keepOtherFiles(target: string, tmp: string): Promise<void> {
  const own = new Set<string>([...Object.values(MODEL_FILES), ...(await readdir(tmp))]);
  for (const entry of await readdir(target)) {
    if (!own.has(entry)) await cp(join(target, entry), join(tmp, entry), { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  }
}

/**
 * Loads a model directory written by saveModel (finishing a save a crash interrupted first),
 * with every check of readModel; each problem is an error naming the file and what is wrong.
 *
 * `dir` may also name a model in the package's `models/` folder (`conll2003-en`).
 *
 * @example
 * const { model, manifest } = await loadModel('models/conll2003-en');
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  return readModel(await directorySource(dir), MISSING_HINT);
}

/**
 * What a library caller can do about a missing model; in API terms, since Tagger.load and
 * loadModel are called from code (the CLI puts it in its own words, see cli/model-hint.ts).
 */
export const MODEL_NOT_FOUND_HINT = "pass a model folder, a bundled model's name (conll2003-en), a URL or the model's bytes; or nothing for the bundled model";
const MISSING_HINT = MODEL_NOT_FOUND_HINT;

/** The files of the model folder `dir` (or bundled model of that name), once it is known to exist. */
export async function directorySource(dir: string): Promise<ModelFileSource> {
  const root = resolve(resolveModelDir(dir));
  await recoverInterruptedSave(root);
  if (!existsSync(root)) throw new NerError('E_MODEL', 'model directory not found', { file: root, hint: MISSING_HINT });
  if (!existsSync(join(root, MODEL_FILES.manifest))) {
    throw new NerError('E_MODEL', `not a model directory: ${MODEL_FILES.manifest} is missing`, { file: root, hint: MISSING_HINT });
  }
  return {
    freshBytes: true,
    where: (file) => join(root, file),
    read: async (file) => {
      const path = join(root, file);
      if (!existsSync(path)) return null;
      try {
        return await readFile(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const reason = code === 'EISDIR' ? 'it is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
        throw new NerError('E_MODEL', `cannot read ${basename(path)}: ${reason}`, { file: path, hint: REPAIR_HINT });
      }
    },
  };
}
