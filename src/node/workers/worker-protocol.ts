import type { ErrorCode } from '../../core/errors.js';
import type { BackendRequest } from '../backend.js';
import type { RenderSpec } from '../../core/tagger/format.js';
import type { TagResult } from '../../core/tagger/types.js';

/** What a pool worker is started with. */
export interface PoolWorkerData {
  modelDir?: string;
  backend?: BackendRequest;
}

/**
 * A batch for a worker: texts to tag (with `render`, answered with rendered strings), or
 * sentences already split into words to predict tags for (`ner predict`).
 */
export type PoolRequest =
  | { id: number; texts: string[]; render?: RenderSpec }
  | { id: number; sentences: string[][]; documents?: number[] };

/** A worker's answer: results, or an error to rethrow in the main thread. `id` -1: start-up. */
export interface PoolResponse {
  id: number;
  results?: TagResult[];
  rendered?: string[];
  /** Predicted tags of `sentences`, all tokens in a row, as indices into `tagSet`. */
  tagIds?: Uint16Array;
  tagSet?: string[];
  ready?: boolean;
  backend?: string;
  error?: { message: string; code?: ErrorCode };
}
