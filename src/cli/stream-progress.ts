/** The status line of `ner tag --input` and `ner predict`: tokens done, tokens/s, and % of the input when its size is known. */
import { shortCount, type Progress } from './progress.js';

/** What a streaming job has done so far. */
export interface StreamDone {
  tokens: number;
  bytes: number;
}

/** A callback that renders `done` on `progress`; `totalBytes` 0 when the size is unknown (stdin). */
export function streamStatus(progress: Progress, verb: string, totalBytes: number, now: () => number = () => performance.now()): (done: StreamDone) => void {
  const started = now();
  return (done) => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? done.tokens / seconds : 0;
    // Bytes done can pass the size by a CRLF file's \r; the job is not over until it returns.
    const percent = totalBytes > 0 ? ` (${Math.min(99, Math.floor((100 * done.bytes) / totalBytes))}%)` : '';
    progress.update(`${verb} ${shortCount(done.tokens)} tokens${percent}, ${shortCount(rate)} tokens/s`);
  };
}
