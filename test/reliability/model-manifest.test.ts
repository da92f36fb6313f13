/**
 * Issue 11, items 14 and 16 (corrupt models): a damaged or hostile model folder is refused at
 * load with an E_MODEL error naming the file, the field and what to do, never loaded to tag
 * wrongly, never read outside its folder, never answered with raw JavaScript text.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NerError } from '../../src/core/errors.js';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { useBackend } from '../../src/node/backend.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { WindowNetwork } from '../../src/core/model/network.js';
import { WindowModel } from '../../src/core/model/window-model.js';
import { loadModel, saveModel } from '../../src/node/storage/model-io.js';
import { roundTripRows4 } from '../../src/core/storage/quantize.js';
import { Random } from '../../src/core/util/random.js';
import { runCli } from '../helpers/cli.js';
import { predictWords } from '../helpers/predict-words.js';

const TAGS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];

/** A small model with transition scores, saved in float32 with its word table in 8 bits (format 1). */
function tinyModel(seed = 1): WindowModel {
  const rng = new Random(seed);
  const specs = [{ name: 'word' as const, dim: 4 }, { name: 'casing' as const, dim: 2 }];
  const fs = FeatureSet.build(specs, [['Anna', 'visited', 'Oslo', '.']], { minCount: 1 });
  const tables = new EmbeddingTables(specs, specs.map((s, f) => Float32Array.from({ length: fs.vocabularies[f].size * s.dim }, () => rng.uniform(-1, 1))));
  const network = WindowNetwork.init(3 * tables.tokenDim, [5], TAGS.length, 'tanh', rng);
  const scores = Array.from({ length: TAGS.length ** 2 }, () => Math.log(rng.uniform(0.05, 1)));
  const config = { window: 1, features: specs, hidden: [5], activation: 'tanh' as const, tags: TAGS, scheme: 'IOB2' as const, decoder: 'viterbi' as const };
  return new WindowModel({ ...config, transitions: { scores, weight: 0.5 } }, fs, tables, network);
}

/** An ensemble of two float16 members whose word rows are 4-bit (format 2: int4-rows, float16, tables by rows). */
function compactEnsemble(): WindowModel {
  const member = (seed: number) => {
    const model = tinyModel(seed);
    const word = model.tables.tables[0];
    word.set(roundTripRows4(word.subarray(8), 4), 8);
    model.config.precision = 'float16';
    return model;
  };
  const first = member(4);
  const second = member(5);
  second.tables.tables[0].set(first.tables.tables[0].subarray(8), 8);
  // All casing rows but the first shared: the second member stores that table by rows, in float16.
  second.tables.tables[1].set(first.tables.tables[1].subarray(2), 2);
  return WindowModel.ensemble([first, second]);
}

const roots: string[] = [];
let plainDir = '';
let compactDir = '';

/** A fresh copy of a saved model folder, to tamper with. */
function copyOf(source: string): string {
  const root = mkdtempSync(join(tmpdir(), 'ner-manifest-'));
  roots.push(root);
  const dir = join(root, 'model');
  mkdirSync(dir);
  for (const file of ['model.json', 'weights.bin', 'vocabularies.json']) copyFileSync(join(source, file), join(dir, file));
  return dir;
}

type Manifest = Record<string, any>;

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
}

/** A copy of the plain model with model.json changed by `edit`. */
function tampered(edit: (m: Manifest) => void, source = plainDir): string {
  const dir = copyOf(source);
  const manifest = readManifest(dir);
  edit(manifest);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

/** Rewrites a data file of `dir` and records its new size and checksum, as a forger would. */
function rewriteData(dir: string, which: 'weights' | 'vocabularies', data: Buffer): void {
  const manifest = readManifest(dir);
  writeFileSync(join(dir, manifest[which].file), data);
  manifest[which].bytes = data.byteLength;
  manifest[which].sha256 = createHash('sha256').update(data).digest('hex');
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
}

function tensorEntry(dir: string, name: string): { offset: number; bytes: number; shape: number[] } {
  return readManifest(dir).weights.tensors.find((t: { name: string }) => t.name === name);
}

/** The error loadModel rejects with, which must be an E_MODEL NerError with a hint. */
async function refusal(dir: string): Promise<NerError> {
  const err = await loadModel(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the model should have been refused').toBeInstanceOf(NerError);
  const nerError = err as NerError;
  expect(nerError.code).toBe('E_MODEL');
  expect(nerError.hint).toBeTruthy();
  // Raw JavaScript text has no place in the message.
  expect(nerError.message).not.toMatch(/Cannot read properties|is not a function|is not iterable|EISDIR|undefined/);
  return nerError;
}

/** Refused, naming model.json and the field. */
async function expectManifestRefused(dir: string, field: string | RegExp): Promise<NerError> {
  const err = await refusal(dir);
  expect(err.file).toBe(join(dir, 'model.json'));
  if (typeof field === 'string') expect(err.message).toContain(`model.json: ${field}`);
  else expect(err.message).toMatch(field);
  return err;
}

beforeAll(async () => {
  await useBackend('cpu');
  const root = mkdtempSync(join(tmpdir(), 'ner-manifest-'));
  roots.push(root);
  plainDir = join(root, 'plain');
  compactDir = join(root, 'compact');
  await saveModel(tinyModel(), plainDir);
  await saveModel(compactEnsemble(), compactDir);
});

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('the models the tests tamper with', () => {
  it('load untouched, in both formats', async () => {
    expect((await loadModel(copyOf(plainDir))).manifest.formatVersion).toBe(1);
    const compact = await loadModel(copyOf(compactDir));
    expect(compact.manifest.formatVersion).toBe(2);
    expect(compact.model.memberCount).toBe(2);
    expect(compact.manifest.weights.tensors.map((t) => t.dtype)).toEqual(expect.arrayContaining(['int4-rows', 'int8-rows', 'float16']));
  });
});

describe('a valid model whose 8-bit row scales are not 4-byte aligned', () => {
  it('loads: a word table of 6 rows of 3 puts its scales at byte 18', async () => {
    const rng = new Random(9);
    const specs = [{ name: 'word' as const, dim: 3 }];
    const fs = FeatureSet.build(specs, [['Anna', 'visited', 'Oslo', '.']], { minCount: 1 });
    const tables = new EmbeddingTables(specs, [Float32Array.from({ length: fs.vocabularies[0].size * 3 }, () => rng.uniform(-1, 1))]);
    const network = WindowNetwork.init(3 * tables.tokenDim, [4], 3, 'relu', rng);
    const config = { window: 1, features: specs, hidden: [4], activation: 'relu' as const, tags: ['O', 'B-PER', 'B-LOC'], scheme: 'IOB2' as const, decoder: 'greedy' as const };
    const model = new WindowModel(config, fs, tables, network);
    const dir = join(copyOf(plainDir), '..', 'odd');
    await saveModel(model, dir);
    const word = tensorEntry(dir, 'table/word');
    expect((word.offset + word.shape[0] * word.shape[1]) % 4).not.toBe(0);
    const words = [['Anna', 'visited', 'Oslo', '.']];
    expect(predictWords((await loadModel(dir)).model, words).map((p) => p.tags)).toEqual(predictWords(model, words).map((p) => p.tags));
  });
});

describe('model.json that is not a manifest at all', () => {
  it('null: refused naming model.json, not "Cannot read properties of null"', async () => {
    const dir = copyOf(plainDir);
    writeFileSync(join(dir, 'model.json'), 'null');
    const err = await expectManifestRefused(dir, /expected a JSON object, found null/);
    expect(err.message).toContain(join(dir, 'model.json'));
  });

  it('an array, a number, another format: refused', async () => {
    for (const text of ['[]', '42', '{"format": "something-else", "formatVersion": 1}']) {
      const dir = copyOf(plainDir);
      writeFileSync(join(dir, 'model.json'), text);
      await expectManifestRefused(dir, /not a ner-window-model manifest/);
    }
  });

  it('cut short: the JSON error names model.json and its line', async () => {
    const dir = copyOf(plainDir);
    const text = readFileSync(join(dir, 'model.json'), 'utf8');
    // Cut inside a string so that JSON.parse reports a position.
    const cut = text.indexOf('"activation"') + 4;
    writeFileSync(join(dir, 'model.json'), text.slice(0, cut));
    const err = await refusal(dir);
    expect(err.file).toBe(join(dir, 'model.json'));
    const line = text.slice(0, cut).split('\n').length;
    expect(err.line).toBe(line);
    expect(err.message).toMatch(new RegExp(`model\\.json:${line}: corrupt manifest: not valid JSON: Unterminated string`));
  });

  it('a directory named model.json: refused, not EISDIR', async () => {
    const dir = copyOf(plainDir);
    rmSync(join(dir, 'model.json'));
    mkdirSync(join(dir, 'model.json'));
    const err = await refusal(dir);
    expect(err.message).toMatch(/model\.json: cannot read model\.json: it is a directory, not a file/);
  });
});

describe('model.json fields', () => {
  it('formatVersion -1, 0, 1.5 or "1": refused; a future version asks for an upgrade', async () => {
    for (const v of [-1, 0, 1.5, '1', null]) {
      await expectManifestRefused(tampered((m) => (m.formatVersion = v)), 'formatVersion: expected an integer in 1..2');
    }
    const future = await refusal(tampered((m) => (m.formatVersion = 3)));
    expect(future.message).toMatch(/model format version 3 is newer than this version of ner reads \(2\)/);
    expect(future.hint).toBe('upgrade ner');
  });

  it('config missing or not an object', async () => {
    await expectManifestRefused(tampered((m) => delete m.config), 'config: expected an object, found nothing');
    await expectManifestRefused(tampered((m) => (m.config = [1])), 'config: expected an object, found an array of 1');
  });

  it('config.window negative or fractional', async () => {
    await expectManifestRefused(tampered((m) => (m.config.window = -1)), 'config.window: expected an integer >= 0, found -1');
    await expectManifestRefused(tampered((m) => (m.config.window = 1.5)), 'config.window: expected an integer >= 0, found 1.5');
    // A window the weights do not have: the first layer's shape says so.
    await expectManifestRefused(tampered((m) => (m.config.window = 2)), /weights\.tensors\[\d+\]\.shape: expected \[30, 5\] for layer 0, found \[18, 5\]/);
  });

  it('config.features: unknown names, bad dims, duplicates, none', async () => {
    await expectManifestRefused(tampered((m) => (m.config.features[1].name = 'colour')), /config\.features\[1\]\.name: expected one of word, casing, .*, found "colour"/);
    for (const dim of [0, -4, 2.5, '2']) {
      await expectManifestRefused(tampered((m) => (m.config.features[1].dim = dim)), 'config.features[1].dim: expected an integer >= 1');
    }
    await expectManifestRefused(tampered((m) => (m.config.features[1].name = 'word')), 'config.features[1].name: feature "word" is listed twice');
    await expectManifestRefused(tampered((m) => (m.config.features = [])), 'config.features: expected at least one feature, found none');
    await expectManifestRefused(tampered((m) => (m.config.features = 'word')), 'config.features: expected an array, found "word"');
    // A dim the tables do not have.
    await expectManifestRefused(tampered((m) => (m.config.features[1].dim = 3)), /shape: expected \[rows, 3\] for the casing table, 3 wide, found \[\d+, 2\]/);
  });

  it('config.hidden with a non-number, zero, or not a list', async () => {
    await expectManifestRefused(tampered((m) => (m.config.hidden = ['a'])), 'config.hidden[0]: expected an integer >= 1, found "a"');
    await expectManifestRefused(tampered((m) => (m.config.hidden = [0])), 'config.hidden[0]: expected an integer >= 1, found 0');
    await expectManifestRefused(tampered((m) => (m.config.hidden = 5)), 'config.hidden: expected an array, found 5');
  });

  it('config.activation "bogus" is refused at load, not at tag time inside matMul', async () => {
    await expectManifestRefused(tampered((m) => (m.config.activation = 'bogus')), 'config.activation: expected one of relu, tanh, sigmoid, leaky-relu, elu, found "bogus"');
  });

  it('config.tags: malformed, duplicated, of another scheme, empty', async () => {
    await expectManifestRefused(tampered((m) => (m.config.tags[1] = 'X-PER')), 'config.tags[1]: malformed tag "X-PER"');
    await expectManifestRefused(tampered((m) => (m.config.tags[1] = 7)), 'config.tags[1]: expected a string, found 7');
    await expectManifestRefused(tampered((m) => (m.config.tags[2] = 'B-PER')), 'config.tags[2]: tag "B-PER" is listed twice');
    await expectManifestRefused(tampered((m) => (m.config.tags[2] = 'E-PER')), 'config.tags[2]: tag "E-PER" does not belong to scheme IOB2');
    await expectManifestRefused(tampered((m) => (m.config.tags = [])), 'config.tags: expected at least one tag, found none');
    // One tag more than the output layer has.
    const oneMore = (m: Manifest) => {
      m.config.tags.push('B-ORG');
      delete m.config.transitions;
    };
    await expectManifestRefused(tampered(oneMore), /expected \[5, 6\] for layer 1, found \[5, 5\]/);
  });

  it('config.scheme "XYZ" and config.decoder "beam"', async () => {
    await expectManifestRefused(tampered((m) => (m.config.scheme = 'XYZ')), 'config.scheme: expected one of IOB2, BIOES, found "XYZ"');
    await expectManifestRefused(tampered((m) => (m.config.decoder = 'beam')), 'config.decoder: expected one of greedy, viterbi, found "beam"');
  });

  it('config.transitions: scores cut to 10 values, a weight of "abc" or below 0, a NaN-like score', async () => {
    const T = TAGS.length;
    await expectManifestRefused(
      tampered((m) => (m.config.transitions.scores = m.config.transitions.scores.slice(0, 10))),
      `config.transitions.scores: expected ${T * T} numbers (${T}x${T} tags), found 10`,
    );
    await expectManifestRefused(tampered((m) => (m.config.transitions.weight = 'abc')), 'config.transitions.weight: expected a finite number >= 0, found "abc"');
    await expectManifestRefused(tampered((m) => (m.config.transitions.weight = -5)), 'config.transitions.weight: expected a finite number >= 0, found -5');
    // JSON has no NaN: a hand-edited null is the closest.
    await expectManifestRefused(tampered((m) => (m.config.transitions.scores[3] = null)), 'config.transitions.scores[3]: expected a finite number, found null');
    await expectManifestRefused(tampered((m) => (m.config.transitions = 'none')), 'config.transitions: expected an object');
  });

  it('config.members and config.precision', async () => {
    await expectManifestRefused(tampered((m) => (m.config.members = 0)), 'config.members: expected an integer >= 1, found 0');
    await expectManifestRefused(tampered((m) => (m.config.members = '2')), 'config.members: expected an integer >= 1, found "2"');
    await expectManifestRefused(tampered((m) => (m.config.members = 2)), /weights\.tensors: no tensor member2\/table\/word \(the word table of member 2, 4 wide\)/);
    await expectManifestRefused(tampered((m) => (m.config.members = 1e9)), 'config.members: 1000000000 members, but weights.tensors lists only');
    await expectManifestRefused(tampered((m) => (m.config.precision = 'float8')), 'config.precision: expected one of float16, found "float8"');
  });

  it('config.temperature: a number in 0.05..20 when present; absent (models before calibration) is T = 1', async () => {
    await expectManifestRefused(tampered((m) => (m.config.temperature = 0)), 'config.temperature: expected a number in 0.05..20, found 0');
    await expectManifestRefused(tampered((m) => (m.config.temperature = '1.5')), 'config.temperature: expected a number in 0.05..20, found "1.5"');
    await expectManifestRefused(tampered((m) => (m.config.temperature = null)), 'config.temperature: expected a number in 0.05..20, found null');
    const { model } = await loadModel(tampered((m) => (m.config.temperature = 1.5)));
    expect(model.temperature).toBe(1.5);
    expect((await loadModel(plainDir)).model.temperature).toBe(1);
  });
});

describe('data files named by model.json', () => {
  it('weights.file "../../../../etc/passwd" is refused before any read, even when the file outside matches', async () => {
    await expectManifestRefused(tampered((m) => (m.weights.file = '../../../../etc/passwd')), 'weights.file: expected a file name inside the model folder, found "../../../../etc/passwd"');
    // A real weights file one folder up, with the right size and checksum: loading it would
    // succeed if the name were followed, so only the name itself can be what is refused.
    const dir = tampered((m) => (m.weights.file = '../outside.bin'));
    copyFileSync(join(plainDir, 'weights.bin'), join(dir, '..', 'outside.bin'));
    await expectManifestRefused(dir, 'weights.file: expected a file name inside the model folder');
    for (const name of ['/etc/passwd', 'sub/weights.bin', 'sub\\weights.bin', '..', '', 'weights.bin\0x']) {
      await expectManifestRefused(tampered((m) => (m.vocabularies.file = name)), 'vocabularies.file: expected a file name inside the model folder');
    }
  });

  it('bytes and sha256 of the wrong kind', async () => {
    await expectManifestRefused(tampered((m) => (m.weights.bytes = -1)), 'weights.bytes: expected an integer >= 0, found -1');
    await expectManifestRefused(tampered((m) => (m.vocabularies.bytes = '12')), 'vocabularies.bytes: expected an integer >= 0, found "12"');
    await expectManifestRefused(tampered((m) => (m.weights.sha256 = 'abc')), 'weights.sha256: expected 64 lowercase hex digits, found "abc"');
    await expectManifestRefused(tampered((m) => delete m.vocabularies), 'vocabularies: expected an object, found nothing');
  });

  it('a directory named vocabularies.json: refused naming it, not EISDIR', async () => {
    const dir = copyOf(plainDir);
    rmSync(join(dir, 'vocabularies.json'));
    mkdirSync(join(dir, 'vocabularies.json'));
    const err = await refusal(dir);
    expect(err.file).toBe(join(dir, 'vocabularies.json'));
    expect(err.message).toMatch(/cannot read vocabularies\.json: it is a directory, not a file/);
  });

  it('vocabularies.json cut short, with its checksum recomputed: the JSON error names the file', async () => {
    const dir = copyOf(plainDir);
    const text = readFileSync(join(dir, 'vocabularies.json'));
    rewriteData(dir, 'vocabularies', text.subarray(0, text.indexOf('visited')));
    const err = await refusal(dir);
    expect(err.file).toBe(join(dir, 'vocabularies.json'));
    expect(err.message).toMatch(/vocabularies\.json:1: corrupt vocabularies\.json: not valid JSON: Unterminated string/);
  });

  it('vocabularies.json of the wrong shape: null, a missing feature, a non-string key, no <PAD>', async () => {
    const vocabs = JSON.parse(readFileSync(join(plainDir, 'vocabularies.json'), 'utf8'));
    const cases: [unknown, string][] = [
      [null, '(top level): expected an object of key lists per feature, found null'],
      [{ word: vocabs.word }, 'casing: no vocabulary for feature casing'],
      [{ ...vocabs, word: 'abc' }, 'word: expected an array, found "abc"'],
      [{ ...vocabs, word: [...vocabs.word.slice(0, 3), 5] }, 'word[3]: expected a string, found 5'],
      [{ ...vocabs, casing: vocabs.casing.slice(1) }, 'casing: expected to start with <PAD>, <UNK>'],
    ];
    for (const [doc, field] of cases) {
      const dir = copyOf(plainDir);
      rewriteData(dir, 'vocabularies', Buffer.from(JSON.stringify(doc)));
      const err = await refusal(dir);
      expect(err.file).toBe(join(dir, 'vocabularies.json'));
      expect(err.message).toContain(`vocabularies.json: ${field}`);
    }
  });

  it('a vocabulary one key short of its table: names the tensor and the file', async () => {
    const dir = copyOf(plainDir);
    const vocabs = JSON.parse(readFileSync(join(dir, 'vocabularies.json'), 'utf8'));
    const rows = vocabs.word.length;
    vocabs.word.pop();
    rewriteData(dir, 'vocabularies', Buffer.from(JSON.stringify(vocabs)));
    const err = await refusal(dir);
    expect(err.message).toContain(`tensor table/word has ${rows} rows, but vocabularies.json has ${rows - 1} word keys`);
  });
});

describe('weights.tensors', () => {
  const at = (m: Manifest, name: string) => m.weights.tensors.find((t: { name: string }) => t.name === name);
  const index = (name: string) => readManifest(plainDir).weights.tensors.findIndex((t: { name: string }) => t.name === name);

  it('a shape that is not a list: refused, not "t.shape.reduce is not a function"', async () => {
    const i = index('dense0/W');
    await expectManifestRefused(tampered((m) => (at(m, 'dense0/W').shape = '18x5')), `weights.tensors[${i}].shape: expected an array, found "18x5"`);
    await expectManifestRefused(tampered((m) => (at(m, 'dense0/W').shape = [18, 0])), `weights.tensors[${i}].shape[1]: expected an integer >= 1, found 0`);
    await expectManifestRefused(tampered((m) => (at(m, 'dense0/W').shape = [18, 5, 1])), `weights.tensors[${i}].shape: expected 1 or 2 dimensions, found 3`);
    await expectManifestRefused(tampered((m) => (m.weights.tensors = null)), 'weights.tensors: expected an array, found null');
    await expectManifestRefused(tampered((m) => (m.weights.tensors[0] = 'table/word')), 'weights.tensors[0]: expected an object');
  });

  it('names missing, duplicated or not strings', async () => {
    await expectManifestRefused(tampered((m) => (at(m, 'dense1/b').name = 'dense1/bias')), 'weights.tensors: no tensor dense1/b (layer 1)');
    await expectManifestRefused(tampered((m) => (m.weights.tensors[1].name = m.weights.tensors[0].name)), 'weights.tensors[1].name: tensor "table/word" is listed twice');
    await expectManifestRefused(tampered((m) => (m.weights.tensors[0].name = 3)), 'weights.tensors[0].name: expected a string, found 3');
  });

  it('an unknown dtype, or one format version 1 does not have', async () => {
    const i = index('dense0/W');
    await expectManifestRefused(tampered((m) => (at(m, 'dense0/W').dtype = 'float64')), `weights.tensors[${i}].dtype: expected one of float32, float16, int8-rows, int4-rows, found "float64"`);
    await expectManifestRefused(tampered((m) => (at(m, 'dense0/b').dtype = 'float16')), /dtype: float16 needs format version 2, found formatVersion 1/);
  });

  it('offsets and sizes outside the file, unaligned, or not matching shape and dtype', async () => {
    const i = index('dense0/W');
    const size = readManifest(plainDir).weights.bytes;
    await expectManifestRefused(tampered((m) => (at(m, 'dense0/W').offset += 2)), `weights.tensors[${i}].offset: expected a multiple of 4`);
    await expectManifestRefused(tampered((m) => (at(m, 'dense0/W').offset = size)), new RegExp(`weights\\.tensors\\[${i}\\]: bytes ${size}\\.\\.\\d+ lie outside the weights file \\(${size} bytes\\)`));
    await expectManifestRefused(tampered((m) => (at(m, 'dense0/W').offset = -4)), `weights.tensors[${i}].offset: expected an integer >= 0, found -4`);
    await expectManifestRefused(tampered((m) => (at(m, 'dense0/W').bytes -= 4)), `weights.tensors[${i}].bytes: expected ${18 * 5 * 4} for shape [18, 5] as float32, found ${18 * 5 * 4 - 4}`);
    await expectManifestRefused(tampered((m) => (at(m, 'table/word').dtype = 'float32')), /weights\.tensors\[0\]\.bytes: expected \d+ for shape \[\d+, 4\] as float32/);
    await expectManifestRefused(tampered((m) => (at(m, 'dense0/b').dtype = 'int8-rows')), /a int8-rows tensor needs 2 dimensions, found 1/);
  });

  it('tables stored by rows: an unknown or later base, a base of another shape, too many rows', async () => {
    const tensors = readManifest(compactDir).weights.tensors as { name: string; base?: string }[];
    const i = tensors.findIndex((t) => t.name === 'member2/table/word');
    await expectManifestRefused(tampered((m) => (at(m, 'member2/table/word').base = 'table/nothing'), compactDir), `weights.tensors[${i}].base: expected the name of an earlier tensor, found "table/nothing"`);
    // A base that comes later could close a loop of bases.
    await expectManifestRefused(tampered((m) => (at(m, 'table/word').base = 'member2/table/word'), compactDir), /base: expected the name of an earlier tensor, found "member2\/table\/word"/);
    await expectManifestRefused(tampered((m) => (at(m, 'member2/table/word').base = 'table/casing'), compactDir), /shape: expected the shape of its base table\/casing/);
    await expectManifestRefused(tampered((m) => (at(m, 'member2/table/word').rows = 1000), compactDir), /rows: expected an integer in 0\.\.\d+, found 1000/);
    await expectManifestRefused(tampered((m) => delete at(m, 'member2/table/word').base, compactDir), `weights.tensors[${i}].base: expected a string, found nothing`);
  });

  it('a row index outside the table, with the checksum recomputed: names the tensor', async () => {
    const dir = copyOf(compactDir);
    const t = tensorEntry(dir, 'member2/table/word');
    const weights = readFileSync(join(dir, 'weights.bin'));
    weights.writeInt32LE(1_000_000, t.offset);
    rewriteData(dir, 'weights', weights);
    const err = await refusal(dir);
    expect(err.file).toBe(join(dir, 'weights.bin'));
    expect(err.message).toContain(`tensor member2/table/word replaces row 1000000, outside its ${t.shape[0]} rows`);
  });
});

describe('non-finite weights with the checksum recomputed', () => {
  async function poisoned(source: string, name: string, write: (weights: Buffer, offset: number) => void): Promise<NerError> {
    const dir = copyOf(source);
    const weights = readFileSync(join(dir, 'weights.bin'));
    write(weights, tensorEntry(dir, name).offset);
    rewriteData(dir, 'weights', weights);
    const err = await refusal(dir);
    expect(err.file).toBe(join(dir, 'weights.bin'));
    return err;
  }

  it('NaN and Infinity in float32 weights: refused naming the tensor', async () => {
    expect((await poisoned(plainDir, 'dense0/W', (w, at) => w.writeFloatLE(NaN, at + 4 * 7))).message).toContain('tensor dense0/W holds NaN at index 7');
    expect((await poisoned(plainDir, 'dense1/b', (w, at) => w.writeFloatLE(-Infinity, at))).message).toContain('tensor dense1/b holds -Infinity at index 0');
    expect((await poisoned(plainDir, 'table/casing', (w, at) => w.writeFloatLE(Infinity, at + 4))).message).toContain('tensor table/casing holds Infinity at index 1');
  });

  it('a NaN or overflowing row scale of an 8-bit table', async () => {
    const t = tensorEntry(plainDir, 'table/word');
    const rows = t.shape[0] * t.shape[1];
    // int8-rows: the values, then one float32 scale per row.
    expect((await poisoned(plainDir, 'table/word', (w, at) => w.writeFloatLE(NaN, at + rows + 4 * 2))).message).toContain('tensor table/word has a row scale of NaN at row 2');
    expect((await poisoned(plainDir, 'table/word', (w, at) => w.writeFloatLE(3e38, at + rows))).message).toMatch(/tensor table\/word has a row scale of 3\.\d+e\+38 at row 0, which makes its values infinite/);
  });

  it('NaN in float16 weights, in a 4-bit scale, and in the rows of a table stored by rows', async () => {
    expect((await poisoned(compactDir, 'member2/dense0/W', (w, at) => w.writeUInt16LE(0x7e00, at + 2 * 3))).message).toContain('tensor member2/dense0/W holds NaN at index 3');
    expect((await poisoned(compactDir, 'dense1/b', (w, at) => w.writeUInt16LE(0x7c00, at))).message).toContain('tensor dense1/b holds Infinity at index 0');
    expect((await poisoned(compactDir, 'table/word@4bit', (w, at) => w.writeFloatLE(NaN, at + 4))).message).toContain('tensor table/word@4bit has a row scale of NaN at row 1');
    const sparse = tensorEntry(compactDir, 'member2/table/casing') as { rows?: number; dtype?: string };
    expect(sparse).toMatchObject({ rows: 1, dtype: 'float16' });
    // One row index (int32), then the row's float16 values.
    expect((await poisoned(compactDir, 'member2/table/casing', (w, at) => w.writeUInt16LE(0x7e00, at + 4 + 2))).message).toContain('tensor member2/table/casing holds NaN at index 1');
    // The first member's word rows over the 4-bit base: their 8-bit scales come after the row indices.
    const word = tensorEntry(compactDir, 'table/word') as { rows?: number };
    expect(word.rows).toBeGreaterThan(0);
    expect((await poisoned(compactDir, 'table/word', (w, at) => w.writeFloatLE(NaN, at + 4 * word.rows!))).message).toContain('tensor table/word has a row scale of NaN at row 0');
  });
});

describe('the CLI on a corrupt model', () => {
  it('ner tag exits 1 with the file, the field and what to do; no JavaScript text', async () => {
    const dir = tampered((m) => (m.config.activation = 'bogus'));
    const run = await runCli('tag', '--model', dir, 'Anna visited Oslo.');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${join(dir, 'model.json')}: config.activation: expected one of`);
    expect(run.stderr).toContain('re-download or retrain the model');
    expect(run.stderr).not.toMatch(/TypeError|matMul|at .*\.ts:\d+/);
  });

  it('ner eval on a model.json that is null exits 1 naming it', async () => {
    const dir = copyOf(plainDir);
    writeFileSync(join(dir, 'model.json'), 'null');
    const run = await runCli('eval', 'test/fixtures/tiny-train.conll', '--model', dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(join(dir, 'model.json'));
    expect(run.stderr).not.toMatch(/Cannot read properties/);
  });
});

describe('the bundled models', () => {
  it('pass every check and load', async () => {
    for (const name of ['conll2003-en', 'conll2003-en-ensemble']) {
      const { manifest, model } = await loadModel(name);
      expect(model.memberCount).toBe(manifest.config.members ?? 1);
    }
  }, 120_000);
});
