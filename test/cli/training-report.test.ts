/**
 * report.html: written by `ner train` with every save of the model, opened in headless Chromium
 * (charts, best-epoch marker, per-type rows), and `ner eval --report` for any model.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPORT_MARKER } from '../../src/core/report/page.js';
import { runCli } from '../helpers/cli.js';
import { findChromium, launchChromium } from '../helpers/chromium.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const tmp = mkdtempSync(join(tmpdir(), 'ner-report-'));
const model = join(tmp, 'model');
const tiny = ['--vectors', 'none', '--features', 'word:16,casing:4', '--hidden', '32', '--batch-size', '16', '--lr', '0.01', '--dropout', '0.1', '--backend', 'wasm'];
const TYPES = ['LOC', 'MISC', 'ORG', 'PER'];

const chromium = findChromium();
if (!chromium) {
  const why = 'Chromium is not installed (apt-get install chromium; .ci/run installs it): the report is not opened in a browser';
  if (process.env.CI) throw new Error(why);
  console.warn(`SKIPPED part of test/cli/training-report: ${why}`);
}

async function train(...extra: string[]): Promise<void> {
  const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', model, '--epochs', '2', '--patience', '2', ...tiny, ...extra);
  expect(run.code, run.stderr).toBe(0);
}

describe('ner train writes report.html', () => {
  it('beside metrics.tsv, showing the saved model: its best epoch, its options, a row per type', async () => {
    await train('--seed', '1');
    expect(readdirSync(model).sort()).toEqual(['metrics.tsv', 'model.json', 'report.html', 'vocabularies.json', 'weights.bin']);
    const html = readFileSync(join(model, 'report.html'), 'utf8');
    const { training } = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(html.startsWith(`<!doctype html>\n${REPORT_MARKER}\n`)).toBe(true);
    expect(html).toContain(`Best epoch <b>${training.bestEpoch}</b> of 2`);
    expect(html.match(new RegExp(`<g class="best-marker" data-x="${training.bestEpoch}">`, 'g'))).toHaveLength(2);
    for (const type of TYPES) expect(html).toContain(`<tr class="type-row" data-type="${type}">`);
    expect(html).toContain('<td>hidden</td><td>[32]</td>');
    expect(html).toContain('<td>trainFile</td><td>tiny-train.conll</td>');
  });

  it('is part of the model folder: a second training replaces it with its own, a user file stays', async () => {
    const before = readFileSync(join(model, 'report.html'), 'utf8');
    writeFileSync(join(model, 'notes.txt'), 'mine');
    await train('--seed', '2', '--hidden', '24');
    const after = readFileSync(join(model, 'report.html'), 'utf8');
    expect(after).not.toBe(before);
    expect(after).toContain('<td>hidden</td><td>[24]</td>');
    expect(after).toContain('<td>seed</td><td>2</td>');
    expect(readFileSync(join(model, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(tmp).filter((f) => f !== 'model' && !f.endsWith('.png') && !f.endsWith('.html'))).toEqual([]);
  });

  it.skipIf(!chromium)('opens in headless Chromium holding the charts, the marker and the per-type rows', async () => {
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      const requests: string[] = [];
      page.on('request', (req) => requests.push(req.url()));
      await page.setViewportSize({ width: 1220, height: 900 });
      await page.goto(pathToFileURL(join(model, 'report.html')).href);
      const seen = await page.evaluate(() =>
        [...document.querySelectorAll('svg.line-chart')].map((svg) => ({
          title: svg.querySelector('.chart-title')?.textContent,
          lines: [...svg.querySelectorAll('path.series')].map((p) => ({ series: p.getAttribute('data-series'), points: (p.getAttribute('d') ?? '').split('L').length })),
          markers: svg.querySelectorAll('.best-marker line').length,
          width: svg.getBoundingClientRect().width,
        })),
      );
      expect(seen.map((c) => c.title)).toEqual(['Training loss', 'Dev entity scores']);
      expect(seen[0].lines).toEqual([{ series: 'loss', points: 2 }]);
      expect(seen[1].lines).toEqual(['precision', 'recall', 'F1'].map((series) => ({ series, points: 2 })));
      expect(seen.map((c) => c.markers)).toEqual([1, 1]);
      expect(seen.every((c) => c.width > 300)).toBe(true);
      const rows = await page.$$eval('table.type-scores tr.type-row', (trs) => trs.map((tr) => tr.getAttribute('data-type')));
      expect(rows).toEqual(TYPES);
      expect(await page.$$eval('table.confusion tbody tr', (trs) => trs.length)).toBe(TYPES.length + 1);
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      const shot = join(tmp, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('ner eval --report', () => {
  const out = join(tmp, 'eval.html');

  it('writes the per-type figures, the error classes and the confusion table of any model', async () => {
    const run = await runCli('eval', FIXTURE, '--model', model, '--report', out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^processed \d+ tokens/);
    const html = readFileSync(out, 'utf8');
    for (const type of TYPES) expect(html).toContain(`<tr class="type-row" data-type="${type}">`);
    expect(html).toContain('<table class="error-classes">');
    expect(html).toContain('<table class="confusion">');
    const json = JSON.parse((await runCli('eval', FIXTURE, '--model', model, '--json')).stdout);
    expect(html).toContain(`F1 <b>${json.f1.toFixed(2)}</b>`);
  });

  it('replaces a report it wrote', async () => {
    writeFileSync(out, readFileSync(out, 'utf8').replace('Evaluation report', 'Old report'));
    expect((await runCli('eval', FIXTURE, '--model', model, '--report', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toContain('Old report');
  });

  it('refuses, untouched, an existing file it did not write and a folder; not with --scored', async () => {
    const other = join(tmp, 'other.html');
    writeFileSync(other, `<!doctype html><p>mine ${REPORT_MARKER}</p>`);
    const refused = await runCli('eval', FIXTURE, '--model', model, '--report', other);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/other\.html: refusing to overwrite: it is not a report ner wrote/);
    expect(refused.stdout).toBe('');
    expect(readFileSync(other, 'utf8')).toBe(`<!doctype html><p>mine ${REPORT_MARKER}</p>`);
    const folder = join(tmp, 'folder.html');
    mkdirSync(folder);
    const run = await runCli('eval', FIXTURE, '--model', model, '--report', folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refusing to overwrite: it is a folder/);
    expect(readdirSync(folder)).toEqual([]);
    expect((await runCli('eval', '--scored', FIXTURE, '--report', join(tmp, 'x.html'))).code).toBe(2);
    expect(existsSync(join(tmp, 'x.html'))).toBe(false);
    expect((await runCli('eval', FIXTURE, '--model', model, '--report', '')).code).toBe(2);
  });
});
