/**
 * A long run's memory. Nothing in the simulator should grow with the number of
 * operations: the state is bounded by the key space, histograms have fixed buckets,
 * the timeline grows by one row per simulated second. What the process holds still
 * rises for a while after warm-up — V8 collects dead file buffers in batches and
 * glibc keeps freed memory for reuse — and levels off; so a leak shows as the peak
 * resident set of the run's second half above that of its first half.
 */
import { runConfig } from '../lib/config.ts';
import { simulate } from '../lib/simulate.ts';
import { atMost, info, type BenchSection } from './figure.ts';

export interface LongRunMemory {
  ops: number;
  rssAtRunStartMiB: number;
  firstHalfPeakRssMiB: number;
  secondHalfPeakRssMiB: number;
  /** Second half's peak over the first half's, less one. */
  growth: number;
  /** Whole run's peak over the resident set at its start, less one (includes the settling). */
  growthFromStart: number;
  wallSeconds: number;
}

/** Peaks of the samples taken up to half the run and after it: `fractions` ascending in [0, 1]. */
export function halfPeaks(fractions: ArrayLike<number>, values: ArrayLike<number>): [number, number] {
  let first = 0;
  let second = 0;
  for (let i = 0; i < values.length; i++) {
    if (fractions[i]! <= 0.5) first = Math.max(first, values[i]!);
    else second = Math.max(second, values[i]!);
  }
  return [first, second];
}

export function longRunMemory(ops: number): LongRunMemory {
  const started = performance.now();
  const fractions: number[] = [];
  const rssBytes: number[] = [];
  let running = false;
  const sample = (fraction: number) => { fractions.push(fraction); rssBytes.push(process.memoryUsage().rss); };
  const config = runConfig.parse({
    workload: 'kv', workloadParams: { keys: 1_000_000, valueBytes: 1000, writeRatio: 0.2 },
    ops, warmupOps: 2_000_000, managedMemory: '64MiB', cacheSize: '512MiB', dfs: 'hdfs', policy: 'file', seed: 1,
  });
  const s = simulate(config, undefined, {
    onPhase: (p) => { if (p === 'run') { running = true; sample(0); } },
    onProgress: (fraction) => { if (running) sample(fraction); },
  }).summary;
  sample(1);
  const [first, second] = halfPeaks(fractions, rssBytes);
  const MiB = 2 ** 20;
  return {
    ops: s.ops as number, rssAtRunStartMiB: rssBytes[0]! / MiB,
    firstHalfPeakRssMiB: first / MiB, secondHalfPeakRssMiB: second / MiB,
    growth: second / first - 1, growthFromStart: Math.max(first, second) / rssBytes[0]! - 1,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

export const longRunSection: BenchSection = {
  name: 'long-run',
  async run({ quick }) {
    const r = longRunMemory(quick ? 5_000_000 : 100_000_000);
    const what = `${(r.ops / 1e6).toFixed(0)}M-op kv run (1M keys, 20% puts)`;
    return [
      info(`${what}: RSS at the start of the run`, r.rssAtRunStartMiB, 'MiB', 0),
      info(`${what}: peak RSS over the run's first half`, r.firstHalfPeakRssMiB, 'MiB', 0),
      info(`${what}: peak RSS over its second half`, r.secondHalfPeakRssMiB, 'MiB', 0),
      info(`${what}: peak RSS over the start (settling included)`, r.growthFromStart * 100, '%', 1),
      atMost(`${what}: RSS growth, second half's peak over the first's`, r.growth * 100, '%', 10, 1),
      info(`${what}: wall time`, r.wallSeconds, 's', 0),
    ];
  },
};
