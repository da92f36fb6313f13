import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATCH_LINES, tagLines } from '../../src/core/tagger/tag-stream.js';
import { readInputLines } from '../../src/core/text/input-lines.js';
import { openTextSource, READ_CHUNK } from '../../src/node/files/text-source.js';
import { FakeTagger } from '../tagger/fake-tagger.js';

describe('openTextSource', () => {
  it('reads a file in chunks big enough for full batches of tagging', async () => {
    // 5,000 lines of 40 bytes: 200 kB, in one read; the batches are BATCH_LINES lines each.
    const file = join(mkdtempSync(join(tmpdir(), 'ner-source-')), 'lines.txt');
    const lines = Array.from({ length: 5000 }, (_, i) => `Line ${String(i).padStart(5, '0')} is about Paris here.`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(READ_CHUNK).toBeGreaterThan(5000 * 40);
    const source = await openTextSource(file, process.stdin);
    const tagger = new FakeTagger();
    let written = '';
    try {
      for await (const chunk of tagLines(tagger, readInputLines(source.read(), { name: file, maxLineBytes: 1 << 20 }), { format: 'jsonl' })) written += chunk;
    } finally {
      await source.close();
    }
    expect(tagger.calls.map((c) => c.length)).toEqual([BATCH_LINES, BATCH_LINES, 5000 - 2 * BATCH_LINES]);
    expect(written.split('\n').length - 1).toBe(5000);
  });
});
