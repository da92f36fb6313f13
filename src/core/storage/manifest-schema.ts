/**
 * What model.json and vocabularies.json must hold, checked field by field before anything in
 * them is used. A model folder may be damaged or come from someone else: every value is
 * checked for its type and range, array lengths against the tag count and tensor shapes,
 * tensor extents against the weights file, and data file names are plain names inside the
 * model folder. The first wrong field is refused as an E_MODEL error naming the file and the
 * field's path (`config.transitions.scores: expected 81 numbers (9x9 tags), found 10`).
 *
 * Unknown fields are ignored, so that a manifest with extra informational fields still loads;
 * incompatible changes bump FORMAT_VERSION instead.
 */
import { DECODERS } from '../decode/decoders.js';
import { TEMPERATURE_RANGE } from '../decode/temperature.js';
import { tryParseTag } from '../tags/tag.js';
import { NerError } from '../errors.js';
import { FEATURE_NAMES, type FeatureSpec } from '../features/token-features.js';
import { PAD, UNK } from '../features/vocabulary.js';
import { ACTIVATIONS } from '../model/activations.js';
import type { ModelConfig } from '../model/window-model.js';
import { FORMAT_NAME, FORMAT_VERSION, type ModelManifest, type TensorEntry } from './model-format.js';
import { describeValue } from '../util/describe-value.js';

/** What a user can do about a damaged model. */
export const REPAIR_HINT = 're-download or retrain the model';

const SCHEMES = ['IOB2', 'BIOES'] as const;
const DTYPES = ['float32', 'float16', 'int8-rows', 'int4-rows'] as const;
/** Tag prefixes each scheme uses. */
const SCHEME_PREFIXES: Record<(typeof SCHEMES)[number], string> = { IOB2: 'OBI', BIOES: 'OBIES' };
/** Dtypes format version 1 had; the others need version 2. */
const VERSION_1_DTYPES: readonly string[] = ['float32', 'int8-rows'];

type Json = Record<string, unknown>;

/** Throws the E_MODEL error for one field of one file. */
class FieldChecker {
  constructor(private readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new NerError('E_MODEL', `${path}: ${problem}`, { file: this.file, hint: REPAIR_HINT });
  }

  object(value: unknown, path: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, `expected an object, found ${describeValue(value)}`);
    return value as Json;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, found ${describeValue(value)}`);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, `expected a string, found ${describeValue(value)}`);
    return value;
  }

  integer(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
      this.fail(path, `expected an integer ${range}, found ${describeValue(value)}`);
    }
    return value;
  }

  finite(value: unknown, path: string, min = -Infinity): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      this.fail(path, `expected a finite number${min > -Infinity ? ` >= ${min}` : ''}, found ${describeValue(value)}`);
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
    if (!allowed.includes(value as T)) this.fail(path, `expected one of ${allowed.join(', ')}, found ${describeValue(value)}`);
    return value as T;
  }
}


/**
 * Checks a parsed model.json (`file`: its path, for messages) and returns it typed. A format
 * version newer than this code reads is refused with a hint to upgrade.
 *
 * @example
 * const manifest = validateManifest(JSON.parse(text), 'models/x/model.json');
 */
export function validateManifest(doc: unknown, file: string): ModelManifest {
  const c = new FieldChecker(file);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new NerError('E_MODEL', `not a ${FORMAT_NAME} manifest: expected a JSON object, found ${describeValue(doc)}`, { file, hint: REPAIR_HINT });
  }
  const m = doc as Json;
  if (m.format !== FORMAT_NAME) {
    throw new NerError('E_MODEL', `not a ${FORMAT_NAME} manifest: format is ${describeValue(m.format)}`, { file, hint: REPAIR_HINT });
  }
  if (typeof m.formatVersion === 'number' && Number.isInteger(m.formatVersion) && m.formatVersion > FORMAT_VERSION) {
    throw new NerError('E_MODEL', `model format version ${m.formatVersion} is newer than this version of ner reads (${FORMAT_VERSION})`, {
      file,
      hint: 'upgrade ner',
    });
  }
  const version = c.integer(m.formatVersion, 'formatVersion', 1, FORMAT_VERSION);
  const config = checkConfig(c, m.config);
  const weights = c.object(m.weights, 'weights');
  const weightsBytes = checkFileCheck(c, weights, 'weights');
  checkFileCheck(c, c.object(m.vocabularies, 'vocabularies'), 'vocabularies');
  checkTensors(c, c.array(weights.tensors, 'weights.tensors'), weightsBytes, version, config);
  if (m.training !== undefined) checkTraining(c, c.object(m.training, 'training'));
  return doc as ModelManifest;
}

/**
 * The training summary is informational, so only what code reads is checked: the webgpu
 * adapter a model was trained on (models before it, or trained on wasm, have none).
 */
function checkTraining(c: FieldChecker, training: Json): void {
  if (training.backend === undefined) return;
  const backend = c.object(training.backend, 'training.backend');
  if (backend.adapter === undefined) return;
  const adapter = c.object(backend.adapter, 'training.backend.adapter');
  for (const field of ['vendor', 'architecture', 'device', 'description'] as const) c.string(adapter[field], `training.backend.adapter.${field}`);
  if (typeof adapter.software !== 'boolean') c.fail('training.backend.adapter.software', `expected true or false, found ${describeValue(adapter.software)}`);
}

function checkConfig(c: FieldChecker, value: unknown): ModelConfig {
  const config = c.object(value, 'config');
  c.integer(config.window, 'config.window', 0);
  const features = c.array(config.features, 'config.features');
  if (features.length === 0) c.fail('config.features', 'expected at least one feature, found none');
  const names = new Set<string>();
  features.forEach((f, i) => {
    const spec = c.object(f, `config.features[${i}]`);
    const name = c.oneOf(spec.name, `config.features[${i}].name`, FEATURE_NAMES);
    if (names.has(name)) c.fail(`config.features[${i}].name`, `feature "${name}" is listed twice`);
    names.add(name);
    c.integer(spec.dim, `config.features[${i}].dim`, 1);
  });
  c.array(config.hidden, 'config.hidden').forEach((h, i) => c.integer(h, `config.hidden[${i}]`, 1));
  c.oneOf(config.activation, 'config.activation', ACTIVATIONS);
  const scheme = c.oneOf(config.scheme, 'config.scheme', SCHEMES);
  const tags = c.array(config.tags, 'config.tags');
  if (tags.length === 0) c.fail('config.tags', 'expected at least one tag, found none');
  const seen = new Set<string>();
  tags.forEach((t, i) => {
    const tag = c.string(t, `config.tags[${i}]`);
    const prefix = tryParseTag(tag)?.prefix;
    if (prefix === undefined) c.fail(`config.tags[${i}]`, `malformed tag ${describeValue(tag)}`);
    if (!SCHEME_PREFIXES[scheme].includes(prefix)) c.fail(`config.tags[${i}]`, `tag ${describeValue(tag)} does not belong to scheme ${scheme}`);
    if (seen.has(tag)) c.fail(`config.tags[${i}]`, `tag ${describeValue(tag)} is listed twice`);
    seen.add(tag);
  });
  c.oneOf(config.decoder, 'config.decoder', DECODERS);
  if (config.transitions !== undefined) {
    const transitions = c.object(config.transitions, 'config.transitions');
    c.finite(transitions.weight, 'config.transitions.weight', 0);
    const scores = c.array(transitions.scores, 'config.transitions.scores');
    const T = tags.length;
    if (scores.length !== T * T) c.fail('config.transitions.scores', `expected ${T * T} numbers (${T}x${T} tags), found ${scores.length}`);
    scores.forEach((s, i) => c.finite(s, `config.transitions.scores[${i}]`));
  }
  // Absent in models from before the entity bias: 0 (older readers ignore it and decode without).
  if (config.entityBias !== undefined) c.finite(config.entityBias, 'config.entityBias');
  // Absent in models from before document consistency: 0. Older readers ignore it (each occurrence decoded on its own).
  if (config.consistency !== undefined) {
    const w = config.consistency;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 1) c.fail('config.consistency', `expected a number in 0..1, found ${describeValue(w)}`);
  }
  if (config.members !== undefined) c.integer(config.members, 'config.members', 1);
  if (config.precision !== undefined) c.oneOf(config.precision, 'config.precision', ['float16']);
  // Absent in models from before calibration: T = 1. Older readers ignore it (scores uncalibrated).
  if (config.temperature !== undefined) {
    const t = config.temperature;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < TEMPERATURE_RANGE[0] || t > TEMPERATURE_RANGE[1]) {
      c.fail('config.temperature', `expected a number in ${TEMPERATURE_RANGE[0]}..${TEMPERATURE_RANGE[1]}, found ${describeValue(t)}`);
    }
  }
  return config as unknown as ModelConfig;
}

/** Checks a FileCheck's fields and returns its byte count. */
function checkFileCheck(c: FieldChecker, entry: Json, path: string): number {
  const file = c.string(entry.file, `${path}.file`);
  // A plain name: the model's data files are inside its folder, never elsewhere.
  if (file === '' || file === '.' || file === '..' || /[/\\\0]/.test(file)) {
    c.fail(`${path}.file`, `expected a file name inside the model folder, found ${describeValue(file)}`);
  }
  const bytes = c.integer(entry.bytes, `${path}.bytes`, 0);
  const sha = c.string(entry.sha256, `${path}.sha256`);
  if (!/^[0-9a-f]{64}$/.test(sha)) c.fail(`${path}.sha256`, `expected 64 lowercase hex digits, found ${describeValue(sha)}`);
  return bytes;
}

/** The bytes a tensor with this layout takes (see TensorEntry and packWeights). */
function expectedBytes(shape: number[], dtype: TensorEntry['dtype'], sparseRows: number | undefined): number {
  const [rows, dim = 1] = shape;
  if (sparseRows !== undefined) {
    const values = sparseRows * dim;
    const data = dtype === 'float32' ? 4 * values : dtype === 'float16' ? 2 * values : 4 * sparseRows + values;
    return 4 * sparseRows + data;
  }
  const size = shape.reduce((a, b) => a * b, 1);
  switch (dtype) {
    case 'float32':
      return 4 * size;
    case 'float16':
      return 2 * size;
    case 'int8-rows':
      return size + 4 * rows;
    case 'int4-rows':
      return 4 * rows + Math.ceil(size / 2);
  }
}

function checkTensors(c: FieldChecker, list: unknown[], fileBytes: number, version: number, config: ModelConfig): void {
  const byName = new Map<string, { entry: TensorEntry; index: number }>();
  list.forEach((value, i) => {
    const path = `weights.tensors[${i}]`;
    const t = c.object(value, path);
    const name = c.string(t.name, `${path}.name`);
    if (byName.has(name)) c.fail(`${path}.name`, `tensor ${describeValue(name)} is listed twice`);
    const shape = c.array(t.shape, `${path}.shape`);
    if (shape.length < 1 || shape.length > 2) c.fail(`${path}.shape`, `expected 1 or 2 dimensions, found ${shape.length}`);
    shape.forEach((d, k) => c.integer(d, `${path}.shape[${k}]`, 1));
    const dtype = c.oneOf(t.dtype, `${path}.dtype`, DTYPES);
    if (version < 2 && !VERSION_1_DTYPES.includes(dtype)) c.fail(`${path}.dtype`, `${dtype} needs format version 2, found formatVersion ${version}`);
    const offset = c.integer(t.offset, `${path}.offset`, 0);
    // Tensors start 4-byte aligned, so they are read as typed arrays in place.
    if (offset % 4 !== 0) c.fail(`${path}.offset`, `expected a multiple of 4, found ${offset}`);
    const bytes = c.integer(t.bytes, `${path}.bytes`, 0);
    if (offset + bytes > fileBytes) c.fail(path, `bytes ${offset}..${offset + bytes} lie outside the weights file (${fileBytes} bytes)`);
    const byRows = dtype === 'int8-rows' || dtype === 'int4-rows';
    if ((byRows || t.base !== undefined) && shape.length !== 2) c.fail(`${path}.shape`, `a ${t.base !== undefined ? 'tensor stored by rows' : dtype} tensor needs 2 dimensions, found ${shape.length}`);
    let sparseRows: number | undefined;
    if (t.base !== undefined || t.rows !== undefined) {
      const base = c.string(t.base, `${path}.base`);
      const of = byName.get(base);
      // Bases come first, so chains of bases end.
      if (!of) c.fail(`${path}.base`, `expected the name of an earlier tensor, found ${describeValue(base)}`);
      if (JSON.stringify(of.entry.shape) !== JSON.stringify(shape)) c.fail(`${path}.shape`, `expected the shape of its base ${base} [${of.entry.shape.join(', ')}], found [${shape.join(', ')}]`);
      if (dtype === 'int4-rows') c.fail(`${path}.dtype`, 'a tensor stored by rows cannot be int4-rows');
      sparseRows = c.integer(t.rows, `${path}.rows`, 0, shape[0] as number);
    }
    const expected = expectedBytes(shape as number[], dtype, sparseRows);
    if (bytes !== expected) c.fail(`${path}.bytes`, `expected ${expected} for shape [${shape.join(', ')}] as ${dtype}${sparseRows !== undefined ? ` with ${sparseRows} rows` : ''}, found ${bytes}`);
    byName.set(name, { entry: t as unknown as TensorEntry, index: i });
  });
  checkModelTensors(c, byName, list.length, config);
}

/** Every tensor the config needs is there with the shape the config gives it. */
function checkModelTensors(c: FieldChecker, byName: Map<string, { entry: TensorEntry; index: number }>, count: number, config: ModelConfig): void {
  const members = config.members ?? 1;
  // Each member needs tensors of its own: more members than tensors cannot be right.
  if (members > count) c.fail('config.members', `${members} members, but weights.tensors lists only ${count} tensors`);
  const features: readonly FeatureSpec[] = config.features;
  const sizes = [(2 * config.window + 1) * features.reduce((n, f) => n + f.dim, 0), ...config.hidden, config.tags.length];
  const need = (name: string, shape: (number | undefined)[], why: string) => {
    const found = byName.get(name);
    if (!found) c.fail('weights.tensors', `no tensor ${name} (${why})`);
    const actual = found.entry.shape;
    if (actual.length !== shape.length || shape.some((d, k) => d !== undefined && d !== actual[k])) {
      const want = shape.map((d) => d ?? 'rows').join(', ');
      c.fail(`weights.tensors[${found.index}].shape`, `expected [${want}] for ${why}, found [${actual.join(', ')}]`);
    }
  };
  for (let k = 0; k < members; k++) {
    const prefix = k === 0 ? '' : `member${k + 1}/`;
    const member = k === 0 ? '' : ` of member ${k + 1}`;
    features.forEach((f) => need(`${prefix}table/${f.name}`, [undefined, f.dim], `the ${f.name} table${member}, ${f.dim} wide`));
    for (let l = 0; l + 1 < sizes.length; l++) {
      need(`${prefix}dense${l}/W`, [sizes[l], sizes[l + 1]], `layer ${l}${member}`);
      need(`${prefix}dense${l}/b`, [sizes[l + 1]], `layer ${l}${member}`);
    }
  }
}

/**
 * Checks a parsed vocabularies.json: an object with, for each feature of the model, its keys
 * as an array of strings starting with `<PAD>`, `<UNK>`.
 */
export function validateVocabularies(doc: unknown, file: string, features: readonly FeatureSpec[]): Record<string, string[]> {
  const c = new FieldChecker(file);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) c.fail('(top level)', `expected an object of key lists per feature, found ${describeValue(doc)}`);
  const vocabs = doc as Json;
  for (const { name } of features) {
    if (!Object.hasOwn(vocabs, name)) c.fail(name, `no vocabulary for feature ${name}`);
    const keys = c.array(vocabs[name], name);
    for (let i = 0; i < keys.length; i++) if (typeof keys[i] !== 'string') c.string(keys[i], `${name}[${i}]`);
    if (keys[0] !== PAD || keys[1] !== UNK) c.fail(name, `expected to start with ${PAD}, ${UNK}, found ${keys.slice(0, 2).map(describeValue).join(', ') || 'an empty list'}`);
  }
  return vocabs as Record<string, string[]>;
}
