/**
 * `tiersim run` with no arguments: the local baseline and every local-cache policy
 * on one built-in workload, HDFS, a 1 GiB local cache; a table on stdout.
 */
import { formatBytes, formatDuration } from '../../sim/units.ts';
import { writeRunDir } from '../../reports/run-dir.ts';
import { POLICY_NAMES } from '../../policies/registry.ts';
import { runConfig, type RunConfigInput } from './config.ts';
import { simulate } from './simulate.ts';
import { join } from 'node:path';

const BUILT_IN: RunConfigInput = {
  workload: 'kv',
  workloadParams: { keys: 2_000_000, valueBytes: 1000, writeRatio: 0.1, distribution: 'zipfian' },
  ops: 200_000,
  warmupOps: 400_000,
  dfs: 'hdfs',
  cacheSize: 2 ** 30,
  seed: 1,
};

export function printSummary(s: Record<string, unknown>): void {
  const lat = s.latencyUs as Record<string, { p50: number; p99: number }>;
  const hr = s.hitRatio as Record<string, number>;
  console.log(`${s.workload} ${s.placement} policy=${s.policy} dfs=${s.dfsDevice}: ${s.ops} ops in ${(s.simulatedSeconds as number).toFixed(2)} simulated s`);
  console.log(`  ${(s.opsPerSecond as number).toFixed(0)} ops/s; hit ratio memory ${hr.memory!.toFixed(3)} local ${hr.localDisk!.toFixed(3)} overall ${hr.overall!.toFixed(3)}`);
  for (const [op, l] of Object.entries(lat)) console.log(`  ${op}: p50 ${formatDuration(l.p50)} p99 ${formatDuration(l.p99)}`);
  const v = s.verify as { reads: number; mismatches: number; firstMismatches: { op: string; key: number; expected: string; got: string }[] } | undefined;
  if (v) {
    console.log(`  verify: ${v.reads} reads checked, ${v.mismatches} mismatches`);
    for (const m of v.firstMismatches) console.log(`    ${m.op} key ${m.key}: expected ${m.expected}, got ${m.got}`);
  }
  const cp = s.checkpoint as { count: number; durationSeconds: { p50: number; max: number }; uploadedBytes: number } | undefined;
  if (cp) console.log(`  checkpoints: ${cp.count}, p50 ${cp.durationSeconds.p50.toFixed(3)} s, max ${cp.durationSeconds.max.toFixed(3)} s, uploaded ${formatBytes(cp.uploadedBytes)}`);
  const rs = s.restore as { durationSeconds: number; downloadedBytes: number } | undefined;
  if (rs) console.log(`  restore: ${rs.durationSeconds.toFixed(3)} s, downloaded ${formatBytes(rs.downloadedBytes)}`);
  console.log(`  wall ${s.wallSeconds} s (${Math.round(s.simulatedOpsPerWallSecond as number)} simulated ops per wall second)`);
}

export async function runDefaultComparison(out = 'runs/default-comparison'): Promise<void> {
  const cells: { name: string; config: RunConfigInput }[] = [
    { name: 'local', config: { ...BUILT_IN, placement: 'local', policy: 'none' } },
    ...POLICY_NAMES.map((p) => ({ name: p, config: { ...BUILT_IN, placement: 'disaggregated' as const, policy: p } })),
  ];
  console.log(`default comparison: kv zipfian, 2M keys × 1000 B (~${formatBytes(2e6 * 1000)} of state), ${BUILT_IN.ops} ops after ${BUILT_IN.warmupOps} warm-up ops, HDFS, 1 GiB local cache`);
  console.log('setup          ops/s   get p50    get p99    mem hit  local hit  DFS reads  CPU µs/op');
  const runs: { name: string; summary: Record<string, unknown>; timeline: Record<string, number>[] }[] = [];
  for (const cell of cells) {
    const config = runConfig.parse(cell.config);
    const r = simulate(config);
    const s = r.summary as Record<string, any>;
    writeRunDir(join(out, cell.name), { summary: r.summary, timeline: r.timeline, config: { ...config } });
    runs.push({ name: cell.name, summary: r.summary, timeline: r.timeline });
    const get = s.latencyUs.get ?? { p50: 0, p99: 0 };
    console.log(`${cell.name.padEnd(12)} ${s.opsPerSecond.toFixed(0).padStart(7)}  ${formatDuration(get.p50).padStart(9)}  ${formatDuration(get.p99).padStart(9)}  ${s.hitRatio.memory.toFixed(3).padStart(7)}  ${s.hitRatio.localDisk.toFixed(3).padStart(9)}  ${String(s.dfs.reads).padStart(9)}  ${s.cpu.cpuUsPerOp.toFixed(2).padStart(9)}`);
  }
  const { writeRunCharts } = await import('../../reports/run-report.ts');
  await writeRunCharts(out, runs, { title: 'tiersim default comparison' });
  console.log(`wrote ${out}/<setup>/summary.json and ${join(out, 'report.html')}`);
}
