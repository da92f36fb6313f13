/**
 * One projection cache for all of TaggerPool's workers: a shared WebAssembly memory per model
 * member, handed to every worker, in which their first-layer projections keep one cache
 * (core/model/projection-cache.ts) instead of one each. Issue 17: two workers with a private
 * cache of half the budget each projected twice the rows one Tagger did, and each held its
 * own overflow rows.
 */
import { MAX_MEMORY_PAGES } from '../../core/model/kernels/wasm-assembly.js';
import type { SharedModelFiles } from './shared-model-files.js';

/**
 * A shared memory for each member of the model in `files` (one for a single model); undefined
 * where shared memories cannot be made (the workers then keep private caches). Pages are
 * only reserved: a memory holds what the workers write into it.
 */
export function sharedProjectionMemories(files: SharedModelFiles): WebAssembly.Memory[] | undefined {
  let members: unknown;
  try {
    members = JSON.parse(new TextDecoder().decode(files.model))?.config?.members ?? 1;
  } catch {
    return undefined; // the workers' loader reports the broken model.json
  }
  if (typeof members !== 'number' || !Number.isInteger(members) || members < 1) return undefined;
  try {
    return Array.from({ length: members }, () => new WebAssembly.Memory({ initial: 1, maximum: MAX_MEMORY_PAGES, shared: true }));
  } catch {
    return undefined;
  }
}
