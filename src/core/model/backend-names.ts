/**
 * The backends a user can ask for, by name only: the training options and the tagger check a
 * request against this list without loading any backend (node/backend.ts activates them).
 * `auto`: native TensorFlow (GPU build) if it loads, else wasm, else cpu.
 */
export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKENDS)[number];
