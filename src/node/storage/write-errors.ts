import { NerError } from '../../core/errors.js';

/** Plain words for the errno codes of a failed write, instead of Node's "EACCES: ..., mkdir '...'". */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  // Inside a folder that exists: a special file system such as /proc refuses new files so.
  ENOENT: 'the folder does not accept new files',
  ENOTDIR: 'part of the path is a file, not a folder',
  EEXIST: 'a file is in the way',
  EISDIR: 'a folder is in the way',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'the path has a loop of symbolic links',
};

/**
 * A failure to write the model at `shown` (the path as the user gave it) as a NerError a user
 * can act on; a NerError passes through.
 */
export function writeError(err: unknown, shown: string): NerError {
  if (err instanceof NerError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const reason = (e?.code && REASONS[e.code]) ?? (e instanceof Error ? e.message.replace(/^E[A-Z]+: /, '') : String(err));
  return new NerError('E_FILE', `cannot write the model here: ${reason}`, { file: shown, hint: 'choose another --out' });
}
