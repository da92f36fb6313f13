import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createTagCommand, MAX_DOCUMENT_BYTES, type TagCommandIo } from '../../src/cli/commands/tag.js';
import { NerError } from '../../src/core/errors.js';
import type { TagResult } from '../../src/core/tagger/format.js';
import type { DocumentTagger } from '../../src/core/tagger/types.js';
import { FakeTagger, RenderingFakeTagger } from '../tagger/fake-tagger.js';

const dir = mkdtempSync(join(tmpdir(), 'ner-tag-'));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A stdout that collects what is written, optionally slowly (to exercise backpressure). */
class Sink extends Writable {
  text = '';
  constructor(private readonly delayMs = 0, highWaterMark = 16 * 1024) {
    super({ highWaterMark, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: string, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    if (this.delayMs > 0) setTimeout(done, this.delayMs);
    else done();
  }
}

interface Run {
  code: number;
  out: string;
  tagger: FakeTagger;
}

async function run(argv: string[], stdin: string | Uint8Array | AsyncIterable<Uint8Array | string> = '', extra: TagCommandIo = {}): Promise<Run> {
  const tagger = new FakeTagger();
  const stdout = (extra.stdout as Sink | undefined) ?? new Sink();
  const input = typeof stdin === 'string' || stdin instanceof Uint8Array ? Readable.from([Buffer.from(stdin)]) : stdin;
  const command = createTagCommand(async () => tagger, { stdin: input, stderr: new Sink(), color: false, ...extra, stdout });
  const code = await command.run(argv);
  return { code, out: stdout.text, tagger };
}

function parseLines(out: string): TagResult[] {
  expect(out.endsWith('\n') || out === '').toBe(true);
  return out.split('\n').slice(0, -1).map((line) => JSON.parse(line) as TagResult);
}

function expectOffsets(result: TagResult): void {
  for (const e of result.entities) expect(result.text.slice(e.start, e.end)).toBe(e.text);
  for (const t of result.sentences.flatMap((s) => s.tokens)) expect(result.text.slice(t.start, t.end)).toBe(t.text);
}

describe('ner tag: formats', () => {
  it('pretty (default) marks entities in the TEXT arguments, joined with a space', async () => {
    const { code, out } = await run(['Barack', 'Obama visited', 'Paris.']);
    expect(code).toBe(0);
    expect(out).toBe('[Barack Obama]PER visited [Paris]LOC.\n');
  });

  it('json writes one object for the whole input, offsets exact', async () => {
    const { out } = await run(['--format', 'json'], 'Angela Merkel met Emmanuel Macron in Paris on Monday.\nHe left.\n');
    const [result] = parseLines(out);
    expect(out.split('\n')).toHaveLength(2);
    expect(result.text).toBe('Angela Merkel met Emmanuel Macron in Paris on Monday.\nHe left.\n');
    expect(result.entities.map((e) => [e.text, e.type])).toEqual([['Angela Merkel', 'PER'], ['Emmanuel Macron', 'PER'], ['Paris', 'LOC']]);
    expect(result.sentences).toHaveLength(2);
    expectOffsets(result);
  });

  it('json gives the empty result for empty and whitespace-only input, without the model', async () => {
    const empty = await run(['--format', 'json']);
    expect(empty.out).toBe('{"text":"","entities":[],"sentences":[]}\n');
    expect(empty.tagger.calls).toEqual([]);
    const blank = await run(['--format', 'json'], ' \n\t\n');
    expect(parseLines(blank.out)).toEqual([{ text: ' \n\t\n', entities: [], sentences: [] }]);
  });

  it('jsonl writes one line per input line, in order, blank and CRLF lines included', async () => {
    const { out } = await run(['--format', 'jsonl'], 'Barack Obama\r\n\nParis is big.\nlast line, no newline');
    const results = parseLines(out);
    expect(results.map((r) => r.text)).toEqual(['Barack Obama', '', 'Paris is big.', 'last line, no newline']);
    expect(results[0].entities[0]).toEqual({ text: 'Barack Obama', type: 'PER', start: 0, end: 12, score: 0.9 });
    results.forEach(expectOffsets);
  });

  it('jsonl with TEXT arguments treats each line of the text as a document', async () => {
    const { out } = await run(['--format', 'jsonl', 'Paris\nBerlin']);
    expect(parseLines(out).map((r) => r.entities[0].start)).toEqual([0, 0]);
  });

  it('conll writes TOKEN TAG lines, one blank line between sentences, across input lines', async () => {
    const { out } = await run(['--format', 'conll'], 'Barack Obama left. He won.\n\n\nParis\n');
    expect(out).toBe('Barack B-PER\nObama I-PER\nleft O\n. O\n\nHe O\nwon O\n. O\n\nParis B-LOC\n');
  });

  it('pretty keeps every line and line ending of the input', async () => {
    const { out } = await run([], 'Paris\r\n\n  Barack Obama  \nend');
    expect(out).toBe('[Paris]LOC\r\n\n  [Barack Obama]PER  \nend\n');
  });

  it('pretty colours entities when asked to', async () => {
    const { out } = await run(['Paris'], '', { color: true });
    expect(out).toBe('\u001b[1;32m[Paris]\u001b[22mLOC\u001b[0m\n');
  });

  it('reads --input FILE, and "-" as stdin', async () => {
    const path = file('in.txt', '\ufeffBarack Obama\n');
    expect(parseLines((await run(['--format', 'jsonl', '--input', path])).out)[0].text).toBe('Barack Obama');
    expect((await run(['--input', '-'], 'Paris')).out).toBe('[Paris]LOC\n');
  });
});

describe('ner tag: a tagger that renders (TaggerPool)', () => {
  const INPUT = 'Barack Obama left. He won.\r\n\n  \nParis is big.\n\nAngela Merkel\nno entity';

  it.each([['jsonl'], ['conll'], ['pretty']])('%s: the same output as rendering on the main thread, and only rendered batches', async (format) => {
    const plain = await run(['--format', format], INPUT);
    const tagger = new RenderingFakeTagger();
    const stdout = new Sink();
    const command = createTagCommand(async () => tagger, { stdin: Readable.from([Buffer.from(INPUT)]), stderr: new Sink(), color: false, stdout });
    expect(await command.run(['--format', format])).toBe(0);
    expect(stdout.text).toBe(plain.out);
    expect(tagger.calls).toEqual([]); // tagDocuments never called: results came back rendered
    expect(tagger.renderedCalls.length).toBeGreaterThan(0);
    for (const spec of tagger.renderedCalls) expect(spec).toEqual(format === 'pretty' ? { format, color: false } : { format });
  });

  it('a tagger returning the wrong number of rendered results is an error', async () => {
    const tagger = new RenderingFakeTagger();
    tagger.tagBatchRendered = async () => ['only one\n'];
    const command = createTagCommand(async () => tagger, { stdin: Readable.from([Buffer.from('a\nb\n')]), stderr: new Sink(), color: false, stdout: new Sink() });
    await expect(command.run(['--format', 'jsonl'])).rejects.toThrow(/returned 1 results for 2 texts/);
  });
});

describe('ner tag: streaming jsonl', () => {
  it('writes output before the input ends, batching lines through the tagger', async () => {
    const stdin = new PassThrough();
    const stdout = new Sink();
    const done = run(['--format', 'jsonl'], stdin, { stdout });
    stdin.write('Barack Obama\nParis\n');
    await vi.waitFor(() => expect(stdout.text.split('\n')).toHaveLength(3), { timeout: 5000 });
    stdin.write('partial li');
    stdin.end('ne\n');
    const { code, tagger } = await done;
    expect(code).toBe(0);
    expect(parseLines(stdout.text).map((r) => r.text)).toEqual(['Barack Obama', 'Paris', 'partial line']);
    expect(tagger.calls).toEqual([['Barack Obama', 'Paris'], ['partial line']]);
  });

  it('reads a file in chunks, tagging as it goes', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `Line ${i} about Paris.`);
    const path = file('many.txt', `${lines.join('\n')}\n`);
    const { out, tagger } = await run(['--format', 'jsonl', '--input', path]);
    expect(parseLines(out).map((r) => r.text)).toEqual(lines);
    expect(tagger.calls.length).toBeGreaterThan(5);
  });

  it('keeps order and one line per input line through a slow stdout (backpressure)', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? '' : `Line ${i} about Paris and Barack Obama.`));
    const chunks = (lines.join('\n') + '\n').match(/[\s\S]{1,5000}/g)!;
    const stdout = new Sink(1, 1024);
    let maxBuffered = 0;
    const origWrite = stdout.write.bind(stdout);
    stdout.write = ((chunk: string) => {
      const ok = origWrite(chunk);
      maxBuffered = Math.max(maxBuffered, stdout.writableLength);
      return ok;
    }) as typeof stdout.write;
    const { code, tagger } = await run(['--format', 'jsonl'], Readable.from(chunks.map((c) => Buffer.from(c))), { stdout });
    expect(code).toBe(0);
    expect(parseLines(stdout.text).map((r) => r.text)).toEqual(lines);
    expect(Math.max(...tagger.calls.map((c) => c.length))).toBeLessThanOrEqual(256);
    // Never more than one batch's output waiting in stdout's buffer.
    expect(maxBuffered).toBeLessThan(256 * 2000);
  });

  it('ends quietly with 0 when the reader closes the pipe (EPIPE)', async () => {
    const stdout = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    }) as Writable & { text?: string };
    const tagger = new FakeTagger();
    const command = createTagCommand(async () => tagger, {
      stdin: Readable.from([Buffer.from('Paris\n'.repeat(5000))]), stdout, stderr: new Sink(), color: false,
    });
    expect(await command.run(['--format', 'jsonl'])).toBe(0);
  });
});

describe('ner tag: bad input', () => {
  it('refuses invalid UTF-8 with file:line', async () => {
    const path = file('latin1.txt', Buffer.concat([Buffer.from('ok\nfine\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    await expect(run(['--input', path, '--format', 'jsonl'])).rejects.toThrow(`${path}:3: invalid UTF-8`);
    await expect(run(['--input', path, '--format', 'jsonl'])).rejects.toMatchObject({ code: 'E_UTF8', line: 3 });
  });

  it('refuses a NUL byte (a binary file) with file:line', async () => {
    const path = file('nul.txt', 'a\nb\u0000c\n');
    await expect(run(['--input', path])).rejects.toThrow(`${path}:2: NUL byte`);
  });

  it('refuses a binary file', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    const path = file('random.bin', bytes);
    await expect(run(['--input', path, '--format', 'json'])).rejects.toBeInstanceOf(NerError);
  });

  it('refuses a 10 MB single line without reading it all', async () => {
    let produced = 0;
    async function* tenMegabytes(): AsyncGenerator<Uint8Array> {
      const chunk = Buffer.from('word '.repeat(13_108)); // 64 KiB
      while (produced < 10 << 20) {
        produced += chunk.length;
        yield chunk;
      }
    }
    const attempt = run(['--format', 'jsonl'], tenMegabytes());
    await expect(attempt).rejects.toThrow('stdin:1: line is longer than 2 MiB');
    expect(produced).toBeLessThan(MAX_DOCUMENT_BYTES + (1 << 17));
  });

  it('refuses json input larger than the limit, pointing to jsonl', async () => {
    const path = file('big.txt', 'Paris is nice.\n'.repeat(Math.ceil(MAX_DOCUMENT_BYTES / 15) + 1));
    await expect(run(['--input', path, '--format', 'json'])).rejects.toThrow(/larger than 2 MiB.*--format jsonl/);
  });

  it('tags text with control characters and lone surrogates instead of failing', async () => {
    const { out } = await run(['--format', 'json', 'Paris\u0001 \ud800 😀']);
    const [result] = parseLines(out);
    expect(result.text).toBe('Paris\u0001 \ud800 😀');
    expectOffsets(result);
  });
});

describe('ner tag: usage and failures', () => {
  const stderr: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    stderr.length = 0;
  });
  function captureStderr(): void {
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  }

  it.each([
    [['tag', '--bogus', 'x'], /Unknown option '--bogus'/],
    [['tag', '--format', 'xml', 'x'], /--format must be one of pretty, json, jsonl, conll, html; got "xml"/],
    [['tag', '--format'], /argument missing|--format/],
    [['tag', 'text', '--input', 'file.txt'], /either as TEXT arguments or with --input, not both/],
  ])('exits 2 on a usage error: %j', async (argv, message) => {
    captureStderr();
    expect(await main(argv)).toBe(2);
    expect(stderr.join('')).toMatch(message);
  });

  it('exits 1 naming the path when --input does not exist', async () => {
    captureStderr();
    const missing = join(dir, 'missing.txt');
    expect(await main(['tag', '--input', missing])).toBe(1);
    expect(stderr.join('')).toContain(`${missing}: cannot read: no such file`);
  });

  it('exits 1 with a clear message when the --model directory is missing', async () => {
    captureStderr();
    const missing = join(dir, 'no-model');
    expect(await main(['tag', '--model', missing, 'Paris'])).toBe(1);
    expect(stderr.join('')).toContain(missing);
  });

  it('passes --model to the loader, and its E_MODEL error through', async () => {
    const seen: (string | undefined)[] = [];
    const command = createTagCommand(async (modelDir?: string): Promise<DocumentTagger> => {
      seen.push(modelDir);
      throw new NerError('E_MODEL', 'missing or corrupt model', { file: modelDir });
    }, { stdout: new Sink(), stderr: new Sink() });
    await expect(command.run(['--model', 'models/x', 'Paris'])).rejects.toMatchObject({ code: 'E_MODEL' });
    expect(seen).toEqual(['models/x']);
  });

  it('documents every flag in its help', async () => {
    const { tagCommand } = await import('../../src/cli/commands/tag.js');
    const help = typeof tagCommand.help === 'function' ? tagCommand.help([]) : tagCommand.help;
    for (const flag of ['--input', '--format', '--model', '--workers', 'pretty', 'json', 'jsonl', 'conll', 'NUL', 'UTF-8']) {
      expect(help).toContain(flag);
    }
  });
});

describe('ner tag --workers: batches in flight', () => {
  /** A pool stand-in whose calls overlap: records how many were out at once. */
  class OverlappingTagger extends RenderingFakeTagger {
    out = 0;
    most = 0;
    override async tagBatchRendered(texts: readonly string[], spec: Parameters<RenderingFakeTagger['tagBatchRendered']>[1]): Promise<string[]> {
      this.most = Math.max(this.most, ++this.out);
      await new Promise((resolve) => setTimeout(resolve, 5));
      this.out--;
      return super.tagBatchRendered(texts, spec);
    }
  }

  it('keeps two batches per worker out, one for the in-process tagger, and writes them in order', async () => {
    const lines = Array.from({ length: 6 * 2048 }, (_, i) => `Line ${i} in Paris`);
    const input = file('many-lines.txt', `${lines.join('\n')}\n`);
    for (const [workers, most] of [[2, 4], [1, 1]] as const) {
      const tagger = new OverlappingTagger();
      const stdout = new Sink();
      const command = createTagCommand(async () => tagger, { stdout, stderr: new Sink(), color: false });
      expect(await command.run(['--input', input, '--format', 'jsonl', '--workers', String(workers)])).toBe(0);
      expect(tagger.most).toBe(most);
      expect(parseLines(stdout.text).map((r) => r.text)).toEqual(lines);
    }
  });
});
