/**
 * Inference through the first dense layer without its matrix product, for a model whose
 * parameters no longer change (a loaded model; see WindowModel.useFirstLayerProjections).
 *
 * Why: the first layer is linear in the concatenated embeddings, so a token's contribution at
 * window slot s is `sum_f E_f[id_f] W_{s,f}` (W_{s,f}: the rows of the first layer's weight for
 * slot s and feature f). Projecting each embedding row once, `P_f[id] = E_f[id] [W_{0,f} | ..
 * | W_{S-1,f}]` (slots * hidden values), turns the per-token product (144 x 1500 for the
 * bundled model, most of tagging time) into a sum of a few stored rows.
 *
 * The projections are kept in a cache filled on first sight of each row, up to a byte budget:
 * the small tables (casing, affixes, doccase: rows reserved for all of them while they take
 * at most half the budget) fill completely, and the rest of the budget goes first come, first
 * kept to the big ones (words), so it holds the words the text actually uses, which by Zipf's
 * law are soon the frequent ones (word ids are in order of first appearance in the training
 * data, not of frequency, so a fixed "first K ids" would cover less). Rows not cached
 * (budget spent) are projected for the batch with the same product. A row's projection is a function of that row alone (the
 * backend's product is row by row, checked in the tests), so results never depend on what
 * was tagged before, and equal the plain window-by-window path up to float rounding.
 *
 * Rows not cached go to the round's overflow rows, at most `overflowBytes` of them: a round
 * that would need more stops early (prepare returns where), so that a round's memory stays
 * small however much of the text the cache misses.
 *
 * A feature of several id columns (`chars`: the mean of a word's 3-gram rows) has no row of
 * its own per token to cache: its part of each distinct token's row is the projection of that
 * mean, computed with the pass (one product of `distinct tokens x dim`; the mean is linear, so
 * this is the same number as the product path's up to float rounding).
 *
 * Rows, distinct-token sums and the slot sum live in one WebAssembly memory (its layout:
 * projection-cache.ts; a shared one is one cache for several threads) and are summed
 * there by SIMD kernels (kernels/row-sum.ts, kernels/slot-sum.ts), nothing copied in between.
 * For a network of one ReLU hidden layer (the recipe's), the output layer runs in the same
 * kernel as the slot sum, on each window's hidden units while they are in registers, and only
 * the softmax is left to JavaScript (`forward`); other networks get the first layer's
 * pre-activations (`preActivations`) and go on with WindowNetwork.fromFirstLayer.
 */
import type { EmbeddingTables } from './embedding-tables.js';
import { matMulKernel } from './kernels/matmul.js';
import { rowSumFunction } from './kernels/row-sum.js';
import { slotSumReluDenseFunction, unrolledSlotSumFunction } from './kernels/slot-sum.js';
import { assembleModule, instantiate } from './kernels/wasm-assembly.js';
import { isSharedMemory, ProjectionCache, SLOT_BEING_WRITTEN, SLOT_FREE } from './projection-cache.js';
import type { DenseLayer, WindowNetwork } from './network.js';
import { tf } from './tf.js';

/** Options of the projections. */
export interface FirstLayerProjectionArgs {
  /**
   * Bytes the cache of projected rows may take (each row `slots * hidden * 4` bytes: 6,000 for
   * the bundled model). Default DEFAULT_PROJECTION_BUDGET; 0 projects every row per batch.
   */
  budgetBytes?: number;
  /**
   * The WebAssembly memory to keep the cache in (default: one of its own). A shared memory
   * (`shared: true`, any maximum) given to the projections of one model in several threads,
   * each with the same budget, is one cache for all of them (TaggerPool's workers).
   */
  memory?: WebAssembly.Memory;
  /** Bytes of a round's rows not cached before it stops early (see prepare). Default DEFAULT_OVERFLOW_BYTES. */
  overflowBytes?: number;
}

/**
 * 64 MiB: 11,184 rows of the bundled model, all of its 4,840 casing, affix and doccase rows
 * and ~6,300 words (in CoNLL test text the first 6,300 distinct words cover ~85% of tokens).
 */
export const DEFAULT_PROJECTION_BUDGET = 64 << 20;

/**
 * Bytes of a round's rows not cached (see prepare). Issue 17 (`ner tag` of CoNLL train as
 * lines, one thread): a round of 8k tokens with a full 64 MiB cache missed up to 1,752 rows,
 * 10 MB; with 4 MiB it ran 71 rounds (some stopped early) instead of 29, at the same CPU
 * time (2 MiB: 127 rounds, ~5% more).
 */
export const DEFAULT_OVERFLOW_BYTES = 4 << 20;
/**
 * Rows per product when projecting: the product sits in the backend's memory, which keeps its
 * largest size (2,216 rows at once were 13 MB of it).
 */
const PROJECT_ROWS = 512;
/** Bytes a user's arena starts with: room for a round's overflow and a pass's scratch (pages count only once written). */
const ARENA_BYTES = 16 << 20;
/** Local row marks: not known here; met in this round, not yet placed. */
const UNKNOWN = -1;
const PENDING = -2;

type RowsFn = (offsets: number, count: number, features: number, rowBytes: number, q: number) => void;
type SumFn = (q: number, index: number, bias: number, z: number, batch: number, slots: number, h: number) => void;
type DenseFn = (q: number, index: number, bias: number, w: number, b1: number, out: number, batch: number, h: number) => void;

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

/** Cached and per-batch projections of one model's embedding rows through its first layer. */
export class FirstLayerProjections {
  private readonly F: number;
  /** Id columns per token (`F` unless a feature has several, see FeatureColumns). */
  private readonly C: number;
  /** Per feature, its first id column. */
  private readonly columnAt: readonly number[];
  /** Features of several id columns (`chars`): projected per pass, never cached. */
  private readonly multi: readonly number[];
  /** Per feature, whether it has one id column (cached rows), the complement of `multi`. */
  private readonly single: readonly boolean[];
  private readonly H: number;
  private readonly slots: number;
  /** Bytes of one projected row (`slots * H` floats). */
  private readonly rowBytes: number;
  /** Per feature: its block of the first layer, `[dim, slots * H]`, slot blocks side by side. */
  private readonly blocks: Float32Array[];
  /**
   * Per feature and row id, what this user knows: its cache row (>= 0), UNKNOWN (look in the
   * cache's slot table), -2 - k overflow row k of this round (PENDING while prepare places it).
   */
  private readonly localRow: Int32Array[];
  private readonly capacity: number;
  /** Per feature: whether its whole table has rows reserved in the cache. */
  private readonly reserved: boolean[];
  /** Most overflow rows a round takes before it stops early. */
  private readonly overflowCap: number;
  private readonly store: ProjectionCache;
  /** This round's overflow rows (see prepare): how many, where they start, and whose they are. */
  private overflowRows = 0;
  private overflowAt = 0;
  private overflowed: [number, number][] = [];
  private projected = 0;
  private readonly rows: RowsFn;
  private readonly sum: SumFn;
  private readonly dense: DenseFn | null;
  /** Outputs of the network when `dense` computes them (one ReLU hidden layer), else 0. */
  private readonly outputs: number;
  /** Fixed places in the memory: the first layer's bias, the output layer's bias and weight (transposed). */
  private readonly biasAt: number;
  private readonly b1At: number;
  private readonly w1At: number;

  private constructor(
    private readonly tables: EmbeddingTables,
    layers: readonly DenseLayer[],
    slots: number,
    budgetBytes: number,
    overflowBytes: number,
    instance: WebAssembly.Instance,
    memory: WebAssembly.Memory,
  ) {
    const first = layers[0];
    const W = first.W;
    const F = tables.specs.length;
    const H = first.outputs;
    const D = tables.tokenDim;
    this.F = F;
    this.C = tables.columns.total;
    this.columnAt = tables.columns.offsets;
    this.multi = tables.columns.widths.flatMap((w, f) => (w > 1 ? [f] : []));
    this.single = tables.columns.widths.map((w) => w === 1);
    this.H = H;
    this.slots = slots;
    this.rowBytes = slots * H * 4;
    // blocks[f][k, s * H + j] = W[s * D + offset_f + k, j]
    this.blocks = tables.specs.map((spec, f) => {
      const block = new Float32Array(spec.dim * slots * H);
      for (let k = 0; k < spec.dim; k++) {
        for (let s = 0; s < slots; s++) {
          const from = (s * D + tables.offsets[f] + k) * H;
          block.set(W.subarray(from, from + H), (k * slots + s) * H);
        }
      }
      return block;
    });
    // A feature of several columns caches nothing: no slot table rows, nothing reserved.
    const sizes = tables.specs.map((_, f) => (this.single[f] ? tables.rowCount(f) : 0));
    this.localRow = sizes.map((rows) => new Int32Array(rows).fill(UNKNOWN));
    this.capacity = Math.max(0, Math.floor(budgetBytes / this.rowBytes));
    // Smallest tables first, as long as all of them together take at most half the cache.
    this.reserved = sizes.map(() => false);
    let reservedRows = 0;
    for (const f of sizes.map((_, i) => i).sort((a, b) => sizes[a] - sizes[b])) {
      if (reservedRows + sizes[f] > this.capacity / 2) break;
      reservedRows += sizes[f];
      this.reserved[f] = true;
    }
    this.overflowCap = Math.floor(overflowBytes / this.rowBytes);
    this.rows = instance.exports.rows as RowsFn;
    this.sum = instance.exports.sum as SumFn;
    this.dense = (instance.exports.dense as DenseFn | undefined) ?? null;
    const output = layers[1];
    this.outputs = this.dense ? output.outputs : 0;
    const T = this.outputs;
    // Constants, from 0 here; the cache places them.
    const b1 = align16(H * 4);
    const w1 = align16(b1 + T * 4);
    this.store = new ProjectionCache(memory, { rowBytes: this.rowBytes, capacity: this.capacity, tableRows: sizes, reserved: this.reserved, constantsBytes: w1 + T * H * 4 }, (buffer, constantsAt) => {
      const floats = new Float32Array(buffer);
      const at = constantsAt / 4;
      floats.set(first.b, at);
      if (this.dense) {
        floats.set(output.b, at + b1 / 4);
        for (let t = 0; t < T; t++) for (let k = 0; k < H; k++) floats[at + w1 / 4 + t * H + k] = output.W[k * T + t];
      }
    });
    this.biasAt = this.store.constantsAt;
    this.b1At = this.biasAt + b1;
    this.w1At = this.biasAt + w1;
    this.overflowAt = this.store.arena(ARENA_BYTES);
  }

  /**
   * Projections for a model's tables and network, or null where the kernels cannot run (no
   * WebAssembly SIMD, or a hidden size that is not a multiple of 4): the caller then uses the
   * product path.
   */
  static create(
    tables: EmbeddingTables,
    network: Pick<WindowNetwork, 'layers' | 'activation'>,
    slots: number,
    args: FirstLayerProjectionArgs = {},
  ): FirstLayerProjections | null {
    const budget = args.budgetBytes ?? DEFAULT_PROJECTION_BUDGET;
    if (!(budget >= 0)) throw new RangeError(`budgetBytes must be 0 or more, got ${budget}`);
    const overflow = args.overflowBytes ?? DEFAULT_OVERFLOW_BYTES;
    if (!(overflow >= 0)) throw new RangeError(`overflowBytes must be 0 or more, got ${overflow}`);
    const first = network.layers[0];
    if (network.layers.length < 2 || first.outputs % 4 !== 0 || first.inputs !== slots * tables.tokenDim) return null;
    const kernels = [rowSumFunction(tables.specs.length), unrolledSlotSumFunction(slots)];
    if (network.layers.length === 2 && network.activation === 'relu') kernels.push(slotSumReluDenseFunction(slots, network.layers[1].outputs));
    const memory = args.memory ?? new WebAssembly.Memory({ initial: 1 });
    const instance = instantiate(assembleModule(kernels, isSharedMemory(memory) ? 'imported-shared' : 'imported'), memory);
    if (!instance) return null;
    return new FirstLayerProjections(tables, network.layers, slots, budget, overflow, instance, memory);
  }

  /** Whether `forward` computes the whole network (one ReLU hidden layer). */
  get wholeNetwork(): boolean {
    return this.dense !== null;
  }

  /** Whether the cache is in a shared memory (one cache for several threads). */
  get shared(): boolean {
    return this.store.shared;
  }

  /**
   * Rows cached so far (by every user of a shared cache), how many fit, and rows this user
   * projected in all (cached, or for one round).
   */
  get cache(): { rows: number; capacity: number; bytes: number; projected: number } {
    const rows = this.store.used;
    return { rows, capacity: this.capacity, bytes: rows * this.rowBytes, projected: this.projected };
  }

  /**
   * Makes every row that tokens `from .. end` of `ids` (`ids[t * columns + columnOf(f)]`, as in EncodedTokens)
   * use, and the padding rows, ready for preActivations, and returns `end`: `to`, or less
   * (never less than `minEnd`) where the round's overflow rows would pass `overflowBytes`.
   * Rows not cached yet are projected (one product per feature), into the cache while it has
   * room, else into this round's overflow rows. Starts a new round: the previous round's
   * overflow rows are dropped.
   */
  prepare(ids: Int32Array, from: number, to: number, minEnd = to): number {
    const { F, rowBytes, store: cache } = this;
    for (const [f, id] of this.overflowed) this.localRow[f][id] = UNKNOWN;
    this.overflowed = [];
    // Rows to project, per feature, each once: first those to cache, then overflow rows.
    const keep: number[][] = Array.from({ length: F }, () => []);
    const over: number[][] = Array.from({ length: F }, () => []);
    let end = this.markMisses(ids, from, to, minEnd, keep, over);
    // Claim the rows to cache; a row another user claimed first is theirs (cached, or overflow here while it is written).
    const kept: number[] = [];
    let tables = Array.from({ length: F }, (_, f) => cache.slotTable(f));
    for (let f = 0; f < F; f++) {
      const table = tables[f];
      const claimed: number[] = [];
      for (const id of keep[f]) {
        if (Atomics.compareExchange(table, id, SLOT_FREE, SLOT_BEING_WRITTEN) === SLOT_FREE) claimed.push(id);
        else {
          const slot = Atomics.load(table, id);
          if (slot > 0) this.localRow[f][id] = slot - 1;
          else over[f].push(id);
        }
      }
      const got = this.reserved[f] ? claimed.length : cache.takeUnreserved(claimed.length);
      for (let k = got; k < claimed.length; k++) Atomics.store(table, claimed[k], SLOT_FREE);
      over[f].push(...claimed.splice(got));
      kept.push(got);
      keep[f] = claimed;
    }
    this.overflowRows = over.reduce((n, list) => n + list.length, 0);
    this.overflowAt = cache.arena(this.overflowRows * rowBytes);
    tables = Array.from({ length: F }, (_, f) => cache.slotTable(f)); // the memory may have grown
    const floats = new Float32Array(cache.memory.buffer);
    const rowFloats = rowBytes / 4;
    let overflow = 0;
    for (let f = 0; f < F; f++) {
      const list = keep[f].concat(over[f]);
      if (list.length === 0) continue;
      const keepCount = kept[f];
      const base = keepCount > 0 ? cache.claimRows(keepCount) : 0;
      const firstOverflow = overflow;
      this.project(f, list, (rows, first) => {
        for (let r = 0; r < rows.length / rowFloats; r++) {
          const k = first + r;
          const at = k < keepCount ? cache.cacheAt + (base + k) * rowBytes : this.overflowAt + (firstOverflow + k - keepCount) * rowBytes;
          floats.set(rows.subarray(r * rowFloats, (r + 1) * rowFloats), at / 4);
        }
      });
      const rowOf = this.localRow[f];
      for (let k = 0; k < keepCount; k++) {
        rowOf[list[k]] = base + k;
        Atomics.store(tables[f], list[k], base + k + 1); // published once written
      }
      for (let k = keepCount; k < list.length; k++) {
        rowOf[list[k]] = -2 - overflow++;
        this.overflowed.push([f, list[k]]);
      }
    }
    return end;
  }

  /**
   * Sorts the rows tokens `from ..` use that this user does not know as cached into `keep` (free
   * in the cache, with room for them) and `over` (overflow rows), marking them PENDING, the
   * padding rows first; stops before the token that would take the overflow rows past the
   * cap, from `minEnd` on. Returns the end of the tokens taken.
   */
  private markMisses(ids: Int32Array, from: number, to: number, minEnd: number, keep: number[][], over: number[][]): number {
    const { F, C, columnAt, single } = this;
    const tables = Array.from({ length: F }, (_, f) => this.store.slotTable(f));
    const decision = new Int8Array(F); // 0 known, 1 keep, 2 overflow
    let unreservedLeft = this.store.unreservedLeft();
    let overflowRows = 0;
    let t = from - 1; // -1: the padding beyond sentence edges
    for (; t < to; t++) {
      let newOver = 0;
      let newUnreserved = 0;
      for (let f = 0; f < F; f++) {
        decision[f] = 0;
        if (!single[f]) continue;
        const id = t < from ? 0 : ids[t * C + columnAt[f]];
        const rowOf = this.localRow[f];
        if (rowOf[id] !== UNKNOWN) continue;
        const slot = Atomics.load(tables[f], id);
        if (slot > 0) {
          rowOf[id] = slot - 1;
        } else if (slot === SLOT_FREE && (this.reserved[f] || unreservedLeft - newUnreserved > 0)) {
          decision[f] = 1;
          if (!this.reserved[f]) newUnreserved++;
        } else {
          decision[f] = 2;
          newOver++;
        }
      }
      if (t >= minEnd && overflowRows + newOver > this.overflowCap) break;
      for (let f = 0; f < F; f++) {
        if (decision[f] === 0) continue;
        const id = t < from ? 0 : ids[t * C + columnAt[f]];
        this.localRow[f][id] = PENDING;
        (decision[f] === 1 ? keep : over)[f].push(id);
      }
      overflowRows += newOver;
      unreservedLeft -= newUnreserved;
    }
    return Math.max(from, t);
  }

  /**
   * The first layer's pre-activations `[batch, H]` of a batch of windows, given as in
   * WindowNetwork.forwardDistinctTokens: `tuples[u * columns ..]` the id columns of distinct token u
   * (token 0 the padding), `slotIndex[s * batch + b]` the distinct token at slot s of window b.
   * Every row must be cached or prepared in this round (see prepare). Returns a view into the
   * kernels' memory, valid until the next call.
   */
  preActivations(tuples: Int32Array, unique: number, slotIndex: Int32Array, batch: number): Float32Array {
    const { qAt, indexAt, outAt } = this.distinctRows(tuples, unique, slotIndex, batch, this.H);
    this.sum(qAt, indexAt, this.biasAt, outAt, batch, this.slots, this.H);
    return new Float32Array(this.store.memory.buffer, outAt, batch * this.H);
  }

  /**
   * The network's softmax outputs `[batch, outputs]` for a batch given as in preActivations;
   * only where `wholeNetwork` (one ReLU hidden layer). A new array.
   */
  forward(tuples: Int32Array, unique: number, slotIndex: Int32Array, batch: number): Float32Array {
    if (!this.dense) throw new Error('forward needs a network of one ReLU hidden layer; use preActivations');
    const T = this.outputs;
    const { qAt, indexAt, outAt } = this.distinctRows(tuples, unique, slotIndex, batch, T);
    this.dense(qAt, indexAt, this.biasAt, this.w1At, this.b1At, outAt, batch, this.H);
    const logits = new Float32Array(this.store.memory.buffer, outAt, batch * T);
    const out = new Float32Array(batch * T);
    for (let b = 0; b < batch; b++) {
      const at = b * T;
      let max = -Infinity;
      for (let t = 0; t < T; t++) max = Math.max(max, logits[at + t]);
      let sum = 0;
      for (let t = 0; t < T; t++) sum += out[at + t] = Math.exp(logits[at + t] - max);
      for (let t = 0; t < T; t++) out[at + t] /= sum;
    }
    return out;
  }

  /**
   * Writes the batch's slot index and each distinct token's row Q[u] (the sum of its features'
   * rows) into the scratch, after the overflow rows in this user's arena, and makes room for
   * `perWindow` output floats per window.
   */
  private distinctRows(tuples: Int32Array, unique: number, slotIndex: Int32Array, batch: number, perWindow: number): { qAt: number; indexAt: number; outAt: number } {
    const { F, C, columnAt, multi, rowBytes } = this;
    const overflowBytes = this.overflowRows * rowBytes;
    // Offsets within the scratch first, then where the arena (grown if need be) puts it.
    const q = align16(unique * F * 4);
    const index = q + unique * rowBytes;
    const outOffset = align16(index + slotIndex.length * 4);
    const multiOffset = align16(outOffset + batch * perWindow * 4);
    this.overflowAt = this.store.arena(overflowBytes + multiOffset + multi.length * unique * rowBytes, overflowBytes);
    const offsetsAt = this.overflowAt + overflowBytes;
    const qAt = offsetsAt + q;
    const indexAt = offsetsAt + index;
    const outAt = offsetsAt + outOffset;
    const multiAt = offsetsAt + multiOffset;
    const buffer = this.store.memory.buffer;
    const offsets = new Int32Array(buffer, offsetsAt, unique * F);
    for (let f = 0; f < F; f++) {
      if (!this.single[f]) continue;
      const rowOf = this.localRow[f];
      for (let u = 0; u < unique; u++) {
        const id = tuples[u * C + columnAt[f]];
        const row = rowOf[id];
        if (row === UNKNOWN) throw new Error(`row ${id} of feature ${f} was not prepared`);
        // row >= 0: cached; -2 - k: overflow row k of this round.
        offsets[u * F + f] = row >= 0 ? this.store.cacheAt + row * rowBytes : this.overflowAt + (-2 - row) * rowBytes;
      }
    }
    multi.forEach((f, k) => {
      const at = multiAt + k * unique * rowBytes;
      this.projectMeans(f, tuples, unique, new Float32Array(buffer, at, unique * (rowBytes / 4)));
      for (let u = 0; u < unique; u++) offsets[u * F + f] = at + u * rowBytes;
    });
    new Int32Array(buffer, indexAt, slotIndex.length).set(slotIndex);
    this.rows(offsetsAt, unique, F, rowBytes, qAt);
    return { qAt, indexAt, outAt };
  }

  /**
   * Hands `use` the projections `[n, slots * H]` of rows `ids[first .. first + n)` of feature
   * f's table, PROJECT_ROWS at a time. On the wasm backend `use` reads them where the product
   * left them in the backend's memory (valid only during the call): a copy out (dataSync) of
   * every projected row, 6 kB each, was a tenth of a cold `ner tag` run, and its garbage more.
   */
  private project(f: number, ids: readonly number[], use: (rows: Float32Array, first: number) => void): void {
    this.projected += ids.length;
    const dim = this.tables.specs[f].dim;
    for (let first = 0; first < ids.length; first += PROJECT_ROWS) {
      const n = Math.min(PROJECT_ROWS, ids.length - first);
      const A = new Float32Array(n * dim);
      for (let k = 0; k < n; k++) A.set(this.tables.row(f, ids[first + k]), k * dim);
      this.product(f, A, n, (rows) => use(rows, first));
    }
  }

  /**
   * Writes into `out` (`[unique, slots * H]`) the projection of each distinct token's mean of
   * feature f's rows (a feature of several id columns, see EmbeddingTables.meanRow): `tuples`
   * as in preActivations. The padding tuple's mean is zeros, and so is its projection.
   */
  private projectMeans(f: number, tuples: Int32Array, unique: number, out: Float32Array): void {
    const dim = this.tables.specs[f].dim;
    const width = this.tables.columns.widths[f];
    const rowFloats = this.slots * this.H;
    for (let first = 0; first < unique; first += PROJECT_ROWS) {
      const n = Math.min(PROJECT_ROWS, unique - first);
      const A = new Float32Array(n * dim);
      for (let k = 0; k < n; k++) this.tables.meanRow(f, tuples, (first + k) * this.C + this.columnAt[f], width, A, k * dim);
      this.product(f, A, n, (rows) => out.set(rows.subarray(0, n * rowFloats), first * rowFloats));
    }
  }

  /** Hands `use` the product `[n, slots * H]` of rows `A` (`[n, dim]`) and feature f's block (see project). */
  private product(f: number, A: Float32Array, n: number, use: (rows: Float32Array) => void): void {
    const dim = this.tables.specs[f].dim;
    // Our own SIMD product (kernels/matmul.ts: 1.6-3.2x tfjs-wasm's on these shapes); tfjs without SIMD.
    // Unfused: tagging's numbers, scores included, are then the same bits on every machine.
    const kernel = matMulKernel(false);
    if (kernel) {
      use(kernel.multiply(A, this.blocks[f], n, dim, this.slots * this.H));
      return;
    }
    tf.tidy(() => {
      const product = tf.matMul(tf.tensor2d(A, [n, dim]), tf.tensor2d(this.blocks[f], [dim, this.slots * this.H]));
      const backend = tf.backend() as { typedArrayFromHeap?: (t: unknown) => Float32Array };
      use(tf.getBackend() === 'wasm' && backend.typedArrayFromHeap ? backend.typedArrayFromHeap(product) : (product.dataSync() as Float32Array));
    });
  }
}
