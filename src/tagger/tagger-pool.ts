import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { NerError } from '../errors.js';
import type { BackendRequest } from '../model/backend.js';
import type { RenderSpec } from './format.js';
import type { TagResult, TextTagger } from './types.js';
import type { PoolRequest, PoolResponse, PoolWorkerData } from './worker-protocol.js';
import { workerScript } from '../util/worker-script.js';

/** Options of TaggerPool.start. */
export interface TaggerPoolArgs {
  /** Model directory (default: the bundled model). */
  modelDir?: string;
  /** Worker threads. Default: the number of cores. */
  workers?: number;
  backend?: BackendRequest;
}

interface Pending {
  resolve: (response: PoolResponse) => void;
  reject: (err: Error) => void;
}

/**
 * Tags on all cores: worker threads, each with the model loaded, take whole `tagBatch` calls
 * in turn (the least busy first). Meant for large inputs; for a few sentences the in-process
 * Tagger answers sooner, since each worker must load the model first. Call `close()` when done.
 *
 * @example
 * const pool = await TaggerPool.start({ workers: 2 });
 * const results = await Promise.all(chunks.map((texts) => pool.tagBatch(texts)));
 * await pool.close();
 */
export class TaggerPool implements TextTagger {
  private readonly workers: Worker[];
  private readonly load: number[];
  private readonly pending = new Map<number, Pending & { worker: number }>();
  private nextId = 0;

  private constructor(workers: Worker[]) {
    this.workers = workers;
    this.load = workers.map(() => 0);
    workers.forEach((worker, w) => {
      worker.on('message', (response: PoolResponse) => this.settle(w, response));
      worker.on('error', (err) => this.failAll(w, err));
    });
  }

  /** Starts the workers and waits until each has loaded the model. */
  static async start(args: TaggerPoolArgs = {}): Promise<TaggerPool> {
    const count = args.workers ?? availableParallelism();
    if (!Number.isInteger(count) || count < 1) throw new NerError('E_CONFIG', `workers must be a positive integer, got ${args.workers}`);
    const data: PoolWorkerData = { modelDir: args.modelDir, backend: args.backend };
    const workers = Array.from({ length: count }, () => new Worker(workerScript(import.meta.url, 'tag-worker.js'), { workerData: data }));
    try {
      await Promise.all(workers.map(ready));
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new TaggerPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  async tag(text: string): Promise<TagResult> {
    return (await this.tagBatch([text]))[0];
  }

  /** Tags the texts on the least busy worker. Concurrent calls run on different workers. */
  async tagBatch(texts: readonly string[]): Promise<TagResult[]> {
    return (await this.submit(texts)).results!;
  }

  /**
   * Tags the texts on the least busy worker, which also renders each result
   * (`renderResult(result, spec)`): only strings come back, which costs the main thread far
   * less than result objects. What `ner tag --workers` uses.
   */
  async tagBatchRendered(texts: readonly string[], spec: RenderSpec): Promise<string[]> {
    return (await this.submit(texts, spec)).rendered!;
  }

  /**
   * Predicted tags of sentences already split into words (CoNLL input), on the least busy
   * worker: what Tagger.tagWords gives, tags only. `documentIds[i]` is sentence i's document;
   * without it all sentences are one document.
   */
  async predictTags(sentences: readonly (readonly string[])[], documentIds?: readonly number[]): Promise<string[][]> {
    const { tagIds, tagSet } = await this.send({ sentences: sentences.map((s) => [...s]), documents: documentIds && [...documentIds] });
    let k = 0;
    return sentences.map((s) => Array.from({ length: s.length }, () => tagSet![tagIds![k++]]));
  }

  private submit(texts: readonly string[], render?: RenderSpec): Promise<PoolResponse> {
    return this.send({ texts: [...texts], render });
  }

  private send(request: DistributiveOmit<PoolRequest, 'id'>): Promise<PoolResponse> {
    const w = this.load.indexOf(Math.min(...this.load));
    const id = this.nextId++;
    this.load[w]++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: w });
      this.workers[w].postMessage({ id, ...request } as PoolRequest);
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(w: number, response: PoolResponse): void {
    const job = this.pending.get(response.id);
    if (!job) return;
    this.pending.delete(response.id);
    this.load[w]--;
    if (response.error) job.reject(new NerError(response.error.code ?? 'E_MODEL', response.error.message));
    else job.resolve(response);
  }

  private failAll(w: number, err: Error): void {
    for (const [id, job] of this.pending) {
      if (job.worker !== w) continue;
      this.pending.delete(id);
      job.reject(err);
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('message', (response: PoolResponse) => {
      if (response.error) reject(new NerError(response.error.code ?? 'E_MODEL', response.error.message));
      else resolve();
    });
    worker.once('error', reject);
  });
}

