import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { NerError } from '../../core/errors.js';
import { FeatureSet } from '../../core/features/token-features.js';
import { Vocabulary } from '../../core/features/vocabulary.js';
import { EmbeddingTables } from '../../core/model/embedding-tables.js';
import { WindowNetwork, type DenseLayer } from '../../core/model/network.js';
import { WindowModel } from '../../core/model/window-model.js';
import {
  FORMAT_NAME,
  FORMAT_VERSION,
  MODEL_FILES,
  type FileCheck,
  type ModelManifest,
  type TensorEntry,
  type TrainingSummary,
} from '../../core/storage/model-format.js';
import { resolveModelDir } from './bundled-model.js';
import { REPAIR_HINT, validateManifest, validateVocabularies } from '../../core/storage/manifest-schema.js';
import { checkModelTarget, makeTempDir, openModelOutput, recoverInterruptedSave, swapInto, type ModelOutput } from './model-dir.js';
import { writeError } from './write-errors.js';
import {
  dequantizeRows,
  dequantizeRows4,
  fromFloat16,
  quantizeRows,
  quantizeRows4,
  roundTripFloat16,
  roundTripRows,
  roundTripRows4,
  rowsOn4BitGrid,
  toFloat16,
} from '../../core/storage/quantize.js';
import { firstNonFinite, firstNonFiniteHalf } from '../../core/storage/weight-values.js';

/** Options of saveModel. */
export interface SaveModelArgs {
  /** Stored in model.json for people and for reproducing the model. */
  training?: TrainingSummary;
  /** Extra files to write into the directory (e.g. metrics.tsv), by name. */
  extraFiles?: Record<string, string>;
  /** Store the word table in 8 bits per value, or 4 where its rows are rounded to 4 bits (see quantize.ts). Default true. */
  quantizeWords?: boolean;
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
    let tmp: string;
    try {
      tmp = await makeTempDir(target);
    } catch (err) {
      throw writeError(err, dir);
    }
    try {
      const vocabText = JSON.stringify(Object.fromEntries(model.config.features.map((f, i) => [f.name, model.featureSet.vocabularies[i].keys])));
      const { bytes, tensors } = packWeights(model, args.quantizeWords ?? true);
      const manifest: ModelManifest = {
        format: FORMAT_NAME,
        // Version 1 readers know float32 and int8-rows: a model using only those stays readable by them.
        formatVersion: tensors.every((t) => t.dtype === 'float32' || t.dtype === 'int8-rows') ? 1 : FORMAT_VERSION,
        config: model.config,
        weights: { ...check(MODEL_FILES.weights, bytes), tensors },
        vocabularies: check(MODEL_FILES.vocabularies, Buffer.from(vocabText)),
        training: args.training,
      };
      await writeFile(join(tmp, MODEL_FILES.weights), bytes);
      await writeFile(join(tmp, MODEL_FILES.vocabularies), vocabText);
      for (const [name, text] of Object.entries(args.extraFiles ?? {})) await writeFile(join(tmp, name), text);
      if (existing === 'model') await keepOtherFiles(target, tmp);
      // model.json last: a temporary folder with it is complete (recovery relies on that).
      await writeFile(join(tmp, MODEL_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
      await swapInto(tmp, target);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw writeError(err, dir);
    }
  } finally {
    if (!args.output) await output.release();
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
 * Gives the model in memory the precision it will have once saved (see packWeights), so that
 * scores computed before saving equal those of the saved model.
 */
export function applyStoredPrecision(model: WindowModel): void {
  const half = model.config.precision === 'float16';
  for (const member of [model, ...model.others]) {
    model.config.features.forEach((spec, f) => {
      const table = member.tables.tables[f];
      if (spec.name === 'word') table.set(storedWordRows(table, spec.dim));
      else if (half) table.set(roundTripFloat16(table));
    });
    if (half) {
      for (const layer of member.network.layers) {
        layer.W.set(roundTripFloat16(layer.W));
        layer.b.set(roundTripFloat16(layer.b));
      }
    }
  }
}

/**
 * The word table as stored: in 4 bits when most rows are already rounded to 4 bits (vectors
 * trained with `vectorBits: 4`), the other rows then in 8 bits; otherwise all rows in 8 bits.
 */
function storedWordRows(table: Float32Array, dim: number): Float32Array {
  const out = roundTripRows4(table, dim);
  const grid = mostlyOn4BitGrid(table, dim, out);
  if (!grid) return roundTripRows(table, dim);
  // Only the rows off the grid go through 8 bits.
  for (let r = 0; r < grid.length; r++) {
    if (!grid[r]) out.set(roundTripRows(table.subarray(r * dim, (r + 1) * dim), dim), r * dim);
  }
  return out;
}

/** Which rows are on the 4-bit grid, when at least half are; else null. `restored`: as rowsOn4BitGrid takes it. */
function mostlyOn4BitGrid(table: Float32Array, dim: number, restored?: Float32Array): Uint8Array | null {
  const grid = rowsOn4BitGrid(table, dim, restored);
  const on = grid.reduce((n, g) => n + g, 0);
  return on > 0 && on >= grid.length / 2 ? grid : null;
}

function check(file: string, data: Uint8Array): FileCheck {
  return { file, bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
}

/** Indices of the rows of `table` that differ from those of `base`. */
function changedRows(table: Float32Array, base: Float32Array, dim: number): Int32Array {
  const out: number[] = [];
  for (let r = 0; r * dim < table.length; r++) {
    for (let d = r * dim; d < (r + 1) * dim; d++) {
      if (table[d] !== base[d]) {
        out.push(r);
        break;
      }
    }
  }
  return Int32Array.from(out);
}

function memberPrefix(k: number): string {
  return k === 0 ? '' : `member${k + 1}/`;
}

function packWeights(model: WindowModel, quantizeWords: boolean): { bytes: Buffer; tensors: TensorEntry[] } {
  const parts: Uint8Array[] = [];
  const tensors: TensorEntry[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], dtype: TensorEntry['dtype'], chunks: ArrayBufferView[], sparse?: { base: string; rows: number }) => {
    const bytes = chunks.reduce((n, c) => n + c.byteLength, 0);
    // Keep every tensor 4-byte aligned so it can be viewed as a Float32Array in place.
    const pad = (4 - (bytes % 4)) % 4;
    chunks.forEach((c) => parts.push(new Uint8Array(c.buffer, c.byteOffset, c.byteLength)));
    if (pad) parts.push(new Uint8Array(pad));
    tensors.push({ name, shape, dtype, offset, bytes, ...sparse });
    offset += bytes + pad;
  };
  const half = model.config.precision === 'float16';
  const floatType = half ? 'float16' : 'float32';
  const floats = (v: Float32Array): ArrayBufferView => (half ? toFloat16(v) : v);
  // Some rows of a table, over the tensor `base` for the others: their indices, then the rows.
  const addRows = (name: string, shape: number[], base: string, table: Float32Array, which: Int32Array, quantize: boolean) => {
    const dim = shape[1];
    const rows = new Float32Array(which.length * dim);
    which.forEach((r, i) => rows.set(table.subarray(r * dim, (r + 1) * dim), i * dim));
    const q = quantize ? quantizeRows(rows, dim) : null;
    add(name, shape, q ? 'int8-rows' : floatType, q ? [which, q.scales, q.values] : [which, floats(rows)], { base, rows: which.length });
  };
  // An ensemble's first member is stored as a single model is; member k >= 2 under `member{k}/`,
  // each table as the rows that differ from the first member's when that is less than half.
  [model, ...model.others].forEach((member, k) => {
    const prefix = memberPrefix(k);
    model.config.features.forEach((spec, f) => {
      const table = member.tables.tables[f];
      const shape = [table.length / spec.dim, spec.dim];
      const quantize = spec.name === 'word' && quantizeWords;
      const changed = k === 0 ? null : changedRows(table, model.tables.tables[f], spec.dim);
      const name = `${prefix}table/${spec.name}`;
      const grid = quantize && k === 0 ? mostlyOn4BitGrid(table, spec.dim) : null;
      if (changed && changed.length < shape[0] / 2) {
        addRows(name, shape, `table/${spec.name}`, table, changed, quantize);
      } else if (grid) {
        // Rows rounded to 4 bits in training stored so; the others (learned words) in 8 bits over them.
        const q4 = quantizeRows4(table, spec.dim);
        add(`${name}@4bit`, shape, 'int4-rows', [q4.scales, q4.values]);
        const off = Int32Array.from(Array.from(grid.keys()).filter((r) => !grid[r]));
        addRows(name, shape, `${name}@4bit`, table, off, true);
      } else if (quantize) {
        const q = quantizeRows(table, spec.dim);
        add(name, shape, 'int8-rows', [q.values, q.scales]);
      } else {
        add(name, shape, floatType, [floats(table)]);
      }
    });
    member.network.layers.forEach((layer, l) => {
      add(`${prefix}dense${l}/W`, [layer.inputs, layer.outputs], floatType, [floats(layer.W)]);
      add(`${prefix}dense${l}/b`, [layer.outputs], floatType, [floats(layer.b)]);
    });
  });
  return { bytes: Buffer.concat(parts), tensors };
}

/**
 * Loads a model directory written by saveModel, checking its format version and that every
 * file is present and intact; each problem is an error naming the file and what is wrong.
 *
 * `dir` may also name a model in the package's `models/` folder (`conll2003-en`).
 *
 * @example
 * const { model, manifest } = await loadModel('models/conll2003-en');
 */
export async function loadModel(dir: string): Promise<{ model: WindowModel; manifest: ModelManifest }> {
  const root = resolve(resolveModelDir(dir));
  await recoverInterruptedSave(root);
  const hint = 'train one with `ner train`, or omit --model to use the bundled model';
  if (!existsSync(root)) throw new NerError('E_MODEL', 'model directory not found', { file: root, hint });
  const manifestPath = join(root, MODEL_FILES.manifest);
  if (!existsSync(manifestPath)) throw new NerError('E_MODEL', `not a model directory: ${MODEL_FILES.manifest} is missing`, { file: root, hint });
  const manifest = validateManifest(parseJson(await readModelFile(manifestPath), manifestPath), manifestPath);
  const weights = await readChecked(root, manifest.weights);
  const vocabPath = join(root, manifest.vocabularies.file);
  const vocabs = validateVocabularies(parseJson(await readChecked(root, manifest.vocabularies), vocabPath), vocabPath, manifest.config.features);
  try {
    return { model: unpack(manifest, weights, vocabs, join(root, manifest.weights.file)), manifest };
  } catch (err) {
    if (err instanceof NerError) throw err;
    throw new NerError('E_MODEL', `inconsistent model files: ${(err as Error).message}`, { file: root, hint: REPAIR_HINT });
  }
}

/** A model file's bytes; an unreadable one (a directory, no permission) is an E_MODEL error naming it. */
async function readModelFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'EISDIR' ? 'it is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new NerError('E_MODEL', `cannot read ${basename(path)}: ${reason}`, { file: path, hint: REPAIR_HINT });
  }
}

/** Parses a model's JSON file; a syntax error names the file and, where JSON.parse gives one, the line. */
function parseJson(data: Buffer, path: string): unknown {
  const text = data.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /at position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    const what = basename(path) === MODEL_FILES.manifest ? 'manifest' : basename(path);
    throw new NerError('E_MODEL', `corrupt ${what}: not valid JSON: ${message}`, { file: path, line, hint: REPAIR_HINT });
  }
}

async function readChecked(root: string, entry: FileCheck): Promise<Buffer> {
  // entry.file is a plain file name (validateManifest): the path stays inside the model folder.
  const path = join(root, entry.file);
  if (!existsSync(path)) throw new NerError('E_MODEL', `${entry.file} is missing`, { file: root, hint: REPAIR_HINT });
  const data = await readModelFile(path);
  if (data.byteLength !== entry.bytes) {
    const what = data.byteLength < entry.bytes ? 'truncated' : 'longer than recorded';
    throw new NerError('E_MODEL', `${entry.file} is ${what}: ${data.byteLength} bytes, expected ${entry.bytes}`, { file: path, hint: REPAIR_HINT });
  }
  if (createHash('sha256').update(data).digest('hex') !== entry.sha256) {
    throw new NerError('E_MODEL', `${entry.file} is corrupt (checksum mismatch)`, { file: path, hint: REPAIR_HINT });
  }
  return data;
}

/**
 * Builds the model from checked files: validateManifest has checked every tensor's layout
 * against the weights file; here the stored numbers are checked to be finite and the row
 * indices of tables stored by rows to be in range. `weightsPath` names weights.bin in errors.
 */
function unpack(manifest: ModelManifest, weights: Buffer, vocabs: Record<string, string[]>, weightsPath: string): WindowModel {
  const { config } = manifest;
  const byName = new Map(manifest.weights.tensors.map((t) => [t.name, t]));
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  const bad = (t: TensorEntry, what: string): never => {
    throw new NerError('E_MODEL', `tensor ${t.name} ${what}`, { file: weightsPath, hint: REPAIR_HINT });
  };
  // The stored arrays, each checked as read (see weight-values.ts).
  const float32 = (t: TensorEntry, at: number, count: number, factor = 1): Float32Array => {
    // int8 values before their scales may leave the scales unaligned: then they are copied.
    const values = at % 4 === 0 ? new Float32Array(buffer, at, count) : new Float32Array(buffer.slice(at, at + 4 * count));
    const i = firstNonFinite(values, factor);
    if (i >= 0) bad(t, factor === 1 ? `holds ${values[i]} at index ${i}` : `has a row scale of ${values[i]} at row ${i}, which makes its values infinite`);
    return values;
  };
  const float16 = (t: TensorEntry, at: number, count: number): Float32Array => {
    const bits = new Uint16Array(buffer, at, count);
    const i = firstNonFiniteHalf(bits);
    if (i >= 0) bad(t, `holds ${fromFloat16(bits.subarray(i, i + 1))[0]} at index ${i}`);
    return fromFloat16(bits);
  };
  const tensor = (name: string): Float32Array => {
    const t = byName.get(name);
    if (!t) throw new Error(`weights.bin has no tensor ${name}`);
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.base !== undefined) return sparseTensor(t, baseTensor(t.base));
    const [rows, dim] = t.shape;
    switch (t.dtype) {
      case 'float32':
        return float32(t, t.offset, size);
      case 'float16':
        return float16(t, t.offset, size);
      case 'int8-rows':
        return dequantizeRows({ values: new Int8Array(buffer, t.offset, size), scales: float32(t, t.offset + size, rows, 128) }, dim);
      case 'int4-rows':
        return dequantizeRows4({ scales: float32(t, t.offset, rows, 8), values: new Uint8Array(buffer, t.offset + 4 * rows, Math.ceil(size / 2)) }, dim);
      default:
        throw new Error(`tensor ${name} has unknown dtype ${String(t.dtype)}`);
    }
  };
  // Bases are read once: every ensemble member's word table has the same base.
  const bases = new Map<string, Float32Array>();
  const baseTensor = (name: string): Float32Array => {
    let base = bases.get(name);
    if (!base) bases.set(name, (base = tensor(name)));
    return base;
  };
  // A table stored as some of its rows: the base table with those rows replaced.
  const sparseTensor = (t: TensorEntry, base: Float32Array): Float32Array => {
    const n = t.rows ?? 0;
    const [tableRows, dim] = t.shape;
    if (base.length !== tableRows * dim) throw new Error(`tensor ${t.name} does not match its base ${t.base}`);
    const rows = new Int32Array(buffer, t.offset, n);
    const outside = rows.findIndex((r) => r < 0 || r >= tableRows);
    if (outside >= 0) bad(t, `replaces row ${rows[outside]}, outside its ${tableRows} rows`);
    const at = t.offset + 4 * n;
    let values: Float32Array;
    if (t.dtype === 'float32') values = float32(t, at, n * dim);
    else if (t.dtype === 'float16') values = float16(t, at, n * dim);
    else if (t.dtype === 'int8-rows') values = dequantizeRows({ scales: float32(t, at, n, 128), values: new Int8Array(buffer, at + 4 * n, n * dim) }, dim);
    else throw new Error(`tensor ${t.name} has a dtype rows cannot have: ${t.dtype}`);
    const out = base.slice();
    rows.forEach((r, i) => out.set(values.subarray(i * dim, (i + 1) * dim), r * dim));
    return out;
  };
  const vocabularies = config.features.map((f) => {
    return Vocabulary.fromSaved(vocabs[f.name]);
  });
  const featureSet = new FeatureSet(config.features, vocabularies);
  const sizes = [(2 * config.window + 1) * config.features.reduce((n, f) => n + f.dim, 0), ...config.hidden, config.tags.length];
  const members = Array.from({ length: config.members ?? 1 }, (_, k) => {
    const prefix = memberPrefix(k);
    const tables = config.features.map((f, i) => {
      const table = tensor(`${prefix}table/${f.name}`);
      if (table.length !== vocabularies[i].size * f.dim) {
        throw new Error(`tensor ${prefix}table/${f.name} has ${table.length / f.dim} rows, but ${manifest.vocabularies.file} has ${vocabularies[i].size} ${f.name} keys`);
      }
      return table;
    });
    const layers: DenseLayer[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const W = tensor(`${prefix}dense${l}/W`);
      const b = tensor(`${prefix}dense${l}/b`);
      if (W.length !== sizes[l] * sizes[l + 1] || b.length !== sizes[l + 1]) throw new Error(`layer ${prefix}${l} has the wrong shape`);
      layers.push({ inputs: sizes[l], outputs: sizes[l + 1], W, b });
    }
    return new WindowModel(config, featureSet, new EmbeddingTables(config.features, tables), new WindowNetwork(layers, config.activation));
  });
  return members.length === 1 ? members[0] : WindowModel.ensemble(members);
}
