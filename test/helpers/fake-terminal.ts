import { Writable } from 'node:stream';

/** A stderr that says it is a terminal (80 columns) and keeps what is written: where ora draws in tests. */
export class FakeTerminal extends Writable {
  readonly isTTY = true;
  columns = 80;
  text = '';
  writes = 0;
  override _write(chunk: string | Buffer, _enc: string, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    this.writes++;
    done();
  }
  // ora moves the cursor with these, as on a tty.WriteStream.
  cursorTo(): boolean { return true; }
  moveCursor(): boolean { return true; }
  clearLine(): boolean { return true; }
}

/**
 * Runs `fn` with process.stderr made to look like an 80-column terminal and CI unset, so
 * that the CLI's progress renders into what runCli captures; restores both after.
 */
export async function asTerminal<T>(fn: () => Promise<T>): Promise<T> {
  const stderr = process.stderr as unknown as Record<string, unknown>;
  const saved = Object.fromEntries(['isTTY', 'columns', 'cursorTo', 'moveCursor', 'clearLine'].map((k) => [k, Object.getOwnPropertyDescriptor(stderr, k)]));
  const ci = process.env.CI;
  Object.assign(stderr, { isTTY: true, columns: 80, cursorTo: () => true, moveCursor: () => true, clearLine: () => true });
  delete process.env.CI;
  try {
    return await fn();
  } finally {
    for (const [k, d] of Object.entries(saved)) {
      if (d) Object.defineProperty(stderr, k, d);
      else delete stderr[k];
    }
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  }
}

/** The status texts ora drew (frame, then text), in order, from what a terminal received. */
export function statusTexts(written: string): string[] {
  // eslint-disable-next-line no-control-regex
  const plain = written.replace(/\u001B\[[?\d;]*[A-Za-z]/g, '');
  return [...plain.matchAll(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] ([^\n⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]*)/g)].map((m) => m[1].replace(/\r/g, ''));
}
