/**
 * A model folder's files read once for all of TaggerPool's workers: weights.bin goes into a
 * SharedArrayBuffer, on which every worker builds its model's tables (packed word rows, dense
 * layers) as views, so N workers hold one copy of the weights instead of N. model.json and the
 * vocabularies (parsed into each worker's own heap anyway) travel as plain bytes.
 */
import { open } from 'node:fs/promises';
import type { ModelBytes } from '../../core/storage/model-source.js';
import { MODEL_FILES } from '../../core/storage/model-format.js';
import { bundledModelDir } from '../storage/bundled-model.js';
import { directorySource } from '../storage/model-io.js';

/** A model's files as bytes for the workers; `weights` lies in a SharedArrayBuffer. */
export interface SharedModelFiles extends ModelBytes {
  model: Uint8Array;
  weights: Uint8Array;
  vocabularies: Uint8Array;
}

/**
 * Reads the model folder `dir` (or the bundled model of that name; the bundled model when
 * undefined). A missing folder or file is the loader's own error (E_MODEL, naming the path);
 * the contents are checked by each worker's loader (sizes, SHA-256, schema), as for any model.
 */
export async function readSharedModelFiles(dir: string | undefined): Promise<SharedModelFiles | undefined> {
  // undefined: something the workers' own loading reports best (it names the file and line).
  const source = await directorySource(dir ?? bundledModelDir());
  const model = await source.read(MODEL_FILES.manifest);
  if (!model) return undefined;
  let names: { weights?: { file?: unknown }; vocabularies?: { file?: unknown } };
  try {
    names = JSON.parse(new TextDecoder().decode(model));
  } catch {
    return undefined; // the workers' loader reports the broken model.json with its line
  }
  const weightsFile = names?.weights?.file;
  const vocabFile = names?.vocabularies?.file;
  // Only plain file names inside the folder; anything else is left to the loader's checks.
  if (typeof weightsFile !== 'string' || typeof vocabFile !== 'string' || /[\\/]/.test(weightsFile + vocabFile)) return undefined;
  const vocabularies = await source.read(vocabFile);
  const weights = await readShared(source.where(weightsFile));
  if (!vocabularies || !weights) return undefined;
  return { model, weights, vocabularies };
}

/** The file's bytes read straight into a SharedArrayBuffer; null when it cannot be read (the loader says why). */
async function readShared(path: string): Promise<Uint8Array | null> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await file.stat();
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await file.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === size ? bytes : null;
  } finally {
    await file.close();
  }
}
