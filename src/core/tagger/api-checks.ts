/**
 * Checks of what callers pass to the tagging API (Tagger, TaggerPool), made before any work:
 * a wrong argument is a NerError naming the method, the argument, what was expected and what
 * was given, instead of a TypeError from deep inside ("texts.map is not a function").
 * Wrong arguments are E_USAGE; wrong option values E_CONFIG; a text over the size limit
 * E_FORMAT, as the CLI reports it.
 *
 * @example
 * checkTexts('Tagger.tagBatch', [123]);
 * // NerError E_USAGE: Tagger.tagBatch(texts): expected an array of strings; texts[0] is a number
 */
import type { Document } from '../document/document.js';
import { NerError } from '../errors.js';
import { exceedsTextLimit, MAX_TEXT_SIZE } from './limits.js';

/** What to do with a text over the limit. */
const TOO_LARGE_HINT = 'split it into smaller texts, by paragraph or line, and give them to tagBatch; '
  + 'or stream it line by line with ner tag --input FILE --format jsonl';

/** `a number`, `a string`, `an array`, `null`...: what a value is, for messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

/** The value itself where it is short to show (`"bogus"`, `-5`, `NaN`), else its kind. */
function shown(value: unknown, expected: 'string' | 'number'): string {
  if (typeof value === expected) return typeof value === 'string' ? quoted(value) : String(value);
  if (typeof value === 'string') return `a string (${quoted(value)})`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${kindOf(value)} (${String(value)})`;
  return kindOf(value);
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

/** `method(text)`: a string within the size limit. */
export function checkText(method: string, text: unknown): asserts text is string {
  if (typeof text !== 'string') throw new NerError('E_USAGE', `${method}(text): expected a string; got ${kindOf(text)}`);
  if (exceedsTextLimit(text)) {
    throw new NerError('E_FORMAT', `${method}(text): the text is larger than ${MAX_TEXT_SIZE} of UTF-8, the most one call takes`, {
      hint: TOO_LARGE_HINT,
    });
  }
}

/** `method(texts)`: an array of strings, each within the size limit. */
export function checkTexts(method: string, texts: unknown): asserts texts is readonly string[] {
  const expected = `${method}(texts): expected an array of strings`;
  if (!Array.isArray(texts)) throw new NerError('E_USAGE', `${expected}; got ${kindOf(texts)}`);
  for (let i = 0; i < texts.length; i++) {
    const text: unknown = texts[i];
    if (typeof text !== 'string') throw new NerError('E_USAGE', `${expected}; texts[${i}] is ${kindOf(text)}`);
    if (exceedsTextLimit(text)) {
      throw new NerError('E_FORMAT', `${method}(texts): texts[${i}] is larger than ${MAX_TEXT_SIZE} of UTF-8, the most one text may be`, {
        hint: TOO_LARGE_HINT,
      });
    }
  }
}

/** `method(sentences)`: an array of sentences, each an array of words (strings). */
export function checkSentences(method: string, sentences: unknown): asserts sentences is readonly (readonly string[])[] {
  const expected = `${method}(sentences): expected an array of sentences, each an array of words (strings)`;
  if (!Array.isArray(sentences)) throw new NerError('E_USAGE', `${expected}; got ${kindOf(sentences)}`);
  for (let i = 0; i < sentences.length; i++) {
    const words: unknown = sentences[i];
    if (!Array.isArray(words)) throw new NerError('E_USAGE', `${expected}; sentences[${i}] is ${kindOf(words)}`);
    for (let j = 0; j < words.length; j++) {
      if (typeof words[j] !== 'string') throw new NerError('E_USAGE', `${expected}; sentences[${i}][${j}] is ${kindOf(words[j])}`);
    }
  }
}

/**
 * `method(sentences, options)`: `options.documents` is nothing, or one document number per
 * sentence.
 */
export function checkDocumentNumbers(method: string, documents: unknown, sentenceCount: number): asserts documents is readonly number[] | undefined {
  if (documents === undefined) return;
  const expected = `${method}(sentences, options): options.documents must give one document number per sentence`;
  if (!Array.isArray(documents)) throw new NerError('E_USAGE', `${expected}, or be left out for one document; got ${kindOf(documents)}`);
  if (documents.length !== sentenceCount) {
    throw new NerError('E_USAGE', `${expected}; got ${documents.length} document numbers for ${sentenceCount} sentences`);
  }
  for (let i = 0; i < documents.length; i++) {
    const id: unknown = documents[i];
    if (typeof id !== 'number' || !Number.isFinite(id)) throw new NerError('E_USAGE', `${expected}; options.documents[${i}] is ${shown(id, 'number')}`);
  }
}

/** `method(documents)`: an array of Documents, each `{ sentences: [{ tokens: [{ text }] }] }`. */
export function checkDocuments(method: string, documents: unknown): asserts documents is readonly Document[] {
  const expected = `${method}(documents): expected an array of documents, each { sentences: [{ tokens: [{ text }] }] }`;
  if (!Array.isArray(documents)) throw new NerError('E_USAGE', `${expected}; got ${kindOf(documents)}`);
  for (let d = 0; d < documents.length; d++) {
    const sentences: unknown = (documents[d] as Partial<Document> | null)?.sentences;
    if (!Array.isArray(sentences)) throw new NerError('E_USAGE', `${expected}; documents[${d}].sentences is ${kindOf(sentences)}`);
    for (let s = 0; s < sentences.length; s++) {
      const tokens: unknown = (sentences[s] as { tokens?: unknown } | null)?.tokens;
      const at = `documents[${d}].sentences[${s}]`;
      if (!Array.isArray(tokens)) throw new NerError('E_USAGE', `${expected}; ${at}.tokens is ${kindOf(tokens)}`);
      for (let t = 0; t < tokens.length; t++) {
        const text: unknown = (tokens[t] as { text?: unknown } | null)?.text;
        if (typeof text !== 'string') throw new NerError('E_USAGE', `${expected}; ${at}.tokens[${t}].text is ${kindOf(text)}`);
      }
    }
  }
}

/** Formats a renderer can render on its own (json is the whole input in one object). */
const RENDER_FORMATS = ['jsonl', 'conll', 'pretty'] as const;

/** `method(texts, spec)`: a RenderSpec. */
export function checkRenderSpec(method: string, spec: unknown): void {
  const format = typeof spec === 'object' && spec !== null ? (spec as { format?: unknown }).format : undefined;
  if (typeof spec !== 'object' || spec === null) {
    throw new NerError('E_USAGE', `${method}(texts, spec): expected a spec like { format: "jsonl" }; got ${kindOf(spec)}`);
  }
  if (!(RENDER_FORMATS as readonly unknown[]).includes(format)) {
    throw new NerError('E_USAGE', `${method}(texts, spec): spec.format must be one of ${RENDER_FORMATS.join(', ')}; got ${shown(format, 'string')}`);
  }
}

/**
 * How one option is checked: undefined passes (the default applies). `checkedApart`: a known
 * option whose value the caller checks itself.
 */
export type OptionRule = { oneOf: readonly string[] } | { number: 'non-negative' | 'fraction' } | { string: string } | { function: string } | { checkedApart: true };

/**
 * `method(..., options)`: an object (or nothing) whose every key has a rule, each value
 * passing its rule. E_CONFIG names the option, its valid values and what was given.
 */
export function checkOptions(method: string, options: unknown, rules: Record<string, OptionRule>): void {
  if (options === undefined) return;
  const names = Object.keys(rules);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new NerError('E_CONFIG', `${method}: options must be an object with any of ${names.join(', ')}; got ${kindOf(options)}`);
  }
  for (const [name, value] of Object.entries(options)) {
    const rule = rules[name];
    if (!rule) throw new NerError('E_CONFIG', `${method}: unknown option "${name}" (the options are ${names.join(', ')})`);
    if (value === undefined) continue;
    if ('oneOf' in rule) {
      if (!rule.oneOf.includes(value)) {
        throw new NerError('E_CONFIG', `${method}: options.${name} must be one of ${rule.oneOf.join(', ')}; got ${shown(value, 'string')}`);
      }
    } else if ('number' in rule) {
      const max = rule.number === 'fraction' ? 1 : Infinity;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
        const wanted = max === 1 ? 'a number in 0..1' : 'a finite number >= 0';
        throw new NerError('E_CONFIG', `${method}: options.${name} must be ${wanted}; got ${shown(value, 'number')}`);
      }
    } else if ('function' in rule && typeof value !== 'function') {
      throw new NerError('E_CONFIG', `${method}: options.${name} must be ${rule.function}; got ${kindOf(value)}`);
    } else if ('string' in rule && typeof value !== 'string') {
      throw new NerError('E_CONFIG', `${method}: options.${name} must be ${rule.string}; got ${shown(value, 'string')}`);
    }
  }
}
