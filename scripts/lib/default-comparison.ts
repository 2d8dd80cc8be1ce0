/**
 * Comparisons that `tiersim run` prints as one table: with no arguments, the local
 * baseline and every local-cache policy on one built-in heavy-I/O workload, HDFS, a
 * 1 GiB local cache; with `--policy a,b,...`, the run the flags describe under each
 * policy. The setups run as a sweep on threads (one per core: this one and workers),
 * then each lands in its own run directory beside one report.
 */
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.ts';
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
  const stateBytes = 2.95e9 * grid.base.workloadParams.scale;
  console.log(`default comparison: nexmark-q20 (bid ⋈ auction join), ~${formatBytes(stateBytes)} of state, ${grid.base.ops.toLocaleString('en')} state operations after ${grid.base.warmupOps.toLocaleString('en')} warm-up, HDFS, 1 GiB local cache, 512 MiB managed memory`);
  await runComparison({
    grid, gridName: 'the default comparison', out, title: 'tiersim default comparison',
    setupOf: (labels) => (labels.placement === 'local' ? 'local' : String(labels.policy)),
    order: ['local', ...POLICY_NAMES],
  });
}

/**
 * `tiersim run --policy file,block,adaptive` (or `all`): the run the flags describe,
 * once per policy, side by side. `config` is the run config the flags and file gave,
 * without its policy; `policyOptions` go to every policy listed.
 */
export async function comparePolicies(config: Record<string, unknown>, policies: string[], out: string | undefined, json = false): Promise<void> {
  const { policy: _policy, policyOptions, ...base } = config;
  const options = (policyOptions ?? {}) as Record<string, unknown>;
  const grid = { base, policies: policies.map((name) => ({ name, options })) };
  const { cells } = asOneRun(() => loadGrid(grid, 'the policies compared'));
  if (!json) {
    const c = cells[0]!.config;
    const share = typeof base.cacheSize === 'string' ? ` (${base.cacheSize} of the state)` : '';
    const setup = Object.entries(cells[0]!.labels).filter(([k]) => k !== 'policy')
      .map(([k, v]) => (k === 'cacheSize' ? `cache=${formatBytes(Number(v))}${share}` : `${k}=${v}`)).join(' ');
    console.log(`comparing ${policies.join(', ')}: ${setup}, ${c.ops === undefined ? 'the whole run' : `${c.ops.toLocaleString('en')} state operations`} after ${c.warmupOps.toLocaleString('en')} warm-up`);
  }
  await runComparison({ grid, gridName: 'the policies compared', out, title: `tiersim: ${policies.join(', ')}`, setupOf: (labels) => String(labels.policy), order: policies, json });
}

/** The grid's input errors worded as a single run's: without the grid's own field paths (`workloads.0: base.dfs: ...`). */
function asOneRun<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.message.replace(/^the policies compared: ((workloads|policies)\.\d+: )?(base\.)?/, ''));
    throw err;
  }
}

interface ComparisonOptions {
  grid: Record<string, unknown>;
  gridName: string;
  /** Where each setup's run directory and the report go; undefined: nowhere (a table only). */
  out: string | undefined;
  title: string;
  /** A cell's setup name, from its labels; setups print in `order`. */
  setupOf: (labels: Record<string, string | number>) => string;
  order: string[];
  /** Print a JSON array of the setups' summaries instead of the table. */
  json?: boolean;
}

const TEMP_PREFIX = 'tiersim-compare-';

/**
 * A fresh directory for a comparison's sweep that has no --out, named by this
 * process's id. A comparison interrupted by a signal (Ctrl-C) dies without removing
 * its directory (the simulation holds the thread a handler would run on), so each one
 * first removes those whose process is gone.
 */
function temporarySweepDir(): string {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (pid > 0 && !processExists(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  return mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's
  }
}

/** Runs a small grid as a sweep on threads, prints one table row per setup, and writes each setup's run directory beside one report. */
async function runComparison(o: ComparisonOptions): Promise<void> {
  const { cells } = loadGrid(o.grid, o.gridName);
  cells.sort((a, b) => o.order.indexOf(o.setupOf(a.labels)) - o.order.indexOf(o.setupOf(b.labels)));
  if (!o.json) console.log(`${cells.length} setups on ${Math.min(cells.length, availableParallelism())} threads`);

  // Always a fresh run: the sweep resumes finished cells, which here would hide a code change.
  const sweepDir = o.out ? join(o.out, '.sweep') : temporarySweepDir();
  if (o.out) rmSync(sweepDir, { recursive: true, force: true });
  const bar = progressBar(o.gridName.replace(/^the /, ''));
  let shown = 0;
  try {
    await runSweep({
      grid: o.grid, gridName: o.gridName, out: sweepDir,
      // Cells under way count by their progress; never backwards (see onProgress).
      ...(bar ? { onProgress: (done: number) => bar.update((shown = Math.max(shown, done / cells.length))) } : {}),
    });
  } catch (err) {
    if (!o.out) rmSync(sweepDir, { recursive: true, force: true });
    throw err;
  } finally {
    bar?.stop();
  }

  if (!o.json) console.log('setup          ops/s  records/s  record p50  record p99   mem hit  local hit  DFS reads  CPU µs/op');
  const runs = [];
  for (const cell of cells) {
    const setup = o.setupOf(cell.labels);
    let dir = cellDir(sweepDir, cell.id);
    if (o.out) {
      const target = join(o.out, setup);
      rmSync(target, { recursive: true, force: true });
      renameSync(dir, target);
      dir = target;
      if (existsSync(join(dir, 'cell.json'))) rmSync(join(dir, 'cell.json'));
    }
    const run = readRunDir(dir, setup);
    runs.push(run);
    if (o.json) continue;
    const s = run.summary as Record<string, any>;
    const rec = s.latencyUs.record ?? { p50: 0, p99: 0 };
    console.log(`${setup.padEnd(12)} ${s.opsPerSecond.toFixed(0).padStart(7)}  ${s.recordsPerSecond.toFixed(0).padStart(9)}  ${formatDuration(rec.p50).padStart(10)}  ${formatDuration(rec.p99).padStart(10)}  ${s.hitRatio.memory.toFixed(3).padStart(8)}  ${s.hitRatio.localDisk.toFixed(3).padStart(9)}  ${String(s.dfs.reads).padStart(9)}  ${s.cpu.cpuUsPerOp.toFixed(2).padStart(9)}`);
  }
  // What a setup's summary says of its local cache (one that served nothing, say).
  if (!o.json) runs.forEach((run, i) => { for (const note of localCacheNotes(run.summary)) console.log(`${o.setupOf(cells[i]!.labels)}: ${note}`); });
  rmSync(sweepDir, { recursive: true, force: true });
  if (o.json) console.log(JSON.stringify(runs.map((r) => r.summary), null, 2));
  if (!o.out) return;
  const { writeRunCharts } = await import('../../reports/run-report.ts');
  await writeRunCharts(o.out, runs, { title: o.title });
  (o.json ? console.error : console.log)(`wrote ${o.out}/<setup>/summary.json and ${join(o.out, 'report.html')}`);
}
