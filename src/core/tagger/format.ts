import type { TagResult, TaggedEntity } from './types.js';

/**
 * The output formats of `ner tag` (see CONTRACT.md), as functions from tag results to text,
 * so the CLI and library users print exactly the same thing.
 *
 * @example
 * import { resultToPretty } from 'ner-window';
 * const result = await tagger.tag('Barack Obama visited Paris.');
 * resultToPretty(result); // '[Barack Obama]PER visited [Paris]LOC.'
 */

/** The names `--format` accepts. */
export const TAG_FORMATS = ['pretty', 'json', 'jsonl', 'conll'] as const;

export type TagFormat = (typeof TAG_FORMATS)[number];

/** Is `name` one of {@link TAG_FORMATS}? */
export function isTagFormat(name: string): name is TagFormat {
  return (TAG_FORMATS as readonly string[]).includes(name);
}

/**
 * One result as one line of JSON (with its `\n`): the `json` format, and one line of `jsonl`.
 * The result is copied field by field first, so the output holds the contract's fields in
 * the contract's order and nothing else a tagger might attach (this is also faster than
 * writing the JSON by hand: V8 serialises fresh objects of one shape on a fast path).
 *
 * @example
 * resultToJson({ text: '', entities: [], sentences: [] });
 * // '{"text":"","entities":[],"sentences":[]}\n'
 */
export function resultToJson(result: TagResult): string {
  return `${JSON.stringify({
    text: result.text,
    entities: result.entities.map((e) => ({ text: e.text, type: e.type, start: e.start, end: e.end, score: e.score })),
    sentences: result.sentences.map((s) => ({
      start: s.start,
      end: s.end,
      tokens: s.tokens.map((t) => ({ text: t.text, start: t.start, end: t.end, tag: t.tag })),
    })),
  })}\n`;
}

/**
 * Results as JSON lines: one line per result, in order (the `jsonl` format).
 *
 * @example
 * resultsToJsonl([a, b]); // resultToJson(a) + resultToJson(b)
 */
export function resultsToJsonl(results: readonly TagResult[]): string {
  let out = '';
  for (const result of results) out += resultToJson(result);
  return out;
}

/** Options of {@link resultToConll}. */
export interface ConllFormatArgs {
  /**
   * Start with a blank line when the result has any sentence: set it when earlier output
   * already ended a sentence, so that consecutive results stay one valid file. Default false.
   */
  afterSentence?: boolean;
}

/**
 * One `TOKEN TAG` line per token and a blank line between sentences (the `conll` format).
 * Whitespace inside a token (which tokenize never makes) is written as `_`, and an empty
 * token as `_`, so every line always has exactly two columns.
 *
 * @example
 * resultToConll(await tagger.tag('Obama left. He won.'));
 * // 'Obama B-PER\nleft O\n. O\n\nHe O\nwon O\n. O\n'
 */
export function resultToConll(result: TagResult, args: ConllFormatArgs = {}): string {
  const parts: string[] = [];
  let first = !args.afterSentence;
  for (const sentence of result.sentences) {
    if (sentence.tokens.length === 0) continue;
    if (!first) parts.push('\n');
    first = false;
    for (const token of sentence.tokens) parts.push(`${conllColumn(token.text)} ${conllColumn(token.tag)}\n`);
  }
  return parts.join('');
}

function conllColumn(value: string): string {
  if (value === '') return '_';
  return /\s/.test(value) ? value.replace(/\s/g, '_') : value;
}

/** Options of {@link resultToPretty}. */
export interface PrettyFormatArgs {
  /** Colour entities with ANSI escapes (for a terminal). Default false: plain brackets. */
  color?: boolean;
}

const RESET = '\u001b[0m';
const TYPE_COLORS: Record<string, string> = { PER: '36', LOC: '32', ORG: '33', MISC: '35' };
const OTHER_COLOR = '34';

/**
 * The text with every entity marked for a person to read: `[Barack Obama]PER`, or on a
 * terminal (`color: true`) the same in bold colour, one colour per type. Everything between
 * entities is the original text, unchanged. Entities are taken in order of `start`; one
 * that overlaps an earlier one or falls outside the text is left unmarked.
 *
 * @example
 * resultToPretty({
 *   text: 'Barack Obama visited Paris.',
 *   entities: [
 *     { text: 'Barack Obama', type: 'PER', start: 0, end: 12, score: 0.98 },
 *     { text: 'Paris', type: 'LOC', start: 21, end: 26, score: 0.95 },
 *   ],
 *   sentences: [],
 * });
 * // '[Barack Obama]PER visited [Paris]LOC.'
 */
export function resultToPretty(result: TagResult, args: PrettyFormatArgs = {}): string {
  const { text } = result;
  const entities = [...result.entities].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const entity of entities) {
    if (!Number.isInteger(entity.start) || !Number.isInteger(entity.end)) continue;
    if (entity.start < at || entity.end <= entity.start || entity.end > text.length) continue;
    out += text.slice(at, entity.start) + mark(text.slice(entity.start, entity.end), entity, args.color === true);
    at = entity.end;
  }
  return out + text.slice(at);
}

/**
 * How each result of a batch is to be rendered, for taggers that render where they tag
 * (TaggerPool renders on its worker threads, so the main thread only writes strings).
 */
export type RenderSpec = { format: 'jsonl' } | { format: 'conll' } | { format: 'pretty'; color?: boolean };

/**
 * One result rendered on its own: a `jsonl` line (with its `\n`), a `conll` block that
 * never starts with the blank line between results (whoever joins blocks adds it: see
 * {@link resultToConll}'s `afterSentence`), or the `pretty` text without a line ending.
 *
 * @example
 * renderResult(result, { format: 'jsonl' }); // resultToJson(result)
 * renderResult(result, { format: 'conll' }); // resultToConll(result)
 */
export function renderResult(result: TagResult, spec: RenderSpec): string {
  switch (spec.format) {
    case 'jsonl':
      return resultToJson(result);
    case 'conll':
      return resultToConll(result);
    case 'pretty':
      return resultToPretty(result, { color: spec.color === true });
    default:
      throw new Error(`unknown render format ${(spec as { format: string }).format}`);
  }
}

function mark(span: string, entity: TaggedEntity, color: boolean): string {
  if (!color) return `[${span}]${entity.type}`;
  const c = TYPE_COLORS[entity.type] ?? OTHER_COLOR;
  return `\u001b[1;${c}m[${span}]\u001b[22m${entity.type}${RESET}`;
}
