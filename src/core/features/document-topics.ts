import { NerError } from '../errors.js';
import { describeValue } from '../util/describe-value.js';
import { Random } from '../util/random.js';

/** The `doctopic` key of a document with none of the topic words (and of text given without a document). */
export const NO_TOPIC = 'none';

/**
 * The entry of vocabularies.json that holds the topics of a model with the `doctopic` feature:
 * `{ "words": [...M], "idf": [...M], "centroids": [[...M], ...K] }`. `@` keeps it apart from
 * the feature names; models without the feature have no such entry and need none.
 */
export const TOPICS_ENTRY = '@doctopic';

/** How training clusters its documents (see DocumentTopics.train). */
export interface TopicTrainingArgs {
  /** Clusters K. */
  topics: number;
  /** Topic words M: the most frequent lowercased alphabetic training words after the stopwords. */
  vocabulary: number;
  /** The most frequent words dropped as stopwords (at most a tenth of the candidate words). */
  stopwords: number;
  /** Spherical k-means iterations after the k-means++ start (a fixed number, no early stop). */
  iterations: number;
  /** Clusterings from different k-means++ starts; the one of highest total similarity is kept (k-means alone may stop in a poor one). */
  restarts: number;
  /** Seeds the k-means++ starts. */
  seed: number;
}

/**
 * What training uses: 12 topics over 2000 words, 100 stopwords, 20 iterations, the best of
 * 5 starts, and a fixed
 * seed, not the training seed: the topics are a function of the training documents alone (as
 * the gazetteer is), so that the members of an ensemble, trained with seeds of their own,
 * share them.
 */
export const DEFAULT_TOPIC_ARGS: TopicTrainingArgs = { topics: 12, vocabulary: 2000, stopwords: 100, iterations: 20, restarts: 5, seed: 1 };

/** Values stored in vocabularies.json are rounded to this many significant digits before use, so a loaded model computes what training did. */
const STORED_DIGITS = 6;

/** A document as tf-idf weights of its topic words: word indices (ascending) and L2-normalised weights. */
interface SparseVector {
  index: Int32Array;
  value: Float64Array;
}

/** Whether a (lowercased) token is a candidate topic word: letters only, at least two. */
function isTopicWord(lower: string): boolean {
  return lower.length >= 2 && /^\p{L}+$/u.test(lower);
}

function stored(v: number): number {
  return Number(v.toPrecision(STORED_DIGITS));
}

/**
 * What kind of document a sentence is in: document topics learned without labels from the
 * training documents, for the `doctopic` feature. A five-token window cannot tell the club
 * `Leeds` from the city; a document of football results can. Each document is an
 * L2-normalised tf-idf vector (sublinear tf, smoothed idf) over the topic words; its topic is
 * the centroid with the largest dot product (the lowest index on a tie), `t0`..`tK-1`, or
 * NO_TOPIC when it holds none of the topic words.
 *
 * @example
 * const topics = DocumentTopics.train(documents, DEFAULT_TOPIC_ARGS);
 * topics.keyOf([['Leeds', '2', 'Chelsea', '1']]); // e.g. 't3'
 */
export class DocumentTopics {
  /** The topic words, lowercased. */
  readonly words: readonly string[];
  /** Each topic word's idf. */
  readonly idf: Float64Array;
  /** K unit-length centroids of M weights each, `centroids[k * M + j]`. */
  readonly centroids: Float64Array;
  private readonly index: Map<string, number>;

  private constructor(words: readonly string[], idf: Float64Array, centroids: Float64Array) {
    this.words = words;
    this.idf = idf;
    this.centroids = centroids;
    this.index = new Map(words.map((w, j) => [w, j]));
  }

  /** Clusters K. */
  get count(): number {
    return this.words.length === 0 ? 0 : this.centroids.length / this.words.length;
  }

  /** The feature's keys: `t0`..`tK-1`, then NO_TOPIC. */
  keys(): string[] {
    return [...Array.from({ length: this.count }, (_, k) => `t${k}`), NO_TOPIC];
  }

  /**
   * Learns the topics of training documents (each its sentences' words): the vocabulary, the
   * idf, then spherical k-means from `args.restarts` seeded k-means++ starts, `args.iterations`
   * rounds each, keeping the clustering of highest total similarity. K is
   * at most the number of distinct document vectors. Deterministic for given documents and args.
   */
  static train(documents: readonly (readonly (readonly string[])[])[], args: TopicTrainingArgs): DocumentTopics {
    const counts = new Map<string, number>();
    for (const doc of documents) {
      for (const words of doc) {
        for (const w of words) {
          const lower = w.toLowerCase();
          if (isTopicWord(lower)) counts.set(lower, (counts.get(lower) ?? 0) + 1);
        }
      }
    }
    // Most frequent first, ties in code-unit order: the same list on every run.
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([w]) => w);
    const drop = Math.min(args.stopwords, Math.floor(ranked.length / 10));
    const words = ranked.slice(drop, drop + args.vocabulary);
    if (words.length === 0) {
      throw new NerError('E_CONFIG', 'the doctopic feature found no topic words (alphabetic words of two letters or more) in the training documents', { hint: 'drop doctopic from the features' });
    }
    const index = new Map(words.map((w, j) => [w, j]));
    const M = words.length;
    const df = new Float64Array(M);
    const termCounts = documents.map((doc) => termCountsOf(doc, index));
    for (const tc of termCounts) for (const j of tc.keys()) df[j]++;
    const N = documents.length;
    const idf = Float64Array.from(df, (d) => stored(Math.log((N + 1) / (d + 1)) + 1));
    const vectors = termCounts.map((tc) => tfidf(tc, idf)).filter((v): v is SparseVector => v !== null);
    let centroids: Float64Array = new Float64Array(0);
    let best = -Infinity;
    for (let r = 0; r < Math.max(1, args.restarts); r++) {
      const c = kMeans(vectors, M, args, new Random((args.seed ^ 0x7091c3a5 ^ Math.imul(r, 0x9e3779b9)) >>> 0));
      const score = vectors.reduce((sum, v) => sum + dot(v, c, nearest(v, c, M) * M), 0);
      // A strictly better total: the earliest start wins ties.
      if (score > best + 1e-9) [centroids, best] = [c, score];
    }
    return new DocumentTopics(words, idf, centroids.map(stored));
  }

  /** Index of the topic of a document (its sentences' words), or -1 when it holds no topic word. */
  topicOf(sentences: readonly (readonly string[])[]): number {
    const v = tfidf(termCountsOf(sentences, this.index), this.idf);
    return v ? nearest(v, this.centroids, this.words.length) : -1;
  }

  /** The `doctopic` key of a document: `t{topicOf}` or NO_TOPIC. */
  keyOf(sentences: readonly (readonly string[])[]): string {
    const k = this.topicOf(sentences);
    return k < 0 ? NO_TOPIC : `t${k}`;
  }

  /** The `words` words of highest weight in centroid k (what the topic is about). */
  leadingWords(k: number, count: number): string[] {
    const M = this.words.length;
    const order = Array.from({ length: M }, (_, j) => j).sort((a, b) => this.centroids[k * M + b] - this.centroids[k * M + a] || a - b);
    return order.slice(0, count).filter((j) => this.centroids[k * M + j] > 0).map((j) => this.words[j]);
  }

  /** What vocabularies.json stores under TOPICS_ENTRY (read back by fromSaved). */
  toSaved(): { words: string[]; idf: number[]; centroids: number[][] } {
    const M = this.words.length;
    return {
      words: [...this.words],
      idf: [...this.idf],
      centroids: Array.from({ length: this.count }, (_, k) => [...this.centroids.subarray(k * M, (k + 1) * M)]),
    };
  }

  /**
   * Topics stored by toSaved (in a model's vocabularies.json), checked field by field: a
   * wrong one is an E_MODEL error naming `where` and the field (`@doctopic.centroids[2][7]`).
   */
  static fromSaved(value: unknown, where: string): DocumentTopics {
    const fail = (path: string, problem: string): never => {
      throw new NerError('E_MODEL', `${TOPICS_ENTRY}${path}: ${problem}`, { file: where, hint: 're-download or retrain the model' });
    };
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isObject(value)) fail('', `expected an object with words, idf and centroids, found ${describeValue(value)}`);
    const saved = value as Record<string, unknown>;
    const { words, idf, centroids } = saved;
    if (!Array.isArray(words) || words.length === 0) fail('.words', `expected a non-empty list of topic words, found ${describeValue(words)}`);
    const seen = new Set<string>();
    (words as unknown[]).forEach((w, j) => {
      if (typeof w !== 'string' || w === '') fail(`.words[${j}]`, `expected a word, found ${describeValue(w)}`);
      if (seen.has(w as string)) fail(`.words[${j}]`, `"${w as string}" is listed twice`);
      seen.add(w as string);
    });
    const M = (words as string[]).length;
    const numbers = (list: unknown, path: string, positive: boolean): number[] => {
      if (!Array.isArray(list) || list.length !== M) fail(path, `expected ${M} numbers (one per topic word), found ${Array.isArray(list) ? list.length : describeValue(list)}`);
      (list as unknown[]).forEach((x, j) => {
        if (typeof x !== 'number' || !Number.isFinite(x) || (positive && x <= 0)) fail(`${path}[${j}]`, `expected a ${positive ? 'positive' : 'finite'} number, found ${describeValue(x)}`);
      });
      return list as number[];
    };
    const idfValues = numbers(idf, '.idf', true);
    if (!Array.isArray(centroids) || centroids.length === 0) fail('.centroids', `expected a non-empty list of centroids, found ${describeValue(centroids)}`);
    const K = (centroids as unknown[]).length;
    const table = new Float64Array(K * M);
    (centroids as unknown[]).forEach((c, k) => {
      const row = numbers(c, `.centroids[${k}]`, false);
      let norm = 0;
      for (const x of row) norm += x * x;
      if (norm === 0) fail(`.centroids[${k}]`, 'is all zeros');
      table.set(row, k * M);
    });
    return new DocumentTopics(words as string[], Float64Array.from(idfValues), table);
  }
}

/** How often each topic word occurs in a document. */
function termCountsOf(sentences: readonly (readonly string[])[], index: ReadonlyMap<string, number>): Map<number, number> {
  const tc = new Map<number, number>();
  for (const words of sentences) {
    for (const w of words) {
      const j = index.get(w.toLowerCase());
      if (j !== undefined) tc.set(j, (tc.get(j) ?? 0) + 1);
    }
  }
  return tc;
}

/** The L2-normalised tf-idf vector (tf 1 + log count) of term counts, or null when empty. */
function tfidf(tc: Map<number, number>, idf: Float64Array): SparseVector | null {
  if (tc.size === 0) return null;
  const index = Int32Array.from(tc.keys()).sort();
  const value = Float64Array.from(index, (j) => (1 + Math.log(tc.get(j)!)) * idf[j]);
  let norm = 0;
  for (const x of value) norm += x * x;
  norm = Math.sqrt(norm);
  for (let i = 0; i < value.length; i++) value[i] /= norm;
  return { index, value };
}

function dot(v: SparseVector, centroids: Float64Array, at: number): number {
  let s = 0;
  for (let i = 0; i < v.index.length; i++) s += v.value[i] * centroids[at + v.index[i]];
  return s;
}

/** The centroid of largest dot product with v (the lowest index on a tie). */
function nearest(v: SparseVector, centroids: Float64Array, M: number): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let k = 0; k * M < centroids.length; k++) {
    const s = dot(v, centroids, k * M);
    if (s > bestScore) [best, bestScore] = [k, s];
  }
  return best;
}

/** Spherical k-means: a k-means++ start (drawn from rng), then `iterations` rounds of assign and renormalise. */
function kMeans(vectors: readonly SparseVector[], M: number, args: TopicTrainingArgs, rng: Random): Float64Array {
  const chosen: number[] = [rng.int(vectors.length)];
  // Cosine distance to the nearest chosen start, 1 - dot (>= 0).
  const distance = new Float64Array(vectors.length).fill(Infinity);
  const dense = new Float64Array(M);
  while (chosen.length < args.topics) {
    const last = vectors[chosen[chosen.length - 1]];
    dense.fill(0);
    for (let i = 0; i < last.index.length; i++) dense[last.index[i]] = last.value[i];
    let total = 0;
    vectors.forEach((v, d) => {
      distance[d] = Math.min(distance[d], Math.max(0, 1 - dot(v, dense, 0)));
      total += distance[d];
    });
    // No document is any farther from the starts: fewer distinct documents than topics.
    if (!(total > 1e-12)) break;
    let r = rng.next() * total;
    let pick = vectors.length - 1;
    for (let d = 0; d < vectors.length; d++) {
      r -= distance[d];
      if (r < 0) {
        pick = d;
        break;
      }
    }
    chosen.push(pick);
  }
  const K = chosen.length;
  const centroids = new Float64Array(K * M);
  chosen.forEach((d, k) => {
    const v = vectors[d];
    for (let i = 0; i < v.index.length; i++) centroids[k * M + v.index[i]] = v.value[i];
  });
  for (let round = 0; round < args.iterations; round++) {
    const sums = new Float64Array(K * M);
    const sizes = new Int32Array(K);
    for (const v of vectors) {
      const k = nearest(v, centroids, M);
      sizes[k]++;
      for (let i = 0; i < v.index.length; i++) sums[k * M + v.index[i]] += v.value[i];
    }
    for (let k = 0; k < K; k++) {
      // An empty cluster keeps its centroid.
      if (sizes[k] === 0) continue;
      let norm = 0;
      for (let j = 0; j < M; j++) norm += sums[k * M + j] ** 2;
      norm = Math.sqrt(norm);
      for (let j = 0; j < M; j++) centroids[k * M + j] = sums[k * M + j] / norm;
    }
  }
  return centroids;
}
