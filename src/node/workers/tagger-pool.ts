import { Worker } from 'node:worker_threads';
import { NerError } from '../../core/errors.js';
import { BACKENDS, type BackendRequest } from '../backend.js';
import { sentencesOf, type Document } from '../../core/document/document.js';
import { checkDocuments, checkOptions, checkRenderSpec, checkText, checkTexts, type OptionRule } from '../../core/tagger/api-checks.js';
import type { RenderSpec, TagResult } from '../../core/tagger/format.js';
import { tagTokensWith } from '../../core/tagger/token-tags.js';
import { checkMinScore } from '../../core/tagger/min-score.js';
import type { DocumentTagger, TagOptions, TagTokensOptions, TokenTags } from '../../core/tagger/types.js';
import { maxWorkers, workerCountProblem } from './worker-count.js';
import type { PoolRequest, PoolResponse, PoolWorkerData } from './worker-protocol.js';
import { readSharedModelFiles } from './shared-model-files.js';
import { sharedProjectionMemories } from './shared-projection-memories.js';
import { workerScript } from './worker-script.js';
import { DEFAULT_PROJECTION_BUDGET } from '../../core/model/first-layer-projections.js';

/** Options of TaggerPool.start. */
export interface TaggerPoolArgs {
  /** Model directory (default: the bundled model). */
  modelDir?: string;
  /** Worker threads, from 1 to the number of cores. Default: the number of cores. */
  workers?: number;
  /** The workers' backend; `auto` (the default) is wasm in a worker, which is there for a CPU core. */
  backend?: BackendRequest;
}

/** What each option of TaggerPool.start accepts (workers is checked against the core count). */
const START_OPTIONS: Record<keyof TaggerPoolArgs, OptionRule> = {
  modelDir: { string: 'a model directory path (a string)' },
  workers: { checkedApart: true },
  backend: { oneOf: BACKENDS },
};

interface Pending {
  resolve: (response: PoolResponse) => void;
  reject: (err: Error) => void;
  worker: number;
}

const CLOSED_HINT = 'start a new pool with TaggerPool.start';

/**
 * Each worker's young generation, in MiB (V8's default is several times more). Measured (issue
 * 17, `ner tag --input` CoNLL train as lines, --workers 2, peak RSS of the process, CPU time):
 * default 455-457 MB 3.89-4.29 s; 16 MiB 447 MB; 8 MiB 419-439 MB; 4 MiB 402-413 MB 3.97-4.02 s
 * (measured when each worker still had its own projection cache; the shared one took 2 workers
 * to 357-380 MiB, see scripts/pool-memory.ts).
 */
const WORKER_YOUNG_GENERATION_MB = 4;

/**
 * Tags on all cores: worker threads, each with the model loaded, take whole `tagBatch` calls
 * in turn (the least busy first). The workers share one copy of the weights (a
 * SharedArrayBuffer read here) and one cache of first-layer projections, the size of one
 * Tagger's (in shared WebAssembly memories), so the pool's memory grows slowly with its size. Meant for large inputs; for a few sentences the in-process
 * Tagger answers sooner, since each worker must load the model first. Call `close()` when done.
 *
 * Every call settles: work still in flight when `close()` is called, and any call after it,
 * rejects (E_USAGE, "the tagger pool is closed"); a worker thread that dies rejects the work
 * it held (E_BACKEND), and later work goes to the workers still alive.
 *
 * @example
 * const pool = await TaggerPool.start({ workers: 2 });
 * const results = await Promise.all(chunks.map((texts) => pool.tagBatch(texts)));
 * await pool.close();
 */
export class TaggerPool implements DocumentTagger {
  private readonly workers: Worker[];
  private readonly load: number[];
  /** Why each worker stopped ("exit code 1", an error's message); undefined while it runs. */
  private readonly stopped: (string | undefined)[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closing: Promise<void> | undefined;

  private constructor(workers: Worker[]) {
    this.workers = workers;
    this.load = workers.map(() => 0);
    this.stopped = workers.map(() => undefined);
    workers.forEach((worker, w) => {
      worker.on('message', (response: PoolResponse) => this.settle(w, response));
      // 'error' (an uncaught exception) is followed by 'exit'; the first one names the cause.
      worker.on('error', (err) => this.workerStopped(w, err.message));
      worker.on('exit', (code) => this.workerStopped(w, `exit code ${code}`));
    });
  }

  /**
   * Starts the workers and waits until each has loaded the model. The options are checked
   * first (E_CONFIG): `workers` must be from 1 to the number of cores.
   */
  static async start(args: TaggerPoolArgs = {}): Promise<TaggerPool> {
    checkOptions('TaggerPool.start', args, START_OPTIONS);
    const count = args.workers ?? maxWorkers();
    const problem = workerCountProblem(count);
    if (problem) throw new NerError('E_CONFIG', `TaggerPool.start: options.workers ${problem}; got ${count}`);
    // Workers are for the CPU's cores: `auto` there is wasm, so that N workers do not each open
    // a GPU device (a GPU is used from one in-process Tagger; webgpu by name still goes to them).
    // Read here once: the workers' tables are views of one shared copy of the weights.
    const files = await readSharedModelFiles(args.modelDir);
    // One Tagger's projection cache: one for all workers, else split between them (N workers, not N caches).
    const projectionMemories = files && sharedProjectionMemories(files);
    const data: PoolWorkerData = {
      modelDir: args.modelDir,
      files,
      backend: (args.backend ?? 'auto') === 'auto' ? 'wasm' : args.backend,
      projectionBudgetBytes: projectionMemories ? DEFAULT_PROJECTION_BUDGET : Math.floor(DEFAULT_PROJECTION_BUDGET / count),
      projectionMemories,
    };
    const script = workerScript(import.meta.url, 'tag-worker.js');
    const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
    const workers = Array.from({ length: count }, () => new Worker(script, { workerData: data, resourceLimits }));
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
    checkText('TaggerPool.tag', text);
    return (await this.submit('TaggerPool.tag', [text])).results![0];
  }

  /** Tags the texts on the least busy worker. Concurrent calls run on different workers. */
  async tagBatch(texts: readonly string[], options?: TagOptions): Promise<TagResult[]> {
    checkTexts('TaggerPool.tagBatch', texts);
    checkMinScore('TaggerPool.tagBatch', options?.minScore);
    return (await this.submit('TaggerPool.tagBatch', texts, undefined, options?.minScore)).results!;
  }

  /**
   * Tags the texts on the least busy worker, which also renders each result
   * (`renderDocument(doc, spec)`): only strings come back, which costs the main thread far
   * less than result objects. What `ner tag --workers` uses.
   */
  async tagBatchRendered(texts: readonly string[], spec: RenderSpec, options?: TagOptions): Promise<string[]> {
    checkTexts('TaggerPool.tagBatchRendered', texts);
    checkRenderSpec('TaggerPool.tagBatchRendered', spec);
    checkMinScore('TaggerPool.tagBatchRendered', options?.minScore);
    return (await this.submit('TaggerPool.tagBatchRendered', texts, spec, options?.minScore)).rendered!;
  }

  /**
   * Tags pre-tokenized sentences on the least busy worker: what Tagger.tagTokens gives (see
   * there; `options.documents[i]` is sentence i's document number).
   */
  tagTokens(sentences: readonly (readonly string[])[], options?: TagTokensOptions): Promise<TokenTags[]> {
    return tagTokensWith('TaggerPool.tagTokens', (docs) => this.predict('TaggerPool.tagTokens', docs), sentences, options);
  }

  /**
   * Fills every sentence of the documents with its `predicted` tags and `scores`, in place,
   * as Tagger.tagDocuments does, on the least busy worker (only the words travel to it).
   */
  async tagDocuments(documents: readonly Document[]): Promise<void> {
    checkDocuments('TaggerPool.tagDocuments', documents);
    await this.predict('TaggerPool.tagDocuments', documents);
  }

  private async predict(method: string, documents: readonly Document[]): Promise<void> {
    const words = documents.map((d) => d.sentences.map((s) => s.tokens.map((t) => t.text)));
    const { tagIds, scores, entityCounts, entityScores, tagSet } = await this.send(method, { documents: words });
    let k = 0;
    let e = 0;
    sentencesOf(documents).forEach((sentence, j) => {
      const n = sentence.tokens.length;
      const predicted = new Array<string>(n);
      const tokenScores = new Array<number>(n);
      for (let i = 0; i < n; i++, k++) {
        predicted[i] = tagSet![tagIds![k]];
        tokenScores[i] = scores![k];
      }
      sentence.predicted = predicted;
      sentence.scores = tokenScores;
      sentence.entityScores = Array.from(entityScores!.subarray(e, e + entityCounts![j]));
      e += entityCounts![j];
    });
  }

  private submit(method: string, texts: readonly string[], render?: RenderSpec, minScore?: number): Promise<PoolResponse> {
    return this.send(method, { texts: [...texts], render, minScore });
  }

  private send(method: string, request: DistributiveOmit<PoolRequest, 'id'>): Promise<PoolResponse> {
    if (this.closing) return Promise.reject(new NerError('E_USAGE', `${method}: the tagger pool is closed`, { hint: CLOSED_HINT }));
    const w = this.leastBusyLiveWorker();
    if (w < 0) {
      return Promise.reject(new NerError('E_BACKEND', `${method}: no worker thread of the pool is left (${[...new Set(this.stopped)].join('; ')})`, {
        hint: 'close this pool and start a new one',
      }));
    }
    const id = this.nextId++;
    this.load[w]++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: w });
      this.workers[w].postMessage({ id, ...request } as PoolRequest);
    });
  }

  private leastBusyLiveWorker(): number {
    let best = -1;
    for (let w = 0; w < this.workers.length; w++) {
      if (this.stopped[w] === undefined && (best < 0 || this.load[w] < this.load[best])) best = w;
    }
    return best;
  }

  /** Stops the workers; work still in flight rejects. Calling it again waits for the same stop. */
  close(): Promise<void> {
    if (!this.closing) {
      const err = new NerError('E_USAGE', 'the tagger pool was closed before this batch was tagged', { hint: CLOSED_HINT });
      this.rejectPending(() => true, err);
      this.closing = Promise.all(this.workers.map((w) => w.terminate())).then(() => {});
    }
    return this.closing;
  }

  private settle(w: number, response: PoolResponse): void {
    const job = this.pending.get(response.id);
    if (!job) return;
    this.pending.delete(response.id);
    this.load[w]--;
    if (response.error) job.reject(new NerError(response.error.code ?? 'E_MODEL', response.error.message));
    else job.resolve(response);
  }

  private workerStopped(w: number, reason: string): void {
    if (this.stopped[w] !== undefined) return;
    this.stopped[w] = reason;
    if (this.closing) return; // close() has already rejected what was pending
    this.rejectPending((job) => job.worker === w, new NerError('E_BACKEND', `a tagging worker thread stopped (${reason})`, {
      hint: 'the batch it held was not tagged; the pool goes on with the other workers',
    }));
  }

  private rejectPending(which: (job: Pending) => boolean, err: NerError): void {
    for (const [id, job] of this.pending) {
      if (!which(job)) continue;
      this.pending.delete(id);
      this.load[job.worker]--;
      job.reject(err);
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Resolves when the worker has loaded the model; rejects if it fails or stops first. */
function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    };
    const onMessage = (response: PoolResponse): void => {
      done(response.error ? new NerError(response.error.code ?? 'E_MODEL', response.error.message) : undefined);
    };
    const onError = (err: Error): void => done(new NerError('E_BACKEND', `a tagging worker thread failed while loading the model: ${err.message}`));
    const onExit = (code: number): void => done(new NerError('E_BACKEND', `a tagging worker thread stopped while loading the model (exit code ${code})`));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
