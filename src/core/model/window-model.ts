import { decode, type DecoderName } from '../decode/decoders.js';
import { mixDocumentConsistency } from '../decode/document-consistency.js';
import { TagChain } from '../decode/path-posterior.js';
import { tagsToSpans } from '../tags/spans.js';
import type { TransitionScores } from '../decode/transition-scores.js';
import { NerError } from '../errors.js';
import type { ModelScheme } from '../decode/transitions.js';
import type { FeatureSet, FeatureSpec } from '../features/token-features.js';
import type { Document } from '../document/document.js';
import { encodeDocuments, windowIds, type EncodedTokens } from '../features/windows.js';
import type { ActivationName } from './activations.js';
import type { EmbeddingTables } from './embedding-tables.js';
import { deviceTagProbabilities, DeviceWeights, onAsyncDevice } from './device-inference.js';
import { DEFAULT_PROJECTION_BUDGET, FirstLayerProjections, type FirstLayerProjectionArgs } from './first-layer-projections.js';
import type { WindowNetwork } from './network.js';
import { tf } from './tf.js';
import { uniqueTokens, type UniqueTokens } from './unique-tokens.js';
import { secondPassTokens, withFirstStage } from './second-pass.js';

/** What defines a window model's layout (window, features, layers, tags); saved with it. */
export interface ModelConfig {
  /** Neighbours on each side: a window holds `2 * window + 1` tokens. */
  window: number;
  features: FeatureSpec[];
  hidden: number[];
  activation: ActivationName;
  /** The tag set the output layer predicts, in output order. */
  tags: string[];
  scheme: ModelScheme;
  decoder: DecoderName;
  /** Transition scores the Viterbi decoder adds (estimated on the training data); absent: none. */
  transitions?: TransitionScores;
  /**
   * Added to the log probability of every tag but `O` when decoding (greedy and Viterbi), chosen
   * on dev by training (ENTITY_BIASES): > 0 finds more entities, for data where the network
   * says O too often. Absent (models before it): 0, the network's probabilities as they are.
   */
  entityBias?: number;
  /** Networks averaged by an ensemble (see WindowModel.ensemble); absent: 1. */
  members?: number;
  /** How dense weights and all tables but the word table are stored; absent: float32. */
  precision?: 'float16';
  /**
   * The temperature of the decoder's sequence model (decode/path-posterior.ts), fitted on dev
   * so that tag and entity scores are calibrated probabilities; absent: 1 (uncalibrated).
   * Dividing every path's score by it leaves the decoded tags as they are.
   */
  temperature?: number;
  /**
   * How strongly each repeated capitalised word's type distribution is pooled with its other
   * occurrences' in the document before decoding (decode/document-consistency.ts), 0..1, chosen on dev by
   * training (CONSISTENCY_WEIGHTS); absent (models before it): 0, each occurrence on its own.
   */
  consistency?: number;
}

/**
 * Tokens per forward pass at inference: big enough for products and repeats, small enough for
 * memory. The projection path's memory grows with a pass's rows missing from the cache and
 * never shrinks (issue 17, CoNLL train as lines, in-process, peak RSS: 32k tokens 320 MB, of
 * which projections 105 MB and the backend's heap 42 MB; 8k tokens 289 MB, 83 and 16 MB), for
 * 3.6% more rows projected and no loss of speed (5 interleaved runs, median 7.87 s against 8.45 s).
 */
const INFERENCE_BATCH = 8192;
/**
 * Bytes of an ensemble member's round of rows not cached (FirstLayerProjectionArgs.overflowBytes):
 * a member's cache is its share of the budget, so most of a round's rows miss it, and a round
 * stopped early projects the rows it shares with the next again (issue 17, the bundled
 * ensemble on CoNLL train as lines: 4 MiB 777k rows projected, 11.2-11.6 s CPU; 16 MiB 599k,
 * 9.3-10.6 s; unbounded 521k; before rounds could stop, 604k, 8.1-9.5 s).
 */
const ENSEMBLE_OVERFLOW_BYTES = 16 << 20;
/** Tokens per chunk of an ensemble member's pass (see memberTagProbabilities). */
const ENSEMBLE_CHUNK = 8192;
/**
 * Windows per pass of the projection path (useFirstLayerProjections): rows missing from the
 * cache are projected once per INFERENCE_BATCH tokens, then windows go through in smaller
 * passes whose distinct-token rows and pre-activations stay in the processor's caches. Each
 * thread's kernel memory holds a pass's distinct-token rows (issue 17, CoNLL train as lines:
 * 4096 windows up to 1,552 rows, 9.3 MB; 1024 windows 549 rows, 3.3 MB, at the same CPU time).
 */
const PROJECTED_BATCH = 1024;

/** Options of WindowModel.useFirstLayerProjections. */
export interface ModelProjectionArgs {
  /** Bytes of each member's cache (default: `modelBudgetBytes` shared out between the members). */
  budgetBytes?: number;
  /** Bytes of all the members' caches together, shared out equally when `budgetBytes` is not given. Default DEFAULT_PROJECTION_BUDGET. */
  modelBudgetBytes?: number;
  /**
   * One memory per member to keep its cache in (see FirstLayerProjectionArgs.memory): shared
   * memories given to the same model in several threads make one cache for all of them.
   */
  memories?: readonly WebAssembly.Memory[];
  /** Bytes of a round's rows not cached (FirstLayerProjectionArgs.overflowBytes); default 4 MiB, 16 MiB for an ensemble's members. */
  overflowBytes?: number;
}

/** The projections of a model with fixed parameters, built on first use and shared by its variants. */
interface ProjectionHolder {
  args: FirstLayerProjectionArgs;
  /** undefined: not built yet; null: the kernels cannot run here. */
  projections?: FirstLayerProjections | null;
  /** The parameters on the device, for inference on webgpu (built on first use). @internal */
  device?: DeviceWeights;
}

/**
 * The trained window classifier: features -> embedding tables -> network -> decoder.
 *
 * @example
 * const [p] = model.predict([['Angela', 'Merkel', 'visited', 'Paris']]);
 * p.tags; // ['B-PER', 'I-PER', 'O', 'B-LOC']
 */
export class WindowModel {
  constructor(
    readonly config: ModelConfig,
    readonly featureSet: FeatureSet,
    readonly tables: EmbeddingTables,
    readonly network: WindowNetwork,
    private projection?: ProjectionHolder,
    /** An ensemble's members after this first one (same features and vocabularies); empty for one model. */
    private readonly laterMembers: readonly WindowModel[] = [],
  ) {}

  /**
   * An ensemble: one model whose tag probabilities are the mean of the members'. Members must
   * be trained on the same data with the same features and shape (e.g. seeds of one recipe),
   * so that they share vocabularies; the first member's decoder and transition scores are
   * used. Each member costs its own network pass when tagging.
   *
   * @example
   * const ensemble = WindowModel.ensemble([seed1, seed2, seed3]);
   */
  static ensemble(members: readonly WindowModel[]): WindowModel {
    if (members.length === 0) throw new NerError('E_CONFIG', 'an ensemble needs at least one model');
    const [first, ...rest] = members.flatMap((m) => [m.withMembers([]), ...m.laterMembers]);
    rest.forEach((m, i) => {
      const mismatch = ensembleMismatch(first, m);
      if (mismatch) {
        throw new NerError('E_CONFIG', `ensemble member ${i + 2} has ${mismatch} than member 1`, {
          hint: 'members must be trained on the same data with the same features and vectors',
        });
      }
    });
    // The members' temperatures and consistency were chosen for their own probabilities, not for the average's.
    const { members: _single, temperature: _own, consistency: _mixed, ...single }: ModelConfig = first.config;
    const config: ModelConfig = rest.length > 0 ? { ...single, members: rest.length + 1 } : single;
    return new WindowModel(config, first.featureSet, first.tables, first.network, undefined, rest);
  }

  /** The networks averaged, this model's own first: just [this] for a single model. */
  get members(): readonly WindowModel[] {
    return [this, ...this.laterMembers];
  }

  /** Networks averaged: 1 for a single model. */
  get memberCount(): number {
    return 1 + this.laterMembers.length;
  }

  /** The same model decoding with another decoder (parameters shared, not copied). */
  withDecoder(decoder: DecoderName): WindowModel {
    return new WindowModel({ ...this.config, decoder }, this.featureSet, this.tables, this.network, this.projection, this.laterMembers);
  }

  /** The same model with other transition scores for Viterbi (parameters shared). */
  withTransitions(transitions: TransitionScores | undefined): WindowModel {
    return new WindowModel({ ...this.config, transitions }, this.featureSet, this.tables, this.network, this.projection, this.laterMembers);
  }

  /** The same model with another entity bias (0: none), parameters shared. */
  withEntityBias(entityBias: number): WindowModel {
    return this.withSetting('entityBias', entityBias, entityBias === 0);
  }

  /** The same model with one optional decoding setting, left out of the config when `isDefault` (as models from before it had none); parameters shared. */
  private withSetting<K extends 'entityBias' | 'temperature' | 'consistency'>(key: K, value: ModelConfig[K], isDefault: boolean): WindowModel {
    const { [key]: _old, ...config } = this.config;
    const next = (isDefault ? config : { ...config, [key]: value }) as ModelConfig;
    return new WindowModel(next, this.featureSet, this.tables, this.network, this.projection, this.laterMembers);
  }

  /** The log-score added to every tag but O when decoding (0 when the model has none). */
  get entityBias(): number {
    return this.config.entityBias ?? 0;
  }

  /** The same model with another temperature (undefined or 1: none), parameters shared. */
  withTemperature(temperature: number | undefined): WindowModel {
    return this.withSetting('temperature', temperature, temperature === undefined || temperature === 1);
  }

  /** The same model with another document-consistency weight (0: none), parameters shared. */
  withConsistency(consistency: number): WindowModel {
    return this.withSetting('consistency', consistency, consistency === 0);
  }

  /** The document-consistency weight (0 when the model has none). */
  get consistency(): number {
    return this.config.consistency ?? 0;
  }

  /**
   * What the decoder reads for the documents' tokens: the network's probabilities `probs`
   * (documentProbabilities), with document consistency mixed in when the model has it (a new
   * array then; `probs` is not written to). Decoding and calibration both start from these.
   */
  decodingProbabilities(documents: readonly Document[], probs: Float32Array): Float32Array {
    return mixDocumentConsistency(documents, probs, this.config.tags, this.consistency);
  }

  /** The temperature scores are computed at (1 when the model has none). */
  get temperature(): number {
    return this.config.temperature ?? 1;
  }

  /**
   * The sequence model this model decodes with (its tags, scheme, weighted transition
   * scores and entity bias) at `temperature` (default its own): what its scores are probabilities under.
   */
  tagChain(temperature = this.temperature): TagChain {
    const { tags, scheme } = this.config;
    if (temperature === this.temperature) return (this.chain ??= new TagChain(tags, scheme, this.transitionScores, temperature, this.entityBias));
    return new TagChain(tags, scheme, this.transitionScores, temperature, this.entityBias);
  }

  private chain: TagChain | undefined;

  private withMembers(later: readonly WindowModel[]): WindowModel {
    const { members: _all, ...config }: ModelConfig = this.config;
    return new WindowModel(config, this.featureSet, this.tables, this.network, this.projection, later);
  }

  /**
   * Declares the parameters fixed from now on, so that inference may use the embedding rows'
   * cached projections through the first layer (first-layer-projections.ts) instead of the
   * first layer's product: several times faster for tagging. Tagger.load calls it. Never on a
   * model still being trained: the cache would keep projections of old weights. Variants made
   * by withDecoder/withTransitions afterwards share the cache.
   */
  useFirstLayerProjections(args: ModelProjectionArgs = {}): this {
    const { memories } = args;
    if (memories && memories.length !== this.memberCount) {
      throw new RangeError(`memories must be one per member (${this.memberCount}), got ${memories.length}`);
    }
    // An ensemble's members share the default budget: five caches of 64 MiB were 320 MB of RSS.
    const budgetBytes = args.budgetBytes ?? Math.floor((args.modelBudgetBytes ?? DEFAULT_PROJECTION_BUDGET) / this.memberCount);
    const overflowBytes = args.overflowBytes ?? (this.memberCount > 1 ? ENSEMBLE_OVERFLOW_BYTES : undefined);
    this.members.forEach((m, i) => {
      m.projection = { args: { budgetBytes, memory: memories?.[i], overflowBytes } };
    });
    return this;
  }

  /** The projections in use, built on first call; null when inference uses the product path. */
  firstLayerProjections(): FirstLayerProjections | null {
    const holder = this.projection;
    if (!holder) return null;
    if (holder.projections === undefined) {
      holder.projections = FirstLayerProjections.create(this.tables, this.network, this.slots, holder.args);
    }
    return holder.projections;
  }

  /** The weighted transition scores Viterbi adds, or undefined. */
  private get transitionScores(): Float32Array | undefined {
    const t = this.config.transitions;
    if (!t || t.weight === 0) return undefined;
    return (this.weightedTransitions ??= Float32Array.from(t.scores, (x) => x * t.weight));
  }

  private weightedTransitions: Float32Array | undefined;

  get slots(): number {
    return 2 * this.config.window + 1;
  }

  /**
   * Tag probabilities `[tokens, tags]` for every token of `enc`, computing the first layer once
   * per distinct token: from cached projections (useFirstLayerProjections), else by one
   * product per batch (see WindowNetwork.forwardDistinctTokens).
   */
  tagProbabilities(enc: EncodedTokens): Float32Array {
    if (onAsyncDevice()) {
      throw new NerError('E_BACKEND', 'the webgpu backend cannot read results synchronously (predict, tagProbabilities)', {
        hint: 'use await model.predictAsync(documents) or tagProbabilitiesAsync(enc)',
      });
    }
    return averageProbabilities(this.memberTagProbabilities(enc));
  }

  /**
   * The same probabilities on any backend: on one that reads only asynchronously (webgpu) the
   * network runs on the device and results are awaited; elsewhere this is tagProbabilities.
   */
  async tagProbabilitiesAsync(enc: EncodedTokens): Promise<Float32Array> {
    if (!onAsyncDevice()) return this.tagProbabilities(enc);
    const parts: Float32Array[] = [];
    for (const m of this.members) parts.push(await m.ownDeviceTagProbabilities(enc));
    return averageProbabilities(parts);
  }

  /** This member's probabilities on the device; the parameters stay there for a model declared fixed (useFirstLayerProjections). */
  private async ownDeviceTagProbabilities(enc: EncodedTokens): Promise<Float32Array> {
    const fixed = this.projection !== undefined;
    const weights = fixed ? (this.projection!.device ??= DeviceWeights.upload(this.tables, this.network)) : DeviceWeights.upload(this.tables, this.network);
    try {
      return await deviceTagProbabilities(weights, this.network, enc, this.config.window);
    } finally {
      if (!fixed) weights.dispose();
    }
  }

  /** Each member's own probabilities, first member first (one array for a single model). */
  memberTagProbabilities(enc: EncodedTokens): Float32Array[] {
    // An ensemble's members run in smaller chunks: each member's projection memory grows with
    // the distinct rows of a chunk (`ner eval` of CoNLL test, 5 members with packed word rows,
    // peak RSS: 8k tokens 469-476 MB at 40.9k tokens/s; 4k 413-416 MB at 31k tokens/s).
    return this.members.map((m) => m.ownTagProbabilities(enc, this.memberCount > 1 ? ENSEMBLE_CHUNK : INFERENCE_BATCH));
  }

  /** This member's probabilities (see probabilities). */
  private ownTagProbabilities(enc: EncodedTokens, chunkTokens: number): Float32Array {
    const projections = this.firstLayerProjections();
    const T = this.config.tags.length;
    const w = this.config.window;
    const out = new Float32Array(enc.length * T);
    for (let from = 0; from < enc.length; from += chunkTokens) {
      const count = Math.min(chunkTokens, enc.length - from);
      if (projections) {
        // Neighbours of the chunk's edge tokens may lie just outside it.
        const chunkEnd = from + count;
        const hi = Math.min(enc.length, chunkEnd + w);
        for (let at = from; at < chunkEnd; ) {
          // A round may stop early (its overflow rows full): then the windows whose rows it has.
          const end = projections.prepare(enc.ids, Math.max(0, at - w), hi, Math.min(hi, at + w + 1));
          const windowsEnd = end === hi ? chunkEnd : end - w;
          for (; at < windowsEnd; at += PROJECTED_BATCH) {
            const n = Math.min(PROJECTED_BATCH, windowsEnd - at);
            const { unique, slotIndex } = this.distinctWindows(enc, at, n);
            this.projectedProbabilitiesInto(out, at * T, projections, unique, slotIndex, n);
          }
          at = windowsEnd;
        }
      } else {
        const { unique, slotIndex } = this.distinctWindows(enc, from, count);
        const X = this.tables.lookup(unique.tuples, unique.count);
        out.set(this.network.forwardDistinctTokens(X, unique.count, slotIndex, count, this.slots), from * T);
      }
    }
    return out;
  }

  /**
   * Writes at `out[offset ..]` the probabilities of `n` windows (distinct tokens and slot
   * index, see distinctWindows) from the cached first-layer projections, already prepared.
   */
  private projectedProbabilitiesInto(out: Float32Array, offset: number, projections: FirstLayerProjections, unique: UniqueTokens, slotIndex: Int32Array, n: number): void {
    if (projections.wholeNetwork) {
      out.set(projections.forward(unique.tuples, unique.count, slotIndex, n), offset);
      return;
    }
    const z = projections.preActivations(unique.tuples, unique.count, slotIndex, n);
    tf.tidy(() => {
      // tensor2d copies z out of the kernels' memory before anything else runs.
      out.set(this.network.fromFirstLayer(tf.tensor2d(z, [n, z.length / n])).dataSync(), offset);
    });
  }

  /**
   * The windows of tokens `from .. from+count` as distinct tokens (tuple 0 the padding) and
   * `slotIndex[s * count + b]`, the distinct token at slot s of window b.
   */
  private distinctWindows(enc: EncodedTokens, from: number, count: number): { unique: UniqueTokens; slotIndex: Int32Array } {
    const w = this.config.window;
    const S = this.slots;
    // Neighbours of the edge tokens may lie just outside the range.
    const lo = Math.max(0, from - w);
    const hi = Math.min(enc.length, from + count + w);
    const unique = uniqueTokens(enc.ids, enc.features, lo, hi);
    const slotIndex = new Int32Array(S * count);
    for (let b = 0; b < count; b++) {
      const t = from + b;
      for (let s = 0; s < S; s++) {
        const p = t + s - w;
        slotIndex[s * count + b] = p < enc.sentenceStart[t] || p >= enc.sentenceEnd[t] ? 0 : unique.index[p - lo];
      }
    }
    return { unique, slotIndex };
  }

  /**
   * Tag probabilities of the windows of `tokens` only (`[tokens.length, tags]`, in their order),
   * computing the first layer once per distinct token among those windows: the second pass
   * of a two-stage model runs again only the windows the first pass's tags changed.
   */
  tagProbabilitiesAt(enc: EncodedTokens, tokens: Int32Array): Float32Array {
    return averageProbabilities(this.members.map((m) => m.ownTagProbabilitiesAt(enc, tokens)));
  }

  private ownTagProbabilitiesAt(enc: EncodedTokens, tokens: Int32Array): Float32Array {
    const projections = this.firstLayerProjections();
    const T = this.config.tags.length;
    const out = new Float32Array(tokens.length * T);
    for (let at = 0; at < tokens.length; at += PROJECTED_BATCH) {
      const n = Math.min(PROJECTED_BATCH, tokens.length - at);
      const { unique, slotIndex, ids, lo, hi } = this.distinctWindowsOf(enc, tokens, at, n);
      if (projections) {
        projections.prepare(ids, lo, hi);
        this.projectedProbabilitiesInto(out, at * T, projections, unique, slotIndex, n);
      } else {
        const X = this.tables.lookup(unique.tuples, unique.count);
        out.set(this.network.forwardDistinctTokens(X, unique.count, slotIndex, n, this.slots), at * T);
      }
    }
    return out;
  }

  /**
   * distinctWindows for the windows of `tokens[at .. at+n)` (ascending), with the ids and the
   * range of them those windows use: the stretch of `enc` they cover when it is short (dense
   * tokens), else their windows' ids gathered side by side (sparse tokens: a second pass
   * re-runs a few windows spread over the whole text).
   */
  private distinctWindowsOf(enc: EncodedTokens, tokens: Int32Array, at: number, n: number): { unique: UniqueTokens; slotIndex: Int32Array; ids: Int32Array; lo: number; hi: number } {
    const w = this.config.window;
    const S = this.slots;
    const slotIndex = new Int32Array(S * n);
    const lo = Math.max(0, tokens[at] - w);
    const hi = Math.min(enc.length, tokens[at + n - 1] + w + 1);
    if (hi - lo > n * S) {
      // Padding is all PAD_ID, which uniqueTokens makes tuple 0.
      const ids = windowIds(enc, tokens, at, n, w);
      const unique = uniqueTokens(ids, enc.features, 0, n * S);
      for (let b = 0; b < n; b++) for (let s = 0; s < S; s++) slotIndex[s * n + b] = unique.index[b * S + s];
      return { unique, slotIndex, ids, lo: 0, hi: n * S };
    }
    const unique = uniqueTokens(enc.ids, enc.features, lo, hi);
    for (let b = 0; b < n; b++) {
      const t = tokens[at + b];
      for (let s = 0; s < S; s++) {
        const p = t + s - w;
        slotIndex[s * n + b] = p < enc.sentenceStart[t] || p >= enc.sentenceEnd[t] ? 0 : unique.index[p - lo];
      }
    }
    return { unique, slotIndex, ids: enc.ids, lo, hi };
  }

  /**
   * The tag probabilities of the documents' tokens, in order, as `predict` decodes them. For a
   * model with the `docpred` feature, two passes: the first with no first-stage keys, its
   * tags decoded, then the windows those tags give a key run again (secondPassTokens).
   */
  documentProbabilities(documents: readonly Document[]): Float32Array {
    return this.documentPass(documents).probs;
  }

  /** documentProbabilities on any backend (see tagProbabilitiesAsync); on the device the second pass runs every window. */
  async documentProbabilitiesAsync(documents: readonly Document[]): Promise<Float32Array> {
    return (await this.documentPassAsync(documents)).probs;
  }

  /**
   * documentProbabilities, and for a two-stage model the first pass's path of every sentence
   * the second pass left as it was (null for the others): decodeInto need not decode those again.
   */
  private documentPass(documents: readonly Document[]): DocumentPass {
    const enc = encodeDocuments(this.featureSet, documents);
    const probs = this.tagProbabilities(enc);
    if (!this.featureSet.usesFirstStage) return { probs };
    const first = this.decodeTags(documents, probs);
    const second = withFirstStage(this.featureSet, enc, documents, first.tags);
    const tokens = secondPassTokens(this.featureSet, second, this.config.window);
    patchRows(probs, tokens, this.tagProbabilitiesAt(second, tokens), this.config.tags.length);
    return { probs, paths: unchangedPaths(first.paths, tokens) };
  }

  private async documentPassAsync(documents: readonly Document[]): Promise<DocumentPass> {
    if (!onAsyncDevice()) return this.documentPass(documents);
    const enc = encodeDocuments(this.featureSet, documents);
    const probs = await this.tagProbabilitiesAsync(enc);
    if (!this.featureSet.usesFirstStage) return { probs };
    return { probs: await this.tagProbabilitiesAsync(withFirstStage(this.featureSet, enc, documents, this.decodeTags(documents, probs).tags)) };
  }

  /** The paths the decoder reads from `probs` (one per sentence, in order) and their tags per document and sentence. */
  private decodeTags(documents: readonly Document[], probs: Float32Array): { tags: string[][][]; paths: Int32Array[] } {
    const { tags, scheme, decoder } = this.config;
    const T = tags.length;
    const transitions = this.transitionScores;
    const paths: Int32Array[] = [];
    let t = 0;
    const named = documents.map((doc) =>
      doc.sentences.map((sentence) => {
        const n = sentence.tokens.length;
        const path = decode(decoder, probs.subarray(t * T, (t + n) * T), n, tags, scheme, transitions, this.entityBias);
        paths.push(path);
        t += n;
        return Array.from(path, (k) => tags[k]);
      }),
    );
    return { tags: named, paths };
  }

  /** Tag probabilities computed window by window: the plain definition, kept to check the fast path. */
  referenceTagProbabilities(enc: EncodedTokens): Float32Array {
    const ids = windowIds(enc, null, 0, enc.length, this.config.window);
    return this.network.forward(this.tables.lookup(ids, enc.length * this.slots), enc.length);
  }

  /**
   * Predicts every sentence of the documents, filling in its `predicted` tags and their
   * `scores`. Each document is its own context for document-level features.
   *
   * @example
   * model.predict([doc]);
   * doc.sentences[0].predicted; // ['B-PER', 'I-PER', 'O', 'B-LOC']
   */
  predict(documents: readonly Document[]): void {
    const { probs, paths } = this.documentPass(documents);
    this.decodeInto(documents, probs, paths);
  }

  /** `predict` on any backend, webgpu included (see tagProbabilitiesAsync). */
  async predictAsync(documents: readonly Document[]): Promise<void> {
    const { probs, paths } = await this.documentPassAsync(documents);
    this.decodeInto(documents, probs, paths);
  }

  /**
   * Only the tags of decodeInto: each sentence's `predicted`, its scores removed. Several
   * times faster (no forward-backward), for choosing decoding settings by F1 on dev.
   */
  decodeTagsInto(documents: readonly Document[], networkProbs: Float32Array): void {
    const { tags, scheme, decoder } = this.config;
    const probs = this.decodingProbabilities(documents, networkProbs);
    const T = tags.length;
    const transitions = this.transitionScores;
    let t = 0;
    for (const doc of documents) {
      for (const sentence of doc.sentences) {
        const n = sentence.tokens.length;
        const path = decode(decoder, probs.subarray(t * T, (t + n) * T), n, tags, scheme, transitions, this.entityBias);
        sentence.predicted = Array.from(path, (k) => tags[k]);
        delete sentence.scores;
        delete sentence.entityScores;
        t += n;
      }
    }
  }

  /**
   * Decodes the probabilities of the documents' tokens (in order) into their sentences'
   * `predicted` tags, `scores` and `entityScores`. Scores are probabilities under the model's
   * sequence model at its temperature (tagChain): a token's score is the marginal
   * probability of its tag, an entity's the probability that the sentence holds exactly
   * that entity (ChainPosterior.spanProbability). The temperature does not change the tags.
   * `networkProbs` are the network's (documentProbabilities): document consistency is applied here.
   */
  decodeInto(documents: readonly Document[], networkProbs: Float32Array, knownPaths?: readonly (Int32Array | null)[]): void {
    const { tags, scheme, decoder } = this.config;
    const probs = this.decodingProbabilities(documents, networkProbs);
    // The first pass's paths were decoded from the network's probabilities, not the mixed ones.
    if (probs !== networkProbs) knownPaths = undefined;
    const T = tags.length;
    const transitions = this.transitionScores;
    const { entityBias } = this;
    const chain = this.tagChain();
    let t = 0;
    let s = 0;
    for (const doc of documents) {
      for (const sentence of doc.sentences) {
        const n = sentence.tokens.length;
        const p = probs.subarray(t * T, (t + n) * T);
        // A sentence's path already decoded from these very probabilities (documentPass) is not decoded again.
        const path = knownPaths?.[s] ?? decode(decoder, p, n, tags, scheme, transitions, entityBias);
        s++;
        const posterior = chain.reusedPosterior(p, n);
        const predicted = new Array<string>(n);
        const scores = new Array<number>(n);
        for (let i = 0; i < n; i++) {
          predicted[i] = tags[path[i]];
          scores[i] = posterior.tagProbability(i, path[i]);
        }
        sentence.predicted = predicted;
        sentence.scores = scores;
        sentence.entityScores = tagsToSpans(predicted).map((span) => posterior.spanProbability(path, span.start, span.end));
        t += n;
      }
    }
  }
}

/**
 * Why model `b` cannot be averaged with `a` ("other features, window, layers or tags", "another
 * word vocabulary"), or null when it can.
 */
export function ensembleMismatch(a: WindowModel, b: WindowModel): string | null {
  const layout = (m: WindowModel) => JSON.stringify([m.config.window, m.config.features, m.config.hidden, m.config.activation, m.config.tags, m.config.scheme]);
  if (layout(a) !== layout(b)) return 'other features, window, layers or tags';
  if (a.featureSet === b.featureSet) return null;
  const f = b.featureSet.vocabularies.findIndex((v, i) => {
    const keys = a.featureSet.vocabularies[i].keys;
    return v.keys.length !== keys.length || v.keys.some((k, j) => k !== keys[j]);
  });
  if (f >= 0) return `another ${b.config.features[f].name} vocabulary`;
  // doctopic: the same keys t0..tK-1 name other documents under other centroids.
  const topics = (m: WindowModel) => (m.featureSet.topics ? JSON.stringify(m.featureSet.topics.toSaved()) : null);
  return topics(a) === topics(b) ? null : 'other document topics';
}

/** What documentPass computes: the probabilities, and paths decodeInto may reuse (sentence order; null: decode it). */
interface DocumentPass {
  probs: Float32Array;
  paths?: (Int32Array | null)[];
}

/** The first pass's paths, null for each sentence holding a token the second pass ran again. */
function unchangedPaths(paths: readonly Int32Array[], tokens: Int32Array): (Int32Array | null)[] {
  const out: (Int32Array | null)[] = paths.slice();
  let s = 0;
  let start = 0;
  for (const t of tokens) {
    // Sentences are consecutive: move to the one holding token t.
    while (start + paths[s].length <= t) start += paths[s++].length;
    out[s] = null;
  }
  return out;
}

/** `probs` with row `tokens[k]` replaced by row k of `rows` (rows of `width` values); `probs` itself, changed. */
function patchRows(probs: Float32Array, tokens: Int32Array, rows: Float32Array, width: number): Float32Array {
  for (let k = 0; k < tokens.length; k++) probs.set(rows.subarray(k * width, (k + 1) * width), tokens[k] * width);
  return probs;
}

/** The mean of members' probabilities (the first array is reused for the result). */
export function averageProbabilities(parts: Float32Array[]): Float32Array {
  const [out, ...rest] = parts;
  if (rest.length === 0) return out;
  for (const p of rest) for (let i = 0; i < out.length; i++) out[i] += p[i];
  const scale = 1 / parts.length;
  for (let i = 0; i < out.length; i++) out[i] *= scale;
  return out;
}
