import { NerError } from '../errors.js';
import { CASING_CLASSES, casingId } from './casing.js';
import { CHAR_GRAM_COLUMNS, charGrams } from './char-grams.js';
import type { DocumentContext } from './document-context.js';
import { NO_TOPIC, type DocumentTopics } from './document-topics.js';
import type { Gazetteer } from './gazetteer.js';
import { FIRST_STAGE_KEYS, NO_FIRST_STAGE } from './document-predictions.js';
import { normalizeWord } from './normalize.js';
import { countKeys, PAD_ID, Vocabulary } from './vocabulary.js';

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
 * - `gazetteer`: the word's place in a name of the model's gazetteer that the sentence
 *   holds (`B-LOC`, `I-ORG`, `none`; see gazetteer.ts): needs the neighbouring words.
 * - `docpred`: what a first pass of the model predicted for the word elsewhere in its
 *   document (see document-predictions.ts), e.g. `ORG` for a `Leeds` that was `Leeds United`
 *   before; `none` in the first pass. A model with it tags in two passes (WindowModel).
 * - `doctopic`: the topic of the token's document (`t0`..`tK-1`, or `none` for a document
 *   without topic words), learned without labels from the training documents (see
 *   document-topics.ts): a football-results document tells its `Leeds` apart from the city.
 * - `chars`: the bag of the word's character 3-grams (see char-grams.ts), each with its own row;
 *   the token's vector is the mean of those rows. The one feature with several ids per token:
 *   CHAR_GRAM_COLUMNS of them, unused ones PAD_ID (see featureColumns).
 */
export const FEATURE_NAMES = ['word', 'casing', 'prefix2', 'prefix3', 'suffix2', 'suffix3', 'suffix4', 'shape', 'doccase', 'gazetteer', 'docpred', 'chars', 'doctopic'] as const;

/** Distinct words whose feature ids FeatureSet.encode remembers (then it starts afresh): ~10 MB. */
const WORD_MEMO_LIMIT = 100_000;

/** Features whose keys come from the document, not the word alone. */
const DOCUMENT_FEATURES: readonly FeatureName[] = ['doccase', 'docpred', 'doctopic'];
/** Features whose keys come from the sentence (FeatureSet.encode computes them). */
const SENTENCE_FEATURES: readonly FeatureName[] = ['gazetteer'];
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
  // Computed per sentence in FeatureSet.encode.
  gazetteer: () => 'none',
  docpred: (_w, _n, _doc, firstStage) => firstStage ?? NO_FIRST_STAGE,
  doctopic: (_w, _n, doc) => (doc ? doc.topic : NO_TOPIC),
  // Several keys per token: charGrams, in FeatureSet.build and remember.
  chars: (_w, n) => n,
};

/** Where each feature's ids sit among a token's id columns (see featureColumns). */
export interface FeatureColumns {
  /** First column of feature f. */
  offsets: number[];
  /** Columns of feature f: 1, or CHAR_GRAM_COLUMNS for `chars`. */
  widths: number[];
  /** Id columns per token. */
  total: number;
  /** Whether every feature has one column (no `chars`): what the device paths (webgpu training and inference) read. */
  oneIdPerFeature: boolean;
}

/**
 * The id columns of features `specs`, in order: one per feature, CHAR_GRAM_COLUMNS for `chars`
 * (its 3-grams' ids). Without `chars`, feature f is column f.
 */
export function featureColumns(specs: readonly FeatureSpec[]): FeatureColumns {
  const offsets: number[] = [];
  const widths: number[] = [];
  let total = 0;
  for (const s of specs) {
    const width = s.name === 'chars' ? CHAR_GRAM_COLUMNS : 1;
    offsets.push(total);
    widths.push(width);
    total += width;
  }
  return { offsets, widths, total, oneIdPerFeature: total === specs.length };
}

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
  /** The names the `gazetteer` feature looks for (required with that feature). */
  gazetteer?: Gazetteer;
  /** Entity types of the training tags (`PER`, `LOC`, ...): the keys of `docpred` besides FIRST_STAGE_KEYS. */
  entityTypes?: readonly string[];
  /** The document topics the `doctopic` feature assigns (required with that feature). */
  topics?: DocumentTopics;
}

/**
 * A model's input features with their vocabularies: turns the words of a sentence into
 * feature ids, `ids[i * columns + columnOf(f)]` (one column per feature but `chars`, see featureColumns).
 *
 * @example
 * const fs = FeatureSet.build([{ name: 'word', dim: 50 }, { name: 'casing', dim: 8 }], [['Paris', 'is', 'big']]);
 * fs.encode(['Paris']); // Int32Array [id of 'paris', id of 'title']
 */
export class FeatureSet {
  readonly specs: readonly FeatureSpec[];
  readonly vocabularies: readonly Vocabulary[];
  /** The names the `gazetteer` feature looks for; null without that feature. */
  readonly gazetteer: Gazetteer | null;
  /** The document topics of the `doctopic` feature; null without that feature. */
  readonly topics: DocumentTopics | null;
  /** Where each feature's ids sit among a token's id columns. */
  readonly layout: FeatureColumns;
  private readonly keyFns: KeyFn[];
  /** Index of the `gazetteer` feature, or -1. */
  private readonly gazetteerFeature: number;
  /** The feature id of each Gazetteer.matchCodes code. */
  private gazetteerIds = new Int32Array(0);

  constructor(specs: readonly FeatureSpec[], vocabularies: readonly Vocabulary[], gazetteer?: Gazetteer | null, topics?: DocumentTopics | null) {
    if (specs.length !== vocabularies.length) throw new Error('one vocabulary per feature');
    this.specs = specs;
    this.vocabularies = vocabularies;
    this.keyFns = specs.map((s) => KEY_FUNCTIONS[s.name]);
    this.layout = featureColumns(specs);
    this.gazetteerFeature = specs.findIndex((s) => s.name === 'gazetteer');
    if (this.gazetteerFeature >= 0 && !gazetteer) {
      throw new NerError('E_CONFIG', 'the gazetteer feature needs a gazetteer', { hint: 'give training a gazetteer (lists of names, or the training entities), or drop the feature' });
    }
    this.gazetteer = this.gazetteerFeature >= 0 ? gazetteer! : null;
    const usesTopics = specs.some((s) => s.name === 'doctopic');
    if (usesTopics && !topics) throw new NerError('E_CONFIG', 'the doctopic feature needs document topics');
    this.topics = usesTopics ? topics! : null;
    if (this.gazetteer) this.gazetteerIds = Int32Array.from(this.gazetteer.keys(), (k) => vocabularies[this.gazetteerFeature].id(k));
    specs.forEach((s, f) => {
      if (DOCUMENT_FEATURES.includes(s.name)) this.documentFeatures.push(f);
    });
  }

  /** The same features and vocabularies matching names of `gazetteer` instead (training folds, see gazetteer-training.ts). */
  withGazetteer(gazetteer: Gazetteer): FeatureSet {
    return new FeatureSet(this.specs, this.vocabularies, gazetteer, this.topics);
  }

  /** Builds the vocabularies of `specs` from training sentences (arrays of words). */
  static build(specs: readonly FeatureSpec[], sentences: Iterable<readonly string[]>, args: FeatureVocabularyArgs = {}): FeatureSet {
    // Keys of document features do not depend on the training words: a fixed vocabulary.
    const fixed: Partial<Record<FeatureName, readonly string[]>> = {
      casing: CASING_CLASSES.slice(1),
      doccase: ['title', 'lower', 'both', 'upper', 'none'],
      gazetteer: args.gazetteer?.keys() ?? [],
      docpred: [...(args.entityTypes ?? []), ...FIRST_STAGE_KEYS],
      doctopic: args.topics?.keys() ?? [NO_TOPIC],
    };
    validateSpecs(specs);
    const minCount = args.minCount ?? 2;
    const keyLists: string[][] = specs.map(() => []);
    for (const words of sentences) {
      for (const w of words) {
        const n = normalizeWord(w);
        specs.forEach((s, f) => {
          if (s.name === 'chars') keyLists[f].push(...charGrams(n));
          else if (!fixed[s.name]) keyLists[f].push(KEY_FUNCTIONS[s.name](w, n));
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
    return new FeatureSet(specs, vocabularies, args.gazetteer, args.topics);
  }

  /** Features (specs). */
  get count(): number {
    return this.specs.length;
  }

  /** Id columns per token (`count` unless there is `chars`). */
  get columns(): number {
    return this.layout.total;
  }

  /** The (first) id column of feature f. */
  columnOf(f: number): number {
    return this.layout.offsets[f];
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
   * Feature ids of each word: `ids[i * columns + columnOf(f)]`. `doc` is the sentence's document, if known;
   * `firstStage[i]` word i's `docpred` key (documentPredictionKeys), if there was a first pass.
   */
  encode(words: readonly string[], doc?: DocumentContext, firstStage?: readonly string[]): Int32Array {
    const F = this.layout.total;
    const at = this.layout.offsets;
    const ids = new Int32Array(words.length * F);
    const memo = this.memo;
    const g = this.gazetteerFeature;
    const normalized: string[] = g >= 0 ? new Array<string>(words.length) : [];
    const info: number[] = g >= 0 ? new Array<number>(words.length) : [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      let entry = memo.index.get(w);
      if (entry === undefined) entry = this.remember(w);
      // A plain loop, not ids.set(memo.ids.subarray(..)): a view per token made encoding 1.6x
      // slower (CoNLL train's 203k tokens, 15 interleaved runs: median 410 against 253 ms).
      const from = entry * F;
      const to = i * F;
      for (let f = 0; f < F; f++) ids[to + f] = memo.ids[from + f];
      for (const f of this.documentFeatures) ids[to + at[f]] = this.vocabularies[f].id(this.keyFns[f](w, memo.normalized[entry], doc, firstStage?.[i]));
      if (g >= 0) {
        normalized[i] = memo.normalized[entry];
        info[i] = memo.gazetteer[entry];
      }
    }
    if (g >= 0) {
      const codes = this.gazetteer!.matchCodes(words, normalized, info);
      const toId = this.gazetteerIds;
      const column = at[g];
      for (let i = 0; i < words.length; i++) ids[i * F + column] = toId[codes[i]];
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
  private readonly memo = { index: new Map<string, number>(), ids: new Int32Array(0), normalized: [] as string[], gazetteer: [] as number[] };

  private remember(word: string): number {
    const F = this.layout.total;
    const memo = this.memo;
    if (memo.index.size >= WORD_MEMO_LIMIT) {
      memo.index.clear();
      memo.normalized.length = 0;
      memo.gazetteer.length = 0;
    }
    const entry = memo.index.size;
    if (memo.ids.length < (entry + 1) * F) {
      const grown = new Int32Array(Math.max(1024, 2 * entry) * F);
      grown.set(memo.ids.subarray(0, entry * F));
      memo.ids = grown;
    }
    const n = normalizeWord(word);
    for (let f = 0; f < this.specs.length; f++) {
      const column = entry * F + this.layout.offsets[f];
      const name = this.specs[f].name;
      if (name === 'chars') {
        // Its 3-grams' ids, then PAD_ID in the columns left over.
        const grams = charGrams(n);
        const vocab = this.vocabularies[f];
        for (let k = 0; k < this.layout.widths[f]; k++) memo.ids[column + k] = k < grams.length ? vocab.id(grams[k]) : PAD_ID;
        continue;
      }
      // Document and sentence features are filled per call; their slot stays 0 here.
      const perCall = DOCUMENT_FEATURES.includes(name) || SENTENCE_FEATURES.includes(name);
      memo.ids[column] = perCall ? 0 : this.vocabularies[f].id(this.keyFns[f](word, n));
    }
    memo.normalized.push(n);
    // What the gazetteer knows from the word alone (Gazetteer.wordInfo): most words need no lookup per sentence.
    memo.gazetteer.push(this.gazetteer ? this.gazetteer.wordInfo(word, n) : 0);
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
