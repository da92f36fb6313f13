/**
 * `ner calibrate` and `ner eval --calibration` on a copy of the bundled model, with a small
 * hand-written dev file (not CoNLL-2003 text).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundledModelDir } from '../../src/node/storage/bundled-model.js';
import { loadModel } from '../../src/node/storage/model-io.js';
import { runCli } from '../helpers/cli.js';

const SENTENCES: [string, string][][] = [
  [['Anna', 'B-PER'], ['Keller', 'I-PER'], ['flew', 'O'], ['to', 'O'], ['Oslo', 'B-LOC'], ['.', 'O']],
  [['Tellco', 'B-ORG'], ['hired', 'O'], ['Bo', 'B-PER'], ['Lind', 'I-PER'], ['in', 'O'], ['Bergen', 'B-LOC'], ['.', 'O']],
  [['The', 'O'], ['Norwegian', 'B-MISC'], ['team', 'O'], ['beat', 'O'], ['Sweden', 'B-LOC'], ['2-1', 'O'], ['.', 'O']],
  [['Maria', 'B-PER'], ['Silva', 'I-PER'], ['joined', 'O'], ['Acme', 'B-ORG'], ['Corp', 'I-ORG'], ['on', 'O'], ['Monday', 'O'], ['.', 'O']],
  [['Prices', 'O'], ['rose', 'O'], ['in', 'O'], ['Lisbon', 'B-LOC'], ['and', 'O'], ['Porto', 'B-LOC'], ['.', 'O']],
  [['Kofi', 'B-PER'], ['Annan', 'I-PER'], ['spoke', 'O'], ['at', 'O'], ['the', 'O'], ['United', 'B-ORG'], ['Nations', 'I-ORG'], ['.', 'O']],
  [['Shares', 'O'], ['of', 'O'], ['Zorblat', 'B-ORG'], ['fell', 'O'], ['3', 'O'], ['percent', 'O'], ['.', 'O']],
  [['He', 'O'], ['said', 'O'], ['nothing', 'O'], ['.', 'O']],
];
const conll = (tags: (tag: string) => string) => `-DOCSTART- O\n\n${SENTENCES.map((s) => s.map(([w, t]) => `${w} ${tags(t)}\n`).join('')).join('\n')}`;

let root = '';
let dev = '';
let model = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ner-calibrate-'));
  dev = join(root, 'dev.txt');
  writeFileSync(dev, conll((t) => t));
  model = join(root, 'model');
  cpSync(bundledModelDir(), model, { recursive: true });
  writeFileSync(join(model, 'notes.txt'), 'my notes\n');
});

afterEach(() => vi.restoreAllMocks());

/** Every file of a folder and its bytes. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}

describe('ner eval --calibration', () => {
  it('adds the reliability table and ECE to the JSON, keeping the other fields', async () => {
    const plain = await runCli('eval', dev, '--model', model, '--json');
    const { code, stdout } = await runCli('eval', dev, '--model', model, '--json', '--calibration');
    expect(code).toBe(0);
    const { calibration, ...rest } = JSON.parse(stdout);
    expect(rest).toEqual(JSON.parse(plain.stdout));
    expect(calibration.bins).toHaveLength(10);
    expect(calibration.entities).toBe(rest.predicted);
    const bins = calibration.bins as { count: number; meanScore: number | null; precision: number | null }[];
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(rest.predicted);
    const ece = bins.reduce((e, b) => (b.count ? e + (b.count / calibration.entities) * Math.abs(b.precision! - b.meanScore!) : e), 0);
    expect(calibration.ece).toBeCloseTo(ece, 12);
  });

  it('--consistency overrides the model\'s weight for one run, 0..1 only, and is refused with --scored', async () => {
    const own = await runCli('eval', dev, '--model', model, '--json');
    const zero = await runCli('eval', dev, '--model', model, '--json', '--consistency', '0');
    const full = await runCli('eval', dev, '--model', model, '--json', '--consistency', '1');
    expect([own.code, zero.code, full.code]).toEqual([0, 0, 0]);
    for (const run of [own, zero, full]) expect(JSON.parse(run.stdout).f1).toEqual(expect.any(Number));
    const bad = await runCli('eval', dev, '--model', model, '--consistency', '2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--consistency must be in 0\.\.1, got 2/);
    const scored = await runCli('eval', '--scored', dev, '--consistency', '0.5');
    expect(scored.code).toBe(2);
    expect(scored.stderr).toMatch(/--consistency has no use with --scored/);
  });

  it('prints the table after the conlleval report, and is refused with --scored', async () => {
    const { code, stdout } = await runCli('eval', dev, '--model', model, '--calibration');
    expect(code).toBe(0);
    expect(stdout).toMatch(/FB1[\s\S]*Calibration of entity scores[\s\S]*score\s+entities\s+mean score\s+precision\n0\.0-0\.1[\s\S]*\nECE \d\.\d{4} over \d+ predicted entities\n$/);
    const scored = await runCli('eval', '--scored', dev, '--calibration');
    expect(scored.code).toBe(2);
    expect(scored.stderr).toMatch(/--calibration needs the model's scores/);
  });
});

describe('ner calibrate', () => {
  it('with --dry-run fits and reports but writes nothing', async () => {
    const before = contents(model);
    const { code, stderr } = await runCli('calibrate', '--model', model, '--dev', dev, '--dry-run');
    expect(code).toBe(0);
    expect(stderr).toMatch(/temperature [\d.]+ fitted on 8 dev sentences/);
    expect(stderr).toMatch(/dry run: nothing written/);
    expect(contents(model)).toEqual(before);
  });

  it('writes only config.temperature into model.json; every other file stays byte for byte, and the tags do not change', async () => {
    const before = contents(model);
    const manifestBefore = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    const tagsBefore = (await runCli('predict', dev, '--model', model)).stdout;
    // IOB1 gold (as CoNLL-2003's own files) fits the same temperature as IOB2.
    const iob1 = join(root, 'dev-iob1.txt');
    writeFileSync(iob1, conll((t) => t.replace(/^B-/, 'I-')));
    const dry = await runCli('calibrate', '--model', model, '--dev', iob1, '--dry-run');
    const { code, stderr } = await runCli('calibrate', '--model', model, '--dev', dev);
    expect(code).toBe(0);
    const temperature = Number(/temperature ([\d.]+) fitted/.exec(stderr)![1]);
    expect(Number(/temperature ([\d.]+) fitted/.exec(dry.stderr)![1])).toBe(temperature);
    expect(temperature).not.toBe(1);
    const after = contents(model);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const file of Object.keys(before)) if (file !== 'model.json') expect(after[file], file).toBe(before[file]);
    const manifest = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(manifest).toEqual({ ...manifestBefore, config: { ...manifestBefore.config, temperature } });
    expect((await loadModel(model)).model.temperature).toBe(temperature);
    expect((await runCli('predict', dev, '--model', model)).stdout).toBe(tagsBefore);
    // No leftovers of the swap next to the folder.
    expect(readdirSync(root).filter((f) => f.startsWith('.model'))).toEqual([]);
  });

  it('--consistency W sets the document-consistency weight with the temperature; 0 removes it; a bad value changes nothing', async () => {
    const copy = join(root, 'mixed');
    cpSync(model, copy, { recursive: true });
    const before = contents(copy);
    const manifestBefore = JSON.parse(readFileSync(join(copy, 'model.json'), 'utf8'));
    const bad = await runCli('calibrate', '--model', copy, '--dev', dev, '--consistency', '1.5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--consistency must be in 0\.\.1 or auto, got 1\.5/);
    expect(contents(copy)).toEqual(before);
    const { code, stderr } = await runCli('calibrate', '--model', copy, '--dev', dev, '--consistency', '0.5');
    expect(code).toBe(0);
    expect(stderr).toMatch(new RegExp(`consistency ${manifestBefore.config.consistency ?? 0} -> 0\\.5: dev F1 [\\d.]+ -> [\\d.]+`));
    const temperature = Number(/temperature ([\d.]+) fitted/.exec(stderr)![1]);
    const { consistency: _, ...config } = manifestBefore.config;
    expect(JSON.parse(readFileSync(join(copy, 'model.json'), 'utf8'))).toEqual({ ...manifestBefore, config: { ...config, consistency: 0.5, temperature } });
    expect((await loadModel(copy)).model.consistency).toBe(0.5);
    const after = contents(copy);
    for (const file of Object.keys(before)) if (file !== 'model.json') expect(after[file], file).toBe(before[file]);
    expect((await runCli('calibrate', '--model', copy, '--dev', dev, '--consistency', '0')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(copy, 'model.json'), 'utf8')).config).not.toHaveProperty('consistency');
  });

  it('refuses what is not a model folder, and changes nothing', async () => {
    const missing = join(root, 'no-such-model');
    const a = await runCli('calibrate', '--model', missing, '--dev', dev);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/model directory not found/);
    expect(existsSync(missing)).toBe(false);
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'thesis.tex'), 'mine');
    const b = await runCli('calibrate', '--model', other, '--dev', dev);
    expect(b.code).toBe(1);
    expect(readdirSync(other)).toEqual(['thesis.tex']);
    expect((await runCli('calibrate', '--dev', dev)).code).toBe(2);
    expect((await runCli('calibrate', '--model', model)).code).toBe(2);
  });
});
