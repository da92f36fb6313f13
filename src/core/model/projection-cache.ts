/**
 * The memory FirstLayerProjections computes in: one WebAssembly memory that holds, in order,
 *
 *   header       | state, cache rows taken, rows left to the unreserved tables, arena top, layout check
 *   constants    | what the kernels read besides rows (biases, the output layer), written once
 *   slot tables  | per feature and embedding row: 0 not cached, -1 being written, k + 1 in cache row k
 *   cache rows   | `capacity` projected rows, filled first come, first kept, never evicted
 *   arenas       | one per user: its round's rows not cached, and the kernels' scratch
 *
 * Why one layout for everything: the kernels can read only their one memory, so cached rows,
 * the rows of a round and the scratch must lie in it together. Given a shared memory
 * (`shared: true`), the threads of a TaggerPool keep one cache of the model's rows instead of
 * one each: the first to come lays the memory out, every one takes an arena of its own, and
 * a row is claimed in its slot table (compare-and-swap 0 -> -1) before it is written and
 * published (its cache row) after, so each row is projected into the cache once and read
 * only once complete. A row another thread is still writing is projected again for the
 * round: the product of a row does not depend on the batch it is in, so results never depend
 * on who cached what. In a memory of its own, the same steps run uncontended.
 */
import { growMemory } from './kernels/wasm-assembly.js';

/** Int32 cells of the header. */
const CELL = { state: 0, used: 1, unreservedLeft: 2, top: 3, check: 4 } as const;
const HEADER_BYTES = 64;
/** The header's states: not laid out yet, being laid out by one thread, ready. */
const STATE = { fresh: 0, layingOut: 1, ready: 2 } as const;
/** Slot-table values besides `row + 1`. */
export const SLOT_FREE = 0;
export const SLOT_BEING_WRITTEN = -1;

/** What the layout of a cache depends on (every user of one shared memory must give the same). */
export interface CacheGeometry {
  /** Bytes of one projected row (a multiple of 16). */
  rowBytes: number;
  /** Cache rows in all. */
  capacity: number;
  /** Rows of each feature's embedding table. */
  tableRows: readonly number[];
  /** Whether each table has rows reserved in the cache (its rows are always kept). */
  reserved: readonly boolean[];
  /** Bytes of the kernels' constants. */
  constantsBytes: number;
}

const align64 = (n: number): number => Math.ceil(n / 64) * 64;

/** The layout's check value: a hash of the geometry, so that another model's users are refused. */
function geometryCheck(g: CacheGeometry): number {
  let h = 0x811c9dc5;
  for (const x of [g.rowBytes, g.capacity, g.constantsBytes, ...g.tableRows, ...g.reserved.map(Number)]) h = Math.imul(h ^ x, 0x01000193);
  return h | 0;
}

/** Whether `memory` can be shared between threads (a shared WebAssembly memory). */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** One user's view of a cache memory (see the file's comment): claims, publishes, its arena. */
export class ProjectionCache {
  readonly shared: boolean;
  readonly constantsAt = HEADER_BYTES;
  readonly cacheAt: number;
  private readonly slotAt: number[];
  private arenaAt = -1;
  private arenaBytes = 0;

  /**
   * Lays the memory out (writing the constants with `writeConstants`) unless another user
   * already has, then checks that it was laid out for the same geometry.
   */
  constructor(readonly memory: WebAssembly.Memory, private readonly geometry: CacheGeometry, writeConstants: (memory: ArrayBuffer | SharedArrayBuffer, at: number) => void) {
    this.shared = isSharedMemory(memory);
    let at = align64(HEADER_BYTES + geometry.constantsBytes);
    this.slotAt = geometry.tableRows.map((rows) => {
      const start = at;
      at += rows * 4;
      return start;
    });
    this.cacheAt = align64(at);
    const arenasAt = align64(this.cacheAt + geometry.capacity * geometry.rowBytes);
    const check = geometryCheck(geometry);
    growMemory(this.memory, HEADER_BYTES);
    if (Atomics.compareExchange(this.header(), CELL.state, STATE.fresh, STATE.layingOut) === STATE.fresh) {
      // Fresh memory is zeros: every slot already reads "not cached".
      growMemory(this.memory, arenasAt);
      writeConstants(this.memory.buffer, this.constantsAt);
      const reservedRows = geometry.tableRows.reduce((n, rows, f) => n + (geometry.reserved[f] ? rows : 0), 0);
      const h = this.header();
      Atomics.store(h, CELL.unreservedLeft, geometry.capacity - reservedRows);
      Atomics.store(h, CELL.top, arenasAt);
      Atomics.store(h, CELL.check, check);
      Atomics.store(h, CELL.state, STATE.ready);
      if (this.shared) Atomics.notify(h, CELL.state);
    } else {
      // Only a shared memory can be met half laid out (by another thread): wait for it.
      const h = this.header();
      while (Atomics.load(h, CELL.state) !== STATE.ready) Atomics.wait(h, CELL.state, STATE.layingOut, 1000);
    }
    if (Atomics.load(this.header(), CELL.check) !== check) {
      throw new Error('this projection memory was laid out for another model (or another cache budget); give each model its own');
    }
  }

  /** Cache rows taken, by all users together. */
  get used(): number {
    return Atomics.load(this.header(), CELL.used);
  }

  /** Feature f's slot table, as a view of the memory as it is now. */
  slotTable(f: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.slotAt[f], this.geometry.tableRows[f]);
  }

  /** Rows an unreserved table may still cache, as the last look saw it (others may take them first). */
  unreservedLeft(): number {
    return Math.max(0, Atomics.load(this.header(), CELL.unreservedLeft));
  }

  /** Takes up to `n` of the unreserved tables' rows; returns how many it got. */
  takeUnreserved(n: number): number {
    if (n === 0) return 0;
    const before = Atomics.sub(this.header(), CELL.unreservedLeft, n);
    return Math.max(0, Math.min(n, before));
  }

  /** The first of `n` cache rows now this user's to write (n within what was taken). */
  claimRows(n: number): number {
    return Atomics.add(this.header(), CELL.used, n);
  }

  /**
   * The start of this user's arena, made at least `bytes` long; the first `keepBytes` of it
   * stay as they were. An arena that must grow grows in place while it is the last one, else
   * moves to the end (what it held copied; the old one is left unused).
   */
  arena(bytes: number, keepBytes = 0): number {
    if (bytes <= this.arenaBytes) return this.arenaAt;
    const size = align64(Math.max(bytes, 2 * this.arenaBytes));
    const h = this.header();
    const end = this.arenaAt + this.arenaBytes;
    if (this.arenaAt >= 0 && Atomics.compareExchange(h, CELL.top, end, this.arenaAt + size) === end) {
      growMemory(this.memory, this.arenaAt + size);
    } else {
      const at = Atomics.add(h, CELL.top, size);
      growMemory(this.memory, at + size);
      if (keepBytes > 0) new Uint8Array(this.memory.buffer).copyWithin(at, this.arenaAt, this.arenaAt + keepBytes);
      this.arenaAt = at;
    }
    this.arenaBytes = size;
    return this.arenaAt;
  }

  private header(): Int32Array {
    return new Int32Array(this.memory.buffer, 0, HEADER_BYTES / 4);
  }

}
