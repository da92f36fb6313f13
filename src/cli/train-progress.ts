/** The status line of `ner train` and `ner cv`: what loads before the epochs, then each epoch's windows/s and ETA. */
import type { TrainArgs, TrainStage } from '../core/train/train-args.js';
import { shortCount, shortDuration, type Progress } from './progress.js';

/** onStage and onProgress callbacks for train()/trainFiles() that render on `progress`. */
export function trainingStatus(progress: Progress, now: () => number = () => performance.now()): Required<Pick<TrainArgs, 'onStage' | 'onProgress'>> {
  // The rate is measured from the epoch's first report (not its start, which the display does not see).
  let first = { time: now(), done: 0 };
  let currentEpoch = 0;
  let vectorsStarted = now();
  return {
    onStage(stage: TrainStage) {
      if (stage.stage === 'features') {
        progress.update(`building features and windows for ${shortCount(stage.sentences)} sentences`);
      } else if (stage.done) {
        progress.line(`vectors: ${stage.words} words from ${stage.source} (${((now() - vectorsStarted) / 1000).toFixed(1)} s)`);
      } else {
        if (stage.words === 0) vectorsStarted = now();
        progress.update(`loading vectors ${stage.source}${stage.words > 0 ? `: ${shortCount(stage.words)} words` : ''}`);
      }
    },
    onProgress(epoch, done, total, loss) {
      if (epoch !== currentEpoch) {
        currentEpoch = epoch;
        first = { time: now(), done };
      }
      if (done >= total) {
        progress.update(`epoch ${epoch}: scoring dev`);
        return;
      }
      const seconds = (now() - first.time) / 1000;
      // Under a quarter second the rate is noise: say nothing rather than a wild figure.
      const rate = seconds >= 0.25 ? (done - first.done) / seconds : 0;
      const speed = rate > 0 ? `, ${shortCount(rate)} windows/s, ETA ${shortDuration((total - done) / rate)}` : '';
      progress.update(`epoch ${epoch}: ${((100 * done) / total).toFixed(0)}% of ${shortCount(total)} windows${speed}, loss ${loss.toFixed(4)}`);
    },
  };
}
