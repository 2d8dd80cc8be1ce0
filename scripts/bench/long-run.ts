/**
 * A long run's memory: resident set size at the start of the measured run (after load
 * and warm-up) against its peak over the run. Nothing in the simulator should grow
 * with the number of operations: the state is bounded by the key space, histograms
 * have fixed buckets, the timeline grows by one row per simulated second.
 */
import { runConfig } from '../lib/config.ts';
import { simulate } from '../lib/simulate.ts';
import { atMost, info, type BenchSection } from './figure.ts';

export interface LongRunMemory {
  ops: number;
  rssAtRunStartMiB: number;
  peakRssMiB: number;
  growth: number;
  wallSeconds: number;
}

export function longRunMemory(ops: number): LongRunMemory {
  const started = performance.now();
  let atStart = 0;
  let peak = 0;
  const rss = () => process.memoryUsage().rss;
  const config = runConfig.parse({
    workload: 'kv', workloadParams: { keys: 1_000_000, valueBytes: 1000, writeRatio: 0.2 },
    ops, warmupOps: 2_000_000, managedMemory: '64MiB', cacheSize: '512MiB', dfs: 'hdfs', policy: 'file', seed: 1,
  });
  const s = simulate(config, undefined, {
    onPhase: (p) => { if (p === 'run') peak = atStart = rss(); },
    onProgress: () => { peak = Math.max(peak, rss()); },
  }).summary;
  peak = Math.max(peak, rss());
  return {
    ops: s.ops as number, rssAtRunStartMiB: atStart / 2 ** 20, peakRssMiB: peak / 2 ** 20,
    growth: peak / atStart - 1, wallSeconds: (performance.now() - started) / 1000,
  };
}

export const longRunSection: BenchSection = {
  name: 'long-run',
  async run({ quick }) {
    const r = longRunMemory(quick ? 5_000_000 : 100_000_000);
    const what = `${(r.ops / 1e6).toFixed(0)}M-op kv run (1M keys, 20% puts)`;
    return [
      info(`${what}: RSS at the start of the run`, r.rssAtRunStartMiB, 'MiB', 0),
      info(`${what}: peak RSS during the run`, r.peakRssMiB, 'MiB', 0),
      atMost(`${what}: RSS growth after warm-up`, r.growth * 100, '%', 10, 1),
      info(`${what}: wall time`, r.wallSeconds, 's', 0),
    ];
  },
};
