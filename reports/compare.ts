/**
 * A head-to-head of one policy against the best of some others, setup by setup:
 * `tiersim report DIR --compare adaptive --against file,block`. A setup is every
 * run that differs only in its policy (the run name with the policy taken out: a
 * sweep cell's workload, cache size, DFS, seed and other axes). In each setup the
 * best baseline is the one with the most operations per simulated second; the
 * policy meets the bar when its throughput is at least `minRatio` of that one's and
 * its get p99 at most `maxP99Ratio` of that one's.
 */
import { geometricMean } from 'simple-statistics';
import { formatBytes, formatShare } from '../sim/units.ts';
import { InputError } from '../sim/errors.ts';
import { MIB, sizeAxisX, top, type Chart } from './charts.ts';
import { toCsv } from './csv.ts';
import type { DisplayTable, TableRow } from './table.ts';

export interface CompareOptions {
  policy: string;
  against: string[];
  /** Least throughput over the best baseline's (default 0.95). */
  minRatio?: number;
  /** Most get p99 over the best baseline's (default 1.1). */
  maxP99Ratio?: number;
}

export interface CompareRow {
  setup: string;
  workload: string;
  dfs: string | undefined;
  cacheSizeBytes: number | undefined;
  /** The share of the declared state the cache size was given as, when it was. */
  cacheShare: number | undefined;
  seed: number | undefined;
  opsPerSecond: number;
  getP99Us: number | undefined;
  /** The baseline with the most throughput in this setup. */
  best: string;
  bestOpsPerSecond: number;
  bestGetP99Us: number | undefined;
  /**
   * DFS read requests of the measured run, the policy's and the best baseline's: a
   * setup whose runs turn on a few dozen reads of a heavy-tailed DFS is decided by
   * which reads drew the tail, and this says so beside the ratio.
   */
  dfsReads: number | undefined;
  bestDfsReads: number | undefined;
  /** opsPerSecond / bestOpsPerSecond. */
  throughputRatio: number;
  /** getP99Us / bestGetP99Us (1 when either has no gets). */
  p99Ratio: number;
  /** Throughput over the other baselines' best, each: `file=1.02 block=3.10`. */
  versus: string;
  meets: boolean;
}

export interface Comparison {
  options: Required<CompareOptions>;
  rows: CompareRow[];
  /** Setups that lacked the policy or every baseline (named, not compared). */
  incomplete: string[];
}

export const COMPARE_COLUMNS: (keyof CompareRow)[] = [
  'setup', 'workload', 'dfs', 'cacheSizeBytes', 'seed', 'opsPerSecond', 'getP99Us', 'best', 'bestOpsPerSecond',
  'bestGetP99Us', 'dfsReads', 'bestDfsReads', 'throughputRatio', 'p99Ratio', 'versus', 'meets',
];

/**
 * The run's setup: its name without the policy token (`ycsb-a-file-10MiB-hdfs-s1` →
 * `ycsb-a-10MiB-hdfs-s1`). A name that does not start with the workload (`tiersim run`'s
 * directories: `file-40pct-s3`) gets it in front (`ycsb-b-40pct-s3`), so that what is
 * left is never empty and its seed token never first.
 */
export function setupName(row: Pick<TableRow, 'run' | 'policy' | 'workload'>): string {
  const { run, policy, workload } = row;
  const named = run.startsWith(workload);
  for (let at = run.indexOf(policy, named ? workload.length : 0); at >= 0; at = run.indexOf(policy, at + 1)) {
    const end = at + policy.length;
    if ((at === 0 || run[at - 1] === '-') && (end === run.length || run[end] === '-')) {
      const rest = at === 0 ? run.slice(end + 1) : run.slice(0, at - 1) + run.slice(end);
      return named ? rest : rest === '' ? workload : `${workload}-${rest}`;
    }
  }
  return `${run} (${policy})`;
}

export function comparePolicies(rows: TableRow[], options: CompareOptions): Comparison {
  const opts = { minRatio: 0.95, maxP99Ratio: 1.1, ...options };
  if (opts.against.length === 0) throw new InputError('--against: name at least one policy to compare with');
  if (opts.against.includes(opts.policy)) throw new InputError(`--against: ${opts.policy} cannot be compared with itself`);
  const policies = new Set(rows.map((r) => r.policy));
  for (const p of [opts.policy, ...opts.against]) {
    if (!policies.has(p)) throw new InputError(`--compare: no run of policy '${p}' (the runs have: ${[...policies].sort().join(', ')})`);
  }
  const setups = new Map<string, Map<string, TableRow>>();
  for (const r of rows) {
    if (r.policy !== opts.policy && !opts.against.includes(r.policy)) continue;
    const name = setupName(r);
    let s = setups.get(name);
    if (s === undefined) setups.set(name, (s = new Map()));
    s.set(r.policy, r);
  }
  const out: CompareRow[] = [];
  const incomplete: string[] = [];
  for (const [setup, byPolicy] of setups) {
    const mine = byPolicy.get(opts.policy);
    const baselines = opts.against.map((p) => byPolicy.get(p)).filter((r): r is TableRow => r !== undefined);
    if (mine === undefined || baselines.length < opts.against.length) {
      incomplete.push(setup);
      continue;
    }
    const best = baselines.reduce((a, b) => (b.opsPerSecond > a.opsPerSecond ? b : a));
    const throughputRatio = best.opsPerSecond > 0 ? mine.opsPerSecond / best.opsPerSecond : Infinity;
    const p99Ratio = mine.getP99Us !== undefined && best.getP99Us !== undefined && best.getP99Us > 0 ? mine.getP99Us / best.getP99Us : 1;
    out.push({
      setup,
      workload: mine.workload,
      dfs: mine.dfs,
      cacheSizeBytes: mine.cacheSizeBytes,
      cacheShare: mine.cacheShare,
      seed: mine.seed,
      opsPerSecond: mine.opsPerSecond,
      getP99Us: mine.getP99Us,
      best: best.policy,
      bestOpsPerSecond: best.opsPerSecond,
      bestGetP99Us: best.getP99Us,
      dfsReads: mine.dfsReads,
      bestDfsReads: best.dfsReads,
      throughputRatio,
      p99Ratio,
      versus: baselines.map((b) => `${b.policy}=${(mine.opsPerSecond / b.opsPerSecond).toFixed(3)}`).join(' '),
      meets: throughputRatio >= opts.minRatio && p99Ratio <= opts.maxP99Ratio,
    });
  }
  out.sort((a, b) => a.workload.localeCompare(b.workload) || (a.dfs ?? '').localeCompare(b.dfs ?? '')
    || (a.cacheSizeBytes ?? 0) - (b.cacheSizeBytes ?? 0) || (a.seed ?? 0) - (b.seed ?? 0) || a.setup.localeCompare(b.setup));
  return { options: opts, rows: out, incomplete };
}

export function compareCsv(c: Comparison): string {
  return toCsv(c.rows.map((r) => ({ ...r, meets: r.meets ? 1 : 0 })), COMPARE_COLUMNS);
}

/** Per workload: setups, how many meet the bar, the least and the geometric mean throughput ratio. */
export function compareByWorkload(c: Comparison): DisplayTable {
  const groups = new Map<string, CompareRow[]>();
  for (const r of c.rows) {
    let g = groups.get(r.workload);
    if (g === undefined) groups.set(r.workload, (g = []));
    g.push(r);
  }
  const all = [...groups.entries(), ['all', c.rows] as [string, CompareRow[]]];
  return {
    title: `${c.options.policy} against the best of ${c.options.against.join(', ')}, by workload`,
    columns: ['workload', 'setups', 'meet', 'least ratio', 'geomean ratio', 'most p99 ratio'].map((label, i) => ({ label, numeric: i > 0 })),
    rows: all.filter(([, rs]) => rs.length > 0).map(([w, rs]) => [
      w,
      String(rs.length),
      String(rs.filter((r) => r.meets).length),
      Math.min(...rs.map((r) => r.throughputRatio)).toFixed(3),
      geometricMean(rs.map((r) => Math.max(r.throughputRatio, 1e-9))).toFixed(3),
      Math.max(...rs.map((r) => r.p99Ratio)).toFixed(2),
    ]),
  };
}

/** Every setup, the ones that miss the bar first. */
export function compareDisplay(c: Comparison): DisplayTable {
  const rows = [...c.rows.filter((r) => !r.meets), ...c.rows.filter((r) => r.meets)];
  return {
    title: `${c.options.policy} setup by setup (bar: throughput ≥ ${c.options.minRatio} × the best of ${c.options.against.join(', ')}, get p99 ≤ ${c.options.maxP99Ratio} × its)`,
    columns: ['setup', 'DFS', 'local cache', 'seed', `${c.options.policy} ops/s`, 'best', 'best ops/s', 'ratio', 'p99 ratio', 'DFS reads', 'versus each', 'meets']
      .map((label) => ({ label, numeric: !['setup', 'DFS', 'best', 'versus each', 'meets'].includes(label) })),
    rows: rows.map((r) => [
      r.setup, r.dfs ?? '', r.cacheSizeBytes ? formatBytes(r.cacheSizeBytes) + (r.cacheShare === undefined ? '' : ` (${formatShare(r.cacheShare)} of state)`) : '—', r.seed === undefined ? '' : String(r.seed),
      Math.round(r.opsPerSecond).toLocaleString('en-US'), r.best, Math.round(r.bestOpsPerSecond).toLocaleString('en-US'),
      r.throughputRatio.toFixed(3), r.p99Ratio.toFixed(2), `${count(r.dfsReads)} / ${count(r.bestDfsReads)}`, r.versus, r.meets ? 'yes' : 'NO',
    ]),
  };
}

const count = (n: number | undefined) => (n === undefined ? '—' : n.toLocaleString('en-US'));

/** One line: how many setups meet the bar. */
export function compareVerdict(c: Comparison): string {
  const met = c.rows.filter((r) => r.meets).length;
  const least = c.rows.length > 0 ? ` (least throughput ratio ${Math.min(...c.rows.map((r) => r.throughputRatio)).toFixed(3)})` : '';
  return `${c.options.policy} meets the bar in ${met} of ${c.rows.length} setups${least}`
    + (c.incomplete.length > 0 ? `; ${c.incomplete.length} setups lack a policy and were not compared` : '');
}

/** A log axis of shares of the state in percent, ticked at the shares there are. */
function shareAxis(percents: number[]) {
  const ticks = [...new Set(percents)].sort((a, b) => a - b);
  return { ...(ticks.length <= 12 ? { values: ticks } : {}), labelExpr: "format(datum.value, '.3~g') + '%'", labelOverlap: 'greedy' };
}

/**
 * The throughput ratio by cache size, a line per workload (the geometric mean over
 * seeds), a panel per DFS; rules at 1 and at the bar.
 */
export function compareRatioChart(c: Comparison): Chart {
  const sized = c.rows.filter((r) => r.cacheSizeBytes !== undefined && r.cacheSizeBytes > 0);
  // Sizes given as shares of each workload's state line the workloads up by share.
  const byShare = sized.length > 0 && sized.every((r) => r.cacheShare !== undefined);
  const xField = byShare ? 'cacheSharePercent' : 'cacheSizeMiB';
  const values = sized.map((r) => ({
    workload: r.workload, dfs: r.dfs ?? '', [xField]: byShare ? r.cacheShare! * 100 : r.cacheSizeBytes! / MIB,
    logRatio: Math.log(Math.max(r.throughputRatio, 1e-9)), setup: r.setup,
  }));
  const x = byShare
    ? { ...sizeAxisX(xField, 'local cache, % of the state (log scale)', values.map((v) => v[xField] as number)), axis: shareAxis(values.map((v) => v[xField] as number)) }
    : sizeAxisX(xField, 'local cache size (log scale)', values.map((v) => v[xField] as number));
  const { policy, against, minRatio } = c.options;
  const ratios = c.rows.map((r) => r.throughputRatio).filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.min(minRatio, ...ratios);
  const hi = Math.max(1, ...ratios);
  const y = {
    field: 'ratio', type: 'quantitative', title: `${policy} / best of ${against.join(', ')} (log scale)`,
    scale: { type: 'log', domain: [lo / 1.05, hi * 1.05], nice: false }, axis: { format: '.2~f' },
  };
  const spec = top(`${policy} against the best of ${against.join(' and ')}`,
    `throughput over the better baseline's in each setup (geometric mean over seeds); solid rule: equal; dashed: the bar (${minRatio})`, {
      data: { values },
      facet: { column: { field: 'dfs', type: 'nominal', title: 'DFS' } },
      spec: {
        width: 300, height: 260,
        layer: [
          {
            transform: [
              { aggregate: [{ op: 'mean', field: 'logRatio', as: 'meanLog' }], groupby: ['workload', xField] },
              { calculate: 'exp(datum.meanLog)', as: 'ratio' },
            ],
            mark: { type: 'line', point: true },
            encoding: {
              x,
              y,
              color: { field: 'workload', type: 'nominal', title: 'workload', scale: { scheme: 'tableau20' } },
              tooltip: [{ field: 'workload' }, byShare ? { field: xField, title: 'cache (% of state)', format: '.3~g' } : { field: xField, title: 'cache (MiB)', format: ',.0f' }, { field: 'ratio', format: '.3f' }],
            },
          },
          { data: { values: [{ ratio: 1 }] }, mark: { type: 'rule', color: '#444444' }, encoding: { y: { field: 'ratio', type: 'quantitative' } } },
          { data: { values: [{ ratio: minRatio }] }, mark: { type: 'rule', color: '#444444', strokeDash: [6, 4] }, encoding: { y: { field: 'ratio', type: 'quantitative' } } },
        ],
      },
    });
  return {
    name: 'compare-ratio',
    title: `${policy} against the best of ${against.join(', ')}`,
    description: `Each point is ${policy}'s throughput over the better of ${against.join(' and ')} in one setup, the geometric mean over seeds; above the solid line it wins.`,
    spec,
  };
}
