/**
 * Comparisons that `tiersim run` prints as one table: with no arguments, the local
 * baseline and every local-cache policy on one built-in heavy-I/O workload, HDFS, a
 * 1 GiB local cache; with lists (`--policy a,b`, `--cache-size 10%,40%`, `--dfs
 * hdfs,s3`, `--seed 1,2`), the run the flags describe under each combination. The
 * setups run as a sweep on threads (one per core: this one and workers), then each
 * lands in its own run directory beside one report.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.ts';
import { formatBytes, formatDuration } from '../../sim/units.ts';
import { readRunDir, type ReportRun } from '../../reports/read.ts';
import { cellDir, loadGrid, runSweep } from './sweep.ts';
import type { Cell } from './sweep-grid.ts';
import { cacheSizeField } from './config.ts';
import { progressBar } from './progress.ts';
import { processTempDir } from './temp-dir.ts';
import { localCacheNotes } from './run-notes.ts';
import { describeCacheSize } from './cache-share.ts';
import { formatSeedLines, summarizeSeeds, type SeedSample } from './seed-summary.ts';

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
  const source = s.sourceRate as { recordsPerSecond: number; lateShare: number } | undefined;
  if (source) console.log(`  source: ${source.recordsPerSecond} records/s offered, ${(s.recordsPerSecond as number).toFixed(0)} run; ${(100 * source.lateShare).toFixed(1)}% of records taken late`);
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
    setupOf: (cell) => (cell.labels.placement === 'local' ? 'local' : String(cell.labels.policy)),
    rank: (cell) => [cell.labels.placement === 'local' ? -1 : POLICY_NAMES.indexOf(String(cell.labels.policy))],
  });
}

/**
 * What `tiersim run` compares: each of these given as a list is an axis, in the order
 * given (`--policy file,adaptive --cache-size 10%,40%`: four setups).
 */
export interface SetupLists {
  policies?: string[];
  /** Bytes, or shares of the state ("40%"). */
  cacheSizes?: (number | string)[];
  dfs?: string[];
  /** Source rates (`exec.rate`), records per simulated second. */
  rates?: number[];
  seeds?: number[];
}

/**
 * `tiersim run` with lists (`--policy file,block,adaptive`, `--cache-size 10%,40%`,
 * `--dfs hdfs,s3`, `--rate 1000,4000`, `--seed 1,2,3`): the run the other flags describe, once per
 * combination, side by side. `config` is the run config the flags and file gave, the
 * lists in place of their single values; `policyOptions` go to every policy listed.
 */
export async function compareSetups(config: Record<string, unknown>, lists: SetupLists, out: string | undefined, json = false): Promise<void> {
  const { policy, policyOptions, cacheSize, dfs, seed, ...base } = config;
  // What is not a list stays a single value of the base config.
  const single: Record<string, unknown> = {
    ...(lists.policies ? {} : { policy, policyOptions }),
    ...(lists.cacheSizes ? {} : { cacheSize }),
    ...(lists.dfs ? {} : { dfs }),
    ...(lists.seeds ? {} : { seed }),
  };
  for (const [k, v] of Object.entries(single)) if (v !== undefined) base[k] = v;
  if (lists.rates) {
    const { rate: _listed, ...exec } = base.exec as Record<string, unknown>;
    base.exec = exec;
  }
  const options = (policyOptions ?? {}) as Record<string, unknown>;
  const grid: Record<string, unknown> = { base };
  if (lists.policies) grid.policies = lists.policies.map((name) => ({ name, options }));
  if (lists.cacheSizes) grid.cacheSizes = lists.cacheSizes;
  if (lists.dfs) grid.dfs = lists.dfs;
  if (lists.seeds) grid.seeds = lists.seeds;
  if (lists.rates) grid.axes = { 'exec.rate': lists.rates };
  const { cells } = asOneRun(() => loadGrid(grid, 'the setups compared'));

  // A setup is named by its value on each list: the policy, the size as given, the DFS, the seed.
  const sizes = (lists.cacheSizes ?? []).map((v) => cacheSizeField.parse(v)); // as each cell's config holds it
  const sizeKeys = sizes.map((v) => JSON.stringify(v));
  const sizeName = (v: number | string) => (typeof v === 'number' ? formatBytes(v).replace(' ', '') : v);
  const sizeIndex = (cell: Cell) => sizeKeys.indexOf(JSON.stringify(cell.config.cacheSize)); // -1: none, or no size list
  // `policy` names another policy's setup of the same values; `seed: false` leaves the seed out.
  const nameOf = (cell: Cell, { policy = String(cell.labels.policy), seed = true } = {}) => {
    const size = sizeIndex(cell);
    return [
      lists.policies ? policy : undefined,
      size >= 0 ? sizeName(sizes[size]!) : undefined,
      lists.dfs ? String(cell.labels.dfs) : undefined,
      lists.rates ? `rate${cell.config.exec.rate}` : undefined,
      lists.seeds && seed ? `s${cell.config.seed}` : undefined,
    ].filter((part) => part !== undefined).join(' ');
  };
  const setupOf = (cell: Cell) => nameOf(cell);
  // Several seeds: each setup over them, against the first policy listed (seed-summary.ts).
  const first = lists.policies && lists.policies.length > 1 ? lists.policies[0]! : undefined;
  const seedGroups = lists.seeds && lists.seeds.length > 1 ? {
    seeds: lists.seeds,
    sample: (cell: Cell) => ({
      group: nameOf(cell, { seed: false }),
      baseline: first !== undefined && cell.config.policy !== first ? nameOf(cell, { policy: first, seed: false }) : undefined,
      seed: cell.config.seed,
    }),
  } : undefined;
  const rank = (cell: Cell) => [
    lists.policies?.indexOf(cell.config.policy) ?? 0,
    sizeIndex(cell),
    lists.dfs?.indexOf(typeof cell.config.dfs === 'string' ? cell.config.dfs : '') ?? 0,
    lists.rates?.indexOf(cell.config.exec.rate!) ?? 0,
    lists.seeds?.indexOf(cell.config.seed) ?? 0,
  ];
  const compared = [
    lists.policies?.join(', '),
    lists.cacheSizes && `cache ${sizes.map(sizeName).join(', ')}`,
    lists.dfs && `dfs ${lists.dfs.join(', ')}`,
    lists.rates && `rate ${lists.rates.join(', ')} records/s`,
    lists.seeds && `seed ${lists.seeds.join(', ')}`,
  ].filter((part) => part !== undefined).join(' × ');
  if (!json) {
    const c = cells[0]!.config;
    const share = typeof base.cacheSize === 'string' ? ` (${base.cacheSize} of the state)` : '';
    const listed = new Set([lists.policies && 'policy', lists.cacheSizes && 'cacheSize', lists.dfs && 'dfs', lists.rates && 'exec.rate', lists.seeds && 'seed']);
    const setup = Object.entries(cells[0]!.labels).filter(([k]) => !listed.has(k))
      .map(([k, v]) => (k === 'cacheSize' ? `cache=${formatBytes(Number(v))}${share}` : `${k}=${v}`)).join(' ');
    console.log(`comparing ${compared}: ${setup}, ${c.ops === undefined ? 'the whole run' : `${c.ops.toLocaleString('en')} state operations`} after ${c.warmupOps.toLocaleString('en')} warm-up`);
  }
  await runComparison({ grid, gridName: 'the setups compared', out, title: `tiersim: ${compared}`, setupOf, rank, json, seedGroups });
}

/** The grid's input errors worded as a single run's: without the grid's own field paths (`workloads.0: base.dfs: ...`). */
function asOneRun<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const message = err.message.replace(/^the setups compared: ((workloads|policies)\.\d+: )?(base\.)?/, '')
      .replace(/^cacheSizes\.\d+/, 'cacheSize').replace(/^dfs\.\d+/, 'dfs');
    throw new InputError(message);
  }
}

interface ComparisonOptions {
  grid: Record<string, unknown>;
  gridName: string;
  /** Where each setup's run directory and the report go; undefined: nowhere (a table only). */
  out: string | undefined;
  title: string;
  /** A cell's setup name: its table row, its run directory (spaces as dashes, % as pct). */
  setupOf: (cell: Cell) => string;
  /** Setups print in the order of these keys (compared element by element). */
  rank: (cell: Cell) => number[];
  /** Print a JSON array of the setups' summaries instead of the table. */
  json?: boolean;
  /** With a seed list: how a cell's setup is taken over its seeds, printed under the table. */
  seedGroups?: { seeds: number[]; sample: (cell: Cell) => Omit<SeedSample, 'opsPerSecond'> };
}

/** A setup's run directory under --out: its name with dashes for spaces and `pct` for `%` (`file-40pct-s3`). */
function setupDir(name: string): string {
  return name.replaceAll(' ', '-').replaceAll('%', 'pct');
}

/** Runs a small grid as a sweep on threads, prints one table row per setup, and writes each setup's run directory beside one report. */
async function runComparison(o: ComparisonOptions): Promise<void> {
  const { cells } = loadGrid(o.grid, o.gridName);
  const byRank = (a: number[], b: number[]) => { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!; return 0; };
  cells.sort((a, b) => byRank(o.rank(a), o.rank(b)));
  const names = cells.map((cell) => o.setupOf(cell));
  const width = Math.max(12, ...names.map((n) => n.length));
  if (!o.json) console.log(`${cells.length} setups on ${Math.min(cells.length, availableParallelism())} threads`);

  // Always a fresh run: the sweep resumes finished cells, which here would hide a code change.
  const sweepDir = o.out ? join(o.out, '.sweep') : processTempDir('tiersim-compare-');
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

  // Under a source rate the rates match by design; the share of records taken late says who kept up.
  const rated = cells.some((cell) => (cell.config as { exec?: { rate?: number } }).exec?.rate !== undefined);
  if (!o.json) console.log(`${'setup'.padEnd(width)}   ops/s  records/s  record p50  record p99   mem hit  local hit  DFS reads  CPU µs/op${rated ? '   late' : ''}`);
  const runs: ReportRun[] = [];
  for (const [i, cell] of cells.entries()) {
    const setup = names[i]!;
    let dir = cellDir(sweepDir, cell.id);
    if (o.out) {
      const target = join(o.out, setupDir(setup));
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
    console.log(`${setup.padEnd(width)} ${s.opsPerSecond.toFixed(0).padStart(7)}  ${s.recordsPerSecond.toFixed(0).padStart(9)}  ${formatDuration(rec.p50).padStart(10)}  ${formatDuration(rec.p99).padStart(10)}  ${s.hitRatio.memory.toFixed(3).padStart(8)}  ${s.hitRatio.localDisk.toFixed(3).padStart(9)}  ${String(s.dfs.reads).padStart(9)}  ${s.cpu.cpuUsPerOp.toFixed(2).padStart(9)}${rated ? `  ${(100 * (s.sourceRate?.lateShare ?? 0)).toFixed(1).padStart(4)}%` : ''}`);
  }
  if (!o.json && o.seedGroups) {
    const samples = cells.map((cell, i) => ({ ...o.seedGroups!.sample(cell), opsPerSecond: runs[i]!.summary.opsPerSecond as number }));
    for (const line of formatSeedLines(summarizeSeeds(samples), o.seedGroups.seeds)) console.log(line);
  }
  // What a setup's summary says of its local cache (one that served nothing, say).
  if (!o.json) runs.forEach((run, i) => { for (const note of localCacheNotes(run.summary)) console.log(`${names[i]}: ${note}`); });
  rmSync(sweepDir, { recursive: true, force: true });
  if (o.json) console.log(JSON.stringify(runs.map((r) => r.summary), null, 2));
  if (!o.out) return;
  const { writeRunCharts } = await import('../../reports/run-report.ts');
  await writeRunCharts(o.out, runs, { title: o.title });
  (o.json ? console.error : console.log)(`wrote ${o.out}/<setup>/summary.json and ${join(o.out, 'report.html')}`);
}
