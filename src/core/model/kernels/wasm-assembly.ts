/**
 * Just enough of the WebAssembly binary format to assemble our small SIMD kernels in code
 * (the others in kernels/: products, row and slot sums, dropout masks), so the project needs
 * no WebAssembly toolchain; their opcodes are all here. Each kernel is one function over i32 parameters (byte addresses and counts) in a
 * module that exports it together with its own memory, or that works on a memory it imports
 * (`env.memory`: one memory, shared between threads, for the kernels of several workers).
 */

// Opcodes (WebAssembly core spec, and the SIMD proposal's 0xfd prefix).
export const I32 = 0x7f;
export const V128 = 0x7b;
export const BLOCK = 0x02;
export const LOOP = 0x03;
export const BR = 0x0c;
export const BR_IF = 0x0d;
export const END = 0x0b;
export const VOID = 0x40;
export const GET = 0x20;
export const SET = 0x21;
export const CONST = 0x41;
export const LOAD = 0x28;
export const ADD = 0x6a;
export const MUL = 0x6c;
export const GE_U = 0x4f;
export const AND = 0x71;
export const SHL = 0x74;
export const DROP = 0x1a;
export const F32_ADD = 0x92;
/** f32.load / f32.store with align=4 and the given constant offset. */
export const f32Load = (offset: number): number[] => [0x2a, 2, ...leb(offset)];
export const f32Store = (offset: number): number[] => [0x38, 2, ...leb(offset)];
/** v128.load / v128.store with align=16 and the given constant offset. */
export const vLoadAt = (offset: number): number[] => [0xfd, 0x00, 4, ...leb(offset)];
export const vStoreAt = (offset: number): number[] => [0xfd, 0x0b, 4, ...leb(offset)];
export const V_LOAD = vLoadAt(0);
export const V_STORE = vStoreAt(0);
/** v128.load32_splat with align=4 and the given constant offset: one float in all four lanes. */
export const splat32At = (offset: number): number[] => [0xfd, 0x09, 2, ...leb(offset)];
/** v128.const of four 32-bit lanes. */
export const v128Const = (lanes: readonly number[]): number[] => [0xfd, 0x0c, ...lanes.flatMap((x) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff])];
export const V128_ZERO = v128Const([0, 0, 0, 0]);
const simd = (code: number): number[] => [0xfd, ...leb(code)];
export const I16X8_SPLAT = simd(0x10);
export const I32X4_SPLAT = simd(0x11);
export const I16X8_LT_U = simd(0x30);
export const V128_AND_NOT = simd(0x4f);
export const V128_OR = simd(0x50);
export const V128_XOR = simd(0x51);
export const I32X4_EXTEND_LOW_I16X8_S = simd(0xa7);
export const I32X4_EXTEND_HIGH_I16X8_S = simd(0xa8);
export const I32X4_SHR_U = simd(0xad);
export const I32X4_ADD = simd(0xae);
export const I32X4_MUL = simd(0xb5);
export const F32X4_ADD = simd(0xe4);
export const F32X4_MUL = simd(0xe6);
export const F32X4_MAX = simd(0xe9);
/** f32x4.relaxed_madd (relaxed SIMD): a * b + c, fused where the hardware has FMA. */
export const F32X4_RELAXED_MADD = simd(0x105);
export const f32x4ExtractLane = (lane: number): number[] => [0xfd, 0x1f, lane];

/** Unsigned LEB128, the binary format's integer encoding. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128, the encoding of i32.const operands. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/**
 * `for (local = start; local < limit; local += step) body` as block/loop/br_if (`limit` a
 * local); `start` null: from the value the local already holds.
 */
export function forLoop(local: number, limit: number, step: number, body: number[], start: number | null = 0): number[] {
  return [
    ...(start === null ? [] : [CONST, ...sleb(start), SET, local]),
    BLOCK, VOID, LOOP, VOID,
    GET, local, GET, limit, GE_U, BR_IF, 1,
    ...body,
    GET, local, CONST, ...sleb(step), ADD, SET, local,
    BR, 0, END, END,
  ];
}

/** One exported function: `params` i32 parameters, then its extra locals and its body. */
export interface KernelFunction {
  name: string;
  params: number;
  /** Extra locals as (count, type) runs, e.g. `[[5, I32], [1, V128]]`. */
  locals: [number, number][];
  body: number[];
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

function name(text: string): number[] {
  return [...leb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

/** How a module gets its memory: its own (exported as "memory"), or imported as `env.memory`. */
export type ModuleMemory = 'own' | 'imported' | 'imported-shared';

/** The largest memory WebAssembly (32-bit) has: 65,536 pages of 64 KiB, 4 GiB. */
export const MAX_MEMORY_PAGES = 65536;

/**
 * A module of the given functions (each with its own type) and one memory: by default its
 * own, exported as "memory"; `imported`: `env.memory`, any size; `imported-shared`: a shared
 * `env.memory` (a shared memory must declare a maximum: any up to MAX_MEMORY_PAGES fits).
 */
export function assembleModule(functions: readonly KernelFunction[], memory: ModuleMemory = 'own'): Uint8Array<ArrayBuffer> {
  const types = functions.flatMap((f) => [0x60, ...leb(f.params), ...Array(f.params).fill(I32), 0]);
  const exports = functions.flatMap((f, i) => [...name(f.name), 0x00, ...leb(i)]);
  const codes = functions.flatMap((f) => {
    const code = [...leb(f.locals.length), ...f.locals.flatMap(([n, t]) => [...leb(n), t]), ...f.body, END];
    return [...leb(code.length), ...code];
  });
  // Memory limits: flags 0 (minimum only), 3 (minimum, maximum, shared).
  const limits = memory === 'imported-shared' ? [0x03, 0, ...leb(MAX_MEMORY_PAGES)] : [0x00, memory === 'own' ? 1 : 0];
  const memoryPart = memory === 'own' ? section(5, [1, ...limits]) : [];
  const importPart = memory === 'own' ? [] : section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]);
  const exportPart = memory === 'own'
    ? section(7, [...leb(functions.length + 1), ...exports, ...name('memory'), 0x02, 0])
    : section(7, [...leb(functions.length), ...exports]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...leb(functions.length), ...types]),
    ...importPart,
    ...section(3, [...leb(functions.length), ...functions.map((_, i) => i)]),
    ...memoryPart,
    ...exportPart,
    ...section(10, [...leb(functions.length), ...codes]),
  ]);
}

/**
 * Grows `memory` to at least `bytes` (two threads growing a shared memory at once may grow it
 * more: pages never written cost nothing).
 */
export function growMemory(memory: WebAssembly.Memory, bytes: number): void {
  let have: number;
  while ((have = memory.buffer.byteLength) < bytes) memory.grow(Math.ceil((bytes - have) / 65536));
}

/**
 * Compiles a module, or returns null where it does not compile (WebAssembly SIMD missing);
 * `memory`: the memory a module assembled with an imported one works on.
 */
export function instantiate(bytes: Uint8Array<ArrayBuffer>, memory?: WebAssembly.Memory): WebAssembly.Instance | null {
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), memory ? { env: { memory } } : {});
  } catch {
    return null;
  }
}
