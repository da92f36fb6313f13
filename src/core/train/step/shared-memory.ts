/**
 * Typed arrays on SharedArrayBuffers: what the training step's second thread reads and
 * writes without copies (parameters, encoded windows, per-shard gradients).
 */

export function sharedFloat32(length: number): Float32Array<SharedArrayBuffer> {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

export function sharedInt32(length: number): Int32Array<SharedArrayBuffer> {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

/** A copy of `values` on shared memory (the same array when it already is). */
export function toShared<T extends Float32Array | Int32Array | Uint8Array>(values: T): T {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const Ctor = values.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(values.byteLength));
  (copy as unknown as { set(v: T): void }).set(values);
  return copy;
}
