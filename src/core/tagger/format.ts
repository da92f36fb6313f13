import { predictedSpans, type Document, type Sentence } from '../document/document.js';
import { NerError } from '../errors.js';

/**
 * The output formats of `ner tag` (see CONTRACT.md), as functions from a tagged Document (one
 * made from text by tokenize, with predicted tags and scores filled in by the tagger) to text,
 * so the CLI and library users print exactly the same thing.
 *
 * @example
 * import { renderPretty, tokenize } from 'ner-window';
 * const doc = tokenize('Barack Obama visited Paris.');
 * await tagger.tagDocuments([doc]);
 * renderPretty(doc); // '[Barack Obama]PER visited [Paris]LOC.'
 */

/** The names `--format` accepts. */
export const TAG_FORMATS = ['pretty', 'json', 'jsonl', 'conll', 'html'] as const;

export type TagFormat = (typeof TAG_FORMATS)[number];

/** Is `name` one of {@link TAG_FORMATS}? */
export function isTagFormat(name: string): name is TagFormat {
  return (TAG_FORMATS as readonly string[]).includes(name);
}

/**
 * The `json` output format as a value: what `tagger.tag(text)` returns and `ner tag --format
 * json` writes (see CONTRACT.md). All `start`/`end` are character offsets into `text` (UTF-16
 * code units), `end` exclusive, so `text.slice(start, end) === entity.text`; an entity's
 * `score` is the model's confidence in [0, 1]; tags are IOB2.
 */
export interface TagResult {
  text: string;
  entities: { text: string; type: string; start: number; end: number; score: number }[];
  sentences: { start: number; end: number; tokens: { text: string; start: number; end: number; tag: string }[] }[];
}

/**
 * A tagged document as the contract's JSON shape: fresh objects holding the contract's fields
 * in the contract's order and nothing else (V8 also serialises fresh objects of one shape on
 * a fast path).
 *
 * @example
 * toTagResult(tokenize('')); // { text: '', entities: [], sentences: [] }
 */
export function toTagResult(doc: Document): TagResult {
  const text = textOf(doc);
  const entities: TagResult['entities'] = [];
  const sentences: TagResult['sentences'] = new Array(doc.sentences.length);
  for (let k = 0; k < doc.sentences.length; k++) {
    const sentence = doc.sentences[k];
    const tags = predictedTags(sentence);
    const { tokens } = sentence;
    const out: TagResult['sentences'][number]['tokens'] = new Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      out[i] = { text: t.text, start: t.start!, end: t.end!, tag: tags[i] };
    }
    sentences[k] = { start: sentence.start!, end: sentence.end!, tokens: out };
    for (const span of predictedSpans(sentence)) {
      const start = tokens[span.start].start!;
      const end = tokens[span.end - 1].end!;
      entities.push({ text: text.slice(start, end), type: span.type, start, end, score: span.score! });
    }
  }
  return { text, entities, sentences };
}

/**
 * A tagged document as one line of JSON (with its `\n`): the `json` format, and one line of
 * `jsonl`.
 *
 * @example
 * renderJson(tokenize('')); // '{"text":"","entities":[],"sentences":[]}\n'
 */
export function renderJson(doc: Document): string {
  return `${JSON.stringify(toTagResult(doc))}\n`;
}

/**
 * Tagged documents as JSON lines: one line per document, in order (the `jsonl` format).
 *
 * @example
 * renderJsonl([a, b]); // renderJson(a) + renderJson(b)
 */
export function renderJsonl(docs: readonly Document[]): string {
  let out = '';
  for (const doc of docs) out += renderJson(doc);
  return out;
}

/** Options of {@link renderConll}. */
export interface ConllFormatArgs {
  /**
   * Start with a blank line when the document has any sentence: set it when earlier output
   * already ended a sentence, so that consecutive documents stay one valid file. Default false.
   */
  afterSentence?: boolean;
}

/**
 * One `TOKEN TAG` line per token and a blank line between sentences (the `conll` format).
 * Whitespace inside a token (which tokenize never makes) is written as `_`, and an empty
 * token as `_`, so every line always has exactly two columns. Needs no text: a document of
 * words renders too.
 *
 * @example
 * renderConll(doc); // for 'Obama left. He won.': 'Obama B-PER\nleft O\n. O\n\nHe O\nwon O\n. O\n'
 */
export function renderConll(doc: Document, args: ConllFormatArgs = {}): string {
  const parts: string[] = [];
  let first = !args.afterSentence;
  for (const sentence of doc.sentences) {
    if (sentence.tokens.length === 0) continue;
    const tags = predictedTags(sentence);
    if (!first) parts.push('\n');
    first = false;
    sentence.tokens.forEach((token, i) => parts.push(`${conllColumn(token.text)} ${conllColumn(tags[i])}\n`));
  }
  return parts.join('');
}

function conllColumn(value: string): string {
  if (value === '') return '_';
  return /\s/.test(value) ? value.replace(/\s/g, '_') : value;
}

/** Options of {@link renderPretty}. */
export interface PrettyFormatArgs {
  /** Colour entities with ANSI escapes (for a terminal). Default false: plain brackets. */
  color?: boolean;
}

const RESET = '\u001b[0m';
const TYPE_COLORS: Record<string, string> = { PER: '36', LOC: '32', ORG: '33', MISC: '35' };
const OTHER_COLOR = '34';

/**
 * The text with every predicted entity marked for a person to read: `[Barack Obama]PER`, or
 * on a terminal (`color: true`) the same in bold colour, one colour per type. Everything
 * between entities is the original text, unchanged.
 *
 * @example
 * renderPretty(doc); // for 'Barack Obama visited Paris.': '[Barack Obama]PER visited [Paris]LOC.'
 */
export function renderPretty(doc: Document, args: PrettyFormatArgs = {}): string {
  const text = textOf(doc);
  const color = args.color === true;
  let out = '';
  let at = 0;
  for (const sentence of doc.sentences) {
    predictedTags(sentence);
    for (const span of predictedSpans(sentence)) {
      const start = sentence.tokens[span.start].start!;
      const end = sentence.tokens[span.end - 1].end!;
      out += text.slice(at, start) + mark(text.slice(start, end), span.type, color);
      at = end;
    }
  }
  return out + text.slice(at);
}

/**
 * How each document of a batch is to be rendered, for taggers that render where they tag
 * (TaggerPool renders on its worker threads, so the main thread only writes strings).
 */
export type RenderSpec = { format: 'jsonl' } | { format: 'conll' } | { format: 'pretty'; color?: boolean };

/**
 * One tagged document rendered on its own: a `jsonl` line (with its `\n`), a `conll` block
 * that never starts with the blank line between documents (whoever joins blocks adds it: see
 * {@link renderConll}'s `afterSentence`), or the `pretty` text without a line ending.
 *
 * @example
 * renderDocument(doc, { format: 'jsonl' }); // renderJson(doc)
 * renderDocument(doc, { format: 'conll' }); // renderConll(doc)
 */
export function renderDocument(doc: Document, spec: RenderSpec): string {
  switch (spec.format) {
    case 'jsonl':
      return renderJson(doc);
    case 'conll':
      return renderConll(doc);
    case 'pretty':
      return renderPretty(doc, { color: spec.color === true });
    default:
      throw new Error(`unknown render format ${(spec as { format: string }).format}`);
  }
}

/** The text a document's offsets index into: the JSON and pretty formats need it. */
function textOf(doc: Document): string {
  if (doc.text === undefined) {
    throw new NerError('E_USAGE', 'this format needs a document made from text (tokenize(text)), with its text and offsets', {
      hint: 'render a document of words with renderConll',
    });
  }
  return doc.text;
}

function predictedTags(sentence: Sentence): string[] {
  if (!sentence.predicted) {
    throw new NerError('E_USAGE', 'the document has not been tagged: a sentence has no predicted tags', {
      hint: 'tag it first with tagger.tagDocuments([doc])',
    });
  }
  return sentence.predicted;
}

function mark(span: string, type: string, color: boolean): string {
  if (!color) return `[${span}]${type}`;
  const c = TYPE_COLORS[type] ?? OTHER_COLOR;
  return `\u001b[1;${c}m[${span}]\u001b[22m${type}${RESET}`;
}
