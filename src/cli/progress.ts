import ora, { type Ora } from 'ora';

/**
 * A spinner on stderr for long work. It animates only on a terminal and outside CI; elsewhere
 * only the persisted lines (one per epoch, say) are written, so logs stay readable and stdout
 * stays clean for data.
 */
export function createProgress(text = ''): Ora {
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  return ora({ text, stream: process.stderr, isEnabled: interactive, discardStdin: false });
}
