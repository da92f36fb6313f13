/**
 * A teacher saved as its probabilities: per training token, a teacher's tag probabilities (e.g.
 * out-of-fold models' on the sentences they did not train on), distilled like a teacher model's
 * (soft-targets.ts) without the model. The file: one JSON header line, padded with spaces so
 * that the data starts at a multiple of 4 bytes, then `tokens * tags.length` little-endian
 * float32 values, row by row in the training tokens' order, columns in `tags`' order.
 */
import { NerError } from '../errors.js';

/** A teacher's tag probabilities of every training token. */
export interface TeacherProbabilities {
  /** Column order of `probabilities` (IOB2 tags). */
  tags: string[];
  /** `[tokens, tags]`, row by row. */
  probabilities: Float32Array;
}

const FORMAT = 'ner-window teacher probabilities';
const VERSION = 1;

/** The bytes of a teacher-probabilities file. */
export function encodeTeacherProbabilities({ tags, probabilities }: TeacherProbabilities): Uint8Array {
  if (probabilities.length % tags.length !== 0) throw new Error(`${probabilities.length} probabilities are not whole rows of ${tags.length} tags`);
  const json = JSON.stringify({ format: FORMAT, version: VERSION, tags, tokens: probabilities.length / tags.length });
  const header = new TextEncoder().encode(json);
  const start = Math.ceil((header.length + 1) / 4) * 4;
  const out = new Uint8Array(start + probabilities.length * 4);
  out.fill(0x20, 0, start - 1);
  out.set(header, 0);
  out[start - 1] = 0x0a;
  const view = new DataView(out.buffer, start);
  probabilities.forEach((p, i) => view.setFloat32(i * 4, p, true));
  return out;
}

/** Reads a teacher-probabilities file's bytes, checking its header and values (`name` names the file in errors). */
export function decodeTeacherProbabilities(bytes: Uint8Array, name: string): TeacherProbabilities {
  const fail = (what: string): never => {
    throw new NerError('E_FORMAT', `${name} is not a teacher-probabilities file: ${what}`, { hint: 'write it with scripts/first-stage-tags.ts --probabilities FILE' });
  };
  const newline = bytes.indexOf(0x0a);
  if (newline < 0 || (newline + 1) % 4 !== 0) fail('no header line');
  let header: { format?: unknown; version?: unknown; tags?: unknown; tokens?: unknown } = {};
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, newline)));
  } catch {
    fail('its header line is not JSON');
  }
  if (header.format !== FORMAT || header.version !== VERSION) fail(`its header names format ${JSON.stringify(header.format)} version ${JSON.stringify(header.version)}`);
  const { tags, tokens } = header;
  if (!Array.isArray(tags) || tags.length < 2 || !tags.every((t) => typeof t === 'string') || new Set(tags).size !== tags.length) fail('its tags are not a list of distinct tags');
  if (!(Number.isSafeInteger(tokens) && (tokens as number) >= 0)) fail(`its token count is ${JSON.stringify(tokens)}`);
  const T = (tags as string[]).length;
  const expected = newline + 1 + (tokens as number) * T * 4;
  if (bytes.length !== expected) fail(`the header promises ${String(tokens)} tokens x ${T} tags (${expected} bytes), the file has ${bytes.length} bytes (cut short or not this format)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + newline + 1);
  const probabilities = new Float32Array((tokens as number) * T);
  for (let i = 0; i < probabilities.length; i++) {
    const p = view.getFloat32(i * 4, true);
    if (!(p >= 0 && p <= 1)) fail(`value ${i} (token ${Math.floor(i / T)}, tag ${(tags as string[])[i % T]}) is ${p}, not a probability`);
    probabilities[i] = p;
  }
  return { tags: tags as string[], probabilities };
}

/**
 * Throws unless saved probabilities fit the training data: one row per training token and
 * exactly the training data's tags (in any order).
 */
export function checkTeacherProbabilities(teacher: TeacherProbabilities, tags: readonly string[], tokens: number): void {
  const rows = teacher.probabilities.length / teacher.tags.length;
  if (rows !== tokens) {
    throw new NerError('E_CONFIG', `the teacher probabilities have ${rows} tokens' rows, the training data has ${tokens} tokens`, {
      hint: 'give the probabilities saved for this training file (the same sentences, in the same order)',
    });
  }
  const missing = tags.filter((t) => !teacher.tags.includes(t));
  const extra = teacher.tags.filter((t) => !tags.includes(t));
  if (missing.length > 0 || extra.length > 0) {
    const diff = [missing.length ? `lack ${missing.join(', ')}` : '', extra.length ? `have ${extra.join(', ')} the training data has not` : ''].filter((p) => p !== '').join('; ');
    throw new NerError('E_CONFIG', `the teacher probabilities' tags do not match the training data's: they ${diff}`, { hint: 'save them from models trained on the same tag set (IOB2)' });
  }
}
