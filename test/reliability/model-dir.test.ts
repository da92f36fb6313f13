/**
 * Saving models safely (issue 11, items 1-5 and 16): what --out may be, atomic swaps and their
 * recovery after a crash, Ctrl-C, the lock, and unwritable --out failing at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { useBackend } from '../../src/node/backend.js';
import { EmbeddingTables } from '../../src/core/model/embedding-tables.js';
import { WindowNetwork } from '../../src/core/model/network.js';
import { WindowModel } from '../../src/core/model/window-model.js';
import { swapFs } from '../../src/node/storage/model-dir.js';
import { loadModel, saveModel } from '../../src/node/storage/model-io.js';
import { trainFiles } from '../../src/node/train-files.js';
import { Random } from '../../src/core/util/random.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const tiny = ['--vectors', 'none', '--features', 'word:16,casing:4', '--hidden', '32', '--batch-size', '16', '--lr', '0.01', '--backend', 'wasm'];
const tinyLib = { vectors: null, features: [{ name: 'word' as const, dim: 16 }, { name: 'casing' as const, dim: 4 }], hidden: [32], batchSize: 16, learningRate: 0.01, backend: 'wasm' as const };
const root = mkdtempSync(join(tmpdir(), 'ner-model-dir-'));
let n = 0;
/** A new empty folder to work in. */
const fresh = () => {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir);
  return dir;
};

/** Every file under `dir` with its bytes, to compare a folder before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = entry.isDirectory() ? '<dir>' : readFileSync(path).toString('base64');
  }
  return out;
}

/**
 * Runs `ner ...argv` in-process like test/helpers/cli.ts; `onStderr` sees each line written to
 * stderr (to press Ctrl-C at a chosen moment).
 */
async function cli(argv: string[], onStderr?: (chunk: string) => void): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    onStderr?.(String(chunk));
    return true;
  });
  try {
    return { code: await main(argv), stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/** Ctrl-C as `ner train` sees it: calls the SIGINT listener it added (not process.emit, which vitest may also hear). */
function pressCtrlC(before: Function[]): void {
  const added = process.listeners('SIGINT').filter((l) => !before.includes(l));
  expect(added.length).toBe(1);
  (added[0] as () => void)();
}

function tinyModel(seed = 1): WindowModel {
  const rng = new Random(seed);
  const specs = [{ name: 'word' as const, dim: 4 }, { name: 'casing' as const, dim: 2 }];
  const fs = FeatureSet.build(specs, [['Anna', 'visited', 'Oslo', '.']], { minCount: 1 });
  const tables = new EmbeddingTables(specs, specs.map((s, f) => Float32Array.from({ length: fs.vocabularies[f].size * s.dim }, () => rng.uniform(-1, 1))));
  const network = WindowNetwork.init(3 * tables.tokenDim, [5], 3, 'tanh', rng);
  return new WindowModel(
    { window: 1, features: specs, hidden: [5], activation: 'tanh', tags: ['O', 'B-PER', 'B-LOC'], scheme: 'IOB2', decoder: 'greedy' },
    fs,
    tables,
    network,
  );
}

/** A pid that no process has now: that of a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

const firstWeight = async (dir: string) => (await loadModel(dir)).model.network.layers[0].W[0];

beforeAll(async () => {
  await useBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('what --out may be (item 1)', () => {
  function userFolders() {
    const dir = fresh();
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'my notes\n');
    const project = join(dir, 'project');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'src', 'code.py'), 'print(1)\n');
    writeFileSync(join(project, 'thesis.tex'), '\\documentclass{article}\n');
    return { dir, notes, project };
  }

  it('ner train refuses an existing file and a folder of other files, exit 1, touching nothing', async () => {
    const { dir, notes, project } = userFolders();
    const before = snapshot(dir);
    const file = await cli(['train', '--train', FIXTURE, '--dev', FIXTURE, '--out', notes, '--epochs', '1', ...tiny]);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain(`${notes}: refusing to save a model here: it is an existing file, not a model folder`);
    expect(file.stderr).not.toMatch(/model saved|backend:/);
    const folder = await cli(['train', '--train', FIXTURE, '--dev', FIXTURE, '--out', project, '--epochs', '1', ...tiny]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(new RegExp(`${project}: refusing to save a model here: it is a folder holding other files \\(src, thesis.tex\\)`));
    expect(snapshot(dir)).toEqual(before);
  });

  it('ner ensemble refuses them too, before loading its models', async () => {
    const { dir, notes, project } = userFolders();
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await saveModel(tinyModel(1), a);
    await saveModel(tinyModel(2), b);
    const before = snapshot(dir);
    for (const out of [notes, project]) {
      const run = await cli(['ensemble', a, b, '--out', out, '--backend', 'cpu']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${out}: refusing to save a model here`);
    }
    expect(snapshot(dir)).toEqual(before);
    // An ensemble into a model folder replaces it.
    const ok = await cli(['ensemble', a, b, '--out', a, '--backend', 'cpu']);
    expect(ok.code).toBe(0);
    expect((await loadModel(a)).model.memberCount).toBe(2);
  });

  it('saveModel (the library) refuses them, and accepts absent, empty and model folders', async () => {
    const { dir, notes, project } = userFolders();
    const before = snapshot(dir);
    await expect(saveModel(tinyModel(), notes)).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringContaining(notes) });
    await expect(saveModel(tinyModel(), project)).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringContaining('not a model folder') });
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'model.json'), '{"format": "someone-else"}');
    await expect(saveModel(tinyModel(), foreign)).rejects.toThrow(/model\.json is not a ner-window-model manifest/);
    expect(readFileSync(join(foreign, 'model.json'), 'utf8')).toBe('{"format": "someone-else"}');
    expect(snapshot(dir)).toMatchObject(before);

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await saveModel(tinyModel(1), empty);
    await saveModel(tinyModel(2), empty);
    expect(await firstWeight(empty)).toBeCloseTo(tinyModel(2).network.layers[0].W[0], 6);
    await saveModel(tinyModel(1), join(dir, 'new', 'deeper', 'model'));
    expect(existsSync(join(dir, 'new', 'deeper', 'model', 'model.json'))).toBe(true);
  });

  it('a file of the user inside a model folder is kept when the model is replaced', async () => {
    const dir = join(fresh(), 'model');
    await saveModel(tinyModel(1), dir);
    writeFileSync(join(dir, 'README.txt'), 'how I trained this\n');
    await saveModel(tinyModel(2), dir);
    expect(readFileSync(join(dir, 'README.txt'), 'utf8')).toBe('how I trained this\n');
    expect(await firstWeight(dir)).toBeCloseTo(tinyModel(2).network.layers[0].W[0], 6);
  });
});

describe('an interrupted swap is finished on the next load or save (item 2)', () => {
  /** The state a crash between the swap's two renames leaves: target gone, old and new beside it. */
  async function crashedBetweenRenames(opts: { newComplete: boolean }) {
    const dir = fresh();
    const target = join(dir, 'model');
    await saveModel(tinyModel(1), target);
    const id = `${deadPid()}-0badf00d`;
    renameSync(target, join(dir, `.model.old-${id}`));
    const tmp = join(dir, `.model.tmp-${id}`);
    await saveModel(tinyModel(2), join(dir, 'scratch'));
    renameSync(join(dir, 'scratch'), tmp);
    if (!opts.newComplete) rmSync(join(tmp, 'model.json'));
    return { dir, target };
  }

  it('load: the complete new model is put in place, and the leftovers are removed', async () => {
    const { dir, target } = await crashedBetweenRenames({ newComplete: true });
    expect(existsSync(target)).toBe(false);
    expect(await firstWeight(target)).toBeCloseTo(tinyModel(2).network.layers[0].W[0], 6);
    expect(readdirSync(dir)).toEqual(['model']);
  });

  it('load: with the new model incomplete, the old one is put back', async () => {
    const { dir, target } = await crashedBetweenRenames({ newComplete: false });
    expect(await firstWeight(target)).toBeCloseTo(tinyModel(1).network.layers[0].W[0], 6);
    expect(readdirSync(dir)).toEqual(['model']);
  });

  it('save: recovers first, then saves; the user can tag at every step', async () => {
    const { dir, target } = await crashedBetweenRenames({ newComplete: true });
    await saveModel(tinyModel(3), target);
    expect(await firstWeight(target)).toBeCloseTo(tinyModel(3).network.layers[0].W[0], 6);
    expect(readdirSync(dir)).toEqual(['model']);
  });

  it('stale temporary folders of dead processes are removed; those of a running process are not', async () => {
    const dir = fresh();
    const target = join(dir, 'model');
    await saveModel(tinyModel(1), target);
    const dead = deadPid();
    mkdirSync(join(dir, `.model.tmp-${dead}-00000001`)); // killed right after mkdir: empty
    cpSync(target, join(dir, `.model.old-${dead}-00000002`), { recursive: true }); // killed before removing the old one
    writeFileSync(join(dir, `.model.lock.${dead}-00000005`), `${dead}\n`); // killed while taking the lock
    const running = `.model.tmp-${process.pid}-00000003`;
    mkdirSync(join(dir, running));
    writeFileSync(join(dir, 'notes.tmp-1-00000004'), 'not ours'); // not named like ours: never touched
    await loadModel(target);
    expect(readdirSync(dir).sort()).toEqual([running, 'model', 'notes.tmp-1-00000004'].sort());
    rmSync(join(dir, running), { recursive: true });
  });

  it('a failing second rename is undone: the old model stays loadable and no folder is left', async () => {
    const dir = fresh();
    const target = join(dir, 'model');
    await saveModel(tinyModel(1), target);
    const rename = swapFs.rename;
    let calls = 0;
    swapFs.rename = async (from, to) => {
      calls++;
      // The rename of the new folder onto the target (tried directly, then after moving the old one away).
      if (String(to) === target && String(from).includes('.tmp-')) {
        const err = Object.assign(new Error('EIO: i/o error'), { code: calls === 1 ? 'ENOTEMPTY' : 'EIO' });
        throw err;
      }
      return rename(from, to);
    };
    try {
      await expect(saveModel(tinyModel(2), target)).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringContaining(`${target}: cannot write the model here`) });
    } finally {
      swapFs.rename = rename;
    }
    expect(calls).toBe(4); // direct try, target -> old, tmp -> target (fails), old -> target
    expect(await firstWeight(target)).toBeCloseTo(tinyModel(1).network.layers[0].W[0], 6);
    expect(readdirSync(dir)).toEqual(['model']);
  });
});

describe('Ctrl-C (item 3)', () => {
  let modelDir: string;
  beforeAll(async () => {
    modelDir = join(fresh(), 'model');
    const run = await cli(['train', '--train', FIXTURE, '--dev', FIXTURE, '--out', modelDir, '--epochs', '2', ...tiny]);
    expect(run.code).toBe(0);
  });

  it('in epoch 1 leaves an existing model folder byte-identical, says nothing was saved, exits 130', async () => {
    const before = snapshot(join(modelDir, '..'));
    const listeners = process.listeners('SIGINT');
    const running = cli(['train', '--train', FIXTURE, '--dev', FIXTURE, '--out', modelDir, '--epochs', '3', ...tiny]);
    // main loads the command's module first: its handler is there a few turns later.
    await vi.waitFor(() => expect(process.listeners('SIGINT').length).toBeGreaterThan(listeners.length), { interval: 1 });
    pressCtrlC(listeners);
    const run = await running;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(`nothing was saved, ${modelDir} is unchanged`);
    expect(run.stderr).not.toContain('model saved');
    expect(snapshot(join(modelDir, '..'))).toEqual(before);
  });

  it('after an epoch keeps the best model so far with its metrics and exits 130', async () => {
    const out = join(fresh(), 'model');
    const listeners = process.listeners('SIGINT');
    let pressed = false;
    const run = await cli(['train', '--train', FIXTURE, '--dev', FIXTURE, '--out', out, '--epochs', '20', '--patience', '20', ...tiny], (chunk) => {
      if (!pressed && /epoch 1: loss/.test(chunk)) {
        pressed = true;
        pressCtrlC(listeners);
      }
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(`model saved in ${out}`);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(manifest.training.stopped).toBe('interrupted');
    expect(manifest.training.epochs).toBe(1);
    expect(readFileSync(join(out, 'metrics.tsv'), 'utf8').trim().split('\n').length).toBe(2);
  });

  it('is heard in an epoch that saves nothing (no I/O to let the SIGINT handler run)', async () => {
    const out = join(fresh(), 'model');
    const controller = new AbortController();
    let pressedIn = 0;
    const result = await trainFiles({
      ...tinyLib, trainFile: FIXTURE, devFile: FIXTURE, out, epochs: 40, patience: 40, seed: 3, signal: controller.signal,
      onEpoch: (m) => {
        if (!m.best && pressedIn === 0) {
          pressedIn = m.epoch;
          setImmediate(() => controller.abort()); // as a signal handler runs: on a later turn of the event loop
        }
      },
    });
    expect(pressedIn).toBeGreaterThan(0);
    expect(result.stopped).toBe('interrupted');
    expect(result.history.length).toBe(pressedIn);
  });

  it('metrics.tsv changes only together with the model: at every epoch it matches model.json', async () => {
    const out = join(fresh(), 'model');
    const seen: Array<{ lines: number; epochs: number }> = [];
    const look = () => {
      if (!existsSync(join(out, 'model.json'))) return;
      const lines = readFileSync(join(out, 'metrics.tsv'), 'utf8').trim().split('\n').length - 1;
      seen.push({ lines, epochs: JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).training.epochs });
    };
    const result = await trainFiles({ ...tinyLib, trainFile: FIXTURE, devFile: FIXTURE, out, epochs: 8, patience: 8, seed: 3, onEpoch: look });
    look();
    expect(result.history.some((m) => !m.best)).toBe(true); // some epochs saved nothing: the case that matters
    expect(seen.length).toBeGreaterThan(3);
    for (const s of seen) expect(s.lines).toBe(s.epochs);
  });
});

describe('one training per --out (item 4)', () => {
  it('a lock held by a running process is refused, naming its pid, before any data is read', async () => {
    const dir = fresh();
    const out = join(dir, 'model');
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, '.model.lock'), `${sleeper.pid}\n`);
      const run = await cli(['train', '--train', join(dir, 'missing.conll'), '--dev', FIXTURE, '--out', out, ...tiny]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${out}: another ner process is saving a model here: process ${sleeper.pid} holds the lock`);
      expect(readFileSync(join(dir, '.model.lock'), 'utf8')).toBe(`${sleeper.pid}\n`);
      expect(readdirSync(dir)).toEqual(['.model.lock']);
    } finally {
      sleeper.kill();
    }
  });

  it('a stale lock (its process is gone) is taken over, and released at the end', async () => {
    const dir = fresh();
    const out = join(dir, 'model');
    writeFileSync(join(dir, '.model.lock'), `${deadPid()}\n`);
    const run = await cli(['train', '--train', FIXTURE, '--dev', FIXTURE, '--out', out, '--epochs', '1', ...tiny]);
    expect(run.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['model']);
  });

  it('two trainings on one --out at once: one is refused, the other saves', async () => {
    const out = join(fresh(), 'model');
    const args = { ...tinyLib, trainFile: FIXTURE, devFile: FIXTURE, out, epochs: 2 };
    const runs = await Promise.allSettled([trainFiles(args), trainFiles(args)]);
    expect(runs.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(runs.find((r) => r.status === 'rejected')).toMatchObject({ status: 'rejected', reason: { code: 'E_FILE', message: expect.stringContaining(`process ${process.pid} (this one) holds the lock`) } });
    expect(existsSync(join(out, 'model.json'))).toBe(true);
    expect(existsSync(join(out, '..', '.model.lock'))).toBe(false);
    // The lock is released after an error too.
    await expect(trainFiles({ ...args, trainFile: join(out, 'missing.conll') })).rejects.toThrow(/missing\.conll/);
    expect(existsSync(join(out, '..', '.model.lock'))).toBe(false);
  });
});

describe('an unwritable --out fails at once, in plain words (items 5 and 16)', () => {
  const slowTrain = () => {
    // A --train that must never be read: a check that waits for the data fails on it instead.
    const dir = fresh();
    return join(dir, 'never-read.conll');
  };

  it.each([
    ['/proc/x', 'the folder does not accept new files'],
    ...(existsSync('/sys/kernel') && process.getuid?.() === 0 ? [['/sys/x', 'permission denied']] : []),
  ])('--out %s: exit 1 within a second, before any data is read', async (out, reason) => {
    const started = performance.now();
    const run = await cli(['train', '--train', slowTrain(), '--dev', FIXTURE, '--out', out, ...tiny]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`ner train: ${out}: cannot write the model here: ${reason} (choose another --out)\n`);
  }, 10_000);

  it('--out /proc/x with real data does not hang', async () => {
    const run = await cli(['train', '--train', FIXTURE, '--dev', FIXTURE, '--out', '/proc/x', '--epochs', '1', ...tiny]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('/proc/x: cannot write the model here');
  }, 10_000);

  it('--out under a file, and a folder without write permission', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const under = await cli(['train', '--train', slowTrain(), '--dev', FIXTURE, '--out', join(dir, 'notes.txt', 'model'), ...tiny]);
    expect(under.code).toBe(1);
    expect(under.stderr).toContain(`${join(dir, 'notes.txt', 'model')}: cannot write the model here: part of the path is a file, not a folder`);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    const ensemble = await cli(['ensemble', join(dir, 'a'), join(dir, 'b'), '--out', '/proc/x', '--backend', 'cpu']);
    expect(ensemble.code).toBe(1);
    expect(ensemble.stderr).toContain('/proc/x: cannot write the model here');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only folder: permission denied', async () => {
    const dir = fresh();
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    const run = await cli(['train', '--train', slowTrain(), '--dev', FIXTURE, '--out', join(locked, 'model'), ...tiny]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot write the model here: permission denied');
    expect(statSync(locked).isDirectory()).toBe(true);
  });

  it('missing parent folders are made, and removed again when training fails before saving', async () => {
    const dir = fresh();
    const run = await cli(['train', '--train', join(dir, 'missing.conll'), '--dev', FIXTURE, '--out', join(dir, 'a', 'b', 'model'), ...tiny]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('missing.conll');
    expect(readdirSync(dir)).toEqual([]);
  });
});
