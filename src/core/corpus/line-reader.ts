/**
 * Reading a UTF-8 text file as lines, a chunk at a time, so a 1 GB corpus never needs 1 GB
 * of strings at once, while invalid UTF-8 is still reported with its line number.
 *
 * A line ends at `\n`, `\r\n` or a `\r` alone (old Mac files, and files mangled between
 * systems, use `\r` alone; mixed endings count too). Bytes are cut after the last line break
 * of each chunk (0x0A and 0x0D never occur inside a UTF-8 sequence, so the cut is always
 * between characters) and decoded with a fatal decoder; only when that throws are the
 * chunk's lines decoded one by one to find the bad line. A chunk that ends in `\r` may be
 * followed by the `\n` of the same `\r\n`: that `\n` is then skipped, not read as a line.
 */
import { NerError } from '../errors.js';

/** Consecutive lines of a file, without their line breaks. */
export interface LineBatch {
  lines: string[];
  /** 1-based line number of `lines[0]`. */
  firstLine: number;
}

const LF = 0x0a;
const CR = 0x0d;
/** What splits decoded text into lines: the same three breaks as the byte scan. */
const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Splits a byte stream into lines. Feed it chunks with `push`, then call `end`; each returns
 * the lines completed so far. A UTF-8 byte order mark at the very start is dropped.
 *
 * @example
 * const splitter = new LineSplitter('a.txt');
 * splitter.push(new TextEncoder().encode('Acme B-ORG\rhi'));  // { lines: ['Acme B-ORG'], firstLine: 1 }
 * splitter.push(new TextEncoder().encode('res O\r'));        // { lines: ['hires O'], firstLine: 2 }
 * splitter.push(new TextEncoder().encode('\nnow O'));        // { lines: [], firstLine: 3 } (the \r\n was one break)
 * splitter.end();                                            // { lines: ['now O'], firstLine: 3 }
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private leftover: Uint8Array = new Uint8Array(0);
  private nextLine = 1;
  private atStart = true;
  /** The last chunk ended in `\r`: a `\n` starting the next one belongs to that break. */
  private afterCR = false;

  constructor(private readonly file: string) {}

  push(chunk: Uint8Array): LineBatch {
    let bytes = this.leftover.length > 0 ? concat(this.leftover, chunk) : chunk;
    if (this.atStart) {
      // Too short to tell yet whether a BOM is there: wait for more bytes.
      if (bytes.length < 3 && startsLikeBom(bytes)) {
        this.leftover = bytes.slice();
        return { lines: [], firstLine: this.nextLine };
      }
      this.atStart = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    if (this.afterCR && bytes.length > 0) {
      this.afterCR = false;
      if (bytes[0] === LF) bytes = bytes.subarray(1);
    }
    const cut = Math.max(bytes.lastIndexOf(LF), bytes.lastIndexOf(CR));
    if (cut < 0) {
      // Copied because the caller may reuse the chunk's memory.
      this.leftover = bytes.slice();
      return { lines: [], firstLine: this.nextLine };
    }
    this.leftover = bytes.slice(cut + 1);
    this.afterCR = bytes[cut] === CR && cut === bytes.length - 1;
    // Decoded with the last break, so that a \r\n there is split as one; the '' after it is dropped.
    const text = this.decode(bytes.subarray(0, cut + 1));
    const lines = text.includes('\r') ? text.split(LINE_BREAK) : text.split('\n');
    lines.pop();
    return this.batch(lines);
  }

  /** Returns the last line when the file does not end with a newline. */
  end(): LineBatch {
    const rest = this.leftover;
    this.leftover = new Uint8Array(0);
    if (this.atStart) {
      this.atStart = false;
      if (rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf) return this.end();
    }
    if (rest.length === 0) return { lines: [], firstLine: this.nextLine };
    return this.batch([this.decode(rest)]);
  }

  private batch(lines: string[]): LineBatch {
    const firstLine = this.nextLine;
    this.nextLine += lines.length;
    return { lines, firstLine };
  }

  private decode(bytes: Uint8Array): string {
    try {
      return this.decoder.decode(bytes);
    } catch {
      throw new NerError('E_UTF8', 'invalid UTF-8 byte sequence', {
        file: this.file,
        line: this.findBadLine(bytes),
        hint: 'the file must be UTF-8; convert it first, e.g. iconv -f latin1 -t utf-8',
      });
    }
  }

  private findBadLine(bytes: Uint8Array): number {
    let line = this.nextLine;
    let start = 0;
    while (start <= bytes.length) {
      let end = start;
      while (end < bytes.length && bytes[end] !== LF && bytes[end] !== CR) end++;
      try {
        this.decoder.decode(bytes.subarray(start, end));
      } catch {
        return line;
      }
      start = bytes[end] === CR && bytes[end + 1] === LF ? end + 2 : end + 1;
      line++;
    }
    return this.nextLine;
  }
}

/**
 * Splits in-memory bytes into lines with the same rules as LineSplitter (and `readLineBatches` in Node).
 *
 * @example
 * decodeLines(new TextEncoder().encode('a O\n\nb O'), 'x.txt');   // ['a O', '', 'b O']
 * decodeLines(new TextEncoder().encode('a O\r\rb O\r'), 'x.txt'); // ['a O', '', 'b O']
 */
export function decodeLines(bytes: Uint8Array, file: string): string[] {
  const splitter = new LineSplitter(file);
  return [...splitter.push(bytes).lines, ...splitter.end().lines];
}


function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function startsLikeBom(bytes: Uint8Array): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== bom[i]) return false;
  return true;
}
