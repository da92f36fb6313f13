import type { ErrorCode } from '../errors.js';
import type { BackendRequest } from '../model/backend.js';
import type { RenderSpec } from './format.js';
import type { TagResult } from './types.js';

/** What a pool worker is started with. */
export interface PoolWorkerData {
  modelDir?: string;
  backend?: BackendRequest;
}

/** A batch of texts for a worker to tag; with `render`, answered with rendered strings. */
export interface PoolRequest {
  id: number;
  texts: string[];
  render?: RenderSpec;
}

/** A worker's answer: results, or an error to rethrow in the main thread. `id` -1: start-up. */
export interface PoolResponse {
  id: number;
  results?: TagResult[];
  rendered?: string[];
  ready?: boolean;
  backend?: string;
  error?: { message: string; code?: ErrorCode };
}
