/**
 * Tagging on all cores through the library's own path, `TaggerPool`: the documents go out in
 * chunks of about 256 sentences, all chunks at once. Two ways back: result objects
 * (`tagBatch`), each serialised with JSON.stringify on the main thread as it comes back; or
 * JSON lines rendered on the workers (`tagBatchRendered`, what `ner tag --workers` uses),
 * which the main thread only collects. Starting the workers (each loads the model) happens
 * before the clock starts.
 */
import type { BackendRequest } from '../../src/node/backend.js';
import { TaggerPool } from '../../src/node/workers/tagger-pool.js';
import { cpuMs, summarize, type Stat } from './stats.js';

/** Sentences (lines) per tagBatch call, as `ner tag` sends them. */
const CHUNK_LINES = 256;

/** How results come back from the workers: objects serialised on the main thread, or JSON lines. */
export type PoolMode = 'objects' | 'jsonl';

/** What a pool of N workers measured. */
export interface PoolTaggingFigures {
  workers: number;
  mode: PoolMode;
  chunks: number;
  tokens: number;
  repeats: number;
  tokensPerSecond: Stat;
  seconds: Stat;
  /** Process CPU time (all threads) over wall time: up to the number of workers (+ the main thread). */
  cpuShare: Stat;
}

/** Documents grouped into chunks of at least CHUNK_LINES lines. */
export function chunkDocs(docs: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let lines = 0;
  for (const d of docs) {
    chunk.push(d);
    lines += d.split('\n').length;
    if (lines >= CHUNK_LINES) {
      chunks.push(chunk);
      chunk = [];
      lines = 0;
    }
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/** Tags `docs` (holding `tokens` tokens) `repeats` times on a TaggerPool of `workers` threads. */
export async function benchPoolTagging(
  modelDir: string,
  backend: BackendRequest,
  docs: readonly string[],
  tokens: number,
  workers: number,
  repeats: number,
  mode: PoolMode = 'objects',
): Promise<PoolTaggingFigures> {
  const pool = await TaggerPool.start({ modelDir, workers, backend });
  try {
    const chunks = chunkDocs(docs);
    const run = () =>
      Promise.all(chunks.map(async (c) => {
        let bytes = 0;
        if (mode === 'jsonl') for (const line of await pool.tagBatchRendered(c, { format: 'jsonl' })) bytes += line.length;
        else for (const r of await pool.tagBatch(c)) bytes += JSON.stringify(r).length;
        return bytes;
      }));
    await Promise.all(chunks.slice(0, workers).map((c) => pool.tagBatch(c.slice(0, 2))));
    const seconds: number[] = [];
    const cpuShare: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      await run();
      const ms = performance.now() - started;
      seconds.push(ms / 1000);
      cpuShare.push(cpuMs(process.cpuUsage(cpu)) / ms);
    }
    return {
      workers,
      mode,
      chunks: chunks.length,
      tokens,
      repeats,
      tokensPerSecond: summarize(seconds.map((s) => tokens / s)),
      seconds: summarize(seconds),
      cpuShare: summarize(cpuShare),
    };
  } finally {
    await pool.close();
  }
}
