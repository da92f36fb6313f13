/**
 * The CoNLL line format: turning lines into `-DOCSTART-` markers and sentences, with the
 * checks that make bad input an error naming `file:line` instead of a silent skip.
 *
 * Format: one token per line, columns separated by spaces or tabs (any number of columns,
 * the same number on every token line); the token is the first column and the (gold) NER
 * tag the last one unless `tagColumn` says otherwise, or there is none (`tagColumn: 'none'`,
 * for files to be tagged). Blank lines end sentences (several in a row
 * are one boundary). A line whose first column is `-DOCSTART-` starts a document; it is not
 * held to the column count, since corpora write it both bare and with dummy columns.
 */
import { NerError } from '../errors.js';
import { malformedTag, TAG_HINT, tryParseTag } from '../tags/tag.js';
import type { Sentence, Token } from '../document/document.js';

/**
 * One thing a CoNLL file holds, in file order. A sentence's `gold` is its tag column as read
 * (none with `tagColumn: 'none'`), and its `source` every column of each token line and the
 * first one's line number, so that a writer can put the file back.
 */
export type ConllItem =
  | { kind: 'docstart'; line: number; row: string[] }
  | { kind: 'sentence'; sentence: Sentence };

/** Options for reading CoNLL text. */
export interface ConllReadArgs {
  /**
   * Which column holds the NER tag: 0-based from the left (1 = second column), or negative
   * from the right (-1 = last, -2 = second to last). Default -1, the last column. Column 0
   * is always the token. `'none'`: the file need not have one (a file to be tagged, as
   * `ner predict` reads it); every column is kept in `source.rows`, none is checked as a tag,
   * and sentences have no `gold` tags.
   */
  tagColumn?: number | 'none';
}

/** The marker that starts a document. */
export const DOCSTART = '-DOCSTART-';

const SEPARATOR = /[ \t]+/;

/**
 * Splits one line into its columns: separated by runs of spaces or tabs, with leading and
 * trailing spaces, tabs and `\r` ignored (the line readers already drop every `\r` line
 * break; this keeps a line split by other code safe). A blank line gives [].
 *
 * @example
 * splitColumns('Acme\tNNP  B-ORG \r'); // ['Acme', 'NNP', 'B-ORG']
 */
export function splitColumns(line: string): string[] {
  let end = line.length;
  while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
  let start = 0;
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  if (start === end) return [];
  return (start === 0 && end === line.length ? line : line.slice(start, end)).split(SEPARATOR);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

/**
 * Turns lines into items. Feed lines in order with `push`, then call `end`; completed items
 * are appended to the `out` array passed in (which avoids one allocation per line).
 *
 * @example
 * const parser = new ConllLineParser('a.txt');
 * const items: ConllItem[] = [];
 * ['Acme B-ORG', 'hires O', ''].forEach((text, i) => parser.push(text, i + 1, items));
 * parser.end(items);
 * items[0]; // { kind: 'sentence', sentence: { tokens: [{ text: 'Acme' }, { text: 'hires' }], gold: ['B-ORG', 'O'], source: ... } }
 */
export class ConllLineParser {
  /** null: no tag column (`tagColumn: 'none'`). */
  private readonly tagColumn: number | null;
  private columns = 0;
  private columnsLine = 0;
  private tokens: Token[] = [];
  private tags: string[] = [];
  private rows: string[][] = [];
  private firstLine = 0;

  constructor(private readonly file: string, options: ConllReadArgs = {}) {
    const tagColumn = options.tagColumn ?? -1;
    if (tagColumn !== 'none' && (!Number.isInteger(tagColumn) || tagColumn === 0)) {
      throw new NerError('E_CONFIG', `tagColumn must be a non-zero integer (column 0 is the token) or 'none', got ${tagColumn}`);
    }
    this.tagColumn = tagColumn === 'none' ? null : tagColumn;
  }

  push(text: string, line: number, out: ConllItem[]): void {
    const row = splitColumns(text);
    if (row.length === 0) {
      this.flush(out);
      return;
    }
    if (row[0] === DOCSTART) {
      this.flush(out);
      out.push({ kind: 'docstart', line, row });
      return;
    }
    const tagIndex = this.tagColumn === null ? 0 : this.tagColumn > 0 ? this.tagColumn : row.length + this.tagColumn;
    if (this.tagColumn !== null && (row.length < 2 || tagIndex < 1 || tagIndex >= row.length)) {
      const needed = Math.max(2, this.tagColumn > 0 ? this.tagColumn + 1 : 1 - this.tagColumn);
      throw new NerError('E_FORMAT', `too few columns: found ${row.length}, a token line needs at least ${needed} (token ... tag)`, {
        file: this.file,
        line,
        hint: `${this.tagColumnName()} holds the gold NER tag; columns are separated by spaces or tabs, sentences by blank lines`,
      });
    }
    if (this.columns === 0) {
      this.columns = row.length;
      this.columnsLine = line;
    } else if (row.length !== this.columns) {
      throw new NerError('E_FORMAT', `found ${row.length} columns, but line ${this.columnsLine} has ${this.columns}`, {
        file: this.file,
        line,
        hint: 'every token line of a file must have the same number of columns',
      });
    }
    if (this.tagColumn !== null) {
      const tag = row[tagIndex];
      if (tryParseTag(tag) === undefined) {
        throw malformedTag(tag, { file: this.file, line, hint: `${this.tagColumnName()} must hold the gold NER tag: ${TAG_HINT}` });
      }
      this.tags.push(tag);
    }
    if (this.tokens.length === 0) this.firstLine = line;
    this.tokens.push({ text: row[0] });
    this.rows.push(row);
  }

  /** The tag column in words, for messages: "the last column", "column 3". */
  private tagColumnName(): string {
    const k = this.tagColumn ?? -1;
    if (k === -1) return 'the last column';
    if (k === -2) return 'the second-to-last column';
    return k > 0 ? `column ${k + 1}` : `column ${-k} from the right`;
  }

  end(out: ConllItem[]): void {
    this.flush(out);
  }

  private flush(out: ConllItem[]): void {
    if (this.tokens.length === 0) return;
    const source = { rows: this.rows, line: this.firstLine };
    const sentence: Sentence = this.tagColumn === null ? { tokens: this.tokens, source } : { tokens: this.tokens, gold: this.tags, source };
    out.push({ kind: 'sentence', sentence });
    this.tokens = [];
    this.tags = [];
    this.rows = [];
  }
}
