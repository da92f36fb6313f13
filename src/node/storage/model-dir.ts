/**
 * The folder a model is saved into: which folders may be replaced (absent, empty, or a model
 * folder; never a user's other files), how a save replaces it without the path ever being
 * missing, and how the next load or save finishes a save that a crash interrupted.
 *
 * A save writes `.NAME.tmp-PID-ID` completely, then renames NAME to `.NAME.old-PID-ID` and the
 * temporary folder to NAME, then removes the old one. A crash between the two renames leaves
 * NAME missing with both folders complete: recovery renames the new one into place (or, failing
 * that, the old one back), and removes leftovers of processes that no longer run.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { NerError } from '../../core/errors.js';
import { FORMAT_NAME, MODEL_FILES, type ModelManifest } from '../../core/storage/model-format.js';
import { lockModelDir, processAlive } from './model-lock.js';
import { writeError } from './write-errors.js';

/** The file system calls of a swap, replaceable by tests to make one fail. */
export const swapFs = { rename };

/** What is at a save's target: nothing, an empty folder, or a model folder. */
export type ModelTarget = 'absent' | 'empty' | 'model';

/** A model folder opened for writing: its lock is held until release(). */
export interface ModelOutput {
  /** The absolute path of the folder. */
  readonly target: string;
  /** The path as the caller gave it, for messages. */
  readonly shown: string;
  /** Removes the lock, and the parent folders made for the model if nothing was saved in them. */
  release(): Promise<void>;
}

/**
 * Prepares saving a model into `dir`, before any other work: refuses a target that is not
 * absent, empty or a model folder; makes missing parent folders (one level at a time: Node's
 * recursive mkdir never returns on /proc); takes the lock, which also proves the parent is
 * writable; and finishes an earlier interrupted save. Every failure is a NerError naming `dir`.
 *
 * @example
 * const output = await openModelOutput('models/mine');
 * try { await saveModel(model, 'models/mine', { output }); } finally { await output.release(); }
 */
export async function openModelOutput(dir: string): Promise<ModelOutput> {
  const target = resolve(dir);
  await checkModelTarget(target, dir);
  const made = await makeParents(target, dir);
  let lock;
  try {
    lock = await lockModelDir(target, dir);
  } catch (err) {
    await removeIfEmpty(made);
    throw err;
  }
  try {
    await recoverInterruptedSave(target);
    await checkModelTarget(target, dir);
  } catch (err) {
    await lock.release();
    await removeIfEmpty(made);
    throw err;
  }
  return {
    target,
    shown: dir,
    release: async () => {
      await lock.release();
      await removeIfEmpty(made);
    },
  };
}

/**
 * What is at `target` (absolute); anything but nothing, an empty folder or a model folder is
 * refused with a NerError naming `shown`, and left untouched.
 */
export async function checkModelTarget(target: string, shown: string): Promise<ModelTarget> {
  const refuse = (why: string) =>
    new NerError('E_FILE', `refusing to save a model here: ${why}; nothing was changed`, {
      file: shown,
      hint: '--out must be a new path, an empty folder or a model folder',
    });
  let info;
  try {
    info = await lstat(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw writeError(err, shown);
  }
  if (info.isSymbolicLink()) throw refuse('it is a symbolic link (give the folder itself)');
  if (!info.isDirectory()) throw refuse('it is an existing file, not a model folder');
  let entries: string[];
  try {
    entries = await readdir(target);
  } catch (err) {
    throw writeError(err, shown);
  }
  if (entries.length === 0) return 'empty';
  if (entries.includes(MODEL_FILES.manifest) && (await isModelManifest(join(target, MODEL_FILES.manifest)))) return 'model';
  const some = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, ... (${entries.length} entries)` : '');
  if (entries.includes(MODEL_FILES.manifest)) throw refuse(`its ${MODEL_FILES.manifest} is not a ${FORMAT_NAME} manifest`);
  throw refuse(`it is a folder holding other files (${some}), not a model folder`);
}

async function isModelManifest(path: string): Promise<boolean> {
  return (await readManifest(path))?.format === FORMAT_NAME;
}

async function readManifest(path: string): Promise<ModelManifest | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as ModelManifest) : null;
  } catch {
    return null;
  }
}

/** Makes the missing parents of `target`, outermost first, without recursive mkdir; returns them. */
async function makeParents(target: string, shown: string): Promise<string[]> {
  const missing: string[] = [];
  let dir = dirname(target);
  for (;;) {
    try {
      const info = await stat(dir);
      if (!info.isDirectory()) throw new NerError('E_FILE', `cannot write the model here: ${dir} is a file, not a folder`, { file: shown, hint: 'choose another --out' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw writeError(err, shown);
      missing.unshift(dir);
      dir = dirname(dir);
    }
  }
  const made: string[] = [];
  for (const d of missing) {
    try {
      await mkdir(d);
      made.push(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && (await stat(d)).isDirectory()) continue;
      await removeIfEmpty(made);
      throw writeError(err, shown);
    }
  }
  return made;
}

/** Removes folders this process made, innermost first, where they are still empty. */
async function removeIfEmpty(made: string[]): Promise<void> {
  for (const d of [...made].reverse()) await rmdir(d).catch(() => {});
}

/** A new, empty temporary folder next to `target`, named for this process. */
export async function makeTempDir(target: string): Promise<string> {
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  return tmp;
}

/**
 * Puts the complete folder `tmp` (from makeTempDir) in place of `target`, which is at no moment
 * missing once recovery has run: see the file comment. A failed rename is undone.
 */
export async function swapInto(tmp: string, target: string): Promise<void> {
  try {
    await swapFs.rename(tmp, target);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EISDIR' && code !== 'ENOTDIR') throw err;
  }
  const old = tmp.replace(/\.tmp-(\d+-[0-9a-f]+)$/, '.old-$1');
  await swapFs.rename(target, old);
  try {
    await swapFs.rename(tmp, target);
  } catch (err) {
    await swapFs.rename(old, target);
    throw err;
  }
  await rm(old, { recursive: true, force: true });
}

/** A `.NAME.tmp-PID-ID` or `.NAME.old-PID-ID` folder next to a target, or a lock's draft (model-lock.ts). */
interface Leftover {
  path: string;
  kind: 'tmp' | 'old' | 'lock';
  pid: number;
  id: string;
}

function leftoversOf(target: string, entries: string[]): Leftover[] {
  const prefix = `.${basename(target)}.`;
  const out: Leftover[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const m = /^(tmp-|old-|lock\.|lock\.stale-)(\d+)-([0-9a-f]{8})$/.exec(entry.slice(prefix.length));
    const kind = m?.[1] === 'tmp-' ? 'tmp' : m?.[1] === 'old-' ? 'old' : 'lock';
    if (m) out.push({ path: join(dirname(target), entry), kind, pid: Number(m[2]), id: m[3] });
  }
  return out;
}

/**
 * Finishes a save into `target` (absolute) that a crash interrupted, and removes the temporary
 * folders of saves whose process no longer runs. Leftovers of running processes are left alone.
 * Never throws: a folder it cannot read or change is left as it is.
 */
export async function recoverInterruptedSave(target: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dirname(target));
  } catch {
    return;
  }
  const stale = leftoversOf(target, entries).filter((l) => !processAlive(l.pid));
  if (stale.length === 0) return;
  if (!entries.includes(basename(target))) {
    for (const candidate of await restoreOrder(stale)) {
      try {
        await rename(candidate.path, target);
        break;
      } catch {
        // Taken by another recovery, or unreadable: try the next.
      }
    }
  }
  for (const l of stale) await rm(l.path, { recursive: true, force: true }).catch(() => {});
}

/**
 * Which leftover to put back at a missing target, best first: the complete new folder of an
 * interrupted swap, then the folder it replaced (the user's), then a complete first save.
 */
async function restoreOrder(stale: Leftover[]): Promise<Leftover[]> {
  const complete = new Set<Leftover>();
  for (const l of stale) if (l.kind === 'tmp' && (await isCompleteModel(l.path))) complete.add(l);
  const olds = stale.filter((l) => l.kind === 'old');
  const paired = olds.flatMap((o) => stale.filter((t) => t.kind === 'tmp' && t.id === o.id && complete.has(t)));
  const firstSaves = stale.filter((t) => complete.has(t) && !paired.includes(t));
  return [...paired, ...olds, ...firstSaves];
}

/** Whether `dir` holds a model.json of ours and the data files it names, at their sizes. */
async function isCompleteModel(dir: string): Promise<boolean> {
  const manifest = await readManifest(join(dir, MODEL_FILES.manifest));
  if (manifest?.format !== FORMAT_NAME) return false;
  for (const entry of [manifest.weights, manifest.vocabularies]) {
    if (typeof entry?.file !== 'string' || basename(entry.file) !== entry.file) return false;
    const size = await stat(join(dir, entry.file)).then((s) => s.size, () => -1);
    if (size !== entry.bytes) return false;
  }
  return true;
}
