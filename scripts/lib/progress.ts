/** A progress bar on stderr when it is a terminal; nothing otherwise (CI, pipes). */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Fraction done, 0..1; a new `stage` (e.g. load, then run) starts the bar again under its name. */
  update(fraction: number, stage?: string): void;
  stop(): void;
}

export function progressBar(label: string): Progress | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar({
    stream: process.stderr, format: `${label}{stage} [{bar}] {percentage}%{left}`, hideCursor: true, clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let current: string | undefined;
  // The stage's start, for the time left: its mean pace so far. (cli-progress's own
  // estimate, from the last few updates, says INF whenever they repeat a value, as a
  // compressed trace's share read does between two reads of the file.)
  let since = performance.now();
  let from = 0;
  const left = (value: number) => {
    const seconds = (performance.now() - since) / 1000;
    return value - from < 10 || seconds < 1 ? '' : `, about ${Math.ceil(seconds / (value - from) * (1000 - value))} s left`;
  };
  bar.start(1000, 0, { stage: '', left: '' });
  return {
    update: (fraction, stage) => {
      const value = Math.min(1000, Math.round(fraction * 1000));
      if (stage !== undefined && stage !== current) {
        // Restarted, so that the estimate of time left is this stage's own.
        current = stage;
        since = performance.now();
        from = value;
        bar.start(1000, value, { stage: `: ${stage}`, left: '' });
      } else bar.update(value, { left: left(value) });
    },
    stop: () => bar.stop(),
  };
}
