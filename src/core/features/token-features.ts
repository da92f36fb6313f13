import { NerError } from '../errors.js';
import { CASING_CLASSES, casingId } from './casing.js';
import type { DocumentContext } from './document-context.js';
import { FIRST_STAGE_KEYS, NO_FIRST_STAGE } from './document-predictions.js';
import { normalizeWord } from './normalize.js';
import { countKeys, Vocabulary } from './vocabulary.js';

/**
 * The per-token features a window is built from. Each is a key computed from the word,
 * looked up in its own vocabulary and embedded by its own learned table.
 * - `word`: the normalised word (lowercase, digits to 0); initialised from pretrained vectors.
 * - `casing`: the casing class (see casing.ts), since the word vectors are lowercased.
 * - `prefixN` / `suffixN`: the first / last N characters of the normalised word, which carry
 *   morphology for rare and unknown words (`-ville`, `-ese`, `-ski`).
 * - `shape`: the word's shape with runs collapsed (`Xx`, `X.X.`, `d-d`).
 * - `doccase`: how the word is written mid-sentence elsewhere in its document (see
 *   document-context.ts), e.g. `title` for a headline's `JAPAN` when the story has `Japan`.
 * - `docpred`: what a first pass of the model predicted for the word elsewhere in its
 *   document (see document-predictions.ts), e.g. `ORG` for a `Leeds` that was `Leeds United`
 *   before; `none` in the first pass. A model with it tags in two passes (WindowModel).
 */
export const FEATURE_NAMES = ['word', 'casing', 'prefix2', 'prefix3', 'suffix2', 'suffix3', 'suffix4', 'shape', 'doccase', 'docpred'] as const;

/** Distinct words whose feature ids FeatureSet.encode remembers (then it starts afresh): ~10 MB. */
const WORD_MEMO_LIMIT = 100_000;

/** Features whose keys come from the document, not the word alone. */
const DOCUMENT_FEATURES: readonly FeatureName[] = ['doccase', 'docpred'];
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** One feature of the model's input: its name and the size of its embedding. */
export interface FeatureSpec {
  name: FeatureName;
  dim: number;
}

/** Computes a feature's key from the raw word, its normalised form, its document and the first stage's key for the token. */
type KeyFn = (word: string, normalized: string, doc?: DocumentContext, firstStage?: string) => string;

const KEY_FUNCTIONS: Record<FeatureName, KeyFn> = {
  word: (_w, n) => n,
  casing: (w) => CASING_CLASSES[casingId(w)],
  prefix2: (_w, n) => n.slice(0, 2),
  prefix3: (_w, n) => n.slice(0, 3),
  suffix2: (_w, n) => n.slice(-2),
  suffix3: (_w, n) => n.slice(-3),
  suffix4: (_w, n) => n.slice(-4),
  shape: wordShape,
  doccase: (_w, n, doc) => (doc ? doc.casingElsewhere(n) : 'none'),
  docpred: (_w, _n, _doc, firstStage) => firstStage ?? NO_FIRST_STAGE,
};

/**
 * The shape of a word with runs collapsed: upper X, lower x, digit d, others kept.
 *
 * @example
 * wordShape('McDonald'); // 'XxXx'
 * wordShape('U.S.');     // 'X.X.'
 */
export function wordShape(word: string): string {
  let out = '';
  let last = '';
  for (const ch of word) {
    let c: string;
    if (ch >= '0' && ch <= '9') c = 'd';
    else if (ch.toLowerCase() !== ch.toUpperCase()) c = ch === ch.toUpperCase() ? 'X' : 'x';
    else c = ch;
    if (c !== last) out += c;
    last = c;
  }
  return out;
}

/** Options for building the vocabularies of a feature set from training sentences. */
export interface FeatureVocabularyArgs {
  /** Keys of the pretrained vectors (already normalised), most frequent first. Added to the word vocabulary. */
  pretrainedKeys?: Iterable<string>;
  /** A non-word key (affix, shape) needs this many training occurrences to get its own id. Default 2. */
  minCount?: number;
  /** Entity types of the training tags (`PER`, `LOC`, ...): the keys of `docpred` besides FIRST_STAGE_KEYS. */
  entityTypes?: readonly string[];
}

/**
 * A model's input features with their vocabularies: turns the words of a sentence into
 * feature ids, `ids[i * features + f]`.
 *
 * @example
 * const fs = FeatureSet.build([{ name: 'word', dim: 50 }, { name: 'casing', dim: 8 }], [['Paris', 'is', 'big']]);
 * fs.encode(['Paris']); // Int32Array [id of 'paris', id of 'title']
 */
export class FeatureSet {
  readonly specs: readonly FeatureSpec[];
  readonly vocabularies: readonly Vocabulary[];
  private readonly keyFns: KeyFn[];

  constructor(specs: readonly FeatureSpec[], vocabularies: readonly Vocabulary[]) {
    if (specs.length !== vocabularies.length) throw new Error('one vocabulary per feature');
    this.specs = specs;
    this.vocabularies = vocabularies;
    this.keyFns = specs.map((s) => KEY_FUNCTIONS[s.name]);
    specs.forEach((s, f) => {
      if (DOCUMENT_FEATURES.includes(s.name)) this.documentFeatures.push(f);
    });
  }

  /** Builds the vocabularies of `specs` from training sentences (arrays of words). */
  static build(specs: readonly FeatureSpec[], sentences: Iterable<readonly string[]>, args: FeatureVocabularyArgs = {}): FeatureSet {
    // Keys of document features do not depend on the training words: a fixed vocabulary.
    const fixed: Partial<Record<FeatureName, readonly string[]>> = {
      casing: CASING_CLASSES.slice(1),
      doccase: ['title', 'lower', 'both', 'upper', 'none'],
      docpred: [...(args.entityTypes ?? []), ...FIRST_STAGE_KEYS],
    };
    validateSpecs(specs);
    const minCount = args.minCount ?? 2;
    const keyLists: string[][] = specs.map(() => []);
    for (const words of sentences) {
      for (const w of words) {
        const n = normalizeWord(w);
        specs.forEach((s, f) => {
          if (!fixed[s.name]) keyLists[f].push(KEY_FUNCTIONS[s.name](w, n));
        });
      }
    }
    const vocabularies = specs.map((s, f) => {
      const keys = fixed[s.name];
      if (keys) return Vocabulary.from(keys);
      const counts = countKeys(keyLists[f]);
      if (s.name === 'word') {
        // Every training word gets a row (its vector is trained), then the pretrained words.
        const trainWords = [...counts.keys()];
        return Vocabulary.from(args.pretrainedKeys ? concat(trainWords, args.pretrainedKeys) : trainWords);
      }
      return Vocabulary.from([...counts].filter(([, c]) => c >= minCount).map(([k]) => k));
    });
    return new FeatureSet(specs, vocabularies);
  }

  get count(): number {
    return this.specs.length;
  }

  /** Width of one token's concatenated feature embeddings. */
  get tokenDim(): number {
    return this.specs.reduce((sum, s) => sum + s.dim, 0);
  }

  /** Whether some feature needs the sentence's document (see DocumentContext). */
  get usesDocuments(): boolean {
    return this.specs.some((s) => DOCUMENT_FEATURES.includes(s.name));
  }

  /** Whether the model tags in two passes: it has `docpred`, which reads the first pass's tags. */
  get usesFirstStage(): boolean {
    return this.specs.some((s) => s.name === 'docpred');
  }

  /**
   * Feature ids of each word: `ids[i * count + f]`. `doc` is the sentence's document, if known;
   * `firstStage[i]` word i's `docpred` key (documentPredictionKeys), if there was a first pass.
   */
  encode(words: readonly string[], doc?: DocumentContext, firstStage?: readonly string[]): Int32Array {
    const F = this.specs.length;
    const ids = new Int32Array(words.length * F);
    const memo = this.memo;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      let entry = memo.index.get(w);
      if (entry === undefined) entry = this.remember(w);
      ids.set(memo.ids.subarray(entry * F, (entry + 1) * F), i * F);
      for (const f of this.documentFeatures) ids[i * F + f] = this.vocabularies[f].id(this.keyFns[f](w, memo.normalized[entry], doc, firstStage?.[i]));
    }
    return ids;
  }

  /** Features that depend on the document, not on the word alone. */
  private readonly documentFeatures: number[] = [];

  /**
   * The ids of the word-only features of words seen before, and their normalised forms:
   * text repeats its words, and one map lookup is cheaper than normalising the word and
   * looking up each feature's key (most of encoding time otherwise). Emptied when full.
   */
  private readonly memo = { index: new Map<string, number>(), ids: new Int32Array(0), normalized: [] as string[] };

  private remember(word: string): number {
    const F = this.specs.length;
    const memo = this.memo;
    if (memo.index.size >= WORD_MEMO_LIMIT) {
      memo.index.clear();
      memo.normalized.length = 0;
    }
    const entry = memo.index.size;
    if (memo.ids.length < (entry + 1) * F) {
      const grown = new Int32Array(Math.max(1024, 2 * entry) * F);
      grown.set(memo.ids.subarray(0, entry * F));
      memo.ids = grown;
    }
    const n = normalizeWord(word);
    for (let f = 0; f < F; f++) {
      // Document features are filled per call; their slot stays 0 here.
      memo.ids[entry * F + f] = DOCUMENT_FEATURES.includes(this.specs[f].name) ? 0 : this.vocabularies[f].id(this.keyFns[f](word, n));
    }
    memo.normalized.push(n);
    memo.index.set(word, entry);
    return entry;
  }
}

function* concat<T>(a: Iterable<T>, b: Iterable<T>): Iterable<T> {
  yield* a;
  yield* b;
}

/** Checks feature specs, so that a typo in `--features` is a clear error. */
export function validateSpecs(specs: readonly FeatureSpec[]): void {
  if (specs.length === 0) throw new NerError('E_CONFIG', 'at least one feature is needed');
  const seen = new Set<string>();
  for (const s of specs) {
    if (!(FEATURE_NAMES as readonly string[]).includes(s.name)) {
      throw new NerError('E_CONFIG', `unknown feature "${s.name}"`, { hint: `choose from ${FEATURE_NAMES.join(', ')}` });
    }
    if (seen.has(s.name)) throw new NerError('E_CONFIG', `feature "${s.name}" is listed twice`);
    seen.add(s.name);
    if (!Number.isInteger(s.dim) || s.dim < 1) throw new NerError('E_CONFIG', `feature "${s.name}" needs a positive integer size, got ${s.dim}`);
  }
}
