import { DECODERS, type DecoderName } from '../decode/decoders.js';
import { NerError } from '../errors.js';
import type { Document } from '../document/document.js';
import type { WindowModel } from '../model/window-model.js';
import { BACKENDS, runtime, type BackendInfo, type BackendRequest } from '../runtime.js';
import type { ModelManifest } from '../storage/model-format.js';
import { readModel } from '../storage/model-read.js';
import { bytesSource, isModelBytes, urlSource, type ModelBytes, type ModelFileSource } from '../storage/model-source.js';
import { tokenize } from '../text/tokenize.js';
import { checkDocuments, checkOptions, checkRenderSpec, checkText, checkTexts, kindOf, type OptionRule } from './api-checks.js';
import { renderDocument, toTagResult, type RenderSpec, type TagResult } from './format.js';
import { tagTokensWith } from './token-tags.js';
import { checkMinScore, dropEntitiesBelow } from './min-score.js';
import type { DocumentTagger, TagOptions, TagTokensOptions, TokenTags } from './types.js';

/** Options of Tagger.load. */
export interface TaggerLoadArgs {
  /** TensorFlow.js backend to compute with. Default 'auto'. */
  backend?: BackendRequest;
  /** Decode with this instead of the model's own decoder (to compare them). */
  decoder?: DecoderName;
  /** Weight of the model's transition scores in Viterbi instead of its own (0: constraints only). */
  transitionWeight?: number;
  /** Document-consistency weight (0..1, see ModelConfig.consistency) instead of the model's own (0: none). */
  consistency?: number;
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
  consistency: { number: 'fraction' },
  onProgress: { function: 'a function (received, total) => void' },
};

/**
 * Tags with a trained window model. The core verb is `tagDocuments`, which fills predicted
 * tags and scores into Documents (from tokenize or the CoNLL reader); `tag`/`tagBatch` take
 * raw text and return the contract's JSON shape, `tagTokens` pre-tokenized sentences.
 *
 * @example
 * const tagger = await Tagger.load();
 * const { entities } = await tagger.tag('Angela Merkel met Emmanuel Macron in Paris.');
 * // [{ text: 'Angela Merkel', type: 'PER', start: 0, end: 13, score: 0.99 }, ...]
 */
export class Tagger implements DocumentTagger {
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
    if (args.consistency !== undefined) chosen = chosen.withConsistency(args.consistency);
    // A loaded model's parameters stay fixed: inference may cache first-layer projections.
    return new Tagger(chosen.useFirstLayerProjections(), manifest, backend);
  }

  /**
   * Tags one text; the result has the shape of `ner tag --format json`. A text over
   * MAX_TEXT_BYTES (2 MiB of UTF-8) is refused: split it and use tagBatch.
   */
  async tag(text: string, options?: TagOptions): Promise<TagResult> {
    checkText('Tagger.tag', text);
    checkTagOptions('Tagger.tag', options);
    return toTagResult((await this.tagTexts([text], options))[0]);
  }

  /**
   * Tags many texts, all their sentences going through the network in shared batches. Each
   * text is held to MAX_TEXT_BYTES; memory grows with the batch's total size, so give a long
   * input in batches of a few MiB.
   */
  async tagBatch(texts: readonly string[], options?: TagOptions): Promise<TagResult[]> {
    checkTexts('Tagger.tagBatch', texts);
    checkTagOptions('Tagger.tagBatch', options);
    return (await this.tagTexts(texts, options)).map(toTagResult);
  }

  /**
   * Tags pre-tokenized sentences (CoNLL-style input): per sentence its tags and its entities
   * over token indices. `options.documents[i]` is sentence i's document number; without it
   * all sentences are one document.
   *
   * @example
   * const [s] = await tagger.tagTokens([['Kofi', 'Annan', 'visited', 'Iraq']]);
   * s.tags;     // ['B-PER', 'I-PER', 'O', 'B-LOC']
   * s.entities; // [{ start: 0, end: 2, type: 'PER', score: 0.99 }, { start: 3, end: 4, type: 'LOC', score: 0.98 }]
   * await tagger.tagTokens(sentences, { minScore: 0.8 }); // entities below 0.8 dropped, their tags O
   */
  tagTokens(sentences: readonly (readonly string[])[], options?: TagTokensOptions): Promise<TokenTags[]> {
    return tagTokensWith('Tagger.tagTokens', (docs) => this.model.predictAsync(docs), sentences, options);
  }

  /**
   * Fills every sentence of the documents with its `predicted` tags (IOB2) and their `scores`,
   * in place. Each document is its own context for document-level features.
   *
   * @example
   * const doc = tokenize('Kofi Annan visited Iraq.');
   * await tagger.tagDocuments([doc]);
   * doc.sentences[0].predicted; // ['B-PER', 'I-PER', 'O', 'B-LOC', 'O']
   */
  async tagDocuments(documents: readonly Document[]): Promise<void> {
    checkDocuments('Tagger.tagDocuments', documents);
    await this.model.predictAsync(documents);
  }

  /** Tags many texts and renders each (see renderDocument), as TaggerPool does on its threads. */
  async tagBatchRendered(texts: readonly string[], spec: RenderSpec, options?: TagOptions): Promise<string[]> {
    checkTexts('Tagger.tagBatchRendered', texts);
    checkRenderSpec('Tagger.tagBatchRendered', spec);
    checkTagOptions('Tagger.tagBatchRendered', options);
    return (await this.tagTexts(texts, options)).map((doc) => renderDocument(doc, spec));
  }

  /** Each text tokenized into its own document, all tagged in shared network batches (entities below `minScore` dropped). */
  private async tagTexts(texts: readonly string[], options: TagOptions = {}): Promise<Document[]> {
    const docs = texts.map((text) => tokenize(text));
    await this.model.predictAsync(docs);
    if (options.minScore !== undefined) dropEntitiesBelow(docs, options.minScore);
    return docs;
  }
}

const TAG_OPTIONS: Record<keyof TagOptions, OptionRule> = { minScore: { checkedApart: true } };

/** The options of tag, tagBatch and tagBatchRendered. */
function checkTagOptions(method: string, options: TagOptions | undefined): void {
  checkOptions(method, options, TAG_OPTIONS);
  checkMinScore(method, options?.minScore);
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
