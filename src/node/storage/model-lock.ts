/**
 * One writer per model folder: a lock file `.NAME.lock` next to the folder holds the pid of
 * the process saving into it. A second writer is refused, naming that pid; a lock whose
 * process is gone (a crash, SIGKILL) is taken over.
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { NerError } from '../../core/errors.js';
import { writeError } from './write-errors.js';

/** A lock held by this process; release it when done (also on error). */
export interface ModelLock {
  readonly file: string;
  release(): Promise<void>;
}

/** Lock files this process holds: a second in-process writer is refused like another process. */
const held = new Set<string>();

/** The lock file of the model folder `target` (an absolute path). */
export function lockFileOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.lock`);
}

/** Whether a process with this pid exists (EPERM: it does, but belongs to another user). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock of the model folder `target` (absolute); `shown` is the path as the user gave
 * it, for messages. Creating the lock file is also the check that the parent folder is writable.
 */
export async function lockModelDir(target: string, shown: string): Promise<ModelLock> {
  const file = lockFileOf(target);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await tryCreate(file, shown)) {
      held.add(file);
      return { file, release: () => release(file) };
    }
    const holder = await readPid(file);
    if (holder === undefined) continue; // gone meanwhile: try again
    if (held.has(file) || (holder !== null && processAlive(holder))) throw refused(shown, file, holder);
    await takeOverStale(file, holder);
  }
  throw refused(shown, file, await readPid(file));
}

/** Creates the lock file with its content in one step (a hard link), so no reader sees it empty. */
async function tryCreate(file: string, shown: string): Promise<boolean> {
  const draft = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(draft, `${process.pid}\n`, { flag: 'wx' });
  } catch (err) {
    throw writeError(err, shown);
  }
  try {
    await link(draft, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: create the lock file exclusively instead.
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return true;
    } catch (err2) {
      if ((err2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw writeError(err2, shown);
    }
  } finally {
    await rm(draft, { force: true });
  }
}

/** The pid in a lock file; null when it holds no pid; undefined when the file is gone. */
async function readPid(file: string): Promise<number | null | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Moves a stale lock aside (only one of several takers wins the rename), then removes it. */
async function takeOverStale(file: string, stalePid: number | null): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch {
    return; // another taker moved it first
  }
  if ((await readPid(aside)) !== stalePid) {
    // Another taker's fresh lock was moved: put it back.
    await link(aside, file).catch(() => {});
  }
  await rm(aside, { force: true });
}

async function release(file: string): Promise<void> {
  if (!held.delete(file)) return;
  if ((await readPid(file)) === process.pid) await rm(file, { force: true });
}

function refused(shown: string, file: string, pid: number | null | undefined): NerError {
  const who = pid ? `process ${pid}${pid === process.pid ? ' (this one)' : ''}` : 'another process';
  return new NerError('E_FILE', `another ner process is saving a model here: ${who} holds the lock ${file}`, {
    file: shown,
    hint: 'wait for it to finish or choose another --out; if that process is not ner, delete the lock file',
  });
}
