import { NerError } from '../errors.js';
import { normalizeWord } from './normalize.js';

/** The key of a token that no gazetteer entry covers. */
export const NO_MATCH = 'none';
/** The type of an entry that its sources list under different types (`Georgia`: LOC and PER). */
export const MULTI_TYPE = 'MULTI';
/** Entries longer than this many tokens are dropped: names are short, and it bounds a lookup. */
export const MAX_ENTRY_TOKENS = 8;

/** Entries by type, each entry its tokens joined by single spaces (`{ LOC: ['New York'] }`). */
export type GazetteerLists = Record<string, readonly string[]>;

interface Entry {
  /** The entry as first listed, for saving. */
  text: string;
  type: string;
  /** Index of `type` in Gazetteer.types (set once the types are known). */
  typeIndex: number;
  /** Bit k set: token k of the entry is capitalised in its list, so a lowercase word does not match it. */
  capitalised: number;
}

/**
 * Lists of names by entity type, matched against sentences: the classic gazetteer feature of
 * NER. A token gets the key of the longest entry starting at the leftmost unmatched token that
 * covers it (`B-LOC` for its first token, `I-LOC` for the others), or `none`. Matching ignores
 * case and digits (as normalizeWord), except that a word written all in lowercase does not
 * match an entry token written capitalised: `may` is not the name `May`, but the `of` of
 * `Bank of England` is matched as listed, and a headline's `JAPAN` matches `Japan`.
 *
 * @example
 * const g = Gazetteer.from({ LOC: ['New York'], PER: ['John'] });
 * g.match(['John', 'left', 'New', 'York']); // ['B-PER', 'none', 'B-LOC', 'I-LOC']
 */
export class Gazetteer {
  /** Entry types, sorted (MULTI among them where some entry has several). */
  readonly types: readonly string[];
  private readonly entries: Map<string, Entry>;
  /** Every proper prefix of an entry (normalised tokens joined by spaces): where a lookup may go on. */
  private readonly prefixes: Set<string>;
  private constructor(entries: Map<string, Entry>) {
    this.entries = entries;
    this.prefixes = new Set();
    const types = new Set<string>();
    for (const [key, entry] of entries) {
      types.add(entry.type);
      for (let at = key.indexOf(' '); at >= 0; at = key.indexOf(' ', at + 1)) this.prefixes.add(key.slice(0, at));
    }
    this.types = [...types].sort();
    for (const entry of entries.values()) entry.typeIndex = this.types.indexOf(entry.type);
  }

  /**
   * Compiles lists of entries by type. An entry listed under several types gets MULTI, unless
   * `overrides` lists it: the types of `overrides` (e.g. the training data's own entities) win
   * over those of `lists`.
   */
  static from(lists: GazetteerLists, overrides: GazetteerLists = {}): Gazetteer {
    const entries = new Map<string, Entry>();
    // Loading a model compiles its gazetteer: one pass over each entry's characters, no arrays.
    const add = (type: string, listedText: string, override: boolean) => {
      const text = singleSpaced(listedText);
      if (text === '') return;
      let capitalised = isCapitalised(text[0]) ? 1 : 0;
      let tokens = 1;
      for (let at = text.indexOf(' '); at >= 0; at = text.indexOf(' ', at + 1)) {
        if (isCapitalised(text[at + 1])) capitalised |= 1 << tokens;
        tokens++;
      }
      if (tokens > MAX_ENTRY_TOKENS) return;
      // normalizeWord keeps spaces: the key is the normalised tokens joined by spaces.
      const key = normalizeWord(text);
      const old = entries.get(key);
      if (!old) {
        entries.set(key, { text, type, typeIndex: -1, capitalised });
        return;
      }
      // Two spellings of one entry: a lowercase word matches if either spelling allows it.
      old.capitalised &= capitalised;
      if (override) old.type = type;
      else if (old.type !== type) old.type = MULTI_TYPE;
    };
    for (const [type, list] of Object.entries(lists)) {
      checkType(type);
      for (const text of list) add(type, text, false);
    }
    const overridden = new Set<string>();
    for (const [type, list] of Object.entries(overrides)) {
      checkType(type);
      for (const text of list) {
        const key = normalizeWord(singleSpaced(text));
        // Within the overrides themselves, conflicting types are still MULTI.
        const seen = overridden.has(key) && entries.get(key)?.type !== type;
        add(type, text, true);
        if (seen) entries.get(key)!.type = MULTI_TYPE;
        overridden.add(key);
      }
    }
    return new Gazetteer(entries);
  }

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  /** Every key `match` can give: `none`, then `B-T` and `I-T` per type (the feature's vocabulary). */
  keys(): string[] {
    return [NO_MATCH, ...this.types.flatMap((t) => [`B-${t}`, `I-${t}`])];
  }

  /** The type of the entry `tokens` (joined by spaces) is listed as, or undefined. */
  typeOf(text: string): string | undefined {
    return this.entries.get(text.split(' ').map(normalizeWord).join(' '))?.type;
  }

  /** The key of each word (see the class). `normalized[i]`: normalizeWord(words[i]), when the caller has it. */
  match(words: readonly string[], normalized: readonly string[] = words.map(normalizeWord)): string[] {
    const keys = this.keys();
    return Array.from(this.matchCodes(words, normalized), (code) => keys[code]);
  }

  /**
   * The keys of `match` as their indices in `keys()` (0: none, 1 + 2t: B- of type t, 2 + 2t:
   * I-): what the feature encoder maps to ids without a string per token.
   */
  matchCodes(words: readonly string[], normalized: readonly string[], info?: ArrayLike<number>, out: Int32Array = new Int32Array(words.length)): Int32Array {
    out.fill(0, 0, words.length);
    for (let i = 0; i < words.length; ) {
      // Most words start no entry of several tokens: their wordInfo says all there is.
      const known = info ? info[i] : -1;
      if (known >= 0 && (known & 1) === 0) {
        if (known > 0) out[i] = 1 + 2 * ((known >> 1) - 1);
        i++;
        continue;
      }
      let key = '';
      let best: Entry | null = null;
      let bestLength = 0;
      for (let n = 1; n <= MAX_ENTRY_TOKENS && i + n <= words.length; n++) {
        key = n === 1 ? normalized[i] : `${key} ${normalized[i + n - 1]}`;
        const entry = this.entries.get(key);
        if (entry && casingAllows(entry, words, i, n)) {
          best = entry;
          bestLength = n;
        }
        if (!this.prefixes.has(key)) break;
      }
      if (!best) {
        i++;
        continue;
      }
      out[i] = 1 + 2 * best.typeIndex;
      for (let k = 1; k < bestLength; k++) out[i + k] = 2 + 2 * best.typeIndex;
      i += bestLength;
    }
    return out;
  }

  /**
   * What the word alone says for matchCodes, for a caller to remember per word: bit 0 set when
   * it begins some entry of several tokens, the bits above it 1 + the type index of the
   * single-token entry it matches (0: none).
   */
  wordInfo(word: string, normalized: string): number {
    const entry = this.entries.get(normalized);
    const single = entry && casingAllows(entry, [word], 0, 1) ? entry.typeIndex + 1 : 0;
    return (single << 1) | (this.prefixes.has(normalized) ? 1 : 0);
  }

  /** The entries by type as `from` takes them: what a model folder stores. */
  toLists(): Record<string, string[]> {
    const lists: Record<string, string[]> = {};
    for (const entry of this.entries.values()) (lists[entry.type] ??= []).push(entry.text);
    return lists;
  }

  /**
   * A gazetteer stored by toLists (in a model's vocabularies.json), checked: `where` names it
   * in the error.
   */
  static fromSaved(value: unknown, where: string): Gazetteer {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new NerError('E_MODEL', `the gazetteer is not an object of entry lists by type`, { file: where });
    }
    for (const [type, list] of Object.entries(value)) {
      if (!Array.isArray(list) || list.some((e) => typeof e !== 'string')) {
        throw new NerError('E_MODEL', `gazetteer type ${type}: expected a list of strings`, { file: where });
      }
    }
    // MULTI is stored as a type of its own; from() keeps it.
    return Gazetteer.from(value as GazetteerLists);
  }
}

/** Whether a word is written with an uppercase first letter. */
function isCapitalised(word: string): boolean {
  const first = word[0];
  return first !== first.toLowerCase();
}

/** The text with its tokens joined by single spaces (as lists and models hold them already). */
function singleSpaced(text: string): string {
  const clean = !text.includes('  ') && text.trim() === text && !/[\t\n\r]/.test(text);
  return clean ? text : text.split(/\s+/).filter((t) => t.length > 0).join(' ');
}

/** Whether a word has letters and all are lowercase. */
function isLowercase(word: string): boolean {
  return word === word.toLowerCase() && word !== word.toUpperCase();
}

function casingAllows(entry: Entry, words: readonly string[], from: number, n: number): boolean {
  if (entry.capitalised === 0) return true;
  for (let k = 0; k < n; k++) if (entry.capitalised & (1 << k) && isLowercase(words[from + k])) return false;
  return true;
}

function checkType(type: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(type)) {
    throw new NerError('E_FORMAT', `gazetteer type "${type}" is not a name (letters, digits, _)`, { hint: 'use the entity types of the corpus, e.g. LOC, PER' });
  }
  return type;
}

/**
 * Parses a gazetteer list file: one entry a line, `TYPE<TAB>entry tokens`; empty lines and
 * lines starting with `#` are skipped. `file` names the file in errors.
 *
 * @example
 * parseGazetteerText('LOC\tNew York\nPER\tJohn\n', 'names.tsv'); // { LOC: ['New York'], PER: ['John'] }
 */
export function parseGazetteerText(text: string, file: string): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  const lines = text.split(/\r?\n/);
  let entries = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const tab = line.indexOf('\t');
    const where = { file, line: i + 1, hint: 'write one entry a line: TYPE, a tab, then the entry (e.g. "LOC\tNew York")' };
    if (tab < 1) throw new NerError('E_FORMAT', `expected TYPE<tab>entry, found ${JSON.stringify(line.slice(0, 60))}`, where);
    const type = line.slice(0, tab).trim();
    const entry = line.slice(tab + 1).trim().split(/\s+/).join(' ');
    if (entry === '') throw new NerError('E_FORMAT', `the entry after type ${type} is empty`, where);
    try {
      checkType(type);
    } catch (err) {
      throw new NerError('E_FORMAT', (err as Error).message.replace(/ \(.*\)$/, ''), where);
    }
    (lists[type] ??= []).push(entry);
    entries++;
  });
  if (entries === 0) throw new NerError('E_FORMAT', 'the gazetteer file has no entries', { file, hint: 'write one entry a line: TYPE, a tab, then the entry' });
  return lists;
}
