/**
 * Reading a model from its files, wherever they come from (model-source.ts): model.json is
 * checked against its schema, the data files against their sizes and SHA-256, and the stored
 * numbers against NaN and infinity, before a model is built; each problem is an E_MODEL error
 * naming the file and what is wrong.
 */
import { NerError } from '../errors.js';
import { DocumentTopics } from '../features/document-topics.js';
import { Gazetteer } from '../features/gazetteer.js';
import { FeatureSet } from '../features/token-features.js';
import { Vocabulary } from '../features/vocabulary.js';
import { EmbeddingTables, materialize, storedRows, type RowOverlay, type StoredTable } from '../model/embedding-tables.js';
import { WindowNetwork, type DenseLayer } from '../model/network.js';
import { WindowModel } from '../model/window-model.js';
import { runtime } from '../runtime.js';
import { REPAIR_HINT, validateManifest, validateVocabularies } from './manifest-schema.js';
import { GAZETTEER_ENTRY, MODEL_FILES, TOPICS_ENTRY, type FileCheck, type ModelManifest, type TensorEntry } from './model-format.js';
import { memberPrefix } from './model-pack.js';
import type { ModelFileSource } from './model-source.js';
import { dequantizeRows, fromFloat16 } from './quantize.js';
import { firstNonFinite, firstNonFiniteHalf } from './weight-values.js';

/** A loaded model and its model.json. */
export interface LoadedModel {
  model: WindowModel;
  manifest: ModelManifest;
}

/**
 * Reads and checks a model's files from `source` and builds the model.
 *
 * @example
 * const { model } = await readModel(bytesSource({ model, weights, vocabularies }));
 */
export async function readModel(source: ModelFileSource, missingHint = REPAIR_HINT): Promise<LoadedModel> {
  const manifest = await readManifest(source, missingHint);
  const manifestPath = source.where(MODEL_FILES.manifest);
  // The weights are read while the vocabularies are checked and parsed; a problem with the
  // weights is still the one reported when both files have one.
  const weightsRead = readChecked(source, manifest.weights);
  weightsRead.catch(() => {});
  const vocabPath = source.where(manifest.vocabularies.file);
  const vocabsRead = readChecked(source, manifest.vocabularies)
    .then((bytes) => validateVocabularies(parseJson(bytes, vocabPath), vocabPath, manifest.config.features));
  vocabsRead.catch(() => {});
  const weights = await weightsRead;
  const vocabs = await vocabsRead;
  try {
    const gazetteer = gazetteerOf(manifest, vocabs, vocabPath);
    const topics = topicsOf(manifest, vocabs, vocabPath);
    return { model: unpack(manifest, weights, vocabs, gazetteer, topics, source.where(manifest.weights.file), source.freshBytes === true), manifest };
  } catch (err) {
    if (err instanceof NerError) throw err;
    throw new NerError('E_MODEL', `inconsistent model files: ${(err as Error).message}`, { file: manifestPath, hint: REPAIR_HINT });
  }
}

/**
 * Only a model's model.json, checked against its schema: what a model is, without reading its
 * weights (as `ner serve` answers GET /model).
 */
export async function readManifest(source: ModelFileSource, missingHint = REPAIR_HINT): Promise<ModelManifest> {
  const manifestPath = source.where(MODEL_FILES.manifest);
  const manifestBytes = await source.read(MODEL_FILES.manifest);
  if (!manifestBytes) throw new NerError('E_MODEL', `not a model: ${MODEL_FILES.manifest} is missing`, { file: manifestPath, hint: missingHint });
  return validateManifest(parseJson(manifestBytes, manifestPath), manifestPath);
}

/** The gazetteer stored with a model that has the gazetteer feature (null for others), checked. */
function gazetteerOf(manifest: ModelManifest, vocabs: Record<string, unknown>, vocabPath: string): Gazetteer | null {
  if (!manifest.config.features.some((f) => f.name === 'gazetteer')) return null;
  if (!Object.hasOwn(vocabs, GAZETTEER_ENTRY)) {
    throw new NerError('E_MODEL', `the model has the gazetteer feature but ${fileName(vocabPath)} holds no ${GAZETTEER_ENTRY}`, { file: vocabPath, hint: REPAIR_HINT });
  }
  return Gazetteer.fromSaved(vocabs[GAZETTEER_ENTRY], vocabPath);
}

/**
 * The topics stored with a model that has the doctopic feature (null for others), checked, and
 * checked against the feature's vocabulary: it must hold the key of every topic.
 */
function topicsOf(manifest: ModelManifest, vocabs: Record<string, unknown>, vocabPath: string): DocumentTopics | null {
  if (!manifest.config.features.some((f) => f.name === 'doctopic')) return null;
  if (!Object.hasOwn(vocabs, TOPICS_ENTRY)) {
    throw new NerError('E_MODEL', `the model has the doctopic feature but ${fileName(vocabPath)} holds no ${TOPICS_ENTRY}`, { file: vocabPath, hint: REPAIR_HINT });
  }
  const topics = DocumentTopics.fromSaved(vocabs[TOPICS_ENTRY], vocabPath);
  const keys = new Set(vocabs.doctopic as string[]);
  const missing = topics.keys().find((k) => !keys.has(k));
  if (missing !== undefined) {
    throw new NerError('E_MODEL', `${TOPICS_ENTRY}.centroids: ${topics.count} topics, but the doctopic vocabulary has no key ${missing}`, { file: vocabPath, hint: REPAIR_HINT });
  }
  return topics;
}

/** The last part of a path or URL. */
function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Parses a model's JSON file; a syntax error names the file and, where JSON.parse gives one, the line. */
function parseJson(data: Uint8Array, path: string): unknown {
  const text = new TextDecoder().decode(data);
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /at position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    const what = fileName(path) === MODEL_FILES.manifest ? 'manifest' : fileName(path);
    throw new NerError('E_MODEL', `corrupt ${what}: not valid JSON: ${message}`, { file: path, line, hint: REPAIR_HINT });
  }
}

async function readChecked(source: ModelFileSource, entry: FileCheck): Promise<Uint8Array> {
  // entry.file is a plain file name (validateManifest): it stays inside the model's folder.
  const path = source.where(entry.file);
  const data = await source.read(entry.file);
  if (!data) throw new NerError('E_MODEL', `${entry.file} is missing`, { file: path, hint: REPAIR_HINT });
  if (data.byteLength !== entry.bytes) {
    const what = data.byteLength < entry.bytes ? 'truncated' : 'longer than recorded';
    throw new NerError('E_MODEL', `${entry.file} is ${what}: ${data.byteLength} bytes, expected ${entry.bytes}`, { file: path, hint: REPAIR_HINT });
  }
  if ((await runtime().sha256(data)) !== entry.sha256) {
    throw new NerError('E_MODEL', `${entry.file} is corrupt (checksum mismatch)`, { file: path, hint: REPAIR_HINT });
  }
  return data;
}

/**
 * Builds the model from checked files: validateManifest has checked every tensor's layout
 * against the weights file; here the stored numbers are checked to be finite and the row
 * indices of tables stored by rows to be in range. `weightsPath` names weights.bin in errors;
 * `fresh`: the bytes are the source's own (ModelFileSource.freshBytes).
 */
function unpack(
  manifest: ModelManifest,
  weights: Uint8Array,
  vocabs: Record<string, string[]>,
  gazetteer: Gazetteer | null,
  topics: DocumentTopics | null,
  weightsPath: string,
  fresh: boolean,
): WindowModel {
  const { config } = manifest;
  const byName = new Map(manifest.weights.tensors.map((t) => [t.name, t]));
  // The tensors are views of one buffer of the weights alone: a copy unless the bytes are
  // the source's own (or shared) and fill their buffer (readFile's and sharedModelFiles' do).
  const whole = fresh && weights.byteOffset === 0 && weights.byteLength === weights.buffer.byteLength;
  const buffer: ArrayBufferLike = whole ? weights.buffer : weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
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
    const stored = storedTensor(name);
    return stored instanceof Float32Array ? stored : materialize(stored, byName.get(name)!.shape[1]);
  };
  /** A tensor as stored: an array, or for a table stored as some of its rows, an overlay on its base. */
  const storedTensor = (name: string): StoredTable => {
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
      // Tables stored by rows stay packed: their rows are decoded as read (embedding-tables.ts PackedRows).
      case 'int8-rows':
        return { bits: 8, values: new Int8Array(buffer, t.offset, size), scales: float32(t, t.offset + size, rows, 128) };
      case 'int4-rows':
        return { bits: 4, scales: float32(t, t.offset, rows, 8), values: new Uint8Array(buffer, t.offset + 4 * rows, Math.ceil(size / 2)) };
      default:
        throw new Error(`tensor ${name} has unknown dtype ${String(t.dtype)}`);
    }
  };
  // Bases are read once: every ensemble member's word table has the same base.
  const bases = new Map<string, StoredTable>();
  const baseTensor = (name: string): StoredTable => {
    let base = bases.get(name);
    if (!base) bases.set(name, (base = storedTensor(name)));
    return base;
  };
  // A table stored as some of its rows: the base table with those rows replaced, as an overlay
  // that shares the base (an overlay on an overlay shares the first base, with both rows sets).
  const sparseTensor = (t: TensorEntry, base: StoredTable): RowOverlay => {
    const n = t.rows ?? 0;
    const [tableRows, dim] = t.shape;
    if (storedRows(base, dim) !== tableRows) throw new Error(`tensor ${t.name} does not match its base ${t.base}`);
    const rows = new Int32Array(buffer, t.offset, n);
    const outside = rows.findIndex((r) => r < 0 || r >= tableRows);
    if (outside >= 0) bad(t, `replaces row ${rows[outside]}, outside its ${tableRows} rows`);
    const at = t.offset + 4 * n;
    let values: Float32Array;
    if (t.dtype === 'float32') values = float32(t, at, n * dim);
    else if (t.dtype === 'float16') values = float16(t, at, n * dim);
    else if (t.dtype === 'int8-rows') values = dequantizeRows({ scales: float32(t, at, n, 128), values: new Int8Array(buffer, at + 4 * n, n * dim) }, dim);
    else throw new Error(`tensor ${t.name} has a dtype rows cannot have: ${t.dtype}`);
    const inherited = 'slotOf' in base ? base : null;
    const root = inherited ? inherited.base : (base as RowOverlay['base']);
    const slotOf = inherited ? inherited.slotOf.slice() : new Int32Array(tableRows).fill(-1);
    const own = inherited ? inherited.values.length / dim : 0;
    const merged = new Float32Array((own + n) * dim);
    if (inherited) merged.set(inherited.values);
    rows.forEach((r, i) => {
      const k = slotOf[r] >= 0 ? slotOf[r] : own + i;
      slotOf[r] = k;
      merged.set(values.subarray(i * dim, (i + 1) * dim), k * dim);
    });
    // A row that replaces an inherited one takes over its slot (its own stays unused).
    return { base: root, slotOf, values: merged };
  };
  const vocabularies = config.features.map((f) => {
    return Vocabulary.fromSaved(vocabs[f.name]);
  });
  const featureSet = new FeatureSet(config.features, vocabularies, gazetteer, topics);
  const sizes = [(2 * config.window + 1) * config.features.reduce((n, f) => n + f.dim, 0), ...config.hidden, config.tags.length];
  // An ensemble's temperature and consistency were chosen for its averaged probabilities: its members have none of their own.
  const { temperature: _ensembleOnly, consistency: _averageOnly, ...memberOnly } = config;
  const memberConfig = (config.members ?? 1) > 1 ? memberOnly : config;
  const members = Array.from({ length: config.members ?? 1 }, (_, k) => {
    const prefix = memberPrefix(k);
    const tables = config.features.map((f, i) => {
      const table = storedTensor(`${prefix}table/${f.name}`);
      const rows = storedRows(table, f.dim);
      if (rows !== vocabularies[i].size) {
        throw new Error(`tensor ${prefix}table/${f.name} has ${rows} rows, but ${manifest.vocabularies.file} has ${vocabularies[i].size} ${f.name} keys`);
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
    return new WindowModel(memberConfig, featureSet, new EmbeddingTables(config.features, tables), new WindowNetwork(layers, config.activation));
  });
  return members.length === 1 ? members[0] : WindowModel.ensemble(members).withTemperature(config.temperature).withConsistency(config.consistency ?? 0);
}
