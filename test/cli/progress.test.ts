import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { createTagCommand } from '../../src/cli/commands/tag.js';
import { asTerminal, FakeTerminal, statusTexts } from '../helpers/fake-terminal.js';
import { runCli } from '../helpers/cli.js';
import { FakeTagger } from '../tagger/fake-tagger.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const tmp = mkdtempSync(join(tmpdir(), 'ner-progress-'));

class Sink extends Writable {
  text = '';
  override _write(chunk: string | Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('createProgress', () => {
  it('draws the status on a terminal, and keeps permanent lines', async () => {
    const terminal = new FakeTerminal();
    const progress = await createProgress({ stream: terminal, env: {} });
    expect(progress.interactive).toBe(true);
    progress.update('loading vectors');
    progress.line('backend: wasm');
    progress.stop();
    expect(statusTexts(terminal.text)).toContain('loading vectors');
    expect(terminal.text).toContain('backend: wasm\n');
  });

  it('writes only the permanent lines when the stream is no terminal, in CI, or on a pty of 0 columns', async () => {
    const plain = new Sink();
    const ci = new FakeTerminal();
    const unsized = Object.assign(new FakeTerminal(), { columns: 0 });
    for (const [stream, env] of [[plain, {}], [ci, { CI: 'true' }], [unsized, {}]] as const) {
      const progress = await createProgress({ stream, env });
      expect(progress.interactive).toBe(false);
      progress.update('loading vectors');
      progress.line('epoch 1: done');
      progress.stop();
      expect(stream.text).toBe('epoch 1: done\n');
    }
  });

  it('renders from update itself, so a status moves while synchronous work starves the timer', async () => {
    const terminal = new FakeTerminal();
    const progress = await createProgress({ stream: terminal, env: {} });
    progress.update('epoch 1: 10%');
    // Synchronous work, as training steps between awaits: ora's timer cannot fire in here.
    const until = performance.now() + 120;
    while (performance.now() < until);
    progress.update('epoch 1: 20%');
    const seen = statusTexts(terminal.text);
    progress.stop();
    expect(seen).toEqual(['epoch 1: 10%', 'epoch 1: 20%']);
  });

  it('cuts a status to one line of the terminal', async () => {
    const terminal = new FakeTerminal();
    const progress = await createProgress({ stream: terminal, env: {} });
    progress.update('x'.repeat(200));
    progress.stop();
    const [status] = statusTexts(terminal.text);
    expect(status.length).toBeLessThan(80);
    expect(status.endsWith('…')).toBe(true);
  });
});

describe('progress of ner train on a terminal', () => {
  // 30 copies of the fixture: an epoch long enough (about a second) for many renders.
  const big = join(tmp, 'big.conll');
  writeFileSync(big, readFileSync(FIXTURE, 'utf8').repeat(30));
  const args = (out: string) => ['train', '--train', big, '--dev', FIXTURE, '--out', join(tmp, out), '--epochs', '2', '--vectors', 'none',
    '--features', 'word:16,casing:4', '--hidden', '64', '--batch-size', '8', '--backend', 'wasm', '--threads', '1'];

  it('keeps the status moving inside an epoch, with windows/s and ETA, and writes nothing to stdout', async () => {
    const run = await asTerminal(() => runCli(...args('model-tty')));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const statuses = statusTexts(run.stderr);
    const inEpoch1 = new Set(statuses.filter((s) => /^epoch 1: \d+% of/.test(s)));
    // Renders come from the training loop itself, not from ora's timer (starved by the synchronous steps).
    expect(inEpoch1.size).toBeGreaterThanOrEqual(4);
    expect(statuses.some((s) => /^epoch \d: \d+% of [\d.k]+ windows, [\d.k]+ windows\/s, ETA \d+ s, loss [\d.]+$/.test(s))).toBe(true);
    expect(statuses).toContain('reading the data');
    expect(run.stderr).toMatch(/epoch 1: loss [\d.]+ +dev P/);
  });

  it('in CI writes the epoch lines and no status', async () => {
    process.env.CI = 'true';
    const run = await asTerminal(async () => {
      process.env.CI = 'true';
      return runCli(...args('model-ci'));
    });
    expect(run.code).toBe(0);
    expect(statusTexts(run.stderr)).toEqual([]);
    expect(run.stderr).toMatch(/^epoch 2: loss [\d.]+ +dev P/m);
  });
});

describe('progress of ner tag --input on a terminal', () => {
  const lines = Array.from({ length: 6000 }, (_, i) => `Barack Obama visited Paris on day ${i}.`).join('\n') + '\n';
  const input = join(tmp, 'news.txt');
  writeFileSync(input, lines);

  async function tag(stderr: Writable): Promise<string> {
    const stdout = new Sink();
    const command = createTagCommand(async () => new FakeTagger(), { stdout, stderr, color: false });
    expect(await command.run(['--input', input, '--format', 'jsonl'])).toBe(0);
    return stdout.text;
  }

  it('shows tokens done, % and tokens/s on stderr, and stdout holds exactly the data', async () => {
    const terminal = new FakeTerminal();
    const saved = process.env.CI;
    delete process.env.CI;
    let out: string;
    try {
      out = await tag(terminal);
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
    const statuses = statusTexts(terminal.text);
    expect(statuses.some((s) => /^tagged [\d.k]+ tokens \(\d+%\), [\d.k]+ tokens\/s$/.test(s))).toBe(true);
    expect(statuses[0]).toBe('loading the bundled model');
    const plain = new Sink();
    expect(out).toBe(await tag(plain));
    expect(out.split('\n')).toHaveLength(6001);
    expect(plain.text).toBe('');
  });
});

describe('progress of ner predict on a terminal', () => {
  it('shows tokens predicted, % and tokens/s on stderr; stdout is the same as off a terminal', async () => {
    const onTerminal = await asTerminal(() => runCli('predict', FIXTURE));
    const plain = await runCli('predict', FIXTURE);
    expect(onTerminal.code).toBe(0);
    expect(statusTexts(onTerminal.stderr).some((s) => /^predicted \d+ tokens \(\d+%\), [\d.k]+ tokens\/s$/.test(s))).toBe(true);
    expect(onTerminal.stdout).toBe(plain.stdout);
    expect(plain.stderr).toBe('');
  });
});
