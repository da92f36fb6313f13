import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineSplitter, decodeLines } from '../../src/core/corpus/line-reader.js';
import { readLineBatches } from '../../src/node/files/conll-files.js';

const TEXT = '\uFEFFZürich B-LOC\r\n日本 B-LOC\n\n€ O\nlast 😀 O';
const EXPECTED = ['Zürich B-LOC', '日本 B-LOC', '', '€ O', 'last 😀 O'];

async function linesOf(path: string, chunkBytes: number): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const { lines, firstLine } of readLineBatches(path, chunkBytes)) {
    lines.forEach((line, i) => out.push([firstLine + i, line]));
  }
  return out;
}

describe('readLineBatches', () => {
  const dir = mkdtempSync(join(tmpdir(), 'line-reader-test-'));
  const path = join(dir, 'multi.txt');
  writeFileSync(path, TEXT);

  // Tiny chunks cut through the BOM, multi-byte characters and CRLF pairs.
  it.each([1, 2, 3, 5, 7, 64, 1 << 20])('gives the same lines and numbers with %i-byte chunks', async (chunkBytes) => {
    expect(await linesOf(path, chunkBytes)).toEqual(EXPECTED.map((line, i) => [i + 1, line]));
  });

  it('finds an invalid byte on the right line even when chunks split lines', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, Buffer.concat([Buffer.from('one O\ntwo O\nthr'), Buffer.from([0xe2, 0x82]), Buffer.from('ee O\nfour O\n')]));
    for (const chunkBytes of [3, 1 << 20]) {
      await expect(linesOf(bad, chunkBytes)).rejects.toThrow(`${bad}:3: invalid UTF-8 byte sequence`);
    }
  });
});

describe('LineSplitter and decodeLines', () => {
  it('keeps a BOM that is not at the start of the file', () => {
    const splitter = new LineSplitter('x');
    expect(splitter.push(new TextEncoder().encode('a\n')).lines).toEqual(['a']);
    expect(splitter.push(new TextEncoder().encode('\uFEFFb\n')).lines).toEqual(['\uFEFFb']);
  });

  it('decodes a file that is only a BOM as no lines', () => {
    expect(decodeLines(Uint8Array.from([0xef, 0xbb, 0xbf]), 'x')).toEqual([]);
  });

  it('reports a truncated character at the end of the input', () => {
    expect(() => decodeLines(Uint8Array.from([0x61, 0x0a, 0xc3]), 'x.txt')).toThrow('x.txt:2: invalid UTF-8');
  });
});
