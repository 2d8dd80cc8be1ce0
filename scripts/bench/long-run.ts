/**
 * A long run's memory. Nothing in the simulator should grow with the number of
 * operations: the state is bounded by the key space, histograms have fixed buckets,
 * the timeline grows by one row per simulated second. So the memory still live after a
 * full collection (V8's heap and the typed arrays' buffers), taken at twenty points of
 * the run, must not peak higher in its second half than in its first. The resident
 * set is printed beside: it rises for a while after warm-up — V8 collects dead file
 * buffers in batches, glibc keeps freed memory for reuse — and levels off. (The bench
 * runs each section in a process of its own: in one shared with the store sections it
 * would show their high-water mark.)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runConfig } from '../lib/config.ts';
import { simulate } from '../lib/simulate.ts';
import { atMost, info, type BenchSection } from './figure.ts';

export interface LongRunMemory {
  ops: number;
  rssAtRunStartMiB: number;
  firstHalfPeakRssMiB: number;
  secondHalfPeakRssMiB: number;
  /** Memory live after a full collection (V8 heap used + external): peaks of each half. */
  firstHalfPeakLiveMiB: number;
  secondHalfPeakLiveMiB: number;
  /** Live memory: second half's peak over the first half's, less one. */
  growth: number;
  /** The same for the resident set. */
  rssGrowth: number;
  /** Whole run's resident peak over the resident set at its start, less one (includes the settling). */
  rssGrowthFromStart: number;
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

/**
 * V8's full collection (`node --expose-gc`'s gc()), run twice: V8 releases a dead
 * ArrayBuffer's memory on a background thread after the collection that found it,
 * and the next collection first waits for that (one collection alone left a freed
 * 64 MiB buffer counted in `arrayBuffers`, once in a full `npm test`).
 */
export function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

const LIVE_SAMPLES = 20;

export function longRunMemory(ops: number): LongRunMemory {
  const started = performance.now();
  const gc = fullGc();
  const fractions: number[] = [];
  const rssBytes: number[] = [];
  const liveFractions: number[] = [];
  const liveBytes: number[] = [];
  let nextLive = 0;
  let running = false;
  const sample = (fraction: number) => {
    fractions.push(fraction);
    rssBytes.push(process.memoryUsage().rss);
    if (fraction >= nextLive / LIVE_SAMPLES) {
      gc();
      const m = process.memoryUsage();
      liveFractions.push(fraction);
      liveBytes.push(m.heapUsed + m.external);
      nextLive = Math.floor(fraction * LIVE_SAMPLES) + 1;
    }
  };
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
  const [liveFirst, liveSecond] = halfPeaks(liveFractions, liveBytes);
  const MiB = 2 ** 20;
  return {
    ops: s.ops as number, rssAtRunStartMiB: rssBytes[0]! / MiB,
    firstHalfPeakRssMiB: first / MiB, secondHalfPeakRssMiB: second / MiB,
    firstHalfPeakLiveMiB: liveFirst / MiB, secondHalfPeakLiveMiB: liveSecond / MiB,
    growth: liveSecond / liveFirst - 1, rssGrowth: second / first - 1,
    rssGrowthFromStart: Math.max(first, second) / rssBytes[0]! - 1,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

export const longRunSection: BenchSection = {
  name: 'long-run',
  async run({ quick }) {
    const r = longRunMemory(quick ? 5_000_000 : 100_000_000);
    const what = `${(r.ops / 1e6).toFixed(0)}M-op kv run (1M keys, 20% puts)`;
    return [
      info(`${what}: live after a full GC, peak of the run's first half`, r.firstHalfPeakLiveMiB, 'MiB', 1),
      info(`${what}: live after a full GC, peak of its second half`, r.secondHalfPeakLiveMiB, 'MiB', 1),
      atMost(`${what}: live memory growth, second half's peak over the first's`, r.growth * 100, '%', 10, 1),
      info(`${what}: RSS at the start of the run`, r.rssAtRunStartMiB, 'MiB', 0),
      info(`${what}: peak RSS over the run's first half`, r.firstHalfPeakRssMiB, 'MiB', 0),
      info(`${what}: peak RSS over its second half`, r.secondHalfPeakRssMiB, 'MiB', 0),
      info(`${what}: RSS growth, second half's peak over the first's`, r.rssGrowth * 100, '%', 1),
      info(`${what}: peak RSS over the start (settling included)`, r.rssGrowthFromStart * 100, '%', 1),
      info(`${what}: wall time`, r.wallSeconds, 's', 0),
    ];
  },
};
