/**
 * The distinct feature tuples among consecutive tokens. News text repeats its words (in 50k
 * tokens there are ~4x fewer distinct tuples than tokens), so projecting each distinct token
 * through the first layer once, instead of each window position, saves most of inference.
 */
export interface UniqueTokens {
  /** Number of distinct tuples; tuple 0 is the padding tuple (all PAD ids). */
  count: number;
  /** `tuples[u * features + f]`: feature f of distinct tuple u. */
  tuples: Int32Array;
  /** `index[t - from]`: the tuple of token t. */
  index: Int32Array;
}

/**
 * Finds the distinct tuples of `ids[t * features ..]` for tokens `from .. to` with an
 * open-addressing hash table over typed arrays (no string keys on the hot path).
 */
export function uniqueTokens(ids: Int32Array, features: number, from: number, to: number): UniqueTokens {
  const n = to - from;
  let capacity = 1024;
  while (capacity < 2 * (n + 1)) capacity *= 2;
  const mask = capacity - 1;
  const buckets = new Int32Array(capacity).fill(-1);
  const tuples = new Int32Array((n + 1) * features); // tuple 0 stays all zeros: the padding
  const index = new Int32Array(n);
  buckets[hash(tuples, 0, features) & mask] = 0;
  let count = 1;
  for (let t = from; t < to; t++) {
    const base = t * features;
    let h = hash(ids, base, features) & mask;
    for (;;) {
      const u = buckets[h];
      if (u === -1) {
        buckets[h] = count;
        tuples.set(ids.subarray(base, base + features), count * features);
        index[t - from] = count++;
        break;
      }
      if (same(tuples, u * features, ids, base, features)) {
        index[t - from] = u;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  return { count, tuples: tuples.subarray(0, count * features), index };
}

function hash(a: Int32Array, at: number, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ a[at + i], 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

function same(a: Int32Array, i: number, b: Int32Array, j: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}
