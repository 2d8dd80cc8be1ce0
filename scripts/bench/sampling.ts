/**
 * The error of spatial sampling (--sample): YCSB-B run in full and at a 1% sample
 * (same workload stretch, seed and setup); hit ratios as absolute differences, get
 * latency p99 and throughput as relative ones, and what the sample saves in CPU.
 */
import { runConfig, type RunConfigInput } from '../lib/config.ts';
import { simulate } from '../lib/simulate.ts';
import { atMost, info, type BenchSection } from './figure.ts';
import { cpuSeconds, ycsbConfig } from './store.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function timed(config: RunConfigInput): { s: Record<string, any>; cpu: number } {
  const t = cpuSeconds();
  const s = simulate(runConfig.parse(config)).summary;
  return { s, cpu: cpuSeconds() - t };
}

export const samplingSection: BenchSection = {
  name: 'sampling',
  async run({ quick }) {
    const keys = quick ? 1_000_000 : 10_000_000;
    const ops = quick ? 500_000 : 2_000_000;
    const rate = 0.01;
    const base = ycsbConfig('b', keys, ops);
    const full = timed(base);
    const sample = timed({ ...base, sample: rate });
    const what = `YCSB-B ${keys / 1e6}M keys, ${ops / 1e6}M ops, 1% sample vs full`;
    const diff = (k: string) => Math.abs(sample.s.hitRatio[k] - full.s.hitRatio[k]);
    const rel = (a: number, b: number) => (100 * Math.abs(a - b)) / b;
    return [
      atMost(`${what}: memory hit ratio error`, diff('memory'), 'abs', 0.02, 4),
      atMost('  overall hit ratio error', diff('overall'), 'abs', 0.02, 4),
      atMost('  get latency p99 error', rel(sample.s.latencyUs.get.p99, full.s.latencyUs.get.p99), '%', 10, 1),
      info('  throughput (ops per simulated s) error', rel(sample.s.opsPerSecond, full.s.opsPerSecond), '%', 1),
      info('  CPU time, sample over full', sample.cpu / full.cpu, 'x', 4),
    ];
  },
};
