/**
 * The error kinds a user can meet, in one table, so that every message says what was wrong,
 * where (file:line when there is a file), and what to do about it.
 *
 * @example
 * throw new NerError('E_FORMAT', 'expected 4 columns, found 2', { file: 'train.txt', line: 17 });
 */
export const ERROR_KINDS = {
  E_USAGE: 'usage error',
  E_FILE: 'cannot read or write a file',
  E_FORMAT: 'malformed input',
  E_TAG: 'malformed tag',
  E_UTF8: 'invalid UTF-8',
  E_CONFIG: 'invalid option value',
  E_MODEL: 'missing or corrupt model',
  E_BACKEND: 'backend not available',
  E_TRAIN: 'training failed',
} as const;

export type ErrorCode = keyof typeof ERROR_KINDS;

export interface ErrorWhere {
  /** Path of the file the problem is in. */
  file?: string;
  /** 1-based line number in that file. */
  line?: number;
  /** What the user can do about it. */
  hint?: string;
}

/** An error meant for the user: the CLI prints its message without a stack trace. */
export class NerError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, where: ErrorWhere = {}) {
    const place = where.file !== undefined ? `${where.file}${where.line !== undefined ? `:${where.line}` : ''}: ` : '';
    super(`${place}${message}${where.hint ? ` (${where.hint})` : ''}`);
    this.name = 'NerError';
    this.code = code;
    this.file = where.file;
    this.line = where.line;
    this.hint = where.hint;
  }
}

/** Codes the CLI treats as usage errors (exit code 2): the command line itself was wrong. */
export const USAGE_CODES: readonly ErrorCode[] = ['E_USAGE', 'E_CONFIG'];

/** A usage error: unknown flag, missing argument. The CLI exits with code 2 for these. */
export function usageError(message: string, hint?: string): NerError {
  return new NerError('E_USAGE', message, { hint });
}

/**
 * A failure to read `path` (from fs) as a NerError a user can act on; a NerError passes through.
 *
 * @example
 * throw fileReadError(err, 'train.txt'); // "train.txt: cannot read: no such file"
 */
export function fileReadError(err: unknown, path: string): NerError {
  if (err instanceof NerError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT' ? 'no such file' :
    code === 'EISDIR' ? 'is a directory, not a file' :
    code === 'EACCES' ? 'permission denied' :
    err instanceof Error ? err.message : String(err);
  return new NerError('E_FILE', `cannot read: ${reason}`, { file: path });
}
