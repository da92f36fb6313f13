import type { ErrorCode } from '../../core/errors.js';
import type { BackendRequest } from '../backend.js';
import type { RenderSpec, TagResult } from '../../core/tagger/format.js';
import type { SharedModelFiles } from './shared-model-files.js';

/** What a pool worker is started with. */
export interface PoolWorkerData {
  modelDir?: string;
  /** The model's files, read once for all workers (weights shared); else the worker reads `modelDir`. */
  files?: SharedModelFiles;
  backend?: BackendRequest;
  /**
   * Bytes of first-layer projections cached, all members together: in `projectionMemories`
   * for all workers together, else this worker's share.
   */
  projectionBudgetBytes: number;
  /** One shared memory per model member, the cache of all workers (see shared-projection-memories.ts). */
  projectionMemories?: WebAssembly.Memory[];
}

/**
 * A batch for a worker: texts to tag (with `render`, answered with rendered strings), or
 * documents to predict tags for (tagDocuments, `ner predict`), sent as the words of each
 * sentence of each document.
 */
export type PoolRequest =
  | { id: number; texts: string[]; render?: RenderSpec; minScore?: number }
  | { id: number; documents: string[][][] };

/** A worker's answer: results, or an error to rethrow in the main thread. `id` -1: start-up. */
export interface PoolResponse {
  id: number;
  results?: TagResult[];
  rendered?: string[];
  /** Predicted tags of `documents`, all tokens in a row, as indices into `tagSet`. */
  tagIds?: Uint16Array;
  /** The probability of each predicted tag, all tokens in a row. */
  scores?: Float64Array;
  /** Entities per sentence, and their scores, all sentences' in a row (Sentence.entityScores). */
  entityCounts?: Uint32Array;
  entityScores?: Float64Array;
  tagSet?: string[];
  ready?: boolean;
  backend?: string;
  error?: { message: string; code?: ErrorCode };
}
