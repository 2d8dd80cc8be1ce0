/**
 * `tiersim run` with no arguments: the local baseline and every local-cache policy
 * on one built-in heavy-I/O workload, HDFS, a 1 GiB local cache; a table on stdout.
 * The setups run as a sweep on threads (one per core: this one and workers), then each lands in
 * its own run directory beside one report.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { formatBytes, formatDuration } from '../../sim/units.ts';
import { readRunDir } from '../../reports/read.ts';
import { cellDir, loadGrid, runSweep } from './sweep.ts';
import { progressBar } from './progress.ts';
import { localCacheNotes } from './run-notes.ts';
import { describeCacheSize } from './cache-share.ts';

/**
 * The built-in workload: Nexmark q20 (the bid ⋈ auction join, the heaviest I/O query
 * with the largest working set of the PVLDB'25 set) at half its 2.95 GB state, so that
 * the state is larger than the 1 GiB cache and far larger than the 512 MiB of managed
 * memory, and the five setups finish within a minute on two cores.
 */
export const DEFAULT_GRID = {
  base: {
    workloadParams: { scale: 0.5 },
    ops: 150_000,
    warmupOps: 50_000,
    seed: 1,
  },
  workloads: ['nexmark-q20'],
  placements: ['local', 'disaggregated'],
  policies: undefined as string[] | undefined,
  cacheSizes: ['1GiB'],
  dfs: ['hdfs'],
};

/** Wall seconds of a run's phases, as `simulate`'s onPhase saw them. */
export interface PhaseWallSeconds {
  load: number;
  warmup: number;
  run: number;
}

/** Prints a run's figures; `notes` (lines starting `note:`) follow the local cache's own. */
export function printSummary(s: Record<string, unknown>, phases?: PhaseWallSeconds, notes: string[] = []): void {
  const lat = s.latencyUs as Record<string, { p50: number; p99: number }>;
  const hr = s.hitRatio as Record<string, number>;
  // A cache given as a share of the state says what that came to.
  const share = s.cacheShareOfState as { share: number; stateBytes: number } | undefined;
  const cache = share ? ` cache=${describeCacheSize(s.cacheSizeBytes as number, share)}` : '';
  console.log(`${s.workload} ${s.placement} policy=${s.policy}${cache} dfs=${s.dfsDevice}: ${s.ops} ops in ${(s.simulatedSeconds as number).toFixed(2)} simulated s`);
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
  for (const note of [...localCacheNotes(s), ...notes]) console.log(`  ${note}`);
  console.log(`  wall ${s.wallSeconds} s (${Math.round(s.simulatedOpsPerWallSecond as number)} simulated ops per wall second)`);
  // The load often takes most of it: say what the measured run itself took.
  if (phases) {
    console.log(`  wall by phase: load ${phases.load.toFixed(2)} s, warm-up ${phases.warmup.toFixed(2)} s, measured run ${phases.run.toFixed(2)} s (${Math.round((s.ops as number) / Math.max(phases.run, 1e-9))} ops per wall second)`);
  }
}

export async function runDefaultComparison(out = 'runs/default-comparison'): Promise<void> {
  const { POLICY_NAMES } = await import('../../policies/registry.ts');
  const grid = { ...DEFAULT_GRID, policies: POLICY_NAMES };
  const { cells } = loadGrid(grid, 'the default comparison');
  const setupOf = (labels: Record<string, string | number>) => (labels.placement === 'local' ? 'local' : String(labels.policy));
  const order = ['local', ...POLICY_NAMES];
  cells.sort((a, b) => order.indexOf(setupOf(a.labels)) - order.indexOf(setupOf(b.labels)));
  const stateBytes = 2.95e9 * grid.base.workloadParams.scale;
  console.log(`default comparison: nexmark-q20 (bid ⋈ auction join), ~${formatBytes(stateBytes)} of state, ${grid.base.ops.toLocaleString('en')} state operations after ${grid.base.warmupOps.toLocaleString('en')} warm-up, HDFS, 1 GiB local cache, 512 MiB managed memory`);
  console.log(`${cells.length} setups on ${Math.min(cells.length, availableParallelism())} threads`);

  // Always a fresh run: the sweep resumes finished cells, which here would hide a code change.
  const sweepDir = join(out, '.sweep');
  rmSync(sweepDir, { recursive: true, force: true });
  const bar = progressBar('default comparison');
  let shown = 0;
  try {
    await runSweep({
      grid, gridName: 'the default comparison', out: sweepDir,
      // Cells under way count by their progress; never backwards (see onProgress).
      ...(bar ? { onProgress: (done: number) => bar.update((shown = Math.max(shown, done / cells.length))) } : {}),
    });
  } finally {
    bar?.stop();
  }

  console.log('setup          ops/s  records/s  record p50  record p99   mem hit  local hit  DFS reads  CPU µs/op');
  const runs = [];
  for (const cell of cells) {
    const setup = setupOf(cell.labels);
    const dir = join(out, setup);
    rmSync(dir, { recursive: true, force: true });
    renameSync(cellDir(sweepDir, cell.id), dir);
    if (existsSync(join(dir, 'cell.json'))) rmSync(join(dir, 'cell.json'));
    const run = readRunDir(dir, setup);
    runs.push(run);
    const s = run.summary as Record<string, any>;
    const rec = s.latencyUs.record ?? { p50: 0, p99: 0 };
    console.log(`${setup.padEnd(12)} ${s.opsPerSecond.toFixed(0).padStart(7)}  ${s.recordsPerSecond.toFixed(0).padStart(9)}  ${formatDuration(rec.p50).padStart(10)}  ${formatDuration(rec.p99).padStart(10)}  ${s.hitRatio.memory.toFixed(3).padStart(8)}  ${s.hitRatio.localDisk.toFixed(3).padStart(9)}  ${String(s.dfs.reads).padStart(9)}  ${s.cpu.cpuUsPerOp.toFixed(2).padStart(9)}`);
  }
  rmSync(sweepDir, { recursive: true, force: true });
  const { writeRunCharts } = await import('../../reports/run-report.ts');
  await writeRunCharts(out, runs, { title: 'tiersim default comparison' });
  console.log(`wrote ${out}/<setup>/summary.json and ${join(out, 'report.html')}`);
}
