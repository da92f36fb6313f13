/**
 * Writing CoNLL files that the reader reads back identically: columns joined by one space,
 * a blank line after every sentence and after every `-DOCSTART-` line (CoNLL-2003's layout).
 */
import { NerError } from '../errors.js';
import { DOCSTART } from './conll-lines.js';
import type { Document, Sentence } from '../document/document.js';
import type { Corpus } from './types.js';

/** Options for writing. */
export interface ConllWriteArgs {
  /**
   * The column the sentence's gold tags go in, counted as in `ConllReadArgs.tagColumn`
   * (0-based from the left, or negative from the right). Default -1, the last column.
   */
  tagColumn?: number;
}

/**
 * The token lines of one sentence followed by a blank line. Each line is the row it was read
 * from (`source.rows`) with the word and tag columns taken from the tokens and the `gold`
 * tags, so a sentence whose tags were converted is written with its new tags; without rows it
 * is `word tag`. A sentence without gold tags (read with `tagColumn: 'none'`) is written as
 * its rows.
 *
 * @example
 * formatSentence({ tokens: [{ text: 'Acme' }, { text: 'hires' }], gold: ['B-ORG', 'O'] });
 * // 'Acme B-ORG\nhires O\n\n'
 */
export function formatSentence(sentence: Sentence, options: ConllWriteArgs = {}): string {
  return sentenceRows(sentence, options).map((row) => `${row.join(' ')}\n`).join('') + '\n';
}

/**
 * Like `formatSentence`, with the sentence's `predicted` tag appended as a new last column of
 * each token line: the layout `ner predict` writes and the CoNLL evaluation script reads
 * (`token ... gold predicted`).
 *
 * @example
 * const s = { tokens: [{ text: 'Acme' }, { text: 'hires' }], gold: ['B-ORG', 'O'], predicted: ['B-LOC', 'O'],
 *   source: { rows: [['Acme', 'NNP', 'B-ORG'], ['hires', 'VBZ', 'O']], line: 3 } };
 * formatSentenceWithPrediction(s);
 * // 'Acme NNP B-ORG B-LOC\nhires VBZ O O\n\n'
 */
export function formatSentenceWithPrediction(sentence: Sentence, options: ConllWriteArgs = {}): string {
  const { predicted, tokens } = sentence;
  if (!predicted || predicted.length !== tokens.length) {
    throw new NerError('E_FORMAT', `${sentenceAt(sentence)} has ${tokens.length} tokens but ${predicted?.length ?? 'no'} predicted tags`);
  }
  return sentenceRows(sentence, options).map((row, i) => `${row.join(' ')} ${predicted[i]}\n`).join('') + '\n';
}

/**
 * A `-DOCSTART-` line followed by a blank line. `extra` columns are appended: a file with a
 * predicted column needs `['O']` here, because the CoNLL evaluation script stops at a line
 * whose column count differs from the others.
 *
 * @example
 * formatDocstart(['-DOCSTART-', '-X-', '-X-', 'O']);        // '-DOCSTART- -X- -X- O\n\n'
 * formatDocstart(['-DOCSTART-', '-X-', '-X-', 'O'], ['O']); // '-DOCSTART- -X- -X- O O\n\n'
 */
export function formatDocstart(row: readonly string[], extra: readonly string[] = []): string {
  return `${[...row, ...extra].join(' ')}\n\n`;
}

/**
 * A whole corpus (or a list of documents) as CoNLL text.
 *
 * @example
 * const text = '-DOCSTART- -X- O\n\nAcme NNP B-ORG\n\n';
 * formatConll(parseConll(text)) === text; // true
 */
export function formatConll(corpus: Corpus | readonly Document[], options: ConllWriteArgs = {}): string {
  const parts: string[] = [];
  for (const doc of documentsOf(corpus)) {
    const header = docstartOf(doc);
    if (header) parts.push(formatDocstart(header));
    for (const sentence of doc.sentences) parts.push(formatSentence(sentence, options));
  }
  return parts.join('');
}

/** The documents of a corpus, or the list itself. */
export function documentsOf(corpus: Corpus | readonly Document[]): readonly Document[] {
  return Array.isArray(corpus) ? corpus : (corpus as Corpus).documents;
}

/** The row to write for a document's `-DOCSTART-` line, or undefined when it had none. */
export function docstartOf(doc: Document): readonly string[] | undefined {
  if (doc.source?.docstartRow) return doc.source.docstartRow;
  if (!doc.source?.line) return undefined;
  // A document built in code with a line but no row: give it CoNLL-2003's dummy columns, as wide as its tokens.
  const width = doc.sentences[0]?.source?.rows[0]?.length ?? 4;
  return [DOCSTART, ...new Array<string>(Math.max(0, width - 2)).fill('-X-'), 'O'];
}

function sentenceRows(sentence: Sentence, options: ConllWriteArgs): string[][] {
  const { tokens, gold } = sentence;
  const rows = sentence.source?.rows ?? [];
  if (!gold) {
    // Read without a tag column: the rows as read, whatever their columns are.
    return tokens.map((token, i) => [token.text, ...(rows[i] ?? []).slice(1)]);
  }
  if (gold.length !== tokens.length) {
    throw new NerError('E_FORMAT', `${sentenceAt(sentence)} has ${tokens.length} words but ${gold.length} tags`);
  }
  const tagColumn = options.tagColumn ?? -1;
  return tokens.map(({ text: word }, i) => {
    // Copied so that writing never changes the sentence.
    const row = rows[i] !== undefined && rows[i].length >= 2 ? [...rows[i]] : [word, gold[i]];
    const at = tagColumn >= 0 ? tagColumn : row.length + tagColumn;
    if (at < 1 || at >= row.length) {
      throw new NerError('E_CONFIG', `tagColumn ${tagColumn} does not fit a row of ${row.length} columns`);
    }
    row[0] = word;
    row[at] = gold[i];
    return row;
  });
}

/** The sentence in messages: by its line when it was read from a file. */
function sentenceAt(sentence: Sentence): string {
  return sentence.source ? `sentence at line ${sentence.source.line}` : 'a sentence';
}
