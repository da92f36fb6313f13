/**
 * `--backend` on the commands that tag with a model (tag, predict, eval, serve): wasm and cpu
 * give what the command gives without the flag, webgpu without a Vulkan loader fails with
 * the backend's own message, tensorflow and unknown names are usage errors.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWebGpuLoaders } from '../../src/node/webgpu.js';
import { TaggerPool } from '../../src/node/workers/tagger-pool.js';
import { runCli } from '../helpers/cli.js';

const CONLL = join(import.meta.dirname, '../fixtures/mini-4col.txt');
const TEXT = 'Angela Merkel visited Paris.';

/** Output with every decimal number of 7 or more digits rounded to 6 (scores, not tags or offsets). */
const roundScores = (out: string) => out.replace(/\d+\.\d{7,}/g, (x) => Number(x).toFixed(6));

/** Each command's arguments, without --backend. */
const COMMANDS: Record<string, string[]> = {
  tag: ['tag', '--format', 'json', TEXT],
  predict: ['predict', CONLL],
  eval: ['eval', CONLL, '--json'],
};

describe('ner tag --backend cpu in a fresh process', () => {
  it('prints the entities and nothing on stderr (no advertisement for tfjs-node, which the package does not use)', () => {
    const run = spawnSync(process.execPath, [join(import.meta.dirname, '../../dist/src/cli/main.js'), 'tag', '--backend', 'cpu', TEXT], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('[Angela Merkel]PER visited [Paris]LOC.\n');
    expect(run.stderr).toBe('');
  });
});

describe.each(Object.entries(COMMANDS))('ner %s --backend', (name, args) => {
  it.each(['wasm', 'cpu'])('%s: exit 0, the same stdout as without the flag', async (backend) => {
    const plain = await runCli(...args);
    expect(plain.code).toBe(0);
    expect(plain.stdout.length).toBeGreaterThan(0);
    const run = await runCli(...args, '--backend', backend);
    expect(run.stderr).not.toMatch(/^ner /m);
    expect(run.stderr).not.toMatch(/tfjs-node/);
    expect(run.code).toBe(0);
    // The cpu backend's kernels round differently from wasm's: the same text, scores to 1e-6.
    expect(roundScores(run.stdout)).toBe(roundScores(plain.stdout));
  });

  it('tensorflow: exit 2, it was removed, use webgpu', async () => {
    const run = await runCli(...args, '--backend', 'tensorflow');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^ner ${name}: the tensorflow backend \\(@tensorflow/tfjs-node-gpu\\) was removed.*use --backend webgpu`));
    expect(run.stdout).toBe('');
  });

  it('an unknown name: exit 2, naming the choices', async () => {
    const run = await runCli(...args, '--backend', 'gpu');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--backend must be one of auto, webgpu, wasm, cpu; got "gpu"/);
    expect(run.stdout).toBe('');
  });
});

describe('what the flag says and limits', () => {
  it('tag names no backend, even asked for by name (its stderr is a contract); eval does', async () => {
    const tag = await runCli('tag', TEXT, '--backend', 'wasm');
    expect(tag.stderr).not.toMatch(/backend/);
    const evaluated = await runCli('eval', CONLL, '--json', '--backend', 'wasm');
    expect(evaluated.stderr).toMatch(/^backend: wasm$/m);
    const auto = await runCli('eval', CONLL, '--json');
    expect(auto.stderr).not.toMatch(/^backend:/m);
  });

  it.each([['tag', TEXT], ['predict', CONLL], ['serve']])('%s: --workers 2 with --backend webgpu is a usage error', async (...args) => {
    const run = await runCli(...args, '--backend', 'webgpu', '--workers', '2');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--workers 2 cannot be used with --backend webgpu: it tags with one in-process tagger/);
  });

  it('eval --scored refuses --backend: no model runs', async () => {
    const run = await runCli('eval', '--scored', join(import.meta.dirname, '../fixtures/scored-hand.txt'), '--backend', 'wasm');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--backend has no use with --scored/);
  });

  it.each(['tensorflow', 'gpu'])('serve --backend %s: exit 2 before listening', async (backend) => {
    const run = await runCli('serve', '--port', '0', '--backend', backend);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/listening/);
  });

  it.each(['tag', 'predict', 'eval', 'serve'])('%s --help documents --backend', async (name) => {
    const run = await runCli(name, '--help');
    expect(run.stdout).toMatch(/--backend NAME\s+auto\|webgpu\|wasm\|cpu \(default auto\)/);
  });
});

// Where a Vulkan loader exists, webgpu may start (or fail later, for another reason): these
// assertions are about a machine without one, such as this project's.
const vulkanProblem = defaultWebGpuLoaders.vulkanProblem();

describe.runIf(vulkanProblem !== null)('--backend webgpu without a Vulkan loader', () => {
  const NO_VULKAN = /the webgpu backend cannot start: no Vulkan loader \(libvulkan\.so\.1: /;

  it.each([['tag', TEXT], ['predict', CONLL], ['eval', CONLL, '--json'], ['serve', '--port', '0']])('%s: exit 1 with the no-Vulkan message, nothing on stdout', async (...args) => {
    const run = await runCli(...args, '--backend', 'webgpu');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^ner ${args[0]}: ${NO_VULKAN.source}.*libvulkan1`));
    expect(run.stdout).toBe('');
  });

  it('a TaggerPool worker starts the backend it is asked for (and fails the same way)', async () => {
    await expect(TaggerPool.start({ workers: 1, backend: 'webgpu' })).rejects.toMatchObject({ code: 'E_BACKEND', message: expect.stringMatching(NO_VULKAN) });
  });
});

describe.runIf(vulkanProblem === null)('--backend webgpu', () => {
  it.skip('not checked here: this machine has a Vulkan loader, so webgpu may start', () => {});
});
