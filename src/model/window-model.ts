import { decode, type DecoderName } from '../decode/decoders.js';
import type { ModelScheme } from '../decode/transitions.js';
import type { FeatureSet, FeatureSpec } from '../features/token-features.js';
import { encodeSentences, windowIds, type EncodedTokens } from '../features/windows.js';
import type { ActivationName } from './activations.js';
import type { EmbeddingTables } from './embedding-tables.js';
import type { WindowNetwork } from './network.js';

/** What defines a window model's shape; saved with it. */
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
}

/** Tags and per-token probabilities of the chosen tags for one sentence. */
export interface SentencePrediction {
  tags: string[];
  /** Probability the model gave each chosen tag. */
  scores: Float32Array;
}

/** Windows per forward pass at inference: big batches keep the matrix products efficient. */
const INFERENCE_BATCH = 4096;

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
  ) {}

  /** The same model decoding with another decoder (parameters shared, not copied). */
  withDecoder(decoder: DecoderName): WindowModel {
    return new WindowModel({ ...this.config, decoder }, this.featureSet, this.tables, this.network);
  }

  get slots(): number {
    return 2 * this.config.window + 1;
  }

  /** Tag probabilities `[tokens, tags]` for every token of `enc`. */
  probabilities(enc: EncodedTokens): Float32Array {
    const T = this.config.tags.length;
    const out = new Float32Array(enc.length * T);
    const ids = new Int32Array(Math.min(INFERENCE_BATCH, enc.length) * this.slots * enc.features);
    for (let from = 0; from < enc.length; from += INFERENCE_BATCH) {
      const count = Math.min(INFERENCE_BATCH, enc.length - from);
      windowIds(enc, null, from, count, this.config.window, ids);
      const X = this.tables.lookup(ids, count * this.slots);
      out.set(this.network.probabilities(X, count), from * T);
    }
    return out;
  }

  /**
   * Predicts the tags of sentences given as arrays of words. `documentIds[i]` is sentence i's
   * document (for document-level features); without it all sentences are one document.
   */
  predict(sentences: readonly (readonly string[])[], documentIds?: readonly number[]): SentencePrediction[] {
    const enc = encodeSentences(this.featureSet, sentences, documentIds);
    return this.decodeAll(sentences.map((s) => s.length), this.probabilities(enc));
  }

  /** Decodes the probabilities of consecutive sentences of the given lengths. */
  decodeAll(lengths: readonly number[], probs: Float32Array): SentencePrediction[] {
    const { tags, scheme, decoder } = this.config;
    const T = tags.length;
    const out: SentencePrediction[] = [];
    let t = 0;
    for (const n of lengths) {
      const p = probs.subarray(t * T, (t + n) * T);
      const path = decode(decoder, p, n, tags, scheme);
      const scores = new Float32Array(n);
      for (let i = 0; i < n; i++) scores[i] = p[i * T + path[i]];
      out.push({ tags: Array.from(path, (k) => tags[k]), scores });
      t += n;
    }
    return out;
  }
}
