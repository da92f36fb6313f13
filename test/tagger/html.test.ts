/** The html format: a self-contained page, escaped text, one stable colour per type, and it renders in Chromium with no script run. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Document } from '../../src/core/document/document.js';
import { renderHtml, typeHue } from '../../src/core/tagger/html.js';
import { tokenize } from '../../src/core/text/tokenize.js';
import { findChromium, launchChromium } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';

/** A document whose tokens are tagged by hand: `tags[i]` for token i of the one sentence. */
function tagged(text: string, tags: string[]): Document {
  const doc = tokenize(text);
  const s = doc.sentences[0];
  s.predicted = tags;
  s.scores = tags.map(() => 0.5);
  return doc;
}

describe('renderHtml', () => {
  it('marks each entity with its type and score, escapes the text, and lists the types', () => {
    const page = renderHtml(tagged('<b>Acme</b> & Zed', ['O', 'O', 'O', 'B-ORG', 'O', 'O', 'O', 'O', 'B-tool']));
    expect(page).toContain('<mark data-type="ORG" title="ORG 0.500">Acme</mark>');
    expect(page).toContain('&lt;b&gt;');
    expect(page).not.toContain('<b>');
    expect(page).toMatch(/Types: <mark data-type="ORG"[^>]*>ORG<\/mark> <mark data-type="tool"/);
    expect(page).not.toMatch(/<script|<link|src=|href=/);
  });

  it('gives every type one stable colour: fixed for the CoNLL types, from the name otherwise', () => {
    expect(typeHue('PER')).toBe(30);
    expect(typeHue('product')).toBe(typeHue('product'));
    expect(new Set(['corporation', 'creative-work', 'group', 'location', 'person', 'product'].map(typeHue)).size).toBe(6);
  });

  it('keeps offsets right around astral characters and CRLF', () => {
    const text = '😀 Acme\r\nZed';
    const doc = tokenize(text);
    doc.sentences.forEach((s) => { s.predicted = s.tokens.map((t) => (t.text === 'Acme' || t.text === 'Zed' ? 'B-ORG' : 'O')); });
    const page = renderHtml(doc);
    expect(page).toContain('😀 <mark data-type="ORG" title="ORG">Acme</mark>\r\n<mark data-type="ORG" title="ORG">Zed</mark>');
  });
});

const chromium = findChromium();
if (!chromium && process.env.CI) throw new Error('Chromium is not installed: .ci/run installs it');

describe.skipIf(!chromium)('ner tag --format html in headless Chromium', () => {
  it('renders a text holding <script>alert(1)</script> as text: no script runs, the entities are marked', async () => {
    const run = await runCli('tag', '--format', 'html', 'Angela Merkel wrote <script>alert(1)</script> <img src=x onerror=alert(2)> in Paris.');
    expect(run.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'ner-html-'));
    writeFileSync(join(dir, 'page.html'), run.stdout);
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
      await page.goto(`file://${join(dir, 'page.html')}`);
      const marks = await page.$$eval('.text mark', (els) => els.map((e) => `${e.getAttribute('data-type')}:${e.textContent}`));
      const text = await page.textContent('.text');
      await page.screenshot({ path: join(dir, 'page.png') });
      expect(dialogs).toEqual([]);
      expect(await page.$$('.text script, .text img')).toEqual([]);
      expect(text).toContain('<script>alert(1)</script>');
      expect(marks).toEqual(['PER:Angela Merkel', 'LOC:Paris']);
    } finally {
      await context.close();
    }
  }, 60_000);
});
