/** A progress bar on stderr when it is a terminal; nothing otherwise (CI, pipes). */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Fraction done, 0..1. */
  update(fraction: number): void;
  stop(): void;
}

export function progressBar(label: string): Progress | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar({
    stream: process.stderr, format: `${label} [{bar}] {percentage}% eta {eta}s`, hideCursor: true, clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  bar.start(1000, 0);
  return {
    update: (fraction) => bar.update(Math.min(1000, Math.round(fraction * 1000))),
    stop: () => bar.stop(),
  };
}
