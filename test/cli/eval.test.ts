import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'cli-eval-test-'));

const ner = runCli;

afterEach(() => vi.restoreAllMocks());

// conlleval.pl < test/fixtures/scored-hand.txt prints exactly this. The -DOCSTART- O O line
// counts as a token, as in conlleval: 17 tokens, 9 with equal tags (8 + the -DOCSTART-).
const HAND_REPORT =
  'processed 17 tokens with 7 phrases; found: 6 phrases; correct: 3.\n' +
  'accuracy:  52.94%; precision:  50.00%; recall:  42.86%; FB1:  46.15\n' +
  '              LOC: precision: 100.00%; recall:  33.33%; FB1:  50.00  1\n' +
  '             MISC: precision:   0.00%; recall:   0.00%; FB1:   0.00  1\n' +
  '              ORG: precision:   0.00%; recall:   0.00%; FB1:   0.00  2\n' +
  '              PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  2\n';

describe('ner eval --scored', () => {
  it('prints the conlleval report', async () => {
    const { code, stdout, stderr } = await ner('eval', '--scored', fixture('scored-hand.txt'));
    expect(stderr).toBe('');
    expect(stdout).toBe(HAND_REPORT);
    expect(code).toBe(0);
  });

  it('prints the contract JSON with --json', async () => {
    const { code, stdout } = await ner('eval', '--scored', fixture('scored-hand.txt'), '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(['precision', 'recall', 'f1', 'accuracy', 'tokens', 'gold', 'predicted', 'correct', 'types']);
    expect(json).toMatchObject({ precision: 50, tokens: 17, gold: 7, predicted: 6, correct: 3 });
    expect(json.recall).toBeCloseTo(300 / 7, 10); // 100*3/7
    expect(json.f1).toBeCloseTo(600 / 13, 10); // 2*3/(6+7) in percent
    expect(json.accuracy).toBeCloseTo(900 / 17, 10); // 100*9/17
    expect(json.types.ORG).toEqual({ precision: 0, recall: 0, f1: 0, gold: 2, predicted: 2, correct: 0 });
    expect(Object.keys(json.types)).toEqual(['LOC', 'MISC', 'ORG', 'PER']);
  });

  it('reports a malformed predicted tag with file:line and exit code 1, no stack trace', async () => {
    const path = join(tmp, 'bad-pred.txt');
    writeFileSync(path, 'a B-PER B-PER\nb O O\n\nc O X-PER\n');
    const { code, stdout, stderr } = await ner('eval', '--scored', path);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^ner eval: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: malformed tag "X-PER"`));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a malformed gold tag and a file without a predicted column', async () => {
    const bad = join(tmp, 'bad-gold.txt');
    writeFileSync(bad, 'a O O\nb B- O\n');
    expect((await ner('eval', '--scored', bad)).stderr).toContain(`${bad}:2: malformed tag "B-"`);
    const twoColumns = join(tmp, 'two-columns.txt');
    writeFileSync(twoColumns, 'a O\n');
    const result = await ner('eval', '--scored', twoColumns);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${twoColumns}:1: too few columns: found 2, a token line needs at least 3`);
  });

  it('exits 1 naming a missing file', async () => {
    const { code, stderr } = await ner('eval', '--scored', join(tmp, 'missing.txt'));
    expect(code).toBe(1);
    expect(stderr).toBe(`ner eval: ${join(tmp, 'missing.txt')}: cannot read: no such file\n`);
  });

  it('scores an empty file as nothing', async () => {
    const empty = join(tmp, 'empty.txt');
    writeFileSync(empty, '');
    const { code, stdout } = await ner('eval', '--scored', empty);
    expect(code).toBe(0);
    expect(stdout).toBe('processed 0 tokens with 0 phrases; found: 0 phrases; correct: 0.\n');
  });
});

describe('ner eval usage errors exit with 2', () => {
  it.each([
    [['eval'], /missing FILE/],
    [['eval', '--bogus'], /Unknown option '--bogus'/],
    [['eval', '--scored'], /--scored/],
    [['eval', '--scored', 'a.txt', 'b.txt'], /unexpected argument "b.txt"/],
  ])('ner %j', async (argv, message) => {
    const { code, stderr } = await ner(...(argv as string[]));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('prints its help', async () => {
    const { code, stdout } = await ner('eval', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('ner eval --scored FILE [--json]');
  });
});
