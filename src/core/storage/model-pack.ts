/**
 * A model as the bytes of its files (model.json, weights.bin, vocabularies.json), with the
 * sizes and SHA-256 of the data files in model.json: what a folder, a download or a browser's
 * "save" holds. The inverse of readModel (model-read.ts).
 */
import { runtime } from '../runtime.js';
import type { WindowModel } from '../model/window-model.js';
import { concatBytes } from './model-source.js';
import { FORMAT_NAME, FORMAT_VERSION, GAZETTEER_ENTRY, MODEL_FILES, TOPICS_ENTRY, type FileCheck, type ModelManifest, type TensorEntry, type TrainingSummary } from './model-format.js';
import { quantizeRows, quantizeRows4, roundTripFloat16, roundTripRows, roundTripRows4, rowsOn4BitGrid, toFloat16 } from './quantize.js';

/** Options of packModel. */
export interface PackModelArgs {
  /** Stored in model.json for people and for reproducing the model. */
  training?: TrainingSummary;
  /** Store the word table in 8 bits per value, or 4 where its rows are rounded to 4 bits (see quantize.ts). Default true. */
  quantizeWords?: boolean;
}

/** The files of a packed model, by name. */
export type ModelFiles = Record<string, Uint8Array>;

/**
 * The model's files, model.json last in key order.
 *
 * @example
 * const files = await packModel(model, { training });
 * files['weights.bin'].byteLength;
 */
export async function packModel(model: WindowModel, args: PackModelArgs = {}): Promise<ModelFiles> {
  const encoder = new TextEncoder();
  const keys = Object.fromEntries(model.config.features.map((f, i) => [f.name, model.featureSet.vocabularies[i].keys]));
  // A model's gazetteer and topics travel in vocabularies.json (see GAZETTEER_ENTRY, TOPICS_ENTRY), so a model stays three files.
  const { gazetteer, topics } = model.featureSet;
  const vocabularies = encoder.encode(JSON.stringify({
    ...keys,
    ...(gazetteer ? { [GAZETTEER_ENTRY]: gazetteer.toLists() } : {}),
    ...(topics ? { [TOPICS_ENTRY]: topics.toSaved() } : {}),
  }));
  const { bytes: weights, tensors } = packWeights(model, args.quantizeWords ?? true);
  const manifest: ModelManifest = {
    format: FORMAT_NAME,
    // Version 1 readers know float32 and int8-rows: a model using only those stays readable by them.
    formatVersion: tensors.every((t) => t.dtype === 'float32' || t.dtype === 'int8-rows') ? 1 : FORMAT_VERSION,
    config: model.config,
    weights: { ...(await check(MODEL_FILES.weights, weights)), tensors },
    vocabularies: await check(MODEL_FILES.vocabularies, vocabularies),
    training: args.training,
  };
  return {
    [MODEL_FILES.weights]: weights,
    [MODEL_FILES.vocabularies]: vocabularies,
    [MODEL_FILES.manifest]: encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`),
  };
}

/**
 * Gives the model in memory the precision it will have once saved (see packWeights), so that
 * scores computed before saving equal those of the saved model.
 */
export function applyStoredPrecision(model: WindowModel): void {
  const half = model.config.precision === 'float16';
  for (const member of model.members) {
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

async function check(file: string, data: Uint8Array): Promise<FileCheck> {
  return { file, bytes: data.byteLength, sha256: await runtime().sha256(data) };
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

/** Where ensemble member k's tensors are named (the first member has no prefix). */
export function memberPrefix(k: number): string {
  return k === 0 ? '' : `member${k + 1}/`;
}

function packWeights(model: WindowModel, quantizeWords: boolean): { bytes: Uint8Array; tensors: TensorEntry[] } {
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
  model.members.forEach((member, k) => {
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
  return { bytes: concatBytes(parts), tensors };
}

