import ora from 'ora';

/** Progress on stderr: a transient status (`update`) and permanent lines (`line`). */
export interface Progress {
  /** Shows a transient status; only on an interactive terminal. */
  update(text: string): void;
  /** Writes a permanent line (clearing the status first). */
  line(text: string): void;
  stop(): void;
}

/**
 * Progress for long work. The ora spinner animates only on a terminal outside CI; elsewhere
 * only the permanent lines (one per epoch, say) are written, so logs stay readable, and
 * stdout stays clean for data either way.
 */
export function createProgress(): Progress {
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  const spinner = interactive ? ora({ stream: process.stderr, discardStdin: false }) : null;
  return {
    update(text) {
      if (!spinner) return;
      if (spinner.isSpinning) spinner.text = text;
      else spinner.start(text);
    },
    line(text) {
      spinner?.stop();
      process.stderr.write(`${text}\n`);
    },
    stop() {
      spinner?.stop();
    },
  };
}
