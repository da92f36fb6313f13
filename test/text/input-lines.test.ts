import { describe, expect, it } from 'vitest';
import { readInputLines, readInputText, textToLines, type InputLine } from '../../src/core/text/input-lines.js';

async function linesOf(chunks: (string | number[])[], maxLineBytes = 1 << 20): Promise<InputLine[][]> {
  const source = chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : Uint8Array.from(c)));
  const batches: InputLine[][] = [];
  for await (const batch of readInputLines(source, { name: 'in.txt', maxLineBytes })) batches.push(batch);
  return batches;
}

describe('readInputLines', () => {
  it('yields the complete lines of each chunk as it arrives', async () => {
    expect(await linesOf(['a\nb', 'c\n\nd'])).toEqual([
      [{ text: 'a', line: 1, ending: '\n' }],
      [{ text: 'bc', line: 2, ending: '\n' }, { text: '', line: 3, ending: '\n' }],
      [{ text: 'd', line: 4, ending: '' }],
    ]);
  });

  it('gives nothing for empty input', async () => {
    expect(await linesOf([])).toEqual([]);
    expect(await linesOf(['', ''])).toEqual([]);
  });

  it('drops a byte order mark split over chunks, and keeps a later U+FEFF', async () => {
    const lines = (await linesOf([[0xef], [0xbb, 0xbf, 0x41, 0x0a, 0xef, 0xbb, 0xbf, 0x42]])).flat();
    expect(lines.map((l) => l.text)).toEqual(['A', '\ufeffB']);
  });

  it('keeps a character and a CRLF split over chunks whole', async () => {
    const e = [...Buffer.from('é')];
    const lines = (await linesOf([[0x63, 0x61, 0x66, e[0]], [e[1], 0x0d], [0x0a, 0x78]])).flat();
    expect(lines).toEqual([{ text: 'café', line: 1, ending: '\r\n' }, { text: 'x', line: 2, ending: '' }]);
  });

  it('names the line of invalid UTF-8, even past earlier chunks', async () => {
    await expect(linesOf(['one\ntwo\n', [0x74, 0x68, 0x72, 0xff, 0x0a]])).rejects.toMatchObject({
      code: 'E_UTF8', line: 3, file: 'in.txt',
    });
  });

  it('names the line of a NUL byte', async () => {
    await expect(linesOf(['one\ntwo\nthr', 'ee\nf\u0000'])).rejects.toThrow('in.txt:4: NUL byte');
  });

  it('refuses a line over the limit as soon as it passes it', async () => {
    await expect(linesOf(['ok\n', 'x'.repeat(6), 'x'.repeat(6)], 10)).rejects.toThrow('in.txt:2: line is longer than 10 bytes');
    await expect(linesOf(['ok\nxxxxxxxxxxxxxxxxxxxxx\n'], 10)).rejects.toThrow('in.txt:2: line is longer than 10 bytes');
    expect((await linesOf(['xxxxxxxxxx\r\n'], 10)).flat()[0].text).toBe('xxxxxxxxxx');
  });
});

describe('readInputText', () => {
  it('returns the input exactly, line endings included, without the BOM', async () => {
    const source = [Buffer.from('\ufeffa\r\nb\n\nc')];
    expect(await readInputText(source, { name: 'x', maxBytes: 100, tooLargeHint: 'h' })).toBe('a\r\nb\n\nc');
  });

  it('refuses input over the limit with the hint', async () => {
    const source = [Buffer.from('abc\ndef\nghi\n')];
    await expect(readInputText(source, { name: 'x', maxBytes: 6, tooLargeHint: 'use jsonl' })).rejects.toThrow('x:2: input is larger than 6 bytes (use jsonl)');
  });
});

describe('textToLines', () => {
  it('splits like the stream reader', () => {
    expect(textToLines('')).toEqual([]);
    expect(textToLines('a\r\nb\n')).toEqual([{ text: 'a', line: 1, ending: '\r\n' }, { text: 'b', line: 2, ending: '\n' }]);
    expect(textToLines('\n')).toEqual([{ text: '', line: 1, ending: '\n' }]);
  });
});
