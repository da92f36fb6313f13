import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tagger } from '../../src/core/tagger/tagger.js';
import { tokenize } from '../../src/core/text/tokenize.js';
import { bundledModelDir } from '../../src/node/storage/bundled-model.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'ner-mends-'));
const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');

describe('ner tag --help', () => {
  it('names the bundled model\'s types, both bundled models and --workers', async () => {
    const run = await runCli('tag', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Types: LOC, MISC, ORG, PER \(the bundled model\)/);
    expect(run.stdout).toContain('conll2003-en-ensemble');
    expect(run.stdout).toMatch(/conll2003-en +\(the default\)/);
    expect(run.stdout).toContain('--workers N');
  });

  it('names the types of the --model given, read from its model.json', async () => {
    const dir = join(tmp, 'wnut');
    mkdirSync(dir);
    const manifest = JSON.parse(readFileSync(join(bundledModelDir(), 'model.json'), 'utf8'));
    manifest.config.tags = ['O', 'B-person', 'I-person', 'B-location', 'I-location'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
    expect((await runCli('tag', '--model', dir, '--help')).stdout).toMatch(/Types: location, person \(the model .*wnut\)/);
    expect((await runCli('tag', `--model=${dir}`, '--help')).stdout).toMatch(/Types: location, person/);
    expect((await runCli('tag', '--model', join(tmp, 'none'), '--help')).stdout).toMatch(/could not be read/);
  });
});

describe('ner eval and types', () => {
  it('warns on stderr when the model\'s types and the file\'s do not overlap, and not when they do', async () => {
    const other = join(tmp, 'wnut.conll');
    writeFileSync(other, 'Obama B-person\nvisited O\nParis B-location\n\n');
    const run = await runCli('eval', other, '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: the model's types \(LOC, MISC, ORG, PER\) and those of .*wnut\.conll \(location, person\) do not overlap/);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    const same = await runCli('eval', FIXTURE, '--json');
    expect(same.code).toBe(0);
    expect(same.stderr).not.toMatch(/warning/);
  });
});

describe('a missing model', () => {
  it('Tagger.load says what to pass in API terms, the CLI in flags', async () => {
    const missing = join(tmp, 'no-model');
    const err = await Tagger.load(missing).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'E_MODEL' });
    expect((err as Error).message).toMatch(/pass a model folder, a bundled model's name \(conll2003-en\), a URL or the model's bytes/);
    expect((err as Error).message).not.toMatch(/--model|ner train/);
    const run = await runCli('tag', '--model', missing, 'Paris');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/model directory not found \(train one with `ner train`, or omit --model/);
    expect(run.stderr).not.toMatch(/a URL or the model's bytes/);
  });
});

describe('scores', () => {
  it('tagTokens and tagDocuments give plain arrays and numbers (JSON-ready), not typed arrays', async () => {
    const tagger = await Tagger.load();
    const [s] = await tagger.tagTokens([['Kofi', 'Annan', 'visited', 'Iraq']]);
    expect(Array.isArray(s.tags)).toBe(true);
    expect(s.entities.length).toBeGreaterThan(0);
    for (const e of s.entities) expect(typeof e.score).toBe('number');
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    const doc = tokenize('Kofi Annan visited Iraq.');
    await tagger.tagDocuments([doc]);
    const scores = doc.sentences[0].scores!;
    expect(Array.isArray(scores)).toBe(true);
    expect(Object.getPrototypeOf(scores)).toBe(Array.prototype);
    expect(scores).toHaveLength(doc.sentences[0].tokens.length);
  });
});
