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
 * Rows, distinct-token sums and the slot sum live in one WebAssembly memory and are summed
 * there by SIMD kernels (kernels/row-sum.ts, kernels/slot-sum.ts), nothing copied in between.
 * For a network of one ReLU hidden layer (the recipe's), the output layer runs in the same
 * kernel as the slot sum, on each window's hidden units while they are in registers, and only
 * the softmax is left to JavaScript (`forward`); other networks get the first layer's
 * pre-activations (`preActivations`) and go on with WindowNetwork.fromFirstLayer.
 */
import type { EmbeddingTables } from './embedding-tables.js';
import { rowSumFunction } from './kernels/row-sum.js';
import { slotSumReluDenseFunction, unrolledSlotSumFunction } from './kernels/slot-sum.js';
import { assembleModule, instantiate } from './kernels/wasm-assembly.js';
import type { DenseLayer, WindowNetwork } from './network.js';
import { tf } from './tf.js';

/** Options of the projections. */
export interface FirstLayerProjectionArgs {
  /**
   * Bytes the cache of projected rows may take (each row `slots * hidden * 4` bytes: 6,000 for
   * the bundled model). Default DEFAULT_PROJECTION_BUDGET; 0 projects every row per batch.
   */
  budgetBytes?: number;
}

/**
 * 64 MiB: 11,184 rows of the bundled model, all of its 4,840 casing, affix and doccase rows
 * and ~6,300 words (in CoNLL test text the first 6,300 distinct words cover ~85% of tokens).
 */
export const DEFAULT_PROJECTION_BUDGET = 64 << 20;

type RowsFn = (offsets: number, count: number, features: number, rowBytes: number, q: number) => void;
type SumFn = (q: number, index: number, bias: number, z: number, batch: number, slots: number, h: number) => void;
type DenseFn = (q: number, index: number, bias: number, w: number, b1: number, out: number, batch: number, h: number) => void;

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

/** Cached and per-batch projections of one model's embedding rows through its first layer. */
export class FirstLayerProjections {
  private readonly F: number;
  private readonly H: number;
  private readonly slots: number;
  /** Bytes of one projected row (`slots * H` floats). */
  private readonly rowBytes: number;
  /** Per feature: its block of the first layer, `[dim, slots * H]`, slot blocks side by side. */
  private readonly blocks: Float32Array[];
  /** Per feature and row id: its cache row, -1 when not cached (below -1 while a batch runs). */
  private readonly cacheRow: Int32Array[];
  private readonly capacity: number;
  /** Per feature: whether its whole table has rows reserved in the cache. */
  private readonly reserved: boolean[];
  /** Cache rows taken, and those left to the tables without reserved rows. */
  private used = 0;
  private shared: number;
  /** This round's overflow rows (see prepare): where they start, and whose they are. */
  private overflowAt = 0;
  private overflowed: [number, number][] = [];
  /** Where the scratch of preActivations starts, after the overflow rows. */
  private scratchAt = 0;
  private projected = 0;
  private readonly memory: WebAssembly.Memory;
  private readonly rows: RowsFn;
  private readonly sum: SumFn;
  private readonly dense: DenseFn | null;
  /** Outputs of the network when `dense` computes them (one ReLU hidden layer), else 0. */
  private readonly outputs: number;
  /** Fixed places in the memory: the first layer's bias, the output layer's bias and weight (transposed), the cache. */
  private readonly biasAt = 0;
  private readonly b1At: number;
  private readonly w1At: number;
  private readonly cacheAt: number;

  private constructor(
    private readonly tables: EmbeddingTables,
    layers: readonly DenseLayer[],
    slots: number,
    budgetBytes: number,
    instance: WebAssembly.Instance,
  ) {
    const first = layers[0];
    const W = first.W;
    const F = tables.specs.length;
    const H = first.outputs;
    const D = tables.tokenDim;
    this.F = F;
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
    this.cacheRow = tables.specs.map((_, f) => new Int32Array(tables.rowCount(f)).fill(-1));
    this.capacity = Math.max(0, Math.floor(budgetBytes / this.rowBytes));
    // Smallest tables first, as long as all of them together take at most half the cache.
    const sizes = this.cacheRow.map((rows) => rows.length);
    this.reserved = sizes.map(() => false);
    let reservedRows = 0;
    for (const f of sizes.map((_, i) => i).sort((a, b) => sizes[a] - sizes[b])) {
      if (reservedRows + sizes[f] > this.capacity / 2) break;
      reservedRows += sizes[f];
      this.reserved[f] = true;
    }
    this.shared = this.capacity - reservedRows;
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.rows = instance.exports.rows as RowsFn;
    this.sum = instance.exports.sum as SumFn;
    this.dense = (instance.exports.dense as DenseFn | undefined) ?? null;
    const output = layers[1];
    this.outputs = this.dense ? output.outputs : 0;
    const T = this.outputs;
    this.b1At = align16(this.biasAt + H * 4);
    this.w1At = align16(this.b1At + T * 4);
    this.cacheAt = align16(this.w1At + T * H * 4);
    // The cache comes after them, reserved at once: its pages count towards the process's
    // memory only once rows are written to them.
    this.overflowAt = this.scratchAt = this.cacheAt + this.capacity * this.rowBytes;
    this.ensure(this.scratchAt);
    const floats = new Float32Array(this.memory.buffer);
    floats.set(first.b, this.biasAt / 4);
    if (this.dense) {
      floats.set(output.b, this.b1At / 4);
      for (let t = 0; t < T; t++) for (let k = 0; k < H; k++) floats[this.w1At / 4 + t * H + k] = output.W[k * T + t];
    }
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
    const first = network.layers[0];
    if (network.layers.length < 2 || first.outputs % 4 !== 0 || first.inputs !== slots * tables.tokenDim) return null;
    const kernels = [rowSumFunction(tables.specs.length), unrolledSlotSumFunction(slots)];
    if (network.layers.length === 2 && network.activation === 'relu') kernels.push(slotSumReluDenseFunction(slots, network.layers[1].outputs));
    const instance = instantiate(assembleModule(kernels));
    if (!instance) return null;
    return new FirstLayerProjections(tables, network.layers, slots, budget, instance);
  }

  /** Whether `forward` computes the whole network (one ReLU hidden layer). */
  get wholeNetwork(): boolean {
    return this.dense !== null;
  }

  /** Rows cached so far, how many fit, and rows projected in all (cached, or for one round). */
  get cache(): { rows: number; capacity: number; bytes: number; projected: number } {
    return { rows: this.used, capacity: this.capacity, bytes: this.used * this.rowBytes, projected: this.projected };
  }

  /**
   * Makes every row that tokens `from .. to` of `ids` (`ids[t * F + f]`, as in EncodedTokens)
   * use, and the padding rows, ready for preActivations: rows not cached yet are projected
   * (one product per feature), into the cache while it has room, else into this round's
   * overflow rows. Starts a new round: the previous round's overflow rows are dropped.
   */
  prepare(ids: Int32Array, from: number, to: number): void {
    const { F, rowBytes } = this;
    for (const [f, id] of this.overflowed) this.cacheRow[f][id] = -1;
    this.overflowed = [];
    // Rows not cached yet, per feature, each once: marked -2 - k (the k-th miss) meanwhile.
    const misses: number[][] = [];
    for (let f = 0; f < F; f++) {
      const rowOf = this.cacheRow[f];
      const list: number[] = [];
      const miss = (id: number): void => {
        if (rowOf[id] === -1) {
          rowOf[id] = -2 - list.length;
          list.push(id);
        }
      };
      miss(0); // the padding beyond sentence edges
      for (let t = from; t < to; t++) miss(ids[t * F + f]);
      misses.push(list);
    }
    const kept = misses.map((list, f) => {
      if (this.reserved[f]) return list.length;
      const n = Math.min(list.length, this.shared);
      this.shared -= n;
      return n;
    });
    const overflowRows = misses.reduce((n, list, f) => n + list.length - kept[f], 0);
    this.overflowAt = this.cacheAt + this.capacity * rowBytes;
    this.scratchAt = this.overflowAt + overflowRows * rowBytes;
    this.ensure(this.scratchAt);
    const floats = new Float32Array(this.memory.buffer);
    const rowFloats = rowBytes / 4;
    let overflow = 0;
    for (let f = 0; f < F; f++) {
      const list = misses[f];
      if (list.length === 0) continue;
      const rowOf = this.cacheRow[f];
      const keep = kept[f];
      this.project(f, list, (rows) => {
        floats.set(rows.subarray(0, keep * rowFloats), this.cacheAt / 4 + this.used * rowFloats);
        floats.set(rows.subarray(keep * rowFloats), this.overflowAt / 4 + overflow * rowFloats);
      });
      for (let k = 0; k < keep; k++) rowOf[list[k]] = this.used++;
      for (let k = keep; k < list.length; k++) {
        rowOf[list[k]] = -2 - overflow++;
        this.overflowed.push([f, list[k]]);
      }
    }
  }

  /**
   * The first layer's pre-activations `[batch, H]` of a batch of windows, given as in
   * WindowNetwork.forwardDistinctTokens: `tuples[u * F + f]` the feature ids of distinct token u
   * (token 0 the padding), `slotIndex[s * batch + b]` the distinct token at slot s of window b.
   * Every row must be cached or prepared in this round (see prepare). Returns a view into the
   * kernels' memory, valid until the next call.
   */
  preActivations(tuples: Int32Array, unique: number, slotIndex: Int32Array, batch: number): Float32Array {
    const { qAt, indexAt, outAt } = this.distinctRows(tuples, unique, slotIndex, batch, this.H);
    this.sum(qAt, indexAt, this.biasAt, outAt, batch, this.slots, this.H);
    return new Float32Array(this.memory.buffer, outAt, batch * this.H);
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
    const logits = new Float32Array(this.memory.buffer, outAt, batch * T);
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
   * rows) into the scratch, after the overflow rows, and makes room for `perWindow` output
   * floats per window.
   */
  private distinctRows(tuples: Int32Array, unique: number, slotIndex: Int32Array, batch: number, perWindow: number): { qAt: number; indexAt: number; outAt: number } {
    const { F, rowBytes } = this;
    const offsetsAt = this.scratchAt;
    const qAt = align16(offsetsAt + unique * F * 4);
    const indexAt = qAt + unique * rowBytes;
    const outAt = align16(indexAt + slotIndex.length * 4);
    this.ensure(outAt + batch * perWindow * 4);
    const buffer = this.memory.buffer;
    const offsets = new Int32Array(buffer, offsetsAt, unique * F);
    for (let f = 0; f < F; f++) {
      const rowOf = this.cacheRow[f];
      for (let u = 0; u < unique; u++) {
        const row = rowOf[tuples[u * F + f]];
        if (row === -1) throw new Error(`row ${tuples[u * F + f]} of feature ${f} was not prepared`);
        // row >= 0: cached; -2 - k: overflow row k of this round.
        offsets[u * F + f] = row >= 0 ? this.cacheAt + row * rowBytes : this.overflowAt + (-2 - row) * rowBytes;
      }
    }
    new Int32Array(buffer, indexAt, slotIndex.length).set(slotIndex);
    this.rows(offsetsAt, unique, F, rowBytes, qAt);
    return { qAt, indexAt, outAt };
  }

  /**
   * Hands `use` the projections `[ids.length, slots * H]` of rows `ids` of feature f's table.
   * On the wasm backend `use` reads them where the product left them in the backend's memory
   * (valid only during the call): a copy out (dataSync) of every projected row, 6 kB each,
   * was a tenth of a cold `ner tag` run, and its garbage more.
   */
  private project(f: number, ids: readonly number[], use: (rows: Float32Array) => void): void {
    this.projected += ids.length;
    const dim = this.tables.specs[f].dim;
    const A = new Float32Array(ids.length * dim);
    ids.forEach((id, k) => A.set(this.tables.row(f, id), k * dim));
    tf.tidy(() => {
      const cols = this.slots * this.H;
      const product = tf.matMul(tf.tensor2d(A, [ids.length, dim]), tf.tensor2d(this.blocks[f], [dim, cols]));
      const backend = tf.backend() as { typedArrayFromHeap?: (t: unknown) => Float32Array };
      use(tf.getBackend() === 'wasm' && backend.typedArrayFromHeap ? backend.typedArrayFromHeap(product) : (product.dataSync() as Float32Array));
    });
  }

  /** Grows the memory to at least `bytes`. */
  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (have < bytes) this.memory.grow(Math.ceil((bytes - have) / 65536));
  }
}
