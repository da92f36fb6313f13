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
 * Written field by field rather than by JSON.stringify(result), so the output holds the
 * contract's fields in the contract's order and nothing else a tagger might attach, and
 * because this is the hot path of `ner tag` (strings still go through JSON.stringify).
 *
 * @example
 * resultToJson({ text: '', entities: [], sentences: [] });
 * // '{"text":"","entities":[],"sentences":[]}\n'
 */
export function resultToJson(result: TagResult): string {
  const parts: string[] = [`{"text":${JSON.stringify(result.text)},"entities":[`];
  result.entities.forEach((e, i) => {
    parts.push(
      `${i > 0 ? ',' : ''}{"text":${JSON.stringify(e.text)},"type":${JSON.stringify(e.type)},` +
      `"start":${num(e.start)},"end":${num(e.end)},"score":${num(e.score)}}`,
    );
  });
  parts.push('],"sentences":[');
  result.sentences.forEach((s, i) => {
    parts.push(`${i > 0 ? ',' : ''}{"start":${num(s.start)},"end":${num(s.end)},"tokens":[`);
    s.tokens.forEach((t, k) => {
      parts.push(
        `${k > 0 ? ',' : ''}{"text":${JSON.stringify(t.text)},"start":${num(t.start)},"end":${num(t.end)},` +
        `"tag":${JSON.stringify(t.tag)}}`,
      );
    });
    parts.push(']}');
  });
  parts.push(']}\n');
  return parts.join('');
}

/** A number as JSON writes it: NaN and infinities become null rather than invalid JSON. */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
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

function mark(span: string, entity: TaggedEntity, color: boolean): string {
  if (!color) return `[${span}]${entity.type}`;
  const c = TYPE_COLORS[entity.type] ?? OTHER_COLOR;
  return `\u001b[1;${c}m[${span}]\u001b[22m${entity.type}${RESET}`;
}
