/**
 * Where a model's files come from: a folder (Node), a URL, or bytes in memory. The loader
 * (model-read.ts) asks a source for files by name, so the same checks (version, sizes,
 * SHA-256, schema) apply to every source.
 */
import { NerError } from '../errors.js';
import { MODEL_FILES } from './model-format.js';
import { REPAIR_HINT } from './manifest-schema.js';

export interface ModelFileSource {
  /** How a file of the model is named in messages: its path or URL. */
  where(file: string): string;
  /** The file's bytes; a missing file is null. */
  read(file: string): Promise<Uint8Array | null>;
  /**
   * True where `read` gives new bytes that nobody else holds (a file just read, a download):
   * the model may then keep views of them instead of a copy (20 MB, 10 ms for the bundled
   * model). Bytes a caller gave (bytesSource) are copied: the caller may change them later;
   * unless they lie in a SharedArrayBuffer, which is there to be shared (TaggerPool's workers
   * all build their models on one copy of the weights), and nobody changes.
   */
  freshBytes?: boolean;
}

/** A model's three files as bytes (or text), as `Tagger.load` takes them. */
export interface ModelBytes {
  model: Uint8Array | ArrayBuffer | string;
  weights: Uint8Array | ArrayBuffer;
  vocabularies: Uint8Array | ArrayBuffer | string;
}

/** Is `value` a ModelBytes object? */
export function isModelBytes(value: unknown): value is ModelBytes {
  return typeof value === 'object' && value !== null && 'model' in value && 'weights' in value && 'vocabularies' in value;
}

function asBytes(data: Uint8Array | ArrayBuffer | string): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

/** Whether the bytes lie in a SharedArrayBuffer (absent in a page that is not cross-origin isolated). */
function isShared(bytes: Uint8Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer;
}

/**
 * A model given as bytes: model.json is `model`; the files it names are `weights` and
 * `vocabularies`. Weights in a SharedArrayBuffer are used in place (see freshBytes), so the
 * caller must not change them while the model is in use.
 */
export function bytesSource(bytes: ModelBytes): ModelFileSource {
  const model = asBytes(bytes.model);
  const weights = asBytes(bytes.weights);
  let manifest: { weights?: { file?: unknown }; vocabularies?: { file?: unknown } } = {};
  try {
    manifest = JSON.parse(new TextDecoder().decode(model)) ?? {};
  } catch {
    // The loader reports the syntax error when it parses model.json itself.
  }
  return {
    freshBytes: isShared(weights),
    where: (file) => `<bytes>/${file}`,
    read: async (file) => {
      if (file === MODEL_FILES.manifest) return model;
      if (file === manifest.weights?.file) return weights;
      if (file === manifest.vocabularies?.file) return asBytes(bytes.vocabularies);
      return null;
    },
  };
}

/**
 * A model served at `base` (a folder URL: `https://host/models/conll2003-en/`), read with
 * `fetch`. `onProgress` is told the bytes received so far and the total when known.
 */
export function urlSource(base: URL, onProgress?: (received: number, total: number | undefined) => void): ModelFileSource {
  const folder = base.href.endsWith('/') ? base : new URL(`${base.href}/`);
  let received = 0;
  return {
    freshBytes: true,
    where: (file) => new URL(file, folder).href,
    read: async (file) => {
      const url = new URL(file, folder);
      let response: Response;
      try {
        response = await fetch(url);
      } catch (err) {
        throw new NerError('E_MODEL', `cannot fetch ${file}: ${(err as Error).message}`, { file: url.href, hint: 'check the URL and that the server is up' });
      }
      if (response.status === 404) return null;
      if (!response.ok) throw new NerError('E_MODEL', `cannot fetch ${file}: HTTP ${response.status}`, { file: url.href, hint: REPAIR_HINT });
      const total = Number(response.headers.get('content-length')) || undefined;
      if (!response.body || !onProgress) return new Uint8Array(await response.arrayBuffer());
      const chunks: Uint8Array[] = [];
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.byteLength;
        onProgress(received, total);
      }
      return concatBytes(chunks);
    },
  };
}

/** The chunks as one array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
