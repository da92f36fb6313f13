import { tagsToSpans } from '../corpus/spans.js';
import { DECODERS, type DecoderName } from '../decode/decoders.js';
import { NerError } from '../errors.js';
import type { SentencePrediction, WindowModel } from '../model/window-model.js';
import { BACKENDS, runtime, type BackendInfo, type BackendRequest } from '../runtime.js';
import type { ModelManifest } from '../storage/model-format.js';
import { readModel } from '../storage/model-read.js';
import { bytesSource, isModelBytes, urlSource, type ModelBytes, type ModelFileSource } from '../storage/model-source.js';
import { tokenize } from '../text/tokenize.js';
import type { TextSentence } from '../text/types.js';
import { checkDocumentIds, checkOptions, checkRenderSpec, checkSentences, checkText, checkTexts, kindOf, type OptionRule } from './api-checks.js';
import { renderResult, type RenderSpec } from './format.js';
import type { TaggedEntity, TaggedSentence, TagResult, TextTagger } from './types.js';

/** Options of Tagger.load. */
export interface TaggerLoadArgs {
  /** TensorFlow.js backend to compute with. Default 'auto'. */
  backend?: BackendRequest;
  /** Decode with this instead of the model's own decoder (to compare them). */
  decoder?: DecoderName;
  /** Weight of the model's transition scores in Viterbi instead of its own (0: constraints only). */
  transitionWeight?: number;
  /** Told the bytes received so far (and the total, when the server says) while a model downloads. */
  onProgress?: (received: number, total: number | undefined) => void;
}

/**
 * Where Tagger.load finds a model: a bundled model's name or a directory path (Node), a URL
 * (`http(s):` read with fetch, `file:`), or the model's files as bytes; nothing: the bundled model.
 */
export type ModelSource = string | URL | ModelBytes;

/** What each option of Tagger.load accepts, checked before anything loads. */
const LOAD_OPTIONS: Record<keyof TaggerLoadArgs, OptionRule> = {
  backend: { oneOf: BACKENDS },
  decoder: { oneOf: DECODERS },
  transitionWeight: { number: 'non-negative' },
  onProgress: { function: 'a function (received, total) => void' },
};

/**
 * Tags raw text with a trained window model: tokenizes, predicts, decodes entities with
 * character offsets and a confidence.
 *
 * @example
 * const tagger = await Tagger.load();
 * const { entities } = await tagger.tag('Angela Merkel met Emmanuel Macron in Paris.');
 * // [{ text: 'Angela Merkel', type: 'PER', start: 0, end: 13, score: 0.99 }, ...]
 */
export class Tagger implements TextTagger {
  private constructor(
    readonly model: WindowModel,
    readonly manifest: ModelManifest,
    readonly backend: BackendInfo,
  ) {}

  /**
   * Loads a model (see ModelSource; the bundled model when `source` is omitted). The options
   * are checked first: a wrong one is a NerError E_CONFIG naming it and its valid values. The
   * model's checks (version, schema, sizes, SHA-256) apply to every source.
   *
   * @example
   * await Tagger.load('conll2003-en');
   * await Tagger.load(new URL('models/conll2003-en/', location.href)); // in a browser
   */
  static async load(source?: ModelSource, args: TaggerLoadArgs = {}): Promise<Tagger> {
    checkOptions('Tagger.load', args, LOAD_OPTIONS);
    const { model, manifest } = await readModel(await modelSource(source, args.onProgress));
    const backend = await runtime().useBackend(args.backend ?? 'auto');
    let chosen = args.decoder ? model.withDecoder(args.decoder) : model;
    if (args.transitionWeight !== undefined) {
      const t = chosen.config.transitions;
      chosen = chosen.withTransitions(t && args.transitionWeight > 0 ? { ...t, weight: args.transitionWeight } : undefined);
    }
    // A loaded model's parameters stay fixed: inference may cache first-layer projections.
    return new Tagger(chosen.useFirstLayerProjections(), manifest, backend);
  }

  /**
   * Tags one text; the result has the shape of `ner tag --format json`. A text over
   * MAX_TEXT_BYTES (2 MiB of UTF-8) is refused: split it and use tagBatch.
   */
  async tag(text: string): Promise<TagResult> {
    checkText('Tagger.tag', text);
    return (await this.tagChecked([text]))[0];
  }

  /**
   * Tags many texts, all their sentences going through the network in shared batches. Each
   * text is held to MAX_TEXT_BYTES; memory grows with the batch's total size, so give a long
   * input in batches of a few MiB.
   */
  async tagBatch(texts: readonly string[]): Promise<TagResult[]> {
    checkTexts('Tagger.tagBatch', texts);
    return this.tagChecked(texts);
  }

  private async tagChecked(texts: readonly string[]): Promise<TagResult[]> {
    const docs = texts.map((text) => tokenize(text));
    const sentences = docs.flat();
    // Each text is its own document for document-level features.
    const documents = docs.flatMap((d, i) => d.map(() => i));
    const predictions = this.model.predict(sentences.map((s) => s.tokens.map((t) => t.text)), documents);
    let k = 0;
    return texts.map((text, d) => {
      const result: TagResult = { text, entities: [], sentences: [] };
      for (const sentence of docs[d]) {
        const p = predictions[k++];
        result.sentences.push(taggedSentence(sentence, p));
        result.entities.push(...entities(text, sentence, p));
      }
      return result;
    });
  }

  /** Tags many texts and renders each result (see renderResult), as TaggerPool does on its threads. */
  async tagBatchRendered(texts: readonly string[], spec: RenderSpec): Promise<string[]> {
    checkTexts('Tagger.tagBatchRendered', texts);
    checkRenderSpec('Tagger.tagBatchRendered', spec);
    return (await this.tagChecked(texts)).map((result) => renderResult(result, spec));
  }

  /**
   * Predicts tags for sentences already split into words (CoNLL input). `documentIds[i]` is
   * sentence i's document (one id per sentence); without it all sentences are one document.
   */
  tagWords(sentences: readonly (readonly string[])[], documentIds?: readonly number[]): SentencePrediction[] {
    checkSentences('Tagger.tagWords', sentences);
    checkDocumentIds('Tagger.tagWords', documentIds, sentences.length);
    return this.model.predict(sentences, documentIds);
  }

  /** The tags of tagWords, as TaggerPool.predictTags gives them (so `ner predict` takes either). */
  async predictTags(sentences: readonly (readonly string[])[], documentIds?: readonly number[]): Promise<string[][]> {
    checkSentences('Tagger.predictTags', sentences);
    checkDocumentIds('Tagger.predictTags', documentIds, sentences.length);
    return this.model.predict(sentences, documentIds).map((p) => p.tags);
  }
}

function taggedSentence(sentence: TextSentence, p: SentencePrediction): TaggedSentence {
  return {
    start: sentence.start,
    end: sentence.end,
    tokens: sentence.tokens.map((t, i) => ({ text: t.text, start: t.start, end: t.end, tag: p.tags[i] })),
  };
}

function entities(text: string, sentence: TextSentence, p: SentencePrediction): TaggedEntity[] {
  return tagsToSpans(p.tags).map((span) => {
    const start = sentence.tokens[span.start].start;
    const end = sentence.tokens[span.end - 1].end;
    let sum = 0;
    for (let i = span.start; i < span.end; i++) sum += p.scores[i];
    // The span's confidence: the mean probability of its tokens' tags.
    return { text: text.slice(start, end), type: span.type, start, end, score: sum / (span.end - span.start) };
  });
}

/** The files of the model `source` names (see ModelSource). */
async function modelSource(source: unknown, onProgress: TaggerLoadArgs['onProgress']): Promise<ModelFileSource> {
  if (isModelBytes(source)) return bytesSource(source);
  const url = source instanceof URL ? source : typeof source === 'string' && /^(https?|file):/i.test(source) ? new URL(source) : null;
  if (url && url.protocol !== 'file:') return urlSource(url, onProgress);
  if (source !== undefined && typeof source !== 'string' && !url) {
    throw new NerError('E_USAGE', `Tagger.load(source): expected a model directory path or bundled model name (a string), a URL, or the model's files as bytes ({ model, weights, vocabularies }); got ${kindOf(source)}`);
  }
  const read = runtime().modelSource;
  if (read) return read(url ?? (source as string | undefined));
  if (url) return urlSource(url, onProgress);
  throw new NerError('E_USAGE', `Tagger.load(${source === undefined ? '' : JSON.stringify(source)}): this runtime (${runtime().name}) has no files to read a model from`, {
    hint: "give the model's URL, e.g. Tagger.load(new URL('models/conll2003-en/', location.href)), or its files as bytes",
  });
}
