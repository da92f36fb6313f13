/**
 * Tagging throughput from raw text to JSON through the public API: `Tagger.tagBatch` then
 * `JSON.stringify` of each result, on one thread. A second pass times the stages separately
 * with the library functions tagBatch is built from, to show where the time goes.
 */
import { encodeDocuments } from '../../src/core/features/windows.js';
import type { BackendRequest } from '../../src/node/backend.js';
import { Tagger } from '../../src/core/tagger/tagger.js';
import { tokenize } from '../../src/core/text/tokenize.js';
import { cpuMs, summarize, type Stat } from './stats.js';

/** The stages of tagging raw text, timed one by one (milliseconds for the whole text). */
export const TAG_STAGES = ['tokenize', 'features', 'network', 'decode', 'json'] as const;
export type TagStage = (typeof TAG_STAGES)[number];

/** What tagging one text on one backend measured. */
export interface TaggingFigures {
  backend: string;
  docs: number;
  /** Tokens as the tokenizer splits the text (what tokens/s counts). */
  tokens: number;
  jsonBytes: number;
  repeats: number;
  tokensPerSecond: Stat;
  seconds: Stat;
  /** Each stage alone, milliseconds for the whole text. */
  stagesMs: Record<TagStage, Stat>;
  /** End-to-end time minus the stages of the same repeat: building results and spans, GC; noisy, can be negative. */
  otherMs: Stat;
  /** Process CPU time over wall time of the end-to-end pass: near 1 when the bench had a core to itself. */
  cpuShare: Stat;
}

/**
 * Loads the model on `backend` and tags `docs` `repeats` times (after one warm-up pass on a
 * few documents). Throws the backend's own error when it does not load.
 */
export async function benchTagging(modelDir: string, backend: BackendRequest, docs: readonly string[], repeats: number): Promise<TaggingFigures> {
  const tagger = await Tagger.load(modelDir, { backend });
  for (const r of await tagger.tagBatch(docs.slice(0, 8))) JSON.stringify(r);

  let tokens = 0;
  let jsonBytes = 0;
  const seconds: number[] = [];
  const stages: Record<TagStage, number[]> = { tokenize: [], features: [], network: [], decode: [], json: [] };
  const other: number[] = [];
  const cpuShare: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const results = await tagger.tagBatch(docs);
    let bytes = 0;
    for (const result of results) bytes += JSON.stringify(result).length;
    const ms = performance.now() - started;
    cpuShare.push(cpuMs(process.cpuUsage(cpu)) / ms);
    seconds.push(ms / 1000);
    if (r === 0) {
      jsonBytes = bytes;
      for (const result of results) for (const s of result.sentences) tokens += s.tokens.length;
    }

    // The same work stage by stage.
    const t0 = performance.now();
    const tokenized = docs.map((d) => tokenize(d));
    const t1 = performance.now();
    // As tagBatch does: each text is its own document for document-level features.
    const enc = encodeDocuments(tagger.model.featureSet, tokenized);
    const t2 = performance.now();
    const probs = await tagger.model.tagProbabilitiesAsync(enc);
    const t3 = performance.now();
    tagger.model.decodeInto(tokenized, probs);
    const t4 = performance.now();
    for (const result of results) JSON.stringify(result);
    const t5 = performance.now();
    stages.tokenize.push(t1 - t0);
    stages.features.push(t2 - t1);
    stages.network.push(t3 - t2);
    stages.decode.push(t4 - t3);
    stages.json.push(t5 - t4);
    other.push(ms - (t5 - t0));
  }
  return {
    backend: tagger.backend.name,
    docs: docs.length,
    tokens,
    jsonBytes,
    repeats,
    tokensPerSecond: summarize(seconds.map((s) => tokens / s)),
    seconds: summarize(seconds),
    stagesMs: Object.fromEntries(TAG_STAGES.map((s) => [s, summarize(stages[s])])) as Record<TagStage, Stat>,
    otherMs: summarize(other),
    cpuShare: summarize(cpuShare),
  };
}
