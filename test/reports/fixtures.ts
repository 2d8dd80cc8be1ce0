/** Runs for report tests: synthetic ones (fast, exact) and small real simulations written as run directories. */
import { spawnSync } from 'node:child_process';
import { checkRun, type CheckedRun, type ReplayResult, type ReportRun } from '../../reports/read.ts';
import { writeRunDir } from '../../reports/run-dir.ts';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';

export { tempDir as tmp } from '../temp-dir.ts';

/** A summary with the fields reports read; `over` replaces any of them. */
export function summary(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    workload: 'kv', policy: 'file', placement: 'disaggregated', dfsDevice: 'hdfs', cacheSizeBytes: 2 ** 30, seed: 1,
    opsPerSecond: 30_000, simulatedSeconds: 4.6,
    latencyUs: { get: { count: 100, p50: 2, p90: 80, p99: 180, p999: 1600, max: 25_000, mean: 30 }, record: { count: 100, p50: 6, p90: 90, p99: 190, p999: 1500, max: 25_000, mean: 31 } },
    hitRatio: { memory: 0.9, localDisk: 0.95, overall: 0.99 },
    dfs: { reads: 400, writes: 10, bytesRead: 1e8, costUsd: 0 },
    cpu: { cpuUsPerOp: 9 },
    ...over,
  };
}

export function timeline(seconds = 5, restoreAt = 2): Record<string, number>[] {
  return Array.from({ length: seconds }, (_, s) => ({
    second: s, ops: 30_000, blockReads: 1000, memoryHits: s === restoreAt ? 500 : 900, localHits: 80,
    dfsRequests: 20, checkpoints: s > 0 ? 1 : 0, restores: s === restoreAt ? 1 : 0, opP50Us: 2 + s, opP99Us: 150 + 10 * s,
  }));
}

export function run(name: string, over: Record<string, unknown> = {}, tl = timeline()): ReportRun {
  return { name, summary: summary(over), timeline: tl };
}

export const checked = (r: ReportRun): CheckedRun => checkRun(r);

export function replayRows(trace = 'trace.bin', policies = ['lru', 's3fifo', 'belady']): ReplayResult[] {
  return policies.flatMap((policy, p) => [2 ** 20, 2 ** 24, 2 ** 28].map((cacheSizeBytes, i) => ({
    trace, policy, cacheSizeBytes, requests: 1000, misses: 900 - 200 * i - 50 * p, missRatio: (900 - 200 * i - 50 * p) / 1000,
    byteMisses: 0, byteMissRatio: (950 - 200 * i - 50 * p) / 1000, wallSeconds: 0.01,
  })));
}

/** A small real simulation written as a run directory. */
export function realRunDir(dir: string, over: RunConfigInput = {}): string {
  const config = runConfig.parse({
    workload: 'kv', workloadParams: { keys: 20_000, valueBytes: 1000, writeRatio: 0.1 }, ops: 20_000, dfs: 'hdfs', policy: 'file',
    managedMemory: 8 * 2 ** 20, ...over,
  });
  const r = simulate(config, () => 0);
  writeRunDir(dir, { summary: r.summary, timeline: r.timeline, config: { ...config } });
  return dir;
}

export function tiersim(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/tiersim.mjs', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
