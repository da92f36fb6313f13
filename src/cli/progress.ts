import type { Writable } from 'node:stream';
import type { Ora } from 'ora';

/** Progress on stderr: a transient status (`update`) and permanent lines (`line`). */
export interface Progress {
  /** Whether the transient status is shown (an interactive terminal outside CI). */
  readonly interactive: boolean;
  /** Shows a transient status; only on an interactive terminal. */
  update(text: string): void;
  /** Writes a permanent line; the status, if any, comes back below it. */
  line(text: string): void;
  stop(): void;
}

/** Where progress goes; the process's stderr and environment unless a test gives others. */
export interface ProgressOptions {
  stream?: Writable & { isTTY?: boolean };
  env?: Record<string, string | undefined>;
}

/** Least time between two renders driven by `update` (ora's own timer animates between updates). */
const RENDER_EVERY_MS = 80;

/**
 * Progress for long work. The ora spinner animates only on a terminal outside CI; elsewhere
 * only the permanent lines (one per epoch, say) are written, so logs stay readable, and
 * stdout stays clean for data either way.
 *
 * Training steps run synchronously for up to a few hundred milliseconds between awaits, so
 * ora's timer alone would freeze; `update` therefore renders the frame itself (at most every
 * 80 ms), which keeps the spinner moving as long as the work reports progress.
 *
 * ora (two dozen modules, 60 ms) is imported only where it draws: `ner tag "short text"`
 * with stderr in a pipe or a log starts without it.
 */
export async function createProgress(options: ProgressOptions = {}): Promise<Progress> {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  // A terminal that reports 0 columns (a pty nobody sized) cannot be redrawn line by line.
  const columns = (stream as { columns?: number }).columns;
  const interactive = stream.isTTY === true && !env.CI && env.TERM !== 'dumb' && columns !== 0;
  const ora = interactive ? (await import('ora')).default : null;
  const spinner: Ora | null = ora ? ora({ stream: stream as NodeJS.WritableStream, discardStdin: false, isEnabled: true }) : null;
  let lastRender = 0;
  let status: string | undefined;
  return {
    interactive,
    update(text) {
      if (!spinner) return;
      // One line: a wrapped status would leave its first lines behind on some terminals.
      const width = (stream as { columns?: number }).columns ?? 80;
      status = text.length > width - 3 ? `${text.slice(0, width - 4)}…` : text;
      spinner.text = status;
      const now = performance.now();
      if (!spinner.isSpinning) {
        spinner.start(status); // start draws the first frame
        lastRender = now;
      } else if (now - lastRender >= RENDER_EVERY_MS) {
        lastRender = now;
        spinner.render();
      }
    },
    line(text) {
      const resume = spinner?.isSpinning === true;
      spinner?.stop();
      stream.write(`${text}\n`);
      if (resume && status !== undefined) spinner!.start(status);
    },
    stop() {
      status = undefined;
      spinner?.stop();
    },
  };
}

/** "12.3k", "1.2M": counts that fit in a status line. */
export function shortCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)}M`;
}

/** "42 s", "3 min 05 s": a duration for an ETA. */
export function shortDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
}
