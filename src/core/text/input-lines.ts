import { NerError } from '../errors.js';
import { utf8ByteLength } from './utf8.js';

/**
 * Splitting the text `ner tag` tags into lines, from any stream of bytes (a file or stdin in
 * Node, a fetch body or a File in a browser), as UTF-8 and a chunk at a time:
 * lines are handed on as soon as their chunk arrives (so output can begin before input
 * ends), and nothing is buffered beyond one over-long line's limit (so memory stays
 * bounded). Text that cannot be text is refused with its `file:line`: invalid UTF-8
 * (`E_UTF8`), a NUL byte (`E_FORMAT`, the mark of a binary file), or a line (or whole input,
 * for formats that hold it at once) over the byte limit (`E_FORMAT`).
 *
 * @example
 * for await (const lines of readInputLines(process.stdin, { name: 'stdin', maxLineBytes: 1 << 22 })) {
 *   for (const { text, line } of lines) console.log(line, text);
 * }
 */

/** One line of input: its text without the line ending, its number, and the ending it had. */
export interface InputLine {
  text: string;
  /** 1-based line number. */
  line: number;
  /** `'\n'`, `'\r\n'`, or `''` for a last line without one. */
  ending: '' | '\n' | '\r\n';
}

/** Options of {@link readInputLines}. */
export interface ReadInputArgs {
  /** What to call the input in messages: a file path, or `stdin`. */
  name: string;
  /** Longest line accepted, in UTF-8 bytes without its ending. */
  maxLineBytes: number;
}

const NEWLINE = 0x0a;
const CR = '\r';
// ignoreBOM: a U+FEFF at the start of a later chunk is text, not a byte order mark; the
// one at the very start of the input is dropped by hand instead.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Splits a byte stream into lines, yielding the complete lines of each chunk as it arrives
 * (an empty array is never yielded). A UTF-8 byte order mark at the very start is dropped.
 */
export async function* readInputLines(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  args: ReadInputArgs,
): AsyncGenerator<InputLine[]> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let nextLine = 1;
  let atStart = true;
  for await (const piece of source) {
    let chunk = typeof piece === 'string' ? new TextEncoder().encode(piece) : piece;
    if (atStart) {
      // A BOM split across chunks is rare enough to wait for three bytes only at the start.
      if (pendingBytes + chunk.length < 3) {
        pending.push(chunk.slice());
        pendingBytes += chunk.length;
        continue;
      }
      chunk = pendingBytes > 0 ? concat([...pending, chunk], pendingBytes + chunk.length) : chunk;
      pending = [];
      pendingBytes = 0;
      atStart = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    refuseNul(chunk, args.name, nextLine);
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < 0) {
      pendingBytes += chunk.length;
      if (pendingBytes > args.maxLineBytes) throw tooLong(args, nextLine);
      pending.push(chunk.slice()); // copied: the stream may reuse the chunk's memory
      continue;
    }
    // Every line completed in this chunk, checked against the limit before decoding.
    let from = 0;
    let line = nextLine;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0 && nl <= last; nl = chunk.indexOf(NEWLINE, nl + 1)) {
      const bytes = (from === 0 ? pendingBytes : 0) + nl - from;
      if (bytes > args.maxLineBytes + 1) throw tooLong(args, line); // + 1: a '\r' is not text
      from = nl + 1;
      line++;
    }
    const block = pendingBytes > 0 ? concat([...pending, chunk.subarray(0, last)], pendingBytes + last) : chunk.subarray(0, last);
    const texts = decode(block, args.name, nextLine).split('\n');
    pending = [chunk.slice(last + 1)];
    pendingBytes = chunk.length - last - 1;
    const lines = new Array<InputLine>(texts.length);
    for (let i = 0; i < texts.length; i++) lines[i] = toLine(texts[i], nextLine + i, true);
    nextLine += texts.length;
    yield lines;
  }
  if (atStart && pendingBytes > 0) {
    const bytes = concat(pending, pendingBytes);
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    pending = [body];
    pendingBytes = body.length;
    refuseNul(body, args.name, nextLine);
  }
  if (pendingBytes > 0) {
    const text = decode(concat(pending, pendingBytes), args.name, nextLine);
    yield [toLine(text, nextLine, false)];
  }
}

/** Options of {@link readInputText}. */
export interface ReadTextArgs {
  name: string;
  /** Largest input accepted, in UTF-8 bytes. */
  maxBytes: number;
  /** Says what to do instead when the input is too large. */
  tooLargeHint: string;
}

/** Reads the whole input as one string, line endings kept, with the checks of {@link readInputLines}. */
export async function readInputText(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, args: ReadTextArgs): Promise<string> {
  const parts: string[] = [];
  let bytes = 0;
  for await (const lines of readInputLines(source, { name: args.name, maxLineBytes: args.maxBytes })) {
    for (const { text, ending, line } of lines) {
      bytes += utf8ByteLength(text) + ending.length;
      if (bytes > args.maxBytes) {
        throw new NerError('E_FORMAT', `input is larger than ${describeBytes(args.maxBytes)}`, {
          file: args.name, line, hint: args.tooLargeHint,
        });
      }
      parts.push(text, ending);
    }
  }
  return parts.join('');
}

/**
 * Splits text already in memory (the TEXT arguments) into lines like {@link readInputLines}.
 *
 * @example
 * textToLines('a\r\nb'); // [{ text: 'a', line: 1, ending: '\r\n' }, { text: 'b', line: 2, ending: '' }]
 */
export function textToLines(text: string): InputLine[] {
  if (text === '') return [];
  const texts = text.split('\n');
  const lines = texts.map((t, i) => toLine(t, i + 1, i < texts.length - 1));
  return lines[lines.length - 1].text === '' && lines[lines.length - 1].ending === '' ? lines.slice(0, -1) : lines;
}

/** `4 MiB` for 4194304: limits are powers of two, so say them the way they were set. */
export function describeBytes(bytes: number): string {
  if (bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function toLine(raw: string, line: number, terminated: boolean): InputLine {
  if (!terminated) return { text: raw, line, ending: '' };
  if (raw.endsWith(CR)) return { text: raw.slice(0, -1), line, ending: '\r\n' };
  return { text: raw, line, ending: '\n' };
}

function tooLong(args: ReadInputArgs, line: number): NerError {
  return new NerError('E_FORMAT', `line is longer than ${describeBytes(args.maxLineBytes)}`, {
    file: args.name, line, hint: 'split it into shorter lines, e.g. with fold -s',
  });
}

function refuseNul(chunk: Uint8Array, name: string, firstLine: number): void {
  const at = chunk.indexOf(0);
  if (at < 0) return;
  throw new NerError('E_FORMAT', 'NUL byte in the input: this looks like a binary file, not text', {
    file: name, line: firstLine + countNewlines(chunk, 0, at), hint: 'ner tag reads UTF-8 text',
  });
}

function decode(bytes: Uint8Array, name: string, firstLine: number): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new NerError('E_UTF8', 'invalid UTF-8 byte sequence', {
      file: name, line: firstLine + badLineOffset(bytes), hint: 'the input must be UTF-8 text; convert it first, e.g. iconv -f latin1 -t utf-8',
    });
  }
}

/** Which line of `bytes` (0-based) holds the first invalid sequence: called only after decoding failed. */
function badLineOffset(bytes: Uint8Array): number {
  let start = 0;
  for (let line = 0; ; line++) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    if (end >= bytes.length) return line;
    start = end + 1;
  }
}

function countNewlines(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = bytes.indexOf(NEWLINE, from); i >= 0 && i < to; i = bytes.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
