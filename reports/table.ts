/**
 * The summary table of a report: one row per run (table.csv raw, table.md and
 * report.html formatted for people), and the replay results beside it.
 */
import { formatBytes, formatShare } from '../sim/units.ts';
import { toCsv } from './csv.ts';
import type { CheckedRun, ReplayResult } from './read.ts';

export interface TableRow {
  run: string;
  workload: string;
  policy: string;
  placement: string | undefined;
  dfs: string | undefined;
  cacheSizeBytes: number | undefined;
  /** The share of the declared state the cache size was given as (display only). */
  cacheShare: number | undefined;
  seed: number | undefined;
  opsPerSecond: number;
  getP50Us: number | undefined;
  getP99Us: number | undefined;
  memoryHitRatio: number | undefined;
  localDiskHitRatio: number | undefined;
  overallHitRatio: number | undefined;
  dfsReads: number | undefined;
  dfsCostUsd: number | undefined;
  cpuUsPerOp: number | undefined;
  checkpointP50Seconds: number | undefined;
  checkpointMaxSeconds: number | undefined;
  restoreSeconds: number | undefined;
  /** Under a source rate (`--rate`): records per second offered, and the share taken late. */
  offeredRecordsPerSecond: number | undefined;
  lateShare: number | undefined;
  source: string | undefined;
}

export const TABLE_COLUMNS: (keyof TableRow)[] = [
  'run', 'workload', 'policy', 'placement', 'dfs', 'cacheSizeBytes', 'seed', 'opsPerSecond', 'getP50Us', 'getP99Us',
  'memoryHitRatio', 'localDiskHitRatio', 'overallHitRatio', 'dfsReads', 'dfsCostUsd', 'cpuUsPerOp',
  'checkpointP50Seconds', 'checkpointMaxSeconds', 'restoreSeconds', 'offeredRecordsPerSecond', 'lateShare', 'source',
];

export function tableRow(r: CheckedRun): TableRow {
  const s = r.s;
  return {
    run: r.name,
    workload: s.workload,
    policy: s.policy,
    placement: s.placement,
    dfs: s.dfsDevice,
    cacheSizeBytes: s.cacheSizeBytes,
    cacheShare: s.cacheShareOfState?.share,
    seed: s.seed,
    opsPerSecond: s.opsPerSecond,
    getP50Us: s.latencyUs?.get?.p50,
    getP99Us: s.latencyUs?.get?.p99,
    memoryHitRatio: s.hitRatio?.memory,
    localDiskHitRatio: s.hitRatio?.localDisk,
    overallHitRatio: s.hitRatio?.overall,
    dfsReads: s.dfs?.reads,
    dfsCostUsd: s.dfs?.costUsd,
    cpuUsPerOp: s.cpu?.cpuUsPerOp,
    checkpointP50Seconds: s.checkpoint?.durationSeconds.p50,
    checkpointMaxSeconds: s.checkpoint?.durationSeconds.max,
    restoreSeconds: s.restore?.durationSeconds,
    offeredRecordsPerSecond: s.sourceRate?.recordsPerSecond,
    lateShare: s.sourceRate?.lateShare,
    source: r.source,
  };
}

/** table.csv: raw values, formula-safe. */
export function tableCsv(rows: TableRow[]): string {
  return toCsv(rows as unknown as Record<string, unknown>[], TABLE_COLUMNS);
}

export const REPLAY_COLUMNS: (keyof ReplayResult)[] = ['trace', 'policy', 'cacheSizeBytes', 'requests', 'misses', 'missRatio', 'byteMisses', 'byteMissRatio', 'wallSeconds', 'source'];

export function replayCsv(rows: ReplayResult[]): string {
  return toCsv(rows.map((r) => ({ ...r, source: r.source ?? '' })) as unknown as Record<string, unknown>[], REPLAY_COLUMNS);
}

// ---------------------------------------------------------------- for people

export interface DisplayColumn {
  label: string;
  /** Right-aligned (numbers). */
  numeric: boolean;
}
export interface DisplayTable {
  title: string;
  columns: DisplayColumn[];
  /** Plain text cells; escaping is the writer's (Markdown or HTML). */
  rows: string[][];
}

const fixed = (digits: number) => (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : v.toFixed(digits));
const grouped = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : Math.round(v).toLocaleString('en-US'));
const micro = (v: number | undefined) => (v === undefined ? '' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const usd = (v: number | undefined) => (v === undefined ? '' : v === 0 ? '0' : `${v.toPrecision(3)}`);

/** The runs for people: sizes in binary units, no cache size where none applies. */
export function runsDisplay(rows: TableRow[]): DisplayTable {
  const cols: [string, boolean, (r: TableRow) => string][] = [
    ['run', false, (r) => r.run],
    ['workload', false, (r) => r.workload],
    ['policy', false, (r) => r.policy],
    ['placement', false, (r) => r.placement ?? ''],
    ['DFS', false, (r) => r.dfs ?? ''],
    ['local cache', true, (r) => (r.placement === 'local' || r.policy === 'none' || !r.cacheSizeBytes ? '—'
      : formatBytes(r.cacheSizeBytes) + (r.cacheShare === undefined ? '' : ` (${formatShare(r.cacheShare)} of state)`))],
    ['seed', true, (r) => (r.seed === undefined ? '' : String(r.seed))],
    ['ops/s', true, (r) => grouped(r.opsPerSecond)],
    ['get p50 µs', true, (r) => micro(r.getP50Us)],
    ['get p99 µs', true, (r) => micro(r.getP99Us)],
    ['memory hit', true, (r) => fixed(3)(r.memoryHitRatio)],
    ['local hit', true, (r) => fixed(3)(r.localDiskHitRatio)],
    ['overall hit', true, (r) => fixed(3)(r.overallHitRatio)],
    ['DFS reads', true, (r) => grouped(r.dfsReads)],
    ['DFS cost $', true, (r) => usd(r.dfsCostUsd)],
    ['CPU µs/op', true, (r) => fixed(2)(r.cpuUsPerOp)],
    ['checkpoint p50 s', true, (r) => fixed(3)(r.checkpointP50Seconds)],
    ['restore s', true, (r) => fixed(3)(r.restoreSeconds)],
    ['offered rec/s', true, (r) => grouped(r.offeredRecordsPerSecond)],
    ['late', true, (r) => (r.lateShare === undefined ? '' : `${(100 * r.lateShare).toFixed(1)}%`)],
  ];
  // Columns no run has (no checkpoints, no restores) are left out.
  const used = cols.filter(([label, , f]) => ['run', 'workload', 'policy', 'ops/s'].includes(label) || rows.some((r) => f(r) !== ''));
  return {
    title: 'Runs',
    columns: used.map(([label, numeric]) => ({ label, numeric })),
    rows: rows.map((r) => used.map(([, , f]) => f(r))),
  };
}

export function replaysDisplay(rows: ReplayResult[]): DisplayTable {
  return {
    title: 'Replay results',
    columns: [
      { label: 'trace', numeric: false }, { label: 'policy', numeric: false }, { label: 'cache size', numeric: true },
      { label: 'requests', numeric: true }, { label: 'miss ratio', numeric: true }, { label: 'byte miss ratio', numeric: true },
    ],
    rows: rows.map((r) => [r.trace, r.policy, formatBytes(r.cacheSizeBytes), grouped(r.requests), fixed(4)(r.missRatio), fixed(4)(r.byteMissRatio)]),
  };
}

/** A Markdown cell: pipes and HTML escaped, one line. */
function mdCell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}

export function markdownTable(t: DisplayTable): string {
  const head = `| ${t.columns.map((c) => mdCell(c.label)).join(' | ')} |`;
  const rule = `|${t.columns.map((c) => (c.numeric ? '---:' : ':---')).join('|')}|`;
  const body = t.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** table.md: the runs, then the replay results, each under a heading. */
export function tableMarkdown(tables: DisplayTable[]): string {
  return tables.map((t) => `## ${mdCell(t.title)}\n\n${markdownTable(t)}\n`).join('\n');
}
