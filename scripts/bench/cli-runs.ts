/**
 * Times the `ner` command as users run it: a fresh Node process each time, with its wall
 * time seen from here and its peak memory (maxRSS) from GNU time when /usr/bin/time exists,
 * else from `process.resourceUsage()` inside the child (a preloaded probe).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { summarize, type Stat } from './stats.js';

/** The built CLI entry point, relative to this file in dist/scripts/bench/. */
export const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

const GNU_TIME = '/usr/bin/time';
const PROBE = new URL('./rss-probe.js', import.meta.url).href;
const MARK = 'BENCH_MAXRSS_KB';

/** One run of a child process. */
export interface ChildRun {
  seconds: number;
  maxRssMiB: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Repeated runs of one command line. */
export interface CommandFigures {
  command: string;
  repeats: number;
  seconds: Stat;
  maxRssMiB: Stat;
  /** How maxRSS was measured. */
  memorySource: string;
}

/** Where child peak memory comes from on this machine. */
export function memorySource(): string {
  return existsSync(GNU_TIME) ? `${GNU_TIME} (GNU time %M)` : 'process.resourceUsage() in the child';
}

/**
 * Runs `node CLI_MAIN ...args` once, or with `launcher` the command `...launcher ...args` (an
 * installed bin, `['./node_modules/.bin/ner']`, or `['npx', '--no-install', 'ner']`); rejects
 * when it fails, with its stderr.
 */
export function runCli(args: readonly string[], launcher?: readonly string[]): Promise<ChildRun> {
  const gnu = existsSync(GNU_TIME);
  const command = launcher ? [...launcher, ...args] : [process.execPath, CLI_MAIN, ...args];
  let env: NodeJS.ProcessEnv = { ...process.env, CI: '1' };
  let argv: string[];
  if (gnu) argv = [GNU_TIME, '-f', `${MARK} %M`, ...command];
  else if (launcher) {
    argv = command;
    env = { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${PROBE}`.trim() };
  } else argv = [process.execPath, '--import', PROBE, CLI_MAIN, ...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const match = new RegExp(`${MARK} (\\d+)`).exec(stderr);
      const rest = stderr.replace(new RegExp(`^.*${MARK}.*$\\n?`, 'm'), '');
      if (code !== 0 || !match) {
        reject(new Error(`ner ${args.join(' ')} exited with ${code}: ${rest.trim().slice(0, 500)}`));
        return;
      }
      resolve({ seconds, maxRssMiB: Number(match[1]) / 1024, code, stdout, stderr: rest });
    });
  });
}

/** One unrecorded run (so the file cache is warm), then `repeats` timed ones. */
export async function benchCli(label: string, args: readonly string[], repeats: number, launcher?: readonly string[]): Promise<CommandFigures & { last: ChildRun }> {
  await runCli(args, launcher);
  const runs: ChildRun[] = [];
  for (let r = 0; r < repeats; r++) runs.push(await runCli(args, launcher));
  return {
    command: label,
    repeats,
    seconds: summarize(runs.map((r) => r.seconds)),
    maxRssMiB: summarize(runs.map((r) => r.maxRssMiB)),
    memorySource: memorySource(),
    last: runs[runs.length - 1],
  };
}
