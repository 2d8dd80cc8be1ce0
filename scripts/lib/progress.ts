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
    stream: process.stderr, format: `${label}{stage} [{bar}] {percentage}% eta {eta}s`, hideCursor: true, clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let current: string | undefined;
  bar.start(1000, 0, { stage: '' });
  return {
    update: (fraction, stage) => {
      const value = Math.min(1000, Math.round(fraction * 1000));
      if (stage !== undefined && stage !== current) {
        // Restarted, so that the estimate of time left is this stage's own.
        current = stage;
        bar.start(1000, value, { stage: `: ${stage}` });
      } else bar.update(value);
    },
    stop: () => bar.stop(),
  };
}
